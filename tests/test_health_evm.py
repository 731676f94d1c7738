"""Earned value in the project_health view and the health page queries, on hand-worked examples.

Each store below is built straight from canonical rows; every expected number is worked out by
hand in the comment next to it.
"""

from __future__ import annotations

import math
from datetime import date

import polars as pl
import pytest
from helpers.canonical import connect

from pmo import health, query

AS_OF = date(2026, 1, 31)


def project(pid: str, **kw) -> dict:
    row = {"project_id": pid, "project_name": f"Project {pid}", "portfolio": "Core", "program": "P1",
           "department": "IT", "manager": "Ann", "stage": "Execution", "currency": "USD",
           "budget_original": 100_000.0}
    return {**row, **kw}


def snapshot(pid: str, as_of: date = AS_OF, **kw) -> dict:
    return {"project_id": pid, "as_of": as_of, "budget": 100_000.0, **kw}


def health_row(con, pid: str, as_of: date = AS_OF) -> dict:
    rows = con.sql("select * from project_health where project_id = $p and as_of = $a",
                   params={"p": pid, "a": as_of}).pl()
    assert rows.height == 1, rows
    return rows.row(0, named=True)


# ---------------------------------------------------------------------------------------------
# The issue's worked example: BAC 100,000, PV 50,000, EV 40,000, AC 45,000
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def example(tmp_path_factory):
    # Baseline 1 Jan .. 2 Mar 2026 = 60 days; 31 Jan is 30 days in: linear PV = 50% of 100,000.
    return connect(tmp_path_factory.mktemp("evm") / "s", {
        "projects": [project("P1", baseline_start_date=date(2026, 1, 1),
                             baseline_finish_date=date(2026, 3, 2))],
        "status_snapshots": [snapshot("P1", percent_complete=0.40, actual_cost=45_000.0,
                                      finish_date=date(2026, 3, 2))],
    })


def test_issue_example_gives_the_hand_worked_measures(example):
    h = health_row(example, "P1")
    assert h["bac"] == 100_000
    assert h["pv"] == pytest.approx(50_000)            # 100,000 x 30/60
    assert h["ev"] == pytest.approx(40_000)            # 0.40 x 100,000
    assert h["ac"] == 45_000
    assert h["sv"] == pytest.approx(-10_000)           # 40,000 - 50,000
    assert h["cv"] == pytest.approx(-5_000)            # 40,000 - 45,000
    assert round(h["spi"], 2) == 0.80                  # 40,000 / 50,000
    assert round(h["cpi"], 3) == 0.889                 # 40,000 / 45,000
    assert h["eac"] == pytest.approx(112_500)          # 100,000 / 0.8889 (default method BAC/CPI)
    assert h["etc"] == pytest.approx(67_500)           # 112,500 - 45,000
    assert h["vac"] == pytest.approx(-12_500)          # 100,000 - 112,500
    assert round(h["tcpi"], 3) == 1.091                # 60,000 / 55,000
    assert h["eac_method"] == "cpi"
    assert h["pv_method"] == "linear between baseline start and finish"
    assert h["ac_source"] == "status report"


def test_issue_example_other_eac_methods(example):
    h = health_row(example, "P1")
    assert h["eac_plan"] == pytest.approx(105_000)      # 45,000 + (100,000 - 40,000)
    assert h["eac_cpi_spi"] == pytest.approx(129_375)   # 45,000 + 60,000 / (0.8889 x 0.80) = 45,000 + 84,375


@pytest.mark.parametrize("method, eac, etc, vac", [
    (None, 112_500, 67_500, -12_500),       # NULL = the configured method (BAC / CPI)
    ("cpi", 112_500, 67_500, -12_500),
    ("plan", 105_000, 60_000, -5_000),
    ("cpi_spi", 129_375, 84_375, -29_375),
])
def test_page_queries_compute_eac_for_the_chosen_method(example, method, eac, etc, vac):
    filters = {"portfolio": None, "program": None, "department": None, "manager": None, "stage": None, "as_of": None}
    row = query.run(example, "portfolio_health_projects", **filters, eac_method=method).row(0, named=True)
    assert (row["eac"], row["etc"], row["vac"]) == pytest.approx((eac, etc, vac))
    table = query.run(example, "portfolio_health_table", **filters, eac_method=method, include_closed=False,
                    sort="health", descending=True, limit=25, offset=0).row(0, named=True)
    assert (table["eac"], table["etc"], table["vac"]) == pytest.approx((eac, etc, vac))
    facts = query.run(example, "project_facts", project_id="P1", as_of=None, eac_method=method).row(0, named=True)
    assert (facts["eac"], facts["etc"], facts["vac"]) == pytest.approx((eac, etc, vac))
    assert facts["eac_method"] == (method or "cpi")


