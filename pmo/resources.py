"""Resources: capacity against demand, by person, role and team (issue 18; docs/resources.md).

Three layers, as elsewhere:
- the rules as pure functions on plain values (tested by hand-worked cases in tests/test_resources.py);
- the canonical views over the `time_entries`, `allocations` and `capacity` segments (people matched
  across tools and to HR, project aliases resolved, cost rates converted): the SQL files
  queries/canonical/{time_entries,allocations,capacity,resource_people,...}.sql, with their macros
  in queries/macros/ (resource_name_key, _resource_person);
- the analytic view `queries/views/resource_utilisation.sql` (person x week or month), which
  applies the same rules in SQL; tests check the two agree on one hand-made store.

The rules:
- capacity of a person on a day = scheduled weekly hours / working days per week on a working day
  of their contract (0 on other days), times the part of the day that is not a public holiday in
  the person's location (city or country), minus leave, never below 0. People without an HR
  contract take the daily capacity a tool states (Project Online's ResourceTimephasedDataSet
  `Capacity`), minus leave.
- planned demand = allocations: a total over a span is spread evenly over the span's working days
  that are not a full public holiday for the person (all on the first day when there is none);
  hours per day go on each such day; a % allocation is that share of the day's capacity.
- actual demand = time entries. forecast = actual on days up to the last day any time entry
  covers (`actuals_through`), planned after.
- per bucket: utilisation = demand / capacity (NULL, with the reason, when capacity is 0);
  availability = capacity - demand; over-allocated only when demand > capacity (strictly, after
  rounding to 6 decimals). A group's utilisation = its total demand / its total capacity, never
  the mean of its members' percentages.
- role deficit = demand of a role (people and unnamed placeholders) - capacity of the role.
- cost = actual hours x cost rate, over the entries whose rate is known.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import polars as pl

from pmo.config import ROOT

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
BUCKETS = ("week", "month")
DEFAULTS = {"working_days": ["Mon", "Tue", "Wed", "Thu", "Fri"], "bucket": "week",
            "holidays": "config/holidays.csv", "default_weekly_hours": 40.0}


# ------------------------------------------------------------------------------------------------
# Settings
# ------------------------------------------------------------------------------------------------

def settings(cfg: dict) -> tuple[dict, list[str]]:
    """`[resources]` with defaults; a value that is not valid is replaced by its default and named
    in the problems (shown as a warning, never fatal)."""
    raw = (cfg or {}).get("resources", {}) or {}
    out = dict(DEFAULTS)
    problems: list[str] = []
    days = raw.get("working_days", DEFAULTS["working_days"])
    try:
        iso = sorted({WEEKDAYS.index(str(d).strip().lower()[:3]) + 1 for d in days})
        if not iso:
            raise ValueError
        out["working_days"] = iso
    except (ValueError, TypeError):
        problems.append(f"[resources] working_days = {days!r} is not a list of weekday names; "
                        "Monday to Friday is used")
        out["working_days"] = [1, 2, 3, 4, 5]
    bucket = str(raw.get("bucket", "week")).strip().lower()
    if bucket not in BUCKETS:
        problems.append(f"[resources] bucket = {raw.get('bucket')!r} must be \"week\" or \"month\"; week is used")
        bucket = "week"
    out["bucket"] = bucket
    hours = raw.get("default_weekly_hours", DEFAULTS["default_weekly_hours"])
    try:
        out["default_weekly_hours"] = float(hours)
        if not 0 < out["default_weekly_hours"] <= 168:
            raise ValueError
    except (ValueError, TypeError):
        problems.append(f"[resources] default_weekly_hours = {hours!r} is not a number of hours; 40 is used")
        out["default_weekly_hours"] = 40.0
    out["holidays"] = str(raw.get("holidays") or DEFAULTS["holidays"])
    return out, problems


def holidays_path(cfg: dict, store_root: Path | str | None = None) -> Path:
    """The default holiday calendar: absolute as given; relative = the store's directory, else the repo."""
    p = Path(settings(cfg)[0]["holidays"])
    if p.is_absolute():
        return p
    if store_root is not None and (Path(store_root) / p).exists():
        return Path(store_root) / p
    return ROOT / p


HOLIDAY_SCHEMA = {"location_key": pl.String, "location": pl.String, "holiday_date": pl.Date,
                  "days": pl.Float64, "description": pl.String}


