"""Toggl Track detailed report (Reports -> Detailed -> Export -> Download CSV).

Layout (shared reference pmo-functions.md §2b): `User, Email, Client, Project, Task, Description,
Billable, Start date, Start time, End date, End time, Duration, Tags`, plus `Amount (<CUR>)` on
paid plans. Dates are ISO (`2026-11-02`), `Duration` is `07:30:00`, `Billable` is Yes / No.

Mapping to `time_entries` (one row per entry):
    work_date        Start date           hours        Duration (h:mm:ss)
    project_id       the project code a Project name starts with, else the Project name
    project_name     Project              task_name    Task
    person_name      User                 email        Email      billable   Billable
Client, Description and Tags have no canonical column; `Amount` is a billable price, not a cost.
Source: the file's stable stem + the period covered (`_timesheets.finish`).
"""

from __future__ import annotations

import polars as pl

from pmo.importers._common import Cells, tables_of, without_blank_rows
from pmo.importers._timesheets import clock_hours, finish, project_code
from pmo.importers.base import Fingerprint, ImportResult, IngestContext, RawTable

TOOL = "toggl"
LABEL = "Toggl Track detailed report"
VERSION = "1"
TABLES = ("time_entries",)

FINGERPRINT = Fingerprint(
    strong=("User", "Email", "Start date", "Start time", "End date", "End time", "Duration"),
    weak=("Client", "Project", "Task", "Description", "Billable", "Tags"),
    need=5,
    forbid=("Duration (decimal)", "Duration (h)", "Task Name", "Issue key"),
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
    dur = c.name("Duration")
    hours = c.use(clock_hours(df[dur]), dur, "a duration (h:mm:ss)") if dur else \
        pl.Series([None] * df.height, dtype=pl.Float64)
    project = c.text("Project")
    return pl.DataFrame({
        "_row": df["_row"],
        "work_date": c.date("Start date"),
        "hours": hours,
        "project_id": project_code(project),
        "project_name": project,
        "task_name": c.text("Task"),
        "person_name": c.text("User"),
        "email": c.text("Email"),
        "billable": c.bool("Billable"),
    })
