"""The Capacity page's figures (pages/10_Capacity.py; docs/capacity.md), as pure functions on the
frames its queries return (queries/capacity_people.sql, capacity_project_demand.sql). No
Streamlit here: tests/test_capacity.py checks every function on hand-worked frames.

The rules are resource_utilisation's (pmo/resources.py, docs/resources.md):
- utilisation = demand / capacity, a dash with the reason when capacity is 0;
- over-allocated only when demand is strictly above capacity (at 6 decimals), judged per period
  (week or month) on the person's whole demand, all projects;
- a group's utilisation = its total demand / its total capacity, never a mean of percentages;
- role deficit = the role's demand, unnamed placeholders included, minus its people's capacity.
The bands ([resources] under_used_below): bench = capacity and no demand at all; under-used =
below the threshold; healthy = from the threshold up to 100%; over-allocated = above 100%.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import polars as pl

from pmo import frames, metrics

BUCKETS = {"week": "Week", "month": "Month"}
BANDS = ("over-allocated", "healthy", "under-used", "bench", "no capacity")
BAND_COLOURS = {"over-allocated": "#d62728", "healthy": "#2ca02c", "under-used": "#ff9f1c",
                "bench": "#8c564b", "no capacity": "#bdbdbd"}
OTHER_PROJECTS = "Other projects"
NO_PROJECT = "(no project)"


def _r(x: float | None) -> float:
    return round(x or 0.0, 6)


# ------------------------------------------------------------------------------------------------
# Settings
# ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Settings:
    under_used_below: float = 0.7              # utilisation below this is under-used
    show_names_to: tuple[str, ...] = ("admin", "analyst")

    @classmethod
    def from_config(cls, cfg: dict | None) -> tuple["Settings", list[str]]:
        """`[resources]` under_used_below and show_names_to (default: [salaries]
        show_individuals_to); a value that is not valid falls back to its default, named in the
        problems."""
        cfg = cfg or {}
        raw = cfg.get("resources", {}) or {}
        problems: list[str] = []
        under = raw.get("under_used_below", cls.under_used_below)
        try:
            under = float(under)
            if not 0 < under <= 1:
                raise ValueError
        except (TypeError, ValueError):
            problems.append(f"[resources] under_used_below = {raw.get('under_used_below')!r} must be a "
                            "fraction between 0 and 1 (0.7 = 70%); 0.7 is used")
            under = cls.under_used_below
        names = raw.get("show_names_to", (cfg.get("salaries", {}) or {}).get("show_individuals_to",
                                                                          cls.show_names_to))
        if isinstance(names, str) or not all(isinstance(n, str) for n in names):
            problems.append(f"[resources] show_names_to = {names!r} must be a list of role names or "
                            "levels; admin and analyst are used")
            names = cls.show_names_to
        return cls(under, tuple(n.strip().lower() for n in names)), problems


def may_see_names(settings: Settings, role_name: str | None, level: str | None) -> bool:
    """Whether a role sees people's names (by its name or its level)."""
    allowed = set(settings.show_names_to)
    return bool({(role_name or "").lower(), (level or "").lower()} & allowed)


# ------------------------------------------------------------------------------------------------
# Periods and the window
# ------------------------------------------------------------------------------------------------

def period_label(start: date, bucket: str) -> str:
    """'W48 2026 (23 Nov)' or 'Nov 2026'."""
    if bucket == "month":
        return start.strftime("%b %Y")
    year, week, _ = start.isocalendar()
    return f"W{week:02d} {year} ({start.day} {start:%b})"


def period_start(day: date, bucket: str) -> date:
    return day.replace(day=1) if bucket == "month" else day - timedelta(days=day.weekday())


