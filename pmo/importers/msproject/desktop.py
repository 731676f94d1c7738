"""Microsoft Project desktop plans: the export wizard's task table and the grid as displayed.

Two of the importer's three layouts (reference: export-formats.md §2; `pmo.importers.msproject`
tells them from Project Online tables):

a. Desktop export wizard (`Task_Table` sheet): `ID, Unique_ID, Name, Outline_Level, WBS, Duration,
   Start_Date, Finish_Date, Percent_Complete, Cost, Baseline_Cost, Actual_Cost, Baseline_Start,
   Baseline_Finish, Work, Resource_Names, Predecessors`.
b. The grid as displayed: `ID, Task Mode, Task Name, Duration, Start, Finish, Predecessors,
   Resource Names, % Complete, Cost, Baseline Cost, Actual Cost, Work, Outline Level, WBS` with
   display values (`Mon 1/5/26`, `45 days`, `2 edays`, `3 days?`, `$48,200.00`, `Ana,Ben[50%]`).
   Header matching ignores case, spaces and underscores, so a/b share one mapping.

   The project is the file: the project summary task (outline level 0) if the export has one,
   else the only outline-level-1 row when it is a summary holding every other task; otherwise
   (several top-level phases) the file name without its suffix. project_id = project_name = that
   name. `projects` gets one row: dates, baseline dates, percent complete and budget_original =
   Baseline Cost of that summary row (a plan without a summary row: earliest start, latest
   finish, sum of the top-level baseline costs, no percent). A baseline cost of 0 means "no
   baseline saved", so the budget is left empty then. currency = the symbol on the cost cells
   (`$` -> USD), else NULL (the reporting currency).
   `tasks`: task_id = Unique_ID, else ID; parent_id from outline levels (Outline Level, else the
   depth of a numeric WBS like 1.2.3); is_summary = the next row is deeper (or a Summary yes/no
   column); is_milestone = a Milestone yes/no column, else duration 0; assignee = the first
   resource name without its `[50%]` units; cost / baseline_cost / actual_cost in the plan's
   currency; estimate_hours = Work, actual_hours = Actual Work, remaining_hours = Remaining
   Work (when exported); due_date = Deadline; completed_date = Actual Finish; status_category
   from percent complete (0 -> todo, 100% -> done, else in_progress). `NA` dates are empty.
   Rows with an ID but no name (MS Project's blank spacer rows) are skipped and counted in a note.
   Source: "plan:" + project_id.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from pmo.importers._common import coalesce, outline_parents
from pmo.importers.base import Fingerprint, ImportError_, ImportResult, IngestContext, RawTable, reject_mask
from pmo.importers.msproject.columns import _Cols, _clean_id, _status_category

GRID = Fingerprint(
    strong=(
        "Task Name",
        "Duration",
        "Start",
        "Finish",
        "Predecessors",
        "Resource Names",
        "% Complete",
        "Task Mode",
        "Outline Level",
        "WBS",
    ),
    weak=(
        "ID",
        "Unique ID",
        "Cost",
        "Baseline Cost",
        "Actual Cost",
        "Work",
        "Baseline Start",
        "Baseline Finish",
    ),
    need=4,
    forbid=("Assigned To",),
)
WIZARD = Fingerprint(
    strong=(
        "Unique_ID",
        "Name",
        "Duration",
        "Start_Date",
        "Finish_Date",
        "Outline_Level",
        "Percent_Complete",
        "Resource_Names",
        "Predecessors",
    ),
    weak=("ID", "WBS", "Cost", "Baseline_Cost", "Actual_Cost", "Work", "Baseline_Start"),
    need=4,
)


def _first_currency(*currencies: pl.Series) -> str | None:
    found = pl.concat([c.cast(pl.String) for c in currencies]).drop_nulls()
    if found.is_empty():
        return None
    return found.mode().sort()[0]



def _parse_plans(tables: list[RawTable], ctx: IngestContext, result: ImportResult) -> None:
    tasks, projects = [], []
    for t in tables:
        got = _parse_plan(t, ctx, result)
        if got is not None:
            tasks.append(got[0])
            projects.append(got[1])
    if not projects:
        raise ImportError_(f"{ctx.file_name or tables[0].file_name}: the plan has no task rows.")
    result.tables = {
        "tasks": pl.concat(tasks, how="diagonal_relaxed"),
        "projects": pl.concat(projects, how="diagonal_relaxed"),
    }
    ids = sorted(set(result.tables["projects"]["project_id"].to_list()))
    result.source = "plan:" + "+".join(ids)


def _parse_plan(
    t: RawTable, ctx: IngestContext, result: ImportResult
) -> tuple[pl.DataFrame, pl.DataFrame] | None:
    df = t.data
    result.rows_read += df.height
    name_col = t.col("Task Name", "Name", "Task_Name")
    if name_col is None:
        raise ImportError_(f"{t.file_name}: the plan has no 'Task Name' (or 'Name') column.")
    blank = df[name_col].is_null()
    if blank.any():
        result.notes.append(f"{int(blank.sum())} blank row(s) without a task name skipped")
        df = df.filter(~blank)
    c = _Cols(t, df, ctx, result, "tasks")
    task_id = coalesce(_clean_id(c.text("Unique_ID", "Unique ID")), _clean_id(c.text("ID")))
    df = df.with_columns(_id=task_id)
    df = reject_mask(result, "tasks", df, df["_id"].is_null(), "ID", "task has no ID or Unique ID")
    if df.is_empty():
        return None
    c = _Cols(t, df, ctx, result, "tasks")
    n = df.height

    names = df[name_col].str.strip_chars()
    outline = c.number("Outline Level", "Outline_Level")
    wbs = c.text("WBS")
    wbs_depth = pl.DataFrame({"w": wbs}).select(
        pl.when(pl.col("w").str.contains(r"^[0-9]+(\.[0-9]+)*$"))
        .then(pl.col("w").str.count_matches(r"\.") + 1)
        .cast(pl.Float64)
        .alias("d")
    )["d"]
    levels = [int(x) for x in coalesce(outline, wbs_depth, pl.Series([1.0] * n)).to_list()]
    ids = df["_id"].to_list()

    # Parents and summaries from the outline: a row's parent is the nearest earlier row one level up.
    parents, deeper = outline_parents(ids, levels)
    summary_flag = c.flag("Summary")
    is_summary = coalesce(summary_flag, pl.Series(deeper, dtype=pl.Boolean))

    duration = c.hours("Duration", bare_unit="d")
    milestone_flag = c.flag("Milestone")
    is_milestone = coalesce(milestone_flag, (duration == 0).fill_null(False))
    percent = c.percent("% Complete", "Percent_Complete", "Percent Complete")
    cost, cur1 = c.money("Cost")
    baseline_cost, cur2 = c.money("Baseline Cost", "Baseline_Cost")
    actual_cost, cur3 = c.money("Actual Cost", "Actual_Cost")
    currency = _first_currency(cur2, cur1, cur3)
    resources = c.text("Resource Names", "Resource_Names")
    assignee = pl.DataFrame({"r": resources}).select(
        pl.col("r").str.extract(r"^\s*([^,;\[]+)", 1).str.strip_chars().alias("a")
    )["a"]

    tasks = pl.DataFrame(
        {
            "_row": df["_row"],
            "task_id": df["_id"],
            "task_name": names,
            "status_category": _status_category(percent),
            "assignee": assignee,
            "start_date": c.date("Start", "Start_Date", "Start Date"),
            "finish_date": c.date("Finish", "Finish_Date", "Finish Date"),
            "baseline_start_date": c.date("Baseline Start", "Baseline_Start"),
            "baseline_finish_date": c.date("Baseline Finish", "Baseline_Finish"),
            "due_date": c.date("Deadline"),
            "completed_date": c.date("Actual Finish", "Actual_Finish"),
            "percent_complete": percent,
            "is_milestone": is_milestone,
            "is_summary": is_summary,
            "estimate_hours": c.hours("Work"),
            "actual_hours": c.hours("Actual Work", "Actual_Work"),
            "remaining_hours": c.hours("Remaining Work", "Remaining_Work"),
            "cost": cost,
            "baseline_cost": baseline_cost,
            "actual_cost": actual_cost,
            "parent_id": pl.Series(parents, dtype=pl.String),
            "_level": pl.Series(levels, dtype=pl.Int64),
        }
    )

    # Which row is the project?
    top = None
    zero = [i for i, lvl in enumerate(levels) if lvl == 0]
    ones = [i for i, lvl in enumerate(levels) if lvl == 1]
    if zero:
        top = zero[0]
    elif len(ones) == 1 and ones[0] == 0 and bool(tasks["is_summary"][0]):
        top = 0
    stem = Path(ctx.file_name or t.file_name).stem
    if top is not None:
        s = tasks.row(top, named=True)
        project_id = s["task_name"]
        budget = s["baseline_cost"]
        project = {
            "_row": s["_row"],
            "project_id": project_id,
            "project_name": project_id,
            "start_date": s["start_date"],
            "finish_date": s["finish_date"],
            "baseline_start_date": s["baseline_start_date"],
            "baseline_finish_date": s["baseline_finish_date"],
            "actual_finish_date": s["completed_date"],
            "percent_complete": s["percent_complete"],
            "budget_original": budget if budget else None,
        }
        if not budget:
            result.notes.append(
                f"the project summary row has no baseline cost; the budget of '{project_id}' is left empty"
            )
    else:
        project_id = stem
        first = tasks.filter(pl.col("_level") == 1)
        budget = first["baseline_cost"].sum() if first["baseline_cost"].is_not_null().any() else None
        project = {
            "_row": int(tasks["_row"].min()),
            "project_id": project_id,
            "project_name": project_id,
            "start_date": tasks["start_date"].min(),
            "finish_date": tasks["finish_date"].max(),
            "baseline_start_date": tasks["baseline_start_date"].min(),
            "baseline_finish_date": tasks["baseline_finish_date"].max(),
            "percent_complete": None,
            "budget_original": budget if budget else None,
        }
        result.notes.append(
            f"no single project summary row; the project is named after the file ('{project_id}')"
        )
    if zero:  # MS Project's project summary task (ID 0) is the project itself, not a task
        drop = {ids[i] for i in zero}
        tasks = tasks.filter(~pl.col("task_id").is_in(list(drop))).with_columns(
            pl.when(pl.col("parent_id").is_in(list(drop)))
            .then(None)
            .otherwise(pl.col("parent_id"))
            .alias("parent_id")
        )
    tasks = tasks.drop("_level").with_columns(project_id=pl.lit(project_id))
    projects = pl.DataFrame(
        [{**project, "currency": currency, "external_ids": []}],
        schema_overrides={
            "start_date": pl.Date,
            "finish_date": pl.Date,
            "baseline_start_date": pl.Date,
            "baseline_finish_date": pl.Date,
            "actual_finish_date": pl.Date,
            "percent_complete": pl.Float64,
            "budget_original": pl.Float64,
            "currency": pl.String,
            "external_ids": pl.List(pl.String),
            "_row": pl.Int64,
        },
    )
    return tasks, projects
