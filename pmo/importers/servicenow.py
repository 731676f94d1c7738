"""ServiceNow SPM list exports: projects (`pm_project`), status reports (`project_status`), risks (`risk`),
issues (`issue`).

Layout (shared reference export-formats.md §5.3): a list's context menu > Export > CSV / Excel.
CSV headers are *field names* (`short_description`, `percent_complete`), Excel headers are
*labels* (`Short description`, `% Complete`); both carry display values: reference fields show the
referenced record's name (a status report's `project` is the project's *name*), choices their
labels, currency `€1,250,000.00` or `EUR;1.234,56`, dates in the user's format. Rich-text fields
(executive summary, comments) carry HTML. Each sheet / file is recognised by its columns:
status-report columns (as_on / Status date, overall_health, executive_summary) -> project_status;
risk columns (probability, impact, risk_value) -> risk; otherwise pm_project.

pm_project -> `projects` (one row per project) and `status_snapshots` (its current figures):
    project_id       number (PRJ0010042)      project_name   short_description
    manager          project_manager          portfolio / program   primary_portfolio / primary_program
    department       department               stage          phase, else state
    priority         priority                 start_date / finish_date   start_date / end_date (planned)
    actual_finish_date  work_end (Actual end)
    percent_complete percent_complete / 100 (ServiceNow stores 0-100)
    budget_original + currency   cost (Estimated cost / Planned cost): the amount and the currency
                     of its symbol or code (else work_cost's, else `--currency`; stated nowhere =
                     the file is refused, never read as the reporting currency)
    reported_health  overall_health, when the list has it
    external_ids     [project name], when the name is unique in the file: status reports and risks
                     name their project, and the views translate such aliases to the number, so a
                     status-report file loaded on its own still lands on PRJ0010042
    status_snapshots percent_complete, reported_health, finish_date, budget (cost) and actual_cost
                     (work_cost), as of the ingest's as-of date; left out when the same file also has
                     status reports (they are the dated history)

project_status -> `status_snapshots` (one row per report):
    project_id       project: the display value is the project's name; mapped to its number when a
                     pm_project sheet of the same file has exactly one project of that name, else
                     kept as the name (noted; it resolves through the projects' external_ids)
    as_of            as_on (Status date)      percent_complete   percent_complete / 100
    reported_health  overall_health           schedule_health / cost_health / scope_health
                                              schedule / cost / scope (resources has no column)
    budget / actual_cost   Estimated cost / Actual cost, when the list has them
    finish_date      end_date (Planned end date), when present
    comment          executive_summary with HTML removed, else comments
Health values Green / Yellow / Red (display) and green / yellow / red (raw) -> green / amber / red;
No status -> empty.

risk -> `risks`:
    item_id          number                   project_id     task / project (name -> number as above)
    kind             'risk'                   title          short_description
    category         category                 owner          risk_owner / owner, else assigned_to
    status           state                    due_date       due_date
    created_date     opened_at, else sys_created_on          closed_date   closed_at
    probability      a 0-1 number or percentage as given; ServiceNow's choice labels as
                     Absolute 1.0, High 0.75, Moderate / Medium 0.5, Low 0.25
    impact           High 3, Medium / Moderate 2, Low 1 (labels like `1 - High` read by their word;
                     a bare choice value 1 / 2 / 3 is ServiceNow's 1 = High, so 1 -> 3, 3 -> 1)
    exposure         probability x impact when both are known (risk_value is a High / Medium / Low
                     label, not a number)
    description / mitigation / cost   description / mitigation_plan / cost (Estimated cost)
    updated_date     sys_updated_on       impact_scale   3 (the inverted 1-3 choice list)
    status_category  closed for Closed Complete / Incomplete / Skipped, else open

issue (the RIDAC project issue list; Parent = the project) -> `risks` kind 'issue': number,
parent (name -> number as above), short_description, description, state, priority, impact (as
risk), assigned_to (owner), cost, due_date, opened_at, closed_at, sys_updated_on. Risks and
issues are also written to `raid_snapshots` (the RAID history).

Duration fields (Excel writes them as integer seconds) have no column in these tables and are not
imported. Source: the kinds of list in the file joined by "+" (`servicenow:pm_project`,
`servicenow:project_status`, `servicenow:risk`). `as_of`: the latest Status date when the file
holds status reports, else None.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import polars as pl

from pmo import parse as pp
from pmo.importers import _raid
from pmo.importers._common import Cells, coalesce, project_currency, tables_of, without_blank_rows
from pmo.importers.base import Fingerprint, ImportResult, IngestContext, RawTable, norm

TOOL = "servicenow"
LABEL = "ServiceNow SPM list export"
VERSION = "1"
TABLES = ("projects", "status_snapshots", "risks", "raid_snapshots")

@dataclass(frozen=True)
class _Layout(Fingerprint):
    """A fingerprint that also needs one of `require` (the columns only this list has)."""

    require: tuple[str, ...] = ()

    def score(self, header: list[str]) -> float:
        present = self._present(header)
        if self.require and not any(norm(r) in present for r in self.require):
            return 0.0
        return super().score(header)


class _AnyLayout:
    """Matches when any of the lists does; scored by the best (the registry's interface:
    `.strong`, `.score(header)`, `.missing(header)`)."""

    def __init__(self, *layouts: _Layout):
        self.layouts = layouts
        self.strong = tuple(dict.fromkeys(s for f in layouts for s in f.strong))

    def score(self, header: list[str]) -> float:
        return max(f.score(header) for f in self.layouts)

    def missing(self, header: list[str]) -> list[str]:
        return min((f.missing(header) for f in self.layouts), key=len)


_NOT_OURS = ("Issue key", "Task ID", "Work Item Type", "Investment ID", "Item ID (auto generated)",
             "ProjectId", "Task Name")
# Field names (CSV) and labels (Excel) normalise alike where ServiceNow spells them alike
# (`short_description` = `Short description`); the other labels are aliases.
PM_PROJECT = _Layout(
    strong=("number", "short_description", "project_manager", "start_date", "end_date", "work_start",
            "work_end", "percent_complete", "cost", "work_cost"),
    need=4, forbid=_NOT_OURS, require=("project_manager", "work_cost", "percent_complete"),
    alias={"Planned start date": "start_date", "Planned end date": "end_date", "Actual start": "work_start",
           "Actual start date": "work_start", "Actual end": "work_end", "Actual end date": "work_end",
           "% Complete": "percent_complete", "Estimated cost": "cost", "Planned cost": "cost",
           "Actual cost": "work_cost"},
)
PROJECT_STATUS = _Layout(
    strong=("number", "project", "as_on", "state", "percent_complete", "overall_health", "schedule",
            "cost", "resources", "scope", "executive_summary"),
    need=4, forbid=_NOT_OURS, require=("as_on", "overall_health", "executive_summary"),
    alias={"Status date": "as_on", "% Complete": "percent_complete"},
)
RISK = _Layout(
    strong=("number", "short_description", "state", "probability", "impact", "risk_value", "task",
            "owner", "due_date", "opened_at", "closed_at"),
    need=4, forbid=_NOT_OURS, require=("probability", "impact", "risk_value"),
    alias={"Project": "task", "Risk owner": "owner", "Opened": "opened_at", "Closed": "closed_at"},
)
# The project issue list (RIDAC `issue`): Parent is the project; no probability (issue 17).
ISSUE = _Layout(
    strong=("number", "short_description", "state", "priority", "impact", "parent", "assigned_to", "due_date",
            "opened_at", "closed_at", "description"),
    need=4, forbid=_NOT_OURS + ("probability", "risk_value", "project_manager", "as_on", "percent_complete"),
    require=("parent",),
    alias={"Parent": "parent", "Opened": "opened_at", "Closed": "closed_at", "Estimated cost": "cost"},
)
FINGERPRINT = _AnyLayout(PM_PROJECT, PROJECT_STATUS, RISK, ISSUE)

_PROBABILITY = {"absolute": 1.0, "certain": 1.0, "very high": 0.9, "high": 0.75, "moderate": 0.5,
                "medium": 0.5, "low": 0.25, "very low": 0.1}
_IMPACT = {"critical": 4.0, "high": 3.0, "medium": 2.0, "moderate": 2.0, "low": 1.0}
_IMPACT_CHOICE = {"1": 3.0, "2": 2.0, "3": 1.0}


def kind_of(t: RawTable) -> str:
    """Which list a table is: the layout its header fits best (ties: pm_project)."""
    scores = {"pm_project": PM_PROJECT.score(t.header), "project_status": PROJECT_STATUS.score(t.header),
              "risk": RISK.score(t.header), "issue": ISSUE.score(t.header)}
    return max(scores, key=lambda k: scores[k])


def parse(tables: list[RawTable] | RawTable, ctx: IngestContext) -> ImportResult:
    tables = tables_of(tables)
    result = ImportResult(tables={}, source="")
    by_kind: dict[str, list[RawTable]] = {}
    for t in tables:
        t = without_blank_rows(t, result)
        by_kind.setdefault(kind_of(t), []).append(t)

    projects, snaps, risks = [], [], []
    names: dict[str, str] = {}
    for t in by_kind.get("pm_project", []):
        p, s = _projects(t, result, ctx)
        projects.append(p)
        snaps.append(s)
    if projects:
        pf = pl.concat(projects, how="diagonal_relaxed")
        counts = Counter(n for n in pf["project_name"].to_list() if n)
        names = {n: pid for n, pid in zip(pf["project_name"].to_list(), pf["project_id"].to_list(), strict=True)
                 if n and counts[n] == 1}
        pf = pf.with_columns(external_ids=pl.Series(
            [[n] if n in names else [] for n in pf["project_name"].to_list()], dtype=pl.List(pl.String)))
        result.tables["projects"] = pf
    status = [_status(t, result, ctx, names) for t in by_kind.get("project_status", [])]
    if status:
        sf = pl.concat(status, how="diagonal_relaxed")
        result.tables["status_snapshots"] = sf
        result.as_of = sf["as_of"].max()
        if snaps:
            result.notes.append("project figures of the pm_project list were not added as snapshots: "
                                "the status reports in the same file are the dated history")
    elif snaps:
        result.tables["status_snapshots"] = pl.concat(snaps, how="diagonal_relaxed")
    for t in by_kind.get("risk", []):
        risks.append(_risks(t, result, ctx, names))
    for t in by_kind.get("issue", []):
        risks.append(_raid_extra(_issues(t, result, ctx, names), t, result, ctx))
    if risks:
        result.tables["risks"] = pl.concat(risks, how="diagonal_relaxed")
        result.tables["raid_snapshots"] = _raid.snapshot(result.tables["risks"])
    result.source = "+".join(sorted(by_kind))
    return result


# ---------------------------------------------------------------------------------------------
# pm_project
# ---------------------------------------------------------------------------------------------


def _projects(t: RawTable, result: ImportResult, ctx: IngestContext) -> tuple[pl.DataFrame, pl.DataFrame]:
    df = t.data
    c = Cells(t, df, result, "projects", ctx)
    budget, currency = c.money("cost", "Estimated cost", "Planned cost", "Cost")
    percent = _percent_points(c, "percent_complete", "% Complete", "Percent complete")
    health = c.health("overall_health", "Overall health")
    finish = c.date("end_date", "Planned end date", "Planned end")
    name = c.text("short_description", "Short description", "Project name", "Name")
    projects = pl.DataFrame({
        "_row": df["_row"],
        "project_id": c.text("number", "Number"),
        "project_name": name,
        "portfolio": c.text("primary_portfolio", "Primary portfolio", "Portfolio"),
        "program": c.text("primary_program", "Primary program", "Program"),
        "department": c.text("department", "Department"),
        "manager": c.text("project_manager", "Project manager"),
        "sponsor": c.text("sponsor", "Sponsor", "Business sponsor"),
        "stage": coalesce(c.text("phase", "Phase"), c.text("state", "State")),
        "priority": c.text("priority", "Priority"),
        "start_date": c.date("start_date", "Planned start date", "Planned start"),
        "finish_date": finish,
        "actual_finish_date": c.date("work_end", "Actual end", "Actual end date"),
        "percent_complete": percent,
        "reported_health": health,
        "budget_original": budget,
        "currency": currency,
    })
    actual, actual_cur = c.money("work_cost", "Actual cost")
    currency, actual = project_currency(result, df["_row"], currency, actual, actual_cur,
                                        c.name("work_cost", "Actual cost"))
    projects = projects.with_columns(currency=currency)
    result.amount_columns.setdefault("projects", [c.name("cost", "Estimated cost", "Planned cost", "Cost") or "cost"])
    snaps = pl.DataFrame({
        "_row": df["_row"], "project_id": projects["project_id"], "percent_complete": percent,
        "reported_health": health, "finish_date": finish, "budget": budget, "actual_cost": actual,
    })
    return projects, snaps


# ---------------------------------------------------------------------------------------------
# project_status
# ---------------------------------------------------------------------------------------------


def _status(t: RawTable, result: ImportResult, ctx: IngestContext, names: dict[str, str]) -> pl.DataFrame:
    df = t.data
    c = Cells(t, df, result, "status_snapshots", ctx)
    comment = coalesce(pp.strip_html(c.text("executive_summary", "Executive summary")),
                       pp.strip_html(c.text("comments", "Comments")))
    return pl.DataFrame({
        "_row": df["_row"],
        "project_id": _project_ref(c.text("project", "Project"), names, result, "status report"),
        "as_of": c.date("as_on", "As on", "Status date"),
        "percent_complete": _percent_points(c, "percent_complete", "% Complete", "Percent complete"),
        "reported_health": c.health("overall_health", "Overall health"),
        "schedule_health": c.health("schedule", "Schedule"),
        "cost_health": c.health("cost", "Cost"),
        "scope_health": c.health("scope", "Scope"),
        "finish_date": c.date("end_date", "Planned end date"),
        "budget": c.money("Estimated cost")[0],
        "actual_cost": c.money("Actual cost")[0],
        "comment": comment,
    })


# ---------------------------------------------------------------------------------------------
# risk
# ---------------------------------------------------------------------------------------------


def _risks(t: RawTable, result: ImportResult, ctx: IngestContext, names: dict[str, str]) -> pl.DataFrame:
    df = t.data
    c = Cells(t, df, result, "risks", ctx)
    probability = _probability(c, result)
    impact = _impact(c, result)
    return pl.DataFrame({
        "_row": df["_row"],
        "item_id": c.text("number", "Number"),
        "project_id": _project_ref(c.text("task", "project", "Project", "Task"), names, result, "risk"),
        "kind": pl.Series(["risk"] * df.height, dtype=pl.String),
        "title": c.text("short_description", "Short description"),
        "category": c.text("category", "Category"),
        "owner": coalesce(c.text("risk_owner", "Risk owner", "owner", "Owner"),
                          c.text("assigned_to", "Assigned to")),
        "status": c.text("state", "State"),
        "probability": probability,
        "impact": impact,
        "exposure": probability * impact,
        "due_date": c.date("due_date", "Due date"),
        "created_date": coalesce(c.date("opened_at", "Opened"), c.date("sys_created_on", "Created")),
        "closed_date": c.date("closed_at", "Closed"),
    }).pipe(_raid_extra, t, result, ctx)


def _issues(t: RawTable, result: ImportResult, ctx: IngestContext, names: dict[str, str]) -> pl.DataFrame:
    """RIDAC `issue` rows: kind 'issue'; Parent (the project's name) is the project; impact as risks'."""
    df = t.data
    c = Cells(t, df, result, "risks", ctx)
    return pl.DataFrame({
        "_row": df["_row"],
        "item_id": c.text("number", "Number"),
        "project_id": _project_ref(c.text("parent", "Parent", "project", "Project"), names, result, "issue"),
        "kind": pl.Series(["issue"] * df.height, dtype=pl.String),
        "title": c.text("short_description", "Short description"),
        "owner": c.text("assigned_to", "Assigned to"),
        "status": c.text("state", "State"),
        "priority": c.text("priority", "Priority"),
        "impact": _impact(c, result),
        "due_date": c.date("due_date", "Due date"),
        "created_date": coalesce(c.date("opened_at", "Opened"), c.date("sys_created_on", "Created")),
        "closed_date": c.date("closed_at", "Closed"),
    })


def _raid_extra(df: pl.DataFrame, t: RawTable, result: ImportResult, ctx: IngestContext) -> pl.DataFrame:
    """The RAID register's columns of a risk or issue list (issue 17): description, mitigation plan,
    estimated cost, last update, impact_scale 3 (the 1 = High ... 3 = Low choice list, inverted) and
    status_category (Closed Complete / Incomplete / Skipped -> closed)."""
    c = Cells(t, t.data, result, "risks", ctx)   # the list's rows, as `df`
    cost, currency = c.money("cost", "Estimated cost")
    return df.with_columns(
        description=pp.strip_html(c.text("description", "Description")),
        mitigation=pp.strip_html(c.text("mitigation_plan", "Mitigation plan")),
        cost=cost, currency=currency,
        updated_date=c.date("sys_updated_on", "Updated"),
        impact_scale=pl.when(pl.col("impact").is_not_null()).then(3.0),
        status_category=_raid.status_category(df["status"], df["closed_date"]),
    )


def _probability(c: Cells, result: ImportResult) -> pl.Series:
    col = c.name("probability", "Probability")
    if col is None:
        return pl.Series("probability", [None] * c.df.height, dtype=pl.Float64)
    raw = c.df[col]
    word = raw.str.strip_chars().str.to_lowercase().str.replace(r"^[0-9]+\s*-\s*", "")
    labelled = word.replace_strict(_PROBABILITY, default=None, return_dtype=pl.Float64)
    if labelled.is_not_null().any():
        result.notes.append("risk probability labels read as Absolute 1.0, High 0.75, Moderate 0.5, "
                            "Low 0.25")
    numeric = pp.to_percent(raw.zip_with(labelled.is_null(), pl.Series([None] * len(raw), dtype=pl.String)))
    return c.use(pp.Parsed(coalesce(labelled, numeric.values), numeric.bad, numeric.note), col,
                 "a probability")


def _impact(c: Cells, result: ImportResult) -> pl.Series:
    col = c.name("impact", "Impact")
    if col is None:
        return pl.Series("impact", [None] * c.df.height, dtype=pl.Float64)
    raw = c.df[col].str.strip_chars()
    word = raw.str.to_lowercase().str.replace(r"^[0-9]+\s*-\s*", "")
    labelled = word.replace_strict(_IMPACT, default=None, return_dtype=pl.Float64)
    choice = raw.replace_strict(_IMPACT_CHOICE, default=None, return_dtype=pl.Float64)
    if choice.is_not_null().any():
        result.notes.append("risk impact choice values read as ServiceNow's 1 = High (3), 2 = Medium (2), "
                            "3 = Low (1)")
    values = coalesce(labelled, choice)
    bad = (raw.is_not_null() & values.is_null()).fill_null(False)
    return c.use(pp.Parsed(values, bad, ""), col, "an impact (High / Medium / Low)")


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _project_ref(ref: pl.Series, names: dict[str, str], result: ImportResult, what: str) -> pl.Series:
    """A project reference (the project's name in display exports) -> its number when known."""
    r = pl.col("r")
    f = pl.DataFrame({"r": ref.str.strip_chars()}).with_columns(
        m=r.replace_strict(names, default=None, return_dtype=pl.String) if names else pl.lit(None, pl.String),
        num=r.str.contains(r"^PRJ[0-9]+$").fill_null(False))
    kept = f.filter(r.is_not_null() & ~pl.col("num") & pl.col("m").is_null())["r"].unique(maintain_order=True)
    if kept.len():
        shown = ", ".join(repr(k) for k in kept.head(3).to_list())
        result.notes.append(f"{what}s name projects ({shown}) that no pm_project row in this file has; "
                            "the name is kept as project_id and resolves to the project number once "
                            "the project list is loaded")
    return f.select(pl.when(pl.col("num")).then(r).otherwise(pl.coalesce("m", "r")).alias("project_id"))[
        "project_id"]


def _percent_points(c: Cells, *names: str) -> pl.Series:
    """ServiceNow percentages are 0-100 numbers (`42.5`) or `42.5%`: always percent points."""
    col = c.name(*names)
    if col is None:
        return pl.Series(names[0], [None] * c.df.height, dtype=pl.Float64)
    text = c.df[col].str.replace(r"\s*%$", "")
    parsed = pp.to_number(text)
    return c.use(parsed._replace(values=parsed.values / 100), col, "a percentage")
