"""Charts for the salary benchmarks page: market bands with own staff, compa-ratios, cost of gaps.

Pure builders: Polars frames in, `alt.Chart` out. Money axes are annual pay in the reporting
currency; every chart says what it shows in its title.
"""

from __future__ import annotations

import math

import altair as alt
import polars as pl

from pmo import frames
from pmo.charts import label_limit, legend
from pmo.metrics import CURRENCY_SYMBOLS, DATE_D3, money, plural
from pmo.charts.memo import memo

# Where a person sits against their own band (the same words as salary_positions.pay_zone).
ZONE_DOMAIN = ["below p25", "p25 to p75", "above p75"]
ZONE_RANGE = ["#c0392b", "#1f4e79", "#e07b39"]
BAND_OUTER = "#c9d6e3"      # p10 to p90
BAND_INNER = "#7f9fbf"      # p25 to p75
MEDIAN = "#0b2540"
ROW = 34                    # pixels per band row
# Width fits the page; height = rows x ROW plus axes and title (Streamlit's default "fit" would
# squeeze the rows into the given height instead).
FIT_WIDTH = alt.AutoSizeParams(type="fit-x", contains="padding")


def zone(pay_zone: str | None) -> str | None:
    """Collapse the six pay zones of salary_positions into three for colour."""
    if pay_zone in ("below p10", "p10-p25"):
        return "below p25"
    if pay_zone in ("p75-p90", "above p90", "above p75"):
        return "above p75"
    return "p25 to p75" if pay_zone else None


def money_axis(currency: str, title: str) -> alt.Axis:
    sym = CURRENCY_SYMBOLS.get(currency, "")
    if currency == "USD":
        return alt.Axis(title=title, format="$~s")
    return alt.Axis(title=title, labelExpr=f"'{sym.strip()}' + format(datum.value, '~s')")


def _money_tip(field: str, title: str, currency: str) -> alt.Tooltip:
    return alt.Tooltip(f"{field}:Q", title=f"{title} ({currency})", format=",.0f")


@memo
def band_chart(bands: pl.DataFrame, staff: pl.DataFrame | None = None, *, title: str,
               currency: str = "USD", y_title: str | None = "Band") -> alt.LayerChart:
    """Market bands as rows: p10-p90 bar, p25-p75 box, p50 tick; own staff as dots on their band.

    Where the publisher top-coded p75 / p90 (unknown, above its cap) the bar and box stop at the
    highest known percentile and the row says "top-coded →".

    `bands` needs `label` (one row each, in display order), p10..p90 (annual, reporting currency)
    and `source`, `reference`, `note` for tooltips. `staff` (optional; omit to hide individuals)
    needs `label` (the band the person is placed on), `base_salary`, `zone`, `who`,
    `compa_ratio`, `range_position`.
    """
    order = bands["label"].to_list()
    # A publisher's top-coded percentile (OEWS '#') is unknown: draw what is known and say so.
    data = bands.with_columns(pl.coalesce("p90", "p75", "p50").alias("p90_drawn"),
                              pl.coalesce("p75", "p50").alias("p75_drawn"),
                              (pl.col("p90").is_null() & pl.col("p50").is_not_null()
                               & (pl.col("top_coded").fill_null(False) if "top_coded" in bands.columns
                                  else pl.lit(False))).alias("open_end"))
    y = alt.Y("label:N", title=y_title, sort=order, axis=alt.Axis(labelLimit=label_limit(420), labelOverlap=False))
    tips = [alt.Tooltip("label:N", title="Band"), alt.Tooltip("source:N", title="Source"),
            alt.Tooltip("reference:N", title="Reference date"),
            *[_money_tip(p, p, currency) for p in ("p10", "p25", "p50", "p75", "p90")],
            alt.Tooltip("note:N", title="Note")]
    base = alt.Chart(data).encode(y=y, tooltip=tips)
    outer = base.mark_bar(height=6, color=BAND_OUTER).encode(
        x=alt.X("p10:Q", axis=money_axis(currency, f"Annual pay ({currency})"),
                scale=alt.Scale(zero=False)),
        x2="p90_drawn:Q")
    inner = base.mark_bar(height=16, color=BAND_INNER, opacity=0.85).encode(x="p25:Q", x2="p75_drawn:Q")
    median = base.mark_tick(thickness=3, size=22, color=MEDIAN).encode(x="p50:Q")
    layers = [outer, inner, median]
    open_rows = data.filter(pl.col("open_end"))
    if open_rows.height:
        layers.append(alt.Chart(open_rows).mark_text(align="left", dx=6, fontSize=10, color="#555").encode(
            y=alt.Y("label:N", sort=order), x="p90_drawn:Q",
            text=alt.value("top-coded →"),
            tooltip=[alt.Tooltip("label:N", title="Band"),
                     alt.Tooltip("note:N", title="Note")]))
    if staff is not None and staff.height:
        dots = alt.Chart(staff).mark_circle(size=70, opacity=0.9, stroke="white", strokeWidth=1).encode(
            x="base_salary:Q", y=alt.Y("label:N", sort=order),
            color=alt.Color("zone:N", title="Own staff", scale=alt.Scale(domain=ZONE_DOMAIN, range=ZONE_RANGE),
                            legend=legend(orient="top")),
            tooltip=[alt.Tooltip("who:N", title="Person"), alt.Tooltip("label:N", title="Band"),
                     _money_tip("base_salary", "Annual FTE pay", currency),
                     alt.Tooltip("compa_ratio:Q", title="Compa-ratio", format=".2f"),
                     alt.Tooltip("range_position:Q", title="Position in range", format=".0%")])
        layers.append(dots)
    return alt.layer(*layers).properties(title=title, height=ROW * len(order), autosize=FIT_WIDTH)


