"""Where the store is: `--db URL`, else `$CGC_DATABASE_URL`, else a SQLite file in the user's data directory."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from ..errors import CgcError

ENV = "CGC_DATABASE_URL"
FILE_NAME = "store.sqlite"


def default_path() -> Path:
    """The default SQLite file, e.g. ~/.local/share/cgc-rules/store.sqlite on Linux."""
    from platformdirs import user_data_path

    return user_data_path("cgc-rules", appauthor=False) / FILE_NAME


def resolve(db: str | None) -> URL:
    """The database URL to use; a plain path means a SQLite file. PostgreSQL URLs use psycopg 3."""
    text = db or os.environ.get(ENV)
    if not text:
        path = default_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        return URL.create("sqlite", database=str(path))
    if "://" not in text:
        return URL.create("sqlite", database=str(Path(text)))
    try:
        url = make_url(text)
    except ArgumentError:
        raise CgcError(f"--db {text!r}: not a database URL (sqlite:///FILE or postgresql://USER@HOST/DB)") from None
    if url.get_backend_name() == "postgresql":
        return url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() != "sqlite":
        raise CgcError(f"--db: unsupported database {url.get_backend_name()!r} (use sqlite or postgresql)")
    return url


def shown(url: URL) -> str:
    """The URL for messages, without a password."""
    return url.render_as_string(hide_password=True)
