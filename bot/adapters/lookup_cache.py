"""A small time-limited cache of platform lookups (a user's email), so a busy chat costs one API call."""

from __future__ import annotations

import time
from collections import OrderedDict


class TimedCache:
    """Least-recently-used, bounded, entries expire after ``ttl`` seconds (a changed email is seen soon)."""

    def __init__(self, size: int = 10_000, ttl: float = 600.0) -> None:
        self._items: OrderedDict[tuple[str, str], tuple[float, str]] = OrderedDict()
        self._size = size
        self._ttl = ttl

    def get(self, key: tuple[str, str]) -> str | None:
        found = self._items.get(key)
        if found is None or found[0] < time.monotonic():
            self._items.pop(key, None)
            return None
        self._items.move_to_end(key)
        return found[1]

    def put(self, key: tuple[str, str], value: str) -> None:
        self._items[key] = (time.monotonic() + self._ttl, value)
        self._items.move_to_end(key)
        while len(self._items) > self._size:
            self._items.popitem(last=False)
