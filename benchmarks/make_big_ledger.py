"""Write a big FP&A ledger CSV in the sample's long layout (seeded), for the ingest benchmark.

usage: python benchmarks/make_big_ledger.py OUT.csv LINES
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

HEADER = "Cost Center,Cost Center Name,Project,GL Account,Category,Capex/Opex,Fiscal Year,Period,Version,Currency,Amount\n"
CATEGORIES = [("Labour", "OPEX", "615000"), ("Vendor", "OPEX", "620000"), ("Hardware", "CAPEX", "416100"),
              ("Software", "CAPEX", "417000"), ("Travel", "OPEX", "630000")]
VERSIONS = ["Budget", "Actual", "Actual", "Forecast"]


def main(out: Path, lines: int, n_projects: int = 5000) -> None:
    rnd = random.Random(2026)
    projects = [f"PRJ-{1000 + i}" for i in range(1, n_projects + 1)]
    months = [f"{y}-{m:02d}" for y in (2025, 2026) for m in range(1, 13)]
    chunk = []
    with out.open("w", encoding="utf-8", newline="") as fh:
        fh.write(HEADER)
        for i in range(lines):
            p = projects[i % len(projects)]
            cat, capex, gl = CATEGORIES[rnd.randrange(5)]
            period = months[rnd.randrange(24)]
            cc = 4700 + (i % 50)
            ccy = "EUR" if cc % 7 == 0 else "USD"
            amount = rnd.uniform(-500, 25000)
            fy = f"FY{period[:4]}"
            chunk.append(f"CC{cc},IT Ops {cc % 9},{p},{gl},{cat},{capex},{fy},{period},"
                         f"{VERSIONS[rnd.randrange(4)]},{ccy},{amount:.2f}\n")
            if len(chunk) >= 100_000:
                fh.write("".join(chunk))
                chunk.clear()
        fh.write("".join(chunk))


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
