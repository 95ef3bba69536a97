"""`cgc schema`: the JSON Schema of each kind of input file."""

from __future__ import annotations

from pathlib import Path

import click

from . import main

NAMES = (
    "submission",
    "ruleset",
    "profile",
    "assessment",
    "corridor",
    "corridor-projects",
    "corridor-inventory",
    "corridor-events",
)  # the keys of intake.schemas.SCHEMAS, which imports every model


@main.command("schema")
@click.argument("name", type=click.Choice(NAMES), required=False)
@click.option(
    "--write",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write every schema as NAME.schema.json into this directory (docs/schemas).",
)
def schema_cmd(name: str | None, directory: Path | None) -> None:
    """Print the JSON Schema of NAME (submission, ruleset, profile, corridor, assessment, …)."""
    from ..intake.schemas import schema_text, write_all

    if directory is not None:
        for path in write_all(directory):
            click.echo(f"written {path}")
        return
    if name is None:
        raise click.UsageError("give a NAME or --write DIR")
    click.echo(schema_text(name), nl=False)
