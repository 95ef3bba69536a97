"""`cgc schema`: the JSON Schema of each kind of input file."""

from __future__ import annotations

from pathlib import Path

import click

from ..jobs.files import schema_names, schemas
from ..output import make_dir, write_atomic
from . import main


@main.command("schema")
@click.argument("name", type=click.Choice(schema_names()), required=False)
@click.option(
    "--write",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write every schema as NAME.schema.json into this directory (docs/schemas).",
)
def schema_cmd(name: str | None, directory: Path | None) -> None:
    """Print the JSON Schema of NAME (submission, ruleset, profile, corridor, assessment, …)."""
    if directory is not None:
        make_dir(directory)
        for each, text in schemas().items():
            path = directory / f"{each}.schema.json"
            write_atomic(path, text)
            click.echo(f"written {path}")
        return
    if name is None:
        raise click.UsageError("give a NAME or --write DIR")
    click.echo(schemas((name,))[name], nl=False)
