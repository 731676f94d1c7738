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
                     or code in the cell, else the Actual Cost's currency; stated nowhere = the file is
                     refused unless --currency gives it (never the reporting currency)
    reported_health  Overall Status stoplight, if present (same reading as below)
    stage            Stage / Phase; a project whose `Is Active` is No gets stage `Inactive` when it
                     has no stage of its own

`status_snapshots` (one row per investment, as of the ingest's as-of date): percent_complete,
finish_date, budget (Planned Cost), actual_cost (Actual Cost; a status report holds amounts in the
project's currency, so an Actual Cost in another currency than the Planned Cost is left empty and
listed as a cleared cell), reported_health (Overall Status),
schedule_health (Schedule Status), cost_health (Cost Status), scope_health (Scope Status).
A stoplight reads its colour column first (Green / Yellow / Red), then its value (1 green,
2 amber, 3 red when the column holds only 1-3), then its description (On Track / At Risk /
Minor Variance -> amber / Significant Variance / Off Track -> red).

Source: "investments". `as_of` is None.
"""

from __future__ import annotations

import polars as pl

from pmo import parse as pp
from pmo.importers._common import Cells, coalesce, project_currency, tables_of, without_blank_rows
from pmo.importers.base import Fingerprint, ImportResult, IngestContext, RawTable

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
    tables = tables_of(tables)
    result = ImportResult(tables={}, source="investments")
    projects, snaps = [], []
    for t in tables:
        t = without_blank_rows(t, result)
        p, s = _investments(t, result, ctx)
        projects.append(p)
        snaps.append(s)
    result.tables["projects"] = pl.concat(projects, how="diagonal_relaxed")
    result.tables["status_snapshots"] = pl.concat(snaps, how="diagonal_relaxed")
    return result


def _investments(t: RawTable, result: ImportResult, ctx: IngestContext) -> tuple[pl.DataFrame, pl.DataFrame]:
    df = t.data
    c = Cells(t, df, result, "projects", ctx)
    n = df.height
    planned = _money(c, result, "Planned Cost", "Budget", "Planned Budget")
    actual = _money(c, result, "Actual Cost", "Actuals")
    currency, actual_cost = project_currency(result, df["_row"], planned[1], actual[0], actual[1],
                                             c.name("Actual Cost", "Actuals"))
    result.amount_columns.setdefault("projects", [c.name("Planned Cost", "Budget", "Planned Budget") or "Planned Cost"])
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
        "currency": currency,
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
        "actual_cost": actual_cost,
    })
    return projects, snaps


def _money(c: Cells, result: ImportResult, *names: str) -> tuple[pl.Series, pl.Series]:
    """Amount and currency: Clarity's split `<X> Currency` column, else a symbol in the cell."""
    col = c.name(*names)
    if col is None:
        n = c.df.height
        return pl.Series(names[0], [None] * n, dtype=pl.Float64), pl.Series([None] * n, dtype=pl.String)
    amount, symbol = c.money(col)
    code = c.text(f"{col} Currency", f"{col} Currency Code").str.strip_chars().str.to_uppercase()
    return amount, coalesce(code, symbol).alias("currency")


def _stoplight(c: Cells, name: str) -> pl.Series:
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
        parts.append(coalesce(known.replace("?", None), generic))
    if not parts:
        return pl.Series(name, [None] * c.df.height, dtype=pl.String)
    return coalesce(*parts).alias(name)
