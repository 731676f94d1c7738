"""Big ledgers are parsed a slice at a time: the result must equal the one-piece parse."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from pmo import query, ingest, schema
from pmo.ingest import IngestFailed, analyse, ingest_files

from conftest import FIXTURES
from test_store import snapshot

LEDGER = FIXTURES / "ledger" / "fpna_ledger_2026-03.csv"
FX_A = FIXTURES / "store" / "fx_a.csv"



def one_row_slices(monkeypatch, tmp_path, rows: str):
    """A small ledger (`rows` under a Project,Period,Version,Amount header, in USD) ingested one row
    a slice."""
    f = tmp_path / "ledger.csv"
    f.write_text("Project,Period,Version,Amount,Currency\n" + "".join(f"{r},USD\n" for r in rows.splitlines()))
    monkeypatch.setattr(ingest, "CHUNK_MIN_BYTES", 0)
    monkeypatch.setattr(ingest, "CHUNK_ROWS", 1)
    return f

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
    con = query.connect(store).con
    assert con.sql("select count(*) from seg_financials").fetchall()[0][0] == o.tables["financials"]


def test_slices_that_disagree_on_date_order_are_refused(monkeypatch, tmp_path):
    f = one_row_slices(monkeypatch, tmp_path, "P1,13/01/2026,Actual,10\nP1,01/13/2026,Actual,20\n")
    with pytest.raises(IngestFailed) as exc:
        analyse(f)
    assert "parts of the file read differently (day-first in some rows, month-first in others)" in exc.value.problems[0]


def _segment(store, con_version=None) -> pl.DataFrame:
    con = query.connect(store, con_version).con
    seg = con.sql("select * from seg_financials").pl()
    return seg.sort(seg.columns, nulls_last=True)


def test_slices_are_written_as_the_published_segment(monkeypatch, store):
    whole = analyse(LEDGER).frames["financials"].drop("_row")
    whole = whole.sort(whole.columns, nulls_last=True)
    monkeypatch.setattr(ingest, "CHUNK_MIN_BYTES", 0)
    monkeypatch.setattr(ingest, "CHUNK_ROWS", 2)
    ingest_files(store, [FX_A])                        # ingest 1: another source first
    [o] = ingest_files(store, [LEDGER])                # ingest 2: its slices are the segment file
    assert o.ingest_id == 2 and not list(store.path("tmp").rglob("*.parquet"))
    seg = _segment(store)
    assert seg.drop(schema.INGEST_ID).equals(whole) and seg[schema.INGEST_ID].unique().to_list() == [2]
    # Rebuilding from the raw files writes the same rows again, under the same ingest ids.
    ingest.rebuild(store)
    assert _segment(store).equals(seg)


def test_a_failed_sliced_ingest_leaves_the_store_as_it_was(monkeypatch, store, tmp_path):
    ingest_files(store, [LEDGER])
    before = snapshot(store.root)
    f = one_row_slices(monkeypatch, tmp_path, "P1,13/01/2026,Actual,10\nP1,01/13/2026,Actual,20\n")
    with pytest.raises(IngestFailed):
        ingest_files(store, [FX_A, f])                 # the good file's raw copy was already made
    assert snapshot(store.root) == before


def test_a_sliced_ingest_takes_the_callers_date_order(monkeypatch, tmp_path):
    # The slices are parsed in Polars' sink thread: --date-order must reach them there too.
    f = one_row_slices(monkeypatch, tmp_path, "P1,01/02/2026,Actual,10\nP1,03/04/2026,Actual,20\n")
    o = analyse(f, date_order="dmy")
    assert o.frames["financials"].collect()["period"].to_list() == [date(2026, 2, 1), date(2026, 4, 1)]


def test_a_problem_inside_a_slice_is_one_clear_message(monkeypatch, tmp_path):
    # Raised while Polars' sink pulls the slices: it reaches the caller as the usual IngestFailed.
    f = one_row_slices(monkeypatch, tmp_path, "P1,01/02/2026,Actual,10\nP1,03/04/2026,Actual,20\n")
    with pytest.raises(IngestFailed) as exc:
        analyse(f, settings={"general": {"reporting_currency": "USD", "default_date_order": None}})
    [problem] = exc.value.problems
    assert problem.startswith("ledger.csv: Dates in column 'Period' could be day-first or month-first")
    assert "--date-order" in problem
