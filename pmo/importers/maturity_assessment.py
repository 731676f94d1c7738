"""A PMO maturity self-assessment: the answers to our question bank (config/maturity_questions.toml),
answered on the Maturity page (pmo/page_inputs.py) or in a filled-in sheet, CSV or Excel. Layout
(docs/maturity.md, "Assessment sheet"), one row per question:

    Assessment,Assessment date,Question ID,Question,Level,Evidence,Answered by,Answered at
    2026 H1,2026-05-15,REP-1,How regularly do projects report ...,3 Defined,https://wiki/pmo/status,ana@example.com,2026-05-15

Mapping to `maturity_answers`: assessment, assessed_on = Assessment date, question_id = Question ID
(a question of the bank, else the row is rejected), answer_level = the number at the start of Level (0-5;
`Unknown` or empty = 0), evidence / answered_by / answered_at as written. `Question` is there for
whoever fills in the sheet and is not imported. A row without an assessment, date or question, a
level outside 0-5 and a question answered twice are rejected with their row numbers.

Source: `assessment:<name>`: each assessment is its own dataset (history is kept); answering the
same assessment again replaces its answers.
"""

from __future__ import annotations

import polars as pl

from pmo.importers._common import Cells, tables_of, without_blank_rows
from pmo.importers.scoring_sheet import as_text
from pmo.importers.base import Fingerprint, ImportResult, IngestContext, RawTable, reject_mask

TOOL = "maturity_assessment"
LABEL = "PMO maturity self-assessment"
VERSION = "1"
TABLES = ("maturity_answers",)
HEADER = ("Assessment", "Assessment date", "Question ID", "Question", "Level", "Evidence", "Answered by",
          "Answered at")

FINGERPRINT = Fingerprint(strong=("Assessment", "Assessment date", "Question ID", "Level"),
                          weak=("Question", "Evidence", "Answered by", "Answered at"), need=4)


def _bank_ids(ctx: IngestContext) -> set[str]:
    from pmo import maturity
    from pmo.config import ROOT

    path = ROOT / (ctx.settings.get("maturity", {}).get("question_bank") or "config/maturity_questions.toml")
    return {q.id for q in maturity.load_bank(path).questions}


def parse(tables: list[RawTable] | RawTable, ctx: IngestContext) -> ImportResult:
    known = _bank_ids(ctx)
    result = ImportResult(tables={}, source="assessment")
    frames = []
    for t in tables_of(tables):
        t = without_blank_rows(t, result)
        result.rows_read += t.data.height
        df = t.data
        c = Cells(t, df, result, "maturity_answers", ctx)
        level_text = c.text("Level").cast(pl.String).str.strip_chars()
        df = df.with_columns(_a=c.text("Assessment").str.strip_chars().replace("", None),
                             _q=c.text("Question ID").str.strip_chars().str.to_uppercase().replace("", None),
                             _lt=level_text,
                             _l=pl.when(level_text.is_null() | (level_text == "")
                                        | level_text.str.to_lowercase().str.starts_with("unknown"))
                             .then(pl.lit(0, dtype=pl.Int64))
                             .otherwise(level_text.str.extract(r"^(\d+)", 1).cast(pl.Int64, strict=False)))
        df = reject_mask(result, "maturity_answers", df, df["_a"].is_null(), "Assessment", "the row names no assessment")
        df = reject_mask(result, "maturity_answers", df, df["_q"].is_null(), "Question ID", "the row names no question")
        df = reject_mask(result, "maturity_answers", df, ~df["_q"].is_in(sorted(known)), "Question ID",
                         "not a question of the bank (config/maturity_questions.toml)", raw=df["_q"])
        df = reject_mask(result, "maturity_answers", df, df["_l"].is_null() | ~df["_l"].is_between(0, 5), "Level",
                         "the level must be 0 (unknown) to 5", raw=df["_lt"])
        dup = df.select(pl.struct("_a", "_q").is_duplicated() & ~pl.struct("_a", "_q").is_first_distinct()).to_series()
        df = reject_mask(result, "maturity_answers", df, dup, "Question ID",
                         "the question is already answered in an earlier row of this assessment", raw=df["_q"])
        c = Cells(t, df, result, "maturity_answers", ctx)
        on = c.date("Assessment date")
        df = df.with_columns(_on=on)
        df = reject_mask(result, "maturity_answers", df, df["_on"].is_null(), "Assessment date",
                         "the assessment has no date")
        c = Cells(t, df, result, "maturity_answers", ctx)
        frames.append(pl.DataFrame({
            "_row": df["_row"], "assessment": df["_a"], "assessed_on": df["_on"], "question_id": df["_q"],
            "answer_level": df["_l"], "evidence": c.text("Evidence"), "answered_by": c.text("Answered by"),
            "answered_at": as_text(c.text("Answered at")),
        }))
    answers = pl.concat(frames, how="diagonal_relaxed")
    names = sorted(answers["assessment"].unique().to_list()) if answers.height else []
    result.source = "assessment:" + " + ".join(names) if names else "assessment"
    result.tables["maturity_answers"] = answers
    return result
