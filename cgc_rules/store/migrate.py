"""Alembic, driven from code: the migration scripts ship inside the package (`migrations/`)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from ..errors import CgcError, Problem, display_path

SCRIPTS = Path(__file__).parent / "migrations"


def _config(conn: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPTS))
    cfg.attributes["connection"] = conn
    return cfg


def head() -> str:
    """The newest revision this version of cgc-rules knows."""
    revision = ScriptDirectory.from_config(_config()).get_current_head()
    if revision is None:
        raise CgcError(Problem("this installation lacks the store's migration scripts", display_path(SCRIPTS)))
    return revision


def current(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def known(revision: str) -> bool:
    return revision in {s.revision for s in ScriptDirectory.from_config(_config()).walk_revisions()}


def upgrade(conn: Connection) -> None:
    command.upgrade(_config(conn), "head")
