"""`cgc monitor`: the GMR's monitoring figures over the store, and `cgc monitor report`, the yearly evaluation."""

from __future__ import annotations

from pathlib import Path

import click

from .. import renderers
from . import main, options
from .record import db_option

house_style = click.option(
    "--house-style",
    "style",
    default="gmr-voorbeeld-profiel-1",
    show_default=True,
    metavar="PROFILE",
    help="Profile whose house style (CSS, Word styles, logo) the document uses.",
)
reader = click.option(
    "--municipality",
    default=None,
    metavar="NAME",
    help="Report for this municipality: itself by name, the others only by GMR profile.",
)


@main.group(invoke_without_command=True)
@db_option
@click.option("--year", type=int, default=None, help="Only this year (trends still show every year).")
@click.option("--region", default=None, help="Only this region.")
@click.option(
    "--municipality",
    default=None,
    metavar="NAME",
    help="Only this municipality; with html or pdf: the reader (itself by name, the others by profile).",
)
@click.option("--type", "kind", default=None, metavar="TYPE", help="Only this project type (e.g. wegen).")
@options.lang
@options.output_format("monitor", "html and pdf: the yearly evaluation report (see `cgc monitor report`).")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="Write to this file (required for xlsx and pdf).",
)
@house_style
@click.pass_context
def monitor(
    ctx: click.Context,
    db: str | None,
    year: int | None,
    region: str | None,
    municipality: str | None,
    kind: str | None,
    lang: str,
    fmt: str,
    output: Path | None,
    style: str,
) -> None:
    """Monitoring over the recorded evaluations: projects measured, responsible origin by mass against the
    2030 goal, MKI quartiles against the levels, compliance per rule, start-measuring and SEB, trends.

    Per year and region: all projects, each municipality, each project type.
    """
    if ctx.invoked_subcommand is not None:
        return
    options.check_output("monitor", fmt, output)
    from ..jobs.db import opened

    store = opened(db)
    if fmt in renderers.formats("yearly-report"):
        from ..jobs.report import yearly_report

        document = yearly_report(store, style, year=year, region=region, municipality=municipality, project_type=kind)
        options.emit("monitor", fmt, document, output)
        return
    from ..jobs.monitor import figures

    found = figures(store, lang, year=year, region=region, municipality=municipality, project_type=kind)
    options.emit("monitor", fmt, found, output)


@monitor.command()
@db_option
@click.option("--year", type=int, required=True, help="The year evaluated.")
@click.option("--region", default=None, help="The region (required when the store holds several).")
@reader
@options.output_format("yearly-report")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="The document to write.")
@house_style
@click.option("--corridor", default=None, metavar="NAME_OR_DIR", help="Add a chapter on this corridor's flows.")
def report(
    db: str | None,
    year: int,
    region: str | None,
    municipality: str | None,
    fmt: str,
    output: Path,
    style: str,
    corridor: str | None,
) -> None:
    """The yearly evaluation of one region (DOCX, PDF or HTML, in Dutch): figures and charts, each municipality's
    profile and growth levels with the next step, and an anonymised comparison."""
    from ..jobs.corridor import directory
    from ..jobs.db import opened
    from ..jobs.report import yearly_report

    where = directory(corridor) if corridor else None
    document = yearly_report(opened(db), style, year=year, region=region, municipality=municipality, corridor=where)
    options.emit("yearly-report", fmt, document, output)
