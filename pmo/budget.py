"""Budget variance: fiscal periods, roll-ups by any cut, overrun flags with their reasons, drill paths.

Pure (Polars in, Polars out, no Streamlit). `queries/budget_lines.sql` supplies one frame of ledger
amounts per project, month, category, cost centre and capex/opex, already split into what forecast
at completion counts (`actual` up to the close month, `remaining` after it); everything here cuts
and sums that frame. Definitions (docs/budget.md), one sign convention everywhere:

- variance = budget - actual in the chosen window (positive = under budget, favourable);
  variance % = variance / budget.
- FAC = actual to date + remaining forecast; forecast variance = total budget - FAC.
- burn rate = actual per month, average of the three months ending with the close month (a month
  with no lines counts as 0); months of budget left = (total budget - actual to date) / burn rate.
- overrun = FAC - total budget; a project is flagged red / amber when the overrun is above the
  percent OR the amount threshold, and never when it is below `min_amount` ([budget] in config).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

import polars as pl

from pmo import metrics
from pmo import metrics as fmt

NONE_LABEL = "(none)"
BURN_MONTHS = 3

# Group-by options in display order: the drill hierarchy first, then the other cuts.
DIMENSIONS: dict[str, str] = {
    "portfolio": "Portfolio", "program": "Program", "project": "Project", "category": "Category",
    "month": "Month", "department": "Department", "cost_center": "Cost centre",
    "capex_opex": "Capex / opex", "quarter": "Quarter", "fiscal_year": "Fiscal year",
}
TIME_DIMENSIONS = frozenset({"month", "quarter", "fiscal_year"})
# Clicking a bar or row of one group drills into it and shows the next level.
DRILL_NEXT: dict[str, str | None] = {
    "portfolio": "program", "program": "project", "department": "project", "cost_center": "project",
    "project": "category", "capex_opex": "category", "category": "month", "fiscal_year": "quarter",
    "quarter": "month", "month": None,
}
# Order of the breadcrumb (broad to narrow); going back to a crumb drops every crumb after it.
PATH_ORDER = ("portfolio", "program", "department", "cost_center", "project", "capex_opex",
              "category", "fiscal_year", "quarter", "month")

# The ledger's text dimensions (NULL -> "(none)" so they can be grouped, shown and put in a URL).
_TEXT_DIMS = ("portfolio", "program", "department", "cost_center", "category", "capex_opex")


# =============================================================================================
# Settings
# =============================================================================================

@dataclass(frozen=True)
class Thresholds:
    """`[budget]` in config/pmo.toml: when a forecast overrun is flagged amber or red."""

    amber_over_pct: float = 0.05
    red_over_pct: float = 0.10
    amber_over_amount: float = 50_000
    red_over_amount: float = 100_000
    min_amount: float = 10_000

    @classmethod
    def from_config(cls, section: dict | None) -> Thresholds:
        section = section or {}
        return cls(**{f.name: float(section[f.name]) for f in fields(cls) if f.name in section})


@dataclass(frozen=True)
class Window:
    """The months variance is computed for, first and last month included."""

    start: date
    end: date

    def label(self) -> str:
        return f"{self.start:%b %Y} – {self.end:%b %Y}" if self.start != self.end else f"{self.start:%b %Y}"


# =============================================================================================
# Months and fiscal periods
# =============================================================================================

def month_start(d: date) -> date:
    return date(d.year, d.month, 1)


def add_months(d: date, n: int) -> date:
    k = d.year * 12 + d.month - 1 + n
    return date(k // 12, k % 12 + 1, 1)


def fiscal_year(d: date, start_month: int = 1) -> int:
    """The fiscal year a month belongs to, named by the calendar year it ENDS in (as the ledger
    importer reads `Fiscal Year` columns): with an April start, April 2025 .. March 2026 is FY2026."""
    return d.year + (1 if start_month > 1 and d.month >= start_month else 0)


def fiscal_quarter(d: date, start_month: int = 1) -> int:
    """1..4: April-June is Q1 of a fiscal year that starts in April."""
    return (d.month - start_month) % 12 // 3 + 1


def fiscal_year_start(d: date, start_month: int = 1) -> date:
    """The first month of the fiscal year that contains `d`."""
    year = d.year if d.month >= start_month else d.year - 1
    return date(year, start_month, 1)


def default_window(close_month: date, start_month: int = 1) -> Window:
    """Fiscal year to date: the first month of the close month's fiscal year .. the close month."""
    return Window(fiscal_year_start(close_month, start_month), close_month)


