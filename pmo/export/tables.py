"""Tables as CSV and Excel, with the header block every export states, text a spreadsheet would run
as a formula escaped (`neutralise`), cells a flat file can hold (`flatten`) and the page's headers.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from datetime import date, datetime

import polars as pl

from pmo.export.meta import Meta
from pmo.export.theme import MUTED, theme
from pmo import metrics
from pmo.metrics import CURRENCY_SYMBOLS

# ---------------------------------------------------------------------------------------------
# Spreadsheet formula injection
# ---------------------------------------------------------------------------------------------
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_RE = r"^[=+\-@\t\r]"


def neutralise(value):
    """A text cell a spreadsheet would treat as a formula gets a leading apostrophe
    ('=HYPERLINK(..)' -> "'=HYPERLINK(..)"); anything that is not text (numbers, dates, None) is
    returned unchanged, so -1250.0 stays a number while the text '-1250' is escaped."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def neutralise_frame(df: pl.DataFrame) -> pl.DataFrame:
    """`neutralise` on every text column (other columns untouched)."""
    return df.with_columns(
        pl.when(pl.col(c).str.contains(_FORMULA_RE)).then(pl.lit("'") + pl.col(c)).otherwise(pl.col(c)).alias(c)
        for c, t in df.schema.items() if t == pl.String)


XLSX_MAX_CHARS = 32_767         # characters Excel holds in one cell
SLIDE_MAX_CHARS = 300           # characters of one cell on a slide
_JSON_LEAVES = (pl.Boolean, pl.Int8, pl.Int16, pl.Int32, pl.Int64, pl.UInt8, pl.UInt16, pl.UInt32, pl.UInt64,
                pl.Float32, pl.Float64, pl.String, pl.Date, pl.Null)


def _json_fast(dtype) -> bool:
    """Whether Polars' own JSON writer takes this (nested) type: only plain leaves inside."""
    if isinstance(dtype, (pl.List, pl.Array)):
        return _json_fast(dtype.inner)
    if isinstance(dtype, pl.Struct):
        return all(_json_fast(f.dtype) for f in dtype.fields)
    return isinstance(dtype, pl.Datetime) or any(dtype == leaf for leaf in _JSON_LEAVES)


