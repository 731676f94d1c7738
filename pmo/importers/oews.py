"""BLS Occupational Employment and Wage Statistics (OEWS) files -> salary_benchmarks.

National, state, metro and all-data files (`national_M2024_dl.xlsx`, `state_M2024_dl.xlsx`,
`MSA_M2024_dl.xlsx`, `all_data_M_2024.xlsx`, or the same as CSV), upper- or lower-case headers,
old `OCC_GROUP` as well as `O_GROUP`, `LOC Q` as well as `LOC_QUOTIENT`.

Decisions (also in docs):
- Only detailed occupations (`O_GROUP` / `OCC_GROUP` = 'detailed'; every row when the file has no
  such column). Cross-industry rows only when the file has them (`I_GROUP` = 'cross-industry' or
  NAICS `000000`), and of several ownership codes the widest (`1235` over `123`, `5` ...). Files
  with industry-specific rows only keep them with the industry (NAICS title) in `company`.
- Markers: `*` and `**` = not available -> NULL; `#` = top-coded (at or above $239,200 a year /
  $115 an hour since May 2023) -> NULL value and top_coded = True, never a number; `~` ignored.
- basis = 'annual' from A_PCT10 .. A_PCT90 and A_MEAN; 'hourly' from H_* when the row is
  hourly-only (`HOURLY` = TRUE, or no annual value at all). Rows with no wage at all are skipped.
- source = "BLS OEWS May YYYY"; the year comes from the file name (`M2024`, `_M_2024`,
  `oes_data_2024`, `oesm24`), else the sheet name ("All May 2024 data"), else the as-of date's
  year. reference_date = YYYY-05-01 (OEWS estimates describe the May pay period).
- job_title = OCC_TITLE, soc_code = OCC_CODE (text), country = 'United States', area =
  AREA_TITLE with the national row ('U.S.') as NULL; currency USD.
- sample_size = TOT_EMP: the estimated employment in the occupation, not a survey sample count.
- The store segment is per year and scope (national / state / metropolitan / all areas), so a
  state file does not replace the national file of the same year.
"""

from __future__ import annotations

import re
from datetime import date

import polars as pl

from pmo.importers._common import tables_of
from pmo.importers.base import (
    Fingerprint,
    ImportError_,
    ImportResult,
    IngestContext,
    RawTable,
    check_column,
    cleared,
)

TOOL = "oews"
LABEL = "BLS OEWS wage estimates"
VERSION = "1"
TABLES = ("salary_benchmarks",)

FINGERPRINT = Fingerprint(
    strong=("OCC_CODE", "OCC_TITLE", "A_MEDIAN", "TOT_EMP", "AREA_TITLE", "H_MEDIAN", "A_PCT90"),
    weak=("O_GROUP", "OCC_GROUP", "A_MEAN", "H_MEAN", "AREA_TYPE", "NAICS", "LOC_QUOTIENT", "LOC Q"),
    need=3,
)

ANNUAL = {"p10": "A_PCT10", "p25": "A_PCT25", "p50": "A_MEDIAN", "p75": "A_PCT75", "p90": "A_PCT90",
          "mean": "A_MEAN"}
HOURLY = {"p10": "H_PCT10", "p25": "H_PCT25", "p50": "H_MEDIAN", "p75": "H_PCT75", "p90": "H_PCT90",
          "mean": "H_MEAN"}
NATIONAL = {"u.s.", "us", "u.s", "united states", "national", "u. s."}


def accept_sheet(sheet_name: str) -> bool:
    """Data sheets only: not the workbook's 'Field Descriptions', 'Filler' or notes sheets."""
    return not re.search(r"field desc|filler|notes|readme|definitions|updatetime", sheet_name, re.IGNORECASE)


def parse(tables, ctx: IngestContext) -> ImportResult:
    sheets = tables_of(tables)
    year, how = _year(ctx, sheets)
    result = ImportResult(tables={}, source="")
    if how:
        result.notes.append(how)
    frames = []
    for t in sheets:
        result.rows_read += t.data.height
        frames.append(_parse_sheet(t, result, year))
    out = pl.concat(frames, how="diagonal_relaxed")
    label = f"BLS OEWS May {year}"
    result.source = f"{label} {_scope(out)}"
    result.tables["salary_benchmarks"] = out.with_columns(source=pl.lit(label)).drop("_area_type")
    return result


