"""RAID log spreadsheets and stage-gate logs: the real template layouts, hand-worked canonical rows."""

from __future__ import annotations

import datetime as dt
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from pmo import schema
from pmo.importers import registry
from pmo.ingest import IngestFailed, analyse

FIXTURES = Path(__file__).parent / "fixtures"
RAID = FIXTURES / "raid_log" / "pmo_raid_log_2026-11-20.csv"
GATES = FIXTURES / "gate_log" / "pmo_gate_log_2026-11-20.csv"


def canon(table: str, **values) -> dict:
    return {c: None for c in schema.TABLES[table]} | values


def row_at(df: pl.DataFrame, r: int) -> dict:
    rows = df.filter(pl.col("_row") == r).to_dicts()
    assert len(rows) == 1, f"row {r}: {rows}"
    return rows[0]


# ---------------------------------------------------------------------------------------------
# RAID log (CSV with a title row above the header, day-first dates)
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def raid():
    return analyse(RAID)


def test_raid_log_detected_with_its_source_and_date(raid):
    assert raid.tool == "raid_log"
    assert raid.source == "raid_log:pmo_raid_log"          # the date left out: a newer copy replaces it
    assert raid.as_of == date(2026, 11, 20)                 # from the file name
    assert raid.tables == {"risks": 7, "raid_snapshots": 7, "dependencies": 3}


def test_raid_log_rows_hand_worked(raid):
    risks = raid.frames["risks"]
    common = {"source": "raid_log:pmo_raid_log", "as_of": date(2026, 11, 20)}
    # row 3: High -> 0.7, Very high -> 5 on the 1-5 scale; cost with its euro sign; exposure p x i
    assert row_at(risks, 3) == canon(
        "risks", item_id="R-001", project_id="PRJ-1023", kind="risk",
        title="SI consultants roll off before hypercare",
        description="Vendor plans to release 4 consultants on 15/01/2027, two weeks before hypercare ends.",
        owner="Marta Lopes", status="Open", status_category="open", probability=0.7, impact=5.0,
        impact_scale=5.0, exposure=3.5, due_date=date(2026, 12, 15), created_date=date(2026, 9, 2),
        updated_date=date(2026, 11, 6), mitigation="Extend the SOW by 6 weeks; knowledge transfer plan",
        cost=120000.0, currency="EUR", _row=3, **common)
    # row 4: Type "R"; 30% -> 0.3; a bare 3 on the 1-5 scale; closed by status and closed date
    r4 = row_at(risks, 4)
    assert (r4["kind"], r4["probability"], r4["impact"], r4["impact_scale"], r4["status_category"],
            r4["closed_date"]) == ("risk", 0.3, 3.0, 5.0, "closed", date(2026, 8, 28))
    # assumption without scores; issue with an impact but no probability
    a = row_at(risks, 5)
    assert (a["kind"], a["probability"], a["impact"], a["exposure"]) == ("assumption", None, None, None)
    i = row_at(risks, 6)
    assert (i["kind"], i["status"], i["impact"], i["probability"]) == ("issue", "In progress", 4.0, None)
    # dependencies: Medium 0.5 / High 4; D: Likely 0.7 / Major 4 and no owner
    d1, d2 = row_at(risks, 7), row_at(risks, 8)
    assert (d1["kind"], d1["probability"], d1["impact"]) == ("dependency", 0.5, 4.0)
    assert (d2["kind"], d2["probability"], d2["impact"], d2["owner"]) == ("dependency", 0.7, 4.0, None)
    # a plain fraction 0.2 stays 0.2; Medium -> 3
    r11 = row_at(risks, 11)
    assert (r11["item_id"], r11["probability"], r11["impact"]) == ("R-003", 0.2, 3.0)


def test_raid_log_rejects_name_their_rows(raid):
    found = {(r.row, r.column, r.value, r.reason) for r in raid.rejects}
    assert found == {
        (9, "Type", "Decision", "Type must be Risk, Assumption, Issue or Dependency (or R, A, I, D)"),
        (10, "ID", None, "the item has no ID"),
    }
    assert any("dates read day-first" in n for n in raid.notes)


def test_raid_log_depends_on_becomes_links(raid):
    deps = raid.frames["dependencies"].sort("_row", "blocker_id").select(
        "project_id", "item_id", "blocker_project_id", "blocker_id", "link_type", "_row").rows()
    assert deps == [
        ("PRJ-1023", "D-001", None, "PRJ-1021", "Depends on", 7),     # a project code: resolved by the view
        ("PRJ-1034", "D-002", None, "PAY-214", "Depends on", 8),      # a Jira key
        ("PRJ-1034", "D-002", "PRJ-1028", "R-002", "Depends on", 8),  # an item of this log: its project
    ]


def test_raid_log_snapshots_are_the_same_items(raid):
    snaps = raid.frames["raid_snapshots"]
    assert snaps.height == 7 and set(snaps["item_id"]) == set(raid.frames["risks"]["item_id"])
    assert snaps.filter(pl.col("item_id") == "R-001").row(0, named=True)["impact_scale"] == 5.0


