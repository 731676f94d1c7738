"""RAID charts: the 5 x 5 heat map of open risks (click a cell), ageing of open items, open issues
by priority and age, the cross-project dependency graph and the history of open counts and
exposure. Pure: Polars frames from pmo.raid / the RAID queries in, alt.Chart out."""

from __future__ import annotations

import altair as alt
import polars as pl

from pmo.charts import label_limit, legend

from pmo import metrics, raid
from pmo.metrics import DATE_D3
from pmo.charts.memo import memo

CELL_PICK = "cell"          # the heat map's click selection
# Plot area `height` px high and as wide as the container (Streamlit otherwise fits the whole chart,
# title and legend included, into the height and squeezes the plot).
FIT_WIDTH = alt.AutoSizeParams(type="fit-x", contains="padding")
KIND_COLORS = ("#c0392b", "#f0964a", "#4a6fa5", "#8e44ad")


def _band_scale(ranges: dict[str, str]) -> alt.Color:
    """The band colours; the legend says each band's exposure range (config [raid])."""
    names = " ".join(f"datum.label == '{b}' ? '{b} {r}' :" for b, r in ranges.items())
    return alt.Color("exposure_band:N", title=metrics.label("exposure_band"),
                     scale=alt.Scale(domain=list(raid.BANDS), range=list(raid.BAND_COLORS)),
                     legend=legend(orient="top", wide_columns=2, labelExpr=f"{names} datum.label"))


@memo
def heat_map(cells: pl.DataFrame, ranges: dict[str, str], selected: tuple[int, int] | None = None) -> alt.Chart:
    """25 cells, impact across and probability up, coloured by the band of probability x impact,
    each with its count of open risks; click a cell to list them (selection CELL_PICK)."""
    pick = alt.selection_point(name=CELL_PICK, fields=["probability_score", "impact_score"],
                               on="click", clear="dblclick")
    df = cells.with_columns(
        pl.when(pl.col("heat_cell_count") > 0).then(pl.col("heat_cell_count").cast(pl.String))
        .otherwise(pl.lit("")).alias("shown"),
        pl.lit(False).alias("is_selected"))
    if selected:
        df = df.with_columns(((pl.col("probability_score") == selected[0])
                              & (pl.col("impact_score") == selected[1])).alias("is_selected"))
    x = alt.X("impact_score:O", title=metrics.label("impact_score"), sort=list(raid.SCORES),
              axis=alt.Axis(labelAngle=0))
    y = alt.Y("probability_score:O", title=metrics.label("probability_score"), sort=list(reversed(raid.SCORES)))
    base = alt.Chart(df, title=alt.TitleParams(
        "Open risks by probability and impact",
        subtitle="Number = open risks in the cell; colour = exposure band; click a cell to list its risks"))
    rects = base.mark_rect(stroke="white", strokeWidth=2).encode(
        x=x, y=y, color=_band_scale(ranges),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.45)),
        strokeWidth=alt.condition("datum.is_selected", alt.value(5), alt.value(2)),
        stroke=alt.condition("datum.is_selected", alt.value("#1f2d3d"), alt.value("white")),
        tooltip=[alt.Tooltip("probability_score:O", title=metrics.label("probability_score")),
                 alt.Tooltip("impact_score:O", title=metrics.label("impact_score")),
                 alt.Tooltip("exposure_score:Q", title=metrics.label("exposure_score")),
                 alt.Tooltip("exposure_band:N", title=metrics.label("exposure_band")),
                 alt.Tooltip("heat_cell_count:Q", title=metrics.label("heat_cell_count"))],
    ).add_params(pick)
    text = base.mark_text(fontSize=18, fontWeight="bold").encode(
        x=x, y=y, text="shown:N", color=alt.value("#1f2d3d"))
    return (rects + text).properties(height=300, autosize=FIT_WIDTH)