def default_window(periods: list[date], as_of: date, bucket: str) -> tuple[date, date]:
    """Around the as-of date: 8 weeks back and 12 ahead, or 2 months back and 3 ahead, clamped to
    the periods there are (which must not be empty)."""
    here = period_start(as_of, bucket)
    if bucket == "month":
        lo = _add_months(here, -2)
        hi = _add_months(here, 3)
    else:
        lo, hi = here - timedelta(weeks=8), here + timedelta(weeks=12)
    lo = max(lo, periods[0]) if lo <= periods[-1] else periods[0]
    hi = min(hi, periods[-1]) if hi >= periods[0] else periods[-1]
    if lo > hi:
        lo, hi = periods[0], periods[-1]
    lo = min((p for p in periods if p >= lo), default=periods[0])
    hi = max((p for p in periods if p <= hi), default=periods[-1])
    return lo, hi


def _add_months(d: date, n: int) -> date:
    m = d.month - 1 + n
    return date(d.year + m // 12, m % 12 + 1, 1)


def quarter_start(d: date) -> date:
    return date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)


def next_quarters(as_of: date, n: int = 2) -> tuple[date, date]:
    """The first and last day of the `n` quarters that start after the as-of date's quarter."""
    first = _add_months(quarter_start(as_of), 3)
    return first, _add_months(first, 3 * n) - timedelta(days=1)


def quarter_label(d: date) -> str:
    return f"Q{(d.month - 1) // 3 + 1} {d.year}"


# ------------------------------------------------------------------------------------------------
# Names
# ------------------------------------------------------------------------------------------------

def pseudonyms(people: pl.DataFrame) -> dict[str, str]:
    """person_id -> 'Scrum Master 2' (numbered by id within the role), for a role that may not
    see names."""
    rows = (people.filter(pl.col("person_id").is_not_null())
            .select("person_id", "role").unique("person_id").sort("role", "person_id", nulls_last=True))
    out: dict[str, str] = {}
    counts: dict[str, int] = {}
    for pid, role in rows.iter_rows():
        role = role or "Person"
        counts[role] = counts.get(role, 0) + 1
        out[pid] = f"{role} {counts[role]}"
    return out


def hide_names(df: pl.DataFrame, names: dict[str, str]) -> pl.DataFrame:
    """person_name replaced by the pseudonym; employee id, e-mail and location emptied."""
    if "person_name" not in df.columns:
        return df
    out = df.with_columns(pl.col("person_id").replace_strict(names, default=None, return_dtype=pl.String)
                          .alias("person_name"))
    return out.with_columns(pl.lit(None, pl.String).alias(c) for c in ("employee_id", "location", "email")
                            if c in out.columns)


# ------------------------------------------------------------------------------------------------
# Rules per row
# ------------------------------------------------------------------------------------------------

def utilisation_expr(demand: str = "forecast_hours", capacity: str = "capacity_hours") -> pl.Expr:
    """demand / capacity at 6 decimals; NULL when capacity is 0."""
    return (pl.when(pl.col(capacity).round(6) > 0)
            .then(pl.col(demand).round(6) / pl.col(capacity).round(6)).otherwise(None))


def band_expr(under_used_below: float) -> pl.Expr:
    """The utilisation band of a row with capacity_known, capacity_hours and forecast_hours."""
    cap, dem = pl.col("capacity_hours").round(6), pl.col("forecast_hours").round(6)
    util = utilisation_expr()
    return (pl.when(~pl.col("capacity_known") | (cap <= 0)).then(pl.lit("no capacity"))
            .when(dem > cap).then(pl.lit("over-allocated"))
            .when(dem <= 0).then(pl.lit("bench"))
            .when(util < under_used_below).then(pl.lit("under-used"))
            .otherwise(pl.lit("healthy")))


def note_expr() -> pl.Expr:
    """Why a row has no utilisation (a dash with the reason)."""
    return (pl.when(pl.col("capacity_hours").round(6) > 0).then(None)
            .when(~pl.col("capacity_known"))
            .then(pl.lit("no capacity known: not in the HR export nor in a capacity export"))
            .when(~pl.col("under_contract").fill_null(False)).then(pl.lit("not under contract in this period"))
            .otherwise(pl.lit("no working time in this period (leave, public holidays or non-working days)")))


