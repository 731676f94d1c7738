"""The Capacity page in Debian's Chromium against `pmo serve`: a Toggl detailed report ingested
while the dashboard runs shows its hours on the page, and a copied link reopens the same view
(period, window, role)."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import run_pmo
from pmo import capacity, query
from pmo import metrics as fmt
from pmo.store import Store

pytestmark = pytest.mark.browser

ALL = {"portfolio": None, "program": None, "department": None, "manager": None, "stage": None}
WINDOW = {"period": "week", "cap_from": "2026-11-02", "cap_to": "2026-11-30"}
# A Toggl Track detailed report (its real header), by someone in no HR export: 10 hours on PRJ-1018
TOGGL = """User,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,End time,Duration,Tags
Zora Quill,zora.quill@example.com,Infrastructure,PRJ-1018 Observability Platform,Dashboards,SLO review,No,2026-11-18,09:00:00,2026-11-18,16:30:00,07:30:00,review
Zora Quill,zora.quill@example.com,Infrastructure,PRJ-1018 Observability Platform,,Alert tuning,No,2026-11-19,09:00:00,2026-11-19,11:30:00,02:30:00,
"""


def metric_value(page, label: str) -> str:
    box = page.locator('[data-testid="stMetric"]', has_text=label).first
    return box.locator('[data-testid="stMetricValue"]').inner_text().strip()


def open_capacity(page, url: str) -> None:
    page.goto(url)
    page.get_by_text("Who is over-allocated, and why").first.wait_for(timeout=120_000)
    page.locator('[data-testid="stMetric"]', has_text="Actual hours").first.wait_for(timeout=60_000)


def expected(data_dir, bucket="week", start=date(2026, 11, 2), end=date(2026, 11, 30), role=None) -> dict:
    con = query.connect(Store(data_dir)).con
    people = query.run(con, "capacity_people", bucket=bucket, start_date=start, end_date=end, **ALL)
    if role:
        people = people.filter(people["role"] == role)
    return capacity.totals(people, capacity.Settings())


def test_a_toggl_export_ingested_while_the_page_is_open_shows_its_hours(browser, server, tmp_path):
    url = f"{server['url']}/Capacity?" + "&".join(f"{k}={v}" for k, v in WINDOW.items())
    page = browser.new_page(viewport={"width": 1440, "height": 1100})
    open_capacity(page, url)
    before = expected(server["data_dir"])
    assert metric_value(page, "Actual hours") == fmt.text("actual_hours", before["actual_hours"])
    assert metric_value(page, "People without capacity") == fmt.text("unknown_capacity_people",
                                                                      before["unknown_capacity_people"])

    export = tmp_path / "Toggl_time_entries_2026-11-18_to_2026-11-19.csv"
    export.write_text(TOGGL)
    r = run_pmo("ingest", str(export), data_dir=server["data_dir"])
    assert r.returncode == 0, r.stdout + r.stderr
    after = expected(server["data_dir"])
    assert after["actual_hours"] == pytest.approx(before["actual_hours"] + 10)
    assert after["unknown_capacity_people"] == before["unknown_capacity_people"] + 1

    want = fmt.text("actual_hours", after["actual_hours"])
    for _ in range(30):
        page.reload()
        open_capacity(page, url)
        if metric_value(page, "Actual hours") == want:
            break
        page.wait_for_timeout(1000)
    assert metric_value(page, "Actual hours") == want
    assert metric_value(page, "People without capacity") == fmt.text("unknown_capacity_people",
                                                                      after["unknown_capacity_people"])
    assert page.locator('[data-testid="stException"]').count() == 0
    page.close()


def choose(page, label: str, option: str) -> None:
    page.locator('[data-testid="stSelectbox"]', has_text=label).first.click()
    page.get_by_role("option", name=option, exact=True).click()


def wait_for_param(page, text: str) -> None:
    """Streamlit writes widget values into the URL with history.replaceState: poll it."""
    for _ in range(120):
        if text in page.url:
            return
        page.wait_for_timeout(500)
    raise AssertionError(f"{text} never reached the URL: {page.url}")


def test_a_copied_link_reopens_the_same_period_window_and_role(browser, server):
    page = browser.new_page(viewport={"width": 1440, "height": 1100})
    open_capacity(page, f"{server['url']}/Capacity?cap_from=2026-11-02&cap_to=2026-12-28")
    choose(page, "Period", "Month")
    wait_for_param(page, "period=month")
    choose(page, "Role", "Scrum Master")
    wait_for_param(page, "cap_role=Scrum+Master")
    page.get_by_text("Who is over-allocated, and why").first.wait_for(timeout=60_000)
    want = expected(server["data_dir"], "month", date(2026, 11, 1), date(2026, 12, 1), role="Scrum Master")
    shown = metric_value(page, "Capacity (h)")
    for _ in range(60):
        if shown == fmt.text("capacity_hours", want["capacity_hours"]):
            break
        page.wait_for_timeout(500)
        shown = metric_value(page, "Capacity (h)")
    assert shown == fmt.text("capacity_hours", want["capacity_hours"])

    page.get_by_role("button", name="Copy link").click()
    code = page.locator('[data-testid="stPopoverBody"] [data-testid="stCode"]').first
    code.wait_for(timeout=30_000)
    link = code.inner_text().strip()
    assert "period=month" in link and "cap_from=2026-11-01" in link and "cap_role=Scrum+Master" in link

    other = browser.new_page(viewport={"width": 1440, "height": 1100})
    open_capacity(other, link)
    assert metric_value(other, "Capacity (h)") == shown
    assert metric_value(other, "Demand (forecast, h)") == fmt.text("forecast_hours", want["forecast_hours"])
    assert metric_value(other, "Unstaffed demand (h)") == fmt.text("unstaffed_hours", want["unstaffed_hours"])
    other.get_by_text("Nov 2026 – Dec 2026, per month").first.wait_for(timeout=30_000)   # the window and period
    page.close()
    other.close()
