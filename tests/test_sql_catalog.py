"""Every SQL file: a header with purpose, params and columns; runs on the sample store; returns them."""

from __future__ import annotations

import re
from datetime import date

import pytest
from polars.testing import assert_frame_equal

from pmo import quality, query
from pmo.query.catalog import QUERY_DIR

ALL_FILES = sorted(QUERY_DIR.rglob("*.sql"))

# Parameter values used to run each query once on the sample store (NULL = "all").
DEFAULTS = {
    "as_of": None, "portfolio": None, "program": None, "department": None, "manager": None,
    "stage": None, "project_id": "PRJ-1001", "start_date": date(2024, 12, 1),
    "end_date": date(2026, 12, 31), "today": date(2026, 11, 25), "fiscal_start_month": 1,
    "category": None, "cost_center": None, "country": None, "role": None, "source": None,
    "level": None, "limit": 50, "offset": 0, "sort": "project_id", "descending": False,
    "ingest_ids": None, "eac_method": None, "include_closed": False, "bucket": "week",
}


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: str(p.relative_to(QUERY_DIR)))
def test_header_declares_name_purpose_grain_columns(path):
    lines = path.read_text().splitlines()
    assert lines[0] == f"-- {path.stem}", "first line must name the query"
    q = query.info(path.stem)
    assert q.purpose, "a purpose line is required"
    assert q.grain, "a grain line is required"
    assert q.columns, "a columns line is required"
    declared = set(q.params)
    assert query.catalog.used_params(q.sql) == declared, "params declared in the header must equal those used"


def _known_relations() -> set[str]:
    """Every name a SQL file may read: the other files, the segment and log tables, the settings
    tables (pmo/query/connection.py) and the scope table."""
    from pmo import config, schema
    from pmo.query import connection

    files = {p.stem for kind in query.catalog.KINDS for p in (QUERY_DIR / kind).glob("*.sql")}
    tables = set(connection.settings_tables(config.load(), QUERY_DIR.parent))
    return (files | tables | {f"seg_{t}" for t in schema.TABLES}
            | {"ingests", "seg_rejected_rows", "_scope"}) - {"in_scope"}


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: str(p.relative_to(QUERY_DIR)))
def test_header_reads_names_exactly_what_the_sql_reads(path):
    """Dependencies are declared, not found in the SQL text at run time: the header must be right."""
    q = query.info(path.stem)
    used = query.catalog.referenced(q.body, _known_relations()) - {q.name}
    assert set(q.reads) == used, f"reads: declared {sorted(q.reads)}, the SQL reads {sorted(used)}"


def test_summary_views_and_saved_queries_are_the_heavy_ones():
    from pmo.query import cache

    assert set(cache.summary_views()) == {"_project_alias", "projects", "status_snapshots", "tasks",
                                          "ledger_monthly", "project_milestones", "project_health",
                                          "salary_positions", "resource_people", "resource_calendar",
                                          "resource_capacity_days", "resource_demand_days",
                                          "raid_dependency_cycles", "raid_dependencies",
                                          "governance_findings"}
    saved = {n for n in query.catalog.catalog() if "saved" in query.info(n).cache}
    assert saved == {"budget_lines", "portfolio_health_projects", "portfolio_health_history",
                     "portfolio_milestones", "portfolio_critical_risks"}


def test_a_query_called_with_a_missing_or_unknown_parameter_is_an_error(sample_con):
    with pytest.raises(query.QueryError, match="missing as_of"):
        query.run(sample_con, "project_risks", project_id="PRJ-1001")
    with pytest.raises(query.QueryError, match="unknown portfolio"):
        query.run(sample_con, "filter_options", portfolio="Digital Channels")


@pytest.mark.parametrize("name", query.catalog.catalog())
def test_query_runs_on_sample_store_and_returns_documented_columns(sample_con, name):
    q = query.info(name)
    params = {p: DEFAULTS[p] for p in q.params}
    df = query.run(sample_con, name, **params)
    assert tuple(df.columns) == q.columns


@pytest.mark.parametrize("path", sorted((QUERY_DIR / "views").glob("*.sql")), ids=lambda p: p.stem)
def test_view_exposes_documented_columns(sample_con, path):
    q = query.info(path.stem)
    cols = tuple(sample_con.sql(f"select * from {path.stem} limit 0").columns)
    assert cols[:len(q.columns)] == q.columns or set(q.columns) <= set(cols)


PER_PROJECT = [n for n in query.catalog.catalog() if query.info(n).per_project]


def test_budget_lines_is_declared_per_project():
    assert "budget_lines" in PER_PROJECT


@pytest.mark.parametrize("name", PER_PROJECT)
def test_per_project_query_under_a_filter_equals_its_unfiltered_rows_of_the_filtered_projects(sample_con, name):
    """What lets the dashboard cut a cached unfiltered result (pmo/ui/data.py) instead of rerunning
    the query: checked for every value of every project filter on the sample store, and for two
    filters at once."""
    q = query.info(name)
    base = {p: DEFAULTS[p] for p in q.params}
    everything = query.run(sample_con, name, **base)
    cases = [{dim: v} for dim in query.PROJECT_FILTERS
             for (v,) in sample_con.execute(f"select distinct {dim} from projects where {dim} is not null").fetchall()]
    portfolio, stage = sample_con.execute("select portfolio, stage from projects limit 1").fetchall()[0]
    cases.append({"portfolio": portfolio, "stage": stage})
    assert len(cases) > 10
    for case in cases:
        filters = {**dict.fromkeys(query.PROJECT_FILTERS), **case}
        ids = query.run(sample_con, "filtered_project_ids", **filters)["project_id"]
        cut = everything.filter(everything["project_id"].is_in(ids.implode()))
        direct = query.run(sample_con, name, **{**base, **case})
        assert direct.height > 0 or cut.height == 0
        # floats to 1e-9: sums over other row sets may differ in the last bit
        assert_frame_equal(cut, direct, check_row_order=False, rel_tol=1e-9, abs_tol=1e-9)


@pytest.mark.parametrize("name", quality.check_names())
def test_check_returns_item_and_detail(sample_con, name):
    rows = sample_con.sql((QUERY_DIR / "checks" / f"{name}.sql").read_text()).pl()
    assert rows.columns == ["item", "detail"]


def test_no_summary_view_reads_todays_date():
    """A summary table is saved once per store version and read on every later day: nothing it is
    made of may depend on the day it was computed (current_date, now(), today())."""
    from pmo.query import cache

    today = re.compile(r"\b(current_date|current_timestamp|now\s*\(|today\s*\(|get_current_timestamp)", re.I)

    def closure(name: str, seen: set[str]) -> set[str]:
        try:
            q = query.info(name)
        except query.QueryError:
            return seen                         # a table (seg_*, settings_*): no SQL of ours
        if name not in seen:
            seen.add(name)
            for r in q.reads:
                closure(r, seen)
        return seen

    for view in cache.summary_views():
        for name in sorted(closure(view, set())):
            body = re.sub(r"--[^\n]*", "", query.info(name).body)      # comments may say "today"
            assert not today.search(body), f"{view} reads {name}, which uses today's date"
