"""The SQL explorer's reference: which views a user may query, their columns and meanings, and
example queries. Pure (no Streamlit); the page is pages/5_SQL_Explorer.py."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import duckdb
import polars as pl

from pmo import frames
from pmo.query.catalog import QUERY_DIR

ROOT = Path(__file__).resolve().parent.parent
DATA_MODEL = ROOT / "docs" / "data-model.md"

CANONICAL = ("projects", "status_snapshots", "tasks", "financials", "risks", "salaries",
             "salary_benchmarks", "fx_rates", "ingests", "rejected_rows")

EXAMPLES: list[tuple[str, str]] = [
    ("Projects per portfolio and stage",
     "select portfolio, stage, count(*) as projects, sum(budget) as budget\n"
     "from projects\ngroup by all\norder by portfolio, stage"),
    ("Red projects now, with the reason",
     "select project_id, overall_health, health_reason, cpi, spi\n"
     "from project_health\nwhere is_latest and overall_health = 'red'\norder by project_id"),
    ("Budget vs actual by category",
     "select category, sum(budget) as budget, sum(actual) as actual,\n"
     "       sum(budget) - sum(actual) as variance\n"
     "from budget_variance\ngroup by category\norder by variance"),
    ("Late open milestones",
     "select project_id, task_name, finish_date\nfrom tasks\n"
     "where is_milestone and status_category <> 'done' and finish_date < current_date\n"
     "order by finish_date"),
    ("Open risks by exposure",
     "select project_id, title, owner, exposure\nfrom risks\n"
     "where kind = 'risk' and closed_date is null\norder by exposure desc nulls last\nlimit 20"),
]


def analytic_views() -> list[str]:
    return sorted(p.stem for p in (QUERY_DIR / "views").glob("*.sql"))


@cache
def _meanings(mtime: float) -> dict[str, dict[str, str]]:
    text = DATA_MODEL.read_text()
    out: dict[str, dict[str, str]] = {}
    for section in text.split("\n## ")[1:]:
        name = section.split("\n", 1)[0].strip()
        out[name] = dict(re.findall(r"^\| (\w+) \| [A-Z\[\]]+ \| (.*?) \|$", section, re.MULTILINE))
    return out


def meanings() -> dict[str, dict[str, str]]:
    """{view: {column: meaning}} from docs/data-model.md (canonical views only)."""
    return _meanings(DATA_MODEL.stat().st_mtime) if DATA_MODEL.exists() else {}


def catalog(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """One row per (view, column) a user may query: view, column, type, meaning, position."""
    names = [*CANONICAL, *analytic_views()]
    cur = con.cursor()
    try:
        df = cur.sql(
            "select table_name as view, column_name as column, data_type as type, ordinal_position as position "
            "from information_schema.columns where table_schema = 'main' and list_contains($names, table_name) "
            "order by table_name, ordinal_position", params={"names": names}).pl()
    finally:
        cur.close()
    docs = meanings()
    return df.with_columns(frames.each_row(df, ("view", "column"), lambda r: docs.get(r["view"], {}).get(r["column"], ""),
                                           pl.String, "meaning"))
