"""Clarity importer: hand-written investment exports with split money / currency columns and
stoplight value / description / colour triples; hand-computed canonical rows."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl

from pmo import schema
from pmo.importers import clarity, registry
from pmo.importers.base import ImportError_
from pmo.ingest import analyse
from pmo.readers import ReadError

FIXTURES = Path(__file__).parent / "fixtures"
HERE = FIXTURES / "clarity"
AS_OF = date(2026, 2, 27)
TOOL = "clarity"
SOURCE = "clarity:investments"


def canon(table: str, **values) -> dict:
    return {c: None for c in schema.TABLES[table]} | values


def row_at(df: pl.DataFrame, r: int) -> dict:
    rows = df.filter(pl.col("_row") == r).to_dicts()
    assert len(rows) == 1, f"row {r}: {rows}"
    return rows[0]


def test_investments_projects_and_snapshots():
    o = analyse(HERE / "investments.csv", as_of=AS_OF)
    assert o.tool == TOOL and o.source == SOURCE
    assert row_at(o.frames["projects"], 2) == canon(
        "projects", project_id="PR00231", project_name="Mobile banking 3.0", manager="Ines Duarte",
        start_date=date(2026, 1, 5), finish_date=date(2026, 9, 30), percent_complete=0.22,
        currency="EUR", budget_original=950000.0, external_ids=[], source=SOURCE, as_of=AS_OF, _row=2)
    assert row_at(o.frames["status_snapshots"], 2) == canon(
        "status_snapshots", project_id="PR00231", as_of=AS_OF, percent_complete=0.22,
        schedule_health="amber", finish_date=date(2026, 9, 30), budget=950000.0, actual_cost=201340.55,
        source=SOURCE, _row=2)
    assert row_at(o.frames["status_snapshots"], 3)["schedule_health"] == "green"
    inactive = row_at(o.frames["projects"], 4)
    assert (inactive["stage"], inactive["currency"], inactive["percent_complete"]) == ("Inactive", "USD", 1.0)
    assert row_at(o.frames["status_snapshots"], 4)["schedule_health"] == "red"
    # Row 4 plans in USD and reports its actual cost in EUR: a status report holds its project's
    # currency, so the EUR amount is not stored as dollars; it is left empty and listed.
    assert row_at(o.frames["status_snapshots"], 4)["actual_cost"] is None
    assert [(r.row, r.column, r.value, r.table, r.kind) for r in o.rejects] == [
        (4, "Actual Cost", "171,250.00 EUR", "status_snapshots", "cell cleared")]
    assert o.rejects[0].reason == "the actual cost is in another currency than the budget (the project's currency)"
    assert (o.rows_rejected, o.cells_cleared) == (0, 1)


def test_stoplight_triples_colour_first_then_description():
    o = analyse(HERE / "stoplights.csv", as_of=AS_OF)
    assert o.tool == TOOL
    assert row_at(o.frames["projects"], 2) == canon(
        "projects", project_id="PR00301", project_name="ERP wave 3", manager="Ben Cho", stage="Execution",
        finish_date=date(2026, 11, 30), percent_complete=0.35, reported_health="amber", currency="GBP",
        budget_original=1200000.0, external_ids=[], source=SOURCE, as_of=AS_OF, _row=2)
    assert row_at(o.frames["status_snapshots"], 2) == canon(
        "status_snapshots", project_id="PR00301", as_of=AS_OF, percent_complete=0.35,
        reported_health="amber", schedule_health="green", cost_health="red",
        finish_date=date(2026, 11, 30), budget=1200000.0, actual_cost=402000.0, source=SOURCE, _row=2)
    # only a description: "Minor Variance" is Clarity's amber
    snap = row_at(o.frames["status_snapshots"], 3)
    assert (snap["cost_health"], snap["schedule_health"], snap["actual_cost"]) == ("amber", None, None)


def test_unknown_stoplight_text_is_a_value_reject(tmp_path):
    path = tmp_path / "inv.csv"
    path.write_text("Investment ID,Investment,Planned Cost,Planned Cost Currency,Schedule Status\n"
                    "PR1,Alpha,100,EUR,Purple\nPR2,Beta,200,EUR,Green\n")
    o = analyse(path, as_of=AS_OF)
    (bad,) = o.rejects
    assert (bad.row, bad.column, bad.value) == (2, "Schedule Status", "Purple")
    assert o.frames["status_snapshots"]["schedule_health"].to_list() == [None, "green"]


def test_own_files_detected_as_clarity_only():
    for path in sorted(HERE.glob("*.csv")):
        assert [m.tool for m in registry.detect(path)] == [TOOL], path.name


def test_other_tools_files_are_not_taken():
    for path in sorted(FIXTURES.rglob("*")):
        if path.suffix not in (".csv", ".xlsx") or path.parent.name == "clarity":
            continue
        try:
            tools = [m.tool for m in registry.detect(path)]
        except (ImportError_, ReadError):
            continue
        assert TOOL not in tools, path


def test_generic_register_is_not_clarity():
    header = ["Project ID", "Project Name", "Manager", "Start", "Finish", "% Complete", "Planned Cost", "Actual Cost"]
    assert clarity.FINGERPRINT.score(header) == 0.0
