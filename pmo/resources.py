"""Resources: capacity against demand, by person, role and team (issue 18; docs/resources.md).

Three layers, as elsewhere:
- the rules as pure functions on plain values (tested by hand-worked cases in tests/test_resources.py);
- the canonical views over the `time_entries`, `allocations` and `capacity` segments (people matched
  across tools and to HR, project aliases resolved, cost rates converted), created on every
  connection by `create_views` (pmo.db calls it after its own canonical views);
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
    Mirrors the canonical views (PEOPLE_SQL)."""
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


# ------------------------------------------------------------------------------------------------
# Canonical views (created by pmo.db.connect through create_views)
# ------------------------------------------------------------------------------------------------

# The name key in SQL: the same steps as name_key() above.
NAME_KEY_SQL = r"""
create or replace macro resource_name_key(n) as nullif(trim(regexp_replace(lower(strip_accents(
    case when contains(n, ',') then split_part(n, ',', 2) || ' ' || split_part(n, ',', 1) else n end)),
    '[^0-9a-z]+', ' ', 'g')), '')
"""

# People. HR contracts (the HR export's scheduled hours) name the people whose capacity is known;
# every other row is matched to them by employee id, then e-mail, then a name only one HR person
# has; a row that matches nobody keys on its normalised name, else its e-mail, else the tool's id.
PEOPLE_SQL = r"""
create or replace view _resource_hr as
    select * exclude (_n) from (
        select c.* exclude (_ingest_id), trim(c.employee_id) as person_id,
               resource_name_key(c.person_name) as name_key,
               row_number() over (partition by lower(trim(c.employee_id))
                                  order by c.as_of desc, c._ingest_id desc) as _n
        from seg_capacity c
        where c.kind = 'contract' and nullif(trim(c.employee_id), '') is not null)
    where _n = 1;

create or replace view _resource_hr_ids as
    select lower(person_id) as id_key, person_id from _resource_hr;

create or replace view _resource_hr_names as
    select name_key, any_value(person_id) as person_id from _resource_hr
    where name_key is not null group by name_key having count(*) = 1;

create or replace view _resource_hr_emails as
    select lower(trim(email)) as email_key, any_value(person_id) as person_id from _resource_hr
    where nullif(trim(email), '') is not null group by 1 having count(*) = 1;

-- a tool's person id named in one row and not in another (Project Online's AssignmentTimephasedDataSet
-- has ResourceId only; its ResourceTimephasedDataSet has the name): the name where only one is known
create or replace view _resource_id_names as
    select lower(trim(resource_id)) as rid_key, any_value(name_key) as name_key from (
        select resource_id, resource_name_key(person_name) as name_key from seg_capacity
        union all select resource_id, resource_name_key(person_name) from seg_allocations
        union all select resource_id, resource_name_key(person_name) from seg_time_entries)
    where nullif(trim(resource_id), '') is not null and name_key is not null
    group by 1 having count(distinct name_key) = 1;

create or replace macro _resource_person(hr_id, hr_email, hr_name, nk, mail, rid) as
    coalesce(hr_id, hr_email, hr_name,
             'name:' || nk,
             'email:' || lower(trim(nullif(mail, ''))),
             'id:' || trim(nullif(rid, '')))
"""

