"""Jira issue CSVs (export-formats.md §1): Cloud "Export Excel CSV (all fields)" for 7 agile projects
and a Server / Data Center all-fields export for the one split off (DATA).
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from .helpers import OUT, at, csv_writer, new_guid, weekday_on_or_before
from .story import LATEST, Project, level_at

# Jira: project key -> (Jira project name, team-managed?, epics, work items)
JIRA = {
    "PAY": ("Payments Platform", False,
            ["Card vault hardening", "HSM migration", "Real-time payments rail", "Fraud scoring v2",
             "PCI DSS 4.0 remediation"],
            ["tokenisation service", "key rotation job", "settlement file parser", "3DS challenge flow",
             "refund API", "FX fee calculation", "chargeback webhook", "audit log export", "HSM client pool"]),
    "MOB": ("Mobile App", True,
            ["Onboarding redesign", "Biometric login", "Offline mode", "Push notification service",
             "Accessibility (WCAG 2.2)"],
            ["sign-up screen", "Face ID prompt", "sync queue", "notification preferences",
             "dark mode palette", "deep links", "crash reporting", "screen-reader labels"]),
    "WEB": ("Web Platform", False,
            ["Headless CMS migration", "Design system 2.0", "Brand sites onboarding", "Search & SEO"],
            ["content model", "page templates", "image CDN", "sitemap generator", "cookie banner",
             "component library", "redirect map", "search index"]),
    "CRM": ("Customer 360", False,
            ["Customer golden record", "Sales pipeline migration", "Service console",
             "Marketing consent sync"],
            ["match-merge rules", "account hierarchy", "opportunity import", "case routing",
             "consent API", "duplicate report", "lead scoring", "email-to-case"]),
    "DATA": ("Enterprise Data Platform", False,
             ["Ingestion framework", "Finance data domain", "CRM data domain", "Data catalogue",
              "Warehouse decommission"],
             ["CDC connector", "GL extract", "dbt models", "lineage export", "row-level security",
              "partitioning", "SLA monitor", "customer dimension", "schema registry"]),
    "OBS": ("Observability", False,
            ["Metrics pipeline", "Distributed tracing", "Alert routing", "SLO dashboards"],
            ["OpenTelemetry collector", "trace sampling", "PagerDuty routing", "error budget panel",
             "log retention", "Prometheus federation", "synthetic checks"]),
    "FCL": ("Fast Close", False,
            ["Intercompany matching", "Accrual automation", "Close calendar", "Reconciliation bots"],
            ["IC matching rules", "accrual template", "close task list", "bank rec bot",
             "variance commentary", "FX revaluation check", "journal upload"]),
    "HRX": ("Employee Experience", True,
            ["Employee portal MVP", "Mobile app", "Knowledge base", "Case management integration"],
            ["home page widgets", "SSO login", "article search", "case form", "leave balance tile",
             "push notifications", "feedback survey"]),
}
JIRA_SERVER_PROJECT = "DATA"  # split off into a Server/Data Center export
ENGINEERS = [
    "Lena Vogel", "Arjun Mehta", "Sofia Rossi", "Noah Williams", "Mei Tanaka", "Omar Haddad",
    "Ingrid Larsen", "Diego Fernández", "Fatima Zahra", "Peter Novak", "Yuki Sato", "Grace O'Neill",
    "Mateo Silva", "Hana Kovač", "Liam Murphy", "Zoe Fischer", "Ravi Kumar", "Emma Johansson",
    "Tomás Ortega", "Chen Wei", "Aylin Demir", "Jonas Berg", "Priyanka Rao", "Marco Bianchi",
    "Sipho Dlamini", "Julia Nowak", "Ethan Cole", "Ana Lima", "Kenji Mori", "Leila Karimi",
]

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def jira_dt(t: datetime) -> str:
    """Jira's `dd/MMM/yy h:mm a`: zero-padded day, non-padded 12-hour clock, English month."""
    hour = t.hour % 12 or 12
    return f"{t.day:02d}/{MONTHS[t.month - 1]}/{t.year % 100:02d} {hour}:{t.minute:02d} {'AM' if t.hour < 12 else 'PM'}"


