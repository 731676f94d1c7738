"""Portfolio health charts: RAG by portfolio, the CPI x SPI quadrant (clickable), schedule slip,
the milestone timeline, health over time (counts and a strip per project) and a project S-curve.
Pure: Polars frames from the health queries in, alt.Chart out; colours from pmo.charts."""

from __future__ import annotations

from datetime import date, timedelta

import altair as alt
import polars as pl

from pmo.charts import RAG_DOMAIN, RAG_RANGE, label_limit, legend, rag_color, rag_letters, rag_shape, with_rag_letter
from pmo.metrics import DATE_D3, DATE_FORMAT, DAY_MONTH_D3, day
from pmo.charts.memo import memo

PROJECT_PICK = "project"       # name of the click selection on the CPI x SPI chart
INDEX_DOMAIN = [0.4, 2.0]      # widest CPI / SPI axes; values beyond sit on the edge
MILESTONE_DOMAIN = ["late", "upcoming", "done"]
MILESTONE_RANGE = ["#c0392b", "#4a6fa5", "#2e8b57"]
SERIES = ["PV (planned value)", "EV (earned value)", "AC (actual cost)"]
SERIES_COLORS = ["#9bb7d4", "#2e8b57", "#c0392b"]


def _symbol(currency: str) -> str:
    return {"USD": "$", "EUR": "€", "GBP": "£"}.get(currency, "")


def _money_axis(title: str, currency: str) -> alt.Axis:
    """Compact money labels: $1.2M, -$350K, $2B."""
    expr = (f"(datum.value < 0 ? '-' : '') + '{_symbol(currency)}' + "
            "replace(replace(format(abs(datum.value), '.3~s'), 'G', 'B'), 'k', 'K')")
    return alt.Axis(title=title, labelExpr=expr)


def _money_tip(field: str, title: str, currency: str) -> alt.Tooltip:
    return alt.Tooltip(f"{field}:Q", title=f"{title} ({currency})",
                       format="$,.0f" if currency == "USD" else ",.0f")


def _label(df: pl.DataFrame) -> pl.DataFrame:
    """'PRJ-1012 Data Centre Exit - Wave 2' as one label column."""
    return df.with_columns(pl.concat_str([pl.col("project_id"), pl.col("project_name").fill_null("")],
                                         separator=" ").str.strip_chars().alias("project"))


def _stack_ends(counts: pl.DataFrame, group: str) -> pl.DataFrame:
    """Where each segment of a bar stacked by health (red first) ends: `stack_end` (for its letter)."""
    return counts.sort([group, "health_rank"], descending=[False, True]).with_columns(
        pl.col("projects").cum_sum().over(group).alias("stack_end"))


@memo
def rag_by_portfolio(projects: pl.DataFrame) -> alt.Chart:
    """Stacked bars: active projects per portfolio by computed overall health. Counted here, so
    the chart receives one row per portfolio and colour, not one per project."""
    df = (projects.with_columns(pl.col("portfolio").fill_null("(no portfolio)"))
          .group_by("portfolio", "overall_health", maintain_order=True)
          .agg(pl.len().alias("projects"), pl.col("health_rank").first()))
    df = _stack_ends(df, "portfolio")
    order = df.group_by("portfolio").agg(pl.col("projects").sum()).sort(
        ["projects", "portfolio"], descending=[True, False])["portfolio"].to_list()
    bars = alt.Chart().mark_bar().encode(color=rag_color("overall_health", "Health"))
    letters = alt.Chart().mark_text(align="right", dx=-4, fontSize=11, fontWeight="bold").encode(
        x=alt.X("stack_end:Q"), **rag_letters("overall_health"))
    return with_rag_letter(alt.layer(bars, letters, data=df, title=alt.TitleParams(
        "Computed health by portfolio", subtitle="Active projects, coloured by the worst dimension; "
        "letter = health (R red, A amber, G green)")), "overall_health").encode(
        y=alt.Y("portfolio:N", title=None, sort=order, axis=alt.Axis(labelLimit=label_limit(220))),
        x=alt.X("sum(projects):Q", title="Projects", axis=alt.Axis(tickMinStep=1, format="d")),
        order=alt.Order("health_rank:Q", sort="descending"),
        tooltip=[alt.Tooltip("portfolio:N", title="Portfolio"),
                 alt.Tooltip("overall_health:N", title="Health"),
                 alt.Tooltip("sum(projects):Q", title="Projects")],
    ).resolve_scale(color="independent").properties(height=alt.Step(34))


