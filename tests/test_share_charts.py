"""share.chart: pages hand Streamlit their charts without a schema check on every run, except
under the test suite (PMO_VALIDATE_CHARTS=1, set in conftest.py), where every chart is checked."""

from __future__ import annotations

import altair as alt
import polars as pl
import pytest

from pmo.ui import share


def _invalid_chart() -> alt.Chart:
    """A chart whose width is no Vega-Lite width: only a schema check of the whole spec notices
    (set behind Altair's back, since its constructors check their own arguments)."""
    chart = alt.Chart(pl.DataFrame({"x": [1, 2]})).mark_bar().encode(x="x:Q")
    chart._kwds["width"] = "sideways"
    return chart


def test_a_page_run_skips_the_schema_check(monkeypatch):
    monkeypatch.delenv("PMO_VALIDATE_CHARTS", raising=False)
    with pytest.raises(Exception, match="sideways"):
        _invalid_chart().to_dict()
    spec = share._unvalidated(_invalid_chart()).to_dict()
    assert spec["width"] == "sideways" and spec["mark"] == {"type": "bar"}


def test_under_the_tests_every_chart_a_page_draws_is_checked(monkeypatch):
    monkeypatch.setenv("PMO_VALIDATE_CHARTS", "1")
    with pytest.raises(Exception, match="sideways"):
        share._unvalidated(_invalid_chart()).to_dict()
