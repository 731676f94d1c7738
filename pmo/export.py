"""Exports of exactly what a page shows: tables as CSV and XLSX, charts as PNG and SVG, and a
meeting pack (a 16:9 PowerPoint deck and a PDF with the same slides). No Streamlit here;
pmo/ui/share.py puts these behind the download buttons.

Every file states where it came from: the page, the filters, the as-of date, the store version,
when it was exported (and by whom) and the link that reopens the view. Text cells that a
spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return) are
escaped with a leading apostrophe; numbers stay numbers (see `neutralise`).

Charts are rendered by vl-convert (Vega-Lite compiled to SVG / PNG by its own bundled engine:
no browser, no network); the PDF is written by fpdf2 (pure Python) with a TrueType font found on
the system (Liberation Sans, else DejaVu Sans; Debian: fonts-liberation / fonts-dejavu-core).
"""

from __future__ import annotations

import copy
import csv
import functools
import io
import json
import math
import re
import threading
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl

from pmo.formatting import CURRENCY_SYMBOLS, column_kind

ROOT = Path(__file__).resolve().parent.parent

# ---------------------------------------------------------------------------------------------
# Theme (.streamlit/config.toml [theme]) and fonts
# ---------------------------------------------------------------------------------------------
DEFAULT_PRIMARY = "#1f4e79"
DEFAULT_CATEGORY = ["#1f4e79", "#e07b39", "#5b9aa0", "#8e6c8a", "#c2b280", "#6b8e23", "#b55a5a"]
TEXT = "#1f2933"
MUTED = "#52606d"
PANEL = "#f3f6f9"
RULE = "#cbd2d9"
FONT_FILES = {  # regular, bold: the first pair found is used for the PDF and to measure text
    "Liberation Sans": ("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
                        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"),
    "DejaVu Sans": ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
}
PPTX_FONT = "Arial"   # metric-compatible with Liberation Sans, so the deck wraps like the PDF


@functools.cache
def theme() -> dict:
    """primary colour and categorical chart colours from .streamlit/config.toml [theme]."""
    try:
        t = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text()).get("theme", {})
    except (OSError, tomllib.TOMLDecodeError):
        t = {}
    return {"primary": t.get("primaryColor", DEFAULT_PRIMARY),
            "category": list(t.get("chartCategoricalColors", DEFAULT_CATEGORY))}


@functools.cache
def font_files() -> tuple[str, str, str] | None:
    """(family, regular path, bold path) of the first TrueType font found, else None."""
    for family, (regular, bold) in FONT_FILES.items():
        if Path(regular).exists() and Path(bold).exists():
            return family, regular, bold
    return None


# ---------------------------------------------------------------------------------------------
# What every export states
# ---------------------------------------------------------------------------------------------
@dataclass
class Meta:
    """Where an export comes from. `filters` is the human summary of the filters and selections
    ("Portfolio: Digital Channels · EAC: BAC ÷ CPI"); "All projects" when there are none."""

    page: str
    filters: str = "All projects"
    as_of: date | None = None
    version: int | None = None
    link: str | None = None
    user: str | None = None
    currency: str = "USD"
    title: str | None = None                      # what is exported, e.g. "Red and amber projects"
    exported_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def as_of_text(self) -> str:
        return f"{self.as_of:%d %b %Y}" if self.as_of else "latest data"

    def version_text(self) -> str:
        return f"store version {self.version}" if self.version is not None else "store version unknown"

    def summary(self) -> str:
        """One line for an image or a slide footer."""
        return f"{self.filters} · as of {self.as_of_text()} · {self.version_text()}"

    def lines(self, rows: int | None = None) -> list[tuple[str, str]]:
        out = [("Page", self.page + (f": {self.title}" if self.title else "")),
               ("Filters", self.filters),
               ("As of", self.as_of_text()),
               ("Data version", self.version_text()),
               ("Exported", f"{self.exported_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
                + (f" by {self.user}" if self.user else ""))]
        if rows is not None:
            out.append(("Rows", f"{rows:,}"))
        if self.link:
            out.append(("Link", self.link))
        return out


def slug(text: str, limit: int = 60) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", (text or "").lower()).strip("-")
    return s[:limit].strip("-") or "export"


