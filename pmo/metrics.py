"""The metrics layer: one definition per figure, read from metrics/*.toml.

Every KPI card, table column, chart axis, CSV / Excel header, slide and tooltip takes its label,
unit, format and help from here (metrics/README.md says what each key means). A figure is named
by the column the queries return; `label(name)`, `text(name, value)` and `spec(name)` are what the
pages, exports and charts call. A name that is not defined is an error, not a guess: a new column
is added to metrics/ before a page shows it.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
METRICS_DIR = ROOT / "metrics"
UNITS = frozenset({"count", "money", "pct", "ratio", "days", "months", "hours", "points", "number",
                   "date", "datetime", "month", "text", "rag", "bool", "list"})
NUMERIC = frozenset({"count", "money", "pct", "ratio", "days", "months", "hours", "points", "number"})
CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CHF": "CHF "}
MISSING = "—"
# One date format everywhere (docs/metrics.md, "Dates"): day without a leading zero, short month,
# four-digit year: 7 Dec 2026. The same in charts (d3-time-format, Vega-Lite) and spreadsheets.
DATE_FORMAT = "%-d %b %Y"           # Python strftime / Polars dt.strftime
DATETIME_FORMAT = "%-d %b %Y %H:%M"
MONTH_FORMAT = "%b %Y"
DATE_D3 = "%-d %b %Y"               # Altair axis / tooltip `format=`
DAY_MONTH_D3 = "%-d %b"             # a short axis whose year is in the title or the tooltips
MONTH_D3 = "%b %Y"


class UnknownMetric(KeyError):
    """A page asked for a figure metrics/ does not define."""


@dataclass(frozen=True)
class Metric:
    name: str
    label: str
    unit: str
    help: str = ""
    population: str = ""
    source: str = ""
    decimals: int | None = None
    higher_is_better: bool | None = None
    file: str = ""

    @property
    def numeric(self) -> bool:
        return self.unit in NUMERIC


@cache
def registry() -> dict[str, Metric]:
    """Every metric and field of metrics/*.toml by name (checked: known units, unique names)."""
    out: dict[str, Metric] = {}
    for path in sorted(METRICS_DIR.glob("*.toml")):
        with path.open("rb") as fh:
            entries = tomllib.load(fh)
        for name, e in entries.items():
            if name in out:
                raise ValueError(f"metrics/{path.name}: {name} is already defined in metrics/{out[name].file}")
            if e.get("unit") not in UNITS:
                raise ValueError(f"metrics/{path.name}: {name} has unit {e.get('unit')!r}, not one of "
                                 f"{', '.join(sorted(UNITS))}")
            out[name] = Metric(name=name, label=e["label"], unit=e["unit"], help=e.get("help", ""),
                               population=e.get("population", ""), source=e.get("source", ""),
                               decimals=e.get("decimals"), higher_is_better=e.get("higher_is_better"),
                               file=path.name)
    return out


def spec(name: str) -> Metric:
    try:
        return registry()[name]
    except KeyError:
        raise UnknownMetric(f"'{name}' is not defined in metrics/*.toml: add it (label, unit, help) "
                            "before a page shows it") from None


def is_defined(name: str) -> bool:
    return name in registry()


def label(name: str) -> str:
    return spec(name).label


def help_text(name: str) -> str:
    return spec(name).help


def labels(names) -> dict[str, str]:
    """{name: label} for column names (each must be defined)."""
    return {n: label(n) for n in names}


# ---- values as text --------------------------------------------------------------------------

def is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and (math.isnan(value) or math.isinf(value)))


def money(value, currency: str = "USD", compact: bool = True) -> str:
    """$1.25M, -$310K, $950 (compact, for cards); $1,250,000 (whole units, for tables)."""
    if is_missing(value):
        return MISSING
    sym = CURRENCY_SYMBOLS.get(currency, currency + " ")
    sign = "-" if value < 0 else ""
    v = abs(value)
    if compact and v >= 1e9:
        return f"{sign}{sym}{v / 1e9:.2f}B"
    if compact and v >= 1e6:
        return f"{sign}{sym}{v / 1e6:.2f}M"
    if compact and v >= 1e4:
        return f"{sign}{sym}{v / 1e3:.0f}K"
    return f"{sign}{sym}{v:,.0f}"


def pct(value, digits: int = 1) -> str:
    """A fraction as a percentage: 0.125 -> '12.5%'."""
    return MISSING if is_missing(value) else f"{value * 100:.{digits}f}%"


def ratio(value, digits: int = 2, thresholds=()) -> str:
    """0.97. Given the rule's `thresholds` ("below 0.90 is red"), one or two more digits when
    rounding would put the value on the other side of one: 0.897, not "0.90" beside a red."""
    if is_missing(value):
        return MISSING
    while digits < 4 and any((value < t) != (round(value, digits) < t) for t in thresholds):
        digits += 1
    return f"{value:.{digits}f}"


def count(value) -> str:
    return MISSING if is_missing(value) else f"{int(value):,}"


def day(value) -> str:
    """One date format everywhere: 25 Sep 2026, 7 Dec 2026 (no leading zero); a dash for none.
    Also takes an ISO text date ('2026-09-25'), as links and pickers hold them."""
    if value is None:
        return MISSING
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return value
    return value.strftime(DATE_FORMAT) if isinstance(value, (date, datetime)) else str(value)


def day_time(value, *, seconds: bool = False) -> str:
    """A moment: 7 Dec 2026 14:05 (`seconds`: 14:05:09); a dash for none."""
    if value is None:
        return MISSING
    return value.strftime(DATETIME_FORMAT + (":%S" if seconds else "")) if isinstance(value, datetime) else day(value)


def month(value) -> str:
    """A month: Dec 2026."""
    if value is None:
        return MISSING
    return value.strftime(MONTH_FORMAT) if isinstance(value, (date, datetime)) else str(value)


def plural(n: int, one: str, many: str | None = None) -> str:
    """'1 project', '3 projects'."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def text(name: str, value, currency: str = "USD", *, compact: bool = True) -> str:
    """`value` of metric `name` as it reads on a card (compact=True) or in a table cell."""
    m = spec(name)
    if m.unit == "list":
        return ", ".join(str(v) for v in value) if value else MISSING
    if is_missing(value):
        return MISSING
    if isinstance(value, str) and m.unit in NUMERIC:
        return value                    # already written out by the page (e.g. pay in its own currency)
    if m.unit == "money":
        return money(value, currency, compact=compact)
    if m.unit == "pct":
        return pct(value, 1 if m.decimals is None else m.decimals)
    if m.unit == "ratio":
        return ratio(value, 2 if m.decimals is None else m.decimals)
    if m.unit == "count":
        return count(value)
    if m.unit == "days":
        return f"{int(value):+,d} days" if compact else f"{int(value):,d}"
    if m.unit == "months":
        return f"{value:.1f}"
    if m.unit == "hours":
        return f"{value:,.0f} h"
    if m.unit in ("points", "number"):
        return f"{value:,.{m.decimals or 0}f}"
    if m.unit in ("date", "datetime"):
        return day(value) if m.unit == "date" else day_time(value)
    if m.unit == "month":
        return month(value)
    if m.unit == "bool":
        return "Yes" if value else "No"
    if m.unit == "rag":
        return str(value).capitalize()
    return str(value)


def delta_kind(name: str) -> str:
    """How a change of the metric reads ('count', 'money', 'ratio', 'pct')."""
    unit = spec(name).unit
    return unit if unit in ("count", "money", "ratio", "pct") else "count"


def delta_color(name: str) -> str:
    """st.metric's delta_color: green when the change is good (higher_is_better), grey when neutral."""
    better = spec(name).higher_is_better
    return "off" if better is None else ("normal" if better else "inverse")