def _year(ctx: IngestContext, sheets: list[RawTable]) -> tuple[int, str]:
    name = ctx.file_name or sheets[0].file_name
    patterns = (r"(?i)(?:^|[^a-z])m_?((?:19|20)\d{2})(?!\d)", r"(?i)oes_?data_?((?:19|20)\d{2})",
                r"(?i)oesm(\d{2})(?!\d)", r"(?i)may[\s_]*((?:19|20)\d{2})")
    for text in [name] + [t.sheet for t in sheets]:
        for pat in patterns:
            m = re.search(pat, text)
            if m:
                y = int(m.group(1))
                return (2000 + y if y < 100 else y), ""
    if ctx.as_of is not None:
        return ctx.as_of.year, (f"no survey year in the file or sheet name: read as May {ctx.as_of.year} "
                                f"(the as-of year)")
    y = date.today().year
    return y, f"no survey year in the file or sheet name: read as May {y} (this year); pass --as-of to set it"


def _scope(out: pl.DataFrame) -> str:
    types = set(out["_area_type"].drop_nulls().unique().to_list())
    areas = out["area"]
    if types <= {"1"} and areas.null_count() == out.height:
        scope = "national"
    elif types and types <= {"2", "3"}:
        scope = "state"
    elif types and types <= {"4", "5", "6"}:
        scope = "metropolitan"
    elif not types and areas.null_count() == out.height:
        scope = "national"
    else:
        scope = "all areas"
    if out["company"].null_count() < out.height:
        scope += " by industry"
    return scope


def _values(t: RawTable, df: pl.DataFrame, name: str, result: ImportResult) -> tuple[pl.Series, pl.Series]:
    """(number, top-coded flag) of one wage column; markers become NULL."""
    c = t.col(name)
    n = df.height
    if c is None:
        return pl.Series([None] * n, dtype=pl.Float64), pl.Series([False] * n, dtype=pl.Boolean)
    s = df[c].str.strip_chars()
    top = (s == "#").fill_null(False)
    clean = s.str.replace_all(r"[,$\s]", "")
    num = clean.cast(pl.Float64, strict=False)
    # `*` (no estimate) and `**` are BLS markers, not unreadable values.
    bad = s.is_not_null() & (s != "") & num.is_null() & ~top & ~s.is_in(["*", "**", "~"]).fill_null(False)
    check_column(t.file_name, c, df[c], bad, "an amount")
    cleared(result, "salary_benchmarks", df["_row"], df[c], bad, c, "not a wage")
    return num, top


