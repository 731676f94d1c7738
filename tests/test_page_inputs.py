"""Writes from the Prioritisation and Maturity pages (pmo/page_inputs.py): each a store version
through the importers, roles and row scope respected, every write and refusal audited, rollback
restores the earlier list. Also the three importers on hand-written files."""

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from pmo import audit, page_inputs
from pmo.auth import Role
from pmo.ingest import ingest_files, rollback
from pmo.store import Store

ADMIN = Role("admin", "admin", actions=frozenset({"ingest", "export", "view_pages"}))
ANALYST_A = Role("analyst_a", "analyst", portfolios=("A",), actions=frozenset({"ingest", "export", "view_pages"}))
VIEWER = Role("viewer", "viewer", actions=frozenset({"view_pages", "export"}))


def scores(store: Store) -> dict:
    df = page_inputs.current(store, "project_scores")
    return {(r["project_id"], r["criterion"]): (r["score"], r["rating"], r["scored_by"]) for r in df.iter_rows(named=True)}


def events(store: Store, action: str) -> list[dict]:
    return audit.read_events(store.root, action=action)


def test_a_viewer_cannot_write_and_the_refusal_is_audited(store):
    with pytest.raises(page_inputs.NotAllowed, match="may only view"):
        page_inputs.save_scores(store, [{"project_id": "P1", "criterion": "Value", "score": "5"}],
                                role=VIEWER, user="vera")
    assert store.current_version() == 0
    refused = events(store, "decide_refused")
    assert refused[-1]["user"] == "vera" and refused[-1]["role"] == "viewer"
    with pytest.raises(page_inputs.NotAllowed):
        page_inputs.save_scenario(store, "S", [], budget=1, weights="", currency="USD", note=None,
                                  role=VIEWER, user="vera")
    with pytest.raises(page_inputs.NotAllowed):
        page_inputs.save_assessment(store, "2026 H2", date(2026, 12, 1), [], role=VIEWER, user="vera")
    assert store.current_version() == 0


def test_scores_are_versions_and_rollback_restores_them(store):
    v1 = page_inputs.save_scores(store, [{"project_id": "P1", "criterion": "Value", "score": "Strong"},
                                         {"project_id": "P2", "criterion": "Value", "score": "7.5"}],
                                 role=ADMIN, user="ana")
    assert scores(store) == {("P1", "Value"): (3.0, "Strong", "ana"), ("P2", "Value"): (7.5, "7.5", "ana")}
    # change one, remove the other: the whole list is published again
    v2 = page_inputs.save_scores(store, [{"project_id": "P1", "criterion": "Value", "score": "2"},
                                         {"project_id": "P2", "criterion": "Value", "score": None}],
                                 role=ADMIN, user="bo")
    assert v2 == v1 + 1
    assert scores(store) == {("P1", "Value"): (2.0, "2", "bo")}
    decided = events(store, "decide")
    assert [e["detail"]["version"] for e in decided] == [v1, v2]
    assert "scores of 2 projects" in decided[-1]["detail"]["what"]
    rollback(store, v1, user="admin")
    assert scores(store)[("P2", "Value")] == (7.5, "7.5", "ana")


def test_a_scoped_analyst_writes_only_within_scope_and_keeps_the_rest(store):
    page_inputs.save_scores(store, [{"project_id": "P1", "criterion": "Value", "score": "1"},
                                    {"project_id": "P9", "criterion": "Value", "score": "9"}], role=ADMIN, user="ana")
    with pytest.raises(page_inputs.NotAllowed, match="P9 is outside it"):
        page_inputs.save_scores(store, [{"project_id": "P9", "criterion": "Value", "score": "2"}],
                                role=ANALYST_A, user="sam", in_scope={"P1"})
    page_inputs.save_scores(store, [{"project_id": "P1", "criterion": "Value", "score": "4"}],
                            role=ANALYST_A, user="sam", in_scope={"P1"})
    assert scores(store) == {("P1", "Value"): (4.0, "4", "sam"), ("P9", "Value"): (9.0, "9", "ana")}
    # and it may not answer the PMO-wide maturity assessment
    with pytest.raises(page_inputs.NotAllowed, match="whole PMO"):
        page_inputs.save_assessment(store, "2026 H2", date(2026, 12, 1), [{"question_id": "REP-1", "level": 3}],
                                    role=ANALYST_A, user="sam")


