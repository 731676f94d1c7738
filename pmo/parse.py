"""Value parsers for export cells: numbers, money, dates, durations, percentages, health, people.

Every parser takes a `pl.Series` of text (NULL or "" = empty cell; surrounding whitespace, NBSP and
thin spaces ignored), decides its format once per column over all non-empty values, and returns
`Parsed(values, bad, note)`:

    values  the parsed Series (Float64 / Date / String / Boolean), NULL where empty or bad
    bad     Boolean Series, True where the cell was non-empty but could not be read
    note    one human sentence on what was decided, e.g. "dates read day-first ('13/01/2026' on
            row 7 settles it)", or "" when nothing is worth saying. Rows are 1-based positions in
            the Series.

Everything is vectorised with Polars expressions; the only Python loops run over a handful of
candidate formats per column, never over values.

What each parser accepts
------------------------
to_number(s, decimal=None) -> Parsed[Float64]
    `2105.0`, `1,254.51`, `1.254,51`, `1 254,51` (space / NBSP / thin-space / `'` thousands),
    `1.2E+3`, signs as `-12`, `310,00-` (SAP trailing minus) or `(310.00)`, currency symbols and
    ISO codes anywhere (`$48,200.00`, `EUR;1.234,56`, `1 254,51 PLN`). The decimal mark is decided
    per column: a value only readable one way (`1.254,51`, `310,00`, `2105.0`, `1,234,567`) is
    evidence; the majority wins and values of the other kind are bad. When no value shows the
    decimal mark (only `1,254`, `1.254`, `12`), a lone separator before three digits is read as a
    thousands separator (`1,254` = 1254). `decimal=","` or `"."` overrides the evidence. `35%` is
    bad here (use to_percent).
to_money(s, decimal=None) -> (Parsed[Float64], currency: String)
    to_number plus the ISO currency per row: `$`->USD (`US$`, `C$`, `A$`, ... too), `€`->EUR,
    `£`->GBP, `¥`->JPY, `₹`->INR, `zł`->PLN, ..., or a 3-letter code before/after the amount
    (`USD 12.5`, `EUR;1.234,56`, `12 CHF`). NULL where there is none or the amount is bad.
to_date(s, order=None, default_order=None, name="") -> Parsed[Date]
    One format per column, the candidate that reads the most values: ISO `2026-01-05` (also with
    `T`/space time, fraction, `Z`/offset) and `2026/01/05`; day/month-name/year (Jira
    `05/Oct/25 12:00 AM`, `15/Sep/25`, monday `03/October/2025  04:00:18 PM`, `05-Oct-2025`);
    `Jan 5, 2026`; numeric a/b/y with `/` or `-` and an optional weekday (MS Project `Mon 1/5/26`,
    ADO `11/3/2025 9:14:22 AM`); dotted `14.11.2025` (always day-first); `20260105`; Excel serials
    (`46027`, `46027.5`; 1900 system, 20000..80000, only when every value is a number); OData
    `/Date(1736150400000)/`. Day- vs month-first for a/b/y is settled by evidence (a first part
    > 12, a second part > 12, or a weekday that only fits one reading; majority if both occur),
    then `order`, then `default_order`, else AmbiguousDates is raised. Two-digit years: 00-68 ->
    20xx, 69-99 -> 19xx. Time of day is dropped.
to_percent(s) -> Parsed[Float64] (a fraction: 35% -> 0.35)
    `35%`, `42,5 %`, `0.35`. Numbers without `%` are fractions when every one of them lies in
    -1..1, else percent points (divided by 100).
to_duration_hours(s, bare_unit="h", hours_per_day=8, days_per_week=5, days_per_month=20)
    -> Parsed[Float64]
    `45 days`, `5d`, `40 hrs`, `1 wk`, `2 mons`, `30 min`, `1w 2d 3h`; `e` prefix = elapsed time
    (`2 edays` = 48 h, `1 ewk` = 168 h, elapsed month = 30 days); trailing `?` = estimated (read
    anyway); `2,5 Tage`, `3 Std`, `2 Wochen`, `4 jours`; `1,480 hrs`; ISO-8601 `PT40H0M0S` (date
    parts count working days like the units above); a bare number is in `bare_unit` (any unit
    above, e.g. "h", "d", "s", "m").
seconds_to_hours(s) -> Parsed[Float64]    `12600` -> 3.5
to_bool(s) -> Parsed[Boolean]
    true/false, t/f, yes/no, y/n, 1/0, x, checked/unchecked, on/off, ja/nein, wahr/falsch,
    oui/non, vrai/faux, ✓ ✔ ☑ ✅ / ✗ ✘ ☐ ❌ (any case).
to_health(s) -> Parsed[String]   'green' | 'amber' | 'red' | NULL
    Green/Amber/Yellow/Orange/Red, G/A/Y/R, On track/At risk/Off track, Needs attention, OK,
    Warning, Critical, grün/gelb/rot, 🟢🟡🟠🔴; 1/2/3 (green/amber/red) only when the whole
    column is 1-3. `No status`, `Not reported`, Grey/Gray, Blue, None, N/A, `-` are NULL, not bad.
split_person(s) -> (name, email)   `Dana Ortiz <dana@x.com>`; a bare email gives name NULL.
split_list(s, sep) -> List(String)   items stripped, empty items dropped; empty cell -> NULL.
strip_html(s) -> String   tags removed, common entities unescaped, whitespace collapsed.
is_mangled_id(s) -> Boolean   True for Excel-mangled ids such as `1.21143E+15`.
numeric_column(s) -> (bool, example)   whether a free-form (custom) column holds numbers, decided
    over all its values: identifier-like text (`00123`, `1.21143E+15`, `CC-MKT-210`) keeps it text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextvars import ContextVar
from typing import NamedTuple

import polars as pl


class Parsed(NamedTuple):
    values: pl.Series  # parsed values, NULL where empty or bad
    bad: pl.Series  # Boolean, True where the cell was non-empty but unparseable
    note: str  # one human sentence on what was decided ("" if nothing notable)


class AmbiguousDates(ValueError):
    """A date column reads both day-first and month-first and nothing settles which."""


# ---------------------------------------------------------------------------------------------
# Shared helpers
# ---------------------------------------------------------------------------------------------

_V = pl.col("v")


def _frame(s: pl.Series) -> pl.DataFrame:
    """One-column frame `v`: the cell text stripped (Unicode whitespace incl. NBSP), "" -> NULL."""
    t = s.cast(pl.String).str.strip_chars()
    return pl.DataFrame({"v": t}).with_columns(pl.when(_V != "").then(_V).alias("v"))


def _first(mask: pl.Series, text: pl.Series) -> tuple[str, int]:
    """First cell text where `mask` holds, with its 1-based row, for notes."""
    idx = mask.fill_null(False).arg_true()
    i = int(idx[0])
    return text[i], i + 1


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _finish(
    s: pl.Series,
    v: pl.Series,
    values: pl.Series,
    notes: list[str],
    neutral: pl.Series | None = None,
    what: str = "value",
) -> Parsed:
    """Build Parsed: bad = non-empty cell without a value (unless `neutral`), plus a bad-count note."""
    bad = v.is_not_null() & values.is_null()
    if neutral is not None:
        bad = bad & ~neutral.fill_null(False)
    bad = bad.fill_null(False)
    n_bad = int(bad.sum())
    if n_bad:
        example, row = _first(bad, v)
        notes = [*notes, f"{_plural(n_bad, 'unreadable ' + what)} (e.g. {example!r} on row {row})"]
    return Parsed(values.alias(s.name), bad.alias(s.name), "; ".join(n for n in notes if n))


# ---------------------------------------------------------------------------------------------
# Numbers and money
# ---------------------------------------------------------------------------------------------

# Symbol -> ISO code. Longer symbols first: the regex alternation takes the first that matches.
_CURRENCY_SYMBOLS = {
    "US$": "USD", "CA$": "CAD", "AU$": "AUD", "NZ$": "NZD", "HK$": "HKD", "MX$": "MXN",
    "C$": "CAD", "A$": "AUD", "S$": "SGD", "R$": "BRL", "$": "USD",
    "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₽": "RUB", "₩": "KRW", "₺": "TRY",
    "₪": "ILS", "₱": "PHP", "₫": "VND", "₴": "UAH", "₦": "NGN", "zł": "PLN",
}
_SYMBOL_RE = "(" + "|".join(re.escape(k) for k in _CURRENCY_SYMBOLS) + ")"

# ISO 4217 codes in use: a code in an amount column's header (`Budget (EUR)`) states the currency.
ISO_CURRENCIES = frozenset("""
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD
CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD
GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT
LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR
NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP
STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF
XPF YER ZAR ZMW ZWL
""".split())


def currency_in_header(header: str | None) -> str | None:
    """The ISO code a column header states for its amounts: `Budget (EUR)`, `Amount [GBP]`,
    `Value in USD`, `Kosten in EUR`; None when it states none."""
    if not header:
        return None
    found = {c for c in re.findall(r"(?:[(\[]\s*([A-Z]{3})\s*[)\]]|\b(?:in|en)\s+([A-Z]{3})\b)", header)
             for c in c if c}
    found &= ISO_CURRENCIES
    return next(iter(found)) if len(found) == 1 else None
# An ISO code before the amount (ServiceNow writes `EUR;1.234,56`) or after it (`1 254,51 PLN`);
# a sign or an opening parenthesis may sit outside it.
_CODE_BEFORE = r"^([-+−(]?\s*)([A-Z]{3})(?:\s*;\s*|\s*)"
_CODE_AFTER = r"\s*([A-Z]{3})(\s*[-−)]?)$"

# Thousands separators allowed for each decimal mark. `\s` is Unicode-aware in Polars' regex
# engine, so it covers space, NBSP (U+00A0), thin space (U+2009) and narrow NBSP (U+202F).
_GROUP = {".": r"[,\s'’]", ",": r"[.\s'’]"}


def _number_shape(dec: str) -> str:
    """Full-match regex for a bare (unsigned, symbol-free) number using decimal mark `dec`."""
    d, g = re.escape(dec), _GROUP[dec]
    return (
        rf"^(?:(?:[0-9]+|[1-9][0-9]{{0,2}}(?:{g}[0-9]{{3}})+)(?:{d}[0-9]*)?"  # 1254 | 1,254 (.51)
        rf"|{d}[0-9]+"  # .5
        rf"|[0-9]+(?:{d}[0-9]+)?[eE][-+]?[0-9]+)$"  # 1.2E+3
    )


_SHAPE = {d: _number_shape(d) for d in _GROUP}


def _amount_parts(v: pl.Expr) -> list[pl.Expr]:
    """Split amount text into `core` (digits and separators), `neg`, `sign_clash`, `currency`."""
    code = pl.coalesce(v.str.extract(_CODE_BEFORE, 2), v.str.extract(r"[0-9.)\s]" + _CODE_AFTER, 1))
    symbol = v.str.extract(_SYMBOL_RE, 1).replace_strict(
        _CURRENCY_SYMBOLS, default=None, return_dtype=pl.String
    )
    t = (
        v.str.replace(_CODE_BEFORE, "${1}")
        .str.replace(_CODE_AFTER, "${2}")
        .str.replace_all(_SYMBOL_RE, "")
        .str.strip_chars()
    )
    paren = t.str.contains(r"^\(.*\)$")
    t = t.str.replace(r"^\((.*)\)$", "${1}").str.strip_chars()
    lead = t.str.contains(r"^[-−]")
    t = t.str.replace(r"^[-+−]\s*", "")
    trail = t.str.contains(r"[-−]$")  # SAP lists put the minus after the amount: 310,00-
    t = t.str.replace(r"\s*[-−]$", "")
    n_signs = paren.cast(pl.Int8) + lead.cast(pl.Int8) + trail.cast(pl.Int8)
    return [
        t.alias("core"),
        (n_signs == 1).alias("neg"),
        (n_signs > 1).alias("sign_clash"),  # e.g. (-12): refuse to guess
        pl.coalesce(code, symbol).alias("currency"),
    ]


def _core_to_float(core: pl.Expr, dec: str | None) -> pl.Expr:
    """Bare number text -> Float64 for a decided decimal mark (None: all separators are thousands)."""
    if dec is None:
        return core.str.replace_all(r"[,.\s'’]", "").cast(pl.Float64, strict=False)
    num = core.str.replace_all(_GROUP[dec], "")
    if dec == ",":
        num = num.str.replace(",", ".", literal=True)
    return num.cast(pl.Float64, strict=False)


def _amount_value(valid: pl.Series, dec: str | None) -> pl.Expr:
    """Signed Float64 from the `_amount_parts` columns; NULL where the shape or the sign is wrong."""
    sign = pl.when(pl.col("neg")).then(-1.0).otherwise(1.0)
    return pl.when(pl.lit(valid) & ~pl.col("sign_clash")).then(_core_to_float(pl.col("core"), dec) * sign)


def _decide_decimal(core: pl.Series, text: pl.Series, decimal: str | None) -> tuple[
    str | None, pl.Series, str
]:
    """Choose the column's decimal mark; return (mark or None, per-row shape-valid mask, note)."""
    if decimal not in (None, ".", ","):
        raise ValueError(f"decimal must be '.', ',' or None, not {decimal!r}")
    ok = {d: core.str.contains(_SHAPE[d]).fill_null(False) for d in _GROUP}
    if decimal is not None:
        return decimal, ok[decimal], ""
    # Evidence: a value that reads only one way (1.254,51 / 310,00 / 2105.0 / 1,234,567).
    evidence = {".": ok["."] & ~ok[","], ",": ok[","] & ~ok["."]}
    n_dot, n_comma = int(evidence["."].sum()), int(evidence[","].sum())
    if n_dot == n_comma == 0:
        # Only integers or values like 1,254 / 1.254: a lone separator before exactly three digits
        # is far more often a thousands separator than a three-decimal amount.
        grouped = core.str.contains(r"[,.]").fill_null(False) & ok["."]
        note = ""
        if grouped.any():
            example, row = _first(grouped, text)
            note = (f"no value shows the decimal mark, so {example!r} (row {row}) is read with a "
                    f"thousands separator; give the decimal mark explicitly if that is wrong")
        return None, ok["."] & ok[","], note
    dec = "," if n_comma > n_dot else "."
    other = "." if dec == "," else ","
    name = {",": "decimal comma", ".": "decimal point"}
    example, row = _first(evidence[dec], text)
    if not evidence[other].any():
        note = "" if dec == "." else f"{name[dec]} ({example!r} on row {row} settles it)"
    else:
        counter, crow = _first(evidence[other], text)
        how = "by majority" if n_dot != n_comma else "on a tie"
        note = (f"{name[dec]} {how} ({_plural(max(n_dot, n_comma), 'value')} like {example!r}"
                f" on row {row}, against {min(n_dot, n_comma)} like {counter!r} on row {crow})")
    return dec, ok[dec], note


