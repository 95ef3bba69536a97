"""Sharing quantities among candidate routes: the most tonnes, then the fewest tonne-kilometres, hubs
within their capacity day by day.

The problem is a flow on a time-expanded network (`network`: merged lines as nodes, routes as arcs,
each hub a chain of days), solved exactly by `flow` (OR-Tools' maximum and minimum-cost flow; HiGHS by
column generation when a hub's capacity binds). Material through a hub stays there from the last day
it is available to the first day it is needed (`storage_days`), or for the one day it passes through
when the windows overlap. Tonnes are reported to the kilogram. `Plan` keeps the network and its
solution between solves: an unchanged set of candidates is not solved again.

Everything before and after the solve works on the candidates as columns (the engine's `Candidates`, a
million routes on a clustered corridor of 100,000 lines): the stays, the network and the explanations are
computed on arrays, and records are made only of the allocated routes: an allocation's rivals and
alternatives (2.2 and 2.4 million on that corridor) are kept as columns grouped by demand (`Grouped`,
`Contenders`), read by the views a batch of allocations at a time, and made records only when read as such.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from ..collector import collector_paused
from ..i18n import Msg, Parts, Qty
from . import flow
from .findings import Candidates, Lazy, Route, RouteColumns
from .load import Corridor
from .model import Demand, Supply
from .network import DAYS, Network, build, hub_rows, row_load, split

Line = Supply | Demand
TOL = flow.TOL


@dataclass(frozen=True, order=True, slots=True)
class FullHub:
    """A hub that was full while a route of this allocation's supply or demand would have used it."""

    hub: str
    capacity_t: float


LONGER, SUPPLY_USED, HUB_FULL, DEMAND_MET = range(4)  # why a route with room left was not used (more)
LOST = ("longer", "supply_used", "hub_full", "demand_met")  # by code


@dataclass(frozen=True, order=True, slots=True)
class Alternative:
    """Another candidate route for the same demand, and why the plan did not use it (more)."""

    route: Route
    lost: str  # longer | hub_full | supply_used | demand_met
    hub: str = ""  # hub_full: the full hub

    @property
    def msg(self) -> Msg:
        return lost_msg(self.lost, self.route.key, self.route.km, self.hub)


def lost_msg(lost: str, route: str, km: float, hub: str) -> Msg:
    """Why the route `route` (`km` long; `hub`: the full hub) was not used (more), as a catalogue message."""
    fields: dict[str, object] = {"route": route}
    if lost == "longer":
        fields["km"] = Qty(km, "km")
    elif lost == "hub_full":
        fields["hub"] = hub
    return Msg(f"corridor.lost.{lost}", fields)


@dataclass(frozen=True, eq=False)
class Grouped:
    """Routes of a plan as columns grouped by demand (in route order within a demand): their positions `at` among
    the plan's routes (`table`, hubs numbered in `hubs`), and the candidates put with each route's position there
    (`source`, `source_at`: to make records). What the allocations' rivals and alternatives read: they may be
    millions (a clustered corridor of 100,000 lines has 2.2 million rivals and 2.4 million alternatives), so no
    record is made of them unless they are read as records."""

    table: RouteColumns
    hubs: Sequence[str]
    source: Candidates
    source_at: np.ndarray
    at: np.ndarray

    def places(self, spans: Sequence[Rivals | Alternatives]) -> tuple[np.ndarray, np.ndarray]:
        """The routes of each span (from `first` to `stop` without `own`), one span's after another's: their places
        among the grouped routes, and the number of the span each belongs to."""
        first, stop, own = (np.array([getattr(x, f) for x in spans], np.int64) for f in ("first", "stop", "own"))
        size = stop - first
        at = np.arange(size.sum()) + np.repeat(first - (np.cumsum(size) - size), size)
        kept = at != np.repeat(own, size)
        return at[kept], np.repeat(np.arange(len(spans)), size)[kept]

    def plain(self, at: np.ndarray) -> tuple[list[str], list[str], list[str], list[float]]:
        """The routes at places `at`: their supply lines, hubs ("" when direct), demand lines and km."""
        t, rows = self.table, self.at[at]
        hubs = [*self.hubs, ""]
        return (
            list(map(t.supply_ids.__getitem__, t.supply[rows].tolist())),
            list(map(hubs.__getitem__, t.hub[rows].tolist())),
            list(map(t.demand_ids.__getitem__, t.demand[rows].tolist())),
            t.km[rows].tolist(),
        )

    def records(self, at: np.ndarray) -> list[Route]:
        """The routes at places `at` as records, those the candidates hand out (`Candidates.records_at`)."""
        return self.source.records_at(self.source_at[self.at[at]], keep=True)


