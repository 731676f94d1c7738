"""Tables on the pages: labels, formats and tooltips from the metrics layer (metrics/*.toml; a
column it does not define is an error), and paging, so that no table sends more than ROW_LIMIT
rows to the browser at any store size."""

from __future__ import annotations

import math
from dataclasses import dataclass

import polars as pl
import streamlit as st

from pmo import frames, metrics
from pmo.ui import safe

# Streamlit number formats per unit (printf-style; "," = thousands separator)
NUMBER_FORMATS = {"pct": "percent", "ratio": "%.2f", "days": "%,d", "count": "%,d", "months": "%.1f",
                  "hours": "%,.1f h", "points": "%,.1f"}


# Streamlit's own currency formats (sign before the symbol), by reporting currency
MONEY_FORMATS = {"USD": "dollar", "EUR": "euro", "JPY": "yen"}


def column(name: str, dtype: pl.DataType, currency: str = "USD", label: str | None = None):
    """The st.column_config of one column: its metric's label, help and format (`label`: a label
    chosen by the page for a column whose meaning depends on a selection, such as "the grouping")."""
    m = metrics.spec(name)
    title = label or m.label
    if m.unit == "money" and dtype.is_numeric():
        # Whole units of the reporting currency in tables (cards use $1.2M), the sign before the
        # symbol: -$567,535. A printf format can only put the symbol first ($-567,535), so the
        # currencies Streamlit has a format for use it (step=1: no cents; `show` rounds the
        # values, since that format truncates), and the others name the currency in the header.
        if currency in MONEY_FORMATS:
            return st.column_config.NumberColumn(title, help=m.help, format=MONEY_FORMATS[currency], step=1)
        sym = metrics.CURRENCY_SYMBOLS.get(currency, currency).strip()
        return st.column_config.NumberColumn(f"{title} ({sym})", help=m.help, format="%,.0f")
    if m.unit == "pct" and dtype.is_numeric():
        return st.column_config.NumberColumn(title, help=m.help, format="percent")
    if m.unit == "ratio" and m.decimals is not None and dtype.is_numeric():
        return st.column_config.NumberColumn(title, help=m.help, format=f"%.{m.decimals}f")
    if m.unit == "hours" and m.decimals is not None and dtype.is_numeric():
        return st.column_config.NumberColumn(title, help=m.help, format=f"%,.{m.decimals}f h")
    if m.unit == "number" and dtype.is_numeric():
        return st.column_config.NumberColumn(title, help=m.help, format=f"%,.{m.decimals or 0}f")
    if m.unit in NUMBER_FORMATS and dtype.is_numeric():
        return st.column_config.NumberColumn(title, help=m.help, format=NUMBER_FORMATS[m.unit])
    if dtype == pl.Date and m.unit == "month":
        return st.column_config.DateColumn(title, help=m.help, format="MMM YYYY")
    if dtype == pl.Date:
        return st.column_config.DateColumn(title, help=m.help, format="D MMM YYYY")
    if isinstance(dtype, pl.Datetime):
        return st.column_config.DatetimeColumn(title, help=m.help, format="D MMM YYYY, HH:mm")
    if m.unit == "bool" and dtype == pl.Boolean:
        return st.column_config.CheckboxColumn(title, help=m.help)
    if isinstance(dtype, pl.List):
        return st.column_config.ListColumn(title, help=m.help)
    return st.column_config.TextColumn(title, help=m.help)


def column_config(df: pl.DataFrame, currency: str = "USD", labels: dict | None = None,
                  skip: set | None = None) -> dict:
    """Every column's config (`labels`: page-chosen labels for columns whose meaning depends on a
    selection; every column must still be a defined metric or field; `skip`: columns the caller
    configures itself)."""
    labels, skip = labels or {}, skip or set()
    return {name: column(name, df.schema[name], currency, labels.get(name))
            for name in df.columns if name not in skip}


def show(df: pl.DataFrame, *, key: str | None = None, currency: str = "USD", labels: dict | None = None,
         height: int | str = "auto", overrides: dict | None = None, **kwargs):
    """`overrides` replaces the derived config of some columns ({name: st.column_config...})."""
    overrides = overrides or {}
    cfg = {**column_config(df, currency, labels, skip=set(overrides)), **overrides}
    # a missing value reads as a dash, as on the cards (Streamlit would print "None")
    kwargs.setdefault("placeholder", metrics.MISSING)
    return st.dataframe(whole_money(df), hide_index=True, column_config=cfg, key=key, height=height, **kwargs)


