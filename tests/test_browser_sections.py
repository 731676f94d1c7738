"""Sections that rerun on their own (issue 20), in Debian's Chromium against `pmo serve`.

A grouping inside one part of a page (Capacity's "Group by", Salary's "Group by", Budget
variance's waterfall "Steps by") reruns that part only: no element outside it is marked stale
while Streamlit runs, the URL and the Copy link box carry the new value, the download buttons keep
their keys, and the meeting pack holds the new chart in the old one's place. A sidebar filter, as
a control, still reruns the whole page (and the detector sees it)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pptx import Presentation
from test_browser_share import copied_link, settled

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 1440, "height": 1000}
# Every element Streamlit marks stale (data-stale="true": the script is running and the element
# has not been sent again yet), once each, with whether it is a KPI card or holds one. Once each:
# on a loaded machine the section may run twice for one click (the widget's own fragment run,
# then keep_link's rerun of the section with the link box), marking its elements twice.
WATCH_STALE = """() => {
  window.__stale = [];
  const seen = new WeakSet();
  new MutationObserver(changes => {
    for (const c of changes) {
      const el = c.target;
      if (el.getAttribute('data-stale') === 'true' && !seen.has(el)) {
        seen.add(el);
        window.__stale.push({text: (el.innerText || '').slice(0, 80),
                             kpi: !!(el.querySelector('[data-testid="stMetric"]') || el.closest('[data-testid="stMetric"]'))});
      }
    }
  }).observe(document.body, {attributes: true, subtree: true, attributeFilter: ['data-stale']});
}"""
RUNNING = '[data-testid="stStatusWidget"] [data-testid="stStatusWidgetRunningIcon"]'

# page, the widget's key (its st-key-* class), the option to pick, its URL value
SECTIONS = [
    ("Capacity", "cap_group", "Team"),
    ("Salary_Benchmarks", "salary_group_by", "Department"),
    ("Budget_Variance", "bv_waterfall", "Project"),
]


def open_page(page, url: str) -> None:
    page.goto(url)
    page.locator('[data-testid="stMetric"]').first.wait_for(timeout=120_000)
    page.wait_for_timeout(1500)
    page.wait_for_function(f"() => !document.querySelector('{RUNNING}')", timeout=120_000)


def done(page) -> None:
    """The run (whole page or one section) has finished and its output is drawn."""
    page.wait_for_timeout(400)
    page.wait_for_function(f"() => !document.querySelector('{RUNNING}')", timeout=120_000)
    page.wait_for_timeout(800)


def pick_option(page, key: str, option: str) -> None:
    button = settled(page, page.locator(f".st-key-{key} button", has_text=option).first)
    page.evaluate(WATCH_STALE)
    button.click()
    done(page)


@pytest.mark.parametrize("path,key,option", SECTIONS, ids=[s[0] for s in SECTIONS])
def test_a_grouping_reruns_its_section_only_and_the_link_follows(browser, server, path, key, option):
    page = browser.new_page(viewport=VIEWPORT)
    open_page(page, f"{server['url']}/{path}")
    kpis_before = page.locator('[data-testid="stMetric"]').all_inner_texts()

    pick_option(page, key, option)
    stale = page.evaluate("window.__stale")
    assert stale, "the section itself reran"
    assert not [s for s in stale if s["kpi"]], stale
    # the section's own elements only: its control, chart or table, their download buttons
    assert len(stale) <= 14, [s["text"] for s in stale]
    assert f"{key}={option}" in page.url
    assert f"{key}={option}" in copied_link(page)
    assert page.locator('[data-testid="stMetric"]').all_inner_texts() == kpis_before
    page.close()


def test_the_detector_sees_a_whole_page_rerun(browser, server):
    """The control for the test above: a sidebar filter reruns the page, and the stale marks
    cover elements far below the section sizes allowed there."""
    page = browser.new_page(viewport=VIEWPORT)
    open_page(page, f"{server['url']}/Budget_Variance")
    page.evaluate(WATCH_STALE)
    box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]', has_text="Portfolio").first
    box.click()
    page.get_by_role("option").nth(1).click()
    done(page)
    stale = page.evaluate("window.__stale")
    assert len(stale) > 14, [s["text"] for s in stale]
    page.close()


def _slide_titles(data: bytes) -> list[str]:
    return [s.name for s in Presentation(io.BytesIO(data)).slides]   # each slide is named by its title


def _pack(page) -> bytes:
    page.get_by_role("button", name="Meeting pack").click()
    with page.expect_download(timeout=120_000) as dl:
        page.get_by_role("button", name="PowerPoint").click()
    page.keyboard.press("Escape")
    return Path(dl.value.path()).read_bytes()


def test_the_meeting_pack_holds_the_regrouped_chart_in_its_place(browser, server):
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    page = context.new_page()
    open_page(page, f"{server['url']}/Budget_Variance")
    before = _slide_titles(_pack(page))
    by_category = "From budget to forecast at completion, by category"
    assert by_category in before

    pick_option(page, "bv_waterfall", "Project")
    # the table's download buttons keep their keys (not dl_..._2) after the section reran
    assert page.locator(".st-key-dl_budget_to_fac_steps_csv").count() == 1
    after = _slide_titles(_pack(page))
    by_project = "From budget to forecast at completion, by project"
    assert after.count(by_project) == 1 and by_category not in after
    assert after.index(by_project) == before.index(by_category)
    assert len(after) == len(before)
    context.close()
