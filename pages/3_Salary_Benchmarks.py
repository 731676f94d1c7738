"""Salary benchmarks: market pay bands per PMO role and location, own staff placed on them,
compa-ratio, and the yearly cost of closing the gaps. See docs/salaries.md."""

from __future__ import annotations

import polars as pl
import streamlit as st

from pmo import frames, salaries
from pmo import metrics as fmt
from pmo.charts import salary as charts
from pmo.ui import auth, data, page, safe, share, tables, url

st.set_page_config(page_title="Salary benchmarks", page_icon=":material/payments:", layout="wide")

# ---- Constants ------------------------------------------------------------------------------
GROUPS = {"Role": "benchmark_role", "Department": "department", "Level": "level", "Location": "location"}
FILTERS = {"staff_country": ("Country", "country"), "staff_department": ("Department", "department"),
           "staff_level": ("Level", "level")}
STAFF_COLUMNS = ["employee_name", "job_title", "benchmark_role", "department", "location", "fte_pct",
                 "base_salary", "p25", "p50", "p75", "compa_ratio", "range_position", "pay_zone",
                 "cost_to_p25", "cost_to_p50", "band"]
STAFF_SORT = {    # the staff table's orders when it has more than one page (the first: the query's)
    "Role, lowest compa-ratio first": (["role_order", "compa_ratio"], False),
    "Lowest compa-ratio first": ("compa_ratio", False),
    "Highest compa-ratio first": ("compa_ratio", True),
    "Largest cost to p50 first": ("cost_to_p50", True),
    "Person": ("employee_name", False)}
MONEY_COLUMNS = ["base_salary", "p25", "p50", "p75", "cost_to_p25", "cost_to_p50"]


# ---- Components -----------------------------------------------------------------------------
def drop_stale(key: str, label: str, options: list[str]) -> None:
    """A value from an old link that is not an option any more: drop it and say so."""
    url.drop_invalid(key, options, label.lower(), "the default")


def sidebar_filter(key: str, options: list[str]) -> str | None:
    """A staff filter bound to the URL."""
    label = FILTERS[key][0]
    drop_stale(key, label, options)
    return st.selectbox(label, options, index=None, placeholder="All", key=key, bind="query-params",
                        persist_state="session")


def money(value) -> str:
    return fmt.money(value, currency, compact=False)


def compact(value) -> str:
    return fmt.money(value, currency)


def kpi_row(placed: pl.DataFrame, staff: pl.DataFrame) -> None:
    overall = salaries.summarise(placed, None, small_group, population=everyone)
    row = overall.row(0, named=True) if overall.height else None
    hidden = row is None or row["suppressed"]
    suppressed = salaries.suppressed_label(small_group)

    def show(value: str) -> str:
        return "—" if hidden else value

    unplaced = staff.height - placed.height
    share.kpi_row("Pay against the market")
    cols = iter(share.kpi_cells(6))
    with next(cols):
        share.kpi("staff_on_band", None, text=f"{placed.height} of {staff.height}",
                  note=f"{unplaced} are not placed: see 'Title matching' at the bottom.")
    for name in ("median_compa_ratio", "below_p25_count", "above_p75_count", "cost_to_p25", "cost_to_p50"):
        with next(cols):
            value = None if hidden else row[name]
            share.kpi(name, value, note=f"{money(value)} a year in {currency}." if name.startswith("cost_to")
                      and not hidden else None)
    if hidden:
        st.caption(f"Pay figures are suppressed: {suppressed} on a market band match the filters "
                   "(`[salaries] small_group`).")


def band_table(bands: pl.DataFrame) -> pl.DataFrame:
    """The band rows as text, so every figure is readable on the page (and in the browser test)."""
    rows = []
    for r in bands.rows(named=True):
        cells = {"Where": r["where"], "What": r["what"], "Source": r["source"],
                 "Reference date": fmt.day(r["reference_date"])}
        for p in salaries.PERCENTILES:
            cells[p.upper()] = money(r[p]) if r[p] is not None else ("top-coded" if r["top_coded"] else "—")
        cells["Sample"] = fmt.count(r["sample_size"])
        cells["Notes"] = salaries.band_notes(r, s["hours_per_year"], currency) or "—"
        rows.append(cells)
    return pl.DataFrame(rows)


