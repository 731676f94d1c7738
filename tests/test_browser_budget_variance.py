"""The budget variance page in Debian's Chromium against `pmo serve`: the KPI values, and drilling
in by clicking a bar (the path lands in the URL) and back out with the breadcrumb."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlparse

import polars as pl
import pytest

from pmo import budget, config, query
from pmo import metrics as fmt
from pmo.store import Store

pytestmark = pytest.mark.browser

FILTERS = {"portfolio": None, "program": None, "department": None, "manager": None, "stage": None}


def metric(page, label: str) -> tuple[str, str]:
    box = page.locator('[data-testid="stMetric"]', has_text=label).first
    value = box.locator('[data-testid="stMetricValue"]').inner_text().strip()
    delta = box.locator('[data-testid="stMetricDelta"]')
    return value, (delta.inner_text().strip() if delta.count() else "")


def expected(data_dir, portfolio: str | None = None) -> dict:
    """The KPIs computed here from the ledger: sums of the query's rows, flags from pmo.budget."""
    con = query.connect(Store(data_dir)).con
    cfg = config.load(data_dir)
    lines = query.run(con, "budget_lines", as_of=date.today(),
                    fiscal_start_month=cfg["general"]["fiscal_year_start_month"], **FILTERS)
    if portfolio is not None:
        lines = lines.filter(pl.col("portfolio") == portfolio)
    total_budget, actual, fac = lines.select(pl.col("budget").sum(), pl.col("actual").sum(),
                                             pl.col("fac").sum()).row(0)
    close = lines["close_month"][0]
    actual_lines = con.sql("select sum(amount) from financials f left join projects p using (project_id) "
                           "where kind = 'actual' and period <= $c and ($p is null or p.portfolio = $p)",
                           params={"c": close, "p": portfolio}).fetchall()[0][0]
    budget_lines = con.sql("select sum(v.budget) from budget_variance v left join projects p using (project_id) "
                           "where $p is null or p.portfolio = $p", params={"p": portfolio}).fetchall()[0][0]
    flags = budget.project_flags(budget.prepare(lines), budget.Thresholds.from_config(cfg["budget"]))
    return {"budget": total_budget, "actual": actual, "fac": fac, "actual_lines": actual_lines,
            "budget_lines": budget_lines, "red": flags.filter(pl.col("flag") == "red").height,
            "amber": flags.filter(pl.col("flag") == "amber").height}


def open_page(browser, url: str):
    page = browser.new_page(viewport={"width": 1500, "height": 1100})
    page.goto(url + "/Budget_Variance")
    page.get_by_text("FAC (ledger forecast)").first.wait_for(timeout=90_000)
    page.get_by_text("Where are we over?").first.wait_for(timeout=90_000)
    return page


def test_kpis_show_the_ledger_figures(browser, server):
    exp = expected(server["data_dir"])
    assert exp["budget"] == pytest.approx(exp["budget_lines"]) and exp["actual"] == pytest.approx(exp["actual_lines"])
    assert exp["budget"] > 1e7 and exp["fac"] > exp["actual"] > 0
    page = open_page(browser, server["url"])
    assert metric(page, "Ledger budget (whole life)")[0] == fmt.money(exp["budget"])
    assert metric(page, "Ledger actual to date")[0] == fmt.money(exp["actual"])
    assert metric(page, "FAC (ledger forecast)")[0] == fmt.money(exp["fac"])
    variance = exp["budget"] - exp["fac"]
    value, delta = metric(page, "Forecast variance (ledger)")
    assert value == fmt.money(variance)
    assert fmt.pct(variance / exp["budget"]) in delta
    assert delta.endswith("(over budget)" if variance < 0 else "(under budget)")
    assert metric(page, "Overrun flags (ledger FAC)") == (fmt.count(exp["red"] + exp["amber"]),
                                                f"{exp['red']} red · {exp['amber']} amber")
    page.close()


def test_click_a_bar_to_drill_in_and_the_breadcrumb_to_go_back(browser, server):
    page = open_page(browser, server["url"])
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    # Scroll the chart into view and let the layout settle before clicking: charts drawn as they
    # come into view move the page, and a click made during the scroll lands on another chart.
    chart.scroll_into_view_if_needed()
    box = None
    for _ in range(50):                       # at most 20 s
        page.wait_for_timeout(400)
        if box == (box := chart.bounding_box()):
            break
    chart.locator("svg g.mark-rect path").first.click()
    # The URL gets the drill path and the new grouping in separate updates: wait for both.
    page.wait_for_function("() => location.search.includes('bv_portfolio=') && location.search.includes('bv_group=')",
                           timeout=60_000)
    params = parse_qs(urlparse(page.url).query)
    portfolio = params["bv_portfolio"][0]
    assert params["bv_group"] == ["Program"]
    page.get_by_role("button", name=f"Portfolio: {portfolio}").first.wait_for(timeout=60_000)
    exp = expected(server["data_dir"], portfolio)
    page.wait_for_function(
        "v => [...document.querySelectorAll('[data-testid=stMetric]')].some(m => m.innerText.includes('Ledger budget (whole life)') "
        "&& m.innerText.includes(v))", arg=fmt.money(exp["budget"]), timeout=60_000)
    assert metric(page, "FAC (ledger forecast)")[0] == fmt.money(exp["fac"])
    page.get_by_role("button", name="All", exact=True).first.click()
    page.wait_for_function("() => !location.search.includes('bv_portfolio')", timeout=60_000)
    total = expected(server["data_dir"])
    page.wait_for_function(
        "v => [...document.querySelectorAll('[data-testid=stMetric]')].some(m => m.innerText.includes('Ledger budget (whole life)') "
        "&& m.innerText.includes(v))", arg=fmt.money(total["budget"]), timeout=60_000)
    page.close()
