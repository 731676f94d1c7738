"""Prioritisation charts (pages/11_Prioritisation.py): cost x score bubbles, the efficient frontier
with the current portfolio and the selection marked, and the ranked bar with the budget cut-off."""

from __future__ import annotations

import altair as alt
import polars as pl

from pmo.charts import label_limit, legend

from pmo import metrics
from pmo.charts.memo import memo

DECISIONS = ["Selected", "Forced in", "Not selected", "Forced out", "Cannot be selected"]
DECISION_COLORS = ["#1f77b4", "#0b4f8a", "#b0b7c3", "#c0392b", "#7f7f7f"]


def _money_axis(currency: str) -> alt.Axis:
    return alt.Axis(format="$~s" if currency == "USD" else "~s", labelExpr="replace(datum.label, 'G', 'B')")


def _money_tip(field: str, name: str, currency: str) -> alt.Tooltip:
    return alt.Tooltip(f"{field}:Q", title=f"{metrics.label(name)} ({currency})",
                       format="$,.0f" if currency == "USD" else ",.0f")


def _decision_color() -> alt.Color:
    return alt.Color("selection:N", title=metrics.label("selection"),
                     scale=alt.Scale(domain=DECISIONS, range=DECISION_COLORS),
                     # five decisions do not fit one line of a half-width chart: the last one was cut
                     legend=legend(narrow_columns=2, wide_columns=3, orient="top"))


def _label(df: pl.DataFrame) -> pl.DataFrame:
    return df.with_columns(pl.concat_str([pl.col("project_id"), pl.col("project_name").fill_null("")], separator=" ")
                           .str.strip_chars().alias("project"))


@memo
def bubbles(table: pl.DataFrame, currency: str = "USD") -> alt.Chart:
    """Cost against weighted score per candidate; bubble size = open risk exposure, colour = in or out."""
    df = _label(table.filter(pl.col("priority_cost").is_not_null())).with_columns(
        pl.col("risk_exposure").fill_null(0).alias("risk_exposure"))
    return alt.Chart(df, title=alt.Title("Cost against weighted score",
                                         subtitle="Bubble size = open risk exposure; colour = in or out of the selection")
                     ).mark_circle(opacity=0.8, stroke="white", strokeWidth=1).encode(
        x=alt.X("priority_cost:Q", title=f"{metrics.label('priority_cost')} ({currency})", axis=_money_axis(currency)),
        y=alt.Y("priority_score:Q", title=metrics.label("priority_score"), scale=alt.Scale(domain=[0, 100])),
        size=alt.Size("risk_exposure:Q", title=metrics.label("risk_exposure"), scale=alt.Scale(range=[40, 900])),
        color=_decision_color(),
        tooltip=[alt.Tooltip("project:N", title="Project"), alt.Tooltip("selection:N", title=metrics.label("selection")),
                 alt.Tooltip("priority_score:Q", title=metrics.label("priority_score"), format=".1f"),
                 _money_tip("priority_cost", "priority_cost", currency),
                 alt.Tooltip("risk_exposure:Q", title=metrics.label("risk_exposure"), format=",.0f"),
                 alt.Tooltip("selection_reason:N", title=metrics.label("selection_reason"))],
    # the height holds the legends and axes too (Streamlit fits the whole chart in it): 440 leaves
    # the plot about 250 px under a legend of three lines
    ).properties(height=440)


@memo
def frontier(front: pl.DataFrame, points: pl.DataFrame, currency: str = "USD") -> alt.LayerChart:
    """The best total score at each budget (line), with marked points placed at their cost
    (`points`: frontier_budget = frontier_cost = the point's cost, frontier_score, what)."""
    df = front.filter(pl.col("frontier_score").is_not_null())
    x = alt.X("frontier_budget:Q", title=f"{metrics.label('frontier_budget')} ({currency})", axis=_money_axis(currency))
    y = alt.Y("frontier_score:Q", title=metrics.label("frontier_score"), axis=alt.Axis(format=",.0f"))
    line = alt.Chart(df).mark_line(point=True, color="#1f77b4", interpolate="step-after").encode(
        x=alt.X("frontier_budget:Q", title=f"{metrics.label('frontier_budget')} ({currency})", axis=_money_axis(currency)),
        y=y, tooltip=[_money_tip("frontier_budget", "frontier_budget", currency),
                      alt.Tooltip("frontier_score:Q", title=metrics.label("frontier_score"), format=",.1f"),
                      _money_tip("frontier_cost", "frontier_cost", currency),
                      alt.Tooltip("frontier_projects:Q", title=metrics.label("frontier_projects"))])
    marks = alt.Chart(points).mark_point(size=160, filled=True, shape="diamond").encode(
        x=x, y=y, color=alt.Color("what:N", title="Marked", scale=alt.Scale(range=["#c0392b", "#f0a500", "#2e8b57", "#6a3d9a"]),
                                  legend=legend(orient="top")),
        tooltip=[alt.Tooltip("what:N", title="Marked"), _money_tip("frontier_cost", "frontier_cost", currency),
                 alt.Tooltip("frontier_score:Q", title=metrics.label("frontier_score"), format=",.1f")])
    return alt.layer(line, marks, title=alt.Title(
        "Efficient frontier: the best total score at each budget",
        subtitle="A marked point below the line could score more for the same money")).properties(height=440)


@memo
def ranked(table: pl.DataFrame, budget: float, currency: str = "USD") -> alt.LayerChart:
    """Weighted score per project, highest first; the rule marks where funding in rank order runs
    out of budget (the projects after it would not fit if chosen by rank alone)."""
    df = _label(table).with_columns(pl.col("priority_cost").fill_null(0).cum_sum().alias("cumulative"))
    over = df.filter(pl.col("cumulative") > budget)
    cut = over["project"][0] if over.height else None
    order = df["project"].to_list()
    bars = alt.Chart(df).mark_bar().encode(
        x=alt.X("project:N", sort=order, title=None, axis=alt.Axis(labelAngle=-60, labelLimit=label_limit(140))),
        # whole-number ticks: scores run 0-100 (Vega's default reads "0.000000" when all are 0)
        y=alt.Y("priority_score:Q", title=metrics.label("priority_score"), axis=alt.Axis(format=",.0f")),
        color=_decision_color(),
        tooltip=[alt.Tooltip("score_rank:Q", title=metrics.label("score_rank")), alt.Tooltip("project:N", title="Project"),
                 alt.Tooltip("priority_score:Q", title=metrics.label("priority_score"), format=".1f"),
                 _money_tip("priority_cost", "priority_cost", currency),
                 alt.Tooltip("selection_reason:N", title=metrics.label("selection_reason"))])
    layers = [bars]
    if cut is not None:
        rule = pl.DataFrame({"project": [cut], "text": ["budget runs out in rank order"]})
        layers.append(alt.Chart(rule).mark_rule(color="#c0392b", strokeDash=[5, 3], strokeWidth=2).encode(
            x=alt.X("project:N", sort=order, bandPosition=0)))
        layers.append(alt.Chart(rule).mark_text(align="left", dx=4, dy=-4, color="#c0392b", baseline="bottom").encode(
            x=alt.X("project:N", sort=order, bandPosition=0), y=alt.value(12), text="text:N"))
    return alt.layer(*layers, title=alt.Title(
        "Projects ranked by weighted score, with the budget cut-off",
        subtitle="Colour = the optimal selection: it can differ from the rank order")).properties(height=500)