# Plain machine-written amounts (`-1234.5`, `48210.55`): read the same way by the full rules below
# (a decimal point with one or two decimals is evidence for '.'), so they take a direct cast. This
# is what keeps a ten-million-line ledger fast.
_PLAIN = r"^-?[0-9]+(?:\.[0-9]{1,2})?$"


def _parse_amounts(s: pl.Series, decimal: str | None) -> tuple[pl.DataFrame, Parsed]:
    """Shared body of to_number / to_money: returns (the `_amount_parts` frame, Parsed)."""
    if decimal in (None, ".") and s.dtype == pl.String and s.str.contains(_PLAIN).fill_null(True).all():
        # Every cell is plain (so none has spaces around it or is blank): no clean-up needed.
        parts = pl.DataFrame({"v": s}).select(_V, pl.lit(None, dtype=pl.String).alias("currency"))
        return parts, _finish(s, parts["v"], s.cast(pl.Float64), [], what="number")
    df = _frame(s)
    if decimal in (None, ".") and df["v"].str.contains(_PLAIN).fill_null(True).all():
        parts = df.select(_V, pl.lit(None, dtype=pl.String).alias("currency"))
        return parts, _finish(s, df["v"], df["v"].cast(pl.Float64), [], what="number")
    parts = df.select(_V, *_amount_parts(_V))
    dec, valid, note = _decide_decimal(parts["core"], parts["v"], decimal)
    values = parts.select(_amount_value(valid, dec).alias("x"))["x"]
    return parts, _finish(s, df["v"], values, [note], what="number")


