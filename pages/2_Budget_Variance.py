"""Budget variance: where are we over, by how much, and where will we land?

Budget vs actual vs forecast from the ledger, cut by any dimension with a drill path
(portfolio -> program -> project -> category -> month) kept in the URL, forecast at completion,
burn rate, and the projects over the [budget] thresholds with the reason. Definitions:
docs/budget.md (the same text is on the page).
"""

from datetime import date
from functools import partial

import polars as pl
import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from pmo import budget, frames
from pmo import metrics as fmt
from pmo.charts import budget as charts
from pmo.ui import data, filters, page, safe, share, tables, url

st.set_page_config(page_title="Budget variance", page_icon=":material/account_balance:", layout="wide")

# ---------------------------------------------------------------------------------------------
# Constants
# ---------------------------------------------------------------------------------------------
GROUP_KEY, MEASURE_KEY, WATERFALL_KEY = "bv_group", "bv_measure", "bv_waterfall"
FROM_KEY, TO_KEY = "bv_from", "bv_to"
PATH_PREFIX = "bv_"
PROJECT_PAGE = "pages/6_Project.py"
# Bound widgets keep their option labels in the URL (?bv_group=Project&bv_from=Apr+2026), so the
# options are the labels and are mapped back to keys.
MEASURES = {"At completion": "forecast", "In the window": "window"}
GROUP_BY_LABEL = {label: key for key, label in budget.DIMENSIONS.items()}
HEAT_ROWS = 25


def month_label(key: str) -> str:
    try:
        return date.fromisoformat(key + "-01").strftime("%b %Y")
    except ValueError:
        return key      # a link whose month is not YYYY-MM: shown as given; it matches no line


# ---------------------------------------------------------------------------------------------
# Drill path (URL query params bv_<dimension>) and its callbacks
# ---------------------------------------------------------------------------------------------
def read_path() -> dict[str, str]:
    return budget.ordered({d: st.query_params[PATH_PREFIX + d] for d in budget.DIMENSIONS
                           if PATH_PREFIX + d in st.query_params})


def write_path(path: dict[str, str]) -> None:
    for d in budget.DIMENSIONS:
        if PATH_PREFIX + d in st.query_params and d not in path:
            del st.query_params[PATH_PREFIX + d]
    for d, v in path.items():
        st.query_params[PATH_PREFIX + d] = v


def drill_into(group: str, value: str | None) -> None:
    if value is None:
        return
    path, nxt = budget.drill(read_path(), group, value)
    write_path(path)
    st.session_state[GROUP_KEY] = budget.DIMENSIONS[nxt]


def on_chart_pick(chart_key: str, group: str) -> None:
    state = st.session_state.get(chart_key) or {}
    picked = (state.get("selection") or {}).get(charts.PICK) or []
    if picked and isinstance(picked[0], dict):
        drill_into(group, picked[0].get("key"))


def on_row_pick(table_key: str, group: str, keys: list[str]) -> None:
    state = st.session_state.get(table_key) or {}
    rows = (state.get("selection") or {}).get("rows") or []
    if rows and rows[0] < len(keys):
        drill_into(group, keys[rows[0]])


def go_up(dim: str | None) -> None:
    write_path(budget.up_to(read_path(), dim))
    if dim is not None and budget.DRILL_NEXT.get(dim):
        st.session_state[GROUP_KEY] = budget.DIMENSIONS[budget.DRILL_NEXT[dim]]
    elif dim is None:
        st.session_state[GROUP_KEY] = budget.DIMENSIONS["portfolio"]


def crumb_text(dim: str, value: str) -> str:
    if dim == "month":
        value = month_label(value)
    elif dim == "project":
        value = PROJECT_LABELS.get(value, value)
    return f"{budget.DIMENSIONS[dim]}: {value}"


