"""`cgc corridor`: candidate matches, allocations and alerts of a materials corridor."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..output import write_atomic
from ..resources import bundled
from . import main, options

if TYPE_CHECKING:
    from rich.console import Console

    from ..corridor.allocate import Allocation
    from ..corridor.engine import Findings
    from ..corridor.load import Corridor


def _findings(corridor_ref: str, as_of: date | None):
    from ..corridor.allocate import allocate
    from ..corridor.engine import current
    from ..corridor.load import load_corridor, resolve_dir

    corridor, findings = current(load_corridor(resolve_dir(corridor_ref, bundled("corridors"))), as_of or date.today())
    return corridor, findings, allocate(corridor, findings.candidates)


@main.group()
def corridor() -> None:
    """Materials corridor: matches between projects, hubs and rules-of-play alerts."""


_lang = options.lang_option("Language of what partners read (tables, page, JSON `text` fields).")


@corridor.command()
@click.argument("corridor_ref", metavar="CORRIDOR")
@click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]), help="Day to look from (default: today).")
@options.output_format("corridor")
@_lang
def match(corridor_ref: str, as_of, fmt: str, lang: str) -> None:
    """Candidate matches, allocations (least tonne-km), refusals and alerts of CORRIDOR (name or directory)."""
    c, f, allocs = _findings(corridor_ref, as_of.date() if as_of else None)
    options.emit("corridor", fmt, MatchView(c, f, allocs, lang), None)


@dataclass(frozen=True)
class MatchView:
    """What `corridor match` shows: the corridor, its findings and allocations, in one language."""

    corridor: Corridor
    findings: Findings
    allocations: list[Allocation]
    lang: str


def match_json(view: MatchView) -> str:
    from ..corridor.views import as_data

    data = as_data(view.corridor, view.findings, view.allocations, view.lang)
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def match_html(view: MatchView) -> str:
    from ..corridor.views import calendar_html

    return calendar_html(view.corridor, view.findings, view.allocations, view.lang) + "\n"


def print_match(view: MatchView, con: Console) -> None:
    """The tables of `corridor match`: allocations, refusals, alerts."""
    from rich.table import Table

    from ..corridor.texts import Labels, alert_kind, alert_text, allocation_text, reason, refusal_text
    from ..corridor.views import unmatched_refusals
    from ..numbers import notation
    from ..terminal import terminal_text

    def row(*values: str) -> list[str]:  # values from the corridor's files: markup escaped, shortened
        return [terminal_text(v) for v in values]

    c, f, allocs, lang = view.corridor, view.findings, view.allocations, view.lang
    n, label = notation(lang), Labels(lang)
    if c.meta.example:
        con.print(f"[yellow]{label['example_data']}[/]: {terminal_text(c.meta.note.get(lang) if c.meta.note else '')}")
    t = Table(title=f"{c.meta.id} · {label['as_of'].lower()} {n.date(f.as_of)} — {label['allocations'].lower()}")
    for col in (label["supply"], label["demand"], label["route"], "t", "km", "tkm", label["why"]):
        t.add_column(col)
    for a in allocs:
        t.add_row(
            *row(
                a.route.supply,
                a.route.demand,
                a.route.via or label["direct"],
                n.num(a.tonnes, 1),
                n.num(a.route.km, 1),
                n.num(a.tonne_km, 1),
                allocation_text(a, lang),
            )
        )
    con.print(t)
    r = Table(title=label["refusals"])
    for col in (label["supply"], label["demand"], label["route"], label["reason"], label["why"]):
        r.add_column(col)
    for x in unmatched_refusals(f):
        r.add_row(
            *row(
                x.route.supply,
                x.route.demand,
                x.route.via or label["direct"],
                reason(x.reason, lang),
                refusal_text(x, lang),
            )
        )
    con.print(r)
    al = Table(title=label["alerts"])
    for col in (label["alert"], label["subject"], label["why"]):
        al.add_column(col)
    for a in f.alerts:
        al.add_row(*row(alert_kind(a.kind, lang), a.subject, alert_text(a, lang)))
    con.print(al)
    examples = [p.name for p in c.parameters.values() if p.example]
    if examples:
        con.print(f"[yellow]{label['example_values']}[/]: {', '.join(sorted(examples))}")


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
def calendar(corridor_ref: str, output: str, as_of, partner, category, start, end, per_page: int, lang: str) -> None:
    """Write the project calendar page(s) (timeline, matches, schematic map), readable offline."""
    from ..corridor.views import CalendarView, calendar_pages

    c, f, allocs = _findings(corridor_ref, as_of.date() if as_of else None)
    view = CalendarView(partner, category, start.date() if start else None, end.date() if end else None, per_page)
    out = Path(output)
    for name, page in calendar_pages(c, f, allocs, lang, view, out.stem):
        write_atomic(out.with_name(name), page)
        click.echo(f"wrote {out.with_name(name)}")


@corridor.command()
@click.argument("corridor_ref", metavar="CORRIDOR")
@click.argument("event_file", metavar="EVENT", type=click.Path(dir_okay=False))
@click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]), help="Day to look from afterwards (default: today).")
@_lang
def post(corridor_ref: str, event_file: str, as_of, lang: str) -> None:
    """Append the event(s) in EVENT (YAML or JSON: one event, or `events:`) to CORRIDOR's events file.

    Events are checked against the corridor first; the file is replaced atomically. Then the
    alerts as of --as-of are shown.
    """
    from ..corridor.engine import current
    from ..corridor.load import load_corridor, resolve_dir
    from ..corridor.store import post as post_events
    from ..corridor.texts import alert_kind, alert_text

    d = resolve_dir(corridor_ref, bundled("corridors"))
    _, events, target = post_events(d, Path(event_file))
    click.echo(f"posted {len(events)} event(s) to {target}")
    _, findings = current(load_corridor(d), as_of.date() if as_of else date.today())
    for a in findings.alerts:
        click.echo(f"{alert_kind(a.kind, lang)}: {a.subject}: {alert_text(a, lang)}")
