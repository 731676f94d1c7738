"""The exports' look: colours from .streamlit/config.toml [theme] and the TrueType fonts the PDF
and the slide text measurement use."""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

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
