"""The RAID and schedule parts of the tool importers, on files in each tool's real layout:
Jira Risk / Issue / Dependency issues and repeated "Blocks" link columns, Azure DevOps CMMI risks and
issues, ServiceNow issue lists, MS Project desktop plans with predecessors, constraints and slack.
Expected rows worked out by hand from the fixtures."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl

from pmo.ingest import analyse

FIXTURES = Path(__file__).parent / "fixtures"
AS_OF = date(2026, 11, 20)


def by(df: pl.DataFrame, key: str) -> dict:
    return {r[key]: r for r in df.to_dicts()}


# ---------------------------------------------------------------------------------------------
# Jira
# ---------------------------------------------------------------------------------------------


def test_jira_raid_items_hand_worked():
    o = analyse(FIXTURES / "jira" / "cloud_raid_and_blocks.csv", as_of=AS_OF)
    assert o.tool == "jira"
    assert o.tables == {"tasks": 8, "projects": 2, "risks": 4, "raid_snapshots": 4, "dependencies": 4}
    risks = by(o.frames["risks"], "item_id")
    assert set(risks) == {"PAY-305", "PAY-301", "PAY-310", "PAY-320"}      # Stories and Tasks are not RAID
    r = risks["PAY-301"]                       # Risk probability High -> 0.7, consequence Severe -> 5 of 5
    assert (r["kind"], r["project_id"], r["probability"], r["impact"], r["impact_scale"], r["status_category"],
            r["owner"], r["priority"], r["created_date"], r["updated_date"], r["due_date"], r["mitigation"]) == (
        "risk", "PAY", 0.7, 5.0, 5.0, "open", "Samir Haddad", "High", date(2026, 9, 2), date(2026, 11, 14),
        date(2026, 12, 15), "Second HSM vendor on standby; weekly vendor call")
    i = risks["PAY-310"]                       # an Issue: Major -> 4, no probability
    assert (i["kind"], i["impact"], i["probability"], i["priority"]) == ("issue", 4.0, None, "Highest")
    d = risks["PAY-305"]
    assert (d["kind"], d["due_date"], d["description"].startswith("Vendor ships")) == ("dependency", date(2026, 12, 4), True)
    closed = risks["PAY-320"]                  # Done, Resolved 30 Oct
    assert (closed["status_category"], closed["closed_date"], closed["probability"], closed["impact"]) == (
        "closed", date(2026, 10, 30), 0.3, 2.0)


def test_jira_blocks_links_from_repeated_columns_once_each():
    o = analyse(FIXTURES / "jira" / "cloud_raid_and_blocks.csv", as_of=AS_OF)
    links = o.frames["dependencies"].select("project_id", "item_id", "blocker_project_id", "blocker_id",
                                            "link_type", "_row").rows()
    assert links == [
        ("PAY", "PAY-214", "PAY", "PAY-305", "Blocks", 2),   # PAY-214's inward link (also PAY-305's outward one)
        ("PAY", "PAY-214", "CRM", "CRM-88", "Blocks", 2),    # the second inward column
        ("CRM", "CRM-92", "CRM", "CRM-91", "Blocks", 7),     # CRM-91 blocks CRM-92 ...
        ("CRM", "CRM-91", "CRM", "CRM-92", "Blocks", 8),     # ... and CRM-92 blocks CRM-91: a cycle
    ]


# ---------------------------------------------------------------------------------------------
# Azure DevOps
# ---------------------------------------------------------------------------------------------


def test_azure_devops_cmmi_risks_and_issues():
    o = analyse(FIXTURES / "azure_devops" / "cmmi_risks_issues.csv", as_of=AS_OF)
    assert o.tool == "azure_devops" and o.source == "azure_devops:Fabrikam"
    assert o.tables == {"tasks": 5, "risks": 4, "raid_snapshots": 4}        # the Task stays a task only
    risks = by(o.frames["risks"], "item_id")
    r = risks["5101"]                            # Probability 60 -> 0.6; Severity 2 - High -> 3 of 4
    assert (r["kind"], r["project_id"], r["probability"], r["impact"], r["impact_scale"], r["owner"],
            r["priority"], r["mitigation"], r["contingency"], r["description"], r["created_date"],
            r["updated_date"]) == (
        "risk", "Fabrikam", 0.6, 3.0, 4.0, "Dana Ortiz", "1", "Book the certification slot now",
        "Run on the old gateway for one more month", "The certification lab is booked out until January 2027.",
        date(2026, 9, 2), date(2026, 11, 16))
    assert (risks["5102"]["status_category"], risks["5102"]["closed_date"], risks["5102"]["impact"]) == (
        "closed", date(2026, 8, 14), 1.0)        # 4 - Low -> 1
    assert (risks["5110"]["kind"], risks["5110"]["due_date"], risks["5110"]["impact_scale"]) == (
        "issue", date(2026, 11, 27), None)       # Target Resolve Date; no severity
    assert risks["5120"]["probability"] is None  # 150 is not a percentage
    assert [(r.row, r.column, r.value, r.table) for r in o.rejects] == [(6, "Probability", "150", "risks")]


# ---------------------------------------------------------------------------------------------
# ServiceNow
# ---------------------------------------------------------------------------------------------


def test_servicenow_issue_list():
    o = analyse(FIXTURES / "servicenow" / "issue.csv", as_of=date(2025, 11, 20))
    assert o.tool == "servicenow" and o.source == "servicenow:issue"
    issues = by(o.frames["risks"], "item_id")
    i = issues["ISS0010077"]              # impact choice 1 - High, inverted: 3 of 3
    assert (i["kind"], i["project_id"], i["impact"], i["impact_scale"], i["priority"], i["owner"], i["cost"],
            i["currency"], i["description"], i["status_category"], i["updated_date"]) == (
        "issue", "Data centre exit – Frankfurt", 3.0, 3.0, "1 - Critical", "Karl Meyer", 45000.0, "EUR",
        "Carrier lost two racks.", "open", date(2025, 11, 18))
    done = issues["ISS0010081"]           # 3 - Low -> 1; Closed Complete
    assert (done["impact"], done["status_category"], done["closed_date"]) == (1.0, "closed", date(2025, 9, 12))
    assert o.frames["raid_snapshots"].height == 2


# ---------------------------------------------------------------------------------------------
# MS Project desktop plan: predecessors, constraints, slack, actuals
# ---------------------------------------------------------------------------------------------


def test_msproject_grid_schedule_fields_and_links():
    o = analyse(FIXTURES / "msproject" / "dc_exit_wave2_schedule_grid.csv", as_of=AS_OF)
    assert o.tool == "msproject" and o.source == "msproject:plan:Data Centre Exit - Wave 2"
    assert o.tables == {"tasks": 8, "projects": 1, "schedule_exports": 1, "task_links": 7}
    tasks = by(o.frames["tasks"], "task_id")
    assert "0" not in tasks                                 # the project summary task is the project
    t = tasks["14"]
    assert (t["actual_start_date"], t["duration_days"], t["baseline_duration_days"], t["total_slack_days"],
            t["constraint_type"], t["constraint_date"]) == (
        date(2026, 9, 21), 60.0, 45.0, -25.0, "SNET", date(2026, 9, 21))
    assert (tasks["15"]["constraint_type"], tasks["17"]["constraint_type"]) == ("MSO", "FNLT")
    assert tasks["16"]["total_slack_days"] == 50.0 and tasks["16"]["actual_start_date"] is None   # NA
    assert tasks["18"]["constraint_type"] is None           # "Just Whenever": rejected, left empty
    # Predecessors are row IDs: 2 -> Unique ID 12 and so on; types, lags in working days
    links = o.frames["task_links"].select("task_id", "predecessor_id", "link_type", "lag_days", "lag_text").rows()
    assert links == [
        ("13", "12", "FS", 0.0, None),
        ("14", "13", "SS", 10.0, "+10 days"),
        ("15", "14", "FS", -3.0, "-3 days"),            # a lead
        ("16", "15", "FS", 0.0, None),
        ("16", "14", "FF", 0.0, None),
        ("18", "16", "FS", 0.0, None),
        ("18", "17", "FS", 5.0, "+1 wk"),               # a week = 5 working days
    ]
    assert any("1 predecessor link(s) to tasks outside the plan" in n for n in o.notes)   # Network Refresh\12
    assert {(r.column, r.value) for r in o.rejects} == {("Constraint Type", "Just Whenever"), ("Predecessors", "9XX")}
    (export,) = o.frames["schedule_exports"].to_dicts()
    assert (export["project_id"], export["export"], export["task_count"]) == (
        "Data Centre Exit - Wave 2", "MS Project desktop plan (grid)", 8)
    assert export["fields"] == ["predecessors", "total_slack", "constraint_type", "actual_start", "actual_finish",
                                "baseline_start", "baseline_finish", "baseline_duration", "duration", "assignee"]


def test_msproject_lag_units():
    from pmo.importers.msproject.schedule import lag_days

    assert [lag_days(x, 8) for x in ("2 days", "4 hrs", "1 wk", "2 edays", "1 ewk", "3d", "1,5 days", "50%")] == [
        2.0, 0.5, 5.0, 2.0, 7.0, 3.0, 1.5, None]


def test_project_online_schedule_fields(tmp_path):
    """ProjectData Tasks in decimal hours: slack and durations become working days; its export
    records no predecessors or constraint types (ProjectData has neither)."""
    import xlsxwriter

    path = tmp_path / "ProjectData_2026-11-20.xlsx"
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("Tasks")
    ws.write_row(0, 0, ["ProjectId", "ProjectName", "TaskId", "TaskName", "TaskOutlineLevel", "TaskStartDate",
                        "TaskFinishDate", "TaskDuration", "TaskPercentCompleted", "TaskActualStartDate",
                        "TaskActualFinishDate", "TaskTotalSlack", "TaskIsSummary"])
    ws.write_row(1, 0, ["p-1", "Plan", "t-1", "Design", 1, "2026-10-01", "2026-10-30", 176.0, 50, "2026-10-01",
                        None, -40.0, False])
    ws2 = wb.add_worksheet("TaskBaselines")
    ws2.write_row(0, 0, ["ProjectId", "TaskId", "BaselineNumber", "TaskBaselineStartDate", "TaskBaselineFinishDate",
                         "TaskBaselineDuration"])
    ws2.write_row(1, 0, ["p-1", "t-1", 0, "2026-10-01", "2026-10-20", 120.0])
    wb.close()
    o = analyse(path)
    (t,) = o.frames["tasks"].to_dicts()
    assert (t["duration_days"], t["total_slack_days"], t["baseline_duration_days"], t["actual_start_date"],
            t["baseline_finish_date"]) == (22.0, -5.0, 15.0, date(2026, 10, 1), date(2026, 10, 20))
    (export,) = o.frames["schedule_exports"].to_dicts()
    assert export["export"] == "Project Online OData (Tasks)"
    assert export["fields"] == ["total_slack", "actual_start", "actual_finish", "baseline_start",
                                "baseline_finish", "baseline_duration", "duration"]
