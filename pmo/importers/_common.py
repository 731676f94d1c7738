"""Helpers the importer modules share. Private: the registry skips modules whose name starts with `_`.

- Tables: `tables_of`, `drop_blank_rows`, `with_data`, `without_blank_rows`, `unique_names`
- Series: `coalesce`, `first_listed`; outline hierarchies: `outline_parents`
- Typed cells with value-level rejects (the project-tool importers): `Cells`
- Header scoring (the finance / HR importers): `HeaderRules`, `coverage`, `has_any`
- Settings and notes: `date_order`, `fiscal_year_start`, `parser_note`
- Names and codes: `stable_stem`, `code_of`, `name_of`
- Periods (ledger, SAP, benchmark tables): `parse_periods`, `is_period_header`, `fiscal_year_expr`
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import polars as pl

from pmo import parse as pp
from pmo.importers.base import (
    Fingerprint,
    ImportResult,
    IngestContext,
    RawTable,
    UNREADABLE_SHARE,
    Reject,
    bare,
    check_column,
    cleared,
    norm,
)

# ---------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------


def tables_of(tables) -> list[RawTable]:
    """`parse` receives a list of sheets; accept a single RawTable too."""
    return [tables] if isinstance(tables, RawTable) else list(tables)


def drop_blank_rows(df: pl.DataFrame) -> pl.DataFrame:
    """`df` without the rows whose every cell (other than `_row`) is empty."""
    cols = [c for c in df.columns if c != "_row"]
    if not cols:
        return df
    keep = df.select(pl.any_horizontal(pl.col(c).is_not_null() for c in cols).alias("k"))["k"]
    return df if keep.all() else df.filter(keep)


def with_data(t: RawTable, df: pl.DataFrame) -> RawTable:
    """`t` (same file, sheet, header and reader facts) holding the rows of `df`."""
    return RawTable(t.file_name, t.sheet, t.header, df, t.header_row, t.meta)


def without_blank_rows(t: RawTable, result: ImportResult) -> RawTable:
    """`t` without its blank rows; the rows left are counted in `result.rows_read`."""
    df = drop_blank_rows(t.data)
    result.rows_read += df.height
    return with_data(t, df)


def unique_names(header: list[str | None]) -> list[str]:
    """'Labels', 'Labels', 'Labels' -> 'Labels', 'Labels#2', 'Labels#3'; blanks -> 'column N'."""
    seen: dict[str, int] = {}
    names = []
    for i, h in enumerate(header):
        base = (h or f"column {i + 1}").replace("#", "＃")
        key = norm(base)
        seen[key] = seen.get(key, 0) + 1
        names.append(base if seen[key] == 1 else f"{base}#{seen[key]}")
    return names


# ---------------------------------------------------------------------------------------------
# Series
# ---------------------------------------------------------------------------------------------


def coalesce(*series: pl.Series) -> pl.Series:
    """The first non-NULL value across same-length Series, row by row (named as the first)."""
    frame = pl.DataFrame({f"c{i}": s for i, s in enumerate(series)})
    return frame.select(pl.coalesce(frame.columns).alias(series[0].name)).to_series()


def first_listed(s: pl.Series, sep: str = ",") -> pl.Series:
    """The first entry of a `sep`-joined cell, stripped (`A, B` -> `A`); an empty one -> NULL."""
    return s.str.split(sep).list.first().str.strip_chars().replace("", None)


def outline_parents(keys: list, levels: list[int]) -> tuple[list, list[bool]]:
    """For rows in outline order: each row's parent key (the nearest earlier row with a lower
    level, else None) and whether it has children (the next row is deeper)."""
    n = len(keys)
    parents: list = []
    stack: list[tuple[int, object]] = []   # (level, key)
    for key, level in zip(keys, levels, strict=True):
        while stack and stack[-1][0] >= level:
            stack.pop()
        parents.append(stack[-1][1] if stack else None)
        stack.append((level, key))
    return parents, [i + 1 < n and levels[i + 1] > levels[i] for i in range(n)]


# ---------------------------------------------------------------------------------------------
# Typed cells
# ---------------------------------------------------------------------------------------------


class Cells:
    """Typed columns of one table's rows. Unreadable cells become value-level rejects: the row is
    kept with the cell empty, and the reject quotes the file row and the text."""

    def __init__(self, t: RawTable, df: pl.DataFrame, result: ImportResult, table: str,
                 ctx: IngestContext, default_order: str | None = None):
        self.t, self.df, self.result, self.table = t, df, result, table
        # A caller's --date-order (and [general] default_date_order) reach pp.to_date through
        # pp.DATE_ORDER; `default_order` is this tool's own default when nothing else decides.
        self.order = None
        self.default_order = date_order(ctx) or default_order

    def name(self, *names: str) -> str | None:
        """The column of the first of `names` the table has, else None."""
        c = self.t.col(*names)
        return c if c is not None and c in self.df.columns else None

    def text(self, *names: str) -> pl.Series:
        """The cells as written; a NULL column when the table has none of `names`."""
        c = self.name(*names)
        if c is None:
            return pl.Series(names[0], [None] * self.df.height, dtype=pl.String)
        return self.df[c]

    def _typed(self, names, parser, what: str, dtype) -> pl.Series:
        c = self.name(*names)
        if c is None:
            return pl.Series(names[0], [None] * self.df.height, dtype=dtype)
        return self.use(parser(self.df[c]), c, what)

    def date(self, *names: str) -> pl.Series:
        return self._typed(names, lambda s: pp.to_date(s, self.order, self.default_order, s.name),
                           "a date", pl.Date)

    def number(self, *names: str) -> pl.Series:
        return self._typed(names, pp.to_number, "a number", pl.Float64)

    def percent(self, *names: str) -> pl.Series:
        return self._typed(names, pp.to_percent, "a percentage", pl.Float64)

    def health(self, *names: str) -> pl.Series:
        return self._typed(names, pp.to_health, "a health colour", pl.String)

    def bool(self, *names: str) -> pl.Series:
        return self._typed(names, pp.to_bool, "a yes/no value", pl.Boolean)

    def custom_number(self, field: str, *names: str) -> pl.Series:
        """A tool's custom field read as a number only when its values are numbers (decided over
        all of them, `pp.numeric_column`); a field of codes or text is left out with a note,
        never read as a number column with every cell cleared."""
        c = self.name(*names)
        if c is None or not self._numeric(c, field):
            return pl.Series(names[0], [None] * self.df.height, dtype=pl.Float64)
        return self.number(c)

    def custom_money(self, field: str, *names: str) -> tuple[pl.Series, pl.Series]:
        """As `custom_number`, for an amount (with the currency its cells name)."""
        c = self.name(*names)
        if c is None or not self._numeric(c, field):
            n = self.df.height
            return pl.Series(names[0], [None] * n, dtype=pl.Float64), pl.Series([None] * n, dtype=pl.String)
        return self.money(c)

    def _numeric(self, col: str, field: str) -> bool:
        ok, example = pp.numeric_column(self.df[col], UNREADABLE_SHARE.get())
        if not ok:
            note = (f"{col}: holds text such as {example!r}, not numbers: not read as {field} "
                    "(the column is not imported)")
            if note not in self.result.notes:
                self.result.notes.append(note)
        return ok

    def money(self, *names: str) -> tuple[pl.Series, pl.Series]:
        """(amount, currency code or symbol found in the cell)."""
        c = self.name(*names)
        if c is None:
            n = self.df.height
            return pl.Series(names[0], [None] * n, dtype=pl.Float64), pl.Series([None] * n, dtype=pl.String)
        parsed, currency = pp.to_money(self.df[c])
        return self.use(parsed, c, "an amount"), currency

    def use(self, p: pp.Parsed, col: str, what: str, source: pl.Series | None = None) -> pl.Series:
        """Record a parser's note (row numbers made file rows) and a reject per unreadable cell,
        quoting `source` (default: the column `col`); return the values."""
        rows = self.df["_row"]
        raw = self.df[col] if source is None else source
        if p.note:
            note = re.sub(r"\brow (\d+)", lambda m: f"row {rows[int(m.group(1)) - 1]}", p.note)
            line = f"{col}: {note}"
            if line not in self.result.notes:
                self.result.notes.append(line)
        if p.bad.any():
            check_column(self.t.file_name, col, raw, p.bad, what)
            cleared(self.result, self.table, rows, raw, p.bad, col, f"not {what}")
        return p.values


def project_currency(result: ImportResult, rows: pl.Series, budget_cur: pl.Series, actual: pl.Series,
                     actual_cur: pl.Series, actual_col: str | None) -> tuple[pl.Series, pl.Series]:
    """A register row's currency and its status actual cost (status reports hold amounts in the
    project's currency): the budget's currency, else the actual cost's; an actual cost in another
    currency than the budget cannot be stored as it is, so it is left empty (a cleared cell)."""
    currency = coalesce(budget_cur, actual_cur).alias("currency")
    mismatch = (budget_cur.is_not_null() & actual_cur.is_not_null() & (budget_cur != actual_cur)).fill_null(False)
    if mismatch.any() and actual_col is not None:
        text = pl.Series([f"{a:,.2f} {c}" if a is not None else None
                          for a, c in zip(actual.to_list(), actual_cur.to_list(), strict=True)], dtype=pl.String)
        from pmo.importers.base import cleared
        cleared(result, "status_snapshots", rows, text, mismatch, actual_col,
                "the actual cost is in another currency than the budget (the project's currency)")
        actual = pl.select(pl.when(pl.lit(mismatch)).then(None).otherwise(pl.lit(actual)).alias(actual.name)
                           ).to_series()
    return currency, actual


# ---------------------------------------------------------------------------------------------
# Header scoring
# ---------------------------------------------------------------------------------------------


class HeaderRules(Fingerprint):
    """A fingerprint whose score comes from a function over the normalised header cells.

    For layouts a fixed token list cannot describe (aliases, month columns, German SAP labels).
    `strong` is still used by the registry's "closest tools ... missing" message.
    """

    def __init__(self, strong: tuple[str, ...], scorer: Callable[[list[str]], float],
                 weak: tuple[str, ...] = ()):
        super().__init__(strong=tuple(strong), weak=tuple(weak), need=1)
        object.__setattr__(self, "scorer", scorer)

    def score(self, header: list[str]) -> float:
        cells = [norm(bare(h)) for h in header if h and norm(bare(h))]
        return self.scorer(cells) if cells else 0.0


def coverage(cells: list[str], recognised: int) -> float:
    """Score for a header that has what a layout needs: 0.5 plus half the share of known cells."""
    return 0.5 + 0.5 * min(recognised, len(cells)) / max(len(cells), 1) + 0.01 * recognised


def has_any(present: set[str], names) -> bool:
    """Is any of `names` among the normalised header cells `present`?"""
    return any(norm(n) in present for n in names)


# ---------------------------------------------------------------------------------------------
# Settings and notes
# ---------------------------------------------------------------------------------------------


def date_order(ctx: IngestContext) -> str | None:
    """`general.default_date_order` for parse.to_date; it only decides when no value settles the
    order. A caller's --date-order reaches parse.to_date through parse.DATE_ORDER."""
    return (ctx.settings.get("general", {}).get("default_date_order") or None) if ctx.settings else None