class Rivals(Lazy[Route]):
    """The best routes of the other donors to an allocation's demand (each supply line's shortest), in supply order:
    the demand's best routes grouped in `grouped` from `first` to `stop`, without the allocation's own supply's
    (`own`: its place there)."""

    def __init__(self, grouped: Grouped, first: int, stop: int, own: int):
        self.grouped, self.first, self.stop, self.own = grouped, first, stop, own

    def __len__(self) -> int:
        return self.stop - self.first - (self.own >= 0)

    def _at(self, at: np.ndarray) -> list[Route]:
        return self.grouped.records(self.grouped.places([self])[0][at])

    def __deepcopy__(self, memo: dict[int, object]) -> Rivals:
        return self  # a view of columns nothing changes


def no_rivals() -> Rivals:
    """Rivals of an allocation whose demand has no other donor."""
    return Rivals(_none(), 0, 0, -1)


@dataclass(frozen=True, eq=False)
class Contenders(Grouped):
    """The candidate routes with room left to the allocated demands, grouped by demand (`Grouped`), each with why
    it was not used more (`why`: LONGER, SUPPLY_USED or HUB_FULL): what the allocations' alternatives read."""

    why: np.ndarray

    def told(self, alternatives: Sequence[Alternatives]) -> tuple[np.ndarray, np.ndarray]:
        """The alternatives of allocations (`alternatives`, each of these contenders), one allocation's after
        another's: their places among the contenders, and why each lost (a `LOST` code): a route that lost as longer
        is told so when it is no shorter than the allocation, a shorter one lost because the demand was met."""
        at, of = self.places(alternatives)
        why = self.why[at]
        km = np.array([a.km for a in alternatives], float)
        shorter = (why == LONGER) & (self.table.km[self.at[at]] < km[of])
        return at, np.where(shorter, DEMAND_MET, why)


class Alternatives(Lazy[Alternative]):
    """Other candidate routes to an allocation's demand, and why the plan did not use them (more): the demand's
    contenders from `first` to `stop`, without the allocation's own route (`own`: its place there, or -1), each
    told why it lost by the allocation's length `km` (`Contenders.told`). Read as records (`Alternative`) or as
    columns (`columns`; `Contenders.told` reads those of many allocations at once)."""

    def __init__(self, contenders: Contenders, first: int, stop: int, own: int, km: float):
        self.contenders, self.first, self.stop, self.own, self.km = contenders, first, stop, own, km

    def __len__(self) -> int:
        return self.stop - self.first - (self.own >= 0)

    def columns(self) -> tuple[np.ndarray, np.ndarray]:
        """Each alternative's place among the contenders, and why it lost (a `LOST` code)."""
        return self.contenders.told([self])

    def __deepcopy__(self, memo: dict[int, object]) -> Alternatives:
        return self  # a view of columns nothing changes

    def _at(self, at: np.ndarray) -> list[Alternative]:
        where, why = self.columns()
        routes = self.contenders.records(where[at])
        return [
            Alternative(r, LOST[w], r.via if w == HUB_FULL else "")
            for r, w in zip(routes, why[at].tolist(), strict=True)
        ]


def no_alternatives() -> Alternatives:
    """Alternatives of an allocation whose demand has no other route with room left."""
    g = _none()
    return Alternatives(Contenders(g.table, (), g.source, g.source_at, g.at, g.at), 0, 0, -1, 0)


def _none() -> Grouped:
    none = RouteColumns.of([])
    return Grouped(none, (), Candidates(none), np.zeros(0, np.int64), np.zeros(0, np.int64))


