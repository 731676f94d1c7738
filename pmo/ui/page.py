"""What every page runs first: `page.start()`.

Sign-in and the page check (pmo/ui/auth.py), the sidebar menu, the sample data on the very first
start of an empty store, and the drop-folder watcher. A page draws nothing before this returns.
"""

from __future__ import annotations

import time

import streamlit as st

from pmo.store import Store, StoreBusy
from pmo.ui import auth, data, inbox_watcher, nav

SHARE_VIEW_KEY = "_share_view"    # pmo/ui/share.py: the view the page's share bar describes


def start() -> None:
    """Sign in (or stop), draw the menu, load the sample data into an empty store (saying so on
    screen), start the drop-folder watcher."""
    st.session_state.pop(SHARE_VIEW_KEY, None)   # no view until the page draws its share bar
    auth.gate()          # sign-in, role, page permission; stops here if not allowed
    nav.sidebar()
    s = data.store()
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
    from pmo.demo import load_demo
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
