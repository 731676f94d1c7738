"""Capacity: who is over-allocated, which roles are short, and how planned hours compare with the
hours people logged.

Capacity (HR scheduled hours less leave and public holidays, or a tool's stated capacity) against
demand (allocations planned, timesheets actual; forecast = actual up to the last logged day,
planned after) per person, role and team, by week or month. The rules are resource_utilisation's
(docs/resources.md); the page's figures are pmo/capacity.py over queries/capacity_*.sql
(docs/capacity.md).
"""

from datetime import date

import polars as pl
import streamlit as st

from pmo import capacity, frames
from pmo import metrics as fmt
from pmo.charts import capacity as charts
from pmo.ui import data, filters, page, safe, session, share, tables, url

st.set_page_config(page_title="Capacity", page_icon=":material/groups:", layout="wide")

# ---------------------------------------------------------------------------------------------
# Constants
# ---------------------------------------------------------------------------------------------
PERIOD_PARAM, FROM_PARAM, TO_PARAM = "period", "cap_from", "cap_to"
ROLE_KEY, TEAM_KEY, GROUP_KEY = "cap_role", "cap_team", "cap_group"
GROUPS = {"Role": "role", "Team": "team", "Department": "department"}
HEAT_PEOPLE = 25          # people per page of the heat map
LOAD_HELP = (
    "Load **timesheets** (actual hours: a Harvest time report, a Toggl or Clockify detailed report, "
    "Tempo worklogs or Jira work logs), **allocations** (planned hours: Project Online "
    "`AssignmentTimephasedDataSet`, a Float / Runn allocation sheet, MS Project's assignment export) "
    "and the **HR export** with scheduled weekly hours and time off (capacity), with "
    "`pmo ingest FILE` or on the Data page. docs/resources.md lists the layouts.")

# ---------------------------------------------------------------------------------------------
# Settings, filters and the period
# ---------------------------------------------------------------------------------------------
page.start()
f = filters.sidebar()
settings = data.settings()
currency = settings["general"]["reporting_currency"]
cap_settings, problems = capacity.Settings.from_config(settings)
configured_bucket = str((settings.get("resources") or {}).get("bucket", "week")).lower()
configured_bucket = configured_bucket if configured_bucket in capacity.BUCKETS else "week"
as_of = f.as_of or data.today()

view = share.share_bar("Capacity", f, as_of=as_of)
for problem in problems:
    st.warning(f"Configuration: {problem}", icon=":material/settings:")


def window_select(label: str, param: str, options: list[date], default: date, bucket: str, help: str) -> date:
    """A period picker whose value travels in the URL as the ISO date of the period's first day
    (?cap_from=2026-10-05). A date from a link is snapped to its week or month (so switching between
    weeks and months keeps the window); one outside the data is dropped with a notice."""
    raw, picked = st.query_params.get(param), None
    if raw is not None:
        try:
            picked = capacity.period_start(date.fromisoformat(raw), bucket)
        except ValueError:
            picked = None
        if picked not in options:
            st.toast(f"The link's {label.lower()} '{url.shown_value(raw)}' is not a period with data; "
                     "showing the default window instead.", icon=":material/link_off:")
            picked = None
    value = picked or default
    st.query_params[param] = value.isoformat()
    key = f"_{param}_pick"
    st.session_state[key] = value

    def changed() -> None:
        st.query_params[param] = st.session_state[key].isoformat()

    return st.selectbox(label, options, key=key, format_func=lambda d: capacity.period_label(d, bucket),
                        on_change=changed, help=help, width=210)


with st.container(horizontal=True, vertical_alignment="bottom", gap="small"):
    bucket = url.url_select("Period", capacity.BUCKETS, PERIOD_PARAM, configured_bucket,
                            "Judge utilisation per ISO week (Monday to Sunday) or per calendar month. "
                            "Over-allocation is decided per period: a busy week can hide in a month.",
                            width=140)
    periods_df = data.query("capacity_periods", bucket=bucket)
    if periods_df.is_empty():
        st.info("No timesheets or allocations are loaded, so there is no demand to set against capacity. "
                + LOAD_HELP, icon=":material/group_off:")
        st.stop()
    periods = periods_df["bucket_start"].to_list()
    actuals_through = periods_df["actuals_through"][0]
    lo, hi = capacity.default_window(periods, as_of, bucket)
    start = window_select("From", FROM_PARAM, periods, lo, bucket,
                          "First period of the window. Default: 8 weeks (2 months) before the as-of date.")
    end = window_select("To", TO_PARAM, periods, hi, bucket,
                        "Last period of the window. Default: 12 weeks (3 months) after the as-of date.")
