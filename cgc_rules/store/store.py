"""Open a store (checked first, created or upgraded only when asked) and add or read its records."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, OperationalError

from ..errors import CgcError, Problem
from . import migrate
from .guard import check_connection, check_sqlite_file
from .location import resolve, shown
from .records import StoredRecord
from .schema import records


@dataclass(frozen=True)
class Added:
    added: int
    already_stored: int


class Store:
    """An open, checked store. Records are only ever added, never changed."""

    def __init__(self, engine: Engine, url: URL):
        self.engine = engine
        self.url = url

    def add(self, items: Iterable[StoredRecord]) -> Added:
        """Add records in one transaction (all or nothing); a record already stored is skipped."""
        rows = [item.row() for item in items]
        dialect = postgresql if self.engine.dialect.name == "postgresql" else sqlite
        added = 0
        with self.engine.begin() as conn:
            for start in range(0, len(rows), 1000):
                stmt = (
                    dialect.insert(records).on_conflict_do_nothing(index_elements=["dedup_key"]).returning(records.c.id)
                )
                added += len(conn.execute(stmt, rows[start : start + 1000]).all())
        return Added(added, len(rows) - added)

    def records(self, *, trusted: bool = False) -> Iterator[StoredRecord]:
        """Every record, in the order they were added; `trusted` skips re-validation (read-only use)."""
        query = select(records).order_by(records.c.id)
        make = StoredRecord.trusted_row if trusted else StoredRecord.from_row
        with self.engine.connect() as conn:
            for row in conn.execute(query.execution_options(yield_per=2000)):
                yield make(row)

    def count(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(records)).scalar_one()


def _sqlite_path(url: URL) -> Path | None:
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


def open_store(db: str | None, *, create: bool = True, upgrade: bool = False) -> Store:
    """The store at `db` (see `location.resolve`), checked before use.

    A new, empty database gets the schema when `create`; an older schema is migrated only when `upgrade`.
    A file or database that is not a cgc-rules store is refused, untouched.
    """
    url = resolve(db)
    where = shown(url)
    path = _sqlite_path(url)
    if path is not None:
        if not path.exists() and not create:
            raise CgcError(
                Problem("no store there yet (record something with --record, or run `cgc db upgrade`)", where)
            )
        if not path.parent.exists():
            raise CgcError(Problem(f"directory {path.parent} does not exist", where))
        check_sqlite_file(path)
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            check_connection(where, conn)
            revision = migrate.current(conn)
        if revision is not None and not migrate.known(revision):
            raise CgcError(
                Problem(f"made by a newer cgc-rules (schema revision {revision}); refusing to use it", where)
            )
        if revision is None and not create:
            raise CgcError(Problem("an empty database, not yet a store (run `cgc db upgrade`)", where))
        if revision != migrate.head():
            if revision is not None and not upgrade:
                raise CgcError(
                    Problem(f"schema revision {revision} is older than {migrate.head()}; run `cgc db upgrade`", where)
                )
            with engine.begin() as conn:
                migrate.upgrade(conn)
    except OperationalError as exc:
        engine.dispose()
        raise CgcError(Problem(f"cannot open the database ({exc.orig})", where)) from None
    except DBAPIError as exc:
        engine.dispose()
        raise CgcError(Problem(f"database error ({exc.orig})", where)) from None
    return Store(engine, url)
