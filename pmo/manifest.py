"""A store version's manifest (versions/NNNNNN.json), typed.

One version file says which segment file serves each table (one per source; per source and as-of
date for history tables), the full ingest log, and `active`: the ingests whose output the version
holds, in the order they are replayed. `Manifest.from_json` / `to_json` round-trip the files every
earlier release wrote: a key an old file lacks gets its default, a key this code does not know is
kept and written back. Ingest records stay dicts (their keys grew over releases and a replay reads
the absence of one, `currency`, as "logged before that option existed"); the helpers below are the
way to reach them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# The keys of a version file in the order the writer puts them (the order of the files on disk).
_KEYS = ("action", "note", "user", "segments", "ingests", "active", "version", "parent", "created_at")
_SEGMENT_KEYS = ("file", "ingest_id", "as_of", "rows", "sha256")


@dataclass(frozen=True)
class Segment:
    """One Parquet file serving `table` for one segment key (a source, or source@as_of)."""

    table: str
    key: str
    file: str          # path relative to the store root
    ingest_id: int
    as_of: str | None
    rows: int
    sha256: str | None = None   # of the file as published (None: a store written before checksums)
    extra: dict[str, Any] = field(default_factory=dict, repr=False, hash=False)   # keys this code does not know

    @classmethod
    def from_json(cls, table: str, key: str, record: Mapping[str, Any]) -> Segment:
        return cls(table, key, file=record["file"], ingest_id=record.get("ingest_id"), as_of=record.get("as_of"),
                   rows=record.get("rows", 0), sha256=record.get("sha256"),
                   extra={k: v for k, v in record.items() if k not in _SEGMENT_KEYS})

    def to_json(self) -> dict[str, Any]:
        out = {"file": self.file, "ingest_id": self.ingest_id, "as_of": self.as_of, "rows": self.rows}
        if self.sha256 is not None:       # files published before checksums have no such key
            out["sha256"] = self.sha256
        return {**out, **self.extra}


@dataclass(frozen=True)
class Manifest:
    """What one store version serves. Version 0 (an empty store) is `Manifest()`.

    `version`, `parent` and `created_at` are set by `Writer.publish`; a manifest handed to it
    carries the rest."""

    action: str | None = None      # ingest | rebuild | rollback | remove
    note: str = ""
    user: str | None = None
    segments: dict[str, dict[str, Segment]] = field(default_factory=dict)   # table -> segment key -> segment
    ingests: list[dict[str, Any]] = field(default_factory=list)             # the whole log, oldest first
    active: list[int] = field(default_factory=list)                          # ingest ids served, in replay order
    version: int = 0
    parent: int | None = None
    created_at: str | None = None  # UTC, ISO seconds
    extra: dict[str, Any] = field(default_factory=dict, repr=False)          # keys this code does not know

    # --- the file ---------------------------------------------------------------------------
    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Manifest:
        """A manifest from a version file's JSON. ValueError when it is not one."""
        try:
            segments = {t: {k: Segment.from_json(t, k, rec) for k, rec in segs.items()}
                        for t, segs in data.get("segments", {}).items()}
            return cls(action=data.get("action"), note=data.get("note", ""), user=data.get("user"),
                       segments=segments, ingests=[dict(i) for i in data.get("ingests", [])],
                       active=list(data.get("active", [])), version=data.get("version", 0),
                       parent=data.get("parent"), created_at=data.get("created_at"),
                       extra={k: v for k, v in data.items() if k not in _KEYS})
        except (AttributeError, KeyError, TypeError) as exc:
            raise ValueError(f"not a version manifest ({type(exc).__name__}: {exc})") from exc

    def to_json(self) -> dict[str, Any]:
        """The version file's JSON (keys in the order the files have always had)."""
        return {"action": self.action, "note": self.note, "user": self.user,
                "segments": {t: {k: s.to_json() for k, s in segs.items()} for t, segs in self.segments.items()},
                "ingests": [dict(i) for i in self.ingests], "active": list(self.active),
                "version": self.version, "parent": self.parent, "created_at": self.created_at, **self.extra}

    # --- reading ----------------------------------------------------------------------------
    def segment(self, table: str, key: str) -> Segment | None:
        """The segment serving `table` for `key` (a source, or source@as_of), if any."""
        return self.segments.get(table, {}).get(key)

    def ingest(self, ingest_id: int) -> dict[str, Any]:
        """The log record of `ingest_id`; KeyError when the log has none."""
        for rec in self.ingests:
            if rec["ingest_id"] == ingest_id:
                return rec
        raise KeyError(f"ingest {ingest_id} is not in the log of version {self.version}")

    def active_ingests(self) -> list[dict[str, Any]]:
        """The log records of the ingests this version serves, in `active` order."""
        by_id = {rec["ingest_id"]: rec for rec in self.ingests}
        return [by_id[i] for i in self.active]

    def rejects_files(self) -> list[tuple[str, str | None]]:
        """(rejects file, recorded sha256 or None) of every ingest in the log that has one."""
        return [(rec["rejects_file"], rec.get("rejects_sha256")) for rec in self.ingests if rec.get("rejects_file")]

    def files(self) -> list[tuple[str, str | None]]:
        """(file relative to the store, recorded sha256 or None) for every segment and rejects file
        the version names: what a connection over it reads, and what garbage collection keeps."""
        return [(s.file, s.sha256) for segs in self.segments.values() for s in segs.values()] + self.rejects_files()
