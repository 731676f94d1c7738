"""User SQL in worker processes: one query cannot take the server's memory or time.

The SQL explorer and `pmo sql` do not run user SQL in their own process. A worker process per
(store version, row scope, settings) holds a locked-down connection without a spill directory
(pmo/query/connection.py) and runs one query at a time (`pmo.safe_sql.run_user_sql`: one SELECT,
row / byte / cell / list limits checked while the result is materialised, interrupted at the
timeout). Around it:

- the worker's data segment is capped (`RLIMIT_DATA` = `[security] sql_worker_memory_mb` beyond what
  its connection holds once built), so an allocation past it fails inside DuckDB ("Out of Memory
  Error") instead of growing the server;
  DuckDB's own `memory_limit` in the worker is 60% of that;
- the parent watches the worker while it waits: past the timeout plus a grace second (a long
  single operation DuckDB does not interrupt, e.g. `length(repeat('x', 1500000000))`) or past the
  memory bound (resident size, read from /proc) it kills the worker and says so;
- at most `[security] sql_workers` workers run at once; a query that finds them all busy waits a
  few seconds, then is told the explorer is busy (retry);
- idle workers are stopped after `IDLE_SECONDS`.

Deployment bound (docs/security.md): the server's own memory plus `sql_workers` x
`sql_worker_memory_mb`, whatever the queries. The result reaches the server as Arrow IPC bytes,
already within `sql_result_mb`.

Protocol on the worker's pipes: frames of a 4-byte big-endian length and a payload; requests and
answers are JSON, a result is followed by one frame of Polars IPC stream bytes.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import json
import os
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from pmo.auth import Scope
from pmo.safe_sql import SqlLimits, UnsafeSQL, memory_message, timeout_message

IDLE_SECONDS = 600.0          # an idle worker is stopped after this
START_SECONDS = 120.0         # building a worker's connection may take this long at most
WAIT_FOR_WORKER = 5.0         # a query waits this long for a free worker, then is told "busy"
GRACE_SECONDS = 1.0           # past the timeout, the worker is killed after this
WATCH_INTERVAL = 0.05         # how often the parent looks at a working worker
DUCKDB_SHARE = 0.6            # DuckDB's memory_limit in a worker, as a share of its memory bound


class SandboxBusy(UnsafeSQL):
    """Every worker is busy with another query."""


@dataclass(frozen=True)
class Key:
    root: str
    version: int
    scope: Scope
    stamp: tuple = ()           # the settings files' mtimes: edited settings start new workers


def _scope_json(scope: Scope | None) -> str:
    s = scope or Scope()
    return json.dumps({"portfolios": s.portfolios, "departments": s.departments,
                       "hide_salaries": s.hide_salaries})


def _scope_from_json(text: str) -> Scope:
    d = json.loads(text)
    return Scope(tuple(d["portfolios"]) if d["portfolios"] is not None else None,
                 tuple(d["departments"]) if d["departments"] is not None else None,
                 bool(d["hide_salaries"]))


# --- frames ----------------------------------------------------------------------------------
def _write_frame(fd: int, payload: bytes) -> None:
    data = struct.pack(">I", len(payload)) + payload
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def _read_exact(fd: int, n: int, watch=None) -> bytes:
    """Read `n` bytes; `watch()` is called between waits (it may kill the worker and raise)."""
    chunks, got = [], 0
    while got < n:
        if watch is not None:
            ready, _, _ = select.select([fd], [], [], WATCH_INTERVAL)
            if not ready:
                watch()
                continue
        chunk = os.read(fd, min(n - got, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def _read_frame(fd: int, watch=None) -> bytes:
    (n,) = struct.unpack(">I", _read_exact(fd, 4, watch))
    return _read_exact(fd, n, watch)


# --- the parent's side -----------------------------------------------------------------------
def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


@dataclass(eq=False)
class Worker:
    key: Key
    limits: SqlLimits
    proc: subprocess.Popen | None = None
    busy: bool = True
    last_used: float = field(default_factory=time.monotonic)
    started: threading.Event = field(default_factory=threading.Event)
    start_error: str | None = None

    def start(self) -> None:
        """Start the process and wait until its connection is built (or say why not)."""
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "pmo.sandbox", self.key.root, str(self.key.version),
                 _scope_json(self.key.scope), str(self.limits.worker_memory_mb)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=None, close_fds=True,
                start_new_session=True, cwd=str(Path(__file__).resolve().parent.parent))
            deadline = time.monotonic() + START_SECONDS

            def watch() -> None:
                if time.monotonic() > deadline:
                    self.kill()
                    raise UnsafeSQL("the SQL explorer's worker did not start in time; retry in a moment.")
            answer = json.loads(_read_frame(self.proc.stdout.fileno(), watch))
            if not answer.get("ok"):
                self.start_error = answer.get("error") or "the worker could not start"
                self.kill()
        except (EOFError, OSError):
            self.start_error = ("the SQL explorer's worker stopped while opening the store (more memory than "
                                f"{self.limits.worker_memory_mb:,} MB, [security] sql_worker_memory_mb?)")
            self.kill()
        except UnsafeSQL as exc:
            self.start_error = str(exc)
        finally:
            self.started.set()

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        with contextlib.suppress(Exception):
            self.proc.wait(timeout=5)
        for pipe in (self.proc.stdin, self.proc.stdout):
            with contextlib.suppress(Exception):
                pipe.close()

    def run(self, sql: str, limits: SqlLimits) -> tuple[pl.DataFrame, bool]:
        self.started.wait()
        if self.start_error:
            raise UnsafeSQL(self.start_error)
        began = time.monotonic()
        killed: dict[str, str] = {}

        def watch() -> None:
            if time.monotonic() - began > limits.timeout_s + GRACE_SECONDS:
                killed["why"] = timeout_message(limits.timeout_s)
            elif _rss_mb(self.proc.pid) > limits.worker_memory_mb:
                killed["why"] = memory_message(limits.worker_memory_mb)
            if killed:
                self.kill()
                raise UnsafeSQL(killed["why"])

        request = {"sql": sql, "limits": limits.__dict__}
        try:
            _write_frame(self.proc.stdin.fileno(), json.dumps(request).encode())
            answer = json.loads(_read_frame(self.proc.stdout.fileno(), watch))
            if not answer.get("ok"):
                raise UnsafeSQL(answer.get("error") or "the query failed")
            payload = _read_frame(self.proc.stdout.fileno(), watch)
        except (EOFError, OSError, BrokenPipeError) as exc:
            code = self.proc.poll()
            self.kill()
            if killed:
                raise UnsafeSQL(killed["why"]) from exc
            # the worker died by itself: its memory bound (an allocation failed hard) is the usual cause
            raise UnsafeSQL(memory_message(limits.worker_memory_mb) if code not in (0, None)
                            else "the SQL explorer's worker stopped; retry.") from exc
        df = pl.read_ipc_stream(io.BytesIO(payload))
        return df, bool(answer.get("more"))


class Pool:
    """The running workers of this process (the server's or the CLI's)."""

    def __init__(self):
        self._cond = threading.Condition()
        self._workers: list[Worker] = []
        atexit.register(self.close)

    def _reap(self, now: float) -> None:
        for w in [w for w in self._workers if not w.busy and (now - w.last_used > IDLE_SECONDS or not w.alive)]:
            w.kill()
            self._workers.remove(w)

    def _acquire(self, key: Key, limits: SqlLimits, wait_s: float) -> Worker:
        deadline = time.monotonic() + wait_s
        with self._cond:
            while True:
                now = time.monotonic()
                self._reap(now)
                for w in self._workers:
                    if not w.busy and w.key == key and w.alive:
                        w.busy = True
                        return w
                if len(self._workers) < limits.workers:
                    w = Worker(key, limits)
                    self._workers.append(w)
                    break
                idle = [w for w in self._workers if not w.busy]
                if idle:           # an idle worker of another version / scope makes way
                    oldest = min(idle, key=lambda w: w.last_used)
                    oldest.kill()
                    self._workers.remove(oldest)
                    continue
                if now >= deadline:
                    raise SandboxBusy(f"the SQL explorer is busy with {len(self._workers)} other "
                                      "queries; retry in a moment.")
                self._cond.wait(deadline - now)
        w.start()                  # outside the lock: building a connection takes a moment
        return w

    def _release(self, w: Worker) -> None:
        with self._cond:
            w.busy = False
            w.last_used = time.monotonic()
            if not w.alive or w.start_error:
                w.kill()
                if w in self._workers:
                    self._workers.remove(w)
            self._cond.notify_all()

    def run(self, key: Key, sql: str, limits: SqlLimits, wait_s: float = WAIT_FOR_WORKER) -> tuple[pl.DataFrame, bool]:
        w = self._acquire(key, limits, wait_s)
        try:
            return w.run(sql, limits)
        finally:
            self._release(w)

    def prewarm(self, key: Key, limits: SqlLimits) -> None:
        """Start a worker for `key` in the background if none is there (the page was opened)."""
        with self._cond:
            if any(w.key == key for w in self._workers) or len(self._workers) >= limits.workers:
                return

        def go() -> None:
            with contextlib.suppress(UnsafeSQL):
                w = self._acquire(key, limits, 0)
                self._release(w)
        threading.Thread(target=go, name="pmo-sql-prewarm", daemon=True).start()

    def pids(self) -> list[int]:
        with self._cond:
            return [w.proc.pid for w in self._workers if w.proc is not None and w.alive]

    def close(self) -> None:
        with self._cond:
            for w in self._workers:
                w.kill()
            self._workers.clear()


_pool: Pool | None = None
_pool_lock = threading.Lock()


def pool() -> Pool:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = Pool()
        return _pool


def run(root: Path | str, version: int, scope: Scope | None, sql: str, limits: SqlLimits,
        stamp: tuple = ()) -> tuple[pl.DataFrame, bool]:
    """Run user SQL on `version` of the store at `root`, within `scope`, in a worker. Returns
    (rows up to the row cap, whether more rows existed); raises UnsafeSQL with one clear line."""
    from pmo.safe_sql import check_read_only

    check_read_only(sql)                 # refused at once, without a worker
    key = Key(str(Path(root).resolve()), int(version), scope or Scope(), tuple(stamp))
    return pool().run(key, sql, limits)


# --- the worker's side -----------------------------------------------------------------------
def _data_segment_bytes() -> int:
    """This process's data segment (VmData), what RLIMIT_DATA bounds."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmData:"):
                    return int(line.split()[1]) << 10
    except OSError:
        pass
    return 0