def whole_money(df: pl.DataFrame) -> pl.DataFrame:
    """Money columns rounded to whole units, as the table shows them: Streamlit's currency formats
    cut the cents off (1,234,567.80 would read $1,234,567)."""
    money = [c for c, t in df.schema.items() if t.is_float() and metrics.is_defined(c)
             and metrics.spec(c).unit == "money"]
    return df.with_columns(pl.col(money).round(0)) if money else df


def rag_column(name: str, *, letters: bool = False):
    """A column of RAG values shown as coloured chips (the chart colours), labelled by its metric.
    Cell values are lists: ["red"] for one colour, ["green", "amber", "red"] for a history
    (letters=True shows G / A / R)."""
    from pmo.charts import RAG_DOMAIN, RAG_RANGE

    m = metrics.spec(name)
    return st.column_config.MultiselectColumn(
        m.label, options=RAG_DOMAIN, color=RAG_RANGE, help=m.help,
        format_func=(lambda h: h[0].upper()) if letters else str.capitalize)   # the word, never colour alone


# ---------------------------------------------------------------------------------------------
# Paging: no element gets more than ROW_LIMIT rows, at any store size (issue 10)
# ---------------------------------------------------------------------------------------------
ROW_LIMIT = 10_000      # the most rows one table or chart may send to the browser
PAGE_SIZE = 500         # rows per page of a paged table (never above ROW_LIMIT)
STATIC_ROWS = 100       # a st.table (every row drawn as HTML) above this becomes a paged dataframe
TOP_ROWS = 50           # a chart with a row or bar per project (or group) shows this many, worst first
LIST_ITEMS = 25         # a list of projects in the text (links, changes) names this many, then "and N more"
CHART_POINTS = 2_000    # a chart with a point per person draws this many (the rest would hide behind them)


@dataclass(frozen=True)
class Paging:
    """Which rows of a table of `total` rows are shown: rows[start:end], page `page` of `pages`."""
    page: int
    pages: int
    start: int
    end: int
    total: int
    size: int

    @property
    def paged(self) -> bool:
        return self.pages > 1

    def caption(self, noun: str = "rows") -> str:
        """'Rows 501–1,000 of 60,000' (the first row is 1)."""
        if self.total == 0:
            return f"No {noun}"
        return f"{noun[:1].upper() + noun[1:]} {self.start + 1:,}–{self.end:,} of {self.total:,}"


def page_size(size: int | None = None) -> int:
    return max(1, min(size or PAGE_SIZE, ROW_LIMIT))


def page_count(total: int, size: int) -> int:
    return max(1, math.ceil(total / size))


def page_bounds(total: int, page: int, size: int) -> Paging:
    """Page `page` (1-based; clamped to 1..pages) of `total` rows, `size` rows a page."""
    pages = page_count(total, size)
    page = min(max(1, int(page)), pages)
    start = (page - 1) * size
    return Paging(page, pages, start, min(start + size, total), total, size)


def paging(total: int, key: str, size: int | None = None) -> Paging:
    """The page of the table `key` chosen in this session (its page widget, `<key>_page`, not in
    the URL). Back to page 1 when the number of rows changes (a filter or drill change)."""
    size, state, seen = page_size(size), f"{key}_page", f"_{key}_rows"
    if st.session_state.get(seen) != total:
        st.session_state[seen] = total
        st.session_state.pop(state, None)
    p = page_bounds(total, st.session_state.get(state) or 1, size)
    if state in st.session_state and st.session_state[state] != p.page:
        st.session_state[state] = p.page
    return p


def sort_rows(df: pl.DataFrame, how: tuple) -> pl.DataFrame:
    """`how` = (column or columns, descending): nulls last, ties in the frame's order."""
    cols, descending = how
    return df.sort(cols, descending=descending, nulls_last=True, maintain_order=True)


