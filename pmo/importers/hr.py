"""HR compensation exports: Workday custom reports and generic HRIS / payroll files -> salaries.

Workday: `Employee ID, Worker, Job Profile, Job Family, Management Level (9 Manager), Compensation
Grade, Location, Country, Cost Center, Supervisory Organization, Worker Type, Time Type, FTE (100% /
60% / 0.6), Scheduled Weekly Hours, Hire Date, Total Base Pay Annualized - Amount / - Currency,
Total Base Pay - Amount`. Generic HRIS: `Employee Number, First Name, Last Name, Department, Job
Title, Grade, Employment Type, FTE, Annual Salary, Currency, Pay Frequency, Hourly Rate, Start Date,
Termination Date`.

Decisions (also in docs):
- base_salary_original is the annual FULL-TIME-EQUIVALENT base pay, in the pay currency:
  * `Total Base Pay Annualized - Amount` is what the person is actually paid per year -> / FTE;
  * a generic `Annual Salary` (or `Base Salary`, `Salary`) is read the same way -> / FTE
    (41,400 GBP paid at 60% = 69,000 GBP FTE);
  * `Total Base Pay - Amount` is per its `Total Base Pay - Frequency` (annual when absent):
    monthly x 12, weekly x 52 ..., then / FTE; hourly amounts x hours_per_year are FTE already;
  * hourly-only rows: `Hourly Rate` x `salaries.hours_per_year` (2080), already FTE.
  FTE: the FTE column (`60%` or `0.6`), else Scheduled Weekly Hours / (hours_per_year / 52), else
  1.0 for full-time rows; a part-time row without either keeps its salary empty (noted).
- level = Management Level without its numeric prefix (`9 Manager` -> `Manager`), else Job Level /
  Grade / Compensation Grade.
- department = Supervisory Organization (a trailing `(Manager Name)` removed), else Department,
  else the name part of Cost Center (`CC4711 IT Infrastructure` -> `IT Infrastructure`).
- country = Country column (ISO codes and common spellings normalised: USA / United States of
  America -> United States, UK / GB -> United Kingdom), else inferred from the Location city with a
  small table (London -> United Kingdom ...), else NULL; city = Location / City.
- is_pmo = an `Is PMO` column if present, else True when job family, job title or department
  mentions PMO, project, program(me) or portfolio (so a Project Accountant counts too).
- People who have left (Active Status = No / Terminated, or a Termination Date before the as-of
  date: --as-of, else the file's As of Date, else a date in the file name, else today) are skipped
  with a note.
- as_of = an `As of Date` / `Effective Date` / `Report Date` column if the file has one (else the
  ingest's as-of date). Source: the file name without date-like parts.
- `capacity` (resources, docs/resources.md): one `contract` row per person whose weekly hours are
  known: weekly_hours = Scheduled Weekly Hours, else FTE x Default Weekly Hours (else x
  [resources] default_weekly_hours); default_weekly_hours = Default Weekly Hours, else scheduled /
  FTE; fte = scheduled / default as Workday reports it; start_date = Hire Date, end_date =
  Termination Date; role = job title, location = city, email = a work e-mail column if any.
"""

from __future__ import annotations

import re
from datetime import date

import polars as pl

from pmo.importers._common import (
    HeaderRules,
    coverage,
    drop_blank_rows,
    has_any,
    name_of,
    parser_note,
    stable_stem,
    tables_of,
)
from pmo.importers.base import ImportResult, IngestContext, RawTable, check_column, cleared, norm
from pmo.parse import AmbiguousDates, to_bool, to_date, to_money, to_number, to_percent

TOOL = "hr"
LABEL = "HR compensation export (Workday / HRIS)"
VERSION = "1"
TABLES = ("salaries", "capacity")

EMPLOYEE_ID = ("Employee ID", "Employee Number", "Employee No", "Employee No.", "Employee #", "Worker ID",
               "Personnel Number", "Person Number", "Emp ID", "EmployeeID", "Employee Id", "Personalnummer")