def file_name(meta: Meta, name: str, ext: str) -> str:
    """portfolio-health_red-projects_2026-11-20.csv"""
    when = meta.as_of.isoformat() if meta.as_of else f"{meta.exported_at:%Y-%m-%d}"
    return f"{slug(meta.page, 30)}_{slug(name, 40)}_{when}.{ext}"


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


def flatten(df: pl.DataFrame) -> pl.DataFrame:
    """Cells a flat file can hold: lists as 'a, b, c', structs as JSON, categoricals as text."""
    out = []
    for name, dtype in df.schema.items():
        col = pl.col(name)
        if isinstance(dtype, (pl.List, pl.Array)):
            out.append(col.cast(pl.List(pl.String)).list.join(", ").alias(name))
        elif isinstance(dtype, pl.Struct):
            out.append(col.struct.json_encode().alias(name))
        elif isinstance(dtype, (pl.Categorical, pl.Enum, pl.Duration, pl.Time, pl.Null, pl.Object)):
            out.append(col.cast(pl.String).alias(name))
        elif isinstance(dtype, pl.Decimal):
            out.append(col.cast(pl.Float64).alias(name))
        elif dtype == pl.Binary:
            out.append(pl.lit(None, dtype=pl.String).alias(name))
    return df.with_columns(out) if out else df


def headers(columns: list[str], labels: dict | None = None) -> list[str]:
    """Column titles as on the page (labels, else 'snake_case' -> 'Snake case'), made unique."""
    labels = labels or {}
    seen: dict[str, int] = {}
    out = []
    for c in columns:
        h = str(labels.get(c, c.replace("_", " ").capitalize()))
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


NUMBER_FORMATS = {"pct": "0.0%", "ratio": "0.00", "days": "#,##0", "count": "#,##0"}


def _sheet_name(name: str) -> str:
    s = re.sub(r"[\[\]:*?/\\]", " ", name).strip().strip("'") or "Data"
    return s[:31]


def to_xlsx_bytes(df: pl.DataFrame, meta: Meta, sheet: str = "Data", labels: dict | None = None) -> bytes:
    """One sheet: a header block (page, filters, as of, data version, exported, rows, link), then
    the table with a frozen, filterable header row and number formats from the column names
    (pmo.formatting.column_kind: money in the reporting currency, percentages, ratios, dates)."""
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
    table = flatten(df)
    names = headers(df.columns, labels)
    formats = []
    for c, dtype in table.schema.items():
        kind = column_kind(c)
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


# ---------------------------------------------------------------------------------------------
# Charts: PNG and SVG with the title, the filters and the as-of date in the image
# ---------------------------------------------------------------------------------------------
EXPORT_WIDTH = 960
_altair_lock: threading.Lock | threading.RLock = threading.RLock()
_CONCAT = ("hconcat", "vconcat", "concat", "facet", "repeat")


def use_altair_lock(lock) -> None:
    """Altair's data transformer is global: share the lock the app uses around `to_dict` (the
    Streamlit layer passes Streamlit's own), so an export never races a page drawing a chart."""
    global _altair_lock
    _altair_lock = lock


def _to_dict(chart) -> dict:
    if isinstance(chart, dict):
        return copy.deepcopy(chart)
    import altair as alt

    with _altair_lock, alt.data_transformers.disable_max_rows():
        return chart.to_dict()


def _title_parts(title) -> tuple[str, list[str]]:
    if title is None:
        return "", []
    if isinstance(title, str):
        return title, []
    if isinstance(title, list):
        return " ".join(map(str, title)), []
    text = title.get("text", "")
    text = " ".join(map(str, text)) if isinstance(text, list) else str(text)
    sub = title.get("subtitle") or []
    return text, ([sub] if isinstance(sub, str) else [str(s) for s in sub])


def chart_title(chart) -> tuple[str, list[str]]:
    """(title, subtitle lines) a chart carries (top level, else its first layer)."""
    spec = chart if isinstance(chart, dict) else None
    if spec is None:
        t = getattr(chart, "title", None)
        import altair as alt
        if t is not None and t is not alt.Undefined:
            t = t.to_dict() if hasattr(t, "to_dict") else t
            return _title_parts(t)
        for layer in getattr(chart, "layer", None) or []:
            lt = getattr(layer, "title", None)
            if lt is not None and lt is not alt.Undefined:
                return _title_parts(lt.to_dict() if hasattr(lt, "to_dict") else lt)
        return "", []
    if "title" in spec:
        return _title_parts(spec["title"])
    for layer in spec.get("layer", []):
        if "title" in layer:
            return _title_parts(layer["title"])
    return "", []


