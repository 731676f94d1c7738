"""Resource exports (capacity against demand, issue 18): who is booked on which project, what they
logged, and when they are away.

- `project_server/ProjectData_Assignments_2026-11-20.xlsx`: Project Online `AssignmentTimephasedDataSet`
  (one row per assignment and calendar day, 1 Sep 2026 .. 31 Mar 2027, 0 on non-working days, as
  Project Online writes it) and `Resources` (names, e-mail, generic resources), as Power Query loads them.
- `timesheets/harvest_time_report_from2026-09-01to2026-11-20.csv`: Harvest detailed time report of the
  PMO staff (Employee Id = the Workday id, cost rates in the office's currency).
- `hr/workday_time_off_2026-11-20.csv`: Workday time-off report, one row per person and day.

The story (sample_data/README.md): the project managers of the red projects are over-allocated
(Lukas Weber carries S/4HANA Data Migration and the Backup & DR cut-over; Oliver Grant Global Payroll
and the Treasury hand-over; Elena Petrova and Samir Haddad their red programmes); Grace Liu stays
booked through her Christmas leave; from December four agile teams need a Scrum Master that only a
generic resource fills, so the Scrum Master role is short. Everyone else is planned around their
leave and public holidays. All draws come from the `resources` stream, so the other files stay the same.
"""

from __future__ import annotations

import csv
import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from .helpers import OUT, csv_writer, fmt_amount, new_guid, new_workbook
from .hr import CITIES
from .project_server import write_sheet
from .story import STAFF, Project

WINDOW_START = date(2026, 9, 1)
ACTUALS_THROUGH = date(2026, 11, 20)
PLAN_END = date(2027, 3, 31)
RED_FROM = date(2026, 10, 1)           # the red projects' recovery plans add hours from October
SCRUM_FROM = date(2026, 12, 1)         # four agile teams need a Scrum Master from December

# Who carries more than a day's work (the over-allocated people) and how much (hours a day)
RED_LOAD = {"PRJ-1004": 9.0, "PRJ-1012": 9.0, "PRJ-1023": 6.5, "PRJ-1034": 6.5}
PM_LOAD = {1: 5.0, 2: 3.5}          # a project manager's hours a day per project, by how many they run
PM_LOAD_OF = {"Amy Zhang": 4.0, "Ben Cho": 3.2}   # the Scrum Masters also run one project each
CLOSING_UNTIL = date(2026, 12, 18)  # a project past its finish (PRJ-1026): 2 h a day of hand-over until then
EXTRA = [  # (person, project, kind, hours a day) beyond managing their own projects, for the whole window
    ("Marcus Bell", "PRJ-1012", "programme", 3.0),    # programme manager, Data Centre Exit
    ("Amy Zhang", "PRJ-1004", "scrum", 4.0),          # Scrum Master of the PAY team
    ("Ben Cho", "PRJ-1013", "scrum", 3.2),            # Scrum Master of the DATA team
    *((name, code, "support", 2.0) for name, codes in {
        "Nina Patel": ("PRJ-1007", "PRJ-1031", "PRJ-1033"), "Megan Scott": ("PRJ-1022", "PRJ-1029", "PRJ-1016"),
        "Tyler Johnson": ("PRJ-1014", "PRJ-1019", "PRJ-1028"), "Ruth Adeyemi": ("PRJ-1005", "PRJ-1006", "PRJ-1034"),
    }.items() for code in codes),
    *((name, code, "support", 1.5) for name, codes in {
        "Dana Whitfield": ("PRJ-1004", "PRJ-1012", "PRJ-1023"), "Kevin O'Brien": ("PRJ-1021", "PRJ-1030", "PRJ-1036"),
        "Sara Lindqvist": ("PRJ-1013", "PRJ-1015", "PRJ-1018"), "Jonas Müller": ("PRJ-1021", "PRJ-1023", "PRJ-1037"),
    }.items() for code in codes),
]
SCRUM_TEAMS = ("PRJ-1002", "PRJ-1003", "PRJ-1024", "PRJ-1032")   # WEB, CRM, FCL, HRX: a generic Scrum Master
LEAVE = [  # (person, first, last, status); weekdays only are booked
    ("Kwame Mensah", date(2026, 9, 14), date(2026, 9, 18), "Approved"),
    ("Natalie Chen", date(2026, 10, 5), date(2026, 10, 9), "Approved"),
    ("Hannah Kim", date(2026, 10, 19), date(2026, 10, 21), "Approved"),
    ("Jonas Müller", date(2026, 10, 26), date(2026, 10, 30), "Approved"),
    ("Sophie Turner", date(2026, 10, 27), date(2026, 10, 30), "Approved"),
    ("Brian Murphy", date(2026, 11, 23), date(2026, 11, 25), "Approved"),
    ("Grace Liu", date(2026, 12, 21), date(2026, 12, 31), "Approved"),      # booked after the plan: not in it
    ("Lena Vogt", date(2026, 12, 21), date(2027, 1, 1), "Approved"),
    ("Carlos Mendes", date(2026, 12, 28), date(2026, 12, 31), "Submitted"),
    ("Olivia Reed", date(2026, 12, 22), date(2026, 12, 31), "Approved"),
    ("Stefan Brandt", date(2026, 12, 21), date(2026, 12, 23), "Cancelled"),
]
NOT_IN_PLAN = {"Grace Liu"}     # leave the plan was not changed for
OVERTIME = {"Lukas Weber", "Oliver Grant", "Elena Petrova", "Samir Haddad"}
TASKS = {"pm": "Project management & reporting", "scrum": "Agile delivery (Scrum Master)",
         "support": "PMO support", "programme": "Programme management"}
