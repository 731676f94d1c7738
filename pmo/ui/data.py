"""Cached access to the store for pages: one connection per store version, cached query results.

Every rerun reads the store's CURRENT pointer (a tiny file), so a version published by
`pmo ingest` in another process shows on the next interaction without a restart; caches are
keyed by the version, so old results are never served for a new version.
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import polars as pl
import streamlit as st

from pmo import config, db, sql
from pmo.auth import ALL, Scope
from pmo.store import Store, StoreBusy, open_store


def store() -> Store:
    return open_store()


@st.cache_resource(max_entries=6, show_spinner=False, on_release=lambda c: c.con.close())
def _connection(root: str, version: int, settings_stamp: tuple = (), scope: Scope = ALL) -> db.Connected:
    return db.connect(Store(root), version, scope=scope)


def _scope() -> Scope:
    # auth: the rows the session's role may see (roles.toml); every page's queries go through here
    from pmo.ui import auth
    return auth.current_scope()


def settings_stamp(root: Path) -> tuple:
    """When the settings files last changed: an edited threshold or title map takes effect on the
    next interaction, like a new store version does."""
    files = [config.DEFAULTS, root / "config.toml", config.ROOT / "config" / "title_map.toml",
             root / "title_map.toml"]
    return tuple(p.stat().st_mtime_ns if p.exists() else 0 for p in files)


def _key() -> tuple[str, int, tuple]:
    s = store()
    return str(s.root.resolve()), s.current_version(), settings_stamp(s.root)


def connection(scope: Scope | None = None) -> db.Connected:
    """The current version's connection, limited to the session's row scope (or `scope`)."""
    return _connection(*_key(), _scope() if scope is None else scope)


def version() -> int:
    return store().current_version()


# A resource cache, not st.cache_data: results are shared as they are instead of pickled on every
# store and unpickled on every hit (seconds for a 600,000-row frame at benchmark scale). Safe
# because Polars frames are never changed in place by the pages; an hour's TTL bounds memory.
@st.cache_resource(max_entries=256, ttl=3600, show_spinner=False)
def _query(root: str, version_: int, stamp: tuple, name: str, params: tuple, scope: Scope = ALL) -> pl.DataFrame:
    info, given = sql.info(name), dict(params)
    if info.per_project and any(given.get(k) is not None for k in sql.PROJECT_FILTERS):
        # A filter change cuts the cached unfiltered result instead of recomputing it.
        everything = _query(root, version_, stamp, name,
                            tuple(sorted({**given, **dict.fromkeys(sql.PROJECT_FILTERS)}.items())), scope)
        ids = _query(root, version_, stamp, "filtered_project_ids",
                     tuple(sorted((k, given.get(k)) for k in sql.PROJECT_FILTERS)), scope)
        return everything.filter(pl.col("project_id").is_in(ids["project_id"].implode()))
    # heavy views computed once per connection; some unfiltered results saved on disk
    return db.run_query(_connection(root, version_, stamp, scope), name, given)


def query(name: str, **params) -> pl.DataFrame:
    """Run `queries/<name>.sql` with bound parameters on the current version (cached), within the
    session's row scope."""
    return _query(*_key(), name, tuple(sorted(params.items())), _scope())


def settings() -> dict:
    return config.load(store().root)


def ensure_data() -> None:
    """Every page calls this first: draws the sidebar menu; on first start with an empty store,
    loads the sample data and says so on screen; starts the drop-folder watcher."""
    from pmo.ui import auth, inbox_watcher, nav

    st.session_state.pop("_share_view", None)   # share (pmo/ui/share.py): no view until the page draws its bar
    auth.gate()          # auth: sign-in, role, page permission; stops here if not allowed
    nav.sidebar()
    s = store()
    if s.is_empty():
        _load_sample_data(s)
        st.session_state["_demo_loaded_now"] = True
    if st.session_state.get("_demo_loaded_now"):
        st.info("The store was empty, so the sample data in `sample_data/` was loaded. "
                "Add your own exports with `pmo ingest FILE` or on the Data page.",
                icon=":material/info:")
    # After the sample data: a file dropped into an empty store must not pre-empt it.
    inbox_watcher.start()


def _load_sample_data(s: Store) -> None:
    from pmo.cli import load_demo
    from pmo.ingest import IngestFailed

    with st.spinner("First start: loading the sample data into an empty store..."):
        for _ in range(60):
            try:
                load_demo(s)
                return
            except StoreBusy:
                time.sleep(1)          # another session is loading it right now
                if not s.is_empty():
                    return
            except IngestFailed as exc:
                st.error("The sample data could not be loaded:\n\n" + "\n".join(exc.problems))
                st.stop()


def today() -> date:
    return date.today()
