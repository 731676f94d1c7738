"""Microsoft Project: desktop plans (export wizard or grid) and Project Online / Server OData tables.

Three layouts, told apart by header inside `parse` (reference: export-formats.md §2):

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

c. Project Online / Project Server OData entity sets exported to a workbook (or one CSV per entity),
   headers = OData property names. Sheets are classified by their key columns:
   Projects (ProjectId without TaskId/RiskId/IssueId), Tasks (TaskId), TaskBaselines (TaskId +
   BaselineNumber), Risks (RiskId), Issues (IssueId); Assignments and other sets are skipped.
   - Projects -> `projects`: project_id = ProjectCode if present, else the ProjectId GUID;
     external_ids = [ProjectId, JiraProjectKey]; manager = ProjectManagerName, else
     ProjectOwnerName; department = ProjectDepartments; stage = Stage, else
     EnterpriseProjectTypeName; portfolio / program / sponsor / priority from the enterprise custom
     fields of those names; budget_original = ProjectBudgetCost, else ProjectBaselineCost;
     currency = ProjectCurrency; reported_health = OverallHealth; percent = ProjectPercentCompleted
     / 100; as_of = ProjectStatusDate.
     -> `status_snapshots` (one per project): as_of = ProjectStatusDate, percent, overall / schedule
     / cost / scope health, finish_date, budget (same rule as the project budget, in the
     project's *original* currency: the table has no currency column, so mixed currencies are
     noted), actual_cost = ProjectActualCost, comment = StatusComment (HTML stripped).
   - Tasks -> `tasks`: task_id = TaskId, parent_id = ParentTaskId, project summary tasks (outline
     level 0 / TaskIsProjectSummary) are dropped and their children get no parent; durations
     and work are decimal hours (TaskWork -> estimate_hours, TaskActualWork -> actual_hours,
     TaskRemainingWork -> remaining_hours); TaskPercentCompleted / 100; TaskDeadline -> due_date;
     baselines from TaskBaselines (BaselineNumber 0 only) joined by TaskId.
   - Risks -> `risks` kind 'risk' (probability = Probability / 100, impact, exposure), Issues ->
     kind 'issue' (their Priority has no canonical column). owner = Owner, else
     AssignedToResource; closed_date = ModifiedDate when Status says closed. Plain numeric ids
     (SharePoint list item ids) get an `R-` / `I-` prefix, since a risk and an issue of one
     project may both be item 1; GUIDs are kept.
   Tasks, risks and issues name their project by ProjectId GUID: mapped to the ProjectCode of the
   Projects sheet in the same workbook, else kept (the store resolves GUIDs through
   projects.external_ids). `as_of` = the latest ProjectStatusDate. Source: "projectdata", so a
   newer drop replaces projects, tasks and risks, while status snapshots accumulate per as-of.
   Only the tables a file actually holds are returned: a Tasks-only CSV does not empty `projects`.
   - AssignmentTimephasedDataSet -> `allocations`, ResourceTimephasedDataSet -> `capacity`, with a
     Resources sheet to name the people: see pmo/importers/_project_resources.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from pmo import parse as pp
from pmo.importers import _project_resources
from pmo.importers._common import coalesce, date_order, drop_blank_rows, outline_parents, tables_of, with_data
from pmo.importers.base import (
    Fingerprint,
    ImportError_,
    ImportResult,
    IngestContext,
    RawTable,
    Reject,
    norm,
    reject_mask,
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
ODATA_PROJECTS = Fingerprint(
    strong=(
        "ProjectId",
        "ProjectName",
        "ProjectStartDate",
        "ProjectFinishDate",
        "ProjectStatusDate",
        "ProjectPercentCompleted",
        "ProjectManagerName",
        "ProjectOwnerName",
    ),
    need=3,
)
ODATA_TASKS = Fingerprint(
    strong=(
        "ProjectId",
        "TaskId",
        "TaskName",
        "TaskStartDate",
        "TaskFinishDate",
        "TaskOutlineLevel",
        "TaskPercentCompleted",
        "TaskIsSummary",
    ),
    need=2,
)
ODATA_BASELINES = Fingerprint(
    strong=(
        "ProjectId",
        "TaskId",
        "BaselineNumber",
        "TaskBaselineStartDate",
        "TaskBaselineFinishDate",
        "TaskBaselineCost",
    ),
    need=2,
)
ODATA_RISKS = Fingerprint(
    strong=("ProjectId", "RiskId"), weak=("Title", "Probability", "Impact", "Exposure", "Owner", "Status")
)
ODATA_ISSUES = Fingerprint(strong=("ProjectId", "IssueId"), weak=("Title", "Priority", "Owner", "Status"))

FINGERPRINT = AnyOf(GRID, WIZARD, ODATA_PROJECTS, ODATA_TASKS, ODATA_BASELINES, ODATA_RISKS, ODATA_ISSUES,
                    *_project_resources.FINGERPRINTS)

# Sheets that belong to an MS Project export but hold no canonical data.
_SKIP_SHEETS = {
    "resource table",
    "assignment table",
    "assignments",
    "assignmentbaselines",
    "tasktimephaseddataset",
    "timesheetlines",
    "projectbaselines",
}
_CLOSED = r"(?i)\b(closed|resolved|geschlossen|erledigt)\b"


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
    if "plan" in by_kind and len(by_kind) > 1:
        for t in by_kind.pop("plan"):
            result.notes.append(
                f"sheet {t.sheet!r} (a desktop plan) skipped: this workbook holds "
                "Project Online tables; import the plan as its own file"
            )
    if "plan" in by_kind:
        _parse_plans(by_kind["plan"], ctx, result)
    else:
        _parse_odata(by_kind, ctx, result)
    return result


# ---------------------------------------------------------------------------------------------
# Layout detection and shared helpers
# ---------------------------------------------------------------------------------------------


def _kind(t: RawTable) -> str | None:
    h = {norm(x) for x in t.header if x}
    if "riskid" in h:
        return "risks"
    if "issueid" in h:
        return "issues"
    if _project_resources.kind(h):
        return _project_resources.kind(h)
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


class _Cols:
    """Column access and parsing for one table, recording notes and value-level rejects."""

    def __init__(self, t: RawTable, df: pl.DataFrame, ctx: IngestContext, result: ImportResult, table: str):
        self.t = with_data(t, df)
        self.df, self.result, self.table = df, result, table
        # Decides only when no value settles day/month order; --date-order reaches
        # parse.to_date through parse.DATE_ORDER.
        self.default_order = date_order(ctx)

    def _none(self, dtype) -> pl.Series:
        return pl.Series("x", [None] * self.df.height, dtype=dtype)

    def text(self, *names: str) -> pl.Series:
        return self.t.values(*names)

    def date(self, *names: str) -> pl.Series:
        col = self.t.col(*names)
        if col is None:
            return self._none(pl.Date)
        raw = self.df[col]
        raw = pl.DataFrame({"v": raw}).select(
            pl.when(~pl.col("v").str.strip_chars().str.to_uppercase().is_in(["NA", "N/A"]))
            .then(pl.col("v"))
            .alias(col)
        )[col]
        p = pp.to_date(raw, default_order=self.default_order, name=col)
        return self._use(p, col, "a date")

    def number(self, *names: str) -> pl.Series:
        col = self.t.col(*names)
        return (
            self._none(pl.Float64) if col is None else self._use(pp.to_number(self.df[col]), col, "a number")
        )

    def money(self, *names: str) -> tuple[pl.Series, pl.Series]:
        col = self.t.col(*names)
        if col is None:
            return self._none(pl.Float64), self._none(pl.String)
        p, currency = pp.to_money(self.df[col])
        return self._use(p, col, "an amount"), currency

    def hours(self, *names: str, bare_unit: str = "h", documented: bool = False) -> pl.Series:
        """Durations / work in hours. `documented`: the unit is the layout's (OData decimal
        hours), so "bare numbers read in 'h'" is not worth a note."""
        col = self.t.col(*names)
        if col is None:
            return self._none(pl.Float64)
        p = pp.to_duration_hours(self.df[col], bare_unit=bare_unit)
        if documented:
            p = p._replace(note="; ".join(n for n in p.note.split("; ") if not n.startswith("bare numbers")))
        return self._use(p, col, "a duration")

    def percent(self, *names: str) -> pl.Series:
        """A percentage -> fraction (`35%`, `0.35`, or whole points when any value is over 1)."""
        col = self.t.col(*names)
        return (
            self._none(pl.Float64)
            if col is None
            else self._use(pp.to_percent(self.df[col]), col, "a percentage")
        )

    def points(self, *names: str) -> pl.Series:
        """OData 0-100 values (Int16 percent points) -> fraction; `35%` text also works."""
        col = self.t.col(*names)
        if col is None:
            return self._none(pl.Float64)
        if self.df[col].str.contains("%").any():
            return self._use(pp.to_percent(self.df[col]), col, "a percentage")
        return self._use(pp.to_number(self.df[col]), col, "a number") / 100

    def flag(self, *names: str) -> pl.Series:
        col = self.t.col(*names)
        return self._none(pl.Boolean) if col is None else self._use(pp.to_bool(self.df[col]), col, "yes/no")

    def health(self, *names: str) -> pl.Series:
        col = self.t.col(*names)
        return (
            self._none(pl.String)
            if col is None
            else self._use(pp.to_health(self.df[col]), col, "a health rating")
        )

    def _use(self, p: pp.Parsed, col: str, what: str) -> pl.Series:
        rows = self.df["_row"]
        if p.note:
            note = re.sub(r"\brow (\d+)", lambda m: f"row {rows[int(m.group(1)) - 1]}", p.note)
            seen = any(n.split(": ", 1)[-1].split(" (")[0] == note.split(" (")[0] for n in self.result.notes)
            if "unreadable" in note or not seen:
                self.result.notes.append(
                    f"{self.t.sheet} / {col}: {note}"
                    if self.t.sheet != self.t.file_name
                    else f"{col}: {note}"
                )
        if p.bad.any():
            for r, v in zip(rows.filter(p.bad).to_list(), self.df[col].filter(p.bad).to_list(), strict=True):
                self.result.rejects.append(Reject(r, col, v, f"not {what}; left empty", self.table))
        return p.values.alias(col)


def _clean_id(s: pl.Series) -> pl.Series:
    """`7`, `7.0` -> `7` (Excel writes whole numbers as floats); other text unchanged."""
    return s.str.strip_chars().str.replace(r"^(-?[0-9]+)\.0+$", "${1}")


def _status_category(percent: pl.Series) -> pl.Series:
    return pl.DataFrame({"p": percent}).select(
        pl.when(pl.col("p") >= 1.0)
        .then(pl.lit("done"))
        .when(pl.col("p") <= 0.0)
        .then(pl.lit("todo"))
        .when(pl.col("p").is_not_null())
        .then(pl.lit("in_progress"))
        .alias("status_category")
    )["status_category"]


def _first_currency(*currencies: pl.Series) -> str | None:
    found = pl.concat([c.cast(pl.String) for c in currencies]).drop_nulls()
    if found.is_empty():
        return None
    return found.mode().sort()[0]


# ---------------------------------------------------------------------------------------------
# Desktop plans (wizard and grid)
# ---------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------
# Project Online / Project Server OData tables
# ---------------------------------------------------------------------------------------------


def _stack(tables: list[RawTable]) -> RawTable:
    if len(tables) == 1:
        return tables[0]
    data = pl.concat([t.data for t in tables], how="diagonal")
    t = tables[0]
    return RawTable(t.file_name, t.sheet, t.header, data, t.header_row, t.meta)


def _parse_odata(by_kind: dict[str, list[RawTable]], ctx: IngestContext, result: ImportResult) -> None:
    result.source = "projectdata"
    guid_to_id: dict[str, str] = {}
    name_to_id: dict[str, str] = {}
    if "projects" in by_kind:
        projects, snapshots, guids = _odata_projects(_stack(by_kind["projects"]), ctx, result)
        result.tables["projects"] = projects
        result.tables["status_snapshots"] = snapshots
        for guid, pid, name in zip(
            guids.to_list(), projects["project_id"].to_list(), projects["project_name"].to_list(), strict=True
        ):
            if guid:
                guid_to_id[guid.lower()] = pid
            if name:
                name_to_id[name] = pid
        dates = snapshots["as_of"].drop_nulls()
        result.as_of = dates.max() if not dates.is_empty() else None
    if "tasks" in by_kind:
        baselines = _stack(by_kind["baselines"]) if "baselines" in by_kind else None
        result.tables["tasks"] = _odata_tasks(
            _stack(by_kind["tasks"]), baselines, ctx, result, guid_to_id, name_to_id
        )
    elif "baselines" in by_kind:
        result.notes.append("a TaskBaselines table without a Tasks table was skipped")
        result.rows_read += sum(t.data.height for t in by_kind["baselines"])
    risks = []
    for kind in ("risks", "issues"):
        if kind in by_kind:
            risks.append(_odata_risks(_stack(by_kind[kind]), kind, ctx, result, guid_to_id, name_to_id))
    if risks:
        result.tables["risks"] = pl.concat(risks, how="diagonal_relaxed")
    if set(_project_resources.KINDS) & set(by_kind):
        _project_resources.parse(by_kind, ctx, result, guid_to_id)


def _project_ref(c: _Cols, guid_to_id: dict[str, str], name_to_id: dict[str, str]) -> pl.Series:
    """ProjectId GUID -> ProjectCode through the Projects table (else the GUID); else ProjectName."""
    guid = c.text("ProjectId")
    mapped = pl.DataFrame({"g": guid}).select(
        pl.col("g")
        .str.to_lowercase()
        .replace_strict(guid_to_id, default=None, return_dtype=pl.String)
        .alias("m")
    )["m"]
    by_name = c.text("ProjectName")
    named = pl.DataFrame({"n": by_name}).select(
        pl.col("n").replace_strict(name_to_id, default=None, return_dtype=pl.String).alias("m")
    )["m"]
    return coalesce(mapped, guid, named, by_name).alias("project_id")


def _odata_projects(
    t: RawTable, ctx: IngestContext, result: ImportResult
) -> tuple[pl.DataFrame, pl.DataFrame, pl.Series]:
    """`projects` and `status_snapshots` rows, plus each row's ProjectId GUID (for references)."""
    df = t.data
    result.rows_read += df.height
    c = _Cols(t, df, ctx, result, "projects")
    pid = coalesce(c.text("ProjectCode"), c.text("ProjectId"))
    df = df.with_columns(_pid=pid)
    df = reject_mask(
        result,
        "projects",
        df,
        df["_pid"].is_null(),
        "ProjectId",
        "project has neither ProjectCode nor ProjectId",
    )
    c = _Cols(t, df, ctx, result, "projects")
    budget_cost, cur1 = c.money("ProjectBudgetCost")
    baseline_cost, cur2 = c.money("ProjectBaselineCost")
    actual_cost, cur3 = c.money("ProjectActualCost")
    budget = coalesce(budget_cost, baseline_cost)
    code = c.text("ProjectCurrency").str.strip_chars().str.to_uppercase()
    code = pl.DataFrame({"c": code}).select(
        pl.when(pl.col("c").str.contains(r"^[A-Z]{3}$")).then(pl.col("c")).alias("c")
    )["c"]
    currency = coalesce(code, cur1, cur2, cur3)
    status_date = c.date("ProjectStatusDate")
    percent = c.points("ProjectPercentCompleted")
    overall = c.health("OverallHealth")
    finish = c.date("ProjectFinishDate")
    external = pl.DataFrame({"g": c.text("ProjectId"), "j": c.text("JiraProjectKey")}).select(
        pl.concat_list("g", "j").list.drop_nulls().alias("x")
    )["x"]
    projects = pl.DataFrame(
        {
            "_row": df["_row"],
            "project_id": df["_pid"],
            "project_name": c.text("ProjectName"),
            "portfolio": c.text("Portfolio"),
            "program": c.text("Program", "Programme"),
            "department": c.text("ProjectDepartments", "Department"),
            "manager": coalesce(c.text("ProjectManagerName"), c.text("ProjectOwnerName")),
            "sponsor": c.text("Sponsor"),
            "stage": coalesce(c.text("Stage"), c.text("EnterpriseProjectTypeName")),
            "priority": c.text("Priority"),
            "start_date": c.date("ProjectStartDate"),
            "finish_date": finish,
            "baseline_start_date": c.date("ProjectBaselineStartDate"),
            "baseline_finish_date": c.date("ProjectBaselineFinishDate"),
            "actual_finish_date": c.date("ProjectActualFinishDate"),
            "percent_complete": percent,
            "reported_health": overall,
            "currency": currency,
            "budget_original": budget,
            "external_ids": external,
            "as_of": status_date,
        }
    )
    comment = c.text("StatusComment")
    snapshots = pl.DataFrame(
        {
            "_row": df["_row"],
            "project_id": df["_pid"],
            "as_of": status_date,
            "percent_complete": percent,
            "reported_health": overall,
            "schedule_health": c.health("ScheduleHealth"),
            "cost_health": c.health("CostHealth"),
            "scope_health": c.health("ScopeHealth"),
            "finish_date": finish,
            "budget": budget,
            "actual_cost": actual_cost,
            "comment": pp.strip_html(comment) if comment.is_not_null().any() else comment,
        }
    )
    found = sorted(set(currency.drop_nulls().to_list()))
    if len(found) > 1 or (found and found != [ctx.reporting_currency]):
        result.notes.append(
            f"status snapshot budgets and actual costs are in each project's own "
            f"currency ({', '.join(found)}); projects.budget is converted to "
            f"{ctx.reporting_currency}"
        )
    if status_date.is_null().any():
        result.notes.append(
            f"{int(status_date.is_null().sum())} project(s) without ProjectStatusDate: "
            "their status snapshot takes the file's as-of date"
        )
    return projects, snapshots, c.text("ProjectId")


