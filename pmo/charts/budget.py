"""Budget variance charts: variance by any cut (clickable), budget / actual / forecast by month as
bars and as cumulative S-curves, a waterfall from budget to FAC, the largest overruns, and a
project x month heat map of variance %. Pure: Polars frames from pmo.budget in, alt.Chart out."""

from __future__ import annotations

from datetime import date

import altair as alt
import polars as pl

from pmo import frames
from pmo import metrics as fmt
from pmo.charts import NARROW, RAG_DOMAIN, RAG_RANGE, label_limit, legend, rag_letters, with_rag_letter
from pmo.charts.memo import memo

FAVOURABLE = "#2e8b57"      # under budget
UNFAVOURABLE = "#c0392b"    # over budget
TOTAL = "#4a6fa5"
SERIES = ["Budget", "Actual", "Forecast"]
SERIES_COLORS = ["#9bb7d4", "#1f4e79", "#f0a500"]
PICK = "pick"               # name of the click selection on the variance chart
HEAT_DOMAIN = [-0.3, 0.0, 0.3]


def _sized(chart, height: int):
    """Plot area `height` px high and as wide as the container (Streamlit otherwise fits the whole
    chart, title and legend included, into `height`, squeezing the bars)."""
    return chart.properties(height=height, autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))


def _money_format(currency: str) -> str:
    return "$,.0f" if currency == "USD" else ",.0f"


def _money_axis(title: str, currency: str) -> alt.Axis:
    """Compact money labels: $1.2M, -$350K, $2B (SI 'G' read as billions)."""
    sym = {"USD": "$", "EUR": "€", "GBP": "£"}.get(currency, "")
    expr = (f"(datum.value < 0 ? '-' : '') + '{sym}' + "
            "replace(replace(format(abs(datum.value), '.3~s'), 'G', 'B'), 'k', 'K')")
    return alt.Axis(title=title, labelExpr=expr, tickCount=6)


def _money_tip(field: str, title: str | None, currency: str) -> alt.Tooltip:
    """A money tooltip, titled by the field's metric unless the chart names it itself."""
    return alt.Tooltip(f"{field}:Q", title=f"{title or fmt.label(field)} ({currency})",
                       format=_money_format(currency))


def _pct_tip(field: str) -> alt.Tooltip:
    return alt.Tooltip(f"{field}:Q", title=fmt.label(field), format=".1%")


@memo
def variance_by_group(summary: pl.DataFrame, group_label: str, measure: str = "forecast",
                      currency: str = "USD", time_axis: bool = False) -> alt.Chart:
    """One bar per group: forecast variance (total budget - FAC) or the window's variance
    (budget - actual); right / up = under budget (green), left / down = over (red). Clicking a bar
    selects its `key` (selection named PICK) so the page can drill into it."""
    field = "forecast_variance" if measure == "forecast" else "window_variance"
    title = fmt.label(field)
    df = summary.with_columns(
        pl.when(pl.col(field) < 0).then(pl.lit("Over budget")).otherwise(pl.lit("Under or on budget"))
        .alias("direction"))
    pick = alt.selection_point(name=PICK, fields=["key"], on="click", clear="dblclick")
    order = df.sort("key")["label"].to_list() if time_axis else df.sort(field)["label"].to_list()
    cat = alt.X if time_axis else alt.Y
    val = alt.Y if time_axis else alt.X
    chart = alt.Chart(df, title=alt.TitleParams(
        f"{title} by {group_label.lower()}", subtitle="Budget minus cost: below zero = over budget. "
        "Click a bar to drill in.")).mark_bar(cursor="pointer").encode(
        cat("label:N", title=group_label, sort=order,
            axis=alt.Axis(labelLimit=label_limit(260), labelAngle=-45 if time_axis else 0)),
        val(f"{field}:Q", axis=_money_axis(f"{title} ({currency})", currency)),
        color=alt.Color("direction:N", title=None, legend=legend(orient="top"),
                        scale=alt.Scale(domain=["Over budget", "Under or on budget"],
                                        range=[UNFAVOURABLE, FAVOURABLE])),
        opacity=alt.when(pick).then(alt.value(1.0)).otherwise(alt.value(0.45)),
        tooltip=[alt.Tooltip("label:N", title=group_label),
                 _money_tip("ledger_budget", None, currency),
                 _money_tip("ledger_actual_to_date", None, currency),
                 _money_tip("fac", None, currency),
                 _money_tip("forecast_variance", None, currency),
                 _pct_tip("forecast_variance_pct"),
                 _money_tip("window_budget", None, currency),
                 _money_tip("window_actual", None, currency),
                 _money_tip("window_variance", None, currency),
                 _pct_tip("window_variance_pct")],
    ).add_params(pick)
    n = df.height
    return _sized(chart, 300 if time_axis else max(90, 28 * n))