def worker_main(argv: list[str]) -> int:
    root, version, scope_text, memory_mb = argv[0], int(argv[1]), argv[2], int(argv[3])
    out_fd = os.dup(1)               # the protocol's own pipe; library prints go to stderr
    os.dup2(2, 1)
    import resource

    try:
        from pmo import query
        from pmo.safe_sql import run_user_sql
        from pmo.store import Store

        rt = query.connect(Store(root), version, scope=_scope_from_json(scope_text), spill=False,
                           memory_limit=f"{max(64, int(memory_mb * DUCKDB_SHARE))}MB")
        rt.ensure_summaries(tuple(query.cache.summary_views()))
    except BaseException as exc:        # noqa: BLE001 - told to the parent in one line
        _write_frame(out_fd, json.dumps({"ok": False, "error": f"the store could not be opened for SQL: "
                                         f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"}).encode())
        return 2
    # The data segment counts address space the libraries reserve but never touch (building a
    # connection reserves about 2 GB of it here, at 0.2 GB resident): a cap of memory_mb set before
    # it left no room even for the timeout's thread ("can't start new thread"). So the cap is
    # memory_mb beyond what the built connection holds; the parent's resident-size watch keeps the
    # worker within memory_mb of real memory.
    limit = _data_segment_bytes() + (memory_mb << 20)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
    _write_frame(out_fd, json.dumps({"ok": True}).encode())
    while True:
        try:
            request = json.loads(_read_frame(0))
        except EOFError:
            return 0
        limits = SqlLimits(**request["limits"])
        try:
            df, more = run_user_sql(rt.con, request["sql"], limits=limits, memory_mb=memory_mb)
            buf = io.BytesIO()
            df.write_ipc_stream(buf)
            payload = buf.getvalue()
        except UnsafeSQL as exc:
            _write_frame(out_fd, json.dumps({"ok": False, "error": str(exc)}).encode())
            continue
        except MemoryError:
            _write_frame(out_fd, json.dumps({"ok": False, "error": memory_message(memory_mb)}).encode())
            continue
        except Exception as exc:    # noqa: BLE001 - one line to the user, the worker lives on
            _write_frame(out_fd, json.dumps({"ok": False, "error": str(exc).strip().splitlines()[0]
                                             if str(exc).strip() else type(exc).__name__}).encode())
            continue
        _write_frame(out_fd, json.dumps({"ok": True, "more": more, "rows": df.height}).encode())
        _write_frame(out_fd, payload)


if __name__ == "__main__":
    sys.exit(worker_main(sys.argv[1:]))