def with_rules(people: pl.DataFrame, s: Settings) -> pl.DataFrame:
    """capacity_people rows (named people) + availability, utilisation, over-allocation, band, note."""
    named = people.filter(~pl.col("is_placeholder"))
    return named.with_columns(
        availability_hours=pl.col("capacity_hours") - pl.col("forecast_hours"),
        utilisation=utilisation_expr(),
        is_over_allocated=pl.when(pl.col("capacity_known"))
        .then(pl.col("forecast_hours").round(6) > pl.col("capacity_hours").round(6)).otherwise(None),
        utilisation_band=band_expr(s.under_used_below),
        utilisation_note=note_expr(),
    )


# ------------------------------------------------------------------------------------------------
# Totals
# ------------------------------------------------------------------------------------------------

def totals(people: pl.DataFrame, s: Settings) -> dict:
    """The KPIs over the window: capacity and demand of the people whose capacity is known (others
    are counted apart), group utilisation = sum / sum, over-allocated people and their hours over,
    unstaffed (placeholder) demand, bench / under-used hours, actual against planned to date."""
    rows = with_rules(people, s)
    known = rows.filter(pl.col("capacity_known"))
    cap = float(known["capacity_hours"].sum())
    demand = float(known["forecast_hours"].sum())
    over = rows.filter(pl.col("is_over_allocated").fill_null(False))
    per_person = person_summary(people, s)
    under = per_person.filter(pl.col("utilisation_band").is_in(["under-used", "bench"]))
    placeholders = people.filter(pl.col("is_placeholder"))
    planned_to_date = float(people.filter(~pl.col("is_placeholder"))["planned_to_date_hours"].sum())
    actual = float(people["actual_hours"].sum())
    cost = people["actual_cost"].drop_nulls()
    return {
        "capacity_hours": cap,
        "forecast_hours": demand,
        "utilisation": demand / cap if _r(cap) > 0 else None,
        "over_allocated_people": over["person_id"].n_unique(),
        "hours_over": float((over["forecast_hours"] - over["capacity_hours"]).sum()),
        "people_count": rows["person_id"].n_unique(),
        "unknown_capacity_people": rows.filter(~pl.col("capacity_known"))["person_id"].n_unique(),
        "unknown_capacity_hours": float(rows.filter(~pl.col("capacity_known"))["forecast_hours"].sum()),
        "unstaffed_hours": float(placeholders["forecast_hours"].sum()),
        "bench_hours": float(under["availability_hours"].clip(lower_bound=0).sum()),
        "bench_people": under.height,
        "actual_hours": actual,
        "planned_to_date_hours": planned_to_date,
        "actual_vs_planned": actual / planned_to_date if _r(planned_to_date) > 0 else None,
        "labour_cost": float(cost.sum()) if cost.len() else None,
        "unpriced_hours": float(people["unpriced_hours"].sum()),
    }


def person_summary(people: pl.DataFrame, s: Settings) -> pl.DataFrame:
    """One row per person over the window: totals, utilisation (sum / sum), how many periods they
    are over-allocated in and by how many hours in total, their peak period, band and reason."""
    rows = with_rules(people, s)
    if rows.is_empty():
        return _empty_person_summary()
    over_h = pl.when(pl.col("is_over_allocated").fill_null(False)) \
        .then(pl.col("forecast_hours") - pl.col("capacity_hours")).otherwise(0.0)
    out = (rows.group_by("person_id", maintain_order=True).agg(
        pl.col("person_name", "employee_id", "role", "team", "department", "location").first(),
        pl.col("capacity_known").first(),
        pl.col("capacity_hours", "planned_hours", "actual_hours", "forecast_hours",
               "selected_forecast_hours").sum(),
        pl.col("is_over_allocated").fill_null(False).sum().cast(pl.Int64).alias("over_periods"),
        over_h.sum().alias("hours_over"),
        pl.col("utilisation").max().alias("peak_utilisation"),
        pl.col("under_contract").any(),
    ).with_columns(
        availability_hours=pl.col("capacity_hours") - pl.col("forecast_hours"),
        utilisation=utilisation_expr(),
    ))
    out = out.with_columns(utilisation_band=pl.when(pl.col("over_periods") > 0).then(pl.lit("over-allocated"))
                           .otherwise(band_expr(s.under_used_below)))
    return out.with_columns(reason=_person_reason(s)).sort(
        ["hours_over", "over_periods", "utilisation"], descending=True, nulls_last=True, maintain_order=True)


