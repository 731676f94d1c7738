"""Ingest: file -> detected importer -> validated canonical rows -> a new store version.

Everything that adds data goes through `ingest_files` (the CLI, the Data page, the drop folder),
so all paths share one set of rules:
- a batch of files is all or nothing: if any file fails, nothing is published;
- one writer at a time (the store lock);
- a newer export of a source replaces that source's rows in current-state tables, an older one
  only adds history (status snapshots are kept per project and as-of date).
"""

from __future__ import annotations

import contextvars
import hashlib
import re
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl
from polars.io.plugins import register_io_source

from pmo import config, mapping, schema
from pmo.importers import registry
from pmo.importers.base import ImportError_, ImportResult, IngestContext, Reject
from pmo.parse import DATE_ORDER, AmbiguousDates
from pmo.readers import ReadError, read_grids
from pmo.store import SEGMENT_COMPRESSION, Store, Writer, now_iso


class IngestFailed(Exception):
    """One or more files could not be ingested. `problems` holds one clear line each."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class FileOutcome:
    """What happened to one file, for the summary line and the data-quality report."""

    file_name: str
    tool: str
    label: str
    sha256: str
    size_bytes: int
    as_of: date
    source: str
    tables: dict[str, int]                       # table -> rows accepted
    rows_read: int
    rejects: list[Reject]
    notes: list[str] = field(default_factory=list)
    frames: dict[str, pl.DataFrame | pl.LazyFrame] = field(default_factory=dict, repr=False)
    ingest_id: int = 0
    version: int = 0
    mapping: tuple[str, Path | None] | None = None   # (header signature, mapping file) if mapped
    date_order: str | None = None
    scratch: object | None = field(default=None, repr=False)   # on-disk slices of a big file
    # table -> (segment file, ingest id it was written for): a big file's rows written as they were
    # parsed, ready to be staged as they are (see _analyse_in_chunks)
    segment_files: dict[str, tuple[Path, int]] = field(default_factory=dict, repr=False)

    def preview(self, table: str, n: int) -> pl.DataFrame:
        """The first `n` rows of `table` as they will be stored."""
        frame = self.frames[table]
        return frame.head(n).collect() if isinstance(frame, pl.LazyFrame) else frame.head(n)

    @property
    def rows_accepted(self) -> int:
        return sum(self.tables.values())

    def summary(self) -> str:
        tables = ", ".join(f"{t} {n:,}" for t, n in self.tables.items())
        return (f"{self.file_name}: {self.label} -> {tables}; {len(self.rejects):,} rejected; "
                f"as of {self.as_of}; version {self.version}")


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def current_user() -> str:
    # audit: the signed-in person of a dashboard session, else env PMO_USER, else the OS user
    from pmo import audit
    return audit.current_user()


def _audit(store: Store, user: str, action: str, detail: dict) -> None:
    """audit: one line in <store>/audit/ after a publish (a failed write warns, the version stands)."""
    from pmo import audit
    try:
        audit.log(store.root, user, action, detail)
    except OSError as exc:
        import warnings
        warnings.warn(f"the audit log could not be written: {exc}", stacklevel=2)


def analyse(path: Path, *, as_of: date | None = None, tool: str | None = None,
            display_name: str | None = None, settings: dict | None = None,
            mapping_path: Path | None = None, store_root: Path | None = None,
            date_order: str | None = None, sha256: Callable[[], str] | None = None,
            ingest_id: int | None = None, work_dir: Path | None = None) -> FileOutcome:
    """Read, detect, parse and validate one file without touching the store (the preview).

    Detection order: an explicit mapping file; a mapping kept in the store for this header;
    the importers' fingerprints. Raises IngestFailed with the file's problems.

    `sha256`: gives the file's hash (a writer hashes while it copies the file; default: read it).
    `ingest_id`, `work_dir`: the id the outcome will be staged under and a folder on the store's
    disk; a big file's rows are then written as the finished segment file there (no rewrite).
    """
    name = display_name or path.name
    cfg = settings or config.load(store_root)
    ctx = IngestContext(as_of=as_of, file_name=name, settings=cfg,
                        reporting_currency=cfg["general"]["reporting_currency"])
    token = DATE_ORDER.set(date_order or cfg["general"].get("default_date_order") or None)
    try:
        grids = read_grids(path, name)
        used_mapping = _pick_mapping(grids, mapping_path, store_root) if not tool else None
        if used_mapping is not None:
            m, grid, header_index = used_mapping
            result = mapping.apply(registry.raw_table(grid, header_index), m, ctx)
            t, label = "mapping", m.label
            signature = mapping.header_signature(grid.head[header_index])
        else:
            t, ms = _detect(grids, name, tool)
            label, signature = registry.modules()[t].LABEL, None
            if _chunked(ms, path):
                return _analyse_in_chunks(path, name, t, label, ms[0], ctx, as_of, date_order,
                                          sha256=sha256, ingest_id=ingest_id, work_dir=work_dir)
            result = ms[0].module.parse([m.table() for m in ms], ctx)
    except (ImportError_, ReadError, AmbiguousDates) as exc:
        raise IngestFailed([str(exc) if str(exc).startswith(name) else f"{name}: {exc}"]) from exc
    finally:
        DATE_ORDER.reset(token)
    effective = as_of or result.as_of or date_in_name(name) or date.today()
    frames, rejects = validate(result, effective, f"{t}:{result.source}")
    accepted = {k: v.height for k, v in frames.items()}
    if result.rows_read and sum(accepted.values()) == 0:
        reasons = "; ".join(sorted({r.reason for r in rejects})[:3]) or "no rows"
        raise IngestFailed([f"{name}: no row could be accepted ({reasons}). Nothing was stored."])
    outcome = FileOutcome(
        file_name=name, tool=t, label=label, sha256=sha256() if sha256 else sha256_of(path),
        size_bytes=path.stat().st_size, as_of=effective, source=f"{t}:{result.source}",
        tables=accepted, rows_read=result.rows_read, rejects=rejects, notes=result.notes,
        frames=frames,
    )
    if used_mapping is not None:
        outcome.mapping = (signature, used_mapping[0].path)
    outcome.date_order = date_order
    return outcome


def date_in_name(file_name: str) -> date | None:
    """An ISO date in the file name (`ProjectData_2026-11-20.xlsx`): the date exporters stamp."""
    found = re.findall(r"(?<!\d)((?:19|20)\d{2})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?!\d)", file_name)
    if not found:
        return None
    try:
        return date(*map(int, found[-1]))
    except ValueError:
        return None


def _pick_mapping(grids, mapping_path: Path | None, store_root: Path | None):
    """(mapping, grid, header row) from an explicit file or one kept for this header, else None."""
    if mapping_path is not None:
        m = mapping.load(Path(mapping_path))
        grid, header_index = mapping.find_header(grids, m)
        return m, grid, header_index
    kept = mapping.stored(store_root) if store_root is not None else {}
    if not kept:
        return None
    for grid in grids:
        for i, row in enumerate(grid.head):
            sig = mapping.header_signature(row)
            if sig in kept:
                return mapping.load(kept[sig]), grid, i
    return None


def _detect(grids, name: str, tool: str | None) -> tuple[str, list]:
    """The one tool whose importer recognises the file, and its matching sheets."""
    matches = registry.detect_in_grids(grids, name, tool)
    by_module: dict[str, list] = {}
    for m in matches:
        by_module.setdefault(m.tool, []).append(m)
    if len(by_module) > 1:
        tools = ", ".join(registry.modules()[t].LABEL for t in by_module)
        raise ImportError_(f"{name}: sheets of different tools in one file ({tools}). "
                           "Save each tool's export as its own file.")
    return next(iter(by_module.items()))


# Big CSVs of importers that read row by row (CHUNKED = True: a ledger) are parsed a slice at a
# time and each validated slice goes straight into the segment file, so memory stays flat however
# long the file and the rows are encoded once.
CHUNK_ROWS = 1_000_000
CHUNK_MIN_BYTES = 64 * 2**20
_OPPOSITE_DECISIONS = (("day-first", "month-first"), ("decimal comma", "decimal point"))


def _chunked(matches: list, path: Path) -> bool:
    m = matches[0]
    return (len(matches) == 1 and getattr(m.module, "CHUNKED", False) and len(m.module.TABLES) == 1
            and m.grid.typed is None and m.grid.meta.get("format") == "csv"
            and path.stat().st_size >= CHUNK_MIN_BYTES)


def _analyse_in_chunks(path: Path, name: str, t: str, label: str, match, ctx: IngestContext,
                       as_of: date | None, date_order: str | None, *, sha256: Callable[[], str] | None = None,
                       ingest_id: int | None = None, work_dir: Path | None = None) -> FileOutcome:
    """Parse and validate a big CSV a slice at a time, streaming the accepted rows into one Parquet
    file in the segment format (canonical columns and `_ingest_id`; `ingest_id` or 0 when not
    known yet) and their file row numbers into small files beside it, for the preview.

    Polars' streaming sink pulls the slices from `slices()` below: encoding one slice overlaps
    with parsing the next, and the file is written once (no scratch copy re-read at publish).
    """
    effective = as_of or date_in_name(name) or date.today()
    [tbl] = match.module.TABLES
    scratch = tempfile.TemporaryDirectory(prefix="pmo-ingest-", dir=work_dir, ignore_cleanup_errors=True)
    folder = Path(scratch.name)
    seg_file = folder / f"{tbl}.parquet"
    row_files: list[str] = []
    counts: dict[str, int] = {}
    rejects: list[Reject] = []
    notes: list[str] = []
    state = {"rows_read": 0, "source": None}
    failed: list[BaseException] = []
    stamp = pl.lit(ingest_id or 0, dtype=pl.Int64).alias(schema.INGEST_ID)

    def slices():
        for i, table in enumerate(match.tables_in_batches(CHUNK_ROWS)):
            result = match.module.parse([table], ctx)
            state["source"] = state["source"] or f"{t}:{result.source}"
            frames, rej = validate(result, effective, state["source"])
            rejects.extend(rej)
            state["rows_read"] += result.rows_read
            notes.extend(n for n in result.notes if n not in notes)
            if set(frames) - {tbl}:
                raise ImportError_(f"{name}: the importer returned tables other than {tbl}.")
            df = frames.get(tbl)
            if df is None:
                continue
            counts[tbl] = counts.get(tbl, 0) + df.height
            if df.height:
                f = folder / f"rows-{i:05d}.parquet"
                df.select("_row").write_parquet(f)
                row_files.append(str(f))
                yield df.drop("_row").with_columns(stamp)

    run = contextvars.copy_context()   # the caller's --date-order (parse.DATE_ORDER) for the sink's thread

    def source(with_columns, predicate, n_rows, batch_size):
        it = slices()
        while True:
            try:
                df = run.run(next, it)
            except StopIteration:
                return
            except BaseException as exc:   # noqa: BLE001 - re-raised below, outside Polars
                failed.append(exc)
                return
            if with_columns is not None:
                df = df.select(with_columns)
            if predicate is not None:
                df = df.filter(predicate)
            yield df

    body_schema = {**schema.TABLES[tbl], schema.INGEST_ID: pl.Int64}
    try:
        register_io_source(source, schema=body_schema).sink_parquet(
            seg_file, compression=SEGMENT_COMPRESSION, statistics=True)
        if failed:
            raise failed[0]
        joined = " ".join(notes)
        for a, b in _OPPOSITE_DECISIONS:
            if a in joined and b in joined:
                raise IngestFailed([f"{name}: parts of the file read differently ({a} in some rows, {b} in "
                                    f"others). Pass --date-order dmy|mdy, or a mapping file with [formats]."])
        rows_read = state["rows_read"]
        if rows_read and sum(counts.values()) == 0:
            reasons = "; ".join(sorted({r.reason for r in rejects})[:3]) or "no rows"
            raise IngestFailed([f"{name}: no row could be accepted ({reasons}). Nothing was stored."])
        digest = sha256() if sha256 else sha256_of(path)
    except BaseException:
        scratch.cleanup()
        raise
    if tbl in counts:
        body = pl.scan_parquet(seg_file).drop(schema.INGEST_ID)
        rows = (pl.scan_parquet(row_files) if row_files
                else pl.LazyFrame(schema={"_row": pl.Int64}))
        frames = {tbl: pl.concat([body, rows], how="horizontal")}
    else:
        frames = {}
    outcome = FileOutcome(
        file_name=name, tool=t, label=label, sha256=digest, size_bytes=path.stat().st_size,
        as_of=effective, source=state["source"], tables=counts, rows_read=rows_read, rejects=rejects,
        notes=notes, frames=frames)
    outcome.date_order = date_order
    outcome.scratch = scratch   # the files live until the outcome is dropped
    if ingest_id is not None and tbl in counts:
        outcome.segment_files[tbl] = (seg_file, ingest_id)
    return outcome


def validate(result: ImportResult, as_of: date, source: str) -> tuple[dict[str, pl.DataFrame], list[Reject]]:
    """Conform every frame to the contract; reject rows missing keys, with bad enums or duplicates."""
    rejects = list(result.rejects)
    out: dict[str, pl.DataFrame] = {}
    for table, df in result.tables.items():
        if "_row" not in df.columns:
            df = df.with_row_index("_row", offset=2).with_columns(pl.col("_row").cast(pl.Int64))
        cols = schema.TABLES[table]
        # An importer may name the source per row (a benchmark table's publisher); else the file's.
        fill = {"source": pl.col("source").fill_null(source) if "source" in df.columns else pl.lit(source)}
        if "as_of" in cols:
            fill["as_of"] = pl.col("as_of").fill_null(as_of) if "as_of" in df.columns else pl.lit(as_of)
        df = df.with_columns(**{k: v for k, v in fill.items() if k in cols})
        for col in schema.REQUIRED[table]:
            if col not in df.columns:
                df = df.with_columns(pl.lit(None, dtype=cols[col]).alias(col))
            bad = df[col].is_null()
            if df[col].dtype == pl.String:
                bad = bad | (df[col].str.strip_chars() == "")
            if not bad.any():
                continue
            for r in df.filter(bad)["_row"].to_list():
                rejects.append(Reject(r, col, None, f"{col} is empty", table))
            df = df.filter(~bad)
        for (t, col), allowed in schema.ENUMS.items():
            if t != table or col not in df.columns:
                continue
            if df[col].drop_nulls().unique().is_in(list(allowed)).all():
                continue   # judged on the distinct values: a ledger's kinds over millions of lines
            bad = df[col].is_not_null() & ~df[col].is_in(list(allowed))
            for r, v in df.filter(bad).select("_row", col).iter_rows():
                rejects.append(Reject(r, col, v, f"{col} must be one of {sorted(allowed)}", table))
            df = df.filter(~bad)
        keys = schema.NATURAL_KEYS[table]
        if keys and df.height:
            dup = df.select(pl.struct(list(keys)).is_duplicated() & ~pl.struct(list(keys)).is_first_distinct()).to_series()
            for r, *k in df.filter(dup).select("_row", *keys).iter_rows():
                rejects.append(Reject(r, ", ".join(keys), " / ".join(map(str, k)),
                                      "duplicate key: an earlier row has the same " + ", ".join(keys), table))
            df = df.filter(~dup)
        rows = df["_row"]
        out[table] = schema.conform(table, df).with_columns(rows.alias("_row"))
    return out, rejects


def ingest_files(store: Store, paths: list[Path], *, as_of: date | None = None,
                 tool: str | None = None, user: str | None = None,
                 display_names: list[str] | None = None, mapping_path: Path | None = None,
                 date_order: str | None = None) -> list[FileOutcome]:
    """Ingest a batch of files as one new version. All or nothing. Raises IngestFailed, StoreBusy."""
    names = display_names or [p.name for p in paths]
    with store.writer() as w:
        cfg = config.load(store.root)
        outcomes, problems, copies = [], [], []
        try:
            for p, name in zip(paths, names, strict=True):
                # The raw file is copied into the store (and hashed) by a thread while it is parsed;
                # a big file's rows are written as the segment of the ingest id it will get.
                copies.append(w.copy_raw(Path(p)) if Path(p).is_file() else None)
                try:
                    outcomes.append(analyse(
                        Path(p), as_of=as_of, tool=tool, display_name=name, settings=cfg,
                        mapping_path=mapping_path, store_root=store.root, date_order=date_order,
                        sha256=copies[-1].sha256 if copies[-1] else None,
                        ingest_id=w.next_ingest_id(len(outcomes)), work_dir=w.tmp))
                except IngestFailed as exc:
                    problems.extend(exc.problems)
            if problems:
                raise IngestFailed(problems)
            manifest = stage(w, outcomes, paths, user or current_user(), tool,
                             [c.dest if c else None for c in copies])
            version = w.publish(manifest)
        except BaseException:
            for c in copies:
                if c is not None:
                    c.cancel()
            outcomes.clear()   # their scratch folders live in the writer's tmp
            w.discard()
            raise
    for o in outcomes:
        o.version = version
    _audit(store, manifest["user"], "ingest", {"version": version, "files": [o.file_name for o in outcomes],
                                              "rows_accepted": sum(o.rows_accepted for o in outcomes)})
    return outcomes


def stage(w: Writer, outcomes: list[FileOutcome], paths: list[Path], user: str,
          tool_override: str | None, copied: list[Path | None] | None = None) -> dict:
    """Keep the raw files, place the new segments over the current ones; return the new manifest.

    `copied`: per file, its bytes already copied into the writer's tmp (`Writer.copy_raw`)."""
    segments = {t: dict(s) for t, s in w.base["segments"].items()}
    ingests = list(w.base["ingests"])
    for i, (o, p) in enumerate(zip(outcomes, paths, strict=True)):
        o.ingest_id = len(ingests) + 1
        w.stage_raw(Path(p), o.sha256, o.file_name, copied[i] if copied else None)
        if o.mapping and o.mapping[1] is not None:
            w.stage_copy(o.mapping[1], f"mappings/{o.mapping[0]}.toml")
        rejects_file = place(w, segments, o)
        ingests.append({
            "ingest_id": o.ingest_id, "file_name": o.file_name, "sha256": o.sha256,
            "size_bytes": o.size_bytes, "tool": o.tool, "importer_version": _importer_version(o.tool),
            "tables": ",".join(o.tables), "as_of": o.as_of.isoformat(), "rows_read": o.rows_read,
            "rows_accepted": o.rows_accepted, "rows_rejected": len(o.rejects), "user": user,
            "ingested_at": now_iso(), "version": w.base["version"] + 1, "source": o.source,
            "action": "ingest", "tool_override": tool_override, "as_of_given": None,
            "rejects_file": rejects_file, "notes": o.notes,
            "mapping": o.mapping[0] if o.mapping else None, "date_order": o.date_order,
        })
    active = list(w.base.get("active", [])) + [o.ingest_id for o in outcomes]
    names = ", ".join(o.file_name for o in outcomes)
    return {"action": "ingest", "note": f"ingested {names}", "user": user,
            "segments": segments, "ingests": ingests, "active": active}