def _odata_tasks(
    t: RawTable,
    baselines: RawTable | None,
    ctx: IngestContext,
    result: ImportResult,
    guid_to_id: dict[str, str],
    name_to_id: dict[str, str],
) -> pl.DataFrame:
    df = t.data
    result.rows_read += df.height
    c = _Cols(t, df, ctx, result, "tasks")
    df = df.with_columns(_tid=_clean_id(c.text("TaskId")))
    df = reject_mask(result, "tasks", df, df["_tid"].is_null(), "TaskId", "TaskId is empty")
    c = _Cols(t, df, ctx, result, "tasks")
    outline = c.number("TaskOutlineLevel")
    project_summary = coalesce(c.flag("TaskIsProjectSummary"), (outline == 0))
    parent = _clean_id(c.text("ParentTaskId"))
    summary = c.flag("TaskIsSummary")
    has_children = df["_tid"].is_in(parent.drop_nulls().implode())
    milestone = c.flag("TaskIsMilestone")
    duration = c.hours("TaskDuration", documented=True)
    percent = c.points("TaskPercentCompleted")
    cost, _ = c.money("TaskCost")
    actual_cost, _ = c.money("TaskActualCost")
    tasks = pl.DataFrame(
        {
            "_row": df["_row"],
            "task_id": df["_tid"],
            "project_id": _project_ref(c, guid_to_id, name_to_id),
            "task_name": c.text("TaskName"),
            "status_category": _status_category(percent),
            "assignee": pl.DataFrame({"r": c.text("TaskResourceNames", "ResourceNames")}).select(
                pl.col("r").str.extract(r"^\s*([^,;\[]+)", 1).str.strip_chars()
            )["r"],
            "start_date": c.date("TaskStartDate"),
            "finish_date": c.date("TaskFinishDate"),
            "due_date": c.date("TaskDeadline"),
            "completed_date": c.date("TaskActualFinishDate"),
            "percent_complete": percent,
            "is_milestone": coalesce(milestone, (duration == 0)).fill_null(False),
            "is_summary": coalesce(summary, has_children).fill_null(False),
            "estimate_hours": c.hours("TaskWork", documented=True),
            "actual_hours": c.hours("TaskActualWork", documented=True),
            "remaining_hours": c.hours("TaskRemainingWork", documented=True),
            "cost": cost,
            "actual_cost": actual_cost,
            "baseline_start_date": c.date("TaskBaselineStartDate"),
            "baseline_finish_date": c.date("TaskBaselineFinishDate"),
            "baseline_cost": c.money("TaskBaselineCost")[0],
            "parent_id": parent,
            "_drop": project_summary.fill_null(False),
        }
    )
    dropped = tasks.filter(pl.col("_drop"))["task_id"]
    if dropped.len():
        result.notes.append(f"{dropped.len()} project summary task(s) (outline level 0) left out of tasks")
    tasks = (
        tasks.filter(~pl.col("_drop"))
        .drop("_drop")
        .with_columns(
            pl.when(pl.col("parent_id").is_in(dropped.implode()))
            .then(None)
            .otherwise(pl.col("parent_id"))
            .alias("parent_id")
        )
    )
    if baselines is not None:  # the TaskBaselines table wins over baseline columns on Tasks
        b = _odata_baselines(baselines, ctx, result)
        tasks = (
            tasks.join(b, on="task_id", how="left", suffix="_b")
            .with_columns(
                pl.coalesce(f"{col}_b", col).alias(col)
                for col in ("baseline_start_date", "baseline_finish_date", "baseline_cost")
            )
            .drop(f"{col}_b" for col in ("baseline_start_date", "baseline_finish_date", "baseline_cost"))
        )
    return tasks


