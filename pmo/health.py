"""Portfolio health: the RAG thresholds as data, EAC methods, and small helpers for the pages.

The rules themselves live in SQL (`queries/views/project_health.sql`) so that the dashboard, the
SQL explorer and `pmo sql` all see the same colours. A view cannot take parameters, so the
thresholds reach it through a one-row table `settings_health` that `pmo.query.connection` creates from
`[health]` in the configuration (`settings_frame`). Every key is documented in
`docs/configuration.md` (section "health") and in `config/pmo.toml`.
"""

from __future__ import annotations

import math
from datetime import date

import polars as pl

from pmo.metrics import CURRENCY_SYMBOLS, day, ratio

# Defaults: cost or schedule more than 10% over baseline amber, 20% or more red;
# CPI or SPI below 0.95 amber, below 0.90 red; overall = the worst dimension; EAC = BAC / CPI.
DEFAULTS = {
    "overrun_amber": 0.10,
    "overrun_red": 0.20,
    "index_amber": 0.95,
    "index_red": 0.90,
    "overall": "worst",
    "eac_method": "cpi",
    "actual_cost_source": "status",
}

EAC_METHODS = {
    "cpi": "BAC ÷ CPI",
    "plan": "AC + (BAC − EV)",
    "cpi_spi": "AC + (BAC − EV) ÷ (CPI × SPI)",
}
EAC_HELP = {
    "cpi": "Assumes the cost performance so far continues (the default).",
    "plan": "Assumes the remaining work is done at the budgeted rate.",
    "cpi_spi": "Assumes both cost and schedule performance so far weigh on the remaining work.",
}

AC_SOURCES = {
    "status": "the actual cost in the status report, else the ledger's actual lines",
    "ledger": "the ledger's actual lines to the status date, else the status report",
}

OVERALL_RULES = {
    "worst": "the worst of schedule, cost and work",
    "worst_schedule_cost": "the worst of schedule and cost (work is shown but does not count)",
}

RAG_RANK = {"grey": 0, "green": 1, "amber": 2, "red": 3}
BADGE_COLOR = {"red": "red", "amber": "orange", "green": "green", "grey": "gray"}

SETTINGS_SCHEMA = {
    "overrun_amber": pl.Float64, "overrun_red": pl.Float64, "index_amber": pl.Float64,
    "index_red": pl.Float64, "overall": pl.String, "eac_method": pl.String,
    "actual_cost_source": pl.String, "currency_symbol": pl.String, "config_problem": pl.String,
}