NAME = ("Worker", "Employee Name", "Full Name", "Name", "Preferred Name", "Legal Name", "Employee")
FIRST = ("First Name", "Legal Name - First Name", "Preferred Name - First Name", "Given Name", "Vorname")
LAST = ("Last Name", "Legal Name - Last Name", "Preferred Name - Last Name", "Surname", "Family Name", "Nachname")
TITLE = ("Job Profile", "Job Profile (Primary)", "Job Title", "Business Title", "Position Title", "Title",
         "Position", "Role", "Stellenbezeichnung")
FAMILY = ("Job Family", "Job Family Group", "Job Function", "Function", "Job Family (Primary)")
LEVEL = ("Management Level", "Job Level", "Career Level", "Level", "Grade", "Compensation Grade", "Pay Grade")
SUP_ORG = ("Supervisory Organization", "Supervisory Org", "Organization", "Org Unit")
DEPARTMENT = ("Department", "Dept", "Business Unit", "Abteilung")
COST_CENTER = ("Cost Center", "Cost Centre", "Kostenstelle")
COUNTRY = ("Country", "Work Country", "Location Country", "Country Name", "Land")
CITY = ("Location", "City", "Work Location", "Office", "Work City", "Standort")
FTE = ("FTE", "FTE %", "FTE Percentage", "Full Time Equivalent", "Scheduled FTE", "Working Time %",
       "FTE (%)")
WEEKLY_HOURS = ("Scheduled Weekly Hours", "Weekly Hours", "Standard Hours", "Contract Hours")
DEFAULT_HOURS = ("Default Weekly Hours", "Standard Weekly Hours", "Full Time Weekly Hours", "Full-Time Hours")
EMAIL = ("Email - Primary Work", "Work Email", "Email", "Email Address", "Primary Work Email", "E-mail")
TIME_TYPE = ("Time Type", "FT / PT", "FT/PT", "Full/Part Time", "Employment Status")
ANNUALIZED = ("Total Base Pay Annualized - Amount", "Total Base Pay Annualized", "Annualized Base Pay",
              "Annual Base Pay - Amount")
ANNUALIZED_CCY = ("Total Base Pay Annualized - Currency", "Annual Base Pay - Currency")
ANNUAL = ("Annual Salary", "Annual Base Salary", "Base Salary", "Salary", "Annual Base Pay", "Annual Pay",
          "Jahresgehalt")
BASE_PAY = ("Total Base Pay - Amount", "Total Base Pay", "Base Pay - Amount")
BASE_PAY_CCY = ("Total Base Pay - Currency", "Base Pay - Currency")
BASE_PAY_FREQ = ("Total Base Pay - Frequency", "Base Pay - Frequency", "Total Base Pay Frequency")
HOURLY = ("Hourly Rate", "Hourly Pay", "Rate per Hour", "Hourly Rate - Amount", "Hourly Wage")
CURRENCY = ("Currency", "Pay Currency", "Salary Currency", "Currency Code", "Währung")
IS_PMO = ("Is PMO", "PMO", "PMO Member", "In PMO")
ACTIVE = ("Active Status", "Active", "Status", "Employment Status Active")
TERMINATION = ("Termination Date", "Leaving Date", "End Date", "Exit Date")
HIRE = ("Hire Date", "Start Date", "Original Hire Date", "(Most Recent) Hire Date", "Most Recent Hire Date",
        "Service Date", "Eintrittsdatum")
AS_OF = ("As of Date", "As Of", "Effective Date", "Report Date", "Snapshot Date", "Report Effective Date")

_PAY = ANNUALIZED + ANNUAL + BASE_PAY + HOURLY
_KNOWN = {norm(n) for g in (EMPLOYEE_ID, NAME, FIRST, LAST, TITLE, FAMILY, LEVEL, SUP_ORG, DEPARTMENT,
                            COST_CENTER, COUNTRY, CITY, FTE, WEEKLY_HOURS, TIME_TYPE, ANNUALIZED, ANNUALIZED_CCY,
                            ANNUAL, BASE_PAY, BASE_PAY_CCY, BASE_PAY_FREQ, HOURLY, CURRENCY, IS_PMO, ACTIVE,
                            TERMINATION, HIRE, AS_OF, DEFAULT_HOURS, EMAIL) for n in g}
