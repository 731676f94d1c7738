"""Issue 10: no page element sends more than tables.ROW_LIMIT rows to the browser.

The paging helper on hand-worked page boundaries; the chart helpers that pick or count before
charting (worst projects, compa-ratio bins, health counts, the milestone timeline's projects); the
helper under AppTest on a 1,201-row frame; and the three big pages on the sample store with the
limits shrunk (PAGE_SIZE 10, TOP_ROWS 5, LIST_ITEMS 3, CHART_POINTS 2-3), where every element must stay within
them and say how many rows there are in all.
"""

from __future__ import annotations

import json
from datetime import date

import polars as pl
import pyarrow as pa
import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest

from pmo import health, query
from pmo.charts import health as health_charts
from pmo.charts import salary as salary_charts
from pmo.ui import tables

ALL = {"portfolio": None, "program": None, "department": None, "manager": None, "stage": None}


# ---------------------------------------------------------------------------------------------
# Page boundaries
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("total", "page", "size", "expected"), [
    # 1,201 rows, 500 a page: 1-500, 501-1,000, 1,001-1,201
    (1201, 1, 500, (1, 3, 0, 500)),
    (1201, 2, 500, (2, 3, 500, 1000)),
    (1201, 3, 500, (3, 3, 1000, 1201)),
    (1201, 0, 500, (1, 3, 0, 500)),          # below the first page: the first
    (1201, 9, 500, (3, 3, 1000, 1201)),      # past the last page (the data shrank): the last
    (1000, 2, 500, (2, 2, 500, 1000)),       # exactly two full pages
    (1001, 3, 500, (3, 3, 1000, 1001)),      # one row on the last page
    (7, 1, 500, (1, 1, 0, 7)),
    (0, 1, 500, (1, 1, 0, 0)),               # nothing: one empty page
])
def test_page_bounds(total, page, size, expected):
    p = tables.page_bounds(total, page, size)
    assert (p.page, p.pages, p.start, p.end) == expected
    assert p.total == total and p.size == size
    assert p.paged == (expected[1] > 1)


def test_caption_counts_from_one():
    assert tables.page_bounds(1201, 3, 500).caption() == "Rows 1,001–1,201 of 1,201"
    assert tables.page_bounds(60_000, 2, 500).caption("projects") == "Projects 501–1,000 of 60,000"
    assert tables.page_bounds(0, 1, 500).caption("milestones") == "No milestones"


def test_page_size_never_above_the_row_limit():
    assert tables.PAGE_SIZE <= tables.ROW_LIMIT == 10_000
    assert tables.page_size() == tables.PAGE_SIZE
    assert tables.page_size(50_000) == tables.ROW_LIMIT
    assert tables.page_size(25) == 25


def test_sort_rows_nulls_last_and_ties_in_order():
    df = pl.DataFrame({"id": ["a", "b", "c", "d", "e"], "x": [2.0, None, 1.0, 2.0, 3.0]})
    assert tables.sort_rows(df, ("x", True))["id"].to_list() == ["e", "a", "d", "c", "b"]
    assert tables.sort_rows(df, ("x", False))["id"].to_list() == ["c", "a", "d", "e", "b"]


# ---------------------------------------------------------------------------------------------
# Charts: pick or count before charting
# ---------------------------------------------------------------------------------------------
D1, D2, D3 = date(2026, 10, 30), date(2026, 11, 6), date(2026, 11, 13)


def _history(rows: dict[str, list[str]]) -> pl.DataFrame:
    out = [{"as_of": d, "project_id": p, "project_name": p.lower(), "overall_health": h,
            "reported_health": None, "health_reason": ""}
           for p, hs in rows.items() for d, h in zip((D1, D2, D3), hs)]
    return pl.DataFrame(out)


def test_worst_projects_red_now_then_most_red_then_most_amber():
    history = _history({
        "P1": ["green", "green", "green"],
        "P2": ["red", "red", "amber"],       # amber now, 2 red dates
        "P3": ["green", "amber", "red"],     # red now, 1 red date
        "P4": ["red", "red", "red"],         # red now, 3 red dates: worst
        "P5": ["amber", "amber", "amber"],   # amber now, 0 red, 3 amber
        "P6": ["green", "red", "amber"],     # amber now, 1 red, 1 amber
    })
    worst = health_charts.worst_projects(history, 4)
    assert worst["project_id"].to_list() == ["P4", "P3", "P2", "P6"]
    assert worst["rank"].to_list() == [1, 2, 3, 4]
    assert health_charts.worst_projects(history, 10)["project_id"].to_list()[-2:] == ["P5", "P1"]


