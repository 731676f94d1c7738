"""Asana project CSV export (project menu > Export/Print > CSV), also after a Google-Sheets round trip.

Layout (shared reference export-formats.md §4): `Task ID, Created At, Completed At, Last Modified,
Name, Section/Column, Assignee, Assignee Email, Start Date, Due Date, Tags, Notes, Projects,
Parent task, Blocked By (Dependencies), Blocking (Dependencies)` and one column per custom field.
Dates are ISO; `Tags` and `Projects` are comma-joined in one cell; `Notes` can span lines;
`Parent task` holds the parent's *name*. The Google-Sheets path puts spacer rows and a URL row
above the header (the registry finds the header below them).

Mapping to `tasks` (one row per task):
    task_id          Task ID as text (16-digit gids are never read as numbers). An id Excel turned
                     into scientific notation (`1.21143E+15`) cannot be recovered: the row is
                     rejected with its row number ("flagged, not guessed").
    project_id       the first name in `Projects` (Asana joins several with commas, so a project
                     name containing a comma is cut there). A subtask has no project of its own:
                     it takes its parent's, else the file's most common project (noted).
    task_name        Name                 status   Section/Column (the board column), as written
    status_category  done when Completed At is set or the section says Done / Complete(d);
                     in_progress when the section reads like work under way (In Progress, Doing,
                     Working on it, In Review, Review, Blocked, Testing); else todo
    assignee         Assignee, else Assignee Email
    start_date       Start Date           due_date / finish_date   Due Date
    completed_date   Completed At
    percent_complete done -> 1.0, todo -> 0.0, in progress -> NULL (Asana has no progress field)
    is_summary       another task in the file names this one as its parent
    is_milestone     false (the CSV does not say which tasks are milestones)
    parent_id        `Parent task` is a name: resolved to the Task ID of the task with that name
                     when exactly one task in the file has it; when several do, or none, it stays
                     empty and a note counts the cases
    labels           Tags, split on commas
    story_points     a custom field named Story Points / Story points / Points, if present
    cost             a custom field named Budget / Cost / Estimated cost (`Budget (USD)`), if present;
                     not `Cost Center`, `Cost Code`, `Cost Type` (they hold codes)
    A custom field is read as a number only when its values are numbers, decided over all of them:
    a field of codes (`CC-MKT-210`), leading-zero ids (`00123`) or Excel-mangled ids
    (`1.21143E+15`) is left out with a note, never read as numbers with every cell cleared.
    Notes, dependencies and other custom fields have no canonical column and are not imported.

Source: the distinct project ids of the file joined by "+" ("asana:Brand Refresh 2026"), so a
newer export of the same project replaces the older one. `as_of` is None: Last Modified is not the
export date.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import polars as pl

from pmo import parse as pp
from pmo.importers._common import Cells, coalesce, first_listed, tables_of, with_data, without_blank_rows
from pmo.importers.base import Fingerprint, ImportResult, IngestContext, RawTable, Reject

TOOL = "asana"
LABEL = "Asana project CSV"
VERSION = "1"
TABLES = ("tasks",)

FINGERPRINT = Fingerprint(
    strong=("Task ID", "Section/Column", "Assignee Email", "Parent task", "Completed At", "Created At",
            "Last Modified", "Projects", "Blocked By (Dependencies)"),
    weak=("Name", "Assignee", "Start Date", "Due Date", "Tags", "Notes", "Blocking (Dependencies)"),
    need=3,
    forbid=("Issue key", "Work Item Type", "Item ID (auto generated)"),
)

# A custom field holding a task's cost: `Budget`, `Cost`, `Budget (USD)`, `Estimated cost` ... but
# not `Cost Center` / `Cost Code` / `Cost Type`, which hold codes. Its values still decide
# (Cells.custom_number): a field of codes is left out with a note.
_COST_FIELD = re.compile(r"(?i)^\s*(?:estimated\s+|planned\s+)?(?:budget|costs?)\b"
                         r"(?!\s*(?:cent(?:er|re)s?|codes?|types?|categor(?:y|ies)|elements?|objects?|ids?)\b)")

_DONE_SECTIONS = ("done", "complete", "completed", "finished")
_ACTIVE_SECTIONS = ("in progress", "doing", "working on it", "in review", "review", "blocked",
                    "testing", "in test", "ongoing", "wip")


def mangled_reason(value: str) -> str:
    return (f"Task ID was mangled by Excel to {value}; re-export from Asana without opening in "
            "Excel")


def parse(tables: list[RawTable] | RawTable, ctx: IngestContext) -> ImportResult:
    tables = tables_of(tables)
    result = ImportResult(tables={}, source="")
    frames = [_tasks(t, result, ctx) for t in tables]
    tasks = pl.concat(frames, how="diagonal_relaxed")
    tasks = _resolve_parents(tasks, result)
    result.tables["tasks"] = tasks.drop("_parent_name")
    projects = sorted(set(tasks["project_id"].drop_nulls().to_list()))
    result.source = "+".join(projects) if projects else Path(tables[0].file_name).stem
    return result


def _tasks(t: RawTable, result: ImportResult, ctx: IngestContext) -> pl.DataFrame:
    t = without_blank_rows(t, result)
    df = t.data
    id_col = t.col("Task ID")
    ids = df[id_col].str.strip_chars().str.replace(r"^([0-9]+)\.0+$", "${1}") if id_col else \
        pl.Series([None] * df.height, dtype=pl.String)
    bad = pp.is_mangled_id(ids)
    for r, v in zip(df["_row"].filter(bad).to_list(), ids.filter(bad).to_list(), strict=True):
        result.rejects.append(Reject(r, "Task ID", v, mangled_reason(v), "tasks"))
    df, ids = df.filter(~bad), ids.filter(~bad)
    t = with_data(t, df)
    c = Cells(t, df, result, "tasks", ctx)

    section = c.text("Section/Column", "Section")
    completed = c.date("Completed At")
    sec = pl.col("s").str.strip_chars().str.to_lowercase()
    category = pl.DataFrame({"s": section, "c": completed}).select(
        pl.when(pl.col("c").is_not_null() | sec.is_in(_DONE_SECTIONS)).then(pl.lit("done"))
        .when(sec.is_in(_ACTIVE_SECTIONS)).then(pl.lit("in_progress"))
        .otherwise(pl.lit("todo")).alias("x"))["x"]
    percent = category.replace_strict({"done": 1.0, "todo": 0.0}, default=None, return_dtype=pl.Float64)
    due = c.date("Due Date")
    custom = [h for h in t.data.columns if _COST_FIELD.match(h)]
    cost = c.custom_number("cost", custom[0]) if custom else pl.Series([None] * df.height, dtype=pl.Float64)
    return pl.DataFrame({
        "_row": df["_row"],
        "task_id": ids,
        "project_id": first_listed(c.text("Projects")),
        "task_name": c.text("Name"),
        "status": section,
        "status_category": category,
        "assignee": coalesce(c.text("Assignee"), c.text("Assignee Email")),
        "start_date": c.date("Start Date"),
        "due_date": due,
        "finish_date": due,
        "completed_date": completed,
        "percent_complete": percent,
        "is_milestone": pl.Series([False] * df.height, dtype=pl.Boolean),
        "story_points": c.custom_number("story points", "Story Points", "Points"),
        "cost": cost,
        "labels": pp.split_list(c.text("Tags"), ",").fill_null(pl.lit([], dtype=pl.List(pl.String))),
        "_parent_name": c.text("Parent task", "Parent Task").str.strip_chars(),
    })


def _resolve_parents(tasks: pl.DataFrame, result: ImportResult) -> pl.DataFrame:
    """Parent names -> ids where the name is unique; projects inherited from parents."""
    by_name: dict[str, list[str]] = {}
    for name, tid in zip(tasks["task_name"].to_list(), tasks["task_id"].to_list(), strict=True):
        if name is not None and tid is not None:
            by_name.setdefault(name.strip(), []).append(tid)
    parents, ambiguous, missing = [], 0, 0
    for name in tasks["_parent_name"].to_list():
        found = by_name.get(name, []) if name else []
        if name and len(found) == 1:
            parents.append(found[0])
            continue
        parents.append(None)
        if name and found:
            ambiguous += 1
        elif name:
            missing += 1
    if ambiguous:
        result.notes.append(f"{ambiguous} parent task name(s) belong to more than one task in the file; "
                            "their parent_id was left empty (Asana exports the parent's name, not its id)")
    if missing:
        result.notes.append(f"{missing} parent task name(s) match no task in the file; their parent_id "
                            "was left empty (export the parent's project too)")
    tasks = tasks.with_columns(parent_id=pl.Series(parents, dtype=pl.String))

    # A subtask has no project of its own: take the parent's (up the chain), else the commonest.
    project = dict(zip(tasks["task_id"].to_list(), tasks["project_id"].to_list(), strict=True))
    parent = dict(zip(tasks["task_id"].to_list(), parents, strict=True))
    inherited, fallback = 0, 0
    common = Counter(p for p in project.values() if p).most_common(1)
    common_project = common[0][0] if common else None
    filled = []
    for tid, pid in zip(tasks["task_id"].to_list(), tasks["project_id"].to_list(), strict=True):
        p, hop = pid, parent.get(tid)
        seen = {tid}
        while p is None and hop is not None and hop not in seen:
            seen.add(hop)
            p, hop = project.get(hop), parent.get(hop)
        if pid is None and p is not None:
            inherited += 1
        if p is None and common_project is not None:
            p, fallback = common_project, fallback + 1
        filled.append(p)
    if inherited:
        result.notes.append(f"{inherited} subtask(s) without a project took their parent task's project")
    if fallback:
        result.notes.append(f"{fallback} task(s) without a project were put in {common_project!r}, "
                            "the file's most common project")
    has_children = {p for p in parents if p}
    return tasks.with_columns(
        project_id=pl.Series(filled, dtype=pl.String),
        is_summary=tasks["task_id"].is_in(list(has_children)),
    )