def test_evm_table_rows_format_the_example(example):
    facts = query.run(example, "project_facts", project_id="P1", as_of=None, eac_method=None).row(0, named=True)
    rows = {r["Measure"].split(" ")[0]: r for r in health.evm_rows(facts)}
    assert rows["BAC"]["Value"] == "$100,000"
    assert rows["CPI"]["Value"] == "0.89"
    assert rows["EAC"]["Value"] == "$112,500"
    assert rows["EAC"]["How"] == "BAC ÷ CPI"
    assert rows["VAC"]["Value"] == "-$12,500"
    assert rows["TCPI"]["Value"] == "1.09"
    assert all(r["Note"] == "" for r in rows.values())


# ---------------------------------------------------------------------------------------------
# Planned value: time-phased budget (pro rata, scaled, then linear), else linear
# ---------------------------------------------------------------------------------------------

def budget_lines(pid: str, amounts: dict[date, float], kind: str = "budget") -> list[dict]:
    return [{"project_id": pid, "period": m, "kind": kind, "category": "Labour", "amount_original": a,
             "currency": "USD"} for m, a in amounts.items()]


@pytest.fixture(scope="module")
def phased(tmp_path_factory):
    months = [date(2026, m, 1) for m in (1, 2, 3, 4)]
    half_year = [date(2026, m, 1) for m in range(1, 7)]
    return connect(tmp_path_factory.mktemp("pv") / "s", {
        "projects": [
            # A: 4 x 25,000 = 100,000 = BAC, plan Jan..Apr (lines cover it)
            project("A", baseline_start_date=date(2026, 1, 1), baseline_finish_date=date(2026, 4, 30)),
            # B: 4 x 20,000 = 80,000 < BAC 100,000, lines cover the plan: scaled by 100/80
            project("B", baseline_start_date=date(2026, 1, 1), baseline_finish_date=date(2026, 4, 30)),
            # C: 6 x 10,000 = 60,000, BAC 120,000, plan to 31 Dec: the ledger stops in June
            project("C", baseline_start_date=date(2026, 1, 1), baseline_finish_date=date(2026, 12, 31),
                    budget_original=120_000.0),
            # D: no ledger budget; actual cost only in the ledger
            project("D", baseline_start_date=date(2026, 1, 1), baseline_finish_date=date(2026, 4, 30)),
        ],
        "status_snapshots": [
            snapshot("A", date(2026, 2, 14), percent_complete=0.4, actual_cost=40_000.0),
            snapshot("B", date(2026, 2, 28), percent_complete=0.5, actual_cost=50_000.0),
            snapshot("C", date(2026, 6, 30), budget=120_000.0, percent_complete=0.5, actual_cost=60_000.0),
            snapshot("C", date(2026, 9, 30), budget=120_000.0, percent_complete=0.7, actual_cost=85_000.0),
            snapshot("D", date(2026, 2, 14), percent_complete=0.3, actual_cost=None),
        ],
        "financials": [
            *budget_lines("A", dict.fromkeys(months, 25_000.0)),
            *budget_lines("B", dict.fromkeys(months, 20_000.0)),
            *budget_lines("C", dict.fromkeys(half_year, 10_000.0)),
            *budget_lines("D", {date(2026, 1, 1): 10_000.0, date(2026, 2, 1): 20_000.0}, kind="actual"),
        ],
    })


def test_pv_from_time_phased_budget_is_pro_rata_within_the_status_month(phased):
    h = health_row(phased, "A", date(2026, 2, 14))
    assert h["pv"] == pytest.approx(37_500)            # Jan 25,000 + 14/28 x 25,000
    assert h["pv_method"] == "time-phased ledger budget, scaled to BAC"
    assert h["spi"] == pytest.approx(40_000 / 37_500)


