"""Slides that read as slides (issue 21, point 4): no pointer wording on any slide of any page's
meeting pack (PowerPoint and PDF), the title slide's link kept on the slide with a QR code of it,
no repeated time-axis labels, type of at least 12 pt (text runs, and chart pictures at the size they
are placed), long heat maps and timelines split at a readable row count, each picture rendered once."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta

import polars as pl
import pytest
from conftest import ROOT
from helpers.slides import slide_texts
from PIL import Image as PILImage
from pptx import Presentation
from pptx.util import Pt

from pmo import export
from pmo.charts import health as charts
from pmo.export import charts as export_charts
from pmo.export import pack as pack_mod
from pmo.export import slide_charts

POINTER = re.compile(r"click|hover|tap |drag|scroll", re.IGNORECASE)        # the rule, as written

META = export.Meta(page="Portfolio health", filters="Portfolio: Digital Channels", as_of=date(2026, 11, 20),
                   version=7, link="http://pmo.example.com/Portfolio_Health?portfolio=Digital+Channels",
                   user="ana@example.com", exported_at=datetime(2026, 11, 25, 9, 14, tzinfo=UTC))


def runs(prs):
    for slide in prs.slides:
        for shape in slide.shapes:
            frames = [shape.text_frame] if shape.has_text_frame else []
            if shape.has_table:
                frames += [c.text_frame for row in shape.table.rows for c in row.cells]
            for frame in frames:
                for p in frame.paragraphs:
                    yield from p.runs


def pdf_text_pages(pdf: bytes) -> list[str]:
    from pypdf import PdfReader

    return [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]


def picture_pt(img: pack_mod.Image) -> float:
    """The smallest type of a chart picture once placed, worked out from its spec alone: the font
    sizes the spec sets (for_slide sets every default: axis, legend, header, title, text) × the
    placed width in points ÷ the picture's width in CSS pixels."""
    cfg = img.spec["config"]
    for part, keys in (("axis", ("labelFontSize", "titleFontSize")), ("legend", ("labelFontSize", "titleFontSize")),
                       ("text", ("fontSize",))):
        assert all(k in cfg[part] for k in keys), (part, cfg.get(part))      # no 11 px Vega default left
    css_w = export.png_size(img.png)[0] / pack_mod.SLIDE_PNG_SCALE
    return min(slide_charts.font_sizes(img.spec)) * img.w * 72 / css_w


def history(n_projects: int) -> pl.DataFrame:
    dates = [date(2026, 6, 26), date(2026, 7, 31), date(2026, 8, 28), date(2026, 9, 25), date(2026, 10, 30)]
    rows = [{"project_id": f"PRJ-{1001 + i}", "project_name": f"Project {i + 1}", "as_of": d,
             "overall_health": ["green", "amber", "red"][(i + j) % 3], "reported_health": "green",
             "health_reason": "Click-free reason text"} for i in range(n_projects) for j, d in enumerate(dates)]
    return pl.DataFrame(rows)


def milestones(n_projects: int, as_of: date) -> pl.DataFrame:
    rows = []
    for i in range(n_projects):
        for k, status in enumerate(("done", "late", "upcoming")):
            d = as_of + timedelta(days=(i * 7 + k * 40) % 240 - 80)
            rows.append({"project_id": f"PRJ-{2001 + i}", "project_name": f"Plan {i + 1}", "milestone": f"M{k}",
                         "milestone_status": status, "committed_date": d, "forecast_date": d,
                         "done_date": d if status == "done" else None, "days_late": 5 if status == "late" else None})
    return pl.DataFrame(rows)


