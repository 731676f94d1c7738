"""Mapping files: any export's columns onto a canonical table, for layouts no importer knows.

A mapping file is TOML (documented with an example in docs/importing.md):

    table = "projects"                 # the canonical table the rows go to
    name = "Acme portfolio register"   # shown in summaries
    source = "acme_register"           # dataset identity: a newer file of it replaces the older
    sheet = "Register"                 # optional: the workbook sheet to read

    [columns]                          # canonical column = export column (header text)
    project_id = "Proj #"
    budget_original = "Budget (EUR)"

    [formats]                          # optional, per canonical column
    start_date = "dmy"                 # dates: "dmy" | "mdy" | "ymd" (any unambiguous format is auto)
    budget_original = { decimal = "," }
    labels = { separator = ";" }

    [constants]                        # optional: a fixed value for every row
    currency = "EUR"

When an ingest uses a mapping, the store keeps a copy under `mappings/`, keyed by the export's
header; the next file with the same header is mapped automatically.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from pmo import parse, schema
from pmo.importers.base import ImportError_, ImportResult, IngestContext, RawTable, check_readable, norm, reject_mask
from pmo.readers import Grid

VERSION = "1"
FRACTION_COLUMNS = {"percent_complete", "probability", "fte"}
HEALTH_COLUMNS = {c for (t, c) in schema.ENUMS if c.endswith("health")}

# What a mapping must give, beyond the keys every row needs (schema.REQUIRED): the columns without
# which the rows mean nothing (a project with no name, a task with no name), and for some tables
# at least one measure. A layout that cannot fill these is not that table (weather stations are
# not projects); the mapper marks them required.
MAPPING_REQUIRED: dict[str, tuple[str, ...]] = {
    "projects": ("project_id", "project_name"),
    "status_snapshots": ("project_id",),
    "tasks": ("task_id", "project_id", "task_name"),
    "financials": ("project_id", "period", "kind", "amount_original"),
    "salaries": ("employee_id", "job_title"),
    "salary_benchmarks": ("job_title",),
    "risks": ("item_id", "project_id", "kind", "title"),
    "fx_rates": ("currency", "rate_to_reporting", "valid_from"),
}
MAPPING_ONE_OF: dict[str, tuple[str, ...]] = {
    "status_snapshots": ("percent_complete", "reported_health", "schedule_health", "cost_health",
                         "scope_health", "finish_date", "budget", "actual_cost"),
    "salaries": ("base_salary_original", "base_salary"),
    "salary_benchmarks": ("p10", "p25", "p50", "p75", "p90", "mean"),
}


def missing_for(table: str, provided: set[str]) -> list[str]:
    """What a mapping onto `table` lacks: required columns, then 'one of a, b, c' when none of a
    table's measures is given."""
    missing = [c for c in MAPPING_REQUIRED.get(table, ()) if c not in provided]
    one_of = MAPPING_ONE_OF.get(table)
    if one_of and not provided & set(one_of):
        missing.append("one of " + ", ".join(one_of))
    return missing


@dataclass
class Mapping:
    table: str
    columns: dict[str, str]
    name: str = "mapped export"
    source: str = "mapped"
    sheet: str | None = None
    formats: dict = field(default_factory=dict)
    constants: dict = field(default_factory=dict)
    path: Path | None = None

    @property
    def label(self) -> str:
        return f"Mapped export ({self.name})"


class MappingError(ImportError_):
    """The mapping file itself is wrong; the message names the file and the key."""


def load(path: Path) -> Mapping:
    name = path.name
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise MappingError(f"{name}: mapping file not found.") from exc
    except tomllib.TOMLDecodeError as exc:
        raise MappingError(f"{name}: not valid TOML ({exc}).") from exc
    table = raw.get("table")
    if table not in schema.TABLES:
        raise MappingError(f"{name}: 'table' must be one of {', '.join(schema.TABLES)} (got {table!r}).")
    columns = raw.get("columns") or {}
    unknown = [c for c in columns if c not in schema.TABLES[table]]
    if unknown:
        raise MappingError(f"{name}: [columns] {', '.join(unknown)} are not columns of {table}; "
                           f"see docs/data-model.md.")
    provided = set(columns) | set(raw.get("constants", {}))
    missing = [c for c in schema.REQUIRED[table] if c not in provided and c not in ("as_of", "source")]
    missing += [c for c in missing_for(table, provided) if c not in missing]
    if missing:
        raise MappingError(f"{name}: refused: a mapping onto {table} must give {', '.join(missing)} in "
                           f"[columns] or [constants]; without them the rows are not {table}. Map those "
                           f"columns, or choose the table the export really holds (docs/data-model.md).")
    return Mapping(table=table, columns=dict(columns), name=raw.get("name", path.stem),
                   source=str(raw.get("source", path.stem)), sheet=raw.get("sheet"),
                   formats=raw.get("formats", {}), constants=raw.get("constants", {}), path=path)


def header_signature(header: list[str | None]) -> str:
    """A stable key for an export layout: its normalised header cells."""
    cells = "|".join(norm(h) for h in header if h)
    return hashlib.sha256(cells.encode()).hexdigest()[:16]


