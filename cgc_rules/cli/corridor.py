"""`cgc corridor`: candidate matches, allocations and alerts of a materials corridor."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import click

from ..collector import collector_paused
from ..output import write_atomic
from ..today import today_nl
from . import main, options


@main.group()
def corridor() -> None:
    """Materials corridor: matches between projects, hubs and rules-of-play alerts."""


_lang = options.lang_option("Language of what partners read (tables, page, JSON `text` fields).")


@corridor.command()
@click.argument("corridor_ref", metavar="CORRIDOR")
@click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]), help="Day to look from (default: today).")
@options.output_format("corridor")
@click.option("--pretty", is_flag=True, help="JSON indented by two spaces (default: compact).")
@_lang
def match(corridor_ref: str, as_of: datetime | None, fmt: str, pretty: bool, lang: str) -> None:
    """Candidate matches, allocations (least tonne-km), refusals and alerts of CORRIDOR (name or directory).

    JSON is written as it is produced, compact unless --pretty.
    """
    from ..jobs.engine import start_corridor_engine

    start_corridor_engine()  # while the corridor job's modules load
    from ..jobs import corridor as job

    # the cyclic collector would walk the match's records again and again while they are in use, freeing nothing
    # (≈ 60 ms of CPU at 20,000 lines, and as much once more after): it waits for the match and the compact JSON,
    # and what they made is kept until the process ends; the indented JSON and the table make cycles, so they run
    # with it
    compact = fmt == "json" and not pretty
    with collector_paused(keep=compact):
        view = job.match(job.directory(corridor_ref), as_of.date() if as_of else today_nl(), lang)
        if compact:
            _echo(job.json_chunks(view))
    if fmt == "json" and pretty:
        _echo(job.json_chunks(view, pretty))
    elif not compact:
        options.emit("corridor", fmt, view, None)


def _echo(chunks: Iterator[str]) -> None:
    for chunk in chunks:
        click.echo(chunk, nl=False)


@corridor.command()
@click.argument("corridor_ref", metavar="CORRIDOR")
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True, help="HTML file to write.")
@click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]), help="Day to look from (default: today).")
@click.option("--partner", help="Only projects of this partner (id).")
@click.option("--category", help="Only lines of this material category.")
@click.option(
    "--from", "start", type=click.DateTime(["%Y-%m-%d"]), help="Only lines whose window ends on or after this day."
)
@click.option(
    "--to", "end", type=click.DateTime(["%Y-%m-%d"]), help="Only lines whose window starts on or before this day."
)
@click.option(
    "--per-page",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Projects per page; further pages are written beside OUTPUT as NAME-2.html, … (0: one page).",
)
@_lang
def calendar(
    corridor_ref: str,
    output: str,
    as_of: datetime | None,
    partner: str | None,
    category: str | None,
    start: datetime | None,
    end: datetime | None,
    per_page: int,
    lang: str,
) -> None:
    """Write the project calendar page(s) (timeline, matches, schematic map), readable offline."""
    from ..jobs.engine import start_corridor_engine

    start_corridor_engine()  # while the corridor job's modules load
    from ..jobs import corridor as job

    view = job.CalendarView(partner, category, start.date() if start else None, end.date() if end else None, per_page)
    out = Path(output)
    day = as_of.date() if as_of else today_nl()
    for name, page in job.calendar(job.directory(corridor_ref), day, lang, view, out.stem):
        write_atomic(out.with_name(name), page)
        click.echo(f"wrote {out.with_name(name)}")


@corridor.command()
@click.argument("corridor_ref", metavar="CORRIDOR")
@click.argument("event_file", metavar="EVENT", type=click.Path(dir_okay=False))
@click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]), help="Day to look from afterwards (default: today).")
@_lang
def post(corridor_ref: str, event_file: str, as_of: datetime | None, lang: str) -> None:
    """Append the event(s) in EVENT (YAML or JSON: one event, or `events:`) to CORRIDOR's events file.

    Events are checked against the corridor first; the file is replaced atomically. Then the
    alerts as of --as-of are shown.
    """
    from ..jobs.engine import start_corridor_engine

    start_corridor_engine()  # while the corridor job's modules load
    from ..jobs import corridor as job

    posted = job.post(job.directory(corridor_ref), Path(event_file), as_of.date() if as_of else today_nl())
    click.echo(f"posted {posted.events} event(s) to {posted.target}")
    for line in posted.alert_lines(lang):
        click.echo(line)
