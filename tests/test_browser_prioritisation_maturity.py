"""Prioritisation and PMO maturity in Debian's Chromium against `pmo serve` on the sample store: a
scoring sheet and a maturity sheet ingested while the server runs reach the pages, and a copied
link reopens the same view (weights, budget, forced choices; the assessment)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pmo.ingest import ingest_files
from pmo.store import Store

pytestmark = pytest.mark.browser


def metric_value(page, label: str) -> str:
    box = page.locator('[data-testid="stMetric"]', has_text=label).first
    return box.locator('[data-testid="stMetricValue"]').inner_text().strip()


def copied_link(page) -> str:
    page.get_by_role("button", name="Copy link").click()
    code = page.locator('[data-testid="stPopoverBody"] [data-testid="stCode"]').first
    code.wait_for(timeout=30_000)
    return code.inner_text().strip()


def open_page(browser, url: str, ready: str):
    page = browser.new_page(viewport={"width": 1500, "height": 1100})
    page.goto(url)
    page.get_by_text(ready).first.wait_for(timeout=120_000)
    page.locator('[data-testid="stMetricValue"]').first.wait_for(timeout=120_000)
    return page


def test_a_scoring_sheet_reaches_the_page_and_a_link_reopens_the_scenario(browser, server, tmp_path):
    # A ServiceNow-style demand scoring export laid out as our scoring sheet: the new request
    # PRJ-1010 now scores top on every driver (and lowest delivery risk)
    sheet = Path(tmp_path) / "demand_scores_2026-12-01.csv"
    rows = ["Project ID,Criterion,Score,Scored by,Scored at,Note"]
    store = Store(server["data_dir"])
    from pmo import page_inputs
    current = page_inputs.current(store, "project_scores")
    for r in current.iter_rows(named=True):
        value = r["rating"]
        if r["project_id"] == "PRJ-1010":
            value = {"Delivery risk": "1", "Financial value": "10", "Urgency": "5"}.get(r["criterion"], "Extreme")
        rows.append(f"{r['project_id']},{r['criterion']},{value},demand board,2026-12-01,")
    rows.append("PRJ-1010,Delivery risk,1,demand board,2026-12-01,")
    sheet.write_text("\n".join(rows) + "\n")
    assert ingest_files(store, [sheet])[0].tool == "scoring_sheet"

    page = open_page(browser, f"{server['url']}/Prioritisation", "Every candidate: in or out, and why")
    assert metric_value(page, "Candidates not fully scored") == "1"          # only PRJ-1040 now
    table = page.locator('[data-testid="stDataFrame"]').first
    table.scroll_into_view_if_needed()
    page.get_by_text("Cost against weighted score").first.wait_for(timeout=60_000)
    # the grid's first row is rank 1: PRJ-1010 with the top score
    first_row = page.locator('[data-testid="stDataFrame"]').first.inner_text()
    assert "PRJ-1010" in first_row or page.get_by_text("PRJ-1010").count() > 0

    # a view with other weights, budget and a forced-out project, reopened from its copied link
    view = f"{server['url']}/Prioritisation?budget=50000000&w_urgency=40&w_financial_value=5&force_out=PRJ-1001"
    page.goto(view)
    page.locator('[data-testid="stMetricValue"]').first.wait_for(timeout=120_000)
    page.get_by_text("Budget (scenario)").first.wait_for(timeout=60_000)
    shown = {k: metric_value(page, k) for k in ("Budget (scenario)", "Projects selected", "Total score of the selection")}
    assert shown["Budget (scenario)"] == "$50.00M"
    link = copied_link(page)
    assert "force_out=PRJ-1001" in link and "budget=" in link
    again = open_page(browser, link, "Every candidate: in or out, and why")
    assert {k: metric_value(again, k) for k in shown} == shown
    assert again.locator('[data-testid="stException"]').count() == 0
    page.close()
    again.close()


def test_a_maturity_sheet_reaches_the_page_and_a_link_reopens_the_assessment(browser, server, tmp_path):
    sheet = Path(tmp_path) / "pmo_maturity_2026-11-27.csv"
    lines = ["Assessment,Assessment date,Question ID,Level,Evidence,Answered by"]
    lines += [f"2026 H2,2026-11-27,{q},4,board review,Margaret Ellison" for q in
              ("REP-1", "REP-2", "GOV-1", "GOV-2", "GOV-3", "PRI-1", "PRI-2", "RES-1", "RES-2", "RAID-1", "RAID-2",
               "BEN-1", "BEN-2", "PPL-1", "PPL-2")]
    sheet.write_text("\n".join(lines) + "\n")
    assert ingest_files(Store(server["data_dir"]), [sheet])[0].tool == "maturity_assessment"

    page = open_page(browser, f"{server['url']}/Maturity", "Level per function")
    assert metric_value(page, "Overall maturity") == "4.00"        # every answer 4: every function 4
    page.get_by_text("2026 H2").first.wait_for(timeout=30_000)

    page.goto(f"{server['url']}/Maturity?assessment=2025+H2")
    page.get_by_text("Level per function").first.wait_for(timeout=120_000)
    assert metric_value(page, "Overall maturity") == "1.00"
    link = copied_link(page)
    assert "assessment=2025" in link
    again = open_page(browser, link, "Level per function")
    assert metric_value(again, "Overall maturity") == "1.00"
    assert again.locator('[data-testid="stException"]').count() == 0
    page.close()
    again.close()
