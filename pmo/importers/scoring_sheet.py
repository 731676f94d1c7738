"""A prioritisation scoring sheet: each project's score on each business driver, CSV or Excel.

Written by the Prioritisation page (pmo/page_inputs.py, every edit publishes the whole list as a
new version) or filled in by hand. Layout (docs/prioritisation.md, "Scoring sheet"), one row per
project and criterion:

    Project ID,Project name,Criterion,Score,Scored by,Scored at,Note
    PRJ-1001,Mobile App 3.0,Strategic alignment,Strong,ana@example.com,2026-11-20,CX strategy pillar 1
    PRJ-1001,Mobile App 3.0,Financial value,7.5,ana@example.com,2026-11-20,NPV 4.1M

Mapping to `project_scores`: project_id = Project ID (a code, or a key or name the projects know as
an alias), criterion as written (it must match a criterion of config [prioritisation] to carry a
weight), score = the number, or a Project Online driver rating None 0 / Low 1 / Moderate 2 /
Strong 3 / Extreme 4 (rating keeps the text as written), scored_by / scored_at / note as written.
A row without a project or criterion, a score that is neither a number nor a rating word, and a
second row for the same project and criterion are rejected with their row numbers.

Source: "scores", one list: a newer sheet (or an edit on the page) replaces the whole list.
"""

from __future__ import annotations

import polars as pl

from pmo import frames
from pmo.importers._common import Cells, tables_of, without_blank_rows
from pmo.importers.base import Fingerprint, ImportResult, IngestContext, RawTable, reject_mask
from pmo.prioritisation import rating_value

TOOL = "scoring_sheet"
LABEL = "Prioritisation scoring sheet"
VERSION = "1"
TABLES = ("project_scores",)
HEADER = ("Project ID", "Project name", "Criterion", "Score", "Scored by", "Scored at", "Note")

ALIASES = {
    "Project ID": ("Project ID", "Project", "Project code", "Project key"),
    "Criterion": ("Criterion", "Business driver", "Driver", "Scoring criterion"),
    "Score": ("Score", "Rating", "Driver rating", "Impact"),
    "Scored by": ("Scored by", "Assessor", "Rated by"),
    "Scored at": ("Scored at", "Scored on", "Date scored", "Rated on"),
    "Note": ("Note", "Notes", "Rationale", "Comment"),
}

FINGERPRINT = Fingerprint(strong=("Project ID", "Criterion", "Score"),
                          weak=("Project name", "Scored by", "Scored at", "Note"), need=3,
                          forbid=("Issue key", "Probability", "Gate"),
                          alias={a: k for k, names in ALIASES.items() for a in names if a != k})


def as_text(s: pl.Series) -> pl.Series:
    """A when-column as text: a workbook's date cell as 2026-11-13 (with the time only when it has one)."""
    if s.dtype == pl.Date:
        return s.dt.strftime("%Y-%m-%d")
    if isinstance(s.dtype, pl.Datetime):
        return frames.values(s, lambda v: v.strftime("%Y-%m-%d") if (v.hour, v.minute, v.second) == (0, 0, 0)
                             else v.isoformat(timespec="seconds"), pl.String)
    return s.cast(pl.String)


def parse(tables: list[RawTable] | RawTable, ctx: IngestContext) -> ImportResult:
    result = ImportResult(tables={}, source="scores")
    parts = []
    for t in tables_of(tables):
        t = without_blank_rows(t, result)
        result.rows_read += t.data.height
        df = t.data
        c = Cells(t, df, result, "project_scores", ctx)
        df = df.with_columns(_p=c.text(*ALIASES["Project ID"]).str.strip_chars().replace("", None),
                             _c=c.text(*ALIASES["Criterion"]).str.strip_chars().replace("", None),
                             _s=c.text(*ALIASES["Score"]).cast(pl.String).str.strip_chars().replace("", None))
        df = reject_mask(result, "project_scores", df, df["_p"].is_null(), "Project ID", "the row names no project")
        df = reject_mask(result, "project_scores", df, df["_c"].is_null(), "Criterion", "the row names no criterion")
        value = frames.values(df["_s"], rating_value, pl.Float64)
        df = df.with_columns(_v=value)
        df = reject_mask(result, "project_scores", df, df["_s"].is_not_null() & df["_v"].is_null(), "Score",
                         "the score is neither a number nor a rating (None, Low, Moderate, Strong, Extreme)",
                         raw=df["_s"])
        dup = df.select(pl.struct("_p", "_c").is_duplicated() & ~pl.struct("_p", "_c").is_first_distinct()).to_series()
        df = reject_mask(result, "project_scores", df, dup, "Criterion",
                         "the project is already scored on this criterion in an earlier row", raw=df["_c"])
        c = Cells(t, df, result, "project_scores", ctx)
        parts.append(pl.DataFrame({
            "_row": df["_row"], "project_id": df["_p"], "criterion": df["_c"], "score": df["_v"],
            "rating": df["_s"], "scored_by": c.text(*ALIASES["Scored by"]),
            "scored_at": as_text(c.text(*ALIASES["Scored at"])), "note": c.text(*ALIASES["Note"]),
        }))
    result.tables["project_scores"] = pl.concat(parts, how="diagonal_relaxed")
    return result
