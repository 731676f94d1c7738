"""The budget variance page under AppTest: hand-worked KPIs, the FX warning, the window, the drill
path in the URL with its breadcrumb, empty data; and the page on the sample store."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from conftest import ROOT
from helpers.canonical import make_store
from streamlit.testing.v1 import AppTest
from test_budget_variance import CONFIG, FILTERS, TABLES

from pmo import budget, config, query
from pmo import metrics as fmt
from pmo.store import Store

pytestmark = pytest.mark.app

PAGE = "pages/2_Budget_Variance.py"
TODAY = date(2026, 11, 25)


@pytest.fixture(scope="module")
def ledger_store(tmp_path_factory):
    snapshots = [{"project_id": "P1", "as_of": d} for d in (date(2026, 9, 25), date(2026, 11, 20))]
    return make_store(tmp_path_factory.mktemp("bv-app") / "store", {**TABLES, "status_snapshots": snapshots},
                      config_toml=CONFIG).root


@pytest.fixture()
def ledger_env(ledger_store, monkeypatch):
    monkeypatch.setenv("PMO_DATA_DIR", str(ledger_store))
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr("pmo.ui.data.today", lambda: TODAY)


def run(**query_params) -> AppTest:
    """Open the home page, then switch to this page (pages are linked relative to the entrypoint)."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90).run()
    at.switch_page(PAGE)
    for k, v in query_params.items():
        at.query_params[k] = v
    at.run()
    return ok(at)


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def summary_table(at):
    """The table behind the 'Where are we over?' chart."""
    return next(d.value for d in at.dataframe if "forecast_variance" in d.value.columns)


def metrics(at) -> dict[str, tuple[str, str | None]]:
    return {m.label: (m.value, m.delta) for m in at.metric}


def test_kpis_show_the_hand_worked_figures(ledger_env):
    at = run()
    m = metrics(at)
    assert m["Ledger budget (whole life)"] == ("$1.87M", "")
    assert m["Ledger actual to date"][0] == "$1.19M"
    assert m["FAC (ledger forecast)"][0] == "$2.14M"
    assert m["Forecast variance (ledger)"] == ("-$266K", "-14.2% (over budget)")
    assert m["Overrun flags (ledger FAC)"] == ("3", "2 red · 1 amber")
    # fiscal year (April) to date, starting with the first month the ledger has
    assert m["Variance in window"] == ("$122K", "+9.3% (under budget)")
    assert any("**Aug 2026 – Oct 2026**" in c.value for c in at.caption)
    assert m["Burn rate / month"][0] == "$396K"
    assert m["Months of budget left"][0] == "1.7"
    assert m["Open commitments"][0] == "$40K"


def test_missing_fx_rate_is_named_not_mixed_in(ledger_env):
    at = run()
    warning = " ".join(w.value for w in at.warning)
    assert "no FX rate to USD" in warning and "1 forecast lines in CHF" in warning and "P2" in warning
    assert "CHF 1,000" in warning


def test_flagged_projects_are_listed_with_the_reason(ledger_env):
    at = run()
    flagged = next(d.value for d in at.dataframe if "reason" in d.value.columns and "overrun_amount" in d.value.columns
                   and len(d.value.columns) == 5)
    assert list(flagged["project_id"]) == ["P3 · Gamma", "P1 · Alpha", "P2 · Beta"]
    assert list(flagged["flag"]) == ["Red", "Red", "Amber"]
    assert flagged["reason"][1] == "FAC $600K is $100K (20.0%) over the $500K budget: more than 10% over (red)."


def test_window_pickers_change_the_variance(ledger_env):
    at = run(bv_from="Sep 2026", bv_to="Sep 2026")
    assert metrics(at)["Variance in window"] == ("$73K", "+17.8% (under budget)")
    assert any("**Sep 2026**" in c.value for c in at.caption)
    assert metrics(at)["FAC (ledger forecast)"][0] == "$2.14M"          # FAC is whole-life


def test_an_earlier_as_of_date_shows_the_ledger_as_of_that_month(ledger_env):
    at = run(as_of="2026-09-25")
    m = metrics(at)
    assert m["Ledger actual to date"][0] == "$790K"                 # actuals up to Sep 2026
    assert m["FAC (ledger forecast)"][0] == "$2.16M"        # Oct counts at its forecast (P1) or actual (P2)
    assert m["Variance in window"] == ("$110K", "+12.2% (under budget)")
    assert any("**Aug 2026 – Sep 2026**" in c.value for c in at.caption)
    assert m["Burn rate / month"][0] == "$263K"              # (Jul 0 + Aug 453 + Sep 337) / 3
    assert any("actuals to **Sep 2026**" in c.value for c in at.caption)