def place(w: Writer, segments: dict, o: FileOutcome) -> str | None:
    """Put one outcome's frames into `segments` (in place); return its rejects file if any.

    Current-state tables keep one segment per source: a newer (or equally recent) export replaces
    it, an older one is skipped there. History tables keep one segment per source and as-of date.
    """
    for table, df in o.frames.items():
        seg_key = o.source if table not in schema.HISTORY_TABLES else f"{o.source}@{o.as_of}"
        existing = segments.get(table, {}).get(seg_key)
        if existing and existing.get("as_of") and existing["as_of"] > o.as_of.isoformat():
            continue
        ready = o.segment_files.get(table)
        if ready is not None and ready[1] == o.ingest_id and ready[0].exists():
            rel = w.stage_file(f"segments/{table}", uuid.uuid4().hex, ready[0])   # written while parsed
        else:
            body = df.drop("_row").with_columns(pl.lit(o.ingest_id, dtype=pl.Int64).alias(schema.INGEST_ID))
            rel = w.stage_frame(f"segments/{table}", uuid.uuid4().hex, body)
        segments.setdefault(table, {})[seg_key] = {
            "file": rel, "ingest_id": o.ingest_id, "as_of": o.as_of.isoformat(), "rows": o.tables[table]}
    if not o.rejects:
        return None
    rej = pl.DataFrame(
        [{"ingest_id": o.ingest_id, "file_name": o.file_name, "table_name": r.table,
          "row_number": r.row, "column_name": r.column,
          "value": None if r.value is None else str(r.value), "reason": r.reason} for r in o.rejects],
        schema=schema.REJECTED_ROWS)
    return w.stage_frame("rejects", f"{o.ingest_id:06d}-{uuid.uuid4().hex[:8]}", rej)


