"""The meeting pack: what goes in (`Pack`: KPI rows, charts, tables, in page order), the slides
(one layout model for both files, measured with the same font metrics), and the two renderers:
a 16:9 PowerPoint deck (python-pptx) and a PDF with the same slides (fpdf2, pure Python).
"""

from __future__ import annotations

import functools
import io
import math
from dataclasses import dataclass, field
from datetime import UTC

import polars as pl

from pmo import metrics
from pmo.export.charts import _to_dict, chart_spec, chart_title, png_size, spec_png
from pmo.export.meta import Meta
from pmo.export.slide_charts import (
    FONT_PX,
    MIN_PT,
    PX_PER_IN,
    effective_pt,
    for_slide,
    slide_caption,
    split_rows,
)
from pmo.export.tables import SLIDE_MAX_CHARS, flatten
from pmo.export.theme import MUTED, PANEL, PPTX_FONT, RULE, TEXT, font_files, theme


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
    link: str | None = None      # every line opens this address


@dataclass
class Image:
    x: float
    y: float
    w: float
    h: float
    png: bytes
    spec: dict | None = None     # the Vega-Lite spec the picture was drawn from
    min_pt: float | None = None  # its smallest type, in points, at the placed size


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


def ellipsize(text: str, width: float, size: float) -> str:
    """`text` on one line of `width` inches, ending in "…" when cut (the title slide has it all)."""
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


# -- slides -----------------------------------------------------------------------------------
def _frame(title: str, meta: Meta, subtitle: str | None = None) -> Slide:
    primary = theme()["primary"]
    s = Slide(title)
    s.elements.append(Rect(0, 0, SLIDE_W, BAND_H, primary))
    s.elements.append(Text(MARGIN, 0.12, SLIDE_W - 2 * MARGIN, BAND_H - 0.24, title,
                           size=fit_size(title, SLIDE_W - 2 * MARGIN, 30, 20, bold=True),
                           bold=True, color="#ffffff", valign="middle"))
    if subtitle:   # two lines at 14 pt, else three at 12 pt (the last cut with "…"): above the body
        size, width = 14, SLIDE_W - 2 * MARGIN
        lines = wrap(subtitle, width, size)
        if len(lines) > 2:
            size = 12
            lines = wrap(subtitle, width, size)
            if len(lines) > 3:
                lines = [*lines[:2], ellipsize(" ".join(lines[2:]), width, size)]
        s.elements.append(Text(MARGIN, BAND_H + 0.12, width, line_height(size) * len(lines), "\n".join(lines),
                               size=size, color=MUTED))
    s.elements.append(Rect(MARGIN, FOOTER_Y - 0.08, SLIDE_W - 2 * MARGIN, 0.012, RULE))
    footer = ellipsize(f"{meta.page} · {meta.summary()}", SLIDE_W - 2 * MARGIN - 1.2, 12)
    s.elements.append(Text(MARGIN, FOOTER_Y, SLIDE_W - 2 * MARGIN - 1.2, 0.35, footer,
                           size=12, color=MUTED))
    return s


LINK_LINES = 3          # lines of the link on the title slide; a longer one ends in "…" (the QR code holds it all)
QR_SIZE = 2.3           # inches


def wrap_link(url: str, width: float, size: float, max_lines: int = LINK_LINES) -> list[str]:
    """A link (no spaces to break at) in lines no wider than `width` inches: broken after a
    / ? & = or -, else between two letters; past `max_lines` the last line ends in "…"."""
    lines: list[str] = []
    rest = url
    while rest:
        lo, hi = 1, len(rest)              # the longest start of `rest` that fits (binary search)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            lo, hi = (mid, hi) if text_width(rest[:mid], size) <= width else (lo, mid - 1)
        n = lo
        if n < len(rest):
            cut = max(rest.rfind(c, 0, n) for c in "/?&=-")
            if cut >= n // 2:
                n = cut + 1
        lines.append(rest[:n])
        rest = rest[n:]
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and text_width(last + "…", size) > width:
            last = last[:-1]
        lines = [*lines[:max_lines - 1], last + "…"]
    return lines


def qr_png(text: str) -> bytes:
    """`text` as a QR code (segno: pure Python), dark modules in the slide's text colour."""
    import segno

    out = io.BytesIO()
    segno.make(text, error="m", micro=False).save(out, kind="png", scale=10, border=2, dark=TEXT)
    return out.getvalue()


def openable(link: str | None) -> bool:
    """A link a reader can open from a file or a phone: an absolute http(s) address. (A page run
    without a server, e.g. `pmo report`, knows only its relative path: shown, but no QR code or
    clickable link.)"""
    return bool(link) and link.lower().startswith(("http://", "https://"))