def test_pv_is_scaled_to_bac_when_the_lines_cover_the_plan(phased):
    h = health_row(phased, "B", date(2026, 2, 28))
    assert h["pv"] == pytest.approx(50_000)            # 40,000 of 80,000 lines = 50% of BAC 100,000


def test_pv_after_the_ledger_stops_runs_linear_to_bac_at_the_planned_finish(phased):
    june = health_row(phased, "C", date(2026, 6, 30))
    assert june["pv"] == pytest.approx(60_000)         # all six lines; not scaled (plan runs to Dec)
    assert june["pv_method"] == "time-phased ledger budget"
    sept = health_row(phased, "C", date(2026, 9, 30))
    # 60,000 + (120,000 - 60,000) x (30 Jun -> 30 Sep = 92 days) / (30 Jun -> 31 Dec = 184 days)
    assert sept["pv"] == pytest.approx(90_000)
    assert sept["pv_method"] == "time-phased ledger budget, then linear to BAC at the planned finish"


def test_ac_comes_from_the_ledger_when_the_status_report_has_none(phased):
    h = health_row(phased, "D", date(2026, 2, 14))
    assert h["ac"] == pytest.approx(20_000)            # Jan 10,000 + 14/28 x Feb 20,000
    assert h["ac_source"] == "ledger"
    assert h["pv"] == pytest.approx(100_000 * 44 / 119)  # linear: 1 Jan -> 14 Feb = 44 of 119 days
    assert h["pv_method"] == "linear between baseline start and finish"


def test_config_can_prefer_ledger_actuals(tmp_path):
    con = connect(tmp_path / "s", {
        "projects": [project("P", baseline_start_date=date(2026, 1, 1), baseline_finish_date=date(2026, 4, 30))],
        "status_snapshots": [snapshot("P", date(2026, 2, 14), percent_complete=0.3, actual_cost=99_000.0)],
        "financials": budget_lines("P", {date(2026, 1, 1): 10_000.0, date(2026, 2, 1): 20_000.0}, kind="actual"),
    }, config_toml='[health]\nactual_cost_source = "ledger"\n')
    h = health_row(con, "P", date(2026, 2, 14))
    assert (h["ac"], h["ac_source"]) == (pytest.approx(20_000), "ledger")


def test_s_curve_pv_matches_the_view_at_the_status_date(phased):
    for pid, as_of in (("A", date(2026, 2, 14)), ("B", date(2026, 2, 28)), ("C", date(2026, 9, 30)),
                       ("D", date(2026, 2, 14))):
        curve = query.run(phased, "project_evm_by_month", project_id=pid, as_of=as_of)
        at = curve.filter(pl.col("date") == as_of).row(0, named=True)
        h = health_row(phased, pid, as_of)
        assert at["pv"] == pytest.approx(h["pv"]) and at["ev"] == pytest.approx(h["ev"])
        assert at["is_status_date"]
    c = query.run(phased, "project_evm_by_month", project_id="C", as_of=None)
    assert c["pv"].max() == pytest.approx(120_000)     # reaches BAC at the planned finish
    assert c.filter(pl.col("date") == date(2026, 12, 31))["pv"][0] == pytest.approx(120_000)
    assert c.filter(pl.col("date") == date(2026, 3, 31))["pv"][0] == pytest.approx(30_000)


# ---------------------------------------------------------------------------------------------
# Currencies, zero denominators
# ---------------------------------------------------------------------------------------------

def test_budget_and_actual_cost_convert_at_the_status_date_rate(tmp_path):
    con = connect(tmp_path / "s", {
        "projects": [project("E", currency="EUR", baseline_start_date=date(2026, 1, 1),
                             baseline_finish_date=date(2026, 12, 31))],
        "status_snapshots": [snapshot("E", date(2026, 2, 15), percent_complete=0.1, actual_cost=50_000.0),
                             snapshot("E", date(2026, 3, 15), percent_complete=0.2, actual_cost=60_000.0)],
        "fx_rates": [{"currency": "EUR", "rate_to_reporting": 1.10, "valid_from": date(2026, 1, 1)},
                     {"currency": "EUR", "rate_to_reporting": 1.20, "valid_from": date(2026, 3, 1)}],
    })
    feb, mar = health_row(con, "E", date(2026, 2, 15)), health_row(con, "E", date(2026, 3, 15))
    assert (feb["bac"], feb["ac"]) == pytest.approx((110_000, 55_000))   # x 1.10
    assert (mar["bac"], mar["ac"]) == pytest.approx((120_000, 72_000))   # x 1.20
    assert mar["ev"] == pytest.approx(24_000)                            # 0.2 x 120,000