HARVEST_TASK = {"pm": "Project Management", "scrum": "Scrum", "support": "Coordination & Reporting",
                "programme": "Programme Management"}
NOTES = {"pm": ["Status report", "Steering committee prep", "RAID review", "Vendor call", "Plan update",
                "Stakeholder update", ""],
         "scrum": ["Sprint planning", "Retrospective", "Daily stand-ups", "Backlog refinement", ""],
         "support": ["Timesheet follow-up", "Portfolio reporting", "Change log", "Meeting notes", ""],
         "programme": ["Programme board", "Dependency review", "Budget review", ""]}
HARVEST_HEADER = ["Date", "Client", "Project", "Project Code", "Task", "Notes", "Hours", "Hours Rounded",
                  "Billable?", "Invoiced?", "First Name", "Last Name", "Employee Id", "Roles", "Teams",
                  "Employee?", "Billable Rate", "Billable Amount", "Cost Rate", "Cost Amount", "Currency",
                  "External Reference URL"]
ASSIGNMENT_HEADER = ["ProjectId", "AssignmentId", "TimeByDay", "AssignmentActualWork", "AssignmentBaseline0Work",
                     "AssignmentCombinedWork", "AssignmentRemainingWork", "AssignmentWork", "FiscalPeriodId",
                     "ProjectName", "ResourceId", "TaskId", "TaskIsActive", "TaskName"]
RESOURCES_HEADER = ["ResourceId", "ResourceName", "ResourceEmailAddress", "ResourceIsGeneric", "ResourceBaseCalendar",
                    "TypeName", "ResourceIsActive"]
TIME_OFF_HEADER = ["Employee ID", "Worker", "Time Off Date", "Time Off Type", "Units", "Unit of Time", "Status"]
CURRENCY_NAMES = {"USD": "US Dollar - USD", "GBP": "British Pound - GBP", "EUR": "Euro - EUR"}
HOLIDAY_COUNTRY = {"United States of America": "United States"}


@dataclass
class Assignment:
    project: Project
    resource: str                  # a person, or the generic resource's role
    kind: str                      # pm / scrum / support / programme
    hours: float                   # a working day's hours
    first: date
    last: date
    baseline: float | None         # a working day's baseline hours (None: added after the baseline)
    generic: bool = False
    red_hours: float | None = None  # from RED_FROM on
    guid: str = ""
    task_guid: str = ""
    days: dict = field(default_factory=dict)


