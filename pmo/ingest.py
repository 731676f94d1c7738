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
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import polars as pl
from polars.io.plugins import register_io_source

from pmo import config, mapping, schema
from pmo.importers import registry
from pmo.importers.base import (
    COLUMN_TALLY,
    ROW_REJECTED,
    UNREADABLE_SHARE,
    ImportError_,
    ImportResult,
    IngestContext,
    Reject,
    judge_columns,
)
from pmo.importers._common import drop_blank_rows
from pmo.parse import DATE_ORDER, ISO_CURRENCIES, AmbiguousDates, currency_in_header
from pmo.readers import Limits, ReadError, read_grids
from pmo.store import SEGMENT_COMPRESSION, Store, Writer, now_iso


class IngestFailed(Exception):
    """One or more files could not be ingested. `problems` holds one clear line each.

    `kinds` names the refusals a caller may offer to override (EMPTY: a file with no data rows,
    which --allow-empty / the Data page's confirm publishes anyway; CURRENCY: amounts whose
    currency the file does not state, which --currency settles)."""

    def __init__(self, problems: list[str], kinds: tuple[str, ...] | set[str] = ()):
        super().__init__("\n".join(problems))
        self.problems = problems
        self.kinds = set(kinds)


EMPTY = "empty"
CURRENCY = "currency"


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

    @property
    def rows_rejected(self) -> int:
        """Rows left out of the store (per table: a row that feeds two tables counts in each)."""
        return rows_rejected(self.rejects)

    @property
    def cells_cleared(self) -> int:
        """Values left empty in rows that were stored."""
        return sum(r.cleared for r in self.rejects)

    def counts(self) -> str:
        """'3 rows rejected (not stored), 8 cells cleared (rows stored, the value left empty)'."""
        return counts_text(self.rows_rejected, self.cells_cleared)

    def summary(self) -> str:
        tables = ", ".join(f"{t} {n:,}" for t, n in self.tables.items())
        return (f"{self.file_name}: {self.label} -> {tables}; {self.counts()}; "
                f"as of {self.as_of}; version {self.version}")


def rows_rejected(rejects: list[Reject]) -> int:
    """Rows of the file not stored: distinct row numbers (one file row can give rows of several
    tables, such as a project and its status, or a RAID item and its history copy; a reject
    without a row number counts once)."""
    return len({r.row if r.row is not None else id(r) for r in rejects if not r.cleared})


