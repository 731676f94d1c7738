"""Project Online / Project Server resource data: the timephased entity sets, read by the MS Project
importer (pmo/importers/msproject/) when a workbook or CSV holds them, alone or beside the
Projects / Tasks sheets of the same ProjectData feed.

Layouts (OData property names as headers; learn.microsoft.com ProjectData EntityType
AssignmentTimephasedData jj163121, ResourceTimephasedData jj163541):
- `AssignmentTimephasedDataSet`: keys ProjectId, AssignmentId, TimeByDay; `AssignmentWork`,
  `AssignmentActualWork`, `AssignmentRemainingWork`, `AssignmentBaseline0Work`,
  `AssignmentCombinedWork`, ... in decimal hours, plus ProjectName, TaskId, TaskName, ResourceId
  (the set has no resource name: it comes from a `ResourceName` column a Power Query merge added,
  else from the `Resources` or `ResourceTimephasedDataSet` sheet of the same workbook).
- `ResourceTimephasedDataSet`: ResourceId, ResourceName, TimeByDay, `Capacity`, `BaseCapacity`.
- `Resources` (a lookup only): ResourceId, ResourceName, ResourceEmailAddress, ResourceIsGeneric.
Project Online rolls timephased data up by day (default), week, month or fiscal period: the grain
is read from the dates (all a week apart on one weekday = weekly; all on the 1st = monthly) and
each row then covers its week or month.

Mapping to `allocations` (one row per assignment and period):
    project_id       the Projects sheet's ProjectCode for the ProjectId when the workbook has one,
                     else the ProjectId GUID (the store resolves it through projects.external_ids)
    project_name     ProjectName          task_id / task_name   TaskId / TaskName
    allocation_id    AssignmentId         resource_id           ResourceId
    person_name      ResourceName (the sheet's, else the lookup's); email = ResourceEmailAddress
    is_placeholder   ResourceIsGeneric (a generic resource is a role, not a person): then role =
                     the resource's name and person_name is empty
    start_date / end_date   TimeByDay .. the end of its period
    hours            AssignmentWork       actual_hours   AssignmentActualWork
    remaining_hours  AssignmentRemainingWork            baseline_hours  AssignmentBaseline0Work
Rows whose every work figure is 0 or empty (Project Online writes one for every calendar day of an
assignment) are dropped and counted in a note; a second row for the same assignment and period is
rejected.

A desktop plan's assignments (export wizard `Assignment_Table` sheet, names with underscores, or
the same fields with spaces) [unverified: field titles follow the wizard's naming of task fields]:
`Task_Name, Resource_Name, Work, Start_Date | Start, Finish_Date | Finish, Units, Actual_Work,
Remaining_Work, Baseline_Work` -> `allocations`, one row per assignment: project_id = the plan's
project (the Task_Table of the same workbook; a file of assignments alone: its name), task_name,
person_name = Resource_Name (placeholder role when a `Generic` column says yes), start / end, hours
= Work (spread evenly over the span's working days by the view: a flat contour), actual /
remaining / baseline hours, allocation_pct = Units when there is no Work. Source: the plan's
("plan:<project>"), so the assignments are replaced with the plan.

`capacity` (kind 'capacity', one row per resource and period): hours = Capacity, base_hours =
BaseCapacity, person_name = ResourceName, resource_id = ResourceId. Generic resources have no
capacity of their own (placeholders) and days of 0 capacity say nothing: both are dropped, noted.
"""

from __future__ import annotations

from datetime import timedelta

import polars as pl

from pmo import parse as pp
from pmo.importers._common import coalesce, date_order
from pmo.importers.base import Fingerprint, ImportResult, IngestContext, RawTable, Reject, norm

ASSIGNMENT_TIMEPHASED = Fingerprint(
    strong=("AssignmentId", "TimeByDay", "AssignmentWork", "AssignmentActualWork", "AssignmentRemainingWork",
            "AssignmentBaseline0Work", "ResourceId", "ProjectId"),
    weak=("AssignmentCombinedWork", "AssignmentCost", "TaskId", "TaskName", "ProjectName", "FiscalPeriodId"),
    need=3,
)
RESOURCE_TIMEPHASED = Fingerprint(
    strong=("ResourceId", "TimeByDay", "Capacity", "BaseCapacity", "ResourceName"),
    weak=("FiscalPeriodId", "ResourceModifiedDate"),
    need=3,
)
RESOURCES = Fingerprint(
    strong=("ResourceId", "ResourceName", "ResourceEmailAddress", "ResourceIsGeneric", "ResourceBaseCalendar",
            "ResourceStandardRate", "ResourceType"),
    need=3,
    forbid=("TimeByDay", "ProjectId"),
)
PLAN_ASSIGNMENTS = Fingerprint(
    strong=("Resource_Name", "Task_Name", "Work", "Start_Date", "Finish_Date", "Units", "Assignment_Units"),
    weak=("Actual_Work", "Remaining_Work", "Baseline_Work", "Start", "Finish"),
    need=4,
    forbid=("Outline_Level", "Duration", "Predecessors", "TimeByDay"),
)
FINGERPRINTS = (ASSIGNMENT_TIMEPHASED, RESOURCE_TIMEPHASED, RESOURCES, PLAN_ASSIGNMENTS)
KINDS = ("assignment_timephased", "resource_timephased", "resources")
SHEETS = {"assignmenttimephaseddataset", "resourcetimephaseddataset", "resources"}