@pytest.fixture(scope="module")
def edge_store(tmp_path_factory):
    return connect(tmp_path_factory.mktemp("zero") / "s", {
        "projects": [
            # not started: baseline starts after the status date, no cost yet
            project("N", baseline_start_date=date(2026, 3, 1), baseline_finish_date=date(2026, 12, 31)),
            # overspent: AC above BAC
            project("O", baseline_start_date=date(2025, 1, 1), baseline_finish_date=date(2026, 6, 30)),
            # no baseline, no ledger, no budget
            project("G", budget_original=None),
            # cost but nothing earned
            project("Z", baseline_start_date=date(2026, 1, 1), baseline_finish_date=date(2026, 3, 2)),
        ],
        "status_snapshots": [
            snapshot("N", percent_complete=0.0, actual_cost=0.0, finish_date=date(2026, 12, 31)),
            snapshot("O", percent_complete=0.8, actual_cost=110_000.0, finish_date=date(2026, 6, 30)),
            snapshot("G", budget=None, percent_complete=None, actual_cost=None),
            snapshot("Z", percent_complete=0.0, actual_cost=10_000.0, finish_date=date(2026, 3, 2)),
        ],
    })


def test_zero_denominators_are_null_with_the_reason(edge_store):
    n = health_row(edge_store, "N")
    assert n["pv"] == 0 and n["ev"] == 0 and n["ac"] == 0
    assert n["spi"] is None and n["cpi"] is None and n["eac"] is None
    assert "SPI —: no planned value yet: before the planned start" in n["evm_note"]
    assert "CPI —: no actual cost yet" in n["evm_note"]
    z = health_row(edge_store, "Z")
    assert z["cpi"] == 0 and z["eac"] is None          # BAC / 0 is not an estimate
    assert "CPI is 0" in z["evm_note"]
    o = health_row(edge_store, "O")
    assert o["tcpi"] is None                           # (BAC - EV) / (BAC - AC) with AC > BAC
    assert "the budget is already spent" in o["evm_note"]
    g = health_row(edge_store, "G")
    assert g["bac"] is None and g["pv"] is None and g["overall_health"] == "grey"


def test_no_infinite_or_nan_value_anywhere(edge_store, example, phased):
    for con in (edge_store, example, phased):
        df = con.sql("select * from project_health").pl()
        for name, dtype in df.schema.items():
            if dtype == pl.Float64:
                assert not any(v is not None and not math.isfinite(v) for v in df[name]), name


def test_evm_rows_say_why_a_value_is_missing(edge_store):
    facts = query.run(edge_store, "project_facts", project_id="N", as_of=None, eac_method=None).row(0, named=True)
    rows = {r["Measure"].split(" ")[0]: r for r in health.evm_rows(facts)}
    assert rows["SPI"]["Value"] == "—" and rows["SPI"]["Note"] == "— no planned value yet (before the planned start)"
    assert rows["CPI"]["Note"] == "— no actual cost yet"
    assert rows["EAC"]["Note"] == "— no actual cost yet"


# ---------------------------------------------------------------------------------------------
# Roll-ups, history and milestones on the page queries
# ---------------------------------------------------------------------------------------------

