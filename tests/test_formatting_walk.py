"""Formatting that never slips (issue 21, point 3): every page run once with AppTest on the sample
store, and every table it offers as a download, read as a user reads them. Fails on a raw
"None" / "nan" / "NaT" / "inf", a snake_case column header (headers come from metrics/*.toml), or
an unformatted float (more than three decimals, or money with float leftovers such as
$2,243,999.99) in markdown, captions, KPI cards, tables and the CSV / Excel files."""

from __future__ import annotations

import io
import json
import math
import re

import polars as pl
import pytest
from conftest import ROOT
from helpers.app import plain
from streamlit.testing.v1 import AppTest

from pmo import export
from pmo import metrics as fmt
from pmo.ui.url import SHARE_VIEW_KEY

pytestmark = pytest.mark.app

PAGES = ["dashboard.py", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py"))]

# "None of them" is prose, as is a scale's level "None / Low / ..."; "None" on its own is a
# missing value printed raw
RAW = re.compile(r"(?<![\w/-])(None|nan|NaN|NaT|-?inf|Infinity)(?![\w/-]| [a-z]| /)")
LONG_DECIMALS = re.compile(r"(?<![\w.])\d[\d,]*\.\d{4,}(?![\w])")       # 0.903312, 12.34567
MONEY_CENTS = re.compile(r"[$€£]\s?\d{1,3}(?:,\d{3})+\.\d+")               # $2,243,999.99
BARE_BIG_FLOAT = re.compile(r"(?<![\w.,])\d{5,}\.\d+(?![\w])")              # 2243999.99
SNAKE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$")
# SQL typed by a user on the SQL Explorer page is shown as written (its own column names).
OWN_SQL_PAGES = {"pages/5_SQL_Explorer.py"}


def slips(text: str) -> list[str]:
    """What in `text` (as a user reads it) is a raw missing value or an unformatted number."""
    text = plain(text)
    # code spans and links are not prose: a file name or URL may hold anything
    text = re.sub(r"`[^`]*`|\]\([^)]*\)|https?://\S+", " ", text)
    return [m.group(0) for pat in (RAW, LONG_DECIMALS, MONEY_CENTS, BARE_BIG_FLOAT) for m in pat.finditer(text)]


def _config(proto) -> dict:
    return json.loads(proto.columns) if proto.columns else {}


def _float_text(v: float) -> str:
    return repr(v)


def dataframe_slips(el) -> list[str]:
    """A st.dataframe as drawn: its headers (the column config's labels, else the column names),
    its missing cells (shown as the placeholder, "None" without one) and unformatted floats."""
    out = []
    cfg = _config(el.proto)
    df = el.value
    placeholder = el.proto.placeholder if el.proto.HasField("placeholder") else None
    for name in df.columns:
        c = cfg.get(str(name), {})
        if c.get("hidden"):
            continue
        header = c.get("label") or str(name)
        if SNAKE.match(header):
            out.append(f"header {header!r}")
        col = df[name]
        kind = (c.get("type_config") or {}).get("type") or c.get("type")
        fmt = (c.get("type_config") or {}).get("format")
        if col.isna().any() and placeholder is None:
            out.append(f"{header}: a missing cell shows as 'None'")
        if placeholder is not None and slips(placeholder):
            out.append(f"placeholder {placeholder!r}")
        values = [v for v in col.tolist() if v is not None and not (isinstance(v, float) and math.isnan(v))]
        if col.dtype.kind == "f" and not fmt:
            bad = [v for v in values if slips(_float_text(v)) or (abs(v - round(v, 3)) > 1e-9)]
            if bad:
                out.append(f"{header}: unformatted float {bad[0]!r}")
        elif col.dtype.kind == "O" and kind not in ("multiselect", "list") and el.editing_mode == "read_only":
            # (an editor's text cells are what users typed, e.g. a scoring scale's level "None")
            # a pick list's own option (a scoring scale's level "None") is a word, not a missing value
            options = {o.get("value") if isinstance(o, dict) else o
                       for o in (c.get("type_config") or {}).get("options") or []}
            for v in values:
                if v in options:
                    continue
                if isinstance(v, str) and (s := slips(v)):
                    out.append(f"{header}: cell {v!r} ({s[0]})")
                    break
    return out


def table_slips(el) -> list[str]:
    """A st.table: every cell and header as text."""
    out = []
    df = el.value
    for name in df.columns:
        if SNAKE.match(str(name)):
            out.append(f"header {name!r}")
        for v in df[name].tolist():
            if v is None or (isinstance(v, float) and math.isnan(v)):
                out.append(f"{name}: a missing cell")
                break
            if s := slips(str(v)):
                out.append(f"{name}: cell {v!r} ({s[0]})")
                break
    return out


def export_slips(df: pl.DataFrame, labels, meta) -> list[str]:
    """The CSV and Excel files of a table offered for download: header lines and cells."""
    out = []
    raw = export.to_csv_bytes(df, meta, labels).decode("utf-8-sig")
    lines = raw.splitlines()
    head_at = next(i for i, line in enumerate(lines) if not line.startswith("# "))
    for line in lines[:head_at]:
        if s := slips(line.split(",", 1)[1] if "," in line else line):
            out.append(f"CSV meta line {line!r} ({s[0]})")
    table = pl.read_csv(io.StringIO(raw), comment_prefix="#", infer_schema=False)
    for h in table.columns:
        if SNAKE.match(h):
            out.append(f"CSV header {h!r}")
    for h in table.columns:
        bad = [v for v in table[h].to_list() if v is not None and RAW.fullmatch(v.strip())]
        if bad:
            out.append(f"CSV {h}: cell {bad[0]!r}")
    xlsx = pl.read_excel(io.BytesIO(export.to_xlsx_bytes(df, meta, labels=labels)), has_header=False,
                         infer_schema_length=0)
    rows = xlsx.rows()
    head = next(r for r in rows[1:] if r[0] is not None and r[0] == (export.headers(df.columns, labels) or [None])[0])
    for h in head:
        if h is not None and SNAKE.match(str(h)):
            out.append(f"Excel header {h!r}")
    for r in rows:
        for v in r:
            if isinstance(v, str) and RAW.fullmatch(v.strip()):
                out.append(f"Excel cell {v!r}")
                break
    return out


@pytest.mark.parametrize("page", PAGES)
def test_page_and_its_exports_are_formatted(app_env, page):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=240)
    if page == "dashboard.py":
        at.run()
    else:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]

    found: list[str] = []
    for kind in ("markdown", "caption", "info", "warning", "success", "title", "header", "subheader"):
        for el in getattr(at, kind):
            found += [f"{kind}: {s} in {el.value[:120]!r}" for s in slips(el.value)]
    for m in at.metric:
        found += [f"KPI {m.label!r}: {s}" for s in slips(f"{m.label} {m.value} {m.proto.delta}")]
    for kind in ("selectbox", "multiselect", "radio"):
        for w in getattr(at, kind):
            # the options as listed (after the widget's format_func)
            found += [f"{kind} {w.label!r}: option {o!r}" for o in (w.options or []) if slips(str(o))]
    for el in at.dataframe:
        if page in OWN_SQL_PAGES:
            continue
        found += [f"table {el.key or ''}: {s}" for s in dataframe_slips(el)]
    for el in at.table:
        found += [f"st.table: {s}" for s in table_slips(el)]

    view = at.session_state[SHARE_VIEW_KEY] if SHARE_VIEW_KEY in at.session_state else None
    if view is not None and page not in OWN_SQL_PAGES:
        for name, df, labels, meta in view.downloads:
            found += [f"download {name!r}: {s}" for s in export_slips(df, labels, meta or view.meta(name))]

    assert not found, f"{page}:\n" + "\n".join(dict.fromkeys(found))