def read_default_holidays(path: Path) -> tuple[pl.DataFrame, list[str]]:
    """`Location,Date,Holiday` (ISO dates) -> rows of the holiday table; problems instead of errors."""
    empty = pl.DataFrame(schema=HOLIDAY_SCHEMA)
    if not path.exists():
        return empty, [f"{path}: the default holiday calendar does not exist; no default holidays apply"]
    try:
        df = pl.read_csv(path, infer_schema=False)
    except (pl.exceptions.ComputeError, OSError) as exc:
        return empty, [f"{path}: not a readable CSV ({exc}); no default holidays apply"]
    cols = {c.strip().lower(): c for c in df.columns}
    if not {"location", "date"} <= set(cols):
        return empty, [f"{path}: needs the columns Location and Date (and Holiday); no default holidays apply"]
    out = df.select(
        location=pl.col(cols["location"]).str.strip_chars(),
        holiday_date=pl.col(cols["date"]).str.strip_chars().str.to_date("%Y-%m-%d", strict=False),
        description=pl.col(cols["holiday"]) if "holiday" in cols else pl.lit(None, dtype=pl.String),
    )
    bad = out.filter(pl.col("holiday_date").is_null() | pl.col("location").is_null())
    problems = [f"{path}: {bad.height} row(s) without a location or an ISO date (YYYY-MM-DD) were skipped"] \
        if bad.height else []
    out = out.filter(pl.col("holiday_date").is_not_null() & pl.col("location").is_not_null())
    out = out.with_columns(location_key=location_key_expr(pl.col("location")), days=pl.lit(1.0))
    return out.select(list(HOLIDAY_SCHEMA)), problems


def sql_tables(cfg: dict, store_root: Path | str | None = None) -> dict[str, pl.DataFrame]:
    """The settings tables the resource views read, created once per connection."""
    s, _ = settings(cfg)
    holidays, _ = read_default_holidays(holidays_path(cfg, store_root))
    return {
        "settings_resources": pl.DataFrame(
            [{"bucket": s["bucket"], "working_days": s["working_days"],
              "days_per_week": len(s["working_days"]), "default_weekly_hours": s["default_weekly_hours"]}],
            schema={"bucket": pl.String, "working_days": pl.List(pl.Int64), "days_per_week": pl.Int64,
                    "default_weekly_hours": pl.Float64}),
        "resource_default_holidays": holidays,
    }


# ------------------------------------------------------------------------------------------------
# People: one key per person across tools
# ------------------------------------------------------------------------------------------------

def name_key(name: str | None) -> str | None:
    """'Müller, Jonas' -> 'jonas muller'; 'Kevin O'Brien' -> 'kevin o brien'. Accents, case,
    punctuation and a 'Last, First' order do not matter. Mirrors the SQL macro resource_name_key."""
    if name is None:
        return None
    text = str(name)
    if "," in text:
        last, first = text.split(",", 1)
        text = f"{first} {last}"
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()
    text = re.sub(r"[^0-9a-z]+", " ", text).strip()
    return text or None


def location_key_expr(e: pl.Expr) -> pl.Expr:
    return e.str.strip_chars().str.to_lowercase()


@dataclass(frozen=True)
class Person:
    """What the tools say about one person (any of the fields may be missing)."""

    employee_id: str | None = None
    email: str | None = None
    name: str | None = None
    resource_id: str | None = None


def person_id(p: Person, hr: Iterable[Person]) -> str | None:
    """The person's key: the HR employee id matched by employee id, else by e-mail, else by a name
    only one HR person has; otherwise 'name:<key>', 'email:<address>' or 'id:<tool id>'.
    Mirrors the canonical views (queries/canonical/_resource_hr*.sql, macros/_resource_person.sql)."""
    hr = list(hr)
    if p.employee_id:
        for h in hr:
            if h.employee_id and h.employee_id.strip().lower() == p.employee_id.strip().lower():
                return h.employee_id.strip()
    if p.email:
        hits = {h.employee_id.strip() for h in hr if h.email and h.employee_id
                and h.email.strip().lower() == p.email.strip().lower()}
        if len(hits) == 1:
            return hits.pop()
    key = name_key(p.name)
    if key:
        hits = {h.employee_id.strip() for h in hr if h.employee_id and name_key(h.name) == key}
        if len(hits) == 1:
            return hits.pop()
        return f"name:{key}"
    if p.email:
        return f"email:{p.email.strip().lower()}"
    if p.resource_id:
        return f"id:{p.resource_id.strip()}"
    return None


