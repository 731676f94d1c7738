"""Charts built once per set of figures (pmo/charts/memo.py) and converted once per chart
(share._page_spec): the same figures give the same chart, any other figure a new one, and the
page receives exactly what st.altair_chart would have sent."""

from __future__ import annotations

import json
from datetime import date

import polars as pl
from streamlit.testing.v1 import AppTest

from pmo.charts import health, memo
from pmo.ui import share

PROJECTS = pl.DataFrame({
    "project_id": ["P1", "P2", "P3"], "portfolio": ["Ops", "Ops", "Digital"],
    "overall_health": ["green", "red", "amber"], "health_rank": [1, 3, 2],
})


def test_the_same_figures_give_the_same_chart():
    memo.clear()
    first = health.rag_by_portfolio(PROJECTS)
    # an equal frame built afresh (another session's query result) finds it too
    assert health.rag_by_portfolio(PROJECTS.clone()) is first
    assert health.rag_by_portfolio(pl.DataFrame(PROJECTS.to_dicts())) is first


def test_any_other_figure_gives_a_new_chart():
    memo.clear()
    first = health.rag_by_portfolio(PROJECTS)
    one_value = PROJECTS.with_columns(pl.when(pl.col("project_id") == "P3").then(pl.lit("red"))
                                      .otherwise(pl.col("overall_health")).alias("overall_health"))
    other = health.rag_by_portfolio(one_value)
    assert other is not first
    # and it shows the new figures: Digital's one project is now red, not amber
    rows = next(iter(other.to_dict()["datasets"].values()))
    assert {(r["portfolio"], r["overall_health"]) for r in rows if r["portfolio"] == "Digital"} == {("Digital", "red")}
    # a reordered frame is other figures too (the order of bars can follow the rows)
    assert health.rag_by_portfolio(PROJECTS.reverse()) is not first


def test_arguments_other_than_frames_are_part_of_the_key():
    memo.clear()
    ms = pl.DataFrame({"project_id": ["P1"], "project_name": ["One"], "milestone": ["Go live"],
                       "milestone_status": ["late"], "committed_date": [date(2026, 11, 1)],
                       "forecast_date": [date(2026, 12, 1)], "done_date": [None], "days_late": [19]},
                      schema_overrides={"done_date": pl.Date})
    a = health.milestone_timeline(ms, date(2026, 11, 20))
    assert health.milestone_timeline(ms, date(2026, 11, 20)) is a
    assert health.milestone_timeline(ms, date(2026, 11, 21)) is not a


def test_fingerprint_tells_frames_apart_by_schema_rows_and_values():
    fp = memo.fingerprint
    df = pl.DataFrame({"a": [1, 2], "b": ["x", None]})
    assert fp(df) == fp(df.clone())
    assert fp(df) != fp(df.cast({"a": pl.Float64}))          # same values, other type
    assert fp(df) != fp(df.rename({"a": "c"}))                 # other column name
    assert fp(df) != fp(df.with_columns(pl.lit("y").alias("b")))   # a null filled in
    assert fp(df) != fp(df.head(1))
    assert fp([df, 1]) != fp([df, 2]) and fp({"k": 1}) != fp({"k": 1.5})
    assert fp(True) != fp(1)


def test_a_call_that_cannot_be_keyed_is_built_each_time():
    calls = []

    @memo.memo
    def build(x):
        calls.append(x)
        return object()

    unkeyable = object()
    assert build(unkeyable) is not build(unkeyable)
    assert len(calls) == 2
    big = pl.DataFrame({"a": range(memo.MAX_ROWS + 1)})
    assert build(big) is not build(big)
    a = build(pl.DataFrame({"a": [1]}))
    assert build(pl.DataFrame({"a": [1]})) is a and len(calls) == 5


def test_the_cache_is_bounded(monkeypatch):
    monkeypatch.setattr(memo._charts, "size", 3)
    memo.clear()

    @memo.memo
    def build(x):
        return [x]

    first = build(0)
    for i in range(1, 4):
        build(i)
    assert len(memo._charts) == 3
    assert build(0) is not first          # the oldest was let go


CHART_PAGE = """
import polars as pl, streamlit as st
from pmo.charts import health
from pmo.ui import share
df = pl.DataFrame({"project_id": ["P1", "P2"], "portfolio": ["Ops", "Ops"],
                   "overall_health": ["green", "red"], "health_rank": [1, 3]})
chart = health.rag_by_portfolio(df)
if st.session_state.get("how", "share") == "share":
    share.chart(chart, key="c")
else:
    st.altair_chart(share._unvalidated(share._as_shown(chart)), key="c")
"""


def _sent(how: str) -> tuple[dict, list[tuple[str, bytes]]]:
    at = AppTest.from_string(CHART_PAGE)
    at.session_state["how"] = how
    at.run()
    assert not at.exception
    proto = at.get("vega_lite_chart")[0].proto
    return json.loads(proto.spec), [(d.name, d.data.data) for d in proto.datasets]


def test_the_page_receives_what_st_altair_chart_sends():
    memo.clear()
    spec, datasets = _sent("share")
    assert (spec, datasets) == _sent("altair")
    assert spec["description"].startswith("Computed health by portfolio")
    # a second run converts nothing: the chart and its spec come back from the caches
    converted = []
    real = share._convert_altair
    share._convert_altair = lambda c: converted.append(c) or real(c)
    try:
        assert _sent("share") == (spec, datasets)
    finally:
        share._convert_altair = real
    assert converted == []
