"""Portfolio health: how many projects are red, amber and green, which ones and why, what changed
since the last status date, and what is late.

Every colour is computed from the numbers by the rules in config [health] (docs/configuration.md)
and shown beside the colour the project reported; the rule and inputs behind each colour are in
the reasons and tooltips. Any chart or table leads to the project page (pages/6_Project.py).
"""

import polars as pl
import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from pmo import frames, health, raid
from pmo import metrics as fmt
from pmo.charts import health as charts
from pmo.ui import data, filters, page, safe, share, tables, url

st.set_page_config(page_title="Portfolio health", page_icon=":material/monitor_heart:", layout="wide")

# ---------------------------------------------------------------------------------------------
# Constants
# ---------------------------------------------------------------------------------------------
PROJECT_PAGE = "pages/6_Project.py"
BADGE = {"red": ":red-badge[Red]", "amber": ":orange-badge[Amber]", "green": ":green-badge[Green]",
         "grey": ":gray-badge[Grey]"}
TABLE_ORDER = ["project_id", "project_name", "overall_health", "health_history", "schedule_health",
               "cost_health", "work_health", "reported_health", "percent_complete", "bac", "ev", "ac",
               "cpi", "spi", "eac", "etc", "vac", "tcpi", "schedule_slip_days", "forecast_finish_date",
               "portfolio", "manager", "stage", "status_date", "health_reason"]
HEALTH_COLUMNS = ("overall_health", "schedule_health", "cost_health", "work_health", "reported_health")

# ---------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------
page.start()
f = filters.sidebar()
settings = data.settings()
currency = settings["general"]["reporting_currency"]
rules, problems = health.read_settings(settings)
methods = list(health.EAC_METHODS)
with st.sidebar:
    eac_method = url.url_select(
        "EAC method", health.EAC_METHODS, "eac", rules["eac_method"],
        "How the estimate at completion is forecast on this page: "
        + " ".join(f"**{health.EAC_METHODS[m]}**: {health.EAC_HELP[m]}" for m in methods)
        + f" The cost colour always uses the configured method ({health.EAC_METHODS[rules['eac_method']]}).")
params = {**f.params(), "as_of": f.as_of}

view = share.share_bar("Portfolio health", f)
if eac_method != rules["eac_method"]:
    view.add_filter(f"EAC method: {health.EAC_METHODS[eac_method]}")
for problem in problems:
    st.warning(f"Configuration: {safe.md(problem)}", icon=":material/settings:")

kpis = data.query("portfolio_health_kpis", **params)
current = kpis.filter(pl.col("period") == "current").row(0, named=True) if kpis.height else None
previous_rows = kpis.filter(pl.col("period") == "previous")
previous = previous_rows.row(0, named=True) if previous_rows.height else None
as_of = current["as_of_date"] if current else None
since = health.since_text(previous["as_of_date"] if previous else None)
st.caption(f"{f.summary()} · changes are {since} (the status date before)" if previous
           else f.summary())

if not current or current["active_projects"] == 0:
    st.info("No active project matches these filters at this status date. Clear a filter or pick "
            "another status date in the sidebar.", icon=":material/filter_alt_off:")
    st.stop()


# ---------------------------------------------------------------------------------------------
# KPI rows (labels, formats and help from metrics/*.toml)
# ---------------------------------------------------------------------------------------------
def kpi(name: str, column: str) -> None:
    share.kpi(name, current[column], since=since, **({"previous": previous[column]} if previous else {}))


active = current["active_projects"]
changes = f"Changes are {since} (the status date before)." if previous else None
share.kpi_row("Status at a glance", changes)
row1 = iter(share.kpi_cells(6))
for name in ("active_projects", "red_count", "amber_count", "green_count", "late_projects",
             "milestones_missed_30_count"):
    with next(row1):
        kpi(name, name)