def _odata_baselines(t: RawTable, ctx: IngestContext, result: ImportResult) -> pl.DataFrame:
    df = t.data
    result.rows_read += df.height
    c = _Cols(t, df, ctx, result, "tasks")
    number = c.number("BaselineNumber")
    cost, _ = c.money("TaskBaselineCost")
    b = pl.DataFrame(
        {
            "task_id": _clean_id(c.text("TaskId")),
            "_n": number,
            "baseline_start_date": c.date("TaskBaselineStartDate"),
            "baseline_finish_date": c.date("TaskBaselineFinishDate"),
            "baseline_cost": cost,
        }
    )
    other = int((b["_n"].fill_null(0) != 0).sum())
    if other:
        result.notes.append(f"{other} baseline row(s) other than baseline 0 ignored")
    return (
        b.filter((pl.col("_n").fill_null(0) == 0) & pl.col("task_id").is_not_null())
        .unique("task_id", keep="first", maintain_order=True)
        .drop("_n")
    )


def _odata_risks(
    t: RawTable,
    kind: str,
    ctx: IngestContext,
    result: ImportResult,
    guid_to_id: dict[str, str],
    name_to_id: dict[str, str],
) -> pl.DataFrame:
    df = t.data
    result.rows_read += df.height
    id_col = "RiskId" if kind == "risks" else "IssueId"
    prefix = "R-" if kind == "risks" else "I-"
    c = _Cols(t, df, ctx, result, "risks")
    item = _clean_id(c.text(id_col))
    df = df.with_columns(_id=item)
    df = reject_mask(result, "risks", df, df["_id"].is_null(), id_col, f"{id_col} is empty")
    c = _Cols(t, df, ctx, result, "risks")
    item = pl.DataFrame({"i": df["_id"]}).select(
        pl.when(pl.col("i").str.contains(r"^[0-9]+$"))
        .then(pl.lit(prefix) + pl.col("i"))
        .otherwise(pl.col("i"))
        .alias("i")
    )["i"]
    status = c.text("Status")
    modified = c.date("ModifiedDate")
    closed = pl.DataFrame({"s": status, "m": modified}).select(
        pl.when(pl.col("s").str.contains(_CLOSED)).then(pl.col("m")).alias("c")
    )["c"]
    is_risk = kind == "risks"
    return pl.DataFrame(
        {
            "_row": df["_row"],
            "item_id": item,
            "project_id": _project_ref(c, guid_to_id, name_to_id),
            "kind": pl.Series(["risk" if is_risk else "issue"] * df.height, dtype=pl.String),
            "title": c.text("Title"),
            "category": c.text("Category"),
            "owner": coalesce(c.text("Owner"), c.text("AssignedToResource")),
            "status": status,
            "probability": c.points("Probability") if is_risk else c._none(pl.Float64),
            "impact": c.number("Impact") if is_risk else c._none(pl.Float64),
            "exposure": c.number("Exposure") if is_risk else c._none(pl.Float64),
            "due_date": c.date("DueDate"),
            "created_date": c.date("CreatedDate"),
            "closed_date": closed,
        }
    )
