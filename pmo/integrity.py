"""Is a store version whole? Every file it reads is there and matches the checksum its manifest
recorded when it was published (segments and rejects files; `pmo.store.Writer.checksum`).

A damaged version (a flipped byte, a truncated copy, a missing file) is never served: the
dashboard serves the newest earlier version that is whole and says which one is damaged, or
refuses clearly when none is; `/healthz` reports it; `pmo check` names the file; `pmo rebuild`
recreates the version from the kept raw files. Versions published before checksums existed are
checked for missing files only.

Hashes are kept per (file, size, modification time) for the life of the process, so a page run
costs a `stat` per file; `pmo check` hashes everything again (`fresh=True`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from pmo.store import Store, StoreError, file_sha256

_hashes: dict[tuple[str, int, int], str] = {}
_lock = threading.Lock()


@dataclass
class Damage:
    version: int
    files: list[tuple[str, str]] = field(default_factory=list)     # (file relative to the store, what is wrong)

    @property
    def whole(self) -> bool:
        return not self.files

    def describe(self, limit: int = 3) -> str:
        shown = "; ".join(f"{f} {why}" for f, why in self.files[:limit])
        more = f" and {len(self.files) - limit} more" if len(self.files) > limit else ""
        return shown + more


def _hash(path: Path, fresh: bool) -> str:
    st = path.stat()
    k = (str(path), st.st_size, st.st_mtime_ns)
    if not fresh:
        with _lock:
            hit = _hashes.get(k)
        if hit is not None:
            return hit
    digest = file_sha256(path)
    with _lock:
        _hashes[k] = digest
        if len(_hashes) > 100_000:
            _hashes.clear()
    return digest


def files_of(manifest: dict) -> list[tuple[str, str | None]]:
    """(file, recorded sha256 or None) for every file a connection over `manifest` reads."""
    out = [(s["file"], s.get("sha256")) for segs in manifest.get("segments", {}).values() for s in segs.values()]
    out += [(i["rejects_file"], i.get("rejects_sha256")) for i in manifest.get("ingests", [])
            if i.get("rejects_file")]
    return out


def check_version(store: Store, version: int, *, fresh: bool = False) -> Damage:
    """What is wrong with `version`'s files (nothing: `.whole`)."""
    damage = Damage(version)
    if version == 0:
        return damage
    manifest = store.manifest(version)
    for rel, recorded in files_of(manifest):
        path = store.path(rel)
        try:
            if recorded is None:
                if not path.exists():
                    damage.files.append((rel, "is missing"))
                continue
            if _hash(path, fresh) != recorded:
                damage.files.append((rel, "does not match its checksum (damaged)"))
        except FileNotFoundError:
            damage.files.append((rel, "is missing"))
        except OSError as exc:
            damage.files.append((rel, f"cannot be read ({exc.strerror or exc})"))
    return damage


@dataclass
class Serving:
    """Which version to serve: the current one when whole, else the newest whole one before it."""

    current: int
    version: int | None                  # None: no version is whole (or the store is empty: 0)
    damaged: list[Damage] = field(default_factory=list)   # the current version and any skipped

    @property
    def degraded(self) -> bool:
        return bool(self.damaged)

    def message(self) -> str:
        """One paragraph for the pages and /healthz."""
        if not self.damaged:
            return ""
        first = self.damaged[0]
        text = f"Store version {first.version} is damaged: {first.describe()}."
        if self.version:
            skipped = [d.version for d in self.damaged[1:]]
            text += (f" Showing version {self.version}, the last whole one"
                     + (f" (versions {', '.join(map(str, skipped))} are damaged too)" if skipped else "") + ".")
        else:
            text += " No earlier version is whole, so nothing is shown."
        return text + " An admin can repair it with `pmo rebuild` (from the kept raw files) or `pmo check`."


def serving(store: Store, *, fresh: bool = False) -> Serving:
    current = store.current_version()
    out = Serving(current, current)
    if current == 0:
        return out
    for v in range(current, 0, -1):
        try:
            d = check_version(store, v, fresh=fresh)
        except StoreError:
            continue                      # a version file pruned or unreadable: look further back
        if d.whole:
            out.version = v
            return out
        out.damaged.append(d)
    out.version = None
    return out
