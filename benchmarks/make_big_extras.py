"""The big store's inputs for the governance, RAID, capacity, prioritisation and maturity pages
(issues 17-19), in the layouts the importers read (the same as sample_data/), written with Polars.

At --scale 1:
- `msproject/*.csv`: desktop MS Project grids (Save As CSV, display values) of 1 project in 50
  (100 plans of 201 rows): predecessors with type and lag (leads, SS / FF / SF, tasks that lead
  nowhere), constraint types (SNET, MSO, MFO, FNLT), total slack (negative behind a deadline),
  actual start / finish, baseline duration. These projects have no Project Server tasks.
- `governance/stage_gate_log_2026-11-20.csv`: G1-G4 of every project, decided up to its stage
  (a few deferred, approved with conditions, or not convened).
- `raid/pmo_raid_log_<date>.csv`: the PMO's RAID log, 20-40 items per project (150,000), saved at
  three status dates; `Depends on` names an item of the same project, another project's item or
  project code (cross-project), and a few pairs and triples block each other (cycles).
- `timesheets/harvest_time_report_from<first>to<last>.csv`: Harvest detailed time reports, one per
  month, 2024-11-21 .. 2026-11-20, of 5,000 people (the first 5,000 Workday workers), 4-5 entries
  per working day on their 3 projects, none on their leave: >= 10,000,000 entries.
- `resources/pmo_allocations_2026-11-20.csv`: an allocation sheet (Float-like: Name, Role,
  Project, Start Date, End Date, Hours/Day, Status): each person on their 3 projects per quarter,
  2024 Q4 .. 2027 Q1, future quarters partly tentative, plus unnamed placeholder roles.
- `hr/workday_time_off_2026-11-20.csv`: the same people's leave (15 weekdays a year), Workday layout.
- `prioritisation/driver_scores_2026-11-20.csv`: 5 drivers of every open project.
- `maturity/pmo_maturity_assessment_<date>.csv`: 8 half-yearly self-assessments (15 questions each).
"""

from __future__ import annotations

import random
import tomllib
import zlib
from datetime import date, timedelta
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parent.parent
LATEST = date(2026, 11, 20)
TIME_FROM = date(2024, 11, 21)          # two years of time entries up to the latest status date
PLAN_TO = date(2027, 3, 31)
PEOPLE = 5000
PROJECTS_PER_PERSON = 3
DESKTOP_EVERY = 50                      # 1 project in 50 is planned in desktop MS Project

CONSTRAINT_NAMES = {"ASAP": "As Soon As Possible", "SNET": "Start No Earlier Than", "MSO": "Must Start On",
                    "MFO": "Must Finish On", "FNLT": "Finish No Later Than"}
SYMBOL = {"USD": "$", "EUR": "€", "GBP": "£"}


def is_desktop(index: int) -> bool:
    return index % DESKTOP_EVERY == 7


# ---------------------------------------------------------------------------------------------
# desktop MS Project grids
# ---------------------------------------------------------------------------------------------
def _day(d: date | None) -> str:
    return "NA" if d is None else f"{d:%a} {d.month}/{d.day}/{d:%y}"


def _money(x: float, ccy: str) -> str:
    return f"{'-' if x < 0 else ''}{SYMBOL.get(ccy, '')}{abs(x):,.2f}"


def _workdays(a: date, b: date) -> int:
    n = (b - a).days + 1
    full, rest = divmod(max(n, 0), 7)
    return max(0, full * 5 + sum(1 for k in range(rest) if (a + timedelta(days=full * 7 + k)).weekday() < 5))


GRID_HEADER = ["ID", "Unique ID", "Task Mode", "Task Name", "Duration", "Start", "Finish", "Predecessors",
               "Resource Names", "% Complete", "Cost", "Baseline Cost", "Actual Cost", "Work", "Baseline Start",
               "Baseline Finish", "Baseline Duration", "Actual Start", "Actual Finish", "Total Slack",
               "Constraint Type", "Constraint Date", "Deadline", "Outline Level", "WBS"]