def _empty_person_summary() -> pl.DataFrame:
    return pl.DataFrame(schema={
        "person_id": pl.String, "person_name": pl.String, "employee_id": pl.String, "role": pl.String,
        "team": pl.String, "department": pl.String, "location": pl.String, "capacity_known": pl.Boolean,
        "capacity_hours": pl.Float64, "planned_hours": pl.Float64, "actual_hours": pl.Float64,
        "forecast_hours": pl.Float64, "selected_forecast_hours": pl.Float64, "over_periods": pl.Int64,
        "hours_over": pl.Float64, "peak_utilisation": pl.Float64, "under_contract": pl.Boolean,
        "availability_hours": pl.Float64, "utilisation": pl.Float64, "utilisation_band": pl.String, "reason": pl.String})


def _h(e: pl.Expr) -> pl.Expr:
    return e.cast(pl.Float64).round(1).cast(pl.String) + pl.lit(" h")


def _person_reason(s: Settings) -> pl.Expr:
    pct = (pl.col("utilisation") * 100).round(0).cast(pl.Int64).cast(pl.String) + pl.lit("%")
    return (
        pl.when(pl.col("utilisation_band") == "over-allocated")
        .then(pl.lit("over capacity in ") + pl.col("over_periods").cast(pl.String)
              + pl.when(pl.col("over_periods") == 1).then(pl.lit(" period, ")).otherwise(pl.lit(" periods, "))
              + _h(pl.col("hours_over")) + pl.lit(" over in total"))
        .when(pl.col("utilisation_band") == "no capacity")
        .then(pl.when(~pl.col("capacity_known"))
              .then(pl.lit("no capacity known: not in the HR export nor in a capacity export"))
              .otherwise(pl.lit("no working time in the window")))
        .when(pl.col("utilisation_band") == "bench").then(pl.lit("no demand: ") + _h(pl.col("capacity_hours")) + pl.lit(" free"))
        .when(pl.col("utilisation_band") == "under-used")
        .then(pct + pl.lit(f" booked, below {s.under_used_below:.0%}: ") + _h(pl.col("availability_hours"))
              + pl.lit(" free"))
        .otherwise(pct + pl.lit(" booked"))
    )


def group_summary(people: pl.DataFrame, by: str, s: Settings) -> pl.DataFrame:
    """One row per `by` (role, team or department): people, capacity, demand, utilisation = total
    demand / total capacity (people whose capacity is known), people over-allocated in some period.
    By role, unnamed placeholder demand is added to its role's demand (unstaffed_hours)."""
    rows = with_rules(people, s)
    known = rows.filter(pl.col("capacity_known"))
    agg = known.group_by(by).agg(
        pl.col("person_id").n_unique().alias("people_count"),
        pl.col("capacity_hours", "forecast_hours", "planned_hours", "actual_hours").sum(),
        pl.col("person_id").filter(pl.col("is_over_allocated").fill_null(False)).n_unique()
        .alias("over_allocated_people"),
    )
    if by == "role":
        ph = people.filter(pl.col("is_placeholder")).group_by("role").agg(
            pl.col("forecast_hours").sum().alias("unstaffed_hours"))
        agg = agg.join(ph, on="role", how="full", coalesce=True)
    else:
        agg = agg.with_columns(unstaffed_hours=pl.lit(0.0))
    agg = agg.with_columns(pl.col("people_count", "over_allocated_people").fill_null(0),
                           pl.col("capacity_hours", "forecast_hours", "planned_hours", "actual_hours",
                                  "unstaffed_hours").fill_null(0.0))
    agg = agg.with_columns(demand_hours=pl.col("forecast_hours") + pl.col("unstaffed_hours"))
    agg = agg.with_columns(
        utilisation=utilisation_expr("demand_hours"),
        availability_hours=pl.col("capacity_hours") - pl.col("demand_hours"),
    )
    return agg.select(by, "people_count", "capacity_hours", "planned_hours", "actual_hours", "forecast_hours",
                      "unstaffed_hours", "demand_hours", "availability_hours", "utilisation",
                      "over_allocated_people").sort("utilisation", by, descending=[True, False], nulls_last=True)


