"""Project: one project at the selected status date, reached from any chart or table with the
project id in the URL (?project=PRJ-1001).

Key facts; the computed RAG per dimension with the rule and inputs behind it beside the RAG the
project reported; the EVM table and S-curve; milestones and late tasks; budget lines; the RAID
tabs (risks, issues, assumptions, dependencies with their flags and reasons); the status history.
With no or an unknown id it shows a picker and says why.
"""

import polars as pl
import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from pmo import metrics as fmt
from pmo import capacity, governance, health, raid
from pmo.charts import health as charts
from pmo.ui import data, filters, page, safe, session, share, tables, url

st.set_page_config(page_title="Project", page_icon=":material/folder_open:", layout="wide")

# ---------------------------------------------------------------------------------------------
# Constants
# ---------------------------------------------------------------------------------------------
HEALTH_PAGE = "pages/1_Portfolio_Health.py"
BADGE_COLOR = health.BADGE_COLOR
STATUS_CHIPS = st.column_config.MultiselectColumn(
    fmt.label("milestone_status"), options=list(charts.MILESTONE_DOMAIN), color=list(charts.MILESTONE_RANGE),
    help=fmt.help_text("milestone_status"))

# ---------------------------------------------------------------------------------------------
# Data and the project picker (bound to ?project=)
# ---------------------------------------------------------------------------------------------
page.start()
f = filters.sidebar()
settings = data.settings()
currency = settings["general"]["reporting_currency"]
rules, _ = health.read_settings(settings)
raid_limits, _ = governance.read_raid_settings(settings)
methods = list(health.EAC_METHODS)
with st.sidebar:
    eac_method = url.url_select(
        "EAC method", health.EAC_METHODS, "eac", rules["eac_method"],
        "How the estimate at completion is forecast: "
        + " ".join(f"**{health.EAC_METHODS[m]}**: {health.EAC_HELP[m]}" for m in methods))

everything = data.query("project_list", portfolio=None, program=None, department=None,
                        manager=None, stage=None)
selected = data.query("project_list", **f.params())
names = dict(zip(everything["project_id"].to_list(), everything["project_name"].to_list()))
options = selected["project_id"].to_list()

view = share.share_bar("Project", f, heading=False)
if eac_method != rules["eac_method"]:
    view.add_filter(f"EAC method: {health.EAC_METHODS[eac_method]}")
requested = st.query_params.get("project")
notice = None
if requested is not None and requested not in names:
    del st.query_params["project"]
    notice = (f"There is no project '{requested}' in the data (store version {data.version()}). "
              "Pick one below.")
    requested = None
elif requested is not None and requested not in options:
    options = [requested, *options]
    notice = f"{requested} is outside the current sidebar filters; shown anyway."


def picked() -> None:
    """The picker writes the project id to the URL (?project=PRJ-1001), so a link reopens it."""
    choice = st.session_state["project_pick"]
    if choice:
        st.query_params["project"] = choice
    elif "project" in st.query_params:
        del st.query_params["project"]


try:
    st.page_link(HEALTH_PAGE, label="Portfolio health", icon=":material/arrow_back:")
except StreamlitPageNotFoundError:  # this page run on its own (tests): no page registry
    st.markdown("[Portfolio health](Portfolio_Health)")
project_id = st.selectbox(
    "Project", options, index=options.index(requested) if requested in options else None,
    key="project_pick", on_change=picked, format_func=lambda pid: f"{pid} · {names.get(pid, '')}",
    placeholder="Choose a project",
    help="Every chart and table on Portfolio health links here; the id travels in the URL.")
if notice:
    st.warning(notice, icon=":material/link_off:")
if project_id is None:
    st.info("Choose a project above (or click one on the Portfolio health page) to see its facts, "
            "health with reasons, earned value, milestones, budget lines, risks and history.",
            icon=":material/folder_open:")
    st.stop()

params = {"project_id": project_id, "as_of": f.as_of}
facts = data.query("project_facts", **params, eac_method=eac_method).row(0, named=True)