FILTERS = {"portfolio": None, "program": None, "department": None, "manager": None, "stage": None}
OCT, NOV = date(2026, 10, 30), date(2026, 11, 20)


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory):
    base = {"baseline_start_date": date(2026, 1, 1), "baseline_finish_date": date(2027, 1, 1)}
    return connect(tmp_path_factory.mktemp("portfolio") / "s", {
        "projects": [
            project("R1", portfolio="Core", manager="Ann", **base),
            project("G1", portfolio="Core", manager="Bob", **base),
            project("X1", portfolio="Other", manager="Bob", **base),
            project("C1", portfolio="Core", stage="Closed", actual_finish_date=date(2026, 11, 1), **base),
        ],
        "status_snapshots": [
            # BAC 100,000 each; PV on 30 Oct = 302/365 = 82,740, on 20 Nov = 323/365 = 88,493
            # R1: in Oct CPI 1.0, SPI 1.03 (green); in Nov CPI 0.5 (red)
            snapshot("R1", OCT, percent_complete=0.85, actual_cost=85_000.0, finish_date=date(2027, 1, 1)),
            snapshot("R1", NOV, percent_complete=0.9, actual_cost=180_000.0, finish_date=date(2027, 1, 1)),
            # G1: on plan in both
            snapshot("G1", OCT, percent_complete=0.8, actual_cost=80_000.0, finish_date=date(2027, 1, 1)),
            snapshot("G1", NOV, percent_complete=0.9, actual_cost=90_000.0, finish_date=date(2027, 1, 1)),
            # X1: only in Nov, 40 days late (11% of 365 -> amber), otherwise on plan
            snapshot("X1", NOV, percent_complete=0.9, actual_cost=90_000.0, finish_date=date(2027, 2, 10)),
            # C1: finished 1 Nov: active in Oct, not in Nov
            snapshot("C1", OCT, percent_complete=0.95, actual_cost=95_000.0, finish_date=date(2027, 1, 1)),
        ],
        "tasks": [
            # due in the 30 days after 20 Nov (forecast 10 Dec), not done
            {"task_id": "M1", "project_id": "G1", "task_name": "Go-live", "is_milestone": True,
             "finish_date": date(2026, 12, 10), "baseline_finish_date": date(2026, 12, 10), "percent_complete": 0.0},
            # committed 5 Nov, not done: missed in the 30 days before 20 Nov
            {"task_id": "M2", "project_id": "R1", "task_name": "UAT", "is_milestone": True,
             "finish_date": date(2026, 12, 1), "baseline_finish_date": date(2026, 11, 5), "percent_complete": 0.0},
            # committed 1 Nov, done 1 Nov: not missed
            {"task_id": "M3", "project_id": "G1", "task_name": "Design", "is_milestone": True,
             "finish_date": date(2026, 11, 1), "baseline_finish_date": date(2026, 11, 1), "percent_complete": 1.0,
             "status_category": "done"},
        ],
    })


def kpis(con, **kw) -> dict[str, dict]:
    df = query.run(con, "portfolio_health_kpis", **{**FILTERS, "as_of": None, **kw})
    return {r["period"]: r for r in df.iter_rows(named=True)}


def test_kpis_roll_up_active_projects_and_compare_with_the_previous_status_date(portfolio):
    k = kpis(portfolio)
    cur, prev = k["current"], k["previous"]
    assert (cur["as_of_date"], prev["as_of_date"]) == (NOV, OCT)
    assert cur["active_projects"] == 3                 # C1 finished on 1 Nov
    assert (cur["red_count"], cur["amber_count"], cur["green_count"]) == (1, 1, 1)
    assert cur["red_share"] == pytest.approx(1 / 3)
    assert cur["bac"] == pytest.approx(300_000)
    assert cur["ev"] == pytest.approx(90_000 + 90_000 + 90_000)
    assert cur["ac"] == pytest.approx(180_000 + 90_000 + 90_000)
    assert cur["cpi"] == pytest.approx(270_000 / 360_000)
    # PV: 1 Jan 2026 -> 20 Nov 2026 = 323 of 365 days, for each of the three projects
    assert cur["pv"] == pytest.approx(3 * 100_000 * 323 / 365)
    assert cur["spi"] == pytest.approx(270_000 / (3 * 100_000 * 323 / 365))
    assert cur["late_projects"] == 1                   # X1
    assert cur["milestones_due_30_count"] == 2         # M1 (10 Dec) and M2 (forecast 1 Dec)
    assert cur["milestones_missed_30_count"] == 1      # M2
    # in October: R1, G1 and C1 active (X1 had not reported yet), all green
    assert prev["active_projects"] == 3 and prev["green_count"] == 3 and prev["red_count"] == 0


def test_a_past_status_date_shows_the_portfolio_as_known_then(portfolio):
    k = kpis(portfolio, as_of=OCT)
    assert k["current"]["as_of_date"] == OCT and "previous" not in k
    assert k["current"]["active_projects"] == 3 and k["current"]["green_count"] == 3
    rows = query.run(portfolio, "portfolio_health_projects", **FILTERS, as_of=OCT, eac_method=None)
    assert set(rows["project_id"]) == {"R1", "G1", "C1"}
    assert rows.filter(pl.col("project_id") == "R1")["overall_health"][0] == "green"


