"""Python functions over the values of a Polars column, run in Python, not in Polars' engine.

Never `Expr.map_elements` (or `Series.map_elements`) in code that runs in the server: a Python
function called from inside Polars' thread pool, while another session's thread converts a frame
for Streamlit (`DataFrame.to_pandas`) or runs any other query, can deadlock the whole process
(every session's page then waits for ever; polars 2.1, pola-rs/polars#26821). These helpers build
the new column from a Python list instead, which holds the GIL only in Python and never inside a
Polars call. `tests/test_frames.py` checks the results and that no `map_elements` is left.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import polars as pl


def values(s: pl.Series, func: Callable, dtype: pl.DataType, *, skip_nulls: bool = True,
           name: str | None = None) -> pl.Series:
    """`func(v)` for every value of `s` (a missing value stays missing when `skip_nulls`), as a
    Series of `dtype` named `name` (default: the series' name)."""
    return pl.Series(name or s.name, [None if v is None and skip_nulls else func(v) for v in s.to_list()],
                     dtype=dtype)


def each(df: pl.DataFrame, column: str, func: Callable, dtype: pl.DataType, *, skip_nulls: bool = True,
         name: str | None = None) -> pl.Series:
    """`values` of one column of `df`: use it in `df.with_columns(...)` or `df.select(...)`."""
    return values(df[column], func, dtype, skip_nulls=skip_nulls, name=name)


def each_row(df: pl.DataFrame, columns: Iterable[str], func: Callable, dtype: pl.DataType,
             name: str) -> pl.Series:
    """`func(row)` for every row of `df`, the row a dict of `columns`, as a Series named `name`."""
    return pl.Series(name, [func(r) for r in df.select(list(columns)).iter_rows(named=True)], dtype=dtype)
