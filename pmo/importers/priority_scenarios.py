"""Saved prioritisation scenarios: written by the Prioritisation page (pmo/page_inputs.py) and
ingested like any export, so a saved, replaced or deleted scenario is a new store version (kept,
rolled back and replayed by `pmo rebuild`). One row per scenario and candidate project:

    Scenario,Project ID,Selected,Forced,Cost,Score,Budget,Weights,Currency,Saved by,Saved at,Note,Respect capacity
    FY27 base,PRJ-1001,yes,,2400000,71.5,60000000,Strategic alignment=35; Financial value=30,USD,ana@example.com,2026-12-07T09:12:00,,yes

Mapping to `priority_scenarios`: as written; Selected yes/no; Forced in / out / empty; Cost and
Budget in the Currency stated (the reporting currency when saved); Weights `criterion=weight; ...`;
Respect capacity yes/no (the selection also kept role capacity per quarter; lists saved before the
column existed have none: read as no).
Source: "scenarios", one list: every save publishes the whole list again.
"""

from __future__ import annotations

import polars as pl

from pmo.importers._common import Cells, tables_of, without_blank_rows
from pmo.importers.base import Fingerprint, ImportResult, IngestContext, RawTable, reject_mask

TOOL = "priority_scenarios"
LABEL = "Prioritisation scenarios (saved on the Prioritisation page)"
VERSION = "1"
TABLES = ("priority_scenarios",)
HEADER = ("Scenario", "Project ID", "Selected", "Forced", "Cost", "Score", "Budget", "Weights", "Currency",
          "Saved by", "Saved at", "Note", "Respect capacity")

FINGERPRINT = Fingerprint(strong=("Scenario", "Project ID", "Selected", "Budget", "Weights"),
                          weak=("Forced", "Cost", "Score", "Currency", "Saved by", "Saved at", "Note",
                                "Respect capacity"), need=4)


def parse(tables: list[RawTable] | RawTable, ctx: IngestContext) -> ImportResult:
    result = ImportResult(tables={}, source="scenarios")
    frames = []
    for t in tables_of(tables):
        t = without_blank_rows(t, result)
        result.rows_read += t.data.height
        df = t.data
        c = Cells(t, df, result, "priority_scenarios", ctx)
        df = df.with_columns(_s=c.text("Scenario").str.strip_chars().replace("", None),
                             _p=c.text("Project ID").str.strip_chars().replace("", None),
                             _f=c.text("Forced").str.strip_chars().str.to_lowercase().replace("", None))
        df = reject_mask(result, "priority_scenarios", df, df["_s"].is_null(), "Scenario", "the row names no scenario")
        df = reject_mask(result, "priority_scenarios", df, df["_p"].is_null(), "Project ID", "the row names no project")
        df = reject_mask(result, "priority_scenarios", df, df["_f"].is_not_null() & ~df["_f"].is_in(["in", "out"]),
                         "Forced", "Forced must be in, out or empty", raw=df["_f"])
        c = Cells(t, df, result, "priority_scenarios", ctx)
        frames.append(pl.DataFrame({
            "_row": df["_row"], "scenario": df["_s"], "project_id": df["_p"], "selected": c.bool("Selected"),
            "forced": df["_f"], "cost": c.number("Cost"), "score": c.number("Score"), "budget": c.number("Budget"),
            "weights": c.text("Weights"), "currency": c.text("Currency"), "saved_by": c.text("Saved by"),
            "saved_at": c.text("Saved at").cast(pl.String), "note": c.text("Note"),
            "respect_capacity": c.bool("Respect capacity"),
        }))
    result.tables["priority_scenarios"] = pl.concat(frames, how="diagonal_relaxed")
    return result
