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

One module per concern; every public name is re-exported here, so `from pmo import export` and
`export.to_csv_bytes(...)`, `export.Pack(...)` ... work as they always did:

- `meta.py`: what every export states (`Meta`: page, filters, as-of, version, link) and its file name.
- `tables.py`: CSV and Excel, formula-injection escaping (`neutralise`), flat cells, page headers.
- `charts.py`: a chart's Vega-Lite spec made ready for a file, PNG / SVG through vl-convert (each
  picture rendered once: kept under a hash of its spec and scale), the Altair lock.
- `slide_charts.py`: a chart made into slides: a caption without pointer wording, long heat maps and
  timelines split at a readable row count, type of at least 12 pt at the placed size.
- `pack.py`: the meeting pack: what goes in (`Pack`, `KpiRow`, `PackTable`), the slides (one layout
  for both files), PowerPoint and PDF.
- `theme.py`: colours from .streamlit/config.toml and the fonts the PDF and text measurement use.
"""

from __future__ import annotations

from pmo.export.charts import (
    EXPORT_WIDTH,
    chart_png,
    chart_spec,
    chart_svg,
    chart_title,
    png_size,
    spec_png,
    use_altair_lock,
    warm_up,
)
from pmo.export.meta import Meta, file_name, slug
from pmo.export.pack import (
    Kpi,
    KpiRow,
    Pack,
    PackTable,
    meeting_pack,
    pack_pdf,
    pack_pptx,
    slides,
    to_pdf,
    to_pptx,
)
from pmo.export.tables import (
    FORMULA_START,
    NUMBER_FORMATS,
    XLSX_MAX_ROWS,
    flatten,
    headers,
    money_format,
    neutralise,
    neutralise_frame,
    to_csv_bytes,
    to_xlsx_bytes,
)
from pmo.export.theme import font_files, theme

__all__ = [
    "EXPORT_WIDTH", "FORMULA_START", "NUMBER_FORMATS", "XLSX_MAX_ROWS", "Kpi", "KpiRow", "Meta", "Pack",
    "PackTable", "chart_png", "chart_spec", "chart_svg", "chart_title", "file_name", "flatten", "font_files",
    "headers", "meeting_pack", "money_format", "neutralise", "neutralise_frame", "pack_pdf", "pack_pptx",
    "png_size", "slides", "slug", "spec_png", "theme", "to_csv_bytes", "to_pdf", "to_pptx", "to_xlsx_bytes",
    "use_altair_lock", "warm_up",
]
