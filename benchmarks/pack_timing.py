"""How long the meeting pack takes to build (issue 21): the Portfolio health pack of the sample store,
PowerPoint and PDF, cold and warm. `python benchmarks/pack_timing.py [--runs 5] [--store DIR] [--code DIR]`

Each process is a fresh one that renders the page under AppTest as the dashboard does (the share bar
records the pack), waits for what the page starts in the background, then times:
- first: the first PowerPoint pack built in the process;
- cold: a pack built with the picture cache emptied first (PowerPoint, PDF), median of `--runs`;
- warm: the same pack built again (the pictures reused), median of `--runs` builds each.
Medians over `--processes` processes; wall and CPU time (the CPU time of the process, every thread:
steadier than wall time on a shared machine). `--code DIR` measures another checkout (e.g. the
code before a change, from `git archive`). Writes the "## Meeting pack build time" section of
benchmarks/RESULTS.md with --write.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PAGE = "pages/1_Portfolio_Health.py"


def one_process(code: Path, store: Path, runs: int) -> dict:
    """In this process: render the page, then time the builds (run with --child)."""
    sys.path.insert(0, str(code))
    os.environ["PMO_DATA_DIR"] = str(store)
    import logging

    from streamlit.testing.v1 import AppTest

    from pmo import export
    from pmo.export import charts

    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(logging.ERROR)
    at = AppTest.from_file(str(code / "dashboard.py"), default_timeout=300)
    at.switch_page(PAGE).run()
    if at.exception:
        raise SystemExit(f"{PAGE} failed: {at.exception[0].message}")
    for t in threading.enumerate():          # what the page started in the background (older code)
        if t.name == "pmo-chart-engine-warm-up":
            t.join()
    if hasattr(export, "warm_up"):
        export.warm_up()                     # as server.py does before its first request
    view = at.session_state["_share_view"]
    pack = view.pack
    pack.meta = view.meta()

    def clear():
        if hasattr(charts, "_PNG_CACHE"):
            charts._PNG_CACHE.clear()
        else:                                # the code before the picture cache by hash
            charts._png.cache_clear()

    def timed(fn) -> tuple[float, float, int]:
        w, c = time.perf_counter(), time.process_time()
        out = fn(pack)
        return time.perf_counter() - w, time.process_time() - c, len(out)

    clear()
    first = timed(export.pack_pptx)          # the first pack of a fresh process
    cold_pptx, cold_pdf = [], []
    for _ in range(runs):
        clear()
        cold_pptx.append(timed(export.pack_pptx))
        clear()
        cold_pdf.append(timed(export.pack_pdf))
    warm_pptx = [timed(export.pack_pptx) for _ in range(runs)]
    warm_pdf = [timed(export.pack_pdf) for _ in range(runs)]

    def med(xs):
        return [statistics.median(x[i] for x in xs) for i in (0, 1)]

    return {"first_pptx": first[:2], "cold_pptx": med(cold_pptx), "cold_pdf": med(cold_pdf),
            "warm_pptx": med(warm_pptx), "warm_pdf": med(warm_pdf), "slides": len(export.slides(pack)),
            "pptx_bytes": first[2], "pdf_bytes": cold_pdf[0][2]}


def machine() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name"))
    except (OSError, StopIteration):
        cpu = "unknown CPU"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{os.cpu_count()} cores ({cpu}), Linux {platform.release()}, Python {platform.python_version()}; "
            f"load average {load:.1f} when the run ended")


def sample_store(path: Path | None) -> Path:
    if path is not None and (path / "config.toml").exists():
        return path
    sys.path.insert(0, str(ROOT))
    from pmo import query
    from pmo.demo import load_demo
    from pmo.store import Store

    root = path or Path(tempfile.mkdtemp(prefix="pack-timing-")) / "store"
    load_demo(Store(root))
    rt = query.connect(Store(root))
    rt.ensure_summaries(tuple(query.cache.summary_views()))    # as the dashboard has them
    return root


def fmt(s: float) -> str:
    return f"{s:.2f} s"


def write_results(label: str, results: list[dict], runs: int, command: str) -> str:
    def med(key, i):
        return statistics.median(r[key][i] for r in results)

    r0 = results[0]
    row = (f"| {label} | {r0['slides']} | {fmt(med('first_pptx', 0))} ({fmt(med('first_pptx', 1))} CPU) | "
           f"{fmt(med('cold_pptx', 0))} ({fmt(med('cold_pptx', 1))} CPU) | "
           f"{fmt(med('warm_pptx', 0))} ({fmt(med('warm_pptx', 1))} CPU) | "
           f"{fmt(med('cold_pdf', 0))} ({fmt(med('cold_pdf', 1))} CPU) | "
           f"{fmt(med('warm_pdf', 0))} ({fmt(med('warm_pdf', 1))} CPU) | "
           f"{r0['pptx_bytes'] / 1e6:.1f} MB / {r0['pdf_bytes'] / 1e6:.1f} MB |")
    lines = [row]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description="meeting pack build time (issue 21)")
    ap.add_argument("--runs", type=int, default=5, help="builds of each kind per process (medians)")
    ap.add_argument("--processes", type=int, default=1, help="fresh processes per checkout (medians of theirs)")
    ap.add_argument("--store", type=Path, help="a sample store to reuse (built when missing)")
    ap.add_argument("--code", type=Path, action="append", help="checkout(s) to measure (default: this one)")
    ap.add_argument("--label", action="append", help="a name per --code for the table")
    ap.add_argument("--write", action="store_true", help="write the section of benchmarks/RESULTS.md")
    ap.add_argument("--child", nargs=2, metavar=("CODE", "STORE"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        print(json.dumps(one_process(Path(a.child[0]), Path(a.child[1]), a.runs)), flush=True)
        os._exit(0)          # the page's background threads (drop-folder watcher) would keep it alive
    store = sample_store(a.store)
    codes = a.code or [ROOT]
    labels = a.label or [str(c) for c in codes]
    rows = []
    for code, label in zip(codes, labels):
        results = []
        for i in range(a.processes):
            done = subprocess.run([sys.executable, __file__, "--runs", str(a.runs), "--child", str(code.resolve()),
                                   str(store)], capture_output=True, text=True, cwd=code, check=False)
            if done.returncode:
                raise SystemExit(done.stderr[-3000:])
            results.append(json.loads(done.stdout.strip().splitlines()[-1]))
            r = results[-1]
            print(f"{label} process {i + 1}: first pptx {fmt(r['first_pptx'][0])}, cold pptx {fmt(r['cold_pptx'][0])}, "
                  f"cold pdf {fmt(r['cold_pdf'][0])}, warm pptx {fmt(r['warm_pptx'][0])}, "
                  f"warm pdf {fmt(r['warm_pdf'][0])}", flush=True)
        rows.append(write_results(label, results, a.runs, ""))
    now = datetime.now(UTC)
    section = "\n".join([
        "## Meeting pack build time (issue 21)", "",
        f"Measured {now:%Y-%m-%d %H:%M} UTC on {machine()}.",
        (f"Command: `python benchmarks/pack_timing.py --runs {a.runs} --processes {a.processes}"
         + "".join(f" --code {c} --label '{lb}'" for c, lb in zip(a.code or [], a.label or [])) + "`."), "",
        ("The Portfolio health pack of the sample store (the page rendered under AppTest as the dashboard "
         "renders it, all projects, latest status date). First = the first pack built in a fresh process "
         "after the page was drawn; cold = a pack built with the picture cache emptied first (every chart "
         "rendered); warm = the same pack built again (pictures reused). Medians of "
         f"{a.runs} builds of each kind (and over {a.processes} process(es)). Wall time, then the process's "
         "CPU time (all threads: steadier than wall time on a shared machine)."), "",
        "| code | slides | PowerPoint first | PowerPoint cold | PowerPoint warm | PDF cold | PDF warm | file sizes |",
        "|---|---|---|---|---|---|---|---|", *rows, ""])
    print(section)
    if a.write:
        results_md = HERE / "RESULTS.md"
        text = results_md.read_text()
        pattern = re.compile(r"## Meeting pack build time \(issue 21\)\n.*?(?=\n## |\Z)", re.DOTALL)
        text = pattern.sub(section.rstrip("\n") + "\n", text) if pattern.search(text) else \
            text.rstrip("\n") + "\n\n" + section
        results_md.write_text(text)


if __name__ == "__main__":
    main()
