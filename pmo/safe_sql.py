"""User SQL (the `pmo sql` command and the SQL explorer): one read-only SELECT, capped and timed.

Four fences:
1. the statement must parse as exactly one SELECT (no COPY, ATTACH, INSTALL, LOAD, SET, RESET,
   PRAGMA or writes); a refusal names the statement actually refused ("RESET is refused");
2. the connection it runs on is locked down (`pmo.query.connection.lock_down`: no file access
   outside the store, no spill directory, no extensions, configuration frozen);
3. limits while the result is materialised (`SqlLimits`): rows, bytes, characters in one cell and
   items in one list, checked batch by batch, so a result is refused before it is all in memory;
   the query is interrupted after the timeout;
4. the SQL explorer and `pmo sql` run it in a separate worker process with a memory bound and a
   hard wall-time kill (`pmo.sandbox`), so one query cannot take the server's memory or time.

`run_user_sql` is fences 1 to 3 on a given connection (the worker calls it; tests use it directly).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc


class UnsafeSQL(Exception):
    """The statement was refused; the message says why and what is allowed."""


@dataclass(frozen=True)
class SqlLimits:
    """What one user query may take ([security] in config/pmo.toml, docs/security.md)."""

    row_cap: int = 10_000                 # rows returned at most (more: cut, and said so)
    timeout_s: float = 10.0               # wall time; the worker is killed shortly after
    result_mb: float = 64.0               # bytes of the materialised result
    cell_chars: int = 100_000             # characters (bytes) in one text or binary cell
    list_items: int = 10_000              # items in one list cell
    worker_memory_mb: int = 2048          # the worker process's data segment (RLIMIT_DATA)
    workers: int = 2                      # worker processes at most (queries at once)

    @classmethod
    def from_config(cls, cfg: dict) -> SqlLimits:
        sec = cfg.get("security", {})
        d = cls()
        return cls(row_cap=int(sec.get("sql_row_cap", d.row_cap)),
                   timeout_s=float(sec.get("sql_timeout_seconds", d.timeout_s)),
                   result_mb=float(sec.get("sql_result_mb", d.result_mb)),
                   cell_chars=int(sec.get("sql_cell_chars", d.cell_chars)),
                   list_items=int(sec.get("sql_list_items", d.list_items)),
                   worker_memory_mb=int(sec.get("sql_worker_memory_mb", d.worker_memory_mb)),
                   workers=max(1, int(sec.get("sql_workers", d.workers))))

    @property
    def result_bytes(self) -> int:
        return int(self.result_mb * 2**20)


# --- fence 1: one read-only statement ----------------------------------------------------------
_COMMENTS = re.compile(r"(--[^\n]*(\n|$))|(/\*.*?\*/)", re.DOTALL)


def leading_keyword(sql: str) -> str:
    """The statement's first keyword as written ("RESET", "INSTALL", "FORCE INSTALL"), for the
    refusal message: DuckDB files RESET under SET and INSTALL under LOAD."""
    words = re.findall(r"[A-Za-z_]+", _COMMENTS.sub(" ", sql))[:2]
    if not words:
        return "this statement"
    first = words[0].upper()
    if len(words) > 1 and (first == "FORCE" or (first, words[1].upper()) == ("UPDATE", "EXTENSIONS")):
        return f"{first} {words[1].upper()}"
    return first


def check_read_only(sql: str) -> None:
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise UnsafeSQL(f"the SQL does not parse: {_first_line(exc)}") from exc
    if len(statements) != 1:
        raise UnsafeSQL(f"one statement at a time, please ({len(statements)} found).")
    try:
        kind = statements[0].type
    except ValueError:      # a statement kind the Python API does not know (UPDATE EXTENSIONS)
        kind = None
    if kind != duckdb.StatementType.SELECT:
        raise UnsafeSQL(f"only read-only SELECT queries are allowed here; "
                        f"{leading_keyword(statements[0].query)} is refused.")


# --- fence 3: limits while materialising --------------------------------------------------------
# DuckDB types Polars takes as they are; anything else (INTERVAL, UNION, BIT, BIGNUM, TIME WITH
# TIME ZONE, types added later ...), alone or inside a list / struct / map, is shown as its text.
_PLAIN = {"boolean", "tinyint", "smallint", "integer", "bigint", "utinyint", "usmallint", "uinteger",
          "ubigint", "hugeint", "uhugeint", "float", "double", "decimal", "varchar", "uuid", "date",
          "time", "time_ns", "timestamp", "timestamp_s", "timestamp_ms", "timestamp_ns",
          "timestamp with time zone", "blob", "null", "enum"}


def _polars_can_take(t) -> bool:
    kind = t.id
    if kind in ("list", "array"):
        return _polars_can_take(dict(t.children)["child"])
    if kind in ("struct", "map"):
        return all(_polars_can_take(c) for _, c in t.children)
    return kind in _PLAIN


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _as_shown(rel: duckdb.DuckDBPyRelation) -> duckdb.DuckDBPyRelation:
    """`rel` with every column Polars cannot import cast to text (positional, so duplicate
    column names are kept)."""
    kinds = list(zip(rel.columns, rel.types, strict=True))
    if all(_polars_can_take(t) for _, t in kinds):
        return rel
    names = [c for c, _ in kinds]
    unique = len(set(names)) == len(names)
    if not unique:       # select 1 a, 2 a: rename by position, the frame keeps DuckDB's names
        rel = rel.select(*[duckdb.SQLExpression(f"#{i + 1} as _c{i}") for i in range(len(names))])
        names = [f"_c{i}" for i in range(len(names))]
    exprs = [duckdb.SQLExpression(f"cast({_ident(n)} as varchar) as {_ident(n)}") if not _polars_can_take(t)
             else duckdb.SQLExpression(_ident(n)) for n, (_, t) in zip(names, kinds, strict=True)]
    return rel.select(*exprs)


def _check_batch(batch: pa.RecordBatch, limits: SqlLimits) -> None:
    for name, col in zip(batch.schema.names, batch.columns, strict=True):
        t = col.type
        if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_binary(t) \
                or pa.types.is_large_binary(t) or pa.types.is_string_view(t) or pa.types.is_binary_view(t):
            longest = pc.max(pc.binary_length(col)).as_py()
            if longest is not None and longest > limits.cell_chars:
                raise UnsafeSQL(f"a value in column '{name}' is {longest:,} characters long; one cell may "
                                f"hold at most {limits.cell_chars:,} ([security] sql_cell_chars). "
                                "Select a part of it, e.g. left(column, 1000).")
        elif pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_list_view(t):
            longest = pc.max(pc.list_value_length(col)).as_py()
            if longest is not None and longest > limits.list_items:
                raise UnsafeSQL(f"a list in column '{name}' holds {longest:,} items; one cell may hold at "
                                f"most {limits.list_items:,} ([security] sql_list_items).")


def materialise(rel: duckdb.DuckDBPyRelation, limits: SqlLimits, on_stop=None) -> tuple[pl.DataFrame, bool]:
    """(rows up to the row cap, whether more rows existed), read a batch at a time; refused with
    UnsafeSQL as soon as the result passes a limit (`on_stop` interrupts the query then)."""
    shown = _as_shown(rel)
    names = rel.columns
    reader = shown.limit(limits.row_cap + 1).to_arrow_reader(1024)
    batches, size, rows = [], 0, 0
    try:
        for batch in reader:
            size += batch.get_total_buffer_size()
            if size > limits.result_bytes:
                raise UnsafeSQL(f"the result is larger than {limits.result_mb:g} MB "
                                f"([security] sql_result_mb); select fewer columns or rows, or aggregate.")
            _check_batch(batch, limits)
            batches.append(batch)
            rows += batch.num_rows
            if rows > limits.row_cap:
                break
    except UnsafeSQL:
        if on_stop is not None:
            on_stop()
        raise
    finally:
        reader.close()
    table = pa.Table.from_batches(batches, schema=reader.schema)
    try:
        df = pl.from_arrow(table, rechunk=False)
    except BaseException as exc:     # noqa: BLE001 - Polars panics (PanicException) on some types
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        raise UnsafeSQL(f"the result has a column type that cannot be shown ({_first_line(exc)}); "
                        "cast it, e.g. column::varchar.") from exc
    if not isinstance(df, pl.DataFrame):       # a single column may come back as a Series
        df = df.to_frame()
    if df.columns != list(names):
        df.columns = list(names) if len(set(names)) == len(names) else _unique(names)
    return df.head(limits.row_cap), df.height > limits.row_cap


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n}_{seen[n] - 1}")
    return out


def run_user_sql(con: duckdb.DuckDBPyConnection, sql: str, *, row_cap: int | None = None,
                 timeout_s: float | None = None, limits: SqlLimits | None = None,
                 memory_mb: int | None = None) -> tuple[pl.DataFrame, bool]:
    """Run one SELECT on `con` (in this process); return (rows up to the row cap, whether more
    rows existed). `row_cap` / `timeout_s` override `limits`; `memory_mb`: the process's memory
    bound, named when a query runs out of memory (the worker's)."""
    limits = limits or SqlLimits()
    if row_cap is not None or timeout_s is not None:
        limits = SqlLimits(**{**limits.__dict__,
                              **({"row_cap": row_cap} if row_cap is not None else {}),
                              **({"timeout_s": timeout_s} if timeout_s is not None else {})})
    check_read_only(sql)
    cur = con.cursor()
    timer = threading.Timer(limits.timeout_s, cur.interrupt)
    timer.start()
    try:
        return materialise(cur.sql(sql), limits, on_stop=cur.interrupt)
    except duckdb.InterruptException as exc:
        raise UnsafeSQL(timeout_message(limits.timeout_s)) from exc
    except duckdb.PermissionException as exc:
        raise UnsafeSQL("the query tried to reach files outside the store; only the views "
                        "(projects, tasks, financials, ...) can be queried.") from exc
    except duckdb.OutOfMemoryException as exc:
        raise UnsafeSQL(memory_message(memory_mb)) from exc
    except duckdb.Error as exc:
        raise UnsafeSQL(_first_line(exc)) from exc
    except (OSError, pa.ArrowException, MemoryError) as exc:   # raised through the Arrow reader
        if isinstance(exc, MemoryError) or "out of memory" in str(exc).lower():
            raise UnsafeSQL(memory_message(memory_mb)) from exc
        raise UnsafeSQL(_first_line(exc)) from exc
    finally:
        timer.cancel()
        cur.close()


def timeout_message(timeout_s: float) -> str:
    return f"the query ran longer than {timeout_s:g} s and was stopped; add filters or aggregate first."


def memory_message(limit_mb: int | None = None) -> str:
    bound = f" ({limit_mb:,} MB, [security] sql_worker_memory_mb)" if limit_mb else ""
    return (f"the query needed more memory than one query may use{bound} and was stopped; "
            "select fewer or shorter values, or aggregate first.")


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
