"""Shared helpers for every generator: working days, months, the fiscal year, money, GUIDs, and the
CSV and xlsx writers that make the files byte-identical on every run."""

from __future__ import annotations

import calendar
import csv
import random
import uuid
from datetime import date, datetime, time, timedelta
from pathlib import Path

import xlsxwriter

OUT = Path(__file__).resolve().parent.parent    # sample_data/: every tool writes below it
XLSX_CREATED = datetime(2026, 11, 20)           # pinned document property -> byte-identical xlsx


# =============================================================================================
# Small helpers
# =============================================================================================

def d(text: str) -> date:
    return date.fromisoformat(text)


def weekday_on_or_before(day: date) -> date:
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def weekday_on_or_after(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def workdays(first: date, last: date) -> int:
    """Working days from first to last inclusive (0 if last < first)."""
    if last < first:
        return 0
    n, day = 0, first
    while day <= last:
        n += day.weekday() < 5
        day += timedelta(days=1)
    return n


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, n: int) -> date:
    y, m = divmod(day.month - 1 + n, 12)
    return date(day.year + y, m + 1, 1)


def months_between(first: date, last: date) -> list[date]:
    """First-of-month dates from month(first) to month(last) inclusive."""
    out, m = [], month_start(first)
    while m <= month_start(last):
        out.append(m)
        m = add_months(m, 1)
    return out


def days_in_month(m: date) -> int:
    return calendar.monthrange(m.year, m.month)[1]


def fiscal_year(m: date) -> str:
    """Fiscal years run December to November: Dec 2025 .. Nov 2026 is FY2026."""
    return f"FY{m.year + 1 if m.month == 12 else m.year}"


def new_guid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def s_curve(x: float) -> float:
    """Cumulative progress share at elapsed share x: a gentle S."""
    x = min(max(x, 0.0), 1.0)
    return 0.45 * x + 0.55 * x * x * (3 - 2 * x)


def elapsed(first: date, last: date, day: date) -> float:
    span = (last - first).days
    return 0.0 if span <= 0 else (day - first).days / span


def money(x: float) -> float:
    return round(x + 0.0, 2)


def fmt_amount(x: float) -> str:
    return f"{x:.2f}"


def at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm))


def csv_writer(path: Path):
    """UTF-8 (no BOM), LF line ends, quotes only where needed (RFC 4180)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    f = path.open("w", encoding="utf-8", newline="")
    return f, csv.writer(f, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)


def new_workbook(path: Path) -> xlsxwriter.Workbook:
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": False})
    wb.set_properties({"created": XLSX_CREATED, "author": "PMO Reporting", "company": ""})
    return wb
