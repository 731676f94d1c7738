"""Project Server / Project Online `ProjectData` drops (export-formats.md §2.3): an Excel Power Query
export, one sheet (an Excel table) per OData entity set. Six monthly workbooks carry `Projects`; the
latest also carries `Tasks`, `TaskBaselines`, `Risks` and `Issues`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from .helpers import OUT, at, elapsed, money, new_guid, new_workbook, weekday_on_or_after, weekday_on_or_before, workdays
from .story import LATEST, STAFF, STATUS_DATES, Project, level_at

PS_OWNER_FOR = {"PRJ-1005", "PRJ-1009", "PRJ-1017", "PRJ-1020", "PRJ-1025", "PRJ-1033", "PRJ-1035",
                "PRJ-1039"}  # projects published by the PMO scheduler rather than their PM
PS_SCHEDULER = "Dana Whitfield"

PROJECTS_HEADER = [
    "ProjectId", "ProjectName", "ProjectOwnerName", "ProjectManagerName", "ProjectStartDate",
    "ProjectFinishDate", "ProjectBaselineStartDate", "ProjectBaselineFinishDate", "ProjectActualFinishDate",
    "ProjectStatusDate", "ProjectPercentCompleted", "ProjectCost", "ProjectActualCost",
    "ProjectBaselineCost", "ProjectBudgetCost", "ProjectCurrency", "ProjectDepartments",
    "EnterpriseProjectTypeName",
    # enterprise custom fields: display names without spaces
    "ProjectCode", "Portfolio", "Program", "Sponsor", "Stage", "Priority", "JiraProjectKey",
    "OverallHealth", "ScheduleHealth", "CostHealth", "ScopeHealth", "StatusComment",
]
TASKS_HEADER = [
    "ProjectId", "ProjectName", "TaskId", "ParentTaskId", "TaskName", "TaskOutlineLevel", "TaskWBS",
    "TaskStartDate", "TaskFinishDate", "TaskDuration", "TaskWork", "TaskActualWork", "TaskRemainingWork",
    "TaskPercentCompleted", "TaskCost", "TaskActualCost", "TaskIsMilestone", "TaskIsSummary",
    "TaskDeadline", "TaskModifiedDate",
]
TASK_BASELINES_HEADER = ["ProjectId", "TaskId", "BaselineNumber", "TaskBaselineStartDate",
                         "TaskBaselineFinishDate", "TaskBaselineCost", "TaskBaselineWork",
                         "TaskBaselineDuration"]
RISKS_HEADER = ["ProjectId", "ProjectName", "RiskId", "Title", "Status", "Category", "Owner",
                "AssignedToResource", "Probability", "Impact", "Exposure", "Cost", "CostExposure", "DueDate",
                "MitigationPlan", "CreatedDate", "ModifiedDate"]
ISSUES_HEADER = ["ProjectId", "ProjectName", "IssueId", "Title", "Status", "Category", "Owner",
                 "AssignedToResource", "Priority", "DueDate", "CreatedDate", "ModifiedDate", "Resolution"]

# Phase templates: (phase, share of the schedule, work tasks, milestone at the phase end or None)
PHASES = {
    "it": [
        ("Initiation", 0.08, ["Project charter", "Stakeholder analysis"], "Business case approved"),
        ("Design", 0.17, ["Solution architecture", "Detailed design", "Security review"], "Design sign-off"),
        ("Build", 0.35, ["Build iteration 1", "Build iteration 2", "Integration build",
                         "Data migration scripts"], None),
        ("Test", 0.20, ["System integration testing", "User acceptance testing", "Performance testing"],
         "UAT complete"),
        ("Deployment", 0.12, ["Cutover rehearsal", "Production cutover", "Hypercare"], "Go-live"),
        ("Closure", 0.08, ["Lessons learned", "Handover to operations"], "Project closure"),
    ],
    "erp": [
        ("Prepare", 0.08, ["Project charter", "Fit-gap workshops"], "Business case approved"),
        ("Explore", 0.17, ["Process design", "Data migration strategy", "Integration design"], "Design sign-off"),
        ("Realize", 0.35, ["Configuration", "Interface build", "Mock load 1", "Mock load 2"], None),
        ("Deploy", 0.28, ["Integration testing", "User acceptance testing", "Mock load 3", "Cutover"], "Go-live"),
        ("Run", 0.12, ["Hypercare", "Handover to support"], "Project closure"),
    ],
    "hr": [
        ("Initiation", 0.10, ["Project charter", "Vendor onboarding"], "Business case approved"),
        ("Design", 0.20, ["Process design", "Data mapping", "Country requirements"], "Design sign-off"),
        ("Configure", 0.30, ["Configuration", "Integrations", "Data conversion"], None),
        ("Test", 0.25, ["Parallel run 1", "Parallel run 2", "User acceptance testing"], "UAT complete"),
        ("Deploy", 0.15, ["Training", "Go-live support"], "Go-live"),
    ],
    "workplace": [
        ("Initiation", 0.08, ["Requirements brief", "Budget approval"], "Budget approved"),
        ("Planning", 0.15, ["Space planning", "Tender documents"], "Supplier selected"),
        ("Procurement", 0.12, ["Tender evaluation", "Contract award"], None),
        ("Implementation", 0.45, ["Site works phase 1", "Site works phase 2", "IT & AV installation"],
         "Practical completion"),
        ("Handover", 0.20, ["Snagging", "Occupancy move"], "Move complete"),
    ],
}
TEMPLATE_FOR_PROFILE = {"digital": "it", "infra": "it", "erp": "erp", "hr": "hr", "workplace": "workplace"}

RISK_TEMPLATES = [
    ("Vendor", "Key vendor resources may roll off before go-live",
     "Named-resource clause agreed; weekly vendor capacity review."),
    ("Schedule", "Upstream dependency may not deliver on time",
     "Dependency tracked in the programme plan; fortnightly check-in with the delivering team."),
    ("Technical", "Legacy interfaces may not meet performance targets",
     "Early performance test on the three busiest interfaces."),
    ("Resource", "Business SMEs unavailable during UAT",
     "UAT calendar agreed with line managers; backfill budget requested."),
    ("Cost", "FX movement on the EUR-denominated contract",
     "Hedge requested through Treasury for the remaining milestones."),
    ("Regulatory", "Regulatory approval could arrive later than planned",
     "Pre-submission meeting held; contingency of 3 weeks in plan."),
    ("Security", "Penetration test findings may delay go-live",
     "Pen test moved earlier; remediation sprint reserved."),
    ("Scope", "Late requirement changes from the business",
     "Change control board weekly; freeze date communicated."),
    ("Organisational", "Adoption may be low without change management",
     "Change champions named in every department; training plan approved."),
]
RED_RISKS = {
    "PRJ-1004": ("Regulatory", "PCI DSS 4.0 certification may not be achieved before the card-vault cut-over",
                 "Extra remediation squad; QSA pre-assessment booked for February."),
    "PRJ-1012": ("Vendor", "Storage array supplier cannot hold the revised price beyond Q1",
                 "Escalated to CIO; alternative supplier quote requested."),
    "PRJ-1023": ("Technical", "Data quality in legacy vendor master blocks mock load 4",
                 "Business data owners cleansing top 5,000 records; daily defect triage."),
    "PRJ-1034": ("Vendor", "Payroll vendor may not onboard Ireland and Poland before year end",
                 "Contract escalation; fallback to in-country bureau for Q1."),
}
ISSUE_TEMPLATES = [
    ("Environment", "Test environment outage blocks SIT", "Environment rebuilt; SIT resumed."),
    ("Data", "Test data not anonymised for UAT", "Masking job added to the refresh pipeline."),
    ("Licensing", "Licence count short for the pilot group", "Additional licences ordered."),
    ("Resource", "Key SME on extended leave", "Backfill from the shared services team."),
    ("Vendor", "Vendor invoice disputed for milestone 2", "Credit note agreed with the vendor."),
    ("Technical", "Interface error rate above threshold in test", "Retry logic and alerting added."),
    ("Scope", "Business requested additional reports before go-live", "Deferred to release 2 by the board."),
]


def write_sheet(wb, name: str, header: list[str], rows: list[list], fmt: dict, widths: dict | None = None):
    """One Power Query table per sheet: typed cells, blanks for NULLs."""
    ws = wb.add_worksheet(name)
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row):
            if v is None:
                continue
            if isinstance(v, bool):
                ws.write_boolean(r, c, v)
            elif isinstance(v, datetime):
                ws.write_datetime(r, c, v, fmt["datetime"])
            elif isinstance(v, date):
                ws.write_datetime(r, c, datetime.combine(v, time()), fmt["datetime"])
            elif isinstance(v, float):
                ws.write_number(r, c, v, fmt["number"])
            elif isinstance(v, int):
                ws.write_number(r, c, v)
            else:
                ws.write_string(r, c, v)
    ws.add_table(0, 0, max(len(rows), 1), len(header) - 1, {
        "name": name, "style": "Table Style Medium 2",
        "columns": [{"header": h} for h in header],
    })
    for c, h in enumerate(header):
        ws.set_column(c, c, (widths or {}).get(h, max(12, min(len(h) + 2, 28))))
    ws.freeze_panes(1, 0)


def project_rows(projects: list[Project], i: int) -> list[list]:
    rows = []
    for p in sorted(projects, key=lambda x: x.name):
        s = p.drops[i]
        if s is None:
            continue
        base = p.has_baseline
        rows.append([
            p.guid, p.name, PS_SCHEDULER if p.code in PS_OWNER_FOR else p.pm, p.pm,
            at(p.start, 8), at(s["finish"], 17),
            at(p.start, 8) if base else None, at(p.baseline_finish, 17) if base else None,
            at(s["actual_finish"], 17) if s["actual_finish"] else None,
            at(s["status_date"], 17), s["pct"], s["eac"], s["actual"],
            p.budget if base else None, s["budget"], p.currency, p.department, p.ept,
            p.code, p.portfolio, p.program, p.sponsor, s["stage"], p.priority, p.jira,
            s["overall"], s["schedule"], s["cost"], s["scope"], s["comment"],
        ])
    return rows


@dataclass
class Task:
    guid: str
    parent: str | None
    name: str
    level: int
    wbs: str
    f0: float                   # schedule position as a share of the project span
    f1: float
    milestone: bool = False
    summary: bool = False
    units: float = 1.0
    children: list = field(default_factory=list)
    start: date | None = None
    finish: date | None = None
    b_start: date | None = None
    b_finish: date | None = None
    pct: int = 0
    work: float = 0.0
    cost: float = 0.0
    b_cost: float = 0.0
    b_work: float = 0.0
    modified: datetime | None = None


def plan_tasks(p: Project, rng: random.Random) -> list[Task]:
    """A phase/task/milestone outline for one project, 8-20 rows, 2-4 milestones."""
    phases = PHASES[TEMPLATE_FOR_PROFILE[p.profile]]
    milestone_phases = [k for k, ph in enumerate(phases) if ph[3]]
    go_live = next(k for k in milestone_phases if phases[k][3] in ("Go-live", "Move complete"))
    others = [k for k in milestone_phases if k != go_live]
    keep_ms = {go_live, *rng.sample(others, k=min(len(others), rng.randint(1, 3)))}
    if p.missed_milestone:
        keep_ms = set(milestone_phases[-4:])
    tasks, pos = [], 0.0
    for k, (phase, share, work_items, milestone) in enumerate(phases):
        n = rng.randint(max(1, len(work_items) - 2), len(work_items))
        items = work_items[:n]
        summary = Task(new_guid(rng), None, phase, 1, str(k + 1), pos, pos + share, summary=True)
        tasks.append(summary)
        for j, item in enumerate(items):
            a = pos + share * j / n - (0.01 if j else 0)
            b = pos + share * (j + 1) / n - (0.01 if milestone is None and j == n - 1 else 0)
            t = Task(new_guid(rng), summary.guid, item, 2, f"{k + 1}.{j + 1}", max(a, pos), b,
                     units=rng.choice([1.0, 1.0, 1.5, 2.0, 3.0]))
            summary.children.append(t)
            tasks.append(t)
        if milestone and k in keep_ms:
            m = Task(new_guid(rng), summary.guid, milestone, 2, f"{k + 1}.{n + 1}", pos + share, pos + share,
                     milestone=True)
            summary.children.append(m)
            tasks.append(m)
        pos += share
    # trim to at most 20 rows by dropping work tasks from the longest phases
    while len(tasks) > 20:
        victim = max((t for t in tasks if t.summary), key=lambda s: len(s.children))
        drop = next(c for c in reversed(victim.children) if not c.milestone)
        victim.children.remove(drop)
        tasks.remove(drop)
    for s in (t for t in tasks if t.summary):
        for j, child in enumerate(s.children, start=1):
            child.wbs = f"{s.wbs}.{j}"
    return tasks


def schedule_tasks(p: Project, tasks: list[Task], rng: random.Random) -> None:
    """Dates from shares of the span, progress at the latest status date, work and cost."""
    finish = p.finish
    for t in tasks:
        if t.summary:
            continue
        t.start = weekday_on_or_after(p.start + timedelta(days=round(t.f0 * (finish - p.start).days)))
        t.finish = weekday_on_or_before(p.start + timedelta(days=round(t.f1 * (finish - p.start).days)))
        t.b_start = weekday_on_or_after(p.start + timedelta(days=round(t.f0 * (p.baseline_finish - p.start).days)))
        t.b_finish = weekday_on_or_before(p.start + timedelta(days=round(t.f1 * (p.baseline_finish - p.start).days)))
        if t.milestone:
            t.start = t.finish
            t.b_start = t.b_finish
        t.finish = max(t.finish, t.start)
        t.b_finish = max(t.b_finish, t.b_start)
        done = p.closed is not None and p.closed <= LATEST
        if done or t.finish < LATEST:
            t.pct = 100
        elif t.start >= LATEST or t.milestone:
            t.pct = 0
        else:
            perf = {"G": 1.0, "Y": 0.9, "R": 0.75}[level_at(p, 5)]
            t.pct = min(95, max(5, round(100 * elapsed(t.start, t.finish, LATEST) * perf)))
        behind = {"R": 1.0, "Y": 0.3}.get(level_at(p, 5), 0.0)
        if (not done and not t.milestone and t.pct == 100 and t.finish > LATEST - timedelta(days=45)
                and rng.random() < behind):
            t.pct = rng.randint(70, 95)     # past its finish date and still open: a late task
        t.work = round(workdays(t.start, t.finish) * 8 * t.units, 1) if not t.milestone else 0.0
        t.b_work = round(workdays(t.b_start, t.b_finish) * 8 * t.units, 1) if not t.milestone else 0.0
    if p.missed_milestone:  # the next milestone's date has passed and nobody moved it: missed
        upcoming = [t for t in tasks if t.milestone and t.pct < 100]
        if upcoming:
            m = min(upcoming, key=lambda t: t.finish)
            m.start = m.finish = weekday_on_or_before(LATEST - timedelta(days=rng.randint(6, 20)))
            m.b_start = m.b_finish = weekday_on_or_before(m.finish - timedelta(days=rng.randint(0, 10)))
    soon = [t for t in tasks if t.milestone and LATEST < t.finish <= LATEST + timedelta(days=30)]
    later = [t for t in tasks if t.milestone and t.name != "Project closure"
             and LATEST + timedelta(days=30) < t.finish <= LATEST + timedelta(days=80)]
    if not soon and later and level_at(p, 5) == "G" and rng.random() < 0.7:
        m = later[0]                    # a checkpoint planned ahead of its phase end
        m.start = m.finish = weekday_on_or_before(LATEST + timedelta(days=rng.randint(5, 29)))
    leaves = [t for t in tasks if not t.summary and not t.milestone]
    total_work = sum(t.work for t in leaves) or 1.0
    total_b_work = sum(t.b_work for t in leaves) or 1.0
    for t in leaves:
        t.cost = money(p.eac * t.work / total_work)
        t.b_cost = money(p.budget * t.b_work / total_b_work)
    for s in (t for t in tasks if t.summary):
        kids = s.children
        s.start, s.finish = min(k.start for k in kids), max(k.finish for k in kids)
        s.b_start, s.b_finish = min(k.b_start for k in kids), max(k.b_finish for k in kids)
        s.work = round(sum(k.work for k in kids), 1)
        s.b_work = round(sum(k.b_work for k in kids), 1)
        s.cost = money(sum(k.cost for k in kids))
        s.b_cost = money(sum(k.b_cost for k in kids))
        if s.work:
            s.pct = round(sum(k.pct * k.work for k in kids) / s.work)
        else:
            s.pct = 100 if all(k.pct == 100 for k in kids) else 0
    for t in tasks:
        last_touch = min(LATEST, max(t.start, min(t.finish, LATEST)))
        back = rng.randint(0, 12)
        t.modified = at(max(p.start, last_touch - timedelta(days=back)), rng.randint(8, 18),
                        rng.choice([0, 15, 30, 45]))


def task_rows(p: Project, tasks: list[Task]) -> tuple[list[list], list[list]]:
    rows, base_rows = [], []
    for t in tasks:
        hours = 0.0 if t.milestone else float(workdays(t.start, t.finish) * 8)
        actual_work = round(t.work * t.pct / 100, 1)
        rows.append([
            p.guid, p.name, t.guid, t.parent, t.name, t.level, t.wbs, at(t.start, 8), at(t.finish, 17),
            hours, t.work, actual_work, round(t.work - actual_work, 1), t.pct, t.cost,
            money(t.cost * t.pct / 100), t.milestone, t.summary,
            at(t.b_finish, 17) if t.milestone and p.has_baseline else None, t.modified,
        ])
        if p.has_baseline:
            b_hours = 0.0 if t.milestone else float(workdays(t.b_start, t.b_finish) * 8)
            base_rows.append([p.guid, t.guid, 0, at(t.b_start, 8), at(t.b_finish, 17), t.b_cost, t.b_work,
                              b_hours])
    return rows, base_rows


def risk_and_issue_rows(p: Project, rng: random.Random) -> tuple[list[list], list[list]]:
    team = [n for n, *_ in STAFF if n != p.pm]
    risks, issues = [], []
    n_risks = rng.randint(1, 4) + (1 if level_at(p, 5) == "R" else 0)
    picks = rng.sample(RISK_TEMPLATES, n_risks)
    if p.code in RED_RISKS:
        picks = [RED_RISKS[p.code]] + picks[:3]
    for k, (cat, title, plan) in enumerate(picks, start=1):
        created = p.start + timedelta(days=rng.randint(5, max(6, (min(LATEST, p.finish) - p.start).days // 2)))
        created = min(created, LATEST - timedelta(days=3))
        closed = (p.closed is not None and p.closed <= LATEST) or (rng.random() < 0.25 and k > 1)
        prob = rng.choice([10, 20, 30, 40, 50, 60, 70, 80]) if not (k == 1 and p.code in RED_RISKS) else 80
        impact = rng.randint(2, 9) if not (k == 1 and p.code in RED_RISKS) else 9
        cost = money(p.budget * rng.uniform(0.01, 0.08))
        modified = min(LATEST, created + timedelta(days=rng.randint(3, 120)))
        due = created + timedelta(days=rng.randint(30, 150))
        if not closed:
            modified = LATEST - timedelta(days=rng.randint(0, 25))
            due = LATEST + timedelta(days=rng.randint(-14, 90))   # a few are overdue
        risks.append([p.guid, p.name, k, title, "Closed" if closed else "Active", cat, p.pm, rng.choice(team),
                      prob, impact, round(prob / 100 * impact, 2), cost, money(prob / 100 * cost),
                      at(due, 17), plan, at(created, rng.randint(9, 17)), at(modified, rng.randint(9, 17))])
    n_issues = rng.randint(0, 2) + (2 if level_at(p, 5) == "R" else 1 if level_at(p, 5) == "Y" else 0)
    if p.start > LATEST:
        n_issues = 0
    for k, (cat, title, resolution) in enumerate(rng.sample(ISSUE_TEMPLATES, n_issues), start=1):
        created = p.start + timedelta(days=rng.randint(5, max(6, (min(LATEST, p.finish) - p.start).days)))
        created = min(created, LATEST - timedelta(days=2))
        status = rng.choice(["Active", "Active", "Resolved", "Closed"])
        if p.closed and p.closed <= LATEST:
            status = "Closed"
        prio = rng.choice(["(1) High", "(2) Medium", "(2) Medium", "(3) Low"])
        if level_at(p, 5) == "R" and k == 1:
            prio, status = "(1) High", "Active"
        if status == "Active":
            created = max(p.start, LATEST - timedelta(days=rng.randint(3, 60)))
        modified = min(LATEST, created + timedelta(days=rng.randint(1, 40)))
        issues.append([p.guid, p.name, k, title, status, cat, p.pm, rng.choice(team), prio,
                       at(created + timedelta(days=rng.randint(7, 30)), 17), at(created, rng.randint(9, 17)),
                       at(modified, rng.randint(9, 17)), resolution if status != "Active" else None])
    return risks, issues


def write_project_server(projects: list[Project], rng: random.Random) -> dict:
    counts = {}
    widths = {"ProjectName": 34, "StatusComment": 60, "TaskName": 30, "Title": 48, "MitigationPlan": 50,
              "ProjectId": 38, "TaskId": 38, "ParentTaskId": 38, "Resolution": 40}
    # tasks, risks and issues belong to the latest drop only
    task_sheet, baseline_sheet, risk_sheet, issue_sheet = [], [], [], []
    for p in sorted(projects, key=lambda x: x.name):
        if p.drops[5] is None:
            continue
        if not p.jira:
            tasks = plan_tasks(p, rng)
            schedule_tasks(p, tasks, rng)
            rows, base = task_rows(p, tasks)
            task_sheet += rows
            baseline_sheet += base
        r, i = risk_and_issue_rows(p, rng)
        risk_sheet += r
        issue_sheet += i
    for i, day in enumerate(STATUS_DATES):
        path = OUT / "project_server" / f"ProjectData_{day.isoformat()}.xlsx"
        wb = new_workbook(path)
        fmt = {"datetime": wb.add_format({"num_format": "m/d/yyyy h:mm"}),
               "number": wb.add_format({"num_format": "#,##0.00"})}
        rows = project_rows(projects, i)
        write_sheet(wb, "Projects", PROJECTS_HEADER, rows, fmt, widths)
        counts[path.name] = {"Projects": len(rows)}
        if day == LATEST:
            write_sheet(wb, "Tasks", TASKS_HEADER, task_sheet, fmt, widths)
            write_sheet(wb, "TaskBaselines", TASK_BASELINES_HEADER, baseline_sheet, fmt, widths)
            write_sheet(wb, "Risks", RISKS_HEADER, risk_sheet, fmt, widths)
            write_sheet(wb, "Issues", ISSUES_HEADER, issue_sheet, fmt, widths)
            counts[path.name].update(Tasks=len(task_sheet), TaskBaselines=len(baseline_sheet),
                                     Risks=len(risk_sheet), Issues=len(issue_sheet))
        wb.close()
    return counts