def test_health_strip_sends_only_what_it_draws_in_the_given_order():
    history = _history({"P1": ["green"] * 3, "P2": ["red"] * 3})
    spec = health_charts.health_strip(history, order=["P2", "P1"]).to_dict()
    # the cells and their R/A/G letters are two layers, each with the same row order
    assert [layer["encoding"]["y"]["sort"] for layer in spec["layer"]] == [["P2 p2", "P1 p1"]] * 2
    (rows,) = spec["datasets"].values()
    assert len(rows) == 6


def test_health_counts_are_counted_before_charting():
    history = _history({"P1": ["green", "red", "red"], "P2": ["green", "green", "amber"],
                        "P3": ["green", "green", "red"]})
    spec = health_charts.health_counts_over_time(history).to_dict()
    (rows,) = spec["datasets"].values()
    got = {(r["status_date"], r["overall_health"]): r["projects"] for r in rows}
    assert got == {("30 Oct 2026", "green"): 3,
                   ("6 Nov 2026", "red"): 1, ("6 Nov 2026", "green"): 2,
                   ("13 Nov 2026", "red"): 2, ("13 Nov 2026", "amber"): 1}
    assert spec["encoding"]["y"]["field"] == "projects" and spec["encoding"]["y"]["aggregate"] == "sum"


def test_rag_by_portfolio_counted_before_charting():
    projects = pl.DataFrame({"portfolio": ["A", "A", "A", "B", None],
                             "overall_health": ["red", "red", "green", "amber", "red"],
                             "health_rank": [3, 3, 1, 2, 3]})
    (rows,) = health_charts.rag_by_portfolio(projects).to_dict()["datasets"].values()
    assert sorted((r["portfolio"], r["overall_health"], r["projects"]) for r in rows) == [
        ("(no portfolio)", "red", 1), ("A", "green", 1), ("A", "red", 2), ("B", "amber", 1)]


def test_timeline_projects_late_first_then_soonest_due():
    as_of = date(2026, 11, 20)           # window 22 Aug 2026 to 19 May 2027
    ms = pl.DataFrame({
        "project_id": ["A", "B", "B", "C", "D", "E"],
        "project_name": ["a", "b", "b", "c", "d", "e"],
        "milestone": ["m"] * 6,
        "milestone_status": ["upcoming", "late", "late", "late", "upcoming", "done"],
        "committed_date": [date(2027, 1, 1), date(2026, 11, 1), date(2026, 10, 1), date(2026, 9, 1),
                           date(2026, 12, 1), date(2026, 9, 1)],
        "forecast_date": [date(2027, 1, 5), None, None, None, date(2026, 12, 1), None],
        "done_date": [None, None, None, None, None, date(2026, 9, 3)],
        "days_late": [None, 19, 50, 80, None, None],
    })
    ids, total = health_charts.timeline_projects(ms, as_of, 3)
    # B: 2 late; C: 1 late, 80 days; then the soonest upcoming: D (1 Dec) before A (5 Jan); E done
    assert (ids, total) == (["B", "C", "D"], 5)


def test_compa_bins_hand_worked():
    staff = pl.DataFrame({"compa_ratio": [0.949, 0.95, 0.999, 1.0, 1.04, None, 1.2]})
    bins = salary_charts.compa_bins(staff)
    assert bins.rows() == [(0.9, 0.95, 1), (0.95, 1.0, 2), (1.0, 1.05, 2), (1.2, 1.25, 1)]
    # no bar under the privacy threshold: 1 + 2 merged (3 people), then 2 + 1
    assert salary_charts.compa_bins(staff, min_people=3).rows() == [(0.9, 1.0, 3), (1.0, 1.25, 3)]
    # a last bin under it joins the one before: 1 + 2 + 2 = 5, then 1 left over
    assert salary_charts.compa_bins(staff, min_people=5).rows() == [(0.9, 1.25, 6)]
    sets = salary_charts.compa_histogram(staff, min_people=1).to_dict()["datasets"].values()
    assert [len(rows) for rows in sets if "people" in rows[0]] == [4]
    sets = salary_charts.compa_histogram(staff).to_dict()["datasets"].values()     # 5 by default
    assert [rows for rows in sets if "people" in rows[0]] == [[{"bin_start": 0.9, "bin_end": 1.25, "people": 6}]]


