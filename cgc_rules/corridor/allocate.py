"""Sharing quantities among candidate routes: the most tonnes, then the fewest tonne-kilometres, hubs
within their capacity day by day.

The problem is a flow on a time-expanded network (`network`: merged lines as nodes, routes as arcs,
each hub a chain of days), solved exactly by `flow` (OR-Tools' maximum and minimum-cost flow; HiGHS by
column generation when a hub's capacity binds). Material through a hub stays there from the last day
it is available to the first day it is needed (`storage_days`), or for the one day it passes through
when the windows overlap. Tonnes are reported to the kilogram. `Plan` keeps the network and its
solution between solves: an unchanged set of candidates is not solved again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from ..collector import collector_paused
from ..i18n import Msg, Parts, Qty
from . import flow
from .findings import Route
from .load import Corridor
from .model import Demand, Supply
from .network import Network, build, split

Line = Supply | Demand
TOL = flow.TOL


@dataclass(frozen=True, order=True)
class FullHub:
    """A hub that was full while a route of this allocation's supply or demand would have used it."""

    hub: str
    capacity_t: float


@dataclass(frozen=True, order=True)
class Alternative:
    """Another candidate route for the same demand, and why the plan did not use it (more)."""

    route: Route
    lost: str  # longer | hub_full | supply_used | demand_met
    hub: str = ""  # hub_full: the full hub

    @property
    def msg(self) -> Msg:
        fields: dict[str, object] = {"route": self.route.key, "km": Qty(self.route.km, "km")}
        if self.lost == "hub_full":
            fields = {"route": self.route.key, "hub": self.hub}
        elif self.lost != "longer":
            fields = {"route": self.route.key}
        return Msg(f"corridor.lost.{self.lost}", fields)


@dataclass(frozen=True)
class Allocation:
    """Tonnes of one supply line sent to one demand line along one route, and the other donors' routes."""

    route: Route
    tonnes: float
    tonne_km: float
    rivals: tuple[Route, ...]  # best routes of other supply lines to the same demand, sorted
    full_hubs: tuple[FullHub, ...] = ()  # hubs that were full for this supply or demand, sorted
    alternatives: tuple[Alternative, ...] = ()  # other candidate routes to the same demand, sorted
    transport: tuple[tuple[str, str], ...] = ()  # (partner or hub, mode declared or "undeclared") per leg
    emission_free: bool | None = None  # every leg declared zero-emission; None when a leg is undeclared
    notes: tuple[Msg, ...] = ()  # what else the route means: a raised condition, a broken transport norm

    @property
    def msg(self) -> Msg:
        """The explanation as a catalogue message: route, storage, km, tkm, full hubs, other donors."""
        r = self.route
        how = (
            Msg("corridor.allocation.via_hub", {"hub": r.via, "days": r.storage_days})
            if r.via
            else Msg("corridor.allocation.direct")
        )
        full = Parts(
            Msg(
                "corridor.allocation.full",
                {
                    "hub": h.hub,
                    "capacity": Qty(h.capacity_t, "t"),
                    "then": (
                        Msg("corridor.allocation.then_direct")
                        if not r.via
                        else Msg("corridor.allocation.then_no_room")
                        if r.via == h.hub
                        else Msg("corridor.allocation.then_via", {"hub": r.via})
                    ),
                },
            )
            for h in self.full_hubs
        )
        alt = (
            Msg(
                "corridor.allocation.rivals",
                {
                    "others": [
                        Msg("corridor.allocation.rival", {"supply": x.supply, "km": Qty(x.km, "km")})
                        for x in self.rivals
                    ]
                },
            )
            if self.rivals
            else Msg("corridor.allocation.only_donor")
        )
        return Msg(
            "corridor.allocation.text",
            {
                "tonnes": Qty(self.tonnes, "t"),
                "supply": r.supply,
                "demand": r.demand,
                "how": how,
                "km": Qty(r.km, "km"),
                "tkm": Qty(self.tonne_km, "tkm"),
                "full": full,
                "alt": alt,
                "notes": Parts(self.notes),
            },
        )


def supply_line(lines: dict[str, Line], key: str) -> Supply:
    line = lines[key]
    assert isinstance(line, Supply)  # a route's supply key names a supply line
    return line


def demand_line(lines: dict[str, Line], key: str) -> Demand:
    line = lines[key]
    assert isinstance(line, Demand)  # a route's demand key names a demand line
    return line


def stay(route: Route, supply: Supply, demand: Demand) -> tuple[int, int]:
    """Days [first, after last) the route's material is in its hub."""
    if route.storage_days > 0:
        first = supply.available.end.toordinal()
        return first, first + route.storage_days
    first = max(supply.available.start, demand.needed.start).toordinal()
    return first, first + 1