st.caption(" · ".join(f"{fmt.label(f'{c}_count').split(' (')[0]} {fmt.pct(current[f'{c}_share'], 0)}"
                      for c in ("red", "amber", "green")) + " of the active projects"
           + (f"; {fmt.plural(current['grey_count'], 'project')} cannot be judged (grey: no baseline dates "
              "and no budget with actual cost), counted as active but in no colour" if current["grey_count"] else "")
           + ".")
share.kpi_row("Budget and earned value", changes)
row2 = iter(share.kpi_cells(6))
for name, column in (("total_bac", "bac"), ("total_ev", "ev"), ("total_ac", "ac"), ("portfolio_cpi", "cpi"),
                     ("portfolio_spi", "spi"), ("milestones_due_30_count", "milestones_due_30_count")):
    with next(row2):
        kpi(name, column)

# ---------------------------------------------------------------------------------------------
# Which projects are red or amber, and why; what changed
# ---------------------------------------------------------------------------------------------
projects = data.query("portfolio_health_projects", **params, eac_method=eac_method)
active_projects = projects.filter(pl.col("is_active"))
history = data.query("portfolio_health_history", **params)


def more(shown: int, total: int, what: str, where: str) -> None:
    """Under a list cut at tables.LIST_ITEMS (at scale: thousands of projects would be one link
    each): how many are not listed and where they are."""
    if total > shown:
        st.caption(f"… and {total - shown:,} more {what}, {where}.")


def id_list(ids: list[str]) -> str:
    """'PRJ-1, PRJ-2' for a short list; the first tables.LIST_ITEMS and how many more after."""
    if len(ids) <= tables.LIST_ITEMS:
        return ", ".join(ids)
    return ", ".join(ids[:tables.LIST_ITEMS]) + f" and {len(ids) - tables.LIST_ITEMS:,} more"


def project_link(project_id: str, label: str, help_: str | None = None) -> None:
    """A link to the project page; the label and tooltip come from exports, so they are escaped."""
    try:
        st.page_link(PROJECT_PAGE, label=safe.md(label), icon=":material/open_in_new:",
                     help=safe.md(help_) if help_ else None, query_params={"project": project_id})
    except StreamlitPageNotFoundError:  # this page run on its own (tests): no page registry
        st.markdown(safe.link(label, "Project", project=project_id), help=safe.md(help_) if help_ else None)


critical = {r["project_id"]: raid.critical_risk_reason(r)
            for r in data.query("portfolio_critical_risks", **params).iter_rows(named=True)}


def reason_line(row: dict) -> str:
    """The short reason, and the project's top critical risk when it has one (the RAID page)."""
    risk = critical.get(row["project_id"])
    return health.short_reason(row) + (f" · {risk}" if risk else "")


flagged = active_projects.filter(pl.col("overall_health").is_in(["red", "amber"]))
st.subheader(f"Red and amber: which and why ({flagged.height})", anchor=False)
st.caption("Computed colour, the colour the project reported, and the inputs behind it. Hover a "
           "project for the full rule and values; click it to open the project.")
reasons = flagged.select("project_id", "project_name", "overall_health", "reported_health",
                         frames.each_row(flagged, flagged.columns, reason_line, pl.String, "short_reason"),
                         "health_reason")
share.pack_table("Red projects and why", reasons.filter(pl.col("overall_health") == "red").select(
    "project_id", "project_name", "short_reason"), widths={"project_id": 1.3, "project_name": 3, "short_reason": 8},
    empty="No active project is red.")
if flagged.is_empty():
    st.success("No active project is red or amber.", icon=":material/check_circle:")
else:
    red_col, amber_col = st.columns(2, gap="large")
    for colour, col in (("red", red_col), ("amber", amber_col)):
        rows = flagged.filter(pl.col("overall_health") == colour)
        with col:
            st.markdown(f"{BADGE[colour]} **{rows.height} {colour}**")
            for row in rows.head(tables.LIST_ITEMS).iter_rows(named=True):
                project_link(row["project_id"], f"{row['project_id']} · {row['project_name']}",
                             row["health_reason"])
                reported = row["reported_health"]
                st.caption(f"reported {health.md_label(reported) if reported else 'nothing'} · "
                           f"{safe.md(reason_line(row))}")
            more(tables.LIST_ITEMS, rows.height, colour,
                 "in the CSV / Excel below and in 'All projects' at the bottom (sorted by health)")
    share.download_table(reasons, "Red and amber projects")
