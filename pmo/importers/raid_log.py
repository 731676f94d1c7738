"""A RAID log spreadsheet (risks, assumptions, issues, dependencies), CSV or Excel.

Layout: the common template columns `ID, Type, Title, Description, Project, Owner, Status,
Date raised, Probability, Impact, Due date, Mitigation, Closed date` (the PMO-kept log of
raidlog.com / EU PM² / most company templates), one row per item, optionally with a title row
above the header. Optional columns: `Category`, `Priority`, `Contingency`, `Cost`, `Last updated`,
`Depends on`. A workbook may instead keep one sheet per kind without a Type column: the sheet's
name (`Risks`, `Assumptions`, `Issues`, `Dependencies`) gives the kind. Header spellings vary;
the aliases below are matched ignoring case and spaces.

Mapping to `risks` (one row per item):
    item_id          ID (a row without one is rejected)
    kind             Type: Risk / Assumption / Issue / Dependency, or R / A / I / D; else the sheet
                     name; anything else is rejected with its row
    project_id       Project (a project code, or a name or key the projects know as an alias); a
                     log without a Project column is one project's log: the file name (noted)
    title / description / owner / status / category / priority   as written
    created_date     Date raised (Raised, Date identified, Date opened)
    updated_date     Last updated (Updated, Date updated)
    due_date         Due date (Target date, Target resolution date)
    closed_date      Closed date (Date closed)
    probability      a fraction 0-1: words Very low 0.1 / Low 0.3 / Medium 0.5 / High 0.7 /
                     Very high 0.9, `60%`, `0.6`, or 1-5 levels (pmo/importers/_raid.py)
    impact           words on the 1-5 scale (Low 2, Medium 3, High 4, Very high 5), or numbers;
                     impact_scale = 5 (10 when a number is over 5)
    mitigation / contingency   Mitigation (Mitigation plan, Response) / Contingency
    cost, currency   Cost (Cost impact): the amount and the currency of its symbol or code
    status_category  'closed' when the status says Closed / Resolved / Done / Cancelled ... or a
                     closed date is set, else 'open'
Dates are read by evidence; when nothing settles day/month order the configured default date
order applies, else the file is refused with the ambiguous values quoted.

`Depends on` (optional) -> `dependencies`: one link per reference (comma or semicolon separated)
from the row's item (the blocked one) to the reference (the blocker): an ID of this log (its
project known), a task or issue key, or a project code. The `dependencies` view resolves a
reference to a project or an item of another export.

`raid_snapshots` gets the same items: a dated copy of the log adds a point to the RAID history.
Source: the file's name without date parts (`raid_log_2026-11-20.xlsx` -> `raid_log`), so a newer
copy of the log replaces the older one in `risks`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from pmo import parse as pp
from pmo.importers import _raid
from pmo.importers._common import Cells, stable_stem, tables_of, without_blank_rows
from pmo.importers.base import Fingerprint, ImportResult, IngestContext, RawTable, norm, reject_mask

TOOL = "raid_log"
LABEL = "RAID log spreadsheet"
VERSION = "1"
TABLES = ("risks", "raid_snapshots", "dependencies")

ALIASES = {
    "Date raised": ("Date raised", "Raised", "Raised on", "Date identified", "Date opened", "Date logged"),
    "Probability": ("Probability", "Likelihood", "Probability of occurrence"),
    "Impact": ("Impact", "Impact of occurrence", "Severity", "Consequence"),
    "Mitigation": ("Mitigation", "Mitigation plan", "Mitigation / response", "Mitigation/response",
                   "Response", "Response plan", "Mitigating action"),
    "Closed date": ("Closed date", "Date closed", "Closed on", "Closed"),
    "Due date": ("Due date", "Target date", "Target resolution date", "Due"),
    "Last updated": ("Last updated", "Updated", "Date updated", "Last update", "Last reviewed"),
    "Owner": ("Owner", "Assigned to", "Action owner", "Risk owner"),
    "Title": ("Title", "Summary", "Name", "Short description"),
    "Type": ("Type", "RAID type", "Item type", "Log type"),
    "Project": ("Project", "Project code", "Project ID", "Project name"),
    "Cost": ("Cost", "Cost impact", "Estimated cost"),
    "Depends on": ("Depends on", "Dependent on", "Blocked by", "Dependency on"),
    "Contingency": ("Contingency", "Contingency plan"),
}
# Columns only a RAID log has: a task list with ID, Title, Owner, Status and Due date is not one.
_RAID_ONLY = ("Type", "Date raised", "Probability", "Impact", "Mitigation", "Closed date")


@dataclass(frozen=True)
class _RaidFingerprint(Fingerprint):
    """A fingerprint that also needs two of the RAID-only columns."""

    def score(self, header: list[str]) -> float:
        present = self._present(header)
        if sum(norm(r) in present for r in _RAID_ONLY) < 2:
            return 0.0
        return super().score(header)


FINGERPRINT = _RaidFingerprint(
    strong=("ID", "Type", "Title", "Project", "Owner", "Status", "Date raised", "Probability", "Impact",
            "Due date", "Mitigation", "Closed date"),
    weak=("Description", "Category", "Priority", "Contingency", "Cost", "Last updated", "Depends on"),
    need=5,
    forbid=("Issue key", "Work Item Type", "RiskId", "IssueId", "short_description", "risk_value",
            "Gate", "Decision"),
    alias={a: k for k, names in ALIASES.items() for a in names if a != k},
)


def parse(tables: list[RawTable] | RawTable, ctx: IngestContext) -> ImportResult:
    tables = tables_of(tables)
    stem = Path(ctx.file_name or tables[0].file_name).stem
    result = ImportResult(tables={}, source=stable_stem(ctx.file_name or tables[0].file_name, "raid_log"))
    items, links = [], []
    for t in tables:
        got = _items(without_blank_rows(t, result), result, ctx, stem)
        items.append(got[0])
        links.append(got[1])
    risks = pl.concat(items, how="diagonal_relaxed")
    result.tables["risks"] = risks
    result.tables["raid_snapshots"] = _raid.snapshot(risks)
    deps = pl.concat(links, how="diagonal_relaxed")
    if deps.height:
        result.tables["dependencies"] = _resolve(deps, risks)
    return result


def _col(name: str) -> tuple[str, ...]:
    """The header spellings of a column (ALIASES)."""
    return ALIASES.get(name, (name,))


def _items(t: RawTable, result: ImportResult, ctx: IngestContext, stem: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    df = t.data
    c = Cells(t, df, result, "risks", ctx)
    ids = c.text("ID", "Item ID", "Ref", "Reference").str.strip_chars()
    type_col = c.name(*_col("Type"))
    if type_col is not None:
        kinds = _raid.kind(df[type_col])
    else:
        sheet_kind = _raid.KINDS.get(norm(t.sheet))
        kinds = pl.Series([sheet_kind] * df.height, dtype=pl.String)
        if sheet_kind is None:
            result.notes.append(f"sheet {t.sheet!r} has no Type column and its name is not Risks, Assumptions, "
                                "Issues or Dependencies: its rows are rejected")
    df = df.with_columns(_id=ids, _kind=kinds)
    df = reject_mask(result, "risks", df, df["_id"].is_null(), "ID", "the item has no ID")
    df = reject_mask(result, "risks", df, df["_kind"].is_null(), type_col or "Type",
                     "Type must be Risk, Assumption, Issue or Dependency (or R, A, I, D)",
                     df[type_col] if type_col else None)
    c = Cells(t, df, result, "risks", ctx)
    project_col = c.name(*_col("Project"))
    if project_col is None:
        result.notes.append(f"no Project column: every item belongs to the project {stem!r} (the file name)")
        project = pl.Series("project_id", [stem] * df.height, dtype=pl.String)
    else:
        project = df[project_col].str.strip_chars()
    status = c.text("Status", "State")
    closed = c.date(*_col("Closed date"))
    prob_col = c.name(*_col("Probability"))
    probability = (c.use(_raid.probability(df[prob_col]), prob_col, "a probability")
                   if prob_col else pl.Series([None] * df.height, dtype=pl.Float64))
    impact_col = c.name(*_col("Impact"))
    if impact_col:
        parsed, scale = _raid.impact(df[impact_col])
        impact = c.use(parsed, impact_col, "an impact (a number, or Low / Medium / High ...)")
    else:
        impact = scale = pl.Series([None] * df.height, dtype=pl.Float64)
    cost, currency = c.money(*_col("Cost"))
    risks = pl.DataFrame({
        "_row": df["_row"],
        "item_id": df["_id"],
        "project_id": project,
        "kind": df["_kind"],
        "title": c.text(*_col("Title")),
        "description": c.text("Description", "Details"),
        "category": c.text("Category"),
        "owner": c.text(*_col("Owner")),
        "status": status,
        "status_category": _raid.status_category(status, closed),
        "priority": c.text("Priority"),
        "probability": probability,
        "impact": impact,
        "impact_scale": scale,
        "due_date": c.date(*_col("Due date")),
        "created_date": c.date(*_col("Date raised")),
        "updated_date": c.date(*_col("Last updated")),
        "closed_date": closed,
        "mitigation": c.text(*_col("Mitigation")),
        "contingency": c.text(*_col("Contingency")),
        "cost": cost,
        "currency": currency,
    })
    risks = risks.with_columns(
        exposure=pl.col("probability") * pl.col("impact"))
    depends = c.text(*_col("Depends on"))
    links = pl.DataFrame({"_row": df["_row"], "project_id": project, "item_id": df["_id"],
                          "ref": pp.split_list(depends.str.replace_all(";", ","), ",")})
    links = links.explode("ref").filter(pl.col("ref").is_not_null())
    return risks, links


def _resolve(links: pl.DataFrame, risks: pl.DataFrame) -> pl.DataFrame:
    """A reference to an item of this log is that item (its project known); anything else is kept as
    written for the `dependencies` view to resolve (a project code, a task or issue key)."""
    own = dict(zip(risks["item_id"].to_list(), risks["project_id"].to_list(), strict=True))
    return links.with_columns(
        blocker_id=pl.col("ref"),
        blocker_project_id=pl.col("ref").replace_strict(own, default=None, return_dtype=pl.String),
        link_type=pl.lit("Depends on"),
    ).drop("ref").unique(["project_id", "item_id", "blocker_id"], keep="first", maintain_order=True)
