"""Harvest detailed time report (Reports -> Time -> Detailed -> Export -> CSV).

Layout (shared reference pmo-functions.md §2b): `Date, Client, Project, Project Code, Task, Notes,
Hours, Hours Rounded, Billable?, Invoiced?, First Name, Last Name, Employee Id, Roles, Teams,
Employee?, Billable Rate, Billable Amount, Cost Rate, Cost Amount, Currency, External Reference
URL`, one row per time entry. Dates follow the account's format (ISO `2026-11-02`, or `11/02/2026`
month-first in US accounts); `Currency` is a name and code such as `US Dollar - USD`; `Roles`
and `Teams` list several values joined by commas.

Mapping to `time_entries`:
    work_date        Date                 hours       Hours (not Hours Rounded: rounding is for invoices)
    project_id       Project Code, else Project      project_name   Project
    task_name        Task                 person_name First Name + Last Name
    employee_id      Employee Id          role        Roles (as written)     team   Teams
    billable         Billable?            cost_rate_original   Cost Rate, else Cost Amount / Hours
    currency         the ISO code in Currency (`US Dollar - USD` -> USD)
Client, Notes, Invoiced?, Employee? and the billable amounts have no canonical column. Month-first
is assumed when no date settles the order (Harvest's default US format).
Source: the file's stable stem + the period covered (`_timesheets.finish`).
"""

from __future__ import annotations

import polars as pl

from pmo.importers._common import Cells, coalesce, tables_of, without_blank_rows
from pmo.importers._timesheets import finish
from pmo.importers.base import Fingerprint, ImportResult, IngestContext, RawTable

TOOL = "harvest"
LABEL = "Harvest time report"
VERSION = "1"
TABLES = ("time_entries",)

FINGERPRINT = Fingerprint(
    strong=("Project Code", "Hours Rounded", "Billable?", "Invoiced?", "First Name", "Last Name", "Employee Id",
            "Cost Rate", "Cost Amount", "Employee?", "External Reference URL"),
    weak=("Date", "Client", "Project", "Task", "Notes", "Hours", "Roles", "Teams", "Billable Rate",
          "Billable Amount", "Currency"),
    need=4,
    forbid=("Issue key", "Job Profile"),
)


def parse(tables: list[RawTable] | RawTable, ctx: IngestContext) -> ImportResult:
    tables = tables_of(tables)
    result = ImportResult(tables={}, source="")
    frames = [_entries(without_blank_rows(t, result), result, ctx) for t in tables]
    finish(result, pl.concat(frames, how="diagonal_relaxed"), ctx, tables[0].file_name, TOOL)
    return result


def _entries(t: RawTable, result: ImportResult, ctx: IngestContext) -> pl.DataFrame:
    df = t.data
    c = Cells(t, df, result, "time_entries", ctx, default_order="mdy")
    hours = c.number("Hours")
    rate = c.number("Cost Rate")
    amount = c.number("Cost Amount")
    rate = coalesce(rate, pl.select(pl.when(pl.lit(hours) > 0).then(pl.lit(amount) / pl.lit(hours))
                                    .alias("r")).to_series())
    name = pl.DataFrame({"f": c.text("First Name"), "l": c.text("Last Name")}).select(
        pl.concat_str([pl.col("f").str.strip_chars(), pl.col("l").str.strip_chars()], separator=" ",
                      ignore_nulls=True).alias("n"))["n"].replace("", None)
    currency = c.text("Currency").str.extract(r"\b([A-Z]{3})\s*$", 1)
    return pl.DataFrame({
        "_row": df["_row"],
        "work_date": c.date("Date"),
        "hours": hours,
        "project_id": coalesce(c.text("Project Code").str.strip_chars().replace("", None), c.text("Project")),
        "project_name": c.text("Project"),
        "task_name": c.text("Task"),
        "person_name": name,
        "employee_id": c.text("Employee Id", "Employee ID"),
        "role": c.text("Roles"),
        "team": c.text("Teams"),
        "billable": c.bool("Billable?"),
        "cost_rate_original": rate,
        "currency": currency,
    })