# ---------------------------------------------------------------------------------------------
# The helper under AppTest
# ---------------------------------------------------------------------------------------------
SCRIPT = """
import polars as pl
from pmo.ui import tables
n = {n}
# n: a row number, v = n mod 7 (columns named after defined metrics: tables label every column)
df = pl.DataFrame({{"row_number": list(range(1, n + 1)), "rows_accepted": [i % 7 for i in range(1, n + 1)]}})
tables.paged(df, key="t", sort_options={{"Number": ("row_number", False),
                                         "Value, highest first": ("rows_accepted", True)}})
"""


def _captions(at: AppTest) -> list[str]:
    return [c.value for c in at.caption]


def test_paged_table_under_apptest():
    at = AppTest.from_string(SCRIPT.format(n=1201), default_timeout=30).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.dataframe[0].value["row_number"].tolist() == list(range(1, 501))
    assert any(c.startswith("Rows 1–500 of 1,201, number · 500 a page") for c in _captions(at))
    at.number_input(key="t_page").set_value(3).run()
    assert at.dataframe[0].value["row_number"].tolist() == list(range(1001, 1202))
    assert any(c.startswith("Rows 1,001–1,201 of 1,201") for c in _captions(at))
    # Sorting orders all rows, then pages. v = n mod 7: values 1-4 have 172 rows, 0, 5, 6 have 171;
    # highest first: 6 (171), 5 (171), 4, 3, 2 (172 each) = rows 1-858, then 1 (172) = 859-1,030.
    # Row 1,001 is the 143rd row with v = 1, n = 1 + 7 * 142 = 995; rows 1,031-1,201 have v = 0.
    at.selectbox(key="t_sort").set_value("Value, highest first").run()
    page = at.dataframe[0].value
    assert len(page) == 201 and page["row_number"].iloc[0] == 995
    assert page["rows_accepted"].iloc[29] == 1 and page["rows_accepted"].iloc[30] == 0
    assert any(c.startswith("Rows 1,001–1,201 of 1,201, value, highest first") for c in _captions(at))


def test_short_table_has_no_paging():
    at = AppTest.from_string(SCRIPT.format(n=500), default_timeout=30).run()
    assert len(at.dataframe[0].value) == 500
    assert not at.number_input and not at.selectbox
    assert not any("Rows" in c for c in _captions(at))


# ---------------------------------------------------------------------------------------------
# The pages on the sample store, limits shrunk
# ---------------------------------------------------------------------------------------------
@pytest.fixture()
def small_limits(sample_store_dir, monkeypatch):
    monkeypatch.setenv("PMO_DATA_DIR", str(sample_store_dir))
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(tables, "PAGE_SIZE", 10)
    monkeypatch.setattr(tables, "TOP_ROWS", 5)
    monkeypatch.setattr(tables, "LIST_ITEMS", 3)
    monkeypatch.setattr(tables, "CHART_POINTS", 3)


def run_page(page: str, **query) -> AppTest:
    at = AppTest.from_file(str(ROOT / page), default_timeout=120)
    at.query_params.update(query)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def chart_datasets(at: AppTest) -> dict[str, list[list[dict]]]:
    """Chart title -> the rows of each dataset it sent."""
    out = {}
    for el in [*at.get("vega_lite_chart"), *at.get("arrow_vega_lite_chart")]:
        spec = json.loads(el.proto.spec)
        title = spec.get("title")
        title = title.get("text") if isinstance(title, dict) else title
        if isinstance(title, dict):    # a long title: lines when narrow, else one line (pmo.charts.wrapped_titles)
            title = json.loads(title["expr"].rsplit(" : ", 1)[1])
        sets = [pa.ipc.open_stream(ds.data.data).read_all().to_pylist() for ds in el.proto.datasets
                if ds.data.data]
        if el.proto.data.data:
            sets.append(pa.ipc.open_stream(el.proto.data.data).read_all().to_pylist())
        out[title] = sets
    return out


