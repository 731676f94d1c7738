"""Row scope: a role limited to some portfolios or departments (config/roles.toml) gets a
connection whose segment tables hold only the rows it may see, so every view, page, export and
the SQL explorer see the same subset.

Every view reads the `seg_<table>` layer, so the scope is applied there: the segments are read
once into in-memory tables of the allowed rows, and the connection then gets no file access at
all (user SQL cannot read the full Parquet files around the scope). The allowed values reach SQL
as rows of the `_scope` table, never as SQL text; the tables and row tests are the SQL files in
queries/scope/.
"""

from __future__ import annotations

import duckdb
import polars as pl

from pmo import schema
from pmo.auth import HIDDEN_PROJECT, Scope
from pmo.query import catalog

# Which row test each segment table takes (queries/scope/in_scope.sql). Every table of the data
# contract must be listed: a new table is not readable by a scoped role until it is
# (tests/test_scoping.py checks).
ROW_TEST: dict[str, str | None] = {
    "projects": "in_project_scope(project_id)",
    "status_snapshots": "in_project_scope(project_id)",
    "tasks": "in_project_scope(project_id)",
    "risks": "in_project_scope(project_id)",
    "financials": "in_project_scope(project_id)",
    "salaries": "in_salary_scope(department)",
    "project_links": "in_link_scope(alias, project_id)",
    # RAID and governance: a dependency follows the blocked item's project
    "raid_snapshots": "in_project_scope(project_id)",
    "dependencies": "in_project_scope(project_id)",
    "task_links": "in_project_scope(project_id)",
    "schedule_exports": "in_project_scope(project_id)",
    "stage_gates": "in_project_scope(project_id)",
    # resources: rows of a project follow the project; a person's capacity (contract, leave, stated
    # capacity) follows the salary rule for individuals; public holidays are nobody's
    "time_entries": "in_project_scope(project_id)",
    "allocations": "in_project_scope(project_id)",
    "capacity": "kind = 'holiday' or in_salary_scope(department)",
    # prioritisation: a score or a scenario's row follows its project; maturity answers are about
    # the PMO itself, no project or person
    "project_scores": "in_project_scope(project_id)",
    "priority_scenarios": "in_project_scope(project_id)",
    "maturity_answers": None,
    # the same for every role: market data and exchange rates hold no project or person
    "salary_benchmarks": None,
    "fx_rates": None,
}


# Columns that name another project than the row's own: masked when that project is out of scope
# (the row stays, so a blocked item still shows that it waits on something). The rows are taken
# from the canonical view, resolved over every row: a blocker written as a bare code or alias
# ('P2', 'CRM-91') is known to be another portfolio's before the mask hides it. A hidden blocker
# reads HIDDEN_PROJECT with no item id (its key names the project).
RESOLVED_FIRST = {"dependencies": "dependencies"}
COLUMN_MASK: dict[str, dict[str, str]] = {
    "dependencies": {
        "blocker_project_id": f"case when in_project_scope_or_null(blocker_project_id) then blocker_project_id "
                              f"else '{HIDDEN_PROJECT}' end",
        "blocker_id": "case when in_project_scope_or_null(blocker_project_id) then blocker_id end",
    },
}


# Which rows of each table a scoped analyst may publish (pmo/write_scope.py): a project's rows by
# its ids, as ROW_TEST; salaries and a person's capacity by the department limit; a project link
# when either end is theirs. Rows every role sees (market data, exchange rates, public holidays)
# change every portfolio's figures, so only unscoped analysts and admins publish them (None).
WRITE_RULE: dict[str, str | None] = {
    **{t: "project" for t, test in ROW_TEST.items() if test == "in_project_scope(project_id)"},
    "salaries": "salary",
    "capacity": "salary",
    "project_links": "link",
    "salary_benchmarks": None,
    "fx_rates": None,
}


def scope_frame(scope: Scope) -> pl.DataFrame:
    """`_scope`: one row per allowed value, and a NULL-valued row marking each limited dimension
    (so an empty list means "nothing", not "everything")."""
    rows: list[tuple[str, str | None]] = []
    for dim, values in (("portfolio", scope.portfolios), ("department", scope.departments)):
        if values is not None:
            rows += [(dim, None)] + [(dim, str(v)) for v in values]
    if scope.hide_salaries:
        rows.append(("hide_salaries", None))
    return pl.DataFrame(rows, schema={"dimension": pl.String, "value": pl.String}, orient="row")


def table_from_frame(con: duckdb.DuckDBPyConnection, name: str, df: pl.DataFrame) -> None:
    """A real table (not a registered frame): cursors share tables, not registrations."""
    con.register("_frame", df)
    con.execute(f"create table {name} as select * from _frame")
    con.unregister("_frame")


def reads() -> tuple[str, ...]:
    """The views and tables the row-scope tables are made from (over every row, before `apply`)."""
    names = [r for q in catalog.in_order("scope") for r in q.reads] + list(RESOLVED_FIRST.values())
    return tuple(dict.fromkeys(names))


def apply(con: duckdb.DuckDBPyConnection, scope: Scope) -> None:
    """Replace every `seg_<table>` of `con` by a table of the rows `scope` allows."""
    missing = set(schema.TABLES) - set(ROW_TEST)
    if missing:
        raise RuntimeError(f"no row-scope rule for {', '.join(sorted(missing))} (pmo/query/scope.py)")
    table_from_frame(con, "_scope", scope_frame(scope))
    for q in catalog.in_order("scope"):
        body = q.body
        if body.lstrip().lower().startswith("create"):
            for stmt in body.split(";\n"):
                if stmt.strip():
                    con.execute(stmt)
        else:
            con.execute(f"create table {q.name} as {body}")
    kinds = dict(con.execute("select table_name, table_type from information_schema.tables "
                             "where table_name like 'seg\\_%' escape '\\'").fetchall())
    for table in schema.TABLES:
        test = ROW_TEST[table] or "true"
        masks = ", ".join(f"{expr} as {col}" for col, expr in COLUMN_MASK.get(table, {}).items())
        columns = f"* replace ({masks})" if masks else "*"
        rows = f"seg_{table}"
        if table in RESOLVED_FIRST:
            rows = f"(select *, null::bigint as {schema.INGEST_ID} from {RESOLVED_FIRST[table]})"
        con.execute(f"create table _scoped_{table} as select {columns} from {rows} where {test}")
    for table in schema.TABLES:
        kind = "view" if kinds.get(f"seg_{table}") == "VIEW" else "table"
        con.execute(f"drop {kind} seg_{table}")
        con.execute(f"alter table _scoped_{table} rename to seg_{table}")
    # rejected rows carry raw values of any project: a scoped connection has none
    con.execute(f"drop {'view' if kinds.get('seg_rejected_rows') == 'VIEW' else 'table'} seg_rejected_rows")
    table_from_frame(con, "seg_rejected_rows", pl.DataFrame(schema=schema.REJECTED_ROWS))