def _parse_sheet(t: RawTable, result: ImportResult, year: int) -> pl.DataFrame:
    df = t.data
    code_c, title_c = t.col("OCC_CODE"), t.col("OCC_TITLE")
    if title_c is None:
        raise ImportError_(f"{t.file_name}: no OCC_TITLE column.")
    group_c = t.col("O_GROUP", "OCC_GROUP")
    if group_c is not None:
        keep = df[group_c].str.strip_chars().str.to_lowercase() == "detailed"
        skipped = int((~keep.fill_null(False)).sum())
        if skipped:
            result.notes.append(f"kept detailed occupations only ({skipped} summary rows skipped: "
                                f"total, major, minor, broad groups)")
        df = df.filter(keep.fill_null(False))
    company = pl.lit(None, dtype=pl.String)
    i_group, naics = t.col("I_GROUP"), t.col("NAICS")
    cross = None
    if i_group is not None:
        cross = df[i_group].str.to_lowercase().str.strip_chars() == "cross-industry"
    elif naics is not None:
        cross = df[naics].str.strip_chars().str.replace(r"\.0$", "") == "000000"
    if cross is not None and cross.fill_null(False).any():
        dropped = int((~cross.fill_null(False)).sum())
        if dropped:
            result.notes.append(f"kept cross-industry estimates only ({dropped} industry rows skipped)")
        df = df.filter(cross.fill_null(False))
    elif cross is not None and t.col("NAICS_TITLE"):
        company = pl.col(t.col("NAICS_TITLE"))
        result.notes.append("industry-specific estimates: the industry (NAICS title) is in `company`")
    own = t.col("OWN_CODE")
    if own is not None and df.height:
        codes = df[own].str.strip_chars().drop_nulls().unique().to_list()
        if len(codes) > 1:
            widest = max(codes, key=lambda c: (len(c), c))
            df = df.filter(pl.col(own).str.strip_chars() == widest)
            result.notes.append(f"kept ownership code {widest} (all ownerships) of {', '.join(sorted(codes))}")

    wages = {}
    for basis, cols in (("a", ANNUAL), ("h", HOURLY)):
        for key, name in cols.items():
            wages[f"{basis}_{key}"], wages[f"{basis}_{key}_top"] = _values(t, df, name, result)
    w = pl.DataFrame(wages)
    a_any = pl.any_horizontal([pl.col(f"a_{k}").is_not_null() | pl.col(f"a_{k}_top") for k in ANNUAL])
    h_any = pl.any_horizontal([pl.col(f"h_{k}").is_not_null() | pl.col(f"h_{k}_top") for k in HOURLY])
    hourly_c = t.col("HOURLY")
    hourly_flag = (df[hourly_c].str.strip_chars().str.to_lowercase().is_in(["true", "1", "yes", "t"]).fill_null(False)
                   if hourly_c else pl.Series([False] * df.height, dtype=pl.Boolean))
    w = w.with_columns(hourly_flag=hourly_flag).with_columns(
        basis=pl.when((pl.col("hourly_flag") | ~a_any) & h_any).then(pl.lit("hourly"))
        .when(a_any).then(pl.lit("annual")))
    picks = {k: pl.when(pl.col("basis") == "hourly").then(pl.col(f"h_{k}")).otherwise(pl.col(f"a_{k}"))
             for k in ANNUAL}
    top = pl.any_horizontal([pl.when(pl.col("basis") == "hourly").then(pl.col(f"h_{k}_top"))
                             .otherwise(pl.col(f"a_{k}_top")) for k in ANNUAL])
    w = w.select("basis", top.alias("top_coded"), **picks)

    area_c = t.col("AREA_TITLE")
    area = df[area_c].str.strip_chars() if area_c else pl.Series([None] * df.height, dtype=pl.String)
    area_type_c = t.col("AREA_TYPE")
    emp_c = t.col("TOT_EMP")
    emp = (df[emp_c].str.replace_all(r"[,\s]", "").cast(pl.Float64, strict=False).round(0).cast(pl.Int64)
           if emp_c else pl.Series([None] * df.height, dtype=pl.Int64))
    out = pl.concat([
        df.select(
            "_row",
            job_title=pl.col(title_c).str.strip_chars(),
            soc_code=pl.col(code_c).str.strip_chars() if code_c else pl.lit(None, dtype=pl.String),
            company=company,
            _area_type=(pl.col(area_type_c).str.strip_chars().str.replace(r"\.0$", "") if area_type_c
                        else pl.lit(None, dtype=pl.String)),
        ),
        w,
    ], how="horizontal").with_columns(
        area=pl.when(area.str.to_lowercase().is_in(list(NATIONAL))).then(None).otherwise(pl.lit(area)),
        sample_size=emp,
        country=pl.lit("United States"), currency=pl.lit("USD"),
        reference_date=pl.lit(date(year, 5, 1)),
    )
    note = "wages in US dollars: BLS publishes OEWS estimates in USD"
    if note not in result.notes:
        result.notes.append(note)
    no_wage = out["basis"].is_null()
    if no_wage.any():
        result.notes.append(f"skipped {int(no_wage.sum())} occupation{'s' if int(no_wage.sum()) > 1 else ''} "
                            f"with no published wage (*)")
        out = out.filter(~no_wage)
    n_top = int(out["top_coded"].sum())
    if n_top:
        result.notes.append(f"{n_top} row{'s' if n_top > 1 else ''} with top-coded wages (#: $239,200 a year / "
                            f"$115 an hour or more): those percentiles are empty and top_coded is true")
    return out
