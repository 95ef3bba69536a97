"""`cgc check`: a file of a subject kind without a command of its own, against ruleset versions."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ..jobs import check as job
from . import main, options


@main.command()
@click.argument("subject", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-r",
    "--ruleset",
    "refs",
    multiple=True,
    required=True,
    metavar="ID[@VERSION]",
    help="Ruleset to apply; repeat for several of the same kind. Without @VERSION give --as-of.",
)
@click.option("--as-of", type=options.DATE, default=None, help="Use the ruleset versions in force on this date.")
@options.lang
@options.output_format("check")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None, help="Write the report to this file.")
@options.rulesets_dir
def check(
    subject: Path,
    refs: tuple[str, ...],
    as_of: date | None,
    lang: str,
    fmt: str,
    output: Path | None,
    rulesets_dir: Path | None,
) -> None:
    """Check SUBJECT (YAML or JSON) against rulesets of a kind that has no command of its own.

    Exit code 0: compliant; 1: a requirement fails or lacks data; 2: bad input or usage.
    """
    options.check_output("check", fmt, output)
    checked = job.check(subject, refs, as_of, lang, options.registry(rulesets_dir))
    options.emit("check", fmt, checked.report, output)
    raise SystemExit(0 if checked.compliant else 1)
