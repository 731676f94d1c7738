"""RAID page logic (no Streamlit): the 5 x 5 heat map cells and the cell a link selects, the
reason behind each flag, ageing buckets, issues by priority, assumptions due for validation, the
state of each blocking link with its reason, the dependency graph's layout, and the line Portfolio
health cites for a project's critical risk.

The scoring itself (1-5 scores, exposure, bands, open, age, flags) is SQL (queries/views/raid_items.sql,
queries/macros/raid_items_at.sql) so every page and `pmo sql` judge an item the same way; this module
only arranges and explains those columns. Limits come from config [raid] (pmo.governance.read_raid_settings).
"""

from __future__ import annotations

import math
import re
from datetime import date

import polars as pl

from pmo import frames, metrics
from pmo.auth import HIDDEN_PROJECT

BANDS = ("low", "medium", "high", "critical")
BAND_COLORS = ("#7fb77e", "#f2d16b", "#f0964a", "#c0392b")
KINDS = ("risk", "issue", "assumption", "dependency")
SCORES = (1, 2, 3, 4, 5)
VALIDATION_WINDOW_DAYS = 30      # assumptions due for validation: due within this many days, or overdue
NO_PRIORITY = "(no priority)"
_CELL = re.compile(r"^([1-5])-([1-5])$")


# ---------------------------------------------------------------------------------------------
# Bands and the heat map
# ---------------------------------------------------------------------------------------------
def band(exposure: int | None, limits: dict) -> str | None:
    """The band of a 1-25 exposure with config [raid]'s limits (as the raid_band macro)."""
    if exposure is None:
        return None
    if exposure <= limits["band_low_max"]:
        return "low"
    if exposure <= limits["band_medium_max"]:
        return "medium"
    if exposure <= limits["band_high_max"]:
        return "high"
    return "critical"


def band_ranges(limits: dict) -> dict[str, str]:
    """{'low': '1-4', ..., 'critical': '16-25'} for captions and the legend."""
    lo, med, hi = limits["band_low_max"], limits["band_medium_max"], limits["band_high_max"]
    return {"low": f"1-{lo}", "medium": f"{lo + 1}-{med}", "high": f"{med + 1}-{hi}", "critical": f"{hi + 1}-25"}


def open_risks(items: pl.DataFrame) -> pl.DataFrame:
    return items.filter(pl.col("is_open") & (pl.col("kind") == "risk"))


def heat_cells(items: pl.DataFrame, limits: dict) -> pl.DataFrame:
    """All 25 cells (probability 1-5 x impact 1-5) with the band of probability x impact and how
    many open risks sit in it (0 for an empty cell, so the grid is always whole)."""
    counts = (open_risks(items).drop_nulls(["probability_score", "impact_score"])
              .group_by("probability_score", "impact_score").agg(pl.len().alias("heat_cell_count")))
    grid = pl.DataFrame([{"probability_score": p, "impact_score": i, "exposure_score": p * i,
                          "exposure_band": band(p * i, limits)} for p in SCORES for i in SCORES],
                        schema={"probability_score": pl.Int32, "impact_score": pl.Int32,
                                "exposure_score": pl.Int32, "exposure_band": pl.String})
    counts = counts.with_columns(pl.col("probability_score", "impact_score").cast(pl.Int32))
    return (grid.join(counts, on=["probability_score", "impact_score"], how="left")
            .with_columns(pl.col("heat_cell_count").fill_null(0).cast(pl.Int64)))


def parse_cell(text: str | None) -> tuple[int, int] | None:
    """'4-5' (probability 4, impact 5: the URL's ?cell=) -> (4, 5); anything else -> None."""
    m = _CELL.match(text or "")
    return (int(m.group(1)), int(m.group(2))) if m else None


def cell_code(probability: int, impact: int) -> str:
    return f"{int(probability)}-{int(impact)}"


def in_cell(items: pl.DataFrame, cell: tuple[int, int]) -> pl.DataFrame:
    """The open risks of one heat-map cell, by exposure then id."""
    p, i = cell
    return (open_risks(items).filter((pl.col("probability_score") == p) & (pl.col("impact_score") == i))
            .sort(["project_id", "item_id"]))


def unscored_open_risks(items: pl.DataFrame) -> int:
    """Open risks the heat map cannot place (no probability or impact)."""
    return open_risks(items).filter(pl.col("exposure_score").is_null()).height


