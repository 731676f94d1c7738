"""Finance ledgers: FP&A plan / actual / forecast files, in the three shapes finance teams send.

1. Long: one amount per row, the kind in a column (`Cost Center,Cost Center Name,Project,GL Account,
   Category,Capex/Opex,Fiscal Year,Period,Version,Currency,Amount`). Headers vary: Project /
   Project ID / Project Code / WBS; Version / Scenario / Kind / Type; Amount / Value; Period /
   Month / Posting Period.
2. One amount column per kind (`Project,Period,Category,Budget,Actual,Forecast,Commitment`): melted
   to one row per kind; empty cells are simply absent.
3. Wide: one column per month (`Cost Center;Project;Line;Jan-26;Feb-26;Mar-26;FY26 Total`): the
   month columns are melted; total columns (`Total`, `Σ`, `Grand Total`, `FY26 Total`, quarters)
   and total rows are dropped, and the notes say so.

Decisions (also in docs):
- Kind: Budget / Plan / Approved budget -> budget; Actual(s) -> actual; Forecast (F2) / Outlook /
  Estimate -> forecast; Commitment / Committed / PO -> commitment. Anything else (Variance ...) is
  rejected with its row number.
- Period = first day of the month. Calendar spellings: `2026-03`, `03/2026`, `Mar-26`, `Mar 2026`,
  `2026M03`, ISO dates, Excel serials (-> their month). Fiscal spellings: `P03` / `3` with a
  Fiscal Year column, `FY26 P3`, `P03 2026`, and SAP's `003.2026` (period.year). Fiscal periods
  use `general.fiscal_year_start_month`; a fiscal year is named by the calendar year it ENDS in
  (FY2026 with an April start = April 2025 .. March 2026, so P01 = April 2025 and P03 = June 2025).
  `2025/26` as a fiscal year means FY2026. Special periods 13-16 count as period 12.
- Currency: the Currency column, else a symbol or ISO code in the amount, else a code in the amount
  column's header (`Amount (EUR)`), else `--currency`; an amount whose currency is stated nowhere
  is refused (never read as the reporting currency).
- `capex_opex`: 'capex' | 'opex' | NULL from a Capex/Opex column (an extra financials column).
- Source: the file name without date-like parts (`fpna_ledger_2026-10.csv` and
  `fpna_ledger_2026-11.csv` are one source; the newer export replaces the older).

The helpers the other finance / HR importers share with this one (`stable_stem`, `HeaderRules`,
`parse_periods` ...) live in `pmo.importers._common`.
"""

from __future__ import annotations

import re

import polars as pl

from pmo.importers._common import (
    HeaderRules,
    code_of,
    coverage,
    date_order,
    look_up,
    matching_values,
    per_value,
    drop_blank_rows,
    fiscal_year_start,
    has_any,
    is_period_header,
    parse_periods,
    parser_note,
    stable_stem,
    tables_of,
)
from pmo.importers.base import ImportError_, ImportResult, IngestContext, RawTable, Reject, check_column, norm
from pmo.parse import to_money

TOOL = "ledger"
LABEL = "Finance ledger (FP&A plan / actual / forecast)"
VERSION = "1"
TABLES = ("financials",)
# Rows are read independently (periods and kinds per value, totals per row), so a big CSV can be
# parsed a slice at a time (see pmo.ingest: decisions are checked to agree across slices).
CHUNKED = True

# ---------------------------------------------------------------------------------------------
# Kinds
# ---------------------------------------------------------------------------------------------

_KIND_RULES = [
    ("budget", r"^(?:(?:approved|original|current|revised|baseline|annual)\s+)?(?:budgets?|plan|planned|bud|bgt|aop)\b"),
    ("actual", r"^(?:actuals?|act|ist)\b"),
    ("forecast", r"^(?:(?:latest|rolling|current)\s+)?(?:forecast|fcst|outlook|estimate|le)\b|^f\d+\b"),
    ("commitment", r"^(?:commitments?|committed|po|pos|open pos?|purchase orders?|obligations?)\b"),
]
_NOT_A_KIND = r"\b(?:variance|var|delta|diff|difference|vs\.?|versus|%)\b|%"