def staff_dots(role_staff: pl.DataFrame, labels: dict[int, str]) -> pl.DataFrame:
    return role_staff.select(
        pl.col("benchmark_id").replace_strict(labels, default=None, return_dtype=pl.String).alias("label"),
        "base_salary", "compa_ratio", "range_position",
        frames.each(role_staff, "pay_zone", charts.zone, pl.String, name="zone"),
        pl.concat_str([pl.col("employee_name").fill_null(pl.col("employee_id")), pl.col("job_title")],
                      separator=", ").alias("who"))


# ---- Data -----------------------------------------------------------------------------------
page.start()
cfg = data.settings()
s = salaries.settings(cfg)
currency, small_group = s["reporting_currency"], s["small_group"]
viewer = auth.current_role().name       # signed-in role (roles.toml); local mode: env PMO_ROLE, default admin
individuals = auth.can("see_individual_salaries")   # [salaries] show_individuals_to
map_file = salaries.title_map_path(cfg, data.store().root)
title_map = salaries.load_title_map(map_file)
map_path = map_file.relative_to(salaries.ROOT) if map_file.is_relative_to(salaries.ROOT) else map_file

options = data.query("salary_filter_options")


def opts(dim: str) -> list[str]:
    return options.filter(pl.col("dimension") == dim)["value"].to_list()


with st.sidebar:
    st.subheader("Staff filters", anchor=False)
    picked = {FILTERS[k][1]: sidebar_filter(k, opts(FILTERS[k][1])) for k in FILTERS}
    if any(picked.values()) and st.button("Clear filters", icon=":material/filter_alt_off:",
                                          width="stretch"):
        for k in FILTERS:
            st.session_state.pop(k, None)
            if k in st.query_params:
                del st.query_params[k]
        st.rerun()
    st.caption(f"Viewing as **{safe.md(viewer)}**: individual salaries "
               f"{'shown' if individuals else 'hidden'} (`[salaries] show_individuals_to`).")
    st.caption(f"Store version {data.version()}")

staff = data.query("salary_staff", **picked).with_columns(
    pl.coalesce("city", "country").alias("location"), (pl.col("fte")).alias("fte_pct"))
placed = staff.filter(pl.col("match_status") == "placed")
# the same staff without the filters: figures that differ from the unfiltered ones by fewer than
# small_group people are suppressed too (pmo.salaries.summarise)
everyone = (data.query("salary_staff", country=None, department=None, level=None)
            .filter(pl.col("match_status") == "placed")
            .with_columns(pl.coalesce("city", "country").alias("location")) if any(picked.values()) else None)
bands = salaries.label_bands(data.query("salary_bands", role=None, country=picked["country"]))
age_to = bands["age_to"][0] if bands.height else s["age_to"]

# ---- Header ---------------------------------------------------------------------------------
share.share_bar("Salary benchmarks", [f"{FILTERS[k][0]}: {picked[FILTERS[k][1]]}" for k in FILTERS
                                       if picked[FILTERS[k][1]]] or "All PMO staff", as_of=age_to)
st.caption(f"Own PMO staff against market pay for their role and location. Market bands are aged to "
           f"{fmt.day(age_to)} at {s['aging_rate']:.1%} a year, converted to {currency} through "
           f"fx_rates, hourly figures annualised at {s['hours_per_year']:,.0f} hours. Pay is annual "
           "full-time-equivalent base pay from the HR export.")

if staff.is_empty() and bands.is_empty():
    st.info("No salary data yet: ingest an HR compensation export (Workday or HRIS) and a salary "
            "benchmark file (BLS OEWS or a benchmark table) with `pmo ingest FILE` or on the Data page.",
            icon=":material/info:")
    st.stop()