def test_raid_log_workbook_with_one_sheet_per_kind(tmp_path):
    """No Type column: the sheet name gives the kind; Excel dates; 1-5 levels; a 1-10 impact scale."""
    import xlsxwriter

    path = tmp_path / "Programme RAID.xlsx"
    wb = xlsxwriter.Workbook(path)
    day = wb.add_format({"num_format": "dd/mm/yyyy"})
    header = ["ID", "Title", "Owner", "Status", "Date raised", "Likelihood", "Severity", "Due date",
              "Mitigation plan", "Project"]
    rows = {
        "Risks": [["R1", "Vendor insolvency", "Ana Silva", "Open", dt.date(2026, 10, 1), 4, 8, dt.date(2026, 12, 1),
                   "Escrow agreement", "PRJ-1"],
                  ["R2", "FX swing", "Ben Cho", "Closed", dt.date(2026, 9, 1), 2, 10, None, None, "PRJ-1"]],
        "Issues": [["I1", "Test lab down", "Ana Silva", "Open", dt.date(2026, 11, 2), None, 6, dt.date(2026, 11, 9),
                    None, "PRJ-2"]],
        "Notes": [["N1", "Not a RAID kind", None, None, dt.date(2026, 11, 2), None, None, None, None, "PRJ-2"]],
    }
    for sheet, data in rows.items():
        ws = wb.add_worksheet(sheet)
        ws.write_row(0, 0, ["Programme RAID log"])
        ws.write_row(1, 0, header)
        for r, cells in enumerate(data, start=2):
            for c, v in enumerate(cells):
                if isinstance(v, dt.date):
                    ws.write_datetime(r, c, dt.datetime(v.year, v.month, v.day), day)
                elif v is not None:
                    ws.write(r, c, v)
    wb.close()
    o = analyse(path, as_of=date(2026, 11, 20))
    assert o.tool == "raid_log" and o.source == "raid_log:programme_raid"
    risks = {r["item_id"]: r for r in o.frames["risks"].to_dicts()}
    assert set(risks) == {"R1", "R2", "I1"}
    # 1-5 levels 4 and 2 -> 0.7 and 0.3; impact numbers over 5: the 1-10 scale
    assert (risks["R1"]["kind"], risks["R1"]["probability"], risks["R1"]["impact"], risks["R1"]["impact_scale"]) \
        == ("risk", 0.7, 8.0, 10.0)
    assert (risks["R2"]["probability"], risks["R2"]["status_category"]) == (0.3, "closed")
    assert (risks["I1"]["kind"], risks["I1"]["impact"], risks["I1"]["created_date"]) == ("issue", 6.0, date(2026, 11, 2))
    assert risks["R1"]["mitigation"] == "Escrow agreement"
    assert any("Notes" in n and "no Type column" in n for n in o.notes)
    assert [r.reason for r in o.rejects] == ["Type must be Risk, Assumption, Issue or Dependency (or R, A, I, D)"]


def test_a_task_list_is_not_a_raid_log(tmp_path):
    """ID, Title, Project, Owner, Status and Due date alone are a task list, not a RAID log."""
    path = tmp_path / "tracker.csv"
    path.write_text("ID,Title,Project,Owner,Status,Due date,Description\n1,Write spec,P1,Ana,Open,2026-12-01,x\n")
    scores = {t: m.FINGERPRINT.score(["ID", "Title", "Project", "Owner", "Status", "Due date", "Description"])
              for t, m in registry.modules().items()}
    assert scores["raid_log"] == 0
    with pytest.raises(IngestFailed):
        analyse(path)


# ---------------------------------------------------------------------------------------------
# Stage-gate log
# ---------------------------------------------------------------------------------------------


def test_gate_log_rows_hand_worked():
    o = analyse(GATES)
    assert (o.tool, o.source, o.as_of) == ("gate_log", "gate_log:pmo_gate_log", date(2026, 11, 20))
    gates = o.frames["stage_gates"]
    assert gates.height == 8
    common = {"source": "gate_log:pmo_gate_log", "as_of": date(2026, 11, 20)}
    assert row_at(gates, 3) == canon(
        "stage_gates", project_id="PRJ-1021", gate="G2 Plan approval", stage="Execution", gate_order=2,
        planned_date=date(2026, 2, 6), decision_date=date(2026, 2, 20), decision="Approved with conditions",
        decision_category="conditional", approver="Finance Investment Board",
        comment="Re-baseline the data workstream by March", _row=3, **common)
    pending = row_at(gates, 6)      # held? no: no decision date, no decision
    assert (pending["gate"], pending["gate_order"], pending["decision_date"], pending["decision_category"]) \
        == ("G3 Go-live readiness", 3, None, None)
    assert row_at(gates, 5)["decision_category"] == "approved"          # "Go"
    assert row_at(gates, 7)["decision_category"] == "deferred"
    assert row_at(gates, 8)["gate_order"] == 1                          # "G1 ... (resubmitted)"
    sent_back = row_at(gates, 10)
    assert (sent_back["decision"], sent_back["decision_category"]) == ("Sent back", None)
    assert any("'Sent back'" in n for n in o.notes)
    assert [(r.row, r.column, r.reason) for r in o.rejects] == [(9, "Project", "the gate has no project")]


def test_gate_log_needs_a_gate_and_a_decision_column():
    from pmo.importers import gate_log

    assert gate_log.FINGERPRINT.score(["Project", "Stage", "Planned date", "Approver"]) == 0
    assert gate_log.FINGERPRINT.score(["Project", "Gate", "Phase", "Planned gate date", "Decided on",
                                       "Outcome", "Approved by"]) > 0