def kind_expr(e: pl.Expr) -> pl.Expr:
    """Version / scenario text -> 'budget' | 'actual' | 'forecast' | 'commitment' | NULL."""
    t = e.str.strip_chars().str.to_lowercase()
    out = pl.when(t.str.contains(_NOT_A_KIND)).then(pl.lit(None, dtype=pl.String))
    for kind, pat in _KIND_RULES:
        out = out.when(t.str.contains(pat)).then(pl.lit(kind))
    return out.otherwise(pl.lit(None, dtype=pl.String))


def kind_of(text: str | None) -> str | None:
    if not text:
        return None
    t = text.strip().lower()
    if re.search(_NOT_A_KIND, t):
        return None
    return next((k for k, pat in _KIND_RULES if re.search(pat, t)), None)


# A column whose header names a kind holds that kind's amounts (layout 2).
_KIND_HEADERS = {
    "budget": ("budget", "budgets", "plan", "planned", "approved budget", "original budget",
               "current budget", "revised budget", "budget amount", "plan amount", "planned cost",
               "planned costs", "budget cost"),
    "actual": ("actual", "actuals", "actual cost", "actual costs", "actual amount", "actual spend"),
    "forecast": ("forecast", "forecast amount", "outlook", "estimate", "latest estimate", "fcst"),
    "commitment": ("commitment", "commitments", "committed", "po", "open po", "po amount",
                   "open commitments", "purchase orders"),
}
_KIND_HEADER = {h: k for k, hs in _KIND_HEADERS.items() for h in hs}


def kind_of_header(header: str) -> str | None:
    h = norm(header)
    if h in _KIND_HEADER:
        return _KIND_HEADER[h]
    if re.fullmatch(r"forecast\s*(?:\(.*\)|f\d+|\d\+\d)", h):
        return "forecast"
    return None


# ---------------------------------------------------------------------------------------------
# Columns and fingerprint
# ---------------------------------------------------------------------------------------------

PROJECT = ("Project", "Project ID", "Project Code", "Project Number", "Project No", "Project No.",
           "Project Key", "WBS", "WBS Element", "WBS Code", "Projekt")
PERIOD = ("Period", "Month", "Posting Period", "Fiscal Period", "Accounting Period", "Period Name",
          "Date", "Posting Date", "Period Start", "Month Start")
FISCAL_YEAR = ("Fiscal Year", "FY", "Financial Year", "Year", "Geschäftsjahr")
VERSION_COL = ("Version", "Scenario", "Kind", "Type", "Value Type", "Plan/Actual", "Line Type",
               "Measure", "Line", "Category Type")
AMOUNT = ("Amount", "Value", "Net Amount", "Amount (LC)", "Amount in Local Currency", "Betrag")
CURRENCY = ("Currency", "Currency Code", "Curr", "Crcy", "Währung")
COST_CENTER = ("Cost Center", "Cost Centre", "Cost Center Code", "Cost Centre Code", "Kostenstelle")
CATEGORY = ("Category", "Cost Category", "Expense Category", "Cost Type", "Expense Type",
            "Account Name", "GL Account Name", "GL Account Description", "Cost Element Name")
GL_ACCOUNT = ("GL Account", "G/L Account", "GL", "Account", "Cost Element")
CAPEX = ("Capex/Opex", "Capex / Opex", "CapEx OpEx", "Capex Opex", "Capex or Opex", "Opex/Capex",
         "Spend Type")
_OTHER_KNOWN = ("Cost Center Name", "Cost Centre Name", "Project Name", "Description", "Comment",
                "Company Code", "Entity")

_ALL_KNOWN = {norm(a) for group in (PROJECT, PERIOD, FISCAL_YEAR, VERSION_COL, AMOUNT, CURRENCY,
                                    COST_CENTER, CATEGORY, GL_ACCOUNT, CAPEX, _OTHER_KNOWN) for a in group}
_TOTAL_HEADER = re.compile(
    r"(?:σ|∑|sum|summe|gesamt|total|totals|grand total|ytd|full year|fy\s?'?\d{2,4}|"
    r"q[1-4](?:[\s\-'/]*\d{2,4})?|h[12](?:[\s\-'/]*\d{2,4})?)|.*\btotal\b.*")
