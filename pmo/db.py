"""A DuckDB connection over one store version: the canonical views, hardened for user SQL.

Layers (as in dbt / Evidence): `seg_<table>` reads the version's Parquet segments as imported;
the canonical views (`projects`, `tasks`, ...) resolve project aliases and convert money to the
reporting currency through `fx_rates`; the analytic views (`project_health`, `budget_variance`,
`salary_positions`) come from `queries/views/*.sql`, one file each.

After the views exist the connection is locked down: no file access outside the store's
segments, no extensions, configuration frozen. Each version gets its own connection, so a
reader never sees two versions at once.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pyarrow.parquet as pq

from pmo import config, health, resources, salaries, schema, sql
from pmo.auth import Scope
from pmo.sql import QUERY_DIR, load_text
from pmo.store import Store

VIEW_DIR = QUERY_DIR / "views"
MACRO_DIR = QUERY_DIR / "macros"

# Canonical views on top of the raw segments. Money columns are converted with the latest rate
# valid at the row's date (`asof join`), falling back to the earliest known rate; a currency with
# no rate at all gives NULL, which the pages report instead of mixing currencies.
CANONICAL_SQL = """
create or replace view fx_rates as
    select currency, rate_to_reporting, valid_from from seg_fx_rates
    union all by name
    select $reporting as currency, 1.0 as rate_to_reporting, date '1900-01-01' as valid_from;

create or replace view _fx as
    select currency, rate_to_reporting, valid_from from (
        select *, row_number() over (partition by currency, valid_from order by rate_to_reporting) as n
        from fx_rates) where n = 1;

create or replace view _fx_first as
    select currency, arg_min(rate_to_reporting, valid_from) as rate from _fx group by currency;

create or replace view _project_alias as
    -- an alias that two projects share cannot be resolved: it is left alone (pmo check lists it)
    select alias, any_value(project_id) as project_id from (
        select distinct unnest(coalesce(external_ids, [])) as alias, project_id from seg_projects)
    where alias is not null and alias <> project_id
    group by alias having count(distinct project_id) = 1;

create or replace view projects as
    with ranked as (
        select p.*, row_number() over (
            partition by p.project_id order by (p.source like 'jira:%'), p.as_of desc) as _n
        from seg_projects p
    )
    select r.* exclude (_n, budget, budget_original, _ingest_id),
           r.budget_original * coalesce(fx.rate_to_reporting, ff.rate) as budget,
           coalesce(r.budget_original, r.budget) as budget_original
    from ranked r
    asof left join _fx fx on fx.currency = coalesce(r.currency, $reporting) and r.as_of >= fx.valid_from
    left join _fx_first ff on ff.currency = coalesce(r.currency, $reporting)
    where r._n = 1
      -- a Jira-only row for a key that the register lists as another project's alias
      and r.project_id not in (select alias from _project_alias);

create or replace view status_snapshots as
    select s.* exclude (project_id, _ingest_id), coalesce(a.project_id, s.project_id) as project_id
    from seg_status_snapshots s left join _project_alias a on a.alias = s.project_id;

create or replace view tasks as
    select t.* exclude (project_id, _ingest_id), coalesce(a.project_id, t.project_id) as project_id
    from seg_tasks t left join _project_alias a on a.alias = t.project_id;

create or replace view risks as
    select r.* exclude (project_id, _ingest_id), coalesce(a.project_id, r.project_id) as project_id
    from seg_risks r left join _project_alias a on a.alias = r.project_id;

-- The rate depends only on (currency, period): found once per distinct pair (a ledger has a few
-- dozen), then an equi-join, not an asof join per ledger line (the same rates; 4-20x faster on
-- 10 million lines, benchmarks/RESULTS.md).
create or replace view _financials_rate as
    select k.currency, k.period, coalesce(fx.rate_to_reporting, ff.rate) as rate
    from (select distinct coalesce(currency, $reporting) as currency, period from seg_financials) k
    asof left join _fx fx on fx.currency = k.currency and k.period >= fx.valid_from
    left join _fx_first ff on ff.currency = k.currency;

create or replace view financials as
    select f.* exclude (project_id, amount, currency, _ingest_id),
           coalesce(a.project_id, f.project_id) as project_id,
           coalesce(f.currency, $reporting) as currency,
           f.amount_original * r.rate as amount
    from seg_financials f
    left join _project_alias a on a.alias = f.project_id
    left join _financials_rate r
        on r.currency = coalesce(f.currency, $reporting) and r.period is not distinct from f.period;

