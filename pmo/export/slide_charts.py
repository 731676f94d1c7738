"""A page's chart made into slides: a caption written for a slide (never "click" or "hover"),
long heat maps and timelines split at a readable row count, and type large enough to read at the
size the picture is placed (at least 12 pt).

A chart builder may say how it reads on a slide through the Vega-Lite `usermeta` property:

    chart.properties(usermeta={"slide": {"caption": "Bubble size = BAC; ...", "rows": "project"}})

`caption` replaces the page's subtitle on the slide; `rows` names the field of the rows to split
on (default: the y field of a heat map or timeline). Without a caption, the subtitle is used with
the sentences and brackets that speak of the mouse taken out (`print_caption`).
"""

from __future__ import annotations

import copy
import json
import math
import re

# Pointer wording that makes no sense on a slide or a printed page.
WEB_WORDS = re.compile(r"\b(click|hover|tap|tapping|drag|scroll|select a|zoom|pan)\b", re.IGNORECASE)
MAX_ROWS = 14              # rows of a heat map or timeline on one slide
ROW_MARKS = {"rect", "point", "circle", "square", "tick", "text", "rule"}   # marks a split keeps comparable
# Slide type: charts are drawn at PX_PER_IN CSS pixels per placed inch, so a font of FONT_PX
# pixels is FONT_PX × 72 / PX_PER_IN points on the slide: 16 × 72 / 90 = 12.8 pt.
PX_PER_IN = 90
FONT_PX = 16
MIN_PT = 12.0
X_LABEL_PX = 170           # longest label of a category axis across the bottom or top of a slide chart


def print_caption(text: str) -> str:
    """`text` without the brackets and sentences that ask for a mouse: "Computed health at each
    date (hover for the reason)" -> "Computed health at each date"."""
    text = re.sub(r"\s*\([^()]*\)", lambda m: "" if WEB_WORDS.search(m.group(0)) else m.group(0), text)
    parts = re.split(r"(?<=[.;!?])\s+", text.strip())
    kept = [p for p in parts if p and not WEB_WORDS.search(p)]
    out = " ".join(kept).strip()
    # a clause after ";" may still carry it ("colour = band; click a cell to list its risks")
    out = ";".join(c for c in out.split(";") if not WEB_WORDS.search(c)).strip().rstrip(";").strip()
    return out


def slide_meta(spec: dict) -> dict:
    meta = spec.get("usermeta") or {}
    return meta.get("slide") or {} if isinstance(meta, dict) else {}


def slide_caption(spec: dict, subtitle: list[str]) -> str:
    """The caption under a chart's slide title: the chart's own slide caption, else its subtitle
    without pointer wording."""
    own = slide_meta(spec).get("caption")
    if own is not None:
        return str(own)
    return print_caption(" ".join(subtitle))


# -- units, fonts --------------------------------------------------------------------------------
def units(spec: dict) -> list[dict]:
    """The single views of a spec (itself, its layers, layers of layers)."""
    out = [spec] if "mark" in spec else []
    for layer in spec.get("layer", []):
        out += units(layer)
    return out


def _mark(unit: dict) -> str:
    m = unit.get("mark")
    return m.get("type", "") if isinstance(m, dict) else str(m or "")


def font_sizes(spec) -> list[float]:
    """Every font size a spec sets (keys fontSize, labelFontSize, titleFontSize, ...), data aside."""
    found: list[float] = []
    if isinstance(spec, dict):
        for k, v in spec.items():
            if k in ("datasets", "data", "values"):
                continue
            if k.lower().endswith("fontsize") and isinstance(v, (int, float)):
                found.append(float(v))
            else:
                found += font_sizes(v)
    elif isinstance(spec, list):
        for v in spec:
            found += font_sizes(v)
    return found


def _raise_fonts(spec, px: float) -> None:
    if isinstance(spec, dict):
        for k, v in list(spec.items()):
            if k in ("datasets", "data", "values"):
                continue
            if k.lower().endswith("fontsize") and isinstance(v, (int, float)):
                spec[k] = max(v, px)
            elif k == "labelLimit" and isinstance(v, (int, float)) and v:
                spec[k] = int(v * px / 11)        # Vega's default label is 11 px: keep as many letters
            else:
                _raise_fonts(v, px)
    elif isinstance(spec, list):
        for v in spec:
            _raise_fonts(v, px)