_TOTAL_VALUE = r"^(?:grand\s+total|sub\s?-?total|totals?|σ|∑|sum|summe|gesamt|gesamtsumme)\b"
_TOTAL_PROJECT = r"^(?:grand\s+total|sub\s?-?total|totals?|σ|∑|sum|summe|gesamt|gesamtsumme)\s*:?$"


def _score(cells: list[str]) -> float:
    present = set(cells)
    if not has_any(present, PROJECT):
        return 0.0
    fiscal = has_any(present, FISCAL_YEAR)
    months = sum(is_period_header(c, fiscal) for c in cells)
    kinds = sum(kind_of_header(c) is not None for c in cells)
    long_ = has_any(present, AMOUNT) and has_any(present, PERIOD + FISCAL_YEAR) and has_any(present, VERSION_COL)
    per_kind = kinds >= 1 and has_any(present, PERIOD)
    wide = months >= 2
    if not (long_ or per_kind or wide):
        return 0.0
    known = sum(c in _ALL_KNOWN or kind_of_header(c) is not None or is_period_header(c, fiscal)
                or bool(_TOTAL_HEADER.fullmatch(c)) for c in cells)
    return coverage(cells, known)


FINGERPRINT = HeaderRules(
    strong=("Project", "Period", "Version", "Amount", "Cost Center", "Fiscal Year", "Currency"),
    scorer=_score,
)


# ---------------------------------------------------------------------------------------------
# Parse
# ---------------------------------------------------------------------------------------------

def parse(tables, ctx: IngestContext) -> ImportResult:
    sheets = tables_of(tables)
    result = ImportResult(tables={}, source=stable_stem(ctx.file_name or sheets[0].file_name, TOOL))
    start = fiscal_year_start(ctx)
    frames = []
    for t in sheets:
        result.rows_read += t.data.height
        prefix = f"sheet '{t.sheet}': " if len(sheets) > 1 else ""
        notes_before = len(result.notes)
        frame = _parse_sheet(t, ctx, result, start)
        if prefix:
            result.notes[notes_before:] = [prefix + n for n in result.notes[notes_before:]]
        if frame is not None and frame.height:
            frames.append(frame)
    out = pl.concat(frames, how="diagonal_relaxed") if frames else pl.DataFrame(
        schema={"_row": pl.Int64, "project_id": pl.String, "kind": pl.String})
    result.tables["financials"] = out
    return result


def _kind_column(t: RawTable) -> str | None:
    """The first version-like column whose values mostly name kinds; else, when the sheet name names
    a kind (a workbook with an 'Actuals' sheet), none; else the first present (its rows get rejected)."""
    present = [c for c in (t.col(n) for n in VERSION_COL) if c is not None]
    present = list(dict.fromkeys(present))
    for c in present:
        # Judged on the distinct values weighted by their counts: the same share, read once each.
        counts = t.data[c].drop_nulls().value_counts(name="n")
        counts = counts.filter(~pl.col(c).str.to_lowercase().str.contains(_TOTAL_VALUE))
        if counts.height:
            share = counts.select((kind_expr(pl.col(c)).is_not_null() * pl.col("n")).sum() / pl.col("n").sum())
            if share.item() >= 0.5:
                return c
    if t.sheet != t.file_name and kind_of(t.sheet):
        return None
    return present[0] if present else None