def counts_text(rows: int, cells: int) -> str:
    return (f"{rows:,} row{'s' if rows != 1 else ''} rejected (not stored), "
            f"{cells:,} cell{'s' if cells != 1 else ''} cleared (row stored, the value left empty)")


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
            ingest_id: int | None = None, work_dir: Path | None = None,
            allow_empty: bool = False, currency: str | None = None) -> FileOutcome:
    """Read, detect, parse and validate one file without touching the store (the preview).

    Detection order: an explicit mapping file; a mapping kept in the store for this header;
    the importers' fingerprints. Raises IngestFailed with the file's problems.

    `sha256`: gives the file's hash (a writer hashes while it copies the file; default: read it).
    `ingest_id`, `work_dir`: the id the outcome will be staged under and a folder on the store's
    disk; a big file's rows are then written as the finished segment file there (no rewrite).
    `allow_empty`: publish a file with no data rows (it replaces its source's rows with none)
    instead of refusing it. `currency`: the ISO code of amounts whose currency the file states
    nowhere (else such a file is refused).
    """
    name = display_name or path.name
    cfg = settings or config.load(store_root)
    currency = _currency_code(currency, name)
    ctx = IngestContext(as_of=as_of, file_name=name, settings=cfg,
                        reporting_currency=cfg["general"]["reporting_currency"], currency=currency)
    token = DATE_ORDER.set(date_order or cfg["general"].get("default_date_order") or None)
    share = UNREADABLE_SHARE.set(unreadable_share(cfg))
    tally = COLUMN_TALLY.set({})
    try:
        grids = read_grids(path, name, Limits.from_settings(cfg))
        used_mapping = _pick_mapping(grids, mapping_path, store_root) if not tool else None
        if used_mapping is not None:
            m, grid, header_index = used_mapping
            table = registry.raw_table(grid, header_index)
            t, label = "mapping", m.label
            if not allow_empty:
                _refuse_if_empty(name, [table], lambda: (f"mapping:{m.source}", None), store_root)
            result = mapping.apply(table, m, ctx)
            signature = mapping.header_signature(grid.head[header_index])
        else:
            t, ms = _detect(grids, name, tool)
            label, signature = registry.modules()[t].LABEL, None
            if _chunked(ms, path):
                return _analyse_in_chunks(path, name, t, label, ms[0], ctx, as_of, date_order,
                                          sha256=sha256, ingest_id=ingest_id, work_dir=work_dir,
                                          allow_empty=allow_empty, store_root=store_root)
            tables = [m.table() for m in ms]
            if not allow_empty:
                _refuse_if_empty(name, tables, lambda: _source_of(t, ms[0].module, tables, ctx), store_root)
            result = ms[0].module.parse(tables, ctx)
        judge_columns(COLUMN_TALLY.get())
        if not allow_empty and result.rows_read == 0 and not result.rejects:
            _refuse_if_empty(name, [], lambda: (f"{t}:{result.source}", as_of or result.as_of), store_root)
        settle_currencies(result, ctx, name)
    except (ImportError_, ReadError, AmbiguousDates) as exc:
        raise IngestFailed([str(exc) if str(exc).startswith(name) else f"{name}: {exc}"]) from exc
    finally:
        DATE_ORDER.reset(token)
        UNREADABLE_SHARE.reset(share)
        COLUMN_TALLY.reset(tally)
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


def unreadable_share(cfg: dict) -> float:
    """[ingest] unreadable_column_share: the share of a typed column's values that may be unreadable
    before the file is refused (default 0.5: more than half refuses)."""
    try:
        share = float(cfg.get("ingest", {}).get("unreadable_column_share", 0.5))
    except (TypeError, ValueError):
        return 0.5
    return share if 0 <= share <= 1 else 0.5


def _currency_code(code: str | None, name: str) -> str | None:
    """A --currency value as an ISO 4217 code, or IngestFailed."""
    if code is None or not str(code).strip():
        return None
    c = str(code).strip().upper()
    if c not in ISO_CURRENCIES:
        raise IngestFailed([f"{name}: --currency {code!r} is not an ISO 4217 currency code "
                            "(for example EUR, USD, GBP). Nothing was stored."])
    return c


def _source_of(tool: str, module, tables: list, ctx: IngestContext) -> tuple[str | None, date | None]:
    """The store source (and as-of) an importer gives this file, for the empty-file message;
    (None, None) when the importer cannot even parse an empty table."""
    try:
        result = module.parse(tables, ctx)
    except Exception:   # noqa: BLE001 - only used to name what would be replaced
        return None, None
    return f"{tool}:{result.source}", result.as_of


def rows_served(store_root: Path | None, source: str | None, as_of: date | None = None) -> dict[str, int]:
    """table -> rows the current version serves from `source` (what an empty export would replace)."""
    if store_root is None or source is None:
        return {}
    store = Store(store_root)
    if store.is_empty():
        return {}
    out = {}
    for table, segs in store.manifest().get("segments", {}).items():
        key = source if table not in schema.HISTORY_TABLES else f"{source}@{as_of}"
        if key in segs and segs[key].get("rows"):
            out[table] = int(segs[key]["rows"])
    return out


