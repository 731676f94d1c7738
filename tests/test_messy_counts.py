"""Every importer's messy file: rows rejected (not stored) and cells cleared (row stored, one value
emptied) are counted apart, and every count shown matches what the store holds: the ingest's
summary, the `ingests` log, `rejected_rows` by kind, `pmo check`, and the rows of each table.

The files (tests/fixtures/<tool>/messy_*) are hand-written in each tool's layout with a few bad rows and
cells; the expected counts were worked out by hand from them (comments below).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from pmo import query, quality, schema
from pmo.ingest import ingest_files
from pmo.store import Store

from conftest import FIXTURES


# file -> (tool, rows rejected, cells cleared, rows stored per table)
CASES = {
    # row 4 an Excel-mangled Task ID, row 6 no Task ID; row 5's Due Date "next week" cleared
    "asana/messy_spring_launch.csv": ("asana", 2, 1, {"tasks": 3}),
    # row 5 no ID; row 4 Story Points "lots", row 6 Closed Date "soon" cleared
    "azure_devops/messy_wallet.csv": ("azure_devops", 1, 2, {"tasks": 4}),
    # row 4 basis Weekly, row 6 no value at all; row 5's Median "tbc" cleared
    "benchmarks/messy_pmo_guide.csv": ("benchmarks", 2, 1, {"salary_benchmarks": 3}),
    # row 5 no Investment ID (one file row: a projects row and a status row); row 3 Finish "end of
    # Q2" and row 4's actual cost in EUR against a USD budget cleared
    "clarity/messy_investments.csv": ("clarity", 1, 2, {"projects": 3, "status_snapshots": 3}),
    # row 4 currency "EURO", row 5 a negative rate (an FX row has no optional value to clear)
    "fx/messy_fx_rates.csv": ("fx", 2, 0, {"fx_rates": 3}),
    # row 5 no Employee Number; row 3 FTE "half", row 4 Annual Salary "see contract" cleared
    "hr/messy_hris.csv": ("hr", 1, 2, {"salaries": 4, "capacity": 4}),
    # row 4 no Issue key, row 5 a second PAY-302; row 3 Due date "end of sprint" cleared
    "jira/messy_issues.csv": ("jira", 2, 1, {"tasks": 3, "projects": 1}),
    # row 4 no project, row 5 Variance, row 7 amount n/a, row 8 no currency (a ledger line has
    # nothing optional to clear)
    "ledger/messy_fpna_ledger.csv": ("ledger", 4, 0, {"financials": 3}),
    # row 5 no ID; row 6 Start "TBD" cleared (row 2 is the project summary, not a task)
    "msproject/messy_plan.csv": ("msproject", 1, 1, {"tasks": 4, "projects": 1, "schedule_exports": 1,
                                                     "task_links": 2}),
    # row 4 no occupation title; row 5's a_pct75 "n.a." cleared
    "oews/messy_state.csv": ("oews", 1, 1, {"salary_benchmarks": 3}),
    # row 4 no Project Number; row 5's Expenditure Item Date "early March" cleared (the period then
    # comes from its Accounting Period)
    "oracle/messy_expenditures.csv": ("oracle_projects", 1, 1, {"financials": 3}),
    # row 4 no ID (a RAID item and its history copy); row 3 Date raised "soon" cleared
    "raid_log/messy_raid_log.csv": ("raid_log", 1, 1, {"risks": 3, "raid_snapshots": 3}),
    # row 4 no project; row 3 Planned date "mid February" cleared
    "gate_log/messy_gate_log.csv": ("gate_log", 1, 1, {"stage_gates": 3}),
    # row 4 a link without the project it links to (a decision has nothing optional to clear)
    "project_links/messy_project_links.csv": ("project_links", 1, 0, {"project_links": 2}),
    # row 3 Hours "lots"; row 4 Billed Hours "abc" cleared
    "tempo/messy_worklogs.csv": ("tempo", 1, 1, {"time_entries": 3}),
    # row 4 score "Very much", row 6 no project, row 7 P1 scored twice on Financial value; row 5's
    # empty score is kept as not scored (nothing to clear)
    "scoring_sheet/messy_scores_2026-11-20.csv": ("scoring_sheet", 3, 0, {"project_scores": 3}),
    # row 4 question XYZ-9 not in the bank, row 5 level 7; row 3 "Unknown" is level 0, rep-2 read as REP-2
    "maturity_assessment/messy_maturity.csv": ("maturity_assessment", 2, 0, {"maturity_answers": 2}),
    # row 4 no project, row 5 no scenario, row 6 Forced "maybe"
    "priority_scenarios/messy_scenarios.csv": ("priority_scenarios", 3, 0, {"priority_scenarios": 2}),
    # row 3 Date "someday"; row 4 Cost Rate "n/a" cleared
    "harvest/messy_time_report.csv": ("harvest", 1, 1, {"time_entries": 3}),
    # row 3 Start Date "not a date" (an entry has nothing optional the importer types)
    "clockify/messy_detailed.csv": ("clockify", 1, 0, {"time_entries": 3}),
    # row 3 Duration "half an hour"; row 4 Billable "maybe" cleared
    "toggl/messy_time_entries.csv": ("toggl", 1, 1, {"time_entries": 3}),
    # row 3 End Date "end of year", row 4 Hours/Day "a lot" (a booking's span and amount are required)
    "allocation_sheet/messy_schedule.csv": ("allocation_sheet", 2, 0, {"allocations": 2}),
    # row 3 Start Date "sometime"; row 4 Days "five" cleared
    "hr_leave/messy_absences.csv": ("hr_leave", 1, 1, {"capacity": 3}),
    # row 3 Date "next Friday"; row 4 Half Day "maybe" cleared
    "holiday_calendar/messy_calendar.csv": ("holiday_calendar", 1, 1, {"capacity": 3}),
    # row 4 no project or WBS element, row 5 amount "see invoice"
    "sap/messy_cji3.csv": ("sap_cji3", 2, 0, {"financials": 3}),
    # row 4 no number (a risk and its history copy); row 3 impact "Catastrophic", row 5 due_date
    # "whenever" cleared
    "servicenow/messy_risk.csv": ("servicenow", 1, 2, {"risks": 3, "raid_snapshots": 3}),
    # row 4 no Project ID or name (a projects row and a status row); row 3 End Date "Q3 2026" cleared
    "smartsheet/messy_PMO Register.csv": ("smartsheet", 1, 1, {"projects": 3, "status_snapshots": 3}),
}


def monday_board(path: Path) -> Path:
    """A monday.com board (only .xlsx exists): an item without an Item ID, a Date "ASAP"."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("Launch board")
    rows = [["Launch board"], ["This week"],
            ["Name", "Subitems", "Person", "Status", "Date", "Item ID (auto generated)"],
            ["Brief agency", None, "Dana Ortiz", "Done", "2026-02-02", "9921480001"],        # row 4
            ["Shoot photos", None, "Sam Lee", "Working on it", "ASAP", "9921480002"],        # row 5: cleared
            ["Order prints", None, "Ben Cho", "Stuck", "2026-02-13", None],                  # row 6: rejected
            ["Book studio", None, "Sam Lee", "Done", "2026-02-03", "9921480004"]]            # row 7
    for r, row in enumerate(rows):
        ws.write_row(r, 0, row)
    wb.close()
    return path