# ---------------------------------------------------------------------------------------------
# Flags and their reasons
# ---------------------------------------------------------------------------------------------
def flag_reason(row: dict, not_updated_days: int = 30) -> str:
    """Each flag an open item raises, with the dates behind it; '' for none."""
    parts = []
    judged = row.get("judged_at")
    if row.get("flag_overdue"):
        late = -(row.get("days_to_due") or 0)
        parts.append(f"Mitigation overdue: due {metrics.day(row.get('due_date'))}, "
                     f"{metrics.plural(late, 'day')} before {metrics.day(judged)}")
    if row.get("flag_no_owner"):
        parts.append("No owner")
    if row.get("flag_not_updated"):
        last, what = (row.get("updated_date"), "last update") if row.get("updated_date") else (
            row.get("created_date"), "raised, never updated")
        idle = (judged - last).days if isinstance(judged, date) and isinstance(last, date) else None
        parts.append(f"Not updated for {metrics.plural(idle, 'day') if idle is not None else 'a while'} "
                     f"({what} {metrics.day(last)}; limit {not_updated_days})")
    return "; ".join(parts)


def with_flag_reasons(items: pl.DataFrame, not_updated_days: int = 30) -> pl.DataFrame:
    reasons = [flag_reason(r, not_updated_days) for r in items.iter_rows(named=True)]
    return items.with_columns(pl.Series("flag_reason", reasons, dtype=pl.String))


def flagged(items: pl.DataFrame) -> pl.DataFrame:
    """Open items with at least one flag: most flags first, then the longest overdue."""
    return (items.filter(pl.col("is_open") & (pl.col("flag_count") > 0))
            .sort(["flag_count", "days_to_due", "project_id", "item_id"],
                  descending=[True, False, False, False], nulls_last=True))


def flag_counts(items: pl.DataFrame) -> dict[str, int]:
    """How many open items raise each flag (an item can raise several)."""
    open_ = items.filter(pl.col("is_open"))
    return {f: int(open_[f].sum()) for f in ("flag_overdue", "flag_no_owner", "flag_not_updated")}


# ---------------------------------------------------------------------------------------------
# Ageing, issues, assumptions
# ---------------------------------------------------------------------------------------------
def bucket_labels(ageing_days: list[int]) -> list[str]:
    """[30, 60, 90] -> ['0-30', '31-60', '61-90', 'over 90'] (as the SQL names them)."""
    a, b, c = ageing_days
    return [f"0-{a}", f"{a + 1}-{b}", f"{b + 1}-{c}", f"over {c}"]


def ageing_counts(items: pl.DataFrame, ageing_days: list[int]) -> pl.DataFrame:
    """Open items per ageing bucket and kind, every bucket x kind present (0 when none), in
    bucket order then kind order. Items without a raised date have no bucket and are not counted."""
    labels = bucket_labels(ageing_days)
    grid = pl.DataFrame([{"ageing_bucket": b, "kind": k, "bucket_order": n}
                         for n, b in enumerate(labels) for k in KINDS])
    counts = (items.filter(pl.col("is_open") & pl.col("ageing_bucket").is_not_null())
              .group_by("ageing_bucket", "kind").agg(pl.len().alias("items")))
    return (grid.join(counts, on=["ageing_bucket", "kind"], how="left")
            .with_columns(pl.col("items").fill_null(0).cast(pl.Int64))
            .sort("bucket_order", pl.col("kind").replace_strict(
                {k: n for n, k in enumerate(KINDS)}, return_dtype=pl.Int64)))


def priority_rank(priority: str | None) -> int:
    """Tools write priorities differently (Jira Highest / High, ServiceNow '1 - Critical', Project
    Online '(1) High', Azure DevOps 1-4, P1 ...): 1 most urgent ... 5 least, 6 unknown or none. The
    word wins over the number ('(1) High' is high: 2)."""
    if priority is None or not str(priority).strip():
        return 6
    p = str(priority).strip().lower()
    for rank, words in ((1, ("critical", "highest", "blocker", "urgent", "very high")),
                        (5, ("lowest", "trivial", "planning", "very low")),
                        (2, ("high", "major")), (4, ("low", "minor")), (3, ("medium", "moderate", "normal"))):
        if any(w in p for w in words):
            return rank
    m = re.match(r"^\(?p?([1-5])\b", p)     # numbers only (Azure DevOps 1-4, P1 ...)
    if m:
        return int(m.group(1))
    return 6