def fiscal_year_start(ctx: IngestContext) -> int:
    """`general.fiscal_year_start_month` (1 = January when not set)."""
    return int((ctx.settings or {}).get("general", {}).get("fiscal_year_start_month", 1) or 1)


def parser_note(note: str) -> str:
    """A value parser's note without its row references (they count cells, not file rows) and
    without its 'unreadable' clause (each unreadable cell becomes a reject with its row)."""
    parts = [p for p in note.split("; ") if p and "unreadable" not in p]
    text = "; ".join(parts)
    text = re.sub(r" on row \d+", "", text)
    return re.sub(r" \(row \d+\)", "", text)


# ---------------------------------------------------------------------------------------------
# Names and codes
# ---------------------------------------------------------------------------------------------

_MONTH_WORDS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
                "january", "february", "march", "april", "june", "july", "august", "september",
                "sept", "october", "november", "december", "mär", "mrz", "mai", "okt", "dez")
_STEM_DROP = re.compile(
    r"(?:19|20)\d{2}(?:0[1-9]|1[0-2])?(?:0[1-9]|[12]\d|3[01])?"   # 2026, 202610, 20261015
    r"|m_?(?:19|20)\d{2}|fy\d{2,4}(?:p\d{1,2})?|q[1-4]|h[12]|p\d{1,3}|v\d{1,3}"
    r"|\(\d+\)|copy|final|export"
    r"|(?:" + "|".join(_MONTH_WORDS) + r")(?:(?:19|20)?\d{2})?"          # nov, nov2026, nov26
    r"|(?:19|20)\d{2}(?:" + "|".join(_MONTH_WORDS) + r")"               # 2026nov
)


