"""Governance: are projects following the PMO's standards? Reporting hygiene (stale or missing
status reports, reported health that disagrees with the computed one), plan hygiene (baselines,
owners, late tasks, required fields), schedule quality (the DCMA 14-point checks the exports
allow) and stage gates, per project and rolled up by portfolio, program, manager or department,
at the selected status date, with the trend of compliance across status dates.

Every finding says why (the value against its limit) and lists the offending tasks, fields, gates
or report dates; a check the exports cannot measure says so instead of passing. The checks are
SQL (queries/views/governance_findings.sql; docs/governance.md), the same as `pmo check
--governance`; thresholds live in config [governance]. Any project leads to the project page.
"""

import polars as pl
import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from pmo import frames, governance
from pmo import metrics as fmt
from pmo.charts import governance as charts
from pmo.ui import data, filters, page, safe, share, tables, url

st.set_page_config(page_title="Governance", page_icon=":material/gavel:", layout="wide")

# ---------------------------------------------------------------------------------------------
# Constants
# ---------------------------------------------------------------------------------------------
PROJECT_PAGE = "pages/6_Project.py"
SHOWN_GROUPS = {"all": "All checks", **governance.GROUPS}
KPIS = ("projects_judged", "compliance", "projects_fully_compliant", "findings_to_fix", "status_reports_late",
        "gates_overdue")
FINDING_COLUMNS = ["project_id", "project_name", "check_name", "finding", "offending_names", "offending_count",
                   "check_group", "finding_date"]
SCORE_COLUMNS = ["project_id", "project_name", "compliance", "checks_judged", "checks_passed", "checks_failed",
                 "checks_not_measurable", "failed_checks", "portfolio", "program", "manager", "department", "stage"]
GATE_COLUMNS = ["project_id", "project_name", "stage", "stage_entered_date", "next_gate", "next_gate_planned_date",
                "days_overdue", "is_overdue", "last_gate", "last_decision", "last_decision_date", "last_approver",
                "next_gate_stage", "gates_logged"]

# ---------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------
page.start()
f = filters.sidebar()
settings = data.settings()
_, problems = governance.read_settings(settings)
with st.sidebar:
    by = url.url_select("Roll up by", governance.ROLLUPS, "by", "portfolio",
                        "Which grouping the roll-up table and chart sum the project scores over.")
params = {**f.params(), "as_of": f.as_of}

view = share.share_bar("Governance", f)
if by != "portfolio":
    view.add_filter(f"Roll-up: {governance.ROLLUPS[by]}")
for problem in problems:
    st.warning(f"Configuration: {problem}", icon=":material/settings:")

checks = data.query("governance_project_checks", **params)
trend_rows = data.query("governance_compliance_trend", **params)
if checks.is_empty():
    st.caption(f.summary())
    st.info("No project is judged at this status date. The governance checks need projects with a "
            "status date: load a project register or status report export (Project Online / Project "
            "Server ProjectData Projects, ServiceNow project_status, Smartsheet, Clarity ...), plan "
            "exports for the plan and schedule checks (MS Project desktop: File > Save As > CSV / Excel "
            "with Predecessors, Constraint Type and Total Slack; Project Online ProjectData Tasks) and a "
            "gate log for the stage gates (docs/governance.md#gate-log), on the Data page or with "
            "`pmo ingest`. If filters are set, clear them or pick another status date in the sidebar.",
            icon=":material/gavel:")
    st.stop()

as_of = checks["as_of"].max()
dates = sorted(trend_rows["as_of"].unique().to_list())
previous_date = max((d for d in dates if d < as_of), default=None)
previous = None
if previous_date is not None:
    previous = governance.kpis(data.query("governance_project_checks", **{**params, "as_of": previous_date}))
since = f"since {fmt.day(previous_date)}" if previous_date else None
st.caption(f.summary() + ("" if as_of == (f.as_of or f.latest_as_of) else f" · judged on the status date {fmt.day(as_of)}")
           + (f" · changes are {since} (the status date before)" if previous_date else ""))

# ---------------------------------------------------------------------------------------------
# KPI row (labels, formats and help from metrics/governance.toml)
# ---------------------------------------------------------------------------------------------
current = governance.kpis(checks)
share.kpi_row("Standards at a glance", f"Changes are {since} (the status date before)." if since else None)
for col, name in zip(share.kpi_cells(len(KPIS)), KPIS):
    with col:
        share.kpi(name, current[name], since=since, **({"previous": previous[name]} if previous else {}))
scores = governance.project_scores(checks)
not_measured = int(scores["checks_not_measurable"].sum())
trend = governance.trend(trend_rows)
st.caption(f"{fmt.label('compliance')} = checks passed ÷ checks judged over {fmt.plural(scores.height, 'project')}. "
           f"{not_measured:,} checks cannot be measured from the exports loaded (or have nothing to judge) "
           "and are left out, never counted as passed: see 'Not measurable' below."
           + governance.judged_change_text(trend, previous_date, as_of))


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------
def open_project_on_pick(event, ids: list[str]) -> None:
    """A selected table row opens its project (pages/6_Project.py?project=...)."""
    rows = event.selection.rows if event else []
    if rows and rows[0] < len(ids):
        st.switch_page(PROJECT_PAGE, query_params={"project": ids[rows[0]]})


