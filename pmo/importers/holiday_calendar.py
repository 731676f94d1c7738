"""Public holiday calendars per location (CSV or Excel), the same layout as the default set shipped
in config/holidays.csv: `Location,Date,Holiday`.

Accepted columns: location = Location, Country, Region, Office, City, Calendar; date = Date,
Holiday Date (or Start Date / End Date for a span); name = Holiday, Holiday Name, Name,
Description; share of the day = Day Fraction, Portion of Day, or Half Day (yes = 0.5). A location
is a city (Frankfurt: Hessen's Corpus Christi) or a country; ISO country codes and common spellings
are written out as the HR importer writes them (US -> United States, UK -> United Kingdom), so
they meet the HR export's countries.

Mapping to `capacity` (kind 'holiday', one row per location and holiday): location, start_date,
end_date (= start_date unless a span is given), days = share of the day (empty = the whole day),
description = the holiday's name. A calendar imported for a location replaces the default
calendar there (the `resource_holidays` view).
Source: the file's stable stem: a newer calendar file replaces it.
"""

from __future__ import annotations

import polars as pl

from pmo.importers._common import (
    Cells,
    HeaderRules,
    coalesce,
    coverage,
    has_any,
    stable_stem,
    tables_of,
    without_blank_rows,
)
from pmo.importers.base import ImportResult, IngestContext, RawTable, norm, reject_mask
from pmo.importers.hr import COUNTRY_CODES

TOOL = "holiday_calendar"
LABEL = "Public holiday calendar"
VERSION = "1"
TABLES = ("capacity",)

LOCATION = ("Location", "Country", "Region", "Office", "City", "Calendar", "Country/Region")
DATE = ("Date", "Holiday Date", "Start Date", "Observed Date")
END = ("End Date",)
NAME = ("Holiday", "Holiday Name", "Name", "Description", "Public Holiday", "Bank Holiday")
SHARE = ("Day Fraction", "Portion of Day", "Share of Day")
HALF = ("Half Day",)
_NAMED = {norm(n) for n in ("Holiday", "Holiday Name", "Public Holiday", "Bank Holiday", "Holiday Date")}
_KNOWN = {norm(n) for g in (LOCATION, DATE, END, NAME, SHARE, HALF) for n in g} | {norm("Weekday"), norm("Day")}


def _score(cells: list[str]) -> float:
    present = set(cells)
    if not (present & _NAMED and has_any(present, LOCATION) and has_any(present, DATE)):
        return 0.0
    if len(cells) > 8:       # a calendar is a short table; anything wider is some other export
        return 0.0
    return coverage(cells, sum(c in _KNOWN for c in cells))


FINGERPRINT = HeaderRules(strong=("Location", "Date", "Holiday"), scorer=_score)


def parse(tables: list[RawTable] | RawTable, ctx: IngestContext) -> ImportResult:
    tables = tables_of(tables)
    result = ImportResult(tables={}, source=stable_stem(ctx.file_name or tables[0].file_name, TOOL))
    result.tables["capacity"] = pl.concat([_holidays(without_blank_rows(t, result), result, ctx) for t in tables],
                                          how="diagonal_relaxed")
    return result


def _holidays(t: RawTable, result: ImportResult, ctx: IngestContext) -> pl.DataFrame:
    df = t.data
    c = Cells(t, df, result, "capacity", ctx)
    raw = c.text(*LOCATION).str.strip_chars()
    location = coalesce(raw.str.to_uppercase().replace_strict(COUNTRY_CODES, default=None, return_dtype=pl.String), raw)
    start = c.date(*DATE)
    share = c.number(*SHARE)
    half = c.bool(*HALF)
    share = coalesce(share, pl.select(pl.when(pl.lit(half)).then(0.5).alias("s"))["s"])
    out = pl.DataFrame({
        "_row": df["_row"],
        "kind": pl.Series(["holiday"] * df.height, dtype=pl.String),
        "location": location,
        "start_date": start,
        "end_date": coalesce(c.date(*END), start),
        "days": share,
        "description": c.text(*NAME),
    })
    out = reject_mask(result, "capacity", out, out["location"].is_null(), "location", "no location for the holiday")
    return reject_mask(result, "capacity", out, out["start_date"].is_null(), "start_date", "no date for the holiday")
