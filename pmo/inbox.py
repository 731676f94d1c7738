"""The drop folder: files put in the store's `inbox/` are ingested one by one, then moved away.

    inbox/        files waiting (put them here: copy, save, or sync from a shared drive)
    processed/    <timestamp>-<name>               ingested; the store kept a copy in raw/
    failed/       <timestamp>-<name>               refused; the store is unchanged
                  <timestamp>-<name>.error.txt     why, and what to do

Each file is ingested alone through `ingest_files` (the same code as `pmo ingest` and the Data
page), so one bad file never blocks the others. Files still being written are left alone: names
starting with '.', ending in .tmp / .part / .crdownload / .partial / ~, and files modified in the
last `SETTLE_SECONDS`. A file that meets a busy store (another ingest is publishing) stays in
inbox/ for the next pass. One pass at a time per store: the dashboard's background thread, `pmo
watch` and a second server can all run; a pass that finds another one running skips its turn.

`publish_with_retry` is the caller-side loop for a busy store that the Data page uses: the store
lock serialises publishers, the loop makes the second one wait its turn instead of failing.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from pmo.ingest import FileOutcome, IngestFailed, ingest_files
from pmo.store import Store, StoreBusy

log = logging.getLogger("pmo.inbox")

SETTLE_SECONDS = 2.0
PARTIAL_SUFFIXES = (".tmp", ".part", ".crdownload", ".partial", "~")
ERROR_SUFFIX = ".error.txt"

WHAT_TO_DO = """\
What to do:
- Fix the file, or export it again with the tool's standard columns, and put it in inbox/ again.
- A layout no importer knows: upload it on the Data page and map its columns there (the mapping is
  kept and applied automatically to the next file with the same header), or run
  `pmo ingest FILE --mapping MAPPING.toml` (see docs/importing.md).
- Dates that read both day-first and month-first: set [general] default_date_order in the store's
  config.toml, or ingest it with `pmo ingest FILE --date-order dmy` (or mdy).