def for_slide(spec: dict, width_px: int, height_px: int, font_px: float = FONT_PX) -> dict:
    """A copy of `spec` sized to fill `width_px` × `height_px` (axes and legend included) with
    every font at least `font_px` (the chart defaults and each size set in the spec)."""
    spec = copy.deepcopy(spec)
    spec.pop("title", None)
    cfg = spec.setdefault("config", {})
    for part, keys in (("axis", ("labelFontSize", "titleFontSize")), ("legend", ("labelFontSize", "titleFontSize")),
                       ("header", ("labelFontSize", "titleFontSize")), ("text", ("fontSize",)),
                       ("title", ("fontSize", "subtitleFontSize"))):
        for k in keys:
            cfg.setdefault(part, {})[k] = font_px
    cfg["axis"].setdefault("labelLimit", int(180 * font_px / 11))
    cfg["legend"].setdefault("labelLimit", int(160 * font_px / 11))
    cfg["legend"].setdefault("symbolSize", 160)
    _raise_fonts({k: v for k, v in spec.items() if k != "config"}, font_px)
    for unit in units(spec):
        # long column names (rotated, on top of a heat map) would take the rows' height: at most
        # X_LABEL_PX of each, the rest cut with "…"
        x = (unit.get("encoding") or {}).get("x") or {}
        if x.get("type") in ("nominal", "ordinal") and isinstance(x.get("axis", {}), dict):
            axis = x.setdefault("axis", {})
            limit = axis.get("labelLimit")      # a number, or a page's narrow-screen expression
            axis["labelLimit"] = min(limit, X_LABEL_PX) if isinstance(limit, (int, float)) and limit else X_LABEL_PX
    if not any(k in spec for k in ("hconcat", "vconcat", "concat", "facet", "repeat")):
        # "fit": the whole picture, axes and legend included, takes the given size
        spec["width"], spec["height"] = width_px, height_px
        spec["autosize"] = {"type": "fit", "contains": "padding"}
        for layer in spec.get("layer", []):
            layer.pop("width", None)
            layer.pop("height", None)
    spec["padding"] = 8
    _drop_pointer_parts(spec)
    return spec


def _drop_pointer_parts(spec: dict) -> None:
    """No tooltips on a slide, and no data columns only they used: less for the renderer to
    read (the health history's reasons are most of its data). A column is kept whenever its name
    appears anywhere in the spec (fields, sorts, expressions)."""
    for unit in units(spec):
        enc = unit.get("encoding") or {}
        enc.pop("href", None)
        tips = enc.pop("tooltip", None)
        # a date field in a tooltip makes Vega-Lite parse that column as dates, which an axis's
        # labelExpr may rely on (capacity's week columns): those entries stay
        tips = [t for t in (tips if isinstance(tips, list) else [tips] if tips else [])
                if isinstance(t, dict) and t.get("type") == "temporal"]
        if tips:
            enc["tooltip"] = tips
    datasets = spec.get("datasets") or {}
    text = json.dumps({k: v for k, v in spec.items() if k != "datasets"})
    for name, rows in datasets.items():
        if rows and isinstance(rows[0], dict):
            keep = [c for c in rows[0] if c in text]
            if len(keep) < len(rows[0]):
                datasets[name] = [{c: r.get(c) for c in keep} for r in rows]


def effective_pt(spec: dict, placed_w_in: float, css_w: float) -> float:
    """The smallest font of `spec` in points once its picture, `css_w` CSS pixels wide, is placed
    `placed_w_in` inches wide: px × placed_w_in × 72 / css_w (Vega's 11 px default when a spec sets
    none: for_slide sets them all)."""
    sizes = font_sizes(spec) or [11.0]
    return min(sizes) * placed_w_in * 72 / css_w


def distinct_time_ticks(spec: dict) -> None:
    """A time axis labelled by month ("%b %Y") or by year gets one tick per month or per year:
    left to itself Vega puts weekly ticks on a wide picture and the labels repeat ("Sep 2026
    Sep 2026 Oct 2026"). Axes that set their own tick count or show days are left alone."""
    for unit in units(spec):
        for channel in ("x", "y"):
            enc = (unit.get("encoding") or {}).get(channel) or {}
            if enc.get("type") != "temporal" or enc.get("axis", {}) is None:
                continue
            axis = enc.setdefault("axis", {})
            fmt = axis.get("format") or ""
            if "tickCount" in axis or "values" in axis or not fmt or re.search(r"%[dejaAUWHIMSLQ]", fmt):
                continue
            axis["tickCount"] = {"interval": "month" if re.search(r"%[bBm]", fmt) else "year"}


