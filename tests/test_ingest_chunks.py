"""Big ledgers are parsed a slice at a time: the result must equal the one-piece parse."""

from __future__ import annotations

import polars as pl
import pytest

from pmo import db, ingest
from pmo.ingest import IngestFailed, analyse, ingest_files

from conftest import FIXTURES

LEDGER = FIXTURES / "ledger" / "fpna_ledger_2026-03.csv"


def test_sliced_parse_equals_whole_parse(monkeypatch):
    whole = analyse(LEDGER)
    monkeypatch.setattr(ingest, "CHUNK_MIN_BYTES", 0)
    monkeypatch.setattr(ingest, "CHUNK_ROWS", 2)
    sliced = analyse(LEDGER)
    assert isinstance(sliced.frames["financials"], pl.LazyFrame)
    assert sliced.tables == whole.tables and sliced.rows_read == whole.rows_read
    assert sliced.frames["financials"].collect().equals(whole.frames["financials"])
    assert sorted((r.row, r.reason) for r in sliced.rejects) == sorted((r.row, r.reason) for r in whole.rejects)
    assert sliced.preview("financials", 3).equals(whole.frames["financials"].head(3))


def test_sliced_ingest_publishes_the_same_rows(monkeypatch, store, tmp_path):
    monkeypatch.setattr(ingest, "CHUNK_MIN_BYTES", 0)
    monkeypatch.setattr(ingest, "CHUNK_ROWS", 2)
    [o] = ingest_files(store, [LEDGER])
    con = db.connect(store).con
    assert con.sql("select count(*) from seg_financials").fetchall()[0][0] == o.tables["financials"]


def test_slices_that_disagree_on_date_order_are_refused(monkeypatch, tmp_path):
    f = tmp_path / "ledger.csv"
    f.write_text("Project,Period,Version,Amount\nP1,13/01/2026,Actual,10\nP1,01/13/2026,Actual,20\n")
    monkeypatch.setattr(ingest, "CHUNK_MIN_BYTES", 0)
    monkeypatch.setattr(ingest, "CHUNK_ROWS", 1)
    with pytest.raises(IngestFailed) as exc:
        analyse(f)
    assert "parts of the file read differently (day-first in some rows, month-first in others)" in exc.value.problems[0]