def _refuse_if_empty(name: str, tables: list, source: Callable[[], tuple], store_root: Path | None) -> None:
    """IngestFailed (kind EMPTY) when no table has a data row: a header-only export would replace
    its source's rows with nothing."""
    if any(drop_blank_rows(t.data).height for t in tables):
        return
    src, as_of = source()
    served = rows_served(store_root, src, as_of)
    override = ("If the export's filter found nothing by mistake, export it again; to clear that source on "
                "purpose, pass --allow-empty (on the Data page: Publish anyway). Nothing was stored.")
    if served:
        n = sum(served.values())
        detail = ", ".join(f"{t} {k:,}" for t, k in served.items())
        raise IngestFailed([f"{name}: no data rows: publishing it would remove {n:,} rows of {src} "
                            f"({detail}) from the dashboard. {override}"], kinds={EMPTY})
    raise IngestFailed([f"{name}: no data rows: the file has a header and nothing below it, so there is "
                        f"nothing to publish. {override}"], kinds={EMPTY})


def settle_currencies(result: ImportResult, ctx: IngestContext, name: str) -> None:
    """Give every amount a stated currency, or refuse the file: never the reporting currency by default.

    Per money table (schema.MONEY), rows with an amount and no currency take, in order: a code in the
    amount column's header (`Budget (EUR)`); the caller's --currency. When neither is there, a table
    that states a currency on none of its rows refuses the file (IngestFailed, kind CURRENCY); one
    that states it on other rows rejects the rows without.
    """
    for table, (cur, amounts) in schema.MONEY.items():
        df = result.tables.get(table)
        if df is None or not df.height:
            continue
        present = [a for a in amounts if a in df.columns]
        if not present:
            continue
        if cur not in df.columns:
            df = df.with_columns(pl.lit(None, dtype=pl.String).alias(cur))
        need = df.select(pl.any_horizontal(pl.col(a).is_not_null() for a in present)
                         & pl.col(cur).is_null()).to_series()
        if not need.any():
            result.tables[table] = df
            continue
        headers = result.amount_columns.get(table, [])
        codes = {currency_in_header(h) for h in headers}
        stated = next(iter(codes)) if len(codes) == 1 and None not in codes else None
        fill, why = stated or ctx.currency, None
        if stated:
            why = f"currency {stated} from the column header{'s' if len(headers) > 1 else ''} " + \
                  ", ".join(repr(h) for h in headers)
        elif ctx.currency:
            why = f"amounts with no stated currency read as {ctx.currency} (--currency {ctx.currency})"
        n = int(need.sum())
        if fill:
            df = df.with_columns(pl.when(pl.lit(need)).then(pl.lit(fill)).otherwise(pl.col(cur)).alias(cur))
            result.notes.append(f"{table}: {why} ({n:,} row{'s' if n != 1 else ''})")
            result.tables[table] = df
            continue
        shown = (", ".join(repr(h) for h in headers[:3]) + (" ..." if len(headers) > 3 else "")
                 if headers else ", ".join(present))
        has_amount = df.select(pl.any_horizontal(pl.col(a).is_not_null() for a in present)).to_series()
        if df.filter(has_amount)[cur].is_not_null().any():
            # Other rows state it: only these rows are unusable.
            if "_row" not in df.columns:
                df = df.with_row_index("_row", offset=2).with_columns(pl.col("_row").cast(pl.Int64))
            column = ", ".join(headers) if headers else ", ".join(present)
            for r in df.filter(need)["_row"].to_list():
                result.rejects.append(Reject(r, column, None, "the amount's currency is not stated (the "
                                             "currency cell is empty); pass --currency CODE if it is known",
                                             table))
            result.tables[table] = df.filter(~need)
            continue
        raise IngestFailed([
            f"{name}: the currency of the amounts in {shown} is stated nowhere in the file ({n:,} "
            f"row{'s' if n != 1 else ''} of {table}: no currency column, no symbol or code in the amounts or "
            f"their header). Amounts are never assumed to be in the reporting currency. Pass --currency CODE "
            f"(for example --currency EUR; on the Data page: Options, Currency), or state it in a mapping "
            f"file ([constants] currency = \"EUR\"). Nothing was stored."], kinds={CURRENCY})
    _settle_status_currencies(result, ctx, name)


