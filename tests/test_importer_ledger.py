"""FP&A ledgers: long, one-column-per-kind and wide layouts -> hand-computed financials rows."""

from __future__ import annotations

import copy
from datetime import date, datetime

import polars as pl
import pytest

from pmo import config
from pmo.importers import ledger
from pmo.ingest import IngestFailed, analyse

from conftest import FIXTURES

LEDGER = FIXTURES / "ledger"
COLS = ["project_id", "period", "category", "cost_center", "kind", "amount_original", "currency", "capex_opex"]


def settings(**general) -> dict:
    cfg = copy.deepcopy(config.load())
    cfg["general"].update(general)
    return cfg


def rows(outcome, cols=COLS) -> list[tuple]:
    return outcome.frames["financials"].select([*cols, "_row"]).rows()


def rejects(outcome) -> list[tuple]:
    return sorted((r.row, r.column, r.value, r.reason) for r in outcome.rejects)


def test_long_layout_with_april_fiscal_year():
    o = analyse(LEDGER / "fpna_ledger_2026-03.csv", settings=settings(fiscal_year_start_month=4))
    assert o.tool == "ledger"
    assert o.source == "ledger:fpna_ledger"          # the date in the file name is not part of it
    assert o.rows_read == 11
    # FY2026 with an April start = April 2025 .. March 2026: P01 = Apr 2025, P03 = Jun 2025, P12 = Mar 2026.
    assert rows(o) == [
        ("PRJ0010042", date(2025, 6, 1), "Labour", "CC4711", "actual", 48210.55, "EUR", "opex", 2),
        ("PRJ0010042", date(2025, 6, 1), "Labour", "CC4711", "budget", 45000.0, "EUR", "opex", 3),
        ("PRJ0010042", date(2025, 6, 1), "Labour", "CC4711", "forecast", 51000.0, "EUR", "opex", 4),
        ("PRJ0010042", date(2025, 6, 1), "Vendor", "CC4711", "commitment", 12500.0, "EUR", "capex", 5),
        ("PRJ0010042", date(2025, 7, 1), "Vendor", "CC4711", "actual", -1250.0, "EUR", "capex", 6),
        ("PRJ0010057", date(2026, 3, 1), "Labour", "CC4720", "budget", 30000.0, "GBP", "opex", 7),
        ("PRJ0010057", date(2025, 4, 1), "Labour", "CC4720", "forecast", 2400.5, "GBP", "opex", 8),
    ]
    assert rejects(o) == [
        (9, "Project", None, "project is empty"),
        (10, "Version", "Variance", "'Variance' is not budget, actual, forecast or commitment"),
        (11, "Amount", "n/a", "amount is not a number"),
        (12, "Period", "P3X", ("period not understood (e.g. 2026-03, 03/2026, Mar-26, FY26 P3, or P03 with a "
                              "Fiscal Year column)")),
    ]
    assert any("fiscal year starting in month 4" in n and "June 2025" in n for n in o.notes)
    assert all(r.table == "financials" for r in o.rejects)


def test_long_layout_with_calendar_fiscal_year():
    o = analyse(LEDGER / "fpna_ledger_2026-03.csv", settings=settings(fiscal_year_start_month=1))
    periods = [r[1] for r in rows(o)]
    assert periods == [date(2026, 3, 1)] * 4 + [date(2026, 4, 1), date(2026, 12, 1), date(2026, 1, 1)]


def test_wide_layout_melts_months_and_drops_totals():
    # The file states no currency anywhere: it is read only with the currency given (--currency).
    o = analyse(LEDGER / "fpna_wide_FY26.csv", settings=settings(), currency="eur")
    assert o.tool == "ledger" and o.rows_read == 4
    assert rows(o) == [
        ("PRJ0010042", date(2026, 1, 1), None, "CC4711", "actual", 41250.0, "EUR", None, 2),
        ("PRJ0010042", date(2026, 2, 1), None, "CC4711", "actual", 39870.10, "EUR", None, 2),
        ("PRJ0010042", date(2026, 3, 1), None, "CC4711", "actual", 48210.55, "EUR", None, 2),
        ("PRJ0010042", date(2026, 1, 1), None, "CC4711", "budget", 45000.0, "EUR", None, 3),
        ("PRJ0010042", date(2026, 2, 1), None, "CC4711", "budget", 45000.0, "EUR", None, 3),
        ("PRJ0010042", date(2026, 3, 1), None, "CC4711", "budget", 45000.0, "EUR", None, 3),
        ("PRJ0010042", date(2026, 3, 1), None, "CC4711", "forecast", -1000.0, "EUR", None, 4),
    ]
    assert "financials: amounts with no stated currency read as EUR (--currency EUR) (7 rows)" in o.notes
    assert o.rejects == []
    assert "dropped 1 total row (row 5)" in o.notes
    assert "dropped total column 'FY26 Total'" in o.notes
    assert any(n.startswith("wide layout: 3 month columns (Jan-26 .. Mar-26)") for n in o.notes)
    # The sum of what was kept equals the file's own total column, less nothing double-counted.
    assert round(o.frames["financials"]["amount_original"].sum(), 2) == round(129330.65 + 135000.00 - 1000.00, 2)


