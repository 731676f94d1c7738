"""The RAID part of an Azure DevOps query export: Risk and Issue work items (CMMI process).

One `risks` row (and the same row in `raid_snapshots`) per work item whose type is Risk, Issue,
Impediment (Scrum; -> issue) or Dependency:
    item_id / project_id / title / owner / status   ID / the work item's project / Title /
                     Assigned To's name / State
    status_category  closed when the State is done-like (Closed, Done, Removed ...), else open
    probability      Probability (Microsoft.VSTS.CMMI.Probability, a whole number 1-99 = percent)
    impact           Severity: `1 - Critical` 4, `2 - High` 3, `3 - Medium` 2, `4 - Low` 1
                     (impact_scale 4)
    priority         Priority (1-4 as exported)
    mitigation / contingency   Mitigation Plan / Contingency Plan (HTML removed)
    due_date         Target Resolve Date (Issue), else Due Date
    created_date / updated_date / closed_date   Created Date / Changed Date / Closed Date
    description      Description (HTML removed)
The items stay in `tasks` too (they are work items of the project).
"""

from __future__ import annotations

import copy

import polars as pl

from pmo import parse as pp
from pmo.importers import _raid
from pmo.importers._common import Cells
from pmo.importers.base import ImportResult, RawTable

RAID_TYPES = {"risk": "risk", "issue": "issue", "impediment": "issue", "dependency": "dependency"}
SEVERITY = {"1": 4.0, "2": 3.0, "3": 2.0, "4": 1.0, "critical": 4.0, "high": 3.0, "medium": 2.0, "low": 1.0}


def add(result: ImportResult, t: RawTable, df: pl.DataFrame, c: Cells, tasks: pl.DataFrame) -> None:
    """Append the export's RAID items to `result.tables["risks"]` / `["raid_snapshots"]`."""
    kind = tasks["task_type"].str.strip_chars().str.to_lowercase().replace_strict(
        RAID_TYPES, default=None, return_dtype=pl.String)
    if not kind.is_not_null().any():
        return
    c = copy.copy(c)
    c.table = "risks"   # a value this part cannot read is a reject of the risks table
    probability = _probability(c)
    severity = _severity(c)
    closed = tasks["completed_date"]
    items = pl.DataFrame({
        "_row": df["_row"],
        "item_id": tasks["task_id"],
        "project_id": tasks["project_id"],
        "kind": kind,
        "title": tasks["task_name"],
        "description": pp.strip_html(c.text("Description")),
        "owner": tasks["assignee"],
        "status": tasks["status"],
        "status_category": pl.DataFrame({"s": tasks["status_category"]}).select(
            pl.when(pl.col("s") == "done").then(pl.lit("closed"))
            .when(pl.col("s").is_not_null()).then(pl.lit("open")).alias("x"))["x"],
        "priority": c.text("Priority").str.replace(r"\.0+$", ""),
        "probability": probability,
        "impact": severity,
        "impact_scale": pl.Series([4.0] * df.height).zip_with(
            severity.is_not_null(), pl.Series([None] * df.height, dtype=pl.Float64)),
        "mitigation": pp.strip_html(c.text("Mitigation Plan")),
        "contingency": pp.strip_html(c.text("Contingency Plan")),
        "due_date": c.date("Target Resolve Date", "Due Date"),
        "created_date": c.date("Created Date"),
        "updated_date": c.date("Changed Date"),
        "closed_date": closed,
    }).filter(pl.col("kind").is_not_null())
    for table, frame in (("risks", items), ("raid_snapshots", _raid.snapshot(items))):
        before = result.tables.get(table)
        result.tables[table] = frame if before is None else pl.concat([before, frame], how="diagonal_relaxed")


def _severity(c: Cells) -> pl.Series:
    col = c.name("Severity")
    if col is None:
        return pl.Series([None] * c.df.height, dtype=pl.Float64)
    key = c.df[col].str.strip_chars().str.to_lowercase().str.extract(r"^([0-9]|[a-z]+)", 1)
    values = key.replace_strict(SEVERITY, default=None, return_dtype=pl.Float64)
    bad = (c.df[col].is_not_null() & values.is_null()).fill_null(False)
    return c.use(pp.Parsed(values, bad, ""), col, "a severity (1 - Critical ... 4 - Low)")


def _probability(c: Cells) -> pl.Series:
    """Probability: a whole number of percent (1-99) -> a fraction; outside 0-100 is a reject."""
    col = c.name("Probability")
    if col is None:
        return pl.Series([None] * c.df.height, dtype=pl.Float64)
    parsed = pp.to_number(c.df[col].str.replace(r"\s*%$", ""))
    values = parsed.values / 100
    outside = (values.is_not_null() & ((values < 0) | (values > 1))).fill_null(False)
    values = values.zip_with(~outside, pl.Series([None] * len(values), dtype=pl.Float64))
    return c.use(pp.Parsed(values, parsed.bad | outside, parsed.note), col, "a probability (1-99)")
