"""Refusals and upload memory benchmark (issue 15): what a refused zip bomb costs, what reading one
upload at the configured limits costs, and what the damaged-text check adds to a big CSV.

Each measurement runs in a fresh process (imports done first) and reports that process's CPU time
and the peak memory (max RSS) the measured step added. Writes the figures to benchmarks/RESULTS.md
(section "Refusals and upload memory").

usage: python benchmarks/refusals.py [--quick]     (--quick: smaller files, for a smoke run)
"""

from __future__ import annotations

import os
import platform
import random
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from helpers.zipbomb import write_workbook  # noqa: E402

CHILD = r"""
import resource, sys, time
from pathlib import Path
from pmo import cli, config, ingest, readers

used = resource.getrusage(resource.RUSAGE_SELF)
cpu0, rss0 = used.ru_utime + used.ru_stime, used.ru_maxrss
t0 = time.perf_counter()
what, path = sys.argv[1], Path(sys.argv[2])
if what == "ingest":          # the whole command, as a user runs it (the store is thrown away)
    code = cli.main(["ingest", str(path), "--data-dir", sys.argv[3], "--summaries", "skip"])
elif what == "analyse":       # the Data page's preview of one upload
    cfg = config.load()
    cfg["ingest"]["workbook_max_uncompressed_mb"] = float(sys.argv[3])
    o = ingest.analyse(path, settings=cfg)
    code = o.rows_read
else:                         # the damaged-text check alone
    readers.check_text(path, path.name, "utf-8")
    code = 0
wall = time.perf_counter() - t0
used = resource.getrusage(resource.RUSAGE_SELF)
print(f"RESULT {code} {used.ru_utime + used.ru_stime - cpu0:.3f} {wall:.3f} {(used.ru_maxrss - rss0) / 1024:.1f} "
      f"{used.ru_maxrss / 1024:.0f}")
"""


def child(*args: str) -> dict:
    r = subprocess.run([sys.executable, "-c", CHILD, *args], capture_output=True, text=True, cwd=ROOT,
                       env=dict(os.environ, PYTHONPATH=str(ROOT)))
    line = next((ln for ln in r.stdout.splitlines() if ln.startswith("RESULT ")), None)
    if line is None:
        raise RuntimeError(f"{args}: {r.stderr[-2000:]}")
    code, cpu, wall, added, peak = line.split()[1:]
    return {"code": int(code), "cpu": float(cpu), "wall": float(wall), "added": float(added), "peak": float(peak),
            "stderr": r.stderr}


