"""Row scope on writes: what an analyst limited to some portfolios / departments may publish.

Reading is scoped in the query layer (pmo/query/scope.py); publishing is scoped here, with the
same rules (`WRITE_RULE` next to `ROW_TEST`):

- every row of a file must be inside the analyst's scope: a project's rows by any of its ids
  (known projects of their portfolios, or a project the file itself introduces in one of them),
  a project row's portfolio / department must stay inside the scope, salary and capacity rows by
  the department limit, a project link when either end is theirs; rows every role sees (market
  benchmarks, FX rates, public holidays) are for unscoped analysts and admins. A file with rows
  outside is refused whole, with the count and examples (`check`).
- publishing never replaces or removes another scope's rows: where the file's source already has
  a segment, the new segment keeps that segment's rows outside the scope and takes the file's
  rows for the rest (`merge`). Replacing a whole source is for unscoped analysts and admins.

The project keys the scope allowed at publish time are kept in the ingest record (`to_record`),
so `pmo rebuild` and removing an ingest replay the same merge.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from pmo import schema
from pmo.auth import Scope
from pmo.query.scope import WRITE_RULE

EXAMPLES = 3


@dataclass(frozen=True)
class WriteScope:
    portfolios: tuple[str, ...] | None
    departments: tuple[str, ...] | None
    keys: frozenset[str]                  # project ids and aliases inside the scope

    def describe(self) -> str:
        return Scope(self.portfolios, self.departments).describe()

    def to_record(self) -> dict:
        return {"portfolios": self.portfolios, "departments": self.departments, "keys": sorted(self.keys)}

    @classmethod
    def from_record(cls, rec: dict) -> WriteScope:
        return cls(tuple(rec["portfolios"]) if rec.get("portfolios") is not None else None,
                   tuple(rec["departments"]) if rec.get("departments") is not None else None,
                   frozenset(rec.get("keys") or ()))

    def _within(self, col: str, values: tuple[str, ...] | None) -> pl.Expr:
        """NULL or an allowed value; anything when the dimension is not limited."""
        if values is None:
            return pl.lit(True)
        return pl.col(col).is_null() | pl.col(col).is_in(list(values))

    def mask(self, table: str, df: pl.DataFrame) -> pl.Series:
        """True for each row of `df` inside the scope."""
        rule = WRITE_RULE[table]
        keys = list(self.keys)
        if rule == "project":
            inside = pl.col("project_id").is_in(keys)
            if table == "projects":
                inside = inside & self._within("portfolio", self.portfolios) & self._within("department", self.departments)
        elif rule == "salary":
            inside = (pl.lit(self.departments is not None)
                      & pl.col("department").is_in(list(self.departments or ())).fill_null(False))
        elif rule == "link":
            inside = pl.col("alias").is_in(keys) | pl.col("project_id").is_in(keys)
        else:
            inside = pl.lit(False)
        return df.select(inside.fill_null(False).alias("in")).to_series()


def for_publish(store, scope: Scope, outcomes: list) -> WriteScope:
    """The keys `scope` allows in the current version, plus projects the files introduce inside it
    (an id no export of the store knows yet, whose row names an allowed portfolio / department)."""
    from pmo import query

    known: set[str] = set()
    allowed: set[str] = set()
    if not store.is_empty():
        full = query.connect(store)
        try:
            known = {r[0] for r in full.con.execute(
                "select project_id from projects union select alias from _project_alias").fetchall()}
        finally:
            full.close()
        mine = query.connect(store, scope=Scope(scope.portfolios, scope.departments))
        try:
            allowed = {r[0] for r in mine.con.execute("select key from _scope_keys").fetchall()}
        finally:
            mine.close()
    for o in outcomes:
        frame = o.frames.get("projects")
        if frame is None:
            continue
        df = frame.collect() if isinstance(frame, pl.LazyFrame) else frame
        ok = pl.lit(True)
        if scope.portfolios is not None:
            ok = ok & pl.col("portfolio").is_in(list(scope.portfolios)).fill_null(False)
        if scope.departments is not None:
            ok = ok & pl.col("department").is_in(list(scope.departments)).fill_null(False)
        for pid, ext in df.filter(ok & ~pl.col("project_id").is_in(list(known))).select(
                "project_id", "external_ids").iter_rows():
            allowed.add(pid)
            allowed.update(e for e in (ext or []) if e and e not in known)
    return WriteScope(scope.portfolios, scope.departments, frozenset(allowed))


def _describe_row(table: str, row: dict) -> str:
    rule = WRITE_RULE[table]
    if rule == "project":
        what = f"project {row.get('project_id')}"
        if table == "projects" and row.get("portfolio"):
            what += f" (portfolio {row.get('portfolio')})"
    elif rule == "salary":
        what = f"department {row.get('department') or '(none)'}"
    elif rule == "link":
        what = f"{row.get('alias')} -> {row.get('project_id')}"
    else:
        what = "shared by every portfolio"
    where = f"row {row['_row']}" if row.get("_row") is not None else "a row"
    return f"{table} {where}: {what}"


def check(outcomes: list, ws: WriteScope) -> list[str]:
    """One problem per file with rows outside `ws` (empty: every row is inside)."""
    problems = []
    for o in outcomes:
        outside, examples = 0, []
        for table, frame in o.frames.items():
            df = frame.collect() if isinstance(frame, pl.LazyFrame) else frame
            if not df.height:
                continue
            bad = df.filter(~ws.mask(table, df))
            outside += bad.height
            examples += [_describe_row(table, r) for r in bad.head(EXAMPLES).iter_rows(named=True)]
        if outside:
            shared = [t for t in o.frames if WRITE_RULE[t] is None]
            why = (f" ({', '.join(shared)} is shared by every portfolio)" if shared else "")
            problems.append(
                f"{o.file_name}: {outside:,} row{'s are' if outside != 1 else ' is'} outside your scope "
                f"({ws.describe()}){why}, e.g. {'; '.join(examples[:EXAMPLES])}. An analyst limited to some "
                "portfolios publishes only their rows: remove the others from the file, or ask an unscoped "
                "analyst or an admin. Nothing was stored.")
    return problems


def merge(existing: pl.DataFrame | None, new: pl.DataFrame | pl.LazyFrame, table: str,
          ws: WriteScope) -> pl.DataFrame:
    """The segment a scoped publish writes: `existing`'s rows outside the scope (kept as they
    were, with the ingest that wrote them), then the file's rows."""
    body = new.collect() if isinstance(new, pl.LazyFrame) else new
    if existing is None or not existing.height:
        return body
    kept = existing.filter(~ws.mask(table, existing))
    out = pl.concat([kept, body], how="diagonal_relaxed")
    keys = list(schema.NATURAL_KEYS.get(table, ()))
    if keys:
        out = out.unique(subset=keys, keep="last", maintain_order=True)
    return out.select(body.columns) if set(body.columns) <= set(out.columns) else out
