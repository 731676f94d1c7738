"""The drop folder: files waiting in <store>/inbox, what the dashboard's watcher did with the last
ones, and those that failed with the reason."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import polars as pl
import streamlit as st

from pmo import inbox, metrics
from pmo.ingest import current_user
from pmo.store import Store
from pmo.ui import inbox_watcher, safe
from pmo.ui.data_page.upload import file_size


def _when(p: Path) -> str:
    t = inbox.moved_at(p)
    return metrics.day_time(t, seconds=True)


def drop_folder_view(store: Store) -> None:
    watcher = inbox_watcher.start()
    st.markdown("Put export files in this folder (copy, save or sync from a shared drive); each is "
                "ingested on its own, then moved to `processed/` or to `failed/` with a `.error.txt` "
                "beside it saying why.")
    st.code(str(store.inbox.resolve()), language=None)
    if watcher is not None and watcher.running:
        st.caption(f"This dashboard checks the folder every {watcher.interval:g} seconds. "
                   "On a server without the dashboard open, run `pmo watch`.")
    else:
        st.caption("This dashboard is not watching the folder ([store] inbox_interval_seconds = 0): "
                   "run `pmo watch`, or press Process now.")
    if st.button("Process now", key="data_process_now", icon=":material/play_arrow:",
                 help="Ingest the files that are ready now, without waiting for the next pass."):
        with st.spinner("Ingesting the waiting files..."):
            results = inbox.process_inbox(store, user=f"{current_user()} (drop folder)")
        st.session_state["data_inbox_results"] = [(r.status, r.line()) for r in results]
        st.rerun()
    results = st.session_state.pop("data_inbox_results", None)
    if results is not None:
        for status, line in results:
            {"processed": st.success, "busy": st.warning}.get(status, st.error)(safe.md(line))
        if not results:
            st.caption("Nothing was ready: files modified in the last few seconds, or named .part / "
                       ".tmp / .crdownload, are left for the next pass.")
    waiting = inbox.waiting(store)
    processed = inbox.recent(store, "processed")
    failed = inbox.recent(store, "failed")
    st.subheader(f"Waiting ({len(waiting):,})", anchor=False)
    if waiting:
        # st.table cells are Markdown: file names shown as written
        st.table(pl.DataFrame([{"File": safe.md(p.name), "Size": file_size(p.stat().st_size),
                                "Modified": metrics.day_time(datetime.fromtimestamp(p.stat().st_mtime), seconds=True),
                                "State": "being written" if inbox.is_partial(p.name) else "ready"}
                               for p in waiting]), hide_index=True)
    else:
        st.caption("Nothing waiting.")
    st.subheader("Failed", anchor=False)
    if not failed:
        st.caption("No failed files.")
    for i, p in enumerate(failed):
        with st.expander(f"{safe.md(inbox.original_name(p))}, refused {_when(p)}", icon=":material/error:",
                         expanded=i == 0):
            st.caption(f"Kept as {safe.md(p)}; the note beside it:")
            st.code(inbox.error_note(p) or "(no .error.txt beside this file)", language=None, wrap_lines=True)
    st.subheader("Processed", anchor=False)
    if processed:
        st.table(pl.DataFrame([{"File": safe.md(inbox.original_name(p)), "Ingested at": _when(p),
                                "Kept as": safe.md(p.name)}
                               for p in processed]), hide_index=True)
    else:
        st.caption("No processed files yet.")