"""What the time-tracking importers (Tempo, Harvest, Clockify, Toggl) share.

- `finish`: rows without anyone to book the hours to are rejected, negative hours too; the source
  is the file's stable stem plus the period the export covers (`tempo_worklogs@2026-10-01..2026-10-30`,
  first and last work date), and as_of is its last work date. Each period is then kept as its own
  segment, and the `time_entries` view takes a day's entries from the latest export of the same
  dataset that covers the day (pmo/resources.py): monthly exports add up, a re-export replaces.
- `clock_hours`: `7:30`, `07:30:00` -> 7.5.
- `project_code`: a project code at the start of a project name (`PRJ-1004 Payments` -> PRJ-1004).
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from pmo import parse as pp
from pmo.importers._common import stable_stem
from pmo.importers.base import ImportResult, IngestContext, reject_mask

PERSON_COLUMNS = ("person_name", "email", "employee_id", "resource_id")
_CODE = r"^\s*([A-Z][A-Z0-9]*-[0-9]+)\b"


def clock_hours(s: pl.Series) -> pp.Parsed:
    """`h:mm` or `h:mm:ss` durations -> hours (`07:30:00` -> 7.5); other text is bad."""
    text = s.cast(pl.String).str.strip_chars()
    g = text.str.extract_groups(r"^(\d+):([0-5]\d)(?::([0-5]\d))?$")
    h = g.struct.field("1").cast(pl.Float64)
    m = g.struct.field("2").cast(pl.Float64)
    sec = g.struct.field("3").cast(pl.Float64).fill_null(0.0)
    values = (h + m / 60 + sec / 3600).alias(s.name)
    bad = (text.is_not_null() & (text != "") & values.is_null()).alias(s.name)
    return pp.Parsed(values, bad, "")


def project_code(name: pl.Series) -> pl.Series:
    """The project code a name starts with (`PRJ-1004 Payments Modernisation` -> PRJ-1004), else the name."""
    return name.str.extract(_CODE, 1).fill_null(name.str.strip_chars()).alias("project_id")


def currency_in_header(header: str | None) -> str | None:
    """`Billable Rate (USD)` -> USD."""
    if not header:
        return None
    m = re.search(r"\(([A-Za-z]{3})\)\s*$", header)
    return m.group(1).upper() if m else None


_PERIOD = re.compile(
    r"(?i)(?:\bfrom|\b)?[\s_-]*(?:\d{4}-\d{2}-\d{2}|\d{1,2}[_.]\d{1,2}[_.]\d{4}|\d{8})"
    r"(?:[\s_-]*(?:to|bis|-)?[\s_-]*(?:\d{4}-\d{2}-\d{2}|\d{1,2}[_.]\d{1,2}[_.]\d{4}|\d{8}))?")


def dataset_name(file_name: str, tool: str) -> str:
    """The file's stable stem without the period tools write into export names:
    `harvest_time_report_from2026-11-01to2026-11-30.csv` -> harvest_time_report;
    `Clockify_Time_Report_Detailed_01_11_2026-30_11_2026.csv` -> clockify_time_report_detailed."""
    stem = Path(file_name).stem
    cleaned = _PERIOD.sub(" ", stem)
    cleaned = re.sub(r"(?i)(?:^|[\s_-])(?:from|to)(?=$|[\s_-])", " ", cleaned)
    return stable_stem(cleaned.strip(" _-") + Path(file_name).suffix, tool)


def finish(result: ImportResult, entries: pl.DataFrame, ctx: IngestContext, file_name: str, tool: str) -> None:
    """Reject rows with nobody or negative hours; name the source by the period covered."""
    persons = [c for c in PERSON_COLUMNS if c in entries.columns]
    nobody = entries.select(pl.all_horizontal(pl.col(c).is_null() | (pl.col(c).str.strip_chars() == "")
                                              for c in persons).alias("x"))["x"]
    entries = reject_mask(result, "time_entries", entries, nobody, "person",
                          "no person: the entry names nobody (name, e-mail or user id)")
    negative = (entries["hours"] < 0).fill_null(False)
    entries = reject_mask(result, "time_entries", entries, negative, "hours",
                          "negative hours", entries["hours"].cast(pl.String))
    dates = entries.filter(pl.col("hours").is_not_null())["work_date"].drop_nulls()
    stem = dataset_name(ctx.file_name or file_name, tool)
    if len(dates):
        first, last = dates.min(), dates.max()
        result.source = f"{stem}@{first.isoformat()}..{last.isoformat()}"
        result.as_of = last
    else:
        result.source = stem
    result.tables["time_entries"] = entries
