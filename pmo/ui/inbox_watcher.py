"""The running dashboard watches the store's drop folder: one background thread per server process.

`start()` is cheap to call on every page run: `st.cache_resource` makes the thread once per
(server process, store), and `validate` restarts it if it ever stopped. The thread only calls
`pmo.inbox.process_inbox` (no Streamlit calls); it logs problems and keeps going, so it can never
take the server down. `[store] inbox_interval_seconds = 0` turns it off (use `pmo watch` then).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

import streamlit as st

from pmo import config, inbox
from pmo.store import Store, open_store

log = logging.getLogger("pmo.inbox")


@dataclass
class Watcher:
    root: str
    interval: float
    thread: threading.Thread | None = None
    stop_event: threading.Event = field(default_factory=threading.Event)
    last_results: list[inbox.InboxResult] = field(default_factory=list)

    @property
    def running(self) -> bool:
        return self.thread is not None and self.thread.is_alive()

    def stop(self) -> None:
        self.stop_event.set()

    def _remember(self, result: inbox.InboxResult) -> None:
        self.last_results = (self.last_results + [result])[-20:]


def _alive_or_off(w: Watcher) -> bool:
    return w.interval <= 0 or w.running


@st.cache_resource(show_spinner=False, validate=_alive_or_off, on_release=lambda w: w.stop())
def _watcher(root: str, interval: float) -> Watcher:
    w = Watcher(root, interval)
    if interval <= 0:
        return w
    w.thread = threading.Thread(
        target=inbox.watch, name=f"pmo-inbox-{root}", daemon=True,
        kwargs={"store": Store(root), "interval": interval, "stop": w.stop_event, "on_result": w._remember})
    w.thread.start()
    log.info("watching %s/inbox every %.0f s", root, interval)
    return w


def start() -> Watcher | None:
    """Make sure this server process watches the current store's inbox/. Never raises."""
    try:
        s = open_store()
        interval = float(config.load(s.root)["store"].get("inbox_interval_seconds", 5) or 0)
        return _watcher(str(s.root.resolve()), interval)
    except Exception:  # the page must render even if the watcher cannot start
        log.exception("could not start the drop-folder watcher")
        return None