def stable_stem(file_name: str, fallback: str) -> str:
    """The file's stem without date-like parts, lower-case: a re-export with a new date in its
    name is the same source. `fpna_ledger_2026-10.csv` -> 'fpna_ledger';
    `HR export (2) 2026-11-01.xlsx` -> 'hr'. Other digits stay (`cc4711_ledger` keeps its code)."""
    stem = Path(file_name).stem.lower()
    tokens = [t for t in re.split(r"[\s_\-.]+", stem) if t]
    kept, dropped_year = [], False
    for t in tokens:
        if _STEM_DROP.fullmatch(t):
            dropped_year = dropped_year or bool(re.fullmatch(r"(?:19|20)\d{2}\d*", t))
            continue
        kept.append(t)
    if dropped_year:  # day / month numbers that belonged to a dropped year: 2026_10_31
        kept = [t for t in kept if not re.fullmatch(r"\d{1,2}", t)]
    return "_".join(kept) or fallback


def code_of(e: pl.Expr) -> pl.Expr:
    """'CC4711 IT Infrastructure' -> 'CC4711' (a leading token with a digit is the code)."""
    return e.str.extract(r"^([A-Za-z]*\d[\w./-]*)\s+[-–:]?\s*\S", 1).fill_null(e)


def name_of(e: pl.Expr) -> pl.Expr:
    """'CC4711 IT Infrastructure' -> 'IT Infrastructure'; a value without a code stays as it is."""
    return e.str.extract(r"^[A-Za-z]*\d[\w./-]*\s+[-–:]?\s*(\S.*)$", 1).fill_null(e)