def find_header(grids: list[Grid], mapping: Mapping) -> tuple[Grid, int]:
    """The sheet and row whose header holds every mapped export column."""
    wanted = {norm(v) for v in mapping.columns.values()}
    best: tuple[int, Grid, int] | None = None
    for g in grids:
        if mapping.sheet and g.sheet != mapping.sheet and g.meta.get("format") == "xlsx":
            continue
        for i, row in enumerate(g.head):
            found = len(wanted & {norm(c) for c in row if c})
            if best is None or found > best[0]:
                best = (found, g, i)
    if best is None or best[0] < len(wanted):
        have = best[1].head[best[2]] if best else []
        missing = sorted(wanted - {norm(c) for c in have if c})
        raise MappingError(f"the mapping {mapping.name!r} expects columns that are not in the file: "
                           f"{', '.join(missing)}. Check [columns] against the export's header.")
    return best[1], best[2]


def apply(table: RawTable, mapping: Mapping, ctx: IngestContext) -> ImportResult:
    """Map a RawTable onto the mapping's canonical table, parsing each column by its type."""
    target = schema.TABLES[mapping.table]
    result = ImportResult(tables={}, source=f"{mapping.source}", rows_read=table.data.height)
    df = table.data.select("_row")
    for canon, export_col in mapping.columns.items():
        raw = table.values(export_col)
        fmt = mapping.formats.get(canon, {})
        values, bad, note = _parse(canon, target[canon], raw, fmt)
        if note:
            result.notes.append(f"{export_col}: {note}")
        # A mapped column whose values mostly do not read as its type: the mapping is wrong.
        what = _plural(canon, target[canon])
        if what:
            check_readable(table.file_name, export_col, raw, bad, what,
                           f"The mapping puts {export_col!r} in {mapping.table}.{canon}; map another column "
                           f"there or fix the mapping's [formats]")
        df = df.with_columns(values.alias(canon), raw.alias(f"_raw_{canon}"), bad.alias(f"_bad_{canon}"))
    for canon in mapping.columns:
        df = reject_mask(result, mapping.table, df, df[f"_bad_{canon}"], mapping.columns[canon],
                         f"cannot read {mapping.columns[canon]!r} as {_kind(target[canon])}", df[f"_raw_{canon}"])
    df = df.drop([c for c in df.columns if c.startswith(("_raw_", "_bad_"))])
    for canon, value in mapping.constants.items():
        if canon not in target:
            raise MappingError(f"{mapping.name}: [constants] {canon} is not a column of {mapping.table}.")
        df = df.with_columns(pl.lit(value).cast(target[canon]).alias(canon))
    result.tables[mapping.table] = df
    money = schema.MONEY.get(mapping.table)
    amounts = [mapping.columns[c] for c in money[1] if c in mapping.columns] if money else []
    if amounts:     # a code in the header ('Budget (EUR)') states their currency
        result.amount_columns[mapping.table] = amounts
    return result


def _plural(canon: str, dtype) -> str | None:
    """What the values of a mapped column must be, in the plural (for the refusal), or None for text."""
    if canon in HEALTH_COLUMNS:
        return "health ratings (green / amber / red, on track / at risk ...)"
    if canon in FRACTION_COLUMNS:
        return "percentages"
    return {pl.Date: "dates", pl.Float64: "numbers", pl.Int64: "whole numbers",
            pl.Boolean: "yes/no values"}.get(dtype)


def _kind(dtype) -> str:
    return {pl.Date: "a date", pl.Float64: "a number", pl.Boolean: "yes/no", pl.Int64: "a whole number"}.get(dtype, "text")


def _parse(canon: str, dtype, raw: pl.Series, fmt) -> tuple[pl.Series, pl.Series, str]:
    fmt = fmt if isinstance(fmt, dict) else {"format": fmt}
    no_bad = pl.Series([False] * len(raw))
    if dtype == pl.Date:
        order = fmt.get("format") if fmt.get("format") in ("dmy", "mdy") else None
        p = parse.to_date(raw, order=order, name=canon)
        return p.values, p.bad, p.note
    if dtype in (pl.Float64, pl.Int64):
        if canon in FRACTION_COLUMNS or fmt.get("format") == "percent":
            p = parse.to_percent(raw)
        else:
            p = parse.to_number(raw, decimal=fmt.get("decimal"))
        return p.values.cast(dtype, strict=False), p.bad, p.note
    if dtype == pl.Boolean:
        p = parse.to_bool(raw)
        return p.values, p.bad, p.note
    if isinstance(dtype, pl.List):
        return parse.split_list(raw, fmt.get("separator", ",")), no_bad, ""
    if canon in HEALTH_COLUMNS:
        p = parse.to_health(raw)
        return p.values, p.bad, p.note
    return raw, no_bad, ""


def stored(store_root: Path) -> dict[str, Path]:
    """Mapping files kept in the store, by header signature."""
    d = store_root / "mappings"
    return {p.stem: p for p in d.glob("*.toml")} if d.exists() else {}
