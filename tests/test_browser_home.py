"""The home page in Debian's Chromium against `pmo serve`: real figures, and a new ingest shows up."""

from __future__ import annotations

import re

import pytest

from pmo import query, formatting as fmt
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
    page.get_by_text("What is loaded").wait_for(timeout=60_000)
    return page


def expected_headline(data_dir) -> dict:
    con = query.connect(Store(data_dir)).con
    return query.run(con, "portfolio_headline").row(0, named=True)


def test_home_page_shows_real_figures(browser, server):
    head = expected_headline(server["data_dir"])
    page = open_home(browser, server["url"])
    assert metric_value(page, "Active projects") == fmt.count(head["active_projects"])
    assert metric_value(page, "Total budget (BAC)") == fmt.money(head["budget_total"])
    assert metric_value(page, "Actual cost to date") == fmt.money(head["actual_to_date"])
    assert metric_value(page, "Reported red") == fmt.count(head["red_count"])
    assert head["active_projects"] > 20 and head["budget_total"] > 1e6
    tables_text = page.locator('[data-testid="stTable"]').inner_text()
    for table in ("projects", "status_snapshots", "tasks", "financials", "salaries", "salary_benchmarks"):
        assert table in tables_text
    page.close()


def _tasks_rows(page) -> int:
    text = page.locator('[data-testid="stTable"]').inner_text()
    m = re.search(r"^tasks\s+([\d,]+)", text, re.MULTILINE)
    assert m, text
    return int(m.group(1).replace(",", ""))


def test_ingest_while_dashboard_runs_appears_without_restart(browser, server):
    page = open_home(browser, server["url"])
    before = _tasks_rows(page)
    version_before = Store(server["data_dir"]).current_version()
    r = run_pmo("ingest", str(JIRA_FILE), "--as-of", "2026-11-24", data_dir=server["data_dir"])
    assert r.returncode == 0, r.stderr
    added = int(re.search(r"tasks ([\d,]+)", r.stdout).group(1).replace(",", ""))
    page.reload()
    page.get_by_text(f"Store version {version_before + 1}").first.wait_for(timeout=60_000)
    assert _tasks_rows(page) == before + added
    assert server["proc"].poll() is None
    page.close()