# -- splitting long heat maps and timelines ----------------------------------------------------------
def _dataset(spec: dict, unit: dict, parent_data: dict | None) -> list[dict]:
    data = unit.get("data") or parent_data or spec.get("data") or {}
    if "values" in data:
        return data["values"]
    return spec.get("datasets", {}).get(data.get("name", ""), [])


def row_order(spec: dict) -> tuple[str, list] | None:
    """(field, values top to bottom) of a heat map's or timeline's rows, else None (bars and
    lines are not split: their scale would differ between slides)."""
    meta = slide_meta(spec)
    field, order = meta.get("rows"), meta.get("order")
    views = []
    parent = spec.get("data")

    def walk(node, data):
        if "mark" in node:
            views.append((node, node.get("data") or data))
        for layer in node.get("layer", []):
            walk(layer, node.get("data") or data)

    walk(spec, parent)
    with_rows = []
    for unit, data in views:
        y = (unit.get("encoding") or {}).get("y") or {}
        if y.get("type") in ("nominal", "ordinal") and y.get("field") and (field is None or y["field"] == field):
            with_rows.append((unit, data, y))
    if not with_rows:
        return None
    if any(_mark(u) not in ROW_MARKS for u, _, _ in with_rows) and field is None:
        return None
    unit, data, y = with_rows[-1]
    field = y["field"]
    if order is None:
        sort = y.get("sort")
        values = []
        for u, d, _ in with_rows:
            values += [r.get(field) for r in _dataset(spec, u, d)]
        seen = list(dict.fromkeys(v for v in values if v is not None))
        if isinstance(sort, list):
            order = [v for v in sort if v in set(seen)] + [v for v in seen if v not in set(sort)]
        elif sort in (None, "ascending"):
            order = sorted(seen, key=str)
        elif sort == "descending":
            order = sorted(seen, key=str, reverse=True)
        else:
            return None                # sorted by a measure: one slide
    return field, list(order)


def _fix_x(spec: dict) -> None:
    """Each part of a split keeps every column of the whole: an ordinal x axis with a sort list
    gets it as its domain."""
    for unit in units(spec):
        x = (unit.get("encoding") or {}).get("x") or {}
        if x.get("type") in ("nominal", "ordinal") and isinstance(x.get("sort"), list):
            # (without a sort list the values are left as the data has them: a date column's labels
            # are formatted from parsed dates, which a list of the raw strings would not be)
            x.setdefault("scale", {}).setdefault("domain", x["sort"])


def split_rows(spec: dict, max_rows: int = MAX_ROWS) -> list[dict]:
    """`spec` as one spec per slide, at most `max_rows` rows each (parts as even as they can be:
    38 rows = 13 + 13 + 12), in the chart's own row order."""
    found = row_order(spec)
    if found is None or len(found[1]) <= max_rows:
        return [spec]
    field, order = found
    n = math.ceil(len(order) / max_rows)
    size = math.ceil(len(order) / n)
    whole = copy.deepcopy(spec)
    _fix_x(whole)
    datasets = whole.pop("datasets", {})
    parts = []
    for i in range(0, len(order), size):
        chunk = order[i:i + size]
        keep = set(chunk)
        part = copy.deepcopy(whole)
        part["datasets"] = {}
        inherited = part.get("data")
        for unit in _with_parent_data(part):
            data = unit.get("data") or unit.pop("_parent_data", None) or inherited or {}
            unit.pop("_parent_data", None)
            y = (unit.get("encoding") or {}).get("y") or {}
            name = data.get("name")
            if y.get("field") == field and name in datasets:
                # the part's own rows only: the renderer reads a third of the data, not all of it
                own = f"{name}-part{i // size + 1}"
                part["datasets"][own] = [r for r in datasets[name] if r.get(field) in keep]
                unit["data"] = {"name": own}
                y["sort"] = chunk
            elif y.get("field") == field:
                unit["transform"] = [{"filter": {"field": field, "oneOf": chunk}}, *unit.get("transform", [])]
                y["sort"] = chunk
            elif name in datasets:
                part["datasets"][name] = datasets[name]
                unit["data"] = {"name": name}
        if "layer" in part and isinstance(part.get("data"), dict) and part["data"].get("name") in datasets:
            part.pop("data")       # every layer now names its own data
        parts.append(part)
    return parts


def _with_parent_data(spec: dict) -> list[dict]:
    """The single views of `spec`, each marked with the data it inherits (`_parent_data`)."""
    out = []

    def walk(node, data):
        if "mark" in node:
            if not node.get("data") and data:
                node["_parent_data"] = data
            out.append(node)
        for layer in node.get("layer", []):
            walk(layer, node.get("data") or data)

    walk(spec, None)
    return out