def _title_slide(pack: Pack, contents: str) -> Slide:
    meta, primary = pack.meta, theme()["primary"]
    s = Slide(meta.page)
    s.elements.append(Rect(0, 0, SLIDE_W, 3.1, primary))
    s.elements.append(Text(MARGIN + 0.1, 0.85, SLIDE_W - 2 * MARGIN, 1.0, meta.page,
                           size=fit_size(meta.page, SLIDE_W - 2 * MARGIN, 44, 28, True), bold=True,
                           color="#ffffff"))
    s.elements.append(Text(MARGIN + 0.1, 1.95, SLIDE_W - 2 * MARGIN, 0.6,
                           f"Meeting pack · as of {meta.as_of_text()}", size=22, color="#dbe7f3"))
    # the text column leaves room at the right for the QR code of the link
    qr = openable(meta.link)
    text_w = SLIDE_W - 2 * MARGIN - 2.0 - ((QR_SIZE + 0.4) if qr else 0)
    y = 3.45
    for key, value, size in (("Filters", meta.filters, 20), ("As of", meta.as_of_text(), 20),
                             ("Data", f"{meta.version_text()}, prepared "
                              f"{metrics.day_time(meta.exported_at.astimezone(UTC))} UTC"
                              + (f" by {meta.user}" if meta.user else ""), 16),
                             ("In this pack", contents, 16), ("Link", meta.link or "", 14)):
        if not value:
            continue
        lines = wrap_link(value, text_w, size) if key == "Link" else wrap(value, text_w, size)
        if len(lines) > 3:                 # a long filter list: cut with "…" (the link opens the view in full)
            lines = [*lines[:2], ellipsize(" ".join(lines[2:]), text_w, size)]
        h = line_height(size) * len(lines)
        s.elements.append(Text(MARGIN + 0.1, y + (line_height(size) - line_height(16)) / 2, 1.9, h, key, size=16,
                               bold=True, color=primary))
        s.elements.append(Text(MARGIN + 2.0, y, text_w, h, "\n".join(lines), size=size,
                               link=value if key == "Link" and qr else None))
        y += h + 0.22
    if qr:
        x = SLIDE_W - MARGIN - QR_SIZE
        s.elements.append(Image(x, 3.4, QR_SIZE, QR_SIZE, qr_png(meta.link)))
        s.elements.append(Text(x - 0.2, 3.45 + QR_SIZE, QR_SIZE + 0.4, 0.3, "Scan to open this view", size=12,
                               color=MUTED, align="center"))
    return s


def _kpi_slides(row: KpiRow, meta: Meta) -> list[Slide]:
    slides = []
    chunks = [row.items[i:i + MAX_KPIS] for i in range(0, len(row.items), MAX_KPIS)] or [[]]
    primary = theme()["primary"]
    for n_chunk, items in enumerate(chunks):
        title = row.title + (f" ({n_chunk + 1} of {len(chunks)})" if len(chunks) > 1 else "")
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
                                       size=fit_size(k.delta, w - 0.4, 15, 12), color=MUTED))
        s.notes = "\n".join(f"{k.label}: {k.help}" for k in items if k.help)
        slides.append(s)
    return slides


SLIDE_PNG_SCALE = 2      # picture pixels per CSS pixel: 12 in at 90 px/in = 2,184 px, sharp on a projector


def _chart_slides(chart, meta: Meta) -> list[Slide]:
    """One slide per chart, or per part of a long heat map or timeline ("(1 of 3)"), with the
    chart's slide caption (pmo/export/slide_charts.py) and type of at least MIN_PT points."""
    raw = _to_dict(chart)
    title, sub = chart_title(raw)
    caption = slide_caption(raw, sub)
    spec = chart_spec(raw, with_title=False)
    parts = split_rows(spec)
    top = BODY_TOP + (0.55 if caption else 0.1)
    box_w, box_h = SLIDE_W - 2 * MARGIN, FOOTER_Y - 0.2 - top
    slides = []
    for i, part in enumerate(parts):
        name = (title or "Chart") + (f" ({i + 1} of {len(parts)})" if len(parts) > 1 else "")
        s = _frame(name, meta, caption or None)
        # Drawn at PX_PER_IN CSS pixels per inch of the box, so FONT_PX type is FONT_PX × 72 /
        # PX_PER_IN pt once placed (16 px -> 12.8 pt). A chart that does not fit its box (a
        # concatenation) is shrunk to fit: then it is drawn again with type enlarged by as much.
        font_px = FONT_PX
        for _ in range(3):
            slide_spec = for_slide(part, int(box_w * PX_PER_IN), int(box_h * PX_PER_IN), font_px)
            png = spec_png(slide_spec, SLIDE_PNG_SCALE)
            css_w, css_h = (v / SLIDE_PNG_SCALE for v in png_size(png))
            fit = min(1.0, box_w * PX_PER_IN / css_w, box_h * PX_PER_IN / css_h)
            w, h = css_w / PX_PER_IN * fit, css_h / PX_PER_IN * fit
            pt = effective_pt(slide_spec, w, css_w)
            if pt >= MIN_PT:
                break
            font_px = math.ceil(font_px * MIN_PT / pt + 0.5)
        s.elements.append(Image(MARGIN + (box_w - w) / 2, top, w, h, png, spec=slide_spec, min_pt=pt))
        s.notes = caption
        slides.append(s)
    return slides


TABLE_SLIDES = 10     # slides per table at most
TABLE_ROWS = 14       # rows per table slide at most (fewer when rows wrap: the slide's height decides)


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
    text_rows = [["—" if v is None else str(v) for v in row] for row in flatten(t.df, max_chars=SLIDE_MAX_CHARS).iter_rows()]
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
        if pages[-1] and (used + h > room or len(pages[-1]) >= TABLE_ROWS):
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
        title = t.title + (f" ({i + 1} of {len(pages)})" if len(pages) > 1 else "")
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
        body += _chart_slides(chart, pack.meta)
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
                    if el.link:
                        p.runs[0].hyperlink.address = el.link
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

    def write(x, y, w, h, text, size, bold, col, align="left", valign="top", link=""):
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
            pdf.cell(w, lh, _pdf_text(line, bool(found)), align={"left": "L", "center": "C", "right": "R"}[align],
                     link=link)
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
                write(el.x, el.y, el.w, el.h, "\n".join(lines), el.size, el.bold, el.color, el.align, el.valign,
                      el.link or "")
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
