"""SQL explorer: one read-only SELECT over the views, capped and timed, for analysts and admins.

Every query (run or refused) is written to the audit log with who ran it; a store whose audit log
cannot be written (read-only) runs none. Queries run in a worker process (pmo/sandbox.py) on a
locked-down connection within the session's row scope: no files, no spill directory, no
extensions, no settings changes, a memory bound and a hard timeout. Downloads are formula-safe
CSV and Excel files of the result, whatever its column types (pmo/export/tables.py).
"""

import time

import streamlit as st

from pmo import audit, explorer, export, query, sandbox
from pmo.readiness import write_state
from pmo.safe_sql import SqlLimits, UnsafeSQL
from pmo.ui import auth, data, page, safe

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
st.set_page_config(page_title="SQL explorer", page_icon=":material/terminal:", layout="wide")

page.start()
role = auth.require("run_sql")
store = data.store()
limits = SqlLimits.from_config(data.settings())
scope = auth.sql_scope()
version = data.version()
stamp = data.settings_stamp(store.root)
if version:
    sandbox.pool().prewarm(sandbox.Key(str(store.root.resolve()), version, scope, stamp), limits)
rt = data.runtime(scope)
# every view served from its summary table, so the view list below costs what a page query costs
rt.ensure_summaries(tuple(query.cache.summary_views()))

st.title("SQL explorer", anchor=False)
st.caption(f"One read-only `select` over the views below. Results stop at {limits.row_cap:,} rows and "
           f"{limits.result_mb:g} MB, and a query is stopped after {limits.timeout_s:g} s. Files, settings, "
           "extensions and writes are refused. Every query is recorded in the audit log under your name "
           f"({auth.current_user()}).")
if scope.restricted:
    st.info(f"Your role **{safe.md(role.name)}** sees {safe.md(scope.describe())}: queries return only those rows.",
            icon=":material/filter_alt:")
read_only = write_state(store)
if read_only:
    st.warning(f"The store is {read_only}, so the audit log cannot be written: queries are not run until it "
               "is writable again (every query is audited).", icon=":material/lock:")


def use_example() -> None:
    picked = st.session_state.get("sql_example")
    if picked:
        st.session_state["sql_text"] = dict(explorer.EXAMPLES)[picked]


def _audit(action: str, detail: dict) -> bool:
    try:
        audit.log(store.root, auth.current_user(), action, {**detail, "scope": scope.describe()}, role=role.name)
        return True
    except OSError:
        return False


def run(text: str) -> dict:
    if write_state(store):
        return {"sql": text, "error": "the store is read-only, so the query cannot be audited and was not run."}
    started = time.perf_counter()
    try:
        df, more = sandbox.run(store.root, version, scope, text, limits, stamp=stamp)
    except UnsafeSQL as exc:
        _audit("sql_refused", {"sql": text, "reason": str(exc)})
        return {"sql": text, "error": str(exc)}
    seconds = time.perf_counter() - started
    if not _audit("sql", {"sql": text, "rows": df.height, "cut": more, "seconds": round(seconds, 3),
                          "version": version}):
        return {"sql": text, "error": "the audit log could not be written, so the result is not shown."}
    return {"sql": text, "df": df, "more": more, "seconds": seconds}


def download(result: dict, fmt: str):
    """The result as a file (built when clicked; audited): nested values as JSON text, long text
    and binary made to fit, formula-like cells neutralised."""
    df = result["df"]

    def build() -> bytes:
        meta = export.Meta(page="SQL explorer", filters=scope.describe(), version=version,
                           user=auth.current_user(), title="query result")
        out = export.to_csv_bytes(df, meta) if fmt == "csv" else export.to_xlsx_bytes(df, meta, sheet="Query")
        if not _audit("export", {"what": "SQL explorer result", "format": fmt, "rows": df.height,
                                 "sql": result["sql"]}):
            raise RuntimeError("the audit log could not be written, so the download was refused")
        return out
    return build


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
        # the message quotes the user's SQL (names, literals): shown as written, never as Markdown
        st.error(f"Query refused: {safe.md(result['error'])}", icon=":material/block:")
    elif result:
        df = result["df"]
        st.caption(f"{df.height:,} rows · {len(df.columns)} columns · {result['seconds']:.2f} s · "
                   f"store version {version}")
        if result["more"]:
            st.warning(f"Showing the first {limits.row_cap:,} rows: the query returns more. Add a filter, "
                       "aggregate, or download in parts.", icon=":material/content_cut:")
        if df.is_empty():
            st.info("The query ran and returned no rows.", icon=":material/info:")
        else:
            # a user's columns are not metrics: shown as they are, nested values as text
            st.dataframe(export.flatten(df, max_chars=2_000), hide_index=True, key="sql_result_table",
                         height=420)
        with st.container(horizontal=True, gap="small"):
            for fmt, label, mime in (("csv", "Download CSV", "text/csv"),
                                     ("xlsx", "Download Excel", XLSX_MIME)):
                st.download_button(label, data=download(result, fmt), file_name=f"query.{fmt}", mime=mime,
                                   icon=":material/download:", key=f"sql_download_{fmt}", on_click="ignore",
                                   disabled=bool(read_only))

with right:
    st.subheader("Views", anchor=False)
    st.caption("Canonical views (docs/data-model.md), then the analytic views built on them.")
    cat = explorer.catalog(rt.con)
    for view in [*explorer.CANONICAL, *explorer.analytic_views()]:
        cols = cat.filter(cat["view"] == view)
        if cols.is_empty():
            continue
        with st.expander(f"`{view}` · {cols.height} columns"):
            st.table(cols.select("column", "type", "meaning"), hide_index=True)
