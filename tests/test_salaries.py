"""Salary benchmarks on hand-worked data: bands (annualised, aged, converted), placement, compa-ratio,
position in range, cost of closing gaps, unmapped titles, privacy and small-group suppression.

Every expected figure below is worked out by hand in the comment next to it.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from helpers.canonical import connect

from pmo import config, salaries, query

US, UK = "United States of America", "United Kingdom"
CONFIG = """
[salaries]
aging_rate = 0.03
age_to = "2026-05-15"
hours_per_year = 2080
small_group = 5
small_sample = 10
"""
OEWS = "BLS OEWS May 2026"


def bench(**kw) -> dict:
    row = {"source": OEWS, "reference_date": date(2026, 5, 15), "country": "U.S.", "currency": "USD",
           "basis": "annual", "soc_code": "13-1082", "job_title": "Project Management Specialists"}
    return {**row, **kw}


def band(p10, p25, p50, p75, p90) -> dict:
    return {"p10": p10, "p25": p25, "p50": p50, "p75": p75, "p90": p90}


BENCHMARKS = [
    # national 13-1082, annual, reference date = age_to: no aging
    bench(**band(60_000., 80_000., 100_000., 130_000., 160_000.), sample_size=968_700),
    # New York metro 13-1082, HOURLY: x 2,080 = 62,400 / 83,200 / 104,000 / 124,800 / 145,600
    bench(area="New York-Newark-Jersey City, NY-NJ", basis="hourly", **band(30., 40., 50., 60., 70.)),
    # New York state 13-1082 (the metro wins for a New York City employee)
    bench(area="New York", **band(1., 2., 3., 4., 5.)),
    # national 11-3021 two years old: x 1.03^2 = 1.0609 -> 106,090 / 127,308 / 159,135 / 190,962 / 212,180
    bench(soc_code="11-3021", job_title="Computer and Information Systems Managers",
          reference_date=date(2024, 5, 15), **band(100_000., 120_000., 150_000., 180_000., 200_000.)),
    # a UK survey for 13-1082 in GBP; GBP 1.25 at age_to -> 37,500 / 50,000 / 62,500 / 75,000 / 87,500
    bench(source="UK PM Survey 2026", country="UK", currency="GBP",
          **band(30_000., 40_000., 50_000., 60_000., 70_000.)),
    # a German survey in EUR; EUR 1.10 at age_to -> p50 88,000; p75 99,000
    bench(source="DE PM Survey 2026", country="Deutschland", currency="EUR",
          **band(60_000., 70_000., 80_000., 90_000., 100_000.)),
    # a Swiss survey in CHF: no FX rate at all -> NULL figures
    bench(source="CH PM Survey 2026", country="Switzerland", currency="CHF",
          **band(90_000., 100_000., 120_000., 140_000., 160_000.)),
    # company-level figure, 2 reports: shown, flagged as a small sample, never used to place staff
    bench(source="Glassdoor 2026", soc_code=None, job_title="Project Manager", company="NIKE",
          sample_size=2, **band(90_000., 95_000., 105_000., 115_000., 120_000.)),
    # a benchmark title no role uses: "what the data adds"
    bench(soc_code="15-1252", job_title="Software Developers", **band(1., 2., 3., 4., 5.)),
]

FX = [
    {"currency": "GBP", "rate_to_reporting": 1.20, "valid_from": date(2025, 1, 1)},
    {"currency": "GBP", "rate_to_reporting": 1.25, "valid_from": date(2026, 1, 1)},
    {"currency": "EUR", "rate_to_reporting": 1.10, "valid_from": date(2026, 1, 1)},
    # valid after age_to: must not be used for bands or for the pay compared with them
    {"currency": "EUR", "rate_to_reporting": 1.30, "valid_from": date(2026, 6, 1)},
]


def person(eid, title, city, country, currency, pay, fte=1.0, **kw) -> dict:
    return {"employee_id": eid, "employee_name": f"Name {eid}", "job_title": title, "city": city,
            "country": country, "currency": currency, "base_salary_original": pay, "fte": fte,
            "is_pmo": True, "department": "PMO", "level": "Individual Contributor", **kw}


STAFF = [
    person("E1", "PMO Analyst", "New York", US, "USD", 93_600.),
    person("E2", " project manager ", "Boise", US, "USD", 70_000., fte=0.6),
    person("E3", "Program Manager", "Chicago", US, "USD", 143_221.5),
    person("E4", "Project Manager", "London", UK, "GBP", 55_000.),
    person("E5", "Project Manager", "Frankfurt", "Germany", "EUR", 96_000.),
    person("E6", "Project Manager", "Paris", "France", "EUR", 70_000.),
    person("E7", "Scrum Master", "New York", US, "USD", 120_000.),
    person("E8", "Sr. Project Mgr", "New York", US, "USD", 130_000.),
    person("E9", "Project Manager", "Zurich", "Switzerland", "USD", 150_000.),
    person("E10", "Accountant", "New York", US, "USD", 80_000., is_pmo=False),
]


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    return connect(tmp_path_factory.mktemp("salaries") / "store",
                   {"salaries": STAFF, "salary_benchmarks": BENCHMARKS, "fx_rates": FX},
                   config_toml=CONFIG)


@pytest.fixture(scope="module")
def positions(con) -> dict[str, dict]:
    rows = con.sql("select * from salary_positions").pl().rows(named=True)
    return {r["employee_id"]: r for r in rows}


def approx(x):
    return pytest.approx(x, rel=1e-9)


# ------------------------------------------------------------------------------------------------
# Bands: hourly -> annual, aging, currency
# ------------------------------------------------------------------------------------------------

def market(con, **where) -> list[dict]:
    rows = con.sql("select * from salary_market").pl().rows(named=True)
    return [r for r in rows if all(r[k] == v for k, v in where.items())]


def test_hourly_band_is_annualised_with_2080_hours_and_labelled(con):
    rows = market(con, benchmark_role="PMO Analyst", area="New York-Newark-Jersey City, NY-NJ")
    assert len(rows) == 1
    r = rows[0]
    assert [r[p] for p in ("p10", "p25", "p50", "p75", "p90")] == [
        approx(62_400), approx(83_200), approx(104_000), approx(124_800), approx(145_600)]
    assert r["is_annualised"] and r["basis"] == "hourly" and r["annualise_factor"] == 2080
    assert r["p50_original"] == 50.0
    assert r["area_kind"] == "metro"


def test_band_two_years_old_is_aged_at_three_percent_a_year(con):
    (r,) = market(con, benchmark_role="Program Manager", source=OEWS)
    assert r["aging_factor"] == approx(1.0609)                     # 1.03 ^ (24 months / 12)
    assert r["p50"] == approx(159_135)                             # 150,000 x 1.0609
    assert r["p10"] == approx(106_090) and r["p90"] == approx(212_180)


def test_gbp_and_eur_bands_converted_with_the_rate_valid_at_age_to(con):
    (uk,) = market(con, benchmark_role="Project Manager", source="UK PM Survey 2026")
    assert uk["fx_rate"] == 1.25 and uk["p50"] == approx(62_500) and uk["currency"] == "GBP"
    assert uk["country"] == "United Kingdom"                       # "UK" spelled as the title map says
    (de,) = market(con, benchmark_role="Project Manager", source="DE PM Survey 2026")
    assert de["fx_rate"] == 1.10 and de["p50"] == approx(88_000)   # not the later 1.30
    (ch,) = market(con, benchmark_role="Project Manager", source="CH PM Survey 2026")
    assert ch["p50"] is None                                       # CHF has no rate: no figure


def test_company_figure_flagged_as_small_sample_and_not_placeable(con):
    (nike,) = market(con, benchmark_role="Project Manager", company="NIKE")
    assert nike["is_small_sample"] and nike["sample_size"] == 2 and not nike["is_placeable"]
    (oews,) = market(con, benchmark_role="Project Manager", source=OEWS, area=None)
    assert not oews["is_small_sample"]


def test_one_oews_occupation_represents_several_roles(con):
    roles = {r["benchmark_role"] for r in market(con, source=OEWS, area=None, soc_code="13-1082")}
    assert roles == {"PMO Analyst", "Project Coordinator", "Project Manager", "Senior Project Manager"}


def test_benchmark_title_no_role_uses_is_listed_not_dropped(con):
    df = query.run(con, "salary_unused_benchmarks")
    assert df["job_title"].to_list() == ["Software Developers"]


def test_company_figures_are_listed_as_pay_by_company(con):
    # NIKE: 2 reports, p50 105,000 USD at age_to (no ageing, no conversion)
    df = query.run(con, "salary_company_pay")
    assert df.select("company", "job_title", "company_pay", "pay_as_reported", "sample_size",
                     "is_small_sample").rows() == [("NIKE", "Project Manager", 105_000.0, 105_000.0, 2, True)]


# ------------------------------------------------------------------------------------------------
# Staff placed on bands
# ------------------------------------------------------------------------------------------------

def test_new_york_analyst_on_metro_band_compa_ratio_and_position(positions):
    e = positions["E1"]
    assert e["benchmark_role"] == "PMO Analyst" and e["area_kind"] == "metro"
    assert e["benchmark_source"] == OEWS and e["match_status"] == "placed"
    assert e["compa_ratio"] == approx(0.9)                 # 93,600 / 104,000
    assert e["range_position"] == approx(0.375)            # (93,600 - 62,400) / (145,600 - 62,400)
    assert e["pay_zone"] == "p25-p50"
    assert e["cost_to_p25"] == 0 and e["cost_to_p50"] == approx(10_400)


def test_part_timer_gap_cost_is_the_fte_gap_times_fte(positions):
    e = positions["E2"]                                    # title ' project manager ' still maps
    assert e["benchmark_role"] == "Project Manager"
    assert e["benchmark_area"] is None and e["area_kind"] == "national"   # Boise: not in the map
    assert e["compa_ratio"] == approx(0.7)                 # 70,000 / 100,000
    assert e["range_position"] == approx(0.1)              # (70,000 - 60,000) / 100,000
    assert e["pay_zone"] == "p10-p25"
    assert e["cost_to_p25"] == approx(6_000)               # (80,000 - 70,000) x 0.6
    assert e["cost_to_p50"] == approx(18_000)              # (100,000 - 70,000) x 0.6


def test_program_manager_on_aged_band(positions):
    e = positions["E3"]
    assert e["p50"] == approx(159_135)
    assert e["compa_ratio"] == approx(0.9)                 # 143,221.5 / 159,135
    assert e["range_position"] == approx(0.35)             # 37,131.5 / 106,090


def test_london_pay_and_band_both_in_reporting_currency(positions):
    e = positions["E4"]
    assert e["base_salary"] == approx(68_750)              # 55,000 GBP x 1.25
    assert e["benchmark_country"] == "United Kingdom" and e["benchmark_source"] == "UK PM Survey 2026"
    assert e["compa_ratio"] == approx(1.1)                 # 68,750 / 62,500
    assert e["range_position"] == approx(0.625)            # (68,750 - 37,500) / (87,500 - 37,500)


def test_same_currency_comparison_is_fx_neutral(positions):
    e = positions["E5"]
    assert e["base_salary"] == approx(105_600)             # 96,000 EUR x 1.10 (rate at age_to)
    assert e["compa_ratio"] == approx(1.2)                 # = 96,000 / 80,000 in euros
    assert e["pay_zone"] == "p75-p90"                      # above p75 (90,000 EUR)
    assert e["cost_to_p25"] == 0 and e["cost_to_p50"] == 0


def test_people_without_a_band_say_why(positions):
    assert positions["E6"]["match_status"] == "no benchmark for France"
    assert positions["E7"]["match_status"] == "unmapped title"
    assert positions["E8"]["match_status"] == "unmapped title"
    assert positions["E9"]["match_status"] == "benchmark currency has no FX rate"
    for eid in ("E6", "E7", "E8", "E9"):
        assert positions[eid]["compa_ratio"] is None and positions[eid]["cost_to_p25"] is None


def test_view_has_one_row_per_employee_and_the_documented_columns(con):
    df = con.sql("select * from salary_positions").pl()
    assert df.height == len(STAFF) == df["employee_id"].n_unique()
    assert df.columns[:13] == ["employee_id", "job_title", "benchmark_role", "benchmark_source", "country",
                               "base_salary", "p10", "p25", "p50", "p75", "p90", "compa_ratio",
                               "range_position"]


def test_staff_query_keeps_pmo_staff_and_mapped_titles_only(con):
    df = query.run(con, "salary_staff", country=None, department=None, level=None)
    assert "E10" not in df["employee_id"].to_list() and df.height == 9


def test_unplaced_staff_grouped_by_reason(con):
    df = query.run(con, "salary_unplaced", country=None, department=None, level=None)
    got = {(r["match_status"], r["job_title"]): r["staff_count"] for r in df.rows(named=True)}
    assert got == {("unmapped title", "Scrum Master"): 1, ("unmapped title", "Sr. Project Mgr"): 1,
                   ("no benchmark for France", "Project Manager"): 1,
                   ("benchmark currency has no FX rate", "Project Manager"): 1}


def test_bands_query_filters_by_the_hr_spelling_of_a_country(con):
    df = query.run(con, "salary_bands", role="Project Manager", country=UK)
    assert df["source"].to_list() == ["UK PM Survey 2026"]


# ------------------------------------------------------------------------------------------------
# Unmapped titles and the title map
# ------------------------------------------------------------------------------------------------

def test_suggestions_for_unmapped_titles():
    tm = salaries.load_title_map()
    assert salaries.suggest_roles("Sr. Project Mgr", tm)[0] == "Senior Project Manager"
    assert salaries.suggest_roles("Programme Mgr", tm)[0] == "Program Manager"
    assert salaries.suggest_roles("Head of Project Management Office", tm)[0] == "PMO Director / Head of PMO"
    assert salaries.suggest_roles("Scrum Master", tm) == []
    df = salaries.unmapped_titles(pl.DataFrame({"job_title": ["Scrum Master", "PMO Analyst II"]}), tm)
    assert df["suggested_roles"].to_list() == ["no close match", "PMO Analyst"]


def test_shipped_title_map_has_the_issue_roles_in_order_and_no_problems():
    tm = salaries.load_title_map()
    assert tm.problems == []
    assert tm.roles == ["PMO Analyst", "Project Coordinator", "Project Manager", "Senior Project Manager",
                        "Program Manager", "Portfolio Manager", "PMO Manager", "PMO Director / Head of PMO"]
    assert tm.role_of("  head of PMO ") == "PMO Director / Head of PMO"
    assert tm.role_of("Scrum Master") is None


def test_title_map_problems_are_reported_not_raised(tmp_path):
    bad = tmp_path / "map.toml"
    bad.write_text("""