# ---------------------------------------------------------------------------------------------
# Header and key facts
# ---------------------------------------------------------------------------------------------
view.page = f"{facts['project_id']} · {facts['project_name'] or ''}"
view.add_filter(f"Project: {facts['project_id']}")
st.title(safe.md(view.page), anchor=False)
status_date = facts["status_date"]
org = " › ".join(safe.md(x) for x in (facts["portfolio"], facts["program"]) if x)
st.caption(" · ".join(x for x in (
    org, f"Manager: {safe.md(facts['manager'])}" if facts["manager"] else None,
    f"Sponsor: {safe.md(facts['sponsor'])}" if facts["sponsor"] else None,
    f"Stage: {safe.md(facts['stage'])}" if facts["stage"] else None,
    f"Status date {fmt.day(status_date)}" if status_date else "no status on or before this date",
) if x))


day = fmt.day


share.kpi_row("Key facts")
kpis = iter([*share.kpi_cells(4), *share.kpi_cells(4)])
with next(kpis):
    share.kpi("percent_complete", facts["percent_complete"])
with next(kpis):
    share.kpi("bac", facts["bac"], note=f"The project's currency is {facts['currency']}."
              if facts["currency"] and facts["currency"] != currency else None)
with next(kpis):
    share.kpi("forecast_finish_date", facts["forecast_finish_date"],
              note=f"Baseline finish {day(facts['baseline_finish_date'])}; baseline start "
                   f"{day(facts['baseline_start_date'])}; start {day(facts['start_date'])}.")
with next(kpis):
    share.kpi("schedule_slip_days", facts["schedule_slip_days"])
with next(kpis):
    share.kpi("cpi", facts["cpi"])
with next(kpis):
    share.kpi("spi", facts["spi"])
with next(kpis):
    share.kpi("eac", facts["eac"], note=f"Method: {health.EAC_METHODS[facts['eac_method'] or 'cpi']}.")
with next(kpis):
    share.kpi("vac", facts["vac"])

if status_date is None:
    st.info(f"{safe.md(facts['project_id'])} had no status report on or before the selected status date, so "
            "there is no health or earned value to show. Pick a later status date in the sidebar.",
            icon=":material/event_busy:")
    st.stop()

# ---------------------------------------------------------------------------------------------
# Health per dimension: computed (with the reason) beside reported
# ---------------------------------------------------------------------------------------------
st.subheader("Health", anchor=False)
dimensions = [
    ("Overall", facts["overall_health"], facts["reported_health"], facts["health_reason"]),
    ("Schedule", facts["schedule_health"], facts["reported_schedule_health"], facts["schedule_reason"]),
    ("Cost", facts["cost_health"], facts["reported_cost_health"], facts["cost_reason"]),
    ("Work / scope", facts["work_health"], facts["reported_scope_health"],
     facts["work_reason"] or "Work: not judged. The tasks carry no original estimate to compare "
     "actual + remaining work with (a plan's Work field already is actual + remaining)."),
]
for col, (name, computed, reported, reason) in zip(st.columns(4), dimensions):
    with col, st.container(border=True, height="stretch"):
        with st.container(horizontal=True, gap="small"):
            st.badge(f"{name}: {computed or 'not judged'}", color=BADGE_COLOR.get(computed, "gray"),
                     help="Computed by the rules in config [health].")
            st.badge(f"reported {reported or '—'}", color=BADGE_COLOR.get(reported, "gray"),
                     help="The colour the project reported.")
        st.caption(safe.md(reason))
share.pack_table("Health per dimension: computed and reported", pl.DataFrame(
    [{"dimension": n, "computed": c or "not judged", "reported": r or "—", "why": w or "—"} for n, c, r, w in dimensions]),
    widths={"dimension": 1.6, "computed": 1.4, "reported": 1.4, "why": 8})
if facts["status_comment"]:
    st.markdown(f"> **Status comment ({fmt.day(status_date)}):** {safe.md(facts['status_comment'])}")

# ---------------------------------------------------------------------------------------------
# Earned value: table and S-curve
# ---------------------------------------------------------------------------------------------
st.subheader("Earned value", anchor=False)
left, right = st.columns([1.1, 1], gap="large")
with left:
    evm_table = pl.DataFrame(health.evm_rows(facts, currency))
    if (evm_table["Note"] == "").all():
        evm_table = evm_table.drop("Note")
    st.table(evm_table, hide_index=True)
    share.download_table(evm_table, "Earned value")
    st.caption(safe.md(facts["evm_note"] or ""))