def breadcrumb(path: dict[str, str], prefix: str = "bv_crumb") -> None:
    """Where the drill-down is: each crumb goes back up to that level."""
    with st.container(horizontal=True, vertical_alignment="center", gap="small"):
        st.markdown("**Drilled into:**", width="content")
        st.button("All", icon=":material/home:", type="tertiary", key=f"{prefix}_all",
                  on_click=go_up, args=(None,), disabled=not path, help="Back to the whole selection")
        for i, (dim, value) in enumerate(path.items()):
            st.markdown(":material/chevron_right:", width="content")
            st.button(crumb_text(dim, value), type="tertiary", key=f"{prefix}_{dim}", on_click=go_up,
                      args=(dim,), disabled=i == len(path) - 1)
        if "project" in path:
            try:
                st.page_link(PROJECT_PAGE, label="Open the project page", icon=":material/assignment:",
                             query_params={"project": path["project"]})
            except StreamlitPageNotFoundError:  # the page run on its own: no page registry
                pass


# ---------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------
page.start()
f = filters.sidebar()
settings = data.settings()
currency = settings["general"]["reporting_currency"]
fy_start = int(settings["general"].get("fiscal_year_start_month", 1))
thresholds = budget.Thresholds.from_config(settings.get("budget"))
as_of = f.as_of or data.today()
money = lambda v: fmt.money(v, currency)

lines = data.query("budget_lines", as_of=as_of, fiscal_start_month=fy_start, **f.params())
unconverted = data.query("budget_unconverted", **f.params())
register = data.query("budget_ledger_vs_register", **f.params())

view = share.share_bar("Budget variance", f, as_of=as_of)
scope = " · ".join(f"{filters.LABELS[k]}: {v}" for k, v in f.params().items() if v) or "all projects"
st.caption("Where are we over, by how much, and where will we land? Budget, actual and forecast from "
           f"the finance ledger in {currency}, for {scope}.")

if not unconverted.is_empty():
    # kinds, currency codes and project ids are the ledger's text
    parts = [safe.md(f"{r['line_count']:,} {r['kind']} lines in {r['currency']} "
                     f"({fmt.money(r['amount_original'], r['currency'])}, "
                     f"{r['first_period']:%b %Y}–{r['last_period']:%b %Y}; {r['projects']})")
             for r in unconverted.iter_rows(named=True)]
    st.warning(f"**Not converted, left out of every figure below:** there is no FX rate to {safe.md(currency)} for "
               + "; ".join(parts) + ". Add the rates (`pmo ingest fx_rates.csv`) to include them.",
               icon=":material/currency_exchange:")

if lines.is_empty():
    st.info("No ledger lines match these filters. Clear a filter in the sidebar, or load a finance "
            "ledger with `pmo ingest ledger.csv`.", icon=":material/filter_alt_off:")
    st.stop()

df = budget.prepare(lines)
PROJECT_LABELS = dict(df.select("project", "project_label").unique().iter_rows())
close = df["close_month"][0]
months = sorted(df["month"].unique().to_list())
default = budget.default_window(close, fy_start)
default_from = max(default.start.strftime("%Y-%m"), months[0])
default_to = min(close.strftime("%Y-%m"), months[-1]) if close.strftime("%Y-%m") >= months[0] else months[-1]

labels = [month_label(k) for k in months]
for key, what in ((FROM_KEY, "first month"), (TO_KEY, "last month")):
    url.drop_invalid(key, labels, what, "the default window")
with st.container(horizontal=True, vertical_alignment="bottom"):
    start_label = st.selectbox("Variance from", labels, index=months.index(default_from), key=FROM_KEY,
                               bind="query-params", width=180,
                             help="First month of the window variance (budget - actual) is computed for.")
    end_label = st.selectbox("to", labels, index=months.index(default_to), key=TO_KEY,
                             bind="query-params", width=180,
                           help="Last month of the window. Default: fiscal year to date.")
    chosen = " (status date chosen in the sidebar)" if f.as_of else " (today)"
    st.caption(f"As of {fmt.day(as_of)}{chosen} · "
               f"actuals to **{close:%b %Y}** (close month) · fiscal year starts in "
               f"{date(2000, fy_start, 1):%B} · FAC is whole-life, variance is for the window.")
