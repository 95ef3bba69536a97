"""Sharing quantities among candidate routes: an exact linear programme (HiGHS) on a time-expanded network.

One column per candidate route (tonnes along it); each supply and each demand line gives at
most its quantity. Material through a hub stays there from the last day it is available to the
first day it is needed (`storage_days`), or for the one day it passes through when the windows
overlap. Each hub is a chain of days: a balance row on every day material arrives or leaves
(occupancy = occupancy of the day before + arrivals - departures) and an occupancy column per
day, bounded by `capacity_t`, so a route touches its hub on two rows only, not on every day of
its stay, and the hub holds at most its capacity on every day.

Lexicographic: the first model maximises the tonnes matched; the second fixes that total (a row
`sum >= T*`) and minimises tonne-kilometres. Both are exact LP optima; tonnes are reported to
the kilogram. A large first solve runs the interior point method with crossover; the second
model starts from the first one's plan (primal simplex). `Plan` keeps both models between
solves: a changed set of candidates changes columns and rows in place and each model starts
from its own last basis.
"""

from __future__ import annotations

import ctypes
import os
import sys
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass

import highspy
import numpy as np

from ..collector import collector_paused
from ..i18n import Msg, Parts, Qty
from .findings import Route
from .load import Corridor
from .model import Demand, Supply

Line = Supply | Demand
RowKey = tuple[str | int, ...]  # ("s", id) | ("d", id) | ("h", hub, day) | ("total",)
INF = highspy.kHighsInf
TOL = 1e-6  # tonnes: what the solver's tolerances may leave below the best total
INTERIOR_FROM = 20_000  # columns from which a first solve may run the interior point method,
ROUTES_PER_ROW = 2  # when there are at least this many columns per row (clustered corridors)


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


def _highs() -> highspy.Highs:
    """A silent solver. The first one in a process prints a banner on the C stdout: it goes to /dev/null."""
    sys.stdout.flush()
    saved, null = os.dup(1), os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 1)
        h = highspy.Highs()  # type: ignore[no-untyped-call]  # highspy leaves Highs.__init__ unannotated
        h.silent()
        ctypes.CDLL(None).fflush(None)
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(null)
    return h


def _supply(lines: dict[str, Line], key: str) -> Supply:
    line = lines[key]
    assert isinstance(line, Supply)  # a route's supply key names a supply line
    return line


