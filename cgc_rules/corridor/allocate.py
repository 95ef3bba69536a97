"""Sharing quantities among candidate matches at the least tonne-kilometres (networkx min-cost flow).

Quantities are whole units of 0.1 t and costs whole units of 0.1 km, so the flow is exact in
integers. Unmet demand is allowed at a cost higher than any route, so the flow first moves as
much material as it can and then, among those plans, the one with the fewest tonne-kilometres.

Hub capacity: everything a plan routes through a hub counts against its `capacity_t` as if it
were all there at once (routes carry no dates, so this total is conservative). A shared cap over
many supply-to-demand routes is not a flow network (one hub node would let any donor reach any
receiver through it), so hubs over capacity are settled one at a time, by id: a toll per tonne
through the hub, the lowest that makes the plan fit, decides which routes keep their places;
those routes are capped at what they carry then, any capacity left goes to the routes that
carried more at one unit of toll less (shortest first), and the flow is solved again without
toll. A settled hub stays capped, so each hub is settled at most once. With one full hub the
plan is the least-tonne-km one when the fitting toll fills the hub exactly; otherwise, and
with several full hubs, it is good but not always the best (the exact problem is a linear
programme, not a flow).
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from .findings import Route
from .load import Corridor
from .texts import allocation_text

SCALE_T = 10  # units per tonne
SCALE_KM = 10  # units per km


@dataclass(frozen=True, order=True)
class FullHub:
    """A hub whose capacity kept some of an allocation's supply or demand from going through it."""

    hub: str
    capacity_t: float


@dataclass(frozen=True)
class Allocation:
    """Tonnes of one supply line sent to one demand line along one route, and the other donors' routes."""

    route: Route
    tonnes: float
    tonne_km: float
    rivals: tuple[Route, ...]  # best routes of other supply lines to the same demand, sorted
    full_hubs: tuple[FullHub, ...] = ()  # hubs that were full for this supply or demand, sorted

    @property
    def why(self) -> str:
        """The explanation in English (the JSON's machine-readable `why`)."""
        return allocation_text(self, "en")


def allocate(corridor: Corridor, candidates: list[Route]) -> list[Allocation]:
    """Allocations sorted by supply, demand, hub; no hub gets more than its capacity.

    Lines that no chain of routes links never compete, so each connected group of lines is its
    own (smaller) flow problem; only hub capacity ties groups together.
    """
    routes = sorted(set(candidates), key=lambda r: (r.supply, r.demand, r.km, r.via))
    lines = {**{s.id: s for s in corridor.supply}, **{d.id: d for d in corridor.demand}}
    qty = {r_id: round(lines[r_id].quantity * SCALE_T) for r in routes for r_id in (r.supply, r.demand)}
    groups = _groups(routes)
    best: dict[tuple[str, str], Route] = {}
    for r in routes:
        best.setdefault((r.supply, r.demand), r)
    rivals: dict[str, list[Route]] = {}
    for r in best.values():
        rivals.setdefault(r.demand, []).append(r)

    caps: dict[str, int] = {}  # route key -> most units it may carry
    hit: dict[str, set[str]] = {}  # line id -> full hubs that turned some of its material away
    unmet = (max((round(r.km * SCALE_KM) for r in routes), default=0) + 1) * 1000  # above any saving
    flows = {g: _flow(rs, qty, unmet, caps) for g, rs in groups.items()}
    while over := _over_capacity(corridor, routes, flows):
        hub, capacity = over[0], round(corridor.hubs[over[0]].capacity_t * SCALE_T)
        through = [r for r in routes if r.via == hub]
        keys = {r.key for r in through}
        now = {key: u for f in flows.values() for key, u in f.items() if key in keys}
        group_of = {r.key: g for g, rs in groups.items() for r in rs if r.via == hub}
        tied = {g: groups[g] for g in sorted({group_of[r.key] for r in through})}
        caps.update(_share(through, *_priced(tied, qty, unmet, caps, hub, capacity), qty, capacity))
        for r in through:
            if now.get(r.key, 0) > caps[r.key]:
                hit.setdefault(r.supply, set()).add(hub)
                hit.setdefault(r.demand, set()).add(hub)
        flows.update({g: _flow(rs, qty, unmet, caps) for g, rs in tied.items()})

    by_key = {r.key: r for r in routes}
    out: list[Allocation] = []
    for f in flows.values():
        for key, units in f.items():
            r = by_key[key]
            tonnes = units / SCALE_T
            others = tuple(sorted(x for x in rivals[r.demand] if x.supply != r.supply))
            full_ids = sorted(hit.get(r.supply, set()) | hit.get(r.demand, set()))
            full = tuple(FullHub(h, corridor.hubs[h].capacity_t) for h in full_ids)
            out.append(Allocation(r, tonnes, round(tonnes * r.km, 1), others, full))
    return sorted(out, key=lambda a: (a.route.supply, a.route.demand, a.route.via))