def issues_by_priority(items: pl.DataFrame, ageing_days: list[int]) -> pl.DataFrame:
    """Open issues per priority (as the tool writes it, most urgent first) and ageing bucket."""
    labels = bucket_labels(ageing_days)
    issues = items.filter(pl.col("is_open") & (pl.col("kind") == "issue"))
    if issues.is_empty():
        return pl.DataFrame(schema={"priority": pl.String, "priority_rank": pl.Int64,
                                    "ageing_bucket": pl.String, "items": pl.Int64})
    counts = (issues.with_columns(pl.col("priority").fill_null(NO_PRIORITY),
                                  pl.col("ageing_bucket").fill_null("no raised date"))
              .group_by("priority", "ageing_bucket").agg(pl.len().cast(pl.Int64).alias("items")))
    return (counts.with_columns(
                frames.each(counts, "priority", lambda p: priority_rank(None if p == NO_PRIORITY else p), pl.Int64,
                            name="priority_rank"),
                pl.col("ageing_bucket").replace_strict({b: n for n, b in enumerate(labels)}, default=len(labels),
                                                       return_dtype=pl.Int64).alias("_b"))
            .sort("priority_rank", "priority", "_b").drop("_b")
            .select("priority", "priority_rank", "ageing_bucket", "items"))


def open_issues(items: pl.DataFrame) -> pl.DataFrame:
    """Open issues, most urgent priority first, then the oldest."""
    issues = items.filter(pl.col("is_open") & (pl.col("kind") == "issue"))
    return (issues.with_columns(frames.each(issues, "priority", priority_rank, pl.Int64, skip_nulls=False, name="_r"))
            .sort(["_r", "age_days", "project_id", "item_id"], descending=[False, True, False, False],
                  nulls_last=True).drop("_r"))


def assumptions_due(items: pl.DataFrame, window_days: int = VALIDATION_WINDOW_DAYS) -> pl.DataFrame:
    """Open assumptions due for validation: their due date passed or within `window_days` of the
    judged date; the most overdue first. Assumptions without a due date are not listed here."""
    return (items.filter(pl.col("is_open") & (pl.col("kind") == "assumption")
                         & pl.col("days_to_due").is_not_null() & (pl.col("days_to_due") <= window_days))
            .sort(["days_to_due", "project_id", "item_id"]))


def validation_reason(row: dict) -> str:
    days = row.get("days_to_due")
    if days is None:
        return ""
    if days < 0:
        return f"Validation overdue by {metrics.plural(-days, 'day')} (due {metrics.day(row.get('due_date'))})"
    if days == 0:
        return "Validation due today"
    return f"Validation due in {metrics.plural(days, 'day')} ({metrics.day(row.get('due_date'))})"


# ---------------------------------------------------------------------------------------------
# Dependencies
# ---------------------------------------------------------------------------------------------
def _end(project: str | None, item: str | None) -> str:
    return f"{project or '?'} {item}" if item else f"{project or '?'} (whole project)"


def dependency_state(row: dict) -> tuple[str, str]:
    """(state, reason) of one blocking link: a cycle is a data error first; then at risk (the
    open blocker is due after the dependent needs it), blocked (both ends open), blocker not
    found, else clear."""
    dependent = _end(row.get("project_id"), row.get("item_id"))
    blocker = _end(row.get("blocker_project_id"), row.get("blocker_id"))
    if row.get("in_cycle"):
        return "data error", (f"{blocker} blocks {dependent} and is itself blocked by it through other "
                              "links (a cycle): fix the links in the export")
    if row.get("blocker_project_id") == HIDDEN_PROJECT:
        return "not found", (f"{dependent} waits on an item of a project outside your scope: its state is "
                             "not shown to you (ask a PMO analyst who sees every portfolio)")
    if row.get("is_unresolved"):
        return "not found", f"The blocker '{row.get('blocker_id') or '?'}' is in no project loaded (or none you may see)"
    if row.get("is_at_risk"):
        return "at risk", (f"{blocker} is due {metrics.day(row.get('blocker_due'))}, "
                           f"{metrics.plural(row.get('blocker_slip_days') or 0, 'day')} after {dependent} needs it "
                           f"({metrics.day(row.get('dependent_start'))})")
    if row.get("is_blocked"):
        due = row.get("blocker_due")
        return "blocked", (f"{blocker} is still open" + (f" (due {metrics.day(due)}, in time)" if due else "")
                           + f"; {dependent} waits for it")
    return "clear", f"{blocker} is done or {dependent} is closed"


