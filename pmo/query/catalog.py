"""The SQL files in `queries/` and the header each one opens with.

One query per file, the file name is its name. The folders say what a file is:

    queries/canonical/*.sql   views over the store's segments (aliases resolved, money converted)
    queries/macros/*.sql      shared table macros (filtered_projects)
    queries/views/*.sql       analytic views (project_health, budget_variance ...)
    queries/scope/*.sql       the row-scope tables of a role limited to some rows
    queries/checks/*.sql      data-quality checks (rows = findings)
    queries/*.sql             page queries, run with bound $named parameters

Every file opens with a header (parsed here; tests/test_sql_catalog.py checks it against the SQL):

    -- <name>
    -- <purpose, one or more lines>
    -- params: $portfolio VARCHAR (NULL = all), $as_of DATE (NULL = latest)
    -- reads: projects, project_health          every view, table or macro the SQL names
    -- cache: summary | saved | per project     how the runtime keeps the result (default: none)
    -- warm: as_of = today, eac_method = config health.eac_method
    -- grain: project_id
    -- columns: project_id, project_name, ...

`cache` (pmo/query/cache.py and runtime.py):
- summary: a view computed once per store version and saved as Parquet beside the store
  (`pmo ingest` builds it); later connections read the saved file.
- saved: a page query whose result without project filters is saved the same way, per parameters;
  `warm` gives the parameters a page opens it with (`today`, `config <section>.<key>`, a number,
  true / false; parameters not named are NULL), which `pmo ingest` saves ahead.
- per project: the result for some project filters is the unfiltered result's rows of the
  projects `filtered_project_ids` returns, so a filter change cuts instead of recomputing.

Dependencies are declared (`reads`), never found by searching the SQL text at run time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb
import polars as pl

QUERY_DIR = Path(__file__).resolve().parent.parent.parent / "queries"
KINDS = ("canonical", "macros", "views", "scope", "checks")     # sub-folders; page queries at the top
CACHE_POLICIES = frozenset({"summary", "saved", "per project"})

# The shared project filters every page passes (pmo/ui/filters.py; the filtered_projects macro).
PROJECT_FILTERS = ("portfolio", "program", "department", "manager", "stage")

_FIELD = re.compile(r"(params|reads|cache|warm|grain|columns|filters):\s*(.*)")


class QueryError(Exception):
    """A query called wrongly (unknown name, missing or unknown parameter): a bug in the caller."""


@dataclass(frozen=True)
class QueryInfo:
    name: str
    kind: str                       # "query" or a sub-folder of KINDS
    path: Path
    purpose: str
    params: tuple[str, ...]
    reads: tuple[str, ...]
    cache: frozenset[str]
    warm: tuple[tuple[str, str], ...]
    grain: str
    columns: tuple[str, ...]
    sql: str

    @property
    def per_project(self) -> bool:
        return "per project" in self.cache

    @property
    def body(self) -> str:
        """The SQL without its header comment and trailing semicolon."""
        lines = self.sql.splitlines()
        while lines and lines[0].startswith("--"):
            lines.pop(0)
        return "\n".join(lines).strip().rstrip(";")


def load_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _path(name: str) -> tuple[str, Path]:
    for kind in ("query", *KINDS):
        path = QUERY_DIR / f"{name}.sql" if kind == "query" else QUERY_DIR / kind / f"{name}.sql"
        if path.exists():
            return kind, path
    raise QueryError(f"no query named {name!r} in {QUERY_DIR}")


def parse_header(text: str) -> dict[str, str]:
    """The header block's fields ({'purpose': ..., 'params': ..., ...}); a line that is not a new
    field continues the one before it."""
    fields: dict[str, str] = {"purpose": ""}
    current = "purpose"
    for i, line in enumerate(text.splitlines()):
        if not line.startswith("--"):
            break
        if i == 0:
            continue                                  # the name line
        content = line[2:].strip()
        m = _FIELD.match(content)
        if m:
            current = "cache" if m.group(1) == "filters" else m.group(1)
            fields[current] = (fields.get(current, "") + " " + m.group(2)).strip()
        else:
            fields[current] = (fields[current] + " " + content).strip()
    return fields


def _names(text: str) -> tuple[str, ...]:
    """'a, b (a note), c' -> ('a', 'b', 'c'); '(none)' -> ()."""
    text = re.sub(r"\([^)]*\)", "", text)
    return tuple(n.strip() for n in text.split(",") if n.strip())


@cache
def info(name: str) -> QueryInfo:
    """The parsed header of `queries/**/<name>.sql`."""
    kind, path = _path(name)
    text = load_text(path)
    f = parse_header(text)
    policy = frozenset(_names(f.get("cache", "none"))) - {"none"}
    unknown = policy - CACHE_POLICIES
    if unknown:
        raise QueryError(f"{path}: unknown cache policy {', '.join(sorted(unknown))}")
    warm = tuple((k.strip(), v.strip()) for k, v in
                 (part.split("=", 1) for part in _names(f.get("warm", "")) if "=" in part))
    return QueryInfo(
        name=name, kind=kind, path=path, purpose=f.get("purpose", ""),
        params=tuple(re.findall(r"\$(\w+)", f.get("params", ""))),
        reads=_names(f.get("reads", "")), cache=policy, warm=warm, grain=f.get("grain", ""),
        columns=_names(f.get("columns", "")), sql=text)


def names(kind: str = "query") -> list[str]:
    """Every file of one kind, by name (`query`: the page queries)."""
    folder = QUERY_DIR if kind == "query" else QUERY_DIR / kind
    return sorted(p.stem for p in folder.glob("*.sql"))


def catalog() -> list[str]:
    """Every page query, by name."""
    return names("query")


def in_order(*kinds: str) -> list[QueryInfo]:
    """The files of `kinds`, each after the ones among them it reads (a cycle is left to DuckDB
    to name)."""
    pending = {n: info(n) for kind in kinds for n in names(kind)}
    ordered: list[QueryInfo] = []
    while pending:
        ready = [q for q in pending.values() if not any(r in pending and r != q.name for r in q.reads)]
        for q in ready or [next(iter(pending.values()))]:
            ordered.append(pending.pop(q.name))
    return ordered


def strip_comments_and_strings(sql: str) -> str:
    sql = re.sub(r"--[^\n]*", " ", sql)
    return re.sub(r"'(?:[^']|'')*'", "''", sql)


def used_params(sql: str) -> set[str]:
    return set(re.findall(r"\$([A-Za-z_]\w*)", strip_comments_and_strings(sql)))


def referenced(sql: str, known: set[str]) -> set[str]:
    """Which of the `known` relation names the SQL uses (identifiers outside comments and strings):
    how the catalog test checks each header's `reads`."""
    words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", strip_comments_and_strings(sql)))
    return words & known


def check_params(q: QueryInfo, params: dict) -> None:
    missing = set(q.params) - set(params)
    unknown = set(params) - set(q.params)
    if missing or unknown:
        parts = ([f"missing {', '.join(sorted(missing))}"] if missing else []) + \
                ([f"unknown {', '.join(sorted(unknown))}"] if unknown else [])
        raise QueryError(f"query {q.name}: {'; '.join(parts)} (it takes: {', '.join(q.params) or 'none'})")


def run(con: duckdb.DuckDBPyConnection, name: str, **params) -> pl.DataFrame:
    """Run a page query on `con` with exactly its declared parameters, bound (never in the SQL
    text); one cursor per call, so threads may share `con`."""
    q = info(name)
    check_params(q, params)
    with con.cursor() as cur:
        return cur.sql(q.sql, params=params or None).pl()
