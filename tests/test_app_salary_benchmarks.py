"""The salary benchmarks page under AppTest: figures from the views, privacy, filters, empty data."""

from __future__ import annotations

import re
from datetime import date

import polars as pl
import pytest
from conftest import ROOT
from helpers.app import metrics, open_page
from helpers.canonical import make_store
from streamlit.testing.v1 import AppTest

from pmo import metrics as fmt
from pmo import query, salaries
from pmo.store import Store

pytestmark = pytest.mark.app

PAGE = "pages/3_Salary_Benchmarks.py"

FEWER = "fewer than 5 people"


def run(**query_params) -> AppTest:
    """The page as the menu opens it, with `query_params` as the link's query string."""
    return open_page(PAGE, **query_params)


def tables_text(at) -> str:
    """The st.table cells as they read (cells are Markdown, escaped by the page: unescaped here)."""
    return re.sub(r"\\(.)", r"\1", "\n".join(t.value.to_csv() for t in at.table))


def page_text(at) -> str:
    parts = [tables_text(at)]
    for kind in ("markdown", "caption", "info", "warning", "success"):
        parts += [e.value for e in getattr(at, kind)]
    parts += [str(c.proto.spec) for c in at.get("vega_lite_chart")]
    parts += [d.value.to_csv() for d in at.dataframe]
    return "\n".join(parts)


def expected_staff(sample_store_dir, **filters) -> pl.DataFrame:
    con = query.connect(Store(sample_store_dir)).con
    params = {"country": None, "department": None, "level": None, **filters}
    return query.run(con, "salary_staff", **params)


def test_kpis_match_the_view(app_env, sample_store_dir):
    staff = expected_staff(sample_store_dir)
    placed = staff.filter(pl.col("match_status") == "placed")
    overall = salaries.summarise(placed, None, 5).row(0, named=True)
    at = run()
    m = metrics(at)
    assert m["On a band"] == f"{placed.height} of {staff.height}"
    assert m["Compa-ratio (median)"] == fmt.ratio(overall["median_compa_ratio"])
    assert m["Below p25"] == fmt.count(overall["below_p25_count"])
    assert m["Above p75"] == fmt.count(overall["above_p75_count"])
    assert m["Cost to p25 / yr"] == fmt.money(overall["cost_to_p25"])
    assert m["Cost to p50 / yr"] == fmt.money(overall["cost_to_p50"])
    # the sample story: 45 PMO staff; agile titles unmapped, most UK / German roles without a band
    assert staff.height == 45 and 25 < placed.height < 45


def test_band_table_of_the_selected_role_shows_the_view_values(app_env, sample_store_dir):
    at = run(benchmark_role="Project Manager")
    con = query.connect(Store(sample_store_dir)).con
    bands = query.run(con, "salary_bands", role="Project Manager", country=None)
    national = bands.filter(pl.col("source").str.starts_with("BLS OEWS") & pl.col("area").is_null()).row(0, named=True)
    text = tables_text(at)
    for p in ("p10", "p25", "p50", "p75", "p90"):
        assert fmt.money(national[p], compact=False) in text
    assert "London" in text and "Frankfurt" in text                 # the rate card's non-US rows
    assert "annualised from hourly (x 2,080 h)" in text             # the contract rate row
    assert "context only" in text


def test_company_figures_listed_with_sample_size_and_small_sample_flag(app_env):
    at = run(benchmark_role="PMO")
    text = tables_text(at)
    for company in ("Amazon", "AT&T", "NIKE", "Credit Suisse"):
        assert company in text
    assert text.count("small sample (2 reports)") == 4
    assert any("no role in the title map uses" in c.value for c in at.caption)


def test_small_groups_suppressed_and_individuals_shown_to_admin(app_env):
    at = run()
    text = tables_text(at)
    assert salaries.hidden_label(5) in text                           # e.g. the single Head of PMO
    assert at.dataframe and "Margaret Ellison" in at.dataframe[0].value.to_csv()
    chart_specs = " ".join(str(c.proto.spec) for c in at.get("vega_lite_chart"))
    assert "Own staff" in chart_specs                                # dots on the role's band chart