def _parse_sheet(t: RawTable, ctx: IngestContext, result: ImportResult, start: int) -> pl.DataFrame | None:
    df = drop_blank_rows(t.data)
    project_c = t.col(*PROJECT)
    if project_c is None:
        raise ImportError_(f"{t.file_name}: no project column (one of {', '.join(PROJECT[:4])}).")
    kind_c = _kind_column(t)
    fy_c = t.col(*FISCAL_YEAR)
    amount_c = t.col(*AMOUNT)
    period_c = t.col(*PERIOD)
    used = {c for c in (project_c, kind_c, fy_c, amount_c, period_c, t.col(*CURRENCY), t.col(*COST_CENTER),
                        t.col(*CATEGORY), t.col(*GL_ACCOUNT), t.col(*CAPEX)) if c}
    period_cols = [c for c in df.columns if c != "_row" and c not in used
                   and is_period_header(c.split("#")[0], fy_c is not None)]
    kind_cols = [c for c in df.columns if c != "_row" and c not in used and c not in period_cols
                 and kind_of_header(c.split("#")[0])]

    # Total rows: a key cell saying Total / Σ / Grand Total. Judged once per distinct value.
    totals = [(c, matching_values(df[c], lambda e: e.str.to_lowercase().str.contains(_TOTAL_VALUE)))
              for c in {kind_c, t.col(*COST_CENTER), t.col(*CATEGORY)} - {None}]
    totals.append((project_c, matching_values(df[project_c],
                                              lambda e: e.str.to_lowercase().str.contains(_TOTAL_PROJECT))))
    totals = [(c, v) for c, v in totals if len(v)]
    if totals:
        is_total = df.select(pl.any_horizontal(pl.col(c).is_in(v).fill_null(False) for c, v in totals).alias("t"))["t"]
        rows = df.filter(is_total)["_row"].to_list()
        result.notes.append(f"dropped {_count(len(rows), 'total row')} ({_rows(rows)})")
        df = df.filter(~is_total)

    # Rows without a project: one reject per file row, before any melting.
    no_project = df[project_c].is_null()
    if no_project.any():
        for r in df.filter(no_project)["_row"].to_list():
            result.rejects.append(Reject(r, project_c, None, "project is empty", "financials"))
        df = df.filter(~no_project)

    keys = {
        "project_id": pl.col(project_c),
        "cost_center": _col(t, COST_CENTER),
        "category": pl.coalesce(_col(t, CATEGORY), _line_category(t, kind_c), _col(t, GL_ACCOUNT)),
        "capex_raw": _col(t, CAPEX),
        "fy_text": _col(t, FISCAL_YEAR),
        "currency_text": _col(t, CURRENCY),
    }
    base = df.select(pl.col("_row"), **keys)

    if period_cols:                                       # wide: one column per month
        total_cols = [c for c in df.columns if c not in used and c not in period_cols and c != "_row"
                      and _TOTAL_HEADER.fullmatch(norm(c.split("#")[0]))]
        result.notes.append(f"wide layout: {_count(len(period_cols), 'month column')} "
                            f"({period_cols[0]} .. {period_cols[-1]}) melted to rows")
        if total_cols:
            result.notes.append(f"dropped total column{'s' if len(total_cols) > 1 else ''} "
                                + ", ".join(repr(c) for c in total_cols))
        kind_source = _kind_source(t, df, kind_c, result)
        long = _melt(df.with_columns(kind_source.alias("kind_text"), pl.lit(kind_c, dtype=pl.String).alias("kind_col")),
                     base, period_cols, ["kind_text", "kind_col"], "period_text")
        long = long.with_columns(amount_col=pl.col("period_text"))
    elif amount_c is not None:                            # long: one amount per row
        if period_c is None and fy_c is None:
            raise ImportError_(f"{t.file_name}: no period column (Period, Month or Posting Period).")
        kind_source = _kind_source(t, df, kind_c, result)
        long = base.with_columns(
            kind_text=kind_source, kind_col=pl.lit(kind_c, dtype=pl.String),
            period_text=df[period_c] if period_c else pl.lit(None, dtype=pl.String),
            amount_text=df[amount_c], amount_col=pl.lit(amount_c, dtype=pl.String))
    elif kind_cols:                                       # one amount column per kind
        if period_c is None:
            raise ImportError_(f"{t.file_name}: no period column (Period, Month or Posting Period).")
        result.notes.append("amount columns " + ", ".join(repr(c) for c in kind_cols)
                            + " melted to one row per kind")
        long = _melt(df.with_columns(pl.col(period_c).alias("period_text")), base, kind_cols,
                     ["period_text"], "kind_text")
        header_kind = {c: kind_of_header(c.split("#")[0]) for c in kind_cols}
        long = long.with_columns(kind_col=pl.col("kind_text"), amount_col=pl.col("kind_text"),
                                 kind_text=pl.col("kind_text").replace_strict(header_kind, return_dtype=pl.String))
    else:
        raise ImportError_(f"{t.file_name}: no amount column (Amount / Value, Budget / Actual / Forecast "
                           f"columns, or month columns like Jan-26).")
    return _finish(long, t, ctx, result, start, period_c or "Period")


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _rows(rows: list[int]) -> str:
    shown = ", ".join(str(r) for r in rows[:5]) + (" ..." if len(rows) > 5 else "")
    return ("row " if len(rows) == 1 else "rows ") + shown


