"""Governance checks on small hand-built plans and registers: every DCMA check on a plan built for it
with its expected percentage, the reporting, plan-hygiene and stage-gate checks, "not measurable",
compliance and its trend, the thresholds from config, and `pmo check --governance`."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest
from conftest import ROOT
from helpers.canonical import connect, make_store

AS_OF = date(2026, 11, 20)           # the plan export's status date (make_store's default as_of)
ALL_FIELDS = ["predecessors", "total_slack", "constraint_type", "actual_start", "actual_finish",
              "baseline_start", "baseline_finish", "baseline_duration", "duration", "assignee"]
PROJECT = {"project_id": "P1", "project_name": "Plan", "portfolio": "A", "manager": "Ana", "sponsor": "CFO",
           "stage": "Execution", "budget_original": 100.0, "baseline_start_date": date(2026, 1, 1),
           "baseline_finish_date": date(2026, 12, 31), "start_date": date(2026, 1, 1)}


def task(task_id: str, **kw) -> dict:
    """An incomplete, owned, baselined task that breaks no rule unless `kw` says so."""
    return {"task_id": task_id, "project_id": "P1", "task_name": f"Task {task_id}", "status_category": "in_progress",
            "percent_complete": 0.5, "assignee": "Ana", "start_date": date(2026, 12, 1),
            "finish_date": date(2026, 12, 10), "actual_start_date": None,
            "baseline_finish_date": date(2026, 12, 10), "duration_days": 10.0, "total_slack_days": 5.0,
            "constraint_type": "ASAP", **kw}


def done(task_id: str, **kw) -> dict:
    return task(task_id, **{"status_category": "done", "percent_complete": 1.0, "start_date": date(2026, 9, 1),
                            "actual_start_date": date(2026, 9, 1), "finish_date": date(2026, 9, 30),
                            "completed_date": date(2026, 9, 30), "baseline_finish_date": date(2026, 9, 30), **kw})


def chain(ids: list[str]) -> list[dict]:
    return [{"project_id": "P1", "task_id": b, "predecessor_id": a, "link_type": "FS", "lag_days": 0.0}
            for a, b in zip(ids, ids[1:])]


def store(tmp_path, tasks, links=(), fields=ALL_FIELDS, config_toml=None, **tables):
    data = {"projects": [PROJECT], "tasks": tasks,
            "schedule_exports": [{"project_id": "P1", "export": "MS Project desktop plan (grid)", "fields": fields,
                                  "task_count": len(tasks)}], **tables}
    if links:
        data["task_links"] = list(links)
    return connect(tmp_path / "s", data, config_toml=config_toml)


def finding(con, check_id: str, project_id: str = "P1", as_of: date = AS_OF) -> dict:
    rows = con.sql("select * from governance_findings where project_id = $p and check_id = $c and as_of = $d",
                   params={"p": project_id, "c": check_id, "d": as_of}).pl().to_dicts()
    assert len(rows) == 1, rows
    return rows[0]


def summary(f: dict) -> tuple:
    return (f["numerator"], f["denominator"], pytest.approx(f["value"]) if f["value"] is not None else None,
            f["passed"], sorted(f["offending"] or []))


# ---------------------------------------------------------------------------------------------
# DCMA checks, one plan each
# ---------------------------------------------------------------------------------------------


def test_dcma_1_missing_logic_five_percent_passes(tmp_path):
    ids = [f"T{i:02d}" for i in range(1, 41)]
    con = store(tmp_path, [task(i) for i in ids] + [done("D1")], chain(ids))
    # the chain's first task has no predecessor, its last no successor: 2 of 40 = 5.0% -> passes (<= 5%)
    assert summary(finding(con, "dcma_logic")) == (2, 40, 0.05, True, ["T01", "T40"])


def test_dcma_1_missing_logic_over_five_percent_fails(tmp_path):
    ids = [f"T{i:02d}" for i in range(1, 41)]
    con = store(tmp_path, [task(i) for i in ids] + [task("LOOSE")], chain(ids))
    assert summary(finding(con, "dcma_logic")) == (3, 41, 3 / 41, False, ["LOOSE", "T01", "T40"])   # 7.3%


def test_dcma_1_the_plans_finish_milestone_needs_no_successor(tmp_path):
    ids = [f"T{i:02d}" for i in range(1, 21)]
    tasks = [task(i) for i in ids] + [task("END", is_milestone=True, start_date=date(2026, 12, 31),
                                           finish_date=date(2026, 12, 31), duration_days=0.0),
                                      task("MID", is_milestone=True)]       # a milestone inside the plan
    links = chain(ids + ["END"]) + [{"project_id": "P1", "task_id": "MID", "predecessor_id": "T05",
                                     "link_type": "FS", "lag_days": 0.0}]
    con = store(tmp_path, tasks, links)
    # T01 has no predecessor (a task, not a start milestone); MID no successor; END ends the plan
    assert summary(finding(con, "dcma_logic")) == (2, 22, 2 / 22, False, ["MID", "T01"])


def test_dcma_2_3_4_relationships(tmp_path):
    """10 relationships into incomplete tasks: 1 lead, 1 lag, 8 FS, 1 SS, 1 FF; one more into a
    done task does not count."""
    ids = [f"T{i:02d}" for i in range(0, 11)]
    links = chain(ids)
    links[2] |= {"lag_days": -2.0, "lag_text": "-2 days"}                  # into T03: a lead
    links[5] |= {"lag_days": 3.0, "lag_text": "+3 days"}                   # into T06: a lag
    links[7] |= {"link_type": "SS"}                                        # into T08
    links[8] |= {"link_type": "FF"}                                        # into T09
    links.append({"project_id": "P1", "task_id": "D1", "predecessor_id": "T00", "link_type": "SF", "lag_days": -1.0})
    con = store(tmp_path, [task(i) for i in ids] + [done("D1")], links)
    assert summary(finding(con, "dcma_leads")) == (1, 10, 0.10, False, ["T03"])          # 0% allowed
    assert summary(finding(con, "dcma_lags")) == (1, 10, 0.10, False, ["T06"])           # over 5%
    assert summary(finding(con, "dcma_fs")) == (8, 10, 0.80, False, ["T08", "T09"])      # under 90%


def test_dcma_3_lags_five_percent_passes(tmp_path):
    ids = [f"T{i:02d}" for i in range(0, 21)]
    links = chain(ids)
    links[0] |= {"lag_days": 1.0, "lag_text": "+1d"}
    con = store(tmp_path, [task(i) for i in ids], links)
    assert summary(finding(con, "dcma_lags")) == (1, 20, 0.05, True, ["T01"])


def test_dcma_5_hard_constraints(tmp_path):
    tasks = [task(f"T{i}") for i in range(7)] + [
        task("MSO", constraint_type="MSO"), task("SNET", constraint_type="SNET"),   # soft: not counted
        task("FNLT", constraint_type="FNLT"), done("DONE", constraint_type="MFO")]  # done: not counted
    con = store(tmp_path, tasks)
    assert summary(finding(con, "dcma_hard_constraints")) == (2, 10, 0.20, False, ["FNLT", "MSO"])


def test_dcma_5_hard_constraint_types_from_config(tmp_path):
    tasks = [task(f"T{i}") for i in range(9)] + [task("SNET", constraint_type="SNET")]
    con = store(tmp_path, tasks, config_toml='[governance]\nhard_constraints = ["SNET"]\nhard_constraints_max = 0.1\n')
    assert summary(finding(con, "dcma_hard_constraints")) == (1, 10, 0.10, True, ["SNET"])


def test_dcma_6_7_float(tmp_path):
    tasks = [task(f"T{i:02d}") for i in range(17)] + [
        task("F45", total_slack_days=45.0),        # over 44: high
        task("F44", total_slack_days=44.0),        # exactly 44: not high
        task("NEG", total_slack_days=-1.0)]
    con = store(tmp_path, tasks)
    assert summary(finding(con, "dcma_high_float")) == (1, 20, 0.05, True, ["F45"])
    assert summary(finding(con, "dcma_negative_float")) == (1, 20, 0.05, False, ["NEG"])   # 0% allowed


def test_dcma_8_high_duration_uses_the_baseline_duration(tmp_path):
    tasks = [task(f"T{i}") for i in range(8)] + [
        task("B45", baseline_duration_days=45.0, duration_days=10.0),   # baseline over 44: high
        task("C50", baseline_duration_days=30.0, duration_days=50.0)]   # the baseline wins: not high
    con = store(tmp_path, tasks)
    assert summary(finding(con, "dcma_high_duration")) == (1, 10, 0.10, False, ["B45"])


def test_dcma_9_invalid_dates(tmp_path):
    tasks = [
        task("A", start_date=date(2026, 11, 10), finish_date=date(2026, 11, 30)),     # not started, start passed
        task("B", status_category="done", percent_complete=1.0, actual_start_date=date(2026, 11, 1),
             finish_date=date(2026, 11, 25), completed_date=date(2026, 11, 25)),      # actual after the status date
        task("C", actual_start_date=date(2026, 11, 1), start_date=date(2026, 11, 1),
             finish_date=date(2026, 12, 1)),                                          # running: fine
        done("D"),
        task("E", start_date=date(2026, 11, 25), finish_date=date(2026, 12, 5)),      # not due yet: fine
    ]
    con = store(tmp_path, tasks)
    assert summary(finding(con, "dcma_invalid_dates")) == (2, 5, 0.40, False, ["A", "B"])


def test_dcma_11_missed_tasks_and_14_bei(tmp_path):
    tasks = [
        done("F1", completed_date=date(2026, 11, 10), baseline_finish_date=date(2026, 11, 12)),   # on time
        done("F2", completed_date=date(2026, 11, 18), baseline_finish_date=date(2026, 11, 12)),   # late
        task("F3", baseline_finish_date=date(2026, 11, 15)),                                      # not done
        done("F4", completed_date=date(2026, 11, 16), baseline_finish_date=date(2026, 12, 1)),    # early: not due
        task("F5", baseline_finish_date=date(2026, 12, 15)),
    ]
    con = store(tmp_path, tasks)
    # missed: F2 and F3 of the 3 due by their baseline (F1, F2, F3) = 66.7%
    assert summary(finding(con, "dcma_missed_tasks")) == (2, 3, 2 / 3, False, ["F2", "F3"])
    # BEI: every task done (F1, F2, F4) / tasks due by baseline (3) = 1.0 -> passes
    assert summary(finding(con, "dcma_bei"))[:4] == (3, 3, 1.0, True)


@pytest.mark.parametrize("done_count, passed", [(18, False), (19, True)])
def test_dcma_14_bei_threshold(tmp_path, done_count, passed):
    due = date(2026, 11, 1)
    tasks = [done(f"D{i:02d}", baseline_finish_date=due, completed_date=due) for i in range(done_count)]
    tasks += [task(f"O{i:02d}", baseline_finish_date=due) for i in range(20 - done_count)]
    con = store(tmp_path, tasks)
    f = finding(con, "dcma_bei")
    assert (f["numerator"], f["denominator"], f["value"], f["passed"]) == (done_count, 20, done_count / 20, passed)


def test_checks_the_export_cannot_judge_are_not_measurable(tmp_path):
    """A plan export with durations and baselines but no predecessors, slack, constraints or actual start."""
    con = store(tmp_path, [task("T1"), task("T2")], fields=["duration", "baseline_finish", "actual_finish"])
    for check, lacking in [("dcma_logic", "no predecessors"), ("dcma_leads", "no predecessors"),
                           ("dcma_fs", "no predecessors"), ("dcma_hard_constraints", "no constraint types"),
                           ("dcma_high_float", "no total slack"), ("dcma_negative_float", "no total slack"),
                           ("dcma_invalid_dates", "no actual start and finish dates"),
                           ("unowned_tasks", "no resource names")]:
        f = finding(con, check)
        assert (f["measurable"], f["passed"], f["offending"]) == (False, None, None), check
        assert f["note"] == f"not measurable from MS Project desktop plan (grid): it has {lacking}", check
    assert finding(con, "dcma_high_duration")["measurable"] is True
    # fields present but no task due by its baseline yet: nothing to judge (not "no fields")
    assert finding(con, "dcma_missed_tasks")["note"] == "nothing to judge: no task has its baseline finish due"


def test_nothing_to_judge_is_not_a_pass(tmp_path):
    con = store(tmp_path, [done("D1"), done("D2")], chain(["D1", "D2"]))
    f = finding(con, "dcma_logic")
    assert (f["measurable"], f["passed"], f["note"]) == (False, None, "nothing to judge: no incomplete tasks")
    assert finding(con, "dcma_leads")["note"] == "nothing to judge: no relationships"


def test_tracker_tasks_without_a_schedule_export(tmp_path):
    """Jira-like tasks (no schedule_exports row): the assignee counts, schedule logic does not."""
    tasks = [task("J-1", baseline_finish_date=None, total_slack_days=None, constraint_type=None,
                  duration_days=None), task("J-2", assignee=None, baseline_finish_date=None,
                                            total_slack_days=None, constraint_type=None, duration_days=None)]
    con = connect(tmp_path / "s", {"projects": [PROJECT], "tasks": tasks}, source="jira:issues:J")
    f = finding(con, "unowned_tasks")
    assert (f["numerator"], f["denominator"], f["passed"], f["offending"]) == (1, 2, False, ["J-2"])
    logic = finding(con, "dcma_logic")
    assert logic["note"] == "not measurable from Jira issue CSV: it has no predecessors"
    assert finding(con, "tasks_without_baseline")["measurable"] is False


# ---------------------------------------------------------------------------------------------
# Plan hygiene
# ---------------------------------------------------------------------------------------------


def test_plan_hygiene_tasks(tmp_path):
    tasks = [task(f"T{i}") for i in range(7)] + [
        task("NOBASE", baseline_finish_date=None),
        task("NOOWNER", assignee=None),
        task("MILESTONE", assignee=None, is_milestone=True),                 # milestones need no owner
        task("LATE", finish_date=date(2026, 11, 19)),                        # incomplete, finish passed
        done("DONE", assignee=None),                                         # done: not open, not late
        {**task("SUMMARY", assignee=None, baseline_finish_date=None), "is_summary": True},   # summaries ignored
    ]
    con = store(tmp_path, tasks)
    # 12 tasks (no summary); 10 open non-milestone tasks; 11 incomplete ones (the milestone too)
    assert summary(finding(con, "tasks_without_baseline")) == (1, 12, 1 / 12, True, ["NOBASE"])   # 8.3%
    assert summary(finding(con, "unowned_tasks")) == (1, 10, 0.10, False, ["NOOWNER"])
    assert summary(finding(con, "late_tasks")) == (1, 11, 1 / 11, False, ["LATE"])


def test_missing_fields_and_baseline_from_the_register(tmp_path):
    bare = {**PROJECT, "project_id": "P2", "sponsor": None, "budget_original": None,
            "baseline_finish_date": None}
    con = connect(tmp_path / "s", {"projects": [PROJECT, bare]})
    assert summary(finding(con, "missing_fields", "P2")) == (2, 5, 0.40, False, ["budget", "sponsor"])
    assert summary(finding(con, "no_baseline", "P2"))[:4] == (1, 1, 1.0, False)
    assert finding(con, "missing_fields", "P1")["passed"] is True
    con = connect(tmp_path / "s2", {"projects": [PROJECT, bare]},
                  config_toml='[governance]\nrequired_fields = ["manager", "baseline_finish_date"]\n')
    assert summary(finding(con, "missing_fields", "P2")) == (1, 2, 0.5, False, ["baseline_finish_date"])


# ---------------------------------------------------------------------------------------------
# Reporting hygiene
# ---------------------------------------------------------------------------------------------


def reporting_store(tmp_path, config_toml=None):
    """Status dates 1 Oct and 15 Oct. P1 reported on 1 Oct only; P2 on both; P3 never (started 1 Sep);
    P4 starts 1 Dec (not judged yet); P5 closed on 5 Oct (judged on 1 Oct only)."""
    projects = [PROJECT, {**PROJECT, "project_id": "P2"}, {**PROJECT, "project_id": "P3", "start_date": date(2026, 9, 1)},
                {**PROJECT, "project_id": "P4", "start_date": date(2026, 12, 1)},
                {**PROJECT, "project_id": "P5", "actual_finish_date": date(2026, 10, 5)}]
    snaps = [{"project_id": "P1", "as_of": date(2026, 10, 1)}, {"project_id": "P2", "as_of": date(2026, 10, 1)},
             {"project_id": "P2", "as_of": date(2026, 10, 15)}, {"project_id": "P5", "as_of": date(2026, 10, 1)}]
    return connect(tmp_path / "s", {"projects": projects, "status_snapshots": snaps}, as_of=date(2026, 10, 15),
                   config_toml=config_toml)


def test_stale_and_missing_status_reports(tmp_path):
    con = reporting_store(tmp_path)
    d1, d2 = date(2026, 10, 1), date(2026, 10, 15)
    stale = finding(con, "status_stale", "P1", d2)
    assert (stale["value"], stale["threshold"], stale["passed"], stale["offending"]) == (14, 10, False, ["2026-10-01"])
    assert finding(con, "status_stale", "P1", d1)["passed"] is True                    # 0 days
    assert finding(con, "status_stale", "P2", d2)["value"] == 0
    never = finding(con, "no_status", "P3", d2)
    assert (never["numerator"], never["passed"]) == (1, False)
    assert finding(con, "status_stale", "P3", d2)["note"] == "no status report yet"
    judged = set(con.execute("select distinct project_id || '@' || as_of from governance_findings").fetchall())
    assert ("P4@2026-10-15",) not in judged and ("P5@2026-10-15",) not in judged and ("P5@2026-10-01",) in judged


def test_stale_limit_from_config(tmp_path):
    con = reporting_store(tmp_path, config_toml="[governance]\nstatus_cadence_days = 14\nstatus_grace_days = 0\n")
    f = finding(con, "status_stale", "P1", date(2026, 10, 15))
    assert (f["value"], f["threshold"], f["passed"]) == (14, 14, True)


def test_reported_health_disagreeing_three_reports_in_a_row(tmp_path):
    """Budget 1,000 spent twice over for half the work: CPI 0.5, computed red; reported green."""
    base = {**PROJECT, "budget_original": 1000.0}
    reports = [(date(2026, 6, 30), "green"), (date(2026, 7, 31), "green"), (date(2026, 8, 31), "green"),
               (date(2026, 9, 30), "red"), (date(2026, 10, 30), "green")]
    snaps = [{"project_id": "P1", "as_of": d, "percent_complete": 0.5, "budget": 1000.0, "actual_cost": 1000.0,
              "reported_health": h} for d, h in reports]
    con = connect(tmp_path / "s", {"projects": [base], "status_snapshots": snaps}, as_of=date(2026, 10, 30))
    computed = dict(con.execute("select as_of, overall_health from project_health").fetchall())
    assert set(computed.values()) == {"red"}
    streak = {d: (finding(con, "health_mismatch", "P1", d)["value"], finding(con, "health_mismatch", "P1", d)["passed"])
              for d, _ in reports}
    assert streak == {date(2026, 6, 30): (1, True), date(2026, 7, 31): (2, True), date(2026, 8, 31): (3, False),
                      date(2026, 9, 30): (0, True), date(2026, 10, 30): (1, True)}
    assert finding(con, "health_mismatch", "P1", date(2026, 8, 31))["offending"] == [
        "2026-06-30", "2026-07-31", "2026-08-31"]


# ---------------------------------------------------------------------------------------------
# Stage gates
# ---------------------------------------------------------------------------------------------


def test_gate_overdue_without_a_decision(tmp_path):
    gates = [{"project_id": "P1", "gate": "G1 Business case", "stage": "Planning", "gate_order": 1,
              "planned_date": date(2026, 2, 1), "decision_date": date(2026, 2, 1), "decision": "Approved",
              "decision_category": "approved"},
             {"project_id": "P1", "gate": "G2 Plan approval", "stage": "Execution", "gate_order": 2,
              "planned_date": date(2026, 10, 1), "decision_date": date(2026, 10, 10), "decision": "Approved",
              "decision_category": "approved"},
             {"project_id": "P1", "gate": "G3 Go-live", "stage": "Closing", "gate_order": 3,
              "planned_date": date(2026, 11, 6)}]
    snaps = [{"project_id": p, "as_of": d} for p in ("P1", "P2") for d in
             (date(2026, 10, 1), date(2026, 10, 5), date(2026, 10, 30), date(2026, 11, 20))]
    con = connect(tmp_path / "s", {"projects": [PROJECT, {**PROJECT, "project_id": "P2"}],
                                   "status_snapshots": snaps, "stage_gates": gates})
    got = {d: (f["value"], f["passed"], f["offending"]) for d in (date(2026, 10, 1), date(2026, 10, 5),
                                                                  date(2026, 10, 30), date(2026, 11, 20))
           for f in [finding(con, "gate_overdue", "P1", d)]}
    assert got == {date(2026, 10, 1): (0, True, []),                  # G2 due today: not overdue yet
                   date(2026, 10, 5): (4, False, ["G2 Plan approval"]),  # decided only on 10 Oct
                   date(2026, 10, 30): (0, True, []),                 # next: G3, planned 6 Nov
                   date(2026, 11, 20): (14, False, ["G3 Go-live"])}
    assert finding(con, "gate_overdue", "P2")["note"] == "no gate log rows for the project"
    (row,) = con.execute("select stage, stage_entered_date, last_gate, next_gate, days_overdue, is_overdue "
                         "from project_stage_gates where project_id = 'P1'").fetchall()
    assert row == ("Execution", date(2026, 10, 10), "G2 Plan approval", "G3 Go-live", 14, True)


# ---------------------------------------------------------------------------------------------
# Compliance and its trend
# ---------------------------------------------------------------------------------------------


def test_compliance_share_and_trend(tmp_path):
    """Status dates 30 Oct and 20 Nov; the plan (exported 20 Nov) counts from 20 Nov on."""
    tasks = [task(f"T{i:02d}") for i in range(1, 11)]
    snaps = [{"project_id": "P1", "as_of": date(2026, 10, 30)}, {"project_id": "P1", "as_of": AS_OF}]
    con = store(tmp_path, tasks, chain([t["task_id"] for t in tasks]), status_snapshots=snaps)
    rows = {r["as_of"]: r for r in con.sql("select * from governance_compliance").pl().to_dicts()}
    # 30 Oct: stale + no status + the register's 2 judged and passed; health (no colours) and the gate
    # not measurable; the plan not yet exported
    oct30 = rows[date(2026, 10, 30)]
    assert (oct30["checks_judged"], oct30["checks_passed"], oct30["checks_not_measurable"]) == (4, 4, 2)
    # 20 Nov: + 14 task checks; logic fails (T01, T10 of 10 = 20%); high duration etc. pass
    nov = rows[AS_OF]
    assert nov["checks_failed"] == 1 and nov["failed_checks"] == ["DCMA 1: missing logic"]
    # missed tasks and BEI: no task due by its baseline yet -> nothing to judge
    assert nov["checks_judged"] == 4 + 12
    assert nov["compliance"] == pytest.approx(15 / 16)
    (port,) = con.sql("select * from governance_portfolio_compliance where as_of = '2026-11-20'").pl().to_dicts()
    assert (port["portfolio"], port["projects"], port["projects_fully_compliant"], port["checks_judged"],
            port["checks_passed"]) == ("A", 1, 0, 16, 15)


def test_offenders_list_the_failed_items_with_task_names(tmp_path):
    con = store(tmp_path, [task("T1"), task("T2", assignee=None)])
    rows = con.execute("select check_id, item, task_name from governance_offenders "
                       "where check_id = 'unowned_tasks'").fetchall()
    assert rows == [("unowned_tasks", "T2", "Task T2")]


# ---------------------------------------------------------------------------------------------
# pmo check --governance
# ---------------------------------------------------------------------------------------------


def test_cli_prints_failed_checks_per_portfolio_and_project(tmp_path, pmo_cli):
    tasks = [task("T1", total_slack_days=-3.0), task("T2")]
    root = tmp_path / "s"
    make_store(root, {"projects": [PROJECT], "tasks": tasks, "status_snapshots": [{"project_id": "P1"}],
                      "schedule_exports": [{"project_id": "P1", "export": "MS Project desktop plan (grid)",
                                            "fields": ALL_FIELDS, "task_count": 2}]})
    out = pmo_cli("check", "--governance", data_dir=root)
    assert out.returncode == 0, out.stderr
    assert "Governance checks as of 2026-11-20" in out.stdout
    assert "A: " in out.stdout and "P1 Plan:" in out.stdout
    assert "!! DCMA 7: negative float: 50.0% (1 of 2) (limit <= 0%)  [Task T1]" in out.stdout
    assert "!! DCMA 1: missing logic: 100.0% (2 of 2) (limit <= 5%)  [Task T1, Task T2]" in out.stdout
    full = pmo_cli("check", "--governance", "--all", data_dir=root)
    assert "ok DCMA 6: high float: 0.0% (0 of 2) (limit <= 5%)" in full.stdout
    assert "-- Stage gate overdue with no decision: no gate log rows for the project" in full.stdout
    other = pmo_cli("check", "--governance", "--portfolio", "Nope", data_dir=root)
    assert "no project is judged yet" in other.stdout


def test_a_reader_that_stops_early_is_not_an_error(tmp_path):
    """`pmo check --governance | head`: the pipe closes before the command writes; exit 0, no
    traceback and no 'Exception ignored' at exit."""
    root = tmp_path / "s"
    make_store(root, {"projects": [PROJECT], "tasks": [task("T1")], "status_snapshots": [{"project_id": "P1"}]})
    proc = subprocess.Popen([sys.executable, "-m", "pmo", "check", "--governance", "--all", "--data-dir", str(root)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, text=True)
    proc.stdout.close()                   # the reader is gone before the first line is written
    err = proc.stderr.read()
    assert proc.wait(timeout=120) == 0, err
    assert err == ""