class Plan:
    """The allocation problem of a set of candidates and its last solution."""

    def __init__(self, capacity: dict[str, float]):
        self.capacity = capacity
        self.routes: dict[str, Route] = {}
        self.stays: dict[str, tuple[int, int]] = {}
        self.hub_days: dict[str, list[int]] = {}  # hub -> sorted days material arrives or leaves
        self.through: dict[str, list[str]] = {}  # hub -> keys of its routes, sorted
        self.lines: dict[str, Line] = {}
        self.network: Network | None = None
        self.solution: flow.Solution | None = None
        self.solved: tuple[Network, flow.Solution] | None = None  # the last network solved, and its solution
        self.flows: dict[str, float] = {}
        self.solves = 0

    def put(self, routes: Iterable[Route], lines: dict[str, Line]) -> None:
        """Make the candidate routes exactly `routes` (with the current quantities and windows of their lines)."""
        target = {r.key: r for r in routes}
        used = {i: lines[i] for r in target.values() for i in (r.supply, r.demand)}
        if target == self.routes and used == self.lines:
            return
        changed = {i for i, line in used.items() if self.lines.get(i) is not line}
        old_routes, old_stays = self.routes, self.stays
        self.routes, self.lines, self.network = target, used, None
        self.stays = {
            k: old_stays[k]
            if old_routes.get(k) is r and r.supply not in changed and r.demand not in changed
            else stay(r, supply_line(used, r.supply), demand_line(used, r.demand))
            for k, r in target.items()
            if r.via
        }
        self.through = {}
        for k in sorted(self.stays):
            self.through.setdefault(target[k].via, []).append(k)
        self.hub_days = {
            h: np.unique([self.stays[k] for k in keys]).tolist() for h, keys in sorted(self.through.items())
        }

    def solve(self) -> dict[str, float]:
        """Tonnes per route key: the most tonnes, then the fewest tonne-km among those plans."""
        if self.network is None:
            before = self.solved
            self.network = build(self.routes, self.stays, self.lines, self.capacity)
            self.solution = flow.solve(self.network, before)
            self.solved = (self.network, self.solution)
            self.flows = split(self.network, self.solution.tonnes, self.lines)
            self.solves += 1
        return dict(self.flows)

    def hub_load(self, flows: dict[str, float]) -> dict[tuple[str, int], float]:
        """Tonnes in each hub on each day material arrives or leaves (until its next such day)."""
        out: dict[tuple[str, int], float] = {}
        for hub, days in self.hub_days.items():
            first, after = self._bounds(hub)
            tonnes = np.array([flows.get(k, 0.0) for k in self.through[hub]])
            load = np.zeros(len(days) + 1)
            np.add.at(load, first, tonnes)
            np.add.at(load, after, -tonnes)
            out.update({(hub, day): v for day, v in zip(days, np.cumsum(load).tolist(), strict=False)})
        return out

    def _bounds(self, hub: str) -> tuple[np.ndarray, np.ndarray]:
        """Positions in `hub_days[hub]` of the first day and the day after of each route through the hub."""
        stays = np.array([self.stays[k] for k in self.through[hub]], np.int64).reshape(-1, 2)
        days = np.array(self.hub_days[hub], np.int64)
        return np.searchsorted(days, stays[:, 0]), np.searchsorted(days, stays[:, 1])

    def full_during(self, load: dict[tuple[str, int], float]) -> set[str]:
        """Keys of the hub routes during whose stay their hub was at capacity on some day."""
        out: set[str] = set()
        for hub, days in self.hub_days.items():
            full = np.array([load[(hub, t)] >= self.capacity[hub] - TOL for t in days])
            count = np.r_[0, np.cumsum(full)]
            first, after = self._bounds(hub)
            out.update(k for k, f in zip(self.through[hub], (count[after] > count[first]).tolist(), strict=True) if f)
        return out


def allocate(
    corridor: Corridor, candidates: list[Route], plan: Plan | None = None, lines: dict[str, Line] | None = None
) -> list[Allocation]:
    """Allocations sorted by supply, demand, hub; no hub holds more than its capacity on any day.

    `plan`: a plan solved before; it is changed in place and solved again when its candidates or
    their lines changed.
    """
    if lines is None:
        both: tuple[Line, ...] = (*corridor.supply, *corridor.demand)
        lines = {ln.id: ln for ln in both}
    plan = plan or Plan({h.id: h.capacity_t for h in corridor.hubs.values()})
    with collector_paused():
        plan.put(candidates, lines)
        flows = plan.solve()
        return explain(corridor, plan, flows, lines)


