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
