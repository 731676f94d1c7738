"""Prioritisation maths (pmo/prioritisation.py) against values worked by hand."""

import pytest

from pmo import prioritisation as pr
from pmo.prioritisation import Candidate

# A small instance worked by hand: (cost, score)
A, B, C, D = (Candidate("A", 6, 60), Candidate("B", 5, 45), Candidate("C", 5, 45), Candidate("D", 2, 10))
FOUR = [A, B, C, D]


def greedy_by_ratio(cands, budget):
    """What a ranking by score per cost does: add in ratio order while the budget allows."""
    chosen, spent = [], 0.0
    for c in sorted(cands, key=lambda c: c.score / c.cost, reverse=True):
        if spent + c.cost <= budget:
            chosen.append(c.project_id)
            spent += c.cost
    return chosen


def test_ratio_greedy_is_wrong_and_the_solver_is_right():
    # ratios: A 10, B 9, C 9, D 5. Budget 10: greedy takes A (6) then cannot fit B or C (11),
    # takes D (8): score 70. B + C costs exactly 10 and scores 90.
    greedy = greedy_by_ratio(FOUR, 10)
    assert sorted(greedy) == ["A", "D"]
    assert sum(c.score for c in FOUR if c.project_id in greedy) == 70
    best = pr.select(FOUR, 10)
    assert best.selected == ("B", "C")
    assert (best.total_cost, best.total_score) == (10, 90)


def test_frontier_worked_by_hand_and_monotone():
    # budget -> best set: 2 D(10); 5 B(45); 6 A(60); 8 A+D(70); 10 B+C(90); 11 A+B(105);
    # 13 A+B+D(115); 16 A+B+C(150); 18 all(160)
    budgets = [2, 5, 6, 8, 10, 11, 13, 16, 18]
    front = pr.frontier(FOUR, budgets)
    assert [s.total_score for s in front] == [10, 45, 60, 70, 90, 105, 115, 150, 160]
    assert all(s.total_cost <= b for s, b in zip(front, budgets))
    grid = pr.frontier(FOUR, pr.budget_grid(18, 36))
    scores = [s.total_score for s in grid]
    assert scores == sorted(scores)
    assert pr.budget_grid(18, 3) == [6, 12, 18]


def test_dependencies_are_respected():
    # A only with D: at budget 6 A alone is not allowed -> B (45); at 8 A + D (70)
    deps = [("A", "D")]
    assert pr.select(FOUR, 6, depends_on=deps).selected in {("B",), ("C",)}
    assert pr.select(FOUR, 6, depends_on=deps).total_score == 45
    assert pr.select(FOUR, 8, depends_on=deps).selected == ("A", "D")
    # a chain and a cycle: B needs C and C needs B -> both or neither
    cyc = [("B", "C"), ("C", "B")]
    assert pr.select(FOUR, 9, depends_on=cyc).selected == ("A", "D")     # B+C (10) does not fit
    assert pr.select(FOUR, 10, depends_on=cyc).selected == ("B", "C")


def test_forced_choices_are_respected():
    # forced out B at 10: C + D (55) or A + D (70) -> A + D
    assert pr.select(FOUR, 10, forced_out=["B"]).selected == ("A", "D")
    # forced in D at 10: D + A (70) beats D + B (55)
    assert pr.select(FOUR, 10, forced_in=["D"]).selected == ("A", "D")
    # forced in D, A out: D with B or C (55, cost 7)
    s = pr.select(FOUR, 10, forced_in=["D"], forced_out=["A"])
    assert s.total_score == 55 and "D" in s.selected and "A" not in s.selected
    # forced in beyond the budget: infeasible, said why
    bad = pr.select(FOUR, 10, forced_in=["A", "B"])
    assert not bad.feasible and "cost 11" in bad.problem
    # forced in A which depends on forced-out D
    bad = pr.select(FOUR, 18, forced_in=["A"], forced_out=["D"], depends_on=[("A", "D")])
    assert not bad.feasible and "D" in bad.problem
    # forcing in pulls in what the project depends on even when its own cost fits
    bad = pr.select(FOUR, 7, forced_in=["A"], depends_on=[("A", "D")])
    assert not bad.feasible and "cost 8" in bad.problem