def burn_months(close_month: date) -> list[date]:
    """The months the burn rate averages: the close month and the two before it."""
    return [add_months(close_month, -k) for k in range(BURN_MONTHS - 1, -1, -1)]


# =============================================================================================
# Preparing and cutting the lines
# =============================================================================================

def prepare(lines: pl.DataFrame) -> pl.DataFrame:
    """Add one text column per dimension (the value a URL stores) and a project label."""
    return lines.with_columns(
        *[pl.col(c).fill_null(NONE_LABEL) for c in _TEXT_DIMS],
        pl.col("project_id").alias("project"),
        pl.concat_str(pl.col("project_id"), pl.lit(" · "), pl.col("project_name").fill_null(""))
        .str.strip_chars(" ·").alias("project_label"),
        pl.col("period").dt.strftime("%Y-%m").alias("month"),
        pl.format("FY{} Q{}", pl.col("fiscal_year"), pl.col("fiscal_quarter")).alias("quarter"),
        pl.format("FY{}", pl.col("fiscal_year")).alias("fiscal_year_label"),
    ).with_columns(pl.col("fiscal_year_label").alias("fiscal_year_key"))


def key_column(dim: str) -> str:
    """The column holding a dimension's value in a prepared frame."""
    return "fiscal_year_key" if dim == "fiscal_year" else dim


def apply_path(df: pl.DataFrame, path: dict[str, str]) -> pl.DataFrame:
    """Keep the rows inside a drill path ({dimension: value})."""
    for dim, value in path.items():
        if dim in DIMENSIONS:
            df = df.filter(pl.col(key_column(dim)) == value)
    return df


def _sums(window: Window, close_month: date) -> list[pl.Expr]:
    in_window = pl.col("period").is_between(window.start, window.end)
    in_burn = pl.col("period").is_between(add_months(close_month, -(BURN_MONTHS - 1)), close_month)
    return [
        pl.col("budget").filter(in_window).sum().alias("window_budget"),
        pl.col("actual").filter(in_window).sum().alias("window_actual"),
        pl.col("budget").sum().alias("ledger_budget"),
        pl.col("actual").sum().alias("ledger_actual_to_date"),
        pl.col("remaining").sum().alias("remaining_forecast"),
        pl.col("fac").sum().alias("fac"),
        pl.col("commitment").sum().alias("open_commitments"),
        (pl.col("actual").filter(in_burn).sum() / BURN_MONTHS).alias("burn_rate"),
    ]


def _ratios(df: pl.DataFrame) -> pl.DataFrame:
    def share(num: str, den: str) -> pl.Expr:
        return pl.when(pl.col(den) != 0).then(pl.col(num) / pl.col(den)).otherwise(None)

    left = pl.col("ledger_budget") - pl.col("ledger_actual_to_date")
    return df.with_columns(
        (pl.col("window_budget") - pl.col("window_actual")).alias("window_variance"),
        (pl.col("ledger_budget") - pl.col("fac")).alias("forecast_variance"),
    ).with_columns(
        share("window_variance", "window_budget").alias("window_variance_pct"),
        share("forecast_variance", "ledger_budget").alias("forecast_variance_pct"),
        pl.when(left <= 0).then(0.0)
        .when(pl.col("burn_rate") > 0).then(left / pl.col("burn_rate"))
        .otherwise(None).alias("months_left"),
    )


