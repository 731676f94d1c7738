"""Whether the dashboard can serve: what `/healthz` (server.py) answers, without a browser session."""

from __future__ import annotations

from pmo.store import StoreError, open_store


def health() -> tuple[bool, dict]:
    """(ready, body) for /healthz; never raises."""
    store = open_store()
    body: dict = {"ready": False, "store_version": None, "data_dir": str(store.root.resolve())}
    try:
        if store.is_empty():
            body["reason"] = "the store is empty: open the dashboard once or run `pmo ingest`."
            return False, body
        manifest = store.manifest()
        missing = [s.file for segs in store.segments(manifest).values() for s in segs
                   if not store.path(s.file).exists()]
        body["store_version"] = manifest["version"]
        if missing:
            body["reason"] = f"{len(missing)} segment file(s) of the current version are missing, e.g. {missing[0]}"
            return False, body
    except (StoreError, OSError, ValueError, KeyError) as exc:
        body["reason"] = f"the store cannot be read: {exc}"
        return False, body
    body["ready"] = True
    return True, body
