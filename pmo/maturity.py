"""PMO maturity self-assessment: our own question bank (config/maturity_questions.toml, CC BY 4.0),
the level of each PMO function, the change between assessments and the measured evidence beside
the self-assessed answers (docs/maturity.md).

Pure functions, no Streamlit and no store.

- An answer is a level 1..5 (the descriptor that fits best) or 0 = unknown / not answered.
- A function's level (staged): the highest level L such that every question of the function is
  answered at L or above, i.e. the lowest answer (0 when any is unknown). Also the mean answer.
- Measured evidence: where the dashboard measures what a question asks (status reports on time,
  baselines, schedule checks, gates, RAID hygiene), the measured share is shown beside the answer.
  An answer of level L is contradicted when the measured share is below the floor configured for
  L ([maturity] evidence_floor: 3 -> 60%, 4 -> 80%, 5 -> 90% by default): a "defined" practice
  that most projects do not follow is not defined.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import polars as pl

LEVELS = (1, 2, 3, 4, 5)
UNKNOWN = 0
DEFAULT_FLOORS = {3: 0.60, 4: 0.80, 5: 0.90}
DEFAULT_TARGET = 3

# What each measure is, and which governance checks / RAID counts give it (pmo.maturity.measures).
MEASURES = {
    "status_on_time": ("Projects whose latest status report is on time", ("status_stale", "no_status")),
    "health_agrees": ("Projects whose reported health agrees with the computed health", ("health_mismatch",)),
    "baseline_coverage": ("Projects with a baseline", ("no_baseline",)),
    "gates_decided": ("Projects with no overdue stage gate", ("gate_overdue",)),
    "schedule_quality": ("DCMA schedule checks passed (of those measurable)", ("dcma_",)),
    "raid_hygiene": ("Open RAID items with an owner, not overdue and updated recently", ()),
}


class BankError(ValueError):
    """The question bank file is wrong; the message names the question and what to fix."""


@dataclass(frozen=True)
class Question:
    id: str
    function: str
    text: str
    levels: tuple[str, ...]
    measure: str | None = None


@dataclass(frozen=True)
class Bank:
    functions: dict[str, str]          # id -> name, in order
    questions: tuple[Question, ...]
    level_names: tuple[str, ...]

    def of(self, function: str) -> list[Question]:
        return [q for q in self.questions if q.function == function]

    def question(self, qid: str) -> Question | None:
        return next((q for q in self.questions if q.id == qid), None)

    def level_name(self, level: int | None) -> str:
        if not level:
            return "Unknown"
        return f"{level} {self.level_names[level - 1]}"


def load_bank(path: Path | str) -> Bank:
    raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    funcs = sorted(raw.get("functions", {}).items(), key=lambda kv: kv[1].get("order", 99))
    functions = {k: str(v["name"]) for k, v in funcs}
    names = tuple(raw.get("levels", {}).get("names", ("Initial", "Repeatable", "Defined", "Managed", "Optimising")))
    seen: set[str] = set()
    questions = []
    for q in raw.get("questions", []):
        qid = str(q.get("id", ""))
        where = f"{path}: question {qid or '(no id)'}"
        if not qid or qid in seen:
            raise BankError(f"{where}: every question needs a unique id")
        if q.get("function") not in functions:
            raise BankError(f"{where}: function '{q.get('function')}' is not one of {', '.join(functions)}")
        if len(q.get("levels", [])) != len(LEVELS):
            raise BankError(f"{where}: needs exactly five level descriptors (1 Initial ... 5 Optimising)")
        if q.get("measure") and q["measure"] not in MEASURES:
            raise BankError(f"{where}: measure '{q['measure']}' is not one of {', '.join(MEASURES)}")
        seen.add(qid)
        questions.append(Question(qid, q["function"], str(q["text"]), tuple(q["levels"]), q.get("measure")))
    return Bank(functions, tuple(questions), names)


def read_settings(settings: dict) -> tuple[dict[str, int], dict[int, float]]:
    """([maturity] targets per function (default `target`), evidence floors per level)."""
    m = settings.get("maturity", {})
    default = int(m.get("target", DEFAULT_TARGET))
    targets = {str(k): int(v) for k, v in m.get("targets", {}).items()}
    floors = {int(k): float(v) for k, v in m.get("evidence_floor", {}).items()} or dict(DEFAULT_FLOORS)
    return {"_default": default, **targets}, floors


def target_of(targets: dict[str, int], function: str) -> int:
    return targets.get(function, targets.get("_default", DEFAULT_TARGET))


# ---------------------------------------------------------------------------------------------
# Scoring
# ---------------------------------------------------------------------------------------------
def function_levels(bank: Bank, answers: dict[str, int | None]) -> list[dict]:
    """Per function: staged level (the lowest answer; unknown = 0), mean answer, questions
    answered / asked."""
    out = []
    for fid, name in bank.functions.items():
        levels = [int(answers.get(q.id) or UNKNOWN) for q in bank.of(fid)]
        if not levels:
            continue
        out.append({"function": fid, "function_name": name, "maturity_level": min(levels),
                    "maturity_mean": round(sum(levels) / len(levels), 4),
                    "questions_answered": sum(1 for v in levels if v), "questions": len(levels)})
    return out


def assessment_levels(bank: Bank, answers: pl.DataFrame) -> pl.DataFrame:
    """Every assessment's level per function. `answers`: assessment, assessed_on, question_id,
    answer_level. Rows: assessment, assessed_on, function, function_name, maturity_level, maturity_mean,
    questions_answered, questions; oldest assessment first."""
    rows = []
    keys = answers.select("assessment", "assessed_on").unique().sort("assessed_on", "assessment")
    for a, on in keys.iter_rows():
        mine = answers.filter((pl.col("assessment") == a) & (pl.col("assessed_on") == on))
        given = dict(zip(mine["question_id"].to_list(), mine["answer_level"].to_list()))
        rows += [{"assessment": a, "assessed_on": on, **r} for r in function_levels(bank, given)]
    schema = {"assessment": pl.String, "assessed_on": pl.Date, "function": pl.String, "function_name": pl.String,
              "maturity_level": pl.Int64, "maturity_mean": pl.Float64, "questions_answered": pl.Int64,
              "questions": pl.Int64}
    return pl.DataFrame(rows, schema=schema, orient="row")


def with_change(current: list[dict], previous: list[dict] | None, targets: dict[str, int]) -> list[dict]:
    """Current levels with the change since `previous` and the gap to the target."""
    before = {r["function"]: r for r in previous or []}
    out = []
    for r in current:
        p = before.get(r["function"])
        t = target_of(targets, r["function"])
        out.append({**r, "maturity_level_change": None if p is None else r["maturity_level"] - p["maturity_level"],
                    "maturity_mean_change": None if p is None else round(r["maturity_mean"] - p["maturity_mean"], 4),
                    "maturity_target": t, "maturity_gap": max(0, t - r["maturity_level"])})
    return out


# ---------------------------------------------------------------------------------------------
# Measured evidence
# ---------------------------------------------------------------------------------------------
def measures(report: pl.DataFrame, raid_open: int | None, raid_clean: int | None) -> dict[str, dict]:
    """The measured share of each measure: {measure: {share, numerator, denominator, what}}.
    `report`: the governance report (queries/governance_report.sql) at the newest date: one row per
    project and check with `check_id`, `measurable`, `passed`. `raid_open` / `raid_clean`: open
    RAID items, and those without any flag. A measure with nothing to count is left out."""
    out: dict[str, dict] = {}
    judged = report.filter(pl.col("measurable").fill_null(False)) if report.height else report
    for m, (what, checks) in MEASURES.items():
        if m == "raid_hygiene":
            if raid_open:
                out[m] = {"share": raid_clean / raid_open, "numerator": raid_clean, "denominator": raid_open,
                          "what": what}
            continue
        if not judged.height:
            continue
        rows = judged.filter(pl.any_horizontal(pl.col("check_id").str.starts_with(c) for c in checks))
        if not rows.height:
            continue
        if m == "schedule_quality":        # every measurable DCMA check of every project
            num, den = int(rows["passed"].sum()), rows.height
        else:                              # projects passing every check of the measure
            per = rows.group_by("project_id").agg(pl.col("passed").all())
            num, den = int(per["passed"].sum()), per.height
        out[m] = {"share": num / den, "numerator": num, "denominator": den, "what": what}
    return out


def contradiction(level: int | None, share: float | None, floors: dict[int, float]) -> str | None:
    """Why the measured share contradicts a self-assessed level, or None."""
    if not level or share is None:
        return None
    floor = max((f for lvl, f in floors.items() if lvl <= level), default=None)
    need = max((lvl for lvl in floors if lvl <= level), default=None)
    if floor is not None and share < floor:
        return (f"answered level {level}, but the data shows {share:.0%}: level {need} or above needs at "
                f"least {floor:.0%}")
    return None
