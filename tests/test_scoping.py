"""Row scope: a scoped connection never returns another portfolio's rows, through any view, any
query in queries/, or user SQL (the SQL explorer)."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from pmo import query
from pmo.auth import HIDDEN_PROJECT, Scope
from pmo.safe_sql import UnsafeSQL, run_user_sql
from pmo.store import Store

from helpers.canonical import make_store
from test_sql_catalog import DEFAULTS

PORTFOLIO = "Digital Channels"
# parameters a query may take that test_sql_catalog.DEFAULTS does not list (yet)
FALLBACK = {"eac_method": "cpi"}
# Queries that judge a person on all their work: with a project filter they keep the person's other
# projects and HR capacity, which a portfolio scope hides (docs/capacity.md, "Who sees what"); their
# scoped rows are still only the scope's projects (checked below), but not equal to the filtered ones.
WHOLE_PERSON = {"capacity_people", "capacity_project_demand"}


@pytest.fixture(scope="module")
def scoped(sample_store_dir):
    rt = query.connect(Store(sample_store_dir), scope=Scope(portfolios=(PORTFOLIO,)))
    rt.ensure_summaries(tuple(query.cache.summary_views()))   # in memory, as the pages have them
    return rt.con


@pytest.fixture(scope="module")
def allowed_ids(sample_con):
    ids = {r[0] for r in sample_con.execute("select project_id from projects where portfolio = $p",
                                            {"p": PORTFOLIO}).fetchall()}
    aliases = {r[0] for r in sample_con.execute(
        "select alias from _project_alias a join projects p using (project_id) where p.portfolio = $p",
        {"p": PORTFOLIO}).fetchall()}
    assert len(ids) == 10
    return ids | aliases


def user_relations(con) -> list[str]:
    return [r[0] for r in con.execute(
        "select table_name from information_schema.tables where table_schema = 'main' order by 1").fetchall()]


def test_every_relation_holds_only_scoped_projects(scoped, sample_con, allowed_ids):
    checked = 0
    for rel in user_relations(scoped):
        cols = scoped.sql(f"select * from {rel} limit 0").columns
        if "project_id" in cols:
            seen = {r[0] for r in scoped.execute(f"select distinct project_id from {rel}").fetchall()}
            assert seen <= allowed_ids | {None}, (rel, sorted(seen - allowed_ids))
            checked += 1
        if "portfolio" in cols:
            # (seg_projects keeps the Jira rows of a scoped project's Jira key: portfolio NULL)
            seen = {r[0] for r in scoped.execute(f"select distinct portfolio from {rel}").fetchall()}
            assert seen <= {PORTFOLIO, None}, (rel, seen)
    assert checked >= 10        # seg_*, canonical and analytic views all checked


@pytest.mark.parametrize("view", ["projects", "status_snapshots", "tasks", "risks", "financials",
                                  "project_health", "budget_variance", "project_milestones"])
def test_scoped_view_equals_the_unscoped_view_filtered(scoped, sample_con, allowed_ids, view):
    order = "order by all"
    full = sample_con.sql(f"select * from {view} where project_id in (select project_id from projects "
                          f"where portfolio = '{PORTFOLIO}') {order}").pl()
    mine = scoped.sql(f"select * from {view} {order}").pl()
    assert mine.height > 0
    assert_frame_equal(mine, full, check_exact=False, rel_tol=1e-9)   # sums may differ in the last bit


def test_salaries_hidden_for_a_portfolio_scope_and_limited_by_department(sample_store_dir):
    con = query.connect(Store(sample_store_dir), scope=Scope(portfolios=(PORTFOLIO,))).con
    assert con.execute("select count(*) from salaries").fetchall() == [(0,)]
    dept = "PMO - Digital Channels"
    con = query.connect(Store(sample_store_dir), scope=Scope(departments=("Digital Channels", dept))).con
    assert {r[0] for r in con.execute("select distinct department from salaries").fetchall()} == {dept}
    assert {r[0] for r in con.execute("select distinct department from projects").fetchall()} == {"Digital Channels"}
    assert con.execute("select count(*) from salary_benchmarks").fetchall()[0][0] > 0   # market data: everyone


ACROSS_THE_FILTER = {"raid_dependency_graph"}


@pytest.mark.parametrize("name", query.catalog.catalog())
def test_every_query_stays_in_scope(scoped, sample_con, allowed_ids, name):
    q = query.info(name)
    params = {p: DEFAULTS.get(p, FALLBACK.get(p)) for p in q.params}
    mine = query.run(scoped, name, **params)
    if "project_id" in mine.columns:
        assert set(mine["project_id"].drop_nulls()) <= allowed_ids
    if "portfolio" in mine.columns:
        assert set(mine["portfolio"].drop_nulls()) <= {PORTFOLIO}
    if name in ACROSS_THE_FILTER:
        # links reach across the filter by design (the other end's project is named for an unscoped
        # user); a scoped role sees only its own projects' links, the far end unnamed when hidden
        full = query.run(sample_con, name, **{**params, "portfolio": PORTFOLIO})
        keys = ["project_id", "item_id"]
        assert set(mine.select(keys).iter_rows()) <= set(full.select(keys).iter_rows())
        assert set(mine["blocker_project_id"].drop_nulls()) <= allowed_ids | {HIDDEN_PROJECT}
        hidden = mine.filter(pl.col("blocker_project_id") == HIDDEN_PROJECT)
        assert hidden["blocker_id"].null_count() == hidden["blocker_title"].null_count() == hidden.height
        # every hidden end is another portfolio's project in the full data
        far = full.filter(pl.col("project_id").is_in(list(allowed_ids))
                          & ~pl.col("blocker_project_id").is_in(list(allowed_ids)))
        assert hidden.height == far.height
    elif "portfolio" in q.params and "project_id" not in q.params and name not in WHOLE_PERSON:
        # with the portfolio filter the unscoped query must give exactly what the scope gives
        full = query.run(sample_con, name, **{**params, "portfolio": PORTFOLIO})
        assert_frame_equal(mine, full, check_exact=False, rel_tol=1e-9, check_row_order=False)


def test_headline_counts_are_the_portfolios(scoped, sample_con):
    assert scoped.execute("select count(*) from projects").fetchone()[0] == 10
    budget = sample_con.execute("select sum(budget) from projects where portfolio = $p", {"p": PORTFOLIO}).fetchall()[0][0]
    assert scoped.execute("select sum(budget) from projects").fetchone()[0] == pytest.approx(budget)


@pytest.mark.parametrize("query", [
    "select * from seg_projects",
    "select * from projects",
    "select p.* from projects p, seg_financials f where p.project_id = f.project_id",
    "select * from _project_alias",
])
def test_user_sql_stays_in_scope(scoped, allowed_ids, query):
    df, _ = run_user_sql(scoped, query, row_cap=100_000, timeout_s=30)
    if "project_id" in df.columns:
        assert set(df["project_id"].drop_nulls()) <= allowed_ids
    if "portfolio" in df.columns:
        assert set(df["portfolio"].drop_nulls()) <= {PORTFOLIO}


def test_user_sql_cannot_read_the_segment_files_around_the_scope(scoped, sample_store_dir):
    seg = next((sample_store_dir / "segments" / "projects").glob("*.parquet"))
    for query in (f"select * from read_parquet('{seg}')",
                  f"select * from read_parquet('{sample_store_dir}/segments/*/*.parquet')",
                  f"select * from glob('{sample_store_dir}/segments/*')"):
        with pytest.raises(UnsafeSQL, match="outside the store|not allowed|disabled"):
            run_user_sql(scoped, query)


def test_unscoped_connection_unchanged(sample_store_dir, sample_con):
    con = query.connect(Store(sample_store_dir), scope=Scope()).con
    assert con.execute("select count(*) from projects").fetchall() == sample_con.execute(
        "select count(*) from projects").fetchall() == [(40,)]


def test_alias_rows_follow_their_project_and_empty_scope_means_nothing(tmp_path):
    """Hand-made store: a Jira key is an alias of PRJ-1 (Finance); its tasks and ledger lines come
    with PRJ-1; PRJ-2 (HR) and its alias stay out; a Jira-only project with no portfolio stays out."""
    store = make_store(tmp_path / "s", {
        "projects": [
            {"project_id": "PRJ-1", "project_name": "Ledger", "portfolio": "Finance", "department": "Fin",
             "external_ids": ["FIN"], "budget_original": 100.0, "currency": "USD"},
            {"project_id": "PRJ-2", "project_name": "Payroll", "portfolio": "HR", "department": "People",
             "external_ids": ["PAY"], "budget_original": 200.0, "currency": "USD"},
            {"project_id": "OPS", "project_name": "Ops board", "portfolio": None},
        ],
        "tasks": [{"task_id": "FIN-1", "project_id": "FIN", "task_name": "a"},
                  {"task_id": "PAY-1", "project_id": "PAY", "task_name": "b"},
                  {"task_id": "T3", "project_id": "PRJ-2", "task_name": "c"},
                  {"task_id": "OPS-1", "project_id": "OPS", "task_name": "d"}],
        "financials": [{"project_id": "FIN", "period": date(2026, 1, 1), "kind": "actual", "amount_original": 5.0},
                       {"project_id": "PRJ-1", "period": date(2026, 1, 1), "kind": "budget", "amount_original": 7.0},
                       {"project_id": "PAY", "period": date(2026, 1, 1), "kind": "actual", "amount_original": 9.0}],
    })
    con = query.connect(store, scope=Scope(portfolios=("Finance",))).con
    assert con.execute("select project_id from projects").fetchall() == [("PRJ-1",)]
    assert con.execute("select task_id, project_id from tasks").fetchall() == [("FIN-1", "PRJ-1")]
    assert con.execute("select sum(amount) from financials").fetchall() == [(12.0,)]
    both = query.connect(store, scope=Scope(portfolios=("Finance",), departments=("People",))).con
    assert both.execute("select count(*) from projects").fetchall() == [(0,)]
    nothing = query.connect(store, scope=Scope(portfolios=())).con
    for view in ("projects", "tasks", "financials"):
        assert nothing.execute(f"select count(*) from {view}").fetchall() == [(0,)]
    hidden = query.connect(store, scope=Scope(hide_salaries=True)).con
    assert hidden.execute("select count(*) from projects").fetchall() == [(3,)]


def test_scope_values_are_data_not_sql(tmp_path):
    """A portfolio name full of SQL is a value to match, never SQL text."""
    store = make_store(tmp_path / "s", {"projects": [
        {"project_id": "P1", "portfolio": "x' or 1=1 --"}, {"project_id": "P2", "portfolio": "Other"}]})
    con = query.connect(store, scope=Scope(portfolios=("x' or 1=1 --",))).con
    assert con.execute("select project_id from projects").fetchall() == [("P1",)]
    frame = query.scope.scope_frame(Scope(portfolios=("a",), departments=()))
    assert frame.to_dicts() == [{"dimension": "portfolio", "value": None}, {"dimension": "portfolio", "value": "a"},
                                {"dimension": "department", "value": None}]
    assert isinstance(frame, pl.DataFrame)


def test_user_sql_has_no_spill_directory_and_cannot_read_a_pages(sample_store_dir):
    """DuckDB lets every query read its temp directory whatever `allowed_directories` says: a page's
    connection spills into a private directory of its own, user SQL runs without one, and a file in
    the page's directory is out of reach of the explorer's worker (issue 16: another connection's
    spill file read with read_blob)."""
    from pathlib import Path

    from pmo import config, sandbox
    from pmo.safe_sql import SqlLimits

    store = Store(sample_store_dir)
    page = query.connect(store, scope=Scope(portfolios=(PORTFOLIO,)))
    try:
        spill = Path(page.con.execute("select current_setting('temp_directory')").fetchone()[0])
        assert spill.name.startswith(query.connection.SPILL_PREFIX) and spill.resolve() != Path(".tmp").resolve()
        assert oct(spill.stat().st_mode & 0o777) == "0o700"
        spill.joinpath("leak.tmp").write_bytes(b"PRJ-1021 out of scope")
        limits = SqlLimits.from_config(config.load(store.root))
        scope = Scope(portfolios=(PORTFOLIO,))
        df, _ = sandbox.run(store.root, store.current_version(), scope,
                            "select current_setting('temp_directory') as t", limits)
        assert df["t"].to_list() == [""]
        for sql in (f"select * from read_blob('{spill}/leak.tmp')", "select * from read_blob('.tmp/*')",
                    f"select * from glob('{spill}/*')"):
            with pytest.raises(UnsafeSQL):
                sandbox.run(store.root, store.current_version(), scope, sql, limits)
    finally:
        page.close()