def write_desktop_plan(p: dict, tasks: list[dict], out: Path, rnd: random.Random) -> int:
    """One grid CSV. `tasks`: the plan's rows in order (phase summaries and their items) as dicts
    with name, level, wbs, start, finish, b_start, b_finish, pct, cost, b_cost, work, milestone,
    summary, slip. Row 0 is the project summary task titled with the project's name."""
    leaves = [t for t in tasks if not t["summary"]]
    ccy = p["ccy"]
    rows = []
    # the plan's quality varies: most plans are sound, one in four is the kind nobody trusts
    messy = rnd.random() < 0.25
    previous = None
    slack = {}
    for i, t in enumerate(tasks, start=1):
        t["id"] = i
        over = (t["finish"] - t["b_finish"]).days if t["milestone"] else 0
        slack[i] = -_workdays(t["b_finish"], t["finish"]) if over > 0 else (0 if t["milestone"] else rnd.choice((0, 0, 5, 10, 20)))
    for t in tasks:
        preds = ""
        constraint, cdate = "ASAP", None
        if not t["summary"]:
            if previous is not None and not (messy and rnd.random() < 0.06):
                kind, lag = "FS", ""
                r = rnd.random()
                if r < 0.04:
                    kind, lag = "SS", ""
                elif r < 0.06:
                    kind, lag = "FF", "+2 days"
                elif r < 0.065:
                    kind = "SF"
                elif r < 0.10:
                    lag = f"+{rnd.choice((2, 5, 10))} days"
                elif messy and r < 0.16:
                    lag = f"-{rnd.choice((2, 3, 5))} days"          # a lead
                preds = f"{previous['id']}{kind if kind != 'FS' or lag else ''}{lag}"
            if not (messy and rnd.random() < 0.05):
                previous = t                                  # else: this task leads nowhere
            r = rnd.random()
            if t["milestone"] and r < 0.15:
                constraint, cdate = ("FNLT", t["b_finish"]) if r < 0.08 else ("MFO", t["finish"])
            elif r < 0.04:
                constraint, cdate = "SNET", t["start"]
            elif messy and r < 0.08:
                constraint, cdate = "MSO", t["start"]
        res = "" if t["summary"] or t["milestone"] or (messy and rnd.random() < 0.1) else \
            (f"{p['pm']},Analyst[50%]" if rnd.random() < 0.3 else p["pm"])
        a_start = t["start"] if t["pct"] > 0 else None
        a_finish = t["finish"] if t["pct"] >= 100 else None
        rows.append([t["id"], 100 + t["id"], "Auto Scheduled", "   " * max(t["level"] - 1, 0) + t["name"],
                     f"{0 if t['milestone'] else _workdays(t['start'], t['finish'])} days", _day(t["start"]),
                     _day(t["finish"]), preds, res, f"{t['pct']}%", _money(t["cost"], ccy), _money(t["b_cost"], ccy),
                     _money(round(t["cost"] * t["pct"] / 100, 2), ccy), f"{t['work']:,.0f} hrs", _day(t["b_start"]),
                     _day(t["b_finish"]), f"{0 if t['milestone'] else _workdays(t['b_start'], t['b_finish'])} days",
                     _day(a_start), _day(a_finish), f"{slack[t['id']]:g} days", CONSTRAINT_NAMES[constraint],
                     _day(cdate), _day(t["b_finish"]) if t["milestone"] else "NA", t["level"], t["wbs"]])
    pct = round(sum(t["pct"] * t["work"] for t in leaves) / (sum(t["work"] for t in leaves) or 1))
    cost, b_cost = sum(t["cost"] for t in leaves), sum(t["b_cost"] for t in leaves)
    start, finish = min(t["start"] for t in tasks), max(t["finish"] for t in tasks)
    summary = [0, 0, "Auto Scheduled", p["name"], f"{_workdays(start, finish)} days", _day(start), _day(finish), "", "",
               f"{pct}%", _money(cost, ccy), _money(b_cost, ccy),
               _money(sum(t["cost"] * t["pct"] / 100 for t in leaves), ccy),
               f"{sum(t['work'] for t in leaves):,.0f} hrs", _day(p["start"]), _day(p["finish"]),
               f"{_workdays(p['start'], p['finish'])} days", _day(start), "NA", f"{min(slack.values()):g} days",
               CONSTRAINT_NAMES["ASAP"], "NA", "NA", 0, "0"]
    df = pl.DataFrame([summary, *rows], schema=GRID_HEADER, orient="row", strict=False)
    df = df.with_columns(pl.all().cast(pl.String)).with_columns(pl.all().replace("", None))   # empty, not ""
    (out / "msproject").mkdir(exist_ok=True)
    df.write_csv(out / "msproject" / f"{p['code']} {p['name']} {LATEST.isoformat()}.csv")
    return df.height