def _long(monthly: pl.DataFrame, cols: dict[str, str]) -> pl.DataFrame:
    return (monthly.select("period", *cols).rename(cols)
            .unpivot(index="period", variable_name="series", value_name="amount"))


def _close_rule(close_month: date) -> alt.Chart:
    df = pl.DataFrame({"period": [close_month], "note": [f"Actuals to {close_month:%b %Y}"]})
    base = alt.Chart(df).encode(x=alt.X("period:T"))
    return (base.mark_rule(strokeDash=[4, 4], color="#666")
            + base.mark_text(align="left", dx=4, dy=-6, color="#666", baseline="top")
            .encode(text="note:N", y=alt.value(0)))


@memo
def monthly_bars(monthly: pl.DataFrame, close_month: date, currency: str = "USD") -> alt.Chart:
    """Budget, actual and forecast per month as side-by-side bars, whole life."""
    df = _long(monthly, {"budget": "Budget", "actual": "Actual", "forecast_remaining": "Forecast"})
    bars = alt.Chart(df).mark_bar().encode(
        x=alt.X("yearmonth(period):T", title="Month", axis=alt.Axis(format="%b %y", labelAngle=-45)),
        xOffset=alt.XOffset("series:N", sort=SERIES),
        y=alt.Y("amount:Q", axis=_money_axis(f"Amount ({currency})", currency)),
        color=alt.Color("series:N", title=None, sort=SERIES, legend=legend(orient="top"),
                        scale=alt.Scale(domain=SERIES, range=SERIES_COLORS)),
        tooltip=[alt.Tooltip("yearmonth(period):T", title="Month", format="%b %Y"),
                 alt.Tooltip("series:N", title="Series"), _money_tip("amount", "Amount", currency)],
    )
    return _sized((bars + _close_rule(close_month)).properties(
        title=alt.TitleParams("Budget, actual and forecast by month",
                              subtitle="Forecast = the remaining forecast FAC counts, after the close "
                                       "month.")),
        260)


@memo
def s_curve(monthly: pl.DataFrame, close_month: date, currency: str = "USD") -> alt.Chart:
    """Cumulative budget, actual and FAC path (actual, then forecast) per month."""
    names = {"cum_budget": "Budget", "cum_actual": "Actual", "cum_fac": "Forecast (FAC path)"}
    df = _long(monthly, names).drop_nulls("amount")
    domain = list(names.values())
    lines = alt.Chart(df).mark_line(point=alt.OverlayMarkDef(size=18)).encode(
        x=alt.X("period:T", title="Month", axis=alt.Axis(format="%b %y", labelAngle=-45)),
        y=alt.Y("amount:Q", axis=_money_axis(f"Cumulative ({currency})", currency)),
        color=alt.Color("series:N", title=None, sort=domain, legend=legend(orient="top"),
                        scale=alt.Scale(domain=domain, range=SERIES_COLORS)),
        strokeDash=alt.StrokeDash("series:N", sort=domain, legend=None,
                                  scale=alt.Scale(domain=domain, range=[[1, 0], [1, 0], [6, 3]])),
        tooltip=[alt.Tooltip("period:T", title="Month", format="%b %Y"),
                 alt.Tooltip("series:N", title="Series"), _money_tip("amount", "Cumulative", currency)],
    )
    return _sized((lines + _close_rule(close_month)).properties(
        title=alt.TitleParams("Cumulative budget, actual and forecast (S-curve)",
                              subtitle="Where the forecast line ends above the budget line, the total is "
                                       "heading over.")),
        260)


@memo
def waterfall_chart(steps: pl.DataFrame, by_label: str, currency: str = "USD") -> alt.Chart:
    """The ledger budget, then one step per group (up = over budget, adding cost; down = under), then
    FAC. Each step is labelled with that group's forecast variance (budget - FAC)."""
    df = steps.with_columns(
        pl.col("kind").replace_strict({"total": "Total", "over": "Over budget", "under": "Under budget"})
        .alias("kind_label"),
        pl.max_horizontal("start", "end").alias("top"),
        frames.each(steps, "amount", lambda v: fmt.money(v, currency), pl.String, name="text"))
    order = df["label"].to_list()
    base = alt.Chart(df).encode(x=alt.X("label:N", title=by_label, sort=order,
                                        axis=alt.Axis(labelAngle=-30, labelLimit=label_limit(180))))
    bars = base.mark_bar().encode(
        y=alt.Y("start:Q", axis=_money_axis(f"Amount ({currency})", currency)),
        y2="end:Q",
        color=alt.Color("kind_label:N", title=None, legend=legend(orient="top"),
                        scale=alt.Scale(domain=["Total", "Over budget", "Under budget"],
                                        range=[TOTAL, UNFAVOURABLE, FAVOURABLE])),
        tooltip=[alt.Tooltip("label:N", title=by_label), alt.Tooltip("kind_label:N", title="Step"),
                 _money_tip("amount", "Total, or forecast variance", currency),
                 _money_tip("end", "Running total", currency)],
    )
    # on a phone the step labels run into each other: hidden there (the tooltip and the table
    # below have every figure); exports (no container) keep them
    text = base.mark_text(dy=-6, baseline="bottom", fontSize=11,
                          opacity=alt.ExprRef(expr=f"{NARROW} ? 0 : 1")).encode(
        y=alt.Y("top:Q"), text="text:N", color=alt.value("#333"))
    return _sized((bars + text).properties(
        title=alt.TitleParams(f"From budget to forecast at completion, by {by_label.lower()}",
                              subtitle="Each step is that group's forecast variance (budget - FAC): red "
                                       "adds cost "
                                       "over budget, green is a saving.")), 300)


