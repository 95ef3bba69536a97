"""`cgc corridor`: candidate matches, allocations and alerts of a materials corridor."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click
from rich.table import Table

from . import main, options
from ..output import write_atomic


def _findings(corridor_ref: str, as_of: date | None):
    from ..corridor.allocate import allocate
    from ..corridor.engine import run
    from ..corridor.load import load_corridor, resolve_dir

    root = Path(__file__).resolve().parents[2] / "corridors"
    corridor = load_corridor(resolve_dir(corridor_ref, root))
    findings = run(corridor, as_of or date.today())
    return corridor, findings, allocate(corridor, findings.candidates)


@main.group()
def corridor() -> None:
    """Materials corridor: matches between projects, hubs and rules-of-play alerts."""


@corridor.command()
@click.argument("corridor_ref", metavar="CORRIDOR")
@click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]), help="Day to look from (default: today).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "html"]), default="table", show_default=True)
def match(corridor_ref: str, as_of, fmt: str) -> None:
    """Candidate matches, allocations (least tonne-km), refusals and alerts of CORRIDOR (name or directory)."""
    from ..corridor.views import as_data, calendar_html

    c, f, allocs = _findings(corridor_ref, as_of.date() if as_of else None)
    if fmt == "json":
        click.echo(json.dumps(as_data(c, f, allocs), indent=2, ensure_ascii=False, sort_keys=True))
        return
    if fmt == "html":
        click.echo(calendar_html(c, f, allocs))
        return
    con = options.console()
    if c.meta.example:
        con.print(f"[yellow]example data[/]: {c.meta.note or ''}")
    t = Table(title=f"{c.meta.id} as of {f.as_of} — allocations")
    for col in ("supply", "demand", "route", "t", "km", "tkm", "why"):
        t.add_column(col)
    for a in allocs:
        t.add_row(a.route.supply, a.route.demand, a.route.via or "direct", f"{a.tonnes:g}", f"{a.route.km:g}",
                  f"{a.tonne_km:g}", a.why)
    con.print(t)
    matched = {(r.supply, r.demand) for r in f.candidates}
    r = Table(title="refused (pairs without any valid route)")
    for col in ("supply", "demand", "route", "reason", "detail"):
        r.add_column(col)
    for x in f.refusals:
        if (x.route.supply, x.route.demand) not in matched:
            r.add_row(x.route.supply, x.route.demand, x.route.via or "direct", x.reason, x.detail)
    con.print(r)
    al = Table(title="alerts")
    for col in ("alert", "subject", "detail"):
        al.add_column(col)
    for a in f.alerts:
        al.add_row(a.kind, a.subject, a.detail)
    con.print(al)
    examples = [p.name for p in c.parameters.values() if p.example]
    if examples:
        con.print(f"[yellow]example values (not policy)[/]: {', '.join(sorted(examples))}")


@corridor.command()
@click.argument("corridor_ref", metavar="CORRIDOR")
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True, help="HTML file to write.")
@click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]), help="Day to look from (default: today).")
def calendar(corridor_ref: str, output: str, as_of) -> None:
    """Write the project calendar page (timeline, matches, schematic map), readable offline."""
    from ..corridor.views import calendar_html

    c, f, allocs = _findings(corridor_ref, as_of.date() if as_of else None)
    write_atomic(output, calendar_html(c, f, allocs))
    click.echo(f"wrote {output}")
