"""`cgc convert`: a submission between the bid form (XLSX), YAML and JSON, without loss."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import CgcError
from ..intake import load_any
from ..intake.write import OUTPUT_FORMATS, dump
from ..output import write_atomic
from . import main


@main.command("convert")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
def convert_cmd(source: Path, target: Path) -> None:
    """Convert the submission SOURCE (.xlsx, .csv, .yaml, .json) to TARGET (.xlsx, .yaml, .json)."""
    suffix = target.suffix.lower()
    if suffix not in OUTPUT_FORMATS:
        raise CgcError(f"{target}: write .xlsx, .yaml, .yml or .json")
    loaded = load_any(source)
    write_atomic(target, dump(loaded.submission, suffix))
    click.echo(f"written {target}")