@dataclass(frozen=True)
class Allocation:
    """Tonnes of one supply line sent to one demand line along one route, and the other donors' routes."""

    route: Route
    tonnes: float
    tonne_km: float
    rivals: Rivals = field(default_factory=no_rivals)  # best routes of other supply lines to the same demand
    full_hubs: tuple[FullHub, ...] = ()  # hubs that were full for this supply or demand, sorted
    # other candidate routes to the same demand with room left, in route order, and why each lost
    alternatives: Alternatives = field(default_factory=no_alternatives)
    transport: tuple[tuple[str, str], ...] = ()  # (partner or hub, mode declared or "undeclared") per leg
    emission_free: bool | None = None  # every leg declared zero-emission; None when a leg is undeclared
    notes: tuple[Msg, ...] = ()  # what else the route means: a raised condition, a broken transport norm

    @property
    def msg(self) -> Msg:
        """The explanation as a catalogue message: route, storage, km, tkm, full hubs, other donors."""
        r = self.route
        rivals = [rival_msg(x) for x in self.rivals]
        return self.told(how_msg(r), full_msg(self.full_hubs, r.via), others_msg(rivals), Parts(self.notes))

    def told(self, how: object, full: object, alt: object, notes: object) -> Msg:
        """The explanation with its parts given: as messages (`msg`), or as texts rendered before (a writer of
        many keeps each distinct part's text)."""
        r = self.route
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
                "notes": notes,
            },
        )


def how_msg(r: Route) -> Msg:
    """How an allocated route goes: direct, or through its hub with the days stored there."""
    return Msg("corridor.allocation.via_hub", {"hub": r.via, "days": r.storage_days}) if r.via else DIRECT


DIRECT = Msg("corridor.allocation.direct")


def full_msg(full_hubs: Iterable[FullHub], via: str) -> Parts:
    """The hubs that were full for an allocation along a route through `via` ("" when direct), and what then."""
    return Parts(
        Msg(
            "corridor.allocation.full",
            {
                "hub": h.hub,
                "capacity": Qty(h.capacity_t, "t"),
                "then": (
                    Msg("corridor.allocation.then_direct")
                    if not via
                    else Msg("corridor.allocation.then_no_room")
                    if via == h.hub
                    else Msg("corridor.allocation.then_via", {"hub": via})
                ),
            },
        )
        for h in full_hubs
    )


def rival_msg(x: Route) -> Msg:
    """Another donor's best route to the allocated demand: its supply line and length."""
    return Msg("corridor.allocation.rival", {"supply": x.supply, "km": Qty(x.km, "km")})


def others_msg(rivals: Sequence[object]) -> Msg:
    """The other donors of the demand (`rival_msg` each, or its text), or that there is none."""
    return Msg("corridor.allocation.rivals", {"others": list(rivals)}) if rivals else ONLY_DONOR


