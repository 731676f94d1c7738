"""Ingest benchmark (issue 3): a big FP&A ledger CSV through `pmo ingest` vs DuckDB's own
`read_csv` -> Parquet on the same file, in the same run. Medians of N runs; peak memory (max RSS)
of each process. Writes the figures to benchmarks/RESULTS.md (section "Ingest").

usage: python benchmarks/ingest_ledger.py [LINES] [RUNS]     (default 10,000,000 lines, 3 runs)
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "work"

DUCKDB_SCRIPT = """
import duckdb, sys
con = duckdb.connect()
con.execute("set threads = 2")
src, out = sys.argv[1], sys.argv[2]
con.execute(f"copy (select * from read_csv('{src}')) to '{out}' (format parquet)")
"""


def timed(cmd: list[str], env: dict | None = None) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of a command, via /usr/bin/time -v."""
    t0 = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-v", *cmd], capture_output=True, text=True, env=env, cwd=ROOT)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{p.stdout}\n{p.stderr}")
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr).group(1)) / 1024
    return wall, rss


def machine() -> str:
    cpu = "unknown CPU"
    try:
        cpu = next(ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo") if ln.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def main(lines: int, runs: int) -> None:
    WORK.mkdir(exist_ok=True)
    src = WORK / f"ledger_{lines}.csv"
    if not src.exists():
        subprocess.run([sys.executable, str(HERE / "make_big_ledger.py"), str(src), str(lines)], check=True)
    size_mb = src.stat().st_size / 2**20
    duck, pmo = [], []
    for i in range(runs):
        out = Path(tempfile.mkdtemp()) / "out.parquet"
        duck.append(timed([sys.executable, "-c", DUCKDB_SCRIPT, str(src), str(out)]))
        shutil.rmtree(out.parent)
        store = Path(tempfile.mkdtemp()) / "store"
        pmo.append(timed([sys.executable, "-m", "pmo", "ingest", str(src), "--data-dir", str(store)]))
        shutil.rmtree(store.parent)
        print(f"run {i + 1}: duckdb {duck[-1][0]:.1f} s / {duck[-1][1]:.0f} MB; "
              f"pmo ingest {pmo[-1][0]:.1f} s / {pmo[-1][1]:.0f} MB", flush=True)
    d_t, p_t = statistics.median(t for t, _ in duck), statistics.median(t for t, _ in pmo)
    d_m, p_m = max(m for _, m in duck), max(m for _, m in pmo)
    ratio = p_t / d_t
    verdict_t = "met" if ratio <= 1.5 else "NOT met"
    verdict_m = "met" if p_m <= 2048 else "NOT met"
    section = f"""## Ingest: {lines:,}-line finance ledger ({size_mb:,.0f} MB CSV)

Measured {time.strftime('%Y-%m-%d')} on {machine()}; {runs} runs each, medians.
Command: `python benchmarks/ingest_ledger.py {lines} {runs}`.

| | wall time (median) | peak memory (max RSS) |
|---|---|---|
| DuckDB `read_csv` -> Parquet (the floor) | {d_t:.1f} s | {d_m:,.0f} MB |
| `pmo ingest` (detect, parse, validate, keep raw file, publish) | {p_t:.1f} s | {p_m:,.0f} MB |
| ratio | {ratio:.2f}x (target 1.5x: {verdict_t}) | target 2,048 MB: {verdict_m} |

"""
    results = HERE / "RESULTS.md"
    text = results.read_text() if results.exists() else "# Benchmark results\n\n"
    text = re.sub(r"## Ingest: .*?(?=\n## |\Z)", "", text, flags=re.S).rstrip() + "\n\n" + section
    results.write_text(text)
    print(section)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000, int(sys.argv[2]) if len(sys.argv) > 2 else 3)
