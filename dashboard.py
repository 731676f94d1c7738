"""Home: the headline portfolio figures (Portfolio health's, from the same query and metrics) and the
way to every page."""

import polars as pl
import streamlit as st

from pmo import metrics as fmt
from pmo.ui import data, nav, page, share

st.set_page_config(page_title="PMO dashboard", page_icon=":material/dashboard:", layout="wide")

page.start()

st.title("PMO dashboard", anchor=False)
st.caption("Portfolio health, budget variance and PMO salary benchmarks from the exports your "
           "tools already produce: Jira, MS Project, finance ledgers, HR systems, BLS OEWS.")

# The headline figures are Portfolio health's, for all projects at the latest status date: the
# same query and the same metrics, so every label shows the same number on both pages.
NO_FILTER = {"portfolio": None, "program": None, "department": None, "manager": None, "stage": None}
kpis = data.query("portfolio_health_kpis", **NO_FILTER, as_of=None)
current = kpis.filter(pl.col("period") == "current").row(0, named=True) if kpis.height else None
previous_rows = kpis.filter(pl.col("period") == "previous")
previous = previous_rows.row(0, named=True) if previous_rows.height else None
since = f"since {previous['as_of_date']:%-d %b %Y}" if previous else None
if current:
    cards = iter([*st.columns(3), *st.columns(3)])
    for name, column in (("active_projects", "active_projects"), ("red_count", "red_count"),
                         ("amber_count", "amber_count"), ("total_bac", "bac"),
                         ("portfolio_cpi", "cpi"), ("portfolio_spi", "spi")):
        with next(cards):
            share.kpi(name, current[column], since=since,
                      **({"previous": previous[column]} if previous else {}))
    st.caption(f"All projects at the latest status date, {fmt.day(current['as_of_date'])}. Portfolio "
               "health explains every colour; Budget variance shows the ledger's view of the money.")
st.subheader("Pages", anchor=False)
with st.container(horizontal=True):
    for path, label, icon, blurb in nav.available()[1:]:
        with st.container(border=True, width=250):
            st.page_link(path, label=label, icon=icon)
            st.caption(blurb)

st.caption(f"Data version {data.version()}" + (f" · latest status date {fmt.day(current['as_of_date'])}"
                                                 if current else "")
           + " · what is loaded, and every ingest, is on the Data page.")
