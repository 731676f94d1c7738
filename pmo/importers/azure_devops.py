"""Azure DevOps Boards query export (Queries > Export to CSV), flat and tree queries.

Layout (shared reference export-formats.md §5.1): the query's columns in order, header unquoted,
every value double-quoted; identities as `Display Name <email>`; tree queries put the title in
`Title 1`, `Title 2`, `Title 3` ... by level; Tags `a; b`; Area / Iteration Path with backslashes;
dates in the user's profile format (`11/3/2025 9:14:22 AM`); scheduling fields in hours.

Mapping to `tasks` (one row per work item):
    task_id          ID
    project_id       Team Project when exported, else the first segment of Area Path
                     (`Fabrikam\\Payments` -> `Fabrikam`), else of Iteration Path; a tree-query
                     row with neither takes its parent's; anything still empty takes the file
                     name (noted)
    task_name        Title, else the non-empty `Title N` cell of a tree query
    task_type        Work Item Type       status   State as written
    status_category  State: New / Proposed / To Do / Approved / Design -> todo;
                     Active / Committed / In Progress / Doing / Resolved -> in_progress;
                     Closed / Done / Removed / Completed -> done; another state -> in_progress
    assignee         the name of `Assigned To` (`Dana Ortiz <dana@x>` -> Dana Ortiz; a bare
                     address is kept)
    start_date       Start Date           finish_date   Target Date, else Finish Date
    due_date         Due Date             completed_date   Closed Date
    estimate_hours   Original Estimate    remaining_hours  Remaining Work
    actual_hours     Completed Work       story_points     Story Points, else Effort, else Size
    percent_complete done -> 1.0; else Completed / (Completed + Remaining) when both are set and
                     not both zero; else to do -> 0.0; else NULL
    is_summary       Epic / Feature work item types, or any item another row has as parent
    is_milestone     false (ADO has no milestone work item)
    parent_id        Parent (an ID) when exported; in a tree query, the nearest previous row with
                     a lower Title level
    labels           Tags split on `;`
    sprints          the last segment of Iteration Path, when the path is deeper than the project
                     root (`Fabrikam\\Sprint 22` -> `Sprint 22`; `Fabrikam` alone -> no sprint)

Dates: the profile's order is settled by evidence (a part > 12); when nothing settles it the
configured default date order applies, else month-first (the en-US profile default) with a note.
An unreadable date is a value-level reject: the row is kept with that date empty.

Risk and Issue work items (CMMI) also go to `risks` (and `raid_snapshots`): see `_ado_raid.py`.

Source: the project ids of the file joined by "+" (`azure_devops:Fabrikam`): a newer export of the
same project replaces the older one, so export one query per project with every item you want.
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from pmo import parse as pp
from pmo.importers import _ado_raid
from pmo.importers._common import Cells, coalesce, first_listed, tables_of, without_blank_rows
from pmo.importers.base import Fingerprint, ImportResult, IngestContext, RawTable, norm

TOOL = "azure_devops"
LABEL = "Azure DevOps query CSV"
VERSION = "1"
TABLES = ("tasks", "risks", "raid_snapshots")

FINGERPRINT = Fingerprint(
    strong=("Work Item Type", "Area Path", "Iteration Path", "Title 1", "Remaining Work",
            "Completed Work", "Original Estimate"),
    weak=("ID", "Title", "State", "Assigned To", "Tags", "Story Points", "Effort", "Parent", "Title 2"),
    need=2,
    forbid=("Issue key", "Task Mode", "Resource Names", "Section/Column", "Item ID (auto generated)"),
)

_TODO = ("new", "proposed", "to do", "todo", "approved", "design")
_DONE = ("closed", "done", "removed", "completed", "cut")
_SUMMARY_TYPES = ("epic", "feature")


def parse(tables: list[RawTable] | RawTable, ctx: IngestContext) -> ImportResult:
    tables = tables_of(tables)
    result = ImportResult(tables={}, source="")
    frames = [_tasks(t, result, ctx) for t in tables]
    tasks = pl.concat(frames, how="diagonal_relaxed")
    has_children = set(tasks["parent_id"].drop_nulls().to_list())
    tasks = tasks.with_columns(is_summary=pl.col("is_summary") | pl.col("task_id").is_in(list(has_children)))
    projects = sorted(set(tasks["project_id"].drop_nulls().to_list()))
    result.source = "+".join(projects) if projects else Path(tables[0].file_name).stem
    result.tables["tasks"] = tasks
    return result


def _tasks(t: RawTable, result: ImportResult, ctx: IngestContext) -> pl.DataFrame:
    t = without_blank_rows(t, result)
    df = t.data
    c = Cells(t, df, result, "tasks", ctx, default_order="mdy")
    n = df.height

    title, level = _titles(t, df)
    ids = c.text("ID").str.replace(r"\.0+$", "")
    parent = c.text("Parent").str.replace(r"\.0+$", "")
    tree_parent = _tree_parents(ids.to_list(), level)
    if tree_parent is not None:
        parent = coalesce(parent, pl.Series(tree_parent, dtype=pl.String))

    area, iteration = c.text("Area Path"), c.text("Iteration Path")
    project = coalesce(c.text("Team Project"), first_listed(area, "\\"), first_listed(iteration, "\\"))
    project = _inherit(ids.to_list(), project.to_list(), parent.to_list())
    if project.null_count():
        stem = Path(t.file_name).stem
        result.notes.append(f"{project.null_count()} work item(s) have no Area Path, Iteration Path or "
                            f"Team Project; their project_id is the file name {stem!r}")
        project = project.fill_null(stem)

    state = c.text("State")
    s = pl.col("s").str.strip_chars().str.to_lowercase()
    category = pl.DataFrame({"s": state}).select(
        pl.when(s.is_in(_DONE)).then(pl.lit("done"))
        .when(s.is_in(_TODO)).then(pl.lit("todo"))
        .when(s.is_not_null()).then(pl.lit("in_progress")).alias("x"))["x"]
    estimate = c.number("Original Estimate")
    remaining = c.number("Remaining Work")
    completed = c.number("Completed Work")
    percent = pl.DataFrame({"c": category, "d": completed, "r": remaining}).select(
        pl.when(pl.col("c") == "done").then(1.0)
        .when(pl.col("d").is_not_null() & pl.col("r").is_not_null() & ((pl.col("d") + pl.col("r")) > 0))
        .then(pl.col("d") / (pl.col("d") + pl.col("r")))
        .when(pl.col("c") == "todo").then(0.0).alias("p"))["p"]
    name, email = pp.split_person(c.text("Assigned To"))
    sprint = iteration.str.split("\\")
    sprints = pl.DataFrame({"s": sprint}).select(
        pl.when(pl.col("s").list.len() > 1)
        .then(pl.concat_list(pl.col("s").list.last().str.strip_chars()))
        .otherwise(pl.lit([], dtype=pl.List(pl.String))).alias("x"))["x"]
    work_type = c.text("Work Item Type")
    tasks = pl.DataFrame({
        "_row": df["_row"],
        "task_id": ids,
        "project_id": project,
        "task_name": title,
        "task_type": work_type,
        "status": state,
        "status_category": category,
        "assignee": coalesce(name, email),
        "start_date": c.date("Start Date"),
        "finish_date": coalesce(c.date("Target Date"), c.date("Finish Date")),
        "due_date": c.date("Due Date"),
        "completed_date": c.date("Closed Date"),
        "percent_complete": percent,
        "is_milestone": pl.Series([False] * n, dtype=pl.Boolean),
        "is_summary": work_type.str.strip_chars().str.to_lowercase().is_in(_SUMMARY_TYPES).fill_null(False),
        "estimate_hours": estimate,
        "remaining_hours": remaining,
        "actual_hours": completed,
        "story_points": coalesce(c.number("Story Points"), c.number("Effort"), c.number("Size")),
        "parent_id": parent,
        "labels": pp.split_list(c.text("Tags"), ";").fill_null(pl.lit([], dtype=pl.List(pl.String))),
        "sprints": sprints,
    })
    _ado_raid.add(result, t, df, c, tasks)   # Risk / Issue work items -> risks (issue 17)
    return tasks


def _titles(t: RawTable, df: pl.DataFrame) -> tuple[pl.Series, list[int] | None]:
    """Title, or the non-empty `Title N` cell of a tree query with its level N."""
    levels = sorted((int(m.group(1)), col) for col in df.columns
                    if (m := re.fullmatch(r"title (\d+)", norm(col))))
    flat = t.col("Title")
    if not levels:
        return (df[flat] if flat else pl.Series("Title", [None] * df.height, dtype=pl.String)), None
    title = df.select(pl.coalesce([pl.col(c) for _, c in levels]).alias("t"))["t"]
    level = df.select(pl.coalesce([pl.when(pl.col(c).is_not_null()).then(pl.lit(n))
                                   for n, c in levels]).alias("l"))["l"].to_list()
    if flat:
        title = coalesce(df[flat], title)
    return title, level


def _tree_parents(ids: list[str | None], level: list[int | None] | None) -> list[str | None] | None:
    """Parent of each tree-query row: the nearest previous row with a lower level."""
    if level is None:
        return None
    parents: list[str | None] = []
    stack: list[tuple[int, str | None]] = []
    for i, lv in zip(ids, level, strict=True):
        if lv is None:
            parents.append(None)
            continue
        while stack and stack[-1][0] >= lv:
            stack.pop()
        parents.append(stack[-1][1] if stack else None)
        stack.append((lv, i))
    return parents


def _inherit(ids: list, projects: list, parents: list) -> pl.Series:
    """Rows without a project take their parent's (up the chain)."""
    project = dict(zip(ids, projects, strict=True))
    parent = dict(zip(ids, parents, strict=True))
    out = []
    for i, p in zip(ids, projects, strict=True):
        hop, seen = parent.get(i), {i}
        while p is None and hop is not None and hop not in seen:
            seen.add(hop)
            p, hop = project.get(hop), parent.get(hop)
        out.append(p)
    return pl.Series("project_id", out, dtype=pl.String)
