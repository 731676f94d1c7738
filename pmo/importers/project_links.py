"""Project links: an analyst's decisions about projects only a non-register export knows.

Written by the Data page ("Projects to match") and `pmo link` (pmo/project_links.py), and
ingested like any export, so every decision is a new store version: kept, rolled back and replayed
by `pmo rebuild` with the rest. Layout (CSV, one row per decision, the whole list every time):

    Project key,Linked to project,Decision,Decided by,Decided at,Note
    Brand Refresh 2026,PRJ-1008,link,ana@example.com,2026-12-07T10:12:00,same project in Asana
    MKT-OPS,MKT-OPS,new,ana@example.com,2026-12-07T10:13:00,

Mapping to `project_links`: alias = Project key, project_id = Linked to project (the key itself for
`new`), decision = link | new, decided_by, decided_at, note. Source: "decisions" (the one list:
a newer file replaces the older).
"""

from __future__ import annotations

import polars as pl

from pmo.importers._common import tables_of
from pmo.importers.base import Fingerprint, ImportResult, IngestContext, Reject

TOOL = "project_links"
LABEL = "Project links (decisions from the Data page)"
VERSION = "1"
TABLES = ("project_links",)
HEADER = ("Project key", "Linked to project", "Decision", "Decided by", "Decided at", "Note")

FINGERPRINT = Fingerprint(strong=("Project key", "Linked to project", "Decision"),
                          weak=("Decided by", "Decided at", "Note"), need=3)


def parse(tables, ctx: IngestContext) -> ImportResult:
    result = ImportResult(tables={}, source="decisions")
    frames = []
    for t in tables_of(tables):
        df = t.data
        result.rows_read += df.height

        def text(name: str) -> pl.Series:
            return t.values(name).str.strip_chars().replace("", None)

        frame = pl.DataFrame({
            "_row": df["_row"], "alias": text("Project key"), "project_id": text("Linked to project"),
            "decision": text("Decision").str.to_lowercase(), "decided_by": text("Decided by"),
            "decided_at": text("Decided at"), "note": text("Note"),
        }).with_columns(project_id=pl.when(pl.col("decision") == "new").then(pl.col("alias"))
                        .otherwise(pl.col("project_id")))
        bad = frame.filter((pl.col("decision") == "link") & pl.col("project_id").is_null())
        for r in bad.iter_rows(named=True):
            result.rejects.append(Reject(r["_row"], "Linked to project", None,
                                         "a link needs the project it links to", "project_links"))
        frames.append(frame.filter(~((pl.col("decision") == "link") & pl.col("project_id").is_null())))
    result.tables["project_links"] = pl.concat(frames)
    return result
