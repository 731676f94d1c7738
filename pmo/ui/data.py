"""The pages' access to the store: one query runtime per store version, settings and row scope,
shared by every session of the server process.

Every rerun reads the store's CURRENT pointer (a tiny file), so a version published by
`pmo ingest` in another process shows on the next interaction without a restart; runtimes are
keyed by the version, so no result of an older version is shown for a newer one. A version whose
files do not match their checksums is never served: `serving()` gives the newest whole version
(pmo/integrity.py) and page.start says which one is damaged. The cache
policy of each query (summary tables, saved results, per-project cuts, kept results) is the
runtime's (pmo/query/runtime.py), not this module's.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from pmo import config, integrity
from pmo.query import Runtime, connect
from pmo.auth import ALL, Scope
from pmo.store import Store, open_store
from pmo.ui import session


def store() -> Store:
    return open_store()


@st.cache_resource(max_entries=6, show_spinner=False, on_release=lambda rt: rt.close())
def _runtime(root: str, version: int, settings_stamp: tuple = (), scope: Scope = ALL) -> Runtime:
    return connect(Store(root), version, scope=scope)


def settings_stamp(root: Path) -> tuple:
    """When the settings files last changed: an edited threshold or title map takes effect on the
    next interaction, like a new store version does."""
    files = [config.DEFAULTS, root / "config.toml", config.ROOT / "config" / "title_map.toml",
             root / "title_map.toml"]
    return tuple(p.stat().st_mtime_ns if p.exists() else 0 for p in files)


def serving() -> integrity.Serving:
    """Which version this run serves: the current one when its files are whole, else the newest
    whole one before it (None when there is none). Checked once per script run and current
    version (a page asks a dozen times; each check reads the manifest and stats every file); a
    version published or rolled back during the run is checked afresh."""
    s = store()
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None:
        return integrity.serving(s)
    run, where = ctx.cursors, (str(s.root), s.current_version())   # ctx.cursors: a new dict each run
    held = getattr(ctx, "_pmo_serving", None)
    if held is not None and held[0] is run and held[1] == where:
        return held[2]
    out = integrity.serving(s)
    ctx._pmo_serving = (run, where, out)
    return out


def runtime(scope: Scope | None = None) -> Runtime:
    """The served version's runtime, limited to the session's row scope (or `scope`)."""
    s = store()
    version = serving().version
    if version is None:
        raise integrity_error()
    return _runtime(str(s.root.resolve()), version, settings_stamp(s.root),
                    session.scope() if scope is None else scope)


def integrity_error():
    from pmo.store import StoreError

    return StoreError(serving().message())



def query(name: str, **params) -> pl.DataFrame:
    """`queries/<name>.sql` with exactly its parameters, bound, on the current version within the
    session's row scope (cached by the runtime)."""
    return runtime().query(name, **params)


def version() -> int:
    """The version the pages serve (the current one unless it is damaged)."""
    return serving().version or 0


def settings() -> dict:
    return config.load(store().root)


def today() -> date:
    return date.today()
