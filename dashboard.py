"""Home: this week's brief (sentences written from the data, each linking to the page that shows
it: pmo/brief.py), the headline portfolio figures (Portfolio health's, from the same query and
metrics) and the way to every page."""

import polars as pl
import streamlit as st

from pmo import brief, budget, health, salaries
from pmo import metrics as fmt
from pmo.ui import auth, data, nav, page, share

st.set_page_config(page_title="PMO dashboard", page_icon=":material/dashboard:", layout="wide")

page.start()

st.title("PMO dashboard", anchor=False)

# The headline figures are Portfolio health's, for all projects at the latest status date: the
# same query and the same metrics, so every label shows the same number on both pages.
NO_FILTER = {"portfolio": None, "program": None, "department": None, "manager": None, "stage": None}
settings = data.settings()
currency = settings["general"]["reporting_currency"]
kpis = data.query("portfolio_health_kpis", **NO_FILTER, as_of=None)
current = kpis.filter(pl.col("period") == "current").row(0, named=True) if kpis.height else None
previous_rows = kpis.filter(pl.col("period") == "previous")
previous = previous_rows.row(0, named=True) if previous_rows.height else None
since = f"since {fmt.day(previous['as_of_date'])}" if previous else None


def brief_lines() -> list[brief.Line]:
    """This week's brief: each sentence from the query and rules of the page it links to."""
    lines: list[brief.Line] = []
    if current:
        history = data.query("portfolio_health_history", **NO_FILTER, as_of=None)
        changed = health.changes(history, current["as_of_date"], previous["as_of_date"] if previous else None)
        lines += brief.health_lines(current, previous, changed)
    if auth.may_open("pages/2_Budget_Variance.py"):
        ledger = data.query("budget_lines", as_of=data.today(), **NO_FILTER,
                            fiscal_start_month=int(settings["general"].get("fiscal_year_start_month", 1)))
        if ledger.height:
            df = budget.prepare(ledger)
            close = df["close_month"][0]
            window = budget.default_window(close, int(settings["general"].get("fiscal_year_start_month", 1)))
            total = budget.summarise(df, None, window, close).row(0, named=True)
            flags = budget.project_flags(df, budget.Thresholds.from_config(settings.get("budget")), currency)
            lines += brief.budget_line(total, flags, currency)
    if auth.may_open("pages/3_Salary_Benchmarks.py"):
        pay = salaries.settings(settings)
        staff = data.query("salary_staff", country=None, department=None, level=None)
        placed = staff.filter(pl.col("match_status") == "placed")
        if placed.height:
            overall = salaries.summarise(placed, None, pay["small_group"])
            lines += brief.pay_line(overall.row(0, named=True) if overall.height else None,
                                    pay["small_group"], currency)
    return lines


ICONS = {"bad": ":red[:material/error:]", "good": ":green[:material/check_circle:]", "info": ":blue[:material/info:]"}
lines = brief_lines()
if lines:
    st.subheader("This week", anchor=False)
    with st.container(border=True):
        for line in lines:
            st.markdown(f"{ICONS[line.tone]} {line.text} {line.link}")
elif not current:
    st.info("No project has a status yet. Load a status export (MS Project, Jira, Asana, Smartsheet, "
            "monday.com, ServiceNow ...) on the Data page to see the brief.", icon=":material/upload_file:")

if current:
    cards = iter([*share.kpi_cells(3), *share.kpi_cells(3)])
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