def _col(t: RawTable, names) -> pl.Expr:
    c = t.col(*names)
    return pl.col(c) if c is not None else pl.lit(None, dtype=pl.String)


def _line_category(t: RawTable, kind_c: str | None) -> pl.Expr:
    """A `Line` column that does not hold kinds is the cost line (Labour, Vendor ...)."""
    c = t.col("Line", "Cost Line", "Line Item")
    return pl.col(c) if c is not None and c != kind_c else pl.lit(None, dtype=pl.String)


def _kind_source(t: RawTable, df: pl.DataFrame, kind_c: str | None, result: ImportResult) -> pl.Series:
    if kind_c is not None:
        return df[kind_c]
    sheet_kind = kind_of(t.sheet) if t.sheet != t.file_name else None
    if sheet_kind:
        result.notes.append(f"no version column: every amount is {sheet_kind} (from the sheet name '{t.sheet}')")
        return pl.Series([t.sheet] * df.height, dtype=pl.String)
    raise ImportError_(f"{t.file_name}: no column says whether amounts are budget, actual or forecast "
                       f"(add a Version, Scenario or Kind column).")


def _melt(df: pl.DataFrame, base: pl.DataFrame, on: list[str], carry: list[str], name: str) -> pl.DataFrame:
    """Unpivot `on` columns to (name, amount_text); keep file order (row, then column)."""
    order = {c: i for i, c in enumerate(on)}
    wide = pl.concat([base, df.select(carry + on)], how="horizontal")
    long = wide.unpivot(on=on, index=list(base.columns) + carry, variable_name=name, value_name="amount_text")
    long = long.filter(pl.col("amount_text").is_not_null())
    return long.with_columns(_ord=pl.col(name).replace_strict(order, return_dtype=pl.Int32)).sort(
        "_row", "_ord").drop("_ord")


def _finish(long: pl.DataFrame, t: RawTable, ctx: IngestContext, result: ImportResult, start: int,
            period_name: str) -> pl.DataFrame:
    if long.height == 0:
        return long
    # Period
    # A ledger repeats a few dozen (period, fiscal year) pairs over millions of lines: read each
    # distinct pair once, then join the result back (the same decision over all values).
    has_fy = long["fy_text"].null_count() < long.height
    pairs = long.select("period_text", "fy_text").unique(maintain_order=True)
    periods = parse_periods(pairs["period_text"].alias(period_name), pairs["fy_text"] if has_fy else None,
                            start, date_order(ctx))
    if periods.note:
        result.notes.append(re.sub(r" on row \d+", "", periods.note) if pairs.height < long.height
                            else periods.note)
    pairs = pairs.with_columns(period=periods.values, _pbad=periods.bad)
    long = _look_up(long, pairs, ["period_text", "fy_text"], {"period": pl.Date, "_pbad": pl.Boolean})
    # Unreadable periods are judged over the lines (not the distinct values): a column mostly
    # unreadable refuses the file; a few are rejected rows.
    check_column(t.file_name, period_name, long["period_text"], long["_pbad"].fill_null(False), "a period")
    long = long.with_columns(_pbad=pl.col("_pbad").fill_null(False) | pl.col("period_text").is_null())
    long = _reject(result, long, "_pbad", lambda r: r["period_text"], period_name,
                   lambda r: ("period is empty" if r["period_text"] is None else
                              "period not understood (e.g. 2026-03, 03/2026, Mar-26, FY26 P3, or P03 with a "
                              "Fiscal Year column)"))
    # Kind
    kinds = long.select("kind_text").unique().with_columns(kind=kind_expr(pl.col("kind_text")))
    long = _look_up(long, kinds, ["kind_text"], {"kind": pl.String})
    long = long.with_columns(_kbad=pl.col("kind").is_null())
    long = _reject(result, long, "_kbad", lambda r: r["kind_text"], None,
                   lambda r: f"'{r['kind_text']}' is not budget, actual, forecast or commitment",
                   col_field="kind_col")
    # Amount and currency
    money, symbol = to_money(long["amount_text"])
    if parser_note(money.note):
        result.notes.append(f"amounts: {parser_note(money.note)}")
    long = long.with_columns(amount_original=money.values, _abad=money.bad, _sym=symbol)
    known = result.amount_columns.setdefault("financials", [])
    known.extend(c for c in long["amount_col"].unique(maintain_order=True).to_list() if c not in known)
    # Per amount column (a wide layout has one per month): mostly unreadable refuses the file.
    amount_cols = long["amount_col"].unique(maintain_order=True)
    if len(amount_cols) == 1:            # the long layout: one amount column, no grouping needed
        check_column(t.file_name, amount_cols[0], long["amount_text"], long["_abad"], "an amount")
    else:
        for col, part in long.select("amount_col", "amount_text", "_abad").group_by("amount_col",
                                                                                    maintain_order=True):
            check_column(t.file_name, col[0], part["amount_text"], part["_abad"], "an amount")
    long = _reject(result, long, "_abad", lambda r: r["amount_text"], None,
                   lambda r: "amount is not a number", col_field="amount_col")
    # Currency, cost centre and Capex/Opex repeat a few values: each is read once per distinct value.
    capex = pl.DataFrame({"raw": long["capex_raw"].unique()}).with_columns(read=_capex_opex(pl.col("raw")))
    long = long.with_columns(
        currency=pl.coalesce(per_value(long["currency_text"], lambda e: e.str.strip_chars().str.to_uppercase()),
                             pl.col("_sym")),
        cost_center=per_value(long["cost_center"].cast(pl.String), code_of),
        capex_opex=look_up(long["capex_raw"], capex["raw"], capex["read"]),
    )
    odd_values = capex.filter(pl.col("raw").is_not_null() & pl.col("read").is_null())["raw"]
    if len(odd_values):
        odd = long.filter(pl.col("capex_raw").is_in(odd_values.to_list()))
        result.notes.append(f"{_count(odd.height, 'Capex/Opex value')} not read as capex or opex "
                            f"(e.g. {odd['capex_raw'][0]!r}); left empty")
    return long.select("_row", "project_id", "period", "category", "cost_center", "kind",
                       "amount_original", "currency", "capex_opex")