def machine() -> str:
    cpu = "unknown CPU"
    try:
        cpu = next(ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo") if ln.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def ledger_csv(path: Path, mb: int) -> Path:
    rnd = random.Random(1)
    with path.open("w") as fh:
        fh.write("Cost Center,Cost Center Name,Project,GL Account,Category,Capex/Opex,Fiscal Year,Period,Version,"
                 "Currency,Amount\n")
        r = 0
        while fh.tell() < mb * 2**20:
            lines = []
            for _ in range(10_000):
                r += 1
                lines.append(f"CC47{r % 50:02d},Digital Channels,PRJ-{1000 + r % 5000},{615000 + r % 7},Labour,OPEX,"
                             f"FY2026,2026-{1 + r % 12:02d},{('Budget', 'Actual', 'Forecast')[r % 3]},USD,"
                             f"{rnd.uniform(-5000, 50000):.2f}\n")
            fh.write("".join(lines))
    return path


def jira_csv(path: Path, mb: int) -> Path:
    desc = "As a customer, I want the checkout to be faster, clearer and accessible, so that I can finish. " * 2
    with path.open("w") as fh:
        fh.write("Summary,Issue key,Issue id,Issue Type,Status,Project key,Project name,Assignee,Created,Updated,"
                 "Resolved,Due date,Original estimate,Remaining Estimate,Time Spent,Sprint,"
                 "Custom field (Story Points),Status Category,Description\n")
        r = 0
        while fh.tell() < mb * 2**20:
            lines = []
            for _ in range(10_000):
                r += 1
                lines.append(f"Task {r},P{r % 400}-{r},{10000 + r},Story,In Progress,P{r % 400},Project {r % 400},"
                             f"Dana Ortiz,03/Nov/25 9:14 AM,18/Nov/25 4:05 PM,,28/Nov/25 12:00 AM,57600,28800,"
                             f"28800,Sprint 21,5,In Progress,\"{desc}\"\n")
            fh.write("".join(lines))
    return path


def ledger_xlsx(path: Path, rows: int) -> Path:
    import xlsxwriter

    rnd = random.Random(1)
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("Ledger")
    ws.write_row(0, 0, ["Cost Center", "Cost Center Name", "Project", "GL Account", "Category", "Capex/Opex",
                        "Fiscal Year", "Period", "Version", "Currency", "Amount"])
    for r in range(1, rows + 1):
        ws.write_row(r, 0, [f"CC47{r % 50:02d}", "Digital Channels", f"PRJ-{1000 + r % 5000}", 615000 + r % 7,
                            "Labour", "OPEX", "FY2026", f"2026-{1 + r % 12:02d}",
                            ("Budget", "Actual", "Forecast")[r % 3], "USD", round(rnd.uniform(-5000, 50000), 2)])
    wb.close()
    return path


def main(quick: bool) -> None:
    work = Path(tempfile.mkdtemp(prefix="pmo-refusals-"))
    import pmo.config
    cfg = pmo.config.load()
    upload_mb = int(cfg["store"]["upload_limit_mb"])
    inflated_mb = float(cfg["ingest"]["workbook_max_uncompressed_mb"])
    rows = []

    # 1. Zip bombs: ~300 KB, 300 MB of sheet XML; the forged one declares 90 KB for it.
    bombs = []
    for forged in (False, True):
        bomb = write_workbook(work / f"bomb{'_forged' if forged else ''}.xlsx", 300,
                              declare_bytes=90_000 if forged else None)
        m = child("ingest", str(bomb), str(work / "store"))
        assert m["code"] == 2, m["stderr"]
        bombs.append((forged, bomb.stat().st_size, m))

    # 2. One upload at the limits, read as the Data page's preview does (analyse).
    csv_mb = 20 if quick else upload_mb
    files = [("finance ledger CSV (read in slices)", ledger_csv(work / "ledger.csv", csv_mb), inflated_mb),
             ("Jira CSV (read whole)", jira_csv(work / "jira.csv", csv_mb), inflated_mb)]
    xlsx = ledger_xlsx(work / "ledger.xlsx", 100_000 if quick else int(880_000 * inflated_mb / 500))
    files.append(("finance ledger workbook", xlsx, inflated_mb + 1))
    for label, path, limit in files:
        m = child("analyse", str(path), str(limit))
        inflated = (sum(i.file_size for i in zipfile.ZipFile(path).infolist()) / 2**20
                    if path.suffix == ".xlsx" else None)
        rows.append((label, path.stat().st_size / 2**20, inflated, m))

    # 3. The damaged-text check on a big CSV (NUL bytes, invalid UTF-8): one more read of the file.
    big = ledger_csv(work / "big.csv", 80 if quick else 800)
    check = child("check", str(big))

    bomb_lines = "\n".join(
        f"| {'forged sizes (declares 90 KB)' if forged else 'honest directory'} | {size / 1024:,.0f} KB | "
        f"{m['wall'] * 1000:,.0f} ms | {m['cpu'] * 1000:,.0f} ms | +{m['added']:,.1f} MB |"
        for forged, size, m in bombs)
    upload_lines = "\n".join(
        f"| {label} | {size:,.0f} MB | {'' if inflated is None else f'{inflated:,.0f} MB'} | {m['wall']:.1f} s | "
        f"{m['peak']:,.0f} MB |" for label, size, inflated, m in rows)
    worst = max(m["peak"] for *_, m in rows)
    section = f"""## Refusals and upload memory (issue 15)

Measured {time.strftime('%Y-%m-%d')} on {machine()}. Command: `python benchmarks/refusals.py{' --quick' if quick else ''}`.
Each figure from a fresh process, its imports done before the measured step.

Zip bomb: a real .xlsx of about 300 KB whose sheet inflates to 300 MB (1,000:1). `pmo ingest`
refuses it from the zip directory (ratio above `workbook_max_compression_ratio`), before anything
inflates; with a forged directory (the sheet declared at 90 KB, so the ratio looks fine) it is
refused while inflating, 4 MB at a time, as soon as it yields more than it declared. Parsing it
in full took 1.4 GB (as reported in issue 15).

| directory | file | refused in (wall) | CPU | peak memory added |
|---|---|---|---|---|
{bomb_lines}

One upload at the limits (`[store] upload_limit_mb` = {upload_mb} MB for any file,
`[ingest] workbook_max_uncompressed_mb` = {inflated_mb:,.0f} MB for a workbook's inflated XML): peak
memory of the Data page's preview (`pmo.ingest.analyse`) of one file, the process included:

| file | size | inflated | read in | peak memory |
|---|---|---|---|---|
{upload_lines}

The largest of these peaked at {worst:,.0f} MB{'' if not quick else ' (--quick: small files, not the limits)'}, plus the
uploaded bytes Streamlit holds (at most {upload_mb} MB): a workbook costs about twice its inflated XML,
which `workbook_max_uncompressed_mb` bounds, a CSV about four times its size, which
`upload_limit_mb` bounds.

Damaged-text check (NUL bytes, invalid UTF-8) on a {big.stat().st_size / 2**20:,.0f} MB CSV: {check['wall']:.2f} s
({check['cpu']:.2f} s CPU), +{check['added']:,.1f} MB: one sequential read of the file in 4 MB slices.

"""
    results = HERE / "RESULTS.md"
    text = results.read_text() if results.exists() else "# Benchmark results\n\n"
    text = re.sub(r"## Refusals and upload memory .*?(?=\n## |\Z)", "", text, flags=re.S).rstrip() + "\n\n" + section
    results.write_text(text)
    print(section)


if __name__ == "__main__":
    main("--quick" in sys.argv[1:])