def _jsonable(value):
    """A value of any column type as JSON: bytes as hex, decimals and times as text."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "0x" + bytes(value).hex()
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _as_json(series: pl.Series) -> pl.Series:
    """A nested column (list, array, struct, map) as JSON text, one cell each (NULL stays NULL)."""
    if _json_fast(series.dtype):
        encoded = pl.DataFrame({"v": series}).select(pl.struct("v").struct.json_encode()).to_series()
        body = encoded.str.slice(5).str.strip_suffix("}")          # '{"v":[1,2]}' -> '[1,2]'
        return pl.select(pl.when(series.is_null()).then(None).otherwise(body)).to_series().alias(series.name)
    return pl.Series(series.name, [None if v is None else json.dumps(_jsonable(v), ensure_ascii=False, separators=(",", ":"))
                                   for v in series.to_list()], dtype=pl.String)


def _cut(col: pl.Expr, max_chars: int) -> pl.Expr:
    """Text longer than `max_chars` cut there, with '…' and the full length saying so."""
    n = col.str.len_chars()
    return (pl.when(n > max_chars)
            .then(col.str.slice(0, max_chars - 40) + pl.lit("… [cut: ") + n.cast(pl.String) + pl.lit(" characters]"))
            .otherwise(col))


def flatten(df: pl.DataFrame, *, max_chars: int | None = None) -> pl.DataFrame:
    """Cells a flat file can hold, whatever the result: lists, arrays, structs and maps as JSON
    text, binary as 0x-hex, decimals as numbers (as text beyond 15 digits), times, durations,
    categoricals, NULL-only and object columns as text. `max_chars`: text longer than this is cut
    (Excel's cell limit, a slide's cell) and says so. Zero rows give the header alone."""
    out: dict[str, pl.Series] = {}
    for name, dtype in df.schema.items():
        col = df.get_column(name)
        if isinstance(dtype, (pl.List, pl.Array, pl.Struct)) or type(dtype).__name__ == "Map":
            col = _as_json(col)
        elif dtype == pl.Binary:
            col = col.bin.encode("hex")
            col = pl.select(pl.when(col.is_null()).then(None).otherwise(pl.lit("0x") + col)).to_series().alias(name)
        elif isinstance(dtype, pl.Decimal):
            col = col.cast(pl.String) if (dtype.precision or 38) > 15 else col.cast(pl.Float64)
        elif isinstance(dtype, (pl.Categorical, pl.Enum, pl.Duration, pl.Time, pl.Null)):
            col = col.cast(pl.String)
        elif dtype == pl.Object:
            col = pl.Series(name, [None if v is None else str(v) for v in col.to_list()], dtype=pl.String)
        elif str(dtype) in ("Int128", "UInt128"):      # past what a spreadsheet number holds
            col = col.cast(pl.String)
        out[name] = col
    flat = pl.DataFrame(list(out.values())) if out else df
    if max_chars is not None:
        flat = flat.with_columns(_cut(pl.col(c), max_chars).alias(c)
                                 for c, t in flat.schema.items() if t == pl.String)
    return flat


def headers(columns: list[str], labels: dict | None = None) -> list[str]:
    """Column titles as on the page: `labels` where given, else the metrics layer's label
    (metrics/*.toml), else the column name as it is (a user's SQL); made unique."""
    labels = labels or {}
    seen: dict[str, int] = {}
    out = []
    for c in columns:
        h = str(labels.get(c) or (metrics.label(c) if metrics.is_defined(c) else c))
        seen[h] = seen.get(h, 0) + 1
        out.append(neutralise(h if seen[h] == 1 else f"{h} ({seen[h]})"))
    return out


# ---------------------------------------------------------------------------------------------
# CSV and XLSX
# ---------------------------------------------------------------------------------------------
def to_csv_bytes(df: pl.DataFrame, meta: Meta, labels: dict | None = None) -> bytes:
    """UTF-8 (with BOM, so Excel reads accents and currency signs) CSV: a header block of
    `# Key,value` lines (page, filters, as of, data version, exported, rows, link), then the table.
    Tools skip the block with a comment prefix: polars `read_csv(comment_prefix="#")`, pandas
    `read_csv(comment="#")`."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    for key, value in meta.lines(rows=df.height):
        w.writerow([f"# {key}", neutralise(value)])
    table = neutralise_frame(flatten(df))
    table.columns = headers(df.columns, labels)
    out.write(table.write_csv(date_format="%Y-%m-%d", datetime_format="%Y-%m-%d %H:%M:%S"))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


XLSX_MAX_ROWS = 1_048_576


def money_format(currency: str) -> str:
    sym = CURRENCY_SYMBOLS.get(currency)
    if sym and len(sym) == 1:
        return f'"{sym}"#,##0;-"{sym}"#,##0'
    return f'#,##0 "{currency}";-#,##0 "{currency}"'


NUMBER_FORMATS = {"pct": "0.0%", "ratio": "0.00", "days": "#,##0", "count": "#,##0", "months": "0.0",
                  "hours": "#,##0.0", "points": "#,##0.#", "number": "#,##0.00"}


def _sheet_name(name: str) -> str:
    s = re.sub(r"[\[\]:*?/\\]", " ", name).strip().strip("'") or "Data"
    return s[:31]


def to_xlsx_bytes(df: pl.DataFrame, meta: Meta, sheet: str = "Data", labels: dict | None = None) -> bytes:
    """One sheet: a header block (page, filters, as of, data version, exported, rows, link), then
    the table with a frozen, filterable header row and number formats from the metrics layer's
    units (money in the reporting currency, percentages, ratios, dates)."""
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                   "strings_to_numbers": False, "remove_timezone": True,
                                   "nan_inf_to_errors": False})
    primary = theme()["primary"]
    wb.set_properties({"title": f"{meta.page}{': ' + meta.title if meta.title else ''}",
                       "subject": meta.summary(), "comments": meta.link or "", "author": meta.user or ""})
    ws = wb.add_worksheet(_sheet_name(sheet))
    f_title = wb.add_format({"bold": True, "font_size": 14, "font_color": primary})
    f_key = wb.add_format({"bold": True, "font_color": MUTED})
    f_head = wb.add_format({"bold": True, "font_color": "#ffffff", "bg_color": primary, "text_wrap": True,
                            "valign": "top", "border": 1, "border_color": primary})
    f_date = wb.add_format({"num_format": "d mmm yyyy"})
    f_datetime = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    kind_formats = {k: wb.add_format({"num_format": v}) for k, v in NUMBER_FORMATS.items()}
    kind_formats["money"] = wb.add_format({"num_format": money_format(meta.currency)})

    ws.write_string(0, 0, meta.page + (f": {meta.title}" if meta.title else ""), f_title)
    meta_lines = meta.lines(rows=df.height)[1:]
    body_rows = min(df.height, XLSX_MAX_ROWS - len(meta_lines) - 3)
    if body_rows < df.height:
        meta_lines.append(("Cut", f"the first {body_rows:,} rows of {df.height:,}: Excel's sheet limit"))
    for i, (key, value) in enumerate(meta_lines, start=1):
        ws.write_string(i, 0, key, f_key)
        ws.write_string(i, 1, neutralise(value))
    head_row = len(meta_lines) + 2
    table = flatten(df, max_chars=XLSX_MAX_CHARS)
    names = headers(df.columns, labels)
    formats = []
    for c, dtype in table.schema.items():
        kind = metrics.spec(c).unit if metrics.is_defined(c) else None
        if dtype == pl.Date:
            formats.append(f_date)
        elif isinstance(dtype, pl.Datetime):
            formats.append(f_datetime)
        elif dtype.is_numeric() and kind in kind_formats:
            formats.append(kind_formats[kind])
        else:
            formats.append(None)
    widths = [min(max(len(n), 8), 40) for n in names]
    for j, n in enumerate(names):
        ws.write_string(head_row, j, n, f_head)
    for i, row in enumerate(table.head(body_rows).iter_rows(), start=head_row + 1):
        for j, v in enumerate(row):
            if v is None:
                continue
            if isinstance(v, bool):
                ws.write_boolean(i, j, v)
            elif isinstance(v, (int, float)):
                if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
                    continue
                ws.write_number(i, j, v, formats[j])
            elif isinstance(v, (date, datetime)):
                ws.write_datetime(i, j, v, formats[j])
            else:
                text = neutralise(str(v))
                ws.write_string(i, j, text)
                if i < head_row + 200:
                    widths[j] = min(max(widths[j], len(text) + 1), 60)
            if formats[j] is not None and i < head_row + 200:
                widths[j] = max(widths[j], 12)
    for j, wdt in enumerate(widths):
        ws.set_column(j, j, wdt)
    ws.set_column(0, 0, max(widths[0] if widths else 8, 14))
    ws.freeze_panes(head_row + 1, 0)
    if names:
        ws.autofilter(head_row, 0, head_row + max(body_rows, 1), len(names) - 1)
    wb.close()
    return buf.getvalue()
