"""Run `pmo ARGS...` and SIGKILL it at its N-th write to the file system (N = 0: never; the
number of writes is then printed to COUNT_FILE), for the fault-injection suite (tests/test_faults.py).

usage: kill_at.py N COUNT_FILE pmo-args...

A "write" is any call that changes the file system: opening a file for writing, os.write,
fsync, rename / replace, mkdir, unlink, rmdir, and each Parquet write Polars makes (before and after).
Every such call is a point where a power cut or `kill -9` can land, so the suite kills the command
at each of them in turn and checks the store after each.
"""

import builtins
import os
import signal
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))   # the repo root, for `pmo`

kill_at, count_file, argv = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
lock = threading.Lock()
seen = [0]


def event() -> None:
    with lock:
        seen[0] += 1
        if kill_at and seen[0] >= kill_at:
            os.kill(os.getpid(), signal.SIGKILL)


def wrap(owner, name):
    real = getattr(owner, name)

    def hooked(*args, **kwargs):
        event()
        return real(*args, **kwargs)
    setattr(owner, name, hooked)


for name in ("replace", "rename", "write", "fsync", "mkdir", "unlink", "remove", "rmdir", "truncate", "ftruncate"):
    wrap(os, name)
real_open = builtins.open


def counting_open(file, mode="r", *args, **kwargs):
    if any(c in mode for c in "wax+"):
        event()
    return real_open(file, mode, *args, **kwargs)


builtins.open = counting_open
real_os_open = os.open


def counting_os_open(path, flags, *args, **kwargs):
    if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
        event()
    return real_os_open(path, flags, *args, **kwargs)


os.open = counting_os_open

import polars as pl  # noqa: E402

for owner, name in ((pl.DataFrame, "write_parquet"), (pl.LazyFrame, "sink_parquet")):
    real = getattr(owner, name)

    def twice(*args, _real=real, **kwargs):
        event()
        out = _real(*args, **kwargs)
        event()
        return out
    setattr(owner, name, twice)

from pmo.cli import main  # noqa: E402

code = main(argv)
if not kill_at:
    Path(count_file).write_text(str(seen[0]))
sys.exit(code)
