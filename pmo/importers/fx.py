"""FX rates into the reporting currency.

Two layouts:
- `Currency,Rate to USD,Valid From`: one rate per currency and date; the currency named in the
  `Rate to <CCY>` header must be the reporting currency (`general.reporting_currency`), else the
  file is refused with a message saying so. `Rate to Reporting` is accepted as is.
- `From Currency,To Currency,Rate,Date`: only rows whose To Currency is the reporting currency are
  kept (the others are counted in the notes, not inverted).

rate_to_reporting = how many reporting-currency units one unit of `currency` buys (EUR 1.10 with
USD reporting: 1 EUR = 1.10 USD). Rows for the reporting currency itself are skipped (the views add
it at 1.0). Without a date column the rates are valid from the as-of date. The source is the file
name as it is (no date stripping): monthly rate files add up to a history instead of replacing
each other.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import polars as pl

from pmo.importers._common import HeaderRules, coverage, drop_blank_rows, has_any, parser_note, tables_of
from pmo.importers.base import ImportError_, ImportResult, IngestContext, RawTable, Reject, check_column, norm
from pmo.parse import to_date, to_number

TOOL = "fx"
LABEL = "FX rates"
VERSION = "1"
TABLES = ("fx_rates",)

CURRENCY = ("Currency", "Currency Code", "Curr", "ISO Code", "Code")
FROM = ("From Currency", "From", "Source Currency", "Base Currency", "From Curr")
TO = ("To Currency", "To", "Target Currency", "Quote Currency", "To Curr")
RATE = ("Rate", "Exchange Rate", "FX Rate", "Conversion Rate", "Rate to Reporting")
DATE = ("Valid From", "Date", "Effective Date", "Rate Date", "As Of", "As of Date", "Valid From Date",
        "Effective From", "Start Date")
_RATE_TO = re.compile(r"(?:rate|fx rate|exchange rate)\s*(?:to|in|\()\s*([a-z]{3})\)?")


def _score(cells: list[str]) -> float:
    present = set(cells)
    rate_to = any(_RATE_TO.fullmatch(c) for c in cells)
    single = has_any(present, CURRENCY) and (rate_to or "rate to reporting" in present)
    pair = has_any(present, FROM) and has_any(present, TO) and has_any(present, RATE)
    if not (single or pair):
        return 0.0
    known = {norm(n) for n in CURRENCY + FROM + TO + RATE + DATE}
    return coverage(cells, sum(c in known or bool(_RATE_TO.fullmatch(c)) for c in cells))


FINGERPRINT = HeaderRules(strong=("Currency", "Rate to USD", "Valid From"), scorer=_score)


def parse(tables, ctx: IngestContext) -> ImportResult:
    sheets = tables_of(tables)
    result = ImportResult(tables={}, source=Path(ctx.file_name or sheets[0].file_name).stem.lower() or TOOL)
    frames = []
    for t in sheets:
        result.rows_read += t.data.height
        frames.append(_parse_sheet(t, ctx, result))
    result.tables["fx_rates"] = pl.concat(frames, how="diagonal_relaxed")
    return result


def _parse_sheet(t: RawTable, ctx: IngestContext, result: ImportResult) -> pl.DataFrame:
    reporting = ctx.reporting_currency.upper()
    df = drop_blank_rows(t.data)
    rate_to_col = next((c for c in df.columns if c != "_row" and _RATE_TO.fullmatch(norm(c))), None)
    from_c, to_c = t.col(*FROM), t.col(*TO)
    if rate_to_col is not None:
        target = _RATE_TO.fullmatch(norm(rate_to_col)).group(1).upper()
        if target != reporting:
            raise ImportError_(
                f"{t.file_name}: the rates are into {target} ('{rate_to_col}') but the reporting currency "
                f"is {reporting}. Export rates into {reporting}, or set general.reporting_currency = "
                f"\"{target}\" in the store's config.toml.")
        currency_c, rate_c = t.col(*CURRENCY), rate_to_col
        frame = df.select("_row", currency=pl.col(currency_c), rate_text=pl.col(rate_c))
    elif from_c is not None and to_c is not None:
        rate_c = t.col(*RATE)
        currency_c = from_c
        to = df[to_c].str.strip_chars().str.to_uppercase()
        other = df.filter(to.fill_null("") != reporting)
        if other.height:
            result.notes.append(f"skipped {other.height} rate{'s' if other.height > 1 else ''} not into the "
                                f"reporting currency {reporting} (e.g. "
                                f"{other[from_c][0]} -> {other[to_c][0]})")
        df = df.filter(to.fill_null("") == reporting)
        frame = df.select("_row", currency=pl.col(from_c), rate_text=pl.col(rate_c))
    else:
        currency_c, rate_c = t.col(*CURRENCY), t.col("Rate to Reporting")
        frame = df.select("_row", currency=pl.col(currency_c), rate_text=pl.col(rate_c))

    date_c = t.col(*DATE)
    if date_c is not None:
        dates = to_date(df[date_c], name=date_c)
        if parser_note(dates.note):
            result.notes.append(parser_note(dates.note))
        check_column(t.file_name, date_c, df[date_c], dates.bad, "a date")
        frame = frame.with_columns(valid_from=dates.values, _dbad=dates.bad, _draw=df[date_c])
        for r in frame.filter(pl.col("_dbad")).iter_rows(named=True):
            result.rejects.append(Reject(r["_row"], date_c, r["_draw"], "date not understood", "fx_rates"))
        frame = frame.filter(~pl.col("_dbad"))
    else:
        valid = ctx.as_of or date.today()
        result.notes.append(f"no date column: rates valid from {valid.isoformat()} (the as-of date)")
        frame = frame.with_columns(valid_from=pl.lit(valid))

    rates = to_number(frame["rate_text"])
    check_column(t.file_name, rate_c, frame["rate_text"], rates.bad, "a rate")
    code = frame["currency"].str.strip_chars().str.to_uppercase()
    frame = frame.with_columns(currency=code, rate_to_reporting=rates.values,
                               _rbad=rates.bad | (rates.values <= 0).fill_null(False),
                               _cbad=code.is_not_null() & ~code.str.contains(r"^[A-Z]{3}$").fill_null(False))
    for r in frame.filter(pl.col("_cbad")).iter_rows(named=True):
        result.rejects.append(Reject(r["_row"], currency_c, r["currency"], "currency must be a 3-letter ISO code",
                                     "fx_rates"))
    frame = frame.filter(~pl.col("_cbad"))
    for r in frame.filter(pl.col("_rbad")).iter_rows(named=True):
        result.rejects.append(Reject(r["_row"], rate_c, r["rate_text"], "rate must be a positive number",
                                     "fx_rates"))
    frame = frame.filter(~pl.col("_rbad"))
    own = frame["currency"] == reporting
    if own.any():
        result.notes.append(f"skipped the reporting currency's own rate ({reporting} = 1)")
        frame = frame.filter(~own.fill_null(False))
    return frame.select("_row", "currency", "rate_to_reporting", "valid_from")
