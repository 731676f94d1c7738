"""Shared filters narrow each other (pmo/filter_choices.py), worked by hand on five projects."""

from __future__ import annotations

import polars as pl

from pmo.filter_choices import choices

COMBOS = pl.DataFrame({
    "portfolio":  ["Digital", "Digital", "Digital", "Finance", "Finance"],
    "program":    ["Web", "Web", "App", "ERP", None],
    "department": ["Marketing", "Sales", "Marketing", "Finance", "IT"],
    "manager":    ["Ana", "Ben", "Ana", "Cy", "Di"],
    "stage":      ["Execution", "Planning", "Execution", "Execution", "Closing"],
})
LABELS = {"portfolio": "Portfolio", "program": "Program", "department": "Department", "manager": "Manager",
          "stage": "Stage"}
NONE = dict.fromkeys(LABELS)


def test_nothing_chosen_offers_every_value_under_its_plain_label():
    c = choices(COMBOS, NONE, LABELS)
    assert c["department"].options == ["Finance", "IT", "Marketing", "Sales"] and c["department"].total == 4
    assert c["department"].label == "Department"
    assert c["program"].options == ["App", "ERP", "Web"]            # a project without a program adds none


def test_a_portfolio_narrows_the_others_and_the_label_says_by_how_much():
    c = choices(COMBOS, {**NONE, "portfolio": "Digital"}, LABELS)
    assert c["department"].options == ["Marketing", "Sales"]
    assert c["department"].label == "Department (2 of 4 in Digital)"
    assert c["manager"].options == ["Ana", "Ben"] and c["manager"].label == "Manager (2 of 4 in Digital)"
    # the portfolio itself still offers every portfolio (its own choice does not narrow it)
    assert c["portfolio"].options == ["Digital", "Finance"] and c["portfolio"].label == "Portfolio"


def test_two_choices_narrow_together_and_a_filter_that_is_not_narrowed_keeps_its_label():
    c = choices(COMBOS, {**NONE, "portfolio": "Digital", "stage": "Execution"}, LABELS)
    assert c["department"].options == ["Marketing"]
    assert c["department"].label == "Department (1 of 4 in Digital, Execution)"
    assert c["stage"].options == ["Execution", "Planning"]          # by the portfolio only
    assert c["portfolio"].options == ["Digital", "Finance"]         # Execution is in both: not narrowed
    assert c["portfolio"].label == "Portfolio"


def test_a_choice_the_others_exclude_stays_offered_so_nothing_is_cleared_silently():
    c = choices(COMBOS, {**NONE, "portfolio": "Finance", "department": "Sales"}, LABELS)
    assert c["department"].options == ["Finance", "IT", "Sales"]    # Sales kept: the page says no match
    # Sales is Digital's only: Finance stays because it is the portfolio chosen
    assert c["portfolio"].options == ["Digital", "Finance"] and c["portfolio"].label == "Portfolio"
    c = choices(COMBOS, {**NONE, "department": "Sales"}, LABELS)
    assert c["portfolio"].options == ["Digital"] and c["portfolio"].label == "Portfolio (1 of 2 in Sales)"


def test_values_are_quoted_into_labels():
    c = choices(COMBOS, {**NONE, "portfolio": "Digital"}, LABELS, quote=lambda v: f"<{v}>")
    assert c["stage"].label == "Stage (2 of 3 in <Digital>)"