def frame_sizes(at: AppTest) -> list[int]:
    return [len(el.value) for el in at.dataframe]


def test_portfolio_health_within_limits(small_limits, sample_con):
    at = run_page("pages/1_Portfolio_Health.py")
    history = query.run(sample_con, "portfolio_health_history", **ALL, as_of=None)
    projects = query.run(sample_con, "portfolio_health_projects", **ALL, as_of=None, eac_method="cpi")
    active = projects.filter(pl.col("is_active"))
    charts_ = chart_datasets(at)
    (strip,) = charts_["Health history per project"]
    assert len({r["project"] for r in strip}) == 5
    assert f"The 5 projects in the worst health of {history['project_id'].n_unique()}:" in " ".join(
        c.value for c in at.caption)
    slipped = active.filter(pl.col("schedule_slip_days").is_not_null() & (pl.col("schedule_slip_days") != 0))
    (slip,) = charts_["Schedule slip by project"]
    assert len(slip) == 5
    assert max(r["schedule_slip_days"] for r in slip) == slipped["schedule_slip_days"].max()
    assert any(c.value.startswith(f"The 5 latest of {slipped.height} projects with a slip")
               for c in at.caption)
    points = [s for s in charts_["Milestone timeline"] if s and "milestone" in s[0]]
    assert len({r["project"] for r in points[0]}) == 5
    counts = charts_["Health over time"][0]
    assert sum(r["projects"] for r in counts) == history.height      # every (date, project) counted once
    red = active.filter(pl.col("overall_health") == "red").height
    assert red > 3
    assert any(c.value == f"… and {red - 3} more red, in the CSV / Excel below and in 'All projects' at the "
               "bottom (sorted by health)." for c in at.caption)
    assert all(n <= health.PAGE_SIZE for n in frame_sizes(at))


def test_budget_variance_within_limits(small_limits, sample_con):
    at = run_page("pages/2_Budget_Variance.py", bv_group="Project")
    projects = query.run(sample_con, "project_list", **ALL)["project_id"].n_unique()
    ledger_projects = 40         # the sample ledger's projects: select count(distinct project_id) from financials
    assert projects == ledger_projects
    assert all(n <= 10 for n in frame_sizes(at)), frame_sizes(at)
    captions = [c.value for c in at.caption]
    assert f"Projects 1–10 of {ledger_projects}, flagged first, worst first · 10 a page" in " ".join(captions)
    assert any(c.startswith(f"Project rows 1–10 of {ledger_projects}, project (as listed)") for c in captions)
    bars = chart_datasets(at)["Forecast variance (ledger) by project"][0]
    assert len(bars) == 5
    assert any(c.startswith(f"Bars: the 5 most over budget at completion of {ledger_projects} (project values)")
               for c in captions)


def test_salary_benchmarks_within_limits(small_limits, sample_con, monkeypatch):
    monkeypatch.setattr(tables, "CHART_POINTS", 2)      # the first role has 3 people on a band
    at = run_page("pages/3_Salary_Benchmarks.py")
    staff = query.run(sample_con, "salary_staff", country=None, department=None, level=None)
    placed = staff.filter(pl.col("match_status") == "placed")
    assert placed.height > 10
    assert frame_sizes(at) == [10]
    assert any(c.value.startswith(f"People 1–10 of {placed.height}, role, lowest compa-ratio first")
               for c in at.caption)
    role = at.selectbox(key="benchmark_role").value
    on_role = placed.filter(pl.col("benchmark_role") == role).height
    assert on_role > 2
    dots = [s for sets in chart_datasets(at).values() for s in sets if s and "who" in s[0]]
    assert [len(s) for s in dots] == [2]
    furthest = sorted((abs(c - 1) for c in placed.filter(pl.col("benchmark_role") == role)["compa_ratio"]),
                      reverse=True)[:2]
    assert sorted((abs(r["compa_ratio"] - 1) for r in dots[0]), reverse=True) == pytest.approx(furthest)
    assert any(c.value.startswith(f"Dots: the 2 of {on_role} people on a {role} band") for c in at.caption)
    (bins,) = [s for s in chart_datasets(at)["Compa-ratio distribution: pay ÷ market median"] if "people" in s[0]]
    assert sum(r["people"] for r in bins) == placed["compa_ratio"].drop_nulls().len()
