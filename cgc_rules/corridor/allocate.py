"""Sharing quantities among candidate matches at the least tonne-kilometres (networkx min-cost flow).

Quantities are whole units of 0.1 t and costs whole units of 0.1 km, so the flow is exact in
integers. Unmet demand is allowed at a cost higher than any route, so the flow first moves as
much material as it can and then, among those plans, the one with the fewest tonne-kilometres.
Hub capacity is not a constraint of the allocation; the capacity alert watches it.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from .findings import Route
from .load import Corridor
from .texts import allocation_text

SCALE_T = 10  # units per tonne
SCALE_KM = 10  # units per km


@dataclass(frozen=True)
class Allocation:
    """Tonnes of one supply line sent to one demand line along one route, and the other donors' routes."""

    route: Route
    tonnes: float
    tonne_km: float
    rivals: tuple[Route, ...]  # best routes of other supply lines to the same demand, sorted

    @property
    def why(self) -> str:
        """The explanation in English (the JSON's machine-readable `why`)."""
        return allocation_text(self, "en")


def allocate(corridor: Corridor, candidates: list[Route]) -> list[Allocation]:
    """Allocations sorted by supply, demand; each pair uses its shortest valid route.

    Categories never share a line, so each category is solved as its own (smaller) flow problem.
    """
    best: dict[tuple[str, str], Route] = {}
    for r in sorted(candidates, key=lambda r: (r.km, r.via)):
        best.setdefault((r.supply, r.demand), r)
    lines = {**{s.id: s for s in corridor.supply}, **{d.id: d for d in corridor.demand}}
    by_category: dict[str, dict[tuple[str, str], Route]] = {}
    for pair, r in best.items():
        by_category.setdefault(lines[r.supply].category, {})[pair] = r
    rivals: dict[str, list[Route]] = {}
    for r in best.values():
        rivals.setdefault(r.demand, []).append(r)
    out: list[Allocation] = []
    for category in sorted(by_category):
        pairs = by_category[category]
        for (s, d), units in _flow(pairs, {i: round(lines[i].quantity * SCALE_T) for pair in pairs for i in pair}).items():
            r = pairs[(s, d)]
            tonnes = units / SCALE_T
            others = tuple(sorted(x for x in rivals[d] if x.supply != r.supply))
            out.append(Allocation(r, tonnes, round(tonnes * r.km, 1), others))
    return sorted(out, key=lambda a: (a.route.supply, a.route.demand))


def _flow(pairs: dict[tuple[str, str], Route], qty: dict[str, int]) -> dict[tuple[str, str], int]:
    """Units sent along each pair: most material first, then fewest tonne-km (min-cost flow)."""
    sup_ids = sorted({s for s, _ in pairs})
    dem_ids = sorted({d for _, d in pairs})
    top = max(round(r.km * SCALE_KM) for r in pairs.values()) + 1
    g = nx.DiGraph()
    g.add_node("spill", demand=sum(qty[s] for s in sup_ids))
    g.add_node("short", demand=-sum(qty[d] for d in dem_ids))
    g.add_edge("short", "spill", weight=0)
    for s in sup_ids:
        g.add_node(("s", s), demand=-qty[s])
        g.add_edge(("s", s), "spill", weight=0)
    for d in dem_ids:
        g.add_node(("d", d), demand=qty[d])
        g.add_edge("short", ("d", d), weight=top * 1000)
    for (s, d), r in sorted(pairs.items()):
        g.add_edge(("s", s), ("d", d), weight=round(r.km * SCALE_KM))
    flow = nx.min_cost_flow(g)
    return {(s, d): flow[("s", s)][("d", d)] for (s, d) in sorted(pairs) if flow[("s", s)].get(("d", d), 0) > 0}
