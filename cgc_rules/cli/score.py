"""`cgc score`: every bid against the published tender, ranked, with the award advice and the letters."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ..jobs import score as job
from ..output import write_atomic
from . import main, options


@main.command("score")
@click.argument("tender", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("bids", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@options.lang
@options.output_format("score", help="table and json for reading; docx, pdf and html write the award advice.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the report or advice to this file (required for docx and pdf).",
)
@click.option(
    "--letters",
    "letters_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Also write the award decision letter (DOCX) for every bidder into this directory.",
)
@click.option(
    "--date",
    "sent",
    type=options.DATE,
    default=None,
    help="Day the award decision is sent; the standstill period runs from it (default: today in the Netherlands).",
)
@options.rulesets_dir
def score_cmd(
    tender: Path,
    bids: tuple[Path, ...],
    lang: str,
    fmt: str,
    output: Path | None,
    letters_dir: Path | None,
    sent: date | None,
    rulesets_dir: Path | None,
) -> None:
    """Score BIDS (bid.yaml files) against TENDER (tender.yaml) and rank them.

    Exit code 0: every bid scored; 2: bad input (an incomplete or changed tender: nothing is
    written; a bad bid: the others are scored and it is reported).
    """
    options.check_output("score", fmt, output)
    scoring = job.score(tender, bids, options.registry(rulesets_dir), lang, sent=sent)
    written = job.letters(scoring.report) if letters_dir is not None else []  # rendered before anything is written
    options.emit("score", fmt, scoring.report, output)
    if letters_dir is not None:
        letters_dir.mkdir(parents=True, exist_ok=True)
        for name, data in written:
            write_atomic(letters_dir / name, data)
            click.echo(str(letters_dir / name), err=True)
    for bad in scoring.bad:
        for problem in bad.problems:
            click.secho(f"error: {problem}", fg="red", err=True)
    raise SystemExit(2 if scoring.bad else 0)
