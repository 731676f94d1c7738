"""A stage-gate log: the PMO's record of gate reviews and their decisions, CSV or Excel.

Layout (docs/governance.md, "Gate log"): one row per gate of a project, planned or held:

    Project, Gate, Stage, Planned date, Decision date, Decision, Approver, Comments

`Stage` is the stage a project enters when it passes the gate (G2 -> Execution). A gate not yet
held has no Decision date and no Decision. Header spellings vary; the aliases below are matched
ignoring case and spaces. Optional: `Gate order` (else the number in the gate's name, `G2` -> 2,
else the row order within the project).

Mapping to `stage_gates`:
    project_id       Project (a project code, or a name or key the projects know as an alias)
    gate / stage / approver / comment / decision   as written
    gate_order       Gate order, else the first number in the gate name, else the row's place
    planned_date     Planned date (Planned gate date, Target date)
    decision_date    Decision date (Decided on, Gate date, Held on)
    decision_category  Decision read as approved (Approved, Go, Pass, Passed), conditional
                     (Approved with conditions, Conditional go), rejected (Rejected, No go, Stop,
                     Failed) or deferred (Deferred, On hold, Postponed, Recycle); empty = no
                     decision recorded; other wording is kept in `decision` with no category (noted)
A row without a project or gate is rejected with its row number. Dates are read by evidence.

Source: the file's name without date parts, so a newer copy of the log replaces the older one.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from pmo.importers._common import Cells, coalesce, stable_stem, tables_of, without_blank_rows
from pmo.importers.base import Fingerprint, ImportResult, IngestContext, RawTable, reject_mask

TOOL = "gate_log"
LABEL = "Stage-gate log"
VERSION = "1"
TABLES = ("stage_gates",)

ALIASES = {
    "Project": ("Project", "Project code", "Project ID", "Project name"),
    "Gate": ("Gate", "Gate name", "Stage gate", "Gate review"),
    "Stage": ("Stage", "Phase", "Next stage", "Stage entered"),
    "Planned date": ("Planned date", "Planned gate date", "Gate planned date", "Target date", "Planned"),
    "Decision date": ("Decision date", "Decided on", "Gate date", "Held on", "Date decided"),
    "Decision": ("Decision", "Gate decision", "Outcome"),
    "Approver": ("Approver", "Approved by", "Decision maker", "Gatekeeper"),
    "Comments": ("Comments", "Comment", "Conditions", "Notes"),
    "Gate order": ("Gate order", "Order", "Sequence", "Gate number"),
}


@dataclass(frozen=True)
class _GateFingerprint(Fingerprint):
    """Needs a Gate column and a decision column: a plan with a Stage column is not a gate log."""

    def score(self, header: list[str]) -> float:
        present = self._present(header)
        if "gate" not in present or not ({"decision", "decision date"} & present):
            return 0.0
        return super().score(header)


FINGERPRINT = _GateFingerprint(
    strong=("Project", "Gate", "Stage", "Planned date", "Decision date", "Decision", "Approver"),
    weak=("Comments", "Gate order"),
    need=4,
    forbid=("Issue key", "Work Item Type", "Probability", "Impact"),
    alias={a: k for k, names in ALIASES.items() for a in names if a != k},
)

DECISIONS = {
    "approved": "approved", "approve": "approved", "go": "approved", "pass": "approved",
    "passed": "approved", "accepted": "approved",
    "approved with conditions": "conditional", "conditional": "conditional",
    "conditional go": "conditional", "go with conditions": "conditional",
    "conditionally approved": "conditional",
    "rejected": "rejected", "reject": "rejected", "no go": "rejected", "nogo": "rejected",
    "stop": "rejected", "failed": "rejected", "fail": "rejected", "cancelled": "rejected",
    "deferred": "deferred", "defer": "deferred", "on hold": "deferred", "postponed": "deferred",
    "recycle": "deferred", "hold": "deferred",
}


def parse(tables: list[RawTable] | RawTable, ctx: IngestContext) -> ImportResult:
    tables = tables_of(tables)
    result = ImportResult(tables={}, source=stable_stem(ctx.file_name or tables[0].file_name, "gate_log"))
    frames = [_gates(without_blank_rows(t, result), result, ctx) for t in tables]
    result.tables["stage_gates"] = pl.concat(frames, how="diagonal_relaxed")
    return result


def _gates(t: RawTable, result: ImportResult, ctx: IngestContext) -> pl.DataFrame:
    df = t.data
    c = Cells(t, df, result, "stage_gates", ctx)
    df = df.with_columns(_p=c.text(*ALIASES["Project"]).str.strip_chars(),
                         _g=c.text(*ALIASES["Gate"]).str.strip_chars())
    df = reject_mask(result, "stage_gates", df, df["_p"].is_null(), "Project", "the gate has no project")
    df = reject_mask(result, "stage_gates", df, df["_g"].is_null(), "Gate", "the row names no gate")
    c = Cells(t, df, result, "stage_gates", ctx)
    decision = c.text(*ALIASES["Decision"]).str.strip_chars()
    key = decision.str.to_lowercase().str.replace_all(r"[\s_-]+", " ").str.strip_chars(" .")
    category = key.replace_strict(DECISIONS, default=None, return_dtype=pl.String)
    unknown = decision.filter(decision.is_not_null() & category.is_null()).unique(maintain_order=True)
    if unknown.len():
        result.notes.append("decisions not read as approved / conditional / rejected / deferred (kept as "
                            f"written, no category): {', '.join(repr(v) for v in unknown.head(3).to_list())}")
    number = df["_g"].str.extract(r"([0-9]+)", 1).cast(pl.Int64, strict=False)
    place = pl.Series([1] * df.height).cum_sum()
    order_col = c.name(*ALIASES["Gate order"])
    explicit = c.number(*ALIASES["Gate order"]).cast(pl.Int64) if order_col else None
    frame = pl.DataFrame({"_p": df["_p"], "n": place})
    by_row = frame.select(pl.col("n").rank("ordinal").over("_p").cast(pl.Int64).alias("r"))["r"]
    gate_order = coalesce(*(x for x in (explicit, number, by_row) if x is not None))
    return pl.DataFrame({
        "_row": df["_row"],
        "project_id": df["_p"],
        "gate": df["_g"],
        "stage": c.text(*ALIASES["Stage"]),
        "gate_order": gate_order,
        "planned_date": c.date(*ALIASES["Planned date"]),
        "decision_date": c.date(*ALIASES["Decision date"]),
        "decision": decision,
        "decision_category": category,
        "approver": c.text(*ALIASES["Approver"]),
        "comment": c.text(*ALIASES["Comments"]),
    })