# ---- captions -----------------------------------------------------------------------------------
@pytest.mark.parametrize("web, printed", [
    ("Bubble size = BAC; below 0.95 is amber, below 0.90 red. Click a bubble to open the project.",
     "Bubble size = BAC; below 0.95 is amber, below 0.90 red."),
    ("Computed overall health at each status date (hover for the reason)",
     "Computed overall health at each status date"),
    ("Number = open risks in the cell; colour = exposure band; click a cell to list its risks",
     "Number = open risks in the cell; colour = exposure band"),
    ("Red = beyond the limit, grey = not measurable. Hover for the value; click to open the project.",
     "Red = beyond the limit, grey = not measurable."),
    ("Forecast finish minus baseline finish, in days (right = late)",
     "Forecast finish minus baseline finish, in days (right = late)"),
])
def test_a_caption_for_print_drops_what_asks_for_a_mouse(web, printed):
    assert slide_charts.print_caption(web) == printed


def test_a_chart_may_give_its_own_slide_caption():
    projects = pl.DataFrame({"project_id": ["PRJ-1"], "project_name": ["A"], "cpi": [0.8], "spi": [0.9],
                             "bac": [1e6], "overall_health": ["red"], "health_reason": ["Cost red"]})
    deck = export.slides(export.Pack(META, charts=[charts.cpi_spi_quadrant(projects)]))
    caption = next(e.text for e in deck[1].elements if isinstance(e, pack_mod.Text) and e.size in (12, 14))
    assert caption.startswith("One bubble per project, sized by BAC; below 0.95 is amber, below 0.90 red.")
    # the picture file gets the same caption in place of the page's subtitle
    svg = export.chart_svg(charts.cpi_spi_quadrant(projects)).decode()
    assert "One bubble per project" in svg and not POINTER.search(svg)


# ---- title slide --------------------------------------------------------------------------------
LONG_LINK = ("https://pmo.example.com/Portfolio_Health?portfolio=Digital+Channels&program=Customer+Experience"
             "&department=Retail+Banking&manager=Ana+Souza&stage=Delivery&as_of=2026-11-20&eac=bac_over_cpi"
             "&drill=PRJ-1002%2CPRJ-1004%2CPRJ-1012%2CPRJ-1019%2CPRJ-1023%2CPRJ-1029%2CPRJ-1034%2CPRJ-1036"
             "&window=90&sort=overall_health&view=red")


def test_the_title_slides_link_stays_on_the_slide_and_its_qr_code_holds_all_of_it():
    meta = export.Meta(**{**META.__dict__, "link": LONG_LINK})
    deck = export.slides(export.Pack(meta))
    link = next(e for e in deck[0].elements if isinstance(e, pack_mod.Text) and e.link)
    lines = link.text.split("\n")
    assert len(lines) == pack_mod.LINK_LINES and lines[-1].endswith("…")     # 3 lines, then shortened
    assert "".join(lines)[:-1] == LONG_LINK[:len("".join(lines)) - 1]        # the link's own start, in order
    for line in lines:                                                       # each line inside its box
        assert pack_mod.text_width(line, link.size) <= link.w + 1e-6
    qr = next(e for e in deck[0].elements if isinstance(e, pack_mod.Image))
    assert link.x + link.w < qr.x <= pack_mod.SLIDE_W - pack_mod.MARGIN - qr.w + 1e-6   # beside, on the slide

    # the QR code's dark modules are those of the whole link (segno's matrix, at scale 10, border 2)
    import segno

    matrix = segno.make(LONG_LINK, error="m", micro=False).matrix
    img = PILImage.open(io.BytesIO(qr.png)).convert("L")
    assert img.size[0] == img.size[1] == (len(matrix) + 4) * 10
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            assert (img.getpixel(((c + 2) * 10 + 5, (r + 2) * 10 + 5)) < 128) == bool(dark)

    pptx, pdf = export.meeting_pack(export.Pack(meta))
    prs = Presentation(io.BytesIO(pptx))
    addresses = [r.hyperlink.address for r in runs(prs) if r.hyperlink.address]
    assert addresses and set(addresses) == {LONG_LINK}                       # the shortened text opens all of it
    assert any(s.shape_type == 13 for s in prs.slides[0].shapes)            # the QR picture
    first = pdf_text_pages(pdf)[0]
    assert lines[0] in first and "Scan to open this view" in first
    assert LONG_LINK.encode() in pdf                                         # the PDF's link annotation


