"""`cgc generate` (tender documents and agreements) and `cgc templates check`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ..jobs.generate import DOCUMENT_KINDS, FORMATS, PROJECT_TYPES, check_templates, generate
from ..output import make_dir, write_atomic
from ..today import today_nl
from . import main, options


def _formats(value: str) -> list[str]:
    formats = [f.strip().lower() for f in value.split(",") if f.strip()]
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise click.BadParameter(f"use a comma-separated list of {', '.join(FORMATS)}", param_hint="--format")
    return formats


@main.command(
    "generate",
    help=f"Tender texts, award criteria, checklist and agreements for one profile "
    f"(KINDS: {' '.join(DOCUMENT_KINDS)}, or all).",
)
@click.argument("kinds", nargs=-1, required=True, type=click.Choice([*DOCUMENT_KINDS, "all"]))
@click.option("--profile", "profile_id", required=True, help="Profile id, e.g. amersfoort.")
@click.option(
    "--project",
    "project_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="YAML/JSON with the project (name, type, tender date); a submission file works too.",
)
@click.option(
    "--type",
    "project_type",
    type=click.Choice(PROJECT_TYPES),
    default=None,
    help="Project type for a generic document (default: the project's type).",
)
@click.option(
    "--ruleset",
    "rulesets",
    multiple=True,
    metavar="ID@VERSION",
    help="Use this version instead of the one in force (repeatable).",
)
@click.option("--format", "formats", default=",".join(FORMATS), show_default=True, help="Comma-separated formats.")
@click.option(
    "--as-of",
    type=options.DATE,
    default=None,
    help="Choose ruleset versions in force on this date (default: tender date, else today).",
)
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Directory to write to (created if missing).",
)
@click.option(
    "--corridor",
    default=None,
    metavar="NAME_OR_DIR",
    help="Corridor whose lines the project gets (offered on the tender date) or must release; needs --project.",
)
@options.profiles_dir
@options.rulesets_dir
def generate_cmd(
    kinds: tuple[str, ...],
    profile_id: str,
    project_file: Path | None,
    project_type: str | None,
    rulesets: tuple[str, ...],
    formats: str,
    as_of: date | None,
    out_dir: Path,
    profiles_dir: Path | None,
    rulesets_dir: Path | None,
    corridor: str | None,
) -> None:
    """Write each of KINDS for one profile into the output directory, one file per format."""
    fmts = _formats(formats)
    generated = generate(
        None if "all" in kinds else kinds,
        profile_id,
        fmts,
        options.registry(rulesets_dir),
        project_file=project_file,
        project_type=project_type,
        pinned=rulesets,
        as_of=as_of,
        profiles_dir=profiles_dir,
        corridor=corridor,
    )
    for message in generated.skipped:
        click.echo(message, err=True)
    make_dir(out_dir)
    for f in generated.files:
        write_atomic(out_dir / f.name, f.data)
        click.echo(str(out_dir / f.name))


@main.group()
def templates() -> None:
    """Check the document templates."""


@templates.command("check")
@click.option(
    "--type",
    "types",
    multiple=True,
    type=click.Choice(PROJECT_TYPES),
    default=("wegen", "openbare_ruimte", "woningbouw"),
    show_default=True,
    help="Project types to check (repeatable).",
)
@click.option(
    "--as-of", type=options.DATE, default=None, help="Ruleset versions in force on this date (default: today)."
)
@options.profiles_dir
@options.rulesets_dir
def check(types: tuple[str, ...], as_of: date | None, profiles_dir: Path | None, rulesets_dir: Path | None) -> None:
    """Render every template for every profile and type: undefined names, unknown rule ids, missing styles."""
    done = check_templates(types, options.registry(rulesets_dir), as_of or today_nl(), profiles_dir)
    click.echo(f"ok: {done.documents} documents from {done.templates} templates and {done.profiles} profiles")
