"""Desktop MS Project plans of the projects scheduled outside Project Online (issue 17).

Four PMs keep their schedule in desktop MS Project and hand the plan to the PMO for the schedule
review: two save the grid (`Save As` CSV: display values `Mon 1/5/26`, `45 days`, `$48,200.00`,
export-formats.md §2.2), two use the export wizard (`Task_Table` sheet, typed cells, §2.1). The
tasks are the same ones the model planned (project_server.plan_tasks / schedule_tasks), so every
date, progress and cost agrees with the other files; the plan adds what only a desktop plan
carries: predecessors with type and lag, constraint types, total slack, resource names. Row 0 is
the project summary task, titled with the project's name as in Project Online.

Schedule quality by design (what the governance checks find):
- PRJ-1021 S/4HANA Finance Core: the model plan. Every task linked finish-to-start, one 5-day
  lag, one soft constraint (Start No Earlier Than): passes the DCMA logic checks.
- PRJ-1016 Identity & Access Management Refresh: sound logic, but the go-live carries a Finish No
  Later Than constraint at its deadline and the cut-over a Must Start On: hard constraints and
  negative float (the go-live is four weeks behind).
- PRJ-1012 Data Centre Exit - Wave 2: the schedule nobody trusts. Three tasks lead nowhere, two
  start from nothing, the cut-overs are pinned with Must Start On and overlap their predecessors
  with leads, a 10-day lag, negative float on the tail, two tasks without resources.
- PRJ-1034 Global Payroll Consolidation: parallel runs chained with 10-day lags, the go-live pinned
  with Must Finish On, a start-to-finish link, three tasks without resources.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time

from . import schedule
from .helpers import OUT, money, new_workbook, workdays
from .story import LATEST

GRID_HEADER = ["ID", "Unique ID", "Task Mode", "Task Name", "Duration", "Start", "Finish", "Predecessors",
               "Resource Names", "% Complete", "Cost", "Baseline Cost", "Actual Cost", "Work", "Baseline Start",
               "Baseline Finish", "Baseline Duration", "Actual Start", "Actual Finish", "Total Slack",
               "Constraint Type", "Constraint Date", "Deadline", "Outline Level", "WBS"]
WIZARD_HEADER = ["ID", "Unique_ID", "Name", "Outline_Level", "WBS", "Duration", "Start_Date", "Finish_Date",
                 "Percent_Complete", "Baseline_Start", "Baseline_Finish",
                 "Baseline_Duration", "Actual_Start", "Actual_Finish", "Work", "Resource_Names", "Predecessors",
                 "Total_Slack", "Constraint_Type", "Constraint_Date", "Deadline"]
CONSTRAINT_NAMES = {"ASAP": "As Soon As Possible", "SNET": "Start No Earlier Than", "MSO": "Must Start On",
                    "MFO": "Must Finish On", "FNLT": "Finish No Later Than"}
SYMBOL = {"USD": "$", "EUR": "€", "GBP": "£"}
ROLES = {"infra": ["Infrastructure engineer", "Network engineer", "Storage vendor", "Migration lead",
                   "Service owner"],
         "erp": ["SAP FI consultant", "SAP integration developer", "Data migration lead", "Test manager",
                 "Finance process owner"],
         "hr": ["Payroll analyst", "HRIS consultant", "Country payroll lead", "Test manager", "Change lead"]}
UID_BASE = 100          # Unique IDs differ from row IDs (Predecessors name row IDs)

# Per project: links to drop (tasks that then lead nowhere / start from nothing), extra lags and
# leads, link types, constraints and unassigned tasks; by task name.
STORY = {
    "PRJ-1021": {"lag": {"Mock load 2": "+5 days"}, "constraint": {"Cutover": ("SNET", None)}},
    "PRJ-1016": {"constraint": {"Go-live": ("FNLT", "deadline"), "Production cutover": ("MSO", "start")}},
    "PRJ-1012": {"no_successor": ["Security review", "Performance testing", "Data migration scripts"],
                 "no_predecessor": ["Integration build", "Hypercare"],
                 "lag": {"Cutover rehearsal": "-2 days", "Production cutover": "-3 days",
                         "Build iteration 2": "+10 days"},
                 "type": {"Cutover rehearsal": "SS"},
                 "constraint": {"Cutover rehearsal": ("MSO", "start"), "Production cutover": ("MSO", "start")},
                 "unassigned": ["Integration build", "Hypercare"]},
    "PRJ-1034": {"lag": {"Parallel run 1": "+10 days", "Parallel run 2": "+10 days"},
                 "type": {"Go-live support": "SF"},
                 "constraint": {"Go-live": ("MFO", "finish")},
                 "unassigned": ["Country requirements", "Data conversion", "Training"]},
}


def _links(tasks: list, story: dict) -> dict[str, list[tuple[str, str, str]]]:
    """Task guid -> [(predecessor guid, type, lag text)]: each phase's items in a finish-to-start
    chain, each phase starting after the previous phase's last item; then the story's changes."""
    links: dict[str, list[tuple[str, str, str]]] = {}
    previous = None
    for phase in (t for t in tasks if t.summary):
        for item in phase.children:
            if previous is not None:
                links.setdefault(item.guid, []).append((previous.guid, "FS", ""))
            previous = item
    names = {t.guid: t.name for t in tasks}
    drop_succ = set(story.get("no_successor", []))
    drop_pred = set(story.get("no_predecessor", []))
    out: dict[str, list[tuple[str, str, str]]] = {}
    for guid, preds in links.items():
        if names[guid] in drop_pred:
            continue
        kept = [(pg, story.get("type", {}).get(names[guid], kind), story.get("lag", {}).get(names[guid], lag))
                for pg, kind, lag in preds if names[pg] not in drop_succ]
        if kept:
            out[guid] = kept
    return out


def _constraint(t, story: dict) -> tuple[str, date | None]:
    kind, when = story.get("constraint", {}).get(t.name, ("ASAP", None))
    day = {"deadline": t.b_finish, "start": t.start, "finish": t.finish}.get(when) if when else None
    if kind == "SNET" and day is None:
        day = t.start
    return kind, day


def _grid_day(day: date | None) -> str:
    return "NA" if day is None else f"{day:%a} {day.month}/{day.day}/{day:%y}"


def _money(x: float, currency: str) -> str:
    sign = "-" if x < 0 else ""
    return f"{sign}{SYMBOL.get(currency, '')}{abs(x):,.2f}"


def _rows(p, tasks: list, story: dict, rng: random.Random) -> list[dict]:
    """One dict per plan row (the project summary first), values as the model has them."""
    by_guid = {t.guid: t for t in tasks}
    row_id = {t.guid: i for i, t in enumerate(tasks, start=1)}
    links = _links(tasks, story)
    roles = ROLES.get(p.profile, ["Project analyst"])
    unassigned = set(story.get("unassigned", []))
    rows = []
    leaves = [t for t in tasks if not t.summary]
    total = {"cost": money(sum(t.cost for t in leaves)), "b_cost": money(sum(t.b_cost for t in leaves)),
             "work": round(sum(t.work for t in leaves), 1)}
    pct = round(sum(t.pct * t.work for t in leaves) / (total["work"] or 1))
    rows.append({"id": 0, "uid": 0, "name": p.name, "level": 0, "wbs": "0", "start": p.start, "finish": p.finish,
                 "b_start": p.start, "b_finish": p.baseline_finish, "pct": pct, "cost": total["cost"],
                 "b_cost": total["b_cost"], "actual_cost": money(sum(t.cost * t.pct / 100 for t in leaves)),
                 "work": total["work"], "a_start": p.start, "a_finish": None,
                 "slack": min(schedule.total_slack_days(p, t, by_guid) for t in leaves), "milestone": False,
                 "preds": "", "resources": "", "constraint": ("ASAP", None), "deadline": None})
    for t in tasks:
        name = t.name
        if t.summary or t.milestone:
            resources = ""
        elif name in unassigned:
            resources = ""
        elif rng.random() < 0.3:
            resources = f"{p.pm},{rng.choice(roles)}[50%]"
        else:
            resources = rng.choice(roles)
        # `3`, `3FS+5 days`, `3SS-2 days`, `3SF` (MS Project writes the type once there is a lag)
        preds = ",".join(f"{row_id[g]}{kind if kind != 'FS' or lag else ''}{lag}"
                         for g, kind, lag in links.get(t.guid, []))
        rows.append({
            "id": row_id[t.guid], "uid": UID_BASE + row_id[t.guid], "name": name, "level": t.level, "wbs": t.wbs,
            "start": t.start, "finish": t.finish, "b_start": t.b_start, "b_finish": t.b_finish, "pct": t.pct,
            "cost": t.cost, "b_cost": t.b_cost, "actual_cost": money(t.cost * t.pct / 100), "work": t.work,
            "a_start": schedule.actual_start(t), "a_finish": schedule.actual_finish(t),
            "slack": schedule.total_slack_days(p, t, by_guid), "milestone": t.milestone, "preds": preds,
            "resources": resources, "constraint": _constraint(t, story),
            "deadline": t.b_finish if t.milestone else None,
        })
    return rows


def file_name(p, suffix: str) -> str:
    """`PRJ-1021 S-4HANA Finance Core 2026-11-20.xlsx`: the PMO's naming rule for plan drops (the
    project itself comes from the plan's summary task, not from the name)."""
    return f"{p.code} {p.name.replace('/', '-')} {LATEST.isoformat()}.{suffix}"