def chart_spec(chart, title: str | None = None, subtitle: str | list[str] | None = None, *,
               width: int = EXPORT_WIDTH, with_title: bool = True, large_text: bool = False) -> dict:
    """The chart's Vega-Lite spec made ready for a file: a fixed width (pages draw charts at the
    container's width), white background, our categorical colours, and a title block holding the
    chart's title (or `title`), its own subtitle, then `subtitle` (the filter summary and as-of).
    `with_title=False` leaves the title out (a slide shows it as the slide title)."""
    spec = _to_dict(chart)
    text, own_sub = _title_parts(spec.pop("title", None))
    if not text:
        for layer in spec.get("layer", []):
            if "title" in layer:
                text, own_sub = _title_parts(layer.pop("title"))
                break
    if title is not None:
        text = title
    extra = [subtitle] if isinstance(subtitle, str) else list(subtitle or [])
    if with_title:
        spec["title"] = {"text": text or " ", "subtitle": [*own_sub, *extra], "anchor": "start",
                         "fontSize": 18, "subtitleFontSize": 13, "subtitleColor": MUTED,
                         "subtitlePadding": 6, "offset": 14}
    if not any(k in spec for k in _CONCAT) and spec.get("width") in (None, "container"):
        spec["width"] = width
    spec.pop("usermeta", None)
    spec["background"] = "white"
    spec["padding"] = 16
    cfg = spec.setdefault("config", {})
    cfg.setdefault("range", {}).setdefault("category", theme()["category"])
    if large_text:
        for part, keys in (("axis", {"labelFontSize": 14, "titleFontSize": 15}),
                           ("legend", {"labelFontSize": 14, "titleFontSize": 14}),
                           ("text", {"fontSize": 13})):
            for k, v in keys.items():
                cfg.setdefault(part, {}).setdefault(k, v)
    return spec


def _vl_version(spec: dict) -> str | None:
    import vl_convert as vlc

    m = re.search(r"/v(\d+)\.(\d+)", spec.get("$schema", ""))
    if not m:
        return None
    wanted = f"{m.group(1)}.{m.group(2)}"
    known = vlc.get_vegalite_versions()
    if wanted in known:
        return wanted
    same_major = [v for v in known if v.split(".")[0] == m.group(1)]
    return same_major[-1] if same_major else None


def chart_svg(chart, title: str | None = None, subtitle: str | list[str] | None = None, **kw) -> bytes:
    """The chart as SVG (text stays text: searchable, sharp at any size)."""
    import vl_convert as vlc

    spec = chart_spec(chart, title, subtitle, **kw)
    return vlc.vegalite_to_svg(spec, vl_version=_vl_version(spec)).encode("utf-8")


def chart_png(chart, title: str | None = None, subtitle: str | list[str] | None = None, *,
              scale: float = 2.0, **kw) -> bytes:
    """The chart as PNG at `scale` × its pixel size (2 = sharp on a projector)."""
    spec = chart_spec(chart, title, subtitle, **kw)
    return _png(json.dumps(spec, sort_keys=True, default=str), scale)


@functools.lru_cache(maxsize=64)
def _png(spec_json: str, scale: float) -> bytes:
    import vl_convert as vlc

    spec = json.loads(spec_json)
    return vlc.vegalite_to_png(spec, scale=scale, vl_version=_vl_version(spec))


