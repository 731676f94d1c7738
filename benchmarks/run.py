"""The scale benchmark (issue 10), one command: `python benchmarks/run.py [--scale S] [--runs N]`.

1. Writes a seeded big store's export files (benchmarks/make_big_store.py; at --scale 1:
   5,000 projects, 1M tasks, 10M ledger lines, 50,000 staff, 24 weekly status drops; and, from
   make_big_extras.py, 100 desktop MS Project plans with predecessors, a stage-gate log, a
   150,000-item RAID log in 3 copies, >= 10M Harvest time entries of 5,000 people over 2 years,
   their allocations and leave, driver scores and maturity assessments).
2. `pmo ingest --summaries now` of all of them: wall time and peak memory (max RSS).
3. Every page under AppTest, each in a fresh process (cold caches): server-side time of the first
   run and of a filter change with warm caches (Portfolio, or the page's first filter), the time
   of the page's query layer inside those (pmo.query: connecting and running page queries), the most rows any
   dataframe/table/chart element receives (benchmarks/page_probe.py).
4. In the same run, on the same data: (a) the floor: each page's main aggregates as minimal
   hand-written DuckDB SQL over read_parquet of the store's segment files; (b) the pandas way:
   the same aggregates as a typical Streamlit + pandas dashboard computes them on every rerun
   (pd.read_csv of the export files + groupby).
5. Dashboard memory: the resident memory of a real `pmo serve` after headless Chromium opened
   every page once (and, as a cross-check, the peak RSS of one AppTest process rendering them all).
Medians of N runs; prints ratios and writes the "## Pages at scale" section of
benchmarks/RESULTS.md after every page (other sections are kept), so a stopped run leaves the
pages it measured.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from importlib.metadata import version as pkg_version
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import make_big_store

PAGES = ["dashboard.py", *sorted((str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py")),
                                 key=lambda p: int(Path(p).name.split("_", 1)[0]))]      # in the sidebar's order
TARGET_COLD, TARGET_FLOOR, TARGET_WARM, TARGET_PANDAS, TARGET_MEM, TARGET_ROWS = 1.5, 1.5, 0.2, 10, 1536, 10_000


# ----------------------------------------------------------------------------------------------
# machine
# ----------------------------------------------------------------------------------------------
def machine() -> str:
    cpu = "unknown CPU"
    try:
        cpu = next(ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo") if ln.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    libs = ", ".join(f"{p} {pkg_version(p)}" for p in ("streamlit", "duckdb", "polars", "pandas", "pyarrow"))
    return (f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}; {libs}")


# ----------------------------------------------------------------------------------------------
# ingest
# ----------------------------------------------------------------------------------------------
def export_files(src: Path) -> list[Path]:
    return sorted(p for p in src.rglob("*") if p.is_file())


def ingest(src: Path, store: Path) -> tuple[float, float]:
    if store.exists():
        shutil.rmtree(store)
    store.mkdir(parents=True)
    shutil.copy(ROOT / "sample_data" / "store_config.toml", store / "config.toml")
    # --summaries now: the dashboard's summary tables are built before the command returns, so no
    # background build overlaps the page measurements (and the time includes them, as on 2026-12-03)
    cmd = ["/usr/bin/time", "-v", sys.executable, "-m", "pmo", "ingest", "--summaries", "now", "--data-dir", str(store),
           *map(str, export_files(src))]
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        raise SystemExit(f"pmo ingest failed:\n{p.stdout[-3000:]}\n{p.stderr[-3000:]}")
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr).group(1)) / 1024
    return wall, rss


# ----------------------------------------------------------------------------------------------
# pages under AppTest
# ----------------------------------------------------------------------------------------------
def probe(store: Path, pages: list[str]) -> dict:
    env = {**os.environ, "PMO_DATA_DIR": str(store)}
    p = subprocess.run([sys.executable, str(HERE / "page_probe.py"), *pages], capture_output=True, text=True,
                       cwd=ROOT, env=env)
    line = next((ln for ln in reversed(p.stdout.splitlines()) if ln.startswith("{")), None)
    if line is None:
        raise SystemExit(f"page probe failed for {pages}:\n{p.stdout[-3000:]}\n{p.stderr[-3000:]}")
    return json.loads(line)


# ----------------------------------------------------------------------------------------------
# a real `pmo serve`, every page visited once in Chromium: the server's resident memory
# ----------------------------------------------------------------------------------------------
SERVE_PATHS = ["", "Portfolio_Health", "Project?project=PRJ-1001", "Budget_Variance", "Salary_Benchmarks",
               "Data", "SQL_Explorer", "Audit", "Governance", "RAID", "Capacity", "Prioritisation", "Maturity"]


def _tree(pid: int) -> list[int]:
    out = [pid]
    try:
        for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
            out += _tree(int(child))
    except OSError:
        pass
    return out


def _kb(pid: int, field: str) -> int:
    try:
        line = next(ln for ln in Path(f"/proc/{pid}/status").read_text().splitlines() if ln.startswith(field))
        return int(line.split()[1])
    except (OSError, StopIteration):
        return 0


def serve_memory(store: Path) -> tuple[float, float] | None:
    """(peak, current) resident MB of the `pmo serve` process tree after one visit to each page;
    None if Chromium or Playwright is missing."""
    import signal
    import socket
    import urllib.request

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    exe = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(exe).exists():
        return None
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "pmo", "serve", "--port", str(port), "--host", "127.0.0.1"],
                            cwd=ROOT, env={**os.environ, "PMO_DATA_DIR": str(store)}, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(url + "/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=exe, headless=True, args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            for path in SERVE_PATHS:
                page.goto(f"{url}/{path}")
                page.wait_for_selector('[data-testid="stSidebar"]', timeout=300_000)
                time.sleep(1)
                page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                                       timeout=300_000)
            browser.close()
        pids = _tree(proc.pid)
        return sum(_kb(x, "VmHWM") for x in pids) / 1024, sum(_kb(x, "VmRSS") for x in pids) / 1024
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


# ----------------------------------------------------------------------------------------------
# the floor: minimal DuckDB SQL over the store's Parquet segments
# ----------------------------------------------------------------------------------------------
FLOOR_SQL = {
    # Home: headline counts and sums, rows per table
    "dashboard.py": [
        """with s as (select * from snap qualify row_number() over (partition by project_id order by as_of desc) = 1)
           select count(*), sum(budget), count(*) filter (where reported_health = 'red'),
                  (select sum(amount_original) from fin where kind = 'actual') from s""",
        "select (select count(*) from fin), (select count(*) from tsk), (select count(*) from snap), "
        "(select count(*) from sal), (select count(*) from prj)",
    ],
    # Portfolio health: latest status per project in the portfolio, task EV per project, RAG history
    "pages/1_Portfolio_Health.py": [
        """with p as (select distinct on (project_id) * from prj where $portfolio is null or portfolio = $portfolio
                      order by project_id, as_of desc),
                s as (select * from snap where project_id in (select project_id from p)
                      qualify row_number() over (partition by project_id order by as_of desc) = 1),
                t as (select project_id, sum(baseline_cost * percent_complete) as ev,
                             count(*) filter (where is_milestone and finish_date > baseline_finish_date) as late
                      from tsk where not is_summary and project_id in (select project_id from p) group by 1)
           select p.project_id, s.reported_health, s.budget, s.actual_cost, t.ev, t.late
           from p left join s using (project_id) left join t using (project_id)""",
        """select s.as_of, s.reported_health, count(*) from snap s
           where s.project_id in (select project_id from prj where $portfolio is null or portfolio = $portfolio)
           group by all""",
    ],
    # Budget variance: ledger by project, month, category and kind for the portfolio
    "pages/2_Budget_Variance.py": [
        """select f.project_id, f.period, f.category, f.kind, sum(f.amount_original)
           from fin f where f.project_id in (select project_id from prj where $portfolio is null or portfolio = $portfolio)
           group by all""",
    ],
    # Salary benchmarks: pay percentiles per job title and country
    "pages/3_Salary_Benchmarks.py": [
        """select job_title, country, count(*), quantile_cont(base_salary_original, [0.1, 0.25, 0.5, 0.75, 0.9])
           from sal group by all""",
    ],
    # Data: rows per table
    "pages/4_Data.py": [
        "select (select count(*) from fin), (select count(*) from tsk), (select count(*) from snap), "
        "(select count(*) from sal), (select count(*) from prj), (select count(*) from rsk)",
    ],
    # Project: one project's tasks, monthly ledger and status history
    "pages/6_Project.py": [
        "select * from tsk where project_id = $project",
        "select period, kind, sum(amount_original) from fin where project_id = $project group by all",
        "select * from snap where project_id = $project order by as_of",
    ],
    # Governance: per project the DCMA-style schedule counts (logic, leads, lags, link types, hard
    # constraints, negative / high float, long tasks, invalid dates, missed tasks) and overdue gates
    "pages/8_Governance.py": [
        """with p as (select distinct on (project_id) project_id from prj
                      where $portfolio is null or portfolio = $portfolio order by project_id, as_of desc),
                t as (select project_id, count(*) as n,
                             count(*) filter (where constraint_type in ('MSO', 'MFO', 'SNLT', 'FNLT')) as hard,
                             count(*) filter (where total_slack_days < 0) as negative_float,
                             count(*) filter (where total_slack_days > 44) as high_float,
                             count(*) filter (where duration_days > 44) as long_tasks,
                             count(*) filter (where percent_complete < 100 and finish_date < date '2026-11-20') as invalid,
                             count(*) filter (where baseline_finish_date <= date '2026-11-20'
                                              and (completed_date is null or completed_date > baseline_finish_date)) as missed
                      from tsk where not is_summary and project_id in (select project_id from p) group by 1),
                l as (select project_id, count(distinct task_id) as with_pred, count(*) filter (where lag_days < 0) as leads,
                             count(*) filter (where lag_days > 0) as lags, count(*) filter (where link_type <> 'FS') as non_fs
                      from lnk where project_id in (select project_id from p) group by 1),
                s as (select project_id, count(distinct predecessor_id) as with_succ from lnk
                      where project_id in (select project_id from p) group by 1),
                g as (select project_id, count(*) filter (where decision_date is null and planned_date < date '2026-11-20') as overdue,
                             count(*) filter (where decision_category = 'deferred') as deferred
                      from gates where project_id in (select project_id from p) group by 1)
           select * from p left join t using (project_id) left join l using (project_id)
                left join s using (project_id) left join g using (project_id)""",
    ],
    # RAID: open items by probability x impact cell and kind, ageing, the dependency edges resolved to
    # the blocker's project with two-item cycles, and the open count per copy of the log
    "pages/9_RAID.py": [
        """with p as (select distinct on (project_id) project_id from prj
                      where $portfolio is null or portfolio = $portfolio order by project_id, as_of desc)
           select kind, ceil(probability * 5) as p_band, impact, count(*),
                  count(*) filter (where date_diff('day', created_date, date '2026-11-20') > 90) as older_90
           from rsk where status_category = 'open' and project_id in (select project_id from p) group by all""",
        """with p as (select distinct on (project_id) project_id from prj
                      where $portfolio is null or portfolio = $portfolio order by project_id, as_of desc),
                e as (select d.project_id, d.item_id, d.blocker_id, coalesce(b.project_id, d.blocker_project_id) as blocker_project
                      from dep d left join rsk b on b.item_id = d.blocker_id)
           select e.*, c.item_id is not null as in_two_cycle from e
           left join dep c on c.item_id = e.blocker_id and c.blocker_id = e.item_id
           where e.project_id in (select project_id from p) or e.blocker_project in (select project_id from p)""",
        """select as_of, kind, count(*) filter (where status_category = 'open') from raid_snap
           where project_id in (select project_id from prj where $portfolio is null or portfolio = $portfolio)
           group by all""",
    ],
    # Capacity: per person and ISO week of the default window (8 weeks before the status date, 12
    # after): contract capacity less leave, planned hours (bookings spread over working days) and
    # logged hours, for the people with hours on the selected projects
    "pages/10_Capacity.py": [
        """with d as (select range::date as day, date_trunc('week', range)::date as wk
                      from range(date '2026-09-21', date '2027-02-15', interval 1 day) where isodow(range) <= 5),
                sel as (select distinct on (project_id) project_id from prj
                        where $portfolio is null or portfolio = $portfolio order by project_id, as_of desc),
                act as (select employee_id as person, d.wk, sum(hours) as actual,
                               sum(hours) filter (where project_id in (select project_id from sel)) as selected
                        from te join d on d.day = te.work_date group by all),
                pln as (select (200000 + cast(substr(a.person_name, 8) as integer))::varchar as person, d.wk,
                               sum(a.hours_per_day) as planned
                        from alc a join d on d.day between a.start_date and a.end_date
                        where not coalesce(a.is_placeholder, false) group by all),
                cw as (select c.employee_id as person, d.wk, sum(c.weekly_hours / 5) as contract
                        from cap c join d on d.day >= c.start_date and (c.end_date is null or d.day <= c.end_date)
                        where c.kind = 'contract' group by all),
                lv as (select c.employee_id as person, d.wk, sum(c.hours) as leave
                       from cap c join d on d.day = c.start_date where c.kind = 'leave' group by all)
           select cw.person, cw.wk, cw.contract - coalesce(lv.leave, 0) as capacity, act.actual, pln.planned
           from cw left join lv using (person, wk) left join act using (person, wk) left join pln using (person, wk)
           where $portfolio is null or act.selected > 0""",
    ],
    # Prioritisation: each open project's weighted score over the drivers and its remaining cost
    "pages/11_Prioritisation.py": [
        """with p as (select distinct on (project_id) * from prj
                      where $portfolio is null or portfolio = $portfolio order by project_id, as_of desc),
                s as (select project_id, sum(score * case criterion when 'Strategic alignment' then 0.3
                          when 'Financial value' then 0.25 when 'Urgency' then 0.15 when 'Customer impact' then 0.2
                          else -0.1 end) as weighted, count(*) as drivers from scr group by 1)
           select p.project_id, p.budget, s.weighted, s.drivers from p left join s using (project_id)
           where p.stage is distinct from 'Closed' order by s.weighted desc nulls last""",
    ],
    # Maturity: levels per assessment and pillar, and the RAID hygiene evidence (open items with
    # an owner, a due date and an update in the last 30 days)
    "pages/12_Maturity.py": [
        """select assessment, assessed_on, split_part(question_id, '-', 1) as pillar, avg(answer_level), count(*)
           from mat group by all""",
        """select count(*) filter (where owner is not null and due_date is not null
                                   and updated_date >= date '2026-11-20' - 30) / count(*)
           from rsk where status_category = 'open'
             and project_id in (select project_id from prj where $portfolio is null or portfolio = $portfolio)""",
    ],
}


FLOOR_TABLES = (("fin", "financials"), ("tsk", "tasks"), ("snap", "status_snapshots"), ("sal", "salaries"),
                ("prj", "projects"), ("rsk", "risks"), ("lnk", "task_links"), ("gates", "stage_gates"),
                ("dep", "dependencies"), ("raid_snap", "raid_snapshots"), ("te", "time_entries"),
                ("alc", "allocations"), ("cap", "capacity"), ("scr", "project_scores"), ("mat", "maturity_answers"))


def floor(store: Path, page: str, portfolio: str | None, project: str) -> float | None:
    import duckdb

    from pmo.store import Store

    if page not in FLOOR_SQL:
        return None
    s = Store(store)
    segs = s.segments(s.manifest())
    t0 = time.perf_counter()
    con = duckdb.connect()
    con.execute("set threads = 2")
    for alias, table in FLOOR_TABLES:
        files = ", ".join(f"'{s.path(x.file)}'" for x in segs.get(table, []))
        if files:
            con.execute(f"create view {alias} as select * from read_parquet([{files}], union_by_name = true)")
    for q in FLOOR_SQL[page]:
        params = {k: v for k, v in (("portfolio", portfolio), ("project", project)) if f"${k}" in q}
        con.execute(q, params or None).fetchall()
    con.close()
    return time.perf_counter() - t0


# ----------------------------------------------------------------------------------------------
# the pandas way: read_csv + groupby on every rerun
# ----------------------------------------------------------------------------------------------
def pandas_way(src: Path, page: str, portfolio: str | None, project: str) -> float | None:
    import pandas as pd

    ps = src / "project_server"
    latest = sorted(ps.glob("Projects_*.csv"))[-1]

    def projects_in():
        p = pd.read_csv(latest)
        return p if portfolio is None else p[p["Portfolio"] == portfolio]

    t0 = time.perf_counter()
    if page == "dashboard.py":
        p = pd.read_csv(latest)
        led = pd.read_csv(src / "finance" / "fpna_ledger_FY2025-FY2026.csv")
        (len(p), p["ProjectBudgetCost"].sum(), (p["OverallHealth"] == "Red").sum(),
         led.loc[led["Version"] == "Actual", "Amount"].sum())
    elif page == "pages/1_Portfolio_Health.py":
        hist = pd.concat([pd.read_csv(f) for f in sorted(ps.glob("Projects_*.csv"))])
        p = projects_in()
        tasks = pd.read_csv(ps / "Tasks_2026-11-20.csv", parse_dates=["TaskFinishDate", "TaskBaselineFinishDate"])
        tasks = tasks[tasks["ProjectId"].isin(p["ProjectId"]) & ~tasks["TaskIsSummary"]]
        tasks["ev"] = tasks["TaskBaselineCost"] * tasks["TaskPercentCompleted"] / 100
        tasks["late"] = tasks["TaskIsMilestone"] & (tasks["TaskFinishDate"] > tasks["TaskBaselineFinishDate"])
        t = tasks.groupby("ProjectId").agg(ev=("ev", "sum"), late=("late", "sum")).reset_index()
        p.merge(t, on="ProjectId", how="left")
        hist[hist["ProjectId"].isin(p["ProjectId"])].groupby(["ProjectStatusDate", "OverallHealth"]).size()
    elif page == "pages/2_Budget_Variance.py":
        p = projects_in()
        led = pd.read_csv(src / "finance" / "fpna_ledger_FY2025-FY2026.csv")
        led = led[led["Project"].isin(p["ProjectCode"])]
        led.groupby(["Project", "Period", "Category", "Version"])["Amount"].sum().reset_index()
    elif page == "pages/3_Salary_Benchmarks.py":
        staff = pd.read_csv(src / "hr" / "workday_pmo_compensation_2026-11-01.csv")
        staff.groupby(["Job Profile", "Country"])["Total Base Pay Annualized - Amount"].quantile(
            [0.1, 0.25, 0.5, 0.75, 0.9])
    elif page == "pages/4_Data.py":
        sum(len(pd.read_csv(f)) for f in export_files(src) if f.suffix == ".csv")
    elif page == "pages/6_Project.py":
        p = pd.read_csv(latest)
        guid = p.loc[p["ProjectCode"] == project, "ProjectId"].iloc[0]
        tasks = pd.read_csv(ps / "Tasks_2026-11-20.csv")
        tasks[tasks["ProjectId"] == guid]
        led = pd.read_csv(src / "finance" / "fpna_ledger_FY2025-FY2026.csv")
        led[led["Project"] == project].groupby(["Period", "Version"])["Amount"].sum()
        hist = pd.concat([pd.read_csv(f) for f in sorted(ps.glob("Projects_*.csv"))])
        hist[hist["ProjectCode"] == project].sort_values("ProjectStatusDate")
    elif page == "pages/8_Governance.py":
        p = projects_in()
        tasks = pd.read_csv(ps / "Tasks_2026-11-20.csv", parse_dates=["TaskFinishDate", "TaskBaselineFinishDate"])
        tasks = tasks[tasks["ProjectId"].isin(p["ProjectId"]) & ~tasks["TaskIsSummary"]]
        tasks["negative_float"] = tasks["TaskTotalSlack"] < 0
        tasks["long"] = tasks["TaskDuration"] > 44 * 8
        tasks["missed"] = (tasks["TaskBaselineFinishDate"] <= "2026-11-20") & (tasks["TaskPercentCompleted"] < 100)
        tasks.groupby("ProjectId")[["negative_float", "long", "missed"]].sum()
        gates = pd.read_csv(src / "governance" / "stage_gate_log_2026-11-20.csv", parse_dates=["Planned date"])
        gates = gates[gates["Project"].isin(p["ProjectCode"])]
        gates[gates["Decision"].isna() & (gates["Planned date"] < "2026-11-20")].groupby("Project").size()
    elif page == "pages/9_RAID.py":
        p = projects_in()
        raid = pd.read_csv(src / "raid" / "pmo_raid_log_2026-11-20.csv")
        mine = raid[raid["Project"].isin(p["ProjectCode"]) & (raid["Status"] == "Open")]
        mine.groupby(["Type", "Probability", "Impact"]).size()
        deps = mine.assign(blocker=mine["Depends on"].str.split("; ")).explode("blocker").dropna(subset=["blocker"])
        deps.merge(raid[["ID", "Project"]], left_on="blocker", right_on="ID", how="left", suffixes=("", "_blocker"))
        hist = pd.concat([pd.read_csv(f).assign(copy=f.stem) for f in sorted((src / "raid").glob("*.csv"))])
        hist[hist["Project"].isin(p["ProjectCode"])].groupby(["copy", "Type", "Status"]).size()
    elif page == "pages/10_Capacity.py":
        p = projects_in()
        te = pd.concat([pd.read_csv(f, usecols=["Date", "Project Code", "Hours", "Employee Id"], parse_dates=["Date"])
                        for f in sorted((src / "timesheets").glob("*.csv"))])
        te = te[te["Date"] >= "2026-09-21"]
        te["week"] = te["Date"].dt.to_period("W")
        people = te.loc[te["Project Code"].isin(p["ProjectCode"]), "Employee Id"].unique()
        actual = te[te["Employee Id"].isin(people)].groupby(["Employee Id", "week"])["Hours"].sum()
        alc = pd.read_csv(next((src / "resources").glob("*.csv")), parse_dates=["Start Date", "End Date"])
        alc = alc[(alc["End Date"] >= "2026-09-21") & (alc["Start Date"] <= "2027-02-15")]
        days = pd.DataFrame({"day": pd.bdate_range("2026-09-21", "2027-02-15")})
        planned = alc.merge(days, how="cross")
        planned = planned[(planned["day"] >= planned["Start Date"]) & (planned["day"] <= planned["End Date"])]
        planned.groupby(["Name", planned["day"].dt.to_period("W")])["Hours/Day"].sum()
        off = pd.read_csv(src / "hr" / "workday_time_off_2026-11-20.csv", parse_dates=["Time Off Date"])
        off.groupby(["Employee ID", off["Time Off Date"].dt.to_period("W")])["Units"].sum()
        actual.reset_index()
    elif page == "pages/11_Prioritisation.py":
        p = projects_in()
        sc = pd.read_csv(src / "prioritisation" / "driver_scores_2026-11-20.csv")
        rating = {"None": 0, "Low": 1, "Moderate": 2, "Strong": 3, "Extreme": 4}
        sc["value"] = pd.to_numeric(sc["Score"].replace(rating), errors="coerce")
        wide = sc[sc["Project ID"].isin(p["ProjectCode"])].pivot_table(index="Project ID", columns="Criterion",
                                                                          values="value")
        (wide / wide.max()).mean(axis=1).sort_values(ascending=False)
    elif page == "pages/12_Maturity.py":
        mat = pd.concat([pd.read_csv(f) for f in sorted((src / "maturity").glob("*.csv"))])
        mat.groupby(["Assessment", mat["Question ID"].str.split("-").str[0]])["Level"].mean()
        p = projects_in()
        raid = pd.read_csv(src / "raid" / "pmo_raid_log_2026-11-20.csv", parse_dates=["Last updated"])
        mine = raid[raid["Project"].isin(p["ProjectCode"]) & (raid["Status"] == "Open")]
        (mine["Owner"].notna() & mine["Due date"].notna() & (mine["Last updated"] >= "2026-10-21")).mean()
    else:
        return None
    return time.perf_counter() - t0


# ----------------------------------------------------------------------------------------------
# report
# ----------------------------------------------------------------------------------------------
def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def fmt_s(x) -> str:
    return "n/a" if x is None else (f"{x * 1000:,.0f} ms" if x < 1 else f"{x:,.2f} s")


def ok(cond) -> str:
    return "n/a" if cond is None else ("met" if cond else "**NOT met**")


def main() -> None:
    ap = argparse.ArgumentParser(description="scale benchmark (issue 10)")
    ap.add_argument("--scale", type=float, default=1.0, help="1 = the issue's sizes; 0.1 for a quick run")
    ap.add_argument("--runs", type=int, default=3, help="runs of each page measurement (medians)")
    ap.add_argument("--reuse", action="store_true", help="reuse the export files of an earlier run (the store is always built afresh)")
    ap.add_argument("--reuse-store", nargs=2, type=float, metavar=("INGEST_S", "INGEST_MB"),
                    help="keep the store an earlier run of the same export files ingested (its ingest time and "
                         "peak memory given here, as that run printed them)")
    ap.add_argument("--pages", nargs="*", default=PAGES)
    a = ap.parse_args()

    src = make_big_store.default_out(a.scale)
    store = HERE / "work" / f"store_{a.scale:g}"
    if a.reuse_store and (store / "config.toml").exists():
        # measured when the store was built (a run stopped after its ingest): quoted from that run
        ingest_t, ingest_rss = a.reuse_store
        size_mb = sum(f.stat().st_size for f in export_files(src)) / 2**20
    else:
        ingest_t = None
    if ingest_t is None and not (a.reuse and src.exists()):
        t0 = time.perf_counter()
        make_big_store.main(a.scale, src)
        print(f"export files written in {time.perf_counter() - t0:.0f} s: {src}", flush=True)
    if ingest_t is None:
        size_mb = sum(f.stat().st_size for f in export_files(src)) / 2**20
        ingest_t, ingest_rss = ingest(src, store)
    print(f"pmo ingest: {ingest_t:.1f} s, peak {ingest_rss:,.0f} MB", flush=True)

    from pmo import query
    from pmo.store import Store
    rt = query.connect(Store(store))
    # the summary tables pmo ingest saved (projects, tasks, ...): computing the canonical views
    # afresh on a raw connection takes minutes at --scale 1
    rt.ensure_summaries(("projects", "tasks", "status_snapshots"))
    con = rt.con
    sizes = dict(con.execute(
        "select 'projects', count(*) from projects union all select 'tasks', count(*) from tasks union all "
        "select 'financials', count(*) from financials union all select 'salaries', count(*) from salaries "
        "union all select 'status_snapshots', count(*) from status_snapshots union all "
        "select 'as of dates', count(distinct as_of) from status_snapshots").fetchall())
    # the governance, RAID, capacity, prioritisation and maturity inputs (issues 17-19), from the
    # segment files as stored
    sizes.update(con.execute(
        "select 'task_links', count(*) from seg_task_links union all "
        "select 'desktop plans', count(distinct project_id) from seg_task_links union all "
        "select 'stage_gates', count(*) from seg_stage_gates union all "
        "select 'raid items', count(*) from seg_risks where source like 'raid_log:%' union all "
        "select 'raid copies', count(distinct as_of) from seg_raid_snapshots where source like 'raid_log:%' union all "
        "select 'dependencies', count(*) from seg_dependencies union all "
        "select 'time_entries', count(*) from seg_time_entries union all "
        "select 'people with time', count(distinct employee_id) from seg_time_entries union all "
        "select 'allocations', count(*) from seg_allocations union all "
        "select 'leave', count(*) from seg_capacity where kind = 'leave' union all "
        "select 'project_scores', count(*) from seg_project_scores union all "
        "select 'maturity_answers', count(*) from seg_maturity_answers").fetchall())
    portfolio = con.execute("select min(portfolio) from projects").fetchall()[0][0]
    con.close()

    rows = []
    for page in a.pages:
        runs = [probe(store, [page])["pages"][0] for _ in range(a.runs)]
        r = runs[-1]
        # the filter the probe changed: the floor and pandas ways use the same portfolio when it is one
        pf = r["filter"].split(" = ", 1)[1] if r["filter"].startswith("Portfolio = ") else portfolio
        project = "PRJ-1001"
        fl_cold = med([floor(store, page, None, project) for _ in range(a.runs)])
        fl_warm = med([floor(store, page, pf, project) for _ in range(a.runs)])
        pd_warm = pandas_way(src, page, pf, project)
        row = dict(
            page=page, filter=r["filter"], errors=sorted({e for x in runs for e in x["errors"] + x["warm_errors"]}),
            cold=med([x["cold_s"] for x in runs]), cold_q=med([x["cold_connect_s"] + x["cold_sql_s"] for x in runs]),
            warm=med([x["warm_s"] for x in runs]), warm_q=med([x["warm_sql_s"] for x in runs]),
            imports=med([x.get("import_s") for x in runs]),
            queries=r["cold_queries"], max_rows=max(x["max_rows"] for x in runs),
            element=r["max_rows_element"], floor_cold=fl_cold, floor_warm=fl_warm, pandas=pd_warm)
        rows.append(row)
        print(json.dumps(row), flush=True)
        # after every page: a run stopped part way still leaves the pages measured so far
        write_results(a, rows, None, None, ingest_t, ingest_rss, size_mb, sizes, quiet=True)

    mem = probe(store, a.pages)["peak_rss_mb"]
    print(f"AppTest process peak RSS after every page: {mem:,.0f} MB", flush=True)
    served = serve_memory(store)
    print(f"pmo serve after one visit to each page (peak, current MB): {served}", flush=True)
    write_results(a, rows, mem, served, ingest_t, ingest_rss, size_mb, sizes)


def write_results(a, rows, mem, served, ingest_t, ingest_rss, size_mb, sizes, quiet: bool = False) -> None:
    lines = [f"## Pages at scale (issue 10): --scale {a.scale:g}", "",
             f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {machine()}.",
             f"Command: `python benchmarks/run.py --scale {a.scale:g} --runs {a.runs}"
             f"{' --reuse' if a.reuse else ''}{' --reuse-store %g %g' % tuple(a.reuse_store) if a.reuse_store else ''}{'' if a.pages == PAGES else ' --pages ' + ' '.join(a.pages)}`; "
             f"medians of {a.runs} runs "
             "(the pandas way: 1 run).", "",
             f"Store: {sizes.get('projects', 0):,} projects, {sizes.get('tasks', 0):,} tasks, "
             f"{sizes.get('financials', 0):,} finance lines, {sizes.get('salaries', 0):,} staff, "
             f"{sizes.get('status_snapshots', 0):,} status snapshots on {sizes.get('as of dates', 0)} status dates; "
             f"{sizes.get('task_links', 0):,} task links (predecessors) in {sizes.get('desktop plans', 0):,} desktop "
             f"MS Project plans; {sizes.get('stage_gates', 0):,} stage gates; {sizes.get('raid items', 0):,} RAID log "
             f"items ({sizes.get('raid copies', 0)} dated copies of the log), {sizes.get('dependencies', 0):,} "
             f"'Depends on' links; **{sizes.get('time_entries', 0):,} time entries** (Harvest, "
             f"{sizes.get('people with time', 0):,} people, 2 years), {sizes.get('allocations', 0):,} allocations, "
             f"{sizes.get('leave', 0):,} leave days; {sizes.get('project_scores', 0):,} project scores; "
             f"{sizes.get('maturity_answers', 0):,} maturity answers; {size_mb:,.0f} MB of export files.", ""]
    lines += [f"Ingest (`pmo ingest` of all export files, one process): {ingest_t:,.1f} s, "
              f"peak memory {ingest_rss:,.0f} MB.", ""]
    lines += [
        "Times are server-side: the page script under Streamlit's AppTest, each page in a fresh process whose "
        "Python modules are already imported, as in a running dashboard (cold: a new store version, no "
        "connection, summary tables or query results in memory; the import time a restarted process adds "
        "is shown apart), then after a filter change with warm caches. 'query layer' = the part of the "
        "page's time spent in pmo.query (building a version's connection, running page queries): the data work, the "
        "like-for-like comparison with the floor and with pandas; the rest is Streamlit building the page "
        "(widgets, charts, tables). "
        "Floor = the page's main aggregates as minimal DuckDB SQL over read_parquet of the segment files "
        "(fresh connection each time). pandas = the same aggregates with pd.read_csv of the export files + "
        "groupby, as a dashboard that reads its CSVs on every rerun does.", "",
        "| page | cold: page (query layer) | + imports after a restart | floor cold | query layer / floor | "
        "filter change: page (query layer) | floor, filter | pandas, filter | pandas / query layer | "
        "pandas / page | max rows to one element |",
        "|---|---|---|---|---|---|---|---|---|---|---|"]
    verdicts = []
    for r in rows:
        ratio = r["cold_q"] / r["floor_cold"] if r["floor_cold"] else None
        pratio_q = r["pandas"] / max(r["warm_q"], 0.001) if r["pandas"] else None
        pratio = r["pandas"] / r["warm"] if r["pandas"] and r["warm"] else None
        lines.append(
            f"| {r['page']} ({r['filter'] or 'no filter: a rerun'}) | {fmt_s(r['cold'])} ({fmt_s(r['cold_q'])}) | "
            f"{fmt_s(r.get('imports'))} | {fmt_s(r['floor_cold'])} | {'n/a' if ratio is None else f'{ratio:.2f}x'} | "
            f"{fmt_s(r['warm'])} ({fmt_s(r['warm_q'])}) | "
            f"{fmt_s(r['floor_warm'])} | {fmt_s(r['pandas'])} | {'n/a' if pratio_q is None else f'{pratio_q:,.0f}x'} | "
            f"{'n/a' if pratio is None else f'{pratio:,.1f}x'} | {r['max_rows']:,} ({r['element'] or '-'}) |")
        verdicts.append((r["page"], r["cold"] <= TARGET_COLD, None if ratio is None else ratio <= TARGET_FLOOR,
                         r["warm"] <= TARGET_WARM, None if pratio_q is None else pratio_q >= TARGET_PANDAS,
                         None if pratio is None else pratio >= TARGET_PANDAS,
                         r["max_rows"] <= TARGET_ROWS, r["errors"]))
    if mem is None:
        lines += ["", "Dashboard memory: not measured (the run stopped before the memory checks)."]
    elif served:
        lines += ["", f"Dashboard memory: `pmo serve` (its process tree) after Chromium opened every page once: "
                  f"peak resident {served[0]:,.0f} MB, {served[1]:,.0f} MB at the end "
                  f"(target 1,536 MB: {ok(served[0] <= TARGET_MEM)}). One process rendering every page in "
                  f"turn under AppTest peaked at {mem:,.0f} MB."]
    else:
        lines += ["", f"Dashboard memory (no Chromium here: peak RSS of one process rendering every page in turn "
                  f"under AppTest, a proxy for `pmo serve`): {mem:,.0f} MB (target 1,536 MB: {ok(mem <= TARGET_MEM)})."]
    lines += ["",
              "| page | cold <= 1.5 s | query layer cold <= 1.5x floor | filter change <= 200 ms | "
              ">= 10x pandas (query layer) | >= 10x pandas (whole page) | <= 10,000 rows | errors |",
              "|---|---|---|---|---|---|---|---|"]
    for page, *v, errors in verdicts:
        lines.append(f"| {page} | " + " | ".join(ok(x) for x in v) + f" | {'; '.join(errors) or 'none'} |")
    section = "\n".join(lines) + "\n"
    results = HERE / "RESULTS.md"
    text = results.read_text() if results.exists() else "# Benchmark results\n"
    pattern = re.compile(r"## Pages at scale .*?(?=\n## |\Z)", re.DOTALL)
    if pattern.search(text):        # in place, so the notes after it stay after it
        text = pattern.sub(lambda _: section, text, count=1)
    else:
        text = text.rstrip() + "\n\n" + section
    results.write_text(text)
    if not quiet:
        print(section)


if __name__ == "__main__":
    main()
