"""ServiceNow importer: hand-written list exports of pm_project, project_status and risk (CSV with
field names) and an Excel workbook with labels built in-test; hand-computed canonical rows."""

from __future__ import annotations

import datetime as dt
from datetime import date
from pathlib import Path

import polars as pl

from pmo import schema
from pmo.importers import registry, servicenow
from pmo.importers.base import ImportError_
from pmo.ingest import analyse
from pmo.readers import ReadError

FIXTURES = Path(__file__).parent / "fixtures"
HERE = FIXTURES / "servicenow"
AS_OF = date(2025, 11, 20)
TOOL = "servicenow"
FRANKFURT = "Data centre exit – Frankfurt"


def canon(table: str, **values) -> dict:
    return {c: None for c in schema.TABLES[table]} | values


def row_at(df: pl.DataFrame, r: int) -> dict:
    rows = df.filter(pl.col("_row") == r).to_dicts()
    assert len(rows) == 1, f"row {r}: {rows}"
    return rows[0]


def build_workbook(path: Path) -> Path:
    """An Excel list export per table (labels as headers, display values; durations in seconds)."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(path)
    stamp = wb.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    day = wb.add_format({"num_format": "yyyy-mm-dd"})

    def sheet(name, header, rows):
        ws = wb.add_worksheet(name)
        ws.write_row(0, 0, header)
        for r, cells in enumerate(rows, start=1):
            for c, v in enumerate(cells):
                if v is None:
                    continue
                if isinstance(v, dt.datetime):
                    ws.write_datetime(r, c, v, stamp)
                elif isinstance(v, dt.date):
                    ws.write_datetime(r, c, dt.datetime(v.year, v.month, v.day), day)
                else:
                    ws.write(r, c, v)

    T = dt.datetime
    sheet("pm_project", ["Number", "Short description", "State", "Project manager", "Planned start date",
                         "Planned end date", "Actual start", "Actual end", "% Complete", "Planned cost",
                         "Actual cost", "Duration"], [
        ["PRJ0010042", FRANKFURT, "Work in Progress", "Karl Meyer", T(2025, 9, 1, 8), T(2026, 6, 30, 17),
         T(2025, 9, 8, 8), None, 42.5, "EUR;1.250.000,00", "EUR;512.300,00", 25920000],
        ["PRJ0010057", "HR system consolidation", "Closed Complete", "Ines Duarte", T(2025, 3, 3, 8),
         T(2025, 10, 31, 17), T(2025, 3, 3, 8), T(2025, 11, 14, 17), 100, "EUR;380.000,00",
         "EUR;402.150,00", 20736000],
    ])
    sheet("project_status", ["Number", "Project", "Status date", "State", "% Complete", "Overall health",
                             "Schedule", "Cost", "Resources", "Scope", "Executive summary"], [
        ["PRJSTAT0001311", FRANKFURT, dt.date(2025, 11, 14), "Work in Progress", 42.5, "Yellow", "Red",
         "Green", "Yellow", "Green", "<p>Rack migration <b>2 weeks</b> late.</p>"],
        ["PRJSTAT0001320", "Legacy print shutdown", dt.date(2025, 11, 14), "Work in Progress", 10, "Red",
         "Red", "Yellow", "Green", "Green", None],
    ])
    sheet("risk", ["Number", "Short description", "State", "Probability", "Impact", "Risk value", "Project",
                   "Risk owner", "Due date", "Opened", "Closed"], [
        ["RSK0001021", "Rack delivery slips past wave 4", "Open", "High", "1 - High", "High", FRANKFURT,
         "Karl Meyer", dt.date(2025, 12, 5), T(2025, 10, 20, 9, 12, 44), None],
    ])
    wb.close()
    return path


# ---------------------------------------------------------------------------------------------
# CSV exports (field names)
# ---------------------------------------------------------------------------------------------


def test_pm_project_csv_projects_and_snapshots():
    o = analyse(HERE / "pm_project.csv", as_of=AS_OF)
    assert o.tool == TOOL and o.source == "servicenow:pm_project"
    assert row_at(o.frames["projects"], 2) == canon(
        "projects", project_id="PRJ0010042", project_name=FRANKFURT, manager="Karl Meyer",
        stage="Work in Progress", start_date=date(2025, 9, 1), finish_date=date(2026, 6, 30),
        percent_complete=0.425, currency="EUR", budget_original=1250000.0, external_ids=[FRANKFURT],
        source="servicenow:pm_project", as_of=AS_OF, _row=2)
    assert row_at(o.frames["projects"], 3)["actual_finish_date"] == date(2025, 11, 14)
    assert row_at(o.frames["status_snapshots"], 3) == canon(
        "status_snapshots", project_id="PRJ0010057", as_of=AS_OF, percent_complete=1.0,
        finish_date=date(2025, 10, 31), budget=380000.0, actual_cost=402150.0,
        source="servicenow:pm_project", _row=3)


def test_status_report_csv_one_snapshot_per_report():
    o = analyse(HERE / "project_status.csv")
    assert o.tool == TOOL and o.source == "servicenow:project_status"
    assert o.as_of == date(2025, 11, 14)                          # the latest Status date
    snaps = o.frames["status_snapshots"]
    assert row_at(snaps, 2) == canon(
        "status_snapshots", project_id=FRANKFURT, as_of=date(2025, 11, 14), percent_complete=0.425,
        reported_health="amber", schedule_health="red", cost_health="green", scope_health="green",
        comment="Rack migration 2 weeks late; cost on plan.", source="servicenow:project_status", _row=2)
    assert row_at(snaps, 3)["comment"] == "On track & on budget."
    # raw lower-case colours and "No status"
    last = row_at(snaps, 4)
    assert (last["reported_health"], last["cost_health"], last["scope_health"]) == ("green", "red", None)
    assert o.rejects == []
    assert any("no pm_project row in this file" in n for n in o.notes)


def test_risk_csv_rows_and_unknown_impact():
    o = analyse(HERE / "risk.csv", as_of=AS_OF)
    assert o.tool == TOOL and o.source == "servicenow:risk"
    risks = o.frames["risks"]
    assert row_at(risks, 2) == canon(
        "risks", item_id="RSK0001021", project_id=FRANKFURT, kind="risk",
        title="Rack delivery slips past wave 4", owner="Karl Meyer", status="Open", probability=0.75,
        impact=3.0, exposure=2.25, due_date=date(2025, 12, 5), created_date=date(2025, 10, 20),
        source="servicenow:risk", _row=2, impact_scale=3.0, status_category="open", as_of=AS_OF)
    assert row_at(risks, 3) == canon(
        "risks", item_id="RSK0001034", project_id="HR system consolidation", kind="risk",
        title="Licence true-up higher than planned", owner="Ines Duarte", status="Closed Complete",
        probability=0.25, impact=2.0, exposure=0.5, due_date=date(2025, 9, 30),
        created_date=date(2025, 6, 2), closed_date=date(2025, 10, 1), source="servicenow:risk", _row=3,
        impact_scale=3.0, status_category="closed", as_of=AS_OF)
    (bad,) = o.rejects
    assert (bad.row, bad.column, bad.value, bad.table) == (4, "impact", "Catastrophic", "risks")
    assert row_at(risks, 4)["impact"] is None and row_at(risks, 4)["probability"] == 0.5


# ---------------------------------------------------------------------------------------------
# Excel export (labels), three lists in one workbook
# ---------------------------------------------------------------------------------------------


def test_workbook_maps_project_names_to_numbers(tmp_path):
    o = analyse(build_workbook(tmp_path / "spm_export.xlsx"))
    assert o.tool == TOOL and o.source == "servicenow:pm_project+project_status+risk"
    assert o.as_of == date(2025, 11, 14)
    assert row_at(o.frames["projects"], 2) == canon(
        "projects", project_id="PRJ0010042", project_name=FRANKFURT, manager="Karl Meyer",
        stage="Work in Progress", start_date=date(2025, 9, 1), finish_date=date(2026, 6, 30),
        percent_complete=0.425, currency="EUR", budget_original=1250000.0, external_ids=[FRANKFURT],
        source=o.source, as_of=date(2025, 11, 14), _row=2)
    snaps = o.frames["status_snapshots"]
    assert snaps.height == 2                                     # reports only: pm_project adds none
    assert row_at(snaps, 2) == canon(
        "status_snapshots", project_id="PRJ0010042", as_of=date(2025, 11, 14), percent_complete=0.425,
        reported_health="amber", schedule_health="red", cost_health="green", scope_health="green",
        comment="Rack migration 2 weeks late.", source=o.source, _row=2)
    assert row_at(snaps, 3)["project_id"] == "Legacy print shutdown"          # no such project: kept
    assert row_at(o.frames["risks"], 2)["project_id"] == "PRJ0010042"
    assert o.rejects == []


def test_workbook_sheets_detected_as_servicenow_only(tmp_path):
    path = build_workbook(tmp_path / "spm_export.xlsx")
    assert {m.tool for m in registry.detect(path)} == {TOOL}
    assert len(registry.detect(path)) == 3


def test_own_csv_files_detected_as_servicenow_only():
    for path in sorted(HERE.glob("*.csv")):
        assert [m.tool for m in registry.detect(path)] == [TOOL], path.name


def test_other_tools_files_are_not_taken():
    for path in sorted(FIXTURES.rglob("*")):
        if path.suffix not in (".csv", ".xlsx") or path.parent.name == "servicenow":
            continue
        try:
            tools = [m.tool for m in registry.detect(path)]
        except (ImportError_, ReadError):
            continue
        assert TOOL not in tools, path


def test_incident_list_is_not_a_project_list():
    header = ["number", "short_description", "state", "assigned_to", "opened_at", "closed_at", "due_date", "priority"]
    assert servicenow.FINGERPRINT.score(header) == 0.0
