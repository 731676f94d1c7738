"""Clarity PPM (Broadcom) portfolio / investment list exported to Excel or CSV.

Layout (shared reference export-formats.md §5.4, documented pattern, illustrative headers):
Clarity's "Export to Excel" expands composite columns: a money column becomes two (`Planned Cost`,
`Planned Cost Currency`); a stoplight becomes up to three (`Schedule Status` = 1 / 2 / 3,
`Schedule Status Description` = On Track / Minor Variance / ..., and a colour column); booleans are
`Yes` / `No`; numbers and dates follow the exporting user's locale.

Mapping to `projects` (one row per investment):
    project_id       Investment ID (also Project ID / ID)
    project_name     Investment (also Investment Name / Project / Name)
    manager          Manager (Project Manager)         portfolio / program / department / stage /
    priority         Portfolio / Program / OBS or Department / Stage or Phase / Priority, if present
    start_date / finish_date   Start / Finish
    percent_complete % Complete (a 0-1 number, or percent points / `22%`)
    budget_original  Planned Cost (else Budget); currency = `Planned Cost Currency`, else a symbol
                     or code in the cell, else empty (the reporting currency)
    reported_health  Overall Status stoplight, if present (same reading as below)
    stage            Stage / Phase; a project whose `Is Active` is No gets stage `Inactive` when it
                     has no stage of its own

`status_snapshots` (one row per investment, as of the ingest's as-of date): percent_complete,
finish_date, budget (Planned Cost), actual_cost (Actual Cost, in `Actual Cost Currency`; a note
flags rows whose actual and planned currencies differ), reported_health (Overall Status),
schedule_health (Schedule Status), cost_health (Cost Status), scope_health (Scope Status).
A stoplight reads its colour column first (Green / Yellow / Red), then its value (1 green,
2 amber, 3 red when the column holds only 1-3), then its description (On Track / At Risk /
Minor Variance -> amber / Significant Variance / Off Track -> red).

Source: "investments". `as_of` is None.
"""

from __future__ import annotations

import re

import polars as pl

from pmo import parse as pp
from pmo.importers.base import Fingerprint, ImportResult, IngestContext, RawTable, Reject

TOOL = "clarity"
LABEL = "Clarity PPM investment export"
VERSION = "1"
TABLES = ("projects", "status_snapshots")

FINGERPRINT = Fingerprint(
    strong=("Investment ID", "Investment", "Planned Cost Currency", "Actual Cost Currency",
            "Schedule Status", "Schedule Status Description", "Is Active"),
    weak=("Manager", "Start", "Finish", "% Complete", "Planned Cost", "Actual Cost", "Overall Status",
          "Cost Status", "Scope Status"),
    need=2,
    forbid=("Issue key", "Task ID", "Work Item Type", "Short description", "Item ID (auto generated)"),
)

# Clarity's stock stoplight descriptions, and common custom ones, beyond what to_health knows.
_DESCRIPTIONS = {"minor variance": "amber", "significant variance": "red", "needs help": "red",
                 "on schedule": "green", "on budget": "green", "behind schedule": "amber",
                 "over budget": "red", "not started": None}


def parse(tables: list[RawTable] | RawTable, ctx: IngestContext) -> ImportResult:
    tables = [tables] if isinstance(tables, RawTable) else list(tables)
    result = ImportResult(tables={}, source="investments")
    projects, snaps = [], []
    for t in tables:
        df = _drop_blank(t.data)
        result.rows_read += df.height
        t = RawTable(t.file_name, t.sheet, t.header, df, t.header_row, t.meta)
        p, s = _investments(t, result, ctx)
        projects.append(p)
        snaps.append(s)
    result.tables["projects"] = pl.concat(projects, how="diagonal_relaxed")
    result.tables["status_snapshots"] = pl.concat(snaps, how="diagonal_relaxed")
    return result


def _investments(t: RawTable, result: ImportResult, ctx: IngestContext) -> tuple[pl.DataFrame, pl.DataFrame]:
    df = t.data
    c = _Cells(t, df, result, "projects", ctx)
    n = df.height
    planned = _money(c, result, "Planned Cost", "Budget", "Planned Budget")
    actual = _money(c, result, "Actual Cost", "Actuals")
    mismatch = (planned[1].is_not_null() & actual[1].is_not_null() & (planned[1] != actual[1])).fill_null(False)
    if mismatch.any():
        rows = ", ".join(str(r) for r in df["_row"].filter(mismatch).head(5).to_list())
        result.notes.append(f"Actual Cost is in another currency than Planned Cost on row(s) {rows}; "
                            "status_snapshots.actual_cost keeps the amount as written")
    percent = c.percent("% Complete", "Percent Complete")
    finish = c.date("Finish", "Finish Date", "End")
    overall = _stoplight(c, "Overall Status")
    active = c.bool("Is Active", "Active")
    stage = c.text("Stage", "Phase")
    stage = pl.DataFrame({"s": stage, "a": active}).select(
        pl.when(pl.col("s").is_null() & (pl.col("a") == False)).then(pl.lit("Inactive"))
        .otherwise(pl.col("s")).alias("stage"))["stage"]
    pid = c.text("Investment ID", "Project ID", "ID")
    projects = pl.DataFrame({
        "_row": df["_row"],
        "project_id": pid,
        "project_name": c.text("Investment", "Investment Name", "Project", "Name"),
        "portfolio": c.text("Portfolio"),
        "program": c.text("Program", "Programme"),
        "department": c.text("OBS", "Department", "Organization"),
        "manager": c.text("Manager", "Project Manager"),
        "sponsor": c.text("Sponsor", "Business Sponsor"),
        "stage": stage,
        "priority": c.text("Priority"),
        "start_date": c.date("Start", "Start Date"),
        "finish_date": finish,
        "percent_complete": percent,
        "reported_health": overall,
        "budget_original": planned[0],
        "currency": planned[1],
        "external_ids": pl.Series([[]] * n, dtype=pl.List(pl.String)),
    })
    snaps = pl.DataFrame({
        "_row": df["_row"],
        "project_id": pid,
        "percent_complete": percent,
        "reported_health": overall,
        "schedule_health": _stoplight(c, "Schedule Status"),
        "cost_health": _stoplight(c, "Cost Status"),
        "scope_health": _stoplight(c, "Scope Status"),
        "finish_date": finish,
        "budget": planned[0],
        "actual_cost": actual[0],
    })
    return projects, snaps