_KNOWN |= {norm(n) for n in ("Worker Type", "Employee Type", "Employment Type", "Pay Frequency",
                             "Manager Employee Number", "Manager", "Job Family Group", "Last Base Pay Increase Date",
                             "Total Base Pay Annualized in Reporting Currency", "Compensation Grade Profile")}

PMO_WORDS = r"(?i)\b(?:e?pmo|projects?|projekt\w*|programs?|programmes?|portfolios?)\b"

# City -> country, for files that give only a location. Small on purpose; extend as needed.
CITY_COUNTRY = {
    "london": "United Kingdom", "manchester": "United Kingdom", "edinburgh": "United Kingdom",
    "birmingham": "United Kingdom", "glasgow": "United Kingdom", "leeds": "United Kingdom",
    "bristol": "United Kingdom", "belfast": "United Kingdom",
    "frankfurt": "Germany", "berlin": "Germany", "munich": "Germany", "münchen": "Germany",
    "hamburg": "Germany", "cologne": "Germany", "köln": "Germany", "düsseldorf": "Germany", "stuttgart": "Germany",
    "paris": "France", "lyon": "France", "lisbon": "Portugal", "lisboa": "Portugal", "porto": "Portugal",
    "madrid": "Spain", "barcelona": "Spain", "amsterdam": "Netherlands", "rotterdam": "Netherlands",
    "dublin": "Ireland", "zurich": "Switzerland", "zürich": "Switzerland", "geneva": "Switzerland",
    "vienna": "Austria", "wien": "Austria", "brussels": "Belgium", "milan": "Italy", "rome": "Italy",
    "stockholm": "Sweden", "copenhagen": "Denmark", "oslo": "Norway", "helsinki": "Finland",
    "warsaw": "Poland", "krakow": "Poland", "kraków": "Poland", "prague": "Czech Republic",
    "new york": "United States", "san francisco": "United States", "chicago": "United States",
    "boston": "United States", "seattle": "United States", "austin": "United States",
    "los angeles": "United States", "atlanta": "United States", "dallas": "United States",
    "denver": "United States", "washington": "United States", "houston": "United States",
    "toronto": "Canada", "montreal": "Canada", "vancouver": "Canada", "sydney": "Australia",
    "melbourne": "Australia", "singapore": "Singapore", "tokyo": "Japan", "hong kong": "Hong Kong",
    "bangalore": "India", "bengaluru": "India", "mumbai": "India", "pune": "India", "hyderabad": "India",
    "mexico city": "Mexico", "são paulo": "Brazil", "sao paulo": "Brazil",
}
COUNTRY_CODES = {
    "US": "United States", "USA": "United States", "GB": "United Kingdom", "UK": "United Kingdom",
    "GBR": "United Kingdom", "DE": "Germany", "DEU": "Germany", "FR": "France", "FRA": "France",
    "PT": "Portugal", "PRT": "Portugal", "ES": "Spain", "ESP": "Spain", "NL": "Netherlands",
    "NLD": "Netherlands", "IE": "Ireland", "IRL": "Ireland", "CH": "Switzerland", "CHE": "Switzerland",
    "AT": "Austria", "AUT": "Austria", "BE": "Belgium", "IT": "Italy", "ITA": "Italy", "SE": "Sweden",
    "DK": "Denmark", "NO": "Norway", "FI": "Finland", "PL": "Poland", "POL": "Poland", "CZ": "Czech Republic",
    "CA": "Canada", "CAN": "Canada", "AU": "Australia", "AUS": "Australia", "SG": "Singapore", "JP": "Japan",
    "IN": "India", "IND": "India", "MX": "Mexico", "BR": "Brazil",
    # common long / local spellings, so people match benchmarks ('United States')
    "UNITED STATES OF AMERICA": "United States", "U.S.": "United States", "U.S.A.": "United States",
    "UNITED STATES": "United States", "GREAT BRITAIN": "United Kingdom", "ENGLAND": "United Kingdom",
    "SCOTLAND": "United Kingdom", "WALES": "United Kingdom", "NORTHERN IRELAND": "United Kingdom",
    "UNITED KINGDOM": "United Kingdom", "DEUTSCHLAND": "Germany", "THE NETHERLANDS": "Netherlands",
    "HOLLAND": "Netherlands", "ÖSTERREICH": "Austria", "SCHWEIZ": "Switzerland", "ESPAÑA": "Spain",
}
_FREQ = {"annual": 1.0, "annually": 1.0, "yearly": 1.0, "year": 1.0, "monthly": 12.0, "month": 12.0,
         "semi-monthly": 24.0, "semimonthly": 24.0, "bi-weekly": 26.0, "biweekly": 26.0, "weekly": 52.0,
         "week": 52.0, "quarterly": 4.0}


