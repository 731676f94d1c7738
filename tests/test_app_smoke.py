"""Every page renders on the sample store without an exception (AppTest, no browser)."""

from __future__ import annotations

import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest

from pmo import query

pytestmark = pytest.mark.app

PAGES = ["dashboard.py", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py"))]


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_without_exception(app_env, page):
    at = AppTest.from_file(str(ROOT / page), default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def test_home_shows_headline_metrics(app_env, sample_con):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    every = dict.fromkeys(("portfolio", "program", "department", "manager", "stage", "as_of"))
    head = query.run(sample_con, "portfolio_health_kpis", **every).row(0, named=True)
    labels = {m.label: m.value for m in at.metric}
    assert labels["Active projects"] == f"{head['active_projects']:,}"
    assert labels["Red (computed)"] == f"{head['red_count']:,}"
    assert set(labels) >= {"Total BAC (active projects)", "Portfolio CPI", "Amber (computed)"}