def test_amount_column_per_kind_is_melted():
    o = analyse(LEDGER / "project_costs.csv", settings=settings())
    assert rows(o) == [
        ("PRJ-1", date(2026, 3, 1), "Labour", None, "budget", 10000.0, "USD", None, 2),
        ("PRJ-1", date(2026, 3, 1), "Labour", None, "actual", 9500.0, "USD", None, 2),
        ("PRJ-1", date(2026, 3, 1), "Labour", None, "commitment", 500.0, "USD", None, 2),
        ("PRJ-1", date(2026, 4, 1), "Labour", None, "budget", 10000.0, "USD", None, 3),
        ("PRJ-1", date(2026, 4, 1), "Labour", None, "actual", -250.0, "USD", None, 3),
        ("PRJ-1", date(2026, 4, 1), "Labour", None, "forecast", 9000.0, "USD", None, 3),
        ("PRJ-2", date(2026, 4, 1), "Vendor", None, "budget", 2000.0, "USD", None, 5),
    ]
    assert rejects(o) == [(5, "Actual", "abc", "amount is not a number")]


def test_header_variants_and_sap_style_periods(tmp_path):
    f = tmp_path / "plan_export.csv"
    f.write_text("Project Code;Posting Period;Scenario;Value;Currency\n"
                 "A-1;003.2026;Plan;1.500,00;EUR\n"
                 "A-1;004.2026;Actuals;250,00-;EUR\n"
                 "A-1;P05;Estimate;100,00;EUR\n")
    o = analyse(f, settings=settings())
    assert [r[:2] + r[4:7] for r in rows(o)] == [
        ("A-1", date(2026, 3, 1), "budget", 1500.0, "EUR"),
        ("A-1", date(2026, 4, 1), "actual", -250.0, "EUR"),
    ]
    # P05 without a Fiscal Year column cannot be placed in time.
    assert [(r.row, r.value) for r in o.rejects] == [(4, "P05")]


def test_file_without_a_version_column_is_refused(tmp_path):
    f = tmp_path / "ledger.csv"
    f.write_text("Project,Period,Amount\nP1,2026-01,10\n")
    with pytest.raises(IngestFailed) as exc:
        analyse(f, settings=settings())
    assert "Finance ledger (FP&A plan / actual / forecast) (missing: Version" in str(exc.value)
    wide = tmp_path / "wide.csv"
    wide.write_text("Project,Jan-26,Feb-26\nP1,10,20\n")
    with pytest.raises(IngestFailed) as exc:
        analyse(wide, settings=settings())
    assert "no column says whether amounts are budget, actual or forecast" in str(exc.value)


def test_wide_workbook_takes_the_kind_from_the_sheet_name(tmp_path):
    import xlsxwriter

    f = tmp_path / "actuals_2026.xlsx"
    wb = xlsxwriter.Workbook(str(f))
    ws = wb.add_worksheet("Actuals")
    month = wb.add_format({"num_format": "mmm-yy"})
    ws.write_row(0, 0, ["Project", "Cost Center"])
    ws.write_datetime(0, 2, datetime(2026, 1, 1), month)   # a real date header cell
    ws.write(0, 3, "Feb-26")
    ws.write(0, 4, "Total")
    ws.write_row(1, 0, ["P1", "CC1", 100.5, -20, 80.5])
    wb.close()
    o = analyse(f, settings=settings(), currency="USD")
    assert rows(o, ["project_id", "period", "kind", "amount_original", "cost_center"]) == [
        ("P1", date(2026, 1, 1), "actual", 100.5, "CC1", 2),
        ("P1", date(2026, 2, 1), "actual", -20.0, "CC1", 2),
    ]
    assert "no version column: every amount is actual (from the sheet name 'Actuals')" in o.notes
    assert "dropped total column 'Total'" in o.notes