@memo
def ageing(counts: pl.DataFrame) -> alt.Chart:
    """Stacked bars: open items per ageing bucket, coloured by kind."""
    df = counts.filter(pl.col("items") > 0)
    order = counts["ageing_bucket"].unique(maintain_order=True).to_list()
    return alt.Chart(df, title=alt.TitleParams("Ageing of open RAID items",
                                               subtitle="Days since raised, at the judged date")).mark_bar().encode(
        x=alt.X("ageing_bucket:N", title=metrics.label("ageing_bucket"), sort=order, axis=alt.Axis(labelAngle=0),
                scale=alt.Scale(domain=order)),
        y=alt.Y("sum(items):Q", title="Open items", axis=alt.Axis(tickMinStep=1, format="d")),
        color=alt.Color("kind:N", title="Kind", scale=alt.Scale(domain=list(raid.KINDS), range=list(KIND_COLORS)),
                        legend=legend(orient="top")),
        order=alt.Order("kind:N"),
        tooltip=[alt.Tooltip("ageing_bucket:N", title=metrics.label("ageing_bucket")),
                 alt.Tooltip("kind:N", title="Kind"), alt.Tooltip("sum(items):Q", title="Open items")],
    ).properties(height=240, autosize=FIT_WIDTH)


@memo
def issues(by_priority: pl.DataFrame, buckets: list[str]) -> alt.Chart:
    """Horizontal stacked bars: open issues per priority (most urgent on top), by ageing bucket."""
    order = by_priority.sort("priority_rank", "priority")["priority"].unique(maintain_order=True).to_list()
    shades = ["#f6d5b8", "#f0964a", "#d35400", "#7b241c", "#bdc3c7"]
    domain = [*buckets, "no raised date"]
    return alt.Chart(by_priority, title=alt.TitleParams(
        "Open issues by priority and age", subtitle="Priority as the tool writes it, most urgent first")
    ).mark_bar().encode(
        y=alt.Y("priority:N", title=metrics.label("priority"), sort=order, axis=alt.Axis(labelLimit=label_limit(200))),
        x=alt.X("sum(items):Q", title="Open issues", axis=alt.Axis(tickMinStep=1, format="d")),
        color=alt.Color("ageing_bucket:N", title=metrics.label("ageing_bucket"),
                        scale=alt.Scale(domain=domain, range=shades[:len(domain)]), legend=legend(orient="top")),
        order=alt.Order("ageing_bucket:N"),
        tooltip=[alt.Tooltip("priority:N", title=metrics.label("priority")),
                 alt.Tooltip("ageing_bucket:N", title=metrics.label("ageing_bucket")),
                 alt.Tooltip("sum(items):Q", title="Open issues")],
    ).properties(height=alt.Step(30), autosize=FIT_WIDTH)


@memo
def dependency_graph(nodes: pl.DataFrame, edges: pl.DataFrame) -> alt.Chart:
    """Items clustered by project; an arrow from each blocker to what it blocks, coloured by the
    link's state (cycle = data error, at risk, blocked, blocker not found, clear); cross-project
    links thick, links inside a project thin and dashed."""
    states = alt.Scale(domain=list(raid.STATE_ORDER), range=list(raid.STATE_COLORS))
    df = edges.with_columns(
        pl.when(pl.col("is_cross_project")).then(pl.lit("cross-project")).otherwise(pl.lit("same project"))
        .alias("reach"),
        pl.concat_str([pl.col("blocker_project_id").fill_null("?"), pl.lit(" "),
                       pl.col("blocker_id").fill_null("(whole project)")]).alias("from"),
        pl.concat_str([pl.col("project_id"), pl.lit(" "), pl.col("item_id").fill_null("(whole project)")]).alias("to"))
    axis = alt.Axis(title=None, labels=False, ticks=False, domain=False, grid=False)
    scale = alt.Scale(domain=[-1.45, 1.45])
    tips = [alt.Tooltip("dependency_state:N", title=metrics.label("dependency_state")),
            alt.Tooltip("from:N", title="From (blocker)"), alt.Tooltip("blocker_title:N", title=metrics.label("blocker_title")),
            alt.Tooltip("to:N", title="To (blocked)"), alt.Tooltip("item_title:N", title=metrics.label("item_title")),
            alt.Tooltip("dependency_reason:N", title=metrics.label("dependency_reason"))]
    base = alt.Chart(df)
    lines = base.mark_rule().encode(
        x=alt.X("x:Q", axis=axis, scale=scale), y=alt.Y("y:Q", axis=axis, scale=scale), x2="x2:Q", y2="y2:Q",
        color=alt.Color("dependency_state:N", title=metrics.label("dependency_state"), scale=states,
                        legend=legend(orient="top")),
        strokeWidth=alt.StrokeWidth("reach:N", title="Link", scale=alt.Scale(
            domain=["cross-project", "same project"], range=[3.5, 1.5]), legend=legend(orient="top")),
        strokeDash=alt.StrokeDash("reach:N", scale=alt.Scale(domain=["cross-project", "same project"],
                                                             range=[[1, 0], [4, 3]]), legend=None),
        tooltip=tips)
    heads = base.mark_point(shape="triangle-up", filled=True, size=160, opacity=1).encode(
        x=alt.X("ax:Q", axis=axis, scale=scale), y=alt.Y("ay:Q", axis=axis, scale=scale), angle=alt.Angle("angle:Q", scale=None),
        color=alt.Color("dependency_state:N", scale=states, legend=None), tooltip=tips)
    node_df = nodes.with_columns(pl.col("item_id").fill_null("whole project").alias("label"))
    dots = alt.Chart(node_df).mark_circle(size=220, color="#1f2d3d", opacity=0.85).encode(
        x=alt.X("x:Q", axis=axis, scale=scale), y=alt.Y("y:Q", axis=axis, scale=scale),
        tooltip=[alt.Tooltip("project_id:N", title=metrics.label("project_id")),
                 alt.Tooltip("item_id:N", title=metrics.label("item_id"))])
    labels = alt.Chart(node_df).mark_text(dy=-14, fontSize=11, fontWeight="bold").encode(
        x=alt.X("x:Q", axis=axis, scale=scale), y=alt.Y("y:Q", axis=axis, scale=scale), text="label:N")
    projects = node_df.group_by("project_id").agg(pl.col("x").mean(), pl.col("y").max())
    project_labels = alt.Chart(projects).mark_text(fontSize=12, color="#4a6fa5", dy=-28).encode(
        x=alt.X("x:Q", axis=axis, scale=scale), y=alt.Y("y:Q", axis=axis, scale=scale), text="project_id:N")
    return alt.layer(lines, heads, dots, labels, project_labels, title=alt.TitleParams(
        "Dependency graph: what blocks what",
        subtitle="An arrow per blocking link, from the blocker to what waits for it; thick = cross-project")
    ).properties(height=480, autosize=FIT_WIDTH).configure_view(strokeWidth=0)


