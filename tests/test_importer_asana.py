"""Asana importer: hand-written project CSV exports (native, and after a Google-Sheets round trip
with rows above the header and an Excel-mangled id), hand-computed canonical rows."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from pmo import schema
from pmo.importers import asana, registry
from pmo.importers.base import ImportError_
from pmo.ingest import IngestFailed, analyse
from pmo.readers import ReadError

FIXTURES = Path(__file__).parent / "fixtures"
HERE = FIXTURES / "asana"
AS_OF = date(2026, 1, 20)
TOOL = "asana"
SOURCE = "asana:Brand Refresh 2026"


def canon(table: str, **values) -> dict:
    return {c: None for c in schema.TABLES[table]} | values


def row_at(df: pl.DataFrame, r: int) -> dict:
    rows = df.filter(pl.col("_row") == r).to_dicts()
    assert len(rows) == 1, f"row {r}: {rows}"
    return rows[0]


def test_native_export_whole_rows():
    o = analyse(HERE / "brand_refresh.csv", as_of=AS_OF)
    assert o.tool == TOOL and o.source == SOURCE
    tasks = o.frames["tasks"]
    assert tasks.height == 7 and o.rejects == []
    # Row 2 spans two lines (multi-line Notes); custom field Budget (USD) -> cost
    assert row_at(tasks, 2) == canon(
        "tasks", task_id="1208831745520931", project_id="Brand Refresh 2026",
        task_name="Brand refresh – agency brief", status="Planning", status_category="todo",
        assignee="Mara Costa", start_date=date(2026, 1, 6), finish_date=date(2026, 1, 30),
        due_date=date(2026, 1, 30), percent_complete=0.0, is_milestone=False, is_summary=True,
        cost=12000.0, labels=["Q1", "Brand"], source=SOURCE, as_of=AS_OF, _row=2)
    assert row_at(tasks, 3) == canon(
        "tasks", task_id="1208831745520944", project_id="Brand Refresh 2026",
        task_name="Collect legacy assets", status="Planning", status_category="done",
        assignee="Jon Park", finish_date=date(2026, 1, 15), due_date=date(2026, 1, 15),
        completed_date=date(2026, 1, 16), percent_complete=1.0, is_milestone=False, is_summary=True,
        parent_id="1208831745520931", labels=[], source=SOURCE, as_of=AS_OF, _row=3)
    # A subtask: no Projects cell -> its parent's project; no Assignee name -> the e-mail
    assert row_at(tasks, 5) == canon(
        "tasks", task_id="1208831745520972", project_id="Brand Refresh 2026",
        task_name="Scan print archive", status="In Progress", status_category="in_progress",
        assignee="jon.park@example.com", start_date=date(2026, 1, 12), finish_date=date(2026, 1, 22),
        due_date=date(2026, 1, 22), is_milestone=False, is_summary=False,
        parent_id="1208831745520944", labels=[], source=SOURCE, as_of=AS_OF, _row=5)


def test_multi_project_task_takes_the_first_project():
    o = analyse(HERE / "brand_refresh.csv", as_of=AS_OF)
    kickoff = row_at(o.frames["tasks"], 4)
    assert kickoff["project_id"] == "Brand Refresh 2026" and kickoff["labels"] == ["Milestone"]


def test_parent_name_shared_by_two_tasks_is_left_empty_with_a_note():
    o = analyse(HERE / "brand_refresh.csv", as_of=AS_OF)
    assert row_at(o.frames["tasks"], 8)["parent_id"] is None        # parent "Review" exists twice
    assert any("more than one task" in n for n in o.notes)
    assert any("took their parent task's project" in n for n in o.notes)


def test_sheets_round_trip_header_below_url_and_mangled_id_rejected():
    o = analyse(HERE / "sheets_roundtrip.csv", as_of=AS_OF)
    assert o.tool == TOOL and o.source == SOURCE
    tasks = o.frames["tasks"]
    assert tasks["task_id"].to_list() == ["1208831745520931", "1208831745520958"]
    (bad,) = o.rejects
    assert (bad.row, bad.column, bad.value, bad.table) == (6, "Task ID", "1.21143E+15", "tasks")
    assert bad.reason == ("Task ID was mangled by Excel to 1.21143E+15; re-export from Asana without "
                          "opening in Excel")
    assert row_at(tasks, 7) == canon(
        "tasks", task_id="1208831745520958", project_id="Brand Refresh 2026", task_name="Agency kickoff",
        status="Done", status_category="done", start_date=date(2026, 2, 2),
        finish_date=date(2026, 2, 2), due_date=date(2026, 2, 2), percent_complete=1.0,
        is_milestone=False, is_summary=False, parent_id="1208831745520931", labels=[],
        source=SOURCE, as_of=AS_OF, _row=7)


def test_parent_missing_from_file_is_noted(tmp_path):
    path = tmp_path / "subtasks.csv"
    path.write_text("Task ID,Created At,Completed At,Last Modified,Name,Section/Column,Assignee,"
                    "Assignee Email,Start Date,Due Date,Tags,Notes,Projects,Parent task\n"
                    "1208831745529001,2026-01-05,,2026-01-05,Print proofs,,,,,,,,Brand Refresh 2026,Print run\n")
    o = analyse(path, as_of=AS_OF)
    assert o.frames["tasks"]["parent_id"].to_list() == [None]
    assert any("match no task" in n for n in o.notes)


def test_every_id_mangled_is_a_failed_file(tmp_path):
    path = tmp_path / "opened_in_excel.csv"
    path.write_text("Task ID,Created At,Completed At,Last Modified,Name,Section/Column,Assignee,"
                    "Assignee Email,Start Date,Due Date,Tags,Notes,Projects,Parent task\n"
                    "1.20883E+15,2026-01-05,,2026-01-19,Brief,Planning,,,,,,,Brand Refresh 2026,\n"
                    "1.20883E+15,2026-01-05,,2026-01-19,Assets,Planning,,,,,,,Brand Refresh 2026,\n")
    with pytest.raises(IngestFailed, match="mangled by Excel"):
        analyse(path, as_of=AS_OF)


def test_own_files_detected_as_asana_only():
    for path in sorted(HERE.glob("*.csv")):
        assert [m.tool for m in registry.detect(path)] == [TOOL], path.name


def test_other_tools_files_are_not_taken():
    for path in sorted(FIXTURES.rglob("*")):
        if path.suffix not in (".csv", ".xlsx") or path.parent.name == "asana":
            continue
        try:
            tools = [m.tool for m in registry.detect(path)]
        except (ImportError_, ReadError):
            continue
        assert TOOL not in tools, path


def test_api_style_export_is_not_claimed():
    header = ["gid", "name", "completed", "completed_at", "due_on", "permalink_url", "assignee_name"]
    assert asana.FINGERPRINT.score(header) == 0.0


def test_custom_fields_decided_over_all_their_values(tmp_path):
    # The case: a "Cost Center" custom field of codes is not a cost column with cleared
    # cells; a Story Points field of sizes is not numbers; a Budget (USD) field of amounts is read.
    header = ("Task ID,Created At,Completed At,Last Modified,Name,Section/Column,Assignee,Assignee Email,"
              "Start Date,Due Date,Tags,Notes,Projects,Parent task,Cost Center,Story Points,Budget (USD)\n")
    lines = [f"12088317455209{i:02d},2026-01-05,,2026-01-19,Task {i},To do,Mara Costa,,2026-01-06,2026-01-30,"
             f",,Brand Refresh 2026,,CC-MKT-2{i:02d},{'SML'[i % 3]},{1000 * i}\n" for i in range(1, 11)]
    f = tmp_path / "custom_fields.csv"
    f.write_text(header + "".join(lines))
    o = analyse(f, as_of=AS_OF)
    tasks = o.frames["tasks"]
    assert tasks.height == 10 and o.rejects == [] and (o.rows_rejected, o.cells_cleared) == (0, 0)
    assert tasks["cost"].to_list() == [1000.0 * i for i in range(1, 11)]
    assert tasks["story_points"].to_list() == [None] * 10
    assert ("Story Points: holds text such as 'M', not numbers: not read as story points "
            "(the column is not imported)") in o.notes
    assert not any(n.startswith("Cost Center") for n in o.notes)    # never taken for the cost


def test_cost_field_of_codes_is_not_read_as_numbers(tmp_path):
    f = tmp_path / "codes.csv"
    f.write_text("Task ID,Name,Section/Column,Assignee Email,Projects,Parent task,Completed At,Budget\n"
                 "1208831745520901,A,To do,a@example.com,P,,,00123\n"
                 "1208831745520902,B,To do,b@example.com,P,,,00124\n")
    o = analyse(f, as_of=AS_OF)
    assert o.frames["tasks"]["cost"].to_list() == [None, None] and o.rejects == []
    assert "Budget: holds text such as '00123', not numbers: not read as cost (the column is not imported)" in o.notes