lo, hi = sorted([months[labels.index(start_label or labels[0])],
                 months[labels.index(end_label or labels[-1])]])
window = budget.Window(date.fromisoformat(lo + "-01"), date.fromisoformat(hi + "-01"))
view.add_filter(f"Window: {window.label()}")
if window.end > close:
    st.caption(f":material/info: The window runs past {close:%b %Y}, the last month with actuals: "
               "budget for later months has no actual against it yet and shows as under budget.")

path = read_path()
scoped = budget.apply_path(df, path)
view.add_filter("Drilled into: " + " › ".join(crumb_text(d, v) for d, v in path.items()) if path else None)
if path:
    breadcrumb(path)
if scoped.is_empty():
    st.info("Nothing in the ledger matches this drill path. Use the breadcrumb to go back up.",
            icon=":material/filter_alt_off:")
    st.stop()

total = budget.summarise(scoped, None, window, close).row(0, named=True)
flags = budget.project_flags(scoped, thresholds, currency)
n_red = flags.filter(pl.col("flag") == "red").height
n_amber = flags.filter(pl.col("flag") == "amber").height

# ---------------------------------------------------------------------------------------------
# KPIs (labels, formats and help from metrics/budget.toml: every figure here is the ledger's)
# ---------------------------------------------------------------------------------------------
def signed_pct(value, good: str = "under", bad: str = "over") -> str | None:
    if fmt.is_missing(value):
        return None
    return f"{'+' if value >= 0 else ''}{fmt.pct(value)} ({good if value >= 0 else bad} budget)"


share.kpi_row("Budget at completion (ledger)")
with st.container(horizontal=True):
    share.kpi("ledger_budget", total["ledger_budget"])
    share.kpi("ledger_actual_to_date", total["ledger_actual_to_date"],
              note=f"Close month: {close:%b %Y}, the latest month up to the as-of date ({fmt.day(as_of)}) "
                   "with actuals in the ledger.")
    share.kpi("fac", total["fac"])
    share.kpi("forecast_variance", total["forecast_variance"], delta=signed_pct(total["forecast_variance_pct"]))
    share.kpi("overrun_flags", n_red + n_amber, delta=f"{n_red} red · {n_amber} amber",
              note=f"Amber: more than {fmt.pct(thresholds.amber_over_pct, 0)} or {money(thresholds.amber_over_amount)} "
                   f"over; red: more than {fmt.pct(thresholds.red_over_pct, 0)} or {money(thresholds.red_over_amount)}; "
                   f"never under {money(thresholds.min_amount)}. Out of {fmt.plural(flags.height, 'project')}.")
share.kpi_row(f"Variance and burn, {window.label()}")
st.caption(f"Variance and burn, **{window.label()}** (the window picked in the sidebar)")
with st.container(horizontal=True):
    share.kpi("window_variance", total["window_variance"], delta=signed_pct(total["window_variance_pct"]),
              note=f"Window: {window.label()}.")
    share.kpi("burn_rate", total["burn_rate"],
              note=f"Months averaged: {budget.burn_months(close)[0]:%b} – {close:%b %Y}.")
    share.kpi("months_left", total["months_left"])
    share.kpi("open_commitments", total["open_commitments"])

short = budget.short_ledger_budgets(register, flags["project_id"].to_list(), 0.01, thresholds.min_amount)
if not short.is_empty():
    gap = float((short["register_budget"] - short["ledger_budget"].fill_null(0.0)).sum())
    with st.expander(f":material/warning: For {short.height} of {flags.height} projects the ledger holds "
                     f"less budget than the project register ({money(gap)} in total): FAC is compared with "
                     "the ledger's budget, so these look further over than against their approved budget "
                     "(BAC).", expanded=False):
        st.caption("The ledger's budget lines may cover only some fiscal years. Load a ledger that phases "
                   "each project's whole budget, or read their flags with this in mind.")
        tables.paged(short, key="bv_short", noun="projects", currency=currency)
        share.download_table(short, "Ledger budget below register")

