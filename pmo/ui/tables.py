"""Table display: Streamlit column formats derived from column names (see pmo.formatting)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from pmo.formatting import column_kind


def column_config(df: pl.DataFrame, currency: str = "USD", labels: dict | None = None) -> dict:
    labels = labels or {}
    cfg = {}
    for name in df.columns:
        label = labels.get(name, name.replace("_", " ").capitalize())
        kind = column_kind(name)
        dtype = df.schema[name]
        if kind == "money" and dtype.is_numeric():
            cfg[name] = st.column_config.NumberColumn(label, format="dollar" if currency == "USD" else "accounting")
        elif kind == "pct" and dtype.is_numeric():
            cfg[name] = st.column_config.NumberColumn(label, format="percent")
        elif kind == "ratio" and dtype.is_numeric():
            cfg[name] = st.column_config.NumberColumn(label, format="%.2f")
        elif kind in ("days", "count") and dtype.is_numeric():
            cfg[name] = st.column_config.NumberColumn(label, format="%d")
        elif dtype == pl.Date:
            cfg[name] = st.column_config.DateColumn(label, format="D MMM YYYY")
        else:
            cfg[name] = st.column_config.Column(label)
    return cfg


def show(df: pl.DataFrame, *, key: str | None = None, currency: str = "USD", labels: dict | None = None,
         height: int | str = "auto", overrides: dict | None = None, **kwargs):
    """`overrides` replaces the derived config of some columns ({name: st.column_config...})."""
    cfg = {**column_config(df, currency, labels), **(overrides or {})}
    return st.dataframe(df, hide_index=True, column_config=cfg, key=key, height=height, **kwargs)


def rag_column(label: str, *, help: str | None = None, letters: bool = False):
    """A column of RAG values shown as coloured chips (the chart colours). Cell values are lists:
    ["red"] for one colour, ["green", "amber", "red"] for a history (letters=True shows G / A / R)."""
    from pmo.charts import RAG_DOMAIN, RAG_RANGE

    return st.column_config.MultiselectColumn(
        label, options=RAG_DOMAIN, color=RAG_RANGE, help=help,
        format_func=(lambda h: h[0].upper()) if letters else None)
