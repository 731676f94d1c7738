"""Oracle Projects importer: a hand-written expenditure item export -> financials (actuals);
hand-computed canonical rows."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl

from pmo import schema
from pmo.importers import oracle, registry
from pmo.importers.base import ImportError_
from pmo.ingest import analyse
from pmo.readers import ReadError

FIXTURES = Path(__file__).parent / "fixtures"
HERE = FIXTURES / "oracle"
AS_OF = date(2026, 4, 1)
TOOL = "oracle_projects"
SOURCE = "oracle_projects:expenditures:PRJ-2026-014+PRJ-2026-021:2026-02..2026-03"


def canon(table: str, **values) -> dict:
    return {c: None for c in schema.TABLES[table]} | values


def row_at(df: pl.DataFrame, r: int) -> dict:
    rows = df.filter(pl.col("_row") == r).to_dicts()
    assert len(rows) == 1, f"row {r}: {rows}"
    return rows[0]


def test_expenditure_lines_whole_rows():
    o = analyse(HERE / "expenditures.csv", as_of=AS_OF)
    assert o.tool == TOOL and o.source == SOURCE
    fin = o.frames["financials"]
    assert fin.height == 5 and o.rejects == []
    assert row_at(fin, 2) == canon(
        "financials", project_id="PRJ-2026-014", period=date(2026, 2, 1), category="Labor",
        cost_center="EMEA Delivery", kind="actual", currency="EUR", amount_original=5166.0,
        source=SOURCE, _row=2)
    # No burdened cost: the raw cost is used, and the notes say so
    assert row_at(fin, 4) == canon(
        "financials", project_id="PRJ-2026-014", period=date(2026, 3, 1), category="Labor",
        cost_center="EMEA Delivery", kind="actual", currency="EUR", amount_original=3360.0,
        source=SOURCE, _row=4)
    assert "amounts are Burdened Cost (4 line(s)); Raw Cost where the burdened cost is empty (1 line(s))" \
        in o.notes
    # No item date: the month of the Accounting Period; a reversal stays negative
    assert row_at(fin, 5)["period"] == date(2026, 3, 1) and row_at(fin, 5)["amount_original"] == 19152.0
    assert row_at(fin, 6)["amount_original"] == -1596.0


def test_raw_cost_only_export_and_currency_symbols(tmp_path):
    path = tmp_path / "ebs.csv"
    path.write_text("Project Number,Task Number,Expenditure Item Date,Expenditure Type,Expenditure Organization,"
                    "Raw Cost\n"
                    "P-77,1.1,13-Feb-2026,Travel,US Delivery,\"$1,254.10\"\n"
                    "P-77,1.1,02-Mar-2026,Travel,US Delivery,($120.00)\n")
    o = analyse(path, as_of=AS_OF)
    fin = o.frames["financials"]
    assert fin.select("period", "category", "currency", "amount_original").rows() == [
        (date(2026, 2, 1), "Travel", "USD", 1254.10), (date(2026, 3, 1), "Travel", "USD", -120.0)]
    assert any("no Burdened Cost column" in n for n in o.notes)
    assert o.source == "oracle_projects:expenditures:P-77:2026-02..2026-03"


def test_accounting_period_spellings():
    s = pl.Series(["Feb-26", "FEB-2026", "Mar 2026", "2026-04", "P13", None])
    assert oracle._accounting_period(s).to_list() == [date(2026, 2, 1), date(2026, 2, 1), date(2026, 3, 1),
                                                      date(2026, 4, 1), None, None]


def test_own_file_detected_as_oracle_only():
    assert [m.tool for m in registry.detect(HERE / "expenditures.csv")] == [TOOL]


def test_other_tools_files_are_not_taken():
    for path in sorted(FIXTURES.rglob("*")):
        if path.suffix not in (".csv", ".xlsx") or path.parent.name == "oracle":
            continue
        try:
            tools = [m.tool for m in registry.detect(path)]
        except (ImportError_, ReadError):
            continue
        assert TOOL not in tools, path


def test_sap_line_items_are_not_oracle():
    header = ["WBS Element", "Cost Element", "Posting Date", "Val/COArea Crcy", "Raw Cost"]
    assert oracle.FINGERPRINT.score(header) == 0.0