# ---------------------------------------------------------------------------------------------
# Periods
# ---------------------------------------------------------------------------------------------
# Period = first day of the month. Calendar spellings: `2026-03`, `03/2026`, `Mar-26`, `Mar 2026`,
# `2026M03`, ISO dates, Excel serials (-> their month). Fiscal spellings: `P03` / `3` with a
# Fiscal Year column, `FY26 P3`, `P03 2026`, and SAP's `003.2026` (period.year). A fiscal year is
# named by the calendar year it ENDS in; special periods 13-16 count as period 12.

_MONTH_MAP = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
              "sep": 9, "oct": 10, "nov": 11, "dec": 12, "mär": 3, "mrz": 3, "mai": 5, "okt": 10,
              "dez": 12}
_MON = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mär|mrz|mai|okt|dez)[a-zä]*"
_P_YM = r"^(\d{4})\s*[-/.m]\s*(\d{1,2})$"                    # 2026-03, 2026/03, 2026M03
_P_MY = r"^(\d{1,2})[/-](\d{4})$"                            # 03/2026
_P_NAME = rf"^{_MON}\.?[\s\-'/]*(\d{{4}}|\d{{2}})$"           # Mar-26, Mar 2026, March'26
_P_SAP = r"^(\d{1,3})\.(\d{4})$"                             # 003.2026 (fiscal period.year)
_P_FYP = r"^fy\s?'?(\d{4}|\d{2})\s*[-/ ]?\s*p(?:eriod)?\s?(\d{1,2})$"   # FY26 P3
_P_PFY = r"^p(?:eriod)?\s?(\d{1,2})\s*[-/ .]\s*(?:fy\s?'?)?(\d{4}|\d{2})$"  # P03 2026, P3/FY26
_P_ONLY = r"^(?:p(?:eriod)?\s?)?(\d{1,2})(?:\.0+)?$"          # P03, 3 (needs a Fiscal Year)
_P_ISO = r"^\d{4}-\d{2}-\d{2}(?:[ t]\d{2}:\d{2}(?::\d{2})?)?$"


