"""Refuse a database that is not ours before anything can write to it.

A SQLite file is read with Python's sqlite3 in read-only mode first: a file that is not SQLite,
is damaged, or holds other tables is refused with exit code 2 and stays byte for byte as it was.
A write interrupted by a crash leaves a hot journal beside the file: it is rolled back first (as any
SQLite client would, opening the file read-write), or, without write access, the message says how to.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from ..errors import CgcError, Problem
from .faults import lock_timeout, reason
from .schema import records

SQLITE_MAGIC = b"SQLite format 3\x00"
OURS = {records.name, "alembic_version"}


def _refuse(where: str, why: str) -> CgcError:
    return CgcError(Problem(f"{why}; refusing to use it (the file is left as it is)", where))


def check_sqlite_file(path: Path, *, thorough: bool = False) -> None:
    """Accept a missing or empty file, or a cgc-rules store; refuse anything else untouched.

    `thorough` adds `PRAGMA quick_check`, which reads the whole file (about 1 s per 130 MB): `cgc db upgrade`
    runs it; other commands check the header and the schema, and a damaged page met later is a located message.
    """
    if not path.exists() or (path.is_file() and path.stat().st_size == 0):
        return
    if not path.is_file():
        raise _refuse(str(path), "not a file")
    with path.open("rb") as fh:
        head = fh.read(len(SQLITE_MAGIC))
    if head != SQLITE_MAGIC:
        raise _refuse(str(path), "not a SQLite database")
    _roll_back_hot_journal(path)
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=lock_timeout())
        try:
            verdict = con.execute("PRAGMA quick_check").fetchone()[0] if thorough else "ok"
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        name = getattr(exc, "sqlite_errorname", "")
        if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or type(exc) is sqlite3.DatabaseError:
            raise _refuse(str(path), f"damaged SQLite database ({exc})") from None
        raise CgcError(Problem(reason(exc), str(path))) from None
    if verdict != "ok":
        raise _refuse(str(path), f"damaged SQLite database ({verdict})")
    _check_tables(str(path), tables)


def _roll_back_hot_journal(path: Path) -> None:
    """Let SQLite roll back a write a crash interrupted; it needs write access to the file and its directory."""
    journal = path.with_name(path.name + "-journal")
    if not journal.is_file() or journal.stat().st_size == 0:
        return
    try:
        con = sqlite3.connect(path, timeout=lock_timeout())
        try:
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()  # rolls a hot journal back
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        name = getattr(exc, "sqlite_errorname", "")
        if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
            raise CgcError(Problem(reason(exc), str(path))) from None
        raise CgcError(
            Problem(
                f"a write was interrupted and SQLite must roll it back from {journal.name}, which needs write access "
                f"to the file and its directory ({exc}); give that access and run the command again "
                "(never delete the journal: that would damage the store)",
                str(path),
            )
        ) from None


def check_connection(where: str, conn: Connection) -> None:
    """The same check on an open connection (PostgreSQL): empty or ours."""
    _check_tables(where, set(inspect(conn).get_table_names()))


def _check_tables(where: str, tables: set[str]) -> None:
    tables = {t for t in tables if not t.startswith("sqlite_")}
    if tables and not tables >= OURS:
        foreign = ", ".join(sorted(tables - OURS)[:5]) or ", ".join(sorted(tables))
        raise _refuse(where, f"not a cgc-rules store (it holds other tables: {foreign})")
