"""RAID register helpers the importers share (risks, assumptions, issues, dependencies).

Canonical scales (docs/raid.md, "Scoring"): `risks.probability` is a fraction 0-1; `impact` stays
on the tool's own scale and `impact_scale` says which (its top value: 10 for Project Online, 3
for ServiceNow, 4 for Azure DevOps severity, 5 for words and 1-5 levels). The `raid_items` view
turns both into 1-5. Words are placed so that the view gives their level back:

    probability  Very low / Rare 0.1, Low / Unlikely 0.3, Medium / Moderate / Possible 0.5,
                 High / Likely 0.7, Very high / Almost certain 0.9 (the middle of each fifth)
    impact       Very low / Negligible 1, Low / Minor 2, Medium / Moderate 3, High / Major 4,
                 Very high / Critical / Severe 5 (on a 1-5 scale)

Private: the registry skips modules whose name starts with `_`.
"""

from __future__ import annotations

import polars as pl

from pmo import parse as pp

PROBABILITY_WORDS = {
    "very low": 0.1, "rare": 0.1, "almost none": 0.1, "remote": 0.1, "improbable": 0.1,
    "low": 0.3, "unlikely": 0.3,
    "medium": 0.5, "moderate": 0.5, "possible": 0.5,
    "high": 0.7, "likely": 0.7, "probable": 0.7,
    "very high": 0.9, "almost certain": 0.9, "certain": 0.9,
}
IMPACT_WORDS = {
    "very low": 1.0, "negligible": 1.0, "trivial": 1.0, "insignificant": 1.0,
    "low": 2.0, "minor": 2.0,
    "medium": 3.0, "moderate": 3.0,
    "high": 4.0, "major": 4.0, "significant": 4.0,
    "very high": 5.0, "critical": 5.0, "severe": 5.0, "catastrophic": 5.0, "extreme": 5.0,
}
KINDS = {"r": "risk", "risk": "risk", "risks": "risk",
         "a": "assumption", "assumption": "assumption", "assumptions": "assumption",
         "i": "issue", "issue": "issue", "issues": "issue",
         "d": "dependency", "dependency": "dependency", "dependencies": "dependency"}
# A status that ends an item's life (any tool's wording); anything else is open.
CLOSED_STATUS = (r"(?i)\b(closed?|resolved|done|complete[d]?|cancell?ed|retired|withdrawn|rejected|removed|"
                 r"obsolete|expired|converted|geschlossen|erledigt|abgeschlossen)\b")

SNAPSHOT_COLUMNS = ("item_id", "project_id", "kind", "status", "status_category", "probability", "impact",
                    "impact_scale", "cost", "currency", "created_date", "closed_date")


def _words(s: pl.Series) -> pl.Series:
    """'4 - High' / ' HIGH ' -> 'high' (a leading choice number and dash dropped)."""
    return (s.str.strip_chars().str.to_lowercase().str.replace(r"^\(?[0-9]+\)?\s*[-–.:)]\s*", "")
            .str.replace_all(r"\s+", " "))


def probability(s: pl.Series) -> pp.Parsed:
    """Probability cells -> a fraction 0-1: words (table above), `60%`, `0.6`, whole 1-5 levels
    (when every bare number is a whole number from 1 to 5 and one is over 1: level n -> (n - 0.5)
    / 5), else bare numbers over 1 are percent points."""
    word = _words(s).replace_strict(PROBABILITY_WORDS, default=None, return_dtype=pl.Float64)
    rest = pl.DataFrame({"v": s, "w": word}).select(
        pl.when(pl.col("w").is_null()).then(pl.col("v")).alias("v"))["v"]
    pct = rest.str.contains("%").fill_null(False)
    numbers = pp.to_number(rest.str.replace(r"\s*%$", ""))
    bare = numbers.values.filter(~pct).drop_nulls()
    note = ""
    if len(bare) and ((bare >= 1) & (bare <= 5) & (bare == bare.round(0))).all() and (bare > 1).any():
        bare_value = (pl.col("n") - 0.5) / 5
        note = "probabilities 1-5 read as levels (1 = very low ... 5 = very high)"
    elif len(bare) and (bare.abs() > 1).any():
        bare_value = pl.col("n") / 100
        note = "probabilities without '%' read as percent points"
    else:
        bare_value = pl.col("n")
    values = pl.DataFrame({"w": word, "n": numbers.values, "pct": pct}).select(
        pl.coalesce("w", pl.when(pl.col("pct")).then(pl.col("n") / 100).otherwise(bare_value))
        .round(12).alias(s.name))[s.name]
    out_of_range = (values.is_not_null() & ((values < 0) | (values > 1))).fill_null(False)
    values = values.zip_with(~out_of_range, pl.Series([None] * len(values), dtype=pl.Float64))
    return pp.Parsed(values, (numbers.bad | out_of_range).fill_null(False), note)


def impact(s: pl.Series) -> tuple[pp.Parsed, pl.Series]:
    """Impact cells -> (value, impact_scale): words on a 1-5 scale; numbers on 1-5 when none is
    over 5, else on 1-10."""
    word = _words(s).replace_strict(IMPACT_WORDS, default=None, return_dtype=pl.Float64)
    rest = pl.DataFrame({"v": s, "w": word}).select(
        pl.when(pl.col("w").is_null()).then(pl.col("v")).alias("v"))["v"]
    numbers = pp.to_number(rest)
    top = numbers.values.max()
    scale_of_numbers = 10.0 if top is not None and top > 5 else 5.0
    out_of_range = (numbers.values.is_not_null()
                    & ((numbers.values < 1) | (numbers.values > scale_of_numbers))).fill_null(False)
    frame = pl.DataFrame({"w": word, "n": numbers.values, "bad": out_of_range})
    values = frame.select(pl.coalesce("w", pl.when(~pl.col("bad")).then(pl.col("n"))).alias(s.name))[s.name]
    scale = frame.select(pl.when(pl.col("w").is_not_null()).then(5.0)
                         .when(pl.col("n").is_not_null() & ~pl.col("bad")).then(scale_of_numbers)
                         .alias("impact_scale"))["impact_scale"]
    note = "impact numbers read on a 1-10 scale" if scale_of_numbers == 10.0 else ""
    return pp.Parsed(values, (numbers.bad | out_of_range).fill_null(False), note), scale


def kind(s: pl.Series) -> pl.Series:
    """'Risk' / 'R' / 'Issues' ... -> risk | assumption | issue | dependency (else NULL)."""
    return s.str.strip_chars().str.to_lowercase().replace_strict(KINDS, default=None, return_dtype=pl.String)


def status_category(status: pl.Series, closed_date: pl.Series) -> pl.Series:
    """'closed' when the status says so or a closed date is set, else 'open' (NULL: nothing known)."""
    return pl.DataFrame({"s": status, "c": closed_date}).select(
        pl.when(pl.col("s").str.contains(CLOSED_STATUS).fill_null(False) | pl.col("c").is_not_null())
        .then(pl.lit("closed"))
        .when(pl.col("s").is_not_null()).then(pl.lit("open"))
        .alias("status_category"))["status_category"]


def snapshot(risks: pl.DataFrame) -> pl.DataFrame:
    """The `raid_snapshots` rows of a `risks` frame (the dated history of the same items)."""
    cols = [c for c in ("_row", *SNAPSHOT_COLUMNS) if c in risks.columns]
    return risks.select(cols)