@memo
def overruns_chart(overruns: pl.DataFrame, currency: str = "USD") -> alt.Chart:
    """The largest forecast overruns (FAC - budget), coloured by flag."""
    df = overruns.with_columns(
        pl.col("flag").fill_null("grey").alias("flag_color"),
        pl.concat_str("project_id", pl.lit(" · "), pl.col("project_name").fill_null("")).alias("label"))
    bars = alt.Chart().mark_bar().encode(
        color=alt.Color("flag_color:N", title="Flag", scale=alt.Scale(domain=RAG_DOMAIN, range=RAG_RANGE),
                        legend=legend(labelExpr="(datum.label === 'red' ? 'R ' : datum.label === 'amber' ? "
                                                "'A ' : datum.label === 'green' ? 'G ' : '– ') + datum.label")))
    letters = alt.Chart().mark_text(
        fontSize=11, fontWeight="bold", align=alt.ExprRef(expr="datum.overrun_amount < 0 ? 'left' : 'right'"),
        dx=alt.ExprRef(expr="datum.overrun_amount < 0 ? 4 : -4")).encode(**rag_letters("flag_color"))
    chart = with_rag_letter(alt.layer(bars, letters, data=df, title=alt.TitleParams(
        "Largest forecast overruns",
        subtitle="FAC minus total budget; colour and letter = flag (grey = below the thresholds).")
    ), "flag_color").resolve_scale(color="independent").encode(
        y=alt.Y("label:N", title=None, sort="-x", axis=alt.Axis(labelLimit=label_limit(300))),
        x=alt.X("overrun_amount:Q", axis=_money_axis(f"{fmt.label('overrun_amount')} ({currency})", currency)),
        tooltip=[alt.Tooltip("label:N", title="Project"),
                 _money_tip("overrun_amount", None, currency),
                 _pct_tip("overrun_pct"),
                 _money_tip("ledger_budget", None, currency), _money_tip("fac", None, currency),
                 alt.Tooltip("reason:N", title="Reason")],
    )
    return _sized(chart, max(90, 26 * df.height))


@memo
def heatmap_chart(cells: pl.DataFrame, currency: str = "USD") -> alt.Chart:
    """Project x month variance %: red = over budget that month, blue = under; capped at ±30%."""
    order = (cells.group_by("project_label").agg(pl.col("variance").sum())
             .sort("variance")["project_label"].to_list())
    x = alt.X("yearmonth(period):O", title="Month", axis=alt.Axis(format="%b %y", labelAngle=-45))
    y = alt.Y("project_label:N", title=None, sort=order, axis=alt.Axis(labelLimit=label_limit(260)))
    tips = [alt.Tooltip("project_label:N", title="Project"),
            alt.Tooltip("yearmonth(period):O", title="Month", format="%b %Y"),
            _money_tip("budget", None, currency), _money_tip("actual", None, currency),
            _money_tip("variance", None, currency), _pct_tip("variance_pct")]
    base = alt.Chart(cells)
    empty = base.mark_rect(color="#d9d9d9").encode(x=x, y=y, tooltip=tips)
    colored = base.transform_filter("isValid(datum.variance_pct)").mark_rect().encode(
        x=x, y=y, tooltip=tips,
        color=alt.Color("variance_pct:Q", title=fmt.label("variance_pct"),
                        scale=alt.Scale(scheme="redblue", domain=HEAT_DOMAIN, clamp=True),
                        legend=legend(format=".0%", orient="top")))
    return _sized((empty + colored).properties(
        title=alt.TitleParams(
            "Variance % by project and month",
            subtitle="(Budget - actual) / budget per month; red = over budget, blue = under, grey = no "
                     "budget that month, "
                     "blank = no lines."),
        ), max(90, 20 * cells["project_id"].n_unique()))