with right:
    evm = data.query("project_evm_by_month", **params)
    if evm.drop_nulls("pv").is_empty() and evm.drop_nulls("ev").is_empty():
        st.info("No planned value or earned value to draw: " + safe.md(facts["evm_note"] or ""),
                icon=":material/show_chart:")
    else:
        share.chart(charts.s_curve(evm, status_date, currency), key="s_curve")

# ---------------------------------------------------------------------------------------------
# Milestones and late tasks
# ---------------------------------------------------------------------------------------------
m1, m2 = st.columns(2, gap="large")
with m1:
    st.subheader("Milestones", anchor=False)
    ms = data.query("project_milestone_status", **params)
    if ms.is_empty():
        st.info("No milestones in this project's task export.", icon=":material/flag:")
    else:
        late = ms.filter(pl.col("milestone_status") == "late").height
        st.caption(f"{fmt.plural(ms.height, 'milestone')} · {late} late at the status date (not done and the "
                   "committed date has passed).")
        tables.paged(ms.drop("task_id").with_columns(pl.concat_list("milestone_status")),
                     key="milestones", noun="milestones", order="by committed date",
                     currency=currency, placeholder="—", overrides={"milestone_status": STATUS_CHIPS})
        share.download_table(ms.drop("task_id"), "Milestones")
with m2:
    st.subheader("Late tasks", anchor=False)
    late_tasks = data.query("project_late_tasks", **params)
    if late_tasks.is_empty():
        st.success("No task is past its committed date without being done.", icon=":material/check_circle:")
    else:
        st.caption(f"{fmt.plural(late_tasks.height, 'task')} not done although their committed date had passed.")
        tables.paged(late_tasks.drop("task_id"), key="late_tasks", noun="tasks", order="most days late first",
                     currency=currency, placeholder="—")
        share.download_table(late_tasks.drop("task_id"), "Late tasks")

# ---------------------------------------------------------------------------------------------
# Budget lines; the RAID tab (risks, issues, assumptions, dependencies)
# ---------------------------------------------------------------------------------------------
b1, b2 = st.columns(2, gap="large")
with b1:
    st.subheader("Budget lines", anchor=False)
    lines = data.query("project_budget_lines", project_id=project_id)
    if lines.is_empty():
        st.info("The ledger has no lines for this project.", icon=":material/account_balance:")
    else:
        by_category = (lines.group_by("category")
                       .agg(pl.col("budget", "actual", "forecast", "commitment").sum())
                       .sort("budget", descending=True, nulls_last=True))
        st.caption(f"Ledger totals by category in {currency} (all months; credits and reversals "
                   "included). Monthly lines below.")
        tables.show(by_category, key="budget_by_category", currency=currency,
                    placeholder="—")
        share.download_table(by_category, "Budget by category")
        tables.paged(lines.sort("period", descending=True), key="budget_lines", noun="lines",
                     order="latest month first",
                     currency=currency, height=260, placeholder="—")
        share.download_table(lines.sort("period", descending=True), "Budget lines")