# Names are the metrics layer's (metrics/budget.toml): window figures say so, whole-life ledger
# figures say "ledger", so none is mistaken for the register's BAC or the earned-value EAC.
SUMMARY_COLUMNS = ["window_budget", "window_actual", "window_variance", "window_variance_pct",
                   "ledger_budget", "ledger_actual_to_date", "remaining_forecast", "fac", "forecast_variance",
                   "forecast_variance_pct", "open_commitments", "burn_rate", "months_left"]


def summarise(df: pl.DataFrame, by: str | None, window: Window, close_month: date) -> pl.DataFrame:
    """One row per value of `by` (None = one row for everything): window budget, actual and
    variance; whole-life total budget, actual to date, remaining forecast, FAC, forecast variance;
    commitment; burn rate and months of budget left. Columns `key`, `label` and SUMMARY_COLUMNS."""
    sums = _sums(window, close_month)
    if by is None:
        out = df.select(sums).with_columns(pl.lit("All").alias("key"), pl.lit("All").alias("label"))
    else:
        col = key_column(by)
        out = df.group_by(col).agg(*sums, pl.col("project_label").first().alias("label"))
        out = out.rename({col: "key"}).sort("key")
        if by != "project":
            out = out.with_columns(pl.col("key").cast(pl.String).alias("label"))
    out = out.with_columns(pl.col(c).fill_null(0.0) for c in
                           ("window_budget", "window_actual", "ledger_budget", "ledger_actual_to_date",
                            "remaining_forecast", "fac", "open_commitments", "burn_rate"))
    return _ratios(out).select("key", "label", *SUMMARY_COLUMNS)


# =============================================================================================
# Flags
# =============================================================================================

FLAG_ORDER = {"red": 0, "amber": 1}


def flag(overrun: float | None, budget: float | None, t: Thresholds) -> str | None:
    """'red' | 'amber' | None for a forecast overrun (FAC - budget) against a budget.

    Red when the overrun is more than `red_over_pct` of the budget OR more than `red_over_amount`;
    amber likewise with the amber thresholds; never when the overrun is below `min_amount`. With no
    (or a negative) budget only the amount thresholds apply."""
    if fmt.is_missing(overrun) or overrun <= 0 or overrun < t.min_amount:
        return None
    share = overrun / budget if budget and budget > 0 else None
    if (share is not None and share > t.red_over_pct) or overrun > t.red_over_amount:
        return "red"
    if (share is not None and share > t.amber_over_pct) or overrun > t.amber_over_amount:
        return "amber"
    return None


def reason(overrun: float, budget: float, fac: float, t: Thresholds, currency: str = "USD") -> str:
    """Why a project is (or is not) flagged, with the figures and the thresholds it crossed."""
    m = lambda v: fmt.money(v, currency)
    level = flag(overrun, budget, t)
    has_budget = bool(budget) and budget > 0
    share = overrun / budget if has_budget else None
    if not has_budget:
        head = f"FAC {m(fac)} with no budget in the ledger"
    elif overrun > 0:
        head = f"FAC {m(fac)} is {m(overrun)} ({fmt.pct(share)}) over the {m(budget)} budget"
    else:
        return (f"On budget or under: FAC {m(fac)} is {m(-overrun)} ({fmt.pct(-share)}) under the "
                f"{m(budget)} budget.")
    if overrun <= 0:
        return head + "."
    if level is None:
        if overrun < t.min_amount:
            return f"{head}; below the {m(t.min_amount)} minimum for a flag."
        return (f"{head}; within the amber thresholds ({fmt.pct(t.amber_over_pct, 0)} and "
                f"{m(t.amber_over_amount)}).")
    pct_t, amt_t = ((t.red_over_pct, t.red_over_amount) if level == "red"
                    else (t.amber_over_pct, t.amber_over_amount))
    crossed = []
    if share is not None and share > pct_t:
        crossed.append(f"more than {fmt.pct(pct_t, 0)}")
    if overrun > amt_t:
        crossed.append(f"more than {m(amt_t)}")
    return f"{head}: {' and '.join(crossed)} over ({level})."