def _demand(lines: dict[str, Line], key: str) -> Demand:
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
    """The allocation problem of a set of candidates, kept so that a change re-solves from the last basis."""

    def __init__(self, capacity: dict[str, float]):
        self.capacity = capacity
        self.most, self.least = _highs(), _highs()  # the two objectives, each kept with its own last basis
        self.models = (self.most, self.least)
        self.cols: dict[str, int] = {}  # route key -> column
        self.routes: dict[str, Route] = {}
        self.stays: dict[str, tuple[int, int]] = {}
        self.rows: dict[RowKey, int] = {}  # ("s", id) | ("d", id) | ("h", hub, day) -> row
        self.hub_days: dict[str, list[int]] = {}  # hub -> sorted days with a row (material arrives or leaves)
        self.occupancy: dict[tuple[str, int], int] = {}  # (hub, day) -> column of its occupancy from that day
        self.through: dict[str, set[str]] = {}  # hub -> keys of its live routes
        self.quantity: dict[str, float] = {}
        self.free: list[int] = []  # columns of withdrawn routes, kept at zero
        self.total_row = self._add_row(("total",), 0.0, INF, [], [])
        self.solves = 0

    # ------------------------------------------------------------------ model changes

    def _add_row(self, key: RowKey, lower: float, upper: float, cols: list[int], vals: list[float]) -> int:
        for h in self.models:
            h.addRow(lower, upper, len(cols), np.array(cols, dtype=np.int32), np.array(vals, dtype=float))
        self.rows[key] = self.most.getNumRow() - 1
        return self.rows[key]

    def _empty_rows(self, rows: dict[RowKey, tuple[float, float]]) -> None:
        """Add rows without entries in one call: key -> (lower, upper)."""
        if not rows:
            return
        n0 = self.most.getNumRow()
        bounds = list(rows.values())
        for h in self.models:
            h.addRows(
                len(rows),
                np.array([b[0] for b in bounds]),
                np.array([b[1] for b in bounds]),
                0,
                np.zeros(len(rows), dtype=np.int32),
                np.zeros(0, dtype=np.int32),
                np.zeros(0),
            )
        self.rows.update({key: n0 + i for i, key in enumerate(rows)})

    def _line_rows(self, lines: Iterable[tuple[str, Line]]) -> None:
        """A row per supply (`s`) or demand (`d`) line: at most its quantity (changed in place when it changes)."""
        new: dict[RowKey, tuple[float, float]] = {}
        for side, line in lines:
            key = (side, line.id)
            if key not in self.rows:
                new[key] = (0.0, line.quantity)
            elif self.quantity.get(line.id) != line.quantity:
                for h in self.models:
                    h.changeRowBounds(self.rows[key], 0.0, line.quantity)
            self.quantity[line.id] = line.quantity
        self._empty_rows(new)

    def _hub_rows(self, wanted: set[tuple[str, int]]) -> None:
        """Balance rows of hubs on the days material arrives or leaves, chained by occupancy columns.

        The occupancy column of day `t` holds the tonnes in the hub from `t` to the hub's next day with
        a row, bounded by its capacity; the row of day `t` reads: occupancy(t) = occupancy(previous day)
        + arrivals(t) - departures(t). A new day between two others takes over the later part of the
        earlier day's interval: the next day's row then reads the new occupancy column instead."""
        for hub, day in sorted(wanted):
            key = ("h", hub, day)
            if key in self.rows:
                continue
            days = self.hub_days.setdefault(hub, [])
            at = bisect_left(days, day)
            col = self.most.getNumCol()
            for h in self.models:
                h.addCol(0.0, 0.0, self.capacity[hub], 0, np.zeros(0, np.int32), np.zeros(0))
            cols, vals = [col], [1.0]
            if at > 0:
                cols.append(self.occupancy[(hub, days[at - 1])])
                vals.append(-1.0)
            self._add_row(key, 0.0, 0.0, cols, vals)
            if at < len(days):
                later = self.rows[("h", hub, days[at])]
                for h in self.models:
                    if at > 0:
                        h.changeCoeff(later, self.occupancy[(hub, days[at - 1])], 0.0)
                    h.changeCoeff(later, col, -1.0)
            self.occupancy[(hub, day)] = col
            days.insert(at, day)

    def put(self, routes: Iterable[Route], lines: dict[str, Line]) -> None:
        """Make the candidate routes exactly `routes` (with the current quantities and windows of their lines)."""
        target = {r.key: r for r in routes}
        stays = {k: stay(r, _supply(lines, r.supply), _demand(lines, r.demand)) for k, r in target.items() if r.via}
        for key in [
            k for k in self.cols if k not in target or self.routes[k] != target[k] or self.stays.get(k) != stays.get(k)
        ]:
            self._drop(key)
        new = sorted((r for k, r in target.items() if k not in self.cols), key=lambda r: (r.supply, r.demand, r.via))
        ends = sorted({("s", r.supply) for r in target.values()} | {("d", r.demand) for r in target.values()})
        self._line_rows((side, lines[i]) for side, i in ends)
        self._hub_rows({(r.via, t) for r in new if r.via for t in stays[r.key]})
        starts, index, values = [0], [], []
        for r in new:
            index += [self.rows[("s", r.supply)], self.rows[("d", r.demand)], self.total_row]
            values += [1.0, 1.0, 1.0]
            if r.via:
                first, after = stays[r.key]
                index += [self.rows[("h", r.via, first)], self.rows[("h", r.via, after)]]
                values += [-1.0, 1.0]
            starts.append(len(index))
        if not new:
            return
        n0 = self.most.getNumCol()
        for h, cost in ((self.most, np.full(len(new), -1.0)), (self.least, np.array([r.km for r in new]))):
            h.addCols(
                len(new),
                cost,
                np.zeros(len(new)),
                np.full(len(new), INF),
                len(index),
                np.array(starts[:-1], dtype=np.int32),
                np.array(index, dtype=np.int32),
                np.array(values),
            )
        for i, r in enumerate(new):
            self.cols[r.key] = n0 + i
            self.routes[r.key] = r
            if r.via:
                self.stays[r.key] = stays[r.key]
                self.through.setdefault(r.via, set()).add(r.key)

    def _drop(self, key: str) -> None:
        col = self.cols.pop(key)
        route = self.routes.pop(key)
        self.stays.pop(key, None)
        self.through.get(route.via, set()).discard(key)
        for h in self.models:
            h.changeColBounds(col, 0.0, 0.0)
            h.changeColCost(col, 0.0)
        self.free.append(col)

    # ------------------------------------------------------------------ solving

    def solve(self) -> dict[str, float]:
        """Tonnes per route key: the most tonnes, then the fewest tonne-km among those plans."""
        if not self.cols:
            return {}
        self._run(self.most)
        best = -self.most.getInfo().objective_function_value
        self.least.changeRowBounds(self.total_row, max(best * (1 - 1e-9) - TOL, 0.0), INF)
        if not self.least.getBasis().valid:
            self.least.setBasis(self.most.getBasis())  # the most tonnes are a plan to start from
        self._run(self.least)
        x = np.asarray(self.least.getSolution().col_value)
        flows = {k: round(float(x[c]), 3) for k, c in self.cols.items()}
        return {k: t for k, t in flows.items() if t > 0}

    def _run(self, h: highspy.Highs) -> None:
        """Solve from the model's last basis by the simplex method; a large model without one and with many
        routes per line (a clustered corridor) by interior point and crossover: the dual simplex takes many
        times longer on such highly degenerate transport problems, and is quicker on sparse ones."""
        warm = h.getBasis().valid
        dense = h.getNumCol() >= max(INTERIOR_FROM, ROUTES_PER_ROW * h.getNumRow())
        h.setOptionValue("solver", "ipm" if not warm and dense else "simplex")
        h.setOptionValue("simplex_strategy", 4 if warm else 1)  # primal from a basis: its plan stays feasible
        h.run()
        self.solves += 1
        status = h.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"allocation LP ended {h.modelStatusToString(status)}")

    def hub_load(self, flows: dict[str, float]) -> dict[tuple[str, int], float]:
        """Tonnes in each hub on each day that has a row."""
        out: dict[tuple[str, int], float] = {}
        for hub, days in self.hub_days.items():
            load = np.zeros(len(days) + 1)
            for k in self.through.get(hub, ()):
                if k in flows:
                    first, after = self.stays[k]
                    load[bisect_left(days, first)] += flows[k]
                    load[bisect_left(days, after)] -= flows[k]
            out.update({(hub, day): v for day, v in zip(days, np.cumsum(load).tolist(), strict=False)})
        return out