def to_number(s: pl.Series, decimal: str | None = None) -> Parsed:
    """Numbers in any common locale layout; see the module docstring."""
    return _parse_amounts(s, decimal)[1]


def to_money(s: pl.Series, decimal: str | None = None) -> tuple[Parsed, pl.Series]:
    """Amounts plus the ISO currency each cell names (NULL if none or the amount is bad)."""
    parts, parsed = _parse_amounts(s, decimal)
    currency = parts.select(
        pl.when(pl.lit(parsed.values).is_not_null()).then(pl.col("currency")).alias("c")
    )["c"].alias(s.name)
    found = currency.drop_nulls().unique().sort().to_list()
    if len(found) > 1:
        mixed = f"mixed currencies ({', '.join(found)})"
        parsed = parsed._replace(note="; ".join(n for n in (parsed.note, mixed) if n))
    return parsed, currency


def to_percent(s: pl.Series) -> Parsed:
    """Percentages as fractions: `35%`, `42,5 %`, `0.35`; bare numbers > 1 are percent points."""
    df = _frame(s)
    parts = df.select(
        _V,
        _V.str.contains(r"%$").alias("pct"),
        *_amount_parts(_V.str.replace(r"\s*%$", "")),
    )
    dec, valid, note = _decide_decimal(parts["core"], parts["v"], None)
    raw = parts.select(_amount_value(valid, dec).alias("x"))["x"]
    notes = [note]
    # Bare numbers (no '%') that all lie within -1..1 are fractions; anything larger means points.
    bare = raw.filter(~parts["pct"].fill_null(True))
    largest = bare.abs().max()
    bare_are_points = largest is not None and largest > 1
    if bare_are_points:
        example, row = _first(~parts["pct"].fill_null(True) & (raw.abs() > 1), parts["v"])
        notes.append(f"numbers without '%' are percent points ({example!r} on row {row} is over 1)")
    scale = pl.when(pl.col("pct") | pl.lit(bare_are_points)).then(100.0).otherwise(1.0)
    # Rounded to 12 places so 35% reads as 0.35, not 0.35000000000000003 (float division noise).
    values = parts.with_columns(x=raw).select((pl.col("x") / scale).round(12).alias("x"))["x"]
    return _finish(s, df["v"], values, notes, what="percentage")


