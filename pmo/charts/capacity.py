"""Capacity charts: demand stacked by project against the capacity line, planned / actual /
forecast hours per period, the person x period utilisation heat map, role deficit per quarter and
planned against actual hours per project. Pure: frames from pmo.capacity in, alt.Chart out."""

from __future__ import annotations

from datetime import date

import altair as alt
import polars as pl

from pmo.charts import label_limit, legend

from pmo import capacity
from pmo import metrics as fmt
from pmo.metrics import DATE_D3, DAY_MONTH_D3
from pmo.charts.memo import memo

CAPACITY_COLOR = "#1f1f1f"
PLANNED, ACTUAL = "#9bb7d4", "#1f4e79"
SHORT, SPARE = "#c0392b", "#2e8b57"


def _sized(chart, height: int):
    return chart.properties(height=height, autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))


def _hours_tip(field: str, title: str | None = None) -> alt.Tooltip:
    return alt.Tooltip(f"{field}:Q", title=title or fmt.label(field), format=",.1f")


def _period_axis(bucket: str) -> alt.Axis:
    return alt.Axis(title=capacity.BUCKETS[bucket], format="%b %Y" if bucket == "month" else DAY_MONTH_D3,
                    labelAngle=0, labelOverlap=True)


@memo
def demand_vs_capacity(stacked: pl.DataFrame, line: pl.DataFrame, bucket: str, who: str,
                       actuals_through: date | None) -> alt.LayerChart:
    """Forecast demand per period stacked by project, the capacity as a line; a rule at the last
    logged day (actual hours before it, planned after)."""
    x = alt.X("bucket_start:T", axis=_period_axis(bucket))
    n = max(1, line.height)
    names = sorted(set(stacked["project_label"].to_list()) - {capacity.OTHER_PROJECTS})
    domain = names + ([capacity.OTHER_PROJECTS] if capacity.OTHER_PROJECTS in stacked["project_label"] else [])
    palette = ["#4c78a8", "#f58518", "#54a24b", "#b279a2", "#e45756", "#72b7b2", "#eeca3b", "#9d755d",
               "#ff9da6", "#79706e"][:len(names)] + ["#d0d0d0"]
    stacked = stacked.with_columns(order=pl.col("project_label").replace_strict(
        {p: i for i, p in enumerate(domain)}, default=len(domain), return_dtype=pl.Int64))
    bars = alt.Chart(stacked.to_pandas()).mark_bar(opacity=0.95, size=max(3, min(40, int(700 / n)))).encode(
        x=x,
        y=alt.Y("forecast_hours:Q", title=fmt.label("forecast_hours"), stack="zero"),
        color=alt.Color("project_label:N", title=fmt.label("project_id"),
                        scale=alt.Scale(domain=domain, range=palette[:len(domain)]),
                        legend=legend(orient="bottom", wide_columns=2, labelLimit=label_limit(320))),
        order=alt.Order("order:Q", sort="descending"),
        tooltip=[alt.Tooltip("bucket_start:T", title=capacity.BUCKETS[bucket], format=DATE_D3),
                 alt.Tooltip("project_label:N", title=fmt.label("project_id")), _hours_tip("forecast_hours")])
    cap = alt.Chart(line.to_pandas()).mark_line(color=CAPACITY_COLOR, strokeWidth=2.5, interpolate="step-after",
                                                point=alt.OverlayMarkDef(color=CAPACITY_COLOR, size=25)).encode(
        x=x, y=alt.Y("capacity_hours:Q"),
        tooltip=[alt.Tooltip("bucket_start:T", title=capacity.BUCKETS[bucket], format=DATE_D3),
                 _hours_tip("capacity_hours"), _hours_tip("forecast_hours"),
                 alt.Tooltip("utilisation:Q", title=fmt.label("utilisation"), format=".0%")])
    layers = [bars, cap]
    if actuals_through is not None and not line.is_empty() \
            and line["bucket_start"].min() <= actuals_through <= line["bucket_start"].max() + _span(bucket):
        rule = alt.Chart(pl.DataFrame({"day": [actuals_through]}).to_pandas()).mark_rule(
            strokeDash=[4, 4], color="#666").encode(x="day:T", tooltip=[alt.Tooltip(
                "day:T", title=fmt.label("actuals_through"), format=DATE_D3)])
        layers.append(rule)
    return _sized(alt.layer(*layers).properties(
        title=alt.Title(f"Demand by project against capacity: {who}",
                        subtitle="Bars: forecast hours (actual up to the dashed line, planned after) · "
                                 "black line: capacity")), 300)


