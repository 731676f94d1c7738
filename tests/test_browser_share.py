"""Sharing in Debian's Chromium against `pmo serve`: the copy-link control gives a link that opens
the same view (same KPI values) in a fresh browser context; presentation mode hides the sidebar,
toolbar and download buttons; downloads are built on click, state the filters and are audited."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import expect
from pptx import Presentation

from pmo import audit, query
from pmo import metrics as fmt
from pmo.store import Store

pytestmark = pytest.mark.browser

EVERY = {"portfolio": None, "program": None, "department": None, "manager": None, "stage": None}
VIEWPORT = {"width": 1500, "height": 1000}


def metric(page, label: str):
    return page.locator('[data-testid="stMetric"]', has_text=label).first.locator('[data-testid="stMetricValue"]')


def kpi_texts(page) -> list[str]:
    """Every KPI tile (label, value and change) as shown."""
    return [t.strip() for t in page.locator('[data-testid="stMetric"]').all_inner_texts()]


def open_health(context, url: str):
    page = context.new_page()
    page.goto(url)
    page.get_by_text("Red and amber: which and why").first.wait_for(timeout=90_000)
    return page


def copied_link(page) -> str:
    page.get_by_role("button", name="Copy link").click()
    code = page.locator('[data-testid="stPopoverBody"] [data-testid="stCode"]').first
    code.wait_for(timeout=30_000)
    return code.inner_text().strip()


def settled(page, locator):
    """`locator` scrolled into view once the layout around it has stopped moving (charts drawn as
    they come into view move the page; a click during that lands elsewhere)."""
    locator.scroll_into_view_if_needed()
    box = None
    for _ in range(50):
        page.wait_for_timeout(300)
        if box == (box := locator.bounding_box()):
            break
    return locator


def pick(page, label: str, option: str) -> None:
    """Choose an option in a sidebar selectbox, as a person does."""
    box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]', has_text=label).first
    box.click()
    page.get_by_role("option", name=option, exact=True).click()


def test_copied_link_opens_the_same_view_in_a_fresh_browser(browser, server):
    con = query.connect(Store(server["data_dir"])).con
    params = {**EVERY, "portfolio": "Infrastructure & Cloud", "as_of": date(2026, 10, 30)}
    k = {r["period"]: r for r in query.run(con, "portfolio_health_kpis", **params).iter_rows(named=True)}["current"]

    first = browser.new_context(viewport=VIEWPORT)
    page = open_health(first, f"{server['url']}/Portfolio_Health?as_of=2026-10-30&eac=plan")
    pick(page, "Portfolio", "Infrastructure & Cloud")              # one filter set by hand
    expect(metric(page, "Active projects")).to_have_text(fmt.count(k["active_projects"]), timeout=60_000)
    expect(metric(page, "Total BAC (active projects)")).to_have_text(fmt.money(k["bac"]), timeout=60_000)
    seen = kpi_texts(page)
    link = copied_link(page)
    first.close()

    assert link.startswith(f"{server['url']}/Portfolio_Health?")
    assert dict(parse_qsl(urlsplit(link).query)) == {"portfolio": "Infrastructure & Cloud", "as_of": "2026-10-30",
                                                     "eac": "plan"}
    fresh = browser.new_context(viewport=VIEWPORT)                  # no cookies, no session
    again = open_health(fresh, link)
    expect(metric(again, "Active projects")).to_have_text(fmt.count(k["active_projects"]), timeout=60_000)
    assert kpi_texts(again) == seen
    assert metric(again, "Portfolio CPI").inner_text().strip() == fmt.ratio(k["cpi"])
    assert again.locator('[data-testid="stException"]').count() == 0
    fresh.close()


def test_a_filter_the_rerun_url_missed_still_reaches_the_link(browser, server):
    """Streamlit's frontend can send a rerun with the URL as it was before a bound widget wrote its
    new value there (seen under load). Here the address bar is held still during the pick, so the
    server gets the old URL: the link and the address bar still carry the filter the page
    applied."""
    context = browser.new_context(viewport=VIEWPORT)
    page = open_health(context, f"{server['url']}/Portfolio_Health?eac=plan")
    page.evaluate("() => { window._replace = history.replaceState; history.replaceState = () => {}; }")
    pick(page, "Portfolio", "Digital Channels")
    expect(page.get_by_text("Portfolio: Digital Channels").first).to_be_visible(timeout=60_000)
    page.evaluate("() => { history.replaceState = window._replace; }")
    link = copied_link(page)
    assert dict(parse_qsl(urlsplit(link).query)) == {"portfolio": "Digital Channels", "eac": "plan"}
    assert dict(parse_qsl(urlsplit(page.url).query)) == {"portfolio": "Digital Channels", "eac": "plan"}
    context.close()


def test_presentation_mode_hides_sidebar_toolbar_and_downloads(browser, server):
    context = browser.new_context(viewport=VIEWPORT)
    page = open_health(context, f"{server['url']}/Portfolio_Health?portfolio=Digital+Channels")
    expect(page.locator('[data-testid="stSidebar"]')).to_be_visible()
    expect(page.locator(".st-key-dl_all_projects_csv button:visible")).to_have_count(1, timeout=60_000)
    csv_buttons = page.locator("button:visible", has_text="CSV")
    assert csv_buttons.count() >= 3
    page.get_by_role("button", name="Present").click()
    exit_button = page.get_by_role("button", name="Exit presentation")
    exit_button.wait_for(timeout=60_000)
    expect(page.locator('[data-testid="stSidebar"]')).to_be_hidden()
    expect(page.locator('[data-testid="stHeader"]')).to_be_hidden()
    expect(csv_buttons).to_have_count(0)
    expect(page.get_by_role("button", name="Copy link")).to_have_count(0)
    assert "present=1" in page.url and "portfolio=Digital+Channels" in page.url
    expect(metric(page, "Active projects")).to_be_visible()
    # the main area uses the whole width of the window
    box = page.locator('[data-testid="stMainBlockContainer"]').bounding_box()
    assert box["width"] > 0.95 * VIEWPORT["width"]
    exit_button.click()
    expect(page.locator('[data-testid="stSidebar"]')).to_be_visible(timeout=60_000)
    assert "present" not in page.url
    context.close()


def test_downloads_are_built_on_click_state_the_view_and_are_audited(browser, server):
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    page = open_health(context, f"{server['url']}/Portfolio_Health?portfolio=Digital+Channels")
    with page.expect_download(timeout=60_000) as dl:
        settled(page, page.locator(".st-key-dl_all_projects_csv button:visible")).click()
    csv_text = Path(dl.value.path()).read_text(encoding="utf-8-sig")
    assert dl.value.suggested_filename == "portfolio-health_all-projects_2026-11-20.csv"
    assert "# Filters,Portfolio: Digital Channels\n" in csv_text
    assert "# As of,20 Nov 2026\n" in csv_text
    assert f"# Data version,store version {Store(server['data_dir']).current_version()}\n" in csv_text

    page.get_by_role("button", name="Meeting pack").click()
    with page.expect_download(timeout=120_000) as dl:
        page.get_by_role("button", name="PowerPoint").click()
    prs = Presentation(io.BytesIO(Path(dl.value.path()).read_bytes()))
    first_slide = {s.name: s.text_frame.text for s in prs.slides[0].shapes if s.has_text_frame}
    assert first_slide["Title"] == "Portfolio health"
    assert "Portfolio: Digital Channels" in first_slide.values()
    assert len(prs.slides) >= 10
    context.close()

    events = audit.read_events(server["data_dir"], action="export")
    assert [(e["detail"]["what"], e["detail"]["format"]) for e in events] == [("All projects", "csv"),
                                                                             ("meeting pack", "pptx")]
    assert all(e["detail"]["filters"] == "Portfolio: Digital Channels" for e in events)