# ---------------------------------------------------------------------------------------------
# Durations
# ---------------------------------------------------------------------------------------------

_MINUTE_UNITS = ("m", "min", "mins", "minute", "minutes", "minuten", "minuto", "minutos")
_HOUR_UNITS = ("h", "hr", "hrs", "hour", "hours", "std", "stunde", "stunden", "heure", "heures",
               "hora", "horas")
_DAY_UNITS = ("d", "dy", "dys", "day", "days", "t", "tag", "tage", "tagen", "j", "jour", "jours",
              "día", "días", "dia", "dias")
_WEEK_UNITS = ("w", "wk", "wks", "week", "weeks", "wo", "woche", "wochen", "sem", "semaine",
               "semaines", "semana", "semanas")
_MONTH_UNITS = ("mo", "mon", "mons", "month", "months", "monat", "monate", "mois", "mes", "meses")
_SECOND_UNITS = ("s", "sec", "secs", "second", "seconds")
# MS Project's elapsed units: e + English unit; elapsed time runs 24 h a day, 7 days a week.
_ELAPSED_BASE = ("m", "min", "mins", "minute", "minutes", "h", "hr", "hrs", "hour", "hours",
                 "d", "day", "days", "w", "wk", "wks", "week", "weeks", "mo", "mon", "mons",
                 "month", "months")

_DUR_UNSIGNED = r"(?:[0-9]+(?:[,.'’\u00a0\u2009\u202f][0-9]{3})*(?:[.,][0-9]+)?|[.,][0-9]+)"
_DUR_NUM = rf"[-+]?{_DUR_UNSIGNED}"
_DUR_UNIT = r"[a-zäéíóú][a-zäéíóú.]*"
_DUR_PIECE = rf"{_DUR_NUM}\s*{_DUR_UNIT}"
_ISO_DUR = (
    r"^(?P<sign>-)?p(?:(?P<y>[0-9.,]+)y)?(?:(?P<mo>[0-9.,]+)m)?(?:(?P<w>[0-9.,]+)w)?"
    r"(?:(?P<d>[0-9.,]+)d)?(?:t(?:(?P<h>[0-9.,]+)h)?(?:(?P<mi>[0-9.,]+)m)?(?:(?P<s>[0-9.,]+)s)?)?$"
)


def _unit_hours(hours_per_day: float, days_per_week: float, days_per_month: float) -> dict[str, float]:
    """Unit word (lower case, no dot) -> hours."""
    working = {
        _MINUTE_UNITS: 1 / 60, _HOUR_UNITS: 1.0, _DAY_UNITS: hours_per_day,
        _WEEK_UNITS: hours_per_day * days_per_week, _MONTH_UNITS: hours_per_day * days_per_month,
        _SECOND_UNITS: 1 / 3600,
    }
    table = {unit: h for units, h in working.items() for unit in units}
    elapsed = {_MINUTE_UNITS: 1 / 60, _HOUR_UNITS: 1.0, _DAY_UNITS: 24.0, _WEEK_UNITS: 168.0,
               _MONTH_UNITS: 720.0}
    for units, h in elapsed.items():
        table.update({"e" + u: h for u in units if u in _ELAPSED_BASE})
    return table


def _piece_hours(piece: pl.Expr, dec: str | None, units: dict[str, float]) -> pl.Expr:
    """`2,5 tage` -> 20.0 (NULL if the unit is unknown)."""
    number = _core_to_float(piece.str.extract(rf"^({_DUR_NUM})", 1).str.replace(r"^\+", ""), dec)
    unit = piece.str.extract(rf"({_DUR_UNIT})$", 1).str.replace_all(".", "", literal=True)
    return number * unit.replace_strict(units, default=None, return_dtype=pl.Float64)


