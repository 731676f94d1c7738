"""Write a big PMO store's export files (seeded), in the real export layouts, for benchmarks/run.py.

At --scale 1 (the issue's size): 5,000 projects, 1,000,000 tasks (with baseline 0 and the
schedule fields; 1 project in 50 planned in desktop MS Project with predecessors, constraints and
slack), 10,000,000 FP&A ledger lines, 50,000 Workday staff, 24 weekly Project Server status drops,
and the inputs of the governance, RAID, capacity, prioritisation and maturity pages
(make_big_extras.py: stage gates, a 150,000-item RAID log in three copies, >= 10,000,000 Harvest
time entries of 5,000 people over two years, their allocations and leave, driver scores, maturity
assessments). The Project
Server tables are written as CSV exports of the OData entity sets (the same headers as the
ProjectData workbook's sheets); the ledger, Workday, FX and salary benchmark files as in
sample_data/.

usage: python benchmarks/make_big_store.py [--scale S] [--out DIR]
       (default out: benchmarks/work/big for scale 1, benchmarks/work/big_<S> otherwise)
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import shutil
import sys
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import make_big_extras
import make_big_ledger

from sample_data.generators.project_server import PROJECTS_HEADER, RISKS_HEADER, TASKS_HEADER

LATEST = date(2026, 11, 20)
DROPS = 24
PORTFOLIOS = ["Digital & Customer", "Infrastructure & Cloud", "People & Workplace", "Finance & Risk",
              "Data & Analytics", "Operations", "Security", "Regulatory"]
DEPARTMENTS = ["IT Infrastructure", "Human Resources", "Finance", "Marketing", "Operations", "Sales",
               "Legal", "Customer Service", "Data Office", "Security", "Procurement", "Facilities"]
STAGES = ["Initiation", "Planning", "Execution", "Execution", "Closing"]
HEALTH = ["Green"] * 6 + ["Yellow"] * 3 + ["Red"]
TASKS_PER_PROJECT = 200
BASELINE_COLS = ["TaskBaselineStartDate", "TaskBaselineFinishDate", "TaskBaselineCost"]
PHASES = 10                     # summary tasks per project; each phase ends with a milestone


def guid(a: int, b: int) -> str:
    return f"{a:08x}-{b >> 48 & 0xffff:04x}-4{b >> 36 & 0xfff:03x}-8{b >> 24 & 0xfff:03x}-{b & 0xffffff:012x}"


def dt(day: date, hh: int) -> str:
    return f"{day.isoformat()}T{hh:02d}:00:00"


def build_projects(n: int, rnd: random.Random) -> list[dict]:
    managers = [f"Manager {i:04d}" for i in range(max(20, n // 12))]
    out = []
    for i in range(n):
        start = date(2024, 1, 1) + timedelta(days=rnd.randrange(1000))
        span = rnd.randrange(180, 900)
        budget = round(rnd.uniform(0.2, 12) * 1e6, -3)
        port = PORTFOLIOS[i % len(PORTFOLIOS)]
        out.append(dict(
            guid=guid(i + 1, 0xffffffffffff), code=f"PRJ-{1001 + i}", name=f"Project {1001 + i}", start=start,
            finish=start + timedelta(days=span), budget=budget, portfolio=port,
            program=f"{port.split()[0]} Programme {i % 5 + 1}", pm=rnd.choice(managers),
            dept=DEPARTMENTS[rnd.randrange(len(DEPARTMENTS))], ccy="EUR" if i % 11 == 0 else "USD",
            cost_factor=rnd.uniform(0.85, 1.3), slip=rnd.randrange(-10, 120)))
    return out


def write_drops(projects: list[dict], out: Path, rnd: random.Random) -> None:
    for k in range(DROPS):
        status = LATEST - timedelta(days=7 * (DROPS - 1 - k))
        with (out / f"Projects_{status.isoformat()}.csv").open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(PROJECTS_HEADER)
            for p in projects:
                if p["start"] > status + timedelta(days=60):
                    continue            # not in the register yet
                span = (p["finish"] - p["start"]).days
                pct = max(0, min(100, round(100 * (status - p["start"]).days / span)))
                finish = p["finish"] + timedelta(days=p["slip"] * pct // 100)
                actual = round(p["budget"] * p["cost_factor"] * pct / 100, 2)
                eac = round(p["budget"] * p["cost_factor"], 2)
                done = pct >= 100
                stage = "Closed" if done else STAGES[min(4, pct // 21)]
                health = [rnd.choice(HEALTH) for _ in range(4)]
                w.writerow([p["guid"], p["name"], p["pm"], p["pm"], dt(p["start"], 8), dt(finish, 17),
                            dt(p["start"], 8), dt(p["finish"], 17), dt(finish, 17) if done else "",
                            dt(status, 17), pct, eac, actual, p["budget"], p["budget"], p["ccy"], p["dept"],
                            "Business Project", p["code"], p["portfolio"], p["program"], "Sponsor A",
                            stage, "Medium", "", *health, "Weekly status."])


def write_tasks(projects: list[dict], out: Path, rnd: random.Random) -> int:
    """Project Server Tasks (with the schedule fields TaskActualStartDate / FinishDate and
    TaskTotalSlack, hours); the projects make_big_extras.is_desktop picks are planned in desktop
    MS Project instead: their tasks go to a grid CSV each (with predecessors, constraints, slack).
    Returns the number of desktop plans."""
    per_phase = TASKS_PER_PROJECT // PHASES
    plan_rnd = random.Random(1701)          # the desktop plans' own stream: the other rows stay the same
    plans = 0
    # A separate TaskBaselines CSV is only joined to Tasks within one workbook, so the baseline
    # goes on the Tasks rows (the OData Tasks entity set carries TaskBaseline* columns too).
    with (out / f"Tasks_{LATEST.isoformat()}.csv").open("w", newline="", encoding="utf-8") as ft:
        wt = csv.writer(ft)
        wt.writerow(TASKS_HEADER + BASELINE_COLS)
        for pi, p in enumerate(projects, start=1):
            span = (p["finish"] - p["start"]).days
            rows, plan = [], []
            for ph in range(PHASES):
                s0 = p["start"] + timedelta(days=span * ph // PHASES)
                s1 = p["start"] + timedelta(days=span * (ph + 1) // PHASES)
                pid = guid(pi, ph * 1000)
                phase_rows, phase_plan = [], []
                for t in range(1, per_phase):
                    milestone = t == per_phase - 1
                    b_start = s1 if milestone else s0 + timedelta(days=(s1 - s0).days * (t - 1) // per_phase)
                    b_finish = s1 if milestone else b_start + timedelta(days=max(1, (s1 - s0).days // 3))
                    slip = rnd.choice((0, 0, 0, 3, 10, 25))
                    start, finish = b_start + timedelta(days=slip), b_finish + timedelta(days=slip)
                    pct = 100 if finish < LATEST - timedelta(days=14) else (0 if start > LATEST else rnd.choice((0, 25, 50, 90)))
                    work = 0.0 if milestone else float(rnd.randrange(8, 320))
                    cost = 0.0 if milestone else round(work * rnd.uniform(70, 140), 2)
                    tid = guid(pi, ph * 1000 + t)
                    # total slack in hours: negative behind the milestone's deadline (its baseline finish)
                    slack = -8.0 * slip if milestone and slip else (0.0 if milestone else 8.0 * ((pi + t) % 5))
                    phase_rows.append([p["guid"], p["name"], tid, pid, f"Task {ph + 1}.{t}", 2, f"{ph + 1}.{t}",
                                       dt(start, 8), dt(finish, 17), 0.0 if milestone else 8.0 * max(1, (finish - start).days * 5 // 7),
                                       work, round(work * pct / 100, 1), round(work * (100 - pct) / 100, 1), pct,
                                       cost, round(cost * pct / 100, 2), "true" if milestone else "false", "false",
                                       dt(b_finish, 17) if milestone else "", dt(min(LATEST, start), 10),
                                       dt(start, 8) if pct > 0 else "", dt(finish, 17) if pct >= 100 else "", slack,
                                       dt(b_start, 8), dt(b_finish, 17), cost])
                    phase_plan.append(dict(name=f"Task {ph + 1}.{t}", level=2, wbs=f"{ph + 1}.{t}", start=start,
                                           finish=finish, b_start=b_start, b_finish=b_finish, pct=pct, cost=cost,
                                           b_cost=cost, work=work, milestone=milestone, summary=False))
                work = sum(r[10] for r in phase_rows)
                cost = round(sum(r[14] for r in phase_rows), 2)
                done = round(sum(r[15] for r in phase_rows), 2)
                pct = round(100 * done / cost) if cost else 0
                rows.append([p["guid"], p["name"], pid, "", f"Phase {ph + 1}", 1, str(ph + 1), dt(s0, 8),
                             phase_rows[-1][8], 8.0 * max(1, (s1 - s0).days * 5 // 7), work,
                             round(work * pct / 100, 1), round(work * (100 - pct) / 100, 1), pct, cost, done,
                             "false", "true", "", dt(min(LATEST, s0), 10), dt(s0, 8) if pct > 0 else "",
                             phase_rows[-1][8] if pct >= 100 else "", min(r[22] for r in phase_rows),
                             dt(s0, 8), dt(s1, 17), cost])
                rows += phase_rows
                plan.append(dict(name=f"Phase {ph + 1}", level=1, wbs=str(ph + 1), start=s0,
                                 finish=max(t["finish"] for t in phase_plan), b_start=s0, b_finish=s1, pct=pct,
                                 cost=cost, b_cost=cost, work=work, milestone=False, summary=True))
                plan += phase_plan
            if make_big_extras.is_desktop(pi - 1):
                make_big_extras.write_desktop_plan(p, plan, out.parent, plan_rnd)
                plans += 1
            else:
                wt.writerows(rows)
    return plans


def write_risks(projects: list[dict], out: Path, rnd: random.Random) -> None:
    with (out / f"Risks_{LATEST.isoformat()}.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(RISKS_HEADER)
        for p in projects:
            for k in range(1, 4):
                prob, impact = rnd.choice((10, 30, 50, 70)), rnd.randint(2, 9)
                cost = round(p["budget"] * rnd.uniform(0.01, 0.08), 2)
                due = LATEST + timedelta(days=rnd.randint(-14, 90))
                w.writerow([p["guid"], p["name"], k, f"Risk {k}", rnd.choice(("Active", "Active", "Closed")),
                            "Schedule", p["pm"], p["pm"], prob, impact, round(prob / 100 * impact, 2), cost,
                            round(prob / 100 * cost, 2), dt(due, 17), "Mitigation in place.",
                            dt(p["start"] + timedelta(days=10), 9), dt(LATEST - timedelta(days=3), 9)])


def write_staff(n: int, out: Path, rnd: random.Random) -> None:
    """Workday compensation report: the sample's rows as templates, new workers and salaries."""
    src = ROOT / "sample_data" / "hr" / "workday_pmo_compensation_2026-11-01.csv"
    with src.open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header, templates = rows[0], rows[1:]
    i_id, i_worker, i_pay = header.index("Employee ID"), header.index("Worker"), \
        header.index("Total Base Pay Annualized - Amount")
    with (out / "workday_pmo_compensation_2026-11-01.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for k in range(n):
            r = list(templates[k % len(templates)])
            r[i_id], r[i_worker] = str(200000 + k), f"Worker {k:06d}"
            r[i_pay] = f"{float(r[i_pay]) * rnd.uniform(0.85, 1.15):.2f}"
            w.writerow(r)


def main(scale: float, out: Path) -> Path:
    rnd = random.Random(2026)
    if out.exists():
        shutil.rmtree(out)
    for sub in ("project_server", "finance", "hr", "benchmarks"):
        (out / sub).mkdir(parents=True)
    projects = build_projects(max(40, round(5000 * scale)), rnd)
    write_drops(projects, out / "project_server", rnd)
    plans = write_tasks(projects, out / "project_server", rnd)
    write_risks(projects, out / "project_server", rnd)
    write_staff(max(45, round(50_000 * scale)), out / "hr", rnd)
    # The ledger: make_big_ledger's seeded generator (projects PRJ-1001.. as above, 24 months).
    make_big_ledger.main(out / "finance" / "fpna_ledger_FY2025-FY2026.csv", round(10_000_000 * scale),
                         n_projects=len(projects))
    shutil.copy(ROOT / "sample_data" / "finance" / "fx_rates_2026.csv", out / "finance")
    for f in (ROOT / "sample_data" / "benchmarks").iterdir():
        shutil.copy(f, out / "benchmarks")
    # governance, RAID, capacity, prioritisation and maturity inputs (issues 17-19)
    counts = {"desktop MS Project plans": plans, **make_big_extras.main(projects, out, scale)}
    counts_file(out).write_text(json.dumps(counts, indent=1))
    return out


def counts_file(out: Path) -> Path:
    """What make_big_extras wrote (rows per input), beside the export files (not ingested)."""
    return out.parent / f"{out.name}_counts.json"


def default_out(scale: float) -> Path:
    return HERE / "work" / ("big" if scale == 1 else f"big_{scale:g}")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--out", type=Path)
    a = ap.parse_args()
    print(main(a.scale, a.out or default_out(a.scale)))
