"""The corridor-flows job: monitoring figures of a corridor on a day, with its alluvial chart and map."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from ..corridor.charts import alluvial, vector_map
from ..corridor.flows import Flows, flows
from ..corridor.views import MatchView
from ..monitor.charts import Chart
from .corridor import match

Picture = Literal["flows", "map"]


@dataclass(frozen=True)
class CorridorFlows:
    """The figures of `corridor.flows` and the two pictures (SVG and PNG each)."""

    corridor: str
    as_of: date
    figures: Flows
    chart: Chart
    map: Chart

    def data(self) -> dict[str, Any]:
        f = self.figures
        return {
            "corridor": self.corridor,
            "as_of": self.as_of.isoformat(),
            **asdict(f),
            "emission_free_share": f.emission_free_share,
        }


def figures(view: MatchView) -> Flows:
    """The monitoring figures of a match already made (no pictures: cheap enough for every page view)."""
    return flows(view.corridor, view.findings, view.allocations)


def picture(corridor_dir: Path, as_of: date, which: Picture) -> Chart:
    """One of the two pictures of the corridor as of `as_of`: the flow chart or the map."""
    view = match(corridor_dir, as_of, "nl")
    if which == "flows":
        return alluvial(figures(view))
    return vector_map(view.corridor, view.allocations)


def corridor_flows(corridor_dir: Path, as_of: date) -> CorridorFlows:
    """What passed through the corridor as of `as_of`, drawn as a flow chart and a map."""
    view = match(corridor_dir, as_of, "nl")
    f = figures(view)
    return CorridorFlows(view.corridor.meta.id, as_of, f, alluvial(f), vector_map(view.corridor, view.allocations))