def kind(header: set[str]) -> str | None:
    """The entity set of a table from its normalised header cells."""
    if "timebyday" in header and "assignmentid" in header:
        return "assignment_timephased"
    if "timebyday" in header and "resourceid" in header and ("capacity" in header or "basecapacity" in header):
        return "resource_timephased"
    if "resourceid" in header and "resourcename" in header and "projectid" not in header and "timebyday" not in header:
        return "resources"
    return None


def parse(by_kind: dict[str, list[RawTable]], ctx: IngestContext, result: ImportResult,
          guid_to_id: dict[str, str]) -> None:
    """Fill `allocations` and `capacity` from the timephased sheets in `by_kind`."""
    lookup = _lookup(by_kind, result)
    if "assignment_timephased" in by_kind:
        result.tables["allocations"] = _assignments(_stack(by_kind["assignment_timephased"]), ctx, result,
                                                    lookup, guid_to_id)
    if "resource_timephased" in by_kind:
        result.tables["capacity"] = _capacity(_stack(by_kind["resource_timephased"]), ctx, result, lookup)
    if "resources" in by_kind and not {"assignment_timephased", "resource_timephased"} & set(by_kind):
        result.notes.append("the Resources sheet only names the people of timephased sheets; nothing imported from it")


def _stack(tables: list[RawTable]) -> RawTable:
    if len(tables) == 1:
        return tables[0]
    t = tables[0]
    return RawTable(t.file_name, t.sheet, t.header, pl.concat([x.data for x in tables], how="diagonal"),
                    t.header_row, t.meta)


class _Cells:
    def __init__(self, t: RawTable, ctx: IngestContext, result: ImportResult, table: str):
        self.t, self.df, self.result, self.table = t, t.data, result, table
        self.order = date_order(ctx)

    def text(self, name: str) -> pl.Series:
        return self.t.values(name).str.strip_chars().replace("", None)

    def _use(self, p: pp.Parsed, col: str, what: str) -> pl.Series:
        for r, v in zip(self.df["_row"].filter(p.bad).to_list(), self.df[col].filter(p.bad).to_list(), strict=True):
            self.result.rejects.append(Reject(r, col, v, f"not {what}; left empty", self.table))
        return p.values

    def number(self, name: str) -> pl.Series:
        col = self.t.col(name)
        if col is None:
            return pl.Series(name, [None] * self.df.height, dtype=pl.Float64)
        return self._use(pp.to_number(self.df[col]), col, "a number of hours")

    def date(self, name: str) -> pl.Series:
        col = self.t.col(name)
        if col is None:
            return pl.Series(name, [None] * self.df.height, dtype=pl.Date)
        return self._use(pp.to_date(self.df[col], default_order=self.order, name=col), col, "a date")

    def flag(self, name: str) -> pl.Series:
        col = self.t.col(name)
        if col is None:
            return pl.Series(name, [None] * self.df.height, dtype=pl.Boolean)
        return self._use(pp.to_bool(self.df[col]), col, "yes/no")


def _lookup(by_kind: dict[str, list[RawTable]], result: ImportResult) -> pl.DataFrame:
    """ResourceId (lower case) -> name, e-mail, generic, from Resources and ResourceTimephasedDataSet."""
    frames = []
    for k in ("resources", "resource_timephased"):
        for t in by_kind.get(k, []):
            if k == "resources":
                result.rows_read += t.data.height
            rid = t.values("ResourceId")
            frames.append(pl.DataFrame({
                "_rid": rid.str.strip_chars().str.to_lowercase(),
                "_name": t.values("ResourceName").str.strip_chars(),
                "_email": t.values("ResourceEmailAddress").str.strip_chars(),
                "_generic": pp.to_bool(t.values("ResourceIsGeneric")).values,
                "_pri": pl.Series([0 if k == "resources" else 1] * t.data.height),
            }))
    schema = {"_rid": pl.String, "_name": pl.String, "_email": pl.String, "_generic": pl.Boolean, "_pri": pl.Int64}
    if not frames:
        return pl.DataFrame(schema=schema)
    df = pl.concat(frames, how="vertical_relaxed").filter(pl.col("_rid").is_not_null())
    return df.sort("_pri").group_by("_rid", maintain_order=True).agg(
        pl.col("_name").drop_nulls().first(), pl.col("_email").drop_nulls().first(),
        pl.col("_generic").drop_nulls().first(), pl.col("_pri").min())