def test_filters_narrow_every_figure(portfolio):
    k = kpis(portfolio, manager="Bob")
    assert k["current"]["active_projects"] == 2        # G1 and X1
    assert k["current"]["bac"] == pytest.approx(200_000)
    k = kpis(portfolio, portfolio="Nothing")
    assert k["current"]["active_projects"] == 0 and k["current"]["cpi"] is None


def test_history_counts_and_changes(portfolio):
    hist = query.run(portfolio, "portfolio_health_history", **FILTERS, as_of=None)
    counts = hist.group_by("as_of", "overall_health").len().sort("as_of", "overall_health")
    assert counts.filter(pl.col("as_of") == OCT)["len"].sum() == 3
    assert dict(counts.filter(pl.col("as_of") == NOV).select("overall_health", "len").iter_rows()) == {
        "amber": 1, "green": 1, "red": 1}
    changed = health.changes(hist, NOV, OCT)
    assert changed.select("project_id", "before", "after", "change").rows() == [
        ("R1", "green", "red", "worse"), ("X1", None, "amber", "new")]


def test_milestone_status_at_the_status_date(portfolio):
    ms = query.run(portfolio, "portfolio_milestones", **FILTERS, as_of=None)
    status = dict(ms.select("task_id", "milestone_status").iter_rows())
    assert status == {"M1": "upcoming", "M2": "late", "M3": "done"}
    assert ms.filter(pl.col("task_id") == "M2")["days_late"][0] == 15   # 5 Nov -> 20 Nov
    # on 30 Oct the design milestone (done 1 Nov) was still upcoming
    then = dict(query.run(portfolio, "portfolio_milestones", **FILTERS, as_of=OCT)
                .select("task_id", "milestone_status").iter_rows())
    assert then["M3"] == "upcoming"


def test_table_is_sorted_and_paginated_on_the_server(portfolio):
    def page(**kw):
        args = dict(FILTERS, as_of=None, eac_method=None, include_closed=False, sort="cpi",
                    descending=False, limit=2, offset=0)
        return query.run(portfolio, "portfolio_health_table", **{**args, **kw})

    first = page()
    assert first["project_id"].to_list() == ["R1", "G1"]        # CPI 0.5, then 1.0 (tie by id)
    assert first["total_rows"][0] == 3 and first["position"].to_list() == [1, 2]
    assert page(offset=2)["project_id"].to_list() == ["X1"]
    assert page(descending=True, limit=3)["project_id"].to_list() == ["G1", "X1", "R1"]
    assert page(sort="health", descending=True, limit=3)["project_id"].to_list() == ["R1", "X1", "G1"]
    assert page(include_closed=True, limit=10)["total_rows"][0] == 4
    # a sort key outside the allowlist cannot reach SQL: the page maps it, the query ignores it
    assert health.sort_key("bac; drop table x") == "health"
    assert page(sort="nonsense", limit=3)["project_id"].to_list() == ["G1", "R1", "X1"]
    assert page(include_closed=True, limit=10)["health_history"].to_list()[:1] == [["green", "red"]]


def test_portfolio_rollup_matches_the_kpis_and_hand_values(portfolio):
    projects = query.run(portfolio, "portfolio_health_projects", **FILTERS, as_of=None, eac_method="plan")
    active = projects.filter(pl.col("is_active"))
    totals = health.rollup(active)
    cur = kpis(portfolio)["current"]
    for key in ("bac", "pv", "ev", "ac", "cpi", "spi"):
        assert totals[key] == pytest.approx(cur[key]), key
    # EAC by AC + (BAC - EV): R1 180,000 + 10,000; G1 90,000 + 10,000; X1 90,000 + 10,000
    assert totals["eac"] == pytest.approx(390_000)
    assert totals["etc"] == pytest.approx(390_000 - 360_000)
    assert totals["vac"] == pytest.approx(300_000 - 390_000)
    assert totals["tcpi"] is None                      # AC 360,000 >= BAC 300,000
    assert totals["sv"] == pytest.approx(270_000 - 3 * 100_000 * 323 / 365)
    empty = health.rollup(active.clear())
    assert empty["cpi"] is None and empty["tcpi"] is None