def rows(selected: dict[str, bool], forced: dict[str, str] | None = None) -> list[dict]:
    forced = forced or {}
    return [{"project_id": p, "selected": s, "forced": forced.get(p), "cost": 10.0, "score": 50.0}
            for p, s in selected.items()]


def test_scenarios_save_replace_delete_and_scope(store):
    page_inputs.save_scenario(store, "Board", rows({"P1": True, "P9": False}), budget=10, weights="Value=100",
                              currency="USD", note="first", role=ADMIN, user="ana")
    page_inputs.save_scenario(store, "Lean", rows({"P1": False}, {"P1": "out"}), budget=5, weights="Value=100",
                              currency="USD", note=None, role=ANALYST_A, user="sam", in_scope={"P1"})
    df = page_inputs.current(store, "priority_scenarios")
    assert sorted(df["scenario"].unique().to_list()) == ["Board", "Lean"]
    lean = df.filter(pl.col("scenario") == "Lean").row(0, named=True)
    assert (lean["forced"], lean["selected"], lean["budget"], lean["saved_by"]) == ("out", False, 5.0, "sam")
    # the scoped analyst may not replace or delete 'Board': it holds P9, outside its scope
    with pytest.raises(page_inputs.NotAllowed, match="P9"):
        page_inputs.save_scenario(store, "Board", rows({"P1": True}), budget=1, weights="", currency="USD",
                                  note=None, role=ANALYST_A, user="sam", in_scope={"P1"})
    with pytest.raises(page_inputs.NotAllowed, match="P9"):
        page_inputs.delete_scenario(store, "Board", role=ANALYST_A, user="sam", in_scope={"P1"})
    # the admin replaces it, then deletes 'Lean'; deleting the last one leaves an empty list
    page_inputs.save_scenario(store, "Board", rows({"P1": True}), budget=12, weights="Value=100", currency="USD",
                              note=None, role=ADMIN, user="ana")
    page_inputs.delete_scenario(store, "Lean", role=ADMIN, user="ana")
    df = page_inputs.current(store, "priority_scenarios")
    assert df["scenario"].to_list() == ["Board"] and df["budget"].to_list() == [12.0]
    page_inputs.delete_scenario(store, "Board", role=ADMIN, user="ana")
    assert page_inputs.current(store, "priority_scenarios").is_empty()


def test_a_scenario_keeps_its_role_capacity_switch_and_an_old_list_reads_as_off(store, tmp_path):
    page_inputs.save_scenario(store, "Staffed", rows({"P1": True}), budget=10, weights="Value=100", currency="USD",
                              note=None, role=ADMIN, user="ana", respect_capacity=True)
    page_inputs.save_scenario(store, "Budget only", rows({"P1": True}), budget=10, weights="Value=100",
                              currency="USD", note=None, role=ADMIN, user="ana")
    df = page_inputs.current(store, "priority_scenarios")
    assert dict(df.select("scenario", "respect_capacity").unique().iter_rows()) == {"Staffed": True,
                                                                                   "Budget only": False}
    # a list saved before the column existed (12 columns) still loads: no switch, read as off
    old = tmp_path / "pmo-scenarios.csv"
    old.write_text("Scenario,Project ID,Selected,Forced,Cost,Score,Budget,Weights,Currency,Saved by,Saved at,Note\n"
                   "Old,P1,yes,,10,50,10,Value=100,USD,ana,2026-12-01T09:00:00,\n")
    ingest_files(store, [old], user="ana")
    got = page_inputs.current(store, "priority_scenarios")
    assert got["scenario"].to_list() == ["Old"] and got["respect_capacity"].to_list() == [None]


