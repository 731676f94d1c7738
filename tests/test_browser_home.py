"""The home page in Debian's Chromium against `pmo serve`: Portfolio health's figures; and a new ingest
shows up on the Data page without a restart."""

from __future__ import annotations

import re

import pytest

from pmo import query
from pmo import metrics as fmt
from pmo.store import Store

from conftest import FIXTURES, run_pmo

pytestmark = pytest.mark.browser

JIRA_FILE = FIXTURES / "jira" / "cloud_all_fields.csv"


def metric_value(page, label: str) -> str:
    box = page.locator('[data-testid="stMetric"]', has_text=label).first
    return box.locator('[data-testid="stMetricValue"]').inner_text().strip()


def open_home(browser, url: str):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url)
    page.get_by_text("Active projects").first.wait_for(timeout=60_000)
    return page


def expected_kpis(data_dir) -> dict:
    con = query.connect(Store(data_dir)).con
    every = dict.fromkeys(("portfolio", "program", "department", "manager", "stage", "as_of"))
    return query.run(con, "portfolio_health_kpis", **every).row(0, named=True)


def test_home_page_shows_portfolio_health_figures(browser, server):
    k = expected_kpis(server["data_dir"])
    page = open_home(browser, server["url"])
    assert metric_value(page, "Active projects") == fmt.count(k["active_projects"])
    assert metric_value(page, "Red (computed)") == fmt.count(k["red_count"])
    assert metric_value(page, "Total BAC (active projects)") == fmt.money(k["bac"])
    assert metric_value(page, "Portfolio CPI") == fmt.ratio(k["cpi"])
    assert k["active_projects"] > 20 and k["bac"] > 1e6
    assert str(server["data_dir"]) not in page.content()       # no server path on a page
    page.close()


def _tasks_rows(page) -> int:
    text = page.locator('[data-testid="stTable"]').first.inner_text()
    m = re.search(r"^Tasks and issues\s+([\d,]+)", text, re.MULTILINE)
    assert m, text
    return int(m.group(1).replace(",", ""))


def open_loaded(browser, url: str):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url + "/Data?data_view=History")
    page.get_by_text("What is loaded").first.wait_for(timeout=60_000)
    return page


def test_ingest_while_dashboard_runs_appears_without_restart(browser, server):
    page = open_loaded(browser, server["url"])
    before = _tasks_rows(page)
    version_before = Store(server["data_dir"]).current_version()
    r = run_pmo("ingest", str(JIRA_FILE), "--as-of", "2026-11-24", data_dir=server["data_dir"])
    assert r.returncode == 0, r.stderr
    added = int(re.search(r"tasks ([\d,]+)", r.stdout).group(1).replace(",", ""))
    page.reload()
    page.get_by_text("What is loaded").first.wait_for(timeout=60_000)
    for _ in range(60):
        if Store(server["data_dir"]).current_version() == version_before + 1 and _tasks_rows(page) == before + added:
            break
        page.wait_for_timeout(500)
        page.reload()
        page.get_by_text("What is loaded").first.wait_for(timeout=60_000)
    assert _tasks_rows(page) == before + added
    assert server["proc"].poll() is None
    page.close()