# Timesheet exports cover a period: their source ends in @<first>..<last> (the importers set it),
# each period is kept as its own segment, and a day's entries come from the latest export of the
# same dataset (source without the period) that covers that day.
TIME_ENTRIES_SQL = r"""
create or replace view _time_exports as
    select source, _ingest_id, any_value(as_of) as as_of,
           nullif(regexp_extract(source, '^(.*)@\d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2}$', 1), '') as dataset,
           try_cast(nullif(regexp_extract(source, '@(\d{4}-\d{2}-\d{2})\.\.\d{4}-\d{2}-\d{2}$', 1), '') as date) as first_day,
           try_cast(nullif(regexp_extract(source, '\.\.(\d{4}-\d{2}-\d{2})$', 1), '') as date) as last_day
    from seg_time_entries group by source, _ingest_id;

create or replace view _time_entries_live as
    select t.* from seg_time_entries t
    join _time_exports me on me.source = t.source and me._ingest_id = t._ingest_id
    anti join _time_exports later
        on later.dataset = me.dataset
        and (later.as_of > me.as_of or (later.as_of = me.as_of and later._ingest_id > me._ingest_id))
        and t.work_date between later.first_day and later.last_day;

-- FX: the rate depends only on (currency, day), found once per pair (as financials does per month)
create or replace view _time_rate as
    select k.currency, k.work_date, coalesce(fx.rate_to_reporting, ff.rate) as rate
    from (select distinct coalesce(currency, $reporting) as currency, work_date
          from seg_time_entries where cost_rate_original is not null) k
    asof left join _fx fx on fx.currency = k.currency and k.work_date >= fx.valid_from
    left join _fx_first ff on ff.currency = k.currency;

create or replace view time_entries as
    select t.* exclude (project_id, cost_rate, _ingest_id, _nk),
           coalesce(a.project_id, t.project_id) as project_id,
           coalesce(t.cost_rate_original * r.rate, t.cost_rate) as cost_rate,
           _resource_person(hi.person_id, he.person_id, hn.person_id, t._nk, t.email, t.resource_id) as person_id
    from (select x.*, coalesce(resource_name_key(x.person_name), n.name_key) as _nk from _time_entries_live x
          left join _resource_id_names n on n.rid_key = lower(trim(x.resource_id))) t
    left join _project_alias a on a.alias = t.project_id
    left join _time_rate r on r.currency = coalesce(t.currency, $reporting) and r.work_date = t.work_date
    left join _resource_hr_ids hi on hi.id_key = lower(trim(t.employee_id))
    left join _resource_hr_emails he on he.email_key = lower(trim(t.email))
    left join _resource_hr_names hn on hn.name_key = t._nk;

create or replace view allocations as
    select t.* exclude (project_id, _ingest_id, _nk),
           coalesce(a.project_id, t.project_id) as project_id,
           case when not coalesce(t.is_placeholder, false) then
               _resource_person(hi.person_id, he.person_id, hn.person_id, t._nk, t.email, t.resource_id)
           end as person_id
    from (select x.*, coalesce(resource_name_key(x.person_name), n.name_key) as _nk from seg_allocations x
          left join _resource_id_names n on n.rid_key = lower(trim(x.resource_id))) t
    left join _project_alias a on a.alias = t.project_id
    left join _resource_hr_ids hi on hi.id_key = lower(trim(t.employee_id))
    left join _resource_hr_emails he on he.email_key = lower(trim(t.email))
    left join _resource_hr_names hn on hn.name_key = t._nk;

create or replace view capacity as
    select t.* exclude (_ingest_id, _nk),
           case when t.kind <> 'holiday' then
               _resource_person(hi.person_id, he.person_id, hn.person_id, t._nk, t.email, t.resource_id)
           end as person_id
    from (select x.*, coalesce(resource_name_key(x.person_name), n.name_key) as _nk from seg_capacity x
          left join _resource_id_names n on n.rid_key = lower(trim(x.resource_id))) t
    left join _resource_hr_ids hi on hi.id_key = lower(trim(t.employee_id))
    left join _resource_hr_emails he on he.email_key = lower(trim(t.email))
    left join _resource_hr_names hn on hn.name_key = t._nk;

-- Public holidays per location (lower-case city or country): an imported calendar for a location
-- replaces the default calendar (config [resources] holidays) for that location.
create or replace view resource_holidays as
    with imported as (
        select lower(trim(h.location)) as location_key, h.location,
               cast(unnest(generate_series(h.start_date, coalesce(h.end_date, h.start_date), interval 1 day)) as date)
                   as holiday_date,
               least(coalesce(h.days, 1.0), 1.0) as days, h.description
        from capacity h
        where h.kind = 'holiday' and h.start_date is not null and nullif(trim(h.location), '') is not null
    )
    select location_key, any_value(location) as location, holiday_date, max(days) as days,
           any_value(description) as description
    from imported group by location_key, holiday_date
    union all
    select d.location_key, d.location, d.holiday_date, d.days, d.description
    from resource_default_holidays d
    where d.location_key not in (select location_key from imported);

-- One row per person: HR facts first, else what the tools say most often.
create or replace view resource_people as
    with facts as (
        select person_id, person_name, email, employee_id, role, cast(null as varchar) as team, department,
               location, country, kind = 'capacity' as states_capacity
        from capacity where person_id is not null
        union all
        select person_id, person_name, email, employee_id, role, team, null, null, null, false
        from time_entries where person_id is not null
        union all
        select person_id, person_name, email, employee_id, role, null, null, null, null, false
        from allocations where person_id is not null
    )
    select f.person_id,
           coalesce(any_value(h.person_name), mode(f.person_name)) as person_name,
           coalesce(any_value(h.employee_id), mode(f.employee_id)) as employee_id,
           coalesce(any_value(h.email), mode(f.email)) as email,
           coalesce(any_value(h.role), mode(f.role)) as role,
           mode(f.team) as team,
           coalesce(any_value(h.department), mode(f.department)) as department,
           coalesce(any_value(h.location), mode(f.location)) as location,
           coalesce(any_value(h.country), mode(f.country)) as country,
           any_value(h.weekly_hours) as weekly_hours,
           any_value(h.default_weekly_hours) as default_weekly_hours,
           any_value(h.fte) as fte,
           any_value(h.start_date) as contract_start,
           any_value(h.end_date) as contract_end,
           count(h.person_id) > 0 as has_contract,
           bool_or(f.states_capacity) as has_stated_capacity
    from facts f
    left join _resource_hr h on h.person_id = f.person_id
    group by f.person_id
"""

CANONICAL_SQL = NAME_KEY_SQL + ";\n" + PEOPLE_SQL + ";\n" + TIME_ENTRIES_SQL


def create_views(con, cfg: dict, store_root: Path | str | None, add_table) -> None:
    """The settings tables and canonical views of the resource tables on `con` (after pmo.db's
    canonical views: it reads _fx, _fx_first and _project_alias). `add_table(con, name, frame)`
    creates a table from a frame (pmo.db's helper)."""
    for name, frame in sql_tables(cfg, store_root).items():
        add_table(con, name, frame)
    reporting = "'" + cfg["general"]["reporting_currency"].replace("'", "''") + "'"
    for stmt in CANONICAL_SQL.split(";\n"):
        if stmt.strip():
            con.execute(stmt.replace("$reporting", reporting))
