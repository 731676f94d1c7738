"""Charts as PNG and SVG with the title, the filters and the as-of date in the image: the page's
Altair chart turned into a Vega-Lite spec ready for a file, rendered by vl-convert (its own bundled
Vega engine: no browser, no network).
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import threading

from pmo.export.slide_charts import distinct_time_ticks, slide_caption
from pmo.export.theme import MUTED, theme
from pmo.lru import Lru

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

    # validate=False: the page drew (and so validated) the chart already; checking the schema
    # again is a third of the time of turning a chart into a spec
    with _altair_lock, alt.data_transformers.disable_max_rows():
        return chart.to_dict(validate=False)


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
            # validate=False: the title is read on every page run (download names), checked by tests
            t = t.to_dict(validate=False) if hasattr(t, "to_dict") else t
            return _title_parts(t)
        for layer in getattr(chart, "layer", None) or []:
            lt = getattr(layer, "title", None)
            if lt is not None and lt is not alt.Undefined:
                return _title_parts(lt.to_dict(validate=False) if hasattr(lt, "to_dict") else lt)
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
    # a picture cannot be clicked: the chart's caption for files and slides, else its subtitle
    # without the pointer wording
    caption = slide_caption(spec, own_sub)
    own_sub = [caption] if caption else []
    extra = [subtitle] if isinstance(subtitle, str) else list(subtitle or [])
    if with_title:
        spec["title"] = {"text": text or " ", "subtitle": [*own_sub, *extra], "anchor": "start",
                         "fontSize": 18, "subtitleFontSize": 13, "subtitleColor": MUTED,
                         "subtitlePadding": 6, "offset": 14}
    if not any(k in spec for k in _CONCAT) and spec.get("width") in (None, "container"):
        spec["width"] = width
    distinct_time_ticks(spec)
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
    return spec_png(chart_spec(chart, title, subtitle, **kw), scale)


_PNG_CACHE_SIZE = 64
_PNG_CACHE = Lru(_PNG_CACHE_SIZE)


def spec_png(spec: dict, scale: float = 2.0) -> bytes:
    """A Vega-Lite spec (its data inline) as PNG, rendered once: the picture is kept under a hash
    of the spec's JSON and the scale, so the PowerPoint and the PDF of a pack, a pack built again
    and a PNG downloaded twice reuse it (the last _PNG_CACHE_SIZE pictures; a chart is ~0.1-1 MB)."""
    text = json.dumps(spec, sort_keys=True, default=str)
    key = f"{hashlib.sha256(text.encode()).hexdigest()}@{scale:g}"
    png = _PNG_CACHE.get(key)
    if png is None:
        png = _render_png(text, scale)
        _PNG_CACHE.put(key, png)
    return png


_warm = threading.Event()


def warm_up() -> None:
    """Start the chart engine (vl-convert's JavaScript runtime, its Vega bundle and fonts: about
    a second the first time in a process) by drawing one tiny chart; later calls return at once.
    The server runs it at start-up (server.py), before its first request, so the first meeting
    pack does not wait for it and no page run shares the CPU with it."""
    if _warm.is_set():
        return
    _warm.set()
    import vl_convert as vlc

    vlc.vegalite_to_png({"data": {"values": [{"a": 1}]}, "mark": "point",
                         "encoding": {"x": {"field": "a", "type": "quantitative"}}})


def _render_png(spec_json: str, scale: float) -> bytes:
    import vl_convert as vlc

    spec = json.loads(spec_json)
    return vlc.vegalite_to_png(spec, scale=scale, vl_version=_vl_version(spec))


def png_size(png: bytes) -> tuple[int, int]:
    """(width, height) in pixels from the PNG header."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