@pytest.mark.parametrize("text, bad", [
    ("Overrun % None", ["None"]), ("CPI nan", ["nan"]), ("SPI 0.903312", ["0.903312"]),
    ("BAC $2,243,999.99", ["$2,243,999.99"]), ("2243999.99 spent", ["2243999.99"]), ("NaT", ["NaT"]),
    ("SPI 0.90, BAC $2.24M, 12.5%, 25 Sep 2026, 1,850,000", []), ("None of the above", []),
    ("[info](:material/info:) infinite", []),
])
def test_the_walk_sees_what_slips(text, bad):
    assert slips(text) == bad or (bad == [] and not slips(text)), slips(text)


def test_as_of_picker_lists_dates_as_they_read_and_the_link_keeps_iso(app_env):
    from helpers.app import open_page

    at = open_page("pages/1_Portfolio_Health.py", as_of="2026-10-30")
    box = at.selectbox(key="as_of")
    assert box.value == "2026-10-30"                       # a link with the ISO date restores
    assert "30 Oct 2026" in box.options and not any(re.fullmatch(r"\d{4}-\d\d-\d\d", o) for o in box.options)
    assert box.placeholder.startswith("Latest (") and not re.search(r"\d{4}-\d\d", box.placeholder)
    assert at.query_params["as_of"] in ("2026-10-30", ["2026-10-30"])
    # choosing another date puts its ISO form in the link, not the text shown
    iso = {fmt.day(d): d for d in ("2026-09-25", "2026-10-30")}
    other = next(o for o in box.options if o in iso and iso[o] != "2026-10-30")
    box.select(iso[other]).run()
    assert not at.exception
    assert at.query_params["as_of"] in (iso[other], [iso[other]])
    view = at.session_state[SHARE_VIEW_KEY]
    assert f"as_of={iso[other]}" in view.link


def test_dates_ratios_and_counts_read_one_way():
    from datetime import date, datetime

    assert fmt.day(date(2026, 12, 7)) == "7 Dec 2026" == fmt.day("2026-12-07")
    assert fmt.day(None) == fmt.MISSING
    assert fmt.day_time(datetime(2026, 12, 7, 9, 5, 3), seconds=True) == "7 Dec 2026 09:05:03"
    assert fmt.month(date(2026, 12, 7)) == "Dec 2026"
    rules = (0.95, 0.90)
    assert fmt.ratio(0.8970, thresholds=rules) == "0.897"      # "0.90" would contradict its red
    assert fmt.ratio(0.8999, thresholds=rules) == "0.8999"
    assert fmt.ratio(0.9033, thresholds=rules) == "0.90"       # not below 0.90: amber, as it reads
    assert fmt.ratio(0.68, thresholds=rules) == "0.68"
    assert fmt.text("spi", 0.8970) == "0.897"
    assert fmt.plural(1, "project") == "1 project" and fmt.plural(2, "project") == "2 projects"