def jira_date_only(day: date) -> str:
    return f"{day.day:02d}/{MONTHS[day.month - 1]}/{day.year % 100:02d}"



JIRA_CLOUD_HEADER = [
    "Summary", "Issue key", "Issue id", "Issue Type", "Status", "Project key", "Project name", "Project type",
    "Project lead", "Priority", "Resolution", "Assignee", "Assignee Id", "Reporter", "Creator", "Created",
    "Updated", "Resolved", "Fix versions", "Due date", "Labels", "Labels", "Labels", "Description",
    "Watchers", "Watchers", "Log Work", "Log Work", "Original estimate", "Remaining Estimate", "Time Spent",
    "Σ Original Estimate", "Σ Remaining Estimate", "Σ Time Spent", "Custom field (Rank)", "Sprint", "Sprint",
    "Custom field (Start date)", "Custom field (Story Points)", "Custom field (Story point estimate)",
    "Custom field (Target end)", "Parent", "Parent key", "Parent summary", "Status Category",
    "Status Category Changed",
]
JIRA_SERVER_HEADER = [
    "Summary", "Issue key", "Issue id", "Issue Type", "Status", "Project key", "Project name", "Priority",
    "Resolution", "Assignee", "Reporter", "Created", "Updated", "Resolved", "Components", "Components",
    "Due date", "Labels", "Watchers", "Watchers", "Original Estimate", "Remaining Estimate", "Time Spent",
    "Sprint", "Custom field (Epic Link)", "Custom field (Story Points)",
]
LABELS = ["security", "pci", "tech-debt", "ux", "api", "performance", "compliance", "mobile", "data",
          "release-blocker", "a11y", "infra"]
SERVER_COMPONENTS = ["Ingestion", "Warehouse", "Reporting", "Governance", "ETL"]
STORY_VERBS = ["Implement", "Add", "Build", "Migrate", "Refactor", "Automate", "Expose", "Redesign"]
TASK_VERBS = ["Configure", "Document", "Spike:", "Set up monitoring for", "Load-test", "Upgrade"]
BUG_CONDITIONS = ["the amount has three decimals", "the user locale is de-DE", "the session expires mid-flow",
                  "the upload has a BOM", "the timezone is UTC+13", "two requests arrive within 1 ms",
                  "the name contains an apostrophe"]
WORKLOG_COMMENTS = ["", "", "Implementation", "Code review fixes", "Pairing with QA", "Investigation",
                    "Deployment to staging"]
PRIORITIES = ["Highest", "High", "High", "Medium", "Medium", "Medium", "Medium", "Low", "Low", "Lowest"]


@dataclass
class Issue:
    project: Project
    itype: str
    summary: str
    category: str                   # To Do | In Progress | Done
    created: datetime
    parent: Issue | None = None
    status: str = ""
    resolved: datetime | None = None
    updated: datetime | None = None
    status_changed: datetime | None = None
    priority: str = "Medium"
    resolution: str = ""
    assignee: str | None = None
    reporter: str = ""
    due: date | None = None
    labels: list = field(default_factory=list)
    description: str = ""
    watchers: list = field(default_factory=list)
    worklogs: list = field(default_factory=list)   # (comment, when, person, seconds)
    orig: int | None = None
    remaining: int | None = None
    spent: int | None = None
    sprints: list = field(default_factory=list)
    start_date: date | None = None
    target_end: date | None = None
    points: int | None = None
    fix_version: str = ""
    components: list = field(default_factory=list)
    children: list = field(default_factory=list)
    rank: str = ""
    key: str = ""
    id: int = 0


