"""The audit log: who did what, when. Append-only JSON lines in the store, outside the versions.

`<store>/audit/audit-YYYY-MM.jsonl`, one JSON object a line:
`{"ts": "2026-11-25T09:14:03Z", "user": "ana@example.com", "role": "analyst", "action": "sql",
"detail": {...}}`. Actions: sign_in, ingest, rollback, remove, rebuild, export, sql (and
sql_refused), decide (a prioritisation score, scenario or maturity answer saved on a page;
decide_refused: one a role may not write), report (`pmo report`: a saved view's meeting pack
sent by e-mail, or the send that failed, with the error). The files are not part of any
version, so a rollback never rewrites history; each append holds an exclusive `fcntl` lock on the month's file, so replicas sharing one store (and
the CLI) never interleave lines.

Who is acting comes from `acting` (set per Streamlit run by the sign-in gate), else env
`PMO_USER`, else the operating-system user.
"""

from __future__ import annotations

import contextvars
import fcntl
import getpass
import json
import os
from datetime import datetime, timezone
from pathlib import Path

import polars as pl

DIR = "audit"
ACTIONS = ("sign_in", "ingest", "rollback", "remove", "rebuild", "export", "sql", "sql_refused", "decide",
           "decide_refused", "report")
MAX_DETAIL_TEXT = 4000          # a long SQL text is kept up to this many characters

SCHEMA = {"ts": pl.Datetime("us", "UTC"), "user": pl.String, "role": pl.String,
          "action": pl.String, "what": pl.String, "detail": pl.String}

# (user, role) of whoever is acting in this thread / task: set by pmo.ui.auth for each run.
acting: contextvars.ContextVar[tuple[str, str] | None] = contextvars.ContextVar("pmo_acting", default=None)


def current_user() -> str:
    who = acting.get()
    if who:
        return who[0]
    return os.environ.get("PMO_USER") or getpass.getuser()


def current_role() -> str:
    who = acting.get()
    return who[1] if who else "local"


def log(store_root: Path | str, user: str | None, action: str, detail: dict | None = None, *,
        role: str | None = None, now: datetime | None = None) -> dict:
    """Append one event and return it. An OSError (full disk, no permission) propagates."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action '{action}' (known: {', '.join(ACTIONS)})")
    ts = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    event = {"ts": ts.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), "user": user or current_user(),
             "role": role or current_role(), "action": action, "detail": _clip(detail or {})}
    folder = Path(store_root) / DIR
    folder.mkdir(parents=True, exist_ok=True)
    line = (json.dumps(event, default=str, ensure_ascii=False) + "\n").encode()
    path = folder / f"audit-{ts:%Y-%m}.jsonl"
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
            line = b"\n" + line     # a line torn by a killed writer stays on its own (and is skipped)
        os.write(fd, line)           # one write of a whole line, under the lock
        os.fsync(fd)
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
    return event


def _clip(detail: dict) -> dict:
    return {k: (v[:MAX_DETAIL_TEXT] + "…" if isinstance(v, str) and len(v) > MAX_DETAIL_TEXT else v)
            for k, v in detail.items()}


def files(store_root: Path | str) -> list[Path]:
    return sorted((Path(store_root) / DIR).glob("audit-*.jsonl"))


def read_events(store_root: Path | str, since: datetime | None = None, *,
                action: str | None = None, user: str | None = None) -> list[dict]:
    """Events oldest first (optionally since a time, of one action, by one user). A line that
    cannot be read (a torn write from a killed process) is skipped."""
    out = []
    since_utc = since.astimezone(timezone.utc) if since and since.tzinfo else (
        since.replace(tzinfo=timezone.utc) if since else None)
    for path in files(store_root):
        if since_utc and path.stem[-7:] < since_utc.strftime("%Y-%m"):
            continue
        with path.open("rb") as fh:
            fcntl.flock(fh, fcntl.LOCK_SH)
            try:
                lines = fh.read().splitlines()
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)
        for raw in lines:
            try:
                e = json.loads(raw)
                e["_ts"] = datetime.strptime(e["ts"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
            except (ValueError, KeyError, TypeError):
                continue
            if since_utc and e["_ts"] < since_utc:
                continue
            if (action and e.get("action") != action) or (user and e.get("user") != user):
                continue
            out.append(e)
    out.sort(key=lambda e: e["_ts"])
    for e in out:
        e.pop("_ts")
    return out


def describe(event: dict) -> str:
    """One readable line for an event (the Audit log page)."""
    d, a = event.get("detail") or {}, event.get("action")
    sql_text = " ".join(str(d.get("sql", "")).split())
    if a == "sign_in":
        groups = ", ".join(d.get("groups") or []) or "no groups"
        return f"signed in ({groups}); sees {d.get('scope', 'all data')}"
    if a == "ingest":
        files = d.get("files") or []
        return (f"published version {d.get('version')}: {', '.join(files[:3])}"
                + (f" and {len(files) - 3} more" if len(files) > 3 else "")
                + (f" ({d['rows_accepted']:,} rows)" if isinstance(d.get("rows_accepted"), int) else ""))
    if a == "rollback":
        return f"version {d.get('version')} now serves what version {d.get('to_version')} served"
    if a == "remove":
        return f"version {d.get('version')}: removed ingest {d.get('ingest_id')} ({d.get('file')})"
    if a == "rebuild":
        return f"version {d.get('version')}: rebuilt from {d.get('raw_files')} raw files"
    if a == "export":
        return f"downloaded {d.get('what', 'a table')}" + (f" ({d['rows']:,} rows)" if isinstance(d.get("rows"), int) else "")
    if a == "sql":
        cut = ", cut at the row cap" if d.get("cut") else ""
        return f"{d.get('rows', 0):,} rows{cut}, {d.get('seconds', 0):g} s: {sql_text}"
    if a == "decide":
        return f"version {d.get('version')}: {d.get('what', 'a decision')}"
    if a == "decide_refused":
        return f"refused: {d.get('what', 'a decision')} ({d.get('reason', '')})"
    if a == "report":
        to = ", ".join(d.get("recipients") or []) or "nobody"
        sent = (f"sent '{d.get('view')}' ({d.get('format')}, {d.get('bytes') or 0:,} bytes) to {to}"
                if d.get("ok") else f"not sent: '{d.get('view')}' ({d.get('format')}) to {to}: {d.get('error')}")
        return sent
    if a == "sql_refused":
        return f"refused ({d.get('reason', '')}): {sql_text}"
    return json.dumps(d, ensure_ascii=False, default=str)


def frame(events: list[dict]) -> pl.DataFrame:
    """Events as a table, newest first: `what` in words, `detail` as compact JSON text."""
    rows = [{"ts": datetime.strptime(e["ts"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc),
             "user": e.get("user"), "role": e.get("role"), "action": e.get("action"), "what": describe(e),
             "detail": json.dumps(e.get("detail") or {}, ensure_ascii=False, default=str)} for e in events]
    return pl.DataFrame(rows, schema=SCHEMA).sort("ts", descending=True)
