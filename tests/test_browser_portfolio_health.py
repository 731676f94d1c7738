"""Portfolio health in Debian's Chromium against `pmo serve`: the KPIs a leader reads first are the
query's figures, a past status date from the URL, and the drill-down from a red project to its page."""

from __future__ import annotations

from datetime import date

import pytest

from pmo import query
from pmo import metrics as fmt
from pmo.store import Store

pytestmark = pytest.mark.browser

ALL = {'portfolio': None, 'program': None, 'department': None, 'manager': None, 'stage': None}


def metric_value(page, label: str) -> str:
    box = page.locator('[data-testid="stMetric"]', has_text=label).first
    return box.locator('[data-testid="stMetricValue"]').inner_text().strip()


def open_health(browser, url: str):
    page = browser.new_page(viewport={"width": 1500, "height": 1100})
    page.goto(url)
    page.get_by_text("Active projects").first.wait_for(timeout=90_000)
    page.get_by_text("Red and amber: which and why").first.wait_for(timeout=90_000)
    return page


def test_health_page_kpis_and_drill_down_to_a_project(browser, server):
    con = query.connect(Store(server["data_dir"])).con
    k = {r["period"]: r for r in query.run(con, "portfolio_health_kpis", **ALL, as_of=None).iter_rows(named=True)}
    cur = k["current"]
    page = open_health(browser, f"{server['url']}/Portfolio_Health")

    assert metric_value(page, "Active projects") == fmt.count(cur["active_projects"])
    assert metric_value(page, "Red (computed)") == fmt.count(cur["red_count"])
    assert metric_value(page, "Amber (computed)") == fmt.count(cur["amber_count"])
    assert metric_value(page, "Total BAC (active projects)") == fmt.money(cur["bac"])
    assert metric_value(page, "Portfolio CPI") == fmt.ratio(cur["cpi"])
    assert metric_value(page, "Portfolio SPI") == fmt.ratio(cur["spi"])
    assert metric_value(page, "Milestones missed (last 30 days)") == fmt.count(cur["milestones_missed_30_count"])
    assert cur["red_count"] > 0

    # the worst red project (the list is ordered as the query: red first, then by id)
    projects = query.run(con, "portfolio_health_projects", **ALL, as_of=None, eac_method=None)
    red = projects.filter(projects["is_active"] & (projects["overall_health"] == "red")).row(0, named=True)
    link = page.locator(f'[data-testid="stPageLink"] a[href="Project?project={red["project_id"]}"]').first
    link.click()
    title = f"{red['project_id']} · {red['project_name']}"
    page.get_by_role("heading", name=title).wait_for(timeout=90_000)
    assert f"project={red['project_id']}" in page.url

    facts = query.run(con, "project_facts", project_id=red["project_id"], as_of=None, eac_method=None).row(0, named=True)
    assert metric_value(page, "CPI") == fmt.text("cpi", facts["cpi"])
    assert metric_value(page, "BAC") == fmt.money(facts["bac"])
    page.get_by_text(facts["cost_reason"]).first.wait_for(timeout=30_000)
    assert page.locator('[data-testid="stException"]').count() == 0
    page.close()


def test_past_status_date_from_a_shared_link(browser, server):
    con = query.connect(Store(server["data_dir"])).con
    then = date(2026, 8, 28)
    cur = query.run(con, "portfolio_health_kpis", **ALL, as_of=then).row(0, named=True)
    page = open_health(browser, f"{server['url']}/Portfolio_Health?as_of={then.isoformat()}")
    assert metric_value(page, "Active projects") == fmt.count(cur["active_projects"])
    assert metric_value(page, "Total EV (active projects)") == fmt.money(cur["ev"])
    page.get_by_text("as of 28 Aug 2026").first.wait_for(timeout=30_000)
    assert page.locator('[data-testid="stException"]').count() == 0
    page.close()


def test_clicking_a_bubble_on_the_cpi_spi_chart_opens_the_project(browser, server):
    con = query.connect(Store(server["data_dir"])).con
    projects = query.run(con, "portfolio_health_projects", **ALL, as_of=None, eac_method=None)
    worst = projects.filter(projects["is_active"] & projects["cpi"].is_not_null()).sort("cpi").row(0, named=True)
    page = open_health(browser, f"{server['url']}/Portfolio_Health")
    # Vega's SVG marks carry their fields in aria-label; the bubble is the one with the CPI axis field
    bubble = page.locator(f'[data-testid="stVegaLiteChart"] svg g.mark-symbol '
                          f'path[aria-label*="CPI (cost performance"][aria-label*="{worst["project_id"]} "]').first
    bubble.scroll_into_view_if_needed()
    box = bubble.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.get_by_role("heading", name=f"{worst['project_id']} · {worst['project_name']}").wait_for(timeout=90_000)
    assert f"project={worst['project_id']}" in page.url
    # back on the health page the old click does not bounce to the project again: the script
    # runs past the chart (a bounce would stop it there) down to the table
    page.locator('[data-testid="stPageLink"] a[href="Portfolio_Health"]').first.click()
    page.get_by_role("heading", name="All projects").wait_for(timeout=90_000)
    assert page.locator("h1").first.inner_text().strip() == "Portfolio health"
    page.close()
