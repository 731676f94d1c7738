"""The Governance page under AppTest: its figures equal the data layer's views on the sample store
(and a filter changes them), exact hand-worked figures on a hand-made store, and a role limited to
one portfolio sees only that portfolio's findings."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from conftest import ROOT, use_store
from helpers.app import metrics as cards
from helpers.app import open_page
from helpers.canonical import make_store
from streamlit.testing.v1 import AppTest

from pmo import metrics as fmt
from pmo import query

pytestmark = pytest.mark.app

PAGE = "pages/8_Governance.py"

LATEST = date(2026, 11, 20)


def run(**query_params) -> AppTest:
    """The page as the menu opens it, with `query_params` as the link's query string."""
    return open_page(PAGE, **query_params)


@pytest.fixture()
def app_env(monkeypatch):
    return lambda store_dir: use_store(monkeypatch, store_dir)


def frame(at, column: str) -> pl.DataFrame:
    """The table showing `column` (AppTest sees the frame's own column names, not the labels)."""
    for d in at.dataframe:
        if column in d.value.columns:
            return pl.from_pandas(d.value)
    raise AssertionError(f"no table with a '{column}' column")


def dataframes(at) -> list[pl.DataFrame]:
    return [pl.from_pandas(d.value) for d in at.dataframe]


# ---- the sample store: the page's figures are the views' ---------------------------------------

def expected(con, portfolio=None):
    """Compliance from governance_compliance (the data layer's per-project view) at the date, and
    the failed checks from governance_report (what `pmo check --governance` prints)."""
    comp = con.sql("select * from governance_compliance where as_of = $d", params={"d": LATEST}).pl()
    report = query.run(con, "governance_report", as_of=None, portfolio=portfolio)
    if portfolio:
        comp = comp.filter(pl.col("portfolio") == portfolio)
    return comp, report


def test_kpis_equal_the_views_and_a_filter_changes_them(app_env, sample_store_dir, sample_con):
    app_env(sample_store_dir)
    for portfolio in (None, "Finance Transformation"):
        comp, report = expected(sample_con, portfolio)
        at = run(**({"portfolio": portfolio} if portfolio else {}))
        c = cards(at)
        assert c["Projects judged"] == fmt.count(comp.height)
        assert c["Compliance"] == fmt.pct(comp["checks_passed"].sum() / comp["checks_judged"].sum(), 0)
        assert c["Fully compliant"] == fmt.count(
            comp.filter((pl.col("checks_failed") == 0) & (pl.col("checks_judged") > 0)).height)
        assert c["Findings to fix"] == fmt.count(report.filter(pl.col("passed") == False).height)  # noqa: E712
        overdue = report.filter((pl.col("check_id") == "gate_overdue") & (pl.col("passed") == False))  # noqa: E712
        assert c["Gates overdue"] == fmt.count(overdue.height)
        if portfolio:
            # the sample story: Finance Transformation 101 of 120 checks passed, 1 of 9 projects clean
            assert (c["Projects judged"], c["Compliance"], c["Fully compliant"]) == ("9", "84%", "1")
            assert c["Gates overdue"] == "1"                                     # PRJ-1029 G3
            projects = frame(at, "failed_checks")
            assert set(projects["portfolio"]) == {portfolio}
        else:
            assert c["Projects judged"] == "37" and c["Gates overdue"] == "3"


def test_findings_list_the_reason_and_the_offending_tasks(app_env, sample_store_dir):
    app_env(sample_store_dir)
    at = run(checks="schedule", by="manager")
    findings = frame(at, "finding")
    neg = findings.filter((pl.col("project_id") == "PRJ-1021") & (pl.col("check_name") == "DCMA 7: negative float"))
    assert neg["finding"].to_list() == ["60.0% (3 of 5) (limit <= 0%)"]
    assert sorted(neg["offending_names"][0]) == ["Cutover", "Go-live", "Project closure"]
    assert set(findings["check_group"]) == {"Schedule quality (DCMA)"}
    rollup = frame(at, "manager")
    assert rollup.height >= 5 and "compliance" in rollup.columns


# ---- a hand-made store with exact figures ------------------------------------------------------

BASE = {"project_name": "Alpha", "portfolio": "A", "manager": "Ana", "sponsor": "CFO", "stage": "Execution",
        "budget_original": 100.0, "start_date": date(2026, 1, 1), "baseline_start_date": date(2026, 1, 1),
        "baseline_finish_date": date(2026, 12, 31)}