ONLY_DONOR = Msg("corridor.allocation.only_donor")


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
    """The allocation problem of a set of candidates and its last solution.

    The candidates are kept as columns in route order (supply, demand, hub), their lines and hubs numbered in
    id order: the engine's candidates are put as the columns they are (no records made), a list of records is
    turned into columns once."""

    def __init__(self, capacity: dict[str, float]):
        self.capacity = capacity
        self.hubs = sorted(capacity)
        self.table = _numbered(RouteColumns.of([]), self.hubs)[0]
        self.source = Candidates(self.table)  # the candidates put, and the position there of each route of `table`
        self.source_at = np.zeros(0, np.int64)
        self.first = self.after = np.zeros(0, np.int64)  # hub day each route's material arrives, the day after it
        # leaves (-1 when direct)
        self.lines: dict[str, Line] = {}
        self.network: Network | None = None
        self.solution: flow.Solution | None = None
        self.solved: tuple[Network, flow.Solution] | None = None  # the last network solved, and its solution
        self.kg = np.zeros(0, np.int64)  # kilograms per route
        self.flows: dict[str, float] = {}  # tonnes per route key, routes with flow only
        self.solves = 0
        self._rows: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self._routes: dict[str, Route] | None = None

    def put(self, routes: Iterable[Route], lines: dict[str, Line]) -> None:
        """Make the candidate routes exactly `routes` (with the current quantities and windows of their lines)."""
        if isinstance(routes, Candidates):
            source = routes
            table, order = _numbered(routes.columns, self.hubs)
        else:
            source = Candidates.of(list({r.key: r for r in routes}.values()))
            table, order = _numbered(source.columns, self.hubs)
        used = {i: lines[i] for i in (*table.supply_ids, *table.demand_ids)}
        if table == self.table and used == self.lines:
            return
        self.table, self.source, self.source_at, self.lines, self.network = table, source, order, used, None
        self._rows = self._routes = None
        available = [supply_line(used, i).available for i in table.supply_ids]
        s_start = np.array([w.start.toordinal() for w in available], np.int64)
        s_end = np.array([w.end.toordinal() for w in available], np.int64)
        d_start = np.array([demand_line(used, i).needed.start.toordinal() for i in table.demand_ids], np.int64)
        s, d, stored = table.supply, table.demand, table.storage > 0
        first = np.where(stored, s_end[s], np.maximum(s_start[s], d_start[d]))
        after = first + np.where(stored, table.storage, 1)
        via = table.hub >= 0
        self.first, self.after = np.where(via, first, -1), np.where(via, after, -1)

    @property
    def routes(self) -> dict[str, Route]:
        """The candidate routes by key (records made on first use)."""
        if self._routes is None:
            self._routes = {r.key: r for r in self._records(np.arange(len(self.table)))}
        return self._routes

    def _records(self, at: np.ndarray) -> list[Route]:
        """The routes at positions `at` as records, kept by the candidates put (read again, they hand them out)."""
        return self.source.records_at(self.source_at[at], keep=True)

    def solve(self) -> dict[str, float]:
        """Tonnes per route key: the most tonnes, then the fewest tonne-km among those plans."""
        if self.network is None:
            before = self.solved
            self.network = build(self.table, self.first, self.after, self.lines, self.capacity)
            self.solution = flow.solve(self.network, before)
            self.solved = (self.network, self.solution)
            self.kg = split(self.network, self.solution.tonnes, self.table, self.lines)
            moved = np.flatnonzero(self.kg > 0)
            self.flows = dict(zip((r.key for r in self._records(moved)), (self.kg[moved] / 1000).tolist(), strict=True))
            self.solves += 1
        return dict(self.flows)

    def _hub_rows(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Hub days as rows sorted by (hub, day) (`network.hub_rows`), and each route's row of its first day in
        the hub and of the day after (-1 when direct)."""
        if self._rows is None:
            self._rows = hub_rows(self.table.hub, self.first, self.after)
        return self._rows

    def _load(self, tonnes: np.ndarray) -> np.ndarray:
        """Tonnes in the hub on each hub-day row, until the hub's next row (`tonnes`: per route)."""
        days, first, after = self._hub_rows()
        return row_load(first, after, days // DAYS, tonnes)

    def hub_load(self, flows: dict[str, float]) -> dict[tuple[str, int], float]:
        """Tonnes in each hub on each day material arrives or leaves (until its next such day)."""
        at = {k: i for i, k in enumerate(self.routes)}
        tonnes = np.zeros(len(self.table))
        for k, t in flows.items():
            tonnes[at[k]] = t
        keys = self._hub_rows()[0]
        return {
            (self.hubs[k // DAYS], k % DAYS): v for k, v in zip(keys.tolist(), self._load(tonnes).tolist(), strict=True)
        }

    def full_during(self, tonnes: np.ndarray) -> np.ndarray:
        """Per route: a hub route during whose stay its hub was at capacity on some day (`tonnes`: per route)."""
        keys, first, after = self._hub_rows()
        capacity = np.array([self.capacity[h] for h in self.hubs])
        full = self._load(tonnes) >= capacity[keys // DAYS] - TOL if len(keys) else np.zeros(0, bool)
        count = np.r_[0, np.cumsum(full)]
        out: np.ndarray = (first >= 0) & (count[np.maximum(after, 0)] > count[np.maximum(first, 0)])
        return out


def _numbered(table: RouteColumns, hubs: list[str]) -> tuple[RouteColumns, np.ndarray]:
    """`table` with its lines renumbered in id order (only lines with a route), its hubs as positions in `hubs`,
    in route order; and the position in `table` of each of its routes."""
    s_ids, s = _renumber(table.supply, table.supply_ids)
    d_ids, d = _renumber(table.demand, table.demand_ids)
    hub = np.array([*(hubs.index(h) for h in table.hub_ids), -1], np.int64)[table.hub]
    out = RouteColumns(s_ids, d_ids, hubs, s, d, hub, table.leg_km, table.km, table.storage, table.raised)
    code = (s * len(d_ids) + d) * (len(hubs) + 1) + hub + 1
    if np.all(np.diff(code) > 0):
        return out, np.arange(len(code))
    order = np.argsort(code, kind="stable")
    return out.take(order), order


def _renumber(rows: np.ndarray, ids: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """The ids of the `rows` used, sorted, and each route's position among them."""
    used = np.flatnonzero(np.bincount(rows, minlength=len(ids)))
    names = [ids[i] for i in used.tolist()]
    order = sorted(range(len(names)), key=names.__getitem__)
    rank = np.zeros(len(ids), np.int64)
    rank[used[order]] = np.arange(len(names))
    return [names[i] for i in order], rank[rows]


def allocate(
    corridor: Corridor, candidates: Iterable[Route], plan: Plan | None = None, lines: dict[str, Line] | None = None
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
        plan.solve()
        return explain(corridor, plan)


def _transport(
    corridor: Corridor, donor: str, via: str, modes: dict[str, str]
) -> tuple[tuple[tuple[str, str], ...], bool | None]:
    """Who moves the material on each leg and how (the donor's partner, then the hub; `modes`: per partner), and
    whether every leg is declared zero-emission (None when a leg is undeclared)."""
    legs = ((donor, modes[donor]), *(((via, corridor.hubs[via].transport or "undeclared"),) if via else ()))
    modes_used = {m for _, m in legs}
    return legs, False if "combustion" in modes_used else None if "undeclared" in modes_used else True


def _notes(
    corridor: Corridor, r: Route, lines: dict[str, Line], broken: tuple[tuple[str, str], ...]
) -> tuple[Msg, ...]:
    """What else the route means: the condition a hub raised the material to; the legs when they break the
    emission-free norm (`broken`, else empty)."""
    notes: list[Msg] = []
    if r.raised:
        line = supply_line(lines, r.supply)
        step = next(x for x in corridor.hubs[r.via].raises if x.category == line.category and x.to.value == r.raised)
        notes.append(
            Msg(
                "corridor.allocation.raised",
                {
                    "hub": r.via,
                    "before": Msg(f"corridor.quality.{line.condition.value}"),
                    "after": Msg(f"corridor.quality.{r.raised}"),
                    "process": step.process,
                },
            )
        )
    if broken:
        notes.append(
            Msg(
                "corridor.allocation.not_emission_free",
                {
                    "legs": [
                        Msg("corridor.allocation.leg", {"by": by, "mode": Msg(f"corridor.mode.{m}")})
                        for by, m in broken
                    ]
                },
            )
        )
    return tuple(notes)


def _groups(keys: np.ndarray, items: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """`items` grouped by their `keys` (0 to n-1), in their order within a group; where each group starts."""
    order = np.argsort(keys, kind="stable")
    return items[order], np.searchsorted(keys[order], np.arange(n + 1))


def explain(corridor: Corridor, plan: Plan) -> list[Allocation]:
    """Each route with tonnes as an allocation with its rivals, the full hubs it met and its lost alternatives."""
    t, kg, lines = plan.table, plan.kg, plan.lines
    s, d, hub = t.supply, t.demand, t.hub
    ns, nd = len(t.supply_ids), len(t.demand_ids)
    tonnes = kg / 1000
    supply_t = np.array([lines[i].quantity for i in t.supply_ids], float)
    demand_t = np.array([lines[i].quantity for i in t.demand_ids], float)
    moved = np.bincount(s, weights=tonnes, minlength=ns)
    spent = (np.bincount(s, weights=kg > 0, minlength=ns) > 0) & (moved >= supply_t - TOL)  # gave all it has
    room = tonnes < np.minimum(supply_t[s], demand_t[d]) - TOL  # the route could have carried more
    full = plan.full_during(tonnes)
    lost = np.where(full, HUB_FULL, np.where(spent[s], SUPPLY_USED, LONGER))
    # the best route of each (supply, demand) pair (shortest, then by hub), pairs in route order; per demand, its
    # pairs' best routes in supply order (its rivals), and each pair's place among them
    opens = np.r_[True, (s[1:] != s[:-1]) | (d[1:] != d[:-1])][: len(s)]  # the first route of each pair
    pair = np.cumsum(opens) - 1
    least = np.minimum.reduceat(t.km, np.flatnonzero(opens)) if len(s) else t.km
    best = np.flatnonzero(t.km == least[pair])  # a pair's routes are in hub order: its first shortest is its best
    best = best[np.r_[True, pair[best][1:] != pair[best][:-1]]] if len(best) else best
    rivals, rivals_at = _groups(d[best], best, nd)
    place = np.empty(len(best), np.int64)
    place[pair[rivals]] = np.arange(len(rivals)) - rivals_at[d[rivals]]
    # per demand, its routes with room left in route order
    spare, spare_at = _groups(d[room], np.flatnonzero(room), nd)
    full_for: dict[tuple[int, int], set[str]] = {}  # (side, line number) -> hubs full while a route of it wanted room
    hubs = len(plan.hubs)
    for side, line in ((0, s), (1, d)):
        for code in np.unique(line[room & full] * hubs + hub[room & full]).tolist():
            full_for.setdefault((side, code // hubs), set()).add(plan.hubs[code % hubs])
    alloc = np.flatnonzero(kg > 0)
    # records only of the allocated routes (their rivals and alternatives are read as columns), and each
    # allocation's place among its demand's contenders (-1: it has no room left)
    contenders = Contenders(t, plan.hubs, plan.source, plan.source_at, spare, lost[spare])
    rivalry = Grouped(t, plan.hubs, plan.source, plan.source_at, rivals)
    by_demand = rivals_at.tolist()
    keyed, own_key = d[spare] * len(kg) + spare, d[alloc] * len(kg) + alloc  # increasing: grouped by demand
    own_at = np.minimum(np.searchsorted(keyed, own_key), max(len(keyed) - 1, 0))
    own_place = np.where(keyed[own_at] == own_key, own_at, -1) if len(keyed) else np.full(len(alloc), -1)
    bounds = spare_at.tolist()
    records = plan._records(alloc)

    modes: dict[str, str] = {p.id: p.transport or "undeclared" for p in corridor.meta.partners}
    setting = corridor.parameters.get("emission_free_transport")
    norm = bool(setting and setting.value is True)
    capacity = {h.id: h.capacity_t for h in corridor.hubs.values()}
    transport: dict[tuple[str, str], tuple[tuple[tuple[str, str], ...], bool | None]] = {}  # (donor, hub) -> legs
    out: list[Allocation] = []
    for r, sn, dn, own, w, mine in zip(
        records,
        s[alloc].tolist(),
        d[alloc].tolist(),
        place[pair[alloc]].tolist(),
        kg[alloc].tolist(),
        own_place.tolist(),
        strict=True,
    ):
        tonnes_p = w / 1000
        full_s, full_d = full_for.get((0, sn)), full_for.get((1, dn))
        full_hubs = (
            tuple(FullHub(h, capacity[h]) for h in sorted((full_s or set()) | (full_d or set())))
            if full_s or full_d
            else ()
        )
        alts = Alternatives(contenders, bounds[dn], bounds[dn + 1], mine, r.km)
        donor = corridor.projects[lines[r.supply].project].partner
        if (donor, r.via) not in transport:
            transport[donor, r.via] = _transport(corridor, donor, r.via, modes)
        legs, clean = transport[donor, r.via]
        broken = legs if clean is False and norm else ()
        notes = _notes(corridor, r, lines, broken) if r.raised or broken else ()
        others = Rivals(rivalry, by_demand[dn], by_demand[dn + 1], by_demand[dn] + own)
        out.append(Allocation(r, tonnes_p, round(tonnes_p * r.km, 1), others, full_hubs, alts, legs, clean, notes))
    return out