def _money(c: _Cells, result: ImportResult, *names: str) -> tuple[pl.Series, pl.Series]:
    """Amount and currency: Clarity's split `<X> Currency` column, else a symbol in the cell."""
    col = c.name(*names)
    if col is None:
        n = c.df.height
        return pl.Series(names[0], [None] * n, dtype=pl.Float64), pl.Series([None] * n, dtype=pl.String)
    amount, symbol = c.money(col)
    code = c.text(f"{col} Currency", f"{col} Currency Code").str.strip_chars().str.to_uppercase()
    return amount, _coalesce(code, symbol).alias("currency")


def _stoplight(c: _Cells, name: str) -> pl.Series:
    """A stoplight's colour column, else its value (1-3), else its description -> health."""
    parts = []
    for col in (c.name(f"{name} Color", f"{name} Colour", f"{name} Icon"), c.name(name),
                c.name(f"{name} Description", f"{name} Desc")):
        if col is None:
            continue
        text = c.df[col]
        word = text.str.strip_chars().str.to_lowercase()
        known = word.replace_strict(_DESCRIPTIONS, default="?", return_dtype=pl.String)
        generic = c.use(pp.to_health(text.zip_with(known == "?", pl.Series([None] * len(text), dtype=pl.String))),
                        col, "a stoplight")
        parts.append(_coalesce(known.replace("?", None), generic))
    if not parts:
        return pl.Series(name, [None] * c.df.height, dtype=pl.String)
    return _coalesce(*parts).alias(name)


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _drop_blank(df: pl.DataFrame) -> pl.DataFrame:
    cols = [c for c in df.columns if c != "_row"]
    return df.filter(pl.any_horizontal(pl.col(c).is_not_null() for c in cols)) if cols else df


def _coalesce(*series: pl.Series) -> pl.Series:
    frame = pl.DataFrame({f"c{i}": s for i, s in enumerate(series)})
    return frame.select(pl.coalesce(frame.columns).alias(series[0].name)).to_series()


class _Cells:
    """Typed columns of one table's rows. Unreadable cells become value-level rejects: the row is
    kept with the cell empty, and the reject quotes the file row and the text."""

    def __init__(self, t: RawTable, df: pl.DataFrame, result: ImportResult, table: str,
                 ctx: IngestContext, default_order: str | None = None):
        self.t, self.df, self.result, self.table = t, df, result, table
        # A caller's --date-order (and [general] default_date_order) reach pp.to_date through
        # pp.DATE_ORDER; `default_order` is this tool's own default when nothing else decides.
        settings = ctx.settings or {}
        self.order = None
        self.default_order = settings.get("general", {}).get("default_date_order") or default_order

    def name(self, *names: str) -> str | None:
        c = self.t.col(*names)
        return c if c is not None and c in self.df.columns else None

    def text(self, *names: str) -> pl.Series:
        c = self.name(*names)
        if c is None:
            return pl.Series(names[0], [None] * self.df.height, dtype=pl.String)
        return self.df[c]

    def _typed(self, names, parser, what: str, dtype) -> pl.Series:
        c = self.name(*names)
        if c is None:
            return pl.Series(names[0], [None] * self.df.height, dtype=dtype)
        return self.use(parser(self.df[c]), c, what)

    def date(self, *names: str) -> pl.Series:
        return self._typed(names, lambda s: pp.to_date(s, self.order, self.default_order, s.name),
                           "a date", pl.Date)

    def percent(self, *names: str) -> pl.Series:
        return self._typed(names, pp.to_percent, "a percentage", pl.Float64)

    def bool(self, *names: str) -> pl.Series:
        return self._typed(names, pp.to_bool, "a yes/no value", pl.Boolean)

    def money(self, *names: str) -> tuple[pl.Series, pl.Series]:
        c = self.name(*names)
        if c is None:
            n = self.df.height
            return pl.Series(names[0], [None] * n, dtype=pl.Float64), pl.Series([None] * n, dtype=pl.String)
        parsed, currency = pp.to_money(self.df[c])
        return self.use(parsed, c, "an amount"), currency

    def use(self, p: pp.Parsed, col: str, what: str) -> pl.Series:
        rows = self.df["_row"]
        if p.note:
            note = re.sub(r"\brow (\d+)", lambda m: f"row {rows[int(m.group(1)) - 1]}", p.note)
            line = f"{col}: {note}"
            if line not in self.result.notes:
                self.result.notes.append(line)
        if p.bad.any():
            for r, v in zip(rows.filter(p.bad).to_list(), self.df[col].filter(p.bad).to_list(), strict=True):
                self.result.rejects.append(Reject(r, col, v, f"not {what}; left empty", self.table))
        return p.values
