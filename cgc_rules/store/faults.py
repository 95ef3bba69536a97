"""Every database condition as a located message naming the store (exit 2), never an internal error.

Locks are waited for, up to `lock_timeout()` seconds ($CGC_DB_LOCK_TIMEOUT, default 30): on SQLite as the
busy timeout, on PostgreSQL as `lock_timeout`. A write that fails (locked, read-only, disk full) is rolled
back by the database: nothing of it is kept.
"""

from __future__ import annotations

import math
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from alembic.util import CommandError
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from ..errors import CgcError, Problem

LOCK_TIMEOUT_ENV = "CGC_DB_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT = 30.0
MAX_LOCK_TIMEOUT = 3600.0


def lock_timeout() -> float:
    """Seconds to wait for a lock another process holds: $CGC_DB_LOCK_TIMEOUT, else 30."""
    text = os.environ.get(LOCK_TIMEOUT_ENV, "").strip()
    if not text:
        return DEFAULT_LOCK_TIMEOUT
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 <= value <= MAX_LOCK_TIMEOUT:
        raise CgcError(Problem(f"must be a number of seconds from 0 to {MAX_LOCK_TIMEOUT:g}", f"${LOCK_TIMEOUT_ENV}"))
    return value


def _locked() -> str:
    return (
        f"the store is locked by another process (waited {lock_timeout():g} s); "
        f"try again when it has finished, or set ${LOCK_TIMEOUT_ENV} to wait longer"
    )


_SQLITE: dict[str, Callable[[], str]] = {
    "SQLITE_BUSY": _locked,
    "SQLITE_LOCKED": _locked,
    "SQLITE_READONLY": lambda: "the store is read-only (no write permission on the file or its directory)",
    "SQLITE_FULL": lambda: "the disk is full; nothing of this write was kept",
    "SQLITE_CORRUPT": lambda: "damaged SQLite database",
    "SQLITE_NOTADB": lambda: "not a SQLite database",
    "SQLITE_CANTOPEN": lambda: "cannot open the database file (check the path and its permissions)",
    "SQLITE_PERM": lambda: "permission denied",
}

_POSTGRESQL: dict[str, Callable[[], str]] = {
    "55P03": _locked,  # lock_not_available
    "57014": _locked,  # query_canceled (statement timeout)
    "40P01": lambda: "a deadlock with another process; nothing of this write was kept, try again",
    "25006": lambda: "the store is read-only (a read-only transaction or server)",
    "53100": lambda: "the database server's disk is full; nothing of this write was kept",
    "53200": lambda: "the database server is out of memory",
    "53300": lambda: "the database server has too many connections; try again later",
    "42501": lambda: "permission denied on the database",
    "42703": lambda: "the store's table does not have the shape this version expects (run `cgc db upgrade`)",
    "42P01": lambda: "the store's table is missing (run `cgc db upgrade`)",
}


def reason(exc: BaseException) -> str:
    """What went wrong, in words, for a SQLite, PostgreSQL or Alembic error."""
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    detail = str(orig).strip().splitlines()[0][:200] if str(orig).strip() else type(orig).__name__
    if isinstance(orig, sqlite3.Error):
        if detail.startswith("Could not decode to UTF-8"):
            return "damaged SQLite database (a text value is not UTF-8)"
        name = getattr(orig, "sqlite_errorname", "") or ""
        base = next((say for code, say in _SQLITE.items() if name.startswith(code)), None)
        if name.startswith("SQLITE_IOERR"):
            return f"disk input/output error ({detail}); nothing of this write was kept"
        if "no such column" in detail or "no such table" in detail or "already exists" in detail:
            return f"the store's table does not have the shape this version expects ({detail})"
        if base is not None:
            return f"{base()} ({detail})"
        return f"database error ({detail})"
    code = getattr(orig, "sqlstate", None)
    if isinstance(code, str):
        if code in _POSTGRESQL:
            return f"{_POSTGRESQL[code]()} ({detail})"
        if code.startswith("08"):
            return f"cannot connect to the database ({detail})"
        return f"database error {code} ({detail})"
    if type(orig).__name__ == "OperationalError":  # psycopg: no server, refused, timed out, authentication
        return f"cannot connect to the database ({detail})"
    if isinstance(exc, CommandError):
        return f"its schema history is not one this version can follow ({detail})"
    return f"cannot use the database ({detail})"


def fault(where: str, exc: BaseException) -> CgcError:
    return CgcError(Problem(reason(exc), where))


@contextmanager
def faults(where: str) -> Iterator[None]:
    """Turn any database error inside the block into a located message naming the store."""
    try:
        yield
    except (SQLAlchemyError, sqlite3.Error, CommandError) as exc:
        raise fault(where, exc) from None