def _number(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def read_settings(cfg: dict) -> tuple[dict, list[str]]:
    """`[health]` from the configuration, checked: (values, problems). A bad value falls back to
    its default and is reported (the pages show the problem) instead of breaking every page."""
    section = cfg.get("health", {}) or {}
    out = dict(DEFAULTS)
    problems: list[str] = []
    for key in ("overrun_amber", "overrun_red", "index_amber", "index_red"):
        if key not in section:
            continue
        value = _number(section[key])
        if value is None or value < 0:
            problems.append(f"[health] {key} = {section[key]!r} is not a number >= 0; "
                            f"using the default {DEFAULTS[key]}.")
        else:
            out[key] = value
    for key, allowed in (("overall", OVERALL_RULES), ("eac_method", EAC_METHODS),
                         ("actual_cost_source", AC_SOURCES)):
        if key in section:
            if section[key] in allowed:
                out[key] = section[key]
            else:
                problems.append(f"[health] {key} = {section[key]!r} is not one of "
                                f"{', '.join(allowed)}; using {DEFAULTS[key]!r}.")
    if out["overrun_amber"] > out["overrun_red"]:
        problems.append(f"[health] overrun_amber ({out['overrun_amber']}) is above overrun_red "
                        f"({out['overrun_red']}); using the defaults for both.")
        out["overrun_amber"], out["overrun_red"] = DEFAULTS["overrun_amber"], DEFAULTS["overrun_red"]
    if out["index_red"] > out["index_amber"]:
        problems.append(f"[health] index_red ({out['index_red']}) is above index_amber "
                        f"({out['index_amber']}); using the defaults for both.")
        out["index_amber"], out["index_red"] = DEFAULTS["index_amber"], DEFAULTS["index_red"]
    return out, problems


def settings_frame(cfg: dict) -> pl.DataFrame:
    """The one-row `settings_health` table the `project_health` view reads its thresholds from."""
    values, problems = read_settings(cfg)
    currency = (cfg.get("general", {}) or {}).get("reporting_currency", "USD")
    row = {**values, "currency_symbol": CURRENCY_SYMBOLS.get(currency, f"{currency} "),
           "config_problem": " ".join(problems) or None}
    return pl.DataFrame([row], schema=SETTINGS_SCHEMA)


def rules_markdown(values: dict) -> str:
    """The thresholds in force, as a short markdown list for the page."""
    oa, orr = values["overrun_amber"], values["overrun_red"]
    ia, ir = values["index_amber"], values["index_red"]
    return "\n".join([
        (f"- **Schedule**: forecast finish later than the baseline finish by more than {oa:.0%} of the "
        f"baseline duration → amber, {orr:.0%} or more → red; SPI below {ia:.2f} → amber, below "
        f"{ir:.2f} → red. No baseline dates → grey."),
        (f"- **Cost**: EAC more than {oa:.0%} over BAC → amber, {orr:.0%} or more → red; CPI below "
        f"{ia:.2f} → amber, below {ir:.2f} → red. No budget (BAC) or no actual cost yet → grey."),
        (f"- **Work** (where tasks carry an original estimate, as Jira does): actual + remaining work "
         f"more than {oa:.0%} over the original estimate → amber, {orr:.0%} or more → red."),
        (f"- **Overall**: {OVERALL_RULES[values['overall']]}; grey when neither schedule nor cost can "
         "be judged (work alone does not make a project green)."),
        (f"- **EAC** for the cost rule: {EAC_METHODS[values['eac_method']]}. **AC**: "
        f"{AC_SOURCES[values['actual_cost_source']]}."),
    ])


# ---------------------------------------------------------------------------------------------
# The project table: sortable columns (an allowlist; the SQL maps each key to a fixed expression)
# ---------------------------------------------------------------------------------------------

SORT_OPTIONS = {
    "health": "Overall health (worst first)",
    "project_id": "Project id",
    "project_name": "Project name",
    "portfolio": "Portfolio",
    "manager": "Manager",
    "bac": "Budget (BAC)",
    "cpi": "CPI",
    "spi": "SPI",
    "eac": "EAC",
    "vac": "VAC",
    "schedule_slip_days": "Schedule slip (days)",
    "percent_complete": "% complete",
    "finish_date": "Forecast finish",
}
PAGE_SIZE = 25


def sort_key(value: str | None) -> str:
    """Only allowlisted sort keys reach the query (as a bound parameter)."""
    return value if value in SORT_OPTIONS else "health"


def page_count(total_rows: int, page_size: int = PAGE_SIZE) -> int:
    return max(1, math.ceil(total_rows / page_size))


# ---------------------------------------------------------------------------------------------
# Small display helpers (pure)
# ---------------------------------------------------------------------------------------------

def delta_text(current, previous, kind: str = "count", currency: str = "USD") -> str | None:
    """The change since the previous status date, formatted for st.metric; None when unknown."""
    if current is None or previous is None:
        return None
    if isinstance(current, float) and not math.isfinite(current):
        return None
    if isinstance(previous, float) and not math.isfinite(previous):
        return None
    diff = current - previous
    if kind == "count":
        return f"{round(diff):+d}"
    if kind == "ratio":
        return f"{diff:+.2f}"
    if kind == "money":
        from pmo.metrics import money
        text = money(abs(diff), currency)
        return ("+" if diff >= 0 else "-") + text
    if kind == "pct":
        return f"{diff * 100:+.1f} pts"
    raise ValueError(kind)


def since_text(previous_as_of: date | None) -> str:
    return f"since {day(previous_as_of)}" if previous_as_of else "no earlier status date"


def changes(history: pl.DataFrame, current: date | None, previous: date | None) -> pl.DataFrame:
    """Projects whose computed overall health differs between two status dates (from the
    portfolio_health_history query), worst news first. A project with no status at the earlier
    date shows as new."""
    cols = {"project_id": pl.String, "project_name": pl.String, "before": pl.String,
            "after": pl.String, "change": pl.String, "health_reason": pl.String}
    if current is None or previous is None or history.is_empty():
        return pl.DataFrame(schema=cols)
    now = history.filter(pl.col("as_of") == current).select(
        "project_id", "project_name", pl.col("overall_health").alias("after"), "health_reason")
    then = history.filter(pl.col("as_of") == previous).select(
        "project_id", pl.col("overall_health").alias("before"))
    rank = RAG_RANK
    out = (now.join(then, on="project_id", how="left")
           .filter(pl.col("before").is_null() | (pl.col("before") != pl.col("after")))
           .with_columns(
               pl.when(pl.col("before").is_null()).then(pl.lit("new"))
               .when(pl.col("after").replace_strict(rank, default=0, return_dtype=pl.Int64)
                     > pl.col("before").replace_strict(rank, default=0, return_dtype=pl.Int64))
               .then(pl.lit("worse")).otherwise(pl.lit("better")).alias("change"),
               pl.col("after").replace_strict(rank, default=0, return_dtype=pl.Int64).alias("_rank"))
           .with_columns(pl.col("change").replace_strict({"worse": 0, "new": 1, "better": 2},
                                                         return_dtype=pl.Int64).alias("_order"))
           .sort(["_order", "_rank", "project_id"], descending=[False, True, False])
           .select(list(cols)))
    return out.cast(cols)


EVM_ROWS = [
    # (column, label, kind, formula)
    ("bac", "BAC — budget at completion", "money", "the budget at the status date"),
    ("pv", "PV — planned value", "money", "budget planned to be spent by the status date"),
    ("ev", "EV — earned value", "money", "% complete × BAC"),
    ("ac", "AC — actual cost", "money", "cost to the status date"),
    ("sv", "SV — schedule variance", "money", "EV − PV (below 0 = behind)"),
    ("cv", "CV — cost variance", "money", "EV − AC (below 0 = over cost)"),
    ("spi", "SPI — schedule performance index", "ratio", "EV ÷ PV"),
    ("cpi", "CPI — cost performance index", "ratio", "EV ÷ AC"),
    ("eac", "EAC — estimate at completion", "money", None),
    ("etc", "ETC — estimate to complete", "money", "EAC − AC"),
    ("vac", "VAC — variance at completion", "money", "BAC − EAC (below 0 = overrun)"),
    ("tcpi", "TCPI — to-complete performance index", "ratio", "(BAC − EV) ÷ (BAC − AC)"),
]


def _missing_reason(column: str, facts: dict) -> str:
    """Why a ratio or estimate is missing, from the inputs (never inf or NaN on screen)."""
    bac, pv, ev, ac = (facts.get(k) for k in ("bac", "pv", "ev", "ac"))
    if bac is None:
        return "no budget (BAC)"
    if column in ("ev", "sv", "cv", "spi", "cpi") and ev is None:
        return "no % complete reported"
    if column in ("pv", "sv", "spi"):
        if pv is None:
            return "no baseline dates and no time-phased budget"
        if pv == 0:
            return "no planned value yet (before the planned start)"
    if column in ("ac", "cv", "cpi") and ac is None:
        return "no actual cost reported"
    if column == "cpi" and ac == 0:
        return "no actual cost yet"
    if column in ("eac", "etc", "vac"):
        if ac is None or ac == 0:
            return "no actual cost yet"
        if facts.get("cpi") == 0:
            return "CPI is 0: cost but no earned value yet"
        return "needs CPI and SPI"
    if column == "tcpi" and ac is not None and bac - ac <= 0:
        return "budget already spent (AC ≥ BAC): no efficiency finishes within BAC"
    return "not available"


def evm_rows(facts: dict, currency: str = "USD") -> list[dict]:
    """The EVM table of the project page: measure, value, formula, and why a value is missing."""
    from pmo.metrics import money, ratio

    method = facts.get("eac_method") or DEFAULTS["eac_method"]
    rows = []
    for column, label, kind, formula in EVM_ROWS:
        value = facts.get(column)
        if isinstance(value, float) and not math.isfinite(value):
            value = None
        text = money(value, currency, compact=False) if kind == "money" else ratio(value)
        rows.append({
            "Measure": label,
            "Value": text,
            "How": formula or EAC_METHODS.get(method, EAC_METHODS["cpi"]),
            "Note": "" if value is not None else "— " + _missing_reason(column, facts),
        })
    return rows


MD_COLOR = {"red": "red", "amber": "orange", "green": "green", "grey": "gray"}


def md_label(value: str | None) -> str:
    """A coloured word for st.markdown: ':red[**red**]'."""
    h = value or "grey"
    return f":{MD_COLOR.get(h, 'gray')}[**{h}**]"


def _index_rules(row: dict) -> tuple[float, float]:
    """The CPI / SPI thresholds the row was judged by (the defaults when the row does not carry them)."""
    return (row.get("index_amber") or DEFAULTS["index_amber"], row.get("index_red") or DEFAULTS["index_red"])


def short_reason(row: dict) -> str:
    """One line for a list: the inputs behind each amber or red dimension (the full sentence with
    the rules is `health_reason`)."""
    parts = []
    if row.get("schedule_health") in ("red", "amber"):
        bits = []
        slip = row.get("schedule_slip_days")
        if slip:
            bits.append(f"{slip} days {'late' if slip > 0 else 'early'}")
        if row.get("spi") is not None:
            bits.append(f"SPI {ratio(row['spi'], thresholds=_index_rules(row))}")
        parts.append(f"Schedule {row['schedule_health']}: " + ", ".join(bits))
    if row.get("cost_health") in ("red", "amber"):
        bits = []
        if row.get("cpi") is not None:
            bits.append(f"CPI {ratio(row['cpi'], thresholds=_index_rules(row))}")
        over = row.get("cost_overrun_pct")
        if over is not None and math.isfinite(over):
            bits.append(f"EAC {abs(over):.0%} {'over' if over > 0 else 'under'} BAC")
        parts.append(f"Cost {row['cost_health']}: " + ", ".join(bits))
    if row.get("work_health") in ("red", "amber"):
        over = row.get("work_overrun_pct")
        parts.append(f"Work {row['work_health']}: " + (f"{over:.0%} over estimate" if over is not None else ""))
    return " · ".join(parts) or "No amber or red dimension."


def rollup(projects: pl.DataFrame) -> dict:
    """Earned value of a set of projects (rows of portfolio_health_projects): sums of BAC, PV, EV,
    AC; SPI and CPI over the projects that have both inputs; EAC = Σ EAC with a project that has
    no EAC yet counted at its BAC; ETC, VAC and TCPI from those sums. Ratios with a zero
    denominator are None."""
    def total(expr) -> float | None:
        value = projects.select(expr.sum()).item() if projects.height else None
        return float(value) if value is not None else None

    def ratio(num, den):
        return num / den if num is not None and den not in (None, 0) else None

    col = pl.col
    bac, pv, ev, ac = (total(col(c)) for c in ("bac", "pv", "ev", "ac"))
    eac = total(pl.coalesce(col("eac"), col("bac")))
    both_pv = projects.filter(col("ev").is_not_null() & col("pv").is_not_null())
    both_ac = projects.filter(col("ev").is_not_null() & col("ac").is_not_null())
    return {
        "bac": bac, "pv": pv, "ev": ev, "ac": ac,
        "sv": ev - pv if ev is not None and pv is not None else None,
        "cv": ev - ac if ev is not None and ac is not None else None,
        "spi": ratio(float(both_pv["ev"].sum()), float(both_pv["pv"].sum())) if both_pv.height else None,
        "cpi": ratio(float(both_ac["ev"].sum()), float(both_ac["ac"].sum())) if both_ac.height else None,
        "eac": eac,
        "etc": eac - ac if eac is not None and ac is not None else None,
        "vac": bac - eac if bac is not None and eac is not None else None,
        "tcpi": ratio(bac - ev, bac - ac) if None not in (bac, ev, ac) and bac - ac > 0 else None,
    }
