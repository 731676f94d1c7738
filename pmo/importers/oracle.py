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
                     symbol or code in the amount, else a code in the cost header, else
                     `--currency`; stated nowhere = the file is refused (never the reporting currency)
    capex_opex       not in this export (Oracle keeps capitalizable on the task) -> empty
Project Name, Task, Quantity and Billable have no column in `financials` and are not imported;
a row with neither a cost nor a date is rejected by validation (amount / period empty).

Source: "expenditures:" + the project numbers joined by "+" + ":" + the first and last month
covered (`expenditures:PRJ-2026-014:2026-02..2026-03`). A re-export of the same projects and
months replaces the earlier one; an export that covers more months is a new dataset, so load
either monthly exports or one cumulative export, not both.
"""

from __future__ import annotations

import polars as pl

from pmo.importers._common import Cells, coalesce, tables_of, without_blank_rows
from pmo.importers.base import Fingerprint, ImportResult, IngestContext, RawTable

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
    tables = tables_of(tables)
    result = ImportResult(tables={}, source="")
    frames = []
    for t in tables:
        t = without_blank_rows(t, result)
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
    c = Cells(t, df, result, "financials", ctx)
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
    amount = coalesce(burdened, raw)
    symbol = pl.DataFrame({"u": used_raw, "r": r_cur, "b": b_cur}).select(
        pl.when(pl.col("u")).then(pl.col("r")).otherwise(pl.col("b")).alias("c"))["c"]
    currency = coalesce(c.text("Currency", "Project Currency", "Project Currency Code", "Denom Currency Code",
                               "Currency Code").str.strip_chars().str.to_uppercase(), symbol)
    result.amount_columns.setdefault("financials", [x for x in (
        c.name("Burdened Cost", "Project Burdened Cost", "Burdened Cost in Project Currency"),
        c.name("Raw Cost", "Project Raw Cost", "Raw Cost in Project Currency")) if x])
    item_date = c.date("Expenditure Item Date", "Item Date", "Expenditure Date")
    period = coalesce(item_date.dt.month_start(), _accounting_period(c.text("Accounting Period", "PA Period",
                                                                            "GL Period")))
    return pl.DataFrame({
        "_row": df["_row"],
        "project_id": c.text("Project Number", "Project"),
        "period": period,
        "category": coalesce(c.text("Expenditure Category"), c.text("Expenditure Type")),
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
