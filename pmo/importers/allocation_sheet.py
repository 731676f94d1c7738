"""Allocation sheets: bookings of people (or unnamed placeholder roles) on projects over a span, as
resource-planning tools export them (Float schedule, Runn assignments) or PMOs keep them by hand.

Layout: one row per booking with a person or a role, a project, a start and an end date, and how
much: hours per day, a % of the person's capacity, or total hours. Float's API names the fields
`people_id, project_id, start_date, end_date, hours` (hours per day) and `status` (draft /
tentative / confirmed) [doc: developer.float.com]; Runn books in minutes per day or % and has
placeholders, unnamed people with a role [doc: help.runn.io]. Their CSV column titles were not
verified against real files, so columns are matched by meaning:
    person           Person, Name, Person Name, Resource, Resource Name, Employee, Team Member
    email            Email, Person Email          employee_id   Employee Id / Number
    role             Role, Placeholder Role, Job Title
    placeholder      Is Placeholder / Placeholder (yes/no); also a person cell reading
                     `Placeholder`, `Placeholder: Role`, `TBD`, `TBC` or `Unassigned`, or no
                     person but a role
    project          Project Code / Project ID (else a code a Project name starts with, else the name)
    start / end      Start Date, Start, From / End Date, End, Finish, To, Until
    how much         Hours/Day, Hours per Day, Daily Hours (or Minutes per Day / 60); Allocation %,
                     % Allocation, Allocation, Percent (`50%`, `0.5` or `50`); Total Hours, Hours
    status           Status (Confirmed / Tentative / Draft; Active = confirmed), else Is Tentative
    allocation_id    ID, Allocation ID, Assignment ID, Booking ID

Mapping to `allocations` (one row per booking): a span's hours per day, % or total as the sheet
gives it (hours per day wins over %, which wins over a total, when a row has several); the
`resource_utilisation` view turns each into hours per working day. An end before the start is
rejected. Dates whose order no value settles are refused unless --date-order or
[general] default_date_order decides.
Source: the file's stable stem: a newer export of the same plan replaces it.
"""

from __future__ import annotations

import polars as pl

from pmo import parse as pp
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
from pmo.importers._timesheets import project_code
from pmo.importers.base import ImportResult, IngestContext, RawTable, norm, reject_mask

TOOL = "allocation_sheet"
LABEL = "Allocation sheet (Float, Runn, hand-kept)"
VERSION = "1"
TABLES = ("allocations",)

PERSON = ("Person", "Person Name", "Name", "Resource", "Resource Name", "Employee", "Employee Name", "Team Member")
EMAIL = ("Email", "Person Email", "E-mail", "Email Address")
EMPLOYEE_ID = ("Employee Id", "Employee ID", "Employee Number", "Employee No")
ROLE = ("Role", "Placeholder Role", "Job Title", "Person Role")
PLACEHOLDER = ("Is Placeholder", "Placeholder", "Is Generic")
PROJECT_CODE = ("Project Code", "Project ID", "Project Id", "Project Number")
PROJECT = ("Project", "Project Name")
START = ("Start Date", "Start", "From", "Start date")
END = ("End Date", "End", "Finish", "Finish Date", "To", "Until", "End date")
PER_DAY = ("Hours/Day", "Hours per Day", "Hours Per Day", "Daily Hours", "Hours/day", "Hrs/Day")
MINUTES_PER_DAY = ("Minutes per Day", "Minutes/Day", "Minutes Per Day")
PERCENT = ("Allocation %", "% Allocation", "Allocation", "Allocation (%)", "Percent", "Percentage", "% of Capacity")
TOTAL = ("Total Hours", "Hours", "Scheduled Hours", "Total Scheduled Hours")
STATUS = ("Status", "Booking Status", "Allocation Status")
TENTATIVE = ("Is Tentative", "Tentative")
ALLOCATION_ID = ("ID", "Allocation ID", "Assignment ID", "Booking ID", "Task ID")

_KNOWN = {norm(n) for g in (PERSON, EMAIL, EMPLOYEE_ID, ROLE, PLACEHOLDER, PROJECT_CODE, PROJECT, START, END,
                            PER_DAY, MINUTES_PER_DAY, PERCENT, TOTAL, STATUS, TENTATIVE, ALLOCATION_ID)
          for n in g}
_KNOWN |= {norm(n) for n in ("Client", "Department", "Team", "Task", "Notes", "Note", "Phase", "Tags",
                             "Billable", "Is Billable")}
_STATUS = {"confirmed": "confirmed", "active": "confirmed", "booked": "confirmed", "tentative": "tentative",
           "draft": "draft", "proposed": "tentative"}
_PLACEHOLDER_NAMES = r"(?i)^\s*(?:\[?placeholder\]?(?:\s*[:\-–]\s*(.+))?|tbd|tbc|unassigned|to be hired)\s*$"