# ------------------------------------------------------------------------------------------------
# Capacity
# ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Contract:
    """Scheduled weekly hours from HR, valid from `start` to `end` (inclusive; None = open)."""

    weekly_hours: float
    start: date | None = None
    end: date | None = None
    location: str | None = None        # city
    country: str | None = None


def days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def is_working_day(day: date, working_days: Iterable[int] = (1, 2, 3, 4, 5)) -> bool:
    return day.isoweekday() in set(working_days)


def holiday_share(day: date, holidays: Mapping[str, Mapping[date, float]], location: str | None,
                  country: str | None) -> float:
    """The part of `day` that is a public holiday where the person works (their city's calendar or
    their country's; 1 = the whole day). `holidays`: location (any case) -> {date: share of day}."""
    keys = {k.strip().lower() for k in (location, country) if k}
    table = {k.strip().lower(): v for k, v in holidays.items()}
    return max((table[k].get(day, 0.0) for k in keys if k in table), default=0.0)


def contract_hours(day: date, contract: Contract | None, working_days: Iterable[int] = (1, 2, 3, 4, 5)) -> float:
    """The contract's hours on `day` before holidays and leave: weekly hours / working days."""
    wd = sorted(set(working_days))
    if contract is None or not is_working_day(day, wd):
        return 0.0
    if (contract.start and day < contract.start) or (contract.end and day > contract.end):
        return 0.0
    return contract.weekly_hours / len(wd)


def day_capacity(day: date, contract: Contract | None, *, working_days: Iterable[int] = (1, 2, 3, 4, 5),
                 holidays: Mapping[str, Mapping[date, float]] | None = None, leave_hours: float = 0.0,
                 stated: float | None = None) -> float:
    """Capacity on one day (hours). With a contract: contract hours less the holiday share; without
    one, the capacity a tool states (`stated`, e.g. Project Online Capacity). Leave is subtracted;
    never below 0."""
    if contract is not None:
        base = contract_hours(day, contract, working_days)
        base *= 1.0 - holiday_share(day, holidays or {}, contract.location, contract.country)
    else:
        base = stated or 0.0
    return max(base - leave_hours, 0.0)


def capacity_over(days: Iterable[date], contract: Contract | None, *, working_days=(1, 2, 3, 4, 5),
                  holidays=None, leave: Mapping[date, float] | None = None,
                  stated: Mapping[date, float] | None = None) -> float:
    """Capacity summed over `days` (leave and stated capacity per day)."""
    leave, stated = leave or {}, stated or {}
    return sum(day_capacity(d, contract, working_days=working_days, holidays=holidays,
                            leave_hours=leave.get(d, 0.0), stated=stated.get(d)) for d in days)


def leave_hours_by_day(start: date, end: date, contract: Contract, *, hours: float | None = None,
                       days: float | None = None, working_days=(1, 2, 3, 4, 5),
                       holidays=None) -> dict[date, float]:
    """One leave record over start..end as hours per day: spread evenly over the days of the span
    that have contract hours left after holidays. Given in hours: those hours; in days: days x the
    contract's daily hours; neither: every such day in full."""
    avail = {d: day_capacity(d, contract, working_days=working_days, holidays=holidays)
             for d in days_between(start, end)}
    avail = {d: h for d, h in avail.items() if h > 0}
    if not avail:
        return {}
    daily = contract.weekly_hours / len(set(working_days))
    if hours is None and days is None:
        return dict(avail)
    total = hours if hours is not None else days * daily
    return {d: total / len(avail) for d in avail}


def team_weekly_capacity(members: Iterable[tuple[float, float]]) -> float:
    """Tempo's team capacity: the sum of commitment x weekly hours over (commitment, weekly hours)
    pairs; three at 100% and one at 50% of 40 hours = 140 hours."""
    return sum(share * hours for share, hours in members)


# ------------------------------------------------------------------------------------------------
# Demand
# ------------------------------------------------------------------------------------------------

