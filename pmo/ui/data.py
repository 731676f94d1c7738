"""Cached access to the store for pages: one connection per store version, cached query results.

Every rerun reads the store's CURRENT pointer (a tiny file), so a version published by
`pmo ingest` in another process shows on the next interaction without a restart; caches are
keyed by the version, so old results are never served for a new version.
"""

from __future__ import annotations

import time
from datetime import date

import polars as pl
import streamlit as st

from pmo import config, db, sql
from pmo.store import Store, StoreBusy, open_store


def store() -> Store:
    return open_store()


@st.cache_resource(max_entries=3, show_spinner=False, on_release=lambda c: c.con.close())
def _connection(root: str, version: int) -> db.Connected:
    return db.connect(Store(root), version)


def connection() -> db.Connected:
    s = store()
    return _connection(str(s.root.resolve()), s.current_version())


def version() -> int:
    return store().current_version()


@st.cache_data(max_entries=512, show_spinner=False)
def _query(root: str, version_: int, name: str, params: tuple) -> pl.DataFrame:
    return sql.run(_connection(root, version_).con, name, **dict(params))


def query(name: str, **params) -> pl.DataFrame:
    """Run `queries/<name>.sql` with bound parameters on the current version (cached)."""
    s = store()
    return _query(str(s.root.resolve()), s.current_version(), name, tuple(sorted(params.items())))


def settings() -> dict:
    return config.load(store().root)


def ensure_data() -> None:
    """Every page calls this first: draws the sidebar menu; on first start with an empty store,
    loads the sample data and says so on screen; starts the drop-folder watcher."""
    from pmo.ui import inbox_watcher, nav

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
