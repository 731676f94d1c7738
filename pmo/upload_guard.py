"""Who may send files to the server's upload endpoint, and how much one session may hold.

Streamlit accepts `PUT /_stcore/upload_file/<session>/<file>` from any browser session that has
the XSRF cookie, signed in or not, and keeps the bytes in memory until the session is gone. The
dashboard checks at that endpoint (server.py's middleware), not only by hiding the widget:

- a session may upload only once the sign-in gate (pmo/ui/auth.py) has resolved its role to one
  that may publish (`ingest`: analyst, admin); the gate calls `allow` / `revoke` on every run;
- the bytes one session holds in uploads at once are bounded (`[store] upload_session_mb`);
- when a session ends (closed tab, sign-out, lost connection) its uploads are released at the
  next sweep (`SWEEP_SECONDS`), not when Streamlit's reconnect window closes.

No Streamlit here: server.py passes the upload manager's bookkeeping in.
"""

from __future__ import annotations

import threading
import time

SWEEP_SECONDS = 10.0

_lock = threading.Lock()
_allowed: dict[str, float] = {}          # session id -> when the gate last allowed it


def allow(session_id: str | None) -> None:
    if session_id:
        with _lock:
            _allowed[session_id] = time.monotonic()


def revoke(session_id: str | None) -> None:
    if session_id:
        with _lock:
            _allowed.pop(session_id, None)


def allowed(session_id: str) -> bool:
    with _lock:
        return session_id in _allowed


def forget_ended(is_active) -> list[str]:
    """Drop sessions `is_active(session_id)` says are gone; return them."""
    with _lock:
        gone = [s for s in _allowed if not is_active(s)]
        for s in gone:
            del _allowed[s]
    return gone


def refusal(session_id: str, incoming: int | None, held: int, budget: int) -> tuple[int, str] | None:
    """(HTTP status, message) when this upload must be refused, else None. `incoming`: the
    request's Content-Length (None: unknown, judged after the body); `held`: bytes the session
    holds in uploads now; `budget`: what it may hold."""
    if not allowed(session_id):
        return 403, ("Uploads need a session signed in as an analyst or admin (the Data page). "
                     "Sign in first; nothing was stored.")
    if held + (incoming or 0) > budget:
        return 413, (f"This session already holds {held / 2**20:,.0f} MB of uploads; one session may hold "
                     f"{budget / 2**20:,.0f} MB at once ([store] upload_session_mb). Publish or remove "
                     "files first.")
    return None
