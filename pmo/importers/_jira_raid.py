"""The RAID part of a Jira issue export: Risk / Issue / Dependency issues and "Blocks" links.

RAID items (`risks`, and the same rows in `raid_snapshots`), one per issue whose Issue Type is
Risk, Assumption, Issue, Impediment (-> issue) or Dependency:
    item_id          Issue key            project_id   the issue's project key
    title / description / owner / status / priority   Summary / Description / Assignee / Status /
                     Priority
    status_category  Status Category Done (or a done-like status) -> closed, else open
    created_date / updated_date / closed_date / due_date   Created / Updated / Resolved / Due date
    probability      Custom field (Risk probability), (Probability) or (Likelihood): the risk apps'
                     words (Almost none ... Very high), 1-5 levels or percentages (see _raid.py)
    impact           Custom field (Risk consequence), (Risk impact), (Impact) or (Severity): words
                     (Trivial ... Severe, and Jira Service Management's Minor / Localized ...
                     Extensive / Widespread) on 1-5, or numbers
    mitigation / contingency   Custom field (Mitigation), (Mitigation plan) / (Contingency plan)
Jira has no built-in probability or impact: without those fields the item has no score.

Blocking links (`dependencies`), from every `Outward issue link (Blocks)` column (the issue blocks
the linked one) and every `Inward issue link (Blocks)` column (the linked issue blocks this one);
the columns repeat with identical names, one per link. A link listed on both of its issues is kept
once. The project of a linked key is its prefix (`PAY-214` -> `PAY`); the `dependencies` view
resolves Jira keys to project codes. Other link types (Cloners, Relates) are not dependencies.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from pmo.importers import _raid
from pmo.importers.base import ImportResult, RawTable

RAID_TYPES = {"risk": "risk", "assumption": "assumption", "issue": "issue", "impediment": "issue",
              "dependency": "dependency"}
# Jira Service Management's Impact field, on the 1-5 impact scale.
_JSM_IMPACT = {"extensive / widespread": "very high", "significant / large": "high",
               "moderate / limited": "medium", "minor / localized": "low"}
_PROBABILITY = ("Custom field (Risk probability)", "Custom field (Probability)", "Custom field (Likelihood)")
_IMPACT = ("Custom field (Risk consequence)", "Custom field (Risk impact)", "Custom field (Impact)",
           "Custom field (Severity)")
_KEY_PREFIX = r"^([A-Za-z][A-Za-z0-9_]*)-[0-9]+$"


def tables(t: RawTable, df: pl.DataFrame, tasks: pl.DataFrame, result: ImportResult,
           date: Callable[..., pl.Series], use: Callable) -> dict[str, pl.DataFrame]:
    """`risks`, `raid_snapshots` and `dependencies` frames of one export (only those it has).

    `tasks` is the export's tasks frame (row for row with `df`); `date(name)` parses a date column;
    `use(parsed, col, what)` records a parser's notes and rejects and returns the values."""
    out: dict[str, pl.DataFrame] = {}
    kind = tasks["task_type"].str.strip_chars().str.to_lowercase().replace_strict(
        RAID_TYPES, default=None, return_dtype=pl.String)
    if kind.is_not_null().any():
        risks = _items(t, df, tasks, kind, date, use).filter(pl.col("kind").is_not_null())
        out["risks"] = risks
        out["raid_snapshots"] = _raid.snapshot(risks)
    links = _links(t, df, tasks)
    if links.height:
        out["dependencies"] = links
    return out


def _items(t, df, tasks, kind, date, use) -> pl.DataFrame:
    n = df.height
    none = pl.Series([None] * n, dtype=pl.Float64)
    prob_col = t.col(*_PROBABILITY)
    probability = use(_raid.probability(df[prob_col]), prob_col, "a probability") if prob_col else none
    impact_col = t.col(*_IMPACT)
    if impact_col:
        words = df[impact_col].str.strip_chars().str.to_lowercase().replace(_JSM_IMPACT)
        parsed, scale = _raid.impact(words)
        impact = use(parsed, impact_col, "an impact")
    else:
        impact, scale = none, none
    closed = tasks["completed_date"]
    done = tasks["status_category"] == "done"
    return pl.DataFrame({
        "_row": df["_row"],
        "item_id": tasks["task_id"],
        "project_id": tasks["project_id"],
        "kind": kind,
        "title": tasks["task_name"],
        "description": t.values("Description"),
        "owner": tasks["assignee"],
        "status": tasks["status"],
        "status_category": pl.DataFrame({"d": done, "s": _raid.status_category(tasks["status"], closed)})
        .select(pl.when(pl.col("d")).then(pl.lit("closed")).otherwise(pl.col("s")).alias("x"))["x"],
        "priority": t.values("Priority"),
        "probability": probability,
        "impact": impact,
        "impact_scale": scale,
        "due_date": tasks["due_date"],
        "created_date": date("Created"),
        "updated_date": date("Updated"),
        "closed_date": closed,
        "mitigation": t.values("Custom field (Mitigation)", "Custom field (Mitigation plan)",
                               "Custom field (Risk mitigation)"),
        "contingency": t.values("Custom field (Contingency plan)", "Custom field (Contingency)"),
    })


def _links(t: RawTable, df: pl.DataFrame, tasks: pl.DataFrame) -> pl.DataFrame:
    """One row per Blocks link: (blocked item, its project, blocker, its project)."""
    rows: list[pl.DataFrame] = []
    me = pl.DataFrame({"_row": df["_row"], "me": tasks["task_id"], "me_project": tasks["project_id"]})
    for direction in ("Outward", "Inward"):
        for col in t.cols(f"{direction} issue link (Blocks)"):
            other = me.with_columns(other=df[col].str.strip_chars()).filter(pl.col("other").is_not_null())
            if direction == "Outward":   # this issue blocks `other`
                rows.append(other.select("_row", item_id="other", blocker_id="me",
                                         blocker_project_id="me_project"))
            else:                        # `other` blocks this issue
                rows.append(other.select("_row", item_id="me", project_id="me_project", blocker_id="other"))
    if not rows:
        return pl.DataFrame()
    links = pl.concat(rows, how="diagonal_relaxed")
    prefix = pl.col("item_id").str.extract(_KEY_PREFIX, 1)
    blocker_prefix = pl.col("blocker_id").str.extract(_KEY_PREFIX, 1)
    links = links.with_columns(
        project_id=pl.coalesce("project_id", prefix) if "project_id" in links.columns else prefix,
        blocker_project_id=(pl.coalesce("blocker_project_id", blocker_prefix)
                            if "blocker_project_id" in links.columns else blocker_prefix),
        link_type=pl.lit("Blocks"),
    )
    return (links.sort("_row", maintain_order=True).unique(["item_id", "blocker_id"], keep="first", maintain_order=True)
            .select("_row", "project_id", "item_id", "blocker_project_id", "blocker_id", "link_type"))
