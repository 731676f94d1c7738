"""The dashboard's summary tables (pmo/query/cache.py): the monthly ledger, hand-worked; saved
per store version and settings by `pmo ingest`, read back by a new connection, never stale after
a settings change, never shared with a scoped connection.

The ledger (reporting currency USD; EUR 1.20; CHF has no rate):
    P1 Aug Labour actual 120 + 30 (two lines, one key)  -> one row: 150, 2 lines
    P1 Aug Vendor actual 20                             -> its own row (another category)
    P1 Sep Labour budget 100                            -> its own row (another kind and month)
    P2 Aug Vendor actual 200 EUR + 50 EUR               -> 250 EUR = 300 USD, 2 lines
    P2 Sep Vendor forecast 1,000 CHF                    -> amount NULL, amount_original 1,000
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import date

import polars as pl
import pytest
from polars.testing import assert_frame_equal
from helpers.canonical import make_store

from pmo import query
from pmo.query import cache, catalog
from pmo.auth import Scope
from pmo.cli import main as cli_main

AUG, SEP = date(2026, 8, 1), date(2026, 9, 1)


def line(project, month, kind, amount, category, currency="USD"):
    return {"project_id": project, "period": month, "kind": kind, "amount_original": amount,
            "currency": currency, "category": category, "cost_center": "CC1", "capex_opex": "OPEX"}


TABLES = {
    "financials": [
        line("P1", AUG, "actual", 120, "Labour"), line("P1", AUG, "actual", 30, "Labour"),
        line("P1", AUG, "actual", 20, "Vendor"), line("P1", SEP, "budget", 100, "Labour"),
        line("P2", AUG, "actual", 200, "Vendor", "EUR"), line("P2", AUG, "actual", 50, "Vendor", "EUR"),
        line("P2", SEP, "forecast", 1000, "Vendor", "CHF"),
    ],
    "projects": [{"project_id": "P1", "project_name": "Alpha", "portfolio": "Ops"},
                 {"project_id": "P2", "project_name": "Beta", "portfolio": "Growth"}],
    "fx_rates": [{"currency": "EUR", "rate_to_reporting": 1.20, "valid_from": date(2025, 1, 1)}],
}

MONTHLY = """select project_id, period, category, kind, currency, amount, amount_original, line_count
             from ledger_monthly order by project_id, period, category, kind"""


@pytest.fixture()
def store(tmp_path):
    return make_store(tmp_path / "store", TABLES)


def rows(con, query=MONTHLY):
    return [tuple(r) for r in con.execute(query).fetchall()]


def test_ledger_monthly_sums_lines_per_key_and_keeps_unconverted_rows(store):
    con = query.connect(store).con
    assert rows(con) == [
        ("P1", AUG, "Labour", "actual", "USD", 150.0, 150.0, 2),
        ("P1", AUG, "Vendor", "actual", "USD", 20.0, 20.0, 1),
        ("P1", SEP, "Labour", "budget", "USD", 100.0, 100.0, 1),
        ("P2", AUG, "Vendor", "actual", "EUR", pytest.approx(300.0), 250.0, 2),
        ("P2", SEP, "Vendor", "forecast", "CHF", None, 1000.0, 1),
    ]


def test_warm_saves_the_tables_for_the_version_and_a_new_connection_reads_them(store):
    query.warm(store)
    entries = list(store.path("cache").iterdir())
    assert len(entries) == 1 and entries[0].name.startswith("000001-")
    assert sorted(p.name for p in entries[0].iterdir()) == [
        "_project_alias.parquet", "governance_findings.parquet", "ledger_monthly.parquet",
        "project_health.parquet", "project_milestones.parquet", "projects.parquet",
        "raid_dependencies.parquet", "raid_dependency_cycles.parquet", "resource_calendar.parquet",
        "resource_capacity_days.parquet", "resource_demand_days.parquet", "resource_people.parquet", "results",
        "salary_positions.parquet", "status_snapshots.parquet", "tasks.parquet"]
    # Prove the saved file is what a new connection serves: change one amount in it.
    saved = entries[0] / "ledger_monthly.parquet"
    pl.read_parquet(saved).with_columns(
        pl.when(pl.col("category") == "Vendor").then(pl.col("amount") + 1).otherwise(pl.col("amount"))
        .alias("amount")).write_parquet(saved)
    connected = query.connect(store)
    connected.ensure_summaries(("ledger_monthly",))
    assert rows(connected.con, "select sum(amount) from ledger_monthly where project_id = 'P1'") == [(271.0,)]


def test_a_saved_table_is_read_without_computing_the_tables_it_was_made_from(store):
    query.warm(store)
    connected = query.connect(store)
    # every summary saved for the version is a read of its file from the start: nothing computed,
    # and the views over it bind against the file, not the tree of views below it
    assert connected._summaries == set(cache.summary_views())
    views = dict(connected.con.execute("select view_name, sql from duckdb_views() where not internal").fetchall())
    assert all("read_parquet" in views[v] for v in cache.summary_views())
    connected.ensure_summaries(("project_health",))
    assert not connected.con.execute("select table_name from duckdb_tables() "
                                     "where table_name like '\\_summary\\_%' escape '\\'").fetchall()
    cold = query.connect(make_store(store.root.parent / "other", TABLES))
    cold.ensure_summaries(("project_health",))     # nothing saved: computed from them
    assert cold._summaries == {"_project_alias", "projects", "status_snapshots", "tasks", "ledger_monthly",
                               "project_health"}


def test_a_settings_change_does_not_serve_tables_saved_under_the_old_settings(store):
    query.warm(store)
    saved = next(store.path("cache").iterdir()) / "ledger_monthly.parquet"
    pl.read_parquet(saved).with_columns(pl.col("amount") * 0).write_parquet(saved)
    (store.root / "config.toml").write_text("[health]\noverrun_amber = 0.06\n")
    connected = query.connect(store)
    connected.ensure_summaries(("ledger_monthly",))
    assert rows(connected.con, "select sum(amount) from ledger_monthly where project_id = 'P1'") == [(270.0,)]
    assert len(list(store.path("cache").iterdir())) == 2     # one entry per settings


def test_materialised_tables_give_the_same_page_results_as_the_views(store):
    plain = query.connect(store)
    tabled = query.connect(store)
    for name in ("budget_lines", "budget_unconverted", "project_budget_lines", "filter_options"):
        info = query.info(name)
        params = {p: None for p in info.params}
        params.update({k: v for k, v in {"fiscal_start_month": 1, "project_id": "P2"}.items() if k in params})
        tabled.ensure_summaries(info.reads)
        assert "ledger_monthly" in tabled._summaries
        assert_frame_equal(query.run(tabled.con, name, **params), query.run(plain.con, name, **params),
                           check_row_order=False)


def test_a_scoped_connection_keeps_its_tables_in_memory_with_only_its_rows(store):
    connected = query.connect(store, scope=Scope(portfolios=("Ops",)))
    assert connected.cache_dir is None
    connected.ensure_summaries(("ledger_monthly",))
    assert rows(connected.con, "select distinct project_id from ledger_monthly") == [("P1",)]
    assert not store.path("cache").exists()


def test_pmo_ingest_builds_the_summary_tables_now_or_not_at_all(tmp_path, capsys):
    fx = tmp_path / "fx_rates.csv"
    fx.write_text("Currency,Rate to USD,Valid From\nEUR,1.2,2026-01-01\n")
    data = tmp_path / "data"
    assert cli_main(["ingest", "--data-dir", str(data), "--no-summaries", str(fx)]) == 0
    assert cli_main(["ingest", "--data-dir", str(data), "--summaries", "skip", str(fx)]) == 0
    assert not (data / "cache").exists()
    assert cli_main(["ingest", "--data-dir", str(data), "--summaries", "now", str(fx)]) == 0
    assert "summary tables for the dashboard built" in capsys.readouterr().out
    assert [p.name[:6] for p in (data / "cache").iterdir()] == ["000003"]


def test_by_default_a_background_process_builds_them_after_the_command_returns(tmp_path):
    fx = tmp_path / "fx_rates.csv"
    fx.write_text("Currency,Rate to USD,Valid From\nEUR,1.2,2026-01-01\n")
    data = tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if k != "PMO_SUMMARIES"}
    r = subprocess.run([sys.executable, "-m", "pmo", "ingest", "--data-dir", str(data), str(fx)],
                       capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "being built in the background for version 1" in r.stdout
    names = ["ledger_monthly.parquet", "project_health.parquet", "tasks.parquet"]
    for _ in range(240):          # the background process: up to a minute on a loaded machine
        done = [d for d in (data / "cache").glob("000001-*") if all((d / n).exists() for n in names)]
        if done:
            break
        time.sleep(0.25)
    assert done, "no summary tables appeared"


def test_old_cache_entries_are_pruned(store, monkeypatch):
    monkeypatch.setattr(cache, "CACHE_KEEP", 2)
    for amber in ("0.06", "0.07", "0.08"):
        (store.root / "config.toml").write_text(f"[health]\noverrun_amber = {amber}\n")
        query.warm(store)
    assert len(list(store.path("cache").iterdir())) == 2


def test_the_budget_pages_default_result_is_saved_and_read_back_unchanged(store):
    params = cache.warm_params(catalog.info("budget_lines"), {"general": {"fiscal_year_start_month": 4}},
                               date(2026, 9, 30))
    assert params == {"as_of": date(2026, 9, 30), "fiscal_start_month": 4, "portfolio": None, "program": None,
                      "department": None, "manager": None, "stage": None}
    computed = query.connect(store).query("budget_lines", **params)
    saved = list(store.path("cache").glob("*/results/budget_lines-*.parquet"))
    assert len(saved) == 1
    # P1 Aug: actual 150 + 20 up to the close month (Aug); P2 Aug: 300 USD; the CHF line is left out
    assert computed.group_by("project_id").agg(pl.col("actual").sum()).sort("project_id").rows() == [
        ("P1", 170.0), ("P2", pytest.approx(300.0))]
    # a new connection reads the file: prove it by changing it
    pl.read_parquet(saved[0]).with_columns(pl.col("actual") * 2).write_parquet(saved[0])
    again = query.connect(store).query("budget_lines", **params)
    assert again.equals(computed.with_columns(pl.col("actual") * 2))


def test_filtered_and_scoped_results_are_not_saved(store):
    params = {**cache.warm_params(catalog.info("budget_lines"), {"general": {}}, date(2026, 9, 30)),
              "portfolio": "Ops"}
    scoped = query.connect(store, scope=Scope(portfolios=("Ops",)))
    scoped.query("budget_lines", **{**params, "portfolio": None})
    assert not list(store.path("cache").glob("*/results/*"))
    # a filtered result is cut from the unfiltered one, which alone is saved
    query.connect(store).query("budget_lines", **params)
    saved = [p.name for p in store.path("cache").glob("*/results/*")]
    assert saved == [f"budget_lines-{cache.params_key({**params, 'portfolio': None})}.parquet"]


def test_a_read_only_store_still_serves_the_tables_from_memory(store, monkeypatch):
    def refuse(*a, **k):
        raise PermissionError("read-only file system")
    monkeypatch.setattr(cache.Path, "mkdir", refuse)
    connected = query.connect(store)
    connected.ensure_summaries(("ledger_monthly",))
    assert rows(connected.con, "select sum(amount) from ledger_monthly where project_id = 'P1'") == [(270.0,)]
    assert not store.path("cache").exists()


def test_pmo_summaries_for_a_version_that_does_not_exist_says_so(store, capsys):
    assert cli_main(["summaries", "--data-dir", str(store.root), "--version", "99"]) == 2
    assert capsys.readouterr().err.strip() == f"pmo: version 99 does not exist in {store.root}."
    assert not store.path("cache").exists()


def test_a_damaged_saved_table_is_computed_again_not_an_error(store):
    query.warm(store)
    saved = next(store.path("cache").iterdir()) / "ledger_monthly.parquet"
    saved.write_bytes(b"PAR1 not a parquet file")
    connected = query.connect(store)                       # views are made on first use
    connected.ensure_summaries(("ledger_monthly",))        # a page query's first use finds it damaged
    assert rows(connected.con, "select sum(amount) from ledger_monthly where project_id = 'P1'") == [(270.0,)]
    assert pl.read_parquet(saved).height > 0               # computed again and saved anew