def index_domain(df: pl.DataFrame) -> tuple[float, float]:
    """Axis range for CPI and SPI: the data with a margin, at least 0.8 to 1.2, at most
    INDEX_DOMAIN (values beyond sit on the edge; the tooltip shows them exactly)."""
    values = pl.concat([df["cpi"], df["spi"]]).drop_nulls() if df.height else pl.Series([], dtype=pl.Float64)
    lo = min(0.8, (values.min() - 0.05) if values.len() else 0.8)
    hi = max(1.2, (values.max() + 0.05) if values.len() else 1.2)
    lo, hi = max(lo, INDEX_DOMAIN[0]), min(hi, INDEX_DOMAIN[1])
    return round(lo, 1) if round(lo, 1) <= lo else round(lo - 0.05, 1), round(hi + 0.049, 1)


@memo
def cpi_spi_quadrant(projects: pl.DataFrame, currency: str = "USD", index_red: float = 0.90,
                     index_amber: float = 0.95) -> alt.LayerChart:
    """CPI against SPI, one bubble per project (size = BAC, colour = computed health); a click
    selects the project (selection named PROJECT_PICK)."""
    df = _label(projects.filter(pl.col("cpi").is_not_null() & pl.col("spi").is_not_null())).select(
        "project_id", "project", "cpi", "spi", "bac", "overall_health", "health_reason")
    pick = alt.selection_point(name=PROJECT_PICK, fields=["project_id"], on="click")
    lo, hi = index_domain(df)
    scale = alt.Scale(domain=[lo, hi], clamp=True)
    points = alt.Chart(df).mark_point(filled=True, opacity=0.85, stroke="white", strokeWidth=1,
                                      cursor="pointer").encode(
        shape=rag_shape("overall_health", "Health"),
        x=alt.X("spi:Q", title="SPI (schedule performance: EV ÷ PV)",
                scale=scale, axis=alt.Axis(format=".2f")),
        y=alt.Y("cpi:Q", title="CPI (cost performance: EV ÷ AC)", scale=scale,
                axis=alt.Axis(format=".2f")),
        size=alt.Size("bac:Q", title=f"BAC ({currency})", scale=alt.Scale(range=[60, 1400]),
                      legend=None),
        color=rag_color("overall_health", "Health"),
        tooltip=[alt.Tooltip("project:N", title="Project"),
                 alt.Tooltip("overall_health:N", title="Computed health"),
                 alt.Tooltip("cpi:Q", title="CPI", format=".2f"),
                 alt.Tooltip("spi:Q", title="SPI", format=".2f"),
                 _money_tip("bac", "BAC", currency),
                 alt.Tooltip("health_reason:N", title="Why")],
    ).add_params(pick)
    guides = pl.DataFrame({"v": [1.0]})
    one_x = alt.Chart(guides).mark_rule(color="#555", strokeDash=[4, 3]).encode(
        x=alt.X("v:Q", scale=scale))
    one_y = alt.Chart(guides).mark_rule(color="#555", strokeDash=[4, 3]).encode(
        y=alt.Y("v:Q", scale=scale))
    corners = pl.DataFrame({
        "x": [hi - 0.01, lo + 0.01, hi - 0.01, lo + 0.01],
        "y": [hi - 0.01, hi - 0.01, lo + 0.01, lo + 0.01],
        "text": ["Ahead, under budget", "Behind, under budget", "Ahead, over budget",
                 "Behind, over budget"],
        "align": ["right", "left", "right", "left"],
        "baseline": ["top", "top", "bottom", "bottom"],
    })
    labels = [alt.Chart(corners.filter(pl.col("align") == a, pl.col("baseline") == b)).mark_text(
        align=a, baseline=b, color="#777", fontSize=11).encode(
        x=alt.X("x:Q", scale=scale), y=alt.Y("y:Q", scale=scale), text="text:N")
        for a, b in (("right", "top"), ("left", "top"), ("right", "bottom"), ("left", "bottom"))]
    return alt.layer(one_x, one_y, *labels, points, title=alt.TitleParams(
        "Cost vs schedule performance (CPI × SPI)",
        subtitle=f"Bubble size = BAC; below {index_amber:.2f} is amber, below {index_red:.2f} red. "
                 "Click a bubble to open the project.")).properties(height=420, usermeta={"slide": {
                     "caption": f"One bubble per project, sized by BAC; below {index_amber:.2f} is amber, "
                                f"below {index_red:.2f} red. Dashed lines: on plan (1.00)."}})