def test_group_by_every_cut_renders(ledger_env):
    at = run()
    for group in budget.DIMENSIONS.values():
        at.segmented_control(key="bv_group").set_value(group)
        ok(at.run())
        assert at.get("vega_lite_chart"), group
    table = summary_table(at)
    assert list(table["label"]) == ["FY2027", "FY2028"]


def test_drill_path_from_the_url_scopes_every_figure(ledger_env):
    at = run(bv_portfolio="Ops", bv_group="Program")
    m = metrics(at)
    assert m["Ledger budget (whole life)"][0] == "$1.52M" and m["FAC (ledger forecast)"][0] == "$1.64M"
    assert m["Overrun flags (ledger FAC)"] == ("2", "1 red · 1 amber")
    assert at.segmented_control(key="bv_group").value == "Program"
    assert list(summary_table(at)["label"]) == ["Core"]
    crumbs = [b.label for b in at.button if b.key and b.key.startswith("bv_crumb_")]
    assert crumbs == ["All", "Portfolio: Ops"]


def test_breadcrumb_goes_back_up(ledger_env):
    at = run(bv_portfolio="Ops", bv_program="Core", bv_project="P1", bv_group="Category")
    assert metrics(at)["Ledger budget (whole life)"][0] == "$500K"
    assert at.button(key="bv_crumb_project").label == "Project: P1 · Alpha"
    assert list(summary_table(at)["label"]) == ["Labour", "Vendor"]
    at.button(key="bv_crumb_program").click()
    ok(at.run())
    assert metrics(at)["Ledger budget (whole life)"][0] == "$1.52M"
    assert at.segmented_control(key="bv_group").value == "Project"
    assert set(summary_table(at)["label"]) == {"P1 · Alpha", "P2 · Beta", "P5 · Eps"}
    at.button(key="bv_crumb_all").click()
    ok(at.run())
    assert metrics(at)["Ledger budget (whole life)"][0] == "$1.87M"
    assert at.segmented_control(key="bv_group").value == "Portfolio"


def test_a_drill_path_that_matches_nothing_says_so(ledger_env):
    at = run(bv_project="NOPE")
    assert any("Nothing in the ledger matches this drill path" in i.value for i in at.info)
    assert not at.metric


def test_no_ledger_lines(tmp_path, monkeypatch):
    root = make_store(tmp_path / "store", {"projects": TABLES["projects"]}).root
    monkeypatch.setenv("PMO_DATA_DIR", str(root))
    monkeypatch.chdir(ROOT)
    at = run()
    assert any("No ledger lines match these filters" in i.value for i in at.info)


# ---------------------------------------------------------------------------------------------
# The sample store
# ---------------------------------------------------------------------------------------------

@pytest.fixture()
def sample_env(sample_store_dir, monkeypatch):
    monkeypatch.setenv("PMO_DATA_DIR", str(sample_store_dir))
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr("pmo.ui.data.today", lambda: TODAY)


def test_sample_store_kpis_match_the_query(sample_env, sample_store_dir):
    con = query.connect(Store(sample_store_dir)).con
    start = config.load(sample_store_dir)["general"]["fiscal_year_start_month"]
    lines = query.run(con, "budget_lines", as_of=TODAY, fiscal_start_month=start, **FILTERS)
    t = lines.select(pl.col("budget").sum(), pl.col("actual").sum(), pl.col("fac").sum()).row(0)
    at = run()
    m = metrics(at)
    assert m["Ledger budget (whole life)"][0] == fmt.money(t[0])
    assert m["Ledger actual to date"][0] == fmt.money(t[1])
    assert m["FAC (ledger forecast)"][0] == fmt.money(t[2])
    assert t[0] > 1e7 and t[2] > t[1]


def test_sample_store_drill_into_a_portfolio(sample_env, sample_store_dir):
    con = query.connect(Store(sample_store_dir)).con
    portfolio, programs = con.sql(
        "select portfolio, list(distinct program order by program) from projects "
        "where portfolio is not null group by 1 order by 1 limit 1").fetchall()[0]
    at = run(bv_portfolio=portfolio, bv_group="Program")
    assert list(summary_table(at)["label"]) == programs