def test_assessments_keep_history_and_authors(store):
    page_inputs.save_assessment(store, "2026 H1", date(2026, 5, 15),
                                [{"question_id": "REP-1", "level": 3, "evidence": "wiki"},
                                 {"question_id": "REP-2", "level": 2}], role=ADMIN, user="ana")
    page_inputs.save_assessment(store, "2026 H2", date(2026, 11, 20),
                                [{"question_id": "REP-1", "level": 4}], role=ADMIN, user="bo")
    # answering 2026 H1 again: the unchanged answer keeps its author, the changed one is bo's
    page_inputs.save_assessment(store, "2026 H1", date(2026, 5, 15),
                                [{"question_id": "REP-1", "level": 3, "evidence": "wiki"},
                                 {"question_id": "REP-2", "level": 3}], role=ADMIN, user="bo")
    df = page_inputs.current(store, "maturity_answers").sort("assessment", "question_id")
    got = [(r["assessment"], r["question_id"], r["answer_level"], r["answered_by"]) for r in df.iter_rows(named=True)]
    assert got == [("2026 H1", "REP-1", 3, "ana"), ("2026 H1", "REP-2", 3, "bo"), ("2026 H2", "REP-1", 4, "bo")]


# ---- importers on hand-written files --------------------------------------------------------
def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


def test_scoring_sheet_reads_ratings_and_rejects_bad_rows(store, tmp_path):
    f = write(tmp_path, "scores_2026-11-20.csv",
              "Project ID,Project name,Criterion,Score,Scored by,Scored at,Note\n"
              "P1,One,Strategic alignment,Strong,ana,2026-11-13,pillar 1\n"
              "P1,One,Financial value,7.5,ana,2026-11-13,\n"
              "P2,Two,Strategic alignment,Very much,ana,2026-11-13,\n"
              "P2,Two,Financial value,,ana,2026-11-13,\n"
              ",Three,Urgency,3,ana,2026-11-13,\n"
              "P1,One,Financial value,8,ana,2026-11-13,again\n")
    out = ingest_files(store, [f])[0]
    assert out.tool == "scoring_sheet"
    got = scores(store)
    assert got[("P1", "Strategic alignment")][:2] == (3.0, "Strong")
    assert got[("P1", "Financial value")][:2] == (7.5, "7.5")
    assert got[("P2", "Financial value")][0] is None           # an empty score is kept as not scored
    reasons = {r.row: r.reason for r in out.rejects}
    assert "neither a number nor a rating" in reasons[4]
    assert "names no project" in reasons[6]
    assert "already scored" in reasons[7]


def test_maturity_sheet_reads_levels_and_rejects_unknown_questions(store, tmp_path):
    f = write(tmp_path, "maturity.csv",
              "Assessment,Assessment date,Question ID,Question,Level,Evidence,Answered by,Answered at\n"
              "2026 H1,2026-05-15,REP-1,How regularly ...,3 Defined,wiki,ana,2026-05-15\n"
              "2026 H1,2026-05-15,rep-2,,Unknown,,ana,2026-05-15\n"
              "2026 H1,2026-05-15,XYZ-9,,2,,ana,2026-05-15\n"
              "2026 H1,2026-05-15,GOV-1,,7,,ana,2026-05-15\n")
    out = ingest_files(store, [f])[0]
    assert out.tool == "maturity_assessment" and out.source == "maturity_assessment:assessment:2026 H1"
    df = page_inputs.current(store, "maturity_answers").sort("question_id")
    assert list(zip(df["question_id"], df["answer_level"])) == [("REP-1", 3), ("REP-2", 0)]
    reasons = {r.row: r.reason for r in out.rejects}
    assert "not a question of the bank" in reasons[4] and "0 (unknown) to 5" in reasons[5]