def png_size(png: bytes) -> tuple[int, int]:
    """(width, height) in pixels from the PNG header."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


# ---------------------------------------------------------------------------------------------
# Meeting pack: what goes in, the slides (one layout for both files), PPTX and PDF
# ---------------------------------------------------------------------------------------------
@dataclass
class Kpi:
    label: str
    value: str
    delta: str | None = None
    help: str | None = None


@dataclass
class KpiRow:
    title: str
    items: list[Kpi] = field(default_factory=list)
    note: str | None = None           # a line under the title, e.g. what the changes compare with


@dataclass
class PackTable:
    """A table slide (paginated): `df` is shown as text, columns in order, with `widths`
    (relative) and `labels`."""
    title: str
    df: pl.DataFrame
    labels: dict = field(default_factory=dict)
    widths: dict = field(default_factory=dict)
    empty: str = "Nothing to list."


@dataclass
class Pack:
    """Everything the page showed that goes into the meeting pack, in page order."""
    meta: Meta
    kpi_rows: list[KpiRow] = field(default_factory=list)
    charts: list = field(default_factory=list)        # alt.Chart or Vega-Lite dicts
    tables: list[PackTable] = field(default_factory=list)

    def kpi(self, label: str, value: str, delta: str | None = None, help: str | None = None) -> None:
        if not self.kpi_rows:
            self.kpi_rows.append(KpiRow("Key figures"))
        self.kpi_rows[-1].items.append(Kpi(str(label), str(value), None if delta is None else str(delta), help))

    def new_kpi_row(self, title: str, note: str | None = None) -> None:
        if self.kpi_rows and not self.kpi_rows[-1].items:
            self.kpi_rows[-1].title, self.kpi_rows[-1].note = title, note
        else:
            self.kpi_rows.append(KpiRow(title, note=note))


# -- layout model (inches; 16:9 = 13.333 × 7.5) ----------------------------------------------
SLIDE_W, SLIDE_H = 13.333, 7.5
MARGIN = 0.6
BAND_H = 1.05
BODY_TOP = 1.35
FOOTER_Y = 7.0
BODY_SIZE = 16
TABLE_SIZE = 14
MAX_KPIS = 8


@dataclass
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str
    line: str | None = None


@dataclass
class Text:
    x: float
    y: float
    w: float
    h: float
    text: str
    size: float = BODY_SIZE
    bold: bool = False
    color: str = TEXT
    align: str = "left"          # left | center | right
    valign: str = "top"          # top | middle | bottom


@dataclass
class Image:
    x: float
    y: float
    w: float
    h: float
    png: bytes


@dataclass
class Table:
    x: float
    y: float
    w: float
    header: list[str]
    rows: list[list[str]]
    widths: list[float]          # inches
    row_heights: list[float]     # inches, header first
    size: float = TABLE_SIZE


@dataclass
class Slide:
    title: str
    elements: list = field(default_factory=list)
    notes: str = ""


# -- text measurement (the same font metrics for both renderers) ------------------------------
@functools.cache
def _measure_font(bold: bool):
    found = font_files()
    if not found:
        return None
    from PIL import ImageFont

    return ImageFont.truetype(found[2] if bold else found[1], size=100)


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in inches of one line of `text` at `size` pt."""
    font = _measure_font(bold)
    if font is None:
        return len(text) * size * 0.55 / 72
    return font.getlength(text) / 100 * size / 72


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """Greedy word wrap into lines no wider than `width` inches."""
    lines: list[str] = []
    for para in str(text).split("\n"):
        line = ""
        for word in para.split(" "):
            candidate = f"{line} {word}" if line else word
            if line and text_width(candidate, size, bold) > width:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines


def line_height(size: float) -> float:
    return size * 1.25 / 72


def fit_size(text: str, width: float, size: float, minimum: float, bold: bool = False) -> float:
    """The largest size ≤ `size` (and ≥ `minimum`) at which `text` fits on one line."""
    while size > minimum and text_width(text, size, bold) > width:
        size -= 1
    return size


# -- slides -----------------------------------------------------------------------------------
def _frame(title: str, meta: Meta, subtitle: str | None = None) -> Slide:
    primary = theme()["primary"]
    s = Slide(title)
    s.elements.append(Rect(0, 0, SLIDE_W, BAND_H, primary))
    s.elements.append(Text(MARGIN, 0.12, SLIDE_W - 2 * MARGIN, BAND_H - 0.24, title,
                           size=fit_size(title, SLIDE_W - 2 * MARGIN, 30, 20, bold=True),
                           bold=True, color="#ffffff", valign="middle"))
    if subtitle:
        s.elements.append(Text(MARGIN, BAND_H + 0.12, SLIDE_W - 2 * MARGIN, 0.5, subtitle, size=14, color=MUTED))
    s.elements.append(Rect(MARGIN, FOOTER_Y - 0.08, SLIDE_W - 2 * MARGIN, 0.012, RULE))
    footer = f"{meta.page} · {meta.summary()}"
    s.elements.append(Text(MARGIN, FOOTER_Y, SLIDE_W - 2 * MARGIN - 1.2, 0.35, footer,
                           size=fit_size(footer, SLIDE_W - 2 * MARGIN - 1.2, 12, 9), color=MUTED))
    return s


