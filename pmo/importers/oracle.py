"""Oracle Projects (EBS / Fusion Project Costing) expenditure item export (OTBI / UI download).

Layout (shared reference export-formats.md §6.2; title-cased labels, illustrative): one row per
expenditure item: `Project Number, Project Name, Task Number, Task Name, Expenditure Item Date,
Expenditure Type, Expenditure Category, Expenditure Organization, Quantity, Unit of Measure,
Raw Cost, Burdened Cost, Currency, Accounting Period, Billable`.

Mapping to `financials` (kind 'actual', one line per expenditure item; a ledger is additive, so
lines with the same project / month / category are all kept):
    project_id       Project Number
    period           first day of the month of Expenditure Item Date; without a date, the month of
                     Accounting Period (`Feb-26`, `FEB-2026`, `2026-02`)
    category         Expenditure Category, else Expenditure Type
    cost_center      Expenditure Organization
    kind             'actual'
    amount_original  Burdened Cost (raw cost plus overheads: what the project is charged), else Raw
                     Cost when the burdened amount is missing; the notes say how many lines used which
    currency         Currency (also Project Currency / Denom Currency Code), else the currency
                     symbol or code in the amount, else empty (the reporting currency)
    capex_opex       not in this export (Oracle keeps capitalizable on the task) -> empty
Project Name, Task, Quantity and Billable have no column in `financials` and are not imported;
a row with neither a cost nor a date is rejected by validation (amount / period empty).

Source: "expenditures:" + the project numbers joined by "+" + ":" + the first and last month
covered (`expenditures:PRJ-2026-014:2026-02..2026-03`). A re-export of the same projects and
months replaces the earlier one; an export that covers more months is a new dataset, so load
either monthly exports or one cumulative export, not both.
"""

from __future__ import annotations

import re

import polars as pl

from pmo import parse as pp
from pmo.importers.base import Fingerprint, ImportResult, IngestContext, RawTable, Reject

TOOL = "oracle_projects"
LABEL = "Oracle Projects expenditure export"
VERSION = "1"
TABLES = ("financials",)

FINGERPRINT = Fingerprint(
    strong=("Expenditure Item Date", "Expenditure Type", "Expenditure Category", "Expenditure Organization",
            "Raw Cost", "Burdened Cost", "Task Number"),
    weak=("Project Number", "Project Name", "Task Name", "Quantity", "Unit of Measure", "Currency",
          "Accounting Period", "Billable"),
    need=2,
    forbid=("WBS Element", "Cost Element", "Issue key"),
)

_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep",
                                       "oct", "nov", "dec"), start=1)}


def parse(tables: list[RawTable] | RawTable, ctx: IngestContext) -> ImportResult:
    tables = [tables] if isinstance(tables, RawTable) else list(tables)
    result = ImportResult(tables={}, source="")
    frames = []
    for t in tables:
        df = _drop_blank(t.data)
        result.rows_read += df.height
        t = RawTable(t.file_name, t.sheet, t.header, df, t.header_row, t.meta)
        frames.append(_lines(t, result, ctx))
    fin = pl.concat(frames, how="diagonal_relaxed")
    result.tables["financials"] = fin
    projects = sorted(set(fin["project_id"].drop_nulls().to_list()))
    periods = fin["period"].drop_nulls()
    span = f"{periods.min():%Y-%m}..{periods.max():%Y-%m}" if periods.len() else "undated"
    result.source = f"expenditures:{'+'.join(projects)}:{span}"
    return result


def _lines(t: RawTable, result: ImportResult, ctx: IngestContext) -> pl.DataFrame:
    df = t.data
    c = _Cells(t, df, result, "financials", ctx)
    burdened, b_cur = c.money("Burdened Cost", "Project Burdened Cost", "Burdened Cost in Project Currency")
    raw, r_cur = c.money("Raw Cost", "Project Raw Cost", "Raw Cost in Project Currency")
    used_raw = burdened.is_null() & raw.is_not_null()
    n_burdened, n_raw = int(burdened.is_not_null().sum()), int(used_raw.sum())
    if c.name("Burdened Cost", "Project Burdened Cost", "Burdened Cost in Project Currency"):
        note = f"amounts are Burdened Cost ({n_burdened} line(s))"
        if n_raw:
            note += f"; Raw Cost where the burdened cost is empty ({n_raw} line(s))"
    else:
        note = f"amounts are Raw Cost ({n_raw} line(s)): the export has no Burdened Cost column"
    result.notes.append(note)
    amount = _coalesce(burdened, raw)
    symbol = pl.DataFrame({"u": used_raw, "r": r_cur, "b": b_cur}).select(
        pl.when(pl.col("u")).then(pl.col("r")).otherwise(pl.col("b")).alias("c"))["c"]
    currency = _coalesce(c.text("Currency", "Project Currency", "Project Currency Code", "Denom Currency Code",
                                "Currency Code").str.strip_chars().str.to_uppercase(), symbol)
    item_date = c.date("Expenditure Item Date", "Item Date", "Expenditure Date")
    period = _coalesce(item_date.dt.month_start(), _accounting_period(c.text("Accounting Period", "PA Period",
                                                                             "GL Period")))
    return pl.DataFrame({
        "_row": df["_row"],
        "project_id": c.text("Project Number", "Project"),
        "period": period,
        "category": _coalesce(c.text("Expenditure Category"), c.text("Expenditure Type")),
        "cost_center": c.text("Expenditure Organization", "Expenditure Organisation", "Organization"),
        "kind": pl.Series(["actual"] * df.height, dtype=pl.String),
        "amount_original": amount,
        "currency": currency,
    })


def _accounting_period(s: pl.Series) -> pl.Series:
    """`Feb-26`, `FEB-2026`, `Feb 2026`, `2026-02` -> first day of that month."""
    t = s.str.strip_chars().str.to_lowercase()
    f = pl.DataFrame({
        "n": t.str.extract_groups(r"^(?P<m>[a-z]{3})[a-z]*[-\s/]+(?P<y>[0-9]{2}|[0-9]{4})$"),
        "i": t.str.extract_groups(r"^(?P<y>[0-9]{4})[-/](?P<m>[0-9]{1,2})$"),
    })
    ny = pl.col("n").struct.field("y").cast(pl.Int32, strict=False)
    named = pl.date(pl.when(ny < 100).then(ny + 2000).otherwise(ny),
                    pl.col("n").struct.field("m").replace_strict(_MONTHS, default=None, return_dtype=pl.Int32), 1)
    iso = pl.date(pl.col("i").struct.field("y").cast(pl.Int32, strict=False),
                  pl.col("i").struct.field("m").cast(pl.Int32, strict=False), 1)
    return f.select(pl.coalesce(named, iso).alias("period"))["period"]


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

    def date(self, *names: str) -> pl.Series:
        c = self.name(*names)
        if c is None:
            return pl.Series(names[0], [None] * self.df.height, dtype=pl.Date)
        return self.use(pp.to_date(self.df[c], self.order, self.default_order, c), c, "a date")

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