def _span(bucket: str):
    from datetime import timedelta
    return timedelta(days=31 if bucket == "month" else 7)


@memo
def planned_actual_timeline(tl: pl.DataFrame, bucket: str) -> alt.Chart:
    """Planned, actual and capacity hours per period: how planned hours compare with hours logged."""
    long = tl.unpivot(index="bucket_start", on=["capacity_hours", "planned_hours", "actual_hours"],
                      variable_name="measure", value_name="hours").drop_nulls("hours")
    names = {m: fmt.label(m) for m in ("capacity_hours", "planned_hours", "actual_hours")}
    long = long.with_columns(pl.col("measure").replace_strict(names))
    return _sized(alt.Chart(long.to_pandas()).mark_line(point=True).encode(
        x=alt.X("bucket_start:T", axis=_period_axis(bucket)),
        y=alt.Y("hours:Q", title=fmt.label("hours")),
        color=alt.Color("measure:N", title=None, scale=alt.Scale(
            domain=list(names.values()), range=[CAPACITY_COLOR, PLANNED, ACTUAL]), legend=legend(orient="top")),
        tooltip=[alt.Tooltip("bucket_start:T", title=capacity.BUCKETS[bucket], format=DATE_D3),
                 alt.Tooltip("measure:N", title=fmt.label("measure")),
                 alt.Tooltip("hours:Q", title=fmt.label("hours"), format=",.1f")],
    ).properties(title=alt.Title("Planned against actual hours, with capacity",
                                 subtitle="Actual stops at the last day any timesheet covers")), 240)


@memo
def heat_map(cells: pl.DataFrame, bucket: str, under_used_below: float) -> alt.Chart:
    """One row per person (worst first), one cell per period, coloured by utilisation band;
    the % in the cell; grey with the reason where capacity is 0."""
    df = cells.with_columns(
        who=pl.col("person_name").fill_null(pl.col("person_id")),
        pct=pl.when(pl.col("utilisation").is_not_null())
        .then((pl.col("utilisation") * 100).round(0).cast(pl.Int64).cast(pl.String) + "%")
        .otherwise(pl.lit("–")),
        note=pl.col("utilisation_note").fill_null(""),
    )
    order = df.sort("rank").select("who").unique(maintain_order=True)["who"].to_list()
    n = len(order)
    domain = list(capacity.BANDS)
    base = alt.Chart(df.to_pandas()).encode(
        x=alt.X("bucket_start:O", title=capacity.BUCKETS[bucket],
                axis=alt.Axis(labelExpr="timeFormat(datum.value, '" + ("%b %y" if bucket == "month" else DAY_MONTH_D3)
                              + "')", labelAngle=-45 if bucket == "week" else 0, orient="top")),
        y=alt.Y("who:N", sort=order, title=None, axis=alt.Axis(labelLimit=label_limit(220))),
    )
    rect = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color("utilisation_band:N", title=fmt.label("utilisation_band"),
                        scale=alt.Scale(domain=domain, range=[capacity.BAND_COLOURS[b] for b in domain]),
                        legend=legend(orient="bottom")),
        tooltip=[alt.Tooltip("who:N", title=fmt.label("person_name")),
                 alt.Tooltip("role:N", title=fmt.label("role")),
                 alt.Tooltip("bucket_start:T", title=capacity.BUCKETS[bucket], format=DATE_D3),
                 _hours_tip("capacity_hours"), _hours_tip("forecast_hours"),
                 alt.Tooltip("utilisation:Q", title=fmt.label("utilisation"), format=".0%"),
                 alt.Tooltip("utilisation_band:N", title=fmt.label("utilisation_band")),
                 alt.Tooltip("note:N", title=fmt.label("utilisation_note"))])
    text = base.mark_text(fontSize=9).encode(
        text="pct:N",
        color=alt.condition("datum.utilisation_band == 'over-allocated' || datum.utilisation_band == 'bench'",
                            alt.value("white"), alt.value("#222")))
    return alt.layer(rect, text).properties(
        height=max(60, 22 * n), autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
        title=alt.Title("Utilisation by person and period, worst first",
                        subtitle=f"Red: over 100% · green: {under_used_below:.0%} to 100% · amber: under "
                                 f"{under_used_below:.0%} · brown: no demand · grey: no capacity (see the reason)"))


