"""The Governance page in Debian's Chromium against `pmo serve`: a gate log (the PMO's own
spreadsheet, not an MS Project export) ingested into the store shows its overdue gate on the page,
the KPIs are the query's figures, a copied link reopens the same view, and a finding's project
opens the project page."""

from __future__ import annotations

from playwright.sync_api import expect

import pytest

from conftest import run_pmo, serving
from pmo import governance, query
from pmo import metrics as fmt
from pmo.store import Store

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 1500, "height": 1100}
EVERY = {"portfolio": None, "program": None, "department": None, "manager": None, "stage": None}
GATE_LOG = ("Project,Gate,Stage,Planned date,Decision date,Decision,Approver,Comments\n"
            "PRJ-1006,G3a Security sign-off,Execution,2026-10-23,,,,Pen test report outstanding\n")


def metric(page, label: str):
    return page.locator('[data-testid="stMetric"]', has_text=label).first.locator('[data-testid="stMetricValue"]')


def copied_link(page) -> str:
    page.get_by_role("button", name="Copy link").click()
    code = page.locator('[data-testid="stPopoverBody"] [data-testid="stCode"]').first
    code.wait_for(timeout=30_000)
    return code.inner_text().strip()


def test_an_ingested_gate_log_shows_its_overdue_gate_and_a_link_reopens_the_view(browser, sample_store_copy, tmp_path):
    log = tmp_path / "security_gates.csv"
    log.write_text(GATE_LOG)
    out = run_pmo("ingest", str(log), "--as-of", "2026-11-20", data_dir=sample_store_copy)
    assert out.returncode == 0, out.stderr

    rt = query.connect(Store(sample_store_copy))
    rt.ensure_summaries(tuple(query.cache.summary_views()))       # as the dashboard reads them
    params = {**EVERY, "portfolio": "Digital Channels", "as_of": None}
    k = governance.kpis(rt.query("governance_project_checks", **params))
    assert k["gates_overdue"] == 2                                 # PRJ-1010's G1 and the new one

    with serving(sample_store_copy) as srv:
        first = browser.new_context(viewport=VIEWPORT)
        page = first.new_page()
        page.goto(f"{srv['url']}/Governance?portfolio=Digital+Channels&checks=gates&by=manager")
        page.get_by_text("Findings to fix").first.wait_for(timeout=120_000)
        expect(metric(page, "Gates overdue")).to_have_text("2", timeout=60_000)
        expect(metric(page, "Compliance")).to_have_text(fmt.pct(k["compliance"], 0))
        expect(metric(page, "Findings to fix")).to_have_text(fmt.count(k["findings_to_fix"]))
        page.get_by_text("G3a Security sign-off planned 23 Oct 2026, 28 days overdue").first.wait_for(timeout=60_000)
        seen = [t.strip() for t in page.locator('[data-testid="stMetric"]').all_inner_texts()]
        link = copied_link(page)
        assert "checks=gates" in link and "by=manager" in link and "portfolio=Digital" in link
        first.close()

        second = browser.new_context(viewport=VIEWPORT)
        again = second.new_page()
        again.goto(link)
        again.get_by_text("Findings to fix").first.wait_for(timeout=120_000)
        expect(metric(again, "Gates overdue")).to_have_text("2", timeout=60_000)
        assert [t.strip() for t in again.locator('[data-testid="stMetric"]').all_inner_texts()] == seen
        again.get_by_text("G3a Security sign-off planned 23 Oct 2026").first.wait_for(timeout=60_000)

        again.locator('[data-testid="stPageLink"] a[href="Project?project=PRJ-1006"]').first.click()
        again.get_by_role("heading", name="PRJ-1006 · Loyalty Programme Relaunch").wait_for(timeout=120_000)
        assert again.locator('[data-testid="stException"]').count() == 0
        second.close()
