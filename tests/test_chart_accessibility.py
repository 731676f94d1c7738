"""Charts readable by everyone (issue 21 point 8): a RAG colour always comes with a letter or a
shape, and every chart has a text alternative with its title and figures."""

from __future__ import annotations

from datetime import date

import polars as pl

from pmo.charts import RAG_DOMAIN, RAG_LETTER, RAG_RANGE, RAG_TEXT, text_alternative
from pmo.charts import budget as budget_charts
from pmo.charts import health as health_charts


def _contrast(a: str, b: str) -> float:
    def lum(h: str) -> float:
        c = [int(h[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        c = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _marks(spec: dict) -> list[dict]:
    """Every unit spec (mark + encoding) of a chart, layers included."""
    out = [spec] if "mark" in spec else []
    for part in spec.get("layer", []):
        out += _marks(part)
    return out


def _letters(spec: dict) -> dict[str, str]:
    """The rag_letter calculation of a chart, evaluated for each RAG value."""
    (calc,) = [t["calculate"] for t in spec.get("transform", []) if t.get("as") == "rag_letter"]
    return {v: next(letter for cond, letter in (part.split(" ? ") for part in calc.split(" : ")[:-1])
                    if f"'{v}'" in cond).strip("'") for v in RAG_DOMAIN}


PROJECTS = pl.DataFrame({"portfolio": ["A", "A", "A", "B"], "overall_health": ["red", "red", "green", "amber"],
                         "health_rank": [3, 3, 1, 2]})
HISTORY = pl.DataFrame({"project_id": ["P1", "P1", "P2", "P2"], "project_name": ["One", "One", "Two", "Two"],
                        "as_of": [date(2026, 10, 30), date(2026, 11, 6)] * 2,
                        "overall_health": ["green", "red", "amber", "grey"], "reported_health": ["green"] * 4,
                        "health_reason": ["x"] * 4})


def test_letters_on_rag_text_meet_wcag_aa_on_their_colour():
    for fill, text in zip(RAG_RANGE, RAG_TEXT):
        assert _contrast(fill, text) >= 4.5, (fill, text)


def test_rag_colours_stand_out_from_white_by_3_to_1():
    for fill in RAG_RANGE:
        assert _contrast(fill, "#ffffff") >= 3.0, fill


def test_rag_bars_and_cells_carry_their_letter():
    for chart in (health_charts.rag_by_portfolio(PROJECTS), health_charts.health_counts_over_time(HISTORY),
                  health_charts.health_strip(HISTORY)):
        spec = chart.to_dict()
        assert _letters(spec) == RAG_LETTER
        assert any(m["mark"]["type"] == "text" and m["encoding"]["text"]["field"] == "rag_letter"
                   for m in _marks(spec)), spec.get("title")


def test_stacked_letters_sit_at_the_end_of_their_own_segment():
    # red first (0-2), then green (2-3): R drawn at 2, G at 3
    (rows,) = health_charts.rag_by_portfolio(PROJECTS).to_dict()["datasets"].values()
    ends = {(r["portfolio"], r["overall_health"]): r["stack_end"] for r in rows}
    assert ends == {("A", "red"): 2, ("A", "green"): 3, ("B", "amber"): 1}


def test_cpi_spi_points_have_a_shape_per_health():
    projects = pl.DataFrame({"project_id": ["P1", "P2"], "project_name": ["One", "Two"], "cpi": [0.8, 1.1],
                             "spi": [0.9, 1.0], "bac": [1e6, 2e6], "overall_health": ["red", "green"],
                             "health_reason": ["a", "b"]})
    (points,) = [m for m in _marks(health_charts.cpi_spi_quadrant(projects).to_dict()) if "shape" in m["encoding"]]
    assert points["encoding"]["shape"]["field"] == "overall_health"
    assert len(set(points["encoding"]["shape"]["scale"]["range"])) == len(RAG_DOMAIN)


def test_overruns_chart_writes_the_flag_letter():
    df = pl.DataFrame({"project_id": ["P1"], "project_name": ["One"], "flag": ["red"], "overrun_amount": [5e5],
                       "overrun_pct": [0.3], "ledger_budget": [1e6], "fac": [1.5e6], "reason": ["a"]})
    assert _letters(budget_charts.overruns_chart(df).to_dict()) == RAG_LETTER


def test_text_alternative_has_title_and_figures():
    text = text_alternative(health_charts.rag_by_portfolio(PROJECTS))
    assert text.startswith("Computed health by portfolio. Active projects, coloured by the worst dimension")
    assert "Portfolio: A; Health: red; Projects: 2." in text
    assert "Portfolio: B; Health: amber; Projects: 1." in text


def test_text_alternative_lists_fifteen_rows_then_says_how_many_more():
    many = pl.DataFrame({"portfolio": [f"P{i:02}" for i in range(20)], "overall_health": ["red"] * 20,
                         "health_rank": [3] * 20})
    text = text_alternative(health_charts.rag_by_portfolio(many))
    assert text.count("Health: red") == 15 and "and 5 more rows" in text


def test_a_long_subtitle_is_shown_in_lines_and_the_chart_itself_is_unchanged():
    """Vega cuts a one-line subtitle at the chart's width: the page shows it in lines of at most
    60 characters, broken between words; exports keep the chart as built."""
    import altair as alt
    import polars as pl

    from pmo import charts

    sub = ("Bubble size = BAC; below 0.95 is amber, below 0.90 red. "       # 56 characters
           "Click a bubble to open the project.")
    bars = alt.Chart(pl.DataFrame({"x": [1]})).mark_bar().encode(x="x:Q")
    layered = alt.layer(bars, bars, title=alt.TitleParams("CPI × SPI", subtitle=sub))
    shown = charts.wrapped_titles(layered).to_dict()["title"]
    assert shown == {"text": "CPI × SPI", "subtitle": [
        "Bubble size = BAC; below 0.95 is amber, below 0.90 red.", "Click a bubble to open the project."]}
    assert layered.to_dict()["title"]["subtitle"] == sub
    # a title on the first layer, and a short subtitle left as it is
    inner = alt.layer(bars.properties(title=alt.TitleParams("T", subtitle=sub)), bars)
    assert charts.wrapped_titles(inner).to_dict()["layer"][0]["title"]["subtitle"][1] == \
        "Click a bubble to open the project."
    # a title over 40 characters: in lines of 40 when the chart is narrow, one line otherwise
    long = bars.properties(title="PMO Analyst: market bands (annual, USD) with own staff")
    text = charts.wrapped_titles(long).to_dict()["title"]["text"]["expr"]
    assert text == (f'{charts.NARROW} ? ["PMO Analyst: market bands (annual, USD)", "with own staff"] '
                    ': "PMO Analyst: market bands (annual, USD) with own staff"')
    assert long.to_dict()["title"] == "PMO Analyst: market bands (annual, USD) with own staff"
    short = bars.properties(title=alt.TitleParams("T", subtitle="Short."))
    assert charts.wrapped_titles(short) is short
