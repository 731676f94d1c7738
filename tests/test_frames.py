"""pmo/frames.py: Python functions over column values, outside Polars' engine.

`Expr.map_elements` called from the server's threads deadlocked the whole `pmo serve` process
under a few concurrent sessions (a UDF in Polars' thread pool while another session's thread ran
`DataFrame.to_pandas` for st.dataframe): every page then waited for ever. These tests check the
helpers' values by hand, that none of our code calls `map_elements` again, and (in a child
process, bounded in time) that the helpers keep working while other threads convert frames."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import polars as pl

from pmo import frames

ROOT = Path(__file__).resolve().parent.parent


def test_values_apply_the_function_and_keep_missing_values_missing():
    s = pl.Series("amount", [1200.0, None, 35.5])
    out = frames.values(s, lambda v: f"${v:,.2f}", pl.String)
    assert out.name == "amount" and out.dtype == pl.String
    assert out.to_list() == ["$1,200.00", None, "$35.50"]
    # skip_nulls=False hands the missing value to the function, as map_elements(skip_nulls=False) did
    assert frames.values(s, lambda v: v is None, pl.Boolean, skip_nulls=False).to_list() == [False, True, False]


def test_each_and_each_row_build_a_column_of_the_frame():
    df = pl.DataFrame({"d": [date(2026, 11, 13), date(2026, 12, 1)], "n": [3, 4], "who": ["Ana", "Bo"]})
    out = df.with_columns(frames.each(df, "d", lambda d: d.strftime("%b %Y"), pl.String, name="month"),
                          frames.each_row(df, ("n", "who"), lambda r: f"{r['who']} × {r['n']}", pl.String, "label"))
    assert out["month"].to_list() == ["Nov 2026", "Dec 2026"]
    assert out["label"].to_list() == ["Ana × 3", "Bo × 4"]
    assert frames.each(df, "d", lambda d: d.replace(day=1), pl.Date).to_list() == [date(2026, 11, 1),
                                                                                   date(2026, 12, 1)]


def test_no_code_of_ours_runs_python_inside_polars_engine():
    offenders = []
    for path in [*ROOT.glob("pmo/**/*.py"), *ROOT.glob("pages/*.py"), ROOT / "dashboard.py"]:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            if re.search(r"\.map_elements\(|\.map_batches\(", code) and path.name != "frames.py":
                offenders.append(f"{path.relative_to(ROOT)}:{n}")
    assert offenders == [], "use pmo.frames (see its docstring) instead of map_elements: " + ", ".join(offenders)


def test_the_helpers_keep_working_while_other_threads_convert_frames():
    """What hung the server: threads converting frames for Streamlit while others format columns.
    With the helpers every thread keeps making progress (the child process would hang, and be
    killed by the timeout, if one did not)."""
    script = textwrap.dedent("""
        import threading, time
        import polars as pl
        from pmo import frames
        df = pl.DataFrame({"a": list(range(300)), "s": [str(i) for i in range(300)]})
        stop, counts = threading.Event(), [0, 0, 0]
        def convert():
            while not stop.is_set():
                df.to_pandas(); counts[0] += 1
        def fmt():
            while not stop.is_set():
                df.with_columns(frames.each(df, "a", lambda v: f"{v:,}", pl.String, name="t")); counts[1] += 1
        def sort():
            while not stop.is_set():
                df.sort("s").select(pl.col("a") * 2); counts[2] += 1
        threads = [threading.Thread(target=f) for f in (convert, fmt, sort) * 2]
        for t in threads:
            t.start()
        time.sleep(3)
        stop.set()
        for t in threads:      # none is left inside Polars when the interpreter exits
            t.join()
        print(*counts)
    """)
    r = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    counts = [int(x) for x in r.stdout.split()]
    assert all(c > 0 for c in counts), counts
