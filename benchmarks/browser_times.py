"""What a person feels: each page in Debian's Chromium against a running `pmo serve`, timed from
navigation to fully drawn, from a shared-filter change to fully drawn, and from an in-page
interaction (a section's grouping, which reruns that section only) to fully drawn (issue 20).

    python benchmarks/browser_times.py                      # the sample store, 3 runs per page
    python benchmarks/browser_times.py --store DIR --runs 5 # any store (e.g. benchmarks/work/store_1)

"Fully drawn" = Streamlit's script state is notRunning (the server has sent the whole page), no
skeleton is left, every Vega chart has its canvas or SVG, and the page shows at least one figure,
table, chart or message. Two times are kept per view: when the server was done (the script state
turned notRunning) and when the browser was done drawing; the difference is the browser's own
share (Vega rendering, layout, the data grid); after a filter change it is a lower bound, since a
chart redrawn in place keeps its old canvas until the new one is drawn. The browser and the server share this machine's
cores, so read the figures as medians on a busy 2-core machine; the table is written to
benchmarks/RESULTS.md (section "Pages in the browser").
"""

from __future__ import annotations

import argparse
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SECTION = "## Pages in the browser (issue 20)"

PAGES = ["", "Portfolio_Health", "Project?project=PRJ-1012", "Budget_Variance", "Governance", "RAID",
         "Capacity", "Prioritisation", "Maturity", "Salary_Benchmarks"]

# One in-page interaction per page that has one: (the widget's key, the option clicked). Each
# reruns one section of the page (docs/architecture.md, "What reruns on what").
INTERACTIONS = {"Capacity": ("cap_group", "Team"), "Salary_Benchmarks": ("salary_group_by", "Department"),
                "Budget_Variance": ("bv_waterfall", "Project")}

# The page's state as the benchmark reads it, in one round trip.
STATE_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const main = document.querySelector('[data-testid="stMainBlockContainer"]');
  const charts = [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')];
  return {
    state: app ? app.getAttribute('data-test-script-state') : null,
    skeleton: document.querySelectorAll('[data-testid="stSkeleton"]').length,
    charts: charts.length,
    drawn: charts.filter(c => c.querySelector('canvas, svg')).length,
    content: main ? main.querySelectorAll('[data-testid="stMetric"], [data-testid="stDataFrame"], '
      + '[data-testid="stVegaLiteChart"], [data-testid="stAlert"], [data-testid="stTable"]').length : 0,
    errors: document.querySelectorAll('[data-testid="stException"]').length,
  };
}"""


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start_server(store: Path, port: int) -> subprocess.Popen:
    env = dict(os.environ, PMO_DATA_DIR=str(store))
    env.pop("PMO_ROLE", None)
    proc = subprocess.Popen([sys.executable, "-m", "pmo", "serve", "--port", str(port), "--host", "127.0.0.1"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    for _ in range(600):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return proc
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("pmo serve did not answer /healthz within 5 minutes")


def wait_drawn(page, t0: float, *, rerun: bool = False, timeout: float = 300.0) -> tuple[float, float, int]:
    """Seconds from t0 until the server was done and until the page was drawn; errors shown.
    `rerun`: the page was already drawn, so first wait (up to 3 s) for the rerun to start."""
    started = not rerun
    server_done = None
    while True:
        s = page.evaluate(STATE_JS)
        now = time.perf_counter()
        if now - t0 > timeout:
            raise TimeoutError(f"not drawn within {timeout:.0f} s: {s}")
        if not started:
            started = s["state"] != "notRunning" or now - t0 > 3.0
        elif s["state"] == "notRunning":
            server_done = server_done or now
            if not s["skeleton"] and s["drawn"] == s["charts"] and s["content"] > 0:
                return server_done - t0, now - t0, s["errors"]
        else:
            server_done = None
        time.sleep(0.03)


def change_portfolio(page) -> bool:
    """Pick the first portfolio in the sidebar's shared filter; False when the page has none."""
    box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]', has_text="Portfolio").first
    if not box.count():
        return False
    box.click()
    page.get_by_role("option").nth(1).click()
    return True


def interact(page, path: str) -> float | None:
    """Click the page's in-page interaction (INTERACTIONS); the click's moment, or None."""
    spec = INTERACTIONS.get(path.split("?")[0])
    if spec is None:
        return None
    key, option = spec
    button = page.locator(f".st-key-{key} button", has_text=option).first
    button.scroll_into_view_if_needed()
    wait_drawn(page, time.perf_counter())      # charts scrolled into view are drawn first
    t0 = time.perf_counter()
    button.click()
    return t0


