"""One dashboard page under AppTest, in its own process (so its caches start cold): server-side
time of the first run and of a filter change with warm caches, the time spent in the page's
query layer (pmo.query: Runtime construction and Runtime.query, timed by wrapping them), the rows every data element
receives, and the process's peak memory. Prints one JSON line. Used by benchmarks/run.py.

usage: PMO_DATA_DIR=STORE python benchmarks/page_probe.py PAGE [PAGE ...]
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest

from pmo.query.runtime import Runtime

SPENT = {"connect": 0.0, "sql": 0.0, "queries": 0}
_query, _init = Runtime.query, Runtime.__init__
_depth = [0]      # Runtime.query calls itself (a per-project cut): time the outer call only


def _timed_query(self, *a, **k):
    _depth[0] += 1
    t0 = time.perf_counter()
    try:
        return _query(self, *a, **k)
    finally:
        _depth[0] -= 1
        if _depth[0] == 0:
            SPENT["sql"] += time.perf_counter() - t0
            SPENT["queries"] += 1


def _timed_init(self, *a, **k):
    t0 = time.perf_counter()
    try:
        return _init(self, *a, **k)
    finally:
        SPENT["connect"] += time.perf_counter() - t0


Runtime.query, Runtime.__init__ = _timed_query, _timed_init


URL = {"pages/6_Project.py": {"project": "PRJ-1001"}}   # a link to one project, as from Portfolio health


def _reset() -> None:
    SPENT.update(connect=0.0, sql=0.0, queries=0)


def _max_rows(at: AppTest) -> tuple[int, str]:
    """The most rows one element receives: dataframes, tables, and the datasets of charts."""
    best, where = 0, ""
    for kind in ("dataframe", "table"):
        for el in at.get(kind):
            try:
                n = len(el.value)
            except Exception:       # noqa: BLE001 - an element without a frame counts as 0
                n = 0
            if n > best:
                best, where = n, kind
    for kind in ("arrow_vega_lite_chart", "vega_lite_chart", "plotly_chart"):
        for el in at.get(kind):
            proto = getattr(el, "proto", None)
            if proto is None:
                continue
            sizes = []
            if getattr(proto, "HasField", None) and proto.HasField("data"):
                sizes.append(_arrow_rows(proto.data.data))
            for ds in getattr(proto, "datasets", []):
                sizes.append(_arrow_rows(ds.data.data))
            n = max(sizes, default=0)
            if n > best:
                best, where = n, "chart"
    return best, where


def _arrow_rows(raw: bytes) -> int:
    import pyarrow as pa
    if not raw:
        return 0
    try:
        return pa.ipc.open_stream(raw).read_all().num_rows
    except Exception:               # noqa: BLE001
        return 0


def _filter_change(at: AppTest) -> str:
    """Pick another value in the page's first filter: Portfolio if the page has it."""
    boxes = {b.key: b for b in at.selectbox if b.key}
    box = boxes.get("project_pick") or boxes.get("portfolio") or next((b for b in at.selectbox if len(b.options) > 1), None)
    if box is None:
        return ""
    if box.key == "project_pick":
        box.set_value("PRJ-1002")       # the Project page: another project
    else:
        options = [o for o in box.options if o != box.value]
        box.set_value(options[1] if len(options) > 1 else options[0])
    return f"{box.label} = {box.value}"


WARM_UP = """
import altair as alt, polars as pl, streamlit as st
df = pl.DataFrame({"a": ["x", "y"], "b": [1.0, 2.0]})
st.dataframe(df)
st.table(df)
st.altair_chart(alt.Chart(df).mark_bar().encode(x="a", y="b"))
st.metric("m", 1)
"""


def preimport() -> float:
    """Import what every page imports, as a running dashboard process already has: the page's
    cold time then measures a new store version (no connection, summary tables or query results
    in memory), not Python start-up. Returns the seconds the imports took (reported apart)."""
    t0 = time.perf_counter()
    import altair  # noqa: F401
    import duckdb  # noqa: F401
    import polars  # noqa: F401

    import pmo.budget  # noqa: F401
    import pmo.charts  # noqa: F401
    import pmo.export  # noqa: F401
    import pmo.health  # noqa: F401
    import pmo.ingest  # noqa: F401
    import pmo.salaries  # noqa: F401
    import pmo.ui.data  # noqa: F401
    import pmo.ui.filters  # noqa: F401
    import pmo.ui.nav  # noqa: F401
    import pmo.ui.share  # noqa: F401
    import pmo.ui.tables  # noqa: F401
    # the governance, RAID, capacity, prioritisation and maturity pages' modules (issues 17-19)
    import pmo.capacity  # noqa: F401
    import pmo.charts.capacity  # noqa: F401
    import pmo.charts.governance  # noqa: F401
    import pmo.charts.maturity  # noqa: F401
    import pmo.charts.prioritisation  # noqa: F401
    import pmo.charts.raid  # noqa: F401
    import pmo.governance  # noqa: F401
    import pmo.maturity  # noqa: F401
    import pmo.metrics  # noqa: F401
    import pmo.page_inputs  # noqa: F401
    import pmo.prioritisation  # noqa: F401
    import pmo.raid  # noqa: F401
    # what server.py loads at start-up, before its first request (the importers' labels)
    from pmo.importers import registry
    registry.modules()
    AppTest.from_string(WARM_UP).run()      # Streamlit's one-time set-up (lazy imports on first use)
    return time.perf_counter() - t0


def probe(page: str) -> dict:
    _reset()
    t0 = time.perf_counter()
    at = AppTest.from_file(str(ROOT / page), default_timeout=600)
    at.query_params.update(URL.get(page, {}))
    at.run()
    cold = time.perf_counter() - t0
    out = {"page": page, "cold_s": cold, "cold_connect_s": SPENT["connect"], "cold_sql_s": SPENT["sql"],
           "cold_queries": SPENT["queries"], "errors": [str(e.value)[:300] for e in (*at.exception, *at.error)]}
    rows, kind = _max_rows(at)
    changed = _filter_change(at)
    _reset()
    t0 = time.perf_counter()
    at.run()
    warm = time.perf_counter() - t0
    rows2, kind2 = _max_rows(at)
    out.update(filter=changed, warm_s=warm, warm_sql_s=SPENT["sql"], warm_queries=SPENT["queries"],
               max_rows=max(rows, rows2), max_rows_element=kind if rows >= rows2 else kind2,
               warm_errors=[str(e.value)[:300] for e in (*at.exception, *at.error)])
    return out


if __name__ == "__main__":
    imports = preimport()
    results = [probe(p) for p in sys.argv[1:]]
    results[0]["import_s"] = imports
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"pages": results, "peak_rss_mb": rss}))