@pytest.mark.parametrize("start, text, fy, expected", [
    (1, "2026-03", None, date(2026, 3, 1)),
    (1, "03/2026", None, date(2026, 3, 1)),
    (1, "Mar-26", None, date(2026, 3, 1)),
    (1, "Mar 2026", None, date(2026, 3, 1)),
    (1, "March 2026", None, date(2026, 3, 1)),
    (1, "2026-03-15", None, date(2026, 3, 1)),
    (1, "2026-03-15 00:00:00", None, date(2026, 3, 1)),
    (1, "003.2026", None, date(2026, 3, 1)),
    (1, "P03", "2026", date(2026, 3, 1)),
    (1, "FY26 P3", None, date(2026, 3, 1)),
    (4, "P01", "FY2026", date(2025, 4, 1)),
    (4, "P03", "2026", date(2025, 6, 1)),
    (4, "3", "2025/26", date(2025, 6, 1)),
    (4, "P09", "2026", date(2025, 12, 1)),
    (4, "P10", "2026", date(2026, 1, 1)),
    (4, "P12", "2026", date(2026, 3, 1)),
    (4, "P14", "2026", date(2026, 3, 1)),          # SAP special period -> the last period
    (4, "FY26 P3", None, date(2025, 6, 1)),
    (4, "003.2026", None, date(2025, 6, 1)),
    (4, "Mar-26", "2026", date(2026, 3, 1)),       # calendar spellings ignore the fiscal year
])
def test_period_spellings(start, text, fy, expected):
    parsed = ledger.parse_periods(pl.Series("Period", [text]), pl.Series([fy], dtype=pl.String), start)
    assert parsed.values.to_list() == [expected]
    assert not parsed.bad.any()


def test_excel_serial_periods_and_bad_ones():
    parsed = ledger.parse_periods(pl.Series("Period", ["46082", "46113"]))
    assert parsed.values.to_list() == [date(2026, 3, 1), date(2026, 4, 1)]
    parsed = ledger.parse_periods(pl.Series("Period", ["13/2026", "P00", "P03", None]))
    assert parsed.bad.to_list() == [True, True, True, False]   # P03 has no fiscal year here


@pytest.mark.parametrize("text, kind", [
    ("Budget", "budget"), ("Plan", "budget"), ("Approved budget", "budget"), ("Actual", "actual"),
    ("Actuals", "actual"), ("Forecast", "forecast"), ("Forecast (F2)", "forecast"), ("Outlook", "forecast"),
    ("Estimate", "forecast"), ("Commitment", "commitment"), ("Committed", "commitment"), ("PO", "commitment"),
    ("Variance", None), ("Actual vs Budget", None), ("Memo", None),
])
def test_kind_mapping(text, kind):
    assert ledger.kind_of(text) == kind
    assert pl.select(ledger.kind_expr(pl.lit(text))).item() == kind


@pytest.mark.parametrize("name, stem", [
    ("fpna_ledger_2026-10.csv", "fpna_ledger"),
    ("fpna_ledger_2026-11.csv", "fpna_ledger"),
    ("ledger_20261031.csv", "ledger"),
    ("ledger_2026_10_31.csv", "ledger"),
    ("cc4711_ledger.csv", "cc4711_ledger"),
    ("Budget FY26 P03 (2).xlsx", "budget"),
    ("workday_comp_Nov2026.xlsx", "workday_comp"),
    ("2026-10.csv", "ledger"),
])
def test_stable_stem(name, stem):
    assert ledger.stable_stem(name, "ledger") == stem