@memo
def role_deficit(deficit: pl.DataFrame) -> alt.Chart:
    """Demand minus capacity per role and quarter: right (red) = short, left (green) = spare."""
    df = deficit.with_columns(
        side=pl.col("quarter") + pl.when(pl.col("deficit_hours").round(6) > 0).then(pl.lit(": short"))
        .otherwise(pl.lit(": spare")))
    quarters = sorted(set(deficit["quarter_start"].to_list()))
    labels = [capacity.quarter_label(q) for q in quarters]
    domain = [f"{q}: {s}" for q in labels for s in ("short", "spare")]
    colours = [c for i, _ in enumerate(labels) for c in ((SHORT, SPARE) if i == 0 else ("#e8a09a", "#9fd3b4"))]
    roles = df.group_by("role").agg(pl.col("deficit_hours").max()).sort("deficit_hours", descending=True)["role"]
    return _sized(alt.Chart(df.to_pandas()).mark_bar().encode(
        y=alt.Y("role:N", sort=roles.to_list(), title=fmt.label("role"), axis=alt.Axis(labelLimit=label_limit(200))),
        yOffset=alt.YOffset("quarter_start:O"),
        x=alt.X("deficit_hours:Q", title=fmt.label("deficit_hours")),
        color=alt.Color("side:N", title=None, scale=alt.Scale(domain=domain, range=colours),
                        legend=legend(orient="top")),
        tooltip=[alt.Tooltip("role:N", title=fmt.label("role")), alt.Tooltip("quarter:N", title=fmt.label("quarter")),
                 _hours_tip("demand_hours"), _hours_tip("unstaffed_hours"), _hours_tip("capacity_hours"),
                 _hours_tip("deficit_hours")],
    ).properties(title=alt.Title("Role deficit, next two quarters",
                                 subtitle="Demand (placeholders included) minus the capacity of the role's "
                                          "people; right of 0 = short")), max(120, 26 * len(roles)))


@memo
def planned_vs_actual(pva: pl.DataFrame) -> alt.Chart:
    """Planned (to date) and actual hours per project, the largest gaps first."""
    top = pva.head(15).with_columns(label=capacity.project_label(pva))
    long = top.unpivot(index="label", on=["planned_to_date_hours", "actual_hours"], variable_name="measure",
                       value_name="hours")
    names = {"planned_to_date_hours": fmt.label("planned_to_date_hours"), "actual_hours": fmt.label("actual_hours")}
    long = long.with_columns(pl.col("measure").replace_strict(names))
    return _sized(alt.Chart(long.to_pandas()).mark_bar().encode(
        y=alt.Y("label:N", sort=top["label"].to_list(), title=None,
                axis=alt.Axis(labelLimit=label_limit(260))),
        yOffset="measure:N",
        x=alt.X("hours:Q", title=fmt.label("hours")),
        color=alt.Color("measure:N", title=None, scale=alt.Scale(domain=list(names.values()),
                                                                 range=[PLANNED, ACTUAL]),
                        legend=legend(orient="top")),
        tooltip=[alt.Tooltip("label:N", title=fmt.label("project_id")),
                 alt.Tooltip("measure:N", title=fmt.label("measure")),
                 alt.Tooltip("hours:Q", title=fmt.label("hours"), format=",.1f")],
    ).properties(title=alt.Title("Planned against actual hours per project",
                                 subtitle=f"The {top.height} projects with the largest gap, over the window "
                                          "up to the last logged day")), max(120, 34 * top.height))
