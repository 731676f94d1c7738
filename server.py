"""The dashboard as an ASGI app: Streamlit's `st.App` around dashboard.py, plus `/healthz`, the
start-up checks, security headers and the upload guard.

`pmo serve` runs this file with `streamlit run` (which finds `app` and serves it with uvicorn);
a container or systemd unit can run the same command (docs/deploy.md).

- Start-up (before the first connection is served): with sign-in required, a missing or weak
  cookie secret stops the server with a message naming the setting (pmo/hosting.py); the store is
  prepared (the sample data into an empty store when the demo is on, pmo/readiness.py) and the
  serving version's files are checked against their checksums (pmo/integrity.py).
- `/healthz` answers without a browser session and without server paths (pmo/readiness.py):
  `{"ready": true, "status": "ok", "store_version": 12, "serving_version": 12}`.
- Every HTTP response carries X-Frame-Options and a Content-Security-Policy (pmo/hosting.py).
- `PUT /_stcore/upload_file/...` is refused unless the session's role may publish, and bounded per
  session; an ended session's uploads are released within seconds (pmo/upload_guard.py).
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
import time
from pathlib import Path

import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from pmo import config, hosting, upload_guard
from pmo.readiness import health

ROOT = Path(__file__).resolve().parent
UPLOAD_PATH = "/_stcore/upload_file/"
log = logging.getLogger("pmo.server")


async def healthz(request: Request) -> JSONResponse:
    ready, body = await run_in_threadpool(health)      # may hash a new version's files: off the event loop
    return JSONResponse(body, status_code=200 if ready else 503, headers={"Cache-Control": "no-store"})


# --- uploads ---------------------------------------------------------------------------------
def _runtime():
    from streamlit import runtime

    return runtime.get_instance() if runtime.exists() else None


def _held_bytes(session_id: str) -> int:
    rt = _runtime()
    storage = getattr(getattr(rt, "uploaded_file_mgr", None), "file_storage", None) or {}
    return sum(len(f.data) for f in dict(storage.get(session_id, {})).values())


def _session_budget() -> int:
    from pmo.store import open_store

    store_cfg = config.load(open_store().root).get("store", {})
    mb = store_cfg.get("upload_session_mb") or 2 * int(store_cfg.get("upload_limit_mb", 200))
    return int(float(mb) * 2**20)


def _sweep_forever(stop: threading.Event) -> None:
    """Release the uploads of sessions that ended (and forget them in the upload guard)."""
    while not stop.wait(upload_guard.SWEEP_SECONDS):
        with contextlib.suppress(Exception):
            rt = _runtime()
            if rt is None:
                continue
            mgr = rt.uploaded_file_mgr
            for sid in list(getattr(mgr, "file_storage", {})):
                if not rt.is_active_session(sid):
                    mgr.remove_session_files(sid)
            upload_guard.forget_ended(rt.is_active_session)


async def _plain(send, status: int, text: str) -> None:
    body = text.encode()
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    headers += [(k.lower().encode(), v.encode()) for k, v in hosting.SECURITY_HEADERS.items()]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class Guard:
    """ASGI middleware: security headers on every HTTP response; the upload endpoint's checks."""

    def __init__(self, app):
        self.app = app
        self.headers = [(k.lower().encode(), v.encode()) for k, v in hosting.SECURITY_HEADERS.items()]

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path, method = scope.get("path", ""), scope.get("method", "")
        session_id = file_id = None
        if method == "PUT" and UPLOAD_PATH in path:
            session_id, _, file_id = path.split(UPLOAD_PATH, 1)[1].partition("/")
            length = dict(scope.get("headers") or []).get(b"content-length")
            incoming = int(length) if length and length.isdigit() else None
            budget = _session_budget()
            refused = upload_guard.refusal(session_id, incoming, _held_bytes(session_id), budget)
            if refused:
                return await _plain(send, *refused)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    h for h in self.headers if h[0] not in present]
            await send(message)

        await self.app(scope, receive, send_with_headers)
        if session_id and _held_bytes(session_id) > _session_budget():
            rt = _runtime()             # a body without Content-Length went past the budget: drop it
            if rt is not None:
                rt.uploaded_file_mgr.remove_file(session_id, file_id)


# --- start-up --------------------------------------------------------------------------------
def start_checks() -> None:
    """Refuse to start (SystemExit with the reason) on a missing or weak cookie secret; prepare
    the store; check the serving version's files."""
    from pmo import auth, integrity, readiness
    from pmo.store import StoreError, open_store

    store = open_store()
    try:
        roles = auth.load(config.load(store.root), store.root)
    except auth.RolesError as exc:
        raise SystemExit(f"pmo: {exc}") from exc
    secrets, problems = hosting.read_secrets(hosting.secrets_files(Path.cwd()))
    problems += hosting.start_problems(roles, secrets)
    if problems:
        for p in problems:
            print(f"pmo: {p}", file=sys.stderr, flush=True)
        raise SystemExit("pmo: the dashboard did not start (see above).")
    try:
        log.info(readiness.prepare(store))
    except StoreError as exc:           # a read-only store still serves what it has
        print(f"pmo: {exc}", file=sys.stderr, flush=True)
    serving = integrity.serving(store)  # hashes the files once, before the first request
    if serving.degraded:
        print(f"pmo: {serving.message()}", file=sys.stderr, flush=True)
    # What the first page run would otherwise pay, done before the first request: the chart engine
    # (vl-convert's JavaScript runtime, about a second; started beside a page, it held up that
    # page's first run by ~0.4 s) and the importer modules, whose labels every new version's
    # connection reads (about 70 ms of the first connection's time).
    from pmo import export
    from pmo.importers import registry

    started = time.perf_counter()
    registry.modules()
    export.warm_up()
    log.info("importers and chart engine (exports, meeting packs) ready in %.1f s", time.perf_counter() - started)


@contextlib.asynccontextmanager
async def lifespan(app):
    await run_in_threadpool(start_checks)
    stop = threading.Event()
    threading.Thread(target=_sweep_forever, args=(stop,), name="pmo-upload-sweep", daemon=True).start()
    try:
        yield {}
    finally:
        stop.set()
        from pmo import sandbox

        sandbox.pool().close()


app = st.App(ROOT / "dashboard.py", routes=[Route("/healthz", healthz, methods=["GET", "HEAD"])],
             middleware=[Middleware(Guard)],
             lifespan=lifespan)