def test_capacity_rows_limit_the_selection():
    # each project needs designer hours; only 100 h: A 80 h, B 60 h, C 30 h, D 10 h
    cands = [Candidate(c.project_id, c.cost, c.score, {"designer 2027-Q1": h})
             for c, h in zip(FOUR, (80, 60, 30, 10))]
    # budget 18 would take everything (160); 100 h allows A+D (90 h, 70) or B+C+D (100 h, 100)
    s = pr.select(cands, 18, capacity={"designer 2027-Q1": 100})
    assert s.selected == ("B", "C", "D") and s.total_score == 100


def test_ties_go_to_the_cheaper_set():
    cands = [Candidate("X", 10, 50), Candidate("Y", 4, 50)]
    assert pr.select(cands, 10).selected == ("Y",)


def test_normalise_and_weighted_scores():
    raw = {"A": {"value": 10, "risk": 4}, "B": {"value": 20, "risk": 2}, "C": {"value": 30, "risk": None}}
    n = pr.normalise(raw, ["value", "risk"], lower_is_better={"risk"})
    assert n == {"A": {"value": 0.0, "risk": 0.0}, "B": {"value": 0.5, "risk": 1.0},
                 "C": {"value": 1.0, "risk": 0.0}}
    assert pr.weighted_scores(n, {"value": 60, "risk": 40}) == {"A": 0.0, "B": 70.0, "C": 60.0}
    # every candidate equal on a criterion: it adds nothing
    same = pr.normalise({"A": {"v": 3}, "B": {"v": 3}}, ["v"])
    assert same == {"A": {"v": 0.0}, "B": {"v": 0.0}}


def test_ratings_and_weights_checks():
    assert [pr.rating_value(v) for v in ("Strong", " moderate ", "None", "7.5", "", None, 3)] == \
        [3.0, 2.0, 0.0, 7.5, None, None, 3.0]
    assert pr.check_weights({"a": 60, "b": 40}) == []
    assert "add up to 90" in pr.check_weights({"a": 50, "b": 40})[0]
    assert pr.parse_weights(pr.weights_text({"Value": 60, "Risk": 40})) == {"Value": 60, "Risk": 40}


def test_pairwise_weights_match_the_worked_example():
    # A = [[1,3,5],[1/3,1,3],[1/5,1/3,1]]: row products 15, 1, 1/15; geometric means 2.4662, 1,
    # 0.4055 (sum 3.8717) -> 63.70%, 25.83%, 10.47%; A w / w = 3.0385 each -> lambda 3.0385,
    # CI = 0.0193, RI(3) = 0.58 -> CR = 0.033
    m = [[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]]
    w, cr = pr.pairwise_weights(["value", "alignment", "risk"], m)
    assert w["value"] == pytest.approx(63.70, abs=0.01)
    assert w["alignment"] == pytest.approx(25.83, abs=0.01)
    assert w["risk"] == pytest.approx(10.47, abs=0.01)
    assert sum(w.values()) == pytest.approx(100)
    assert cr == pytest.approx(0.033, abs=0.001)
    # an inconsistent matrix: a > b (3), b > c (3), but c > a (3)
    _, bad = pr.pairwise_weights(["a", "b", "c"], [[1, 3, 1 / 3], [1 / 3, 1, 3], [3, 1 / 3, 1]])
    assert bad > pr.CONSISTENT_CR
    with pytest.raises(pr.PrioritisationError, match="1 / the other"):
        pr.pairwise_weights(["a", "b"], [[1, 2], [2, 1]])


def test_compare_says_who_enters_and_leaves_and_why():
    a = pr.Scenario("Draft", 10, {"value": 100}, frozenset({"A", "D"}), scores={"A": 60, "B": 45, "C": 45, "D": 10})
    b = pr.Scenario("Board", 10, {"value": 100}, frozenset({"B", "C"}), forced_in=frozenset({"B"}),
                    scores={"A": 60, "B": 45, "C": 45, "D": 10})
    rows = {r["project_id"]: r for r in pr.compare(a, b)}
    assert set(rows) == {"A", "B", "C", "D"}
    assert rows["B"]["change"] == "enters" and "forced in by Board" in rows["B"]["reason"]
    assert rows["A"]["change"] == "leaves"
    assert rows["C"]["reason"] == "another combination of projects gives more score within the same budget"


