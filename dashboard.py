"""Home: what is loaded, the headline portfolio figures, and the way to every page."""

from pathlib import Path

import polars as pl
import streamlit as st

from pmo import formatting as fmt
from pmo.ui import data, tables

st.set_page_config(page_title="PMO dashboard", page_icon=":material/dashboard:", layout="wide")

PAGES = [
    ("pages/1_Portfolio_Health.py", "Portfolio health", ":material/monitor_heart:",
     "RAG per project with the reasons, earned value, milestones and health history."),
    ("pages/2_Budget_Variance.py", "Budget variance", ":material/account_balance:",
     "Budget vs actual vs forecast by any cut, forecast at completion, overrun flags."),
    ("pages/3_Salary_Benchmarks.py", "Salary benchmarks", ":material/payments:",
     "Market bands per PMO role, own staff placed on them, compa-ratio, cost of closing gaps."),
    ("pages/4_Data.py", "Data", ":material/upload_file:",
     "Upload exports, preview, publish, history and rollback."),
    ("pages/5_SQL_Explorer.py", "SQL explorer", ":material/terminal:",
     "Read-only SQL over the canonical views."),
]

data.ensure_data()
settings = data.settings()
currency = settings["general"]["reporting_currency"]

st.title("PMO dashboard", anchor=False)
st.caption("Portfolio health, budget variance and PMO salary benchmarks from the exports your "
           "tools already produce: Jira, MS Project, finance ledgers, HR systems, BLS OEWS.")

head = data.query("portfolio_headline").row(0, named=True)
as_of = head["latest_as_of"]
with st.container(horizontal=True):
    st.metric("Active projects", fmt.count(head["active_projects"]), border=True,
              help=f"{head['project_count']} projects in the store; active = not closed and not finished.")
    st.metric("Total budget (BAC)", fmt.money(head["budget_total"], currency), border=True,
              help=f"Sum of project budgets in {currency}, converted through fx_rates.")
    st.metric("Actual cost to date", fmt.money(head["actual_to_date"], currency), border=True,
              help="Sum of actual ledger lines (credits and reversals included).")
    st.metric("Reported red", fmt.count(head["red_count"]), border=True,
              help="Projects whose latest status report says red.")
    st.metric("Reported amber", fmt.count(head["amber_count"]), border=True)
    st.metric("Reported green", fmt.count(head["green_count"]), border=True,
              help=f"{head['unreported_count']} projects have not reported a status.")
if as_of:
    st.caption(f"Latest status date: {as_of:%d %B %Y}. The Portfolio health page computes RAG "
               "from the numbers and explains every colour.")

st.subheader("Pages", anchor=False)
root = Path(__file__).parent
with st.container(horizontal=True):
    for path, label, icon, blurb in PAGES:
        if (root / path).exists():
            with st.container(border=True, width=260):
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
