"""Home: what is loaded, the headline portfolio figures, and the way to every page."""

import polars as pl
import streamlit as st

from pmo import formatting as fmt
from pmo.ui import data, nav, page, share, tables

st.set_page_config(page_title="PMO dashboard", page_icon=":material/dashboard:", layout="wide")

page.start()
settings = data.settings()
currency = settings["general"]["reporting_currency"]

st.title("PMO dashboard", anchor=False)
st.caption("Portfolio health, budget variance and PMO salary benchmarks from the exports your "
           "tools already produce: Jira, MS Project, finance ledgers, HR systems, BLS OEWS.")

head = data.query("portfolio_headline").row(0, named=True)
as_of = head["latest_as_of"]
kpis = iter([*st.columns(3), *st.columns(3)])
with next(kpis):
    st.metric("Active projects", fmt.count(head["active_projects"]), border=True,
              help=f"{head['project_count']} projects in the store; active = not closed and not finished.")
with next(kpis):
    st.metric("Total budget (BAC)", fmt.money(head["budget_total"], currency), border=True,
              help=f"Sum of project budgets in {currency}, converted through fx_rates.")
with next(kpis):
    st.metric("Actual cost to date", fmt.money(head["actual_to_date"], currency), border=True,
              help="Sum of actual ledger lines (credits and reversals included).")
with next(kpis):
    st.metric("Reported red", fmt.count(head["red_count"]), border=True,
              help="Projects whose latest status report says red.")
with next(kpis):
    st.metric("Reported amber", fmt.count(head["amber_count"]), border=True,
              help="Projects whose latest status report says amber.")
with next(kpis):
    st.metric("Reported green", fmt.count(head["green_count"]), border=True,
              help=f"{head['unreported_count']} projects have not reported a status.")
if as_of:
    st.caption(f"Latest status date: {as_of:%d %B %Y}. The Portfolio health page computes RAG "
               "from the numbers and explains every colour.")

st.subheader("Pages", anchor=False)
with st.container(horizontal=True):
    for path, label, icon, blurb in nav.available()[1:]:
        with st.container(border=True, width=250):
            st.page_link(path, label=label, icon=icon)
            st.caption(blurb)

st.subheader("What is loaded", anchor=False)
overview = data.query("store_tables_overview")
st.table(overview.select(
    pl.col("table_name").alias("Table"),
    pl.col("row_count").map_elements(fmt.count, return_dtype=pl.String).alias("Rows"),
    pl.col("sources").fill_null("—").alias("From tools"),
    pl.col("latest_as_of").dt.strftime("%d %b %Y").fill_null("—").alias("Latest as-of"),
), hide_index=True)
ingests = data.query("recent_ingests")
st.caption(f"Store version {data.version()} · {data.store().root.resolve()} · "
           f"{ingests.height} most recent ingests below (full log: `pmo history`).")
tables.show(ingests, key="ingests", labels={
    "file_name": "File", "tool": "Tool", "as_of": "As of", "rows_accepted": "Rows accepted",
    "rows_rejected": "Rows rejected", "ingested_at": "Ingested at", "user": "By"})
share.download_table(ingests, "Recent ingests")