with b2:
    st.subheader("RAID", anchor=False)
    raid_items = raid.with_flag_reasons(data.query("project_raid", **params), raid_limits["not_updated_days"])
    raid_links = raid.with_dependency_states(data.query("project_dependencies", **params))
    if raid_items.is_empty() and raid_links.is_empty():
        st.info("No risks, assumptions, issues or dependencies recorded for this project. They come from "
                "Project Online's Risks and Issues, Jira, Azure DevOps, ServiceNow or a RAID log "
                "(docs/raid.md).", icon=":material/crisis_alert:")
    else:
        raid_open = raid_items.filter(pl.col("is_open"))
        st.caption(" · ".join(f"{raid_open.filter(pl.col('kind') == k).height} open {k}s" for k in raid.KINDS)
                   + f" · {raid.open_risks(raid_items).filter(pl.col('exposure_band') == 'critical').height} critical"
                   + f" · {raid_open.filter(pl.col('flag_count') > 0).height} flagged. "
                   + safe.link("All projects' RAID", "RAID"))
        kind_tabs = st.tabs([f"{k.capitalize()}s ({raid_items.filter(pl.col('kind') == k).height})" for k in raid.KINDS]
                            + [f"Dependencies ({raid_links.height})"])
        raid_cols = {
            "risk": ["item_id", "title", "exposure_score", "exposure_band", "owner", "status", "due_date",
                     "flag_reason", "is_open", "cost_exposure", "mitigation", "tool"],
            "issue": ["item_id", "title", "priority", "age_days", "owner", "status", "due_date", "flag_reason",
                      "is_open", "tool"],
            "assumption": ["item_id", "title", "owner", "due_date", "days_to_due", "flag_reason", "is_open",
                           "mitigation", "tool"],
            "dependency": ["item_id", "title", "exposure_score", "owner", "due_date", "flag_reason", "is_open", "tool"],
        }
        for kind, tab in zip(raid.KINDS, kind_tabs):
            with tab:
                rows = raid_items.filter(pl.col("kind") == kind).select(raid_cols[kind])
                if rows.is_empty():
                    st.caption(f"No {kind}s recorded for this project.")
                    continue
                tables.paged(rows, key=f"raid_{kind}", noun=f"{kind}s", order="open first, highest exposure first",
                             currency=currency, placeholder="—")
                share.download_table(rows, f"{kind.capitalize()}s")
        with kind_tabs[-1]:
            if raid_links.is_empty():
                st.caption("No blocking link names this project.")
            else:
                link_cols = ["dependency_state", "dependency_reason", "project_id", "item_id", "blocker_project_id",
                             "blocker_id", "dependent_start", "blocker_due", "tool"]
                tables.paged(raid_links.select(link_cols), key="raid_links", noun="links",
                             order="cycles, at risk, blocked first", currency=currency, placeholder="—")
                share.download_table(raid_links.select(link_cols), "Dependencies")

# ---------------------------------------------------------------------------------------------
# People and hours (timesheets and allocations; docs/capacity.md)
# ---------------------------------------------------------------------------------------------
st.subheader("People and hours", anchor=False)
crew = data.query("project_people_hours", project_id=project_id)
if crew.is_empty():
    st.info("No timesheet or allocation names this project. Load a timesheet export (Harvest, Toggl, "
            "Clockify, Tempo) or an allocation sheet to see who works on it.", icon=":material/groups:")
else:
    role_now = session.role()
    cap_settings, _ = capacity.Settings.from_config(data.settings())
    if not capacity.may_see_names(cap_settings, role_now.name if role_now else None,
                                  role_now.level if role_now else None):
        crew = capacity.hide_names(crew, capacity.pseudonyms(crew))
    crew = crew.with_columns(person_name=pl.when(pl.col("is_placeholder"))
                             .then(pl.lit("Unstaffed (placeholder)")).otherwise(pl.col("person_name")))
    crew_cols = ["person_name", "role", "team", "planned_hours", "actual_hours", "planned_to_date_hours",
                 "remaining_hours", "first_day", "last_day"]
    st.caption(f"{fmt.plural(crew.filter(~pl.col('is_placeholder')).height, 'person', 'people')} · "
               f"{fmt.text('actual_hours', float(crew['actual_hours'].sum()))} logged against "
               f"{fmt.text('planned_to_date_hours', float(crew['planned_to_date_hours'].sum()))} planned on the "
               "same days · whether they are over-allocated across projects: the Capacity page.")
    tables.paged(capacity.dashes(crew.select(crew_cols)), key="project_people", noun="people",
                 order="most hours first", currency=currency, placeholder="—")
    share.download_table(crew.select(crew_cols), "People and hours")
    try:
        st.page_link("pages/10_Capacity.py", label="Open the Capacity page", icon=":material/groups:")
    except StreamlitPageNotFoundError:   # the page run on its own: no page registry
        pass

# ---------------------------------------------------------------------------------------------
# Status history
# ---------------------------------------------------------------------------------------------
st.subheader("Status history", anchor=False)
hist = data.query("project_health_history", **params)
st.caption("What the project reported and what the rules computed at every status date.")
health_cols = ["overall_health", "schedule_health", "cost_health", "work_health", "reported_health",
               "reported_schedule_health", "reported_cost_health", "reported_scope_health"]
tables.paged(hist.sort("as_of", descending=True).with_columns(
    pl.concat_list(c).list.drop_nulls().alias(c) for c in health_cols),
    key="history", noun="status dates", order="latest first", currency=currency, placeholder="—",
    overrides={c: tables.rag_column(c) for c in health_cols})
share.download_table(hist.sort("as_of", descending=True), "Status history")