def spread_allocation(start: date, end: date, *, hours: float | None = None,
                      hours_per_day: float | None = None, allocation_pct: float | None = None,
                      available: Iterable[date] = (), capacity: Mapping[date, float] | None = None
                      ) -> dict[date, float]:
    """Planned hours per day of one allocation. `available` = the span's working days that are not
    a full holiday for the person. A total (`hours`) is spread evenly over them (all on `start` when
    there are none, so no hour is lost); `hours_per_day` goes on each; a share of capacity
    (`allocation_pct`, 0.5 = 50%) takes that share of each day's `capacity`."""
    days = [d for d in sorted(set(available)) if start <= d <= end]
    if hours is not None:
        if not days:
            return {start: hours}
        return {d: hours / len(days) for d in days}
    if hours_per_day is not None:
        return {d: hours_per_day for d in days}
    if allocation_pct is not None:
        capacity = capacity or {}
        return {d: allocation_pct * capacity.get(d, 0.0) for d in days_between(start, end)
                if capacity.get(d, 0.0) > 0}
    return {}


def forecast(actual: Mapping[date, float], planned: Mapping[date, float],
             actuals_through: date | None) -> dict[date, float]:
    """Actual hours on days up to `actuals_through` (a day with nothing logged counts 0), planned
    hours after it. Without actuals: the plan."""
    if actuals_through is None:
        return dict(planned)
    out = {d: h for d, h in actual.items() if d <= actuals_through}
    out.update({d: h for d, h in planned.items() if d > actuals_through})
    return out


# ------------------------------------------------------------------------------------------------
# Per bucket
# ------------------------------------------------------------------------------------------------

NO_CAPACITY = "no capacity in this period"


def _r(x: float) -> float:
    return round(x, 6)


def utilisation(demand: float, capacity: float) -> tuple[float | None, str | None]:
    """demand / capacity; (None, reason) when capacity is 0 (shown as a dash with the reason)."""
    if _r(capacity) <= 0:
        return None, NO_CAPACITY
    return demand / capacity, None


def availability(capacity: float, demand: float) -> float:
    return capacity - demand


def is_over_allocated(demand: float, capacity: float) -> bool:
    """Strictly more demand than capacity (exactly full is not over-allocated)."""
    return _r(demand) > _r(capacity)


def group_utilisation(members: Iterable[tuple[float, float]]) -> float | None:
    """Total demand / total capacity over (demand, capacity) pairs: never the mean of percentages."""
    members = list(members)
    total_capacity = sum(c for _, c in members)
    if _r(total_capacity) <= 0:
        return None
    return sum(d for d, _ in members) / total_capacity


def role_deficit(demand_by_role: Mapping[str, float], capacity_by_role: Mapping[str, float]) -> dict[str, float]:
    """Demand (people and unnamed placeholders) minus capacity, per role; positive = short."""
    roles = set(demand_by_role) | set(capacity_by_role)
    return {r: demand_by_role.get(r, 0.0) - capacity_by_role.get(r, 0.0) for r in sorted(roles)}


def bucket_start(day: date, bucket: str = "week") -> date:
    """Monday of the ISO week, or the first of the month."""
    if bucket == "month":
        return day.replace(day=1)
    return day - timedelta(days=day.weekday())


def by_bucket(hours_by_day: Mapping[date, float], bucket: str = "week") -> dict[date, float]:
    out: dict[date, float] = defaultdict(float)
    for d, h in hours_by_day.items():
        out[bucket_start(d, bucket)] += h
    return dict(out)


# ------------------------------------------------------------------------------------------------
# Projects and cost
# ------------------------------------------------------------------------------------------------

def planned_vs_actual(planned: Iterable[tuple[str, float]], actual: Iterable[tuple[str, float]]
                      ) -> dict[str, dict[str, float]]:
    """Per project: planned hours, actual hours and actual - planned (from (project, hours) pairs)."""
    out: dict[str, dict[str, float]] = {}
    for kind, rows in (("planned", planned), ("actual", actual)):
        for project, hours in rows:
            out.setdefault(project, {"planned": 0.0, "actual": 0.0})[kind] += hours
    for v in out.values():
        v["difference"] = v["actual"] - v["planned"]
    return out


def labour_cost(entries: Iterable[tuple[float, float | None]]) -> tuple[float, float]:
    """(cost, hours without a rate) over (hours, cost rate) pairs: cost = hours x rate where known."""
    cost, unpriced = 0.0, 0.0
    for hours, rate in entries:
        if rate is None:
            unpriced += hours
        else:
            cost += hours * rate
    return cost, unpriced


