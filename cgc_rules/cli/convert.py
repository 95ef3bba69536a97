"""`cgc convert`: a submission between the bid form (XLSX), YAML and JSON, without loss."""

from __future__ import annotations

from pathlib import Path

import click

from ..jobs.files import convert
from ..output import write_atomic
from . import main


@main.command("convert")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
def convert_cmd(source: Path, target: Path) -> None:
    """Convert the submission SOURCE (.xlsx, .csv, .yaml, .json) to TARGET (.xlsx, .yaml, .json)."""
    write_atomic(target, convert(source, target))
    click.echo(f"written {target}")
