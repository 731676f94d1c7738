"""PMO maturity charts (pages/12_Maturity.py): a radar of levels per function (latest, previous,
target) and the trend of each function's level over assessments."""

from __future__ import annotations

import math

import altair as alt
import polars as pl

from pmo.charts import label_limit, legend

from pmo import metrics
from pmo.metrics import DATE_D3
from pmo.charts.memo import memo


def _xy(order: list[str], r: float, i: int) -> tuple[float, float]:
    a = 2 * math.pi * i / len(order)
    return r * math.sin(a), r * math.cos(a)


@memo
def radar(series: dict[str, dict[str, float]], names: dict[str, str]) -> alt.LayerChart:
    """`series`: name -> {function: level}; drawn as closed polygons on a 0-5 web (Vega-Lite has
    no polar line, so the points are placed by angle here)."""
    order = list(names)
    scale = alt.Scale(domain=[-6.8, 6.8])
    axis_x = alt.X("x:Q", scale=scale, axis=None)
    axis_y = alt.Y("y:Q", scale=scale, axis=None)
    web = pl.DataFrame([{"ring": lvl, "k": i, "x": _xy(order, lvl, i % len(order))[0], "y": _xy(order, lvl, i % len(order))[1]}
                        for lvl in range(1, 6) for i in range(len(order) + 1)])
    rings = alt.Chart(web).mark_line(color="#d0d0d0", strokeWidth=1).encode(x=axis_x, y=axis_y, order="k:Q",
                                                                             detail="ring:N")
    spokes = pl.DataFrame([{"f": f, "k": k, "x": _xy(order, r, i)[0], "y": _xy(order, r, i)[1]}
                           for i, f in enumerate(order) for k, r in enumerate((0, 5))])
    lines = alt.Chart(spokes).mark_line(color="#d0d0d0").encode(x=axis_x, y=axis_y, detail="f:N", order="k:Q")
    labels = pl.DataFrame([{"label": names[f], "x": _xy(order, 5.9, i)[0], "y": _xy(order, 5.9, i)[1]}
                           for i, f in enumerate(order)])
    text = alt.Chart(labels).mark_text(fontSize=11, color="#333").encode(x=axis_x, y=axis_y, text="label:N")
    ticks = pl.DataFrame([{"x": 0.15, "y": float(lvl), "t": str(lvl)} for lvl in range(1, 6)])
    nums = alt.Chart(ticks).mark_text(fontSize=9, color="#999", align="left").encode(x=axis_x, y=axis_y, text="t:N")
    pts = pl.DataFrame([{"series": s, "function": names[f], "k": i, "maturity_level": float(v.get(f) or 0),
                         "x": _xy(order, float(v.get(f) or 0), i % len(order))[0],
                         "y": _xy(order, float(v.get(f) or 0), i % len(order))[1]}
                        for s, v in series.items() for i, f in enumerate(order + order[:1])])
    colors = alt.Color("series:N", title=None, sort=list(series), legend=legend(orient="top"),
                       scale=alt.Scale(domain=list(series), range=["#1f77b4", "#9e9e9e", "#f0a500"][:len(series)]))
    poly = alt.Chart(pts).mark_line(point=True, strokeWidth=2).encode(
        x=axis_x, y=axis_y, order="k:Q", color=colors,
        strokeDash=alt.StrokeDash("series:N", legend=None, sort=list(series),
                                  scale=alt.Scale(domain=list(series), range=[[1, 0], [5, 3], [2, 2]][:len(series)])),
        tooltip=[alt.Tooltip("series:N", title="Series"), alt.Tooltip("function:N", title=metrics.label("function_name")),
                 alt.Tooltip("maturity_level:Q", title=metrics.label("maturity_level"))])
    return alt.layer(rings, lines, nums, text, poly, title=alt.Title(
        "Maturity level per PMO function", subtitle="0 = unknown, 1 Initial ... 5 Optimising")).properties(
        height=420, width=460)


@memo
def trend(levels: pl.DataFrame, order: list[str]) -> alt.Chart:
    """Each function's level per assessment, assessments in date order (`order`); `levels`:
    assessed_on, assessment, function_name, maturity_level, maturity_mean."""
    return alt.Chart(levels, title=alt.Title("Maturity level per function over assessments",
                                             subtitle="The staged level: every question of the function at or above it")
                     ).mark_line(point=True).encode(
        x=alt.X("assessment:N", title=metrics.label("assessment"), sort=order, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("maturity_level:Q", title=metrics.label("maturity_level"), scale=alt.Scale(domain=[0, 5]),
                axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("function_name:N", title=metrics.label("function_name"), legend=legend(orient="bottom", wide_columns=3)),
        tooltip=[alt.Tooltip("assessment:N", title=metrics.label("assessment")),
                 alt.Tooltip("assessed_on:T", title=metrics.label("assessed_on"), format=DATE_D3),
                 alt.Tooltip("function_name:N", title=metrics.label("function_name")),
                 alt.Tooltip("maturity_level:Q", title=metrics.label("maturity_level")),
                 alt.Tooltip("maturity_mean:Q", title=metrics.label("maturity_mean"), format=".2f")],
    ).properties(height=320)