def _score(cells: list[str]) -> float:
    present = set(cells)
    if not (has_any(present, START) and has_any(present, END)):
        return 0.0
    if not (has_any(present, PROJECT) or has_any(present, PROJECT_CODE)):
        return 0.0
    if not (has_any(present, PERSON) or has_any(present, ROLE)):
        return 0.0
    if not (has_any(present, PER_DAY) or has_any(present, MINUTES_PER_DAY) or has_any(present, PERCENT)):
        return 0.0
    # other tools' task lists (MS Project, Smartsheet, Asana) have their own marks
    if has_any(present, ("Task Name", "Resource Names", "Duration", "Assigned To", "Predecessors", "Issue key",
                         "Task ID", "Section/Column")):
        return 0.0
    return coverage(cells, sum(c in _KNOWN for c in cells))


FINGERPRINT = HeaderRules(strong=("Person", "Role", "Project", "Start Date", "End Date", "Hours/Day", "Allocation %"),
                          scorer=_score)


def parse(tables: list[RawTable] | RawTable, ctx: IngestContext) -> ImportResult:
    tables = tables_of(tables)
    result = ImportResult(tables={}, source=stable_stem(ctx.file_name or tables[0].file_name, TOOL))
    frames = [_allocations(without_blank_rows(t, result), result, ctx) for t in tables]
    result.tables["allocations"] = pl.concat(frames, how="diagonal_relaxed")
    return result


def _allocations(t: RawTable, result: ImportResult, ctx: IngestContext) -> pl.DataFrame:
    df = t.data
    c = Cells(t, df, result, "allocations", ctx)
    person = c.text(*PERSON).str.strip_chars().replace("", None)
    role = c.text(*ROLE).str.strip_chars().replace("", None)
    named_placeholder = person.str.contains(_PLACEHOLDER_NAMES).fill_null(False)
    role = coalesce(role, person.str.extract(_PLACEHOLDER_NAMES, 1).str.strip_chars())
    flag = c.bool(*PLACEHOLDER).fill_null(False)
    placeholder = flag | named_placeholder | (person.is_null() & role.is_not_null()
                                              & c.text(*EMAIL).is_null() & c.text(*EMPLOYEE_ID).is_null())
    per_day = _hours(c, PER_DAY)
    minutes = c.number(*MINUTES_PER_DAY)
    per_day = coalesce(per_day, minutes / 60)
    pct = c.percent(*PERCENT)
    total = _hours(c, TOTAL)
    status_text = c.text(*STATUS).str.strip_chars().str.to_lowercase()
    status = status_text.replace_strict(_STATUS, default=None, return_dtype=pl.String)
    tentative = c.bool(*TENTATIVE)
    status = coalesce(status, pl.select(pl.when(pl.lit(tentative)).then(pl.lit("tentative"))
                                        .when(pl.lit(tentative).not_()).then(pl.lit("confirmed")).alias("s"))["s"])
    unknown = status_text.is_not_null() & status.is_null()
    if unknown.any():
        result.notes.append(f"{int(unknown.sum())} status value(s) not understood (e.g. "
                            f"{status_text.filter(unknown)[0]!r}): read as confirmed")
    project_name = c.text(*PROJECT)
    code = c.text(*PROJECT_CODE).str.strip_chars().replace("", None)
    out = pl.DataFrame({
        "_row": df["_row"],
        "project_id": coalesce(code, project_code(project_name)),
        "project_name": project_name,
        "allocation_id": c.text(*ALLOCATION_ID),
        "person_name": pl.select(pl.when(~pl.lit(placeholder)).then(pl.lit(person)).alias("p"))["p"],
        "email": c.text(*EMAIL),
        "employee_id": c.text(*EMPLOYEE_ID),
        "role": role,
        "is_placeholder": placeholder,
        "start_date": c.date(*START),
        "end_date": c.date(*END),
        # one measure per row: hours per day, else the %, else the total
        "hours_per_day": per_day,
        "allocation_pct": pl.select(pl.when(pl.lit(per_day).is_null()).then(pl.lit(pct)).alias("x"))["x"],
        "hours": pl.select(pl.when(pl.lit(per_day).is_null() & pl.lit(pct).is_null()).then(pl.lit(total))
                           .alias("x"))["x"],
        "status": status,
    })
    backwards = (out["end_date"] < out["start_date"]).fill_null(False)
    out = reject_mask(result, "allocations", out, backwards, "end_date", "ends before it starts",
                      out["end_date"].cast(pl.String))
    nothing = out["hours_per_day"].is_null() & out["allocation_pct"].is_null() & out["hours"].is_null()
    out = reject_mask(result, "allocations", out, nothing, "hours", "no hours per day, % or total hours")
    nobody = out["person_name"].is_null() & out["role"].is_null() & out["email"].is_null() & out["employee_id"].is_null()
    out = reject_mask(result, "allocations", out, nobody, "person", "neither a person nor a role")
    return out


def _hours(c: Cells, names: tuple[str, ...]) -> pl.Series:
    """Hours as numbers (`6`, `7.5`) or with units (`6h`, `30m`)."""
    col = c.name(*names)
    if col is None:
        return pl.Series(names[0], [None] * c.df.height, dtype=pl.Float64)
    return c.use(pp.to_duration_hours(c.df[col], bare_unit="h")._replace(note=""), col, "a number of hours")
