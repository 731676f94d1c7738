"""The RAID page in Debian's Chromium against `pmo serve`: a Jira export with Risk / Issue /
Dependency issues and Blocks links, uploaded and published on the Data page, shows its risk in the
heat-map cell it belongs to and its cycle as a data error; the copied link reopens the same view."""

from __future__ import annotations

import pytest

from conftest import FIXTURES

pytestmark = pytest.mark.browser

JIRA_RAID = FIXTURES / "jira" / "cloud_raid_and_blocks.csv"


def open_raid(page, url: str) -> None:
    page.goto(url)
    page.get_by_text("Risks ranked by exposure").first.wait_for(timeout=120_000)


def test_a_jira_raid_export_reaches_the_raid_page_and_the_link_reopens_the_view(browser, server):
    page = browser.new_page(viewport={"width": 1440, "height": 1200})
    page.goto(f"{server['url']}/Data")
    page.get_by_text("Waiting in drop folder").first.wait_for(timeout=90_000)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(JIRA_RAID))
    publish = page.get_by_role("button", name="Publish 1 file")
    publish.wait_for(timeout=90_000)
    publish.click()
    page.get_by_text("is live").first.wait_for(timeout=90_000)

    # PAY-301 'HSM vendor slips again': Risk probability High (0.7 -> 4) x consequence Severe (5) = 20
    open_raid(page, f"{server['url']}/RAID")
    page.get_by_text("Click a cell").first.wait_for(timeout=60_000)
    # Vega's SVG marks carry their fields in aria-label
    cell = page.locator('[data-testid="stVegaLiteChart"] svg g.mark-rect '
                        'path[aria-label*="Probability (1-5): 4"][aria-label*="Impact (1-5): 5"]').first
    cell.scroll_into_view_if_needed()
    box = cell.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.get_by_text("Probability 4 × impact 5").first.wait_for(timeout=60_000)
    assert "cell=4-5" in page.url
    risk = page.locator('[data-testid="stPageLink"]', has_text="PAY-301 · HSM vendor slips again")
    risk.first.wait_for(timeout=60_000)
    # its Blocks links: CRM-91 and CRM-92 block each other, a cycle listed as a data error
    page.locator('[data-testid="stAlertContentWarning"]', has_text="CRM-91").first.wait_for(timeout=60_000)
    assert page.locator('[data-testid="stException"]').count() == 0

    page.get_by_role("button", name="Copy link").click()
    link = page.locator('[data-testid="stPopoverBody"] [data-testid="stCode"]').first.inner_text().strip()
    assert "cell=4-5" in link
    again = browser.new_page(viewport={"width": 1440, "height": 1200})
    open_raid(again, link)
    again.get_by_text("Probability 4 × impact 5").first.wait_for(timeout=60_000)
    again.locator('[data-testid="stPageLink"]', has_text="PAY-301 · HSM vendor slips again").first.wait_for(timeout=60_000)
    assert again.locator('[data-testid="stException"]').count() == 0
    again.close()
    page.keyboard.press("Escape")          # close the Copy link popover
    page.get_by_role("button", name="Clear cell").click()
    page.get_by_text("Click a cell").first.wait_for(timeout=60_000)
    page.wait_for_url(lambda u: "cell=" not in u, timeout=30_000)    # the URL follows the rerun
    page.close()