BIN = 0.05                  # compa-ratio histogram bin width


def compa_bins(staff: pl.DataFrame, step: float = BIN, min_people: int = 1) -> pl.DataFrame:
    """People per compa-ratio bin [bin_start, bin_end), bins `step` wide on multiples of `step`
    (1.00 starts a bin); people without a compa-ratio are not counted. `min_people`: a bin with
    fewer people is merged with the next ones (the last with the one before), so no bar shows a
    group under the privacy threshold ([salaries] small_group)."""
    edge = (pl.col("compa_ratio") / step + 1e-9).floor()
    bins = (staff.filter(pl.col("compa_ratio").is_not_null())
            .group_by(edge.alias("_bin")).agg(pl.len().alias("people")).sort("_bin")
            .select((pl.col("_bin") * step).round(6).alias("bin_start"),
                    ((pl.col("_bin") + 1) * step).round(6).alias("bin_end"), "people"))
    if min_people <= 1 or bins.height == 0:
        return bins
    merged: list[list] = []
    current: list | None = None
    for start, end, people in bins.iter_rows():
        if current is None:
            current = [start, end, people]
        elif current[2] < min_people:
            current[1], current[2] = end, current[2] + people
        else:
            merged.append(current)
            current = [start, end, people]
    if current is not None:
        if current[2] < min_people and merged:
            merged[-1][1], merged[-1][2] = current[1], merged[-1][2] + current[2]
        else:
            merged.append(current)
    return pl.DataFrame(merged, schema=bins.schema, orient="row")


@memo
def compa_histogram(staff: pl.DataFrame, *, min_people: int = 5,
                    title: str = "Compa-ratio distribution: pay ÷ market median") -> alt.LayerChart:
    """Histogram of compa-ratios (0.05 wide bins, bins under `min_people` merged with their
    neighbours) with a rule at 1.00 (paid at the market median). Counted here (`compa_bins`): the
    chart gets one row per bin, whatever the head count."""
    bins = compa_bins(staff, min_people=min_people)
    # a tick every 0.10 (a "binned" axis would put one on every 0.02 across the page)
    ticks = ([round(t / 10, 1) for t in range(math.floor(bins["bin_start"].min() * 10),
                                              math.ceil(bins["bin_end"].max() * 10) + 1)]
             if bins.height else None)
    bars = alt.Chart(bins).mark_bar(color="#1f4e79").encode(
        x=alt.X("bin_start:Q", bin="binned", title="Compa-ratio (1.00 = market median)",
                axis=alt.Axis(format=".2f", values=ticks) if ticks else alt.Axis(format=".2f")),
        x2="bin_end:Q",
        y=alt.Y("people:Q", title="People", axis=alt.Axis(tickMinStep=1, format="d")),
        tooltip=[alt.Tooltip("bin_start:Q", title="Compa-ratio from", format=".2f"),
                 alt.Tooltip("bin_end:Q", title="to", format=".2f"),
                 alt.Tooltip("people:Q", title="People")])
    rule = alt.Chart(pl.DataFrame({"x": [1.0], "label": ["market median"]})).mark_rule(
        color="#e07b39", strokeDash=[4, 3], strokeWidth=2).encode(
        x="x:Q", tooltip=[alt.Tooltip("label:N", title="Line")])
    return alt.layer(bars, rule).properties(title=title, height=260)