def _score(cells: list[str]) -> float:
    present = set(cells)
    if not (has_any(present, EMPLOYEE_ID) and has_any(present, _PAY)):
        return 0.0
    return coverage(cells, sum(c in _KNOWN for c in cells))


FINGERPRINT = HeaderRules(
    strong=("Employee ID", "Worker", "Job Profile", "Management Level", "Total Base Pay Annualized - Amount",
            "Annual Salary", "FTE"),
    scorer=_score,
)


def parse(tables, ctx: IngestContext) -> ImportResult:
    sheets = tables_of(tables)
    result = ImportResult(tables={}, source=stable_stem(ctx.file_name or sheets[0].file_name, TOOL))
    frames = [_parse_sheet(t, ctx, result) for t in sheets]
    result.tables["salaries"] = pl.concat(frames, how="diagonal_relaxed")
    contracts = _contracts(result.tables["salaries"], ctx)
    if contracts.height:
        result.tables["capacity"] = contracts
    dates = result.tables["salaries"]["as_of"].drop_nulls()
    result.as_of = dates.max() if len(dates) else None
    return result


def _col(t: RawTable, names) -> pl.Expr:
    c = t.col(*names)
    return pl.col(c).cast(pl.String) if c is not None else pl.lit(None, dtype=pl.String)


def _series(t: RawTable, df: pl.DataFrame, names) -> pl.Series | None:
    c = t.col(*names)
    return None if c is None else df[c]