def _capex_opex(e: pl.Expr) -> pl.Expr:
    """Capex/Opex text -> 'capex' | 'opex' | NULL."""
    t = e.str.to_lowercase().str.strip_chars()
    return (pl.when(t.str.contains(r"^(?:capex|capital|cap|investment|invest)\b")).then(pl.lit("capex"))
            .when(t.str.contains(r"^(?:opex|operating|operational|op|expense|expensed)\b")).then(pl.lit("opex")))


def _reject(result: ImportResult, df: pl.DataFrame, flag: str, value, column: str | None, reason,
            col_field: str | None = None) -> pl.DataFrame:
    """One reject per row where `flag` holds; returns the other rows."""
    if not df[flag].any():
        return df
    for r in df.filter(pl.col(flag)).iter_rows(named=True):
        col = r[col_field] if col_field else column
        result.rejects.append(Reject(r["_row"], col, value(r), reason(r), "financials"))
    return df.filter(~pl.col(flag))


def _look_up(long: pl.DataFrame, table: pl.DataFrame, keys: list[str], values: dict) -> pl.DataFrame:
    """`long` with the `values` columns of `table` (one row per distinct `keys`) added by key,
    in row order. When the first key alone decides the values (a period column whose fiscal year
    adds nothing), a hash look-up on it replaces the join."""
    first = keys[0]
    decided = table.filter(pl.col(first).is_not_null())
    alone = len(keys) == 1 or decided.select(pl.struct(first, *values).n_unique()).item() == \
        decided[first].n_unique()
    # A NULL key is looked up as NULL values; the join keeps whatever the table says for it.
    null_keyed = table.filter(pl.col(first).is_null()).select(
        pl.any_horizontal(pl.col(v).is_not_null() & (pl.col(v) != pl.lit(False)) if d == pl.Boolean
                          else pl.col(v).is_not_null() for v, d in values.items()).any()).item()
    if not alone or null_keyed:
        return long.join(table, on=keys, how="left", nulls_equal=True, maintain_order="left")
    decided = decided.unique(first)
    return long.with_columns(look_up(long[first], decided[first], decided[v]).cast(dtype).alias(v)
                             for v, dtype in values.items())
