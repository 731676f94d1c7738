"""The query catalog: one SQL file per query in `queries/`, run with bound `$named` parameters.

Each file opens with a header the catalog test parses:

    -- <name>
    -- <purpose, one or more lines>
    -- params: $portfolio VARCHAR (NULL = all), $as_of DATE
    -- grain: project_id
    -- columns: project_id, project_name, ...
    -- filters: per project (optional: the project filters only select projects, see below)

Values never enter SQL text: `run` passes them to DuckDB as parameters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb
import polars as pl

QUERY_DIR = Path(__file__).resolve().parent.parent / "queries"

# The shared project filters every page passes (pmo/ui/filters.py; the filtered_projects macro).
PROJECT_FILTERS = ("portfolio", "program", "department", "manager", "stage")


@dataclass(frozen=True)
class QueryInfo:
    name: str
    purpose: str
    params: tuple[str, ...]
    grain: str
    columns: tuple[str, ...]
    sql: str
    # "filters: per project": the result for some project filters is the unfiltered result's rows
    # of the projects `filtered_project_ids` returns for them (tests/test_sql_catalog.py checks it)
    per_project: bool = False


def load_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@cache
def info(name: str) -> QueryInfo:
    """Parse the header of `queries/<name>.sql`."""
    path = next(p for p in (QUERY_DIR / f"{name}.sql", QUERY_DIR / "views" / f"{name}.sql",
                            QUERY_DIR / "checks" / f"{name}.sql", QUERY_DIR / "macros" / f"{name}.sql")
                if p.exists())
    text = load_text(path)
    header = [ln[2:].strip() for ln in text.splitlines() if ln.startswith("--")]
    fields: dict[str, str] = {}
    purpose = []
    for ln in header[1:]:
        m = re.match(r"(params|grain|columns|filters):\s*(.*)", ln)
        if m:
            fields[m.group(1)] = m.group(2)
        elif not fields:
            purpose.append(ln)
    params = tuple(re.findall(r"\$(\w+)", fields.get("params", "")))
    columns = tuple(c.strip() for c in fields.get("columns", "").split(",") if c.strip())
    return QueryInfo(name, " ".join(purpose), params, fields.get("grain", ""), columns, text,
                     per_project=fields.get("filters", "").startswith("per project"))


def catalog() -> list[str]:
    """Every page query (not the views), by name."""
    return sorted(p.stem for p in QUERY_DIR.glob("*.sql"))


def used_params(sql: str) -> set[str]:
    body = "\n".join(ln for ln in sql.splitlines() if not ln.lstrip().startswith("--"))
    body = re.sub(r"'[^']*'", "''", body)
    return set(re.findall(r"\$([A-Za-z_]\w*)", body))


def run(con: duckdb.DuckDBPyConnection, name: str, **params) -> pl.DataFrame:
    """Run a catalog query with bound parameters; one cursor per call (thread-safe)."""
    q = info(name)
    missing = set(q.params) - set(params)
    if missing:
        raise TypeError(f"query {name} needs parameters: {', '.join(sorted(missing))}")
    bound = {k: v for k, v in params.items() if k in q.params}
    with con.cursor() as cur:
        return cur.sql(q.sql, params=bound or None).pl()