calm = active_projects.filter(~pl.col("overall_health").is_in(["red", "amber"])
                              & pl.col("project_id").is_in(list(critical)))
if calm.height:
    st.caption(f"Not red or amber but carrying a critical risk ({calm.height}): "
               + "; ".join(f"{safe.md(p)}: {safe.md(critical[p])}" for p in calm["project_id"].head(tables.LIST_ITEMS))
               + ". " + safe.link("See the RAID page", "RAID"))

left, right = st.columns(2, gap="large")
with left:
    prev_date = previous["as_of_date"] if previous else None
    st.subheader(f"Changed {since}", anchor=False)
    changed = health.changes(history, as_of, prev_date)
    if prev_date is None:
        st.info("This is the first status date: nothing to compare with.", icon=":material/history:")
    elif changed.is_empty():
        st.success("No project changed colour.", icon=":material/check_circle:")
    else:
        st.markdown("\n".join(
            f"- **{safe.md(r['project_id'])}** {safe.md(r['project_name'])}: "
            f"{health.md_label(r['before']) if r['before'] else 'new'} → {health.md_label(r['after'])}"
            for r in changed.head(tables.LIST_ITEMS).iter_rows(named=True)))
        more(tables.LIST_ITEMS, changed.height, "changed colour",
             "see each project's trend in 'All projects' at the bottom")
with right:
    disagree = active_projects.filter(
        pl.col("reported_health").is_not_null()
        & (pl.col("reported_health") != pl.col("overall_health"))
        & (pl.col("overall_health") != "grey"))
    st.subheader("Reported vs computed", anchor=False)
    if disagree.is_empty():
        st.caption("Every active project's reported colour matches the computed one.")
    else:
        st.caption(f"{fmt.plural(disagree.height, 'active project')} "
                   f"{'reports' if disagree.height == 1 else 'report'} a different colour than the rules compute:")
        st.markdown("\n".join(
            f"- **{safe.md(r['project_id'])}** {safe.md(r['project_name'])}: reports {health.md_label(r['reported_health'])}, "
            f"computed {health.md_label(r['overall_health'])}"
            for r in disagree.sort("health_rank", descending=True).head(tables.LIST_ITEMS)
            .iter_rows(named=True)))
        more(tables.LIST_ITEMS, disagree.height, "disagree",
             "compare 'Overall' and 'Reported' in 'All projects' at the bottom")

# ---------------------------------------------------------------------------------------------
# Charts
# ---------------------------------------------------------------------------------------------
c1, c2 = st.columns(2, gap="large")
with c1:
    share.chart(charts.rag_by_portfolio(active_projects), key="rag_by_portfolio")
with c2:
    event = share.chart(
        charts.cpi_spi_quadrant(active_projects, currency, rules["index_red"], rules["index_amber"]),
        key="cpi_spi", on_select="rerun", selection_mode=charts.PROJECT_PICK)
    picked = (event.selection.get(charts.PROJECT_PICK) or []) if event else []
    if picked and picked[0].get("project_id"):
        st.switch_page(PROJECT_PAGE, query_params={"project": picked[0]["project_id"]})
    missing = active_projects.filter(pl.col("cpi").is_null() | pl.col("spi").is_null())
    if missing.height:
        st.caption("Not plotted (no CPI or SPI yet): " + id_list(missing["project_id"].to_list())
                   + ". The table below says why.")

