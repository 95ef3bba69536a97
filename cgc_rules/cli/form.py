"""`cgc form`: the bid form (XLSX) a bidder fills in, for chosen rulesets or a profile and project type."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ..jobs.generate import PROJECT_TYPES, bid_form
from ..output import write_atomic
from ..today import today_nl
from . import main, options


@main.command("form")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="The .xlsx file to write."
)
@click.option(
    "-r",
    "--ruleset",
    "refs",
    multiple=True,
    metavar="ID[@VERSION]",
    help="A ruleset the form explains; repeat for several. Without @VERSION: the version in force.",
)
@click.option("--profile", "profile_id", default=None, help="Profile id: its municipality and rulesets.")
@click.option(
    "--type",
    "project_type",
    type=click.Choice(PROJECT_TYPES),
    default=None,
    help="Project type: filled in, and only the rules for this type are listed.",
)
@click.option(
    "--as-of", type=options.DATE, default=None, help="Choose ruleset versions in force on this date (default: today)."
)
@click.option(
    "--profiles-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Directory of municipality profiles (default: the bundled profiles).",
)
@options.lang
@options.rulesets_dir
def form_cmd(
    output: Path,
    refs: tuple[str, ...],
    profile_id: str | None,
    project_type: str | None,
    as_of: date | None,
    profiles_dir: Path | None,
    lang: str,
    rulesets_dir: Path | None,
) -> None:
    """Write the bid form: one sheet per part of a submission, drop-down lists, checks and instructions."""
    form = bid_form(
        options.registry(rulesets_dir), as_of or today_nl(), refs, profile_id, project_type, profiles_dir, lang
    )
    write_atomic(output, form)
    click.echo(f"written {output}")