@memo
def schedule_slip(projects: pl.DataFrame) -> alt.Chart:
    """Bars: forecast finish minus baseline finish in days, per project with a baseline."""
    df = _label(projects.filter(pl.col("schedule_slip_days").is_not_null()))
    bars = alt.Chart().mark_bar().encode(color=rag_color("schedule_health", "Schedule health"))
    letters = alt.Chart().mark_text(
        fontSize=11, fontWeight="bold",
        align=alt.ExprRef(expr="datum.schedule_slip_days < 0 ? 'left' : 'right'"),
        dx=alt.ExprRef(expr="datum.schedule_slip_days < 0 ? 4 : -4")).encode(**rag_letters("schedule_health"))
    return with_rag_letter(alt.layer(bars, letters, data=df, title=alt.TitleParams(
        "Schedule slip by project", subtitle="Forecast finish minus baseline finish, in days "
        "(right = late); colour and letter = computed schedule health")), "schedule_health").resolve_scale(
        color="independent").encode(
        y=alt.Y("project:N", title=None, sort="-x", axis=alt.Axis(labelLimit=label_limit(260), labelOverlap=False)),
        x=alt.X("schedule_slip_days:Q", title="Slip (days)", axis=alt.Axis(format="d")),
        tooltip=[alt.Tooltip("project:N", title="Project"),
                 alt.Tooltip("schedule_slip_days:Q", title="Slip (days)", format="d"),
                 alt.Tooltip("baseline_finish_date:T", title="Baseline finish", format=DATE_D3),
                 alt.Tooltip("forecast_finish_date:T", title="Forecast finish", format=DATE_D3),
                 alt.Tooltip("schedule_reason:N", title="Why")],
    ).properties(height=alt.Step(22))


def milestone_window(as_of: date, before_days: int = 90, after_days: int = 180) -> tuple[date, date]:
    return as_of - timedelta(days=before_days), as_of + timedelta(days=after_days)


def milestones_in_window(milestones: pl.DataFrame, as_of: date) -> pl.DataFrame:
    """The milestones the timeline draws, with the date each is drawn at (`shown_date`): done at
    the done date, late at the missed committed date, upcoming at the forecast date."""
    first, last = milestone_window(as_of)
    return milestones.with_columns(
        pl.when(pl.col("milestone_status") == "done").then(pl.col("done_date"))
        .when(pl.col("milestone_status") == "late").then(pl.col("committed_date"))
        .otherwise(pl.coalesce("forecast_date", "committed_date")).alias("shown_date")
    ).filter(pl.col("shown_date").is_between(first, last))


def timeline_projects(milestones: pl.DataFrame, as_of: date, n: int) -> tuple[list[str], int]:
    """The `n` projects the timeline should show first, and how many have a milestone in its
    window: most late milestones, then most days late, then the soonest upcoming one, then id."""
    df = milestones_in_window(milestones, as_of)
    per = df.group_by("project_id").agg(
        (pl.col("milestone_status") == "late").sum().alias("_late"),
        pl.col("days_late").max().fill_null(0).alias("_days"),
        pl.col("shown_date").filter(pl.col("milestone_status") == "upcoming").min().alias("_next"))
    top = per.sort(["_late", "_days", "_next", "project_id"], descending=[True, True, False, False],
                   nulls_last=True).head(n)
    return top["project_id"].to_list(), per.height