for problem in title_map.problems:
    st.warning(f"Title map: {safe.md(problem)}", icon=":material/warning:")

kpi_row(placed, staff)
if not individuals:
    st.info(f"Individual salaries are hidden for the role '{safe.md(viewer)}'. Only aggregates are shown, and "
            f"only over groups of at least {small_group} people.", icon=":material/visibility_off:")

# ---- Market ---------------------------------------------------------------------------------
st.subheader("How much does a PMO earn?", anchor=False)
# the country most of the placed staff are compared in (or the one picked in the filter)
main_country = (placed["benchmark_country"].drop_nulls().mode().sort().first() if placed.height else None)
headline = salaries.headline_bands(bands, main_country)
if headline.is_empty():
    st.info("No market band to show for the selected country.", icon=":material/info:")
else:
    overview = headline.with_columns(
        pl.col("benchmark_role").alias("label"), pl.col("reference_date").cast(pl.String).alias("reference"),
        frames.each_row(headline, headline.columns,
                        lambda r: f"{r['label']}: {salaries.band_notes(r, s['hours_per_year'], currency)}",
                        pl.String, "note"))
    share.chart(charts.band_chart(
        overview, title=f"Market pay per PMO role, {headline['country'][0]}, primary source "
                        f"(annual, {currency})",
        currency=currency, y_title="Role"), key="overview_chart")
    st.caption("Bar = p10 to p90, box = p25 to p75, tick = median. " + "; ".join(
        sorted({f"Source: {r['source']}, reference date {fmt.day(r['reference_date'])}"
                for r in headline.rows(named=True)})) +
        ". OEWS has one band per occupation for all seniorities, so roles sharing an occupation share "
        "a band. Staff are compared with the band for their own metro or state, below.")

# ---- PMO pay by company (self-reported) -----------------------------------------------------
company_pay = data.query("salary_company_pay")
if company_pay.height:
    st.subheader("PMO pay by company (self-reported)", anchor=False)
    aged_to = fmt.day(company_pay["age_to"][0])
    share.chart(charts.company_pay_chart(company_pay, currency=currency, aged_to=aged_to), key="company_pay_chart")
    reports = sorted(set(company_pay["sample_size"].drop_nulls().to_list()))
    dates = sorted(set(company_pay["reference_date"].drop_nulls().to_list()))
    years = (company_pay["age_to"][0] - dates[0]).days / 365.25 if dates else 0
    st.caption(
        f"{fmt.plural(company_pay.height, 'company figure')}, each the average of "
        + " or ".join(str(n) for n in reports) + " self-reported salaries"
        + (f", reported {fmt.day(dates[0])}" if len(dates) == 1 else "")
        + (f" (about {years:.0f} years ago)" if years >= 1 else "")
        + f". Aged to {aged_to} at {s['aging_rate']:.1%} a year and converted to {currency}, as the market "
        "bands are. So few reports, this old, say little about a company's pay today: read them as a sense "
        "check beside the market bands above, never as a band. Staff are never placed on them.")
    company_table = company_pay.select("company", "job_title", "company_pay", "pay_as_reported", "currency",
                                       "sample_size", "reference_date", "source")
    # each figure in its own currency ("$77,411", "CHF 95,119"): a bare 77,411 says nothing
    shown_pay = company_table.with_columns(frames.each_row(
        company_table, ("pay_as_reported", "currency"),
        lambda r: fmt.money(r["pay_as_reported"], r["currency"] or currency, compact=False),
        pl.String, "pay_as_reported"))
    tables.static(shown_pay, key="company_pay_table", noun="companies", currency=currency)
    share.download_table(company_table, "PMO pay by company (self-reported)")

st.subheader("Market bands by role", anchor=False)
role_options = opts("role")
drop_stale("benchmark_role", "Benchmark role", role_options)