def is_period_header(header: str, fiscal_year_column: bool) -> bool:
    """Does a column header name a month (wide layout)? `P03` only counts with a Fiscal Year column."""
    k = re.sub(r"\s+", " ", header.strip().lower())
    pats = [_P_YM, _P_MY, _P_NAME, _P_SAP, _P_FYP, _P_PFY, _P_ISO]
    if fiscal_year_column:
        pats.append(r"^p(?:eriod)?\s?(\d{1,2})$")
    return any(re.fullmatch(p, k) for p in pats)


def _year2(y: pl.Expr) -> pl.Expr:
    n = y.cast(pl.Int32, strict=False)
    return pl.when(n < 100).then(n + 2000).otherwise(n)


def _calendar(y: pl.Expr, m: pl.Expr) -> pl.Expr:
    return pl.when(m.is_between(1, 12) & y.is_between(1900, 2200)).then(
        pl.date(y.clip(1900, 2200), m.clip(1, 12), 1))


def _fiscal(fy: pl.Expr, p: pl.Expr, start: int) -> pl.Expr:
    """Period `p` of the fiscal year ENDING in calendar year `fy`, fiscal year starting in `start`."""
    p12 = pl.when(p > 12).then(12).otherwise(p)          # SAP special periods 13-16 -> period 12
    idx = (start - 1) + (p12 - 1)
    y0 = fy - (1 if start > 1 else 0)
    return pl.when(p.is_between(1, 16) & fy.is_between(1900, 2200)).then(
        pl.date((y0 + idx // 12).clip(1900, 2200), (idx % 12 + 1).clip(1, 12), 1))


def fiscal_year_expr(e: pl.Expr) -> pl.Expr:
    """'2026', 'FY2026', 'FY26', '2025/26', '2025-2026' -> 2026 (the calendar year the FY ends in)."""
    k = e.str.strip_chars().str.to_lowercase()
    return pl.coalesce(
        k.str.extract(r"^(?:fy\s?'?)?(\d{4})(?:\.0+)?$", 1).cast(pl.Int32, strict=False),
        _year2(k.str.extract(r"^fy\s?'?(\d{2})$", 1)),
        _year2(k.str.extract(r"^(?:fy\s?)?\d{4}\s*[/-]\s*(\d{4}|\d{2})$", 1)),
    )


def parse_periods(text: pl.Series, fiscal_year: pl.Series | None = None, start_month: int = 1,
                  default_order: str | None = None) -> pp.Parsed:
    """Period cells -> first day of the month (Date). See the section comment for the spellings."""
    n = len(text)
    fy = fiscal_year if fiscal_year is not None else pl.Series([None] * n, dtype=pl.String)
    df = pl.DataFrame({"v": text.cast(pl.String), "fy": fy.cast(pl.String)}).with_columns(
        v=pl.when(pl.col("v").str.strip_chars() != "").then(pl.col("v").str.strip_chars()))
    k = pl.col("v").str.to_lowercase().str.replace_all(r"\s+", " ")
    fyv = fiscal_year_expr(pl.col("fy"))

    def grp(pat: str, i: int) -> pl.Expr:
        return k.str.extract(pat, i)

    def num(pat: str, i: int) -> pl.Expr:
        return grp(pat, i).cast(pl.Int32, strict=False)

    month_name = grp(_P_NAME, 1).str.slice(0, 3).replace_strict(_MONTH_MAP, default=None,
                                                                return_dtype=pl.Int32)
    calendar = pl.coalesce(
        _calendar(num(_P_YM, 1), num(_P_YM, 2)),
        _calendar(num(_P_MY, 2), num(_P_MY, 1)),
        _calendar(_year2(grp(_P_NAME, 2)), month_name),
    )
    fiscal = pl.coalesce(
        _fiscal(num(_P_SAP, 2), num(_P_SAP, 1), start_month),
        _fiscal(_year2(grp(_P_FYP, 1)), num(_P_FYP, 2), start_month),
        _fiscal(_year2(grp(_P_PFY, 2)), num(_P_PFY, 1), start_month),
        _fiscal(fyv, num(_P_ONLY, 1), start_month),
    )
    out = df.select(
        pl.col("v"), calendar.alias("cal"), fiscal.alias("fis"),
        k.str.contains(_P_ONLY).fill_null(False).alias("p_only"),
    )
    values = out["cal"].fill_null(out["fis"])
    notes = []
    rest = out["v"].is_not_null() & values.is_null() & ~out["p_only"]
    if rest.any():
        rest_text = out.select(pl.when(pl.lit(rest)).then(pl.col("v")).alias("v"))["v"]
        dates = pp.to_date(rest_text, default_order=default_order, name=text.name or "Period")
        values = values.fill_null(dates.values.dt.month_start())
        if parser_note(dates.note):
            notes.append(parser_note(dates.note).replace("dates read", "periods read"))
    n_fiscal = int(out["fis"].is_not_null().sum())
    if n_fiscal and start_month != 1:
        first = out.filter(pl.col("fis").is_not_null()).row(0, named=True)
        month = first["fis"].strftime("%B %Y")
        notes.append(f"fiscal periods read with the fiscal year starting in month {start_month} and named by "
                     f"the year it ends in ({first['v']!r} = {month})")
    bad = (out["v"].is_not_null() & values.is_null()).alias(text.name)
    return pp.Parsed(values.alias(text.name), bad, "; ".join(notes))


# ---------------------------------------------------------------------------------------------
# Columns that repeat a few values
# ---------------------------------------------------------------------------------------------


def per_value(s: pl.Series, f: Callable[[pl.Expr], pl.Expr]) -> pl.Series:
    """`f` over `s`, computed once per distinct value and mapped back to every row.

    A ledger's cost centre, currency or Capex/Opex column repeats a few values over millions of
    lines. Same values as `f` over every row; when `f` changes no value, `s` itself is returned.
    """
    uniq = s.unique()
    if len(uniq) > max(len(s) // 4, 1000) or s.dtype != pl.String:
        return pl.DataFrame({"v": s}).select(f(pl.col("v")).alias(s.name)).to_series()
    mapped = pl.DataFrame({"v": uniq}).select(f(pl.col("v")).alias("v")).to_series()
    if mapped.dtype == uniq.dtype and mapped.equals(uniq):
        return s
    return look_up(s, uniq, mapped)


def look_up(s: pl.Series, keys: pl.Series, values: pl.Series) -> pl.Series:
    """Per row of the String Series `s`: `values[i]` where `keys[i]` equals the cell (`keys` distinct
    and holding every value of `s`); a NULL cell gets the value of a NULL key, if any, else NULL.

    `s` is cast to an Enum over `keys` and its category index gathers from `values`: about twice
    as fast as `replace_strict` on a million rows."""
    present = keys.is_not_null()
    idx = s.cast(pl.Enum(keys.filter(present))).to_physical()
    out = values.filter(present).gather(idx).alias(s.name)
    null_value = values.filter(~present)[0] if not present.all() else None
    if null_value is not None and s.null_count():
        out = pl.DataFrame({"s": s, "o": out}).select(
            pl.when(pl.col("s").is_null()).then(pl.lit(null_value, dtype=out.dtype)).otherwise(pl.col("o"))
            .alias(s.name)).to_series()
    return out


def matching_values(s: pl.Series, condition: Callable[[pl.Expr], pl.Expr]) -> list:
    """The distinct values of `s` (in no particular order) for which `condition` holds."""
    uniq = pl.DataFrame({"v": s.unique()})
    return uniq.filter(condition(pl.col("v")).fill_null(False))["v"].to_list()