def replay(store: Store, w: Writer, ingest_ids: list[int]) -> tuple[dict, dict]:
    """Re-import the kept raw files of `ingest_ids`, in order, onto an empty state.

    Returns (segments, rejects file by ingest id). Used by rebuild and by removing an ingest.
    """
    records = {i["ingest_id"]: i for i in w.base["ingests"]}
    cfg = config.load(store.root)
    segments: dict = {}
    rejects: dict = {}
    for iid in ingest_ids:
        rec = records[iid]
        raw = store.raw_path(rec["sha256"], rec["file_name"])
        if not raw.exists():
            raise IngestFailed([f"{rec['file_name']}: the kept raw file {raw} is missing; "
                                "restore it from a backup of the store."])
        mapped = rec.get("mapping")
        o = analyse(raw, as_of=date.fromisoformat(rec["as_of"]),
                    tool=None if rec["tool"] == "mapping" else (rec.get("tool_override") or rec["tool"]),
                    display_name=rec["file_name"], settings=cfg, store_root=store.root,
                    mapping_path=store.path("mappings", f"{mapped}.toml") if mapped else None,
                    date_order=rec.get("date_order"), ingest_id=iid, work_dir=w.tmp)
        o.ingest_id = iid
        rejects[iid] = place(w, segments, o)
    return segments, rejects


