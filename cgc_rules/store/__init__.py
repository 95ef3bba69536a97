"""The store: every audit record a command is asked to keep (`--record`), append-only, in SQLite or PostgreSQL.

`open_store` checks that a database is empty or ours before touching it, `Store` adds and reads records.
"""

from __future__ import annotations

from .records import KINDS, ROLES, StoredRecord
from .store import Store, open_store

__all__ = ["KINDS", "ROLES", "Store", "StoredRecord", "open_store"]
