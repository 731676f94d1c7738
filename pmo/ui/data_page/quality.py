"""The data-quality tab: the store-wide checks (queries/checks/) and the rows ingests rejected or
values they cleared, with row numbers."""

from __future__ import annotations

import polars as pl
import streamlit as st

from pmo import frames
from pmo import metrics as fmt
from pmo.ingest import counts_text
from pmo.store import Store
from pmo.ui import auth, data, share
from pmo.ui.data_page.reads import ingests_table, quality_findings


def quality_view(store: Store) -> None:
    root, current = str(store.root.resolve()), store.current_version()
    scope = auth.sql_scope()          # the session's rows, and salary rows only if it may see them
    findings = quality_findings(root, current, scope)
    active = store.manifest(current).active
    rejected = data.runtime(scope).query("rejected_rows_detail", ingest_ids=list(active), limit=500)
    total = rejected["rejected_total"][0] if rejected.height else 0
    with_findings = [f for f in findings if f.rows.height]
    with st.container(horizontal=True):
        st.metric("Checks run", fmt.count(len(findings)), border=True,
                  help="Store-wide checks in queries/checks/ (the same as `pmo check`).")
        st.metric("Checks with findings", fmt.count(len(with_findings)), border=True,
                  help="Checks that found at least one item to look at.")
    st.subheader("Store-wide checks", anchor=False)
    summary = pl.DataFrame({"check": [f.title for f in findings], "found": [f.rows.height for f in findings]},
                           schema={"check": pl.String, "found": pl.Int64})
    st.table(summary.with_columns(frames.each(summary, "found", fmt.count, pl.String)).rename(
        {"check": "Check", "found": "Found"}), hide_index=True)
    for f in with_findings:
        with st.expander(f"{f.title.rstrip('.')}: {f.rows.height:,} found", icon=":material/rule:"):
            st.dataframe(f.rows.rename({"item": "Item", "detail": "Detail"}), hide_index=True,
                         key=f"data_check_{f.check}", placeholder=fmt.MISSING)
            share.download_table(f.rows, f.title.rstrip("."))
    st.subheader("Rejected rows and cleared cells", anchor=False)
    if rejected.height == 0:
        st.success("No rejected rows or cleared cells in the files in use.", icon=":material/check_circle:")
        return
    in_use = ingests_table(root, current).filter(pl.col("in_use"))
    st.caption(f"{counts_text(int(in_use['rows_rejected'].sum()), int(in_use['cells_cleared'].fill_null(0).sum()))}"
               f" in the files in use; {total:,} entries, newest ingest first"
               + (f"; the first {rejected.height:,} shown" if total > rejected.height else "") + ".")
    st.dataframe(rejected.drop("rejected_total"), hide_index=True, key="data_rejected", placeholder=fmt.MISSING, column_config={
        "ingest_id": st.column_config.NumberColumn("Ingest", format="%d"), "file_name": "File",
        "table_name": "Table", "row_number": st.column_config.NumberColumn("Row", format="%d"),
        "kind": "What happened", "column_name": "Column", "value": "Value", "reason": "Reason"})
    share.download_table(rejected.drop("rejected_total"), "Rejected rows")