def allocate(
    corridor: Corridor, candidates: list[Route], plan: Plan | None = None, lines: dict[str, Line] | None = None
) -> list[Allocation]:
    """Allocations sorted by supply, demand, hub; no hub holds more than its capacity on any day.

    `plan`: a plan solved before for (nearly) the same candidates; it is changed in place and
    solved again from its last basis.
    """
    if lines is None:
        both: tuple[Line, ...] = (*corridor.supply, *corridor.demand)
        lines = {ln.id: ln for ln in both}
    plan = plan or Plan({h.id: h.capacity_t for h in corridor.hubs.values()})
    with collector_paused():
        plan.put(set(candidates), lines)
        flows = plan.solve()
        return explain(corridor, plan, flows, lines)


def _legs(corridor: Corridor, r: Route, lines: dict[str, Line]) -> tuple[tuple[str, str], ...]:
    """Who moves the material on each leg and how: the donor's partner, then the hub."""
    partners = {p.id: p for p in corridor.meta.partners}
    donor = partners[corridor.projects[lines[r.supply].project].partner]
    legs = [(donor.id, donor.transport or "undeclared")]
    if r.via:
        legs.append((r.via, corridor.hubs[r.via].transport or "undeclared"))
    return tuple(legs)


def explain(corridor: Corridor, plan: Plan, flows: dict[str, float], lines: dict[str, Line]) -> list[Allocation]:
    """Each route with tonnes as an allocation with its rivals, the full hubs it met and its lost alternatives."""
    routes = sorted(plan.routes.values(), key=lambda r: (r.supply, r.demand, r.km, r.via))
    best: dict[tuple[str, str], Route] = {}
    for r in routes:
        best.setdefault((r.supply, r.demand), r)
    rivals: dict[str, list[Route]] = {}
    for r in best.values():
        rivals.setdefault(r.demand, []).append(r)
    used: dict[str, float] = {}
    for k, t in flows.items():
        r = plan.routes[k]
        used[r.supply] = used.get(r.supply, 0.0) + t
        used[r.demand] = used.get(r.demand, 0.0) + t
    load = plan.hub_load(flows)
    full_days: dict[str, list[int]] = {}  # hub -> number of full days among its first k days with a row
    for hub_id, days in plan.hub_days.items():
        at_capacity = [load[(hub_id, t)] >= plan.capacity[hub_id] - TOL for t in days]
        full_days[hub_id] = [0, *np.cumsum(at_capacity, dtype=np.int64).tolist()]

    def full_during(r: Route) -> bool:
        first, after = plan.stays[r.key]
        days, count = plan.hub_days[r.via], full_days[r.via]
        return count[bisect_left(days, after)] > count[bisect_left(days, first)]

    def room(r: Route) -> float:
        return min(lines[r.supply].quantity, lines[r.demand].quantity)

    full_for: dict[str, set[str]] = {}  # line id -> hubs full while a route of it wanted more room
    for r in routes:
        if r.via and flows.get(r.key, 0.0) < room(r) - TOL and full_during(r):
            full_for.setdefault(r.supply, set()).add(r.via)
            full_for.setdefault(r.demand, set()).add(r.via)

    def lost(x: Route, chosen: Route) -> Alternative:
        if x.via and full_during(x):
            return Alternative(x, "hub_full", x.via)
        if used.get(x.supply, 0.0) >= lines[x.supply].quantity - TOL:
            return Alternative(x, "supply_used")
        if x.km >= chosen.km:
            return Alternative(x, "longer")
        return Alternative(x, "demand_met")

    setting = corridor.parameters.get("emission_free_transport")
    norm = bool(setting and setting.value is True)
    to_demand: dict[str, list[Route]] = {}
    for r in routes:
        to_demand.setdefault(r.demand, []).append(r)
    out: list[Allocation] = []
    for key, tonnes in flows.items():
        r = plan.routes[key]
        others = tuple(sorted(x for x in rivals[r.demand] if x.supply != r.supply))
        full = tuple(
            FullHub(h, corridor.hubs[h].capacity_t)
            for h in sorted(full_for.get(r.supply, set()) | full_for.get(r.demand, set()))
        )
        alts = tuple(
            sorted(lost(x, r) for x in to_demand[r.demand] if x.key != key and flows.get(x.key, 0.0) < room(x) - TOL)
        )
        legs = _legs(corridor, r, lines)
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
                        "before": Msg(f"corridor.quality.{_supply(lines, r.supply).condition.value}"),
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
