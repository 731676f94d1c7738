"""The Home brief (pmo/brief.py): sentences from hand-made figures, names escaped, nothing said
that the figures do not support."""

from __future__ import annotations

from datetime import date

import polars as pl

from pmo import brief

CURRENT = {"as_of_date": date(2026, 11, 20), "active_projects": 12, "red_count": 2, "amber_count": 3,
           "milestones_missed_30_count": 1, "milestones_due_30_count": 4}
PREVIOUS = {**CURRENT, "as_of_date": date(2026, 10, 30)}


def changes(rows):
    return pl.DataFrame(rows, schema={"project_id": pl.String, "project_name": pl.String, "before": pl.String,
                                      "after": pl.String, "change": pl.String, "health_reason": pl.String},
                        orient="row")


def test_health_sentences_name_who_turned_red_and_who_recovered():
    changed = changes([("P1", "Alpha", "amber", "red", "worse", ""), ("P2", "Beta", "green", "red", "worse", ""),
                       ("P3", "Gamma", "green", "amber", "worse", ""), ("P4", "Delta", "red", "green", "better", "")])
    lines = brief.health_lines(CURRENT, PREVIOUS, changed)
    assert [ln.text for ln in lines] == [
        "**2 projects turned red** since 30 Oct 2026: P1 Alpha and P2 Beta.",
        "**1 project got worse** since 30 Oct 2026: P3 Gamma (now amber).",
        "**1 project recovered** since 30 Oct 2026: P4 Delta (now green).",
        "Of 12 active projects at 20 Nov 2026, **2 are red** and 3 amber, computed from their numbers by the "
        "health rules.",
        "**1 milestone missed** in the last 30 days; 4 milestones due in the next 30.",
    ]
    assert [ln.tone for ln in lines] == ["bad", "bad", "good", "bad", "bad"]
    assert all(ln.link.startswith("[") and ln.link.endswith("(Portfolio_Health)") for ln in lines)


def test_more_than_three_names_are_counted_and_names_are_escaped():
    changed = changes([(f"P{i}", "[x](https://example.invalid)", "green", "red", "worse", "") for i in range(5)])
    text = brief.health_lines(CURRENT, PREVIOUS, changed)[0].text
    assert text.endswith("and 2 more.")
    assert "](https" not in text and r"\[x\]\(https" in text


def test_no_change_and_first_status_date():
    assert brief.health_lines(CURRENT, PREVIOUS, changes([]))[0].text == "No project changed colour since 30 Oct 2026."
    first = brief.health_lines(CURRENT, None, changes([]))
    assert first[0].text.startswith("Of 12 active projects")     # nothing to compare with: no change sentence
    assert brief.health_lines(None, None, changes([])) == []


def test_budget_sentence_from_the_ledger_totals():
    total = {"ledger_budget": 1_870_000.0, "fac": 2_136_000.0, "forecast_variance": -266_000.0,
             "forecast_variance_pct": -266_000 / 1_870_000}
    flags = pl.DataFrame({"project_id": ["P3", "P1", "P2", "P4"], "project_name": ["Gamma", "Alpha", "Beta", "D"],
                          "flag": ["red", "red", "amber", None],
                          "overrun_amount": [150_000.0, 100_000.0, 16_000.0, -5_000.0]})
    (line,) = brief.budget_line(total, flags, "USD")
    assert line.text == ("**FAC (ledger forecast): $2.14M, $266K (14.2%) over** the $1.87M ledger budget. "
                         "3 projects flagged; largest: P3 Gamma ($150K over), P1 Alpha ($100K over) and "
                         "P2 Beta ($16K over).")
    assert line.tone == "bad" and line.link == "[Where we are over](Budget_Variance)"
    under = brief.budget_line({**total, "fac": 1_800_000.0, "forecast_variance": 70_000.0,
                               "forecast_variance_pct": 0.037}, flags.filter(pl.col("flag").is_null()), "USD")
    assert under[0].text == "FAC (ledger forecast): $1.80M, within the $1.87M ledger budget."
    assert brief.budget_line(None, flags, "USD") == []


def test_pay_sentence_only_when_not_suppressed():
    row = {"suppressed": False, "median_compa_ratio": 0.8512, "below_p25_count": 13, "cost_to_p25": 219_000.0}
    (line,) = brief.pay_line(row, 5, "USD")
    assert line.text == ("PMO pay: Compa-ratio (median) **0.85**, below the market median; 13 people below the "
                         "25th percentile ($219K a year to bring them there).")
    assert brief.pay_line({**row, "suppressed": True, "median_compa_ratio": None}, 5, "USD") == []
