"""SQL explorer: one read-only SELECT over the views, capped and timed, for analysts and admins.

Every query (run or refused) is written to the audit log with who ran it. The connection is the
session's row scope, locked down (pmo/query/connection.py): no files, no extensions, no settings changes.
"""

import time

import streamlit as st

from pmo import audit, explorer, query
from pmo.safe_sql import UnsafeSQL, run_user_sql
from pmo.ui import auth, data, page, tables

st.set_page_config(page_title="SQL explorer", page_icon=":material/terminal:", layout="wide")

page.start()
role = auth.require("run_sql")
sec = data.settings()["security"]
row_cap, timeout_s = int(sec["sql_row_cap"]), float(sec["sql_timeout_seconds"])
scope = auth.sql_scope()
rt = data.runtime(scope)
# every view served from its summary table (read from the store's cache once it is saved), so a
# query over `projects` or `project_health` costs what a page query costs
rt.ensure_summaries(tuple(query.cache.summary_views()))
con = rt.con

st.title("SQL explorer", anchor=False)
st.caption(f"One read-only `select` over the views below. Results stop at {row_cap:,} rows and a query "
           f"is stopped after {timeout_s:g} s. Files, settings, extensions and writes are refused. "
           f"Every query is recorded in the audit log under your name ({auth.current_user()}).")
if scope.restricted:
    st.info(f"Your role **{role.name}** sees {scope.describe()}: queries return only those rows.",
            icon=":material/filter_alt:")


def use_example() -> None:
    picked = st.session_state.get("sql_example")
    if picked:
        st.session_state["sql_text"] = dict(explorer.EXAMPLES)[picked]


def run(text: str) -> dict:
    started = time.perf_counter()
    try:
        df, more = run_user_sql(con, text, row_cap=row_cap, timeout_s=timeout_s)
    except UnsafeSQL as exc:
        audit.log(data.store().root, auth.current_user(), "sql_refused",
                  {"sql": text, "reason": str(exc), "scope": scope.describe()}, role=role.name)
        return {"sql": text, "error": str(exc)}
    seconds = time.perf_counter() - started
    audit.log(data.store().root, auth.current_user(), "sql",
              {"sql": text, "rows": df.height, "cut": more, "seconds": round(seconds, 3),
               "scope": scope.describe(), "version": data.version()}, role=role.name)
    return {"sql": text, "df": df, "more": more, "seconds": seconds}


left, right = st.columns([3, 2], gap="large")
with left:
    st.selectbox("Start from an example", [t for t, _ in explorer.EXAMPLES], index=None,
                 placeholder="Pick an example query…", key="sql_example", on_change=use_example)
    st.text_area("SQL", key="sql_text", height=220, placeholder="select * from projects limit 10",
                 help="One SELECT (or WITH … SELECT). Views are listed on the right.")
    if st.button("Run", type="primary", icon=":material/play_arrow:", key="sql_run"):
        text = (st.session_state.get("sql_text") or "").strip()
        if text:
            with st.spinner("Running…"):
                st.session_state["sql_result"] = run(text)
        else:
            st.session_state["sql_result"] = {"sql": "", "error": "write a query first."}

    result = st.session_state.get("sql_result")
    if result and "error" in result:
        st.error(f"Query refused: {result['error']}", icon=":material/block:")
    elif result:
        df = result["df"]
        st.caption(f"{df.height:,} rows · {len(df.columns)} columns · {result['seconds']:.2f} s · "
                   f"store version {data.version()}")
        if result["more"]:
            st.warning(f"Showing the first {row_cap:,} rows: the query returns more. Add a filter, "
                       "aggregate, or download in parts.", icon=":material/content_cut:")
        if df.is_empty():
            st.info("The query ran and returned no rows.", icon=":material/info:")
        else:
            tables.show(df, key="sql_result_table", height=420)
            st.download_button(
                "Download CSV", data=df.write_csv(), file_name="query.csv", mime="text/csv",
                icon=":material/download:", key="sql_download",
                on_click=lambda: audit.log(data.store().root, auth.current_user(), "export",
                                           {"what": "SQL explorer result", "rows": df.height,
                                            "sql": result["sql"]}, role=role.name))

with right:
    st.subheader("Views", anchor=False)
    st.caption("Canonical views (docs/data-model.md), then the analytic views built on them.")
    cat = explorer.catalog(con)
    for view in [*explorer.CANONICAL, *explorer.analytic_views()]:
        cols = cat.filter(cat["view"] == view)
        if cols.is_empty():
            continue
        with st.expander(f"`{view}` · {cols.height} columns"):
            st.table(cols.select("column", "type", "meaning"), hide_index=True)
