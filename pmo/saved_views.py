"""Saved views: a named page + URL parameters, kept per user in `<store>/config/saved_views.json`.

    {"users": {"ana@example.com": [{"name": "Digital red list", "page": "pages/1_Portfolio_Health.py",
                                     "params": {"portfolio": "Digital Channels"},
                                     "saved_at": "2026-11-25T09:14:03Z"}]}}

The file sits outside the store's versions (like the audit log): a rollback or a new ingest
keeps it. Writes hold an exclusive lock and replace the file atomically, so two people saving
at once never lose each other's views. A view whose parameters have gone stale (a portfolio
renamed) still opens: the page drops the stale value with a notice.
"""

from __future__ import annotations

import fcntl
import json
import os
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

FILE = Path("config") / "saved_views.json"
MAX_NAME = 80
MAX_VIEWS = 200            # per user
SKIP_PARAMS = ("present",)  # presentation mode is how you look at a view, not part of it


def path(store_root: Path | str) -> Path:
    return Path(store_root) / FILE


def _read(p: Path) -> dict:
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"users": {}}
    if not isinstance(data, dict) or not isinstance(data.get("users"), dict):
        return {"users": {}}
    return data


@contextmanager
def _locked(store_root: Path | str):
    p = path(store_root)
    p.parent.mkdir(parents=True, exist_ok=True)
    with open(p.with_suffix(".lock"), "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield p
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _write(p: Path, data: dict) -> None:
    tmp = p.with_suffix(f".tmp{os.getpid()}")
    tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    os.replace(tmp, p)


def clean_name(name: str) -> str:
    return " ".join(str(name or "").split())[:MAX_NAME]


def list_views(store_root: Path | str, user: str) -> list[dict]:
    """The user's views, newest first."""
    views = _read(path(store_root))["users"].get(user) or []
    views = [v for v in views if isinstance(v, dict) and v.get("name") and v.get("page")]
    return sorted(views, key=lambda v: v.get("saved_at", ""), reverse=True)


def save_view(store_root: Path | str, user: str, name: str, page: str, params: dict,
              now: datetime | None = None) -> dict:
    """Save (or replace, by name) a view; returns it. Raises ValueError on an empty name."""
    name = clean_name(name)
    if not name:
        raise ValueError("a saved view needs a name")
    view = {"name": name, "page": page,
            "params": {str(k): str(v) for k, v in params.items() if k not in SKIP_PARAMS and v is not None},
            "saved_at": (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")}
    with _locked(store_root) as p:
        data = _read(p)
        views = [v for v in data["users"].get(user, []) if v.get("name") != name]
        data["users"][user] = [view, *views][:MAX_VIEWS]
        _write(p, data)
    return view


def delete_view(store_root: Path | str, user: str, name: str) -> bool:
    with _locked(store_root) as p:
        data = _read(p)
        views = data["users"].get(user, [])
        kept = [v for v in views if v.get("name") != name]
        if len(kept) == len(views):
            return False
        data["users"][user] = kept
        _write(p, data)
    return True
