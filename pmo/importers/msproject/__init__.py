"""Microsoft Project: desktop plans (export wizard or grid) and Project Online / Server OData tables.

Three layouts, told apart by header inside `parse` (reference: export-formats.md §2):

a. Desktop export wizard (`Task_Table` sheet) and b. the grid as displayed: one plan per file,
   read by `desktop.py` (its docstring has the mapping).
c. Project Online / Project Server OData entity sets (`ProjectData`: Projects, Tasks, TaskBaselines,
   Risks, Issues), read by `project_online.py` (its docstring has the mapping); the resource sets
   (AssignmentTimephasedDataSet -> allocations, ResourceTimephasedDataSet -> capacity, Resources to
   name people) by `resources.py`, which also reads a desktop plan's `Assignment_Table` (export
   wizard) -> allocations.

A workbook that holds Project Online tables and a desktop plan sheet is read as Project Online; the
plan sheet is skipped with a note (import it as its own file). `columns.py` holds the column access
and value parsing both use. Whatever the layout, this is one importer: TOOL "msproject".
"""

from __future__ import annotations

from pmo.importers._common import drop_blank_rows, tables_of, with_data
from pmo.importers.base import Fingerprint, ImportError_, ImportResult, IngestContext, RawTable, norm
from pmo.importers.msproject import resources
from pmo.importers.msproject.desktop import GRID, WIZARD, _parse_plans
from pmo.importers.msproject.project_online import (
    ODATA_BASELINES,
    ODATA_ISSUES,
    ODATA_PROJECTS,
    ODATA_RISKS,
    ODATA_TASKS,
    _parse_odata,
)

TOOL = "msproject"
LABEL = "Microsoft Project export"
VERSION = "1"
TABLES = ("tasks", "projects", "status_snapshots", "risks", "allocations", "capacity")


class AnyOf:
    """A fingerprint that matches when any of several layouts does (the registry's interface:
    `.strong`, `.score(header)`, `.missing(header)`). The score is the best layout's, so each
    sheet of an OData workbook is judged by the layout it really has."""

    def __init__(self, *parts: Fingerprint):
        self.parts = parts
        seen: dict[str, str] = {}
        for f in parts:
            for s in f.strong:
                seen.setdefault(norm(s), s)
        self.strong = tuple(seen.values())

    def score(self, header: list[str]) -> float:
        return max(f.score(header) for f in self.parts)

    def missing(self, header: list[str]) -> list[str]:
        """Every strong token not present; the closest layout's first (the message shows those)."""
        present = {norm(h) for h in header if h}
        closest = max(self.parts, key=lambda f: 1 - len(f.missing(header)) / len(f.strong))
        first = closest.missing(header)
        done = {norm(s) for s in first}
        return first + [s for s in self.strong if norm(s) not in present and norm(s) not in done]


FINGERPRINT = AnyOf(GRID, WIZARD, ODATA_PROJECTS, ODATA_TASKS, ODATA_BASELINES, ODATA_RISKS, ODATA_ISSUES,
                    *resources.FINGERPRINTS)

# Sheets that belong to an MS Project export but hold no canonical data.
_SKIP_SHEETS = {
    "resource table",
    "assignments",
    "assignmentbaselines",
    "tasktimephaseddataset",
    "timesheetlines",
    "projectbaselines",
}


def accept_sheet(sheet_name: str) -> bool:
    return norm(sheet_name) not in _SKIP_SHEETS


def parse(tables: list[RawTable] | RawTable, ctx: IngestContext) -> ImportResult:
    tables = tables_of(tables)
    result = ImportResult(tables={}, source="")
    by_kind: dict[str, list[RawTable]] = {}
    for t in tables:
        t = with_data(t, drop_blank_rows(t.data))
        kind = _kind(t)
        if kind is None:
            result.notes.append(
                f"sheet {t.sheet!r} is not a task, project, baseline, risk or issue table; skipped"
            )
            continue
        by_kind.setdefault(kind, []).append(t)
    if not by_kind:
        raise ImportError_(
            f"{ctx.file_name or tables[0].file_name}: no MS Project task, project, risk or issue table found."
        )
    online = set(by_kind) - {"plan", "plan_assignments"}
    if online and ("plan" in by_kind or "plan_assignments" in by_kind):
        for t in by_kind.pop("plan", []) + by_kind.pop("plan_assignments", []):
            result.notes.append(
                f"sheet {t.sheet!r} (a desktop plan) skipped: this workbook holds "
                "Project Online tables; import the plan as its own file"
            )
    if "plan" in by_kind or "plan_assignments" in by_kind:
        if "plan" in by_kind:
            _parse_plans(by_kind["plan"], ctx, result)
        if "plan_assignments" in by_kind:
            resources.plan_assignments(by_kind["plan_assignments"], ctx, result)
    else:
        _parse_odata(by_kind, ctx, result)
    return result


# ---------------------------------------------------------------------------------------------
# Layout detection
# ---------------------------------------------------------------------------------------------


def _kind(t: RawTable) -> str | None:
    h = {norm(x) for x in t.header if x}
    if "riskid" in h:
        return "risks"
    if "issueid" in h:
        return "issues"
    if resources.kind(h):
        return resources.kind(h)
    if resources.is_plan_assignments(h):
        return "plan_assignments"
    if "assignmentid" in h:
        return None
    if "taskid" in h and "baselinenumber" in h:
        return "baselines"
    if "taskid" in h:
        return "tasks"
    if "projectid" in h and any(x.startswith("project") and x not in ("projectid", "projectname") for x in h):
        return "projects"
    if GRID.score(t.header) > 0 or WIZARD.score(t.header) > 0:
        return "plan"
    return None
