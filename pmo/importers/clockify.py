"""Clockify detailed report (Reports -> Detailed -> Export -> Save as CSV / Excel).

Layout (shared reference pmo-functions.md §2b): `Project, Client, Description, Task, User, Group,
Email, Tags, Billable, Start Date, Start Time, End Date, End Time, Duration (h), Duration (decimal),
Billable Rate (USD), Billable Amount (USD)`, plus `Cost Rate (USD), Cost Amount (USD)` when the
workspace tracks cost. The currency sits in the header, not the cells. Dates follow the
workspace's format, month-first by default (`11/02/2026`); `Duration (h)` is `07:30:00`.

Mapping to `time_entries` (one row per entry):
    work_date        Start Date (an entry running past midnight counts on the day it started)
    hours            Duration (decimal), else Duration (h)
    project_id       the project code a Project name starts with (`PRJ-1004 Payments` ->
                     PRJ-1004), else the Project name     project_name   Project
    task_name        Task                 person_name   User        email   Email
    team             Group                billable      Billable (Yes / No)
    cost_rate_original  Cost Rate (<CUR>), else Cost Amount / hours; currency = the code in the
                     header (`(USD)`); billable rates are prices, not cost, and are not imported
Dates whose order no value settles are read month-first (Clockify's default) and the notes say so.
Source: the file's stable stem + the period covered (`_timesheets.finish`).
"""

from __future__ import annotations

import polars as pl

from pmo.importers._common import Cells, HeaderRules, coalesce, coverage, has_any, tables_of, without_blank_rows
from pmo.importers._timesheets import clock_hours, currency_in_header, finish, project_code
from pmo.importers.base import ImportResult, IngestContext, RawTable, norm

TOOL = "clockify"
LABEL = "Clockify detailed report"
VERSION = "1"
TABLES = ("time_entries",)

_KNOWN = {norm(h) for h in ("Project", "Client", "Description", "Task", "User", "Group", "Email", "Tags",
                            "Billable", "Start Date", "Start Time", "End Date", "End Time", "Duration (h)",
                            "Duration (decimal)", "Kiosk", "Break")}


def _score(cells: list[str]) -> float:
    present = set(cells)
    if not has_any(present, ("Duration (decimal)", "Duration (h)")) or not has_any(present, ("Start Date",)):
        return 0.0
    if not has_any(present, ("User", "Email")):
        return 0.0
    money = sum(1 for c in cells if c.startswith(("billable rate (", "billable amount (", "cost rate (",
                                                  "cost amount (")))
    return coverage(cells, sum(c in _KNOWN for c in cells) + money)


FINGERPRINT = HeaderRules(
    strong=("Project", "User", "Email", "Start Date", "Duration (h)", "Duration (decimal)", "Billable Rate (USD)"),
    scorer=_score,
)


def parse(tables: list[RawTable] | RawTable, ctx: IngestContext) -> ImportResult:
    tables = tables_of(tables)
    result = ImportResult(tables={}, source="")
    frames = [_entries(without_blank_rows(t, result), result, ctx) for t in tables]
    finish(result, pl.concat(frames, how="diagonal_relaxed"), ctx, tables[0].file_name, TOOL)
    return result


def _money_column(t: RawTable, prefix: str) -> str | None:
    return next((c for c in t.data.columns if norm(c).startswith(norm(prefix) + " (")), None)


def _entries(t: RawTable, result: ImportResult, ctx: IngestContext) -> pl.DataFrame:
    df = t.data
    c = Cells(t, df, result, "time_entries", ctx, default_order="mdy")
    hours = c.number("Duration (decimal)")
    clock = c.name("Duration (h)")
    if clock is not None:
        hours = coalesce(hours, c.use(clock_hours(df[clock]), clock, "a duration (h:mm:ss)"))
    rate_col, amount_col = _money_column(t, "Cost Rate"), _money_column(t, "Cost Amount")
    rate = c.number(rate_col) if rate_col else pl.Series([None] * df.height, dtype=pl.Float64)
    if amount_col:
        amount = c.number(amount_col)
        rate = coalesce(rate, pl.select(pl.when(pl.lit(hours) > 0).then(pl.lit(amount) / pl.lit(hours))
                                        .alias("r")).to_series())
    currency = currency_in_header(rate_col or amount_col)
    project = c.text("Project")
    return pl.DataFrame({
        "_row": df["_row"],
        "work_date": c.date("Start Date"),
        "hours": hours,
        "project_id": project_code(project),
        "project_name": project,
        "task_name": c.text("Task"),
        "person_name": c.text("User"),
        "email": c.text("Email"),
        "team": c.text("Group"),
        "billable": c.bool("Billable"),
        "cost_rate_original": rate,
        "currency": pl.Series([currency if currency else None] * df.height, dtype=pl.String),
    })
