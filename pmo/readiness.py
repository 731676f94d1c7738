"""Whether the dashboard can serve, and getting it there before traffic arrives.

`prepare()` runs before the server accepts connections (`pmo serve`, and server.py's start-up
for a container that runs `streamlit run server.py` itself): an empty store gets the sample data
when the demo is on (`[store] demo_on_empty`, default true, which `make run` relies on; env
`PMO_DEMO=0` or `demo_on_empty = false` for production). With the demo off an empty store is
ready with no data: the pages say so and point to the Data page.

`health()` is what `/healthz` answers, without a browser session and without server paths
(`details=True` adds the data directory and the damaged files, for `pmo health` and admins):

    200 {"ready": true, "status": "ok", "store_version": 12, "serving_version": 12}
    200 {"ready": true, "status": "no data", "store_version": 0, ...}          empty store, demo off
    200 {"ready": true, "status": "degraded", "serving_version": 11, "reason": "Store version 12 is damaged ..."}
    200 {..., "read_only": true}                                                the store cannot be written
    503 {"ready": false, "status": "damaged" | "unreadable", "reason": "..."}
"""

from __future__ import annotations

import os
import time

from pmo import config
from pmo.store import Store, StoreBusy, StoreError, open_store

TRUE, FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")
WRITE_PROBE_SECONDS = 5.0        # /healthz probes whether the store can be written at most this often
_write_states: dict[str, tuple[float, str | None]] = {}


def write_state(store: Store) -> str | None:
    """store.write_state(), probed at most every few seconds (a probe writes a small file)."""
    key = str(store.root.resolve())
    now = time.monotonic()
    hit = _write_states.get(key)
    if hit is not None and now - hit[0] < WRITE_PROBE_SECONDS:
        return hit[1]
    state = store.write_state()
    _write_states[key] = (now, state)
    return state


def demo_enabled(cfg: dict | None = None, env: dict | None = None) -> bool:
    """Load the sample data into an empty store? env PMO_DEMO, else [store] demo_on_empty (default true)."""
    env = os.environ if env is None else env
    flag = str(env.get("PMO_DEMO", "")).strip().lower()
    if flag in TRUE:
        return True
    if flag in FALSE:
        return False
    return bool((cfg or {}).get("store", {}).get("demo_on_empty", True))


def prepare(store: Store | None = None, *, wait_s: float = 120.0) -> str:
    """Make the store ready to serve; returns what was done (one line for the log). Raises
    StoreError (read-only, full, damaged sample) with a message saying what to do."""
    from pmo.ingest import IngestFailed

    store = store or open_store()
    cfg = config.load(store.root)
    if not store.is_empty():
        return f"store version {store.current_version()} ready"
    if not demo_enabled(cfg):
        return "the store is empty and the demo is off: ready with no data (publish exports on the Data page)"
    from pmo.demo import build_summaries, load_demo

    deadline = time.monotonic() + wait_s
    while True:
        try:
            load_demo(store)
            seconds = build_summaries(store)
            built = f"; summary tables built in {seconds:.1f} s" if seconds is not None else ""
            return "the store was empty: sample data loaded as version 1" + built
        except StoreBusy:
            if not store.is_empty():
                return f"store version {store.current_version()} ready (loaded by another process)"
            if time.monotonic() > deadline:
                raise StoreError("the store stayed busy with another writer while loading the sample data") from None
            time.sleep(0.5)
        except IngestFailed as exc:
            raise StoreError("the sample data could not be loaded: " + "; ".join(exc.problems)) from exc
        except OSError as exc:
            from pmo.store import write_failure

            raise (write_failure(exc, store.root) or StoreError(f"the store cannot be prepared: {exc}")) from exc


def _without_paths(text: str, store: Store) -> str:
    for p in {str(store.root.resolve()), str(store.root)}:
        text = text.replace(p, "the store")
    return text


def health(store: Store | None = None, *, details: bool = False) -> tuple[bool, dict]:
    """(ready, body) for /healthz; never raises."""
    from pmo import integrity

    store = store or open_store()
    body: dict = {"ready": False, "status": "unreadable", "store_version": None, "serving_version": None}
    try:
        state = write_state(store)
        if state:
            body["read_only" if state == "read-only" else "disk_full"] = True
        current = store.current_version()
        body["store_version"] = current
        if current == 0:
            body.update(ready=True, status="no data", serving_version=0,
                        reason="the store is empty: publish exports on the Data page or run `pmo ingest`.")
            return True, _finish(body, store, details, None)
        serving = integrity.serving(store)
        body["serving_version"] = serving.version
        if serving.version is None:
            body.update(status="damaged", reason=serving.message())
            return False, _finish(body, store, details, serving)
        body.update(ready=True, status="degraded" if serving.degraded else "ok")
        if serving.degraded:
            body["reason"] = serving.message()
        return True, _finish(body, store, details, serving)
    except (StoreError, OSError, ValueError, KeyError) as exc:
        body["reason"] = f"the store cannot be read: {_without_paths(str(exc), store)}"
        return False, _finish(body, store, details, None)


def _finish(body: dict, store: Store, details: bool, serving) -> dict:
    if "reason" in body:
        body["reason"] = _without_paths(body["reason"], store)
    if details:
        body["data_dir"] = str(store.root.resolve())
        if serving is not None and serving.damaged:
            body["damaged"] = {d.version: [f for f, _ in d.files] for d in serving.damaged}
    return body
