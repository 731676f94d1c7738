"""FX rate files: `Rate to <reporting>` tables and from/to pair lists."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from pmo import config
from pmo.ingest import IngestFailed, analyse

from conftest import FIXTURES

FX = FIXTURES / "fx"


def rows(outcome) -> list[tuple]:
    return outcome.frames["fx_rates"].select("currency", "rate_to_reporting", "valid_from", "_row").rows()


def test_rate_to_reporting_currency_table():
    o = analyse(FX / "fx_rates_2026.csv")
    assert o.tool == "fx" and o.label == "FX rates"
    assert o.source == "fx:fx_rates_2026"              # rate files keep their full name: they add up
    assert o.rows_read == 6
    # One decimal mark per column: '1,0950' loses to the three values with a decimal point.
    assert rows(o) == [
        ("EUR", 1.082, date(2026, 1, 1), 2),
        ("GBP", 1.271, date(2026, 1, 1), 3),
    ]
    assert sorted((r.row, r.column, r.value, r.reason) for r in o.rejects) == [
        (5, "Rate to USD", "1,0950", "rate must be a positive number"),
        (6, "Rate to USD", "n/a", "rate must be a positive number"),
        (7, "Currency", "EURO", "currency must be a 3-letter ISO code"),
    ]
    assert "skipped the reporting currency's own rate (USD = 1)" in o.notes


def test_from_to_pairs_keep_rates_into_the_reporting_currency():
    o = analyse(FX / "ecb_pairs.csv")
    assert rows(o) == [
        ("EUR", 1.082, date(2026, 1, 31), 2),
        ("GBP", 1.271, date(2026, 1, 31), 3),
        ("EUR", 1.095, date(2026, 2, 28), 5),
    ]
    assert "skipped 1 rate not into the reporting currency USD (e.g. EUR -> GBP)" in o.notes


def test_reporting_currency_from_settings():
    cfg = copy.deepcopy(config.load())
    cfg["general"]["reporting_currency"] = "GBP"
    o = analyse(FX / "ecb_pairs.csv", settings=cfg)
    assert rows(o) == [("EUR", 0.8513, date(2026, 1, 31), 4)]


def test_rates_into_another_currency_are_refused():
    with pytest.raises(IngestFailed) as exc:
        analyse(FX / "rates_to_eur.csv")
    [problem] = exc.value.problems
    assert problem.startswith("rates_to_eur.csv: the rates are into EUR ('Rate to EUR') but the reporting "
                              "currency is USD.")
    cfg = copy.deepcopy(config.load())
    cfg["general"]["reporting_currency"] = "EUR"
    assert rows(analyse(FX / "rates_to_eur.csv", settings=cfg)) == [("USD", 0.92, date(2026, 1, 1), 2)]


def test_file_with_no_good_rate_is_refused():
    with pytest.raises(IngestFailed) as exc:
        analyse(FIXTURES / "store" / "fx_bad.csv")
    # Its one rate is not a number: the rate column cannot be read at all.
    assert ("fx_bad.csv: column 'Rate to USD' cannot be read: 1 of its 1 values are not rates (e.g. 'not-a-rate')"
            in str(exc.value))
