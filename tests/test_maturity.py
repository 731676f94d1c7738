"""PMO maturity scoring (pmo/maturity.py) on a worked assessment, and the question bank."""

from datetime import date

import polars as pl
import pytest

from pmo import maturity as mt
from pmo.config import ROOT

BANK = mt.load_bank(ROOT / "config" / "maturity_questions.toml")


def test_the_bank_covers_every_function_with_five_levels_and_a_licence():
    assert list(BANK.functions) == ["reporting", "governance", "prioritisation", "resources", "raid",
                                    "benefits", "people"]
    assert all(len(BANK.of(f)) >= 2 for f in BANK.functions)
    assert all(len(q.levels) == 5 for q in BANK.questions)
    assert len({q.id for q in BANK.questions}) == len(BANK.questions)
    text = (ROOT / "config" / "maturity_questions.toml").read_text()
    assert "SPDX-License-Identifier: CC-BY-4.0" in text
    assert BANK.level_name(3) == "3 Defined" and BANK.level_name(0) == "Unknown"


def test_function_level_is_the_lowest_answer_and_unknown_is_zero():
    # reporting: REP-1 = 3, REP-2 = 2 -> every question is at or above 2, not all at 3: level 2,
    # mean 2.5. governance: GOV-1 4, GOV-2 4, GOV-3 unknown -> level 0, mean 8 / 3 = 2.6667.
    # prioritisation: nothing answered -> 0, 0 of 2 answered.
    answers = {"REP-1": 3, "REP-2": 2, "GOV-1": 4, "GOV-2": 4, "GOV-3": None}
    levels = {r["function"]: r for r in mt.function_levels(BANK, answers)}
    assert (levels["reporting"]["maturity_level"], levels["reporting"]["maturity_mean"]) == (2, 2.5)
    assert (levels["governance"]["maturity_level"], levels["governance"]["maturity_mean"]) == (0, 2.6667)
    assert levels["governance"]["questions_answered"] == 2 and levels["governance"]["questions"] == 3
    assert levels["prioritisation"]["maturity_level"] == 0 and levels["prioritisation"]["questions_answered"] == 0


def test_change_since_the_last_assessment_and_the_gap_to_target():
    before = mt.function_levels(BANK, {"REP-1": 1, "REP-2": 2})
    now = mt.function_levels(BANK, {"REP-1": 3, "REP-2": 2})
    rows = {r["function"]: r for r in mt.with_change(now, before, {"_default": 3, "reporting": 4})}
    rep = rows["reporting"]
    # level 1 -> 2 (+1), mean 1.5 -> 2.5 (+1.0); target 4 -> gap 2
    assert (rep["maturity_level_change"], rep["maturity_mean_change"]) == (1, 1.0)
    assert (rep["maturity_target"], rep["maturity_gap"]) == (4, 2)
    assert rows["benefits"]["maturity_target"] == 3
    first = mt.with_change(now, None, {"_default": 3})
    assert first[0]["maturity_level_change"] is None


def test_assessment_levels_over_history():
    answers = pl.DataFrame({
        "assessment": ["2025", "2025", "2026", "2026"],
        "assessed_on": [date(2025, 11, 14), date(2025, 11, 14), date(2026, 5, 15), date(2026, 5, 15)],
        "question_id": ["REP-1", "REP-2", "REP-1", "REP-2"], "answer_level": [1, 2, 3, 3]})
    lv = mt.assessment_levels(BANK, answers).filter(pl.col("function") == "reporting")
    assert lv["assessment"].to_list() == ["2025", "2026"]
    assert lv["maturity_level"].to_list() == [1, 3]


def test_measured_evidence_and_contradictions():
    report = pl.DataFrame({
        "project_id": ["P1", "P1", "P2", "P2", "P1", "P1", "P2"],
        "check_id": ["status_stale", "no_status", "status_stale", "no_status", "dcma_logic", "dcma_fs", "dcma_logic"],
        "measurable": [True, True, True, True, True, True, False],
        "passed": [True, True, False, True, True, False, None]})
    m = mt.measures(report, raid_open=4, raid_clean=3)
    # status on time: P1 passes both checks, P2 fails one -> 1 of 2
    assert (m["status_on_time"]["numerator"], m["status_on_time"]["denominator"]) == (1, 2)
    # DCMA: P1 logic pass, P1 fs fail, P2 logic not measurable (left out) -> 1 of 2
    assert m["schedule_quality"]["share"] == 0.5
    assert m["raid_hygiene"]["share"] == 0.75
    assert "baseline_coverage" not in m            # no such check in the report: not measured
    # floors 3 -> 60%, 4 -> 80%, 5 -> 90%
    assert mt.contradiction(3, 0.5, mt.DEFAULT_FLOORS).startswith("answered level 3, but the data shows 50%")
    assert mt.contradiction(2, 0.1, mt.DEFAULT_FLOORS) is None
    assert "level 4 or above needs at least 80%" in mt.contradiction(4, 0.75, mt.DEFAULT_FLOORS)
    assert mt.contradiction(4, 0.8, mt.DEFAULT_FLOORS) is None
    assert mt.contradiction(0, 0.1, mt.DEFAULT_FLOORS) is None


def test_a_broken_bank_is_refused_with_the_question(tmp_path):
    p = tmp_path / "bank.toml"
    p.write_text('[functions.a]\nname="A"\n[[questions]]\nid="A-1"\nfunction="a"\ntext="?"\nlevels=["1","2"]\n')
    with pytest.raises(mt.BankError, match="A-1: needs exactly five"):
        mt.load_bank(p)
