"""What AppTest page tests share: opening a page the way the menu does, and reading what it shows."""
from __future__ import annotations

import re

from conftest import ROOT
from streamlit.testing.v1 import AppTest


def open_page(page: str, *, timeout: int = 180, errors_ok: bool = False, **query) -> AppTest:
    """Run `page` (e.g. "pages/10_Capacity.py") from the entrypoint, as the sidebar menu opens it,
    with `query` as the link's query string; fail on any exception (and any st.error unless
    `errors_ok`)."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=timeout)
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    if not errors_ok:
        assert not at.error, [e.value for e in at.error]
    return at


def plain(text: str) -> str:
    """Markdown as it reads: names and values from files are escaped by the page."""
    return re.sub(r"\\(.)", r"\1", text)


def metrics(at: AppTest) -> dict[str, str]:
    """KPI label -> the value shown."""
    return {m.label: m.value for m in at.metric}
