"""The copy-link button (issue 21, point 6) in Debian's Chromium against `pmo serve`: one click
(or tap) puts the view's link on the clipboard and says "Link copied"; the link is also shown as
selectable text; where the browser refuses the clipboard the button says to select the link."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import expect

from pmo.ui.copy_link import COPIED, FAILED

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 1500, "height": 1000}
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}


def open_share(context, url: str):
    page = context.new_page()
    page.goto(url)
    page.get_by_text("Red and amber: which and why").first.wait_for(timeout=90_000)
    page.get_by_role("button", name="Copy link").click()
    body = page.locator('[data-testid="stPopoverBody"]')
    body.locator('[data-testid="stCode"]').first.wait_for(timeout=30_000)
    return page, body


def test_copy_button_puts_the_views_link_on_the_clipboard_and_says_so(browser, server):
    context = browser.new_context(viewport=VIEWPORT)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server["url"])
    page, body = open_share(context, f"{server['url']}/Portfolio_Health?portfolio=Digital+Channels&as_of=2026-10-30")
    shown = body.locator('[data-testid="stCode"]').first.inner_text().strip()
    assert dict(parse_qsl(urlsplit(shown).query)) == {"portfolio": "Digital Channels", "as_of": "2026-10-30"}

    button = body.get_by_role("button", name="Copy the link to the clipboard")
    button.click()
    expect(body.get_by_role("status")).to_have_text(COPIED, timeout=10_000)
    assert page.evaluate("navigator.clipboard.readText()") == shown
    # the link stays selectable text: a selection of the code block holds all of it
    selected = page.evaluate("""() => {
        const code = document.querySelector('[data-testid="stPopoverBody"] [data-testid="stCode"] code');
        const range = document.createRange(); range.selectNodeContents(code);
        const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
        return sel.toString().trim(); }""")
    assert selected == shown
    context.close()


def test_copy_button_works_on_a_tap(browser, server):
    context = browser.new_context(**PHONE)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server["url"])
    page, body = open_share(context, f"{server['url']}/Portfolio_Health?eac=plan")
    shown = body.locator('[data-testid="stCode"]').first.inner_text().strip()
    body.get_by_role("button", name="Copy the link to the clipboard").tap()
    expect(body.get_by_role("status")).to_have_text(COPIED, timeout=10_000)
    assert page.evaluate("navigator.clipboard.readText()") == shown
    context.close()


def test_a_refused_clipboard_says_to_select_the_link(browser, server):
    context = browser.new_context(viewport=VIEWPORT)
    # a browser that refuses both ways of copying (no permission, execCommand disabled)
    context.add_init_script("""
        Object.defineProperty(navigator, 'clipboard', {value: {writeText: () => Promise.reject(new Error('denied'))}});
        document.execCommand = () => false;""")
    page, body = open_share(context, f"{server['url']}/Portfolio_Health")
    body.get_by_role("button", name="Copy the link to the clipboard").click()
    expect(body.get_by_role("status")).to_have_text(FAILED, timeout=10_000)
    expect(body.locator('[data-testid="stCode"]').first).to_contain_text(f"{server['url']}/Portfolio_Health")
    context.close()