def _parse_sheet(t: RawTable, ctx: IngestContext, result: ImportResult) -> pl.DataFrame:
    hours_per_year = float((ctx.settings or {}).get("salaries", {}).get("hours_per_year", 2080) or 2080)
    result.rows_read += t.data.height
    df = drop_blank_rows(t.data)
    n = df.height
    notes = result.notes

    # Dates: one format for all date columns of the file (the export writes them alike).
    dates = _dates(t, df, result)
    from pmo.ingest import date_in_name  # the same as-of the ingest will use (imported late: no cycle)

    effective = (ctx.as_of or (dates["as_of"].drop_nulls().max() if "as_of" in dates else None)
                 or date_in_name(ctx.file_name or t.file_name) or date.today())

    # Leavers
    leaving = pl.Series([False] * n, dtype=pl.Boolean)
    active = _series(t, df, ACTIVE)
    if active is not None:
        flag = to_bool(active).values
        words = active.str.to_lowercase().str.contains(r"^(?:inactive|terminated|left|leaver|former)").fill_null(False)
        leaving = leaving | (~flag).fill_null(False) | words
    if "termination" in dates:
        leaving = leaving | (dates["termination"] < effective).fill_null(False)
    if leaving.any():
        rows = df.filter(leaving)["_row"].to_list()
        notes.append(f"skipped {len(rows)} leaver{'s' if len(rows) > 1 else ''} (inactive, or a termination "
                     f"date before {effective.isoformat()}; row{'s' if len(rows) > 1 else ''} "
                     f"{', '.join(map(str, rows[:5]))})")
        df = df.filter(~leaving)
        dates = {k: v.filter(~leaving) for k, v in dates.items()}
        n = df.height

    # FTE
    fte_s = _series(t, df, FTE)
    fte = to_percent(fte_s).values if fte_s is not None else pl.Series([None] * n, dtype=pl.Float64)
    fte_bad = pl.Series([False] * n, dtype=pl.Boolean)
    if fte_s is not None:
        fte_bad = to_percent(fte_s).bad
        check_column(t.file_name, t.col(*FTE), fte_s, fte_bad, "a percentage")
        cleared(result, "salaries", df["_row"], fte_s, fte_bad, t.col(*FTE), "FTE not understood")
    hours_s = _series(t, df, WEEKLY_HOURS)
    if hours_s is not None:
        weekly = to_number(hours_s).values
        fte = fte.fill_null(weekly / (hours_per_year / 52.0))
    time_type = _series(t, df, TIME_TYPE)
    part_time = (time_type.str.to_lowercase().str.contains(r"part|pt\b|teilzeit").fill_null(False)
                 if time_type is not None else pl.Series([False] * n, dtype=pl.Boolean))
    # Full-time when nothing says otherwise; an FTE cell that was there but unreadable is not
    # taken as full-time (its salary is then left empty rather than computed on a guess).
    fte = pl.select(pl.when(pl.lit(fte).is_null() & ~pl.lit(part_time) & ~pl.lit(fte_bad)).then(1.0)
                    .otherwise(pl.lit(fte)).alias("fte")).to_series()

    # Pay
    annual, currency = _pay(t, df, fte, hours_per_year, result)
    zero_fte = (fte <= 0).fill_null(False)
    no_fte = fte.is_null() & annual["needs_fte"]
    if no_fte.any():
        notes.append(f"{int(no_fte.sum())} {'person' if int(no_fte.sum()) == 1 else 'people'} without a readable "
                     f"FTE or weekly hours (part-time, or the FTE cell unreadable): base salary left empty "
                     f"(cannot convert to full-time)")
    if zero_fte.any():
        notes.append(f"{int(zero_fte.sum())} FTE of 0: base salary left empty")
    base = pl.select(
        pl.when(pl.lit(annual["needs_fte"])).then(pl.lit(annual["amount"]) / pl.lit(fte))
        .otherwise(pl.lit(annual["amount"])).alias("b")).to_series()
    base = pl.select(pl.when(pl.lit(zero_fte)).then(None).otherwise(pl.lit(base)).alias("b")).to_series()

    # Who, what, where
    first, last = _col(t, FIRST), _col(t, LAST)
    full = pl.concat_str([first, last], separator=" ", ignore_nulls=True)
    level_c = t.col(*LEVEL)
    out = df.select(
        "_row",
        employee_id=_col(t, EMPLOYEE_ID).str.strip_chars(),
        employee_name=pl.coalesce(_col(t, NAME), pl.when(full != "").then(full)),
        job_title=_col(t, TITLE),
        job_family=_col(t, FAMILY),
        level=(pl.col(level_c).str.replace(r"^\d+\s*[-.:]?\s+", "") if level_c else pl.lit(None, dtype=pl.String)),
        department=pl.coalesce(_col(t, SUP_ORG).str.replace(r"\s*\([^()]*\)\s*$", ""), _col(t, DEPARTMENT),
                               name_of(_col(t, COST_CENTER))),
        city=_col(t, CITY),
        country_raw=_col(t, COUNTRY).str.strip_chars(),
        is_pmo_flag=_col(t, IS_PMO),
    ).with_columns(
        base_salary_original=base, fte=fte, currency=currency,
        as_of=dates.get("as_of", pl.Series([None] * n, dtype=pl.Date)),
    )
    out = out.with_columns(country=pl.coalesce(
        pl.col("country_raw").str.to_uppercase().replace_strict(COUNTRY_CODES, default=None, return_dtype=pl.String),
        pl.col("country_raw"),
        _country_from_city(pl.col("city")),
    ))
    inferred = out.filter(pl.col("country_raw").is_null() & pl.col("country").is_not_null()).height
    if inferred:
        notes.append(f"country inferred from the location for {inferred} {'person' if inferred == 1 else 'people'}")
    mentions = pl.lit(False)
    for c in ("job_family", "job_title", "department"):
        mentions = mentions | pl.col(c).str.contains(PMO_WORDS).fill_null(False)
    explicit = to_bool(out["is_pmo_flag"]).values
    out = out.with_columns(is_pmo=pl.coalesce(pl.lit(explicit), mentions))
    out = out.with_columns(
        _weekly=to_number(hours_s).values if hours_s is not None else pl.lit(None, dtype=pl.Float64),
        _default_weekly=(to_number(_series(t, df, DEFAULT_HOURS)).values if t.col(*DEFAULT_HOURS)
                         else pl.lit(None, dtype=pl.Float64)),
        _fte_given=fte_s is not None,
        _email=(_series(t, df, EMAIL).str.strip_chars() if t.col(*EMAIL) else pl.lit(None, dtype=pl.String)),
        _hire=dates.get("hire", pl.Series([None] * n, dtype=pl.Date)),
        _end=dates.get("termination", pl.Series([None] * n, dtype=pl.Date)),
    )
    return out.select("_row", "_weekly", "_default_weekly", "_fte_given", "_email", "_hire", "_end",
                      "employee_id", "employee_name", "job_title", "job_family", "level", "department",
                      "country", "city", "currency", "base_salary_original", "fte", "is_pmo", "as_of")


