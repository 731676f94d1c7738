"""Time-off (leave) exports from HR systems: Workday time-off reports and generic HRIS absence lists.

Layouts [unverified: column titles follow Workday's delivered field names and common HRIS exports;
no real file was seen]:
- Workday "Time Off" report, one row per person and day: `Employee ID, Worker, Time Off Date,
  Time Off Type, Units, Unit of Time, Status` (Units 8 + Hours, or 1 / 0.5 + Days).
- Generic HRIS, one row per absence: `Employee Number, Employee Name, Leave Type, Start Date,
  End Date, Days | Hours, Status`.

Mapping to `capacity` (kind 'leave', one row per entry):
    employee_id      Employee ID / Number       person_name   Worker / Employee Name (or First + Last)
    start_date       Time Off Date / Start Date / From
    end_date         End Date / To, else the start date
    hours / days     Units with Unit of Time (Hours / Days), else an Hours or Days (or Quantity, in
                     days) column; neither = the whole working days of the span
    description      Time Off Type / Leave Type / Absence Type
Rows whose Status is Cancelled, Denied, Rejected or Withdrawn are skipped (counted in a note); every
other status (Approved, Submitted, Taken, ...) counts: planned leave is capacity that will not be there.
The `resource_utilisation` view spreads a total over the span's working days that have capacity.
Source: the file's stable stem: a newer export of the same report replaces it (export the whole
period you report on, not one month at a time).
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

TOOL = "hr_leave"
LABEL = "HR time-off export (Workday / HRIS)"
VERSION = "1"
TABLES = ("capacity",)

EMPLOYEE_ID = ("Employee ID", "Employee Id", "Employee Number", "Employee No", "Worker ID", "Personnel Number")
NAME = ("Worker", "Employee Name", "Employee", "Name", "Full Name")
FIRST, LAST = ("First Name",), ("Last Name",)
EMAIL = ("Email", "Work Email", "Email - Primary Work")
TYPE = ("Time Off Type", "Leave Type", "Absence Type", "Time Off Plan", "Type")
START = ("Time Off Date", "Absence Date", "Leave Date", "Start Date", "From", "First Day")
END = ("End Date", "To", "Last Day", "Until")
UNITS = ("Units", "Quantity", "Requested", "Amount")
UNIT = ("Unit of Time", "Unit", "Units of Time", "Time Unit")
HOURS = ("Hours", "Total Hours", "Hours Off")
DAYS = ("Days", "Total Days", "Days Off", "Working Days")
STATUS = ("Status", "Approval Status", "Request Status")
_KNOWN = {norm(n) for g in (EMPLOYEE_ID, NAME, FIRST, LAST, EMAIL, TYPE, START, END, UNITS, UNIT, HOURS, DAYS, STATUS)
          for n in g} | {norm(n) for n in ("Department", "Location", "Comment", "Manager", "Supervisory Organization")}
_SKIPPED = r"(?i)^\s*(cancel+ed|denied|rejected|withdrawn|declined)\s*$"


def _score(cells: list[str]) -> float:
    present = set(cells)
    if not has_any(present, ("Time Off Date", "Time Off Type", "Leave Type", "Absence Type", "Absence Date",
                             "Leave Date", "Time Off Plan")):
        return 0.0
    if not (has_any(present, EMPLOYEE_ID) or has_any(present, NAME)) or not has_any(present, START):
        return 0.0
    return coverage(cells, sum(c in _KNOWN for c in cells))


FINGERPRINT = HeaderRules(strong=("Employee ID", "Worker", "Time Off Date", "Time Off Type", "Units", "Unit of Time"),
                          scorer=_score)


def parse(tables: list[RawTable] | RawTable, ctx: IngestContext) -> ImportResult:
    tables = tables_of(tables)
    result = ImportResult(tables={}, source=stable_stem(ctx.file_name or tables[0].file_name, TOOL))
    result.tables["capacity"] = pl.concat([_leave(without_blank_rows(t, result), result, ctx) for t in tables],
                                          how="diagonal_relaxed")
    return result


def _leave(t: RawTable, result: ImportResult, ctx: IngestContext) -> pl.DataFrame:
    df = t.data
    status = t.values(*STATUS)
    skipped = status.str.contains(_SKIPPED).fill_null(False)
    if skipped.any():
        result.notes.append(f"{int(skipped.sum())} cancelled or denied time-off row(s) skipped")
        df = df.filter(~skipped)
    c = Cells(t, df, result, "capacity", ctx)
    full = pl.DataFrame({"f": c.text(*FIRST), "l": c.text(*LAST)}).select(
        pl.concat_str(["f", "l"], separator=" ", ignore_nulls=True).replace("", None).alias("n"))["n"]
    start = c.date(*START)
    units, unit = c.number(*UNITS), c.text(*UNIT).str.strip_chars().str.to_lowercase()
    in_hours = unit.str.contains(r"^h").fill_null(False)
    in_days = unit.str.contains(r"^d").fill_null(False) | (unit.is_null() & pl.Series([c.name(*UNIT) is None] * df.height))
    hours = coalesce(c.number(*HOURS), pl.select(pl.when(pl.lit(in_hours)).then(pl.lit(units)).alias("h"))["h"])
    days = coalesce(c.number(*DAYS), pl.select(pl.when(pl.lit(in_days) & pl.lit(hours).is_null())
                                               .then(pl.lit(units)).alias("d"))["d"])
    out = pl.DataFrame({
        "_row": df["_row"],
        "kind": pl.Series(["leave"] * df.height, dtype=pl.String),
        "employee_id": c.text(*EMPLOYEE_ID).str.strip_chars(),
        "person_name": coalesce(c.text(*NAME), full),
        "email": c.text(*EMAIL),
        "start_date": start,
        "end_date": coalesce(c.date(*END), start),
        "hours": hours,
        "days": days,
        "description": c.text(*TYPE),
    })
    out = reject_mask(result, "capacity", out, out["start_date"].is_null(), "start_date", "no date of leave")
    backwards = (out["end_date"] < out["start_date"]).fill_null(False)
    return reject_mask(result, "capacity", out, backwards, "end_date", "ends before it starts",
                       out["end_date"].cast(pl.String))