def _days(first: date, last: date, milestone: bool) -> int:
    return 0 if milestone else workdays(first, last)


def write_grid(p, tasks: list, story: dict, rng: random.Random) -> int:
    from .helpers import csv_writer

    path = OUT / "msproject" / file_name(p, "csv")
    rows = _rows(p, tasks, story, rng)
    f, w = csv_writer(path)
    with f:
        w.writerow(GRID_HEADER)
        for r in rows:
            kind, day = r["constraint"]
            indent = "   " * max(r["level"] - 1, 0)
            w.writerow([
                r["id"], r["uid"], "Auto Scheduled", indent + r["name"],
                f"{_days(r['start'], r['finish'], r['milestone'])} days", _grid_day(r["start"]),
                _grid_day(r["finish"]), r["preds"], r["resources"], f"{r['pct']}%",
                _money(r["cost"], p.currency), _money(r["b_cost"], p.currency), _money(r["actual_cost"], p.currency),
                f"{r['work']:,.0f} hrs", _grid_day(r["b_start"]), _grid_day(r["b_finish"]),
                f"{_days(r['b_start'], r['b_finish'], r['milestone'])} days", _grid_day(r["a_start"]),
                _grid_day(r["a_finish"]), f"{r['slack']:g} days", CONSTRAINT_NAMES[kind], _grid_day(day),
                _grid_day(r["deadline"]), r["level"], r["wbs"],
            ])
    return len(rows)