@memo
def history_counts(trend: pl.DataFrame) -> alt.Chart:
    """Open risks, issues, assumptions and dependency items per status date."""
    cols = ["open_risks", "open_issues", "open_assumptions", "open_dependencies"]
    names = {c: metrics.label(c) for c in cols}
    df = trend.select("as_of", *cols).unpivot(index="as_of", variable_name="what", value_name="items").with_columns(
        pl.col("what").replace_strict(names))
    return alt.Chart(df, title=alt.TitleParams("Open RAID items per status date",
                                               subtitle="Each source counts with its newest export on or before the date")
                     ).mark_line(point=True).encode(
        x=alt.X("as_of:T", title=metrics.label("as_of"), axis=alt.Axis(format=DATE_D3, labelAngle=0, tickCount=6)),
        y=alt.Y("items:Q", title="Open items", axis=alt.Axis(tickMinStep=1, format="d")),
        color=alt.Color("what:N", title=None, scale=alt.Scale(domain=list(names.values()), range=list(KIND_COLORS)),
                        legend=legend(orient="top", wide_columns=2)),
        tooltip=[alt.Tooltip("as_of:T", title=metrics.label("as_of"), format=DATE_D3),
                 alt.Tooltip("what:N", title="Count"), alt.Tooltip("items:Q", title="Open items")],
    ).properties(height=240, autosize=FIT_WIDTH)


@memo
def history_exposure(trend: pl.DataFrame) -> alt.Chart:
    """Open risk exposure per status date (the counts per band in the tooltip)."""
    return alt.Chart(trend, title=alt.TitleParams(
        "Open risk exposure per status date", subtitle="Σ probability × impact over open risks; hover a point for the counts per band")
    ).mark_line(point=True, color="#c0392b").encode(
        x=alt.X("as_of:T", title=metrics.label("as_of"), axis=alt.Axis(format=DATE_D3, labelAngle=0, tickCount=6)),
        y=alt.Y("open_exposure:Q", title=metrics.label("open_exposure")),
        tooltip=[alt.Tooltip("as_of:T", title=metrics.label("as_of"), format=DATE_D3),
                 alt.Tooltip("open_exposure:Q", title=metrics.label("open_exposure")),
                 alt.Tooltip("open_risks:Q", title=metrics.label("open_risks")),
                 alt.Tooltip("critical_risks:Q", title=metrics.label("critical_risks")),
                 alt.Tooltip("high_risks:Q", title=metrics.label("high_risks"))],
    ).properties(height=240, autosize=FIT_WIDTH)
