"""A DuckDB connection over one store version: every view built from the SQL files in queries/.

Layers (as in dbt / Evidence):
1. `seg_<table>`: the version's Parquet segments as imported (one per source), typed to the
   data contract (pmo/schema.py); `ingests` and `rejected_rows` from the manifest.
2. settings tables (`settings_*`): thresholds, the title map, which export wins for which project
   field ... from config, so views read settings as rows, never as SQL text.
3. queries/canonical/*.sql: aliases resolved, projects from every tool, money in the reporting
   currency.
4. queries/macros/*.sql, queries/views/*.sql: shared macros and the analytic views.
5. a role limited to some rows: queries/scope/ (pmo/query/scope.py).
Each file is created after the files it `reads` (its header). Then the connection is locked down:
no file access outside the store's segments and cache, no extensions, settings frozen.

Spilling: DuckDB allows its temp directory to every query automatically (whatever
`allowed_directories` says), so each connection gets a private one of its own (`spill_dir`, mode
0700, removed when the runtime closes), and a connection that runs user SQL gets none at all
(`spill=False`: a query that needs more than `memory_limit` fails cleanly instead).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

import duckdb
import polars as pl
import pyarrow.parquet as pq

from pmo import governance, health, resources, salaries, schema, sources
from pmo.auth import Scope
from pmo.query import catalog, scope as row_scope
from pmo.manifest import Manifest
from pmo.store import Store

LAYERS = ("canonical", "macros", "views")


def settings_tables(cfg: dict, root: Path) -> dict[str, pl.DataFrame]:
    """Every settings table the views read (also part of the summary tables' cache key)."""
    general = cfg["general"]
    return {
        "settings_general": pl.DataFrame({
            "reporting_currency": [general["reporting_currency"]],
            "fiscal_year_start_month": [int(general.get("fiscal_year_start_month", 1))]}),
        "settings_health": health.settings_frame(cfg),
        **salaries.sql_tables(cfg, root),
        **sources.sql_tables(cfg),
        **governance.sql_tables(cfg),          # governance and RAID thresholds (docs/governance.md)
        **resources.sql_tables(cfg, root),     # working days, holidays (docs/resources.md)
    }


def segment_schema(table: str) -> dict:
    return {**schema.TABLES[table], schema.INGEST_ID: pl.Int64}


_DUCK = {pl.String: "varchar", pl.Float64: "double", pl.Date: "date", pl.Boolean: "boolean",
         pl.Int64: "bigint"}


def _duck_type(dtype) -> str:
    return "varchar[]" if isinstance(dtype, pl.List) else _DUCK.get(dtype, "varchar")


def _cast(col: str, dtype) -> str:
    return f'try_cast("{col}" as {_duck_type(dtype)}) as "{col}"'


def quote(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _list(paths: list[str]) -> str:
    return "[" + ", ".join(quote(p) for p in paths) + "]"


def create_segments(con: duckdb.DuckDBPyConnection, store: Store, manifest: Manifest) -> None:
    """`seg_<table>` over the version's segment files (an empty typed table when there are none)."""
    segs = store.segments(manifest)
    for table in schema.TABLES:
        files = [str(store.path(s.file)) for s in segs.get(table, [])]
        cols = segment_schema(table)
        if files:
            # a segment written before a column joined the contract lacks it: NULL there
            present = {n for f in files for n in pq.read_schema(f).names}
            select = ", ".join(_cast(c, t) if c in present else f'null::{_duck_type(t)} as "{c}"'
                               for c, t in cols.items())
            # Views cannot take parameters; the paths are the store's own (uuid names), quoted.
            con.execute(f"create view seg_{table} as select {select} "
                        f"from read_parquet({_list(files)}, union_by_name = true)")
        else:
            row_scope.table_from_frame(con, f"seg_{table}", pl.DataFrame(schema=cols))


def create_log(con: duckdb.DuckDBPyConnection, store: Store, manifest: Manifest) -> None:
    """`ingests` (the manifest's ingest log) and `seg_rejected_rows` (the rejects files as
    written; queries/canonical/rejected_rows.sql reads them)."""
    row_scope.table_from_frame(con, "ingests", store.ingests(manifest))
    files = [str(store.path(rel)) for rel, _ in manifest.rejects_files()]
    if files:
        # by name: files written before a column existed (`kind`) lack it
        con.execute(f"create view seg_rejected_rows as select * from "
                    f"(select * from read_parquet({_list(files)}, union_by_name = true) "
                    f" union all by name select null::varchar as kind where false)")
    else:
        row_scope.table_from_frame(con, "seg_rejected_rows", pl.DataFrame(schema=schema.REJECTED_ROWS))


def create_views(con: duckdb.DuckDBPyConnection, saved: dict[str, Path] | None = None,
                 names: Iterable[str] | None = None, created: set[str] | None = None) -> None:
    """The canonical views, macros and analytic views, each after the files it reads: all of them,
    or (`names`) only those and what they read, skipping those in `created` (which it updates).
    A summary view with a saved file in `saved` is made a read of that file: DuckDB binds every
    view it creates through all the views it reads, so the views after it bind against a file, not
    against the whole tree below it (seconds per view otherwise), and nothing below it is needed."""
    saved = saved if saved is not None else {}
    created = created if created is not None else set()
    for name in (names if names is not None else [q.name for q in catalog.in_order(*LAYERS)]):
        _create(con, name, saved, created)


def _create(con: duckdb.DuckDBPyConnection, name: str, saved: dict[str, Path], created: set[str]) -> None:
    if name in created:
        return
    try:
        q = catalog.info(name)
    except catalog.QueryError:
        return                                   # a table: seg_*, settings_*, ingests ...
    if q.kind not in LAYERS:
        return
    if q.name in saved:
        try:
            con.execute(f"create or replace view {q.name} as "
                        f"select * from read_parquet({quote(str(saved[q.name]))})")
            created.add(q.name)
            return
        except duckdb.Error:
            # a damaged saved file (derived data): computed again, and saved anew on first use
            saved.pop(q.name).unlink(missing_ok=True)
    for r in q.reads:
        _create(con, r, saved, created)
    con.execute(q.body if q.kind == "macros" else f"create or replace view {q.name} as {q.body}")
    created.add(q.name)


SPILL_PREFIX = "pmo-spill-"


def spill_dir() -> Path:
    """A new private directory (0700) for one connection's spill files."""
    return Path(tempfile.mkdtemp(prefix=SPILL_PREFIX))


def remove_spill_dir(path: Path | None) -> None:
    if path is not None and path.name.startswith(SPILL_PREFIX):
        shutil.rmtree(path, ignore_errors=True)


def build(store: Store, manifest: Manifest, cfg: dict, settings: dict[str, pl.DataFrame],
          scope: Scope | None = None, *, spill: Path | None = None,
          memory_limit: str | None = None, saved: dict[str, Path] | None = None,
          created: set[str] | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory connection over `manifest`'s version, limited to `scope`.
    `spill`: the connection's private spill directory (None: no spilling at all); `saved`: the
    summary views served from their saved files (never for a scoped connection; a damaged one is
    removed from it and from the store's cache). `created=None`: every view is created now;
    a set: only the views a row scope is made from (none without one), added to the set, and the
    caller creates the others as queries need them (`create_views(names=..., created=...)`)."""
    con = duckdb.connect(":memory:")
    sec = cfg.get("security", {})
    con.execute(f"set memory_limit = {quote(memory_limit or str(sec.get('memory_limit', '4GB')))}")
    con.execute(f"set threads = {int(sec.get('threads', 2))}")
    # '' turns spilling off; DuckDB's default ('.tmp' in the working directory) would be shared
    # by every connection of the process and readable from user SQL
    con.execute(f"set temp_directory = {quote(str(spill) if spill is not None else '')}")
    create_segments(con, store, manifest)
    create_log(con, store, manifest)
    for name, frame in settings.items():
        row_scope.table_from_frame(con, name, frame)
    restricted = scope is not None and scope.restricted
    if created is None:
        create_views(con, saved)
    elif restricted:
        # Only what the scope's tables are made from, over every row. Creating every view here
        # would bind each through the whole tree of raw views below it (14 s on the sample data);
        # created later, they bind against summary tables already computed within the scope.
        create_views(con, saved, names=row_scope.reads(), created=created)
    if restricted:
        row_scope.apply(con, scope)
        _scope_ingest_log(con)
    return con


def _scope_ingest_log(con: duckdb.DuckDBPyConnection) -> None:
    """The ingest log of a connection limited to some rows: no file names, and no source names but
    those of the rows it holds (a file or source name can name another portfolio's project:
    'PRJ-1021 S-4HANA Finance Core.xlsx', 'msproject:plan:S/4HANA Finance Core')."""
    with_source = [t for (t,) in con.execute(
        "select table_name from information_schema.columns where table_schema = 'main' "
        "and column_name = 'source' and table_name like 'seg\\_%' escape '\\' "
        "and table_name <> 'seg_rejected_rows'").fetchall()]
    kept = " union ".join(f"select source from {t}" for t in with_source) or "select null as source"
    con.execute(f"update ingests set file_name = null, source = case when source in ({kept}) then source end")


def lock_down(con: duckdb.DuckDBPyConnection, store: Store, *, files: bool = True) -> None:
    """No file access outside the store's segments, rejects and cache (none at all with
    files=False: a scoped connection holds its rows in memory), no extensions, settings frozen."""
    allowed = [str(store.path(d).resolve()) + "/" for d in ("segments", "rejects", "cache")] if files else []
    con.execute("set allowed_directories = $d", {"d": allowed})
    con.execute("set enable_external_access = false")
    con.execute("set autoinstall_known_extensions = false")
    con.execute("set autoload_known_extensions = false")
    con.execute("set lock_configuration = true")
