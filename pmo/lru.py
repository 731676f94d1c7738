"""A small thread-safe cache that keeps the last `size` entries used (least recently used goes
first). One mechanism for the caches that sessions share in a server process: chart pictures
(pmo/export/charts.py), charts per set of figures (pmo/charts/memo.py) and their page specs
(pmo/ui/share.py)."""

from __future__ import annotations

import threading
from collections import OrderedDict

MISSING = object()


class Lru:
    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, default=None):
        with self._lock:
            value = self._items.get(key, MISSING)
            if value is MISSING:
                return default
            self._items.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)