def _settle_status_currencies(result: ImportResult, ctx: IngestContext, name: str) -> None:
    """Status reports carry budget / actual cost in their project's currency: a project of this file
    with such amounts and no currency of its own is settled like an amount (--currency, else refused)."""
    snaps, projects = result.tables.get("status_snapshots"), result.tables.get("projects")
    if snaps is None or projects is None or not snaps.height or "currency" not in projects.columns:
        return
    money = [c for c in ("budget", "actual_cost") if c in snaps.columns]
    if not money:
        return
    with_money = set(snaps.filter(pl.any_horizontal(pl.col(c).is_not_null() for c in money))["project_id"]
                     .drop_nulls().to_list())
    unstated = projects["project_id"].is_in(list(with_money)) & projects["currency"].is_null()
    if not unstated.any():
        return
    if ctx.currency:
        result.tables["projects"] = projects.with_columns(
            pl.when(pl.lit(unstated)).then(pl.lit(ctx.currency)).otherwise(pl.col("currency")).alias("currency"))
        result.notes.append(f"projects: status-report amounts with no stated currency read as {ctx.currency} "
                            f"(--currency {ctx.currency})")
        return
    raise IngestFailed([
        f"{name}: the currency of the status reports' budget / actual cost is stated nowhere in the file "
        f"({int(unstated.sum()):,} project(s)). Amounts are never assumed to be in the reporting currency. "
        f"Pass --currency CODE (for example --currency EUR; on the Data page: Options, Currency). "
        f"Nothing was stored."], kinds={CURRENCY})


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
                       ingest_id: int | None = None, work_dir: Path | None = None,
                       allow_empty: bool = False, store_root: Path | None = None) -> FileOutcome:
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
            settle_currencies(result, ctx, name)
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
        judge_columns(COLUMN_TALLY.get() or {})     # over every slice: the same decision as one piece
        rows_read = state["rows_read"]
        if not rows_read and not rejects and not allow_empty:
            _refuse_if_empty(name, [], lambda: (state["source"], as_of), store_root)
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
    return out, _settle_kinds(rejects, out)


def _settle_kinds(rejects: list[Reject], out: dict[str, pl.DataFrame]) -> list[Reject]:
    """A cleared cell on a row that was not stored after all (a key missing, a duplicate ...) is part
    of a rejected row: relabel it, so the counts match what the store holds."""
    cleared = {}
    for r in rejects:
        if r.cleared:
            cleared.setdefault(r.table, set()).add(r.row)
    if not cleared:
        return _first_reason(rejects)
    gone: dict[str | None, set] = {}
    for table, rows in cleared.items():
        df = out.get(table)
        stored = set(df.filter(pl.col("_row").is_in(list(rows)))["_row"].to_list()) if df is not None else set()
        gone[table] = rows - stored
    settled = [replace(r, kind=ROW_REJECTED) if r.cleared and r.row in gone.get(r.table, ()) else r
               for r in rejects]
    return _first_reason(settled)


def _first_reason(rejects: list[Reject]) -> list[Reject]:
    """One entry per rejected row of a table: the first reason given (an importer's "not a date
    ('sometime')" rather than the "start_date is empty" it led to), so a row is counted and
    listed once."""
    seen: set = set()
    out = []
    for r in rejects:
        if not r.cleared and r.row is not None:
            if (r.table, r.row) in seen:
                continue
            seen.add((r.table, r.row))
        out.append(r)
    return out


