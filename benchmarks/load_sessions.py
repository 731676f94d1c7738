"""Load: N concurrent browser sessions against one `pmo serve` (default 20).

Each session is its own browser context (own cookies, own Streamlit session) in one headless
Chromium; all start together and open Home, Portfolio health and Budget variance in turn. A page
counts as served when its first KPI is on screen with the right value (Home's "Active projects"
is checked against SQL on the store) and no exception box is shown.

Timing: Streamlit has no per-run hook, so the time recorded is measured in the browser, from
navigation to the KPI on screen (server run + websocket + rendering). Browser and server share
the machine, so on a small machine these are upper bounds for the server. Server-side we record
the process's CPU seconds and peak memory (/proc). Writes the section "20 concurrent sessions"
(or "N concurrent sessions") of benchmarks/RESULTS.md.

    python benchmarks/load_sessions.py [--sessions 20] [--data-dir DIR]

Only 127.0.0.1 is contacted; every wait is bounded (--timeout per page), and the run ends by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pmo import query  # noqa: E402
from pmo import metrics as fmt  # noqa: E402
from pmo.store import Store  # noqa: E402

RESULTS = ROOT / "benchmarks" / "RESULTS.md"
# (page, path, the KPI waited for: its label from the metrics layer, so a relabel cannot break it)
PAGES = [("Home", "", fmt.label("active_projects")),
         ("Portfolio health", "/Portfolio_Health", fmt.label("active_projects")),
         ("Budget variance", "/Budget_Variance", fmt.label("ledger_budget"))]


def free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 90) -> None:
    import urllib.request
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(url)


def proc_stats(pid: int) -> tuple[float, int]:
    """(CPU seconds of the process and its children so far, peak RSS in MB of the server)."""
    cpu = 0.0
    for p in [pid, *children(pid)]:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            cpu += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError):
            pass
    peak = 0
    for p in [pid, *children(pid)]:
        try:
            m = re.search(r"VmHWM:\s+(\d+) kB", Path(f"/proc/{p}/status").read_text())
            peak = max(peak, int(m.group(1)) // 1024) if m else peak
        except OSError:
            pass
    return cpu, peak


def children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


async def session(browser, url: str, n: int, expected_home: str, timeout_ms: int) -> list[dict]:
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    out = []
    try:
        for name, path, label in PAGES:
            started = time.perf_counter()
            row = {"session": n, "page": name, "ok": False, "seconds": None, "error": ""}
            try:
                # "commit", not "load": with 20 contexts drawing on 2 cores, the load event also waits
                # for the previous page's teardown; the KPI on screen below is what counts
                await page.goto(url + path, timeout=timeout_ms, wait_until="commit")
                metric = page.locator('[data-testid="stMetric"]', has_text=label).first
                await metric.wait_for(timeout=timeout_ms)
                value = (await metric.locator('[data-testid="stMetricValue"]').inner_text()).strip()
                row["seconds"] = time.perf_counter() - started
                exceptions = await page.locator('[data-testid="stException"]').count()
                if exceptions:
                    row["error"] = f"{exceptions} exception box(es)"
                elif name == "Home" and value != expected_home:
                    row["error"] = f"Active projects shows {value}, expected {expected_home}"
                else:
                    row["ok"] = True
            except Exception as exc:       # a timeout or a crash is a failed page, not a crash here
                row["error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:120]}"
            out.append(row)
    finally:
        await context.close()
    return out


async def drive(url: str, sessions: int, expected_home: str, timeout_ms: int,
                per_browser: int) -> tuple[list[dict], float]:
    """Sessions spread over several Chromium processes (`per_browser` contexts each): one
    Chromium caps the connections it opens to one host, as a real office of separate PCs does not."""
    from playwright.async_api import async_playwright

    exe = shutil.which("chromium") or "/usr/bin/chromium"
    async with async_playwright() as p:
        browsers = [await p.chromium.launch(executable_path=exe, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"])
            for _ in range(-(-sessions // per_browser))]
        try:
            # warm-up: one session first, so the figures are for a running server, not its start
            await session(browsers[0], url, -1, expected_home, timeout_ms)
            started = time.perf_counter()
            results = await asyncio.gather(*(session(browsers[n // per_browser], url, n, expected_home, timeout_ms)
                                             for n in range(sessions)))
            wall = time.perf_counter() - started
        finally:
            for b in browsers:
                await b.close()
    return [r for rows in results for r in rows], wall


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18] if len(values) > 1 else values[0]


def write_results(rows: list[dict], wall: float, sessions: int, cpu: float, peak_mb: int,
                  per_browser: int) -> str:
    lines = [f"## {sessions} concurrent sessions", "",
             f"Measured {date.today()} on {os.cpu_count()} cores, "
             f"{round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GiB RAM, "
             f"Linux {platform.release()}, Python {platform.python_version()}; one `pmo serve` on the sample "
             f"store, headless Chromium on the same machine ({per_browser} browser contexts per Chromium "
             f"process, {sessions} contexts started together), each opening Home, Portfolio health and Budget variance in turn "
             f"(after one warm-up session). Command: `python benchmarks/load_sessions.py --sessions {sessions}`.",
             "", "Time = in the browser, from navigation to the page's first KPI on screen (Streamlit "
             "exposes no per-run timing on the server; browser and server share the 2 cores, so these "
             "are upper bounds).", "",
             "| page | pages served correctly | p50 | p95 | max |", "|---|---|---|---|---|"]
    for name, _, _ in PAGES:
        ok = [r["seconds"] for r in rows if r["page"] == name and r["ok"]]
        total = sum(1 for r in rows if r["page"] == name)
        if ok:
            lines.append(f"| {name} | {len(ok)} / {total} | {statistics.median(ok):.1f} s | {p95(ok):.1f} s "
                         f"| {max(ok):.1f} s |")
        else:
            lines.append(f"| {name} | 0 / {total} | — | — | — |")
    allok = [r["seconds"] for r in rows if r["ok"]]
    errors = [r for r in rows if not r["ok"]]
    lines += ["", f"All {len(rows)} page views: {len(allok)} correct, {len(errors)} with errors; "
              + (f"p95 {p95(allok):.1f} s; " if allok else "")
              + f"the {sessions} sessions finished in {wall:.1f} s. Server process: {cpu:.1f} CPU-seconds "
              f"during the run ({cpu / max(len(rows), 1):.2f} CPU-s per page view, "
              f"{cpu / (wall * (os.cpu_count() or 1)):.0%} of the machine), peak memory {peak_mb:,} MB: "
              "the browsers, not the server, used most of the machine."]
    if errors:
        lines += ["", "Errors:"] + [f"- session {r['session']}, {r['page']}: {r['error']}" for r in errors[:10]]
    section = "\n".join(lines) + "\n"
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    pattern = re.compile(rf"^## {sessions} concurrent sessions\n.*?(?=^## |\Z)", re.S | re.M)
    text = pattern.sub(lambda _: section + "\n", text) if pattern.search(text) else text.rstrip() + "\n\n" + section
    RESULTS.write_text(text)
    return section


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--data-dir", type=Path, help="a store to serve (default: a fresh sample store)")
    ap.add_argument("--timeout", type=float, default=180, help="seconds a page may take before it counts as failed")
    ap.add_argument("--per-browser", type=int, default=5, help="browser contexts per Chromium process")
    ap.add_argument("--server-log", type=Path, help="write the server's output here (an error box's cause)")
    args = ap.parse_args()
    tmp = None
    data_dir = args.data_dir
    if data_dir is None:
        from pmo.demo import load_demo
        tmp = Path(tempfile.mkdtemp(prefix="pmo-load-"))
        data_dir = tmp / "store"
        load_demo(Store(data_dir))
    kpis = query.connect(Store(data_dir)).query("portfolio_health_kpis", portfolio=None, program=None,
                                                department=None, manager=None, stage=None, as_of=None)
    head = kpis.filter(kpis["period"] == "current").row(0, named=True)     # Home shows these
    port = free_port()
    env = dict(os.environ, PMO_DATA_DIR=str(data_dir))
    env.pop("PMO_ROLE", None)
    log = open(args.server_log, "w") if args.server_log else subprocess.DEVNULL   # noqa: SIM115
    proc = subprocess.Popen([sys.executable, "-m", "pmo", "serve", "--port", str(port), "--host", "127.0.0.1"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_http(f"http://127.0.0.1:{port}/healthz")
        cpu0, _ = proc_stats(proc.pid)
        rows, wall = asyncio.run(drive(f"http://127.0.0.1:{port}", args.sessions,
                                       fmt.count(head["active_projects"]), int(args.timeout * 1000),
                                       args.per_browser))
        cpu1, peak = proc_stats(proc.pid)
        alive = proc.poll() is None
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
            time.sleep(2)                      # the streamlit child shuts down after its parent
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(proc.pid, signal.SIGKILL)    # anything of the group still there
        except ProcessLookupError:
            pass
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    section = write_results(rows, wall, args.sessions, cpu1 - cpu0, peak, args.per_browser)
    print(section)
    bad = [r for r in rows if not r["ok"]]
    return 0 if not bad and alive else 1


if __name__ == "__main__":
    sys.exit(main())