@memo
def milestone_timeline(milestones: pl.DataFrame, as_of: date, order: list[str] | None = None
                       ) -> alt.LayerChart:
    """Milestones on a time axis, one row per project: done (at the done date), late (at the
    missed committed date) and upcoming (at the forecast date); a rule marks the status date.
    `order`: project ids top to bottom (default: by id)."""
    first, last = milestone_window(as_of)
    df = _label(milestones_in_window(milestones, as_of))
    rows = None
    if order is not None:
        labels = dict(df.select("project_id", "project").unique("project_id").iter_rows())
        rows = [labels[p] for p in order if p in labels]
    df = df.select(
        "project", "milestone", "milestone_status", "shown_date", "committed_date", "forecast_date",
        "done_date", "days_late")
    points = alt.Chart(df).mark_point(filled=True, size=110).encode(
        x=alt.X("shown_date:T", title=None, scale=alt.Scale(domain=[first.isoformat(), last.isoformat()]),
                axis=alt.Axis(format="%b %Y", tickCount={"interval": "month", "step": 1})),   # one label a month
        y=alt.Y("project:N", title=None, axis=alt.Axis(labelLimit=label_limit(260), labelOverlap=False),
                **({"sort": rows} if rows is not None else {})),
        color=alt.Color("milestone_status:N", title="Milestone",
                        scale=alt.Scale(domain=MILESTONE_DOMAIN, range=MILESTONE_RANGE),
                        legend=legend(orient="top")),
        shape=alt.Shape("milestone_status:N", title="Milestone",
                        scale=alt.Scale(domain=MILESTONE_DOMAIN, range=["triangle-down", "diamond", "circle"])),
        tooltip=[alt.Tooltip("project:N", title="Project"),
                 alt.Tooltip("milestone:N", title="Milestone"),
                 alt.Tooltip("milestone_status:N", title="Status"),
                 alt.Tooltip("committed_date:T", title="Committed (baseline)", format=DATE_D3),
                 alt.Tooltip("forecast_date:T", title="Forecast", format=DATE_D3),
                 alt.Tooltip("done_date:T", title="Done", format=DATE_D3),
                 alt.Tooltip("days_late:Q", title="Days late", format="d")],
    )
    today = alt.Chart(pl.DataFrame({"d": [as_of]})).mark_rule(color="#555", strokeDash=[4, 3]).encode(
        x="d:T", tooltip=[alt.Tooltip("d:T", title="Status date", format=DATE_D3)])
    return alt.layer(today, points, title=alt.TitleParams(
        "Milestone timeline", subtitle=f"{day(first)} to {day(last)}; dashed line = status date. "
        "Late = not done and the committed (baseline) date has passed.")).properties(height=alt.Step(20))