def _title_slide(pack: Pack, contents: str) -> Slide:
    meta, primary = pack.meta, theme()["primary"]
    s = Slide(meta.page)
    s.elements.append(Rect(0, 0, SLIDE_W, 3.1, primary))
    s.elements.append(Text(MARGIN + 0.1, 0.85, SLIDE_W - 2 * MARGIN, 1.0, meta.page,
                           size=fit_size(meta.page, SLIDE_W - 2 * MARGIN, 44, 28, True), bold=True,
                           color="#ffffff"))
    s.elements.append(Text(MARGIN + 0.1, 1.95, SLIDE_W - 2 * MARGIN, 0.6,
                           f"Meeting pack · as of {meta.as_of_text()}", size=22, color="#dbe7f3"))
    y = 3.55
    for key, value, size in (("Filters", meta.filters, 20), ("As of", meta.as_of_text(), 20),
                             ("Data", f"{meta.version_text()}, prepared "
                              f"{meta.exported_at.astimezone(UTC):%d %b %Y %H:%M} UTC"
                              + (f" by {meta.user}" if meta.user else ""), 16),
                             ("In this pack", contents, 16), ("Link", meta.link or "", 14)):
        if not value:
            continue
        lines = wrap(value, SLIDE_W - 2 * MARGIN - 2.0, size)[:3]
        h = line_height(size) * len(lines)
        s.elements.append(Text(MARGIN + 0.1, y + (line_height(size) - line_height(16)) / 2, 1.9, h, key, size=16,
                               bold=True, color=primary))
        s.elements.append(Text(MARGIN + 2.0, y, SLIDE_W - 2 * MARGIN - 2.0, h, "\n".join(lines), size=size))
        y += h + 0.22
    return s