def project_flags(df: pl.DataFrame, t: Thresholds, currency: str = "USD") -> pl.DataFrame:
    """One row per project: total budget, actual to date, remaining forecast, FAC, overrun (amount
    and %), flag and reason, and the basis of its remaining forecast. Flagged first, worst first."""
    per = (df.group_by("project_id").agg(
        pl.col("project_name").first(), pl.col("portfolio").first(), pl.col("program").first(),
        pl.col("department").first(), pl.col("remaining_basis").first(),
        pl.col("budget").sum().alias("ledger_budget"), pl.col("actual").sum().alias("ledger_actual_to_date"),
        pl.col("remaining").sum().alias("remaining_forecast"), pl.col("fac").sum(),
    ).with_columns((pl.col("fac") - pl.col("ledger_budget")).alias("overrun_amount")))
    rows = []
    for r in per.iter_rows(named=True):
        budget, over = r["ledger_budget"], r["overrun_amount"]
        rows.append({
            "overrun_pct": over / budget if budget > 0 else None,
            "flag": flag(over, budget, t),
            "reason": reason(over, budget, r["fac"], t, currency),
        })
    extra = pl.DataFrame(rows, schema={"overrun_pct": pl.Float64, "flag": pl.String, "reason": pl.String})
    out = pl.concat([per, extra], how="horizontal")
    return (out.with_columns(pl.col("flag").replace_strict(FLAG_ORDER, default=2, return_dtype=pl.Int8)
                             .fill_null(2).alias("_order"))
            .sort(["_order", "overrun_amount", "project_id"], descending=[False, True, False])
            .select("project_id", "project_name", "portfolio", "program", "department", "flag",
                    "ledger_budget", "ledger_actual_to_date", "remaining_forecast", "fac", "overrun_amount",
                    "overrun_pct", "remaining_basis", "reason"))


# =============================================================================================
# Series behind the charts
# =============================================================================================

def monthly(df: pl.DataFrame, close_month: date) -> pl.DataFrame:
    """Per month, whole life: budget, actual (to the close month), forecast (the remaining forecast
    FAC counts), fac (actual + forecast) and running totals: cum_budget; cum_actual up to the close
    month; cum_fac from the close month on (actual to date, then adding the forecast)."""
    out = (df.group_by("period").agg(pl.col("budget").sum(), pl.col("actual").sum(),
                                     pl.col("remaining").sum().alias("forecast_remaining"),
                                     pl.col("fac").sum().alias("fac_month"))
           .sort("period"))
    if out.is_empty():
        return out.with_columns(*(pl.lit(None, pl.Float64).alias(c) for c in
                                  ("cum_budget", "cum_actual", "cum_fac")))
    first, last = out["period"].min(), out["period"].max()
    months = pl.DataFrame({"period": pl.date_range(first, last, "1mo", eager=True)})
    out = months.join(out, on="period", how="left").fill_null(0.0)
    return out.with_columns(
        pl.col("budget").cum_sum().alias("cum_budget"),
        pl.when(pl.col("period") <= close_month).then(pl.col("actual").cum_sum()).alias("cum_actual"),
        pl.when(pl.col("period") >= close_month).then(pl.col("fac_month").cum_sum()).alias("cum_fac"),
    )


def waterfall(summary: pl.DataFrame, top: int = 12) -> pl.DataFrame:
    """Steps from total budget to FAC: one per group (budget - FAC of that group; negative =
    over budget), the smallest beyond `top` folded into one "Other" step. Columns: step, label,
    start, end, amount, kind ('total' | 'over' | 'under')."""
    total_budget = float(summary["ledger_budget"].sum())
    fac = float(summary["fac"].sum())
    parts = (summary.select("label", (pl.col("ledger_budget") - pl.col("fac")).alias("amount"))
             .filter(pl.col("amount").abs() > 0.005)
             .sort([pl.col("amount").abs(), "label"], descending=[True, False]))
    if parts.height > top:
        rest = parts.slice(top - 1)
        parts = pl.concat([parts.head(top - 1), pl.DataFrame(
            {"label": [f"Other {rest.height}"], "amount": [float(rest["amount"].sum())]})])
    rows = [{"label": "Ledger budget", "start": 0.0, "end": total_budget, "amount": total_budget,
             "kind": "total"}]
    level = total_budget
    for r in parts.iter_rows(named=True):
        nxt = level - r["amount"]            # a favourable variance lowers the cost line
        rows.append({"label": r["label"], "start": level, "end": nxt, "amount": r["amount"],
                     "kind": "under" if r["amount"] > 0 else "over"})
        level = nxt
    rows.append({"label": "FAC", "start": 0.0, "end": fac, "amount": fac, "kind": "total"})
    return pl.DataFrame(rows).with_row_index("step", offset=1).with_columns(pl.col("step").cast(pl.Int64))