def test_line_column_of_cost_lines_is_the_category_when_the_sheet_names_the_kind(tmp_path):
    import xlsxwriter

    f = tmp_path / "budget_2026.xlsx"
    wb = xlsxwriter.Workbook(str(f))
    ws = wb.add_worksheet("Budget")
    ws.write_row(0, 0, ["Project", "Line", "Jan-26", "Feb-26", "FY26 Total"])
    ws.write_row(1, 0, ["P1", "Labour", 100, 200, 300])
    ws.write_row(2, 0, ["P1", "Vendor", 5, 6, 11])
    ws.write_row(3, 0, ["Total", None, 105, 206, 311])
    wb.close()
    o = analyse(f, settings=settings(), currency="USD")
    assert rows(o, ["project_id", "period", "category", "kind", "amount_original"]) == [
        ("P1", date(2026, 1, 1), "Labour", "budget", 100.0, 2),
        ("P1", date(2026, 2, 1), "Labour", "budget", 200.0, 2),
        ("P1", date(2026, 1, 1), "Vendor", "budget", 5.0, 3),
        ("P1", date(2026, 2, 1), "Vendor", "budget", 6.0, 3),
    ]
    assert o.rejects == [] and "dropped 1 total row (row 4)" in o.notes


def test_blank_key_cells_do_not_make_a_row_a_total(tmp_path):
    # Total rows are found per distinct value; a blank cost centre or category is not a total.
    f = tmp_path / "ledger.csv"
    f.write_text("Cost Center,Project,Category,Capex/Opex,Period,Version,Currency,Amount\n"
                 "CC1,P1,Labour,OPEX,2026-01,Actual,usd,10\n"
                 ",P2,,,2026-01,Budget,,20\n"
                 "Total,,,,2026-01,Actual,,30\n"
                 "CC1 IT Ops,P3,Labour,Capital,2026-02,Actual, eur ,5\n"
                 "CC2,P4,Labour,Grants,2026-02,Actual,GBP,7\n")
    o = analyse(f, settings=settings())
    assert rows(o) == [
        ("P1", date(2026, 1, 1), "Labour", "CC1", "actual", 10.0, "USD", "opex", 2),
        ("P3", date(2026, 2, 1), "Labour", "CC1", "actual", 5.0, "EUR", "capex", 5),
        ("P4", date(2026, 2, 1), "Labour", "CC2", "actual", 7.0, "GBP", None, 6),
    ]
    # P2's Currency cell is empty while the other lines state theirs: its amount is not stored.
    assert rejects(o) == [(3, "Amount", None, "the amount's currency is not stated (the currency cell is "
                                                "empty); pass --currency CODE if it is known")]
    assert "dropped 1 total row (row 4)" in o.notes
    assert "1 Capex/Opex value not read as capex or opex (e.g. 'Grants'); left empty" in o.notes


def test_fiscal_year_decides_bare_periods_row_by_row(tmp_path):
    # `P03` means a different month in each fiscal year: the period is looked up per (period, year).
    f = tmp_path / "ledger.csv"
    f.write_text("Project,Fiscal Year,Period,Version,Amount\n"
                 "P1,FY2026,P03,Actual,1\nP1,FY2025,P03,Actual,2\nP1,FY2026,2026-05,Actual,3\nP1,,P03,Actual,4\n")
    o = analyse(f, settings=settings(fiscal_year_start_month=4), currency="USD")
    assert [(r[1], r[5]) for r in rows(o)] == [(date(2025, 6, 1), 1.0), (date(2024, 6, 1), 2.0),
                                               (date(2026, 5, 1), 3.0)]
    assert [(r[0], r[1], r[2]) for r in rejects(o)] == [(5, "Period", "P03")]


def test_per_value_and_look_up_match_the_row_by_row_result():
    from pmo.importers._common import look_up, per_value

    s = pl.Series("cc", ["CC1 IT", None, "cc2", "CC1 IT", "X"] * 3)
    upper = per_value(s, lambda e: e.str.to_uppercase())
    assert upper.to_list() == ["CC1 IT", None, "CC2", "CC1 IT", "X"] * 3 and upper.name == "cc"
    same = per_value(s, lambda e: e.str.strip_chars())
    assert same is s                                  # nothing changed: the column itself
    # A NULL key carries its own value; a key mapped to NULL stays NULL.
    keys = pl.Series(["a", None, "b"])
    assert look_up(pl.Series(["b", None, "a", "b"]), keys, pl.Series([1, 0, None])).to_list() == [None, 0, 1, None]
    assert look_up(pl.Series(["b", None]), pl.Series(["b"]), pl.Series([date(2026, 1, 1)])).to_list() == \
        [date(2026, 1, 1), None]