def measure(url: str, paths: list[str], runs: int, width: int, height: int) -> list[dict]:
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium")
        warm = browser.new_page(viewport={"width": width, "height": height})
        for path in paths:                      # one untimed visit: the server's caches warm
            warm.goto(f"{url}/{path}")
            wait_drawn(warm, time.perf_counter())
        warm.close()
        for path in paths:
            nav, nav_server, flt, flt_server, errors = [], [], [], [], 0
            act, act_server = [], []
            for _ in range(runs):
                page = browser.new_page(viewport={"width": width, "height": height})
                t0 = time.perf_counter()
                page.goto(f"{url}/{path}")
                server, drawn, e = wait_drawn(page, t0)
                nav_server.append(server)
                nav.append(drawn)
                errors += e
                t0 = time.perf_counter()
                if change_portfolio(page):
                    server, drawn, e = wait_drawn(page, t0, rerun=True)
                    flt_server.append(server)
                    flt.append(drawn)
                    errors += e
                t0 = interact(page, path)
                if t0 is not None:
                    server, drawn, e = wait_drawn(page, t0, rerun=True)
                    act_server.append(server)
                    act.append(drawn)
                    errors += e
                page.close()
            rows.append({"page": path or "(Home)", "nav": nav, "nav_server": nav_server,
                         "filter": flt, "filter_server": flt_server, "interaction": act,
                         "interaction_server": act_server, "errors": errors})
            print(rows[-1], flush=True)
        browser.close()
    return rows


def fmt_s(values: list[float]) -> str:
    if not values:
        return "n/a"
    m = statistics.median(values)
    return f"{m * 1000:,.0f} ms" if m < 1 else f"{m:.2f} s"


def share(drawn: list[float], server: list[float]) -> str:
    if not drawn:
        return "n/a"
    return f"{statistics.median(d - s for d, s in zip(drawn, server)) * 1000:,.0f} ms"


def report(rows: list[dict], store_label: str, runs: int, width: int, height: int, command: str) -> str:
    load = os.getloadavg()
    lines = [
        SECTION, "",
        f"Measured {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} cores, "
        f"Linux {platform.release()}, Python {platform.python_version()}; Debian Chromium, headless, "
        f"{width} x {height}; load average at the end {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}. "
        f"Store: {store_label}. Command: `{command}`; medians of {runs} runs after one untimed visit "
        "of every page. Drawn = the server has sent the page, no skeleton is left and every chart is "
        "rendered; 'of which the browser' = drawn minus the moment the server was done (a lower bound "
        "after a filter change: a chart redrawn in place keeps its old canvas). The filter change "
        "picks the first portfolio in the sidebar; the in-page interaction is "
        + "; ".join(f"{p.replace('_', ' ')}: {k} = {o}" for p, (k, o) in INTERACTIONS.items())
        + " (each reruns its section only).", "",
        ("| page | navigation to drawn | of which the browser | filter change to drawn | of which the browser "
         "| in-page interaction to drawn | of which the browser | errors |"),
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(f"| {r['page']} | {fmt_s(r['nav'])} | {share(r['nav'], r['nav_server'])} | "
                     f"{fmt_s(r['filter'])} | {share(r['filter'], r['filter_server'])} | "
                     f"{fmt_s(r.get('interaction', []))} | {share(r.get('interaction', []), r.get('interaction_server', []))} "
                     f"| {r['errors']} |")
    return "\n".join(lines) + "\n"


def write_results(text: str) -> None:
    path = HERE / "RESULTS.md"
    old = path.read_text()
    if SECTION in old:
        start = old.index(SECTION)
        end = old.find("\n## ", start + len(SECTION))
        old = old[:start] + old[end + 1:] if end != -1 else old[:start]
    head, sep, rest = old.partition("\n## ")
    path.write_text(head.rstrip("\n") + "\n\n" + text + "\n" + sep.lstrip("\n") + rest)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", type=Path, help="a store directory (default: the sample data, loaded afresh)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--width", type=int, default=1440)
    ap.add_argument("--height", type=int, default=900)
    ap.add_argument("--pages", nargs="*", default=PAGES)
    ap.add_argument("--no-write", action="store_true", help="print the table, leave RESULTS.md alone")
    a = ap.parse_args()
    tmp = None
    if a.store is None:
        from pmo import demo
        from pmo.store import Store

        tmp = tempfile.TemporaryDirectory(prefix="pmo-browser-bench-")
        a.store = Path(tmp.name) / "store"
        demo.load_demo(Store(a.store))
        label = "the sample data (`pmo.demo`)"
    else:
        label = str(a.store)
    port = free_port()
    server = start_server(a.store, port)
    try:
        rows = measure(f"http://127.0.0.1:{port}", a.pages, a.runs, a.width, a.height)
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
        if tmp is not None:
            tmp.cleanup()
    text = report(rows, label, a.runs, a.width, a.height, "python " + " ".join(
        [str(Path(sys.argv[0]).relative_to(ROOT)) if Path(sys.argv[0]).is_absolute() else sys.argv[0]]
        + sys.argv[1:]))
    print(text)
    if not a.no_write:
        write_results(text)


if __name__ == "__main__":
    main()
