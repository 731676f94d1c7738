"""Azure DevOps importer: hand-written query exports (flat with Parent, tree with Title 1..3),
hand-computed canonical rows, a bad date and date-order handling."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import polars as pl

from pmo import config, schema
from pmo.importers import azure_devops, registry
from pmo.importers.base import ImportError_
from pmo.ingest import analyse
from pmo.readers import ReadError

FIXTURES = Path(__file__).parent / "fixtures"
HERE = FIXTURES / "azure_devops"
AS_OF = date(2025, 11, 20)
TOOL = "azure_devops"
SOURCE = "azure_devops:Fabrikam"


def canon(table: str, **values) -> dict:
    return {c: None for c in schema.TABLES[table]} | values


def row_at(df: pl.DataFrame, r: int) -> dict:
    rows = df.filter(pl.col("_row") == r).to_dicts()
    assert len(rows) == 1, f"row {r}: {rows}"
    return rows[0]


def test_flat_query_whole_rows():
    o = analyse(HERE / "payments_query.csv", as_of=AS_OF)
    assert o.tool == TOOL and o.source == SOURCE
    tasks = o.frames["tasks"]
    assert tasks.height == 4
    assert row_at(tasks, 3) == canon(
        "tasks", task_id="4512", project_id="Fabrikam", task_name="Checkout: saved cards",
        task_type="User Story", status="Active", status_category="in_progress", assignee="Dana Ortiz",
        percent_complete=10 / 16, is_milestone=False, is_summary=True, estimate_hours=16.0,
        actual_hours=10.0, remaining_hours=6.0, story_points=5.0, parent_id="4500",
        labels=["payments", "pci"], sprints=["Sprint 22"], source=SOURCE, as_of=AS_OF, _row=3)
    assert row_at(tasks, 4) == canon(
        "tasks", task_id="4519", project_id="Fabrikam", task_name="Refund email shows wrong currency",
        task_type="Bug", status="Closed", status_category="done", assignee="Lena Vogt",
        completed_date=date(2025, 11, 14), percent_complete=1.0, is_milestone=False, is_summary=False,
        estimate_hours=2.0, actual_hours=3.0, remaining_hours=0.0, parent_id="4500", labels=["fx"],
        sprints=["Sprint 22"], source=SOURCE, as_of=AS_OF, _row=4)
    # The epic sits at the project root: no sprint
    assert row_at(tasks, 2)["sprints"] == [] and row_at(tasks, 2)["is_summary"] is True


def test_unparseable_date_is_a_value_reject_and_the_row_is_kept():
    o = analyse(HERE / "payments_query.csv", as_of=AS_OF)
    (bad,) = o.rejects
    assert (bad.row, bad.column, bad.value, bad.table) == (5, "Closed Date", "someday", "tasks")
    assert "not a date" in bad.reason
    kept = row_at(o.frames["tasks"], 5)
    assert kept["task_id"] == "4523" and kept["completed_date"] is None
    assert kept["status_category"] == "todo" and kept["sprints"] == ["Sprint 23"]


def test_tree_query_titles_levels_and_parents():
    o = analyse(HERE / "card_platform_tree.csv", as_of=AS_OF)
    assert o.tool == TOOL and o.source == SOURCE
    tasks = o.frames["tasks"]
    got = {r["task_id"]: (r["task_name"], r["parent_id"]) for r in tasks.to_dicts()}
    assert got == {"4500": ("Card platform 2026", None), "4510": ("Saved cards", "4500"),
                   "4512": ("Checkout: saved cards", "4510"), "4513": ("Saved cards: delete card", "4510"),
                   "4520": ("Wallet passes", "4500")}
    assert row_at(tasks, 5) == canon(
        "tasks", task_id="4513", project_id="Fabrikam", task_name="Saved cards: delete card",
        task_type="User Story", status="To Do", status_category="todo",
        assignee="samir.haddad@contoso.com", percent_complete=0.0, is_milestone=False,
        is_summary=False, remaining_hours=4.0, parent_id="4510", labels=[], sprints=["Sprint 23"],
        source=SOURCE, as_of=AS_OF, _row=5)
    assert set(tasks.filter(pl.col("is_summary"))["task_id"]) == {"4500", "4510", "4520"}


def test_tree_query_without_paths_uses_parent_then_file_name(tmp_path):
    path = tmp_path / "Card backlog.csv"
    path.write_text('ID,Work Item Type,Title 1,Title 2,State\n'
                    '"4500","Epic","Card platform 2026",,"Active"\n'
                    '"4510","Feature",,"Saved cards","Active"\n')
    o = analyse(path, as_of=AS_OF)
    assert set(o.frames["tasks"]["project_id"]) == {"Card backlog"}
    assert any("file name" in n for n in o.notes)


def test_dates_nothing_settles_are_month_first_unless_configured(tmp_path):
    path = tmp_path / "q.csv"
    path.write_text('ID,Work Item Type,Title,State,Area Path,Iteration Path,Remaining Work,Target Date\n'
                    '"7","Task","Pay run","Active","Fabrikam\\Payroll","Fabrikam\\S1","3","3/4/2026 6:55:03 PM"\n')
    o = analyse(path, as_of=AS_OF)
    assert o.frames["tasks"]["finish_date"].to_list() == [date(2026, 3, 4)]
    assert any("month-first" in n for n in o.notes)
    cfg = config.load()
    cfg = {**cfg, "general": {**cfg["general"], "default_date_order": "dmy"}}
    o = analyse(path, as_of=AS_OF, settings=cfg)
    assert o.frames["tasks"]["finish_date"].to_list() == [date(2026, 4, 3)]


def test_semicolon_export_after_excel_round_trip(tmp_path):
    with (HERE / "payments_query.csv").open(newline="") as fh:
        records = list(csv.reader(fh))
    path = tmp_path / "payments_semicolon.csv"
    with path.open("w", newline="") as fh:
        csv.writer(fh, delimiter=";").writerows(records)
    o = analyse(path, as_of=AS_OF)
    assert o.tool == TOOL and o.frames["tasks"].height == 4
    assert row_at(o.frames["tasks"], 3)["labels"] == ["payments", "pci"]


def test_own_files_detected_as_azure_devops_only():
    for path in sorted(HERE.glob("*.csv")):
        assert [m.tool for m in registry.detect(path)] == [TOOL], path.name


def test_other_tools_files_are_not_taken():
    for path in sorted(FIXTURES.rglob("*")):
        if path.suffix not in (".csv", ".xlsx") or path.parent.name == "azure_devops":
            continue
        try:
            tools = [m.tool for m in registry.detect(path)]
        except (ImportError_, ReadError):
            continue
        assert TOOL not in tools, path


def test_ms_project_work_columns_alone_are_not_azure_devops():
    header = ["ID", "Task Name", "Duration", "Start", "Finish", "Remaining Work", "Resource Names"]
    assert azure_devops.FINGERPRINT.score(header) == 0.0