[roles."A"]
titles = ["X", "Y"]
[[roles."A".benchmarks]]
soc_code = "13-1082"
[[roles."A".benchmarks]]
colour = "blue"
[[roles."A".benchmarks]]
place = false
[roles."B"]
titles = ["x"]
""")
    tm = salaries.load_title_map(bad)
    assert tm.role_of("x") == "A" and len(tm.rules) == 1
    assert len(tm.problems) == 3
    assert any("'x'" in p and "'A'" in p for p in tm.problems)
    assert any("colour" in p for p in tm.problems) and any("no condition" in p for p in tm.problems)
    broken = tmp_path / "broken.toml"
    broken.write_text("[roles\n")
    tm = salaries.load_title_map(broken)
    assert tm.roles == [] and "not valid TOML" in tm.problems[0]


def test_title_map_path_prefers_the_store_copy(tmp_path):
    cfg = {"salaries": {"title_map": "title_map.toml"}}
    assert salaries.title_map_path(cfg, tmp_path) == salaries.ROOT / "title_map.toml"
    (tmp_path / "title_map.toml").write_text("")
    assert salaries.title_map_path(cfg, tmp_path) == tmp_path / "title_map.toml"


def test_settings_age_to_empty_means_today():
    s = salaries.settings(config.load(), today=date(2026, 11, 25))
    assert s["age_to"] == date(2026, 11, 25) and s["hours_per_year"] == 2080 and s["small_group"] == 5


# ------------------------------------------------------------------------------------------------
# Privacy: who sees individuals; small groups suppressed
# ------------------------------------------------------------------------------------------------

def test_viewer_role_from_env_decides_who_sees_individuals(monkeypatch):
    s = salaries.settings({"salaries": {"show_individuals_to": ["admin", "analyst"]}})
    monkeypatch.delenv("PMO_ROLE", raising=False)
    assert salaries.viewer_role() == "admin" and salaries.may_see_individuals(s)
    monkeypatch.setenv("PMO_ROLE", "viewer")
    assert not salaries.may_see_individuals(s)
    monkeypatch.setenv("PMO_ROLE", "Analyst")
    assert salaries.may_see_individuals(s)


def _staff(dept: str, pays: list[float], p25=80.0, p50=100.0, p75=120.0) -> list[dict]:
    return [{"department": dept, "base_salary": pay, "p10": 60.0, "p25": p25, "p50": p50, "p75": p75,
             "p90": 140.0, "compa_ratio": pay / p50, "range_position": (pay - 60.0) / 80.0,
             "cost_to_p25": max(p25 - pay, 0), "cost_to_p50": max(p50 - pay, 0)} for pay in pays]


def test_groups_smaller_than_five_are_suppressed():
    df = pl.DataFrame(_staff("Big", [70, 90, 100, 110, 130]) + _staff("Bigger", [70, 90, 100, 110, 130, 140])
                      + _staff("Small", [50, 60, 70, 200]))
    out = {r["department"]: r for r in salaries.summarise(df, "department", 5).rows(named=True)}
    big, bigger, small = out["Big"], out["Bigger"], out["Small"]
    assert bigger["staff_count"] == 6 and not bigger["suppressed"] and bigger["note"] == ""
    assert bigger["median_compa_ratio"] == approx(1.05)    # median of .7 .9 1.0 1.1 1.3 1.4
    assert bigger["below_p25_count"] == 1 and bigger["above_p75_count"] == 2   # 70 < 80; 130, 140 > 120
    assert bigger["cost_to_p25"] == approx(10)             # 80 - 70
    assert bigger["cost_to_p50"] == approx(40)             # 30 + 10
    assert small["suppressed"] and small["note"] == "suppressed (groups under 5 people)"
    assert all(small[c] is None for c in salaries.GROUP_COLUMNS)
    # Small alone would be the total minus the groups shown: the smallest other group is hidden too
    assert big["suppressed"] and big["note"] == small["note"] and big["staff_count"] is None
    everyone = salaries.summarise(df, None, 5).row(0, named=True)
    assert everyone["staff_count"] == 15 and everyone["below_p25_count"] == 5


def test_complementary_suppression_stops_once_the_hidden_groups_hold_five():
    df = pl.DataFrame(_staff("A", [100] * 2) + _staff("B", [100] * 2) + _staff("C", [90] * 7)
                      + _staff("D", [90] * 9))
    out = {r["department"]: r for r in salaries.summarise(df, "department", 5).rows(named=True)}
    # A and B are small (2 + 2 = 4 people hidden, under 5): C, the smallest other, is hidden too
    assert [d for d in "ABCD" if out[d]["suppressed"]] == ["A", "B", "C"]
    assert out["D"]["cost_to_p50"] == approx(90)


def test_filtered_figures_that_differ_from_the_unfiltered_ones_by_a_few_people_are_suppressed():
    everyone = pl.DataFrame(_staff("A", [90] * 6) + _staff("B", [80] * 2) + _staff("C", [85] * 8))
    filtered = everyone.filter(pl.col("department") != "B")       # e.g. a country filter leaving B out
    head = salaries.summarise(filtered, None, 5, population=everyone).row(0, named=True)
    assert head["suppressed"]                 # unfiltered minus filtered = the 2 people of B
    groups = {r["department"]: r for r in salaries.summarise(filtered, "department", 5, population=everyone)
              .rows(named=True)}
    assert not groups["A"]["suppressed"] and not groups["C"]["suppressed"]   # the same people filtered or not
    no_filter = salaries.summarise(everyone, None, 5, population=everyone).row(0, named=True)
    assert not no_filter["suppressed"] and no_filter["cost_to_p50"] == approx(6 * 10 + 2 * 20 + 8 * 15)


def test_people_without_a_band_do_not_count_towards_a_group():
    rows = _staff("A", [90, 95, 100, 105]) + [{**_staff("A", [100])[0], "p50": None, "compa_ratio": None}]
    out = salaries.summarise(pl.DataFrame(rows), "department", 5).row(0, named=True)
    assert out["suppressed"] and out["staff_count"] is None


# ------------------------------------------------------------------------------------------------
# Display helpers and charts
# ------------------------------------------------------------------------------------------------

def test_headline_band_is_the_primary_sources_whole_country_row(con):
    bands = salaries.label_bands(query.run(con, "salary_bands", role=None, country=None))
    head = {r["benchmark_role"]: r for r in salaries.headline_bands(bands, "United States").rows(named=True)}
    assert head["Project Manager"]["source"] == OEWS and head["Project Manager"]["area"] is None
    assert salaries.headline_bands(bands)["country"].unique().to_list() == ["United States"]  # most rows
    uk = salaries.headline_bands(bands, "United Kingdom")
    assert uk["benchmark_role"].to_list() == ["PMO Analyst", "Project Coordinator", "Project Manager",
                                              "Senior Project Manager"]
    assert uk["p50"].to_list() == [approx(62_500)] * 4
    assert head["Project Manager"]["p50"] == approx(100_000)
    assert head["Program Manager"]["p50"] == approx(159_135)
    assert "Software Developers" not in head                        # no primary source: not a role
    labels = bands.filter(pl.col("benchmark_role") == "PMO Analyst")["label"].to_list()
    assert "New York-Newark-Jersey City, NY-NJ · SOC 13-1082 · BLS OEWS May 2026" in labels
    assert "New York (state) · SOC 13-1082 · BLS OEWS May 2026" in labels


def test_band_notes_say_what_was_done_to_a_figure(con):
    bands = query.run(con, "salary_bands", role="Project Manager", country=None)
    notes = {r["source"] + (r["company"] or ""): salaries.band_notes(r, 2080, "USD") for r in bands.rows(named=True)}
    assert notes["UK PM Survey 2026"] == "from GBP at 1.25"
    assert notes["Glassdoor 2026NIKE"] == "small sample (2 reports); context only: staff are not placed on it"
    hourly = query.run(con, "salary_bands", role="PMO Analyst", country=None).filter(pl.col("basis") == "hourly")
    assert salaries.band_notes(hourly.row(0, named=True), 2080, "USD") == "annualised from hourly (x 2,080 h)"
    aged = query.run(con, "salary_bands", role="Program Manager", country=None).row(0, named=True)
    assert salaries.band_notes(aged, 2080, "USD") == "aged x1.061"


def test_band_chart_layers_and_titles():
    from pmo.charts import salary as charts
    bands = pl.DataFrame({"label": ["A", "B"], "p10": [1.0, 2.0], "p25": [2.0, 3.0], "p50": [3.0, 4.0],
                          "p75": [4.0, 5.0], "p90": [5.0, None], "source": ["s", "s"],
                          "reference": ["2024-05-01"] * 2, "note": ["", ""], "top_coded": [False, True]})
    staff = pl.DataFrame({"label": ["A"], "base_salary": [2.5], "zone": ["p25 to p75"], "who": ["X"],
                          "compa_ratio": [0.8], "range_position": [0.4]})
    spec = charts.band_chart(bands, staff, title="T").to_dict()
    # outer bar, box, median tick, "top-coded" text (B has no p90), staff dots
    assert spec["title"] == "T" and len(spec["layer"]) == 5 and spec["height"] == 2 * charts.ROW
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["bar", "bar", "tick", "text", "circle"]
    drawn = spec["datasets"][spec["data"]["name"]] if "data" in spec else spec["datasets"][
        spec["layer"][0]["data"]["name"]]
    assert [(r["p90_drawn"], r["p75_drawn"], r["open_end"]) for r in drawn] == [(5.0, 4.0, False), (5.0, 5.0, True)]
    # a p90 that is simply missing (a company figure with a median only) is not "top-coded"
    no_dots = charts.band_chart(bands.with_columns(top_coded=False), None, title="T").to_dict()
    assert [layer["mark"]["type"] for layer in no_dots["layer"]] == ["bar", "bar", "tick"]
    assert [charts.zone(z) for z in ("below p10", "p10-p25", "p50-p75", "above p90", "above p50", None)] == [
        "below p25", "below p25", "p25 to p75", "above p75", "p25 to p75", None]


def test_gap_chart_marks_suppressed_groups_and_groups_without_gap():
    from pmo.charts import salary as charts
    df = pl.DataFrame(_staff("Big", [70, 90, 100, 110, 130]) + _staff("Small", [50, 60])
                      + _staff("Paid", [100, 110, 120, 130, 140]))
    summary = salaries.summarise(df, "department", 5)
    spec = charts.gap_cost_chart(summary, "department", by_title="Department").to_dict()
    texts = {r["group"]: r["note"] for r in spec["datasets"][spec["layer"][1]["data"]["name"]]}
    # Small (2 people) is hidden, and Big with it (the smallest other group): the total minus Paid
    # then covers 7 people, never Small alone
    assert texts == {"Small": "suppressed (groups under 5 people)", "Big": "suppressed (groups under 5 people)",
                     "Paid": "no one below p50: no cost"}
    bars = spec["datasets"][spec["layer"][0]["data"]["name"]]
    assert {(r["group"], r["target"], r["cost"]) for r in bars} == {
        ("Paid", "Raise to p25", 0.0), ("Paid", "Raise to p50", 0.0)}


def test_compa_histogram_ticks_every_tenth_across_its_bins():
    """Bins 0.05 wide on multiples of 0.05: 0.47 falls in [0.45, 0.50), 1.12 in [1.10, 1.15); the
    axis is labelled every 0.10 from 0.4 to 1.2, not on every bin edge."""
    from pmo.charts import salary as salary_charts

    staff = pl.DataFrame({"compa_ratio": [0.47, 0.81, 0.83, 1.0, 1.12, None]})
    bins = salary_charts.compa_bins(staff)
    assert bins.rows() == [(0.45, 0.5, 1), (0.8, 0.85, 2), (1.0, 1.05, 1), (1.1, 1.15, 1)]
    spec = salary_charts.compa_histogram(staff, min_people=1).to_dict()
    axis = spec["layer"][0]["encoding"]["x"]["axis"]
    assert axis["values"] == [0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2]
