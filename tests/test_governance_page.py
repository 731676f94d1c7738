"""The Governance page's pure logic (pmo.governance: project scores, roll-ups, per-check
compliance, failed findings with reasons, KPIs and the trend) on small hand-made frames with
hand-worked figures."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from pmo import governance

D1, D2 = date(2026, 10, 30), date(2026, 11, 20)


def row(project: str, check_id: str, passed, *, portfolio="A", manager="Ana", group=None, num=None, den=None,
        value=None, threshold=0.05, rule="<=", offending=None, note=None, order=None):
    order = order if order is not None else [c[0] for c in governance.CHECKS].index(check_id) + 1
    group = group or next(c[1] for c in governance.CHECKS if c[0] == check_id)
    name = next(c[2] for c in governance.CHECKS if c[0] == check_id)
    return {"project_id": project, "project_name": f"Project {project}", "portfolio": portfolio, "program": None,
            "department": "IT", "manager": manager, "stage": "Execution", "as_of": D2, "check_id": check_id,
            "check_group": group, "check_name": name, "measurable": passed is not None, "passed": passed,
            "numerator": num, "denominator": den, "value": value, "threshold": threshold, "rule": rule,
            "export": None, "note": note, "offending": offending, "offending_names": offending,
            "finding_date": D2, "check_order": order}


def frame() -> pl.DataFrame:
    """P1 (A, Ana): 4 judged, 3 passed (unowned tasks fail: 2 of 8 = 25%), 1 not measurable.
    P2 (A, Bo): 3 judged, 3 passed. P3 (B, Ana): 2 judged, 0 passed (stale 21 days, gate 14 days
    overdue), 1 not measurable."""
    return pl.DataFrame([
        row("P1", "status_stale", True, value=3, threshold=10),
        row("P1", "no_baseline", True, value=0, threshold=0),
        row("P1", "unowned_tasks", False, num=2, den=8, value=0.25, offending=["Build", "Test"]),
        row("P1", "dcma_logic", True, num=0, den=8, value=0.0),
        row("P1", "dcma_leads", None, note="not measurable from X: it has no predecessors"),
        row("P2", "status_stale", True, value=0, threshold=10, manager="Bo"),
        row("P2", "no_baseline", True, value=0, threshold=0, manager="Bo"),
        row("P2", "dcma_logic", True, num=0, den=4, value=0.0, manager="Bo"),
        row("P3", "status_stale", False, value=21, threshold=10, portfolio="B", offending=["2026-10-30"]),
        row("P3", "gate_overdue", False, value=14, threshold=0, portfolio="B", offending=["G2 Plan approval"]),
        row("P3", "dcma_leads", None, portfolio="B", note="not measurable from X: it has no predecessors"),
    ], infer_schema_length=None)


def test_project_scores_least_compliant_first():
    s = governance.project_scores(frame())
    got = {r["project_id"]: (r["checks_judged"], r["checks_passed"], r["checks_failed"], r["checks_not_measurable"],
                             r["compliance"], r["failed_checks"]) for r in s.iter_rows(named=True)}
    assert got == {"P1": (4, 3, 1, 1, 0.75, ["Open tasks without an owner"]),
                   "P2": (3, 3, 0, 0, 1.0, []),
                   "P3": (2, 0, 2, 1, 0.0, ["Status report stale", "Stage gate overdue with no decision"])}
    assert s["project_id"].to_list() == ["P3", "P1", "P2"]


def test_rollup_sums_checks_not_shares():
    s = governance.project_scores(frame())
    by_portfolio = {r["portfolio"]: r for r in governance.rollup(s, "portfolio").iter_rows(named=True)}
    # A: (3 + 3) passed of (4 + 3) judged = 6/7, not the mean of 75% and 100%
    assert by_portfolio["A"]["compliance"] == pytest.approx(6 / 7)
    assert (by_portfolio["A"]["projects_judged"], by_portfolio["A"]["projects_fully_compliant"],
            by_portfolio["A"]["checks_failed"], by_portfolio["A"]["checks_not_measurable"]) == (2, 1, 1, 1)
    assert by_portfolio["B"]["compliance"] == 0.0
    by_manager = governance.rollup(s, "manager")
    assert by_manager["manager"].to_list() == ["Ana", "Bo"]           # Ana 3/6 = 50% first
    assert by_manager["compliance"].to_list() == [pytest.approx(0.5), 1.0]
    nobody = governance.rollup(s.with_columns(pl.lit(None, pl.String).alias("program")), "program")
    assert nobody["program"].to_list() == [governance.NO_VALUE]


def test_kpis():
    k = governance.kpis(frame())
    assert k == {"projects_judged": 3, "compliance": pytest.approx(6 / 9), "projects_fully_compliant": 1,
                 "findings_to_fix": 3, "status_reports_late": 1, "gates_overdue": 1}
    assert governance.kpis(frame().clear())["compliance"] is None


def test_check_scores_per_check():
    c = {r["check_id"]: r for r in governance.check_scores(frame()).iter_rows(named=True)}
    assert (c["status_stale"]["projects_judged"], c["status_stale"]["projects_passing"],
            c["status_stale"]["projects_failing"], c["status_stale"]["compliance"]) == (3, 2, 1, pytest.approx(2 / 3))
    assert c["status_stale"]["limit_text"] == "≤ 10 days"
    assert c["unowned_tasks"]["limit_text"] == "≤ 5%"
    assert c["no_baseline"]["limit_text"] == "none"
    assert (c["dcma_leads"]["projects_not_measurable"], c["dcma_leads"]["compliance"]) == (2, None)
    assert c["dcma_logic"]["check_group"] == "Schedule quality (DCMA)"
    assert governance.check_scores(frame())["check_id"].to_list()[:2] == ["status_stale", "no_baseline"]


def test_limit_text():
    assert governance.limit_text(">=", 0.95, "dcma_bei") == "≥ 0.95"
    assert governance.limit_text(">=", 0.9, "dcma_fs") == "≥ 90%"
    assert governance.limit_text("<", 3, "health_mismatch") == "< 3 reports in a row"
    assert governance.limit_text("<=", 0, "gate_overdue") == "≤ 0 days"


def test_failed_findings_say_why():
    f = governance.failed_findings(frame())
    assert f.select("project_id", "check_name", "finding", "offending_count").rows() == [
        ("P3", "Status report stale", "21 days since the last status report (limit <= 10)", 1),
        ("P1", "Open tasks without an owner", "25.0% (2 of 8) (limit <= 5%)", 2),
        ("P3", "Stage gate overdue with no decision", "14 days overdue (limit <= 0)", 1)]
    assert f["offending_names"][1].to_list() == ["Build", "Test"]


def test_not_measurable_grouped_by_reason():
    n = governance.not_measurable(frame())
    assert n.rows() == [("DCMA 2: leads", "not measurable from X: it has no predecessors", 2, ["P1", "P3"])]


def test_trend_all_checks_and_groups():
    rows = pl.DataFrame([
        {"project_id": "P1", "portfolio": "A", "as_of": D1, "check_group": "reporting", "checks_judged": 2,
         "checks_passed": 2, "checks_failed": 0, "checks_not_measurable": 1},
        {"project_id": "P2", "portfolio": "A", "as_of": D1, "check_group": "reporting", "checks_judged": 2,
         "checks_passed": 1, "checks_failed": 1, "checks_not_measurable": 1},
        {"project_id": "P1", "portfolio": "A", "as_of": D2, "check_group": "reporting", "checks_judged": 2,
         "checks_passed": 2, "checks_failed": 0, "checks_not_measurable": 1},
        {"project_id": "P1", "portfolio": "A", "as_of": D2, "check_group": "schedule", "checks_judged": 10,
         "checks_passed": 6, "checks_failed": 4, "checks_not_measurable": 0},
    ])
    t = governance.trend(rows)
    got = {(r["as_of"], r["series"]): (r["checks_passed"], r["checks_judged"], r["compliance"], r["projects_judged"])
           for r in t.iter_rows(named=True)}
    assert got == {(D1, "All checks"): (3, 4, 0.75, 2), (D1, "Reporting hygiene"): (3, 4, 0.75, 2),
                   (D2, "All checks"): (8, 12, pytest.approx(8 / 12), 1), (D2, "Reporting hygiene"): (2, 2, 1.0, 1),
                   (D2, "Schedule quality (DCMA)"): (6, 10, 0.6, 1)}
    text = governance.judged_change_text(t, D1, D2)
    assert text.startswith(" 12 checks are judged now, 4 on 30 Oct 2026: Schedule quality (DCMA) joined")
    assert governance.judged_change_text(t, None, D2) == ""