start, end = min(start, end), max(start, end)
window_text = f"{capacity.period_label(start, bucket)} – {capacity.period_label(end, bucket)}"
view.add_filter(f"{capacity.BUCKETS[bucket]}s {window_text}")
view.refresh_link()     # the window chosen here is now in the URL: the link shown carries it

params = {"bucket": bucket, "start_date": start, "end_date": end, **f.params()}
people = data.query("capacity_people", **params)
projects = data.query("capacity_project_demand", **params)

# ---------------------------------------------------------------------------------------------
# Names: only for the roles [resources] show_names_to lists
# ---------------------------------------------------------------------------------------------
role = session.role()
show_names = capacity.may_see_names(cap_settings, role.name if role else None, role.level if role else None)
if not show_names:
    aliases = capacity.pseudonyms(people)
    people = capacity.hide_names(people, aliases)

# ---------------------------------------------------------------------------------------------
# Focus: one role or team (in the URL)
# ---------------------------------------------------------------------------------------------
named = people.filter(~pl.col("is_placeholder"))
role_options = sorted({r for r in people["role"].to_list() if r})
team_options = sorted({t for t in named["team"].to_list() if t})
url.drop_invalid(ROLE_KEY, role_options, "role", "every role")
url.drop_invalid(TEAM_KEY, team_options, "team", "every team")
with st.container(horizontal=True, vertical_alignment="bottom", gap="small"):
    focus_role = st.selectbox("Role", role_options, index=None, placeholder="Every role", key=ROLE_KEY,
                              bind="query-params", width=260,
                              help="Show one role: its people and its unnamed placeholder demand.")
    focus_team = st.selectbox("Team", team_options, index=None, placeholder="Every team", key=TEAM_KEY,
                              bind="query-params", width=260, help="Show one team's people.")
    st.caption(f"As of {fmt.day(as_of)}{' (chosen in the sidebar)' if f.as_of else ' (today)'} · timesheets up "
               f"to **{fmt.day(actuals_through) if actuals_through else 'none loaded'}**: demand is actual "
               "hours up to that day and planned hours after it.", width="stretch")
if focus_role:
    people = people.filter(pl.col("role") == focus_role)
    view.add_filter(f"Role: {focus_role}")
if focus_team:
    people = people.filter(pl.col("team") == focus_team)
    view.add_filter(f"Team: {focus_team}")
person_ids = people.filter(~pl.col("is_placeholder"))["person_id"].unique().to_list()
if focus_role or focus_team:
    keep = pl.col("person_id").is_in(person_ids)
    if focus_role and not focus_team:
        keep = keep | (pl.col("is_placeholder") & (pl.col("role") == focus_role))
    projects = projects.filter(keep)

scope_text = " · ".join(f.parts()) or "all projects"
st.caption(f"Capacity against demand for {scope_text}, {window_text}, per {bucket}. With a project filter "
           "the page lists the people with hours on those projects and judges each on all their work.")

if people.is_empty():
    st.info("Nobody has planned or logged hours on the selected projects in this window. Widen the window, "
            "clear a filter, or load the timesheets and allocations of these projects. " + LOAD_HELP,
            icon=":material/filter_alt_off:")
    st.stop()
if not show_names:
    st.info(f"Names are hidden for the role '{safe.md(role.name if role else 'viewer')}': people are shown by role "
            "and number (`[resources] show_names_to` in the configuration lists who sees names).",
            icon=":material/visibility_off:")

known = people.filter(pl.col("capacity_known"))
if known.is_empty():
    st.warning("No capacity is known for these people: they are in no HR or capacity export visible to you, "
               "so their hours are listed but their utilisation is not judged. Load the HR export with "
               "scheduled weekly hours (Workday, or any sheet with employee id, weekly hours and default "
               "weekly hours) or Project Online's `ResourceTimephasedDataSet`.", icon=":material/person_off:")

# ---------------------------------------------------------------------------------------------
# KPIs
# ---------------------------------------------------------------------------------------------
t = capacity.totals(people, cap_settings)
share.kpi_row(f"Capacity against demand, {window_text}",
              f"Per {bucket}; demand is actual hours to {fmt.day(actuals_through) if actuals_through else '—'}, "
              "planned after.")
row = iter(share.kpi_cells(4) + share.kpi_cells(4))
with next(row):
    share.kpi("capacity_hours", t["capacity_hours"],
              note=f"{fmt.plural(t['people_count'] - t['unknown_capacity_people'], 'person', 'people')} with a known capacity.")