# ---------------------------------------------------------------------------------------------
# How the figures reconcile with Portfolio health's (docs/metrics.md)
# ---------------------------------------------------------------------------------------------
with st.expander("How the figures reconcile with Portfolio health", icon=":material/compare_arrows:"):
    st.markdown(
        "Two views of the same money, each labelled for what it is. **BAC** (Portfolio health, Project) is "
        "the budget the status report gives, else the register's; the **ledger budget** here is the sum "
        "of the finance ledger's budget lines. **EAC (earned value)** projects the cost efficiency so far "
        "over the remaining work; **FAC (ledger forecast)** adds the ledger's forecast lines to its "
        "actuals. Computed health (red / amber / green) weighs schedule and earned value; the overrun "
        "flags here weigh only FAC against the ledger budget. Per project, with the reason for each "
        "difference:")
    evm = data.query("portfolio_health_projects", **f.params(), as_of=f.as_of, eac_method=None)
    reconciled = budget.reconcile(flags, evm, currency)
    tables.paged(reconciled, key="bv_reconcile", noun="projects", order="largest EAC − FAC gap first",
                 currency=currency)
    share.download_table(reconciled, "How the figures reconcile")

with st.expander("How these figures are computed", icon=":material/functions:"):
    st.markdown(f"""
- **Variance** = budget - actual for the window ({window.label()}); positive = under budget (favourable).
  **Variance %** = variance / budget.
- **Close month** = the latest month up to the as-of date with actual lines in the ledger: **{close:%b %Y}**.
  **Actual to date** = actual lines up to it (credits and reversals are negative lines).
- **Forecast at completion (FAC)** = actual to date + remaining forecast. Remaining forecast = the project's
  forecast lines for months after the close month (a later month with no forecast but actuals posted since
  counts at those actuals). A project with no lines after the close month counts its **remaining budget**,
  max(total budget - actual to date, 0), spread over its later budget months; a finished project (actual
  finish date, or stage Closed) counts nothing more. **Forecast variance** = total budget - FAC.
- **Burn rate** = actual per month, average of the three months to the close month.
  **Months of budget left** = (total budget - actual to date) / burn rate.
- **Flags**: overrun = FAC - total budget. **Red** above {fmt.pct(thresholds.red_over_pct, 0)} over OR above
  {money(thresholds.red_over_amount)}; **amber** above {fmt.pct(thresholds.amber_over_pct, 0)} OR above
  {money(thresholds.amber_over_amount)}; never when the overrun is under {money(thresholds.min_amount)}
  (`[budget]` in the configuration).
- **Currencies**: every line is converted to {currency} with the rate valid in its month (`fx_rates`); lines
  without a rate are left out and listed in a warning at the top.
- **Fiscal year** starts in {date(2000, fy_start, 1):%B} and is named by the calendar year it ends in.
""")

# ---------------------------------------------------------------------------------------------
# Where are we over? (group by + drill-down)
# ---------------------------------------------------------------------------------------------
st.subheader("Where are we over?", anchor=False)
if path:
    breadcrumb(path, "bv_crumb2")
url.drop_invalid(GROUP_KEY, GROUP_BY_LABEL, "grouping", "Portfolio")
url.drop_invalid(MEASURE_KEY, MEASURES, "measure", "At completion")
with st.container(horizontal=True, vertical_alignment="bottom"):
    group = st.segmented_control(
        "Group by", list(GROUP_BY_LABEL), default="Portfolio", required=True, key=GROUP_KEY,
        bind="query-params",
        help="Cut the figures by any dimension. Click a bar or a table row to drill one level down "
             "(portfolio → program → project → category → month).")
    measure = st.segmented_control(
        "Measure", list(MEASURES), default="At completion", required=True, key=MEASURE_KEY,
        bind="query-params",
        help="At completion: total budget - FAC. In the window: budget - actual for the months picked above.")
