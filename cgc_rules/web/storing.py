"""The CLI's store as the web app uses it: one writer at a time on SQLite.

SQLite allows one writing transaction at a time and makes the others wait only a few seconds, which
many concurrent uploads exceed ("database is locked"); the app therefore queues its own writes.
PostgreSQL handles concurrent writers itself and is passed straight through.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator

from ..store.records import StoredRecord
from ..store.store import Added, Store, open_store


class WebStore:
    """`Store.add`, serialised for SQLite; reading as the store does."""

    def __init__(self, store: Store):
        self.store = store
        self._lock = threading.Lock() if store.engine.dialect.name == "sqlite" else None

    def add(self, items: Iterable[StoredRecord]) -> Added:
        if self._lock is None:
            return self.store.add(items)
        with self._lock:
            return self.store.add(items)

    def records(self, *, trusted: bool = False) -> Iterator[StoredRecord]:
        return self.store.records(trusted=trusted)

    def count(self) -> int:
        return self.store.count()


def open_web_store(url: str | None) -> WebStore:
    """The store at `url` (the CLI's default location when None), created when new."""
    return WebStore(open_store(url))
