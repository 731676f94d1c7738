"""User SQL (the `pmo sql` command and the SQL explorer): one read-only SELECT, capped and timed.

Three fences: the statement must parse as exactly one SELECT (no COPY, ATTACH, INSTALL, LOAD,
SET, PRAGMA or writes); the connection it runs on is locked down (`db.lock_down`: no file access
outside the store, no extensions, configuration frozen); and it is interrupted after a timeout
and cut at a row cap, so a runaway cross join cannot hold the server.
"""

from __future__ import annotations

import threading

import duckdb
import polars as pl


class UnsafeSQL(Exception):
    """The statement was refused; the message says why and what is allowed."""


def check_read_only(sql: str) -> None:
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise UnsafeSQL(f"the SQL does not parse: {_first_line(exc)}") from exc
    if len(statements) != 1:
        raise UnsafeSQL(f"one statement at a time, please ({len(statements)} found).")
    kind = statements[0].type
    if kind != duckdb.StatementType.SELECT:
        name = str(kind).split(".")[-1]
        raise UnsafeSQL(f"only read-only SELECT queries are allowed here; {name} is refused.")


def run_user_sql(con: duckdb.DuckDBPyConnection, sql: str, *, row_cap: int = 10_000,
                 timeout_s: float = 10.0) -> tuple[pl.DataFrame, bool]:
    """Run one SELECT; return (rows up to `row_cap`, whether more rows existed)."""
    check_read_only(sql)
    cur = con.cursor()
    timer = threading.Timer(timeout_s, cur.interrupt)
    timer.start()
    try:
        df = cur.sql(sql).limit(row_cap + 1).pl()
    except duckdb.InterruptException as exc:
        raise UnsafeSQL(f"the query ran longer than {timeout_s:g} s and was stopped; "
                        "add filters or aggregate first.") from exc
    except duckdb.PermissionException as exc:
        raise UnsafeSQL("the query tried to reach files outside the store; only the views "
                        "(projects, tasks, financials, ...) can be queried.") from exc
    except duckdb.Error as exc:
        raise UnsafeSQL(_first_line(exc)) from exc
    finally:
        timer.cancel()
        cur.close()
    return df.head(row_cap), df.height > row_cap


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