def largest_overruns(flags: pl.DataFrame, n: int = 10) -> pl.DataFrame:
    """The n projects furthest over budget at completion (overrun > 0), largest first."""
    return (flags.filter(pl.col("overrun_amount") > 0)
            .sort(["overrun_amount", "project_id"], descending=[True, False]).head(n))


def heatmap(df: pl.DataFrame, window: Window, close_month: date,
            top: int = 25) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Project x month variance % over the window's months with actuals (up to the close month).

    Returns (the `top` projects with the largest absolute variance in the window, every project).
    Variance % is NULL for a month with no budget."""
    end = min(window.end, close_month)
    cells = (df.filter(pl.col("period").is_between(window.start, end))
             .group_by("project_id", "period")
             .agg(pl.col("project_label").first(), pl.col("budget").sum(), pl.col("actual").sum())
             .with_columns((pl.col("budget") - pl.col("actual")).alias("variance"))
             .with_columns(pl.when(pl.col("budget") != 0)
                           .then(pl.col("variance") / pl.col("budget")).otherwise(None)
                           .alias("variance_pct"))
             .sort("project_id", "period"))
    rank = (cells.group_by("project_id").agg(pl.col("variance").sum().abs().alias("_abs"))
            .sort(["_abs", "project_id"], descending=[True, False]).head(top))
    return cells.join(rank.select("project_id"), on="project_id", how="semi"), cells


# =============================================================================================
# Drill-down
# =============================================================================================

def drill(path: dict[str, str], group: str, value: str) -> tuple[dict[str, str], str]:
    """Drill into `value` of `group`: the new path and the level to show next (a level already
    fixed by the path is skipped; at the last level the group stays)."""
    new = {**path, group: value}
    nxt = DRILL_NEXT.get(group)
    while nxt is not None and nxt in new:
        nxt = DRILL_NEXT.get(nxt)
    return ordered(new), nxt or group


def ordered(path: dict[str, str]) -> dict[str, str]:
    return {d: path[d] for d in PATH_ORDER if d in path}


def up_to(path: dict[str, str], dim: str | None) -> dict[str, str]:
    """The breadcrumb `dim` clicked: keep the crumbs up to and including it (None = none)."""
    if dim is None:
        return {}
    keep = PATH_ORDER[:PATH_ORDER.index(dim) + 1]
    return {d: v for d, v in ordered(path).items() if d in keep}


# =============================================================================================
# Data checks
# =============================================================================================

def short_ledger_budgets(register: pl.DataFrame, project_ids: list[str], tolerance: float = 0.01,
                         min_amount: float = 0.0) -> pl.DataFrame:
    """Projects (of `project_ids`) whose ledger budget lines add up to less than their budget in
    the project register, by more than `tolerance` of it and more than `min_amount`: FAC is
    compared with the ledger's budget, so these look further over than against their BAC."""
    short = pl.col("register_budget") - pl.col("ledger_budget").fill_null(0.0)
    return (register.filter(pl.col("project_id").is_in(project_ids) & pl.col("register_budget").is_not_null())
            .filter((short > pl.col("register_budget").abs() * tolerance) & (short > min_amount))
            .sort("project_id"))


# =============================================================================================
# Reconciliation: the ledger's figures against earned value's (docs/metrics.md)
# =============================================================================================