def timeline(people: pl.DataFrame, actuals_through: date | None) -> pl.DataFrame:
    """Per period: capacity (people whose capacity is known), planned, actual and forecast demand
    (named people and placeholders), utilisation = forecast / capacity."""
    if people.is_empty():
        return pl.DataFrame(schema={"bucket_start": pl.Date, "capacity_hours": pl.Float64,
                                    "planned_hours": pl.Float64, "actual_hours": pl.Float64,
                                    "forecast_hours": pl.Float64, "utilisation": pl.Float64})
    out = people.group_by("bucket_start").agg(
        pl.col("capacity_hours").filter(pl.col("capacity_known")).sum(),
        pl.col("planned_hours", "actual_hours", "forecast_hours").sum(),
        pl.col("bucket_end").first(),
    ).sort("bucket_start")
    out = out.with_columns(utilisation=utilisation_expr())
    if actuals_through is not None:
        # a period wholly after the last logged day has no actuals yet: blank, not zero
        out = out.with_columns(actual_hours=pl.when(pl.col("bucket_start") > actuals_through)
                               .then(None).otherwise(pl.col("actual_hours")))
    return out.select("bucket_start", "capacity_hours", "planned_hours", "actual_hours", "forecast_hours",
                      "utilisation")


# ------------------------------------------------------------------------------------------------
# Over-allocation, with the projects that cause it
# ------------------------------------------------------------------------------------------------

def over_allocations(people: pl.DataFrame, projects: pl.DataFrame, s: Settings, *, top: int = 4) -> pl.DataFrame:
    """One row per person and period over capacity, worst (most hours over) first, with the reason:
    'Booked 54.0 h on 40.0 h of capacity (14.0 h over): PRJ-1 Apollo 30.0 h, PRJ-2 Zeus 24.0 h'
    (every project of the person in the period, largest first; after `top`, 'and N more')."""
    rows = with_rules(people, s).filter(pl.col("is_over_allocated").fill_null(False))
    rows = rows.with_columns(hours_over=pl.col("forecast_hours") - pl.col("capacity_hours"))
    if rows.is_empty():
        return rows.with_columns(projects_text=pl.lit(None, pl.String), reason=pl.lit(None, pl.String))
    per = (projects.filter(~pl.col("is_placeholder") & (pl.col("forecast_hours").round(6) != 0))
           .with_columns(name=pl.when(pl.col("project_id").is_null()).then(pl.lit(NO_PROJECT))
                         .otherwise(pl.col("project_id") + pl.when(pl.col("project_name").is_not_null())
                                    .then(pl.lit(" ") + pl.col("project_name")).otherwise(pl.lit(""))))
           .sort(["forecast_hours", "name"], descending=[True, False]))
    parts = per.group_by("person_id", "bucket_start").agg(
        pl.col("name"), pl.col("forecast_hours"))
    rows = rows.join(parts, on=["person_id", "bucket_start"], how="left")
    texts = []
    for names, hours in zip(rows["name"].to_list(), rows["forecast_hours_right"].to_list(), strict=True):
        names, hours = names or [], hours or []
        shown = [f"{n} {h:,.1f} h" for n, h in zip(names[:top], hours[:top], strict=True)]
        if len(names) > top:
            shown.append(f"and {len(names) - top} more ({sum(hours[top:]):,.1f} h)")
        texts.append(", ".join(shown) or "no project named")
    rows = rows.with_columns(projects_text=pl.Series(texts, dtype=pl.String)).drop("name", "forecast_hours_right")
    rows = rows.with_columns(reason=pl.lit("Booked ") + _h(pl.col("forecast_hours")) + pl.lit(" on ")
                             + _h(pl.col("capacity_hours")) + pl.lit(" of capacity (")
                             + _h(pl.col("hours_over")) + pl.lit(" over")
                             + pl.when(pl.col("utilisation_note").is_not_null())
                             .then(pl.lit("; ") + pl.col("utilisation_note")).otherwise(pl.lit(""))
                             + pl.lit("): ") + pl.col("projects_text"))
    return rows.sort(["hours_over", "bucket_start", "person_id"], descending=[True, False, False])