with next(row):
    share.kpi("forecast_hours", t["forecast_hours"])
with next(row):
    share.kpi("utilisation", t["utilisation"], note="Total demand ÷ total capacity.")
with next(row):
    share.kpi("over_allocated_people", t["over_allocated_people"],
              delta=f"{fmt.text('hours_over', t['hours_over'])} over" if t["over_allocated_people"] else None,
              note=f"Out of {fmt.plural(t['people_count'], 'person', 'people')}; hours over = demand − capacity "
                   "summed over their over-allocated periods.")
with next(row):
    share.kpi("unstaffed_hours", t["unstaffed_hours"])
with next(row):
    share.kpi("bench_hours", t["bench_hours"],
              note=f"{fmt.plural(t['bench_people'], 'person', 'people')} under "
                   f"{fmt.pct(cap_settings.under_used_below, 0)} over the window.")
with next(row):
    share.kpi("unknown_capacity_people", t["unknown_capacity_people"],
              note=f"Their {fmt.text('forecast_hours', t['unknown_capacity_hours'])} of demand are not in the "
                   "utilisation.")
with next(row):
    share.kpi("labour_cost", t["labour_cost"],
              note=f"{fmt.text('unpriced_hours', t['unpriced_hours'])} have no cost rate and are left out.")
share.kpi_row("Planned against actual, to the last logged day")
row = iter(share.kpi_cells(3))
with next(row):
    share.kpi("planned_to_date_hours", t["planned_to_date_hours"])
with next(row):
    share.kpi("actual_hours", t["actual_hours"])
with next(row):
    share.kpi("actual_vs_planned", t["actual_vs_planned"])

# ---------------------------------------------------------------------------------------------
# Demand against capacity over time
# ---------------------------------------------------------------------------------------------
st.subheader("Demand against capacity", anchor=False)
who = " · ".join(x for x in (focus_role, focus_team) if x) or "everyone listed"
timeline = capacity.timeline(people, actuals_through)
stacked = capacity.demand_by_project(projects, person_ids if (focus_role or focus_team) else None)
share.chart(charts.demand_vs_capacity(stacked, timeline, bucket, who, actuals_through))
share.chart(charts.planned_actual_timeline(timeline, bucket))
with st.expander("The table behind the charts: capacity, planned, actual and forecast per period"):
    tables.paged(timeline, key="cap_timeline", noun="periods", order="oldest first", currency=currency)
    share.download_table(timeline, "Capacity and demand by period")

# ---------------------------------------------------------------------------------------------
# Over-allocated people, with the projects that overload them
# ---------------------------------------------------------------------------------------------
st.subheader("Who is over-allocated, and why", anchor=False)
over = capacity.over_allocations(people, projects, cap_settings)
over_cols = ["person_name", "role", "team", "bucket_start", "capacity_hours", "forecast_hours", "hours_over",
             "utilisation", "reason"]
share.pack_table("Over-allocated people and the projects that overload them",
                 over.select(over_cols).with_columns(
                     frames.each(over, "bucket_start", lambda d: capacity.period_label(d, bucket), pl.String),
                     *[frames.each(over, c, lambda v: f"{v:,.1f}", pl.String)
                       for c in ("capacity_hours", "forecast_hours", "hours_over")],
                     frames.each(over, "utilisation", fmt.pct, pl.String)).head(40),
                 widths={"person_name": 1.8, "role": 1.8, "team": 1.8, "bucket_start": 1.4, "capacity_hours": 1,
                         "forecast_hours": 1, "hours_over": 1, "utilisation": 1, "reason": 6},
                 empty="Nobody is booked beyond their capacity in this window.")
if over.is_empty():
    st.success("Nobody is booked beyond their capacity in this window.", icon=":material/check_circle:")
else:
    st.markdown(f"**{fmt.plural(over['person_id'].n_unique(), 'person', 'people')}** over capacity, "
                f"{fmt.plural(over.height, 'person-' + bucket)} in all, most hours over first. Over-allocated = demand strictly "
                "above capacity in the period; the reason names every project they are booked on.")
    tables.paged(capacity.dashes(over.select(over_cols)), key="cap_over", noun="periods", order="most hours over first",
                 currency=currency,
                 overrides={"reason": st.column_config.TextColumn(fmt.label("reason"), width=620,
                                                                 help=fmt.spec("reason").help)})
    share.download_table(over.select(over_cols), "Over-allocated people")