# ---- role capacity through the page's analysis (queries' rows -> capacity dict -> reasons) ----
# Three projects, one role, one quarter (Developer, FY2027 Q1 = Dec 2026 .. Feb 2027 with a
# December fiscal year), 100 h of capacity. Weights Value 60, Urgency 40:
#   P1 Value 10 Urgency 0  -> 60 x 1   + 40 x 0   = 60   cost 40   needs 60 h
#   P2 Value 5  Urgency 10 -> 60 x 0.5 + 40 x 1   = 70   cost 30   needs 50 h
#   P3 Value 0  Urgency 5  -> 60 x 0   + 40 x 0.5 = 20   cost 20   needs 40 h
# Budget 100 covers all three (90): the budget alone selects P1+P2+P3 (150). With 100 h:
# P1+P2 = 110 h too many; P1+P3 = 100 h scores 80; P2+P3 = 90 h scores 90 -> P2+P3. P1 beside them
# would need 50 + 40 + 60 = 150 h of 100 h.
def _capacity_case(other_hours: float = 0.0):
    import polars as pl
    from datetime import date

    q1 = date(2026, 12, 1)
    cands = pl.DataFrame({"project_id": ["P1", "P2", "P3"], "project_name": ["One", "Two", "Three"],
                          "stage": ["Proposal"] * 3, "priority_cost": [40.0, 30.0, 20.0]})
    scores = pl.DataFrame({"project_id": ["P1", "P1", "P2", "P2", "P3", "P3"],
                           "criterion": ["Value", "Urgency"] * 3, "score": [10.0, 0.0, 5.0, 10.0, 0.0, 5.0]})
    deps = pl.DataFrame(schema={"project_id": pl.String, "blocker_project_id": pl.String})
    cap = pl.DataFrame({"capacity_role": ["Developer"], "period_start": [q1], "fiscal_year": [2027],
                        "fiscal_quarter": [1], "role_capacity_hours": [100.0]})
    dem = pl.DataFrame({
        "project_id": ["P1", "P2", "P3", "X9", "X8", "P1"],
        "project_stage": ["Proposal", "Proposal", "Proposal", "Execution", "Closed", "Proposal"],
        # X9: an open project outside the candidates (its hours come off first); X8 closed: ignored;
        # P1's Architect hours: no one holds that role, so they limit nothing
        "capacity_role": ["Developer"] * 5 + ["Architect"],
        "period_start": [q1] * 6, "fiscal_year": [2027] * 6, "fiscal_quarter": [1] * 6,
        "remaining_demand_hours": [60.0, 50.0, 40.0, other_hours, 500.0, 16.0],
        "unmatched_hours": [0.0, 0.0, 8.0, 0.0, 0.0, 0.0]})
    cfg = pr.Settings(weights={"Value": 60, "Urgency": 40}, lower_is_better=frozenset(),
                      proposal_stages=frozenset({"Proposal"}), closed_stages=frozenset({"Closed"}), frontier_steps=3)
    return cands, scores, deps, cfg, cap, dem


def _decisions(a):
    return {r["project_id"]: (r["selection"], r["selection_reason"]) for r in a.table.iter_rows(named=True)}


def test_role_capacity_decides_the_selection_and_names_the_binding_row():
    cands, scores, deps, cfg, cap, dem = _capacity_case()
    free = pr.analyse(cands, scores, deps, cfg, cfg.weights, 100.0)
    assert sorted(free.selection.selected) == ["P1", "P2", "P3"] and free.selection.total_score == 150
    a = pr.analyse(cands, scores, deps, cfg, cfg.weights, 100.0, capacity_rows=cap, demand_rows=dem)
    assert a.capacity.available == {"Developer · FY2027 Q1": 100.0}
    assert a.capacity.demand == {"P1": {"Developer · FY2027 Q1": 60.0}, "P2": {"Developer · FY2027 Q1": 50.0},
                                 "P3": {"Developer · FY2027 Q1": 40.0}}
    assert a.capacity.unconstrained == {"Architect · FY2027 Q1": 16.0} and a.capacity.unmatched_hours == 8
    assert a.selection.selected == ("P2", "P3") and a.selection.total_score == 90 and a.selection.total_cost == 50
    got = _decisions(a)
    assert got["P1"] == ("Not selected", "left out: Developer · FY2027 Q1 would need 150 h of 100 h available")
    assert got["P2"][0] == got["P3"][0] == "Selected"
    use = a.capacity_use.row(0, named=True)
    assert (use["role_capacity_hours"], use["other_work_hours"], use["available_hours"],
            use["selected_demand_hours"], use["spare_hours"]) == (100, 0, 100, 90, 10)
    # the frontier keeps the same limit: even the whole budget (90) scores 90, not 150
    assert a.frontier["frontier_score"].to_list()[-1] == 90


