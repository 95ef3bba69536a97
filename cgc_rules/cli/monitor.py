"""`cgc monitor`: the GMR's monitoring figures over the store, and `cgc monitor report`, the yearly evaluation."""

from __future__ import annotations

import io
from pathlib import Path

import click
from rich.console import Console

from ..output import write_atomic
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


def _figures(db: str | None, year: int | None, region: str | None, name: str | None, kind: str | None) -> dict:
    from ..monitor.figures import Filters
    from ..monitor.run import from_store
    from ..store.store import open_store

    return from_store(open_store(db, create=False), Filters(year, region, name, kind))


def _document(data: dict, year: int | None, region: str | None, name: str | None, style: str, fmt: str) -> bytes:
    from ..monitor.report import build_report, choose_region
    from ..profile import load_profile, profile_path

    lp = load_profile(profile_path(style, None))
    region = choose_region(data, region)
    years = [t["year"] for t in data["trend"]] + [m["year"] for m in data["municipalities"]]
    year = year or max(years, default=None)
    if year is None:
        raise click.UsageError("the store holds nothing to report on")
    doc = build_report(data, year, region, name, lp.profile.id, lp.profile.name)
    if fmt == "docx":
        from ..documents.render_docx import to_docx

        return to_docx(doc, lp)
    from ..documents.render_html import to_html

    html = to_html(doc, lp)
    if fmt == "html":
        return html.encode("utf-8")
    from ..documents.render_pdf import to_pdf

    return to_pdf(html, doc)


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
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv", "xlsx", "html", "pdf"]),
    default="table",
    show_default=True,
)
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
    if fmt in ("xlsx", "pdf") and output is None:
        raise click.UsageError(f"--format {fmt} needs -o FILE")
    from ..monitor import tables

    if fmt in ("html", "pdf"):
        data = _figures(db, None, None, None, kind)
        rendered: bytes | str = _document(data, year, region, municipality, style, fmt)
    else:
        data = _figures(db, year, region, municipality, kind)
        if fmt == "table":
            buf = io.StringIO()
            console = Console(file=buf, width=120, color_system=None) if output else options.console()
            tables.print_table(data, console, lang)
            rendered = buf.getvalue()
        else:
            rendered = {"json": tables.to_json, "csv": tables.to_csv, "xlsx": tables.to_xlsx}[fmt](data)
    if output:
        write_atomic(output, rendered)
    elif rendered:
        click.echo(rendered, nl=False)


@monitor.command()
@db_option
@click.option("--year", type=int, required=True, help="The year evaluated.")
@click.option("--region", default=None, help="The region (required when the store holds several).")
@reader
@click.option("--format", "fmt", type=click.Choice(["docx", "pdf", "html"]), default="pdf", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="The document to write.")
@house_style
def report(
    db: str | None, year: int, region: str | None, municipality: str | None, fmt: str, output: Path, style: str
) -> None:
    """The yearly evaluation of one region (DOCX, PDF or HTML, in Dutch): figures and charts, each municipality's
    profile and growth levels with the next step, and an anonymised comparison."""
    data = _figures(db, None, None, None, None)  # every region: the document picks its own
    write_atomic(output, _document(data, year, region, municipality, style, fmt))