@memo
def gap_cost_chart(summary: pl.DataFrame, by: str, *, currency: str = "USD", by_title: str,
                   title: str = "Yearly cost of raising pay to the market p25 and p50") -> alt.LayerChart:
    """Cost to p25 and to p50 per group (bars); suppressed groups, and groups with no gap, say so.

    `summary` is `pmo.salaries.summarise(...)`: `by`, cost_to_p25, cost_to_p50, suppressed, note.
    """
    order = summary[by].cast(pl.String).to_list()
    long = (summary.filter(~pl.col("suppressed"))
            .select(pl.col(by).cast(pl.String).alias("group"), "cost_to_p25", "cost_to_p50")
            .unpivot(index="group", variable_name="target", value_name="cost")
            .with_columns(pl.col("target").replace({"cost_to_p25": "Raise to p25",
                                                    "cost_to_p50": "Raise to p50"})))
    y = alt.Y("group:N", title=by_title, sort=order, axis=alt.Axis(labelLimit=label_limit(260)))
    bars = alt.Chart(long).mark_bar().encode(
        y=y, yOffset=alt.YOffset("target:N", sort=["Raise to p25", "Raise to p50"]),
        x=alt.X("cost:Q", axis=money_axis(currency, f"Yearly cost ({currency})")),
        color=alt.Color("target:N", title=None, scale=alt.Scale(domain=["Raise to p25", "Raise to p50"],
                                                              range=["#c0392b", "#e07b39"]),
                        legend=legend(orient="top")),
        tooltip=[alt.Tooltip("group:N", title=by_title), alt.Tooltip("target:N", title="Target"),
                 _money_tip("cost", "Yearly cost", currency)])
    no_gap = ~pl.col("suppressed") & (pl.col("cost_to_p50").fill_null(0) == 0)
    hidden = (summary.filter(pl.col("suppressed") | no_gap)
              .select(pl.col(by).cast(pl.String).alias("group"),
                      pl.when(pl.col("suppressed")).then(pl.col("note"))
                      .otherwise(pl.lit("no one below p50: no cost")).alias("note"))
              .with_columns(pl.lit(0.0).alias("x")))
    text = alt.Chart(hidden).mark_text(align="left", dx=4, color="#777", fontStyle="italic").encode(
        y=y, x="x:Q", text="note:N")
    return alt.layer(bars, text).properties(title=title, height=max(ROW, 44 * len(order)),
                                            autosize=FIT_WIDTH)


@memo
def company_pay_chart(pay: pl.DataFrame, *, currency: str = "USD", aged_to: str) -> alt.LayerChart:
    """Self-reported pay by company as bars (highest first), each labelled with its figure and
    its number of reports. `pay`: company, job_title, company_pay, sample_size, reference_date."""
    data = pay.with_columns(
        (pl.col("company") + " · " + pl.col("job_title")).alias("label"),
        frames.each_row(pay, ("company_pay", "sample_size"),
                        lambda r: f"{money(r['company_pay'], currency)} ({plural(r['sample_size'] or 0, 'report')})",
                        pl.String, "figure"))
    order = data.sort("company_pay", descending=True)["label"].to_list()
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=label_limit(260)))
    base = alt.Chart(data).encode(
        y=y, tooltip=[alt.Tooltip("company:N", title="Company"), alt.Tooltip("job_title:N", title="Title"),
                      _money_tip("company_pay", "Pay, aged", currency),
                      alt.Tooltip("sample_size:Q", title="Reports"),
                      alt.Tooltip("reference_date:T", title="Reported", format=DATE_D3)])
    bars = base.mark_bar(color=BAND_INNER).encode(
        x=alt.X("company_pay:Q", axis=money_axis(currency, f"Annual pay, aged to {aged_to} ({currency})")))
    text = base.mark_text(align="left", dx=4, color="#333").encode(x="company_pay:Q", text="figure:N")
    return (bars + text).properties(
        title=alt.TitleParams(f"PMO pay by company (annual, {currency})",
                              subtitle="Self-reported, a few reports each: a sense check, not a band"),
        height=max(len(order), 1) * ROW + 40, autosize=FIT_WIDTH)