def _dates(t: RawTable, df: pl.DataFrame, result: ImportResult) -> dict[str, pl.Series]:
    """Parse every date column of the file together, so one settles the day/month order for all."""
    wanted = {"as_of": t.col(*AS_OF), "termination": t.col(*TERMINATION), "hire": t.col(*HIRE)}
    wanted = {k: c for k, c in wanted.items() if c is not None}
    if not wanted:
        return {}
    n = df.height
    stacked = pl.concat([df[c].alias("d") for c in wanted.values()])
    try:
        parsed = to_date(stacked, name=" / ".join(wanted.values()))
    except AmbiguousDates:
        if "as_of" in wanted:
            raise
        result.notes.append("hire / termination dates could not be read (day or month first?): "
                            "leavers were not filtered")
        return {}
    if parser_note(parsed.note):
        result.notes.append(parser_note(parsed.note))
    out = {}
    for i, (k, c) in enumerate(wanted.items()):
        values = parsed.values.slice(i * n, n)
        bad = parsed.bad.slice(i * n, n)
        check_column(t.file_name, c, df[c], bad, "a date")
        if k == "as_of":
            cleared(result, "salaries", df["_row"], df[c], bad, c, "date not understood")
        out[k] = values
    return out


def _pay(t: RawTable, df: pl.DataFrame, fte: pl.Series, hours_per_year: float,
         result: ImportResult) -> tuple[dict[str, pl.Series], pl.Series]:
    """Annual amount per row, whether it still needs dividing by FTE, and the currency."""
    n = df.height
    nothing = pl.Series([None] * n, dtype=pl.Float64)
    parts: list[tuple[pl.Series, pl.Series, bool | pl.Series]] = []   # (annual, currency, needs FTE division)

    def money(names, currency_names=()) -> tuple[pl.Series, pl.Series] | None:
        c = t.col(*names)
        if c is None:
            return None
        parsed, symbol = to_money(df[c])
        if parser_note(parsed.note):
            result.notes.append(f"{c}: {parser_note(parsed.note)}")
        check_column(t.file_name, c, df[c], parsed.bad, "an amount")
        cleared(result, "salaries", df["_row"], df[c], parsed.bad, c, "amount not understood")
        result.amount_columns.setdefault("salaries", []).append(c)
        cc = t.col(*currency_names) if currency_names else None
        cur = df[cc].str.strip_chars().str.to_uppercase() if cc else pl.Series([None] * n, dtype=pl.String)
        return parsed.values, cur.fill_null(symbol)

    general_ccy = t.col(*CURRENCY)
    general = (df[general_ccy].str.strip_chars().str.to_uppercase() if general_ccy
               else pl.Series([None] * n, dtype=pl.String))
    got = money(ANNUALIZED, ANNUALIZED_CCY)
    if got:
        parts.append((got[0], got[1], True))
    got = money(ANNUAL)
    if got:
        parts.append((got[0], got[1], True))
    got = money(BASE_PAY, BASE_PAY_CCY)
    if got:
        fc = t.col(*BASE_PAY_FREQ)
        freq = df[fc].str.to_lowercase().str.strip_chars() if fc else pl.Series([None] * n, dtype=pl.String)
        hourly = freq.str.contains("hour").fill_null(False)
        factor = freq.replace_strict(_FREQ, default=None, return_dtype=pl.Float64).fill_null(1.0)
        amount = pl.select(pl.when(pl.lit(hourly)).then(pl.lit(got[0]) * hours_per_year)
                           .otherwise(pl.lit(got[0]) * pl.lit(factor)).alias("a")).to_series()
        parts.append((amount, got[1], ~hourly))
    got = money(HOURLY)
    if got:
        parts.append((got[0] * hours_per_year, got[1], False))
        if got[0].is_not_null().any():
            result.notes.append(f"hourly rates annualised at {hours_per_year:g} hours a year (full-time)")
    amount = nothing
    needs = pl.Series([False] * n, dtype=pl.Boolean)
    currency = pl.Series([None] * n, dtype=pl.String)
    for values, cur, needs_fte in reversed(parts):   # the first source present wins
        needs_fte_s = needs_fte if isinstance(needs_fte, pl.Series) else pl.Series([needs_fte] * n)
        has = values.is_not_null()
        amount = pl.select(pl.when(pl.lit(has)).then(pl.lit(values)).otherwise(pl.lit(amount)).alias("a")).to_series()
        needs = pl.select(pl.when(pl.lit(has)).then(pl.lit(needs_fte_s)).otherwise(pl.lit(needs))
                          .alias("a")).to_series()
        currency = pl.select(pl.when(pl.lit(has)).then(pl.lit(cur)).otherwise(pl.lit(currency))
                             .alias("a")).to_series()
    currency = currency.fill_null(general) if general_ccy else currency
    return {"amount": amount, "needs_fte": needs & amount.is_not_null()}, currency