@share.section("salary_role")
def market_bands() -> None:
    """Picking a benchmark role reruns only this part (the role stays in the link)."""
    role = st.selectbox("Benchmark role", role_options, index=0 if role_options else None, key="benchmark_role",
                        bind="query-params", on_change=share.keep_link("salary_role"),
                        help="Roles from the title map, then benchmark titles in the data that no role uses "
                             "(shown for context).")
    role_bands = bands.filter(pl.col("benchmark_role") == role) if role else bands.clear()
    if role_bands.is_empty():
        st.info("No market band for this role" + (f" in {picked['country']}." if picked["country"] else "."),
                icon=":material/info:")
    else:
        labels = dict(zip(role_bands["benchmark_id"].to_list(), role_bands["label"].to_list()))
        role_staff = placed.filter(pl.col("benchmark_role") == role)
        dots = staff_dots(role_staff, labels) if individuals else None
        if dots is not None and dots.height > tables.CHART_POINTS:
            dots = (dots.with_columns((pl.col("compa_ratio") - 1).abs().alias("_off"))
                    .sort("_off", descending=True, nulls_last=True).head(tables.CHART_POINTS).drop("_off"))
        chart_bands = role_bands.with_columns(
            pl.col("reference_date").cast(pl.String).alias("reference"),
            frames.each_row(role_bands, role_bands.columns,
                            lambda r: salaries.band_notes(r, s["hours_per_year"], currency), pl.String, "note"))
        share.chart(charts.band_chart(
            chart_bands, dots, title=f"{role}: market bands (annual, {currency})" +
            (" with own staff on the band they are compared with" if individuals and role_staff.height else ""),
            currency=currency, y_title=None), key="role_chart")
        if individuals and dots is not None and role_staff.height > tables.CHART_POINTS:
            st.caption(f"Dots: the {tables.CHART_POINTS:,} of {role_staff.height:,} people on a {safe.md(role)} band "
                       "paid furthest from their market median (below p25 and above p75 first); the rest "
                       "would hide behind them. The staff table below lists everyone; the Country, Department and "
                       "Level filters in the sidebar narrow the chart.")
        if role_bands["is_unmapped_title"].any():
            st.caption(f"'{safe.md(role)}' is a benchmark title no role in the title map uses; it is shown for context.")
        if role_bands["is_small_sample"].any():
            st.caption(f"Small samples (fewer than {s['small_sample']} reports) are flagged in the notes; "
                       "company-level figures are never used to place staff.")
        tables.static(band_table(role_bands), key="band_table", noun="bands")
        share.download_table(band_table(role_bands), f"Market bands, {role}")


market_bands()


@share.section("salary_group")
def own_staff() -> None:
    """The grouping reruns only this part (it stays in the link)."""
    group_label = st.segmented_control("Group by", list(GROUPS), default="Role", key="salary_group_by",
                                       required=True, bind="query-params", on_change=share.keep_link("salary_group"))
    by = GROUPS[group_label or "Role"]
    summary = salaries.summarise(placed, by, small_group, population=everyone)
    if by == "benchmark_role":
        order = {r: i for i, r in enumerate(role_options)}
        summary = summary.sort(pl.col(by).replace_strict(order, default=999, return_dtype=pl.Int64))
    # One above the other, each the page's width: in half a column the cost chart's group names
    # (departments, 'Senior Project Manager') were cut to a few letters.
    if placed.height < small_group:
        st.info(f"Compa-ratio distribution: {salaries.suppressed_label(small_group)}.")
    else:
        share.chart(charts.compa_histogram(placed, min_people=small_group), key="compa_chart")
    share.chart(charts.gap_cost_chart(summary, by, currency=currency, by_title=group_label),
                key="gap_chart")
    table = summary.select(
        pl.col(by).fill_null("—").alias(group_label),
        pl.when(pl.col("suppressed")).then(pl.col("note"))
          .otherwise(pl.col("staff_count").cast(pl.String)).alias("People on a band"),
        *[frames.each(summary, c, f, pl.String, name=t).fill_null("—") for c, f, t in (
            ("median_compa_ratio", fmt.ratio, "Median compa-ratio"),
            ("median_range_position", fmt.pct, "Median position in range"),
            ("below_p25_count", fmt.count, "Below p25"),
            ("above_p75_count", fmt.count, "Above p75"),
            ("cost_to_p25", money, "Cost to p25 / yr"),
            ("cost_to_p50", money, "Cost to p50 / yr"))])
    tables.static(table, key="salary_group_table", noun="groups")
    share.download_table(table, f"Own staff by {group_label.lower()}")
    st.caption(f"Groups with fewer than {small_group} people on a band are suppressed "
               "(`[salaries] small_group`). Position in range = (pay − p10) ÷ (p90 − p10); blank where "
               "the publisher top-coded p90.")
    if individuals:
        people = staff.filter(pl.col("match_status") == "placed").with_columns(
            pl.col("benchmark_id").replace_strict(dict(zip(bands["benchmark_id"], bands["label"])), default=None,
                                                  return_dtype=pl.String).alias("band"))
        people = people.select(STAFF_COLUMNS).with_columns(pl.col(MONEY_COLUMNS).round(0))
        tables.paged(people.with_columns(staff.filter(pl.col("match_status") == "placed")["role_order"]),
                     key="staff_table", noun="people", sort_options=STAFF_SORT, currency=currency,
                     column_order=STAFF_COLUMNS)
        share.download_table(people, "Own staff on market bands")