c3, c4 = st.columns(2, gap="large")
with c3:
    share.chart(charts.health_counts_over_time(history), key="health_over_time")
    slipped = active_projects.filter(pl.col("schedule_slip_days").is_not_null()
                                     & (pl.col("schedule_slip_days") != 0))
    if slipped.height:
        top = tables.TOP_ROWS     # one bar per project: the latest first at scale
        latest = slipped.sort(["schedule_slip_days", "project_id"], descending=[True, False]).head(top)
        share.chart(charts.schedule_slip(latest), key="slip")
        if slipped.height > top:
            st.caption(f"The {top} latest of {slipped.height:,} projects with a slip, most days late "
                       "first. Narrow the sidebar filters to see others; 'All projects' below lists every "
                       "project (sort by Slip).")
    on_time = active_projects.filter(pl.col("schedule_slip_days") == 0).height
    no_baseline = active_projects.filter(pl.col("schedule_slip_days").is_null())
    st.caption(f"{fmt.plural(on_time, 'project')} forecast to finish on their baseline date (not drawn)"
               + (". No baseline finish: " + id_list(no_baseline["project_id"].to_list())
                  if no_baseline.height else "") + ".")
with c4:
    strip_total = history["project_id"].n_unique()
    if strip_total > tables.TOP_ROWS:
        worst = charts.worst_projects(history, tables.TOP_ROWS)["project_id"]
        share.chart(charts.health_strip(history.filter(pl.col("project_id").is_in(worst.implode())),
                                        order=worst.to_list()), key="health_strip")
        st.caption(f"The {tables.TOP_ROWS} projects in the worst health of {strip_total:,}: red now first, "
                   "then the most red and amber status dates. Narrow the sidebar filters to see others; "
                   "every project's trend is in 'All projects' below (Trend column) and its CSV.")
    else:
        share.chart(charts.health_strip(history), key="health_strip")

milestones = data.query("portfolio_milestones", **params)
milestones = milestones.filter(pl.col("project_id").is_in(active_projects["project_id"].implode()))
if milestones.is_empty():
    st.info("No milestones in the task exports of these projects.", icon=":material/flag:")
else:
    c5, c6 = st.columns([3, 2], gap="large")
    with c5:
        shown_ids, with_milestones = charts.timeline_projects(milestones, as_of, tables.TOP_ROWS)
        if with_milestones > tables.TOP_ROWS:
            share.chart(charts.milestone_timeline(
                milestones.filter(pl.col("project_id").is_in(shown_ids)), as_of, order=shown_ids),
                key="milestones")
            st.caption(f"The {tables.TOP_ROWS} of {with_milestones:,} projects with milestones in this "
                       "window that need attention first: most late milestones, then the soonest due. "
                       "Narrow the sidebar filters to see others; the tables at the right list every late "
                       "and due milestone.")
        else:
            share.chart(charts.milestone_timeline(milestones, as_of), key="milestones")
    with c6:
        late = milestones.filter(pl.col("milestone_status") == "late").sort("days_late", descending=True)
        st.markdown(f"**Late milestones ({late.height})**")
        if late.height:
            tables.paged(late.select("project_id", "project_name", "milestone", "committed_date",
                                     "forecast_date", "days_late"),
                         key="late_milestones", noun="milestones", order="most days late first",
                         currency=currency)
            share.download_table(late, "Late milestones")
        first, last = charts.milestone_window(as_of, 0, 30)
        due = milestones.filter(pl.col("milestone_status") == "upcoming",
                                pl.col("forecast_date").is_between(first, last)).sort("forecast_date")
        st.markdown(f"**Due in the next 30 days ({due.height})**")
        if due.height:
            tables.paged(due.select("project_id", "project_name", "milestone", "forecast_date",
                                    "committed_date"),
                         key="due_milestones", noun="milestones", order="soonest first",
                         currency=currency)
            share.download_table(due, "Milestones due in 30 days")

# ---------------------------------------------------------------------------------------------
# The project table (sorted and paginated on the server)
# ---------------------------------------------------------------------------------------------
st.subheader("Portfolio earned value", anchor=False)
totals = health.rollup(active_projects)
# the roll-up's figures under their metrics' names (Total BAC (active projects) ...)
ROLLUP = {"bac": "total_bac", "pv": "total_pv", "ev": "total_ev", "ac": "total_ac", "sv": "total_sv",
          "cv": "total_cv", "spi": "portfolio_spi", "cpi": "portfolio_cpi", "eac": "total_eac",
          "etc": "total_etc", "vac": "total_vac", "tcpi": "portfolio_tcpi"}
