"""`cgc tender init`: the tender definition (`tender.yaml`) for one profile, project type and date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ..jobs.generate import PROJECT_TYPES, tender_definition
from ..output import write_atomic
from . import main, options


@main.group("tender")
def tender_group() -> None:
    """Tender definitions: the published award choices of one procurement."""


@tender_group.command("init")
@click.option("--profile", "profile_id", required=True, help="Profile id, e.g. gmr-voorbeeld-profiel-1.")
@click.option("--type", "project_type", required=True, type=click.Choice(PROJECT_TYPES))
@click.option("--date", "tender_date", required=True, type=options.DATE, help="Tender date: pins the rulesets.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@options.profiles_dir
@options.rulesets_dir
def init(
    profile_id: str,
    project_type: str,
    tender_date: date,
    output: Path,
    profiles_dir: Path | None,
    rulesets_dir: Path | None,
) -> None:
    """Write tender.yaml; parameters no source gives stay open until the officer fills them in."""
    text = tender_definition(profile_id, project_type, tender_date, options.registry(rulesets_dir), profiles_dir)
    write_atomic(output, text)
    click.echo(str(output))