def _period_ends(start: pl.Series, keys: pl.Series, result: ImportResult, sheet: str) -> pl.Series:
    """The last day each TimeByDay row covers: the same day (daily roll-up), +6 days (weekly) or the
    month's end (monthly), read from how far apart the dates of one assignment / resource are."""
    f = pl.DataFrame({"k": keys, "d": start}).drop_nulls()
    gaps = (f.unique().sort("k", "d").with_columns(g=pl.col("d").diff().over("k").dt.total_days())
            ["g"].drop_nulls())
    dates = f["d"].unique()
    if len(gaps) and gaps.min() >= 28 and (dates.dt.day() == 1).all():
        result.notes.append(f"{sheet}: timephased data rolled up by month (every TimeByDay is a 1st and a "
                            "month apart): each row covers its month")
        return start.dt.month_end()
    if len(gaps) and gaps.min() >= 7 and dates.dt.weekday().n_unique() == 1:
        result.notes.append(f"{sheet}: timephased data rolled up by week (TimeByDay a week apart): "
                            "each row covers 7 days")
        return start + timedelta(days=6)
    return start


def _assignments(t: RawTable, ctx: IngestContext, result: ImportResult, lookup: pl.DataFrame,
                 guid_to_id: dict[str, str]) -> pl.DataFrame:
    result.rows_read += t.data.height
    c = _Cells(t, ctx, result, "allocations")
    work, actual = c.number("AssignmentWork"), c.number("AssignmentActualWork")
    remaining, baseline = c.number("AssignmentRemainingWork"), c.number("AssignmentBaseline0Work")
    day = c.date("TimeByDay")
    guid = c.text("ProjectId")
    rid = c.text("ResourceId")
    df = pl.DataFrame({
        "_row": t.data["_row"],
        "project_id": coalesce(guid.str.to_lowercase().replace_strict(guid_to_id, default=None,
                                                                      return_dtype=pl.String), guid),
        "project_name": c.text("ProjectName"),
        "task_id": c.text("TaskId"),
        "task_name": c.text("TaskName"),
        "allocation_id": c.text("AssignmentId"),
        "resource_id": rid,
        "_rid": rid.str.to_lowercase(),
        "_name_here": c.text("ResourceName"),
        "_generic_here": c.flag("ResourceIsGeneric"),
        "start_date": day,
        "hours": work,
        "actual_hours": actual,
        "remaining_hours": remaining,
        "baseline_hours": baseline,
    })
    empty = pl.all_horizontal((pl.col(x).fill_null(0) == 0) for x in ("hours", "actual_hours", "remaining_hours",
                                                                      "baseline_hours"))
    n_empty = df.filter(empty & pl.col("start_date").is_not_null()).height
    if n_empty:
        result.notes.append(f"{t.sheet}: {n_empty:,} row(s) with no work on that day skipped")
    df = df.filter(~empty | pl.col("start_date").is_null())
    keys = pl.struct("allocation_id", "start_date")
    dup = df.select((keys.is_duplicated() & ~keys.is_first_distinct() & pl.col("allocation_id").is_not_null())
                    .alias("d"))["d"]
    for r, a, d in df.filter(dup).select("_row", "allocation_id", "start_date").iter_rows():
        result.rejects.append(Reject(r, "AssignmentId, TimeByDay", f"{a} / {d}",
                                     "duplicate: an earlier row has the same assignment and day", "allocations"))
    df = df.filter(~dup)
    df = df.with_columns(end_date=_period_ends(df["start_date"], df["allocation_id"].fill_null(""), result, t.sheet))
    df = df.join(lookup, on="_rid", how="left")
    name = pl.coalesce("_name_here", "_name")
    generic = pl.coalesce("_generic_here", "_generic").fill_null(False)
    unnamed = df.filter(pl.coalesce("_name_here", "_name").is_null() & pl.col("resource_id").is_not_null())
    if unnamed.height:
        result.notes.append(f"{t.sheet}: {unnamed['resource_id'].n_unique()} resource id(s) have no name in this "
                            "file (add the Resources or ResourceTimephasedDataSet sheet to name them)")
    return df.with_columns(
        person_name=pl.when(~generic).then(name),
        email=pl.when(~generic).then(pl.col("_email")),
        role=pl.when(generic).then(name),
        is_placeholder=generic,
    ).drop("_rid", "_name_here", "_generic_here", "_name", "_email", "_generic", "_pri")


