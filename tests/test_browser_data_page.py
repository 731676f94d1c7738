"""The Data page in Debian's Chromium against `pmo serve`: a real export uploaded through the page,
published, and the home page's figures change."""

from __future__ import annotations

import re

import pytest
from conftest import FIXTURES

from pmo.ingest import analyse
from pmo.store import Store

pytestmark = pytest.mark.browser

JIRA_FILE = FIXTURES / "jira" / "cloud_all_fields.csv"    # its own Jira site: adds 7 tasks


def metric_value(page, label: str) -> str:
    box = page.locator('[data-testid="stMetric"]', has_text=label).first
    return box.locator('[data-testid="stMetricValue"]').inner_text().strip()


def tasks_rows(page) -> int:
    text = page.locator('[data-testid="stTable"]').first.inner_text()
    m = re.search(r"^tasks\s+([\d,]+)", text, re.MULTILINE)
    assert m, text
    return int(m.group(1).replace(",", ""))


def open_home(page, url: str) -> None:
    page.goto(url)
    page.get_by_text("Pages", exact=True).first.wait_for(timeout=60_000)


def stored_tasks(store: Store) -> int:
    """Task rows of the served version (what is loaded moved from Home to the Data page)."""
    from pmo import query

    return query.connect(store).sql("select count(*) as n from tasks")["n"][0]


def test_upload_publish_and_the_figures_change(browser, server):
    store = Store(server["data_dir"])
    v0 = store.current_version()
    added = analyse(JIRA_FILE, store_root=store.root).tables["tasks"]
    assert added == 7
    page = browser.new_page(viewport={"width": 1400, "height": 1400})
    open_home(page, server["url"])
    before = stored_tasks(store)

    page.goto(f"{server['url']}/Data")
    page.get_by_text("Waiting in drop folder").first.wait_for(timeout=60_000)
    assert metric_value(page, "Store version") == str(v0)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(JIRA_FILE))
    publish = page.get_by_role("button", name="Publish 1 file")
    publish.wait_for(timeout=60_000)
    # The preview before anything is stored.
    assert metric_value(page, "Rows for tasks") == "7"
    assert metric_value(page, "Rows rejected in file") == "1"
    page.get_by_text("Jira issue CSV").first.wait_for()
    assert store.current_version() == v0

    publish.click()
    page.get_by_text(f"Version {v0 + 1} is live").wait_for(timeout=60_000)
    assert store.current_version() == v0 + 1
    assert metric_value(page, "Store version") == str(v0 + 1)

    page.get_by_text("Open the home page to see the new figures").click()
    page.get_by_text(f"Data version {v0 + 1}").first.wait_for(timeout=60_000)
    assert stored_tasks(Store(server["data_dir"])) == before + added
    assert server["proc"].poll() is None
    page.close()