def test_other_projects_take_the_role_first_and_forced_in_over_capacity_is_named():
    # X9 (open, not a candidate) books 10 h: 90 h left, and P2+P3 need exactly 90 -> still P2+P3
    cands, scores, deps, cfg, cap, dem = _capacity_case(10.0)
    a = pr.analyse(cands, scores, deps, cfg, cfg.weights, 100.0, capacity_rows=cap, demand_rows=dem)
    assert a.selection.selected == ("P2", "P3")
    assert _decisions(a)["P1"][1] == "left out: Developer · FY2027 Q1 would need 150 h of 90 h available"
    # 20 h booked elsewhere: 80 h left. P2+P3 (90 h) no longer fits; alone P2 scores 70, P1 60, P3 20
    # -> P2. Beside P2 (50 h): P1 would need 110 h of 80, P3 90 h of 80.
    cands, scores, deps, cfg, cap, dem = _capacity_case(20.0)
    a = pr.analyse(cands, scores, deps, cfg, cfg.weights, 100.0, capacity_rows=cap, demand_rows=dem)
    assert a.selection.selected == ("P2",)
    got = _decisions(a)
    assert got["P1"][1] == "left out: Developer · FY2027 Q1 would need 110 h of 80 h available"
    assert got["P3"][1] == "left out: Developer · FY2027 Q1 would need 90 h of 80 h available"
    # forcing P1 and P2 in: 110 h of 80 -> no selection, and the message names the row
    a = pr.analyse(cands, scores, deps, cfg, cfg.weights, 100.0, ["P1", "P2"], [], capacity_rows=cap,
                   demand_rows=dem)
    assert not a.selection.feasible
    assert a.selection.problem == ("the forced-in projects and what they depend on need 110 h of Developer · "
                                   "FY2027 Q1, more than the 80 h available")
    assert a.capacity_use["selected_demand_hours"].to_list() == [110] and a.capacity_use["spare_hours"].to_list() == [-30]


def test_a_scenario_that_switches_role_capacity_on_says_so():
    a = pr.Scenario("Budget only", 100, {"Value": 100}, frozenset({"P1", "P2", "P3"}))
    b = pr.Scenario("With capacity", 100, {"Value": 100}, frozenset({"P2", "P3"}), respect_capacity=True)
    assert pr.compare(a, b) == [{"project_id": "P1", "change": "leaves",
                                 "reason": "role capacity respected by With capacity"}]