def base36(n: int, width: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = digits[r] + out
    return out.rjust(width, "0")


def work_time(day: date, rng: random.Random) -> datetime:
    return at(day, rng.randint(8, 18), rng.randint(0, 59))


def description_for(kind: str, thing: str, key: str, rng: random.Random) -> str:
    style = rng.random()
    if kind == "Epic":
        return (f"h2. Goal\nDeliver the {thing} capability end to end, including monitoring and runbooks.\n\n"
                f"h3. Scope\n* In: design, build, test, rollout\n* Out: decommissioning of the old "
                f"{thing}, tracked separately")
    if style < 0.25:
        return ""
    if kind == "Bug":
        return (f"*Steps to reproduce*\n# Open the {thing}\n# Enter the amount 1,234.56\n# Submit\n\n"
                f"*Expected:* confirmation page\n*Actual:* error \"Invalid amount\"\n{{code}}\n"
                f"ERROR 2026-10-02T10:14:03Z {thing.replace(' ', '_')} - timeout after 30000 ms\n{{code}}")
    if style < 0.6:
        return (f"As a customer, I want the {thing} to be faster, clearer and accessible, "
                f"so that I can finish without help.")
    return (f"h3. Context\nThe {thing} is needed before the next release.\n\n"
            f"h3. Acceptance criteria\n* Given a valid request, when it is submitted, then it is stored "
            f"and audited\n* Errors are logged with a correlation id, and alerts fire after 3 failures\n\n"
            f"See {key}-12 for background.")


def jira_project_issues(p: Project, rng: random.Random, server: bool) -> list[Issue]:
    name, team_managed, epics, things = JIRA[p.jira]
    team = rng.sample(ENGINEERS, 6)
    anchor = p.start - timedelta(days=p.start.weekday())
    current = (LATEST - anchor).days // 14 + 1

    def sprint_of(day: date) -> int:
        return max(1, (day - anchor).days // 14 + 1)

    def sprint_name(n: int) -> str:
        return f"{p.jira} Sprint {n}"

    span, b_span = (p.finish - p.start).days, (p.baseline_finish - p.start).days
    level = level_at(p, 5)
    issues = []
    for k, epic_name in enumerate(epics):
        n = len(epics)
        ws = p.start + timedelta(days=round(span * max(k / n - 0.08, 0)))
        we = p.start + timedelta(days=round(span * (k + 1) / n))
        b_we = p.start + timedelta(days=round(b_span * (k + 1) / n))
        created = work_time(max(p.start - timedelta(days=10), ws - timedelta(days=30)), rng)
        epic = Issue(p, "Epic", epic_name, "To Do", created, priority=rng.choice(["High", "High", "Medium"]),
                     reporter=p.pm, assignee=p.pm if rng.random() < 0.6 else None,
                     start_date=ws, target_end=weekday_on_or_before(we), due=weekday_on_or_before(b_we),
                     labels=rng.sample(LABELS, rng.randint(0, 1)))
        epic.description = description_for("Epic", epic_name.lower(), p.jira, rng)
        issues.append(epic)
        # long-finished epics keep few issues in view; current and future ones carry the backlog
        n_children = rng.randint(3, 5) if we < LATEST - timedelta(days=90) else rng.randint(7, 11)
        for j in range(n_children):
            thing = rng.choice(things)
            roll = rng.random()
            itype = "Story" if roll < 0.6 else "Task" if roll < 0.8 else "Bug"
            planned = ws + timedelta(days=round((we - ws).days * (j + 1) / (n_children + 1)) + rng.randint(-5, 5))
            if planned <= LATEST - timedelta(days=1):
                cat = "Done"
                if level == "R" and planned > LATEST - timedelta(days=100) and rng.random() < 0.6:
                    cat = "In Progress"     # the red project is behind: work that should be done is not
            elif planned <= LATEST + timedelta(days=10):
                cat = "In Progress"
            else:
                cat = "To Do"
            made = planned - timedelta(days=rng.randint(7, 45))
            made = max(made, created.date() + timedelta(days=1))
            made = min(made, LATEST - timedelta(days=rng.randint(1, 40)))
            made = max(made, created.date())
            if itype == "Story":
                summary = f"{rng.choice(STORY_VERBS)} {thing}"
            elif itype == "Task":
                summary = f"{rng.choice(TASK_VERBS)} {thing}"
            else:
                summary = f"{thing[0].upper() + thing[1:]} fails when {rng.choice(BUG_CONDITIONS)}"
                if rng.random() < 0.3:
                    summary = f'"{thing}" returns 500, retries exhausted'
            it = Issue(p, itype, summary, cat, work_time(made, rng), parent=epic,
                       priority=rng.choice(PRIORITIES), reporter=rng.choice([p.pm, p.pm] + team[:3]))
            it.created = max(it.created, epic.created + timedelta(hours=1))
            it.description = description_for(itype, thing, p.jira, rng)
            n_labels = rng.choice([0, 0, 1, 1, 2, 3]) if not server else rng.choice([0, 1, 1])
            it.labels = rng.sample(LABELS, n_labels)
            if server:
                it.components = rng.sample(SERVER_COMPONENTS, rng.choice([0, 1, 1, 2]))
            it.assignee = rng.choice(team) if cat != "To Do" or rng.random() < 0.6 else None
            if itype == "Story" or (itype == "Task" and rng.random() < 0.3):
                it.points = rng.choice([1, 2, 3, 3, 5, 5, 8, 13])
            if rng.random() < 0.65:
                it.orig = (min(it.points * 4, 40) if it.points else rng.randint(1, 16)) * 3600
            if cat == "Done":
                it.resolved = work_time(min(max(planned, made), LATEST - timedelta(days=1)), rng)
                if it.resolved <= it.created + timedelta(hours=2):
                    it.resolved = min(it.created + timedelta(hours=rng.randint(3, 30)), at(LATEST, 16))
                it.sprints = [sprint_of(it.resolved.date())]
            elif cat == "In Progress":
                it.sprints = [current]
            elif rng.random() < 0.7:
                it.sprints = [current if rng.random() < 0.7 else current + 1]
            if it.sprints and cat != "To Do" and rng.random() < 0.22 and it.sprints[0] > 1:
                it.sprints = [it.sprints[0] - 1, it.sprints[0]]          # carried over
            if cat == "Done":
                it.spent = round((it.orig or rng.randint(2, 12) * 3600) * rng.uniform(0.7, 1.5) / 900) * 900 \
                    if (it.orig or rng.random() < 0.3) else None
                it.remaining = 0 if (it.orig or it.spent) else None
            elif cat == "In Progress" and it.orig:
                it.spent = round(it.orig * rng.uniform(0.2, 0.8) / 900) * 900
                it.remaining = max(it.orig - it.spent, 0)
            elif it.orig:
                it.remaining = it.orig
            if it.points and rng.random() < 0.15:
                sprint_end = anchor + timedelta(days=14 * (it.sprints[-1] if it.sprints else current + 1) - 3)
                it.due = sprint_end
            epic.children.append(it)
            issues.append(it)
            # sub-tasks (Cloud only: the Server layout here has no parent-id column)
            if not server and itype == "Story" and cat != "To Do" and rng.random() < 0.3:
                for title in rng.sample(["Write unit tests for", "Update API docs for", "QA sign-off for"],
                                        rng.randint(1, 2)):
                    sub_cat = cat if cat == "Done" else rng.choice(["Done", "In Progress"])
                    sub = Issue(p, "Subtask" if team_managed else "Sub-task", f"{title} {thing}", sub_cat,
                                it.created + timedelta(hours=rng.randint(1, 48)), parent=it,
                                priority=it.priority, reporter=it.assignee or p.pm, assignee=it.assignee,
                                sprints=list(it.sprints))
                    if it.resolved:
                        sub.created = min(sub.created, max(it.created + timedelta(minutes=20),
                                                           it.resolved - timedelta(hours=2)))
                    sub.orig = rng.randint(1, 6) * 3600
                    if sub_cat == "Done":
                        sub.spent = round(sub.orig * rng.uniform(0.6, 1.4) / 900) * 900
                        sub.remaining = 0
                        end = it.resolved or at(LATEST - timedelta(days=1), 12)
                        earliest = sub.created + timedelta(hours=3)
                        sub.resolved = min(end, max(earliest, end - timedelta(days=rng.randint(0, 3))))
                        sub.resolved = max(sub.resolved, sub.created + timedelta(minutes=30))
                    else:
                        sub.spent = round(sub.orig * rng.uniform(0.1, 0.6) / 900) * 900
                        sub.remaining = sub.orig - sub.spent
                    it.children.append(sub)
                    issues.append(sub)
        # epic status from its children
        cats = {c.category for c in epic.children}
        if cats == {"Done"} and we < LATEST:
            epic.category = "Done"
            epic.resolved = max(c.resolved for c in epic.children) + timedelta(days=rng.randint(1, 3))
            epic.resolved = min(epic.resolved, at(LATEST, 9))
        elif cats != {"To Do"}:
            epic.category = "In Progress"
    finish_issue_fields(issues, p, team, team_managed, server, rng)
    return issues


def finish_issue_fields(issues: list[Issue], p: Project, team: list[str], team_managed: bool, server: bool,
                        rng: random.Random) -> None:
    for it in issues:
        if it.category == "Done":
            it.resolution = "Won't Do" if it.itype == "Bug" and rng.random() < 0.1 else "Done"
            it.status_changed = it.resolved
            it.updated = min(at(LATEST, 17), it.resolved + timedelta(hours=rng.randint(0, 72)))
        elif it.category == "In Progress":
            it.status_changed = max(it.created, at(LATEST - timedelta(days=rng.randint(1, 20)), rng.randint(8, 17)))
            it.updated = max(it.status_changed, at(LATEST - timedelta(days=rng.randint(0, 5)), rng.randint(8, 17)))
        else:
            it.status_changed = it.created
            it.updated = max(it.created, at(LATEST - timedelta(days=rng.randint(0, 30)), rng.randint(8, 17)))
        it.updated = min(it.updated, at(LATEST, 17, 30))
        if server:
            if it.category == "Done":
                it.status = "Resolved" if it.resolved.date() > LATEST - timedelta(days=10) else "Closed"
                if it.resolution == "Won't Do":
                    it.resolution = "Won't Fix"
                else:
                    it.resolution = "Done" if it.itype == "Story" else "Fixed"
            else:
                it.status = {"In Progress": "In Progress", "To Do": "Open"}[it.category]
                if it.category == "In Progress" and rng.random() < 0.1:
                    it.status = "Reopened"
        elif it.category == "In Progress" and not team_managed and it.itype != "Epic" and rng.random() < 0.3:
            it.status = "In Review"
        else:
            it.status = it.category
        if it.itype != "Epic" and it.resolved:
            it.fix_version = f"{it.resolved.year}.{it.resolved.month:02d}"
        elif it.itype != "Epic" and it.category == "In Progress":
            it.fix_version = f"{LATEST.year}.{LATEST.month + 1:02d}" if LATEST.month < 12 else f"{LATEST.year + 1}.01"
        if it.spent:
            people = [it.assignee or rng.choice(team)]
            parts = [it.spent] if it.spent < 4 * 3600 or rng.random() < 0.5 else \
                [round(it.spent * 0.4 / 900) * 900, it.spent - round(it.spent * 0.4 / 900) * 900]
            end = it.resolved or at(LATEST, 12)
            for k, secs in enumerate(parts):
                when = it.created + (end - it.created) * (k + 1) / (len(parts) + 0.5)
                when = when.replace(second=0, microsecond=0)
                it.worklogs.append((rng.choice(WORKLOG_COMMENTS), when, people[0], secs))
        it.watchers = list(dict.fromkeys([x for x in (it.reporter, it.assignee) if x]))[:2]
    ranks = sorted(rng.sample(range(200, 46000), len(issues)))
    for rank_no, it in zip(ranks, rng.sample(issues, len(issues)), strict=True):
        it.rank = f"0|i{base36(rank_no, 5)}:"


def assign_keys(issues: list[Issue], first_id: int, rng: random.Random) -> None:
    """Issue ids increase with creation across the instance; keys per project."""
    counters: dict[str, int] = {}
    next_id = first_id
    for it in sorted(issues, key=lambda x: (x.created, x.itype != "Epic")):
        counters[it.project.jira] = counters.get(it.project.jira, 0) + 1
        it.key = f"{it.project.jira}-{counters[it.project.jira]}"
        it.id = next_id
        next_id += rng.randint(1, 3)


def sigma(it: Issue, attr: str) -> int | None:
    values = [getattr(it, attr)] + [sigma(c, attr) for c in it.children]
    values = [v for v in values if v is not None]
    return sum(values) if values else None


def text(v) -> str:
    return "" if v is None else str(v)


def write_jira_cloud(issues: list[Issue], accounts: dict) -> int:
    f, w = csv_writer(OUT / "jira" / "jira_cloud_all_fields_2026-11-20.csv")
    with f:
        w.writerow(JIRA_CLOUD_HEADER)
        for it in sorted(issues, key=lambda x: (x.created, x.id), reverse=True):
            p = it.project
            name, team_managed, *_ = JIRA[p.jira]
            labels = (it.labels + ["", "", ""])[:3]
            watchers = (it.watchers + ["", ""])[:2]
            logs = [f"{c};{jira_dt(t)};{accounts[who]};{secs}" for c, t, who, secs in it.worklogs]
            logs = (logs + ["", ""])[:2]
            sprints = ([f"{p.jira} Sprint {n}" for n in it.sprints] + ["", ""])[:2]
            points = it.points if not team_managed else None
            estimate = f"{float(it.points):.1f}" if team_managed and it.points else ""
            parent = it.parent
            w.writerow([
                it.summary, it.key, it.id, it.itype, it.status, p.jira, name, "software", p.pm, it.priority,
                it.resolution, text(it.assignee), accounts[it.assignee] if it.assignee else "", it.reporter,
                it.reporter, jira_dt(it.created), jira_dt(it.updated),
                jira_dt(it.resolved) if it.resolved else "", it.fix_version,
                jira_dt(at(it.due, 0)) if it.due else "", *labels, it.description, *watchers, *logs,
                text(it.orig), text(it.remaining), text(it.spent), text(sigma(it, "orig")),
                text(sigma(it, "remaining")), text(sigma(it, "spent")), it.rank, *sprints,
                jira_dt(at(it.start_date, 0)) if it.start_date else "", text(points), estimate,
                jira_dt(at(it.target_end, 0)) if it.target_end else "",
                parent.id if parent else "", parent.key if parent else "", parent.summary if parent else "",
                it.category, jira_dt(it.status_changed),
            ])
    return len(issues)


def username(name: str) -> str:
    """Server exports show usernames: first initial + surname, ASCII."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower().replace("'", "")
    first, *rest = plain.split()
    return first[0] + "".join(rest)


def write_jira_server(issues: list[Issue]) -> int:
    f, w = csv_writer(OUT / "jira" / f"jira_server_{JIRA_SERVER_PROJECT}_2026-11-20.csv")
    with f:
        w.writerow(JIRA_SERVER_HEADER)
        for it in sorted(issues, key=lambda x: (x.created, x.id), reverse=True):
            p = it.project
            comps = (it.components + ["", ""])[:2]
            watchers = ([username(x) for x in it.watchers] + ["", ""])[:2]
            epic = it.parent if it.parent and it.parent.itype == "Epic" else None
            w.writerow([
                it.summary, it.key, it.id, it.itype, it.status, p.jira, JIRA[p.jira][0], it.priority,
                it.resolution, username(it.assignee) if it.assignee else "", username(it.reporter),
                jira_dt(it.created), jira_dt(it.updated), jira_dt(it.resolved) if it.resolved else "",
                *comps, jira_date_only(it.due) if it.due else "", it.labels[0] if it.labels else "",
                *watchers, text(it.orig), text(it.remaining), text(it.spent),
                f"{p.jira} Sprint {it.sprints[-1]}" if it.sprints else "", epic.key if epic else "",
                text(it.points),
            ])
    return len(issues)


def write_jira(projects: list[Project], rng: random.Random) -> dict:
    cloud, server = [], []
    for p in projects:
        if not p.jira:
            continue
        if p.jira == JIRA_SERVER_PROJECT:
            server += jira_project_issues(p, rng, server=True)
        else:
            cloud += jira_project_issues(p, rng, server=False)
    assign_keys(cloud, 10_231, rng)
    assign_keys(server, 20_407, rng)
    account_rng = random.Random(rng.getrandbits(64))
    people = sorted({x for it in cloud for x in (it.assignee, it.reporter, *it.watchers,
                                                  *(w[2] for w in it.worklogs)) if x})
    accounts = {name: f"712020:{new_guid(account_rng)}" for name in people}
    return {"cloud": write_jira_cloud(cloud, accounts), "server": write_jira_server(server)}