def _country_from_city(city: pl.Expr) -> pl.Expr:
    low = city.str.to_lowercase()
    out = pl.lit(None, dtype=pl.String)
    for name, country in CITY_COUNTRY.items():
        out = pl.when(low.str.contains(r"\b" + re.escape(name) + r"\b")).then(pl.lit(country)).otherwise(out)
    return out


def _contracts(staff: pl.DataFrame, ctx: IngestContext) -> pl.DataFrame:
    """`capacity` contract rows: scheduled weekly hours and FTE as Workday reports them."""
    default_cfg = float((ctx.settings or {}).get("resources", {}).get("default_weekly_hours", 40) or 40)
    fte = pl.when(pl.col("_fte_given") | pl.col("_weekly").is_null()).then(pl.col("fte"))
    weekly = pl.coalesce("_weekly", fte * pl.coalesce("_default_weekly", pl.lit(default_cfg)))
    default = pl.coalesce("_default_weekly", pl.when(pl.col("fte") > 0).then(pl.col("_weekly") / pl.col("fte")),
                          pl.lit(default_cfg))
    return staff.select(
        "_row",
        kind=pl.lit("contract"), employee_id="employee_id", person_name="employee_name", email="_email",
        role="job_title", department="department", location="city", country="country",
        start_date="_hire", end_date="_end", weekly_hours=weekly, default_weekly_hours=default,
    ).with_columns(fte=pl.col("weekly_hours") / pl.col("default_weekly_hours"),
                   as_of=staff["as_of"]).filter(pl.col("weekly_hours").is_not_null())