def rebuild(store: Store, user: str | None = None) -> int:
    """Recreate the current version from the kept raw files alone. Returns the new version."""
    with store.writer() as w:
        active = list(w.base.get("active", []))
        segments, rejects = replay(store, w, active)
        ingests = [dict(i, rejects_file=rejects.get(i["ingest_id"], i.get("rejects_file")))
                   for i in w.base["ingests"]]
        v = w.publish({"action": "rebuild", "note": f"rebuilt from {len(active)} raw files",
                       "user": user or current_user(), "segments": segments,
                       "ingests": ingests, "active": active})
    _audit(store, user or current_user(), "rebuild", {"version": v, "raw_files": len(active)})
    return v


def rollback(store: Store, to_version: int, user: str | None = None) -> int:
    """Publish a new version serving exactly what `to_version` served. Returns the new version."""
    with store.writer() as w:
        if to_version < 1 or to_version > w.base["version"]:
            raise IngestFailed([f"version {to_version} does not exist; see `pmo history`."])
        target = store.manifest(to_version)
        v = w.publish({"action": "rollback", "note": f"rolled back to version {to_version}",
                       "user": user or current_user(), "segments": target["segments"],
                       "ingests": w.base["ingests"], "active": target.get("active", [])})
    _audit(store, user or current_user(), "rollback", {"version": v, "to_version": to_version})
    return v


def remove_ingest(store: Store, ingest_id: int, user: str | None = None) -> int:
    """Publish a new version as if ingest `ingest_id` had never happened."""
    with store.writer() as w:
        active = list(w.base.get("active", []))
        if ingest_id not in active:
            raise IngestFailed([f"ingest {ingest_id} is not part of the current version."])
        active.remove(ingest_id)
        segments, _ = replay(store, w, active)
        name = next(i["file_name"] for i in w.base["ingests"] if i["ingest_id"] == ingest_id)
        v = w.publish({"action": "remove", "note": f"removed ingest {ingest_id} ({name})",
                       "user": user or current_user(), "segments": segments,
                       "ingests": w.base["ingests"], "active": active})
    _audit(store, user or current_user(), "remove", {"version": v, "ingest_id": ingest_id, "file": name})
    return v


def _importer_version(tool: str) -> str:
    if tool == "mapping":
        return f"mapping-{mapping.VERSION}"
    return str(getattr(registry.modules()[tool], "VERSION", "1"))