# ---- the two queries on a hand-made store -----------------------------------------------------
# Fiscal year from December: FY2027 Q1 = Dec 2026 .. Feb 2027, Q2 = Mar .. May 2027. The last
# timesheet day is Fri 29 Jan 2027, so only 30 Jan onwards counts. People in Testland (no public
# holiday calendar), Monday-Friday:
#   E1 Developer 40 h (8 h a day), E2 Developer 20 h (4 h a day).
#   Feb 2027 has 20 working days (Mon 1 .. Fri 26): Q1 left = 20 x 8 + 20 x 4 = 240 h.
#   The calendar runs to the end of the last month with demand, March: 23 working days (1-5, 8-12,
#   15-19, 22-26, 29-31): Q2 = 23 x 12 = 276 h.
# Demand after 29 Jan:
#   P1: E1 4 h a day 1 Feb .. 5 Mar -> Feb 20 x 4 = 80 h (Q1), Mar 1-5 5 x 4 = 20 h (Q2);
#       E1's 8 h a day in the week of 25 Jan is before the last logged day: not counted.
#   P2: E2 50% of 4 h, 8-12 Feb -> 10 h (Q1); a placeholder Tester, 30 h over 1-5 Feb (Q1);
#       Free Lancer (no HR contract, role Developer) 2 h a day 1-5 Feb -> 10 h unmatched (Q1).
def _resource_store(root):
    from datetime import date

    from helpers.canonical import connect

    def contract(eid, name, weekly):
        return {"kind": "contract", "employee_id": eid, "person_name": name, "location": "Testville",
                "country": "Testland", "weekly_hours": weekly, "role": "Developer", "department": "Delivery"}

    d = date
    return connect(root, {
        "projects": [{"project_id": "P1", "project_name": "One", "stage": "Execution"},
                     {"project_id": "P2", "project_name": "Two", "stage": "Proposal"}],
        "capacity": [contract("E1", "Dev One", 40.0), contract("E2", "Dev Two", 20.0)],
        "allocations": [
            {"project_id": "P1", "employee_id": "E1", "start_date": d(2027, 1, 25), "end_date": d(2027, 1, 29),
             "hours_per_day": 8.0},
            {"project_id": "P1", "employee_id": "E1", "start_date": d(2027, 2, 1), "end_date": d(2027, 3, 5),
             "hours_per_day": 4.0},
            {"project_id": "P2", "employee_id": "E2", "start_date": d(2027, 2, 8), "end_date": d(2027, 2, 12),
             "allocation_pct": 0.5},
            {"project_id": "P2", "role": "Tester", "is_placeholder": True, "start_date": d(2027, 2, 1),
             "end_date": d(2027, 2, 5), "hours": 30.0},
            {"project_id": "P2", "person_name": "Free Lancer", "role": "Developer", "start_date": d(2027, 2, 1),
             "end_date": d(2027, 2, 5), "hours_per_day": 2.0},
        ],
        "time_entries": [{"work_date": d(2027, 1, 29), "hours": 8.0, "project_id": "P1", "employee_id": "E1"}],
    })


def test_role_capacity_and_demand_queries_on_a_hand_made_store(tmp_path):
    from datetime import date

    from pmo import query

    con = _resource_store(tmp_path / "store")
    cap = query.run(con, "priority_role_capacity", fiscal_start_month=12)
    assert cap.rows() == [("Developer", date(2026, 12, 1), 2027, 1, 240.0, 2),
                          ("Developer", date(2027, 3, 1), 2027, 2, 276.0, 2)]
    dem = query.run(con, "priority_role_demand", fiscal_start_month=12)
    assert dem.rows() == [("P1", "Execution", "Developer", date(2026, 12, 1), 2027, 1, 80.0, 0.0),
                          ("P1", "Execution", "Developer", date(2027, 3, 1), 2027, 2, 20.0, 0.0),
                          ("P2", "Proposal", "Developer", date(2026, 12, 1), 2027, 1, 10.0, 10.0),
                          ("P2", "Proposal", "Tester", date(2026, 12, 1), 2027, 1, 30.0, 0.0)]
    # into the solver's terms: P2 is the only choice, P1 (open, not a choice) takes its hours first
    plan = pr.capacity_plan(cap, dem, {"P2"})
    assert plan.available == {"Developer · FY2027 Q1": 160.0, "Developer · FY2027 Q2": 256.0}
    assert plan.demand == {"P2": {"Developer · FY2027 Q1": 10.0}}
    assert plan.unconstrained == {"Tester · FY2027 Q1": 30.0} and plan.unmatched_hours == 10


def test_a_first_solution_does_not_change_the_answer():
    # A + D (70) fits 10 and is a poor start: the solver still finds B + C (90)
    assert pr.select(FOUR, 10, start=("A", "D")).selected == ("B", "C")
    assert pr.select(FOUR, 10, start=()).selected == ("B", "C")


def test_the_frontier_is_the_same_solved_side_by_side(monkeypatch):
    import random

    rng = random.Random(7)
    cands = [Candidate(f"P{i:02d}", rng.randint(1, 40), round(rng.uniform(1, 100), 3)) for i in range(60)]
    deps = [(f"P{a:02d}", f"P{b:02d}") for a, b in ((3, 7), (7, 11), (20, 21), (40, 2))]
    grid = pr.budget_grid(sum(c.cost for c in cands), 12)
    two = pr.frontier(cands, grid, depends_on=deps)
    monkeypatch.setattr(pr, "FRONTIER_WORKERS", 1)
    one = pr.frontier(cands, grid, depends_on=deps)
    assert [s.selected for s in two] == [s.selected for s in one]
    assert [s.total_score for s in two] == sorted(s.total_score for s in two)
    # and each point fits its budget
    for s, b in zip(two, grid):
        assert s.total_cost <= b
