"""Altair chart builders, one module per page topic. Builders are pure: data in, `alt.Chart` out,
no Streamlit; every chart has a title saying what it shows, formatted axes and titled tooltips."""

import json
import textwrap

import altair as alt

RAG_DOMAIN = ["green", "amber", "red", "grey"]
# Each at least 3:1 against white (WCAG 2.1 AA for graphics, 1.4.11): amber is a dark amber
# (#f0a500 was 2.1:1) and grey a mid grey (#9e9e9e was 2.7:1).
RAG_RANGE = ["#2e8b57", "#b8860b", "#c0392b", "#8c8c8c"]
# Colour is never the only cue (docs/accessibility.md): each RAG value also has a letter drawn on
# the mark (or in the table cell) and a shape for points.
RAG_LETTER = {"green": "G", "amber": "A", "red": "R", "grey": "–"}
RAG_SHAPE = ["circle", "triangle-up", "square", "diamond"]
# Text on a RAG fill that meets WCAG AA contrast (4.5:1): black on green, amber and grey, white on red.
RAG_TEXT = ["#000000", "#000000", "#ffffff", "#000000"]

# A chart narrower than this (a phone) wraps its legends and shortens long axis labels, so that
# legends and plots stay inside the chart. containerSize() is [0, 0] in the headless exports.
NARROW = "containerSize()[0] > 0 && containerSize()[0] < 560"


def label_limit(px: int) -> alt.ExprRef:
    """An axis or legend label limit of `px`, but at most a third of the chart's width (at least
    110 px): a chart in half a wide page keeps labels such as 'Infrastructure & Cloud' whole, and
    on a phone the plot keeps two thirds of the width."""
    return alt.ExprRef(expr=f"containerSize()[0] > 0 ? min({px}, max({min(px, 110)}, "
                            f"floor(containerSize()[0] * 0.35))) : {px}")


def legend(narrow_columns: int = 1, wide_columns: int = 0, **kwargs) -> alt.Legend:
    """alt.Legend, orient top unless given. A top or bottom legend starts where the plot starts
    (after the axis labels), so on a phone its entries stack in `narrow_columns`; elsewhere
    `wide_columns` (0 = one row)."""
    kwargs.setdefault("orient", "top")
    if kwargs["orient"] in ("top", "bottom"):
        kwargs["columns"] = alt.ExprRef(expr=f"{NARROW} ? {narrow_columns} : {wide_columns}")
    return alt.Legend(**kwargs)


def _letter_expr(value: str) -> str:
    return " : ".join(f"{value} === '{k}' ? '{v}'" for k, v in RAG_LETTER.items()) + " : ''"


def rag_color(field: str = "health", title: str = "Health") -> alt.Color:
    """The one RAG colour scale used by every chart (grey = no data / no baseline); the legend
    names each colour with the letter drawn on the marks ("R red")."""
    return alt.Color(f"{field}:N", title=title, scale=alt.Scale(domain=RAG_DOMAIN, range=RAG_RANGE),
                     legend=legend(narrow_columns=2, labelExpr=f"({_letter_expr('datum.label')}) + ' ' + datum.label"))


def rag_shape(field: str = "health", title: str = "Health") -> alt.Shape:
    """A shape per RAG value for point marks (the same legend as the colour)."""
    return alt.Shape(f"{field}:N", title=title, scale=alt.Scale(domain=RAG_DOMAIN, range=RAG_SHAPE),
                     legend=None)


def rag_letters(field: str = "health") -> dict:
    """Encodings for a text mark that writes a RAG value's letter in a contrasting colour."""
    return {"text": alt.Text("rag_letter:N"),
            "color": alt.Color(f"{field}:N", scale=alt.Scale(domain=RAG_DOMAIN, range=RAG_TEXT), legend=None)}


def with_rag_letter(chart: alt.Chart, field: str) -> alt.Chart:
    """`chart` with a calculated `rag_letter` field for `rag_letters`."""
    return chart.transform_calculate(rag_letter=_letter_expr(f"datum['{field}']"))


ALT_TEXT_ROWS = 15      # rows of figures a chart's text alternative lists before "and N more"


