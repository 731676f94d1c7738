"""The one way from a store version to a typed DataFrame.

    rt = query.connect(store)                 # the current version, every row
    rt = query.connect(store, 12, scope=s)    # version 12, only the rows scope s allows
    df = rt.query("portfolio_health_kpis", portfolio=None, ..., as_of=None)

A Runtime holds one DuckDB connection (pmo/query/connection.py) and applies each query's cache
policy (its SQL header, pmo/query/catalog.py): summary tables and saved results
(pmo/query/cache.py), per-project cuts and a bounded in-memory result cache. Query results are
shared Polars frames: callers must not change them in place (Polars frames are immutable, so a
`with_columns` gives a new frame). Pages reach this through pmo/ui/data.py, which keeps one Runtime
per version, settings and scope for every session of the process; the CLI and tests use it
directly.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Iterable
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from pmo import config
from pmo.auth import Scope
from pmo.query import cache, catalog, connection
from pmo.store import Store

RESULTS_KEPT = 256          # query results kept in memory per runtime
RESULT_TTL = 3600           # seconds a kept result may serve


class Runtime:
    """One store version's views (within a row scope) and the caches around them."""

    def __init__(self, store: Store, version: int | None = None, *, scope: Scope | None = None,
                 harden: bool = True, keep_results: int = RESULTS_KEPT, spill: bool = True,
                 memory_limit: str | None = None):
        self.store = store
        self.cfg = config.load(store.root)
        manifest = store.manifest(version)
        self.version: int = manifest.version
        self.scope = scope
        self.settings = connection.settings_tables(self.cfg, store.root)
        # spill=False for a connection that runs user SQL (pmo.sandbox): no spill files at all
        self.spill_dir: Path | None = connection.spill_dir() if spill else None
        restricted = scope is not None and scope.restricted
        # A scoped connection's tables hold only its role's rows: kept in memory, never saved.
        self.cache_dir: Path | None = (
            None if restricted else cache.entry_dir(store, self.version, cache.key(self.cfg, self.settings)))
        # summary tables saved for this version (by `pmo ingest` or an earlier connection) are
        # read from their files from the start
        saved = {} if self.cache_dir is None else {
            v: self.cache_dir / f"{v}.parquet" for v in cache.summary_views()
            if (self.cache_dir / f"{v}.parquet").exists()}
        # The views are created as queries need them (binding all of them takes about 0.4 s at
        # scale, most of a saved page's time), after the summary tables below them.
        self._views: set[str] | None = set()     # None: every view exists
        try:
            self._con: duckdb.DuckDBPyConnection = connection.build(
                store, manifest, self.cfg, self.settings, scope, spill=self.spill_dir, memory_limit=memory_limit,
                saved=saved, created=self._views)
        except BaseException:
            connection.remove_spill_dir(self.spill_dir)
            raise
        # a runtime dropped without close() (tests, `query.connect(...).con`) still removes it
        self._spill_cleanup = weakref.finalize(self, connection.remove_spill_dir, self.spill_dir)
        if harden:
            connection.lock_down(self._con, store, files=not restricted)
        self._saved = saved
        self._saved_names = set(saved)
        self._summaries: set[str] = set(saved)
        self._lock = threading.RLock()
        self._results: OrderedDict[tuple, tuple[float, pl.DataFrame]] = OrderedDict()
        self._keep = keep_results

    @property
    def root(self) -> Path:
        return self.store.root

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """The connection with every view (user SQL, checks, tests)."""
        if self._views is not None:
            with self._lock:
                if self._views is not None:
                    # summary tables first, so every other view binds against tables
                    self._ensure_summaries(tuple(cache.summary_views()))
                    connection.create_views(self._con, self._saved, created=self._views)
                    self._views = None
                    self._forget_damaged()
        return self._con

    def _need(self, names: Iterable[str]) -> None:
        """The views (and macros) `names` and what they read exist on the connection."""
        if self._views is None:
            return
        with self._lock:
            if self._views is not None:
                connection.create_views(self._con, self._saved, names=names, created=self._views)
                self._forget_damaged()

    def _forget_damaged(self) -> None:
        """A saved file found damaged while creating its view was removed from `_saved`: the table
        is computed again (and saved anew) on first use."""
        self._summaries -= self._saved_names - set(self._saved)
        self._saved_names = set(self._saved)

    def close(self) -> None:
        self._con.close()
        self._spill_cleanup()

    # --- running queries ----------------------------------------------------------------------
    def query(self, name: str, **params) -> pl.DataFrame:
        """Page query `name` with exactly its declared parameters (bound, never in the SQL text),
        through its cache policy."""
        q = catalog.info(name)
        if q.kind != "query":
            raise catalog.QueryError(f"{name} is a {q.kind} file, not a page query")
        catalog.check_params(q, params)
        k = (name, tuple(sorted((p, tuple(v) if isinstance(v, list) else v) for p, v in params.items())))
        hit = self._cached(k)
        if hit is not None:
            return hit
        df = self._compute(q, params)
        self._remember(k, df)
        return df

    def _compute(self, q: catalog.QueryInfo, params: dict) -> pl.DataFrame:
        filters = {f: params.get(f) for f in catalog.PROJECT_FILTERS if f in params}
        filtered = any(v is not None for v in filters.values())
        if q.per_project and filtered:
            # A filter change cuts the unfiltered result instead of recomputing it.
            everything = self.query(q.name, **{**params, **dict.fromkeys(filters)})
            ids = self.query("filtered_project_ids", **{f: params.get(f) for f in catalog.PROJECT_FILTERS})
            return everything.filter(pl.col("project_id").is_in(ids["project_id"].implode()))
        saved = None
        if "saved" in q.cache and self.cache_dir is not None and not filtered:
            saved = cache.saved_result_path(self.cache_dir, q.name, params)
            df = cache.read_saved(saved)
            if df is not None:
                return df
        self.ensure_summaries(q.reads)
        with self._con.cursor() as cur:
            df = cur.sql(q.sql, params=params or None).pl()
        if saved is not None:
            cache.save(df.to_arrow(), saved)
        return df

    def sql(self, text: str, params: dict | None = None) -> pl.DataFrame:
        """Internal SQL (not user SQL: that goes through pmo.safe_sql) on this runtime's views."""
        with self.con.cursor() as cur:
            return cur.sql(text, params=params or None).pl()

    # --- the result cache ---------------------------------------------------------------------
    def _cached(self, k: tuple) -> pl.DataFrame | None:
        with self._lock:
            hit = self._results.get(k)
            if hit is None:
                return None
            stamp, df = hit
            if time.monotonic() - stamp > RESULT_TTL:
                del self._results[k]
                return None
            self._results.move_to_end(k)
            return df

    def _remember(self, k: tuple, df: pl.DataFrame) -> None:
        with self._lock:
            self._results[k] = (time.monotonic(), df)
            self._results.move_to_end(k)
            while len(self._results) > self._keep:
                self._results.popitem(last=False)

    # --- summary tables -----------------------------------------------------------------------
    def ensure_summaries(self, reads: tuple[str, ...]) -> None:
        """Before a query that reads `reads`: every summary view it depends on is served from a
        table (read from the store's cache when saved there, else computed once). Lazy: a page
        that never reads a view never pays for it. The summary tables come first: a view created
        after them binds against their tables, not against the whole tree of views below them."""
        self._ensure_summaries(reads)
        self._need(reads)

    def _ensure_summaries(self, reads: tuple[str, ...]) -> None:
        for name in reads:
            try:
                q = catalog.info(name)
            except catalog.QueryError:
                continue                 # a table: seg_*, settings_*, ingests ...
            if "summary" in q.cache:
                self._ensure(q)
            elif q.kind in ("canonical", "macros", "views"):
                self._ensure_summaries(q.reads)

    def _ensure(self, q: catalog.QueryInfo) -> None:
        if q.name in self._summaries:
            return
        with self._lock:
            if q.name in self._summaries:
                return
            saved = self.cache_dir / f"{q.name}.parquet" if self.cache_dir else None
            if saved is None or not saved.exists():
                self._ensure_summaries(q.reads)     # computed here: what it reads first
            self._materialise(q.name, saved)
            self._summaries.add(q.name)
            if self._views is not None:
                self._views.add(q.name)     # served from its table or file: never created again

    def _materialise(self, view: str, saved: Path | None) -> None:
        """Serve `view` from its saved file, or compute it into a table and save it there."""
        if saved is None or not saved.exists():
            self._need((view,))
        with self._con.cursor() as cur:
            if saved is None or not saved.exists():
                order = cache.ORDER.get(view)
                cur.execute(f"create table _summary_{view} as select * from {view}"
                            + (f" order by {order}" if order else ""))
                cur.execute(f"create or replace view {view} as select * from _summary_{view}")
                if saved is None:
                    return
                # the connection has no file access of its own: written from Python, atomically
                if not cache.save(cur.sql(f"select * from _summary_{view}").to_arrow_table(), saved):
                    return      # a read-only store: the table serves this connection
            # Read from the saved file, not held in memory: DuckDB reads only the columns and
            # (sorted by project) the row groups a query needs.
            cur.execute(f"create or replace view {view} as select * from read_parquet({connection.quote(str(saved))})")
            cur.execute(f"drop table if exists _summary_{view}")

    def warm(self, today: date | None = None) -> None:
        """Every summary table, and every saved result with the parameters pages open it with."""
        self.ensure_summaries(tuple(cache.summary_views()))
        for name in catalog.catalog():
            q = catalog.info(name)
            if "saved" in q.cache:
                self.query(name, **cache.warm_params(q, self.cfg, today or date.today()))


def connect(store: Store, version: int | None = None, *, scope: Scope | None = None,
            harden: bool = True, spill: bool = True, memory_limit: str | None = None) -> Runtime:
    """The runtime of `version` (default: current) of `store`, limited to the rows `scope` allows
    (default: all rows). `spill=False`: no spill directory (a connection for user SQL)."""
    return Runtime(store, version, scope=scope, harden=harden, spill=spill, memory_limit=memory_limit)


def warm(store: Store, version: int | None = None) -> float:
    """Build and save the summary tables and default saved results of `version` (default:
    current) with the current settings (`pmo ingest` runs this after publishing). Returns the
    seconds it took."""
    t0 = time.perf_counter()
    rt = connect(store, version)
    try:
        rt.warm()
    finally:
        rt.close()
    if rt.cache_dir is not None and rt.cache_dir.exists():
        cache.prune(store, rt.cache_dir)
    return time.perf_counter() - t0
