"""MS Project importer: desktop grid and export-wizard plans, Project Online OData workbooks.

Fixtures are hand-written in the real layouts (reference: export-formats.md §2); every expected
value below was computed by hand from the fixture text.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter

from pmo import config
from pmo.importers import msproject, registry
from pmo.importers.base import ImportResult, IngestContext
from pmo.ingest import IngestFailed, analyse

FIXTURES = Path(__file__).parent / "fixtures" / "msproject"
GRID = FIXTURES / "website_relaunch_grid.csv"
WIZARD_CSV = FIXTURES / "erp_wave2_task_table.csv"

P1 = "6f1c2a3b-1111-4a5b-8c9d-000000000001"
P2 = "6f1c2a3b-2222-4a5b-8c9d-000000000002"
T0, T1, T2, T3, T4, T5 = (f"a0000000-0000-4000-8000-00000000000{i}" for i in range(6))
ISSUE_GUID = "9d3e0c11-5f4b-4c2a-9e8d-7b6a5c4d3e2f"


def run(path: Path) -> tuple[list[registry.Match], ImportResult]:
    """Detect, then parse every matched sheet together (what ingest.analyse does)."""
    matches = registry.detect(path)
    assert {m.tool for m in matches} == {"msproject"}
    ctx = IngestContext(as_of=None, file_name=path.name, settings=config.load())
    return matches, matches[0].module.parse([m.table() for m in matches], ctx)


def by_id(df: pl.DataFrame, key: str) -> dict[str, dict]:
    return {r[key]: r for r in df.iter_rows(named=True)}


def subset(row: dict, expected: dict) -> dict:
    return {k: row[k] for k in expected}


# ---------------------------------------------------------------------------------------------
# Desktop grid (display names and display values)
# ---------------------------------------------------------------------------------------------


def test_grid_is_detected_on_its_header():
    matches = registry.detect(GRID)
    assert [(m.tool, m.header_index) for m in matches] == [("msproject", 0)]


def test_grid_tasks_hand_computed():
    _, result = run(GRID)
    assert result.source == "plan:Website relaunch"
    assert result.as_of is None
    assert result.rejects == []
    assert result.rows_read == 8
    assert "1 blank row(s) without a task name skipped" in result.notes
    tasks = by_id(result.tables["tasks"], "task_id")
    assert list(tasks) == ["1", "2", "3", "4", "5", "6", "8"]  # ID 7 is a blank spacer row
    expected = {
        "1": {
            "task_name": "Website relaunch",
            "parent_id": None,
            "is_summary": True,
            "is_milestone": False,
            "start_date": date(2026, 1, 5),
            "finish_date": date(2026, 3, 6),
            "percent_complete": 0.35,
            "status_category": "in_progress",
            "assignee": None,
            "cost": 48200.0,
            "baseline_cost": 45000.0,
            "actual_cost": 16870.0,
            "estimate_hours": 360.0,
            "_row": 2,
        },
        "2": {
            "task_name": "Discovery",
            "parent_id": "1",
            "is_summary": False,
            "is_milestone": False,
            "start_date": date(2026, 1, 5),
            "finish_date": date(2026, 1, 16),
            "percent_complete": 1.0,
            "status_category": "done",
            "assignee": "Ana Silva",
            "cost": 9600.0,
            "baseline_cost": 9000.0,
            "actual_cost": 9600.0,
            "estimate_hours": 120.0,
            "_row": 3,
        },
        "3": {
            "task_name": "Design sign-off",
            "parent_id": "1",
            "is_summary": False,
            "is_milestone": True,
            "start_date": date(2026, 1, 16),
            "finish_date": date(2026, 1, 16),
            "percent_complete": 0.0,
            "status_category": "todo",
            "assignee": "Ana Silva",
            "cost": 0.0,
            "estimate_hours": 0.0,
            "_row": 4,
        },
        "4": {
            "task_name": "Build",
            "parent_id": "1",
            "is_summary": True,
            "is_milestone": False,
            "start_date": date(2026, 1, 19),
            "finish_date": date(2026, 2, 27),
            "percent_complete": 0.2,
            "assignee": None,
            "cost": 34400.0,
            "baseline_cost": 32000.0,
            "actual_cost": 6880.0,
            "estimate_hours": 224.0,
            "_row": 5,
        },
        # 2 edays = 48 elapsed hours: not a milestone; Ben Cho[50%] -> Ben Cho
        "5": {
            "task_name": "Templates",
            "parent_id": "4",
            "is_summary": False,
            "is_milestone": False,
            "percent_complete": 0.5,
            "assignee": "Ben Cho",
            "cost": 1200.0,
            "actual_cost": 600.0,
            "estimate_hours": 8.0,
            "_row": 6,
        },
        # 3 days? (estimated) is still 24 h; first resource of "Chris Dale[25%],Ana Silva"
        "6": {
            "task_name": "Content migration",
            "parent_id": "4",
            "is_summary": False,
            "is_milestone": False,
            "percent_complete": 0.0,
            "status_category": "todo",
            "assignee": "Chris Dale",
            "_row": 7,
        },
        # back to outline level 2 after level 3: parent is the level-1 summary again
        "8": {
            "task_name": "Go-live",
            "parent_id": "1",
            "is_summary": False,
            "is_milestone": True,
            "start_date": date(2026, 3, 6),
            "finish_date": date(2026, 3, 6),
            "_row": 9,
        },
    }
    for tid, exp in expected.items():
        assert subset(tasks[tid], exp) == exp, tid
    assert {r["project_id"] for r in tasks.values()} == {"Website relaunch"}


def test_grid_project_row_from_the_top_summary():
    _, result = run(GRID)
    [project] = result.tables["projects"].iter_rows(named=True)
    assert project["project_id"] == project["project_name"] == "Website relaunch"
    assert project["start_date"] == date(2026, 1, 5)
    assert project["finish_date"] == date(2026, 3, 6)
    assert project["percent_complete"] == 0.35
    assert project["budget_original"] == 45000.0  # Baseline Cost of the summary row
    assert project["currency"] == "USD"  # from "$48,200.00"
    assert project["external_ids"] == []
    assert set(result.tables) == {"tasks", "projects", "task_links", "schedule_exports"}


def test_grid_end_to_end():
    outcome = analyse(GRID)
    assert outcome.tool == "msproject"
    assert outcome.source == "msproject:plan:Website relaunch"
    assert outcome.tables == {"tasks": 7, "projects": 1, "task_links": 5, "schedule_exports": 1}
    assert outcome.rejects == []
    tasks = outcome.frames["tasks"]
    assert "_row" in tasks.columns
    assert tasks.filter(pl.col("task_id") == "5")["estimate_hours"].item() == 8.0
    projects = outcome.frames["projects"]
    assert projects["budget_original"].item() == 45000.0
    assert projects["budget"].item() is None  # the store converts in its views
    assert projects["as_of"].item() == outcome.as_of


# ---------------------------------------------------------------------------------------------
# Desktop export wizard (Task_Table, underscore names)
# ---------------------------------------------------------------------------------------------


def test_wizard_csv_hand_computed():
    _, result = run(WIZARD_CSV)
    assert result.source == "plan:ERP rollout – Wave 2"
    tasks = by_id(result.tables["tasks"], "task_id")
    assert list(tasks) == ["1", "7", "9"]  # Unique_ID wins over ID
    assert subset(
        tasks["1"],
        {
            "parent_id": None,
            "is_summary": True,
            "percent_complete": 0.38,
            "estimate_hours": 1480.0,
            "baseline_start_date": date(2026, 2, 2),
            "baseline_finish_date": date(2026, 4, 17),
        },
    ) == {
        "parent_id": None,
        "is_summary": True,
        "percent_complete": 0.38,
        "estimate_hours": 1480.0,
        "baseline_start_date": date(2026, 2, 2),
        "baseline_finish_date": date(2026, 4, 17),
    }
    assert subset(
        tasks["7"],
        {
            "parent_id": "1",
            "assignee": "Ines Duarte",
            "percent_complete": 1.0,
            "cost": 48000.0,
            "baseline_cost": 45000.0,
            "actual_cost": 48000.0,
        },
    ) == {
        "parent_id": "1",
        "assignee": "Ines Duarte",
        "percent_complete": 1.0,
        "cost": 48000.0,
        "baseline_cost": 45000.0,
        "actual_cost": 48000.0,
    }
    assert tasks["9"]["is_milestone"] is True
    assert tasks["9"]["parent_id"] == "1"
    [project] = result.tables["projects"].iter_rows(named=True)
    assert (project["budget_original"], project["currency"], project["percent_complete"]) == (
        170000.0,
        "USD",
        0.38,
    )
    assert (project["baseline_start_date"], project["baseline_finish_date"]) == (
        date(2026, 2, 2),
        date(2026, 4, 17),
    )


def _write_sheet(wb: xlsxwriter.Workbook, name: str, header: list[str], rows: list[list]) -> None:
    ws = wb.add_worksheet(name)
    fmt = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    ws.write_row(0, 0, header)
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row):
            if v is None:
                continue
            if isinstance(v, datetime):
                ws.write_datetime(r, c, v, fmt)
            elif isinstance(v, bool):
                ws.write_boolean(r, c, v)
            elif isinstance(v, (int, float)):
                ws.write_number(r, c, v)
            else:
                ws.write_string(r, c, v)


WIZARD_HEADER = [
    "ID",
    "Unique_ID",
    "Name",
    "Outline_Level",
    "WBS",
    "Duration",
    "Start_Date",
    "Finish_Date",
    "Percent_Complete",
    "Cost",
    "Baseline_Cost",
    "Actual_Cost",
    "Baseline_Start",
    "Baseline_Finish",
    "Work",
    "Resource_Names",
    "Predecessors",
]


def test_wizard_xlsx_with_typed_cells(tmp_path):
    path = tmp_path / "erp_wave2.xlsx"
    wb = xlsxwriter.Workbook(path)
    d = datetime
    _write_sheet(
        wb,
        "Task_Table",
        WIZARD_HEADER,
        [
            [
                0,
                0,
                "ERP Wave 2 plan",
                0,
                "0",
                "60 days",
                d(2026, 2, 2, 8),
                d(2026, 4, 24, 17),
                38,
                184500,
                170000,
                61250,
                d(2026, 2, 2, 8),
                d(2026, 4, 17, 17),
                "1,480 hrs",
                None,
                None,
            ],
            [
                1,
                3,
                "Migration",
                1,
                "1",
                "20 days",
                d(2026, 2, 2, 8),
                d(2026, 2, 27, 17),
                100,
                48000,
                45000,
                48000,
                d(2026, 2, 2, 8),
                d(2026, 2, 27, 17),
                "480 hrs",
                "Ines Duarte,Karl Meyer[50%]",
                None,
            ],
            [
                2,
                4,
                "Load customers",
                2,
                "1.1",
                "5 days",
                d(2026, 2, 2, 8),
                d(2026, 2, 6, 17),
                100,
                12000,
                11000,
                12000,
                d(2026, 2, 2, 8),
                d(2026, 2, 6, 17),
                "120 hrs",
                "Karl Meyer",
                None,
            ],
            [
                3,
                9,
                "Cutover",
                1,
                "2",
                "0 days",
                d(2026, 3, 6, 17),
                d(2026, 3, 6, 17),
                0,
                0,
                0,
                0,
                "NA",
                "NA",
                "0 hrs",
                "Ines Duarte",
                "1FS+5 days",
            ],
            [
                4,
                12,
                "Training",
                1,
                "3",
                "15 days",
                d(2026, 3, 9, 8),
                d(2026, 3, 27, 17),
                10,
                12000,
                11000,
                1200,
                d(2026, 3, 9, 8),
                d(2026, 3, 20, 17),
                "240 hrs",
                "Lea Wolf[50%]",
                "9",
            ],
        ],
    )
    _write_sheet(
        wb,
        "Resource_Table",
        ["ID", "Unique_ID", "Name", "Start_Date", "Finish_Date", "Duration", "Outline_Level"],
        [[1, 1, "Ines Duarte", None, None, None, None]],
    )
    wb.close()

    matches, result = run(path)
    assert [m.grid.sheet for m in matches] == ["Task_Table"]  # Resource_Table not read
    # Row 0 (outline level 0) is MS Project's project summary task: it is the project, not a task.
    assert result.source == "plan:ERP Wave 2 plan"
    tasks = by_id(result.tables["tasks"], "task_id")
    assert list(tasks) == ["3", "4", "9", "12"]
    assert [tasks[t]["parent_id"] for t in tasks] == [None, "3", None, None]
    assert [tasks[t]["is_summary"] for t in tasks] == [True, False, False, False]
    assert [tasks[t]["is_milestone"] for t in tasks] == [False, False, True, False]
    assert tasks["9"]["baseline_start_date"] is None  # "NA" is empty, not an error
    assert tasks["12"]["start_date"] == date(2026, 3, 9)
    assert tasks["12"]["baseline_finish_date"] == date(2026, 3, 20)
    assert tasks["12"]["percent_complete"] == 0.1
    assert tasks["12"]["assignee"] == "Lea Wolf"
    assert tasks["3"]["_row"] == 3
    [project] = result.tables["projects"].iter_rows(named=True)
    assert subset(
        project,
        {
            "project_id": "ERP Wave 2 plan",
            "start_date": date(2026, 2, 2),
            "finish_date": date(2026, 4, 24),
            "percent_complete": 0.38,
            "budget_original": 170000.0,
            "currency": None,
            "_row": 2,
        },
    ) == {
        "project_id": "ERP Wave 2 plan",
        "start_date": date(2026, 2, 2),
        "finish_date": date(2026, 4, 24),
        "percent_complete": 0.38,
        "budget_original": 170000.0,
        "currency": None,
        "_row": 2,
    }
    assert result.rejects == []

    # Typed cost cells carry no currency symbol: the plan's budget is stated in no currency, so
    # the file is refused unless the currency is given (never read as the reporting currency).
    with pytest.raises(IngestFailed) as exc:
        analyse(path)
    assert exc.value.kinds == {"currency"} and "'Baseline_Cost'" in str(exc.value)
    outcome = analyse(path, currency="EUR")
    assert outcome.tables == {"tasks": 4, "projects": 1, "task_links": 1, "schedule_exports": 1}
    assert outcome.frames["projects"]["currency"].to_list() == ["EUR"]
    assert outcome.rejects == []


def test_plan_without_a_single_summary_is_named_after_the_file(tmp_path):
    path = tmp_path / "Office move.csv"
    path.write_text(
        "ID,Task Mode,Task Name,Duration,Start,Finish,Predecessors,Resource Names,% Complete,"
        "Baseline Cost,Outline Level\n"
        '1,Auto Scheduled,Plan,5 days,Mon 2/2/26,Fri 2/6/26,,,100%,"$2,000.00",1\n'
        '2,Auto Scheduled,Move,3 days,Mon 2/9/26,Wed 2/11/26,1,Tom Berg,0%,"$8,500.00",1\n'
        "3,Auto Scheduled,Movers booked,0 days,Wed 2/11/26,Wed 2/11/26,,,0%,$0.00,2\n",
        encoding="utf-8",
    )
    _, result = run(path)
    assert result.source == "plan:Office move"
    [project] = result.tables["projects"].iter_rows(named=True)
    assert subset(
        project,
        {
            "project_id": "Office move",
            "start_date": date(2026, 2, 2),
            "finish_date": date(2026, 2, 11),
            "budget_original": 10500.0,
            "percent_complete": None,
        },
    ) == {
        "project_id": "Office move",
        "start_date": date(2026, 2, 2),
        "finish_date": date(2026, 2, 11),
        "budget_original": 10500.0,
        "percent_complete": None,
    }
    tasks = by_id(result.tables["tasks"], "task_id")
    assert [tasks[t]["parent_id"] for t in tasks] == [None, None, "2"]
    assert [tasks[t]["is_summary"] for t in tasks] == [False, True, False]


def test_plan_row_without_id_is_rejected_with_its_row(tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text(
        "ID,Task Name,Duration,Start,Finish,Resource Names,% Complete,Outline Level\n"
        "1,Pilot,10 days,Mon 1/5/26,Fri 1/16/26,,50%,1\n"
        ",Orphan,1 day,Tue 1/13/26,Tue 1/13/26,,0%,2\n",
        encoding="utf-8",
    )
    outcome = analyse(path)
    assert [(r.row, r.column, r.reason, r.table) for r in outcome.rejects] == [
        (3, "ID", "task has no ID or Unique ID", "tasks")
    ]
    assert outcome.tables["tasks"] == 1


# ---------------------------------------------------------------------------------------------
# Project Online / Project Server OData workbook
# ---------------------------------------------------------------------------------------------

PROJECTS_HEADER = [
    "ProjectId",
    "ProjectName",
    "ProjectOwnerName",
    "ProjectManagerName",
    "ProjectStartDate",
    "ProjectFinishDate",
    "ProjectBaselineStartDate",
    "ProjectBaselineFinishDate",
    "ProjectActualFinishDate",
    "ProjectStatusDate",
    "ProjectPercentCompleted",
    "ProjectCost",
    "ProjectActualCost",
    "ProjectBaselineCost",
    "ProjectBudgetCost",
    "ProjectCurrency",
    "ProjectDepartments",
    "EnterpriseProjectTypeName",
    "ProjectCode",
    "Portfolio",
    "Program",
    "Sponsor",
    "Stage",
    "Priority",
    "JiraProjectKey",
    "OverallHealth",
    "ScheduleHealth",
    "CostHealth",
    "ScopeHealth",
    "StatusComment",
]
TASKS_HEADER = [
    "ProjectId",
    "ProjectName",
    "TaskId",
    "ParentTaskId",
    "TaskName",
    "TaskOutlineLevel",
    "TaskWBS",
    "TaskStartDate",
    "TaskFinishDate",
    "TaskDuration",
    "TaskWork",
    "TaskActualWork",
    "TaskRemainingWork",
    "TaskPercentCompleted",
    "TaskCost",
    "TaskActualCost",
    "TaskIsMilestone",
    "TaskIsSummary",
    "TaskDeadline",
]
BASELINES_HEADER = [
    "ProjectId",
    "TaskId",
    "BaselineNumber",
    "TaskBaselineStartDate",
    "TaskBaselineFinishDate",
    "TaskBaselineCost",
    "TaskBaselineWork",
]
RISKS_HEADER = [
    "ProjectId",
    "ProjectName",
    "RiskId",
    "Title",
    "Status",
    "Category",
    "Owner",
    "AssignedToResource",
    "Probability",
    "Impact",
    "Exposure",
    "Cost",
    "CostExposure",
    "DueDate",
    "CreatedDate",
    "ModifiedDate",
]
ISSUES_HEADER = [
    "ProjectId",
    "ProjectName",
    "IssueId",
    "Title",
    "Status",
    "Category",
    "Owner",
    "Priority",
    "DueDate",
    "CreatedDate",
    "ModifiedDate",
]


def build_odata_workbook(path: Path) -> Path:
    d = datetime
    wb = xlsxwriter.Workbook(path)
    readme = wb.add_worksheet("ReadMe")
    readme.write(0, 0, "Exported from Project Online with Power Query")
    _write_sheet(
        wb,
        "Projects",
        PROJECTS_HEADER,
        [
            [
                P1,
                "ERP rollout – Wave 2",
                "Maria Lopez",
                "Ines Duarte",
                d(2026, 2, 2, 8),
                d(2026, 4, 24, 17),
                d(2026, 2, 2, 8),
                d(2026, 4, 17, 17),
                None,
                d(2026, 3, 13),
                38,
                184500,
                61250,
                170000,
                175000,
                "USD",
                "Finance IT",
                "Enterprise Project",
                "PRJ-ERP2",
                "Back office",
                "ERP",
                "CFO Office",
                "Execute",
                "High",
                "ERP",
                "Yellow",
                "Green",
                "Red",
                "Green",
                "<p>Data migration done; <b>cutover</b> at risk.</p>",
            ],
            [
                P2,
                "Lager Neubau",
                "Petra Schmidt",
                None,
                d(2026, 1, 12, 8),
                d(2026, 9, 30, 17),
                None,
                None,
                None,
                d(2026, 3, 6),
                10,
                30000,
                22500,
                250000,
                None,
                "EUR",
                "Logistics",
                "Capital Project",
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                "On track",
                None,
                None,
                None,
                None,
            ],
        ],
    )
    _write_sheet(
        wb,
        "Tasks",
        TASKS_HEADER,
        [
            [
                P1,
                "ERP rollout – Wave 2",
                T0,
                None,
                "ERP rollout – Wave 2",
                0,
                "0",
                d(2026, 2, 2, 8),
                d(2026, 4, 24, 17),
                480,
                1480,
                560,
                920,
                38,
                184500,
                61250,
                False,
                True,
                None,
            ],
            [
                P1,
                "ERP rollout – Wave 2",
                T1,
                T0,
                "Data migration",
                1,
                "1",
                d(2026, 2, 2, 8),
                d(2026, 2, 27, 17),
                160,
                480,
                480,
                0,
                100,
                48000,
                48000,
                False,
                False,
                None,
            ],
            [
                P1,
                "ERP rollout – Wave 2",
                T2,
                T0,
                "Cutover rehearsal",
                1,
                "2",
                d(2026, 3, 6, 17),
                d(2026, 3, 6, 17),
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                True,
                False,
                d(2026, 3, 10),
            ],
            [
                P1,
                "ERP rollout – Wave 2",
                T3,
                T0,
                "Training",
                1,
                "3",
                d(2026, 3, 9, 8),
                d(2026, 3, 27, 17),
                120,
                240,
                24,
                216,
                10,
                12000,
                1200,
                False,
                True,
                None,
            ],
            [
                P1,
                "ERP rollout – Wave 2",
                T4,
                T3,
                "Train key users",
                2,
                "3.1",
                d(2026, 3, 9, 8),
                d(2026, 3, 13, 17),
                40,
                80,
                24,
                56,
                30,
                4000,
                1200,
                False,
                False,
                None,
            ],
            [
                P2,
                "Lager Neubau",
                T5,
                None,
                "Site survey",
                1,
                "1",
                d(2026, 1, 12, 8),
                d(2026, 1, 23, 17),
                80,
                80,
                40,
                40,
                50,
                6000,
                3000,
                False,
                False,
                None,
            ],
            [
                P2,
                "Lager Neubau",
                None,
                None,
                "Row without a TaskId",
                1,
                "2",
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
            ],
        ],
    )
    _write_sheet(
        wb,
        "TaskBaselines",
        BASELINES_HEADER,
        [
            [P1, T1, 0, d(2026, 2, 2, 8), d(2026, 2, 27, 17), 45000, 480],
            [P1, T1, 1, d(2026, 2, 9, 8), d(2026, 3, 6, 17), 47000, 480],
            [P1, T3, 0, d(2026, 3, 9, 8), d(2026, 3, 20, 17), 11000, 240],
        ],
    )
    _write_sheet(
        wb,
        "Risks",
        RISKS_HEADER,
        [
            [
                P1,
                "ERP rollout – Wave 2",
                1,
                "Legacy data quality",
                "(1) Active",
                "(2) Data",
                "Ines Duarte",
                None,
                60,
                4,
                2.4,
                20000,
                12000,
                d(2026, 3, 1),
                d(2026, 1, 20),
                d(2026, 3, 10),
            ],
            [
                P1,
                "ERP rollout – Wave 2",
                2,
                "Vendor availability",
                "(3) Closed",
                "(1) Resources",
                None,
                "Karl Meyer",
                20,
                3,
                0.6,
                5000,
                1000,
                d(2026, 2, 20),
                d(2026, 1, 22),
                d(2026, 2, 28),
            ],
        ],
    )
    _write_sheet(
        wb,
        "Issues",
        ISSUES_HEADER,
        [
            [
                P1,
                "ERP rollout – Wave 2",
                1,
                "Test environment down",
                "(1) Active",
                "Environment",
                "Karl Meyer",
                "(1) High",
                d(2026, 3, 16),
                d(2026, 3, 11),
                d(2026, 3, 12),
            ],
            [
                P2,
                "Lager Neubau",
                ISSUE_GUID,
                "Permit delayed",
                "(1) Active",
                "Legal",
                "Petra Schmidt",
                "(2) Medium",
                d(2026, 4, 1),
                d(2026, 2, 15),
                d(2026, 3, 1),
            ],
        ],
    )
    _write_sheet(
        wb,
        "Assignments",
        ["ProjectId", "TaskId", "AssignmentId", "ResourceName"],
        [[P1, T1, "b0000000-0000-4000-8000-000000000001", "Ines Duarte"]],
    )
    wb.close()
    return path


@pytest.fixture
def odata_workbook(tmp_path) -> Path:
    return build_odata_workbook(tmp_path / "projectdata.xlsx")


def test_odata_every_entity_sheet_is_detected(odata_workbook):
    matches = registry.detect(odata_workbook)
    assert [(m.tool, m.grid.sheet, m.header_index) for m in matches] == [
        ("msproject", s, 0) for s in ("Projects", "Tasks", "TaskBaselines", "Risks", "Issues")
    ]


def test_odata_projects_hand_computed(odata_workbook):
    _, result = run(odata_workbook)
    assert result.source == "projectdata"
    assert result.as_of == date(2026, 3, 13)  # latest ProjectStatusDate
    assert set(result.tables) == {"projects", "status_snapshots", "tasks", "risks", "raid_snapshots",
                                  "schedule_exports"}
    projects = by_id(result.tables["projects"], "project_id")
    assert list(projects) == ["PRJ-ERP2", P2]  # ProjectCode, else the GUID
    erp = {
        "project_name": "ERP rollout – Wave 2",
        "portfolio": "Back office",
        "program": "ERP",
        "department": "Finance IT",
        "manager": "Ines Duarte",
        "sponsor": "CFO Office",
        "stage": "Execute",
        "priority": "High",
        "start_date": date(2026, 2, 2),
        "finish_date": date(2026, 4, 24),
        "baseline_start_date": date(2026, 2, 2),
        "baseline_finish_date": date(2026, 4, 17),
        "actual_finish_date": None,
        "percent_complete": 0.38,
        "reported_health": "amber",
        "currency": "USD",
        "budget_original": 175000.0,
        "external_ids": [P1, "ERP", "ERP rollout – Wave 2"],   # the name: a desktop plan's title
        "as_of": date(2026, 3, 13),
        "_row": 2,
    }
    assert subset(projects["PRJ-ERP2"], erp) == erp
    lager = {
        "project_name": "Lager Neubau",
        "manager": "Petra Schmidt",
        "stage": "Capital Project",
        "department": "Logistics",
        "percent_complete": 0.1,
        "reported_health": "green",
        "currency": "EUR",
        "budget_original": 250000.0,
        "external_ids": [P2, "Lager Neubau"],
        "as_of": date(2026, 3, 6),
        "_row": 3,
    }
    assert subset(projects[P2], lager) == lager


def test_odata_status_snapshots_hand_computed(odata_workbook):
    _, result = run(odata_workbook)
    snaps = by_id(result.tables["status_snapshots"], "project_id")
    erp = {
        "as_of": date(2026, 3, 13),
        "percent_complete": 0.38,
        "reported_health": "amber",
        "schedule_health": "green",
        "cost_health": "red",
        "scope_health": "green",
        "finish_date": date(2026, 4, 24),
        "budget": 175000.0,
        "actual_cost": 61250.0,
        "comment": "Data migration done; cutover at risk.",
    }
    assert subset(snaps["PRJ-ERP2"], erp) == erp
    lager = {
        "as_of": date(2026, 3, 6),
        "percent_complete": 0.1,
        "reported_health": "green",
        "schedule_health": None,
        "budget": 250000.0,
        "actual_cost": 22500.0,
        "comment": None,
    }
    assert subset(snaps[P2], lager) == lager
    assert any("own currency" in n and "EUR" in n for n in result.notes)


def test_odata_tasks_hand_computed(odata_workbook):
    _, result = run(odata_workbook)
    tasks = by_id(result.tables["tasks"], "task_id")
    assert list(tasks) == [T1, T2, T3, T4, T5]  # project summary task T0 dropped
    t1 = {
        "project_id": "PRJ-ERP2",
        "task_name": "Data migration",
        "parent_id": None,
        "is_summary": False,
        "is_milestone": False,
        "start_date": date(2026, 2, 2),
        "finish_date": date(2026, 2, 27),
        "percent_complete": 1.0,
        "status_category": "done",
        "estimate_hours": 480.0,
        "actual_hours": 480.0,
        "remaining_hours": 0.0,
        "cost": 48000.0,
        "actual_cost": 48000.0,
        "baseline_start_date": date(2026, 2, 2),
        "baseline_finish_date": date(2026, 2, 27),
        "baseline_cost": 45000.0,
        "_row": 3,
    }  # baseline 0 only, not baseline 1
    assert subset(tasks[T1], t1) == t1
    t2 = {
        "is_milestone": True,
        "due_date": date(2026, 3, 10),
        "status_category": "todo",
        "baseline_cost": None,
    }
    assert subset(tasks[T2], t2) == t2
    t3 = {
        "is_summary": True,
        "percent_complete": 0.1,
        "baseline_finish_date": date(2026, 3, 20),
        "baseline_cost": 11000.0,
    }
    assert subset(tasks[T3], t3) == t3
    assert tasks[T4]["parent_id"] == T3
    assert tasks[T4]["percent_complete"] == 0.3
    assert tasks[T5]["project_id"] == P2  # no ProjectCode: the GUID stays
    assert [(r.row, r.column, r.table) for r in result.rejects] == [(8, "TaskId", "tasks")]


def test_odata_risks_and_issues_hand_computed(odata_workbook):
    _, result = run(odata_workbook)
    risks = {(r["kind"], r["item_id"]): r for r in result.tables["risks"].iter_rows(named=True)}
    assert list(risks) == [("risk", "R-1"), ("risk", "R-2"), ("issue", "I-1"), ("issue", ISSUE_GUID)]
    r1 = {
        "project_id": "PRJ-ERP2",
        "title": "Legacy data quality",
        "category": "(2) Data",
        "owner": "Ines Duarte",
        "status": "(1) Active",
        "probability": 0.6,
        "impact": 4.0,
        "exposure": 2.4,
        "due_date": date(2026, 3, 1),
        "created_date": date(2026, 1, 20),
        "closed_date": None,
    }
    assert subset(risks[("risk", "R-1")], r1) == r1
    r2 = {"owner": "Karl Meyer", "probability": 0.2, "closed_date": date(2026, 2, 28)}
    assert subset(risks[("risk", "R-2")], r2) == r2
    i1 = {
        "project_id": "PRJ-ERP2",
        "title": "Test environment down",
        "owner": "Karl Meyer",
        "probability": None,
        "impact": None,
        "due_date": date(2026, 3, 16),
        "closed_date": None,
    }
    assert subset(risks[("issue", "I-1")], i1) == i1
    assert risks[("issue", ISSUE_GUID)]["project_id"] == P2


def test_odata_end_to_end(odata_workbook):
    outcome = analyse(odata_workbook)
    assert outcome.tool == "msproject"
    assert outcome.source == "msproject:projectdata"
    assert outcome.as_of == date(2026, 3, 13)
    assert outcome.tables == {"projects": 2, "status_snapshots": 2, "tasks": 5, "risks": 4, "raid_snapshots": 4,
                              "schedule_exports": 2}
    assert [(r.row, r.column) for r in outcome.rejects] == [(8, "TaskId")]
    snaps = outcome.frames["status_snapshots"]
    assert sorted(snaps["as_of"].to_list()) == [date(2026, 3, 6), date(2026, 3, 13)]
    assert outcome.frames["projects"].schema["external_ids"] == pl.List(pl.String)


def test_odata_tasks_csv_alone_keeps_guids_and_only_fills_tasks(tmp_path):
    path = tmp_path / "Tasks.csv"
    path.write_text(
        ",".join(TASKS_HEADER[:10] + ["TaskPercentCompleted", "TaskIsMilestone", "TaskIsSummary"]) + "\n"
        f"{P1},ERP rollout – Wave 2,{T1},,Data migration,1,1,2026-02-02T08:00:00,2026-02-27T17:00:00,"
        "160.000000,100,false,false\n"
        f"{P1},ERP rollout – Wave 2,{T2},,Cutover rehearsal,1,2,2026-03-06T17:00:00,2026-03-06T17:00:00,"
        "0.000000,0,true,false\n",
        encoding="utf-8",
    )
    outcome = analyse(path)
    assert outcome.tables == {"tasks": 2, "schedule_exports": 1}  # no empty projects segment
    tasks = outcome.frames["tasks"]
    assert tasks["project_id"].to_list() == [P1, P1]  # resolved by the store via external_ids
    assert tasks["is_milestone"].to_list() == [False, True]
    assert tasks["start_date"].to_list() == [date(2026, 2, 2), date(2026, 3, 6)]


# ---------------------------------------------------------------------------------------------
# Fingerprint
# ---------------------------------------------------------------------------------------------


def test_fingerprint_matches_each_layout_and_explains_misses():
    fp = msproject.FINGERPRINT
    for header in (
        PROJECTS_HEADER,
        TASKS_HEADER,
        BASELINES_HEADER,
        RISKS_HEADER,
        ISSUES_HEADER,
        WIZARD_HEADER,
        GRID.read_text(encoding="utf-8").splitlines()[0].split(","),
    ):
        assert fp.score(header) > 0, header
    # Smartsheet's grid says "Assigned To" where MS Project says "Resource Names".
    assert (
        fp.score(["Task Name", "Duration", "Start", "Finish", "Predecessors", "% Complete", "Assigned To"])
        == 0
    )
    missing = fp.missing(["ID", "Task Name", "Duration"])
    assert missing[:2] == ["Start", "Finish"]  # the closest layout (the grid) first
    assert set(missing) <= {f for f in fp.strong}


def test_unknown_file_is_not_taken_for_a_plan(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("Name,Start Date,Owner\nA,2026-01-01,Bo\n", encoding="utf-8")
    with pytest.raises(IngestFailed, match="no known export layout"):
        analyse(path)