rollup = pl.DataFrame([{ROLLUP[k]: v for k, v in totals.items()}])
st.table(pl.DataFrame([{fmt.label(n): fmt.text(n, v, currency) for n, v in rollup.row(0, named=True).items()}]),
         hide_index=True)
share.download_table(rollup, "Portfolio earned value")
st.caption(f"{active} active projects. SPI and CPI: Σ EV ÷ Σ PV and Σ EV ÷ Σ AC over the projects with "
           f"both. EAC ({health.EAC_METHODS[eac_method]}) summed; a project without an EAC yet counts "
           "at its BAC. ETC = EAC − AC, VAC = BAC − EAC, TCPI = (BAC − EV) ÷ (BAC − AC).")

st.subheader("All projects", anchor=False)
with st.container(horizontal=True, vertical_alignment="bottom"):
    sort = url.url_select("Sort by", health.SORT_OPTIONS, "sort", "health", width=260)
    for key, what in (("health_desc", "sort order"), ("health_closed", "finished-projects switch")):
        url.drop_invalid(key, ("true", "false"), what)
    descending = st.toggle("Descending", value=True, key="health_desc", bind="query-params")
    include_closed = st.toggle("Include finished projects", value=False, key="health_closed",
                               bind="query-params")
url.drop_invalid("health_page", lambda v: v.isdigit() and int(v) >= 1, "table page", "page 1")
page_no = int(st.session_state.get("health_page") or st.query_params.get("health_page") or 1)
query_args = {**params, "eac_method": eac_method, "include_closed": include_closed,
              "sort": health.sort_key(sort), "descending": descending, "limit": health.PAGE_SIZE}
table = data.query("portfolio_health_table", **query_args, offset=(page_no - 1) * health.PAGE_SIZE)
total = table["total_rows"][0] if table.height else 0
pages = health.page_count(total)
if page_no > pages:
    page_no = pages
    st.session_state["health_page"] = pages
    if pages == 1:
        st.query_params.pop("health_page", None)
    table = data.query("portfolio_health_table", **query_args, offset=(page_no - 1) * health.PAGE_SIZE)
shown = table.with_columns(
    pl.concat_list(pl.col(c)).list.drop_nulls().alias(c) for c in HEALTH_COLUMNS
).drop("total_rows", "position")
chips = {c: tables.rag_column(c) for c in HEALTH_COLUMNS}
chips["health_history"] = tables.rag_column("health_history", letters=True)
event = tables.show(shown, key="health_table", currency=currency,
                    overrides=chips, on_select="rerun", selection_mode="single-row",
                    column_order=TABLE_ORDER, height=38 + 35 * max(1, min(shown.height, health.PAGE_SIZE)))
everything = table if pages == 1 else data.query("portfolio_health_table", **{**query_args, "limit": total}, offset=0)
share.download_table(everything.select(TABLE_ORDER), "All projects")
rows = event.selection.rows if event else []
if rows:
    st.switch_page(PROJECT_PAGE, query_params={"project": shown["project_id"][rows[0]]})
with st.container(horizontal=True, vertical_alignment="center"):
    st.caption(f"{fmt.plural(total, 'project')} · page {page_no} of {pages} · select a row to open the project. "
               "EAC, ETC and VAC use the EAC method chosen in the sidebar.")
    if pages > 1:
        st.number_input("Page", min_value=1, max_value=pages, step=1, key="health_page", width=140,
                        bind="query-params")

with st.expander("How the colours are computed", icon=":material/rule:"):
    st.markdown(health.rules_markdown(rules))
    st.caption("Thresholds live in config/pmo.toml, section [health]; a store can override them in "
               "<data dir>/config.toml. Every key is described in docs/configuration.md. Ratios are "
               "compared after rounding to 6 decimals, so a value exactly on a threshold counts as "
               "written (CPI 0.95 is green, slip of exactly 10% is green).")