# ---------------------------------------------------------------------------------------------
# Heat map: person x period
# ---------------------------------------------------------------------------------------------
st.subheader("Utilisation by person", anchor=False)


@share.section("cap_heat")
def heat_map(people: pl.DataFrame, order: list) -> None:
    """One page of people (HEAT_PEOPLE rows): its page picker reruns only the heat map."""
    p = tables.paging(len(order), "cap_heat", HEAT_PEOPLE)
    cells = capacity.heat_cells(people, order[p.start:p.end], cap_settings)
    share.chart(charts.heat_map(cells, bucket, cap_settings.under_used_below))
    if p.paged:
        with st.container(horizontal=True, vertical_alignment="bottom", key="cap_heat_pager"):
            st.caption(f"{p.caption('people')}, worst first (most hours over, then highest peak).", width="stretch")
            st.number_input(f"Page (of {p.pages})", min_value=1, max_value=p.pages, step=1, key="cap_heat_page",
                            width=150)


order = capacity.heat_order(people, cap_settings)
if order:
    heat_map(people, order)
summary = capacity.person_summary(people, cap_settings)
person_cols = ["person_name", "role", "team", "department", "capacity_hours", "planned_hours", "actual_hours",
               "forecast_hours", "selected_forecast_hours", "availability_hours", "utilisation", "peak_utilisation",
               "over_periods", "hours_over", "utilisation_band", "reason"]
person_cols = [c for c in person_cols if c in summary.columns]
with st.expander(f"Every person over the window ({summary.height:,}): totals, band and reason"):
    tables.paged(capacity.dashes(summary.select(person_cols)), key="cap_people", noun="people", order="worst first",
                 sort_options={"Worst first": ("hours_over", True),
                               "Highest utilisation first": ("utilisation", True),
                               "Most hours available first": ("availability_hours", True),
                               "Name": ("person_name", False)},
                 currency=currency)
    share.download_table(summary.select(person_cols), "Utilisation by person")

# ---------------------------------------------------------------------------------------------
# By role, team or department
# ---------------------------------------------------------------------------------------------
st.subheader("By role, team and department", anchor=False)
url.drop_invalid(GROUP_KEY, GROUPS, "grouping", "Role")


@share.section("cap_groups")
def by_group(people: pl.DataFrame) -> None:
    """The grouping reruns only this table (it stays in the link)."""
    group_label = st.segmented_control("Group by", list(GROUPS), default="Role", required=True, key=GROUP_KEY,
                                       bind="query-params", on_change=share.keep_link("cap_groups"),
                                       help="Utilisation of a group = its total demand ÷ its total capacity.") or "Role"
    by = GROUPS[group_label]
    groups = capacity.group_summary(people, by, cap_settings)
    tables.paged(capacity.dashes(groups), key=f"cap_groups_{by}", noun="groups", order="highest utilisation first",
                 currency=currency)
    share.download_table(groups, f"Utilisation by {by}")


by_group(people)

# ---------------------------------------------------------------------------------------------
# Role deficit, next two quarters
# ---------------------------------------------------------------------------------------------
st.subheader("Which roles are short, next two quarters", anchor=False)
q_first, q_last = capacity.next_quarters(as_of)
months = data.query("capacity_people", bucket="month", start_date=q_first, end_date=q_last, **f.params())
if not show_names:
    months = capacity.hide_names(months, capacity.pseudonyms(months))
if focus_role:
    months = months.filter(pl.col("role") == focus_role)
if focus_team:
    months = months.filter(pl.col("team") == focus_team)
deficit = capacity.role_deficit(months)
short = deficit.filter(pl.col("deficit_hours").round(6) > 0)
share.pack_table(f"Roles short of capacity, {capacity.quarter_label(q_first)} – {capacity.quarter_label(q_last)}",
                 short.select("quarter", "role", "deficit_hours", "reason").with_columns(
                     frames.each(short, "deficit_hours", lambda v: f"{v:,.1f}", pl.String)),
                 widths={"quarter": 1, "role": 2.2, "deficit_hours": 1.3, "reason": 6},
                 empty="No role is short in the next two quarters.")
if deficit.is_empty():
    st.info(f"No demand is planned for {capacity.quarter_label(q_first)} – {capacity.quarter_label(q_last)} yet.",
            icon=":material/event_busy:")