def _capacity(t: RawTable, ctx: IngestContext, result: ImportResult, lookup: pl.DataFrame) -> pl.DataFrame:
    result.rows_read += t.data.height
    c = _Cells(t, ctx, result, "capacity")
    rid = c.text("ResourceId")
    df = pl.DataFrame({
        "_row": t.data["_row"],
        "kind": pl.Series(["capacity"] * t.data.height, dtype=pl.String),
        "resource_id": rid,
        "_rid": rid.str.to_lowercase(),
        "person_name": c.text("ResourceName"),
        "start_date": c.date("TimeByDay"),
        "hours": c.number("Capacity"),
        "base_hours": c.number("BaseCapacity"),
    }).join(lookup.select("_rid", "_email", "_generic"), on="_rid", how="left")
    generic = df["_generic"].fill_null(False)
    if generic.any():
        n = df.filter(generic)["resource_id"].n_unique()
        result.notes.append(f"{t.sheet}: capacity of {n} generic resource(s) skipped (a role has no capacity "
                            "of its own)")
    df = df.filter(~generic)
    zero = (df["hours"].fill_null(0) == 0) & df["start_date"].is_not_null()
    if zero.any():
        result.notes.append(f"{t.sheet}: {int(zero.sum()):,} day(s) of 0 capacity skipped")
    df = df.filter(~zero)
    df = df.with_columns(end_date=_period_ends(df["start_date"], df["resource_id"].fill_null(""), result, t.sheet))
    return df.rename({"_email": "email"}).drop("_rid", "_generic")


def is_resource_sheet(sheet_name: str) -> bool:
    return norm(sheet_name) in SHEETS


def is_plan_assignments(header: set[str]) -> bool:
    """A desktop plan's assignment table: a resource and a task per row, work, no outline."""
    return ("resource name" in header and "work" in header and ("task name" in header or "name" in header)
            and not header & {"outline level", "duration", "predecessors", "timebyday"})


def plan_assignments(tables: list[RawTable], ctx: IngestContext, result: ImportResult) -> None:
    """`Assignment_Table` rows -> allocations of the plan's project (see the module docstring)."""
    from pmo.importers._common import stable_stem

    projects = result.tables.get("projects")
    ids = sorted(set(projects["project_id"].drop_nulls().to_list())) if projects is not None else []
    project = ids[0] if len(ids) == 1 else stable_stem(ctx.file_name or tables[0].file_name, "plan")
    if len(ids) > 1:
        result.notes.append(f"assignments put on {project!r}: the workbook holds several plans")
    frames = []
    for t in tables:
        result.rows_read += t.data.height
        c = _Cells(t, ctx, result, "allocations")
        work = _work(c, t, "Work")
        generic = c.flag("Generic")
        name = c.text("Resource Name")
        start = c.date("Start Date") if t.col("Start Date") else c.date("Start")
        finish = c.date("Finish Date") if t.col("Finish Date") else c.date("Finish")
        units = pp.to_percent(t.values("Assignment Units", "Units")).values
        frames.append(pl.DataFrame({
            "_row": t.data["_row"],
            "project_id": pl.Series([project] * t.data.height, dtype=pl.String),
            "task_id": c.text("Task ID") if t.col("Task ID") else c.text("Unique ID"),
            "task_name": c.text("Task Name") if t.col("Task Name") else c.text("Name"),
            "person_name": pl.select(pl.when(~pl.lit(generic).fill_null(False)).then(pl.lit(name)).alias("x"))["x"],
            "role": pl.select(pl.when(pl.lit(generic).fill_null(False)).then(pl.lit(name)).alias("x"))["x"],
            "is_placeholder": generic.fill_null(False),
            "start_date": start,
            "end_date": finish,
            "hours": work,
            "allocation_pct": pl.select(pl.when(pl.lit(work).is_null()).then(pl.lit(units)).alias("x"))["x"],
            "actual_hours": _work(c, t, "Actual Work"),
            "remaining_hours": _work(c, t, "Remaining Work"),
            "baseline_hours": _work(c, t, "Baseline Work"),
        }))
    result.tables["allocations"] = pl.concat(frames, how="diagonal_relaxed")
    if not result.source:
        result.source = f"plan:{project}"


def _work(c: _Cells, t: RawTable, name: str) -> pl.Series:
    """`40 hrs`, `1,480 hrs`, `5d`, a bare number of hours -> hours."""
    col = t.col(name)
    if col is None:
        return pl.Series(name, [None] * t.data.height, dtype=pl.Float64)
    return c._use(pp.to_duration_hours(t.data[col], bare_unit="h"), col, "a number of hours")