def _holidays() -> dict[str, set[date]]:
    """The shipped default calendar (config/holidays.csv): location -> days."""
    out: dict[str, set[date]] = {}
    with (OUT.parent / "config" / "holidays.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            out.setdefault(row["Location"], set()).add(date.fromisoformat(row["Date"]))
    return out


def _days(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def _weekdays(first: date, last: date) -> list[date]:
    return [d for d in _days(first, last) if d.weekday() < 5]


def _email(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return ascii_name.lower().replace("'", "").replace(" ", ".") + "@example.com"


def _assignments(projects: list[Project]) -> list[Assignment]:
    by_code = {p.code: p for p in projects}
    managed: dict[str, list[Project]] = {}
    for p in projects:
        if (p.closed and p.closed < WINDOW_START) or p.start > PLAN_END:
            continue
        managed.setdefault(p.pm, []).append(p)
    out = []
    for pm, ps in managed.items():
        for p in ps:
            hours = PM_LOAD_OF.get(pm, PM_LOAD[min(len(ps), 2)])
            last = min(p.finish or PLAN_END, PLAN_END)
            if p.closing:
                hours, last = 2.0, CLOSING_UNTIL
            out.append(Assignment(p, pm, "pm", hours, max(p.start, WINDOW_START), last, baseline=hours,
                                  red_hours=RED_LOAD.get(p.code)))
    for person, code, kind, hours in EXTRA:
        p = by_code[code]
        out.append(Assignment(p, person, kind, hours, max(WINDOW_START, p.start), min(p.finish or PLAN_END, PLAN_END),
                              baseline=hours))
    for code in SCRUM_TEAMS:
        p = by_code[code]
        out.append(Assignment(p, "Scrum Master", "scrum", 4.0, SCRUM_FROM, min(p.finish or PLAN_END, PLAN_END),
                              baseline=None, generic=True))
    return out


def write_resources(projects: list[Project], rng: random.Random) -> dict[str, int]:
    staff = {s[0]: s for s in STAFF}
    with (OUT / "hr" / "workday_pmo_compensation_2026-11-01.csv").open(encoding="utf-8") as f:
        workday = {r["Worker"]: r for r in csv.DictReader(f)}
    holidays = _holidays()
    leave: dict[str, set[date]] = {}
    for person, first, last, status in LEAVE:
        if status != "Cancelled":
            leave.setdefault(person, set()).update(_weekdays(first, last))

    def off(person: str, day: date) -> bool:
        if person not in staff:                      # a generic resource works the standard calendar
            return day.weekday() >= 5
        country = HOLIDAY_COUNTRY.get(CITIES[staff[person][2]][0], CITIES[staff[person][2]][0])
        city = staff[person][2]
        return day.weekday() >= 5 or day in holidays.get(country, set()) or day in holidays.get(city, set())

    def daily_hours(person: str) -> float:
        if person not in staff:
            return 8.0
        return CITIES[staff[person][2]][2] * staff[person][3] / 100 / 5

    assignments = _assignments(projects)
    resource_ids = {name: new_guid(rng) for name in sorted({a.resource for a in assignments})}
    for a in assignments:
        a.guid, a.task_guid = new_guid(rng), new_guid(rng)
        for day in _days(a.first, a.last):
            h = a.red_hours if a.red_hours is not None and day >= RED_FROM else a.hours
            if off(a.resource, day) or (day in leave.get(a.resource, ()) and a.resource not in NOT_IN_PLAN):
                h = 0.0
            a.days[day] = h

    # Project Online: every calendar day of each assignment
    rows = []
    for a in sorted(assignments, key=lambda a: (a.project.code, a.resource)):
        for day, work in sorted(a.days.items()):
            base = None if a.baseline is None else (0.0 if work == 0 else a.baseline)
            rows.append([a.project.guid, a.guid, datetime.combine(day, time()), 0.0, base, work, work, work, None,
                         a.project.name, resource_ids[a.resource], a.task_guid, True, TASKS[a.kind]])
    resources = [[rid, name, None if name not in staff else _email(name), name not in staff, "Standard", "Work", True]
                 for name, rid in sorted(resource_ids.items())]
    path = OUT / "project_server" / "ProjectData_Assignments_2026-11-20.xlsx"
    wb = new_workbook(path)
    fmt = {"datetime": wb.add_format({"num_format": "m/d/yyyy h:mm"}), "number": wb.add_format({"num_format": "0.00"})}
    write_sheet(wb, "AssignmentTimephasedDataSet", ASSIGNMENT_HEADER, rows, fmt)
    write_sheet(wb, "Resources", RESOURCES_HEADER, resources, fmt)
    wb.close()

    # Harvest: what the PMO staff logged, 1 Sep .. 20 Nov (the plan, give or take; the
    # over-allocated people log their long days)
    entries = []
    for a in sorted(assignments, key=lambda a: (a.resource, a.project.code)):
        if a.generic:
            continue
        _, profile, city, _fte, salary, _hired = staff[a.resource]
        currency = CITIES[city][1]
        rate = round(salary * 1.3 / 2080)
        first_name, last_name = a.resource.split(" ", 1)
        for day in _weekdays(max(a.first, WINDOW_START), min(a.last, ACTUALS_THROUGH)):
            if off(a.resource, day) or day in leave.get(a.resource, ()):
                continue
            planned = a.days.get(day, 0.0)
            low, high = (1.0, 1.15) if a.resource in OVERTIME else (0.8, 1.05)
            hours = round(planned * rng.uniform(low, high) * 4) / 4
            if hours <= 0:
                continue
            entries.append([day.isoformat(), a.project.department, a.project.name, a.project.code,
                            HARVEST_TASK[a.kind], rng.choice(NOTES[a.kind]), f"{hours:g}", f"{hours:.2f}", "No", "No",
                            first_name, last_name, workday[a.resource]["Employee ID"], profile,
                            f"PMO {a.project.portfolio}", "Yes", "0.00", "0.00", fmt_amount(rate),
                            fmt_amount(rate * hours), CURRENCY_NAMES[currency], ""])
    entries.sort(key=lambda r: (r[0], r[12], r[3]))
    f, w = csv_writer(OUT / "timesheets" / "harvest_time_report_from2026-09-01to2026-11-20.csv")
    with f:
        w.writerow(HARVEST_HEADER)
        w.writerows(entries)

    # Workday time off: one row per person and working day
    time_off = []
    for person, first, last, status in LEAVE:
        city = staff[person][2]
        for day in _weekdays(first, last):
            if off(person, day):
                continue
            kind = "Vacation" if CITIES[city][1] == "USD" else ("Annual Leave" if city == "London" else "Urlaub")
            time_off.append([workday[person]["Employee ID"], person, day.isoformat(), kind,
                             f"{daily_hours(person):g}", "Hours", status])
    time_off.sort(key=lambda r: (r[2], r[0]))
    f, w = csv_writer(OUT / "hr" / "workday_time_off_2026-11-20.csv")
    with f:
        w.writerow(TIME_OFF_HEADER)
        w.writerows(time_off)
    return {path.name: len(rows), "harvest_time_report_from2026-09-01to2026-11-20.csv": len(entries),
            "workday_time_off_2026-11-20.csv": len(time_off)}
