"""`cgc verify`: what the winning bid promised against what was built, with the sanction."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ..jobs import verify as job
from . import main, options


@main.command("verify")
@click.argument("tender", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("bid", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("as_built", type=click.Path(dir_okay=False, path_type=Path))
@options.lang
@options.output_format("verify")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
@options.rulesets_dir
@click.option("--corridor", default=None, metavar="NAME_OR_DIR", help="Also compare claimed corridor lines.")
@click.option("--as-of", type=options.DATE, default=None, help="Hub departures up to this day (default: today).")
def verify_cmd(
    tender: Path,
    bid: Path,
    as_built: Path,
    lang: str,
    fmt: str,
    output: Path | None,
    rulesets_dir: Path | None,
    corridor: str | None,
    as_of: date | None,
) -> None:
    """Check AS_BUILT (a submission at design or delivery) against the promises of BID under TENDER.

    Exit code 0: every promise kept within tolerance; 1: a shortfall beyond tolerance or a value
    that cannot be checked; 2: bad input.
    """
    from ..jobs.corridor import directory

    where = directory(corridor) if corridor else None
    verification = job.verify(tender, bid, as_built, options.registry(rulesets_dir), lang, where, as_of)
    options.emit("verify", fmt, verification.report, output)
    raise SystemExit(0 if verification.kept else 1)
