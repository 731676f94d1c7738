"""The sample store tells the governance and RAID story sample_data/README.md describes: which
checks each kind of export allows, the schedules built to pass or fail, overdue gates, the RAID
register's dependencies, cycle and history."""

from __future__ import annotations

from datetime import date

LATEST = date(2026, 11, 20)


def result(con, project_id: str, check_id: str) -> dict:
    rows = con.execute("select measurable, passed, numerator, denominator, note from governance_findings "
                       "where project_id = $p and check_id = $c and as_of = $d",
                       {"p": project_id, "c": check_id, "d": LATEST}).fetchall()
    assert len(rows) == 1, rows
    return dict(zip(("measurable", "passed", "numerator", "denominator", "note"), rows[0], strict=True))


def test_plan_exports_by_kind(sample_con):
    kinds = dict(sample_con.execute("select export, count(*) from schedule_exports group by 1").fetchall())
    assert kinds == {"MS Project desktop plan (grid)": 2, "MS Project desktop plan (export wizard)": 2,
                     "Project Online OData (Tasks)": 28}
    # the desktop plans' tasks belong to the register's projects (the plan title is the project's name)
    got = sample_con.execute("select distinct project_id from tasks where source like 'msproject:plan:%' "
                             "order by 1").fetchall()
    assert got == [("PRJ-1012",), ("PRJ-1016",), ("PRJ-1021",), ("PRJ-1034",)]
    assert sample_con.execute("select count(*) from projects").fetchall() == [(40,)]


def test_logic_checks_pass_on_the_model_plan_and_fail_on_the_data_centre_exit(sample_con):
    for check in ("dcma_logic", "dcma_leads", "dcma_lags", "dcma_fs", "dcma_hard_constraints"):
        assert result(sample_con, "PRJ-1021", check)["passed"] is True, check
    for check in ("dcma_logic", "dcma_leads", "dcma_fs", "dcma_hard_constraints", "dcma_negative_float",
                  "dcma_invalid_dates"):
        assert result(sample_con, "PRJ-1012", check)["passed"] is False, check
    assert result(sample_con, "PRJ-1016", "dcma_hard_constraints")["passed"] is False   # FNLT + MSO
    assert result(sample_con, "PRJ-1034", "dcma_lags")["passed"] is False               # 10-day lags


def test_what_project_online_and_jira_exports_cannot_tell(sample_con):
    logic = result(sample_con, "PRJ-1005", "dcma_logic")
    assert (logic["measurable"], logic["passed"]) == (False, None)
    assert logic["note"] == "not measurable from Project Online OData (Tasks): it has no predecessors"
    assert result(sample_con, "PRJ-1005", "dcma_high_float")["measurable"] is True          # TaskTotalSlack
    assert result(sample_con, "PRJ-1005", "unowned_tasks")["note"] == (
        "not measurable from Project Online OData (Tasks): it has no resource names")
    assert result(sample_con, "PRJ-1001", "dcma_negative_float")["note"] == (
        "not measurable from Jira issue CSV: it has no total slack")
    nobase = result(sample_con, "PRJ-1028", "tasks_without_baseline")      # the header has baselines
    assert (nobase["passed"], nobase["numerator"], nobase["denominator"]) == (False, 13, 13)


def test_overdue_gates(sample_con):
    got = sample_con.execute("select project_id, next_gate, days_overdue from project_stage_gates "
                             "where is_overdue order by 1").fetchall()
    assert got == [("PRJ-1010", "G1 Business case", 14), ("PRJ-1029", "G3 Go-live readiness", 14),
                   ("PRJ-1034", "G3 Go-live readiness", 42)]
    assert sample_con.execute("select stage_entered_date, last_decision from project_stage_gates "
                              "where project_id = 'PRJ-1021'").fetchall()[0][1] == "Approved with conditions"


def test_raid_dependencies_cycle_and_history(sample_con):
    at_risk = sample_con.execute("select project_id, item_id, blocker_project_id, slip_days from raid_dependencies "
                                 "where is_at_risk and not in_cycle order by 1").fetchall()
    assert at_risk == [("PRJ-1004", "D-403", "PRJ-1016", 49), ("PRJ-1023", "D-401", "PRJ-1021", 122),
                       ("PRJ-1034", "D-402", "PRJ-1028", 98)]
    (cycle,) = sample_con.execute("select members from raid_dependency_cycles").fetchall()
    assert cycle == (["PRJ-1025/D-406", "PRJ-1029/D-405"],)
    # PAY: the HSM risk (High x High = 16) turns Very high x Very high (25) in October
    history = sample_con.execute("select as_of, open_exposure from raid_history where project_id = 'PRJ-1004' "
                                 "and as_of < '2026-11-20' order by 1").fetchall()
    assert history == [(date(2026, 9, 25), 16), (date(2026, 10, 30), 25)]
