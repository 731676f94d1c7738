"""Smartsheet importer: hand-written sheet exports (Excel with outline levels, API CSV, a project
register) through detection, parsing and validation, with hand-computed canonical rows."""

from __future__ import annotations

import datetime as dt
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from pmo import schema
from pmo.importers import registry, smartsheet
from pmo.importers.base import ImportError_, IngestContext
from pmo.ingest import analyse
from pmo.readers import ReadError

FIXTURES = Path(__file__).parent / "fixtures"
HERE = FIXTURES / "smartsheet"
AS_OF = date(2026, 3, 2)
TOOL = "smartsheet"


def canon(table: str, **values) -> dict:
    """A whole canonical row: every contract column NULL unless given."""
    return {c: None for c in schema.TABLES[table]} | values


def row_at(df: pl.DataFrame, r: int) -> dict:
    rows = df.filter(pl.col("_row") == r).to_dicts()
    assert len(rows) == 1, f"row {r}: {rows}"
    return rows[0]


def build_xlsx(path: Path) -> Path:
    """A Smartsheet project sheet exported to Excel: typed dates, % as 0-1, RYG symbols as text,
    At Risk as a checkbox, hierarchy as row outline levels."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("Website Launch")
    date_fmt = wb.add_format({"num_format": "mm/dd/yy"})
    pct = wb.add_format({"num_format": "0%"})
    money = wb.add_format({"num_format": "$#,##0.00"})
    header = ["Task Name", "Status", "Assigned To", "Start Date", "End Date", "Duration", "Predecessors",
              "% Complete", "RYG", "Budget", "Actual", "At Risk", "Comments"]
    ws.write_row(0, 0, header)
    D = dt.datetime
    rows = [  # (level, values)
        (0, ["Phase 1 – Discovery", "Complete", "dana.ortiz@example.com", D(2026, 1, 5), D(2026, 1, 23), "15d",
             None, 1.0, "Green", 25000, 23410, False, None]),
        (1, ["Stakeholder interviews", "Complete", "Ben Cho", D(2026, 1, 5), D(2026, 1, 9), "5d",
             None, 1.0, "Green", 5000, 4800, False, None]),
        (1, ["Vendor shortlist", "In Progress", "Ben Cho, Dana Ortiz", D(2026, 1, 12), D(2026, 1, 23), "10d",
             "3", 0.6, "Yellow", 8000, 5900, True, "Two vendors late on RFP answers"]),
        (2, ["RFP answers", "In Progress", "Ben Cho", D(2026, 1, 12), D(2026, 1, 16), "5d",
             None, 0.5, "Red", None, None, True, None]),
        (0, ["Phase 2 – Build", "Not Started", None, D(2026, 1, 26), D(2026, 3, 20), "40d",
             None, 0.0, "Gray", 120000, 0, False, None]),
        (1, ["Contract signed", "Not Started", "Dana Ortiz", D(2026, 1, 26), D(2026, 1, 26), "0",
             "4FS +2d", 0.0, None, None, None, False, None]),
    ]
    for i, (level, values) in enumerate(rows, start=1):
        for c, v in enumerate(values):
            if v is None:
                continue
            if isinstance(v, dt.datetime):
                ws.write_datetime(i, c, v, date_fmt)
            elif isinstance(v, bool):
                ws.write_boolean(i, c, v)
            elif c == 7:
                ws.write_number(i, c, v, pct)
            elif c in (9, 10):
                ws.write_number(i, c, v, money)
            else:
                ws.write(i, c, v)
        ws.set_row(i, None, None, {"level": level})
    wb.close()
    return path


# ---------------------------------------------------------------------------------------------
# Excel export with hierarchy
# ---------------------------------------------------------------------------------------------


def test_xlsx_outline_levels_give_parents_and_summaries(tmp_path):
    o = analyse(build_xlsx(tmp_path / "Website Launch.xlsx"), as_of=AS_OF)
    assert o.tool == TOOL and o.source == "smartsheet:Website Launch"
    tasks = o.frames["tasks"]
    assert tasks.height == 6 and o.rejects == []
    parents = dict(zip(tasks["_row"].to_list(), tasks["parent_id"].to_list(), strict=True))
    assert parents == {2: None, 3: "Website Launch#2", 4: "Website Launch#2", 5: "Website Launch#4",
                       6: None, 7: "Website Launch#6"}
    summary = dict(zip(tasks["_row"].to_list(), tasks["is_summary"].to_list(), strict=True))
    assert summary == {2: True, 3: False, 4: True, 5: False, 6: True, 7: False}

    assert row_at(tasks, 4) == canon(
        "tasks", task_id="Website Launch#4", project_id="Website Launch", task_name="Vendor shortlist",
        status="In Progress", status_category="in_progress", assignee="Ben Cho",
        start_date=date(2026, 1, 12), finish_date=date(2026, 1, 23), percent_complete=0.6,
        is_milestone=False, is_summary=True, cost=8000.0, actual_cost=5900.0,
        parent_id="Website Launch#2", labels=["health:amber", "at risk"],
        source="smartsheet:Website Launch", as_of=AS_OF, _row=4)
    assert row_at(tasks, 7) == canon(
        "tasks", task_id="Website Launch#7", project_id="Website Launch", task_name="Contract signed",
        status="Not Started", status_category="todo", assignee="Dana Ortiz",
        start_date=date(2026, 1, 26), finish_date=date(2026, 1, 26), percent_complete=0.0,
        is_milestone=True, is_summary=False, parent_id="Website Launch#6", labels=[],
        source="smartsheet:Website Launch", as_of=AS_OF, _row=7)
    # Gray is "no rating", not a bad value
    assert row_at(tasks, 6)["labels"] == []


def test_xlsx_without_reader_path_still_imports_without_hierarchy(tmp_path):
    path = build_xlsx(tmp_path / "Website Launch.xlsx")
    (match,) = registry.detect(path)
    table = match.table()
    table.meta.pop("path")
    result = smartsheet.parse([table], IngestContext(as_of=AS_OF, file_name=path.name, settings={}))
    assert result.tables["tasks"]["parent_id"].null_count() == 6
    assert any("hierarchy could not be read" in n for n in result.notes)


# ---------------------------------------------------------------------------------------------
# CSV (API) export
# ---------------------------------------------------------------------------------------------


def test_csv_export_rows_and_bad_date():
    o = analyse(HERE / "Website Launch.csv", as_of=AS_OF)
    assert o.tool == TOOL and o.source == "smartsheet:Website Launch"
    tasks = o.frames["tasks"]
    assert tasks.height == 4
    assert row_at(tasks, 2) == canon(
        "tasks", task_id="Website Launch#2", project_id="Website Launch", task_name="Phase 1 – Discovery",
        status="Complete", status_category="done", assignee="dana.ortiz@example.com",
        start_date=date(2026, 1, 5), finish_date=date(2026, 1, 23), percent_complete=1.0,
        is_milestone=False, is_summary=False, cost=25000.0, actual_cost=23410.0,
        labels=["health:green"], source="smartsheet:Website Launch", as_of=AS_OF, _row=2)
    assert row_at(tasks, 4) == canon(
        "tasks", task_id="Website Launch#4", project_id="Website Launch", task_name="Contract signed",
        status="Not Started", status_category="todo", assignee="Dana Ortiz",
        start_date=date(2026, 2, 16), finish_date=date(2026, 2, 16), percent_complete=0.0,
        is_milestone=True, is_summary=False, cost=0.0, actual_cost=0.0,
        labels=["health:red"], source="smartsheet:Website Launch", as_of=AS_OF, _row=4)
    # 02/30/26 is no date: the cell is rejected, the row kept without a start
    (bad,) = o.rejects
    assert (bad.row, bad.column, bad.value, bad.table) == (5, "Start Date", "02/30/26", "tasks")
    assert row_at(tasks, 5)["start_date"] is None and row_at(tasks, 5)["finish_date"] == date(2026, 3, 6)
    assert any("no row hierarchy" in n for n in o.notes)
    assert any("month-first" in n for n in o.notes)


def test_csv_download_counter_is_not_part_of_the_project(tmp_path):
    path = tmp_path / "Website Launch (2).csv"
    path.write_bytes((HERE / "Website Launch.csv").read_bytes())
    o = analyse(path, as_of=AS_OF)
    assert set(o.frames["tasks"]["project_id"]) == {"Website Launch"}
    assert o.source == "smartsheet:Website Launch"


# ---------------------------------------------------------------------------------------------
# Project register
# ---------------------------------------------------------------------------------------------


def test_register_gives_projects_and_snapshots():
    o = analyse(HERE / "PMO Portfolio.csv", as_of=AS_OF)
    assert o.tool == TOOL and o.source == "smartsheet:PMO Portfolio"
    assert set(o.frames) == {"projects", "status_snapshots"}
    assert row_at(o.frames["projects"], 2) == canon(
        "projects", project_id="PRJ-2001", project_name="Customer portal", portfolio="Digital",
        manager="Ines Duarte", stage="Execution", start_date=date(2026, 1, 5),
        finish_date=date(2026, 9, 30), percent_complete=0.35, reported_health="amber",
        currency="EUR", budget_original=950000.0, external_ids=[], source="smartsheet:PMO Portfolio",
        as_of=AS_OF, _row=2)
    assert row_at(o.frames["status_snapshots"], 3) == canon(
        "status_snapshots", project_id="PRJ-2002", as_of=AS_OF, percent_complete=0.95,
        reported_health="green", finish_date=date(2026, 2, 27), budget=120000.0, actual_cost=118450.5,
        source="smartsheet:PMO Portfolio", _row=3)
    assert row_at(o.frames["status_snapshots"], 2)["comment"] == "Vendor change"


# ---------------------------------------------------------------------------------------------
# Detection
# ---------------------------------------------------------------------------------------------


def test_own_files_detected_as_smartsheet_only(tmp_path):
    for path in [*sorted(HERE.glob("*.csv")), build_xlsx(tmp_path / "Website Launch.xlsx")]:
        assert [m.tool for m in registry.detect(path)] == [TOOL], path.name


def test_template_without_health_is_not_taken_by_ms_project(tmp_path):
    path = tmp_path / "Plan.csv"
    path.write_text("Task Name,Start Date,End Date,Duration,Predecessors,% Complete,Assigned To,Status,Comments\n"
                    "Kickoff,01/05/26,01/05/26,0,,100%,Dana Ortiz,Complete,\n")
    assert [m.tool for m in registry.detect(path)] == [TOOL]


def test_other_tools_files_are_not_taken():
    for path in sorted(FIXTURES.rglob("*")):
        if path.suffix not in (".csv", ".xlsx") or path.parent.name == "smartsheet":
            continue
        try:
            tools = [m.tool for m in registry.detect(path)]
        except (ImportError_, ReadError):
            continue
        assert TOOL not in tools, path


@pytest.mark.parametrize("header", [
    "Task Name,Duration,Start,Finish,Predecessors,Resource Names,% Complete",       # MS Project grid
    "Issue key,Issue id,Summary,Assignee,Status,Start Date,% Complete",               # Jira
    "Task ID,Name,Assignee,Start Date,Due Date,Section/Column,Completed At",          # Asana
])
def test_fingerprint_refuses_other_layouts(header):
    assert smartsheet.FINGERPRINT.score(header.split(",")) == 0.0


def test_budget_column_of_codes_is_left_out_and_ids_stay_text(tmp_path):
    # Smartsheet columns are the sheet owner's: Budget holding cost-centre codes is not a budget,
    # and a Project ID with leading zeros stays text.
    f = tmp_path / "Registry.csv"
    f.write_text("Project ID,Project Name,Project Manager,Start Date,End Date,% Complete,RYG,Budget,Actual\n"
                 "00123,Scanner rollout,Ines Duarte,01/05/26,03/31/26,10%,Green,CC-4711,\n"
                 "00124,Dock doors,Karl Meyer,02/02/26,06/30/26,0%,Yellow,CC-4712,\n")
    o = analyse(f)
    projects = o.frames["projects"]
    assert projects["project_id"].to_list() == ["00123", "00124"]
    assert projects["budget_original"].to_list() == [None, None]
    assert projects["currency"].to_list() == [None, None]
    assert o.rejects == []
    assert ("Budget: holds text such as 'CC-4711', not numbers: not read as the budget "
            "(the column is not imported)") in o.notes