else:
    share.chart(charts.role_deficit(deficit))
    if short.is_empty():
        st.success("No role is short in the next two quarters.", icon=":material/check_circle:")
    else:
        st.markdown("**Short:** " + "; ".join(
            f"{safe.md(r['role'])} in {r['quarter']}: {fmt.text('deficit_hours', r['deficit_hours'])} "
            f"({safe.md(r['reason'])})" for r in short.head(tables.LIST_ITEMS).iter_rows(named=True)))
    with st.expander("The table behind the role deficit"):
        tables.paged(deficit, key="cap_deficit", noun="rows", order="most short first", currency=currency)
        share.download_table(deficit, "Role deficit by quarter")

# ---------------------------------------------------------------------------------------------
# Unstaffed demand and bench
# ---------------------------------------------------------------------------------------------
if True:
    st.subheader("Unstaffed demand", anchor=False)
    open_demand = capacity.unstaffed(projects)
    if open_demand.is_empty():
        st.success("Every booking in the window names a person.", icon=":material/check_circle:")
    else:
        st.caption("Hours booked on unnamed placeholders (Runn / Float placeholders, Project Online generic "
                   "resources): demand with nobody behind it yet.")
        tables.paged(open_demand, key="cap_unstaffed", noun="rows", order="largest first", currency=currency)
        share.download_table(open_demand, "Unstaffed demand")
if True:
    st.subheader("Bench and under-used capacity", anchor=False)
    bench = summary.filter(pl.col("utilisation_band").is_in(["bench", "under-used"])).sort(
        "availability_hours", descending=True)
    if bench.is_empty():
        st.success(f"Nobody is under {fmt.pct(cap_settings.under_used_below, 0)} over the window.",
                   icon=":material/check_circle:")
    else:
        st.caption(f"People under {fmt.pct(cap_settings.under_used_below, 0)} over the window "
                   "([resources] under_used_below), most free hours first.")
        bench_cols = ["person_name", "role", "team", "capacity_hours", "forecast_hours", "availability_hours",
                      "utilisation", "reason"]
        tables.paged(capacity.dashes(bench.select(bench_cols)), key="cap_bench", noun="people", order="most free hours first",
                     currency=currency)
        share.download_table(bench.select(bench_cols), "Bench and under-used")

# ---------------------------------------------------------------------------------------------
# Planned against actual per project
# ---------------------------------------------------------------------------------------------
st.subheader("Planned against actual hours per project", anchor=False)
pva = capacity.planned_vs_actual(projects)
if pva.is_empty():
    st.info("No planned or logged hours on the selected projects up to the last logged day in this window.",
            icon=":material/schedule:")
else:
    share.chart(charts.planned_vs_actual(pva))
    linked = pva.with_columns(project_page=pl.concat_str(pl.lit("Project?project="),
                                                          pl.col("project_id").fill_null("")))
    tables.paged(linked, key="cap_pva", noun="projects", order="largest gap first", currency=currency,
                 column_order=["project_page", *pva.columns[1:]],
                 overrides={"project_page": st.column_config.LinkColumn(
                     fmt.label("project_id"), display_text=r"Project\?project=(.*)",
                     help="Opens the project's page (its Resources tab shows the people and hours).")})
    share.download_table(pva, "Planned against actual by project")

with st.expander("How these figures are computed", icon=":material/functions:"):
    st.markdown(f"""
- **Capacity** per person and day = scheduled weekly hours ÷ working days per week, on working days of the
  contract, less the public holidays of the person's city or country and less leave (never below 0). People
  not in the HR export take the capacity a tool states (Project Online). 40 hours with 32 hours of leave
  leave 8 hours that week.
- **Planned** = allocations; **actual** = timesheets; **demand (forecast)** = actual hours up to the last
  logged day ({fmt.day(actuals_through) if actuals_through else '—'}), planned after.
- Per {bucket}: **utilisation** = demand ÷ capacity (a dash with the reason when capacity is 0);
  **available** = capacity − demand; **over-allocated** only when demand is strictly above capacity
  (100 hours on 80 is 125% and over; 40 on 40 is full, not over).
- **Groups** (the KPIs, roles, teams): total demand ÷ total capacity, never the mean of percentages.
  People whose capacity is not known are listed but not in the ratios.
- **Bands**: over-allocated above 100%; healthy from {fmt.pct(cap_settings.under_used_below, 0)} to 100%;
  under-used below {fmt.pct(cap_settings.under_used_below, 0)}; bench = no demand at all
  (`[resources] under_used_below`).
- **Role deficit** = the role's demand, unnamed placeholders included, minus the capacity of its people;
  positive = short.
- **With a project filter**, the people with hours on the selected projects are listed and judged on all
  their work ("Demand on selected projects" is the part on those projects).
- Rules and data: docs/resources.md and docs/capacity.md.
""")
