"""`cgc flows`: what passed through a corridor, with a flow chart and a map, written to a directory."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click

from ..jobs.corridor import directory
from ..jobs.corridor_flows import corridor_flows
from ..output import make_dir, write_atomic
from ..today import today_nl
from . import main, options


@main.command("flows")
@click.argument("corridor_ref", metavar="CORRIDOR")
@click.option("--as-of", type=options.DATE, default=None, help="Allocations known on this day (default: today).")
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Directory for flows.json, the flow chart and the map (SVG and PNG).",
)
def flows_cmd(corridor_ref: str, as_of: date | None, out_dir: Path) -> None:
    """Tonnes through CORRIDOR per year, partner and category, tonne-km, the emission-free share and what
    was offered but not taken (with the reason), plus an alluvial chart and an offline map."""
    result = corridor_flows(directory(corridor_ref), as_of or today_nl())
    make_dir(out_dir)
    files = {
        "flows.json": (json.dumps(result.data(), indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode(),
        "corridor-flows.svg": result.chart.svg,
        "corridor-flows.png": result.chart.png,
        "corridor-map.svg": result.map.svg,
        "corridor-map.png": result.map.png,
    }
    for name, data in files.items():
        write_atomic(out_dir / name, data)
        click.echo(str(out_dir / name))
