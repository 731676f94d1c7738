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
         height: int | str = "auto", **kwargs):
    return st.dataframe(df, hide_index=True, column_config=column_config(df, currency, labels),
                        key=key, height=height, **kwargs)