def ingest_files(store: Store, paths: list[Path], *, as_of: date | None = None,
                 tool: str | None = None, user: str | None = None,
                 display_names: list[str] | None = None, mapping_path: Path | None = None,
                 date_order: str | None = None, allow_empty: bool = False,
                 currency: str | None = None, scope=None) -> list[FileOutcome]:
    """Ingest a batch of files as one new version. All or nothing. Raises IngestFailed, StoreBusy.

    `allow_empty`: publish files with no data rows (they clear their source) instead of refusing
    them; `currency`: the currency of amounts the files do not state (see `analyse`); `scope`: the
    publisher's row scope (pmo.auth.Scope): a limited one publishes only rows inside it and keeps
    every other scope's rows of the same source (pmo/write_scope.py)."""
    names = display_names or [p.name for p in paths]
    with store.writer() as w:
        cfg = config.load(store.root)
        outcomes, problems, copies, kinds = [], [], [], set()
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
                        ingest_id=w.next_ingest_id(len(outcomes)), work_dir=w.tmp,
                        allow_empty=allow_empty, currency=currency))
                except IngestFailed as exc:
                    problems.extend(exc.problems)
                    kinds |= exc.kinds
            if problems:
                raise IngestFailed(problems, kinds)
            ws = None
            if scope is not None and (scope.portfolios is not None or scope.departments is not None):
                from pmo import write_scope

                ws = write_scope.for_publish(store, scope, outcomes)
                outside = write_scope.check(outcomes, ws)
                if outside:
                    raise IngestFailed(outside)
            manifest = stage(w, outcomes, paths, user or current_user(), tool,
                             [c.dest if c else None for c in copies], currency=_currency_code(currency, "--currency"),
                             allow_empty=allow_empty, write_scope=ws)
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
          tool_override: str | None, copied: list[Path | None] | None = None, *,
          currency: str | None = None, allow_empty: bool = False, write_scope=None) -> dict:
    """Keep the raw files, place the new segments over the current ones; return the new manifest.

    `copied`: per file, its bytes already copied into the writer's tmp (`Writer.copy_raw`).
    `currency`, `allow_empty`: the overrides the files were read with, logged so a rebuild reads
    them the same way."""
    segments = {t: dict(s) for t, s in w.base["segments"].items()}
    ingests = list(w.base["ingests"])
    for i, (o, p) in enumerate(zip(outcomes, paths, strict=True)):
        o.ingest_id = len(ingests) + 1
        w.stage_raw(Path(p), o.sha256, o.file_name, copied[i] if copied else None)
        if o.mapping and o.mapping[1] is not None:
            w.stage_copy(o.mapping[1], f"mappings/{o.mapping[0]}.toml")
        rejects_file = place(w, segments, o, write_scope)
        ingests.append({
            "ingest_id": o.ingest_id, "file_name": o.file_name, "sha256": o.sha256,
            "size_bytes": o.size_bytes, "tool": o.tool, "importer_version": _importer_version(o.tool),
            "tables": ",".join(o.tables), "as_of": o.as_of.isoformat(), "rows_read": o.rows_read,
            "rows_accepted": o.rows_accepted, "rows_rejected": o.rows_rejected,
            "cells_cleared": o.cells_cleared, "user": user,
            "ingested_at": now_iso(), "version": w.base["version"] + 1, "source": o.source,
            "action": "ingest", "tool_override": tool_override, "as_of_given": None,
            "rejects_file": rejects_file, "rejects_sha256": w.checksum(rejects_file) if rejects_file else None,
            "notes": o.notes,
            "mapping": o.mapping[0] if o.mapping else None, "date_order": o.date_order,
            "currency": currency, "allow_empty": allow_empty,
            **({"scope": write_scope.to_record()} if write_scope is not None else {}),
        })
    active = list(w.base.get("active", [])) + [o.ingest_id for o in outcomes]
    names = ", ".join(o.file_name for o in outcomes)
    return {"action": "ingest", "note": f"ingested {names}", "user": user,
            "segments": segments, "ingests": ingests, "active": active}


