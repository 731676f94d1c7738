"""Governance charts: compliance over status dates (all checks and per check group), compliance by
the chosen roll-up (portfolio, program, manager, department), and the check grid (project x
check, passed / failed / not measurable). Pure: Polars frames from pmo.governance in, alt.Chart
out; axis titles from the metrics layer."""

from __future__ import annotations

import altair as alt
import polars as pl

from pmo.charts import label_limit, legend

from pmo import governance
from pmo import metrics as fmt
from pmo.metrics import DATE_D3, DAY_MONTH_D3
from pmo.charts.memo import memo

PROJECT_PICK = "gov_project"          # name of the click selection on the check grid
OUTCOMES = ["failed", "passed", "not measurable"]
OUTCOME_COLORS = ["#c0392b", "#2e8b57", "#d5d8dc"]
SERIES = [governance.ALL_CHECKS, *governance.GROUPS.values()]
SERIES_COLORS = ["#1f3b57", "#4a6fa5", "#8e6bb0", "#e08e2b", "#2a9d8f"]


@memo
def compliance_trend(trend: pl.DataFrame) -> alt.Chart:
    """Lines: compliance per status date, all checks and each check group (a group starts at the
    first date it is judged: task checks at the plan export's date)."""
    pct = fmt.label("compliance")
    base = alt.Chart(trend, title=alt.TitleParams(
        f"{pct} by status date", subtitle="Checks passed ÷ checks judged, all checks and per group")
    ).encode(
        x=alt.X("as_of:T", title=fmt.label("status_date"), axis=alt.Axis(format=DAY_MONTH_D3, labelAngle=-30)),
        y=alt.Y("compliance:Q", title=pct, scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
        color=alt.Color("series:N", title=None, sort=SERIES,
                        scale=alt.Scale(domain=SERIES, range=SERIES_COLORS),
                        legend=legend(2, 3, orient="bottom", labelLimit=label_limit(200))),
        tooltip=[alt.Tooltip("as_of:T", title=fmt.label("status_date"), format=DATE_D3),
                 alt.Tooltip("series:N", title=fmt.label("check_group")),
                 alt.Tooltip("compliance:Q", title=pct, format=".0%"),
                 alt.Tooltip("checks_passed:Q", title=fmt.label("checks_passed")),
                 alt.Tooltip("checks_judged:Q", title=fmt.label("checks_judged")),
                 alt.Tooltip("projects_judged:Q", title=fmt.label("projects_judged"))],
    )
    # Streamlit fits the whole chart (title, axes, legend) into the height: 460 leaves ~250 px of plot
    return base.mark_line(strokeWidth=2, point=alt.OverlayMarkDef(filled=True, size=45)).properties(height=460)


@memo
def compliance_by(groups: pl.DataFrame, by: str) -> alt.Chart:
    """Bars: compliance per value of `by`, the least compliant first, with the failed checks in
    the tooltip."""
    pct, what = fmt.label("compliance"), fmt.label(by)
    return alt.Chart(groups, title=alt.TitleParams(
        f"{pct} by {what.lower()}", subtitle="Checks passed ÷ checks judged over the projects judged")
    ).mark_bar(color="#4a6fa5").encode(
        y=alt.Y(f"{by}:N", title=None, sort=alt.EncodingSortField("compliance", order="ascending"),
                axis=alt.Axis(labelLimit=label_limit(240))),
        x=alt.X("compliance:Q", title=pct, scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
        tooltip=[alt.Tooltip(f"{by}:N", title=what),
                 alt.Tooltip("compliance:Q", title=pct, format=".0%"),
                 alt.Tooltip("projects_judged:Q", title=fmt.label("projects_judged")),
                 alt.Tooltip("projects_fully_compliant:Q", title=fmt.label("projects_fully_compliant")),
                 alt.Tooltip("checks_failed:Q", title=fmt.label("checks_failed")),
                 alt.Tooltip("checks_not_measurable:Q", title=fmt.label("checks_not_measurable"))],
    ).properties(height=alt.Step(30))


@memo
def check_grid(checks: pl.DataFrame, order: list[str] | None = None) -> alt.Chart:
    """A cell per project and check: failed (red), passed (green), not measurable (grey), with the
    value against the limit or the reason in the tooltip; click a project to open it."""
    reasons = [governance.describe(r) if r["passed"] is not None else (r["note"] or "not measurable")
               for r in checks.iter_rows(named=True)]
    df = checks.with_columns(
        pl.Series("reason", reasons, dtype=pl.String),
        pl.when(pl.col("passed").is_null()).then(pl.lit("not measurable"))
        .when(pl.col("passed")).then(pl.lit("passed")).otherwise(pl.lit("failed")).alias("outcome"),
        pl.concat_str([pl.col("project_id"), pl.col("project_name").fill_null("")], separator=" ")
        .str.strip_chars().alias("project"),
    ).select("project_id", "project", "check_name", "check_order", "outcome", "reason")
    checks_order = df.sort("check_order")["check_name"].unique(maintain_order=True).to_list()
    projects = (df.unique("project_id", maintain_order=True)
                .sort(pl.col("project_id").replace_strict({p: i for i, p in enumerate(order)}, default=len(order))
                      if order else pl.col("project_id")))["project"].to_list()
    pick = alt.selection_point(name=PROJECT_PICK, fields=["project_id"], on="click")
    return alt.Chart(df, title=alt.TitleParams(
        "Every check of every project", subtitle="Red = beyond the limit, green = within it, grey = not "
        "measurable from the export (or nothing to judge). Hover for the value; click to open the project.")
    ).mark_rect(stroke="white", strokeWidth=1).encode(
        x=alt.X("check_name:N", title=None, sort=checks_order,
                axis=alt.Axis(orient="top", labelAngle=-45, labelLimit=label_limit(220), labelOverlap=False)),
        y=alt.Y("project:N", title=None, sort=projects, axis=alt.Axis(labelLimit=label_limit(260))),
        color=alt.Color("outcome:N", title=None, scale=alt.Scale(domain=OUTCOMES, range=OUTCOME_COLORS),
                        legend=legend(orient="bottom")),
        tooltip=[alt.Tooltip("project:N", title=fmt.label("project_id")),
                 alt.Tooltip("check_name:N", title=fmt.label("check_name")),
                 alt.Tooltip("outcome:N", title=fmt.label("passed")),
                 alt.Tooltip("reason:N", title=fmt.label("finding"))],
    ).add_params(pick).properties(height=alt.Step(20))
