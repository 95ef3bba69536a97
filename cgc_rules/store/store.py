"""Open a store (checked first, created or upgraded only when asked) and add or read its records."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Engine, create_engine, event, func, inspect, select
from sqlalchemy.engine import URL, Connection

from ..errors import CgcError, Problem
from . import migrate
from .faults import faults, lock_timeout
from .guard import check_connection, check_sqlite_file
from .location import resolve, shown
from .records import StoredRecord
from .schema import COLUMNS, records

BATCH = 2000
CACHE_KIB = 64 * 1024
"""SQLite's page cache while records are added (the default 2 MiB makes every index page a disk read at scale)."""


Stored = namedtuple("Stored", ("id", *COLUMNS))  # type: ignore[misc]  # noqa: PYI024 - fields: the table's
"""A stored row as a plain tuple, its fields the table's columns."""


@dataclass(frozen=True)
class Added:
    added: int
    already_stored: int


@dataclass(frozen=True)
class Unreadable:
    """A stored row that no longer reads back as a valid record."""

    id: int
    reason: str


class Store:
    """An open, checked store. Records are only ever added, never changed."""

    def __init__(self, engine: Engine, url: URL):
        self.engine = engine
        self.url = url
        self.where = shown(url)

    def add(self, items: Iterable[StoredRecord]) -> Added:
        """Add records in one transaction (all or nothing), streamed in chunks; a record already stored is skipped.
        An error raised while `items` is read rolls back everything of this call."""
        return self.add_rows(item.row() for item in items)

    def add_rows(self, rows: Iterable[tuple[Any, ...]]) -> Added:
        """Add the rows of validated records (`StoredRecord.row`, in `COLUMNS` order; the payload, last, may be
        given as its UTF-8 bytes) in one transaction, in chunks of `BATCH`, each one `executemany` of the driver; a
        row already stored (its dedup key) is skipped."""
        if self.engine.dialect.name == "sqlite":  # bytes cast to text as they are: no decoding, no encoding again
            marks, source = ["?"] * (len(COLUMNS) - 1) + ["CAST(? AS TEXT)"], iter(rows)
        else:
            marks, source = ["%s"] * len(COLUMNS), map(_text_payload, rows)
        insert = (
            f"INSERT INTO {records.name} ({', '.join(COLUMNS)}) VALUES ({', '.join(marks)}) "  # noqa: S608
            "ON CONFLICT (dedup_key) DO NOTHING"
        )
        count = select(func.count()).select_from(records)
        given = 0
        with faults(self.where), self.engine.begin() as conn:
            before = conn.execute(count).scalar_one()
            with _bulk(conn, empty=before == 0):
                while chunk := list(islice(source, BATCH)):
                    given += len(chunk)
                    conn.exec_driver_sql(insert, chunk)
            added = conn.execute(count).scalar_one() - before
        return Added(added, given - added)

    def rows(self, query: Any = None) -> Iterator[Any]:
        """The rows of `query` (default: every record in the order added), streamed; database errors located."""
        query = select(records).order_by(records.c.id) if query is None else query
        with faults(self.where), self.engine.connect() as conn:
            yield from conn.execute(query.execution_options(yield_per=2000))

    def records(self, *, trusted: bool = False) -> Iterator[StoredRecord]:
        """Every record, in the order they were added; `trusted` skips re-validation (read-only use)."""
        make = StoredRecord.trusted_row if trusted else StoredRecord.from_row
        for row in self.rows():
            yield make(row)

    def chunks(self, size: int) -> Iterator[list[Stored]]:
        """Every row, in the order added, `size` at a time, as plain `Stored` tuples (they pickle)."""
        with faults(self.where), self.engine.connect() as conn:
            result = conn.execute(select(records).order_by(records.c.id).execution_options(yield_per=size))
            for part in result.partitions():
                yield list(map(Stored._make, part))

    def count(self) -> int:
        with faults(self.where), self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(records)).scalar_one())


def _text_payload(row: tuple[Any, ...]) -> tuple[Any, ...]:
    payload = row[-1]
    return (*row[:-1], payload.decode()) if isinstance(payload, bytes) else row


def readable(row: Any) -> StoredRecord | Unreadable:
    """A stored row re-validated; one that no longer validates is reported, not raised."""
    try:
        return StoredRecord.from_row(row)
    except ValidationError as exc:
        first = exc.errors()[0]
        at, message = ".".join(str(p) for p in first["loc"]), first["msg"].removeprefix("Value error, ")
        return Unreadable(row.id, f"{at}: {message}" if at else message)
    except (ValueError, TypeError) as exc:
        return Unreadable(row.id, f"payload: {exc}")


@contextmanager
def _bulk(conn: Connection, *, empty: bool) -> Iterator[None]:
    """SQLite adds with a `CACHE_KIB` page cache; into an empty store (a restore) the rows go first and the indexes
    are built after them, in the same transaction (an error rolls the dropped indexes back too); the dedup key's
    index stays, for duplicates."""
    if conn.dialect.name != "sqlite":
        yield
        return
    conn.exec_driver_sql(f"PRAGMA cache_size = -{CACHE_KIB}")
    if not empty:
        yield
        return
    made = conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
        (records.name,),
    ).all()
    for name, _ in made:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    yield
    for _, sql in made:
        conn.exec_driver_sql(sql)


def _sqlite_path(url: URL) -> Path | None:
    """The SQLite file of `url`, also when given as a URI (`sqlite:///file:PATH?mode=ro&uri=true`)."""
    name = url.database
    if url.get_backend_name() != "sqlite" or name in (None, "", ":memory:"):
        return None
    if url.query.get("uri") == "true" and name.startswith("file:"):
        name = name.removeprefix("file:").split("?")[0]
    return Path(name)


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
        check_sqlite_file(path, thorough=upgrade)
    engine = _engine(url)
    try:
        with faults(where), engine.connect() as conn:
            check_connection(where, conn)
            revision = migrate.current(conn)
            shaped = records.name in inspect(conn).get_table_names()
            known = revision is None or migrate.known(revision)
        if not known:
            raise CgcError(
                Problem(f"made by a newer cgc-rules (schema revision {revision}); refusing to use it", where)
            )
        if revision is None and shaped:
            raise CgcError(
                Problem(
                    "holds a records table but no schema revision (alembic_version is empty); "
                    "refusing to use it: restore it from an export (`cgc db import`) into a new store",
                    where,
                )
            )
        if revision is None and not create:
            raise CgcError(Problem("an empty database, not yet a store (run `cgc db upgrade`)", where))
        with faults(where):
            newest = migrate.head()
        if revision != newest:
            if revision is not None and not upgrade:
                raise CgcError(
                    Problem(f"schema revision {revision} is older than {newest}; run `cgc db upgrade`", where)
                )
            with faults(where), engine.begin() as conn:
                migrate.upgrade(conn)
    except BaseException:
        engine.dispose()
        raise
    return Store(engine, url)


def _engine(url: URL) -> Engine:
    """An engine that waits at most `lock_timeout()` seconds for a lock another process holds."""
    wait = lock_timeout()
    if url.get_backend_name() == "postgresql":
        options = f"-c lock_timeout={int(wait * 1000)}"
        return create_engine(url, connect_args={"connect_timeout": 10, "options": options})
    engine = create_engine(url, connect_args={"timeout": wait})

    @event.listens_for(engine, "connect")
    def _manual(dbapi_connection: Any, record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy, not pysqlite, begins: DDL is transactional too

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")

    return engine