def paged(df: pl.DataFrame, *, key: str, noun: str = "rows", order: str | None = None,
          sort_options: dict[str, tuple] | None = None, size: int | None = None,
          on_rows=None, **show_kwargs):
    """`show`, one page at a time: a frame of at most PAGE_SIZE rows (never above ROW_LIMIT) goes
    to the browser. A table that fits on one page looks exactly as `show` draws it; a longer one
    gets, under it, 'Rows a–b of N' with the order they are in, a page picker and, given
    `sort_options` ({label: (columns, descending)}; the first is the frame's own order), a 'Sort
    by' that orders all rows before paging (a click on a column header sorts only the page shown).
    The page's CSV / Excel download keeps every row. `on_rows(rows shown)` returns the table's
    on_select callback, for a selection that must know which rows are on the page (a selected row
    is counted from the top of the page). Returns st.dataframe's event.

    A table without a selection runs as an st.fragment: its page picker and sort rerun the table
    only, not the page (a selection can change the rest of the page, so it reruns the page)."""
    if on_rows is None and "on_select" not in show_kwargs:
        return _paged_alone(df, key=key, noun=noun, order=order, sort_options=sort_options, size=size,
                            **show_kwargs)
    return _paged(df, key=key, noun=noun, order=order, sort_options=sort_options, size=size,
                  on_rows=on_rows, **show_kwargs)


def _paged(df: pl.DataFrame, *, key: str, noun: str, order: str | None, sort_options: dict | None,
           size: int | None, on_rows=None, **show_kwargs):
    p = paging(df.height, key, size)
    if not p.paged:
        if on_rows is not None:
            show_kwargs["on_select"] = on_rows(df)
        return show(df, key=key, **show_kwargs)
    sort_key = f"{key}_sort"
    if sort_options:
        labels = list(sort_options)
        if st.session_state.get(sort_key) not in labels:
            st.session_state.pop(sort_key, None)
        label = st.session_state.get(sort_key) or labels[0]
        if label != labels[0]:
            df = sort_rows(df, sort_options[label])
        order = label[:1].lower() + label[1:]
    part = df.slice(p.start, p.end - p.start)
    if on_rows is not None:
        show_kwargs["on_select"] = on_rows(part)
    event = show(part, key=key, **show_kwargs)
    with st.container(horizontal=True, vertical_alignment="bottom", gap="small", key=f"{key}_pager"):
        st.caption(f"{p.caption(noun)}" + (f", {order}" if order else "")
                   + f" · {p.size:,} a page · the CSV / Excel download below has all {p.total:,}.",
                   width="stretch")
        if sort_options:
            st.selectbox("Sort all rows by", list(sort_options), key=sort_key, width=260,
                         help="Orders every row, then pages. A click on a column header sorts only "
                              "the page shown.")
        st.number_input(f"Page (of {p.pages:,})", min_value=1, max_value=p.pages, step=1,
                        key=f"{key}_page", width=150)
    return event


# paging or sorting such a table reruns just the table (see `paged`)
_paged_alone = st.fragment(_paged)


def as_text(df: pl.DataFrame, currency: str = "USD") -> pl.DataFrame:
    """Every cell as it reads on the page (metrics' formats: whole units of money, dates as 5 Oct
    2026, a dash for nothing) under the metrics' labels; columns that are not metrics (a page's own
    text table) as they are."""
    out = {}
    for c in df.columns:
        if metrics.is_defined(c):
            out[metrics.label(c)] = [metrics.text(c, v, currency, compact=False) for v in df[c].to_list()]
        else:
            out[c] = [metrics.MISSING if v is None else str(v) for v in df[c].to_list()]
    return pl.DataFrame(out, schema={k: pl.String for k in out})


def static(df: pl.DataFrame, *, key: str, noun: str = "rows", **paged_kwargs) -> None:
    """A read-only table: st.table (every cell visible, no scrolling) when short, else a paged
    dataframe, so a list that grows with the store never sends more than a page."""
    if df.height <= STATIC_ROWS:
        # st.table renders every cell as Markdown: cells are text from the data, shown as written
        text = as_text(df, paged_kwargs.get("currency", "USD"))
        st.table(text.with_columns(frames.each(text, c, safe.md, pl.String) for c in text.columns), hide_index=True)
    else:
        paged(df, key=key, noun=noun, **paged_kwargs)
