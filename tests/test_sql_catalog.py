"""Every SQL file: a header with purpose, params and columns; runs on the sample store; returns them."""

from __future__ import annotations

from datetime import date

import pytest
from polars.testing import assert_frame_equal

from pmo import quality, sql
from pmo.sql import QUERY_DIR

ALL_FILES = sorted(QUERY_DIR.rglob("*.sql"))

# Parameter values used to run each query once on the sample store (NULL = "all").
DEFAULTS = {
    "as_of": None, "portfolio": None, "program": None, "department": None, "manager": None,
    "stage": None, "project_id": "PRJ-1001", "start_date": date(2024, 12, 1),
    "end_date": date(2026, 12, 31), "today": date(2026, 11, 25), "fiscal_start_month": 1,
    "category": None, "cost_center": None, "country": None, "role": None, "source": None,
    "level": None, "limit": 50, "offset": 0, "sort": "project_id", "descending": False,
    "ingest_ids": None, "eac_method": None, "include_closed": False,
}


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: str(p.relative_to(QUERY_DIR)))
def test_header_declares_name_purpose_grain_columns(path):
    lines = path.read_text().splitlines()
    assert lines[0] == f"-- {path.stem}", "first line must name the query"
    q = sql.info(path.stem)
    assert q.purpose, "a purpose line is required"
    assert q.grain, "a grain line is required"
    assert q.columns, "a columns line is required"
    declared = set(q.params)
    assert sql.used_params(q.sql) == declared, "params declared in the header must equal those used"


@pytest.mark.parametrize("name", sql.catalog())
def test_query_runs_on_sample_store_and_returns_documented_columns(sample_con, name):
    q = sql.info(name)
    params = {p: DEFAULTS[p] for p in q.params}
    df = sql.run(sample_con, name, **params)
    assert tuple(df.columns) == q.columns


@pytest.mark.parametrize("path", sorted((QUERY_DIR / "views").glob("*.sql")), ids=lambda p: p.stem)
def test_view_exposes_documented_columns(sample_con, path):
    q = sql.info(path.stem)
    cols = tuple(sample_con.sql(f"select * from {path.stem} limit 0").columns)
    assert cols[:len(q.columns)] == q.columns or set(q.columns) <= set(cols)


PER_PROJECT = [n for n in sql.catalog() if sql.info(n).per_project]


def test_budget_lines_is_declared_per_project():
    assert "budget_lines" in PER_PROJECT


@pytest.mark.parametrize("name", PER_PROJECT)
def test_per_project_query_under_a_filter_equals_its_unfiltered_rows_of_the_filtered_projects(sample_con, name):
    """What lets the dashboard cut a cached unfiltered result (pmo/ui/data.py) instead of rerunning
    the query: checked for every value of every project filter on the sample store, and for two
    filters at once."""
    q = sql.info(name)
    base = {p: DEFAULTS[p] for p in q.params}
    everything = sql.run(sample_con, name, **base)
    cases = [{dim: v} for dim in sql.PROJECT_FILTERS
             for (v,) in sample_con.execute(f"select distinct {dim} from projects where {dim} is not null").fetchall()]
    portfolio, stage = sample_con.execute("select portfolio, stage from projects limit 1").fetchall()[0]
    cases.append({"portfolio": portfolio, "stage": stage})
    assert len(cases) > 10
    for case in cases:
        filters = {**dict.fromkeys(sql.PROJECT_FILTERS), **case}
        ids = sql.run(sample_con, "filtered_project_ids", **filters)["project_id"]
        cut = everything.filter(everything["project_id"].is_in(ids.implode()))
        direct = sql.run(sample_con, name, **{**base, **case})
        assert direct.height > 0 or cut.height == 0
        # floats to 1e-9: sums over other row sets may differ in the last bit
        assert_frame_equal(cut, direct, check_row_order=False, rel_tol=1e-9, abs_tol=1e-9)


@pytest.mark.parametrize("name", quality.check_names())
def test_check_returns_item_and_detail(sample_con, name):
    rows = sample_con.sql((QUERY_DIR / "checks" / f"{name}.sql").read_text()).pl()
    assert rows.columns == ["item", "detail"]
