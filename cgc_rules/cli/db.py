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
    from ..jobs.db import upgrade as run

    done = run(db)
    click.echo(f"{done.location}: schema revision {done.revision}, {done.records} records")


@db.command("export")
@db_option
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None, help="Write to this file (JSON Lines).")
def export(db: str | None, output: Path | None) -> None:
    """Every record as JSON Lines, in the order recorded (lossless: `cgc db import` reads it back).

    A record that can no longer be read is left out and named (exit 2); every other record is exported."""
    from ..jobs.db import export as run

    job = run(db)
    if output:
        write_atomic(output, job.lines(), private=True)  # audit records: 0600 for a new file
    else:
        for line in job.lines():
            click.echo(line, nl=False)
    refused = job.refusal()
    if refused is not None:
        raise refused


@db.command("import")
@db_option
@click.argument("file", type=click.Path(path_type=Path))
def import_(db: str | None, file: Path) -> None:
    """Add the records of an export FILE, re-validated; all or nothing, records already stored are skipped."""
    from ..jobs.db import import_export

    result = import_export(db, file)
    click.echo(f"{result.added} records added, {result.already_stored} already stored")