def shown_rows(key: str):
    """For tables.paged(on_rows=...): remembers which project ids the page of the table shows."""
    seen: dict[str, list[str]] = {}

    def on_rows(part: pl.DataFrame):
        seen[key] = part["project_id"].to_list()
        return "rerun"
    return on_rows, seen


def project_link(project_id: str, label: str) -> None:
    """A link to the project page; the label comes from exports, so it is escaped."""
    try:
        st.page_link(PROJECT_PAGE, label=safe.md(label), icon=":material/open_in_new:",
                     query_params={"project": project_id})
    except StreamlitPageNotFoundError:  # this page run on its own (tests): no page registry
        st.markdown(safe.link(label, "Project", project=project_id))


# ---------------------------------------------------------------------------------------------
# Trend and roll-up
# ---------------------------------------------------------------------------------------------
groups = governance.rollup(scores, by)
left, right = st.columns(2, gap="large")
with left:
    if trend["as_of"].n_unique() < 2:
        st.info("Compliance is judged at one status date only so far: the trend starts with the next "
                "status report export.", icon=":material/timeline:")
    share.chart(charts.compliance_trend(trend), key="gov_trend")
with right:
    top = groups.head(tables.TOP_ROWS)
    share.chart(charts.compliance_by(top, by), key="gov_by")
    if groups.height > top.height:
        st.caption(f"The {top.height} least compliant of {groups.height:,} values; the table below lists all.")

st.subheader(f"By {governance.ROLLUPS[by].lower()}", anchor=False)
tables.paged(groups, key="gov_rollup", noun=governance.ROLLUPS[by].lower() + " values",
             order="least compliant first")
share.download_table(groups, f"Compliance by {governance.ROLLUPS[by].lower()}")
share.pack_table(f"Compliance by {governance.ROLLUPS[by].lower()}",
                 groups.select(by, "projects_judged", "projects_fully_compliant", "checks_failed", "compliance")
                 .with_columns(frames.each(groups, "compliance", lambda v: fmt.pct(v, 0), pl.String)),
                 widths={by: 4})

# ---------------------------------------------------------------------------------------------
# Findings to fix, with the reason and the offending items
# ---------------------------------------------------------------------------------------------
st.subheader("Findings to fix", anchor=False)
with st.container(horizontal=True, vertical_alignment="bottom"):
    group = url.url_select("Checks shown", SHOWN_GROUPS, "checks", "all",
                           "Which group of checks the findings, the check table and the grid show.", width=320)
if group != "all":
    view.add_filter(f"Checks: {SHOWN_GROUPS[group]}")
in_group = checks if group == "all" else checks.filter(pl.col("check_group") == group)
findings = governance.failed_findings(in_group)
share.pack_table("Findings to fix", findings.select("project_id", "check_name", "finding"),
                 widths={"project_id": 1.3, "check_name": 3, "finding": 6},
                 empty="No check fails at this status date.")
if findings.is_empty():
    st.success(f"No check fails ({SHOWN_GROUPS[group].lower()}) at this status date.", icon=":material/check_circle:")
else:
    st.caption("Each failed check with its value against the limit and the items that break it. "
               "Select a row to open the project.")
    on_rows, seen = shown_rows("gov_findings")
    event = tables.paged(findings.select(FINDING_COLUMNS), key="gov_findings", noun="findings",
                         order="by check, then project", on_rows=on_rows, selection_mode="single-row")
    open_project_on_pick(event, seen.get("gov_findings", []))
    share.download_table(findings.select(*FINDING_COLUMNS, "portfolio", "check_id"), "Findings to fix")

# ---------------------------------------------------------------------------------------------
# Compliance per check, and the grid of every check of every project
# ---------------------------------------------------------------------------------------------
st.subheader("Compliance per check", anchor=False)
per_check = governance.check_scores(in_group)
tables.static(per_check.drop("check_id"), key="gov_checks", noun="checks")
share.download_table(per_check, "Compliance per check")
share.pack_table("Compliance per check", per_check.select("check_name", "limit_text", "projects_failing",
                                                         "projects_not_measurable")
                 .with_columns(pl.col(c).cast(pl.String) for c in ("projects_failing", "projects_not_measurable")),
                 widths={"check_name": 4})

grid_projects = scores.filter(pl.col("project_id").is_in(in_group["project_id"].implode()))["project_id"]
worst = grid_projects.head(tables.TOP_ROWS).to_list()
event = share.chart(charts.check_grid(in_group.filter(pl.col("project_id").is_in(worst)), order=worst),
                    key="gov_grid", on_select="rerun", selection_mode=charts.PROJECT_PICK)