def test_a_short_link_is_shown_whole():
    deck = export.slides(export.Pack(META))
    link = next(e for e in deck[0].elements if isinstance(e, pack_mod.Text) and e.link)
    assert link.text == META.link


def test_a_relative_link_is_shown_without_a_qr_code_or_a_hyperlink():
    # a page run without a server (pmo report, AppTest) knows only "./Portfolio_Health"
    meta = export.Meta(**{**META.__dict__, "link": "./Portfolio_Health?portfolio=Digital+Channels"})
    deck = export.slides(export.Pack(meta))
    texts = [e for e in deck[0].elements if isinstance(e, pack_mod.Text)]
    assert any(t.text == meta.link for t in texts) and not any(t.link for t in texts)
    assert not any(isinstance(e, pack_mod.Image) for e in deck[0].elements)
    prs = Presentation(io.BytesIO(export.pack_pptx(export.Pack(meta))))
    assert not any(r.hyperlink.address for r in runs(prs))


# ---- axes ---------------------------------------------------------------------------------------
def axis_month_labels(svg: bytes) -> list[str]:
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg.decode())
    return [t for t in texts if re.fullmatch(r"[A-Z][a-z]{2} \d{4}", t)]


def test_the_milestone_timeline_labels_each_month_once_on_the_page_picture_and_the_slides():
    import vl_convert as vlc

    as_of = date(2026, 11, 20)
    chart = charts.milestone_timeline(milestones(20, as_of), as_of)
    page_svg = export.chart_svg(chart)
    labels = axis_month_labels(page_svg)
    # window 22 Aug 2026 - 19 May 2027: one tick a month, Sep 2026 to May 2027
    assert labels == ["Sep 2026", "Oct 2026", "Nov 2026", "Dec 2026", "Jan 2027", "Feb 2027", "Mar 2027",
                      "Apr 2027", "May 2027"]
    for part in slide_charts.split_rows(export.chart_spec(chart, with_title=False)):
        slide = slide_charts.for_slide(part, 1090, 470)
        shown = axis_month_labels(vlc.vegalite_to_svg(slide).encode())
        assert shown and len(shown) == len(set(shown)), shown


def test_a_month_axis_left_to_itself_gets_monthly_ticks():
    spec = {"mark": "line", "encoding": {"x": {"field": "d", "type": "temporal", "axis": {"format": "%b %y"}},
                                         "y": {"field": "v", "type": "quantitative"}}}
    slide_charts.distinct_time_ticks(spec)
    assert spec["encoding"]["x"]["axis"]["tickCount"] == {"interval": "month"}
    daily = {"mark": "line", "encoding": {"x": {"field": "d", "type": "temporal", "axis": {"format": "%d %b"}}}}
    slide_charts.distinct_time_ticks(daily)
    assert "tickCount" not in daily["encoding"]["x"]["axis"]


# ---- splitting ------------------------------------------------------------------------------------
def part_rows(img: pack_mod.Image, field: str) -> list[str]:
    found, rows = slide_charts.row_order(img.spec)
    assert found == field
    return rows


def test_a_38_row_heat_map_takes_three_slides_of_13_13_and_12_rows_in_order():
    hist = history(38)
    order = [f"PRJ-{1001 + i}" for i in reversed(range(38))]                 # worst first: any order is kept
    deck = export.slides(export.Pack(META, charts=[charts.health_strip(hist, order=order)]))
    assert [s.title for s in deck[1:]] == [f"Health history per project ({i} of 3)" for i in (1, 2, 3)]
    parts = [next(e for e in s.elements if isinstance(e, pack_mod.Image)) for s in deck[1:]]
    rows = [part_rows(p, "project") for p in parts]
    assert [len(r) for r in rows] == [13, 13, 12]
    assert [r.split(" ")[0] for part in rows for r in part] == order
    for p, r in zip(parts, rows):
        data = [row for rows_ in p.spec["datasets"].values() for row in rows_]
        assert {d["project"] for d in data} == set(r)                         # each part holds its rows only
        assert "health_reason" not in data[0]                                  # no tooltip columns on a slide
        x = next(u["encoding"]["x"] for u in slide_charts.units(p.spec) if "x" in u.get("encoding", {}))
        assert x["scale"]["domain"] == ["26 Jun", "31 Jul", "28 Aug", "25 Sep", "30 Oct"]   # day and month (metrics.DAY_MONTH_D3)


