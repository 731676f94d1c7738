"""Budget variance: hand-worked numbers on a small ledger (queries/budget_*.sql, the budget_variance
view, pmo.budget).

The ledger (amounts in thousands; fiscal year starting in April; reporting currency USD; EUR is 1.10
until August 2026 and 1.20 from September; GBP 1.25; CHF has no rate):

    P1 Alpha  (Ops/Core, USD, Labour+Vendor, CC1)  budget 100/month Aug..Dec = 500
        actual Aug 120 + duplicate invoice 20 (Vendor), Sep reversal -20 (Vendor) + 90,
        Oct 150 + credit note -10 (Vendor)                               -> actual to date 350
        forecast Oct 160 (stale: Oct is closed), Nov 120, Dec 130          -> remaining 250
        FAC 600, overrun 100 = 20% -> red (the % trips; 100 is not MORE than 100)
        commitment Nov 40
    P2 Beta   (Ops/Core, EUR, Vendor, CC2)  budget 200 EUR/month Aug..Nov = 220+240+240+240 = 940
        actual Aug 180, Sep 210, Oct 190 EUR = 198+252+228                -> actual to date 678
        forecast Nov 265 EUR = 318; a Dec forecast of 1,000 CHF has no rate (left out)
        FAC 996, overrun 56 = 5.96% -> amber (more than 5% and more than 50)
    P3 Gamma  (Growth/New, GBP, Hardware, CC3)  forecast only: Dec 80, Apr 2027 40 GBP = 100+50
        FAC 150 with no budget -> red (more than 100)
    P4 Delta  (Growth/New, USD, Software, CC3)  budget 50/month Aug..Dec = 250, no forecast
        actual Aug 60, no actual lines in Sep, Oct 30                           -> actual to date 90
        remaining budget 250-90 = 160 over the Nov+Dec budget (80 each)   -> FAC 250, on budget
    P5 Eps    (Ops/Core, USD, Travel, CC1)  finished 15 Sep 2026: budget 20/month Aug..Nov = 80,
        actual Aug 25, Sep 15 = 40, nothing remaining                     -> FAC 40
    P6 Zeta   (Growth/New, USD, Labour, CC3)  budget Aug 100, actual Aug 30, nothing later
        remaining budget 70 put in the month after the close month (Nov)  -> FAC 100

As of 25 Nov 2026 the close month is Oct 2026 (the latest month with actuals).
    total budget 1,870; actual to date 1,188; remaining 948; FAC 2,136; forecast variance -266
    (-14.22%); flagged: P1 red, P3 red, P2 amber.
    burn rate = (Aug 453 + Sep 337 + Oct 398) / 3 = 396; months left = (1,870-1,188)/396 = 1.722
    window = fiscal year to date, Apr..Oct 2026: budget 1,310, actual 1,188, variance 122 (9.31%)
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from helpers.canonical import connect

from pmo import budget, query
from pmo.budget import Thresholds, Window

K = 1000.0
AS_OF = date(2026, 11, 25)
FILTERS = {"portfolio": None, "program": None, "department": None, "manager": None, "stage": None}
CONFIG = "[general]\nfiscal_year_start_month = 4\n"


def line(project, month, kind, amount, category, cc, currency="USD", capex="OPEX"):
    return {"project_id": project, "period": month, "kind": kind, "amount_original": amount * K,
            "currency": currency, "category": category, "cost_center": cc, "capex_opex": capex}


def m(year, month):
    return date(year, month, 1)


AUG, SEP, OCT, NOV, DEC = m(2026, 8), m(2026, 9), m(2026, 10), m(2026, 11), m(2026, 12)

LEDGER = [
    # P1: credits and reversals
    *[line("P1", p, "budget", 100, "Labour", "CC1") for p in (AUG, SEP, OCT, NOV, DEC)],
    line("P1", AUG, "actual", 120, "Labour", "CC1"),
    line("P1", AUG, "actual", 20, "Vendor", "CC1"),        # duplicate invoice ...
    line("P1", SEP, "actual", -20, "Vendor", "CC1"),       # ... reversed the next month
    line("P1", SEP, "actual", 90, "Labour", "CC1"),
    line("P1", OCT, "actual", 150, "Labour", "CC1"),
    line("P1", OCT, "actual", -10, "Vendor", "CC1"),       # credit note
    line("P1", OCT, "forecast", 160, "Labour", "CC1"),     # stale forecast for a closed month
    line("P1", NOV, "forecast", 120, "Labour", "CC1"),
    line("P1", DEC, "forecast", 130, "Labour", "CC1"),
    line("P1", NOV, "commitment", 40, "Vendor", "CC1"),
    # P2: EUR with a rate change in September, one CHF line without a rate
    *[line("P2", p, "budget", 200, "Vendor", "CC2", "EUR", "CAPEX") for p in (AUG, SEP, OCT, NOV)],
    line("P2", AUG, "actual", 180, "Vendor", "CC2", "EUR", "CAPEX"),
    line("P2", SEP, "actual", 210, "Vendor", "CC2", "EUR", "CAPEX"),
    line("P2", OCT, "actual", 190, "Vendor", "CC2", "EUR", "CAPEX"),
    line("P2", NOV, "forecast", 265, "Vendor", "CC2", "EUR", "CAPEX"),
    line("P2", DEC, "forecast", 1, "Vendor", "CC2", "CHF", "CAPEX"),
    # P3: forecast only, GBP, crossing into the next fiscal year
    line("P3", DEC, "forecast", 80, "Hardware", "CC3", "GBP", "CAPEX"),
    line("P3", m(2027, 4), "forecast", 40, "Hardware", "CC3", "GBP", "CAPEX"),
    # P4: no forecast lines, a month (Sep) with no actual lines
    *[line("P4", p, "budget", 50, "Software", "CC3") for p in (AUG, SEP, OCT, NOV, DEC)],
    line("P4", AUG, "actual", 60, "Software", "CC3"),
    line("P4", OCT, "actual", 30, "Software", "CC3"),
    # P5: finished
    *[line("P5", p, "budget", 20, "Travel", "CC1") for p in (AUG, SEP, OCT, NOV)],
    line("P5", AUG, "actual", 25, "Travel", "CC1"),
    line("P5", SEP, "actual", 15, "Travel", "CC1"),
    # P6: remaining budget with no later budget months
    line("P6", AUG, "budget", 100, "Labour", "CC3"),
    line("P6", AUG, "actual", 30, "Labour", "CC3"),
]

PROJECTS = [
    {"project_id": "P1", "project_name": "Alpha", "portfolio": "Ops", "program": "Core", "department": "IT",
     "stage": "Execution", "currency": "USD", "budget_original": 550 * K},
    {"project_id": "P2", "project_name": "Beta", "portfolio": "Ops", "program": "Core", "department": "Finance",
     "stage": "Execution", "currency": "USD", "budget_original": 940 * K},
    {"project_id": "P3", "project_name": "Gamma", "portfolio": "Growth", "program": "New", "department": "IT",
     "stage": "Planning", "currency": "USD", "budget_original": 150 * K},
    {"project_id": "P4", "project_name": "Delta", "portfolio": "Growth", "program": "New", "department": "IT",
     "stage": "Execution", "currency": "USD", "budget_original": 250 * K},
    {"project_id": "P5", "project_name": "Eps", "portfolio": "Ops", "program": "Core", "department": "IT",
     "stage": "Closed", "actual_finish_date": date(2026, 9, 15), "currency": "USD", "budget_original": 80 * K},
    {"project_id": "P6", "project_name": "Zeta", "portfolio": "Growth", "program": "New", "department": "IT",
     "stage": "Execution", "currency": "USD", "budget_original": 100 * K},
]

FX = [
    {"currency": "EUR", "rate_to_reporting": 1.10, "valid_from": date(2025, 1, 1)},
    {"currency": "EUR", "rate_to_reporting": 1.20, "valid_from": date(2026, 9, 1)},
    {"currency": "GBP", "rate_to_reporting": 1.25, "valid_from": date(2025, 1, 1)},
]

TABLES = {"financials": LEDGER, "projects": PROJECTS, "fx_rates": FX}


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    return connect(tmp_path_factory.mktemp("budget") / "store", TABLES, config_toml=CONFIG)


def lines(con, as_of=AS_OF, fiscal_start_month=4, **filters):
    return query.run(con, "budget_lines", as_of=as_of, fiscal_start_month=fiscal_start_month,
                   **{**FILTERS, **filters})


def per_project(df: pl.DataFrame) -> dict[str, dict]:
    agg = df.group_by("project_id").agg(
        pl.col("budget").sum(), pl.col("actual").sum(), pl.col("remaining").sum(), pl.col("fac").sum(),
        pl.col("remaining_basis").first())
    return {r["project_id"]: r for r in agg.iter_rows(named=True)}


def approx(value, rel=1e-9):
    return pytest.approx(value, rel=rel, abs=1e-6)


# ---------------------------------------------------------------------------------------------
# The budget_variance view
# ---------------------------------------------------------------------------------------------

def view_row(con, project, period, category):
    rows = con.sql("select * from budget_variance where project_id = $p and period = $d and category = $c",
                   params={"p": project, "d": period, "c": category}).pl()
    assert rows.height == 1
    return rows.row(0, named=True)


def test_view_sums_lines_per_project_period_category_cost_center(con):
    r = view_row(con, "P1", OCT, "Labour")
    assert (r["cost_center"], r["budget"], r["actual"], r["forecast"], r["commitment"]) == ("CC1", 100 * K, 150 * K, 160 * K, 0.0)
    assert r["variance"] == approx(-50 * K) and r["variance_pct"] == approx(-0.5)


def test_view_keeps_credits_and_reversals_and_has_null_pct_without_budget(con):
    aug = view_row(con, "P1", AUG, "Vendor")
    sep = view_row(con, "P1", SEP, "Vendor")
    assert (aug["budget"], aug["actual"], aug["variance"], aug["variance_pct"]) == (0.0, 20 * K, -20 * K, None)
    assert sep["actual"] == approx(-20 * K) and sep["variance"] == approx(20 * K)


def test_view_converts_each_month_at_its_rate_and_leaves_out_lines_without_one(con):
    assert view_row(con, "P2", AUG, "Vendor")["budget"] == approx(220 * K)   # 200 EUR x 1.10
    assert view_row(con, "P2", SEP, "Vendor")["budget"] == approx(240 * K)   # 200 EUR x 1.20
    assert view_row(con, "P2", NOV, "Vendor")["forecast"] == approx(318 * K)  # 265 EUR x 1.20
    dec = con.sql("select * from budget_variance where project_id = 'P2' and period = $d", params={"d": DEC}).pl()
    assert dec.is_empty()                                                    # only the CHF line
    assert view_row(con, "P3", DEC, "Hardware")["forecast"] == approx(100 * K)  # 80 GBP x 1.25


def test_view_totals(con):
    t = con.sql("select sum(budget) b, sum(actual) a, sum(forecast) f, sum(commitment) c, count(*) n "
                "from budget_variance").pl().row(0, named=True)
    assert t["b"] == approx(1870 * K)
    assert t["a"] == approx(1188 * K)
    assert t["f"] == approx((160 + 120 + 130 + 318 + 100 + 50) * K)
    assert t["c"] == approx(40 * K)


# ---------------------------------------------------------------------------------------------
# budget_lines: close month, actual to date, remaining forecast, FAC
# ---------------------------------------------------------------------------------------------

def test_close_month_is_the_latest_month_with_actuals_up_to_the_as_of_month(con):
    assert lines(con)["close_month"].unique().to_list() == [OCT]
    assert lines(con, as_of=None)["close_month"].unique().to_list() == [OCT]   # NULL = latest actuals
    assert lines(con, as_of=date(2026, 9, 25))["close_month"].unique().to_list() == [SEP]


def test_fac_per_project_as_of_november(con):
    p = per_project(lines(con))
    expected = {  # budget, actual to date, remaining, FAC, basis
        "P1": (500, 350, 250, 600, "forecast"),
        "P2": (940, 678, 318, 996, "forecast"),
        "P3": (0, 0, 150, 150, "forecast"),
        "P4": (250, 90, 160, 250, "remaining budget"),
        "P5": (80, 40, 0, 40, "finished"),
        "P6": (100, 30, 70, 100, "remaining budget"),
    }
    for pid, (b, a, r, fac, basis) in expected.items():
        got = p[pid]
        assert (got["budget"], got["actual"], got["remaining"], got["fac"]) == (
            approx(b * K), approx(a * K), approx(r * K), approx(fac * K)), pid
        assert got["remaining_basis"] == basis


def test_stale_forecast_for_a_closed_month_is_not_counted(con):
    oct_ = lines(con).filter((pl.col("project_id") == "P1") & (pl.col("period") == OCT)
                             & (pl.col("category") == "Labour")).row(0, named=True)
    assert (oct_["forecast"], oct_["actual"], oct_["remaining"], oct_["fac"]) == (160 * K, 150 * K, 0.0, 150 * K)


def test_remaining_budget_is_spread_over_later_budget_months_or_the_month_after_close(con):
    df = lines(con)
    p4 = df.filter(pl.col("project_id") == "P4").sort("period")
    assert dict(zip(p4["period"], p4["remaining"])) == {
        AUG: 0.0, SEP: 0.0, OCT: 0.0, NOV: approx(80 * K), DEC: approx(80 * K)}
    p6 = df.filter(pl.col("project_id") == "P6").sort("period")
    assert dict(zip(p6["period"], p6["remaining"])) == {AUG: 0.0, NOV: approx(70 * K)}


def test_an_earlier_as_of_date_counts_months_closed_since_at_their_actuals(con):
    p = per_project(lines(con, as_of=date(2026, 9, 25)))
    assert p["P1"]["actual"] == approx(210 * K)                   # 120 + 20 - 20 + 90
    assert p["P1"]["remaining"] == approx(410 * K)                # Oct forecast 160 + 120 + 130
    assert p["P2"]["remaining"] == approx(546 * K)                # Oct actual 228 (no forecast) + 318
    assert p["P2"]["fac"] == approx(996 * K)
    assert p["P4"]["remaining"] == approx(190 * K)                # 250 - 60 over Oct..Dec budget
    assert p["P5"]["remaining_basis"] == "finished"              # finished 15 Sep
    assert p["P6"]["remaining"] == approx(70 * K)
    assert sum(r["fac"] for r in p.values()) == approx(2156 * K)
    early = per_project(lines(con, as_of=date(2026, 8, 31)))
    assert early["P5"]["remaining_basis"] == "remaining budget"  # not finished yet on 31 Aug
    assert early["P5"]["fac"] == approx(80 * K)


def test_fiscal_year_and_quarter_with_an_april_start(con):
    df = lines(con).select("period", "fiscal_year", "fiscal_quarter").unique().sort("period")
    got = {r["period"]: (r["fiscal_year"], r["fiscal_quarter"]) for r in df.iter_rows(named=True)}
    assert got[AUG] == (2027, 2) and got[OCT] == (2027, 3) and got[DEC] == (2027, 3)
    assert got[m(2027, 4)] == (2028, 1)
    calendar = lines(con, fiscal_start_month=1).filter(pl.col("period") == m(2027, 4))
    assert (calendar["fiscal_year"][0], calendar["fiscal_quarter"][0]) == (2027, 2)


@pytest.mark.parametrize("start", [1, 4, 7, 12])
def test_sql_and_python_agree_on_fiscal_periods(con, start):
    months = [budget.add_months(date(2025, 1, 1), k) for k in range(36)]
    got = con.sql(
        "select d, year(d) + case when $s > 1 and month(d) >= $s then 1 else 0 end as fy, "
        "(month(d) - $s + 12) % 12 // 3 + 1 as q from unnest($m) t(d)",
        params={"s": start, "m": months}).pl()
    for d, fy, q in got.iter_rows():
        assert (fy, q) == (budget.fiscal_year(d, start), budget.fiscal_quarter(d, start)), d


def test_filters_restrict_lines(con):
    assert set(lines(con, portfolio="Growth")["project_id"]) == {"P3", "P4", "P6"}
    assert set(lines(con, department="Finance")["project_id"]) == {"P2"}
    assert lines(con, portfolio="Nowhere").is_empty()


def test_unconverted_lines_are_listed(con):
    u = query.run(con, "budget_unconverted", **FILTERS)
    assert u.rows(named=True) == [{
        "currency": "CHF", "kind": "forecast", "line_count": 1, "amount_original": 1 * K, "project_count": 1,
        "projects": "P2", "first_period": DEC, "last_period": DEC}]
    assert query.run(con, "budget_unconverted", **{**FILTERS, "portfolio": "Growth"}).is_empty()


def test_ledger_vs_register(con):
    r = query.run(con, "budget_ledger_vs_register", **FILTERS)
    p1 = r.filter(pl.col("project_id") == "P1").row(0, named=True)
    assert (p1["register_budget"], p1["ledger_budget"]) == (approx(550 * K), approx(500 * K))
    assert p1["difference_amount"] == approx(-50 * K) and p1["difference_pct"] == approx(-50 / 550)
    p3 = r.filter(pl.col("project_id") == "P3").row(0, named=True)
    assert p3["ledger_budget"] is None
    short = budget.short_ledger_budgets(r, ["P1", "P2", "P3", "P4", "P5", "P6"], 0.01, 10 * K)
    assert short["project_id"].to_list() == ["P1", "P3"]


# ---------------------------------------------------------------------------------------------
# pmo.budget: roll-ups, KPIs, flags, charts' series
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def frame(con):
    return budget.prepare(lines(con))


WINDOW = Window(m(2026, 4), OCT)


def test_default_window_is_fiscal_year_to_date():
    assert budget.default_window(OCT, 4) == WINDOW
    assert budget.default_window(OCT, 1) == Window(m(2026, 1), OCT)
    assert budget.default_window(m(2026, 11), 12) == Window(m(2025, 12), m(2026, 11))
    assert budget.default_window(m(2026, 12), 12) == Window(m(2026, 12), m(2026, 12))


def test_portfolio_kpis(frame):
    t = budget.summarise(frame, None, WINDOW, OCT).row(0, named=True)
    assert t["ledger_budget"] == approx(1870 * K)
    assert t["ledger_actual_to_date"] == approx(1188 * K)
    assert t["remaining_forecast"] == approx(948 * K)
    assert t["fac"] == approx(2136 * K)
    assert t["forecast_variance"] == approx(-266 * K)
    assert t["forecast_variance_pct"] == approx(-266 / 1870)
    assert t["window_budget"] == approx(1310 * K) and t["window_actual"] == approx(1188 * K)
    assert t["window_variance"] == approx(122 * K) and t["window_variance_pct"] == approx(122 / 1310)
    assert t["burn_rate"] == approx(396 * K)
    assert t["months_left"] == approx(682 / 396)
    assert t["open_commitments"] == approx(40 * K)


def test_burn_rate_counts_a_month_without_actual_lines_as_zero(frame):
    p4 = budget.summarise(frame, "project", WINDOW, OCT).filter(pl.col("key") == "P4").row(0, named=True)
    assert p4["burn_rate"] == approx(30 * K)                       # (60 + 0 + 30) / 3
    assert p4["months_left"] == approx(160 / 30)
    p3 = budget.summarise(frame, "project", WINDOW, OCT).filter(pl.col("key") == "P3").row(0, named=True)
    assert p3["burn_rate"] == 0.0 and p3["months_left"] == 0.0     # no budget left to spend
    p1 = budget.summarise(frame, "project", WINDOW, OCT).filter(pl.col("key") == "P1").row(0, named=True)
    assert p1["months_left"] == approx(150 / (350 / 3))


def test_a_narrower_window(frame):
    t = budget.summarise(frame, None, Window(SEP, SEP), OCT).row(0, named=True)
    assert t["window_budget"] == approx((100 + 240 + 50 + 20) * K)
    assert t["window_actual"] == approx(337 * K)
    assert t["window_variance"] == approx(73 * K)


@pytest.mark.parametrize(("by", "expected"), [
    ("portfolio", {"Ops": (1520, 1068, 1636), "Growth": (350, 120, 500)}),
    ("program", {"Core": (1520, 1068, 1636), "New": (350, 120, 500)}),
    ("department", {"Finance": (940, 678, 996), "IT": (930, 510, 1140)}),
    ("cost_center", {"CC1": (580, 390, 640), "CC2": (940, 678, 996), "CC3": (350, 120, 500)}),
    ("category", {"Labour": (600, 390, 710), "Vendor": (940, 668, 986), "Hardware": (0, 0, 150),
                  "Software": (250, 90, 250), "Travel": (80, 40, 40)}),
    ("capex_opex", {"CAPEX": (940, 678, 1146), "OPEX": (930, 510, 990)}),
    ("month", {"2026-08": (490, 453, 453), "2026-09": (410, 337, 337), "2026-10": (410, 398, 398),
               "2026-11": (410, 0, 588), "2026-12": (150, 0, 310), "2027-04": (0, 0, 50)}),
    ("quarter", {"FY2027 Q2": (900, 790, 790), "FY2027 Q3": (970, 398, 1296), "FY2028 Q1": (0, 0, 50)}),
    ("fiscal_year", {"FY2027": (1870, 1188, 2086), "FY2028": (0, 0, 50)}),
])
def test_every_cut_adds_up(frame, by, expected):
    s = budget.summarise(frame, by, WINDOW, OCT)
    got = {r["key"]: (r["ledger_budget"], r["ledger_actual_to_date"], r["fac"]) for r in s.iter_rows(named=True)}
    assert got == {k: tuple(approx(v * K) for v in vals) for k, vals in expected.items()}


def test_project_labels(frame):
    s = budget.summarise(frame, "project", WINDOW, OCT)
    assert dict(zip(s["key"], s["label"]))["P1"] == "P1 · Alpha"


def test_flags_and_reasons(frame):
    f = budget.project_flags(frame, Thresholds(), "USD")
    assert f["project_id"].to_list()[:3] == ["P3", "P1", "P2"]    # red by overrun, then amber
    rows = {r["project_id"]: r for r in f.iter_rows(named=True)}
    assert [rows[p]["flag"] for p in ("P1", "P2", "P3", "P4", "P5", "P6")] == ["red", "amber", "red", None, None, None]
    assert rows["P1"]["overrun_amount"] == approx(100 * K) and rows["P1"]["overrun_pct"] == approx(0.2)
    assert rows["P1"]["reason"] == "FAC $600K is $100K (20.0%) over the $500K budget: more than 10% over (red)."
    assert rows["P2"]["reason"] == ("FAC $996K is $56K (6.0%) over the $940K budget: "
                                    "more than 5% and more than $50K over (amber).")
    assert rows["P3"]["overrun_pct"] is None
    assert rows["P3"]["reason"] == "FAC $150K with no budget in the ledger: more than $100K over (red)."
    assert rows["P5"]["reason"].startswith("On budget or under: FAC $40K is $40K (50.0%) under")


@pytest.mark.parametrize(("overrun", "budget_", "expected"), [
    (0, 1000, None),
    (-50_000, 100_000, None),
    (9_999, 10_000, None),            # 99.99% over, but below the 10,000 minimum
    (10_000, 1_000_000, None),        # 1%, 10,000: at the minimum but within amber
    (50_000, 1_000_000, None),        # exactly 5% and exactly 50,000: not MORE than either
    (50_001, 2_000_000, "amber"),     # the amount trips (2.5%)
    (60_000, 1_000_000, "amber"),     # 6% and 60,000
    (100_000, 1_000_000, "amber"),    # exactly 10% and exactly 100,000
    (100_001, 5_000_000, "red"),      # the amount trips (2%)
    (11_000, 100_000, "red"),         # the percent trips (11%), amount small
    (20_000, 0, None),                # no budget: only the amounts, 20,000 is within them
    (120_000, 0, "red"),
    (60_000, -5_000, "amber"),
    (None, 1000, None),
])
def test_flag_thresholds(overrun, budget_, expected):
    assert budget.flag(overrun, budget_, Thresholds()) == expected


def test_thresholds_from_config():
    t = Thresholds.from_config({"amber_over_pct": 0.08, "min_amount": 5000, "unknown": 1})
    assert (t.amber_over_pct, t.red_over_pct, t.min_amount) == (0.08, 0.10, 5000.0)
    assert budget.flag(7_000, 100_000, t) is None and budget.flag(9_000, 100_000, t) == "amber"


def test_reason_below_minimum_and_within_thresholds():
    t = Thresholds()
    assert budget.reason(8_000, 10_000, 18_000, t) == (
        "FAC $18K is $8,000 (80.0%) over the $10K budget; below the $10K minimum for a flag.")
    assert budget.reason(30_000, 1_000_000, 1_030_000, t) == (
        "FAC $1.03M is $30K (3.0%) over the $1.00M budget; within the amber thresholds (5% and $50K).")


def test_monthly_series_and_s_curve(frame):
    mo = budget.monthly(frame, OCT)
    assert mo["period"].to_list() == [budget.add_months(AUG, k) for k in range(9)]   # Aug 2026 .. Apr 2027
    row = {r["period"]: r for r in mo.iter_rows(named=True)}
    assert (row[SEP]["budget"], row[SEP]["actual"], row[SEP]["forecast_remaining"]) == (approx(410 * K), approx(337 * K), 0.0)
    assert row[m(2027, 1)]["budget"] == 0.0 and row[m(2027, 1)]["fac_month"] == 0.0       # a month with no lines
    assert row[NOV]["forecast_remaining"] == approx((120 + 318 + 80 + 70) * K)
    assert row[OCT]["cum_actual"] == approx(1188 * K) and row[NOV]["cum_actual"] is None
    assert row[SEP]["cum_fac"] is None and row[OCT]["cum_fac"] == approx(1188 * K)
    assert row[m(2027, 4)]["cum_fac"] == approx(2136 * K)
    assert row[m(2027, 4)]["cum_budget"] == approx(1870 * K)


def test_waterfall_from_budget_to_fac_by_category(frame):
    steps = budget.waterfall(budget.summarise(frame, "category", WINDOW, OCT))
    got = [(r["label"], round(r["start"] / K, 6), round(r["end"] / K, 6), r["kind"]) for r in steps.iter_rows(named=True)]
    assert got == [("Ledger budget", 0, 1870, "total"), ("Hardware", 1870, 2020, "over"),
                   ("Labour", 2020, 2130, "over"), ("Vendor", 2130, 2176, "over"),
                   ("Travel", 2176, 2136, "under"), ("FAC", 0, 2136, "total")]   # Software is on budget


def test_waterfall_folds_the_smallest_steps(frame):
    steps = budget.waterfall(budget.summarise(frame, "project", WINDOW, OCT), top=3)
    assert steps["label"].to_list() == ["Ledger budget", "P3 · Gamma", "P1 · Alpha", "Other 2", "FAC"]
    other = steps.filter(pl.col("label") == "Other 2").row(0, named=True)
    assert other["amount"] == approx(-16 * K)                       # P2 -56 + P5 +40
    assert steps["end"][-2] == approx(2136 * K)


def test_largest_overruns(frame):
    over = budget.largest_overruns(budget.project_flags(frame, Thresholds()), 2)
    assert over["project_id"].to_list() == ["P3", "P1"]


def test_heatmap_cells_and_top_rows(frame):
    top, cells = budget.heatmap(frame, WINDOW, OCT, top=2)
    c = {(r["project_id"], r["period"]): r for r in cells.iter_rows(named=True)}
    assert c[("P1", AUG)]["variance_pct"] == approx(-0.4)          # (100 - 140) / 100
    assert c[("P1", SEP)]["variance_pct"] == approx(0.3)           # (100 - 70) / 100
    assert c[("P2", SEP)]["variance_pct"] == approx(-0.05)
    assert ("P3", DEC) not in c                                    # after the close month
    assert set(cells["project_id"]) == {"P1", "P2", "P4", "P5", "P6"}
    # absolute window variance: P6 70, P1 -50, P2 22, P5 20, P4 60
    assert set(top["project_id"]) == {"P6", "P4"}


def test_drill_path_and_breadcrumb():
    assert budget.drill({}, "portfolio", "Ops") == ({"portfolio": "Ops"}, "program")
    assert budget.drill({"program": "Core"}, "portfolio", "Ops") == ({"portfolio": "Ops", "program": "Core"}, "project")
    path, nxt = budget.drill({"portfolio": "Ops", "program": "Core"}, "project", "P1")
    assert (list(path), nxt) == (["portfolio", "program", "project"], "category")
    assert budget.drill(path, "category", "Labour")[1] == "month"
    assert budget.drill({}, "month", "2026-09") == ({"month": "2026-09"}, "month")   # the last level
    full = {"portfolio": "Ops", "program": "Core", "project": "P1", "category": "Labour"}
    assert budget.up_to(full, "program") == {"portfolio": "Ops", "program": "Core"}
    assert budget.up_to(full, None) == {}


def test_apply_path(frame):
    scoped = budget.apply_path(frame, {"portfolio": "Ops", "category": "Vendor"})
    assert set(scoped["project_id"]) == {"P1", "P2"}
    t = budget.summarise(scoped, None, WINDOW, OCT).row(0, named=True)
    assert (t["ledger_budget"], t["fac"]) == (approx(940 * K), approx(986 * K))
    assert budget.apply_path(frame, {"month": "2026-09", "project": "P1"})["actual"].sum() == approx(70 * K)
    assert budget.apply_path(frame, {"fiscal_year": "FY2028"})["fac"].sum() == approx(50 * K)
    assert budget.apply_path(frame, {"portfolio": "Nowhere"}).is_empty()