@memo
def health_counts_over_time(history: pl.DataFrame) -> alt.Chart:
    """Stacked bars: active projects by computed overall health at each status date. Counted
    here: one row per status date and colour reaches the browser, whatever the project count."""
    df = (history.group_by("as_of", "overall_health").agg(pl.len().alias("projects"))
          .with_columns(
              pl.col("overall_health").replace_strict({"red": 3, "amber": 2, "green": 1, "grey": 0},
                                                      default=0, return_dtype=pl.Int64).alias("health_rank"),
              pl.col("as_of").dt.strftime(DATE_FORMAT).alias("status_date"))
          .sort("as_of", "health_rank"))
    dates = df["status_date"].unique(maintain_order=True).to_list()
    df = _stack_ends(df, "status_date")
    bars = alt.Chart().mark_bar().encode(color=rag_color("overall_health", "Health"))
    letters = alt.Chart().mark_text(baseline="top", dy=3, fontSize=11, fontWeight="bold").encode(
        y=alt.Y("stack_end:Q"), **rag_letters("overall_health"))
    return with_rag_letter(alt.layer(bars, letters, data=df.drop("as_of"), title=alt.TitleParams(
        "Health over time", subtitle="Active projects by computed overall health at each status date; "
        "letter = health")), "overall_health").resolve_scale(color="independent").encode(
        x=alt.X("status_date:O", title="Status date", sort=dates, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("sum(projects):Q", title="Projects", axis=alt.Axis(tickMinStep=1, format="d")),
        order=alt.Order("health_rank:Q", sort="descending"),
        tooltip=[alt.Tooltip("status_date:O", title="Status date"),
                 alt.Tooltip("overall_health:N", title="Health"),
                 alt.Tooltip("sum(projects):Q", title="Projects")],
    ).properties(height=300)


def worst_projects(history: pl.DataFrame, n: int) -> pl.DataFrame:
    """The `n` projects of a health history that need attention most, worst first: computed
    overall health at their latest status date (red, amber, green, grey), then the number of red,
    then amber status dates, then project id. Columns project_id, rank (1 = worst)."""
    score = {"red": 3, "amber": 2, "green": 1, "grey": 0}
    per = (history.sort("as_of").group_by("project_id").agg(
        pl.col("overall_health").last().replace_strict(score, default=0, return_dtype=pl.Int64)
        .alias("_now"),
        (pl.col("overall_health") == "red").sum().alias("_red"),
        (pl.col("overall_health") == "amber").sum().alias("_amber")))
    return (per.sort(["_now", "_red", "_amber", "project_id"], descending=[True, True, True, False])
            .head(n).with_row_index("rank", offset=1).select("project_id", "rank"))


@memo
def health_strip(history: pl.DataFrame, order: list[str] | None = None) -> alt.Chart:
    """One row per project, one cell per status date, coloured by computed health: the
    sparkline of each project's health. `order`: project ids top to bottom (default: by id)."""
    df = _label(history).with_columns(pl.col("as_of").dt.strftime(DAY_MONTH_D3).alias("status_date"))
    dates = df.sort("as_of")["status_date"].unique(maintain_order=True).to_list()
    rows = None
    if order is not None:
        labels = dict(df.select("project_id", "project").unique("project_id").iter_rows())
        rows = [labels[p] for p in order if p in labels]
    df = df.select("project", "status_date", "as_of", "overall_health", "reported_health", "health_reason")
    # x, y and tooltip on each layer, not on the parent: the meeting pack cuts a long heat map
    # into slides by the rows of the view that holds them
    shared = dict(
        x=alt.X("status_date:O", title=None, sort=dates,
                axis=alt.Axis(labelAngle=-40, orient="top", labelOverlap=False)),
        y=alt.Y("project:N", title=None, axis=alt.Axis(labelLimit=label_limit(260), labelOverlap=False),
                **({"sort": rows} if rows is not None else {})),
        tooltip=[alt.Tooltip("project:N", title="Project"),
                 alt.Tooltip("as_of:T", title="Status date", format=DATE_D3),
                 alt.Tooltip("overall_health:N", title="Computed health"),
                 alt.Tooltip("reported_health:N", title="Reported health"),
                 alt.Tooltip("health_reason:N", title="Why")])
    cells = alt.Chart().mark_rect(stroke="white", strokeWidth=1).encode(
        color=rag_color("overall_health", "Health"), **shared)
    letters = alt.Chart().mark_text(fontSize=10, fontWeight="bold").encode(**rag_letters("overall_health"), **shared)
    return with_rag_letter(alt.layer(cells, letters, data=df, title=alt.TitleParams(
        "Health history per project", subtitle="Computed overall health at each status date, "
        "letter = health (hover for the reason)")).properties(usermeta={"slide": {
            "caption": "Computed overall health at each status date, letter = health"
                       + (", projects needing attention first" if order is not None else ""),
            "rows": "project"}}), "overall_health").resolve_scale(color="independent").properties(height=alt.Step(20))


def _month_ticks(dates: pl.Series) -> dict:
    """Ticks for a "%b %Y" axis: whole months, 1, 3, 6 or 12 apart so about a dozen labels show
    and none repeats (Vega's default puts weekly ticks on a short span: "Sep 2026 Sep 2026")."""
    months = 1
    if dates.len() and dates.min() is not None:
        months = (dates.max().year - dates.min().year) * 12 + dates.max().month - dates.min().month + 1
    step = next((s for s in (1, 3, 6) if months / s <= 14), 12)
    return {"interval": "month", "step": step}


@memo
def s_curve(evm: pl.DataFrame, as_of: date | None, currency: str = "USD") -> alt.LayerChart:
    """Cumulative PV over the plan, EV and AC at each status date; a rule marks the status date."""
    long = (evm.rename({"pv": SERIES[0], "ev": SERIES[1], "ac": SERIES[2]})
            .unpivot(index=["date", "is_status_date"], on=SERIES, variable_name="series", value_name="value")
            .drop_nulls("value"))
    color = alt.Color("series:N", title=None, scale=alt.Scale(domain=SERIES, range=SERIES_COLORS),
                      legend=legend(orient="top"))
    base = alt.Chart(long).encode(
        x=alt.X("date:T", title=None, axis=alt.Axis(format="%b %Y", tickCount=_month_ticks(long["date"]))),
        y=alt.Y("value:Q", axis=_money_axis(f"Cumulative ({currency})", currency)),
        color=color,
        tooltip=[alt.Tooltip("series:N", title="Series"),
                 alt.Tooltip("date:T", title="Date", format=DATE_D3),
                 _money_tip("value", "Cumulative", currency)])
    layers = [base.mark_line(strokeWidth=2.5), base.mark_point(filled=True, size=45)]
    if as_of is not None:
        layers.insert(0, alt.Chart(pl.DataFrame({"d": [as_of]})).mark_rule(
            color="#555", strokeDash=[4, 3]).encode(
            x="d:T", tooltip=[alt.Tooltip("d:T", title="Status date", format=DATE_D3)]))
    return alt.layer(*layers, title=alt.TitleParams(
        "S-curve: planned value, earned value and actual cost",
        subtitle="PV by month over the plan; EV and AC at status dates; dashed = selected date"
    )).properties(height=320)


__all__ = [
    "PROJECT_PICK",
    "RAG_DOMAIN",
    "RAG_RANGE",
    "cpi_spi_quadrant",
    "health_counts_over_time",
    "health_strip",
    "milestone_timeline",
    "milestones_in_window",
    "rag_by_portfolio",
    "s_curve",
    "schedule_slip",
    "timeline_projects",
    "worst_projects",
]
