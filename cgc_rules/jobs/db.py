"""Store jobs: open, create or migrate the store of recorded evaluations, export it, import an export."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import CgcError, Problem
from ..store import migrate
from ..store.faults import faults
from ..store.jsonl import CHUNK, HEADER, SMALL_STORE, export_chunk, read_export
from ..store.location import shown
from ..store.parallel import ordered, spare_cores
from ..store.store import Added, Store, Unreadable, open_store

__all__ = ["Added", "Export", "Store", "Upgraded", "export", "import_export", "opened", "upgrade"]


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
    with faults(store.where):
        revision = migrate.head()
    return Upgraded(shown(store.url), revision, store.count())


@dataclass
class Export:
    """The export's lines, streamed; once they are read, `skipped` holds the rows that could not be read."""

    store: Store
    skipped: list[Unreadable] = field(default_factory=list)

    def lines(self) -> Iterator[str]:
        yield HEADER
        workers = 0 if self.store.count() < SMALL_STORE else spare_cores()
        for lines, skipped in ordered(self.store.chunks(CHUNK), export_chunk, workers):
            self.skipped += skipped
            yield from lines

    def refusal(self) -> CgcError | None:
        """The rows left out, each named by its id, or None when every record was exported."""
        if not self.skipped:
            return None
        return CgcError(
            [
                Problem(f"record id {s.id} cannot be read ({s.reason}); it is not in the export", self.store.where)
                for s in self.skipped
            ]
            + [
                Problem(
                    f"{len(self.skipped)} records left out of the export; every other record is in it", self.store.where
                )
            ]
        )


def export(db: str | None) -> Export:
    """Every readable record as one JSON line, in the order recorded (lossless: `import_export` reads it back)."""
    return Export(opened(db))


def import_export(db: str | None, file: Path) -> Added:
    """Add the records of an export file, re-validated as they are read; all or nothing, records already
    stored are skipped."""
    rows = read_export(file)
    return open_store(db).add_rows(rows)