def place(w: Writer, segments: dict, o: FileOutcome, write_scope=None) -> str | None:
    """Put one outcome's frames into `segments` (in place); return its rejects file if any.

    Current-state tables keep one segment per source: a newer (or equally recent) export replaces
    it, an older one is skipped there. History tables keep one segment per source and as-of date.
    `write_scope` (a scoped analyst's publish): the new segment keeps the existing one's rows
    outside that scope (pmo/write_scope.py).
    """
    for table, df in o.frames.items():
        seg_key = o.source if table not in schema.HISTORY_TABLES else f"{o.source}@{o.as_of}"
        existing = segments.get(table, {}).get(seg_key)
        if existing and existing.get("as_of") and existing["as_of"] > o.as_of.isoformat():
            continue
        ready = o.segment_files.get(table)
        rows = o.tables[table]
        if write_scope is not None:
            from pmo import write_scope as ws_mod

            body = df.drop("_row").with_columns(pl.lit(o.ingest_id, dtype=pl.Int64).alias(schema.INGEST_ID))
            if ready is not None and ready[1] == o.ingest_id and ready[0].exists():
                body = pl.scan_parquet(ready[0])
            old = pl.read_parquet(w.read_path(existing["file"])) if existing else None
            merged = ws_mod.merge(old, body, table, write_scope)
            rel = w.stage_frame(f"segments/{table}", uuid.uuid4().hex, merged)
            rows = merged.height
        elif ready is not None and ready[1] == o.ingest_id and ready[0].exists():
            rel = w.stage_file(f"segments/{table}", uuid.uuid4().hex, ready[0])   # written while parsed
        else:
            body = df.drop("_row").with_columns(pl.lit(o.ingest_id, dtype=pl.Int64).alias(schema.INGEST_ID))
            rel = w.stage_frame(f"segments/{table}", uuid.uuid4().hex, body)
        segments.setdefault(table, {})[seg_key] = {
            "file": rel, "ingest_id": o.ingest_id, "as_of": o.as_of.isoformat(), "rows": rows,
            "sha256": w.checksum(rel)}
    if not o.rejects:
        return None
    rej = pl.DataFrame(
        [{"ingest_id": o.ingest_id, "file_name": o.file_name, "table_name": r.table,
          "row_number": r.row, "column_name": r.column,
          "value": None if r.value is None else str(r.value), "reason": r.reason, "kind": r.kind}
         for r in o.rejects],
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
        # An ingest logged before files were refused for unstated currencies or unreadable columns
        # (no "currency" key) is replayed as it was read then: unstated amounts in the reporting
        # currency, no column refused. A file published on purpose without rows stays publishable.
        legacy = "currency" not in rec
        o = analyse(raw, as_of=date.fromisoformat(rec["as_of"]),
                    tool=None if rec["tool"] == "mapping" else (rec.get("tool_override") or rec["tool"]),
                    display_name=rec["file_name"],
                    settings=_lenient(cfg) if legacy else cfg, store_root=store.root,
                    mapping_path=store.path("mappings", f"{mapped}.toml") if mapped else None,
                    date_order=rec.get("date_order"), ingest_id=iid, work_dir=w.tmp, allow_empty=True,
                    currency=cfg["general"]["reporting_currency"] if legacy else rec.get("currency"))
        o.ingest_id = iid
        scoped = rec.get("scope")
        if scoped:
            from pmo.write_scope import WriteScope

            scoped = WriteScope.from_record(scoped)
        rejects[iid] = place(w, segments, o, scoped or None)
    return segments, rejects


def _lenient(cfg: dict) -> dict:
    """Settings that refuse no column (for replaying ingests logged before the refusals existed)."""
    return {**cfg, "ingest": {**cfg.get("ingest", {}), "unreadable_column_share": 1.0}}


def rebuild(store: Store, user: str | None = None) -> int:
    """Recreate the current version from the kept raw files alone. Returns the new version."""
    with store.writer() as w:
        active = list(w.base.get("active", []))
        segments, rejects = replay(store, w, active)
        ingests = [dict(i, rejects_file=rejects[i["ingest_id"]],
                        rejects_sha256=w.checksum(rejects[i["ingest_id"]]) if rejects[i["ingest_id"]] else None)
                   if i["ingest_id"] in rejects else i for i in w.base["ingests"]]
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