def write_wizard(p, tasks: list, story: dict, rng: random.Random) -> int:
    """The export wizard's Task_Table with a schedule map (no cost fields: the wizard writes costs
    as bare numbers, in no stated currency, which an ingest refuses without --currency; the
    register carries these projects' budgets)."""
    path = OUT / "msproject" / file_name(p, "xlsx")
    rows = _rows(p, tasks, story, rng)
    wb = new_workbook(path)
    when = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    ws = wb.add_worksheet("Task_Table")
    ws.write_row(0, 0, WIZARD_HEADER)
    for i, r in enumerate(rows, start=1):
        kind, day = r["constraint"]
        cells = [r["id"], r["uid"], r["name"], r["level"], r["wbs"],
                 f"{_days(r['start'], r['finish'], r['milestone'])} days", (r["start"], 8), (r["finish"], 17),
                 r["pct"],
                 (r["b_start"], 8), (r["b_finish"], 17), f"{_days(r['b_start'], r['b_finish'], r['milestone'])} days",
                 (r["a_start"], 8), (r["a_finish"], 17), f"{r['work']:,.0f} hrs", r["resources"] or None,
                 r["preds"] or None, f"{r['slack']:g} days", CONSTRAINT_NAMES[kind], (day, 8),
                 (r["deadline"], 17)]
        for c, v in enumerate(cells):
            if isinstance(v, tuple):
                if v[0] is None:
                    ws.write_string(i, c, "NA")
                else:
                    ws.write_datetime(i, c, datetime.combine(v[0], time(v[1])), when)
            elif v is None:
                continue
            elif isinstance(v, int):
                ws.write_number(i, c, v)
            else:
                ws.write_string(i, c, v)
    ws.set_column(0, len(WIZARD_HEADER) - 1, 16)
    ws.set_column(2, 2, 34)
    wb.close()
    return len(rows)


def write_desktop_plans(plans: dict, layouts: dict, rng: random.Random) -> dict:
    """plans: code -> (project, tasks) from project_server; layouts: code -> 'grid' | 'wizard'."""
    counts = {}
    for code in sorted(plans):
        p, tasks = plans[code]
        writer = write_grid if layouts[code] == "grid" else write_wizard
        n = writer(p, tasks, STORY.get(code, {}), rng)
        counts[file_name(p, "csv" if layouts[code] == "grid" else "xlsx")] = n
    return counts
