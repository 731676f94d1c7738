"""Smartsheet sheet export: File > Export > Microsoft Excel (.xlsx), or CSV through the API.

Layout (shared reference export-formats.md §3): one row per sheet row, column titles chosen by the
sheet owner; the project templates ship `Task Name, Status, Assigned To, Start Date, End Date,
Duration, Predecessors, % Complete, Comments`, often with `Health` (or `RYG` / `Project Health`),
`At Risk`, `Budget`, `Actual`. Symbol columns export as text (`Red` / `Yellow` / `Green`, `Gray`).
In .xlsx the dates are date cells, `% Complete` a 0-1 number and the hierarchy (indented child rows)
is the row *outline level*; the API's CSV writes `60%` and `01/05/26` and has no hierarchy.

Two kinds of sheet:

Task sheet (has `Task Name`) -> `tasks`, one row per non-empty sheet row:
    task_id          `<project_id>#<row>`: the sheet row number (CSV: the record number) behind the
                     project id, e.g. `Website Launch#3`. Smartsheet exports carry no row id, so
                     this is stable as long as rows are not inserted above; a re-export after
                     inserting rows renumbers the tasks below (the whole source is replaced, so
                     nothing is duplicated, but history joins on task_id would break).
    project_id       a `Project` column when the sheet has one, else the sheet name (.xlsx: the
                     workbook sheet, which Smartsheet names after the sheet; CSV: the file name
                     without extension and without a trailing ` (2)` download counter)
    task_name        Task Name (also `Task`, `Name`)      status   Status as written
    status_category  Status: Not Started / Not started / To Do / Open / Planned -> todo;
                     Complete / Completed / Done / Closed -> done; any other status -> in_progress;
                     without a status, % Complete decides (1 -> done, 0 -> todo, between -> in_progress)
    assignee         first person of `Assigned To` (contact lists are comma-separated; an e-mail
                     address is kept as written)
    start_date / finish_date   Start Date / End Date (also Start / End / Finish)
    percent_complete % Complete (0-1 numbers or `60%` text)
    is_milestone     Duration is zero (`0`, `0d`): Smartsheet's milestone rows
    is_summary       the row has child rows (outline level of the next row is deeper)
    parent_id        the nearest previous row with a lower outline level (.xlsx only; a CSV export
                     has no hierarchy, parent_id stays empty and a note says so)
    cost / actual_cost  Budget / Actual (the sheet's own currency; symbols are noted, not converted)
    labels           `health:green|amber|red` from Health / RYG / Project Health (the tasks table
                     has no health column, so the RYG symbol travels as a label) and `at risk`
                     when the At Risk box is checked
    Predecessors and Comments have no canonical column and are not imported.
    Budget / Actual are sheet columns like any other: read as amounts only when their values are
    numbers (decided over all of them); a column of codes or ids (`CC-4711`, `00123`) is left out
    with a note. Ids stay text (`00123` stays `00123`).

Project register (has `Project Name` and no `Task Name`) -> `projects` + `status_snapshots`:
    project_id       Project ID / Project Code / Project Number / ID, else Project Name
    project_name, manager (Project Manager / PM / Owner), portfolio, program, department,
    sponsor, stage (Stage / Phase, else Status), priority, start_date / finish_date (Start Date /
    End Date), percent_complete, reported_health (Health / RYG / Project Health / Status Health),
    budget_original + currency (Budget; currency from a symbol or code in the cell, else the
    Actual's, else a code in the header (`Budget (EUR)`), else `--currency`; stated nowhere = the
    file is refused, never read as the reporting currency)
    status_snapshots one row per project: percent_complete, reported_health, finish_date, budget
    (Budget), actual_cost (Actual; left empty, a cleared cell, when its currency is not the
    Budget's) and comment (Comments), as of the ingest's as-of date.

Source: the sheet name(s) of the file (as for project_id) joined by "+": a newer export of the
same sheet replaces the older one. `as_of` is None (the export carries no status date).
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from pmo import parse as pp
from pmo.importers._common import (
    Cells,
    coalesce,
    first_listed,
    outline_parents,
    project_currency,
    tables_of,
    without_blank_rows,
)
from pmo.importers.base import Fingerprint, ImportResult, IngestContext, RawTable, norm

TOOL = "smartsheet"
LABEL = "Smartsheet sheet export"
VERSION = "1"
TABLES = ("tasks", "projects", "status_snapshots")

# `RYG`, `Project Health` and the register's names are matched as the template's names, so a
# sheet scores the same whichever variant it uses.
FINGERPRINT = Fingerprint(
    strong=("Task Name", "Project Name", "Assigned To", "Project Manager", "Start Date", "End Date",
            "% Complete", "Health", "At Risk", "Predecessors", "Duration"),
    weak=("Status", "Comments", "Budget", "Actual", "Portfolio"),
    need=4,
    # Other tools' own columns: never take their files.
    forbid=("Issue key", "Task ID", "Section/Column", "Work Item Type", "Item ID (auto generated)",
            "Short description", "Investment ID", "Resource Names", "Task Mode", "Unique ID",
            "Outline Level", "Expenditure Type"),
    alias={"RYG": "Health", "Project Health": "Health", "Status Health": "Health"},
)

_HEALTH_COLS = ("Health", "RYG", "Project Health", "Status Health")
_TODO = ("not started", "to do", "todo", "open", "planned", "new", "backlog")
_DONE = ("complete", "completed", "done", "closed", "finished", "cancelled", "canceled")


def parse(tables: list[RawTable] | RawTable, ctx: IngestContext) -> ImportResult:
    tables = tables_of(tables)
    result = ImportResult(tables={}, source="")
    tasks, projects, snapshots = [], [], []
    for t in tables:
        t = without_blank_rows(t, result)
        if t.col("Task Name", "Task") is None and t.col("Project Name") is not None:
            p, s = _register(t, result, ctx)
            projects.append(p)
            snapshots.append(s)
        else:
            tasks.append(_tasks(t, result, ctx))
    if tasks:
        result.tables["tasks"] = pl.concat(tasks, how="diagonal_relaxed")
    if projects:
        result.tables["projects"] = pl.concat(projects, how="diagonal_relaxed")
        result.tables["status_snapshots"] = pl.concat(snapshots, how="diagonal_relaxed")
    result.source = "+".join(sorted({_sheet_project(t) for t in tables}))
    return result


# ---------------------------------------------------------------------------------------------
# Task sheets
# ---------------------------------------------------------------------------------------------


def _tasks(t: RawTable, result: ImportResult, ctx: IngestContext) -> pl.DataFrame:
    df = t.data
    c = Cells(t, df, result, "tasks", ctx, default_order="mdy")
    sheet_project = _sheet_project(t)
    project = c.text("Project").fill_null(sheet_project)
    status = c.text("Status")
    percent = c.percent("% Complete", "Percent Complete")
    levels = _outline_levels(t, result)
    parents, summary = _hierarchy(df["_row"].to_list(), levels)
    if levels is None:
        result.notes.append(f"{t.sheet}: a CSV export has no row hierarchy; parent_id is left empty "
                            "(export to Excel to keep the indentation)")
    duration = c.name("Duration")
    milestone = (pp.to_duration_hours(df[duration], bare_unit="d").values == 0).fill_null(False) \
        if duration else pl.Series([False] * df.height, dtype=pl.Boolean)
    health = c.health(*_HEALTH_COLS)
    at_risk = c.bool("At Risk")
    labels = pl.DataFrame({"h": health, "r": at_risk}).select(
        pl.concat_list(
            pl.when(pl.col("h").is_not_null()).then(pl.lit("health:") + pl.col("h")),
            pl.when(pl.col("r").fill_null(False)).then(pl.lit("at risk")),
        ).list.drop_nulls().alias("labels"))["labels"]
    cost, cost_cur = c.custom_money("cost", "Budget", "Planned Cost", "Cost")
    actual, actual_cur = c.custom_money("actual cost", "Actual", "Actual Cost", "Actuals")
    currencies = sorted(set(cost_cur.drop_nulls().to_list()) | set(actual_cur.drop_nulls().to_list()))
    if currencies:
        result.notes.append(f"{t.sheet}: task budget / actual kept in the sheet's currency "
                            f"({', '.join(currencies)}); tasks carry no currency column")
    rows = df["_row"].cast(pl.String)
    return pl.DataFrame({
        "_row": df["_row"],
        "task_id": pl.Series([f"{p}#{r}" for p, r in zip(project.to_list(), rows.to_list(), strict=True)],
                             dtype=pl.String),
        "project_id": project,
        "task_name": c.text("Task Name", "Task", "Name").str.strip_chars(),
        "status": status,
        "status_category": _category(status, percent),
        "assignee": first_listed(c.text("Assigned To", "Assignee", "Owner")),
        "start_date": c.date("Start Date", "Start"),
        "finish_date": c.date("End Date", "End", "Finish", "Finish Date"),
        "percent_complete": percent,
        "is_milestone": milestone,
        "is_summary": pl.Series(summary, dtype=pl.Boolean),
        "cost": cost,
        "actual_cost": actual,
        "parent_id": pl.Series([None if p is None else f"{pj}#{p}" for p, pj in
                                zip(parents, project.to_list(), strict=True)], dtype=pl.String),
        "labels": labels,
    })


def _category(status: pl.Series, percent: pl.Series) -> pl.Series:
    s = pl.col("s").str.strip_chars().str.to_lowercase()
    p = pl.col("p")
    return pl.DataFrame({"s": status, "p": percent}).select(
        pl.when(s.is_in(_DONE)).then(pl.lit("done"))
        .when(s.is_in(_TODO)).then(pl.lit("todo"))
        .when(s.is_not_null()).then(pl.lit("in_progress"))
        .when(p >= 1).then(pl.lit("done"))
        .when(p > 0).then(pl.lit("in_progress"))
        .when(p == 0).then(pl.lit("todo"))
        .alias("c"))["c"]


def _outline_levels(t: RawTable, result: ImportResult) -> list[int] | None:
    """Outline level of every data row (by `_row`), read with openpyxl; None for CSV."""
    path = t.meta.get("path")
    if t.meta.get("format") != "xlsx":
        return None
    if not path:
        result.notes.append(f"{t.sheet}: the reader did not pass the workbook path, so the row "
                            "hierarchy could not be read; parent_id is left empty")
        return None
    import openpyxl

    wb = openpyxl.load_workbook(path, data_only=True)
    try:
        ws = wb[t.sheet]
        offset = _header_offset(ws, t)
        dims = ws.row_dimensions
        return [int(dims[r + offset].outline_level or 0) if (r + offset) in dims else 0
                for r in t.data["_row"].to_list()]
    finally:
        wb.close()


def _header_offset(ws, t: RawTable) -> int:
    """Sheet row of the header minus `t.header_row` (the reader skips leading empty rows)."""
    want = [norm(h) for h in t.header if h]
    for r in range(1, min(ws.max_row, t.header_row + 60) + 1):
        cells = [norm(v) for v in next(ws.iter_rows(min_row=r, max_row=r, values_only=True)) if v is not None]
        if cells[:len(want)] == want:
            return r - t.header_row
    return 0


def _hierarchy(rows: list[int], levels: list[int] | None) -> tuple[list[int | None], list[bool]]:
    """Parent row (nearest previous row with a lower level) and has-children for every row."""
    if levels is None:
        return [None] * len(rows), [False] * len(rows)
    return outline_parents(rows, levels)


# ---------------------------------------------------------------------------------------------
# Project registers
# ---------------------------------------------------------------------------------------------


def _register(t: RawTable, result: ImportResult, ctx: IngestContext) -> tuple[pl.DataFrame, pl.DataFrame]:
    df = t.data
    c = Cells(t, df, result, "projects", ctx, default_order="mdy")
    name = c.text("Project Name")
    pid = coalesce(c.text("Project ID", "Project Code", "Project Number", "ID"), name)
    budget, currency = c.custom_money("the budget", "Budget", "Total Budget", "Planned Cost")
    percent = c.percent("% Complete", "Percent Complete")
    health = c.health(*_HEALTH_COLS)
    finish = c.date("End Date", "Finish Date", "End", "Finish")
    projects = pl.DataFrame({
        "_row": df["_row"],
        "project_id": pid,
        "project_name": name,
        "portfolio": c.text("Portfolio"),
        "program": c.text("Program", "Programme"),
        "department": c.text("Department"),
        "manager": first_listed(c.text("Project Manager", "PM", "Owner")),
        "sponsor": c.text("Sponsor", "Executive Sponsor"),
        "stage": coalesce(c.text("Stage", "Phase"), c.text("Status")),
        "priority": c.text("Priority"),
        "start_date": c.date("Start Date", "Start"),
        "finish_date": finish,
        "percent_complete": percent,
        "reported_health": health,
        "budget_original": budget,
        "currency": currency,
        "external_ids": pl.Series([[]] * df.height, dtype=pl.List(pl.String)),
    })
    actual, actual_cur = c.custom_money("the actual cost", "Actual", "Actual Cost", "Actuals")
    currency, actual = project_currency(result, df["_row"], currency, actual, actual_cur,
                                        c.name("Actual", "Actual Cost", "Actuals"))
    projects = projects.with_columns(currency=currency)
    result.amount_columns.setdefault("projects", [c.name("Budget", "Total Budget", "Planned Cost") or "Budget"])
    snapshots = pl.DataFrame({
        "_row": df["_row"], "project_id": pid, "percent_complete": percent,
        "reported_health": health, "finish_date": finish, "budget": budget, "actual_cost": actual,
        "comment": c.text("Comments", "Comment", "Status Comment"),
    })
    return projects, snapshots


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _sheet_project(t: RawTable) -> str:
    """The sheet's name: the workbook sheet, or the CSV file name without ` (2)` counters."""
    if t.meta.get("format") == "xlsx":
        return t.sheet.strip()
    return re.sub(r"\s*\(\d+\)$", "", Path(t.file_name).stem).strip()
