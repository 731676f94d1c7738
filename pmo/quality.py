"""The data-quality report: what `pmo check` prints and the Data page shows.

Each check is one SQL file in `queries/checks/` returning `item, detail` rows (no rows = clean),
so adding a check is adding a file. Per-ingest findings (rejected rows with row numbers and
reasons, parser notes) come from the ingest itself; these checks look across the whole store.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import polars as pl

from pmo.query.catalog import QUERY_DIR, info

CHECK_DIR = QUERY_DIR / "checks"


@dataclass
class Finding:
    check: str
    title: str
    rows: pl.DataFrame


def check_names() -> list[str]:
    return sorted(p.stem for p in CHECK_DIR.glob("*.sql"))


def store_report(con: duckdb.DuckDBPyConnection) -> list[Finding]:
    out = []
    for name in check_names():
        sql = (CHECK_DIR / f"{name}.sql").read_text()
        try:
            with con.cursor() as cur:
                rows = cur.sql(sql).pl()
        except duckdb.CatalogException:
            continue   # a check over a view this store does not have yet
        out.append(Finding(name, info_title(name), rows))
    return out


def info_title(name: str) -> str:
    text = (CHECK_DIR / f"{name}.sql").read_text().splitlines()
    return text[1].lstrip("- ").strip() if len(text) > 1 else name


def format_report(findings: list[Finding]) -> str:
    lines = []
    for f in findings:
        mark = "ok " if f.rows.height == 0 else "!! "
        lines.append(f"{mark}{f.title} ({f.rows.height:,} found)")
        for item, detail in f.rows.head(10).iter_rows():
            lines.append(f"     {item}: {detail}")
        if f.rows.height > 10:
            lines.append(f"     ... {f.rows.height - 10:,} more")
    return "\n".join(lines)


__all__ = ["Finding", "store_report", "format_report", "check_names", "info"]