group = GROUP_BY_LABEL.get(group or "", "portfolio")
measure = MEASURES.get(measure or "", "forecast")
summary = budget.summarise(scoped, group, window, close)
label = budget.DIMENSIONS[group]
if group == "month":
    summary = summary.with_columns(
        frames.each(summary, "key", month_label, pl.String, name="label"))
can_drill = budget.DRILL_NEXT.get(group) is not None
path_id = "|".join(f"{k}={v}" for k, v in path.items())
chart_key = f"bv_chart:{group}:{measure}:{path_id}"
measure_field = "forecast_variance" if measure == "forecast" else "window_variance"
bars = summary
if group not in budget.TIME_DIMENSIONS and summary.height > tables.TOP_ROWS:
    bars = summary.sort([measure_field, "key"], nulls_last=True).head(tables.TOP_ROWS)
chart = charts.variance_by_group(bars, label, measure, currency, time_axis=group in budget.TIME_DIMENSIONS)
if can_drill:
    share.chart(chart, key=chart_key, on_select=partial(on_chart_pick, chart_key, group),
                selection_mode=charts.PICK)
else:
    share.chart(chart)
table_key = f"bv_table:{group}:{path_id}"
shown = summary.drop("key")
if group in budget.TIME_DIMENSIONS:
    shown = shown.drop("burn_rate", "months_left")
if bars.height < summary.height:
    st.caption(f"Bars: the {bars.height} most over budget "
               f"{'at completion' if measure == 'forecast' else 'in the window'} of {summary.height:,} "
               f"({label.lower()} values), most over first. Drill in, or narrow the sidebar filters, to see "
               "others; the table below lists every one.")
st.caption(f"The table behind the chart: one row per {label.lower()}"
           + (" — click a row to drill in." if can_drill else "."))
tables.paged(summary.select("key", *shown.columns), key=table_key, noun=f"{label.lower()} rows",
             sort_options={f"{label} (as listed)": ("key", False),
                           "Most over at completion first": ("forecast_variance", False),
                           "Most over in the window first": ("window_variance", False),
                           "Largest ledger budget first": ("ledger_budget", True)},
             currency=currency, labels={"label": label}, column_order=shown.columns,
             **({"on_rows": lambda part: partial(on_row_pick, table_key, group, part["key"].to_list()),
                 "selection_mode": "single-row"} if can_drill else {}))
share.download_table(shown, f"By {label.lower()}", labels={"label": label})

# ---------------------------------------------------------------------------------------------
# Flagged projects and largest overruns
# ---------------------------------------------------------------------------------------------
st.subheader("Projects over budget at completion", anchor=False)
flagged = flags.filter(pl.col("flag").is_not_null())
over = budget.largest_overruns(flags, 10)
if over.is_empty():
    st.info("No project is forecast to finish over budget.", icon=":material/check_circle:")
else:
    share.chart(charts.overruns_chart(over, currency))
red = flagged.filter(pl.col("flag") == "red")
share.pack_table("Red projects: over budget at completion, and why", red.select(
    "project_id", "project_name", frames.each(red, "overrun_amount", money, pl.String),
    frames.each(red, "overrun_pct", fmt.pct, pl.String), "reason"),
    widths={"project_id": 1.2, "project_name": 2.6, "overrun_amount": 1.4, "overrun_pct": 1.1,
                           "reason": 6}, empty="No project is red on budget.")
if flagged.is_empty():
    st.success("No project is over the thresholds.", icon=":material/check_circle:")