RECONCILE_TOLERANCE = 0.01      # within 1% the two figures agree


def _close(a, b) -> bool:
    return a is not None and b is not None and abs(a - b) <= RECONCILE_TOLERANCE * max(abs(a), abs(b), 1.0)


def budget_reason(bac, ledger_budget) -> str:
    """Why the project's BAC (status report, else register) and the ledger's budget differ."""
    if bac is None and not ledger_budget:
        return "neither the register nor the ledger gives a budget"
    if bac is None:
        return "the register gives no budget (BAC); only the ledger has one"
    if not ledger_budget:
        return "the ledger has no budget lines for it"
    if _close(bac, ledger_budget):
        return "they agree (within 1%)"
    if ledger_budget < bac:
        return ("the ledger phases less than the approved budget: some fiscal years or budget lines "
                "are not in the ledger")
    return ("the ledger holds more budget than the register: a change or a reforecast booked in the "
            "ledger that the register's BAC does not carry yet")


def forecast_reason(eac, fac, cpi, ac, ledger_actual, remaining_basis, currency: str = "USD") -> str:
    """Why earned value's EAC and the ledger's FAC differ."""
    if eac is None and fac is None:
        return "neither can be estimated yet"
    if eac is None:
        return "no EAC yet: earned value needs % complete, a budget and actual cost (no CPI)"
    if fac is None:
        return "no FAC: the ledger has no lines for it"
    if _close(eac, fac):
        return "they agree (within 1%)"
    parts = [f"EAC projects the cost efficiency so far (CPI {metrics.ratio(cpi)}) over the remaining work; "
             f"FAC adds the ledger's {_basis_text(remaining_basis)} to its actuals"]
    if ac is not None and ledger_actual is not None and not _close(ac, ledger_actual):
        parts.append(f"the actual cost the status report gives ({metrics.money(ac, currency)}) differs from the "
                     f"ledger's actual to date ({metrics.money(ledger_actual, currency)})")
    return "; ".join(parts)


def _basis_text(basis: str | None) -> str:
    return {"forecast": "forecast lines", "finished": "nothing more (finished)",
            "remaining budget": "remaining budget (it has no forecast lines)"}.get(basis or "", "remaining forecast")


def reconcile(flags: pl.DataFrame, evm: pl.DataFrame, currency: str = "USD") -> pl.DataFrame:
    """Per project with ledger lines or earned value: BAC against the ledger budget and EAC against
    FAC, each with the difference and the reason for it. `flags`: project_flags (ledger);
    `evm`: the portfolio_health_projects rows (project_id, project_name, bac, eac, cpi, ac)."""
    ev = evm.select("project_id", pl.col("project_name").alias("_name"), "bac", "eac", "cpi", "ac")
    led = flags.select("project_id", "project_name", "ledger_budget", "ledger_actual_to_date", "fac",
                       "remaining_basis")
    both = led.join(ev, on="project_id", how="full", coalesce=True).with_columns(
        pl.coalesce("project_name", "_name").alias("project_name")).drop("_name")
    rows = []
    for r in both.iter_rows(named=True):
        rows.append({
            "budget_reason": budget_reason(r["bac"], r["ledger_budget"]),
            "forecast_reason": forecast_reason(r["eac"], r["fac"], r["cpi"], r["ac"], r["ledger_actual_to_date"],
                                               r["remaining_basis"], currency),
        })
    reasons = pl.DataFrame(rows, schema={"budget_reason": pl.String, "forecast_reason": pl.String})
    out = pl.concat([both, reasons], how="horizontal").with_columns(
        (pl.col("ledger_budget") - pl.col("bac")).alias("ledger_minus_bac"),
        (pl.col("eac") - pl.col("fac")).alias("eac_minus_fac"))
    return out.sort(pl.col("eac_minus_fac").abs(), descending=True, nulls_last=True).select(
        "project_id", "project_name", "bac", "ledger_budget", "ledger_minus_bac", "budget_reason",
        "eac", "fac", "eac_minus_fac", "forecast_reason")