# ------------------------------------------------------------------------------------------------
# Demand by project, unstaffed demand, planned against actual
# ------------------------------------------------------------------------------------------------

def project_label(df: pl.DataFrame) -> pl.Expr:
    return (pl.when(pl.col("project_id").is_null()).then(pl.lit(NO_PROJECT))
            .otherwise(pl.col("project_id") + pl.when(pl.col("project_name").is_not_null())
                       .then(pl.lit(" · ") + pl.col("project_name")).otherwise(pl.lit(""))))


def demand_by_project(projects: pl.DataFrame, person_ids: list[str] | None = None, *,
                      top: int = 8) -> pl.DataFrame:
    """Forecast demand per period and project on the selected projects (of `person_ids` and the
    placeholders of their roles when given), the `top` projects by total and the rest as 'Other
    projects'."""
    rows = projects.filter(pl.col("is_selected"))
    if person_ids is not None:
        rows = rows.filter(pl.col("person_id").is_in(person_ids) | pl.col("is_placeholder"))
    rows = rows.with_columns(project_label=project_label(rows))
    ranked = rows.group_by("project_label").agg(pl.col("forecast_hours").sum()) \
        .sort(["forecast_hours", "project_label"], descending=[True, False])
    keep = set(ranked["project_label"].head(top).to_list())
    rows = rows.with_columns(project_label=pl.when(pl.col("project_label").is_in(list(keep)))
                             .then(pl.col("project_label")).otherwise(pl.lit(OTHER_PROJECTS)))
    return (rows.group_by("bucket_start", "project_label").agg(pl.col("forecast_hours").sum())
            .filter(pl.col("forecast_hours").round(6) != 0).sort("bucket_start", "project_label"))


def unstaffed(projects: pl.DataFrame) -> pl.DataFrame:
    """Unnamed placeholder demand per role and project over the window, largest first."""
    rows = projects.filter(pl.col("is_placeholder") & pl.col("is_selected"))
    return (rows.group_by("role", "project_id").agg(
        pl.col("project_name").first(), pl.col("planned_hours", "forecast_hours").sum(),
        pl.col("bucket_start").min().alias("first_bucket"), pl.col("bucket_start").max().alias("last_bucket"))
        .rename({"forecast_hours": "unstaffed_hours"})
        .filter(pl.col("unstaffed_hours").round(6) > 0)
        .sort(["unstaffed_hours", "role", "project_id"], descending=[True, False, False], nulls_last=True)
        .select("role", "project_id", "project_name", "unstaffed_hours", "first_bucket", "last_bucket"))