# ---- Own staff ------------------------------------------------------------------------------
st.subheader("Own staff against the market", anchor=False)
if placed.is_empty():
    st.info("Nobody matches the filters with a market band; see 'Title matching' below.", icon=":material/info:")
else:
    url.drop_invalid("salary_group_by", GROUPS, "grouping", "Role")
    own_staff()

# ---- Title matching -------------------------------------------------------------------------
st.subheader("Title matching", anchor=False)
st.caption(f"Job titles map to benchmark roles in `{map_path}`; "
           "edit it and restart the dashboard (or publish a new version) to apply. Nobody is dropped: "
           "everyone without a band is listed here with the reason.")
unplaced = data.query("salary_unplaced", **picked)
unmapped = unplaced.filter(pl.col("match_status") == "unmapped title")
if unmapped.height:
    titles = (unmapped.group_by("job_title").agg(pl.col("staff_count").sum()).sort("job_title"))
    st.markdown(f"**{fmt.plural(titles.height, 'job title')} {'is' if titles.height == 1 else 'are'} not mapped to a benchmark role**")
    unmapped_table = salaries.unmapped_titles(titles, title_map).select(
        pl.col("job_title").alias("Job title"), pl.col("staff_count").alias("People"),
        pl.col("suggested_roles").alias("Suggested roles"))
    tables.static(unmapped_table, key="unmapped_titles", noun="titles")
    share.download_table(unmapped_table, "Unmapped job titles")
no_band = unplaced.filter(pl.col("match_status") != "unmapped title")
if no_band.height:
    st.markdown("**Mapped, but no market band for them**")
    no_band_table = no_band.select(pl.col("match_status").alias("Reason"), pl.col("benchmark_role").alias("Role"),
                                   pl.col("job_title").alias("Job title"), pl.col("staff_count").alias("People"))
    tables.static(no_band_table, key="no_band_titles", noun="titles")
    share.download_table(no_band_table, "Mapped titles without a band")
if unplaced.is_empty():
    st.success("Every PMO job title is mapped and everyone has a market band.", icon=":material/check:")
unused = data.query("salary_unused_benchmarks")
if unused.height:
    st.markdown("**Benchmark titles no role uses** (listed under *Market bands by role* for context)")
    unused_table = unused.select(
        pl.col("job_title").alias("Benchmark title"), pl.col("source").alias("Source"),
        pl.col("companies").fill_null("—").alias("Companies"), pl.col("row_count").alias("Rows"),
        pl.col("latest_reference_date").dt.strftime(fmt.DATE_FORMAT).fill_null("—").alias("Reference date"))
    tables.static(unused_table, key="unused_benchmarks", noun="titles")
    share.download_table(unused_table, "Benchmark titles no role uses")