def to_duration_hours(
    s: pl.Series,
    bare_unit: str = "h",
    hours_per_day: float = 8.0,
    days_per_week: float = 5.0,
    days_per_month: float = 20.0,
) -> Parsed:
    """Durations with units (see the module docstring) -> hours."""
    units = _unit_hours(hours_per_day, days_per_week, days_per_month)
    if bare_unit.lower() not in units:
        raise ValueError(f"unknown bare_unit {bare_unit!r}; use one of h, d, w, m, s, ...")
    df = _frame(s)
    t = df.select(
        _V,
        _V.str.to_lowercase().str.replace(r"\s*\?$", "").str.strip_chars().alias("t"),
        _V.str.contains(r"\?$").alias("estimated"),
    )
    text = t["t"]
    is_bare = text.str.contains(rf"^{_DUR_NUM}$").fill_null(False)
    is_single = text.str.contains(rf"^{_DUR_PIECE}$").fill_null(False)
    is_multi = text.str.contains(rf"^(?:{_DUR_PIECE}\s*)+$").fill_null(False) & ~is_single
    # One decimal mark per column, decided from the first number in each value.
    first_num = text.str.extract(rf"^[-+]?({_DUR_UNSIGNED})", 1)
    dec, _, dec_note = _decide_decimal(first_num, t["v"], None)

    p = pl.col("t")
    hours = pl.when(pl.lit(is_single)).then(_piece_hours(p, dec, units))
    hours = hours.when(pl.lit(is_bare)).then(
        _core_to_float(p.str.replace(r"^\+", ""), dec) * units[bare_unit.lower()]
    )
    if is_multi.any():  # Jira-style `1w 2d 3h`: sum the pieces; any unknown unit spoils the value
        pieces = p.str.extract_all(_DUR_PIECE).list.eval(_piece_hours(pl.element(), dec, units))
        complete = ~pieces.list.eval(pl.element().is_null().any()).list.first()
        hours = hours.when(pl.lit(is_multi) & complete).then(pieces.list.sum())
    iso = p.str.extract_groups(_ISO_DUR)
    iso_parts = {k: iso.struct.field(k).str.replace(",", ".", literal=True).cast(pl.Float64, strict=False)
                 .fill_null(0.0) for k in ("y", "mo", "w", "d", "h", "mi", "s")}
    iso_hours = (
        (iso_parts["y"] * 12 + iso_parts["mo"]) * days_per_month * hours_per_day
        + (iso_parts["w"] * days_per_week + iso_parts["d"]) * hours_per_day
        + iso_parts["h"] + iso_parts["mi"] / 60 + iso_parts["s"] / 3600
    ) * pl.when(iso.struct.field("sign") == "-").then(-1.0).otherwise(1.0)
    hours = hours.when(p.str.contains(_ISO_DUR) & p.str.contains(r"[0-9]") & ~p.str.ends_with("t"))
    hours = hours.then(iso_hours)
    values = t.select(hours.otherwise(None).cast(pl.Float64).alias("x"))["x"]

    notes = [dec_note]
    if is_bare.any():
        notes.append(f"bare numbers read in {bare_unit!r} ({units[bare_unit.lower()]:g} h each)")
    n_est = int((t["estimated"].fill_null(False) & values.is_not_null()).sum())
    if n_est:
        notes.append(f"{_plural(n_est, 'estimated value')} (ending in '?') read as given")
    return _finish(s, df["v"], values, notes, what="duration")


def seconds_to_hours(s: pl.Series) -> Parsed:
    """Integer seconds (Jira time tracking, ServiceNow Excel durations) -> hours."""
    parsed = to_number(s)
    return parsed._replace(values=parsed.values / 3600)


# ---------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------

# Optional time of day after a date; it is matched so the date can be read, then dropped.
_TIME = (
    r"(?:[ T][0-9]{1,2}[:.][0-9]{2}(?:[:.][0-9]{2}(?:[.,][0-9]+)?)?(?: ?[AaPp]\.?[Mm]\.?)?"
    r"(?: ?(?:Z|[+-][0-9]{2}(?::?[0-9]{2})?|UTC|GMT))?)?"
)
_WEEKDAY = r"(?:(?P<wd>[A-Za-z]{2,9})\.?,? )?"
_MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
           "sep": 9, "oct": 10, "nov": 11, "dec": 12, "mär": 3, "mrz": 3, "mai": 5, "okt": 10,
           "dez": 12,
           # French (Jira: `20/juil./25 16:22`) and Spanish (`23/ene/26 10:12 am`) abbreviations
           "fév": 2, "avr": 4, "aoû": 8, "déc": 12, "ene": 1, "abr": 4, "ago": 8, "dic": 12}
