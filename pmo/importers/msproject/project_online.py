"""Project Online / Project Server OData tables (`ProjectData`), exported to a workbook or CSVs.

The importer's third layout (reference: export-formats.md §2.3; `pmo.importers.msproject` tells it
from desktop plans):

c. Project Online / Project Server OData entity sets exported to a workbook (or one CSV per entity),
   headers = OData property names. Sheets are classified by their key columns:
   Projects (ProjectId without TaskId/RiskId/IssueId), Tasks (TaskId), TaskBaselines (TaskId +
   BaselineNumber), Risks (RiskId), Issues (IssueId); Assignments and other sets are skipped.
   - Projects -> `projects`: project_id = ProjectCode if present, else the ProjectId GUID;
     external_ids = [ProjectId, JiraProjectKey]; manager = ProjectManagerName, else
     ProjectOwnerName; department = ProjectDepartments; stage = Stage, else
     EnterpriseProjectTypeName; portfolio / program / sponsor / priority from the enterprise custom
     fields of those names; external_ids also holds ProjectName when unique in the file (a desktop
     plan's project summary task carries the name); budget_original = ProjectBudgetCost, else ProjectBaselineCost;
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
   - Risks -> `risks` kind 'risk' (probability = Probability / 100, impact on Project Server's 1-10
     scale: impact_scale 10, exposure, cost = Cost), Issues -> kind 'issue' (priority = Priority).
     Both: description = Description (else Discussion), mitigation = MitigationPlan, contingency =
     ContingencyPlan (HTML removed), updated_date = ModifiedDate, status_category closed when the
     Status says closed; the same rows go to `raid_snapshots` (the RAID history, one per drop).
     owner = Owner, else AssignedToResource; closed_date = ModifiedDate when Status says closed.
     Schedule fields (TaskTotalSlack, TaskActualStartDate, TaskDuration, TaskBaselineDuration) and
     `schedule_exports`: see `schedule.py`. Plain numeric ids
     (SharePoint list item ids) get an `R-` / `I-` prefix, since a risk and an issue of one
     project may both be item 1; GUIDs are kept.
   Tasks, risks and issues name their project by ProjectId GUID: mapped to the ProjectCode of the
   Projects sheet in the same workbook, else kept (the store resolves GUIDs through
   projects.external_ids). `as_of` = the latest ProjectStatusDate. Source: "projectdata", so a
   newer drop replaces projects, tasks and risks, while status snapshots accumulate per as-of.
   Only the tables a file actually holds are returned: a Tasks-only CSV does not empty `projects`.
   The resource sets (AssignmentTimephasedDataSet, ResourceTimephasedDataSet, Resources) go to
   resources.py, with the GUID -> ProjectCode map of the Projects sheet.
"""

from __future__ import annotations

import polars as pl

from pmo import parse as pp
from pmo.importers._common import coalesce
from pmo.importers.base import Fingerprint, ImportResult, IngestContext, RawTable, reject_mask
from pmo.importers import _raid
from pmo.importers.msproject import resources, schedule
from pmo.importers.msproject.columns import _Cols, _clean_id, _status_category

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
_CLOSED = r"(?i)\b(closed|resolved|geschlossen|erledigt)\b"


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
        # which schedule fields the Tasks / TaskBaselines tables carried (schedule.py)
        headers = [t.header for t in by_kind["tasks"] + by_kind.get("baselines", [])]
        result.tables["schedule_exports"] = schedule.export_rows(
            result.tables["tasks"], "Project Online OData (Tasks)", schedule.fields(headers, schedule.ODATA_FIELDS))
    elif "baselines" in by_kind:
        result.notes.append("a TaskBaselines table without a Tasks table was skipped")
        result.rows_read += sum(t.data.height for t in by_kind["baselines"])
    risks = []
    for kind in ("risks", "issues"):
        if kind in by_kind:
            risks.append(_odata_risks(_stack(by_kind[kind]), kind, ctx, result, guid_to_id, name_to_id))
    if risks:
        result.tables["risks"] = pl.concat(risks, how="diagonal_relaxed")
        result.tables["raid_snapshots"] = _raid.snapshot(result.tables["risks"])
    if set(resources.KINDS) & set(by_kind):
        resources.parse(by_kind, ctx, result, guid_to_id)


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
    result.amount_columns.setdefault("projects", [x for x in (t.col("ProjectBudgetCost"),
                                                              t.col("ProjectBaselineCost")) if x])
    status_date = c.date("ProjectStatusDate")
    percent = c.points("ProjectPercentCompleted")
    overall = c.health("OverallHealth")
    finish = c.date("ProjectFinishDate")
    # A desktop plan of the project is titled with its name (issue 17): the name is an alias too,
    # when no other project of the file has it.
    name = c.text("ProjectName")
    unique_name = pl.DataFrame({"n": name}).select(
        pl.when(pl.col("n").is_not_null() & (pl.col("n").count().over("n") == 1)).then(pl.col("n")).alias("n"))["n"]
    external = pl.DataFrame({"g": c.text("ProjectId"), "j": c.text("JiraProjectKey"), "n": unique_name}).select(
        pl.concat_list("g", "j", "n").list.drop_nulls().list.unique(maintain_order=True).alias("x")
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
    hpd = schedule.hours_per_day(ctx)
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
            # schedule quality (schedule.py): decimal hours -> working days
            "actual_start_date": c.date("TaskActualStartDate"),
            "duration_days": duration / hpd,
            "total_slack_days": c.hours("TaskTotalSlack", documented=True) / hpd,
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
        cols = ("baseline_start_date", "baseline_finish_date", "baseline_cost", "baseline_duration_days")
        tasks = (
            tasks.with_columns(baseline_duration_days=pl.lit(None, dtype=pl.Float64))
            .join(b, on="task_id", how="left", suffix="_b")
            .with_columns(pl.coalesce(f"{col}_b", col).alias(col) for col in cols)
            .drop(f"{col}_b" for col in cols)
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
            "baseline_duration_days": c.hours("TaskBaselineDuration", documented=True) / schedule.hours_per_day(ctx),
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
    impact = c.number("Impact") if is_risk else c._none(pl.Float64)
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
            "impact": impact,
            "exposure": c.number("Exposure") if is_risk else c._none(pl.Float64),
            "due_date": c.date("DueDate"),
            "created_date": c.date("CreatedDate"),
            "closed_date": closed,
            # the RAID register's columns (issue 17); Impact is Project Server's 1-10 scale
            "status_category": _raid.status_category(status, closed),
            "impact_scale": impact.is_not_null().replace_strict({True: 10.0}, default=None,
                                                                return_dtype=pl.Float64),
            "description": pp.strip_html(coalesce(c.text("Description"), c.text("Discussion"))),
            "mitigation": pp.strip_html(c.text("MitigationPlan")),
            "contingency": pp.strip_html(c.text("ContingencyPlan")),
            "priority": c.text("Priority"),
            "cost": c.money("Cost")[0] if is_risk else c._none(pl.Float64),
            "updated_date": modified,
        }
    )