This file and the refused export can be deleted once dealt with; nothing in the store refers to them.
"""


@dataclass
class InboxResult:
    """What one pass did with one file. status: 'processed' | 'failed' | 'busy'."""

    file_name: str
    status: str
    moved_to: Path | None = None
    version: int | None = None
    problems: list[str] = field(default_factory=list)
    summaries: list[str] = field(default_factory=list)

    def line(self) -> str:
        if self.status == "processed":
            return f"processed {self.file_name}: " + "; ".join(self.summaries)
        if self.status == "failed":
            return f"failed {self.file_name}: " + " | ".join(self.problems) + f" (see {self.moved_to}{ERROR_SUFFIX})"
        return f"waiting {self.file_name}: the store is busy with another ingest; next pass"


def is_partial(name: str) -> bool:
    """A name that an upload, sync or editor uses while the file is being written."""
    return name.startswith(".") or name.lower().endswith(PARTIAL_SUFFIXES)


def waiting(store: Store) -> list[Path]:
    """Every file in inbox/ (ready or not), oldest first."""
    if not store.inbox.is_dir():
        return []
    files = [p for p in store.inbox.iterdir() if p.is_file()]
    return sorted(files, key=lambda p: (p.stat().st_mtime, p.name))


def ready(store: Store, *, now: float | None = None, settle_seconds: float = SETTLE_SECONDS) -> list[Path]:
    """Files in inbox/ complete enough to ingest: not partial, unchanged for `settle_seconds`."""
    now = time.time() if now is None else now
    out = []
    for p in waiting(store):
        if is_partial(p.name):
            continue
        try:
            if now - p.stat().st_mtime < settle_seconds:
                continue
        except FileNotFoundError:       # moved away meanwhile
            continue
        out.append(p)
    return out


@contextlib.contextmanager
def _pass_lock(store: Store):
    """Yield True if this pass holds the store's inbox lock, False if another pass is running."""
    with open(store.path(".inbox.lock"), "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True


def _stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S")


def _destination(folder: Path, name: str) -> Path:
    """folder/<timestamp>-<name>, never overwriting an earlier file of the same name."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = _stamp()
    dest = folder / f"{stamp}-{name}"
    n = 2
    while dest.exists() or dest.with_name(dest.name + ERROR_SUFFIX).exists():
        dest = folder / f"{stamp}-{n}-{name}"
        n += 1
    return dest


def error_text(name: str, problems: list[str], when: datetime | None = None) -> str:
    """The .error.txt written beside a refused file."""
    when = when or datetime.now()
    lines = [f"{name} was not ingested ({when:%Y-%m-%d %H:%M:%S}); the store is unchanged.", "",
             "Problems:"]
    lines += [f"- {p}" for p in problems]
    return "\n".join(lines) + "\n\n" + WHAT_TO_DO


def process_inbox(store: Store, user: str = "inbox", *, now: float | None = None,
                  settle_seconds: float = SETTLE_SECONDS) -> list[InboxResult]:
    """One pass over inbox/: ingest each ready file alone, then move it to processed/ or failed/.

    Returns one result per file touched (nothing when inbox/ is missing or empty, or when another
    pass holds the inbox lock). Never raises for a bad file; StoreBusy leaves the file in place.
    """
    if not store.inbox.is_dir():
        return []
    results: list[InboxResult] = []
    with _pass_lock(store) as mine:
        if not mine:
            return []
        for path in ready(store, now=now, settle_seconds=settle_seconds):
            if not path.exists():
                continue
            results.append(_process_one(store, path, user))
            if results[-1].status == "busy":
                break           # the rest wait for the next pass, in order
    return results


def _process_one(store: Store, path: Path, user: str) -> InboxResult:
    name = path.name
    try:
        outcomes = ingest_files(store, [path], user=user)
    except StoreBusy:
        return InboxResult(name, "busy")
    except IngestFailed as exc:
        return _fail(store, path, exc.problems)
    except Exception as exc:  # an importer bug must not stop the other files
        log.exception("unexpected error ingesting %s", path)
        return _fail(store, path, [(f"{name}: unexpected error while reading the file "
                                    f"({type(exc).__name__}: {exc}). Please report it with the file.")])
    dest = _destination(store.path("processed"), name)
    path.replace(dest)
    return InboxResult(name, "processed", dest, outcomes[0].version,
                       summaries=[o.summary() for o in outcomes])


def _fail(store: Store, path: Path, problems: list[str]) -> InboxResult:
    dest = _destination(store.path("failed"), path.name)
    path.replace(dest)
    dest.with_name(dest.name + ERROR_SUFFIX).write_text(error_text(path.name, problems), encoding="utf-8")
    return InboxResult(path.name, "failed", dest, problems=list(problems))


def watch(store: Store, interval: float = 5.0, stop: threading.Event | None = None,
          on_result: Callable[[InboxResult], None] | None = None, user: str = "inbox") -> None:
    """Process the inbox every `interval` seconds until `stop` is set. Never raises."""
    stop = stop or threading.Event()
    while not stop.is_set():
        try:
            for r in process_inbox(store, user=user):
                log.info("%s", r.line())
                if on_result is not None:
                    on_result(r)
        except Exception:  # a watcher logs and keeps going
            log.exception("drop folder pass failed for %s; next pass in %.0f s", store.root, interval)
        stop.wait(interval)


def recent(store: Store, folder: str, limit: int = 20) -> list[Path]:
    """The newest files in processed/ or failed/ (not the .error.txt notes), newest first."""
    d = store.path(folder)
    if not d.is_dir():
        return []
    files = [p for p in d.iterdir() if p.is_file() and not p.name.endswith(ERROR_SUFFIX)]
    return sorted(files, key=lambda p: (moved_at(p) or datetime.min, p.name), reverse=True)[:limit]


def original_name(path: Path) -> str:
    """The name a file had in inbox/: processed/20261125-101500-x.csv -> x.csv."""
    m = re.match(r"\d{8}-\d{6}-(?:\d+-)?(.*)$", path.name)
    return m.group(1) if m and moved_at(path) else path.name


def moved_at(path: Path) -> datetime | None:
    """When a file was moved out of inbox/, from its <YYYYmmdd-HHMMSS>- name prefix."""
    try:
        return datetime.strptime(path.name[:15], "%Y%m%d-%H%M%S")
    except ValueError:
        return None


def error_note(failed_file: Path) -> str:
    """The .error.txt beside a refused file ('' if none)."""
    note = failed_file.with_name(failed_file.name + ERROR_SUFFIX)
    return note.read_text(encoding="utf-8") if note.exists() else ""


def publish_with_retry(store: Store, paths: list[Path], *, attempts: int = 20, wait: float = 1.0,
                       sleep: Callable[[float], None] = time.sleep,
                       on_wait: Callable[[int], None] | None = None, **kwargs) -> list[FileOutcome]:
    """`ingest_files`, retried while the store is busy with another publisher.

    The store lock lets one writer in at a time; this loop makes a second publisher wait its turn
    (up to `attempts` tries, `wait` seconds apart) so both uploads land, one version after the
    other. Raises StoreBusy after the last attempt, IngestFailed at once (retrying cannot fix a
    file). `on_wait(attempt)` is called before each wait (the Data page shows it).
    """
    for attempt in range(1, attempts + 1):
        try:
            return ingest_files(store, paths, **kwargs)
        except StoreBusy:
            if attempt == attempts:
                raise
            if on_wait is not None:
                on_wait(attempt)
            sleep(wait)
    raise AssertionError("unreachable")