def _groups(routes: list[Route]) -> dict[int, list[Route]]:
    """Routes by connected group of lines, numbered in the order their first route comes."""
    g = nx.Graph()
    g.add_edges_from((("s", r.supply), ("d", r.demand)) for r in routes)
    group = {node: i for i, comp in enumerate(nx.connected_components(g)) for node in comp}
    out: dict[int, list[Route]] = {}
    for r in routes:
        out.setdefault(group[("s", r.supply)], []).append(r)
    return out


def _over_capacity(corridor: Corridor, routes: list[Route], flows: dict[int, dict[str, int]]) -> list[str]:
    """Hubs, sorted, through which the plan sends more units than they hold."""
    load: dict[str, int] = {}
    via = {r.key: r.via for r in routes}
    for f in flows.values():
        for key, units in f.items():
            if via[key]:
                load[via[key]] = load.get(via[key], 0) + units
    return sorted(h for h, units in load.items() if units > round(corridor.hubs[h].capacity_t * SCALE_T))


def _priced(tied: dict[int, list[Route]], qty: dict[str, int], unmet: int, caps: dict[str, int], hub: str,
            capacity: int) -> tuple[dict[str, int], dict[str, int]]:
    """Units per route of `hub` with the lowest toll per unit through it that makes the plan fit,
    and with one unit of toll less (the last plan over capacity).

    The toll (found by bisection) lets the flow give the hub's places to the routes that save the
    most tonne-km over their alternatives; a toll above the cost of leaving demand unmet empties
    the hub, so a fitting toll always exists. Called only when the plan without toll does not fit.
    """
    keys = {r.key for rs in tied.values() for r in rs if r.via == hub}

    def tolled(toll: int) -> dict[str, int]:
        return {k: u for rs in tied.values() for k, u in _flow(rs, qty, unmet, caps, hub, toll).items() if k in keys}

    low, high = 1, 2 * unmet
    while low < high:
        mid = (low + high) // 2
        if sum(tolled(mid).values()) <= capacity:
            high = mid
        else:
            low = mid + 1
    return tolled(low), tolled(low - 1)


def _share(through: list[Route], fit: dict[str, int], over: dict[str, int], qty: dict[str, int],
           capacity: int) -> dict[str, int]:
    """Caps for a hub's routes: what each carries in the fitting plan, and the capacity left to the
    routes that carried more in the plan over capacity, shortest first (ties by supply, demand)."""
    caps = {r.key: fit.get(r.key, 0) for r in through}
    left = capacity - sum(caps.values())
    for r in sorted(through, key=lambda r: (over.get(r.key, 0) <= caps[r.key], r.km, r.supply, r.demand)):
        extra = max(min(min(qty[r.supply], qty[r.demand]) - caps[r.key], left), 0)
        caps[r.key] += extra
        left -= extra
    return caps


def _flow(routes: list[Route], qty: dict[str, int], unmet: int, caps: dict[str, int], hub: str = "",
          toll: int = 0) -> dict[str, int]:
    """Units sent along each route key: most material first, then fewest tonne-km (min-cost flow).

    A unit of demand left unmet costs `unmet`, the same in every group, so tolls compare
    across groups; `toll` is added per unit to the cost of routes through `hub`.
    """
    sup_ids = sorted({r.supply for r in routes})
    dem_ids = sorted({r.demand for r in routes})
    g = nx.DiGraph()
    g.add_node("spill", demand=sum(qty[s] for s in sup_ids))
    g.add_node("short", demand=-sum(qty[d] for d in dem_ids))
    g.add_edge("short", "spill", weight=0)
    for s in sup_ids:
        g.add_node(("s", s), demand=-qty[s])
        g.add_edge(("s", s), "spill", weight=0)
    for d in dem_ids:
        g.add_node(("d", d), demand=qty[d])
        g.add_edge("short", ("d", d), weight=unmet)
    for r in routes:
        cap = {"capacity": caps[r.key]} if r.key in caps else {}
        weight = round(r.km * SCALE_KM) + (toll if hub and r.via == hub else 0)
        g.add_edge(("s", r.supply), ("r", r.key), weight=weight, **cap)
        g.add_edge(("r", r.key), ("d", r.demand), weight=0)
    flow = nx.min_cost_flow(g)
    return {r.key: flow[("s", r.supply)][("r", r.key)] for r in routes if flow[("s", r.supply)][("r", r.key)] > 0}