# ---------------------------------------------------------------------------------------------
# stage gates
# ---------------------------------------------------------------------------------------------
ORDER = ["Initiation", "Planning", "Execution", "Closing", "Closed"]
GATES = [("G1 Business case", "Planning"), ("G2 Plan approval", "Execution"), ("G3 Go-live readiness", "Closing"),
         ("G4 Closure", "Closed")]


def _weekday(d: date) -> date:
    while d.weekday() >= 5:
        d += timedelta(days=1)
    return d


def write_gates(projects: list[dict], out: Path, rnd: random.Random) -> int:
    rows = []
    for p in projects:
        if p["start"] > LATEST + timedelta(days=60):
            continue                                    # not in the register yet
        span = (p["finish"] - p["start"]).days
        pct = max(0, min(100, round(100 * (LATEST - p["start"]).days / span)))
        stage = "Closed" if pct >= 100 else ["Initiation", "Planning", "Execution", "Execution", "Closing"][min(4, pct // 21)]
        reached = ORDER.index(stage)
        board = f"{p['portfolio']} Investment Board"
        for n, (gate, into) in enumerate(GATES, start=1):
            planned = _weekday([p["start"] - timedelta(days=14), p["start"] + timedelta(days=round(span * 0.12)),
                                p["finish"] - timedelta(days=21), p["finish"] + timedelta(days=28)][n - 1])
            decided = ORDER.index(into) <= reached and rnd.random() > 0.04       # 4%: not convened
            if not decided:
                rows.append([p["code"], gate, into, planned.isoformat(), None, None, None,
                             "Review not convened" if ORDER.index(into) <= reached else None])
                continue
            when = min(_weekday(planned + timedelta(days=rnd.randint(0, 9))), LATEST)
            r = rnd.random()
            if r < 0.02:                                  # deferred once, approved on resubmission
                rows.append([p["code"], gate, into, planned.isoformat(), when.isoformat(), "Deferred", board,
                             "Resubmit with a revised business case"])
                rows.append([p["code"], f"{gate} (resubmitted)", into, planned.isoformat(),
                             min(when + timedelta(days=28), LATEST).isoformat(), "Approved", board, None])
                continue
            decision = "Approved with conditions" if r < 0.06 else "Approved"
            rows.append([p["code"], gate, into, planned.isoformat(), when.isoformat(), decision, board,
                         "Re-baseline before the next gate" if decision != "Approved" else None])
    header = ["Project", "Gate", "Stage", "Planned date", "Decision date", "Decision", "Approver", "Comments"]
    (out / "governance").mkdir(exist_ok=True)
    pl.DataFrame(rows, schema=header, orient="row").write_csv(out / "governance" / f"stage_gate_log_{LATEST.isoformat()}.csv")
    return len(rows)


# ---------------------------------------------------------------------------------------------
# RAID log
# ---------------------------------------------------------------------------------------------
RAID_COPIES = [date(2026, 9, 25), date(2026, 10, 30), LATEST]
WORDS = ["Very low", "Low", "Medium", "High", "Very high"]
RAID_HEADER = ["ID", "Type", "Title", "Description", "Project", "Owner", "Status", "Date raised", "Probability",
               "Impact", "Due date", "Mitigation", "Closed date", "Cost", "Last updated", "Depends on"]


def build_raid(projects: list[dict], rnd: random.Random) -> list[dict]:
    items: list[dict] = []
    by_project: dict[str, list[str]] = {}
    for p in projects:
        if p["start"] > LATEST:
            continue
        ids = []
        for k in range(1, rnd.randint(20, 40) + 1):
            r = rnd.random()
            kind = "Risk" if r < 0.45 else "Issue" if r < 0.65 else "Assumption" if r < 0.80 else "Dependency"
            iid = f"{kind[0]}-{p['code'][4:]}-{k:02d}"
            raised = max(p["start"], LATEST - timedelta(days=540)) + timedelta(
                days=rnd.randrange(max(1, min((LATEST - p["start"]).days, 540))))
            closed = raised + timedelta(days=rnd.randint(10, 200)) if rnd.random() < 0.4 else None
            if closed is not None and closed > LATEST:
                closed = None
            items.append(dict(
                id=iid, kind=kind, project=p["code"], owner=None if rnd.random() < 0.03 else p["pm"],
                title=f"{kind} {k} on {p['name']}", raised=raised, closed=closed,
                prob=rnd.randrange(5) if kind in ("Risk", "Dependency") else None, impact=rnd.randrange(1, 5),
                due=raised + timedelta(days=rnd.randint(14, 180)),
                mitigation="" if rnd.random() < 0.1 else "Owner reviews weekly",
                cost=round(p["budget"] * rnd.uniform(0.005, 0.05), 2) if kind == "Risk" and rnd.random() < 0.5 else None,
                stale=rnd.random() < 0.08, depends=[]))
            ids.append(len(items) - 1)
        by_project[p["code"]] = ids
    codes = list(by_project)
    for n, code in enumerate(codes):
        ids = by_project[code]
        for i in ids:
            it = items[i]
            if it["kind"] != "Dependency" and not (it["kind"] == "Issue" and rnd.random() < 0.2):
                continue
            r = rnd.random()
            if r < 0.55:                                            # another item of the project
                it["depends"].append(items[rnd.choice(ids)]["id"])
            elif r < 0.85:                                          # another project's item
                other = by_project[codes[rnd.randrange(len(codes))]]
                it["depends"].append(items[rnd.choice(other)]["id"])
            else:                                                   # a whole project
                it["depends"].append(codes[rnd.randrange(len(codes))])
            if rnd.random() < 0.1:                                  # and a second blocker
                it["depends"].append(codes[rnd.randrange(len(codes))])
        if n % 250 == 0 and len(ids) >= 3:                          # a few cycles: a pair within the project
            a, b, c = items[ids[0]], items[ids[1]], items[ids[2]]
            a["depends"].append(b["id"])
            b["depends"].append(a["id"])
            if n % 500 == 0 and n + 1 < len(codes):                 # ... and a cross-project triple
                d = items[by_project[codes[n + 1]][0]]
                c["depends"].append(d["id"])
                d["depends"].append(a["id"])
                a["depends"].append(c["id"])
    for it in items:
        it["depends"] = [x for x in dict.fromkeys(it["depends"]) if x != it["id"]]
    return items


def write_raid(items: list[dict], out: Path, rnd: random.Random) -> dict[str, int]:
    (out / "raid").mkdir(exist_ok=True)
    counts = {}
    for copy in RAID_COPIES:
        rows = []
        for it in items:
            if it["raised"] > copy:
                continue
            closed = it["closed"] if it["closed"] and it["closed"] <= copy else None
            status = ("Resolved" if it["kind"] == "Issue" else "Closed") if closed else "Open"
            prob = it["prob"]
            if prob is not None and copy == LATEST and zlib.crc32(it["id"].encode()) % 7 == 0:
                prob = min(4, prob + 1)                              # escalated since the last copy
            updated = closed or (it["raised"] + timedelta(days=10) if it["stale"]
                                 else max(it["raised"], copy - timedelta(days=rnd.randint(1, 25))))
            rows.append([it["id"], it["kind"], it["title"], None, it["project"], it["owner"], status,
                         it["raised"].isoformat(), WORDS[prob] if prob is not None else None,
                         WORDS[it["impact"]], it["due"].isoformat(), it["mitigation"] or None,
                         closed.isoformat() if closed else None, it["cost"], min(updated, copy).isoformat(),
                         "; ".join(it["depends"]) or None])
        df = pl.DataFrame(rows, schema=RAID_HEADER, orient="row", strict=False)
        path = out / "raid" / f"pmo_raid_log_{copy.isoformat()}.csv"
        df.write_csv(path)
        counts[path.name] = df.height
    return counts


# ---------------------------------------------------------------------------------------------
# people: time entries, leave, allocations
# ---------------------------------------------------------------------------------------------
CURRENCY_NAME = {"USD": "US Dollar - USD", "EUR": "Euro - EUR", "GBP": "British Pound - GBP"}
HARVEST_HEADER = ["Date", "Client", "Project", "Project Code", "Task", "Notes", "Hours", "Hours Rounded",
                  "Billable?", "Invoiced?", "First Name", "Last Name", "Employee Id", "Roles", "Teams",
                  "Employee?", "Billable Rate", "Billable Amount", "Cost Rate", "Cost Amount", "Currency",
                  "External Reference URL"]
TASK_NAMES = ["Project Management", "Coordination & Reporting", "Delivery", "Stakeholder Meetings", "Testing"]


def people_frame(staff_csv: Path, n: int, projects: list[dict]) -> pl.DataFrame:
    """The first n Workday workers with their 3 projects and two leave blocks a year."""
    staff = pl.read_csv(staff_csv, n_rows=n, infer_schema=False).with_row_index("k")
    k = pl.col("k").cast(pl.Int64)
    np_ = len(projects)
    return staff.select(
        "k", emp=pl.col("Employee ID"), worker=pl.col("Worker"), role=pl.col("Job Profile"),
        ccy=pl.col("Total Base Pay Annualized - Currency"),
        rate=(pl.col("Total Base Pay Annualized - Amount").cast(pl.Float64) * 1.3 / 2080).round(2),
        **{f"proj{j}": (k * 7 + j * 131 + j) % np_ for j in range(PROJECTS_PER_PERSON)},
        leave1=(k * 37) % 200, leave2=(k * 53) % 100 + 120)


def working_days(first: date, last: date) -> pl.DataFrame:
    days = pl.date_range(first, last, "1d", eager=True).alias("day")
    df = pl.DataFrame(days).filter(pl.col("day").dt.weekday() <= 5)
    # weekday number within the year: leave blocks are placed by it
    return df.with_columns(wd=pl.int_range(pl.len()).over(pl.col("day").dt.year()).cast(pl.Int64))


def on_leave() -> pl.Expr:
    return ((pl.col("wd") - pl.col("leave1")).is_between(0, 9)) | ((pl.col("wd") - pl.col("leave2")).is_between(0, 4))


def write_time_entries(people: pl.DataFrame, projects: list[dict], out: Path) -> dict[str, int]:
    proj = pl.DataFrame({"pi": list(range(len(projects))), "code": [p["code"] for p in projects],
                         "pname": [p["name"] for p in projects], "dept": [p["dept"] for p in projects],
                         "team": [f"PMO {p['portfolio']}" for p in projects]}).with_columns(pl.col("pi").cast(pl.Int64))
    all_days = working_days(date(TIME_FROM.year, 1, 1), LATEST).filter(pl.col("day") >= TIME_FROM)
    (out / "timesheets").mkdir(exist_ok=True)
    counts = {}
    month = date(TIME_FROM.year, TIME_FROM.month, 1)
    while month <= LATEST:
        nxt = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        first, last = max(month, TIME_FROM), min(nxt - timedelta(days=1), LATEST)
        days = all_days.filter(pl.col("day").is_between(first, last))
        df = (people.join(days, how="cross").filter(~on_leave())
              # 4 or 5 entries a working day, on the person's 3 projects in turn
              .with_columns(n=4 + ((pl.col("k").cast(pl.Int64) + pl.col("wd")) % 3 == 0).cast(pl.Int64))
              .with_columns(e=pl.int_ranges(0, pl.col("n")))
              .explode("e")
              .with_columns(pi=pl.when(pl.col("e") % 3 == 0).then("proj0").when(pl.col("e") % 3 == 1)
                            .then("proj1").otherwise("proj2"),
                            hours=(8.0 / pl.col("n") * 4).round(0) / 4 + pl.when(pl.col("e") == 0).then(0.25).otherwise(0.0))
              .join(proj, on="pi", how="left")
              .select(Date=pl.col("day").cast(pl.String), Client="dept", Project="pname", **{"Project Code": "code"},
                      Task=pl.lit(TASK_NAMES).list.get(pl.col("e") % len(TASK_NAMES)), Notes=pl.lit(None, pl.String),
                      Hours="hours", **{"Hours Rounded": "hours", "Billable?": pl.lit("No"), "Invoiced?": pl.lit("No"),
                                        "First Name": pl.lit("Worker"),
                                        "Last Name": pl.col("worker").str.strip_prefix("Worker "),
                                        "Employee Id": "emp", "Roles": "role", "Teams": "team",
                                        "Employee?": pl.lit("Yes"), "Billable Rate": pl.lit("0.00"),
                                        "Billable Amount": pl.lit("0.00"), "Cost Rate": "rate",
                                        "Cost Amount": (pl.col("hours") * pl.col("rate")).round(2),
                                        "Currency": pl.col("ccy").replace_strict(CURRENCY_NAME, default=pl.col("ccy")),
                                        "External Reference URL": pl.lit(None, pl.String)})
              .sort("Date", "Employee Id"))
        name = f"harvest_time_report_from{first.isoformat()}to{last.isoformat()}.csv"
        df.write_csv(out / "timesheets" / name, float_precision=2)
        counts[name] = df.height
        month = nxt
    return counts


def write_time_off(people: pl.DataFrame, out: Path) -> int:
    days = working_days(date(TIME_FROM.year, 1, 1), PLAN_TO).filter(pl.col("day") >= TIME_FROM)
    df = (people.join(days, how="cross").filter(on_leave())
          .select(**{"Employee ID": "emp", "Worker": "worker", "Time Off Date": pl.col("day").cast(pl.String),
                     "Time Off Type": pl.lit("Vacation"), "Units": pl.lit(8), "Unit of Time": pl.lit("Hours"),
                     "Status": pl.when(pl.col("day") > LATEST + timedelta(days=30)).then(pl.lit("Submitted"))
                     .otherwise(pl.lit("Approved"))}))
    df.write_csv(out / "hr" / f"workday_time_off_{LATEST.isoformat()}.csv")
    return df.height


def write_allocations(people: pl.DataFrame, projects: list[dict], out: Path) -> int:
    quarters = []
    q = date(2024, 10, 1)
    while q <= PLAN_TO:
        nq = date(q.year + (q.month + 2) // 12, (q.month + 2) % 12 + 1, 1)
        quarters.append((q, nq - timedelta(days=1)))
        q = nq
    qdf = pl.DataFrame({"qi": list(range(len(quarters))), "qs": [a for a, _ in quarters], "qe": [b for _, b in quarters]})
    proj = pl.DataFrame({"pi": [i for i in range(len(projects))],
                         "label": [f"{p['code']} {p['name']}" for p in projects],
                         "dept": [p["dept"] for p in projects]}).with_columns(pl.col("pi").cast(pl.Int64))
    named = (people.join(qdf, how="cross")
             .with_columns(j=pl.int_ranges(0, PROJECTS_PER_PERSON)).explode("j")
             .with_columns(pi=pl.when(pl.col("j") == 0).then("proj0").when(pl.col("j") == 1).then("proj1")
                           .otherwise("proj2"),
                           # 2.0-3.5 h a day per project: some people are booked over their 8 hours
                           hpd=2.0 + ((pl.col("k").cast(pl.Int64) * 3 + pl.col("qi") + pl.col("j")) % 4) * 0.5)
             .join(proj, on="pi", how="left")
             .select(Name="worker", Department="dept", Role="role", Project="label", Client="dept",
                     Task=pl.lit("Delivery"), **{"Start Date": pl.col("qs").cast(pl.String),
                                                 "End Date": pl.col("qe").cast(pl.String), "Hours/Day": "hpd"},
                     **{"Total Hours": pl.lit(None, pl.Float64)},
                     Status=pl.when((pl.col("qs") > LATEST) & ((pl.col("k").cast(pl.Int64) + pl.col("j")) % 5 == 0))
                     .then(pl.lit("Tentative")).otherwise(pl.lit("Confirmed")), Notes=pl.lit(None, pl.String)))
    # unstaffed demand: one project in ten asks for a placeholder role over the coming quarter
    ph = pl.DataFrame([[None, p["dept"], ["Scrum Master", "Business Analyst", "Test Manager"][i % 3],
                        f"{p['code']} {p['name']}", p["dept"], "Delivery", "2026-12-01", "2027-03-31", 4.0, None,
                        "Tentative", "Placeholder"] for i, p in enumerate(projects) if i % 10 == 3],
                      schema=named.columns, orient="row").with_columns(Name=pl.lit("Placeholder: ") + pl.col("Role"))
    df = pl.concat([named, ph.cast(named.schema)])
    (out / "resources").mkdir(exist_ok=True)
    df.write_csv(out / "resources" / f"pmo_allocations_{LATEST.isoformat()}.csv")
    return df.height


# ---------------------------------------------------------------------------------------------
# prioritisation and maturity
# ---------------------------------------------------------------------------------------------
RATING = ["None", "Low", "Moderate", "Strong", "Extreme"]


def write_scores(projects: list[dict], out: Path, rnd: random.Random) -> int:
    rows = []
    for p in projects:
        if p["finish"] <= LATEST or p["start"] > LATEST + timedelta(days=60):
            continue                                     # closed, or not in the register yet
        b = rnd.randint(1, 3)
        scores = {"Strategic alignment": RATING[max(1, min(4, b + rnd.choice((0, 1, -1))))],
                  "Financial value": round(min(10.0, max(1.0, b * 2.6 + rnd.uniform(-1.8, 1.8))), 1),
                  "Urgency": max(1, min(5, b + rnd.choice((0, 1, -1)))),
                  "Customer impact": RATING[max(0, min(4, b + rnd.choice((-1, 0, 1))))],
                  "Delivery risk": rnd.randint(1, 5)}
        for criterion, value in scores.items():
            if rnd.random() < 0.005:
                continue                                 # not fully scored
            rows.append([p["code"], p["name"], criterion, str(value), f"{p['portfolio']} Investment Board",
                         "2026-11-13", None])
    (out / "prioritisation").mkdir(exist_ok=True)
    pl.DataFrame(rows, schema=["Project ID", "Project name", "Criterion", "Score", "Scored by", "Scored at", "Note"],
                 orient="row").write_csv(out / "prioritisation" / f"driver_scores_{LATEST.isoformat()}.csv")
    return len(rows)


def write_maturity(out: Path, rnd: random.Random) -> int:
    bank = tomllib.loads((ROOT / "config" / "maturity_questions.toml").read_text())["questions"]
    (out / "maturity").mkdir(exist_ok=True)
    n = 0
    for k, (name, on) in enumerate([(f"{y} H{h}", date(y, 5 if h == 1 else 11, 14)) for y in (2023, 2024, 2025, 2026)
                                    for h in (1, 2)]):
        rows = [[name, on.isoformat(), q["id"], q["text"], min(5, max(0, 1 + k // 2 + rnd.choice((-1, 0, 0, 1)))),
                 "Reviewed by the PMO board" if rnd.random() < 0.6 else None, "Head of PMO", on.isoformat()]
                for q in bank]
        pl.DataFrame(rows, schema=["Assessment", "Assessment date", "Question ID", "Question", "Level", "Evidence",
                                   "Answered by", "Answered at"], orient="row") \
            .write_csv(out / "maturity" / f"pmo_maturity_assessment_{on.isoformat()}.csv")
        n += len(rows)
    return n


def main(projects: list[dict], out: Path, scale: float) -> dict[str, int]:
    rnd = random.Random(1917)                 # a stream of its own: the other files stay as they were
    counts: dict[str, int] = {}
    counts["stage gates"] = write_gates(projects, out, rnd)
    raid = build_raid(projects, rnd)
    counts["RAID items (latest copy)"] = write_raid(raid, out, rnd)[f"pmo_raid_log_{LATEST.isoformat()}.csv"]
    people = people_frame(out / "hr" / "workday_pmo_compensation_2026-11-01.csv", max(45, round(PEOPLE * scale)),
                          projects)
    counts["time entries"] = sum(write_time_entries(people, projects, out).values())
    counts["time off days"] = write_time_off(people, out)
    counts["allocations"] = write_allocations(people, projects, out)
    counts["project scores"] = write_scores(projects, out, rnd)
    counts["maturity answers"] = write_maturity(out, rnd)
    return counts