def ingest(store: Store, name: str, tmp_path: Path):
    if name == "monday":
        return ingest_files(store, [monday_board(tmp_path / "launch_board.xlsx")], as_of=date(2026, 2, 20))[0]
    if name == "mapping":
        return ingest_files(store, [FIXTURES / "mapping" / "acme_register.csv"], as_of=date(2026, 2, 20),
                            mapping_path=FIXTURES / "mapping" / "acme_register.toml")[0]
    return ingest_files(store, [FIXTURES / name], as_of=date(2026, 2, 20))[0]


ALL = {**CASES,
       "monday": ("monday", 1, 1, {"tasks": 3}),
       # row 4's Budget (EUR) "abc": a mapping rejects the row (its values are all the row has)
       "mapping": ("mapping", 1, 0, {"projects": 2})}


@pytest.mark.parametrize("name", list(ALL))
def test_counts_match_the_store(name, tmp_path):
    tool, rejected, cleared, tables = ALL[name]
    store = Store(tmp_path / "store")
    o = ingest(store, name, tmp_path)
    assert o.tool == tool
    # What the ingest says: separate counts, in the summary line too.
    assert (o.rows_rejected, o.cells_cleared, o.tables) == (rejected, cleared, tables)
    assert (f"{rejected} row{'s' if rejected != 1 else ''} rejected (not stored), "
            f"{cleared} cell{'s' if cleared != 1 else ''} cleared (row stored, the value left empty)") in o.summary()

    con = query.connect(store).con
    # The log.
    logged = con.execute("select rows_rejected, cells_cleared from ingests where ingest_id = $i",
                         {"i": o.ingest_id}).fetchone()
    assert logged == (rejected, cleared)
    # rejected_rows, by kind: rows counted per file row, cells one each.
    by_kind = dict(con.execute("""
        select kind, case when kind = 'row rejected' then count(distinct row_number)
                          else count(*) end
        from rejected_rows where ingest_id = $i group by kind""", {"i": o.ingest_id}).fetchall())
    assert (by_kind.get("row rejected", 0), by_kind.get("cell cleared", 0)) == (rejected, cleared)
    # The stored tables hold exactly the rows the ingest said it accepted.
    for table, n in tables.items():
        assert con.execute(f"select count(*) from seg_{table} where {schema.INGEST_ID} = $i",
                           {"i": o.ingest_id}).fetchone()[0] == n
    # A rejected row is in no stored table; a cleared cell's row is stored in its table.
    stored = {t: set(f["_row"].to_list()) for t, f in o.frames.items()}
    rows = con.execute("select table_name, row_number, kind from rejected_rows where ingest_id = $i",
                       {"i": o.ingest_id}).fetchall()
    for table, row, kind in rows:
        assert (row in stored.get(table, set())) == (kind == "cell cleared"), (table, row, kind)
    # `pmo check` (the Data page's data-quality tab runs the same checks) adds up to the same.
    [finding] = [f for f in quality.store_report(con) if f.check == "rejected_rows_by_file"]
    shown_rows = sum(int(m.group(1)) for d in finding.rows["detail"]
                     if (m := re.match(r"(\d+) rows? rejected", d)))
    shown_cells = sum(int(m.group(1)) for d in finding.rows["detail"]
                      if (m := re.match(r"(\d+) cells? cleared", d)))
    assert (shown_rows, shown_cells) == (rejected, cleared)


def test_every_importer_has_a_messy_file():
    from pmo.importers import registry

    covered = {tool for tool, *_ in ALL.values()}
    assert set(registry.modules()) | {"mapping"} == covered


def test_old_rejects_files_are_classified_by_their_reason(tmp_path):
    # Stores written before `kind` existed: "...; left empty" was a cleared cell.
    store = Store(tmp_path / "store")
    o = ingest(store, "jira/messy_issues.csv", tmp_path)
    rel = store.manifest().ingests[-1]["rejects_file"]
    old = pl.read_parquet(store.path(rel)).drop("kind").with_columns(
        reason=pl.when(pl.col("reason") == "not a date").then(pl.lit("not a date; left empty"))
        .otherwise(pl.col("reason")))
    old.write_parquet(store.path(rel))
    con = query.connect(store).con
    assert sorted(con.execute("select row_number, kind from rejected_rows").fetchall()) == [
        (3, "cell cleared"), (4, "row rejected"), (5, "row rejected")]
    assert o.cells_cleared == 1
