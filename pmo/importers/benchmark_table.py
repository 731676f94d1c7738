"""A simple salary benchmark table: one row per job title (and location / level), percentiles.

`Source,Reference Date,Job Title,Company,Country,Area,Currency,Basis,P10,P25,P50,P75,P90,Mean,
Sample Size`, with aliases: Role / Title / Position -> Job Title; City / Location / Metro / Region ->
Area; Median / 50th Percentile -> P50 (likewise 10th / 25th / 75th / 90th Percentile); Average ->
Mean; N / Count / Sample / Responses -> Sample Size; Seniority / Grade -> Level; SOC -> SOC Code.

Decisions (also in docs):
- basis: the Basis column (annual / yearly / salary -> 'annual'; hourly / per hour -> 'hourly';
  monthly amounts x 12 -> 'annual'); without the column, a row whose largest value is under 500 is
  hourly, else annual (noted).
- currency: the Currency column, else a symbol or code in the amounts, else a code in the value
  columns' headers (`Median (GBP)`); a row whose currency is stated nowhere is refused unless
  `--currency` says it (never read as the reporting currency).
- source: the Source column per row, else the file's name; reference_date: the Reference Date
  column (a date, `May 2024`, `2024-05` or a year -> its 1 January), else the as-of date.
- `#` (or a `>=` value) in a percentile marks it top-coded: NULL value, top_coded = True.
- The store segment is the file name without date-like parts.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl

from pmo.importers._common import (
    HeaderRules,
    coverage,
    drop_blank_rows,
    parse_periods,
    parser_note,
    stable_stem,
    tables_of,
)
from pmo.importers.base import (
    ImportError_,
    ImportResult,
    IngestContext,
    RawTable,
    Reject,
    check_column,
    cleared,
    norm,
)
from pmo.parse import to_bool, to_date, to_money

TOOL = "benchmarks"
LABEL = "Salary benchmark table"
VERSION = "1"
TABLES = ("salary_benchmarks",)

COLUMNS: dict[str, tuple[str, ...]] = {
    "job_title": ("Job Title", "Role", "Title", "Position", "Job", "Job Role", "Job Name", "Benchmark Job"),
    "source": ("Source", "Survey", "Publisher", "Data Source"),
    "reference_date": ("Reference Date", "Survey Date", "As of", "As of Date", "Effective Date", "Date",
                       "Reference Period", "Year"),
    "company": ("Company", "Employer", "Organization", "Peer Group"),
    "country": ("Country", "Country Name"),
    "area": ("Area", "City", "Location", "Metro", "Region", "Metro Area", "State"),
    "level": ("Level", "Seniority", "Grade", "Career Level"),
    "soc_code": ("SOC Code", "SOC", "OCC Code"),
    "currency": ("Currency", "Currency Code", "Curr"),
    "basis": ("Basis", "Pay Basis", "Rate Type", "Unit", "Period"),
    "p10": ("P10", "10th Percentile", "10th Pct", "10th", "Pct10", "Percentile 10", "10th Pctl", "10%"),
    "p25": ("P25", "25th Percentile", "25th Pct", "25th", "Pct25", "Percentile 25", "25th Pctl", "Q1",
            "Lower Quartile", "25%"),
    "p50": ("P50", "Median", "50th Percentile", "50th Pct", "50th", "Pct50", "Percentile 50", "50th Pctl",
            "50%"),
    "p75": ("P75", "75th Percentile", "75th Pct", "75th", "Pct75", "Percentile 75", "75th Pctl", "Q3",
            "Upper Quartile", "75%"),
    "p90": ("P90", "90th Percentile", "90th Pct", "90th", "Pct90", "Percentile 90", "90th Pctl", "90%"),
    "mean": ("Mean", "Average", "Avg", "Mean Salary", "Average Salary"),
    "sample_size": ("Sample Size", "N", "Count", "Sample", "Responses", "Incumbents", "Sample N"),
    "top_coded": ("Top Coded", "Top-coded"),
}
VALUES = ("p10", "p25", "p50", "p75", "p90", "mean")
_ALIAS = {norm(a): k for k, names in COLUMNS.items() for a in names}


def _score(cells: list[str]) -> float:
    found = {_ALIAS[c] for c in cells if c in _ALIAS}
    if "job_title" not in found or len(found & set(VALUES)) < 2:
        return 0.0
    return coverage(cells, sum(c in _ALIAS for c in cells))


FINGERPRINT = HeaderRules(strong=("Job Title", "P10", "P25", "P50", "P75", "P90", "Mean"), scorer=_score)


def parse(tables, ctx: IngestContext) -> ImportResult:
    sheets = tables_of(tables)
    name = ctx.file_name or sheets[0].file_name
    result = ImportResult(tables={}, source=stable_stem(name, TOOL))
    frames = []
    for t in sheets:
        result.rows_read += t.data.height
        frames.append(_parse_sheet(t, ctx, result, Path(name).stem))
    result.tables["salary_benchmarks"] = pl.concat(frames, how="diagonal_relaxed")
    return result


def _col(t: RawTable, key: str) -> str | None:
    return t.col(*COLUMNS[key])


def _text(t: RawTable, key: str) -> pl.Expr:
    c = _col(t, key)
    return pl.col(c).str.strip_chars() if c else pl.lit(None, dtype=pl.String)


def _parse_sheet(t: RawTable, ctx: IngestContext, result: ImportResult, file_stem: str) -> pl.DataFrame:
    df = drop_blank_rows(t.data)
    n = df.height
    if _col(t, "job_title") is None:
        raise ImportError_(f"{t.file_name}: no Job Title (or Role / Title) column.")
    out = df.select("_row", **{k: _text(t, k) for k in ("job_title", "company", "country", "area", "level",
                                                          "soc_code")})
    # Values: numbers (any locale, one decision for all value columns), a currency symbol / code,
    # `#` or `>=` = top-coded.
    present = [(k, _col(t, k)) for k in VALUES if _col(t, k) is not None]
    top = pl.Series([False] * n, dtype=pl.Boolean)
    texts = []
    for key, c in present:
        raw = df[c].str.strip_chars()
        is_top = raw.str.contains(r"^(?:#|>=?|≥)").fill_null(False)
        marker = raw.is_in(["*", "**", "-", "n/a", "N/A", "~"]).fill_null(False)
        texts.append(pl.select(pl.when(pl.lit(is_top | marker)).then(None).otherwise(pl.lit(raw)).alias("v"))
                     .to_series())
        top = top | is_top
    parsed, symbol = to_money(pl.concat(texts) if texts else pl.Series("v", [], dtype=pl.String))
    if parser_note(parsed.note):
        result.notes.append(f"values: {parser_note(parsed.note)}")
    currency_found = pl.Series([None] * n, dtype=pl.String)
    for i, (key, c) in enumerate(present):
        values, bad = parsed.values.slice(i * n, n), parsed.bad.slice(i * n, n)
        check_column(t.file_name, c, df[c], bad, "an amount")
        cleared(result, "salary_benchmarks", df["_row"], df[c], bad, c, "not a number")
        out = out.with_columns(values.alias(key))
        currency_found = currency_found.fill_null(symbol.slice(i * n, n))
    out = out.with_columns([pl.lit(None, dtype=pl.Float64).alias(k) for k in VALUES if k not in dict(present)])
    explicit_top = _col(t, "top_coded")
    if explicit_top:
        top = top | to_bool(df[explicit_top]).values.fill_null(False)
    out = out.with_columns(top_coded=top)

    no_value = out.select(pl.all_horizontal([pl.col(k).is_null() for k in VALUES]) & ~pl.col("top_coded"))
    no_value = no_value.to_series()
    for r in out.filter(no_value)["_row"].to_list():
        result.rejects.append(Reject(r, None, None, "no percentile, median or mean value", "salary_benchmarks"))
    out, df = out.filter(~no_value), df.filter(~no_value)
    n = df.height
    currency_found = currency_found.filter(~no_value)

    # Basis
    basis_c = _col(t, "basis")
    largest = out.select(pl.max_horizontal(list(VALUES)).alias("m"))["m"]
    guessed = pl.select(pl.when(pl.lit(largest) < 500).then(pl.lit("hourly")).otherwise(pl.lit("annual"))
                        .alias("b")).to_series()
    if basis_c:
        b = df[basis_c].str.strip_chars().str.to_lowercase()
        basis = pl.select(
            pl.when(pl.lit(b).str.contains(r"^(?:annual|annually|yearly|year|per year|salary|a|yr|p\.?a\.?)$"))
            .then(pl.lit("annual"))
            .when(pl.lit(b).str.contains(r"^(?:hourly|hour|per hour|h|hr)$")).then(pl.lit("hourly"))
            .when(pl.lit(b).str.contains(r"^(?:monthly|month|per month|m|mo)$")).then(pl.lit("monthly"))
            .alias("b")).to_series()
        bad = b.is_not_null() & basis.is_null()
        for r, v in df.filter(bad).select("_row", basis_c).iter_rows():
            result.rejects.append(Reject(r, basis_c, v, "basis must be annual, hourly or monthly",
                                         "salary_benchmarks"))
        basis = basis.fill_null(pl.select(pl.when(pl.lit(b).is_null()).then(pl.lit(guessed)).alias("g")).to_series())
        keep = ~bad
        out, basis, currency_found, df = out.filter(keep), basis.filter(keep), currency_found.filter(keep), df.filter(keep)
        monthly = basis == "monthly"
        if monthly.any():
            result.notes.append(f"{int(monthly.sum())} monthly row(s) multiplied by 12 and stored as annual")
            out = out.with_columns([pl.when(pl.lit(monthly)).then(pl.col(k) * 12).otherwise(pl.col(k)).alias(k)
                                    for k in VALUES])
            basis = basis.replace("monthly", "annual")
    else:
        basis = guessed
        hourly = int((basis == "hourly").sum())
        result.notes.append("no Basis column: rows with every value under 500 read as hourly"
                            + (f" ({hourly} row{'s' if hourly != 1 else ''})" if hourly else " (none)"))
    out = out.with_columns(basis=basis)
    odd = out.filter((pl.col("basis") == "annual") & (pl.max_horizontal(list(VALUES)) < 500))
    if odd.height:
        result.notes.append(f"{odd.height} annual row(s) with every value under 500 (e.g. row {odd['_row'][0]}): "
                            f"check the Basis column and the number format")

    # Currency
    cur_c = _col(t, "currency")
    currency = (df[cur_c].str.strip_chars().str.to_uppercase() if cur_c else pl.Series([None] * df.height,
                                                                                       dtype=pl.String))
    # A row whose currency the file does not state stays NULL here: the ingest refuses it unless
    # the caller says the currency (--currency), never reading it as the reporting currency.
    out = out.with_columns(currency=currency.fill_null(currency_found))
    result.amount_columns.setdefault("salary_benchmarks", [c for _, c in present])

    # Source and reference date
    src_c = _col(t, "source")
    out = out.with_columns(source=(df[src_c].str.strip_chars() if src_c else pl.Series([None] * df.height,
                                                                                       dtype=pl.String))
                           .fill_null(file_stem))
    ref_c = _col(t, "reference_date")
    if ref_c:
        out = out.with_columns(reference_date=_reference_dates(df[ref_c], ref_c, result))
    else:
        d = ctx.as_of or date.today()
        result.notes.append(f"no Reference Date column: benchmarks dated {d.isoformat()} (the as-of date)")
        out = out.with_columns(reference_date=pl.lit(d))

    size_c = _col(t, "sample_size")
    if size_c:
        sizes = df[size_c].str.replace_all(r"[,\s']", "").cast(pl.Float64, strict=False).round(0).cast(pl.Int64)
        out = out.with_columns(sample_size=sizes)
    return out


def _reference_dates(s: pl.Series, name: str, result: ImportResult) -> pl.Series:
    """Dates, month spellings (`May 2024`, `2024-05`) or a bare year (-> 1 January)."""
    year = s.str.strip_chars().str.extract(r"^((?:19|20)\d{2})(?:\.0)?$", 1).cast(pl.Int32, strict=False)
    rest = pl.select(pl.when(pl.lit(year).is_null()).then(pl.lit(s)).alias("v")).to_series()
    dates = to_date(rest, name=name)
    values, bad = dates.values, dates.bad
    if bad.any():
        months = parse_periods(pl.select(pl.when(pl.lit(bad)).then(pl.lit(rest)).alias("v")).to_series())
        values = values.fill_null(months.values)
        bad = bad & months.values.is_null()
    from_year = pl.select(pl.when(pl.lit(year).is_not_null()).then(pl.date(pl.lit(year), 1, 1)).alias("y")).to_series()
    values = values.fill_null(from_year)
    if bad.any():
        result.notes.append(f"{int(bad.sum())} reference date(s) not understood: left empty")
    if year.is_not_null().any():
        result.notes.append("reference dates given as a year read as 1 January of that year")
    return values