def test_a_timeline_is_split_and_a_short_one_is_not():
    as_of = date(2026, 11, 20)
    deck = export.slides(export.Pack(META, charts=[charts.milestone_timeline(milestones(27, as_of), as_of),
                                                   charts.milestone_timeline(milestones(9, as_of), as_of)]))
    assert [s.title for s in deck[1:]] == ["Milestone timeline (1 of 2)", "Milestone timeline (2 of 2)",
                                           "Milestone timeline"]
    counts = [len(part_rows(next(e for e in s.elements if isinstance(e, pack_mod.Image)), "project"))
              for s in deck[1:]]
    assert counts[:2] == [14, 13] and counts[2] == 9


def test_a_long_table_holds_at_most_14_rows_a_slide():
    df = pl.DataFrame({"project_id": [f"P{i}" for i in range(40)]})
    deck = export.slides(export.Pack(META, tables=[export.PackTable("Forty", df)]))
    tables = [e for s in deck for e in s.elements if isinstance(e, pack_mod.Table)]
    # one-line rows are 0.403 in high and 4.90 in hold 12 (the height decides before the 14-row cap)
    assert [len(t.rows) for t in tables] == [12, 12, 12, 4]
    assert [s.title for s in deck[1:]] == [f"Forty ({i} of {len(tables)})" for i in range(1, len(tables) + 1)]


# ---- type size ------------------------------------------------------------------------------------
def test_every_run_is_set_and_at_least_12_pt_and_pictures_read_at_12_pt():
    as_of = date(2026, 11, 20)
    pack = export.Pack(META, charts=[charts.health_strip(history(20)),
                                     charts.milestone_timeline(milestones(12, as_of), as_of)])
    pack.new_kpi_row("Figures")
    pack.kpi("A long label that wraps onto a second line of its card", "$12.50M", "+$1,250,000 since 30 Oct 2026")
    pack.tables.append(export.PackTable("Table", pl.DataFrame({"a": ["x" * 300]})))
    prs = Presentation(io.BytesIO(export.pack_pptx(pack)))
    sizes = [r.font.size for r in runs(prs)]
    assert sizes and None not in sizes and min(sizes) >= Pt(12)
    images = [e for s in export.slides(pack) for e in s.elements if isinstance(e, pack_mod.Image) and e.spec]
    assert len(images) == 3
    for img in images:
        assert picture_pt(img) >= 12 and abs(img.min_pt - picture_pt(img)) < 0.01


def test_a_chart_too_wide_for_its_box_is_drawn_again_with_larger_type():
    import altair as alt

    df = pl.DataFrame({"a": list("abcdefgh") * 3, "g": ["x", "y", "z"] * 8, "v": list(range(24))})
    wide = alt.hconcat(*[alt.Chart(df, title=f"Part {i}").mark_bar().encode(x="a:N", y="v:Q").properties(width=500)
                         for i in range(3)])
    img = next(e for s in export.slides(export.Pack(META, charts=[wide])) for e in s.elements
               if isinstance(e, pack_mod.Image) and e.spec)
    assert img.w <= pack_mod.SLIDE_W - 2 * pack_mod.MARGIN + 1e-6
    assert picture_pt(img) >= 12


