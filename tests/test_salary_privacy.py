"""Privacy that survives arithmetic on the Salary page: for every filter the page offers and every
grouping, an attacker subtracts what is shown (the headline minus the groups shown, the unfiltered
figure minus the filtered one, group by group) and must never isolate fewer than `small_group`
people; no histogram bar holds fewer. Checked on the sample data with the page's own functions,
then on the page itself."""

from __future__ import annotations

import re

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from pmo import query, salaries
from pmo.charts import salary as charts

from conftest import ROOT

SMALL = 5
GROUPINGS = ("benchmark_role", "department", "level", "location")
ADDITIVE = ("staff_count", "below_p25_count", "above_p75_count", "cost_to_p25", "cost_to_p50")
FILTERS = ("country", "department", "level")


def staff(con, **picked) -> pl.DataFrame:
    params = {f: picked.get(f) for f in FILTERS}
    return (query.run(con, "salary_staff", **params).filter(pl.col("match_status") == "placed")
            .with_columns(pl.coalesce("city", "country").alias("location")))


def views(con):
    """(filter, placed staff) for no filter and every single filter value the page offers."""
    options = query.run(con, "salary_filter_options")
    yield {}, staff(con)
    for f in FILTERS:
        for v in options.filter(pl.col("dimension") == f)["value"].to_list():
            yield {f: v}, staff(con, **{f: v})


def people(frame: pl.DataFrame, by: str, groups: list) -> int:
    return frame.filter(pl.col(by).is_in(groups) | (pl.col(by).is_null() if None in groups else False)).height


def test_no_subtraction_isolates_fewer_than_the_threshold(sample_con):
    everyone = staff(sample_con)
    tried = isolated = 0
    for picked, placed in views(sample_con):
        population = everyone if picked else None
        head = salaries.summarise(placed, None, SMALL, population=population).row(0, named=True) \
            if placed.height else None
        if head and not head["suppressed"]:
            # the unfiltered headline minus this one: the people outside the filter
            outside = everyone.height - placed.height
            assert outside == 0 or outside >= SMALL, (picked, outside)
            tried += 1
        for by in GROUPINGS:
            summary = salaries.summarise(placed, by, SMALL, population=population)
            hidden = summary.filter(pl.col("suppressed"))[by].to_list()
            shown = summary.filter(~pl.col("suppressed"))
            # every shown figure is its group's true figure (so the subtraction below is what an
            # attacker would compute), and no shown group is under the threshold
            for row in shown.rows(named=True):
                members = placed.filter(pl.col(by).eq_missing(row[by]))
                assert row["staff_count"] == members.height >= SMALL, (picked, by, row[by])
                assert row["cost_to_p50"] == pytest.approx(members["cost_to_p50"].sum())
            if head and not head["suppressed"] and hidden:
                for figure in ADDITIVE:
                    rest = head[figure] - (shown[figure].sum() if shown.height else 0)
                    truth = placed.filter(pl.col(by).is_in([h for h in hidden if h is not None])
                                          | (pl.col(by).is_null() if None in hidden else pl.lit(False)))
                    expected = truth.height if figure == "staff_count" else (
                        truth[figure].sum() if figure.startswith("cost") else
                        truth.filter((pl.col("base_salary") < pl.col("p25")) if figure == "below_p25_count"
                                     else (pl.col("base_salary") > pl.col("p75"))).height)
                    assert rest == pytest.approx(expected, abs=1e-6)      # the subtraction works ...
                    assert truth.height >= SMALL, (picked, by, figure, hidden)   # ... on 5 or more people
                    tried += 1
            if picked:
                # the unfiltered group minus the filtered one, group by group
                full = {r[by]: r for r in salaries.summarise(everyone, by, SMALL).rows(named=True)}
                for row in shown.rows(named=True):
                    other = full.get(row[by])
                    if other and not other["suppressed"]:
                        gap = other["staff_count"] - row["staff_count"]
                        assert gap == 0 or gap >= SMALL, (picked, by, row[by], gap)
                        tried += 1
            isolated += len(hidden)
        for start, end, n in charts.compa_bins(placed, min_people=SMALL).iter_rows():
            assert n >= SMALL or placed.height < SMALL, (picked, start, end, n)
    assert tried > 100 and isolated > 0       # the sample has small groups: the rules were exercised


def test_a_lone_person_in_a_filtered_department_cannot_be_worked_out(sample_con):
    """The probe from issue 16: with a department filter, headline counts and costs minus the
    groups shown isolated the one person in a suppressed group."""
    everyone = staff(sample_con)
    dept = "PMO - Finance Transformation"            # 5 people: 4 individual contributors, 1 manager
    placed = staff(sample_con, department=dept)
    assert placed.height == 5
    head = salaries.summarise(placed, None, SMALL, population=everyone).row(0, named=True)
    levels = salaries.summarise(placed, "level", SMALL, population=everyone)
    assert levels.filter(pl.col("level") == "Manager")["suppressed"].item()
    # the individual contributors (4) are hidden too, or the headline is: never 5 - 4 = 1 by subtraction
    assert head["suppressed"] or levels["suppressed"].all()


@pytest.mark.app
def test_the_page_shows_no_figure_a_subtraction_could_undo(sample_store_dir, monkeypatch):
    monkeypatch.setenv("PMO_DATA_DIR", str(sample_store_dir))
    monkeypatch.setenv("PMO_ROLE", "viewer")               # aggregates only
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "pages" / "3_Salary_Benchmarks.py"), default_timeout=120)
    at.query_params["staff_department"] = "PMO - Finance Transformation"
    at.query_params["salary_group_by"] = "Level"
    at.run()
    assert not at.exception
    cells = []
    for frame in at.dataframe:
        cells += [str(v) for v in frame.value.to_numpy().ravel()]
    for t in at.table:
        cells += [re.sub(r"\\(.)", r"\1", str(v)) for v in t.value.to_numpy().ravel()]   # Markdown cells
    label = salaries.hidden_label(SMALL)
    # both level groups of this department are hidden (one manager, and the four others with him,
    # or the headline of 5 minus the four would be the manager's pay); the headline covers all 5
    assert cells.count(label) == 2, cells