OCT = date(2026, 10, 30)


@pytest.fixture(scope="module")
def hand_store(tmp_path_factory):
    """P1 and P3 (portfolio A) report on 30 Oct and 20 Nov and have every field; P2 (portfolio B)
    reported only on 30 Oct, has no sponsor and no baseline finish. No plans, no gate log.
    Per project on 20 Nov: status stale, no status, no baseline, missing fields judged (4); health
    mismatch (no colours) and the gate (no log) not measurable (2).
      P1, P3: 4 of 4 passed.  P2: stale 21 days > 10, no baseline, 1 of 5 fields empty: 1 of 4.
      => 9 of 12 = 75%, 2 projects clean, 3 findings, 1 report late.
    On 30 Oct: P2 fails no baseline and missing fields only: 10 of 12, 2 findings."""
    projects = [{**BASE, "project_id": "P1"}, {**BASE, "project_id": "P3", "project_name": "Gamma"},
                {**BASE, "project_id": "P2", "project_name": "Beta", "portfolio": "B", "sponsor": None,
                 "baseline_finish_date": None}]
    snaps = [{"project_id": p, "as_of": d} for p in ("P1", "P3") for d in (OCT, LATEST)] + [
        {"project_id": "P2", "as_of": OCT}]
    root = tmp_path_factory.mktemp("gov") / "store"
    make_store(root, {"projects": projects, "status_snapshots": snaps})
    return root


def test_hand_made_store_exact_figures(app_env, hand_store):
    app_env(hand_store)
    at = run()
    assert cards(at) == {"Projects judged": "3", "Compliance": "75%", "Fully compliant": "2",
                         "Findings to fix": "3", "Stale reports": "1", "Gates overdue": "0"}
    deltas = {m.label: m.delta for m in at.metric}
    assert deltas["Findings to fix"] == "+1" and deltas["Stale reports"] == "+1"
    findings = frame(at, "finding")
    assert findings.select("project_id", "check_name", "finding").rows() == [
        ("P2", "Status report stale", "21 days since the last status report (limit <= 10)"),
        ("P2", "No project baseline", "no baseline start and finish"),
        ("P2", "Required project fields missing", "1 of 5 required fields empty")]
    projects = frame(at, "failed_checks")
    assert projects["project_id"].to_list() == ["P2", "P1", "P3"]                # least compliant first
    assert projects["compliance"].to_list() == [0.25, 1.0, 1.0]

    at = run(as_of="2026-10-30")                                            # the status date before
    c = cards(at)
    assert (c["Compliance"], c["Findings to fix"], c["Stale reports"]) == ("83%", "2", "0")

    at = run(portfolio="B")
    c = cards(at)
    assert (c["Projects judged"], c["Compliance"], c["Findings to fix"]) == ("1", "25%", "3")


def test_empty_store_says_what_to_load(app_env, tmp_path):
    root = tmp_path / "empty"
    make_store(root, {"projects": []})
    app_env(root)
    at = run()
    assert not at.metric
    assert any("No project is judged" in i.value and "gate log" in i.value for i in at.info)


# ---- row scope ---------------------------------------------------------------------------------

def test_a_portfolio_role_sees_only_its_portfolios_findings(app_env, sample_store_dir, sample_con, tmp_path,
                                                            monkeypatch):
    roles = tmp_path / "roles.toml"
    roles.write_text('[auth]\nrequired = false\n[roles.fin]\nlevel = "viewer"\n'
                     'portfolios = ["Finance Transformation"]\n')
    app_env(sample_store_dir)
    monkeypatch.setenv("PMO_ROLES_FILE", str(roles))
    monkeypatch.setenv("PMO_ROLE", "fin")
    at = run()
    mine = {r[0] for r in sample_con.execute(
        "select project_id from projects where portfolio = 'Finance Transformation'").fetchall()}
    assert cards(at)["Projects judged"] == "9"
    assert cards(at)["Compliance"] == "84%"              # as the unscoped page filtered to it
    for df in dataframes(at):
        if "project_id" in df.columns:
            assert set(df["project_id"]) <= mine, set(df["project_id"]) - mine
    others = sample_con.execute("select project_id from projects where portfolio <> 'Finance Transformation' "
                                "or portfolio is null").fetchall()
    text = "\n".join([c.value for c in at.caption] + [m.value for m in at.markdown]
                     + [str(ch.proto.spec) for ch in at.get("vega_lite_chart")])
    assert not [p for (p,) in others if p in text]