def _kpi_slides(row: KpiRow, meta: Meta) -> list[Slide]:
    slides = []
    chunks = [row.items[i:i + MAX_KPIS] for i in range(0, len(row.items), MAX_KPIS)] or [[]]
    primary = theme()["primary"]
    for n_chunk, items in enumerate(chunks):
        title = row.title + (f" ({n_chunk + 1}/{len(chunks)})" if len(chunks) > 1 else "")
        s = _frame(title, meta, row.note)
        n = len(items)
        cols = n if n <= 4 else (3 if n in (5, 6) else 4)
        rows = max(1, math.ceil(n / max(cols, 1)))
        gap = 0.3
        top, bottom = BODY_TOP + (0.6 if row.note else 0.25), FOOTER_Y - 0.35
        w = (SLIDE_W - 2 * MARGIN - gap * (cols - 1)) / max(cols, 1)
        h = min(2.6, (bottom - top - gap * (rows - 1)) / rows)
        y0 = top + max(0.0, (bottom - top - rows * h - gap * (rows - 1)) / 2)
        for i, k in enumerate(items):
            x = MARGIN + (i % cols) * (w + gap)
            y = y0 + (i // cols) * (h + gap)
            s.elements.append(Rect(x, y, w, h, PANEL, RULE))
            label_lines = wrap(k.label, w - 0.4, 16)[:2]
            s.elements.append(Text(x + 0.2, y + 0.18, w - 0.4, 0.6, "\n".join(label_lines), size=16, color=MUTED))
            vsize = fit_size(k.value, w - 0.4, 40, 20, True)
            s.elements.append(Text(x + 0.2, y + 0.25 + line_height(16) * len(label_lines), w - 0.4, 0.9, k.value,
                                   size=vsize, bold=True, color=primary))
            if k.delta:
                s.elements.append(Text(x + 0.2, y + h - 0.55, w - 0.4, 0.4, k.delta,
                                       size=fit_size(k.delta, w - 0.4, 15, 11), color=MUTED))
        s.notes = "\n".join(f"{k.label}: {k.help}" for k in items if k.help)
        slides.append(s)
    return slides


def _chart_slide(chart, meta: Meta) -> Slide:
    title, sub = chart_title(chart)
    s = _frame(title or "Chart", meta, " ".join(sub) or None)
    top = BODY_TOP + (0.55 if sub else 0.1)
    box_w, box_h = SLIDE_W - 2 * MARGIN, FOOTER_Y - 0.2 - top
    # Render once, then again at the width that gives the slide's aspect ratio: a short chart
    # drawn narrower comes out with larger type, a tall one wider fills the slide.
    first = 1000
    png = chart_png(chart, with_title=False, width=first, large_text=True, scale=2)
    pw, ph = (v / 2 for v in png_size(png))
    extra = pw - first                                    # axis labels, legend, padding
    target = int(min(max(ph * box_w / box_h, 760), 1500) - extra)
    if abs(target - first) > 40 and target > 200:
        png = chart_png(chart, with_title=False, width=target, large_text=True, scale=2)
    pw, ph = png_size(png)
    scale = min(box_w / pw, box_h / ph)
    w, h = pw * scale, ph * scale
    s.elements.append(Image(MARGIN + (box_w - w) / 2, top, w, h, png))
    s.notes = " ".join(sub)
    return s


TABLE_SLIDES = 10     # slides per table at most


def _table_slides(t: PackTable, meta: Meta) -> list[Slide]:
    cols = list(t.df.columns)
    if t.df.is_empty() or not cols:
        s = _frame(t.title, meta)
        s.elements.append(Text(MARGIN, BODY_TOP + 0.4, SLIDE_W - 2 * MARGIN, 0.6, t.empty, size=20, color=MUTED))
        return [s]
    total_w = SLIDE_W - 2 * MARGIN
    rel = [float(t.widths.get(c, 1.0)) for c in cols]
    widths = [total_w * r / sum(rel) for r in rel]
    header = [str(t.labels.get(c, c.replace("_", " ").capitalize())) for c in cols]
    text_rows = [["—" if v is None else str(v) for v in row] for row in flatten(t.df).iter_rows()]
    pad = 0.16

    def height(cells: list[str], bold: bool = False) -> float:
        n = max(len(wrap(c, w - 0.2, TABLE_SIZE, bold)) for c, w in zip(cells, widths))
        return n * line_height(TABLE_SIZE) + pad

    head_h = height(header, True)
    room = FOOTER_Y - 0.25 - (BODY_TOP + 0.1) - head_h
    pages: list[list[tuple[list[str], float]]] = [[]]
    used = 0.0
    for cells in text_rows:
        h = min(height(cells), room)
        if pages[-1] and used + h > room:
            pages.append([])
            used = 0.0
        pages[-1].append((cells, h))
        used += h
    # A deck for a meeting, not a data dump: at most TABLE_SLIDES slides of a table (at 5,000
    # projects the red list alone fills a hundred); the rest is named with where to find it.
    left_out = sum(len(p) for p in pages[TABLE_SLIDES:])
    pages = pages[:TABLE_SLIDES]
    slides = []
    for i, page in enumerate(pages):
        title = t.title + (f" ({i + 1}/{len(pages)})" if len(pages) > 1 else "")
        s = _frame(title, meta)
        s.elements.append(Table(MARGIN, BODY_TOP + 0.1, total_w, header, [c for c, _ in page], widths,
                                [head_h, *[h for _, h in page]]))
        slides.append(s)
    if left_out:
        s = _frame(f"{t.title}: {left_out:,} more", meta)
        s.elements.append(Text(MARGIN, BODY_TOP + 0.4, SLIDE_W - 2 * MARGIN, 1.2,
                               f"{left_out:,} more rows are not in this pack ({len(text_rows):,} in all). "
                               "The page's CSV or Excel download lists every one; a filter in the "
                               "sidebar narrows the list.", size=20, color=MUTED))
        slides.append(s)
    return slides


def slides(pack: Pack) -> list[Slide]:
    """The deck, in order: title, one slide per KPI row, one per chart, then the tables (the red
    projects with their reasons), paginated. The PPTX and the PDF draw exactly these."""
    body: list[Slide] = []
    for row in pack.kpi_rows:
        if row.items:
            body += _kpi_slides(row, pack.meta)
    for chart in pack.charts:
        body.append(_chart_slide(chart, pack.meta))
    for t in pack.tables:
        body += _table_slides(t, pack.meta)
    n_kpi = sum(1 for r in pack.kpi_rows if r.items)
    parts = [f"{n_kpi} KPI slide{'' if n_kpi == 1 else 's'}", f"{len(pack.charts)} chart{'' if len(pack.charts) == 1 else 's'}"]
    parts += [t.title.lower() for t in pack.tables]
    deck = [_title_slide(pack, ", ".join(parts)), *body]
    for n, s in enumerate(deck[1:], start=2):
        s.elements.append(Text(SLIDE_W - MARGIN - 1.1, FOOTER_Y, 1.1, 0.35, f"{n} / {len(deck)}", size=12,
                               color=MUTED, align="right"))
    return deck


# -- PowerPoint ------------------------------------------------------------------------------
def _rgb(hex_colour: str):
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def to_pptx(deck: list[Slide], meta: Meta) -> bytes:
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
    from pptx.util import Inches, Pt

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(SLIDE_W), Inches(SLIDE_H)
    prs.core_properties.title = meta.page
    prs.core_properties.subject = meta.summary()
    prs.core_properties.author = meta.user or "PMO dashboard"
    blank = prs.slide_layouts[6]
    align = {"left": PP_ALIGN.LEFT, "center": PP_ALIGN.CENTER, "right": PP_ALIGN.RIGHT}
    anchor = {"top": MSO_ANCHOR.TOP, "middle": MSO_ANCHOR.MIDDLE, "bottom": MSO_ANCHOR.BOTTOM}

    def style(run, size, bold, color):
        run.font.size, run.font.bold, run.font.name = Pt(size), bold, PPTX_FONT
        run.font.color.rgb = _rgb(color)

    for sd in deck:
        slide = prs.slides.add_slide(blank)
        slide.name = sd.title
        for el in sd.elements:
            if isinstance(el, Rect):
                shp = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(el.x), Inches(el.y), Inches(el.w),
                                             Inches(el.h))
                shp.fill.solid()
                shp.fill.fore_color.rgb = _rgb(el.fill)
                if el.line:
                    shp.line.color.rgb = _rgb(el.line)
                    shp.line.width = Pt(0.75)
                else:
                    shp.line.fill.background()
                shp.shadow.inherit = False
            elif isinstance(el, Text):
                box = slide.shapes.add_textbox(Inches(el.x), Inches(el.y), Inches(el.w), Inches(el.h))
                tf = box.text_frame
                tf.word_wrap = True
                tf.margin_left = tf.margin_right = tf.margin_top = tf.margin_bottom = 0
                tf.vertical_anchor = anchor[el.valign]
                for i, line in enumerate(el.text.split("\n")):
                    p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
                    p.alignment = align[el.align]
                    style(p.add_run(), el.size, el.bold, el.color)
                    p.runs[0].text = line
                if el is sd.elements[1] and sd.elements and isinstance(sd.elements[0], Rect):
                    box.name = "Title"
            elif isinstance(el, Image):
                slide.shapes.add_picture(io.BytesIO(el.png), Inches(el.x), Inches(el.y), Inches(el.w), Inches(el.h))
            elif isinstance(el, Table):
                shape = slide.shapes.add_table(len(el.rows) + 1, len(el.header), Inches(el.x), Inches(el.y),
                                               Inches(el.w), Inches(sum(el.row_heights)))
                tbl = shape.table
                tbl.first_row = True
                for j, wdt in enumerate(el.widths):
                    tbl.columns[j].width = Inches(wdt)
                for i, hgt in enumerate(el.row_heights):
                    tbl.rows[i].height = Inches(hgt)
                for i, cells in enumerate([el.header, *el.rows]):
                    for j, value in enumerate(cells):
                        cell = tbl.cell(i, j)
                        cell.margin_left = cell.margin_right = Inches(0.1)
                        cell.margin_top = cell.margin_bottom = Inches(0.08)
                        cell.fill.solid()
                        cell.fill.fore_color.rgb = _rgb(theme()["primary"] if i == 0 else
                                                        ("#ffffff" if i % 2 else PANEL))
                        cell.text_frame.word_wrap = True
                        p = cell.text_frame.paragraphs[0]
                        run = p.add_run()
                        run.text = value
                        style(run, el.size, i == 0, "#ffffff" if i == 0 else TEXT)
        if sd.notes:
            slide.notes_slide.notes_text_frame.text = sd.notes
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


