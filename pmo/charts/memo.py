"""Charts built once per set of figures. A chart builder decorated with `@memo` returns the chart
it built before when it is called again with the same figures (same frames, same arguments):
another session opening the same page, a filter set back, a section rerunning with the rest of
the page. Building an Altair chart is most of a warm page rerun's server time (Altair copies and
validates every layer), and with the same chart object the page can also reuse its converted
Vega-Lite spec (`pmo/ui/share.py`).

The key is the figures themselves, not where they came from: frames are fingerprinted by their
schema, length and a hash of every row, so two row scopes that see different rows never share a
chart, and a new store version with the same figures reuses it. Callers must not change a chart
they get back (Altair's methods return copies, so `.properties(...)` and friends are safe).
"""

from __future__ import annotations

import functools
import hashlib
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import polars as pl

from pmo.lru import Lru

MAX_CHARTS = 512            # charts kept per process (each holds its frames: small, a chart's rows)
MAX_ROWS = 50_000           # a frame longer than this is not worth keeping twice: build afresh

_SCALARS = (str, int, float, bool, date, datetime, time, timedelta, Decimal, type(None))


class _NoKey(Exception):
    """An argument that cannot be fingerprinted: the call is not remembered."""


def fingerprint(value) -> object:
    """A hashable stand-in for `value` that is equal exactly when the figures are equal."""
    if isinstance(value, _SCALARS):
        return (type(value).__name__, value)
    if isinstance(value, pl.Series):
        value = value.to_frame()
    if isinstance(value, pl.DataFrame):
        if value.height > MAX_ROWS:
            raise _NoKey
        schema = tuple((name, str(dtype)) for name, dtype in value.schema.items())
        try:
            rows = value.hash_rows(seed=0).to_numpy().tobytes() if value.width else b""
        except Exception as e:          # noqa: BLE001 - a dtype polars cannot hash (Object)
            raise _NoKey from e
        return ("frame", schema, value.height, hashlib.blake2b(rows, digest_size=16).digest())
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(fingerprint(v) for v in value))
    if isinstance(value, dict):
        return ("dict", tuple((fingerprint(k), fingerprint(v)) for k, v in value.items()))
    raise _NoKey


_charts = Lru(MAX_CHARTS)


def memo(builder):
    """Decorator for a chart builder (figures in, chart out): the same figures give the same
    chart object, from the last MAX_CHARTS built in this process."""
    name = f"{builder.__module__}.{builder.__qualname__}"

    @functools.wraps(builder)
    def remembered(*args, **kwargs):
        try:
            key = (name, fingerprint(args), fingerprint(sorted(kwargs.items())))
            hash(key)
        except (_NoKey, TypeError):
            return builder(*args, **kwargs)
        chart = _charts.get(key)
        if chart is None:
            chart = builder(*args, **kwargs)        # unlocked: sessions build side by side
            _charts.put(key, chart)
        return chart

    remembered.uncached = builder
    return remembered


def clear() -> None:
    """Forget every chart (tests)."""
    _charts.clear()
