"""The executive brief on Home: a few sentences written from the data (templates over the same
figures the pages show, no language model), each with a link to the page and filter that shows it.

Every number here comes from the query and metric the linked page uses (portfolio_health_kpis and
portfolio_health_history for health, budget_lines through pmo.budget for money, salary_staff
through pmo.salaries for pay), formatted by pmo.metrics, so a sentence never disagrees with the
page it links to. Names from exports are escaped (pmo.markdown).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from pmo import metrics as fmt
from pmo.markdown import link, md

NAMES_SHOWN = 3          # projects named in one sentence; "and N more" after that


@dataclass(frozen=True)
class Line:
    """One sentence of the brief: Markdown (data already escaped), how it reads (`tone`: "bad",
    "good" or "info", for its icon) and the link to the page that shows it."""

    text: str
    tone: str
    link: str


def _names(rows: list[dict], what=lambda r: "") -> str:
    shown = [f"{md(r['project_id'])} {md(r['project_name'] or '')}{what(r)}".strip() for r in rows[:NAMES_SHOWN]]
    more = len(rows) - len(shown)
    if more > 0:
        shown.append(f"{more} more")
    if len(shown) == 1:
        return shown[0]
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def health_lines(current: dict | None, previous: dict | None, changed: pl.DataFrame) -> list[Line]:
    """What turned red, what recovered, and how many are red and amber now (portfolio_health_kpis
    rows `current` / `previous`; `changed` from pmo.health.changes)."""
    if current is None:
        return []
    page = "Portfolio_Health"
    out: list[Line] = []
    when = f"since {fmt.day(previous['as_of_date'])}" if previous else None
    if previous is not None and changed.height:
        red = changed.filter((pl.col("after") == "red") & (pl.col("change") != "better")).to_dicts()
        worse = changed.filter((pl.col("change") == "worse") & (pl.col("after") != "red")).to_dicts()
        better = changed.filter(pl.col("change") == "better").to_dicts()
        if red:
            out.append(Line(f"**{fmt.plural(len(red), 'project')} turned red** {when}: {_names(red)}.", "bad",
                            link("Why", page)))
        if worse:
            out.append(Line(f"**{fmt.plural(len(worse), 'project')} got worse** {when}: "
                            + _names(worse, lambda r: f" (now {r['after']})") + ".", "bad", link("See them", page)))
        if better:
            out.append(Line(f"**{fmt.plural(len(better), 'project')} recovered** {when}: "
                            + _names(better, lambda r: f" (now {r['after']})") + ".", "good", link("See them", page)))
    elif previous is not None:
        out.append(Line(f"No project changed colour {when}.", "info", link("Portfolio health", page)))
    active, red_n, amber_n = current["active_projects"], current["red_count"], current["amber_count"]
    out.append(Line(
        f"Of {fmt.plural(active, 'active project')} at {fmt.day(current['as_of_date'])}, "
        f"**{fmt.count(red_n)} are red** and {fmt.count(amber_n)} amber, computed from their numbers by "
        "the health rules.",
        "bad" if red_n else "good", link("Every colour explained", page)))
    missed, due = current.get("milestones_missed_30_count"), current.get("milestones_due_30_count")
    if missed or due:
        out.append(Line(
            f"**{fmt.plural(missed or 0, 'milestone')} missed** in the last 30 days; "
            f"{fmt.plural(due or 0, 'milestone')} due in the next 30.",
            "bad" if missed else "info", link("Milestones", page)))
    return out


def budget_line(total: dict | None, flags: pl.DataFrame, currency: str) -> list[Line]:
    """The ledger's forecast against its budget and the largest overruns (pmo.budget.summarise's
    total row and pmo.budget.project_flags, as the Budget variance page computes them)."""
    if total is None or total.get("ledger_budget") in (None, 0):
        return []
    page = "Budget_Variance"
    variance, pct = total["forecast_variance"], total["forecast_variance_pct"]
    over = flags.filter(pl.col("flag").is_in(["red", "amber"])).head(NAMES_SHOWN).to_dicts()
    money = lambda v: fmt.money(v, currency)
    if variance is not None and variance < 0:
        text = (f"**{fmt.label('fac')}: {money(total['fac'])}, {money(-variance)} "
                f"({fmt.pct(abs(pct))}) over** the {money(total['ledger_budget'])} ledger budget.")
        tone = "bad"
    else:
        text = (f"{fmt.label('fac')}: {money(total['fac'])}, within the {money(total['ledger_budget'])} "
                "ledger budget.")
        tone = "good"
    n_flagged = flags.filter(pl.col("flag").is_in(["red", "amber"])).height
    if over:
        text += (f" {fmt.plural(n_flagged, 'project')} flagged; largest: "
                 + _names(over, lambda r: f" ({money(r['overrun_amount'])} over)") + ".")
    return [Line(text, tone, link("Where we are over", page))]


def pay_line(overall: dict | None, small_group: int, currency: str) -> list[Line]:
    """PMO pay against the market (pmo.salaries.summarise for everyone placed on a band); nothing
    when the figures are suppressed for privacy."""
    if overall is None or overall.get("suppressed") or overall.get("median_compa_ratio") is None:
        return []
    ratio = overall["median_compa_ratio"]
    side = "below" if ratio < 0.995 else "above" if ratio > 1.005 else "at"
    text = (f"PMO pay: {fmt.label('median_compa_ratio')} **{fmt.ratio(ratio)}**, {side} the market median; "
            f"{fmt.plural(overall['below_p25_count'], 'person', 'people')} below the 25th percentile")
    if overall.get("cost_to_p25"):
        text += f" ({fmt.money(overall['cost_to_p25'], currency)} a year to bring them there)"
    return [Line(text + ".", "bad" if overall["below_p25_count"] else "info", link("Pay against the market",
                                                                                  "Salary_Benchmarks"))]