# ---- rendering once ------------------------------------------------------------------------------
def test_each_picture_is_rendered_once_for_the_deck_the_pdf_and_a_second_build(monkeypatch):
    calls = []
    real = export_charts._render_png
    monkeypatch.setattr(export_charts, "_render_png", lambda text, scale: calls.append(1) or real(text, scale))
    export_charts._PNG_CACHE.clear()
    pack = export.Pack(META, charts=[charts.health_strip(history(20))])
    export.pack_pptx(pack)
    first = len(calls)
    assert first == 2                                      # two slides of 10 rows: two pictures
    export.pack_pdf(pack)
    export.pack_pptx(pack)
    assert len(calls) == first


# ---- every page's pack on the sample store --------------------------------------------------------
PAGES = [p for p, *_ in __import__("pmo.ui.nav", fromlist=["PAGES"]).PAGES]
WITH_PACK = {"pages/1_Portfolio_Health.py", "pages/2_Budget_Variance.py", "pages/3_Salary_Benchmarks.py",
             "pages/8_Governance.py", "pages/9_RAID.py", "pages/10_Capacity.py", "pages/11_Prioritisation.py",
             "pages/12_Maturity.py"}       # pages whose pack on the sample store has charts


@pytest.mark.app
@pytest.mark.parametrize("page", PAGES)
def test_every_pages_pack_reads_as_slides(page, sample_store_dir, sample_con, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("PMO_DATA_DIR", str(sample_store_dir))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300)
    (at.run() if page == "dashboard.py" else at.switch_page(page).run())
    assert not at.exception, [e.value for e in at.exception]
    view = at.session_state.get("_share_view")
    if view is None or view.script != page:
        assert page not in WITH_PACK
        return                                             # a page without a meeting pack (Data, SQL, Audit)
    pack = view.pack
    pack.meta = view.meta()
    assert pack.charts or page not in WITH_PACK
    deck = export.slides(pack)
    pptx, pdf = export.to_pptx(deck, pack.meta), export.to_pdf(deck, pack.meta)
    prs = Presentation(io.BytesIO(pptx))
    for n, slide in enumerate(prs.slides, start=1):
        said = [t for t in slide_texts(slide) if POINTER.search(t)]
        assert not said, (page, n, said)
    for n, text in enumerate(pdf_text_pages(pdf), start=1):
        assert not POINTER.search(text), (page, n, POINTER.findall(text))
    sizes = [r.font.size for r in runs(prs)]
    assert None not in sizes and min(sizes) >= Pt(12), page
    for s in deck:
        for img in (e for e in s.elements if isinstance(e, pack_mod.Image) and e.spec):
            assert picture_pt(img) >= 12, (page, s.title)
            found = slide_charts.row_order(img.spec)     # a heat map's or timeline's rows (bars: None)
            if found:
                assert len(found[1]) <= slide_charts.MAX_ROWS, (page, s.title)
        for t in (e for e in s.elements if isinstance(e, pack_mod.Table)):
            assert len(t.rows) <= pack_mod.TABLE_ROWS, (page, s.title)


def test_a_split_heat_map_keeps_its_date_column_labels():
    # capacity's heat map labels its week columns with timeFormat(): the slide must keep the
    # column parsed as dates (its date tooltip does that), or every label reads "NaN"
    import vl_convert as vlc

    from pmo.charts import capacity as capacity_charts

    weeks = [date(2026, 10, 12) + timedelta(days=7 * i) for i in range(4)]
    cells = pl.DataFrame([{"person_id": f"E{i}", "person_name": f"Person {i}", "role": "PM", "rank": i,
                           "bucket_start": w, "capacity_hours": 40.0, "forecast_hours": 30.0 + i,
                           "utilisation": (30.0 + i) / 40, "utilisation_band": "healthy", "utilisation_note": None}
                          for i in range(20) for w in weeks])
    spec = export.chart_spec(capacity_charts.heat_map(cells, "week", 0.7), with_title=False)
    parts = slide_charts.split_rows(spec)
    assert len(parts) == 2
    for part in parts:
        svg = vlc.vegalite_to_svg(slide_charts.for_slide(part, 1090, 470))
        texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
        assert "NaN" not in texts and "12 Oct" in texts and "2 Nov" in texts       # one date format: no leading zero
