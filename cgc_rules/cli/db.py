"""`cgc db`: create or migrate the store, export it, import an export."""

from __future__ import annotations

from pathlib import Path

import click

from ..output import write_atomic
from . import main
from .record import db_option


@main.group()
def db() -> None:
    """The store of recorded evaluations and self-assessments (SQLite or PostgreSQL)."""


@db.command()
@db_option
def upgrade(db: str | None) -> None:
    """Create the store, or migrate it to this version's schema."""
    from ..store import migrate
    from ..store.location import shown
    from ..store.store import open_store

    store = open_store(db, upgrade=True)
    click.echo(f"{shown(store.url)}: schema revision {migrate.head()}, {store.count()} records")


@db.command("export")
@db_option
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None, help="Write to this file (JSON Lines).")
def export(db: str | None, output: Path | None) -> None:
    """Every record as JSON Lines, in the order recorded (lossless: `cgc db import` reads it back)."""
    from ..store.jsonl import export_lines
    from ..store.store import open_store

    lines = export_lines(open_store(db, create=False).records())
    if output:
        write_atomic(output, "".join(lines))
    else:
        for line in lines:
            click.echo(line, nl=False)


@db.command("import")
@db_option
@click.argument("file", type=click.Path(path_type=Path))
def import_(db: str | None, file: Path) -> None:
    """Add the records of an export FILE, re-validated; all or nothing, records already stored are skipped."""
    from ..store.jsonl import read_export
    from ..store.store import open_store

    items = read_export(file)
    result = open_store(db).add(items)
    click.echo(f"{result.added} records added, {result.already_stored} already stored")