STATE_ORDER = ("data error", "at risk", "blocked", "not found", "clear")
STATE_COLORS = ("#8e44ad", "#c0392b", "#f0964a", "#7f8c8d", "#9bb7d4")


def with_dependency_states(links: pl.DataFrame) -> pl.DataFrame:
    pairs = [dependency_state(r) for r in links.iter_rows(named=True)]
    return links.with_columns(pl.Series("dependency_state", [p[0] for p in pairs], dtype=pl.String),
                              pl.Series("dependency_reason", [p[1] for p in pairs], dtype=pl.String))


def node_key(project: str | None, item: str | None) -> str:
    return f"{project or '?'}/{item or '*'}"


def graph_layout(links: pl.DataFrame, radius: float = 1.0, spread: float = 0.16
                 ) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Positions for the dependency graph: each project a cluster on a circle (in project order),
    its items on a small circle around the cluster's centre (the whole project, '*', at the centre).
    Returns (nodes: node, project_id, item_id, x, y; edges: the links with x, y (blocker), x2, y2
    (dependent), and ax, ay, angle for the arrowhead three quarters along)."""
    ends = set()
    for r in links.iter_rows(named=True):
        ends.add((r["project_id"] or "?", r["item_id"]))
        ends.add((r["blocker_project_id"] or "?", r["blocker_id"]))
    projects = sorted({p for p, _ in ends})
    rows = []
    for k, project in enumerate(projects):
        angle = 2 * math.pi * k / max(len(projects), 1)
        cx, cy = (radius * math.sin(angle), radius * math.cos(angle)) if len(projects) > 1 else (0.0, 0.0)
        items = sorted(i for p, i in ends if p == project and i is not None)
        if any(p == project and i is None for p, i in ends):
            rows.append({"node": node_key(project, None), "project_id": project, "item_id": None, "x": cx, "y": cy})
        for j, item in enumerate(items):
            a = 2 * math.pi * j / len(items)
            r = spread if len(items) > 1 or any(p == project and i is None for p, i in ends) else 0.0
            rows.append({"node": node_key(project, item), "project_id": project, "item_id": item,
                         "x": cx + r * math.sin(a), "y": cy + r * math.cos(a)})
    nodes = pl.DataFrame(rows, schema={"node": pl.String, "project_id": pl.String, "item_id": pl.String,
                                       "x": pl.Float64, "y": pl.Float64})
    pos = {r["node"]: (r["x"], r["y"]) for r in rows}
    xy = []
    for r in links.iter_rows(named=True):
        x, y = pos[node_key(r["blocker_project_id"], r["blocker_id"])]
        x2, y2 = pos[node_key(r["project_id"], r["item_id"])]
        xy.append({"x": x, "y": y, "x2": x2, "y2": y2, "ax": x + 0.75 * (x2 - x), "ay": y + 0.75 * (y2 - y),
                   # vega's angle turns a triangle-up clockwise from pointing up
                   "angle": round(math.degrees(math.atan2(x2 - x, y2 - y)), 3) % 360})
    edges = pl.concat([links, pl.DataFrame(xy, schema={c: pl.Float64 for c in
                                                       ("x", "y", "x2", "y2", "ax", "ay", "angle")})],
                      how="horizontal") if links.height else links
    return nodes, edges


# ---------------------------------------------------------------------------------------------
# Portfolio health: the line that cites a critical risk
# ---------------------------------------------------------------------------------------------
def critical_risk_reason(row: dict | None) -> str:
    """'Critical risk R-101 (exposure 25): HSM vendor slips again' (+ 'and 2 more critical'),
    '' without one. `row` is a row of portfolio_critical_risks."""
    if not row or not row.get("critical_risk_count"):
        return ""
    more = row["critical_risk_count"] - 1
    return (f"Critical risk {row['top_risk_id']} (exposure {row['top_risk_exposure']}): {row['top_risk_title']}"
            + (f" and {more} more critical" if more else ""))
