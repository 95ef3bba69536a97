"""`cgc assess`: place a municipality on the GMR profiles and the corridor growth model."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ..jobs.assess import assess as assess_job
from . import main, options, record


@main.command()
@click.argument("municipality", type=click.Path(path_type=Path))
@click.option(
    "-r",
    "--ruleset",
    "refs",
    multiple=True,
    metavar="ID[@VERSION]",
    help="Municipality ruleset to apply; repeat for several (default: all of them).",
)
@click.option(
    "--as-of",
    type=options.DATE,
    default=None,
    help="Use the ruleset versions in force on this date (default: municipality.assessed_on, else today).",
)
@options.lang
@options.output_format("assess")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None, help="Write the report to this file.")
@options.rulesets_dir
@record.options
def assess(
    municipality: Path,
    refs: tuple[str, ...],
    as_of: date | None,
    lang: str,
    fmt: str,
    output: Path | None,
    rulesets_dir: Path | None,
) -> None:
    """Assess MUNICIPALITY (a self-assessment in YAML or JSON): GMR profile and growth level per corridor element.

    Exit code 0: complete, every level determined; 1: an answer or element is missing; 2: bad input or usage.
    """
    assessment = assess_job(municipality, options.registry(rulesets_dir), refs, as_of, lang)
    record.keep_assessment(assessment)
    options.emit("assess", fmt, assessment.report, output)
    raise SystemExit(0 if assessment.compliant else 1)