create or replace view salaries as
    select s.* exclude (base_salary, _ingest_id),
           s.base_salary_original * coalesce(fx.rate_to_reporting, ff.rate) as base_salary
    from seg_salaries s
    asof left join _fx fx on fx.currency = coalesce(s.currency, $reporting) and s.as_of >= fx.valid_from
    left join _fx_first ff on ff.currency = coalesce(s.currency, $reporting);

create or replace view salary_benchmarks as
    select * exclude (_ingest_id) from seg_salary_benchmarks;
"""

@dataclass
class Connected:
    con: duckdb.DuckDBPyConnection
    version: int
    root: Path
    materialised: set = field(default_factory=set, compare=False)
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False, compare=False)
    # where this connection's MATERIALISE tables are saved (None: a scoped connection, whose
    # tables hold only its role's rows, keeps them in memory)
    cache_dir: Path | None = None


# Analytic views the dashboard keeps as tables once one of its queries reads them: per connection,
# i.e. per store version, settings and row scope, so never stale. The same rows, computed once
# instead of in every query (at 10 million ledger lines ledger_monthly takes seconds, and
# project_health reads it). Unscoped tables are also saved as Parquet under the store's
# cache/<version>-<key>/, written by `pmo ingest` right after it publishes a version, so a new
# dashboard process reads them instead of recomputing (benchmarks/RESULTS.md).
MATERIALISE = ("projects", "status_snapshots", "tasks", "project_milestones", "ledger_monthly",
               "project_health", "salary_positions")
CACHE_KEEP = 8     # cache entries (version x settings) kept; older ones are deleted


def materialise(connected: Connected, sql_text: str) -> None:
    """Before running `sql_text` on `connected`: have each MATERIALISE view it names served from a
    table, read from the store's cache when saved there, else computed once (lazy: a page that
    never reads the view never pays)."""
    for view in MATERIALISE:
        if view in sql_text:
            _ensure(connected, view)


def _ensure(connected: Connected, view: str) -> None:
    if view in connected.materialised:
        return
    with connected.lock:
        if view in connected.materialised:
            return
        saved = connected.cache_dir / f"{view}.parquet" if connected.cache_dir else None
        if saved is None or not saved.exists():
            # computed here: the materialised views it reads are tables first
            text = load_text(VIEW_DIR / f"{view}.sql") if (VIEW_DIR / f"{view}.sql").exists() else ""
            for dep in MATERIALISE[:MATERIALISE.index(view)]:
                if dep in text:
                    _ensure(connected, dep)
        _materialise_one(connected, view, saved)
        connected.materialised.add(view)


def _materialise_one(connected: Connected, view: str, saved: Path | None) -> None:
    """Serve `view` from its saved file (`saved`), or compute it into a table and save it there."""
    with connected.con.cursor() as cur:
        if saved is None or not saved.exists():
            cur.execute(f"create table _materialised_{view} as select * from {view} order by {CACHE_ORDER[view]}")
            cur.execute(f"create or replace view {view} as select * from _materialised_{view}")
            if saved is None:
                return
            # the connection has no file access of its own: written from Python, atomically
            if not _save(cur.sql(f"select * from _materialised_{view}").to_arrow_table(), saved):
                return      # a read-only store: the table serves this connection
        # Read from the saved file, not held in memory: DuckDB reads only the columns and (sorted
        # by project) the row groups a query needs.
        cur.execute(f"create or replace view {view} as select * from read_parquet({_quote(str(saved))})")
        cur.execute(f"drop table if exists _materialised_{view}")


# How each saved table is sorted: a query for one project reads only its row groups.
CACHE_ORDER = {"projects": "project_id", "status_snapshots": "project_id, as_of", "tasks": "project_id, task_id",
               "project_milestones": "project_id, task_id", "ledger_monthly": "project_id, period",
               "project_health": "project_id, as_of", "salary_positions": "employee_id"}
CACHE_ROW_GROUP = 100_000


def _save(table, dest: Path) -> bool:
    """Write `table` to `dest` atomically; False (nothing written) where the store is read-only."""
    tmp = dest.with_name(f".{dest.stem}-{uuid.uuid4().hex}.tmp")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        # LZ4, as the segments: fast to write and to scan
        pq.write_table(table, tmp, compression="lz4", row_group_size=CACHE_ROW_GROUP)
        os.replace(tmp, dest)
        return True
    except OSError:
        tmp.unlink(missing_ok=True)
        return False


# Page queries whose result without project filters is saved with the summary tables, per
# parameters: a page's heaviest queries (budget_lines takes 0.7 s at 10 million ledger lines) then
# cost a Parquet read for every process and session after the first. `pmo ingest` saves each
# page's default (no filter, the latest status date or today, the configured fiscal year and EAC
# method); other parameters are saved the first time they are asked for. Filtered results are
# cut from these (pmo/ui/data.py, "filters: per project"). Value: the page's default parameters.
SAVED_RESULTS = {
    "budget_lines": lambda cfg, today: {
        "as_of": today, "fiscal_start_month": int(cfg["general"].get("fiscal_year_start_month", 1))},
    "portfolio_health_projects": lambda cfg, today: {
        "as_of": None, "eac_method": health.read_settings(cfg)[0]["eac_method"]},
    "portfolio_health_history": lambda cfg, today: {"as_of": None},
    "portfolio_milestones": lambda cfg, today: {"as_of": None},
}


def default_params(name: str, cfg: dict, today: date) -> dict:
    """The parameters a page opens `name` with when no filter is set."""
    return {**SAVED_RESULTS[name](cfg, today), **dict.fromkeys(sql.PROJECT_FILTERS)}


def run_query(connected: Connected, name: str, params: dict) -> pl.DataFrame:
    """Run catalog query `name` on `connected`: materialised views first, and a saved result
    (SAVED_RESULTS, no project filter) read instead of computed when there is one."""
    info = sql.info(name)
    saved = None
    if (name in SAVED_RESULTS and connected.cache_dir is not None
            and all(params.get(k) is None for k in sql.PROJECT_FILTERS)):
        saved = connected.cache_dir / "results" / f"{name}-{_params_key(params)}.parquet"
        if saved.exists():
            return pl.read_parquet(saved)
    materialise(connected, info.sql)
    df = sql.run(connected.con, name, **params)
    if saved is not None:
        _save(df.to_arrow(), saved)
    return df


def _params_key(params: dict) -> str:
    return hashlib.sha256(json.dumps(sorted(params.items()), default=str).encode()).hexdigest()[:16]


def cache_key(cfg: dict, settings_tables: dict[str, pl.DataFrame]) -> str:
    """What the materialised tables depend on besides the version: the settings (with the tables
    made from them, such as the title map and the salary aging date) and the SQL."""
    h = hashlib.sha256(json.dumps(cfg, sort_keys=True, default=str).encode())
    for name in sorted(settings_tables):
        h.update(name.encode() + settings_tables[name].write_csv().encode())
    h.update(CANONICAL_SQL.encode())
    for path in sorted(MACRO_DIR.glob("*.sql")) + sorted(VIEW_DIR.glob("*.sql")):
        h.update(path.name.encode() + load_text(path).encode())
    return h.hexdigest()[:16]


def _cache_dir(store: Store, version: int, cfg: dict, settings_tables: dict[str, pl.DataFrame]) -> Path:
    return store.path("cache", f"{version:06d}-{cache_key(cfg, settings_tables)}")


def _prune_cache(store: Store, keep: Path) -> None:
    entries = sorted((d for d in store.path("cache").glob("*") if d.is_dir() and d != keep),
                     key=lambda d: d.stat().st_mtime, reverse=True)
    for old in entries[CACHE_KEEP - 1:]:
        shutil.rmtree(old, ignore_errors=True)


def warm(store: Store, version: int | None = None) -> float:
    """Compute and save every MATERIALISE table of `version` (default: current) with the current
    settings, and the SAVED_RESULTS pages open with today (`pmo ingest` calls this after
    publishing). Returns the seconds it took."""
    t0 = time.perf_counter()
    connected = connect(store, version)
    try:
        materialise(connected, " ".join(MATERIALISE))
        cfg = config.load(store.root)
        for name in SAVED_RESULTS:
            run_query(connected, name, default_params(name, cfg, date.today()))
    finally:
        connected.con.close()
    if connected.cache_dir is not None and connected.cache_dir.exists():
        _prune_cache(store, connected.cache_dir)
    return time.perf_counter() - t0


def segment_schema(table: str) -> dict:
    return {**schema.TABLES[table], schema.INGEST_ID: pl.Int64}


def connect(store: Store, version: int | None = None, *, harden: bool = True,
            scope: Scope | None = None) -> Connected:
    """An in-memory DuckDB connection whose views read `version` (default: current) of `store`,
    limited to the rows `scope` allows (default: all rows)."""
    cfg = config.load(store.root)
    manifest = store.manifest(version)
    con = duckdb.connect(":memory:")
    sec = cfg.get("security", {})
    con.execute(f"set memory_limit = '{sec.get('memory_limit', '4GB')}'")
    con.execute(f"set threads = {int(sec.get('threads', 2))}")
    segs = store.segments(manifest)
    for table in schema.TABLES:
        files = [str(store.path(s.file)) for s in segs.get(table, [])]
        cols = segment_schema(table)
        if files:
            select = ", ".join(_cast(c, t) for c, t in cols.items())
            # Views cannot take parameters; the paths are the store's own (uuid names), quoted.
            con.execute(f"create view seg_{table} as select {select} "
                        f"from read_parquet({_list(files)}, union_by_name = true)")
        else:
            _table_from_frame(con, f"seg_{table}", pl.DataFrame(schema=cols))
    reporting = cfg["general"]["reporting_currency"]
    for stmt in CANONICAL_SQL.split(";\n"):
        if stmt.strip():
            con.execute(stmt.replace("$reporting", _quote(reporting)))
    resources.create_views(con, cfg, store.root, _table_from_frame)   # time_entries, allocations, capacity
    _register_log(con, store, manifest)
    # Health thresholds; salary benchmark settings + config/title_map.toml (docs/salaries.md).
    settings_tables = {"settings_health": health.settings_frame(cfg), **salaries.sql_tables(cfg, store.root)}
    for name, frame in settings_tables.items():
        _table_from_frame(con, name, frame)
    for path in sorted(MACRO_DIR.glob("*.sql")):   # shared table macros (e.g. filtered_projects)
        con.execute(_strip_header(load_text(path)))
    for name, text in _views_in_order():
        con.execute(f"create or replace view {name} as {text}")
    # --- row scope (docs/security.md): only the rows a role may see, for every view -----------
    restricted = scope is not None and scope.restricted
    if restricted:
        apply_scope(con, scope)
    # -------------------------------------------------------------------------------------------
    cache_dir = None if restricted else _cache_dir(store, manifest["version"], cfg, settings_tables)
    if harden:
        lock_down(con, store, files=not restricted)
    return Connected(con, manifest["version"], store.root, cache_dir=cache_dir)


def _views_in_order() -> list[tuple[str, str]]:
    """queries/views/*.sql, each after the views it reads (by name)."""
    pending = {p.stem: _strip_header(load_text(p)) for p in sorted(VIEW_DIR.glob("*.sql"))}
    ordered: list[tuple[str, str]] = []
    while pending:
        ready = [n for n, text in pending.items()
                 if not any(other != n and other in text for other in pending)]
        for n in ready or [next(iter(pending))]:     # a cycle: let DuckDB name the problem
            ordered.append((n, pending.pop(n)))
    return ordered


def _cast(col: str, dtype) -> str:
    duck = {pl.String: "varchar", pl.Float64: "double", pl.Date: "date", pl.Boolean: "boolean",
            pl.Int64: "bigint"}
    if isinstance(dtype, pl.List):
        return f'try_cast("{col}" as varchar[]) as "{col}"'
    return f'try_cast("{col}" as {duck[dtype]}) as "{col}"' if dtype in duck else f'"{col}"'


def _quote(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _table_from_frame(con: duckdb.DuckDBPyConnection, name: str, df: pl.DataFrame) -> None:
    """A real table (not a registered frame): cursors share tables, not registrations."""
    con.register("_frame", df)
    con.execute(f"create table {name} as select * from _frame")
    con.unregister("_frame")


def _list(paths: list[str]) -> str:
    return "[" + ", ".join(_quote(p) for p in paths) + "]"


def _strip_header(sql: str) -> str:
    return sql.strip().rstrip(";")


def _register_log(con: duckdb.DuckDBPyConnection, store: Store, manifest: dict) -> None:
    """`ingests`, `rejected_rows` and `versions` views from the manifest and the rejects files."""
    _table_from_frame(con, "ingests", store.ingests(manifest))
    files = [str(store.path(i["rejects_file"])) for i in manifest["ingests"] if i.get("rejects_file")]
    if files:
        con.execute(f"create view rejected_rows as select * from read_parquet({_list(files)})")
    else:
        _table_from_frame(con, "rejected_rows", pl.DataFrame(schema=schema.REJECTED_ROWS))


def lock_down(con: duckdb.DuckDBPyConnection, store: Store, *, files: bool = True) -> None:
    """No file access outside the store's segments and cache (none at all with files=False: a
    scoped connection holds its rows in memory), no extensions, settings frozen."""
    allowed = [str(store.path(d).resolve()) + "/" for d in ("segments", "rejects", "cache")] if files else []
    con.execute("set allowed_directories = $d", {"d": allowed})
    con.execute("set enable_external_access = false")
    con.execute("set autoinstall_known_extensions = false")
    con.execute("set autoload_known_extensions = false")
    con.execute("set lock_configuration = true")


# ---- row scope ---------------------------------------------------------------------------------
# Every view reads the seg_<table> layer, so the scope is applied there: the segments are read
# once into in-memory tables holding only the allowed rows, and the connection then gets no file
# access at all (user SQL cannot read the full Parquet files around the scope). The allowed values
# come from roles.toml and reach SQL as rows of the `_scope` table, never as SQL text.
SCOPED_BY_PROJECT = ("projects", "status_snapshots", "tasks", "risks", "financials")

SCOPE_SQL = """
create table _scope_projects as
    select project_id from projects p
    where (not exists (select 1 from _scope where dimension = 'portfolio')
           or p.portfolio in (select value from _scope where dimension = 'portfolio' and value is not null))
      and (not exists (select 1 from _scope where dimension = 'department')
           or p.department in (select value from _scope where dimension = 'department' and value is not null));

create table _scope_keys as
    select project_id as key from _scope_projects
    union
    select alias from _project_alias where project_id in (select project_id from _scope_projects);

create table _scope_salaries as
    select (select count(*) from _scope where dimension = 'hide_salaries') = 0
           and (not exists (select 1 from _scope where dimension = 'portfolio')
                or exists (select 1 from _scope where dimension = 'department')) as allowed
"""

SCOPE_WHERE = {
    **{t: "project_id in (select key from _scope_keys)" for t in SCOPED_BY_PROJECT},
    "salaries": "(select allowed from _scope_salaries) and (not exists (select 1 from _scope where "
                "dimension = 'department') or department in (select value from _scope where "
                "dimension = 'department' and value is not null))",
    # resources: rows of a project follow the project; a person's capacity (contract, leave, stated
    # capacity) follows the salary rule for individuals; public holidays are nobody's
    "time_entries": "project_id in (select key from _scope_keys)",
    "allocations": "project_id in (select key from _scope_keys)",
    "capacity": "kind = 'holiday' or ((select allowed from _scope_salaries) and (not exists (select 1 from _scope "
                "where dimension = 'department') or department in (select value from _scope where "
                "dimension = 'department' and value is not null)))",
}


def scope_frame(scope: Scope) -> pl.DataFrame:
    """`_scope`: one row per allowed value, and a NULL-valued row marking each limited dimension
    (so an empty list means "nothing", not "everything")."""
    rows: list[tuple[str, str | None]] = []
    for dim, values in (("portfolio", scope.portfolios), ("department", scope.departments)):
        if values is not None:
            rows += [(dim, None)] + [(dim, str(v)) for v in values]
    if scope.hide_salaries:
        rows.append(("hide_salaries", None))
    return pl.DataFrame(rows, schema={"dimension": pl.String, "value": pl.String}, orient="row")


def apply_scope(con: duckdb.DuckDBPyConnection, scope: Scope) -> None:
    _table_from_frame(con, "_scope", scope_frame(scope))
    for stmt in SCOPE_SQL.split(";\n"):
        if stmt.strip():
            con.execute(stmt)
    kinds = dict(con.execute("select table_name, table_type from information_schema.tables "
                             "where table_name like 'seg\\_%' escape '\\' or table_name = 'rejected_rows'").fetchall())
    for table in schema.TABLES:
        where = SCOPE_WHERE.get(table, "true")
        con.execute(f"create table _scoped_{table} as select * from seg_{table} where {where}")
    for table in schema.TABLES:
        kind = "view" if kinds.get(f"seg_{table}") == "VIEW" else "table"
        con.execute(f"drop {kind} seg_{table}")
        con.execute(f"alter table _scoped_{table} rename to seg_{table}")
    # rejected rows carry raw values of any project: a scoped connection has none
    con.execute(f"drop {'view' if kinds.get('rejected_rows') == 'VIEW' else 'table'} rejected_rows")
    _table_from_frame(con, "rejected_rows", pl.DataFrame(schema=schema.REJECTED_ROWS))