# -- PDF -------------------------------------------------------------------------------------
def _pdf_text(text: str, unicode_font: bool) -> str:
    if unicode_font:
        return text
    return (text.replace("·", "-").replace("÷", "/").replace("→", "->").replace("−", "-").replace("€", "EUR ")
            .encode("latin-1", "replace").decode("latin-1"))


def to_pdf(deck: list[Slide], meta: Meta) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(orientation="L", unit="in", format=(SLIDE_H, SLIDE_W))
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.set_title(meta.page)
    pdf.set_subject(meta.summary())
    pdf.set_author(meta.user or "PMO dashboard")
    pdf.set_creator("PMO dashboard")
    found = font_files()
    if found:
        pdf.add_font("Body", "", found[1])
        pdf.add_font("Body", "B", found[2])
        family = "Body"
    else:
        family = "Helvetica"

    def colour(hex_colour: str) -> tuple[int, int, int]:
        h = hex_colour.lstrip("#")
        return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)

    def write(x, y, w, h, text, size, bold, col, align="left", valign="top"):
        pdf.set_font(family, "B" if bold else "", size)
        pdf.set_text_color(*colour(col))
        lh = line_height(size)
        lines = text.split("\n")
        block = lh * len(lines)
        if valign == "middle":
            y += max(0.0, (h - block) / 2)
        elif valign == "bottom":
            y += max(0.0, h - block)
        for line in lines:
            pdf.set_xy(x, y)
            pdf.cell(w, lh, _pdf_text(line, bool(found)), align={"left": "L", "center": "C", "right": "R"}[align])
            y += lh

    for sd in deck:
        pdf.add_page()
        for el in sd.elements:
            if isinstance(el, Rect):
                pdf.set_fill_color(*colour(el.fill))
                if el.line:
                    pdf.set_draw_color(*colour(el.line))
                    pdf.set_line_width(0.01)
                    pdf.rect(el.x, el.y, el.w, el.h, style="DF")
                else:
                    pdf.rect(el.x, el.y, el.w, el.h, style="F")
            elif isinstance(el, Text):
                lines = []
                for line in el.text.split("\n"):
                    lines += wrap(line, el.w, el.size, el.bold)
                write(el.x, el.y, el.w, el.h, "\n".join(lines), el.size, el.bold, el.color, el.align, el.valign)
            elif isinstance(el, Image):
                pdf.image(io.BytesIO(el.png), x=el.x, y=el.y, w=el.w, h=el.h)
            elif isinstance(el, Table):
                y = el.y
                for i, (cells, hgt) in enumerate(zip([el.header, *el.rows], el.row_heights)):
                    x = el.x
                    fill = theme()["primary"] if i == 0 else ("#ffffff" if i % 2 else PANEL)
                    pdf.set_fill_color(*colour(fill))
                    pdf.set_draw_color(*colour(RULE))
                    pdf.set_line_width(0.008)
                    for value, wdt in zip(cells, el.widths):
                        pdf.rect(x, y, wdt, hgt, style="DF")
                        lines = wrap(value, wdt - 0.2, el.size, i == 0)
                        room = max(1, int((hgt - 0.1) / line_height(el.size)))
                        if len(lines) > room:
                            lines = lines[:room]
                            lines[-1] = lines[-1].rstrip() + " …"
                        write(x + 0.1, y + 0.08, wdt - 0.2, hgt - 0.16, "\n".join(lines), el.size, i == 0,
                              "#ffffff" if i == 0 else TEXT)
                        x += wdt
                    y += hgt
    return bytes(pdf.output())


def meeting_pack(pack: Pack) -> tuple[bytes, bytes]:
    """(pptx bytes, pdf bytes) of the same slides."""
    deck = slides(pack)
    return to_pptx(deck, pack.meta), to_pdf(deck, pack.meta)


def pack_pptx(pack: Pack) -> bytes:
    return to_pptx(slides(pack), pack.meta)


def pack_pdf(pack: Pack) -> bytes:
    return to_pdf(slides(pack), pack.meta)