# Month names whose first three letters are shared: French juin / juillet.
_MONTHS_4 = {"juin": 6, "juil": 7}
_WEEKDAYS = {"mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 7}
_EXCEL_EPOCH_OFFSET = 25569  # days from 1899-12-30 (Excel 1900 system day 0) to 1970-01-01
_ORDER_WORDS = {"dmy": "day-first", "mdy": "month-first"}


def _g(name: str) -> pl.Expr:
    return pl.col("g").struct.field(name)


def _year(y: pl.Expr) -> pl.Expr:
    """Two-digit years pivot like POSIX strptime: 00-68 -> 20xx, 69-99 -> 19xx."""
    n = y.cast(pl.Int32, strict=False)
    return pl.when(y.str.len_chars() == 2).then(n + pl.when(n < 69).then(2000).otherwise(1900)).otherwise(n)


def _ymd(y: pl.Expr, m: pl.Expr, d: pl.Expr) -> pl.Expr:
    """Date from year/month/day parts; impossible dates (31/02, month 13) become NULL."""
    return pl.format("{}-{}-{}", y, m, d).str.to_date("%Y-%m-%d", strict=False)


def _month_name(m: pl.Expr) -> pl.Expr:
    low = m.str.to_lowercase()
    return pl.coalesce(low.str.slice(0, 4).replace_strict(_MONTHS_4, default=None, return_dtype=pl.Int32),
                       low.str.slice(0, 3).replace_strict(_MONTHS, default=None, return_dtype=pl.Int32))


class _DateFormat(NamedTuple):
    label: str  # how the note names it ("" = not worth a note)
    pattern: str  # full-match regex over whitespace-collapsed text; named groups feed `build`
    build: Callable[[], pl.Expr] | None  # None = numeric a/b/y, built per order
    numbers_only: bool = False  # only a candidate when every value in the column is a number


# Regex pieces; 2-digit years go through _year().
_DAY, _MONTH_NUM = r"(?P<d>[0-9]{1,2})", r"(?P<m>[0-9]{1,2})"
_MONTH_NAME = r"(?P<m>[A-Za-zäÄéÉûÛ]{3,9})\.?"
_YEAR4, _YEAR_ANY = r"(?P<y>[0-9]{4})", r"(?P<y>[0-9]{4}|[0-9]{2})"
_NUMERIC_ABY = rf"^{_WEEKDAY}(?P<a>[0-9]{{1,2}})[/-](?P<b>[0-9]{{1,2}})[/-]{_YEAR_ANY}{_TIME}$"
_SERIAL = r"^[0-9]+(?:\.[0-9]+)?$"


def _numeric_ymd() -> pl.Expr:
    return _ymd(_year(_g("y")), _g("m"), _g("d"))


def _named_month_ymd() -> pl.Expr:
    return _ymd(_year(_g("y")), _month_name(_g("m")), _g("d"))


def _excel_serial() -> pl.Expr:
    n = _g("n").cast(pl.Float64)
    days_since_1970 = n.floor().cast(pl.Int32) - _EXCEL_EPOCH_OFFSET
    return pl.when(n.is_between(20000, 80000)).then(days_since_1970.cast(pl.Date))


def _odata_ms() -> pl.Expr:
    return pl.from_epoch(_g("ms").cast(pl.Int64), time_unit="ms").dt.date()


# Candidates in order of preference (the first wins a tie).
_DATE_FORMATS = [
    _DateFormat("", rf"^{_YEAR4}[-/.]{_MONTH_NUM}[-/.]{_DAY}{_TIME}$", _numeric_ymd),  # ISO
    _DateFormat("day/month-name/year", rf"^{_WEEKDAY}{_DAY}[/ .-]{_MONTH_NAME}[/ .-]{_YEAR_ANY}{_TIME}$",
                _named_month_ymd),
    _DateFormat("month-name day, year", rf"^{_WEEKDAY}{_MONTH_NAME} {_DAY},? {_YEAR4}{_TIME}$",
                _named_month_ymd),
    _DateFormat("a/b/y", _NUMERIC_ABY, None),
    _DateFormat("day-first d.m.y", rf"^{_WEEKDAY}{_DAY}\.{_MONTH_NUM}\.{_YEAR_ANY}{_TIME}$", _numeric_ymd),
    _DateFormat("yyyymmdd", r"^(?P<y>(?:19|20)[0-9]{2})(?P<m>[0-9]{2})(?P<d>[0-9]{2})$", _numeric_ymd),
    _DateFormat("Excel serial numbers (1900 system)", r"^(?P<n>[0-9]{5}(?:\.[0-9]+)?)$", _excel_serial,
                numbers_only=True),
    _DateFormat("OData /Date(ms)/", r"^/Date\((?P<ms>-?[0-9]+)(?:[+-][0-9]{4})?\)/$", _odata_ms),
]


def _aby_dates(order: str) -> pl.Expr:
    day, month = ("a", "b") if order == "dmy" else ("b", "a")
    return _ymd(_year(_g("y")), _g(month), _g(day))


def _check_order(value: str | None, param: str) -> None:
    if value not in (None, "dmy", "mdy"):
        raise ValueError(f"{param} must be 'dmy', 'mdy' or None, not {value!r}")


def _ambiguous(name: str, examples: list[str], detail: str) -> AmbiguousDates:
    column = f"column {name!r}" if name else "this column"
    shown = ", ".join(repr(e) for e in examples)
    return AmbiguousDates(
        f"Dates in {column} {detail} (e.g. {shown}). Pass --date-order dmy or --date-order mdy, "
        f"or set the column's date order in a mapping file."
    )


def _resolve_order(g: pl.DataFrame, v: pl.Series, order: str | None, default_order: str | None,
                   name: str) -> tuple[str, str]:
    """Decide day- vs month-first for an a/b/y column; return (order, note)."""
    ev = g.select(
        a=_g("a").cast(pl.Int32), b=_g("b").cast(pl.Int32),
        wd=_g("wd").str.to_lowercase().str.slice(0, 3)
        .replace_strict(_WEEKDAYS, default=None, return_dtype=pl.Int8),
        dmy=_aby_dates("dmy"), mdy=_aby_dates("mdy"),
    ).select(
        # A part > 12 can only be the day; a weekday name that fits one reading only settles it too.
        dmy=(pl.col("a") > 12) & pl.col("dmy").is_not_null()
        | (pl.col("dmy").dt.weekday() == pl.col("wd")) & (pl.col("mdy").dt.weekday() != pl.col("wd")),
        mdy=(pl.col("b") > 12) & pl.col("mdy").is_not_null()
        | (pl.col("mdy").dt.weekday() == pl.col("wd")) & (pl.col("dmy").dt.weekday() != pl.col("wd")),
        undecided=pl.col("dmy").is_not_null() & pl.col("mdy").is_not_null() & (pl.col("a") != pl.col("b")),
    )
    n = {o: int(ev[o].fill_null(False).sum()) for o in ("dmy", "mdy")}
    if n["dmy"] != n["mdy"]:
        won = "dmy" if n["dmy"] > n["mdy"] else "mdy"
        lost = "mdy" if won == "dmy" else "dmy"
        example, row = _first(ev[won], v)
        if not n[lost]:
            return won, f"dates read {_ORDER_WORDS[won]} ({example!r} on row {row} settles it)"
        counter, crow = _first(ev[lost], v)
        return won, (f"dates read {_ORDER_WORDS[won]} by majority ({_plural(n[won], 'value')} like "
                     f"{example!r} on row {row}, against {n[lost]} like {counter!r} on row {crow})")
    if n["dmy"]:  # as many values say day-first as say month-first
        if order or default_order:
            chosen = order or default_order
            return chosen, (f"dates read {_ORDER_WORDS[chosen]} as configured; values disagree "
                            f"({n['dmy']} read only day-first, {n['mdy']} only month-first)")
        examples = [_first(ev["dmy"], v)[0], _first(ev["mdy"], v)[0]]
        raise _ambiguous(name, examples, "disagree: as many read only day-first as only month-first")
    if order:
        return order, f"dates read {_ORDER_WORDS[order]} as requested (no value settles it)"
    if default_order:
        word = _ORDER_WORDS[default_order]
        return default_order, f"dates read {word}, the source's default (no value settles it)"
    examples = v.filter(ev["undecided"].fill_null(False)).unique(maintain_order=True).head(3).to_list()
    if not examples:
        examples = v.drop_nulls().unique(maintain_order=True).head(3).to_list()
    raise _ambiguous(name, examples, "could be day-first or month-first and no value settles it")


# The analyst's answer to "day-first or month-first?" for one ingest (`pmo ingest --date-order`,
# or [general] default_date_order): used when neither evidence nor the importer decides.
DATE_ORDER: ContextVar[str | None] = ContextVar("DATE_ORDER", default=None)


def to_date(
    s: pl.Series, order: str | None = None, default_order: str | None = None, name: str = ""
) -> Parsed:
    """Dates in one per-column format; see the module docstring. Raises AmbiguousDates."""
    order = order or DATE_ORDER.get()
    _check_order(order, "order")
    _check_order(default_order, "default_order")
    df = _frame(s)
    v = df["v"]
    text = v.str.replace_all(r"\s+", " ")  # monday writes two spaces before the time
    all_numeric = bool(text.drop_nulls().str.contains(_SERIAL).all())

    best: tuple[int, _DateFormat, pl.DataFrame] | None = None
    for fmt in _DATE_FORMATS:
        if fmt.numbers_only and not all_numeric:
            continue  # a lone 5-digit number among text dates is not a date
        if not text.str.contains(fmt.pattern).any():
            continue
        g = pl.DataFrame({"g": text.str.extract_groups(fmt.pattern)})
        if fmt.build is None:
            either = _aby_dates("dmy").is_not_null() | _aby_dates("mdy").is_not_null()
            score = g.select(either).to_series().sum()
        else:
            score = g.select(fmt.build()).to_series().count()
        if score and (best is None or score > best[0]):
            best = (int(score), fmt, g)

    notes: list[str] = []
    if best is None:
        values = pl.Series(s.name, [None] * len(s), dtype=pl.Date)
    else:
        _, fmt, g = best
        if fmt.build is None:
            chosen, note = _resolve_order(g, v, order, default_order, name)
            values = g.select(_aby_dates(chosen)).to_series()
            notes.append(note)
        else:
            values = g.select(fmt.build()).to_series()
            if fmt.label:
                example, row = _first(values.is_not_null(), v)
                notes.append(f"dates read as {fmt.label} (e.g. {example!r} on row {row})")
    return _finish(s, v, values, notes, what="date")


# ---------------------------------------------------------------------------------------------
# Flags, health, people, lists, text
# ---------------------------------------------------------------------------------------------

_TRUE = ("true", "t", "yes", "y", "1", "1.0", "-1", "x", "checked", "on", "ja", "j", "wahr", "oui",
         "vrai", "si", "sí", "✓", "✔", "☑", "✅", "✔️")
_FALSE = ("false", "f", "no", "n", "0", "0.0", "unchecked", "off", "nein", "falsch", "non", "faux",
          "✗", "✘", "☐", "❌")
_BOOLS = {**{w: True for w in _TRUE}, **{w: False for w in _FALSE}}


def to_bool(s: pl.Series) -> Parsed:
    """Yes/no style flags in several spellings and languages; empty -> NULL."""
    df = _frame(s)
    values = df.select(
        _V.str.to_lowercase().replace_strict(_BOOLS, default=None, return_dtype=pl.Boolean)
    ).to_series()
    return _finish(s, df["v"], values, [], what="yes/no value")


_HEALTH = {
    "green": ("green", "g", "on track", "ontrack", "ok", "okay", "good", "healthy", "grün", "gruen",
              "vert", "🟢"),
    "amber": ("amber", "yellow", "y", "a", "orange", "at risk", "atrisk", "needs attention",
              "attention", "warning", "caution", "gelb", "jaune", "🟡", "🟠"),
    "red": ("red", "r", "off track", "offtrack", "critical", "rot", "rouge", "🔴"),
}
_HEALTH_WORDS = {w: colour for colour, words in _HEALTH.items() for w in words}
# Known "no rating" values: NULL, but not a parse failure.
_NO_HEALTH = ("", "no status", "not reported", "not set", "grey", "gray", "blue", "none", "n/a", "na",
              "-", "⚪", "⚫", "🔵")
_HEALTH_NUMBERS = {"1": "green", "2": "amber", "3": "red"}


def to_health(s: pl.Series) -> Parsed:
    """RAG status in its many spellings -> 'green' | 'amber' | 'red' | NULL."""
    df = _frame(s)
    key = df.select(
        _V.str.to_lowercase().str.replace_all("\ufe0f", "", literal=True)
        .str.replace_all(r"[\s_-]+", " ").str.strip_chars(" .!").alias("k")
    ).to_series()
    words = dict(_HEALTH_WORDS)
    notes = []
    non_empty = key.drop_nulls()
    if len(non_empty) and non_empty.is_in(list(_HEALTH_NUMBERS)).all():
        words |= _HEALTH_NUMBERS  # only a column of nothing but 1-3 is a numeric RAG scale
        notes.append("numbers read as 1 = green, 2 = amber, 3 = red")
    values = key.replace_strict(words, default=None, return_dtype=pl.String)
    neutral = key.is_in(list(_NO_HEALTH))
    return _finish(s, df["v"], values, notes, neutral=neutral, what="health rating")


_PERSON = r"^\"?(?P<name>[^<>\"]*?)\"?\s*<\s*(?P<email>[^<>\s]+@[^<>\s]+)\s*>$"
_EMAIL = r"^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$"


def split_person(s: pl.Series) -> tuple[pl.Series, pl.Series]:
    """`Dana Ortiz <dana@x.com>` -> (name, email); bare email -> (NULL, email); name -> (name, NULL)."""
    df = _frame(s).with_columns(g=_V.str.extract_groups(_PERSON))
    is_email = _V.str.contains(_EMAIL)
    out = df.select(
        name=pl.when(is_email).then(None)
        .when(_g("name").is_not_null()).then(_g("name").str.strip_chars())
        .when(_g("email").is_null()).then(_V),
        email=pl.when(is_email).then(_V).otherwise(_g("email")),
    ).with_columns(name=pl.when(pl.col("name") != "").then(pl.col("name")))
    return out["name"], out["email"]


def split_list(s: pl.Series, sep: str) -> pl.Series:
    """Split a multi-value cell on the literal `sep`; items stripped, empties dropped; empty -> NULL."""
    df = _frame(s)
    items = (
        _V.str.split(sep, literal=True)
        .list.eval(pl.element().str.strip_chars())
        .list.eval(pl.element().filter(pl.element() != ""))
    )
    return df.select(pl.when(items.list.len() > 0).then(items).alias(s.name)).to_series()


_ENTITIES = [("&nbsp;", " "), ("&#160;", " "), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'),
             ("&#34;", '"'), ("&#39;", "'"), ("&#x27;", "'"), ("&apos;", "'"),
             ("&amp;", "&")]  # &amp; last, so "&amp;lt;" stays "&lt;"


def strip_html(s: pl.Series) -> pl.Series:
    """Rich-text cell -> plain text: tags removed, common entities unescaped, whitespace collapsed."""
    t = (
        s.cast(pl.String)
        .str.replace_all(r"(?is)<(script|style)\b.*?</(script|style)\s*>", " ")
        .str.replace_all(r"<[^>]*>", " ")  # a space, so </p><p> does not glue words together
    )
    for entity, char in _ENTITIES:
        t = t.str.replace_all(entity, char, literal=True)
    t = t.str.replace_all(r"\s+", " ").str.strip_chars()
    return pl.DataFrame({"v": t}).select(pl.when(_V != "").then(_V).alias(s.name)).to_series()


def is_mangled_id(s: pl.Series) -> pl.Series:
    """True where an id was turned into scientific notation by Excel (`1.21143E+15`)."""
    return (
        s.cast(pl.String).str.strip_chars()
        .str.contains(r"^[0-9](?:[.,][0-9]+)?[eE]\+?[0-9]+$")
        .fill_null(False)
        .alias(s.name)
    )


# Text that only looks numeric: a leading zero (`00123`, kept by a CSV, lost by a number), or an id
# Excel already turned into scientific notation (`1.21143E+15`: Excel writes numbers of 12 digits
# or more that way in a General cell).
_IDENTIFIER = r"^(?:0[0-9]+|[0-9](?:[.,][0-9]+)?[eE]\+?(?:1[1-9]|[2-9][0-9]))$"


def numeric_column(s: pl.Series, max_unreadable: float = 0.5) -> tuple[bool, str | None]:
    """Whether a column of free-form values (a tool's custom field) holds numbers, decided over all
    its values: (True, None) when at most `max_unreadable` of the non-empty values fail to read as
    numbers and none is identifier-like text (`00123`, `1.21143E+15`); else (False, an example of
    what it holds). A column of codes (`CC-MKT-210`) is text, not a number column with bad cells."""
    v = _frame(s)["v"].drop_nulls()
    if v.is_empty():
        return True, None
    ident = v.filter(v.str.contains(_IDENTIFIER))
    if len(ident):
        return False, ident[0]
    p = to_number(v)
    n_bad = int(p.bad.sum())
    if n_bad > max_unreadable * len(v):
        return False, v.filter(p.bad)[0]
    return True, None


# ---------------------------------------------------------------------------------------------
# Big, repetitive columns
# ---------------------------------------------------------------------------------------------

UNIQUE_MIN_ROWS = 100_000


def by_unique(parser: Callable[..., Parsed], s: pl.Series, *args, **kwargs) -> Parsed:
    """`parser(s, ...)` computed on the column's distinct values and mapped back to every row.

    A ledger's period, kind or currency column has ten million cells and a few dozen distinct
    values; parsing those once is the same decision over all values, at a fraction of the cost.
    Notes keep their example values; row numbers in them are dropped (they would be positions
    among the distinct values) and counts of unreadable values are recounted over all rows.
    """
    if len(s) < UNIQUE_MIN_ROWS:
        return parser(s, *args, **kwargs)
    uniq = s.unique(maintain_order=True)
    if len(uniq) > len(s) // 20:
        return parser(s, *args, **kwargs)
    p = parser(uniq, *args, **kwargs)
    mapping = pl.DataFrame({"k": uniq, "value": p.values, "bad": p.bad})
    rows = pl.DataFrame({"k": s}).join(mapping, on="k", how="left", nulls_equal=True,
                                       maintain_order="left")
    bad = rows["bad"].fill_null(False)
    note = re.sub(r" on row \d+", "", p.note)
    n_bad = int(bad.sum())
    note = re.sub(r"\b\d+ unreadable (\w+?)s?\b", lambda m: _plural(n_bad, "unreadable " + m.group(1)), note)
    return Parsed(rows["value"].alias(s.name), bad.alias(s.name), note)