SUBTITLE_CHARS = 60     # a subtitle line on the page: about 330 px, inside half a wide page or a phone
TITLE_CHARS = 40        # a bold title line in a narrow chart (a phone, half a wide page)


def wrapped_titles(chart):
    """`chart` as a page shows it (a copy; the chart itself is unchanged): its subtitle in lines of
    at most SUBTITLE_CHARS characters, and a title longer than TITLE_CHARS in lines of that size
    when the chart is narrow (one line otherwise). Vega cuts a title or subtitle line at the
    chart's width with '…', so on a phone or in half a wide page the end of the sentence was lost."""
    for i, part in enumerate([chart, *(chart.layer if isinstance(chart, alt.LayerChart) else [])]):
        title = part.title
        if isinstance(title, str):
            title = alt.TitleParams(title)
        if not isinstance(title, alt.TitleParams) or not isinstance(title.text, str):
            continue
        long_title = len(title.text) > TITLE_CHARS
        long_sub = isinstance(title.subtitle, str) and len(title.subtitle) > SUBTITLE_CHARS
        if not (long_title or long_sub):
            return chart
        title = title.copy(deep=False)
        if long_title:
            lines = json.dumps(textwrap.wrap(title.text, TITLE_CHARS))
            title.text = alt.ExprRef(expr=f"{NARROW} ? {lines} : {json.dumps(title.text)}")
        if long_sub:
            title.subtitle = textwrap.wrap(title.subtitle, SUBTITLE_CHARS)
        out = chart.copy(deep=False)
        if i == 0:
            out.title = title
        else:
            out.layer = list(out.layer)
            out.layer[i - 1] = part.copy(deep=False)
            out.layer[i - 1].title = title
        return out
    return chart


def _titles(spec: dict) -> list[str]:
    """The chart's title and subtitle, from the top level or its first titled layer / part."""
    for part in [spec, *(p for k in ("layer", "vconcat", "hconcat", "concat") for p in spec.get(k, []))]:
        title = part.get("title")
        if isinstance(title, str):
            return [title]
        if isinstance(title, dict) and title.get("text"):
            sub = title.get("subtitle")
            texts = [title["text"], *(sub if isinstance(sub, list) else [sub] if sub else [])]
            return [" ".join(t) if isinstance(t, list) else str(t) for t in texts]
    return []


def _tooltip_fields(spec: dict) -> list[tuple[str, str]]:
    """(field, title) of the richest tooltip in the spec: the figures a reader hovers for."""
    best: list[tuple[str, str]] = []
    parts = [spec]
    while parts:
        part = parts.pop()
        parts += [p for k in ("layer", "vconcat", "hconcat", "concat") for p in part.get(k, [])]
        tips = part.get("encoding", {}).get("tooltip")
        tips = tips if isinstance(tips, list) else [tips] if isinstance(tips, dict) else []
        fields = [(t["field"], t.get("title") or t["field"]) for t in tips if isinstance(t, dict) and "field" in t]
        if len(fields) > len(best):
            best = fields
    return best


def _figure(value) -> str:
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    text = str(value)
    return text[:10] if len(text) >= 19 and text[4:5] == "-" and text[10:11] in ("T", " ") else text


def text_alternative(chart: alt.TopLevelMixin) -> str:
    """What a screen reader says for a chart (Vega puts it in the chart's aria-label): its title,
    subtitle and the figures behind it, row by row with the tooltip's titles (first ALT_TEXT_ROWS rows)."""
    spec = chart.to_dict(validate=False)
    lines = [". ".join(_titles(spec)) or "Chart"]
    rows = max(spec.get("datasets", {}).values(), key=len, default=[])
    fields = [(f, t) for f, t in _tooltip_fields(spec) if rows and f in rows[0]]
    if fields:
        for row in rows[:ALT_TEXT_ROWS]:
            lines.append("; ".join(f"{t}: {_figure(row[f])}" for f, t in fields if row.get(f) is not None))
        if len(rows) > ALT_TEXT_ROWS:
            lines.append(f"and {len(rows) - ALT_TEXT_ROWS:,} more rows (the downloads under the chart hold every figure)")
    return ". ".join(lines) + "."
