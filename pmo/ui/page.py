"""What every page runs first: `page.start()`.

Sign-in and the page check (pmo/ui/auth.py), the sidebar menu, the store's state (empty, damaged,
read-only), and the drop-folder watcher. A page draws nothing before this returns.

The store is normally prepared before the server takes traffic (pmo/readiness.py: `pmo serve`
loads the sample data into an empty store when the demo is on). A page run without that (a bare
`streamlit run dashboard.py`, AppTest) loads it here the same way. With the demo off, an empty
store is "ready, no data": the pages that show data say so and point to the Data page.
"""

from __future__ import annotations

import time

import streamlit as st

from pmo.readiness import demo_enabled, write_state
from pmo.store import Store, StoreBusy
from pmo.ui import auth, data, inbox_watcher, nav, safe
from pmo.ui.url import running_page

SHARE_VIEW_KEY = "_share_view"    # pmo/ui/share.py: the view the page's share bar describes
# Pages that work on an empty or damaged store: publishing, the audit log, user SQL over nothing.
WITHOUT_DATA = {"4_Data.py", "7_Audit.py"}


# A KPI card alone on the last line of its row would stretch across the page (a 1,000 px card
# holding "0"): no card grows past 22rem. Style only: Streamlit gives it no place on the page.
KPI_CSS = ("<style>[data-testid='stHorizontalBlock'] > [data-testid='stElementContainer']"
           ":has(> [data-testid='stMetric']) { max-width: 22rem; }</style>")


def start() -> None:
    """Sign in (or stop), draw the menu, handle an empty / damaged / read-only store (saying so
    on screen), start the drop-folder watcher."""
    st.session_state.pop(SHARE_VIEW_KEY, None)   # no view until the page draws its share bar
    st.html(KPI_CSS)
    auth.gate()          # sign-in, role, page permission; stops here if not allowed
    nav.sidebar()
    s = data.store()
    page = running_page().rsplit("/", 1)[-1]
    if s.is_empty():
        if demo_enabled(data.settings()):
            _load_sample_data(s)
            st.session_state["_demo_loaded_now"] = True
        elif page not in WITHOUT_DATA:
            no_data()
    if st.session_state.get("_demo_loaded_now"):
        st.info("The store was empty, so the sample data in `sample_data/` was loaded. "
                "Add your own exports with `pmo ingest FILE` or on the Data page.",
                icon=":material/info:")
    serving = data.serving()
    if serving.degraded:
        if serving.version is None and page not in WITHOUT_DATA:
            st.error(serving.message(), icon=":material/broken_image:")
            st.stop()
        st.warning(serving.message(), icon=":material/broken_image:")
    if write_state(s):
        st.caption(f":material/lock: The store is {write_state(s)}: everything can be viewed; publishing, "
                   "rollbacks and audited actions (SQL, downloads) are off until it is writable again.")
    # After the sample data: a file dropped into an empty store must not pre-empt it.
    inbox_watcher.start()


def no_data() -> None:
    """An empty store with the demo off: ready, with nothing to show yet."""
    st.title("No data yet", anchor=False)
    st.info("This dashboard is ready, but nothing has been published to its store yet. Analysts publish "
            "exports (Jira, MS Project, the finance ledger, HR ...) on the **Data** page or with "
            "`pmo ingest FILE`; the figures appear here as soon as the first version is published.",
            icon=":material/inventory_2:")
    if auth.can("view_data_page"):
        try:
            st.page_link("pages/4_Data.py", label="Open the Data page", icon=":material/upload_file:")
        except Exception:        # noqa: BLE001 - a page run on its own (AppTest) knows no other pages
            pass
    st.stop()


def _load_sample_data(s: Store) -> None:
    from pmo.demo import build_summaries, load_demo
    from pmo.ingest import IngestFailed

    with st.spinner("First start: loading the sample data into an empty store..."):
        for _ in range(60):
            try:
                load_demo(s)
                build_summaries(s)      # so that no first page view computes them
                return
            except StoreBusy:
                time.sleep(1)          # another session is loading it right now
                if not s.is_empty():
                    return
            except IngestFailed as exc:
                st.error("The sample data could not be loaded:\n\n" + "\n".join(exc.problems))
                st.stop()
            except OSError as exc:
                from pmo.store import write_failure

                st.error(f"The sample data could not be loaded: {safe.md(write_failure(exc, s.root) or exc)}",
                         icon=":material/lock:")
                st.stop()