picked = (event.selection.get(charts.PROJECT_PICK) or []) if event else []
if picked and picked[0].get("project_id"):
    st.switch_page(PROJECT_PAGE, query_params={"project": picked[0]["project_id"]})
if grid_projects.len() > len(worst):
    st.caption(f"The {len(worst)} least compliant of {grid_projects.len():,} projects; narrow the sidebar "
               "filters to see others. 'Projects' below lists every project.")

# ---------------------------------------------------------------------------------------------
# Stage gates
# ---------------------------------------------------------------------------------------------
if group in ("all", "gates"):
    st.subheader("Stage gates", anchor=False)
    gates = data.query("governance_stage_gates", **params)
    gates = gates.filter(pl.col("project_id").is_in(scores["project_id"].implode()))
    overdue = gates.filter(pl.col("is_overdue"))
    without_log = gates.filter(pl.col("gates_logged") == 0).height
    if overdue.height:
        st.markdown(f":red-badge[{overdue.height} overdue] next gate past its planned date with no decision recorded:")
        for r in overdue.head(tables.LIST_ITEMS).iter_rows(named=True):
            project_link(r["project_id"], f"{r['project_id']} · {r['project_name'] or ''}")
            st.caption(f"{safe.md(r['next_gate'])} planned {fmt.day(r['next_gate_planned_date'])}, "
                       f"{fmt.plural(r['days_overdue'], 'day')} overdue; stage {safe.md(r['stage'] or '—')}"
                       + (f" since {fmt.day(r['stage_entered_date'])}" if r["stage_entered_date"] else ""))
    else:
        st.success("No stage gate is overdue.", icon=":material/check_circle:")
    on_rows, seen = shown_rows("gov_gates")
    event = tables.paged(gates.select(GATE_COLUMNS), key="gov_gates", noun="projects",
                         order="overdue first, most days overdue first", on_rows=on_rows,
                         selection_mode="single-row")
    open_project_on_pick(event, seen.get("gov_gates", []))
    share.download_table(gates.select(GATE_COLUMNS), "Stage gates")
    if without_log:
        st.caption(f"{fmt.plural(without_log, 'project')} without gate log rows: their gate check is not "
                   "measurable. Load a gate log (CSV / Excel: Project, Gate, Stage, Planned date, Decision "
                   "date, Decision, Approver; docs/governance.md#gate-log).")

# ---------------------------------------------------------------------------------------------
# Every project's score
# ---------------------------------------------------------------------------------------------
st.subheader("Projects", anchor=False)
st.caption("Every project judged, the least compliant first. Select a row to open the project.")
on_rows, seen = shown_rows("gov_projects")
event = tables.paged(scores.select(SCORE_COLUMNS), key="gov_projects", noun="projects",
                     order="least compliant first", on_rows=on_rows, selection_mode="single-row")
open_project_on_pick(event, seen.get("gov_projects", []))
share.download_table(scores.select(SCORE_COLUMNS), "Project compliance")

with st.expander("Not measurable: what the exports do not allow", icon=":material/help:"):
    unmeasured = governance.not_measurable(in_group)
    if unmeasured.is_empty():
        st.caption("Every check could be judged for every project.")
    else:
        st.caption("A check whose fields the export lacks (no predecessors, no total slack, no baselines) "
                   "or that has nothing to judge is left out of compliance. Load a plan export that carries "
                   "the fields to judge it (docs/governance.md, 'Which exports allow which checks').")
        tables.static(unmeasured, key="gov_unmeasured", noun="reasons")
        share.download_table(unmeasured, "Checks not measurable")

with st.expander("How the checks work", icon=":material/rule:"):
    st.markdown(
        "- **Reporting hygiene**: the last status report is older than the cadence plus grace; no status "
        "report ever; the reported colour disagrees with the computed one for N reports in a row.\n"
        "- **Plan hygiene**: no project baseline; tasks without a baseline finish; open tasks without an "
        "owner; incomplete tasks whose finish is before the status date; required project fields empty.\n"
        "- **Schedule quality**: the DCMA 14-point checks the exports allow (1 logic, 2 leads, 3 lags, "
        "4 finish-to-start, 5 hard constraints, 6 high float, 7 negative float, 8 high duration, 9 invalid "
        "dates, 11 missed tasks, 14 baseline execution index), judged on the plan at its export's status date.\n"
        "- **Stage gates**: the next gate is past its planned date (plus grace) with no decision recorded.\n\n"
        "Reporting, register and gate checks are judged at every status date; task checks from the plan "
        "export's status date on. Each check counts with its newest finding on or before the status date.")
    st.caption("Thresholds live in config/pmo.toml, section [governance] (docs/configuration.md); a store "
               "can override them in <data dir>/config.toml. The full definitions are in docs/governance.md; "
               "`pmo check --governance` prints the same findings.")