def test_viewer_role_sees_no_individuals(app_env, sample_store_dir, monkeypatch):
    monkeypatch.setenv("PMO_ROLE", "viewer")
    at = run(benchmark_role="Project Manager")
    text = page_text(at)
    names = expected_staff(sample_store_dir)["employee_name"].to_list()
    assert not [n for n in names if n in text]
    assert not at.dataframe                                          # no staff table
    assert "Own staff" not in " ".join(str(c.proto.spec) for c in at.get("vega_lite_chart"))
    assert any("hidden for the role 'viewer'" in i.value for i in at.info)
    assert metrics(at)["On a band"]                           # aggregates still shown


def test_country_filter_with_a_small_group_suppresses_the_kpis(app_env, sample_store_dir):
    germany = expected_staff(sample_store_dir, country="Germany")
    placed = germany.filter(pl.col("match_status") == "placed").height
    assert 0 < placed < 5
    at = run(staff_country="Germany")
    m = metrics(at)
    assert m["On a band"] == f"{placed} of {germany.height}"
    assert m["Compa-ratio (median)"] == "—" and m["Cost to p25 / yr"] == "—"
    assert any(f"suppressed: {FEWER}" in c.value for c in at.caption)


def test_unmapped_titles_listed_with_suggestions(app_env):
    text = tables_text(run())
    assert "Scrum Master" in text and "no close match" in text
    assert "Delivery Lead" in text and "Program Manager" in text
    assert "no benchmark for United Kingdom" in text


def test_stale_link_values_are_dropped_not_an_error(app_env):
    at = run(staff_country="Atlantis", benchmark_role="Astronaut")
    assert metrics(at)["On a band"].endswith("of 45")
    assert at.selectbox(key="benchmark_role").value == "PMO Analyst"     # the first role


def test_store_without_salary_data_says_what_to_load(tmp_path, monkeypatch):
    make_store(tmp_path / "store", {"projects": [{"project_id": "P1", "project_name": "One"}]},
               as_of=date(2026, 11, 20))
    monkeypatch.setenv("PMO_DATA_DIR", str(tmp_path / "store"))
    monkeypatch.chdir(ROOT)
    at = run()
    assert any("No salary data yet" in i.value for i in at.info)


def test_filter_matching_nobody_on_a_band_explains_instead_of_failing(app_env):
    at = run(staff_level="Supervisor")                                  # the Delivery Lead only
    assert metrics(at)["On a band"] == "0 of 1"
    assert any("Nobody matches the filters with a market band" in i.value for i in at.info)
    assert "Delivery Lead" in tables_text(at)


def test_pmo_pay_by_company_has_its_own_chart_and_table_never_unused(app_env, sample_store_dir):
    """The seed's self-reported PMO salaries (Amazon $77,411 a year, 2 reports, 10 Nov 2020 ...):
    their own section, aged as bands are, with the caveats in words; not 'Benchmark titles no role uses'."""
    con = query.connect(Store(sample_store_dir)).con
    pay = query.run(con, "salary_company_pay")
    amazon = pay.filter(pl.col("company") == "Amazon").row(0, named=True)
    assert amazon["pay_as_reported"] == 77_411 and amazon["sample_size"] == 2
    assert amazon["reference_date"] == date(2020, 11, 10)
    # aged at 3% a year from 10 Nov 2020 to the bands' date (today): 1.03 ^ (months / 12)
    months = (amazon["age_to"].year - 2020) * 12 + amazon["age_to"].month - 11 + (amazon["age_to"].day - 10) / 31
    assert amazon["company_pay"] == pytest.approx(77_411 * 1.03 ** (months / 12), rel=2e-3)
    assert sorted(pay["company"]) == ["AT&T", "Amazon", "Credit Suisse", "NIKE"]
    at = run()
    assert "PMO pay by company (self-reported)" in [h.value for h in at.subheader]
    text = page_text(at)
    assert fmt.money(amazon["company_pay"], compact=False) in tables_text(at)
    assert fmt.money(77_411, "USD", compact=False) in tables_text(at)      # as reported, with its currency
    assert "4 company figures, each the average of 2 self-reported salaries, reported 10 Nov 2020" in text
    assert "never as a band" in text
    assert "Benchmark titles no role uses" not in text
