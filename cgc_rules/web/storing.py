"""The CLI's store as the web app uses it: one writer at a time on SQLite.

SQLite allows one writing transaction at a time and makes the others wait only a few seconds, which
many concurrent uploads exceed ("database is locked"); the app therefore queues its own writes.
PostgreSQL handles concurrent writers itself and is passed straight through.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, text

from ..store.records import StoredRecord
from ..store.store import Added, Store, open_store
from .municipalities import registry


class WebStore:
    """`Store.add` and the web tables' writes, serialised for SQLite; reading as the store does."""

    def __init__(self, store: Store):
        self.store = store
        self._lock = threading.Lock() if store.engine.dialect.name == "sqlite" else None

    def add(self, items: Iterable[StoredRecord]) -> Added:
        if self._lock is None:
            return self.store.add(items)
        with self._lock:
            return self.store.add(items)

    @property
    def engine(self) -> Engine:
        return self.store.engine

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """One write transaction of the web app's own tables, queued behind the others on SQLite."""
        if self._lock is None:
            with self.engine.begin() as conn:
                yield conn
            return
        with self._lock, self.engine.begin() as conn:
            yield conn

    def by(self, username: str) -> RecordedBy:
        """A sink for the records `username` makes: each says who made it, and names its municipality canonically."""
        return RecordedBy(self, username)

    def ping(self) -> None:
        """Raises when the database does not answer."""
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    def records(self, *, trusted: bool = False) -> Iterator[StoredRecord]:
        return self.store.records(trusted=trusted)

    def count(self) -> int:
        return self.store.count()


class RecordedBy:
    """`WebStore.add` for one user: `recorded_by` in the payload, the municipality column as the registry
    spells it (`ARNHEM` is stored as `Arnhem`). A record already stored keeps whoever stored it first."""

    def __init__(self, store: WebStore, username: str):
        self.store, self.username = store, username

    def add(self, items: Iterable[StoredRecord]) -> Added:
        known = registry()
        return self.store.add(
            item.changed(
                municipality=known.canonical(item.municipality),
                payload={**item.payload, "recorded_by": self.username},
            )
            for item in items
        )


def open_web_store(url: str | None) -> WebStore:
    """The store at `url` (the CLI's default location when None), created when new."""
    return WebStore(open_store(url))
