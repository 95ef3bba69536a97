"""Store jobs: open, create or migrate the store of recorded evaluations, export it, import an export."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..store import migrate
from ..store.jsonl import export_lines, read_export
from ..store.location import shown
from ..store.store import Added, Store, open_store

__all__ = ["Added", "Store", "Upgraded", "export", "import_export", "opened", "upgrade"]


def opened(db: str | None) -> Store:
    """The existing store at `db` (a URL or SQLite path; default: the configured one), checked before use."""
    return open_store(db, create=False)


@dataclass(frozen=True)
class Upgraded:
    """A store at the schema revision of this version."""

    location: str  # the store's URL with any password hidden
    revision: str
    records: int


def upgrade(db: str | None) -> Upgraded:
    """Create the store, or migrate it to this version's schema."""
    store = open_store(db, upgrade=True)
    return Upgraded(shown(store.url), migrate.head(), store.count())


def export(db: str | None) -> Iterable[str]:
    """Every record as one JSON line, in the order recorded (lossless: `import_export` reads it back)."""
    return export_lines(opened(db).records())


def import_export(db: str | None, file: Path) -> Added:
    """Add the records of an export file, re-validated; all or nothing, records already stored are skipped."""
    items = read_export(file)
    return open_store(db).add(items)
