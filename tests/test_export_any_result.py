"""Downloads that survive any result (issue 16, point 2): a result of every column type a query can
return, run through the SQL explorer's worker on the sample store, becomes a CSV, an Excel sheet and
a slide: lists, structs and maps as JSON text, binary as hex, decimals, times and intervals as their
values, a NULL-only column empty, text longer than a cell cut and saying so, zero rows a header, and
formula-leading text neutralised. (Every page's own downloads are built from real results in
tests/test_scoping_matrix.py.)"""

from __future__ import annotations

import io
import json

import openpyxl
import polars as pl
import pytest
from pptx import Presentation

from pmo import config, export, sandbox
from pmo.export.tables import SLIDE_MAX_CHARS, XLSX_MAX_CHARS
from pmo.safe_sql import SqlLimits
from pmo.store import Store

LONG = 40_000
QUERY = f"""
select 1 as n,
       [1, 2, 3] as a_list,
       {{'a': 1, 'b': 'x'}} as a_struct,
       map([1, 2], ['one', 'two']) as a_map,
       [{{'k': 'x', 'v': [1.5::double]}}] as nested,
       '\\x00\\xFF'::blob as a_blob,
       123.45::decimal(10, 2) as a_decimal,
       12345678901234567890.5::decimal(38, 1) as a_wide_decimal,
       time '13:45:00' as a_time,
       interval 3 day as an_interval,
       null as only_null,
       repeat('x', {LONG}) as long_text,
       '=HYPERLINK("http://evil.example")' as formula,
       '-2+3' as minus_formula,
       date '2026-11-20' as a_date
"""
META = export.Meta(page="SQL explorer", title="query result", version=1)


@pytest.fixture(scope="module")
def result(sample_store_dir):
    store = Store(sample_store_dir)
    df, more = sandbox.run(store.root, store.current_version(), None, QUERY,
                           SqlLimits.from_config(config.load(store.root)))
    assert df.height == 1 and not more
    return df


def csv_row(data: bytes) -> dict:
    text = data.decode("utf-8-sig")
    assert text.startswith("# Page,SQL explorer: query result")
    return pl.read_csv(io.StringIO(text), comment_prefix="#", infer_schema=False).row(0, named=True)


def test_csv_holds_every_type_as_text_a_tool_reads_back(result):
    row = csv_row(export.to_csv_bytes(result, META))
    assert json.loads(row["a_list"]) == [1, 2, 3]
    assert json.loads(row["a_struct"]) == {"a": 1, "b": "x"}
    assert "one" in row["a_map"] and "two" in row["a_map"]
    assert json.loads(row["a_map"]) in ([{"key": 1, "value": "one"}, {"key": 2, "value": "two"}],
                                        {"1": "one", "2": "two"})
    assert json.loads(row["nested"]) == [{"k": "x", "v": [1.5]}]
    assert row["a_blob"] == "0x00ff"
    assert float(row["a_decimal"]) == 123.45
    assert row["a_wide_decimal"] == "12345678901234567890.5"
    assert row["a_time"].startswith("13:45:00")
    assert row["an_interval"] and "3" in row["an_interval"]
    assert row["only_null"] is None
    assert len(row["long_text"]) == LONG                       # a CSV cell has no limit: kept whole
    assert row["formula"] == "'=HYPERLINK(\"http://evil.example\")"
    assert row["minus_formula"] == "'-2+3"
    assert row["a_date"] == "2026-11-20"


def test_excel_holds_every_type_cuts_long_text_at_the_cell_limit_and_neutralises_formulas(result):
    wb = openpyxl.load_workbook(io.BytesIO(export.to_xlsx_bytes(result, META, sheet="Query")))
    ws = wb["Query"]
    rows = list(ws.iter_rows(values_only=True))
    header_at = next(i for i, r in enumerate(rows) if r and r[0] == "n")
    cells = dict(zip(rows[header_at], rows[header_at + 1], strict=True))
    assert json.loads(cells["a_list"]) == [1, 2, 3]
    assert json.loads(cells["a_struct"]) == {"a": 1, "b": "x"}
    assert cells["a_blob"] == "0x00ff"
    assert cells["only_null"] is None
    long = cells["long_text"]
    assert len(long) <= XLSX_MAX_CHARS and long.endswith(f"[cut: {LONG} characters]")
    assert cells["formula"].startswith("'=") and cells["minus_formula"] == "'-2+3"
    # stored as text, never as a formula
    for row in ws.iter_rows():
        for c in row:
            assert c.data_type != "f", c.coordinate


def test_a_slide_shows_every_type_and_cuts_long_text(result):
    pack = export.Pack(META, tables=[export.PackTable("Query result", result)])
    prs = Presentation(io.BytesIO(export.pack_pptx(pack)))
    cells = [c.text for s in prs.slides for sh in s.shapes if sh.has_table
             for r in sh.table.rows for c in r.cells]
    assert "0x00ff" in cells and any(c.startswith("[1") for c in cells)
    assert max(len(c) for c in cells) <= SLIDE_MAX_CHARS
    assert any(c.endswith(f"[cut: {LONG} characters]") for c in cells)


@pytest.mark.parametrize("sql", [
    "select * from projects where false",                        # zero rows
    "select null as a, null as b from range(3)",                 # NULL-only columns
    "select labels, sprints from tasks limit 5",                 # the sample's own nested columns
])
def test_zero_rows_null_only_and_the_samples_nested_columns(sample_store_dir, sql):
    store = Store(sample_store_dir)
    df, _ = sandbox.run(store.root, store.current_version(), None, sql,
                        SqlLimits.from_config(config.load(store.root)))
    text = export.to_csv_bytes(df, META).decode("utf-8-sig")
    body = [line for line in text.splitlines() if not line.startswith("#")]
    assert len(body) == df.height + 1                              # the header, then one line a row
    openpyxl.load_workbook(io.BytesIO(export.to_xlsx_bytes(df, META)))
    Presentation(io.BytesIO(export.pack_pptx(export.Pack(META, tables=[export.PackTable("t", df)]))))