def _legs(corridor: Corridor, r: Route, lines: dict[str, Line], modes: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """Who moves the material on each leg and how: the donor's partner, then the hub (`modes`: per partner)."""
    donor = corridor.projects[lines[r.supply].project].partner
    legs = [(donor, modes[donor])]
    if r.via:
        legs.append((r.via, corridor.hubs[r.via].transport or "undeclared"))
    return tuple(legs)


def _order(r: Route) -> tuple[str, str, str]:
    """Route order for routes with distinct keys (supply, via, demand): cheaper than comparing Routes."""
    return r.supply, r.demand, r.via


def explain(corridor: Corridor, plan: Plan, flows: dict[str, float], lines: dict[str, Line]) -> list[Allocation]:
    """Each route with tonnes as an allocation with its rivals, the full hubs it met and its lost alternatives."""
    routes = sorted(plan.routes.items(), key=lambda kr: _order(kr[1]))
    best: dict[tuple[str, str], Route] = {}  # (supply, demand) -> its shortest route (then by hub), in that order
    for _, r in routes:
        b = best.get((r.supply, r.demand))
        if b is None or (r.km, r.via) < (b.km, b.via):
            best[(r.supply, r.demand)] = r
    rivals: dict[str, list[Route]] = {}  # demand -> each supply line's best route to it, in Route order
    place: dict[tuple[str, str], int] = {}  # (supply, demand) -> place of its best route among the demand's rivals
    for pair, r in best.items():
        place[pair] = len(rivals.setdefault(r.demand, []))
        rivals[r.demand].append(r)
    rival = {d: tuple(rs) for d, rs in rivals.items()}
    used: dict[str, float] = {}
    for k, t in flows.items():
        r = plan.routes[k]
        used[r.supply] = used.get(r.supply, 0.0) + t
        used[r.demand] = used.get(r.demand, 0.0) + t
    full_at = plan.full_during(plan.hub_load(flows))
    quantity = {i: line.quantity for i, line in lines.items()}
    spent = {i for i, t in used.items() if t >= quantity[i] - TOL}  # lines that gave or got all they have
    modes: dict[str, str] = {p.id: p.transport or "undeclared" for p in corridor.meta.partners}
    setting = corridor.parameters.get("emission_free_transport")
    norm = bool(setting and setting.value is True)
    # demand -> its routes with room left, in Route order: key, km, and why each was not used (more) when the
    # chosen route is no longer than it, and when it is longer (the same unless both supply and hub had room)
    to_demand: dict[str, list[tuple[str, float, Alternative, Alternative]]] = {}
    full_for: dict[str, set[str]] = {}  # line id -> hubs full while a route of it wanted more room
    for k, x in routes:
        if flows.get(k, 0.0) >= min(quantity[x.supply], quantity[x.demand]) - TOL:
            continue  # the route carries all it could
        if k in full_at:
            full_for.setdefault(x.supply, set()).add(x.via)
            full_for.setdefault(x.demand, set()).add(x.via)
            longer = shorter = Alternative(x, "hub_full", x.via)
        elif x.supply in spent:
            longer = shorter = Alternative(x, "supply_used")
        else:
            longer, shorter = Alternative(x, "longer"), Alternative(x, "demand_met")
        to_demand.setdefault(x.demand, []).append((k, x.km, longer, shorter))
    out: list[Allocation] = []
    for key, tonnes in flows.items():
        r = plan.routes[key]
        them, at = rival[r.demand], place[(r.supply, r.demand)]
        others = them[:at] + them[at + 1 :]
        full = tuple(
            FullHub(h, corridor.hubs[h].capacity_t)
            for h in sorted(full_for.get(r.supply, set()) | full_for.get(r.demand, set()))
        )
        alts = tuple(  # sorted: by route first
            longer if km >= r.km else shorter for k, km, longer, shorter in to_demand.get(r.demand, ()) if k != key
        )
        legs = _legs(corridor, r, lines, modes)
        clean = (
            False
            if any(m == "combustion" for _, m in legs)
            else None
            if any(m == "undeclared" for _, m in legs)
            else True
        )
        notes: list[Msg] = []
        if r.raised:
            hub = corridor.hubs[r.via]
            step = next(x for x in hub.raises if x.category == lines[r.supply].category and x.to.value == r.raised)
            notes.append(
                Msg(
                    "corridor.allocation.raised",
                    {
                        "hub": r.via,
                        "before": Msg(f"corridor.quality.{supply_line(lines, r.supply).condition.value}"),
                        "after": Msg(f"corridor.quality.{r.raised}"),
                        "process": step.process,
                    },
                )
            )
        if clean is False and norm:
            notes.append(
                Msg(
                    "corridor.allocation.not_emission_free",
                    {
                        "legs": [
                            Msg("corridor.allocation.leg", {"by": by, "mode": Msg(f"corridor.mode.{m}")})
                            for by, m in legs
                        ]
                    },
                )
            )
        out.append(Allocation(r, tonnes, round(tonnes * r.km, 1), others, full, alts, legs, clean, tuple(notes)))
    return sorted(out, key=lambda a: (a.route.supply, a.route.demand, a.route.via))
