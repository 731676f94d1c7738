"""BLS OEWS wage files: markers, header drift, detailed occupations only, annual vs hourly basis."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from pmo import config
from pmo.importers import oews
from pmo.ingest import analyse

from conftest import FIXTURES

OEWS = FIXTURES / "oews"
COLS = ["source", "reference_date", "job_title", "soc_code", "country", "area", "currency", "basis",
        "p10", "p25", "p50", "p75", "p90", "mean", "sample_size", "top_coded"]


def rows(outcome) -> list[tuple]:
    return outcome.frames["salary_benchmarks"].select([*COLS, "_row"]).rows()


def test_old_lower_case_state_file_with_markers():
    o = analyse(OEWS / "oes_data_2019_state.csv", settings=copy.deepcopy(config.load()))
    assert o.tool == "oews" and o.label == "BLS OEWS wage estimates"
    assert o.source == "oews:BLS OEWS May 2019 state"
    may = date(2019, 5, 1)
    assert rows(o) == [
        ("BLS OEWS May 2019", may, "Project Management Specialists", "13-1082", "United States", "California",
         "USD", "annual", 70230.0, 90150.0, 121900.0, 158700.0, 201350.0, 127610.0, 118420, False, 3),
        # '#' = top-coded: never a number, the flag says why the value is missing
        ("BLS OEWS May 2019", may, "Chief Executives", "11-1011", "United States", "California",
         "USD", "annual", 127360.0, 190010.0, None, None, None, None, 33950, True, 4),
        # hourly only (HOURLY = TRUE, annual '*'); employment '**' = not available
        ("BLS OEWS May 2019", may, "Actors", "27-2011", "United States", "California",
         "USD", "hourly", 17.5, 19.25, 24.6, 33.7, 58.21, 27.73, None, False, 5),
        ("BLS OEWS May 2019", may, "Elementary School Teachers, Except Special Education", "25-2021",
         "United States", "California", "USD", "annual", 62580.0, 75910.0, 91300.0, 106720.0, 120150.0,
         92310.0, 104670, False, 7),
    ]
    assert o.rejects == []
    assert any("1 summary rows skipped" in n for n in o.notes)                 # the 'major' group row
    assert "skipped 1 occupation with no published wage (*)" in o.notes       # Bridge and Lock Tenders


def _workbook(path, sheet: str) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    desc = wb.add_worksheet("Field Descriptions")
    desc.write_row(0, 0, ["Field", "Field Description"])
    desc.write_row(1, 0, ["OCC_CODE", "The 6-digit Standard Occupational Classification (SOC) code"])
    desc.write_row(2, 0, ["A_MEDIAN", "Annual median wage"])
    header = ["AREA", "AREA_TITLE", "AREA_TYPE", "PRIM_STATE", "NAICS", "NAICS_TITLE", "I_GROUP", "OWN_CODE",
              "OCC_CODE", "OCC_TITLE", "O_GROUP", "TOT_EMP", "EMP_PRSE", "JOBS_1000", "LOC_QUOTIENT",
              "PCT_TOTAL", "PCT_RPT", "H_MEAN", "A_MEAN", "MEAN_PRSE", "H_PCT10", "H_PCT25", "H_MEDIAN",
              "H_PCT75", "H_PCT90", "A_PCT10", "A_PCT25", "A_MEDIAN", "A_PCT75", "A_PCT90", "ANNUAL", "HOURLY"]
    data = wb.add_worksheet(sheet)
    data.write_row(0, 0, header)
    data.write_row(1, 0, [99, "U.S.", 1, "US", "000000", "Cross-industry", "cross-industry", 1235, "13-1082",
                          "Project Management Specialists", "detailed", 968700, 0.9, 6.44, None, None, None,
                          52.18, 108530, 0.3, 28.26, 37.2, 48.44, 64.77, 80.16, 58790, 77370, 100750, 134720,
                          166740, None, None])
    data.write_row(2, 0, [99, "U.S.", 1, "US", "000000", "Cross-industry", "cross-industry", 1235, "11-3021",
                          "Computer and Information Systems Managers", "detailed", 591710, 0.6, 3.93, None, None,
                          None, 84.44, 175640, 0.3, 48.5, 63.2, 80.47, "#", "#", 100870, 131440, 167370, "#",
                          "#", None, None])
    data.write_row(3, 0, [99, "U.S.", 1, "US", "000000", "Cross-industry", "cross-industry", 1235, "11-0000",
                          "Management Occupations", "major", 10495770, 0.2, 69.64, None, None, None, 66.23,
                          137750, 0.1, 26.46, 37.31, 56.36, 80.76, "#", 55040, 77600, 117240, 167990, "#",
                          None, None])
    filler = wb.add_worksheet("Filler")
    filler.write_row(0, 0, header)
    filler.write_row(1, 0, ["x"] * 8 + ["99-9999", "Should not be read", "detailed"] + ["1"] * 21)
    wb.close()


def test_xlsx_with_description_and_filler_sheets(tmp_path):
    f = tmp_path / "oews_download.xlsx"
    _workbook(f, "All May 2023 data")
    o = analyse(f, settings=copy.deepcopy(config.load()))
    assert o.source == "oews:BLS OEWS May 2023 national"             # year from the sheet name
    may = date(2023, 5, 1)
    assert rows(o) == [
        ("BLS OEWS May 2023", may, "Project Management Specialists", "13-1082", "United States", None, "USD",
         "annual", 58790.0, 77370.0, 100750.0, 134720.0, 166740.0, 108530.0, 968700, False, 2),
        ("BLS OEWS May 2023", may, "Computer and Information Systems Managers", "11-3021", "United States",
         None, "USD", "annual", 100870.0, 131440.0, 167370.0, None, None, 175640.0, 591710, True, 3),
    ]


def test_year_from_file_name_wins_and_as_of_is_the_fallback(tmp_path):
    f = tmp_path / "national_M2024_dl.xlsx"
    _workbook(f, "national_dl")
    assert analyse(f).source == "oews:BLS OEWS May 2024 national"
    g = tmp_path / "wages.xlsx"
    _workbook(g, "data")
    o = analyse(g, as_of=date(2026, 11, 20))
    assert o.source == "oews:BLS OEWS May 2026 national"
    assert any("no survey year" in n for n in o.notes)


def test_all_data_file_keeps_cross_industry_all_ownership_rows(tmp_path):
    f = tmp_path / "all_data_M_2024.csv"
    head = "AREA,AREA_TITLE,AREA_TYPE,NAICS,NAICS_TITLE,I_GROUP,OWN_CODE,OCC_CODE,OCC_TITLE,O_GROUP,TOT_EMP,A_MEAN,A_MEDIAN\n"
    body = ("99,U.S.,1,000000,Cross-industry,cross-industry,1235,13-1082,Project Management Specialists,detailed,"
            "\"968,700\",\"108,530\",\"100,750\"\n"
            "99,U.S.,1,000000,Cross-industry,cross-industry,5,13-1082,Project Management Specialists,detailed,"
            "\"900,000\",\"109,000\",\"101,000\"\n"
            "99,U.S.,1,5112,Software Publishers,4-digit,5,13-1082,Project Management Specialists,detailed,"
            "\"20,000\",\"140,000\",\"135,000\"\n"
            "06,California,2,000000,Cross-industry,cross-industry,1235,13-1082,Project Management Specialists,"
            "detailed,\"118,420\",\"127,610\",\"121,900\"\n")
    f.write_text(head + body)
    o = analyse(f)
    assert o.source == "oews:BLS OEWS May 2024 all areas"
    got = o.frames["salary_benchmarks"].select("area", "p50", "mean", "sample_size", "company").rows()
    assert got == [(None, 100750.0, 108530.0, 968700, None), ("California", 121900.0, 127610.0, 118420, None)]
    assert any("industry rows skipped" in n for n in o.notes)
    assert any("ownership code 1235" in n for n in o.notes)


@pytest.mark.parametrize("name, accepted", [
    ("All May 2024 data", True), ("national_M2024_dl", True), ("Field Descriptions", False),
    ("Filler", False), ("UpdateTime", False),
])
def test_accept_sheet(name, accepted):
    assert oews.accept_sheet(name) is accepted
