"""The scale benchmark (issue 10), one command: `python benchmarks/run.py [--scale S] [--runs N]`.

1. Writes a seeded big store's export files (benchmarks/make_big_store.py; at --scale 1:
   5,000 projects, 1M tasks, 10M ledger lines, 50,000 staff, 24 weekly status drops).
2. `pmo ingest` of all of them: wall time and peak memory (max RSS).
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
benchmarks/RESULTS.md (other sections are kept).
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

PAGES = ["dashboard.py", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py"))]
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
    cmd = ["/usr/bin/time", "-v", sys.executable, "-m", "pmo", "ingest", "--data-dir", str(store),
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
               "Data", "SQL_Explorer", "Audit"]


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
}


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
    for alias, table in (("fin", "financials"), ("tsk", "tasks"), ("snap", "status_snapshots"),
                         ("sal", "salaries"), ("prj", "projects"), ("rsk", "risks")):
        files = ", ".join(f"'{s.path(x.file)}'" for x in segs.get(table, []))
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
    ap.add_argument("--pages", nargs="*", default=PAGES)
    a = ap.parse_args()

    src = make_big_store.default_out(a.scale)
    store = HERE / "work" / f"store_{a.scale:g}"
    if not (a.reuse and src.exists()):
        t0 = time.perf_counter()
        make_big_store.main(a.scale, src)
        print(f"export files written in {time.perf_counter() - t0:.0f} s: {src}", flush=True)
    size_mb = sum(f.stat().st_size for f in export_files(src)) / 2**20
    ingest_t, ingest_rss = ingest(src, store)
    print(f"pmo ingest: {ingest_t:.1f} s, peak {ingest_rss:,.0f} MB", flush=True)

    from pmo import query
    from pmo.store import Store
    con = query.connect(Store(store)).con
    sizes = dict(con.execute(
        "select 'projects', count(*) from projects union all select 'tasks', count(*) from tasks union all "
        "select 'financials', count(*) from financials union all select 'salaries', count(*) from salaries "
        "union all select 'status_snapshots', count(*) from status_snapshots union all "
        "select 'as of dates', count(distinct as_of) from status_snapshots").fetchall())
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

    mem = probe(store, a.pages)["peak_rss_mb"]
    print(f"AppTest process peak RSS after every page: {mem:,.0f} MB", flush=True)
    served = serve_memory(store)
    print(f"pmo serve after one visit to each page (peak, current MB): {served}", flush=True)
    write_results(a, rows, mem, served, ingest_t, ingest_rss, size_mb, sizes)


def write_results(a, rows, mem, served, ingest_t, ingest_rss, size_mb, sizes) -> None:
    lines = [f"## Pages at scale (issue 10): --scale {a.scale:g}", "",
             f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {machine()}.",
             f"Command: `python benchmarks/run.py --scale {a.scale:g} --runs {a.runs}`; medians of {a.runs} runs "
             "(the pandas way: 1 run).", "",
             f"Store: {sizes.get('projects', 0):,} projects, {sizes.get('tasks', 0):,} tasks, "
             f"{sizes.get('financials', 0):,} finance lines, {sizes.get('salaries', 0):,} staff, "
             f"{sizes.get('status_snapshots', 0):,} status snapshots on {sizes.get('as of dates', 0)} status dates; "
             f"{size_mb:,.0f} MB of export files.", ""]
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
    if served:
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
    print(section)


if __name__ == "__main__":
    main()
