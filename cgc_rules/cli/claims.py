"""`cgc claims`: a bid's corridor lines against the allocations, and claimed against delivered."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click

from ..jobs.claims import check
from ..today import today_nl
from . import main, options


@main.command("claims")
@click.argument("bid", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--corridor", "corridor_ref", required=True, metavar="NAME_OR_DIR", help="Corridor name or directory.")
@click.option("--tender-date", type=options.DATE, default=None, help="Allocations of this day (default: the bid's).")
@click.option("--as-of", type=options.DATE, default=None, help="Hub departures up to this day (default: today).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def claims_cmd(bid: Path, corridor_ref: str, tender_date: date | None, as_of: date | None, fmt: str) -> None:
    """Check the corridor lines BID claims (each counted as reused, the allocation as evidence) and compare
    claimed with delivered. Exit code 0: every claimed tonne left its hub; 1: a shortfall or a line no hub
    records; 2: a claim the corridor does not allocate to the project, or other bad input."""
    result = check(bid, corridor_ref, as_of or today_nl(), tender_date)
    data = result.data()
    if fmt == "json":
        click.echo(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True))
    else:
        from rich.table import Table

        from ..terminal import terminal_text as tt

        c = options.console()
        t = Table(title=f"{data['corridor']} · {data['project']} · {data['tender_date']}: claims")
        for col in ("material", "line", "claimed t", "allocated t", "counted as"):
            t.add_column(col)
        for x in data["claims"]:
            t.add_row(tt(x["material"]), tt(x["line"]), f"{x['claimed_t']:g}", f"{x['allocated_t']:g}", x["origin"])
        c.print(t)
        d = Table(title=f"claimed against delivered (hub departures up to {data['as_of']})")
        for col in ("line", "hub", "claimed t", "delivered t", "shortfall t"):
            d.add_column(col)
        for x in data["deliveries"]:
            shown = ["—" if v is None else f"{v:g}" for v in (x["delivered_t"], x["shortfall_t"])]
            d.add_row(tt(x["line"]), tt(x["hub"] or "direct"), f"{x['claimed_t']:g}", *shown)
        c.print(d)
    kept = all(d.shortfall == 0 for d in result.deliveries)
    raise SystemExit(0 if kept else 1)
