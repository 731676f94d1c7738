"""How numbers read on screen and in exports: one place, used by pages, charts and tests.

Column suffixes decide formats (as Evidence does): `_pct` and `_share` are fractions shown as
percentages, `_ratio` two decimals, `_days` whole days, money columns (`budget`, `actual`, `bac`,
`amount`, ...) in the reporting currency.
"""

from __future__ import annotations

import math

CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CHF": "CHF "}
MONEY_WORDS = ("budget", "actual", "forecast", "commitment", "amount", "bac", "pv", "ev", "ac",
               "eac", "etc", "vac", "cv", "sv", "cost", "variance", "fac", "salary", "p10", "p25",
               "p50", "p75", "p90", "mean", "gap", "burn")


def is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and (math.isnan(value) or math.isinf(value)))


def money(value, currency: str = "USD", compact: bool = True) -> str:
    """$1.25M, -$310K, $950; a dash for missing values."""
    if is_missing(value):
        return "—"
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
    return "—" if is_missing(value) else f"{value * 100:.{digits}f}%"


def ratio(value) -> str:
    return "—" if is_missing(value) else f"{value:.2f}"


def count(value) -> str:
    return "—" if is_missing(value) else f"{int(value):,}"


def column_kind(name: str) -> str:
    """'pct' | 'ratio' | 'days' | 'money' | 'date' | 'text' from a column name."""
    n = name.lower()
    if n.endswith(("_pct", "_share")) or n in ("percent_complete", "range_position"):
        return "pct"
    if n.endswith("_ratio") or n in ("cpi", "spi", "tcpi", "compa_ratio"):
        return "ratio"
    if n.endswith("_days"):
        return "days"
    if n.endswith(("_date", "as_of", "period")):
        return "date"
    if n.endswith("_count") or n.startswith("n_"):
        return "count"
    if any(n == w or n.startswith(w + "_") or n.endswith("_" + w) for w in MONEY_WORDS):
        return "money"
    return "text"