def planned_vs_actual(projects: pl.DataFrame) -> pl.DataFrame:
    """Per selected project over the window up to the last logged day: planned hours to date,
    actual hours logged, actual - planned and actual / planned; largest gap first."""
    rows = projects.filter(pl.col("is_selected") & ~pl.col("is_placeholder"))
    out = rows.group_by("project_id").agg(
        pl.col("project_name").first(), pl.col("planned_to_date_hours", "actual_hours").sum(),
        pl.col("person_id").filter(pl.col("actual_hours") > 0).n_unique().alias("people_count"))
    out = out.filter((pl.col("planned_to_date_hours").round(6) != 0) | (pl.col("actual_hours").round(6) != 0))
    out = out.with_columns(
        hours_difference=pl.col("actual_hours") - pl.col("planned_to_date_hours"),
        actual_vs_planned=utilisation_expr("actual_hours", "planned_to_date_hours"))
    return out.sort(pl.col("hours_difference").abs(), descending=True).select(
        "project_id", "project_name", "people_count", "planned_to_date_hours", "actual_hours",
        "hours_difference", "actual_vs_planned")


# ------------------------------------------------------------------------------------------------
# Role deficit for the next quarters
# ------------------------------------------------------------------------------------------------

def role_deficit(months: pl.DataFrame) -> pl.DataFrame:
    """Per role and quarter (capacity_people rows by month): demand (people and unnamed
    placeholders), capacity of the role's people whose capacity is known, deficit = demand -
    capacity (positive = short), short first."""
    rows = months.with_columns(
        quarter_start=frames.each(months, "bucket_start", quarter_start, pl.Date),
        role=pl.col("role").fill_null("(no role)"))
    out = rows.group_by("role", "quarter_start").agg(
        pl.col("forecast_hours").sum().alias("demand_hours"),
        pl.col("forecast_hours").filter(pl.col("is_placeholder")).sum().alias("unstaffed_hours"),
        pl.col("capacity_hours").filter(pl.col("capacity_known")).sum(),
        pl.col("person_id").filter(~pl.col("is_placeholder")).n_unique().alias("people_count"))
    out = out.with_columns(deficit_hours=pl.col("demand_hours") - pl.col("capacity_hours"),
                           utilisation=utilisation_expr("demand_hours"),
                           quarter=frames.each(out, "quarter_start", quarter_label, pl.String))
    out = out.with_columns(reason=pl.when(pl.col("deficit_hours").round(6) > 0).then(
        pl.lit("short: ") + _h(pl.col("demand_hours")) + pl.lit(" of demand (")
        + _h(pl.col("unstaffed_hours")) + pl.lit(" unstaffed) on ") + _h(pl.col("capacity_hours"))
        + pl.lit(" of capacity")).otherwise(None))
    return out.sort(["deficit_hours", "quarter_start", "role"], descending=[True, False, False]).select(
        "quarter", "quarter_start", "role", "people_count", "capacity_hours", "demand_hours", "unstaffed_hours",
        "deficit_hours", "utilisation", "reason")


# ------------------------------------------------------------------------------------------------
# Heat map
# ------------------------------------------------------------------------------------------------

def heat_order(people: pl.DataFrame, s: Settings) -> list[str]:
    """Person ids worst first: most hours over, then highest peak utilisation, then name."""
    p = person_summary(people, s)
    return p.sort(["hours_over", "peak_utilisation", "person_name"], descending=[True, True, False],
                  nulls_last=True)["person_id"].to_list()


def heat_cells(people: pl.DataFrame, ids: list[str], s: Settings) -> pl.DataFrame:
    """The person x period cells of `ids` (in that order: `rank`), with band and a tooltip text."""
    rank = {pid: i for i, pid in enumerate(ids)}
    rows = with_rules(people.filter(pl.col("person_id").is_in(ids)), s)
    return rows.with_columns(
        rank=pl.col("person_id").replace_strict(rank, return_dtype=pl.Int64),
    ).select("rank", "person_id", "person_name", "role", "team", "bucket_start", "capacity_hours",
             "forecast_hours", "utilisation", "utilisation_band", "utilisation_note").sort("rank", "bucket_start")


def dashes(df: pl.DataFrame) -> pl.DataFrame:
    """Text columns with a dash for a missing value (a person with no team), as tables show them."""
    return df.with_columns(pl.col(c).fill_null(metrics.MISSING) for c in ("person_name", "role", "team", "department")
                           if c in df.columns and df.schema[c] == pl.String)
