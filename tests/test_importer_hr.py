"""HR exports: Workday comp reports and generic HRIS files -> FTE-annual salaries, hand-computed."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from pmo import config
from pmo.importers import hr
from pmo.ingest import analyse

from conftest import FIXTURES

HR = FIXTURES / "hr"
AS_OF = date(2026, 11, 20)
COLS = ["employee_id", "employee_name", "job_title", "job_family", "level", "department", "country", "city",
        "currency", "base_salary_original", "fte", "is_pmo"]


def settings(**salaries) -> dict:
    cfg = copy.deepcopy(config.load())
    cfg["salaries"].update(salaries)
    return cfg


def rows(outcome) -> list[tuple]:
    return outcome.frames["salaries"].select([*COLS, "_row"]).rows()


def test_workday_report():
    o = analyse(HR / "workday_comp_2026-11-01.csv", as_of=AS_OF, settings=settings())
    assert o.tool == "hr" and o.label == "HR compensation export (Workday / HRIS)"
    assert o.source == "hr:workday_comp"
    assert rows(o) == [
        ("100482", "Ines Duarte", "Senior Project Manager", "Project Management", "Manager", "Enterprise PMO",
         "Portugal", "Lisbon", "EUR", 68500.0, 1.0, True, 2),
        # 60% part-timer paid 41,400 GBP -> 69,000 GBP full-time equivalent; country from the city
        ("100517", "Ben Cho", "Business Analyst II", "Business Analysis", "Individual Contributor",
         "Digital Channels", "United Kingdom", "London", "GBP", 69000.0, 0.6, False, 3),
        # no FTE: 40 scheduled hours of 40 -> 1.0; no supervisory org: the cost centre's name
        ("201004", "Karl Meyer", "Program Director", "Project Management", "Director", "IT Infrastructure",
         "Germany", "Frankfurt", "EUR", 142000.0, 1.0, True, 4),
        # no FTE: 30 of 40 hours -> 0.75; 54,000 / 0.75 = 72,000; USA spelled out
        ("201077", "Dana Ortiz", "PMO Analyst", "Portfolio Management", "Individual Contributor",
         "Enterprise PMO", "United States", "New York", "USD", 72000.0, 0.75, True, 5),
    ]
    assert o.rejects == []
    assert "country inferred from the location for 2 people" in o.notes
    frame = o.frames["salaries"]
    assert frame["as_of"].to_list() == [AS_OF] * 4           # no date in the file: the ingest's as-of
    assert frame["base_salary"].null_count() == 4           # converted by the views, not here


def test_generic_hris_with_hourly_rates_and_a_leaver():
    o = analyse(HR / "hris_export.csv", as_of=AS_OF, settings=settings())
    assert rows(o) == [
        ("E0042", "Mara Costa", "Brand Manager", None, "G6", "Marketing", None, None, "EUR", 58000.0, 1.0,
         False, 2),
        # hourly only: 85.00 x 2080 h = 176,800 (already full-time; FTE 0.8 kept as information)
        ("E0077", "Jon Park", "Contract Developer", None, None, "IT", None, None, "GBP", 176800.0, 0.8, False, 3),
        # 24,500 paid at 0.5 FTE -> 49,000
        ("E0081", "Lea Wolf", "Project Coordinator", None, "G4", "Project Office", None, None, "EUR", 49000.0,
         0.5, True, 4),
    ]
    assert any(n.startswith("skipped 1 leaver") and "row 5" in n for n in o.notes)
    assert "hourly rates annualised at 2080 hours a year (full-time)" in o.notes
    assert any(n.startswith("dates read day-first") for n in o.notes)   # Start and Termination Date together


def test_hours_per_year_comes_from_settings():
    o = analyse(HR / "hris_export.csv", as_of=AS_OF, settings=settings(hours_per_year=2000))
    assert o.frames["salaries"].filter(employee_id="E0077")["base_salary_original"].item() == 170000.0


def test_leavers_depend_on_the_as_of_date():
    o = analyse(HR / "hris_export.csv", as_of=date(2026, 5, 1), settings=settings())
    assert o.frames["salaries"]["employee_id"].to_list() == ["E0042", "E0077", "E0081", "E0090"]


def test_part_timer_without_fte_keeps_salary_empty_and_xlsx_paired_columns(tmp_path):
    import xlsxwriter

    f = tmp_path / "Workday Comp Report.xlsx"
    wb = xlsxwriter.Workbook(str(f))
    ws = wb.add_worksheet("Sheet1")
    ws.write_row(0, 0, ["Comp Report - PMO"])                      # a title row above the header
    ws.write_row(2, 0, ["Employee ID", "Worker", "Job Profile", "Management Level", "Location", "Time Type",
                        "Total Base Pay - Amount", "Total Base Pay - Currency", "Total Base Pay - Frequency",
                        "As of Date"])
    ws.write_row(3, 0, ["300001", "Ana Lima", "Project Manager", "9 Manager", "Toronto", "Full time",
                        9000, "CAD", "Monthly", "2026-10-31"])
    ws.write_row(4, 0, ["300002", "Raj Patel", "Project Analyst", "11 Individual Contributor", "Pune",
                        "Part time", 700000, "INR", "Annual", "2026-10-31"])
    ws.write_row(5, 0, ["300003", "Eve Moss", "Scheduler", "10 Supervisor", "Seattle", "Full time",
                        52.5, "USD", "Hourly", "2026-10-31"])
    wb.close()
    o = analyse(f, settings=settings())
    assert o.as_of == date(2026, 10, 31)                       # the file's own date
    got = o.frames["salaries"].select("employee_id", "level", "country", "currency", "base_salary_original",
                                      "fte", "as_of", "_row").rows()
    assert got == [
        ("300001", "Manager", "Canada", "CAD", 108000.0, 1.0, date(2026, 10, 31), 4),       # 9,000 x 12
        ("300002", "Individual Contributor", "India", "INR", None, None, date(2026, 10, 31), 5),
        ("300003", "Supervisor", "United States", "USD", 109200.0, 1.0, date(2026, 10, 31), 6),  # 52.5 x 2080
    ]
    assert any("1 person without a readable FTE or weekly hours (part-time" in n for n in o.notes)


@pytest.mark.parametrize("family, title, department, expected", [
    ("Project Management", "Analyst", None, True),
    (None, "Programme Manager", None, True),
    (None, "Software Programmer", None, False),
    (None, "Analyst", "Enterprise PMO", True),
    (None, "Portfolio Lead", None, True),
    (None, "Projektleiterin", None, True),
    ("Finance", "Accountant", "Finance", False),
])
def test_is_pmo_rule(family, title, department, expected):
    import polars as pl

    text = " ".join(x for x in (family, title, department) if x)
    assert pl.select(pl.lit(text).str.contains(hr.PMO_WORDS)).item() is expected


def test_leavers_use_the_date_in_the_file_name(tmp_path):
    f = tmp_path / "hris_export_2026-05-01.csv"
    f.write_bytes((HR / "hris_export.csv").read_bytes())
    o = analyse(f, settings=settings())
    assert o.as_of == date(2026, 5, 1)
    assert o.frames["salaries"]["employee_id"].to_list() == ["E0042", "E0077", "E0081", "E0090"]
