"""Salary benchmark tables: aliases, basis given or inferred, top-coded values, currencies."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from pmo import config
from pmo.importers import benchmark_table
from pmo.ingest import IngestFailed, analyse

from conftest import FIXTURES

BENCH = FIXTURES / "benchmarks"
COLS = ["source", "reference_date", "job_title", "level", "company", "country", "area", "currency", "basis",
        "p10", "p25", "p50", "p75", "p90", "mean", "sample_size", "top_coded"]


def rows(outcome) -> list[tuple]:
    return outcome.frames["salary_benchmarks"].select([*COLS, "_row"]).rows()


def test_table_with_aliases_and_a_basis_column():
    o = analyse(BENCH / "pmo_salary_guide_2026.csv", settings=copy.deepcopy(config.load()))
    assert o.tool == "benchmarks" and o.label == "Salary benchmark table"
    assert o.source == "benchmarks:pmo_salary_guide"
    assert rows(o) == [
        ("Hays Salary Guide 2026", date(2026, 1, 1), "Project Manager", "Senior", None, "United Kingdom", "London",
         "GBP", "annual", 52000.0, 60000.0, 70000.0, 82000.0, 95000.0, 71500.0, 214, False, 2),
        ("Hays Salary Guide 2026", date(2026, 1, 1), "PMO Analyst", None, None, "United Kingdom", "London",
         "GBP", "hourly", 22.5, 26.0, 30.0, 35.0, 41.0, 31.0, 58, False, 3),
        ("Robert Half 2026", date(2026, 5, 1), "Programme Director", None, None, "Germany", "Frankfurt",
         "EUR", "annual", None, None, 145000.0, None, None, None, None, False, 4),
        # monthly -> x 12 and stored as annual; a bare year -> 1 January
        ("Robert Half 2026", date(2026, 1, 1), "Portfolio Manager", None, None, "Germany", "Berlin",
         "EUR", "annual", None, 72000.0, 84000.0, 96000.0, None, None, 12, False, 5),
        # '#' percentiles: empty and flagged
        ("Levels.fyi", date(2026, 3, 31), "Technical Program Manager", "L5", "Google", "United States",
         "Seattle", "USD", "annual", 180000.0, 205000.0, 232000.0, None, None, 236000.0, 96, True, 8),
    ]
    assert sorted((r.row, r.column, r.value, r.reason) for r in o.rejects) == [
        (6, "Basis", "Weekly", "basis must be annual, hourly or monthly"),
        (7, None, None, "no percentile, median or mean value"),
    ]


def test_basis_and_currency_inferred(tmp_path):
    o = analyse(BENCH / "contractor_rates.csv", as_of=date(2026, 11, 20), settings=copy.deepcopy(config.load()))
    assert rows(o) == [
        ("contractor_rates", date(2026, 11, 20), "Project Manager", None, None, None, "London", "GBP", "hourly",
         None, 65.0, 75.0, 90.0, None, None, 31, False, 2),
        ("contractor_rates", date(2026, 11, 20), "PMO Analyst", None, None, None, "London", "GBP", "hourly",
         None, 38.0, 45.0, 52.5, None, None, 19, False, 3),
        ("contractor_rates", date(2026, 11, 20), "Head of PMO", None, None, None, "London", "GBP", "annual",
         None, 95000.0, 110000.0, 125000.0, None, None, 7, False, 4),
    ]
    assert "no Basis column: rows with every value under 500 read as hourly (2 rows)" in o.notes
    assert "no Reference Date column: benchmarks dated 2026-11-20 (the as-of date)" in o.notes


def test_missing_currency_is_refused_never_the_reporting_currency(tmp_path):
    f = tmp_path / "bench.csv"
    f.write_text("Job Title,Median,Mean\nProject Manager,\"98,000\",\"99,500\"\n")
    with pytest.raises(IngestFailed) as exc:
        analyse(f, as_of=date(2026, 1, 1))
    assert str(exc.value).startswith("bench.csv: the currency of the amounts in 'Median', 'Mean' is stated "
                                     "nowhere in the file (1 row of salary_benchmarks")
    assert "--currency CODE" in str(exc.value) and exc.value.kinds == {"currency"}
    o = analyse(f, as_of=date(2026, 1, 1), currency="GBP")
    assert o.frames["salary_benchmarks"].select("currency", "basis", "p50", "mean").rows() == [
        ("GBP", "annual", 98000.0, 99500.0)]
    assert "salary_benchmarks: amounts with no stated currency read as GBP (--currency GBP) (1 row)" in o.notes


def test_currency_in_the_value_headers(tmp_path):
    f = tmp_path / "bench.csv"
    f.write_text("Job Title,Median (CHF),Mean (CHF)\nProject Manager,\"128,000\",\"131,500\"\n")
    o = analyse(f, as_of=date(2026, 1, 1))
    assert o.frames["salary_benchmarks"].select("currency", "p50").rows() == [("CHF", 128000.0)]
    assert any(n.startswith("salary_benchmarks: currency CHF from the column headers") for n in o.notes)


def test_fingerprint_needs_a_title_and_two_values():
    fp = benchmark_table.FINGERPRINT
    assert fp.score(["Role", "Median", "Average"]) > 0
    assert fp.score(["Role", "Median"]) == 0
    assert fp.score(["Employee ID", "Job Title", "Annual Salary"]) == 0