else:
    st.markdown(f"**{flagged.height} flagged** ({n_red} red, {n_amber} amber), worst first, with the reason:")
    tables.paged(flagged.select(
        pl.col("flag").str.to_titlecase(),
        pl.concat_str("project_id", pl.lit(" · "), pl.col("project_name").fill_null("")).alias("project_id"),
        "overrun_amount", "overrun_pct", "reason"), key="bv_flagged", noun="projects",
        order="worst first", currency=currency,
        height=min(38 + 35 * flagged.height, 390),
        overrides={"flag": st.column_config.TextColumn(fmt.label("flag"), width=60),
                   "project_id": st.column_config.TextColumn(fmt.label("project_id"), width=300),
                   "reason": st.column_config.TextColumn(fmt.label("reason"), width=700)})
    share.download_table(flagged, "Flagged projects")
with st.expander(f"Every project ({flags.height}): budget, FAC, overrun, flag and reason"):
    tables.paged(flags, key="bv_flags", noun="projects", order="flagged first, worst first",
                 currency=currency)
    share.download_table(flags, "Every project")

# ---------------------------------------------------------------------------------------------
# By month: bars and S-curve
# ---------------------------------------------------------------------------------------------
st.subheader("Budget, actual and forecast by month", anchor=False)
monthly = budget.monthly(scoped, close)
left, right = st.columns(2)
with left:
    share.chart(charts.monthly_bars(monthly, close, currency))
with right:
    share.chart(charts.s_curve(monthly, close, currency))
with st.expander("The table behind the monthly charts"):
    tables.paged(monthly, key="bv_monthly", noun="months", order="oldest first", currency=currency)
    share.download_table(monthly, "By month")

# ---------------------------------------------------------------------------------------------
# Waterfall: budget to FAC
# ---------------------------------------------------------------------------------------------
st.subheader("From budget to forecast at completion", anchor=False)
url.drop_invalid(WATERFALL_KEY, ("Category", "Project"), "waterfall steps", "Category")


@share.section("bv_waterfall")
def waterfall() -> None:
    """Steps by category or project: the choice reruns only the waterfall (it stays in the link)."""
    wf_by = GROUP_BY_LABEL[st.segmented_control(
        "Steps by", ["Category", "Project"], default="Category", required=True, key=WATERFALL_KEY,
        bind="query-params", on_change=share.keep_link("bv_waterfall")) or "Category"]
    steps = budget.waterfall(budget.summarise(scoped, wf_by, window, close), top=12)
    share.chart(charts.waterfall_chart(steps, budget.DIMENSIONS[wf_by], currency))
    with st.expander("The table behind the waterfall"):
        steps_table = steps.rename({"start": "from_amount", "end": "to_amount", "amount": "step_amount"})
        tables.show(steps_table, key="bv_waterfall_table", currency=currency,
                    labels={"label": budget.DIMENSIONS[wf_by]})
        share.download_table(steps_table, "Budget to FAC steps", labels={"label": budget.DIMENSIONS[wf_by]})


waterfall()

# ---------------------------------------------------------------------------------------------
# Heat map: project x month variance %
# ---------------------------------------------------------------------------------------------
st.subheader("Variance % by project and month", anchor=False)
top, cells = budget.heatmap(scoped, window, close, HEAT_ROWS)
if cells.is_empty():
    st.info(f"No months with actuals in the window ({window.label()}).", icon=":material/calendar_month:")
else:
    n_projects = cells["project_id"].n_unique()
    st.caption(f"{window.start:%b %Y} – {min(window.end, close):%b %Y}"
               + (f"; the {HEAT_ROWS} projects with the largest variance of {n_projects} "
                  "(all in the table below)."
                  if n_projects > HEAT_ROWS else "."))
    share.chart(charts.heatmap_chart(top, currency))
    with st.expander(f"The table behind the heat map ({fmt.plural(n_projects, 'project')})"):
        tables.paged(cells, key="bv_heat_table", noun="rows",
                     sort_options={"Project, then month": (["project_id", "period"], False),
                                   "Most over budget first (variance %)": ("variance_pct", False),
                                   "Most over budget first (amount)": ("variance", False)},
                     currency=currency)
        share.download_table(cells, "Variance by project and month")
