"""The allocation as a min-cost flow on a time-expanded network: most tonnes, then fewest tonne-km.

Nodes are merged supply and demand lines (`network.Network`), arcs the routes between them. Without
hubs in the way this is a transportation network: OR-Tools' minimum-cost flow gives its maximum flow with the
least cost, the most tonnes and the fewest tonne-km at that, in whole kilograms and tenths of a kilometre
(the routes' km are rounded to 0.1), so exactly; solved for each group of whole connected parts of the network
on its own (`network.parts`: lines of other categories or far apart never share an arc).

A hub holds at most its capacity on every day, shared by every category passing through it. A
single-commodity network cannot carry that (a tonne entering the hub from one donor could leave it for
another donor's receiver), so the network is first solved without hub capacities: when no hub is over
its capacity on any day, that plan is optimal with them too (the optimum of a relaxation that is
feasible). Otherwise the LP with the hub rows (a chain of days per hub: occupancy = occupancy of the day
before + arrivals - departures, bounded by the capacity) is solved on HiGHS by the dual simplex, starting
from the relaxed plan's basis (a spanning forest of its arcs, hub days priced zero).
Hub days get rows by row generation (`hubrows`): at first only the peak day of each run of days the relaxed
plan overloads; after each solve, the peak of each run of days its plan overloads, as cutting planes (the
new rows at their bound, their occupancies basic: the dual simplex goes on from the basis it had). At the
optimum only a few days bind (172 of 8,192 on the clustered 50,000 lines), and iterations with few hub rows
cost far less than with every day's (0.3 against 3 ms at 100,000 lines). When no day is over capacity, the
plan is optimal for every day's rows (the optimum of a relaxation that is feasible).
Its columns are every arc of a network of up to `ALL_ARCS_UP_TO` arcs; on a larger one, the arcs whose
reduced cost under the relaxed plan's node potentials (`potentials`) is at most `START_WITHIN_KM10`: the
arcs the repair brings in are cheap ones, and the simplex, which needs about one iteration per arc whose
flow changes however few columns it has, spends each iteration pricing fewer columns (on a smaller network
the rounds this needs cost more than they save). Column generation takes in the arcs whose reduced cost,
priced on all arcs at once with its duals and the kept days' (`hubrows.chain_ends`), is negative, until
none is: then it is the optimum over all arcs. With row generation, from the arcs within 5 / 10 / 15 / 20 km
on the clustered 100,000 lines: 138 / 109 / 121 / 152 s (one run each, after the relaxed flow).
Measured on the bench's clustered corridors (7 December 2026, CPU seconds of the whole solve, relaxed flow
included, the same optimum, side by side in one run with a row for every hub day from the start and the
arcs within 20 km): 20,000 lines (53,600 arcs, every arc) 0.87 s against 0.78 s (medians of 5); 30,000
lines 1.41 s against 2.01 s (of 3); 50,000 lines (333,000 arcs) 8.1 s against 16.6 s (of 2; 378 of 8,192
days kept, 18,600 iterations in 8 solves); 100,000 lines (1.33 M arcs) 109 s against 247 s (752 of 10,103
days kept, 91,000 iterations in 12 solves, against 80,500 in 4).
After a change the restricted LP holds only the arcs the last one held and those of new nodes, and a row
for every hub day (the last basis carried over in full).
One LP first, minimising tonne-km less `REWARD_PER_KM` times the longest route's km per tonne; when it
moves as many tonnes as the relaxed maximum flow (an upper bound), no plan moves more and none of as
many tonnes has fewer tonne-km, so it is the lexicographic optimum. When it moves fewer, the most tonnes
follow (an LP of their own); when that is what the first LP moved, the first LP's plan is the optimum
again (any plan of as many tonnes has at least its tonne-km, the reward being the same); otherwise the
fewest tonne-km with at least that many.

After a change (a line added, changed or withdrawn) the next solve starts its restricted LP from the arcs
the last one ended with and from its final basis, rows and columns found again by their lines and hub
days (`_basis`); the basis only shortens the simplex, the optimum is proven the same way.
"""

from __future__ import annotations

import ctypes
import math
import os
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from ortools.graph.python import max_flow, min_cost_flow

from . import hubrows
from .network import Network, parts
from .potentials import reduced_costs

if TYPE_CHECKING:
    import highspy

# HiGHS is imported where it is used: only a corridor with a hub over its capacity needs it (≈ 10 ms at start-up)
INF = math.inf  # HiGHS's kHighsInf
LOWER, BASIC, UPPER = 0, 1, 2  # HiGHS's HighsBasisStatus values kLower, kBasic, kUpper
TOL = 1e-6  # tonnes: what the LP's tolerances may leave below the best total
PRICE_TOL = 1e-7  # a reduced cost below minus this takes the arc into the restricted LP
REWARD_PER_KM = 1_000  # the first LP's reward per tonne moved, in units of the longest route's km
START_WITHIN_KM10 = 100  # tenths of a km per tonne: 10 km (measured with row generation: see the docstring)
# up to this many arcs the LP starts from every arc: its second round of column generation costs more than the
# smaller LP saves (clustered bench corridors, CPU, medians of 3 interleaved, 7 December 2026: 53,569 arcs 0.75 s
# from every arc against 0.97 s from the cheap ones; 120,341 arcs 3.03 s against 2.98 s)
ALL_ARCS_UP_TO = 120_000
ADD_AT_MOST = 20_000  # arcs taken into the restricted LP per round (the most negative reduced costs)
# the plan without hub capacities is a flow per group of whole connected parts of up to this many arcs: cost scaling
# grows faster than the arcs (CPU, medians of 3, 8 December 2026: clustered 100,000 lines, 1.33 M arcs in 1,504
# parts, 17.6 s as one flow, 1.8 s in groups of 5,000 arcs, 1.9 s of 20,000, 4.1 s of 100,000; clustered 50,000
# lines 3.4 against 0.47 s; density 20,000 lines 0.042 against 0.032 s; same tonnes and tonne-km in every case)
RELAXED_PART_ARCS = 5_000


def highs() -> highspy.Highs:
    """A silent solver. The first one in a process prints a banner on the C stdout: it goes to /dev/null."""
    import highspy

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


@dataclass
class Solution:
    """Tonnes per arc of the network, and how they were found."""

    tonnes: np.ndarray
    relaxed_fits: bool  # the plan without hub capacities kept every hub within its capacity
    lp_rounds: int = 0  # rounds of column generation (0: the flow alone was exact)
    lp_arcs: int = 0  # arcs in the restricted LP at the end
    lp_steps: list[str] = field(default_factory=list)  # the LPs solved: "weighted", "most", "least"
    in_lp: np.ndarray | None = None  # arcs in the restricted LP at the end (None: no LP)
    rows: np.ndarray | None = None  # the LP's final basis: status of each row (lines, hub days, total)
    occupancy: np.ndarray | None = None  # status of each hub day's occupancy column
    arc_status: np.ndarray | None = None  # status of each arc's column (lower bound for arcs not in the LP)
    hub_rows: int = 0  # hub days with a row in the LP at the end (the others were checked on its plan)


_Status = tuple[np.ndarray, np.ndarray, np.ndarray]  # basis statuses: rows (lines, hub days, total), occupancies, arcs


def solve(net: Network, before: tuple[Network, Solution] | None = None) -> Solution:
    """The most tonnes, then the fewest tonne-km, every hub within its capacity on every day.

    `before`: the network and solution of the last solve; when that one needed the LP, this one starts
    its restricted LP from the arcs that LP ended with (and every arc of a new node) instead of from
    the relaxed plan, and from its final basis (rows, hub days and arcs found again by their lines)."""
    if not len(net.tail):
        return Solution(np.zeros(0), True)
    if before is not None and before[1].in_lp is not None:
        start, old_arc = _carried(*before, net)
        master = _Master(net, start, np.arange(len(net.day_hub)), _basis(*before, net, old_arc))
        return master.optimum(_most(net) / 1000.0)
    kg = _relaxed(net)
    if _fits(net, kg):
        return Solution(kg / 1000.0, True)
    reduced = reduced_costs(net, kg, REWARD_PER_KM) if len(net.tail) > ALL_ARCS_UP_TO else None
    start = np.ones(len(net.tail), bool) if reduced is None else reduced <= START_WITHIN_KM10
    kept = hubrows.peaks(net, kg / 1000.0, TOL, np.zeros(0, np.int64))
    master = _Master(net, start, kept, _relaxed_basis(net, kg))
    return master.optimum(int(kg.sum()) / 1000.0)


def _relaxed_basis(net: Network, kg: np.ndarray) -> _Status:
    """Row, occupancy and arc statuses of the relaxed plan: a spanning forest
    of its arcs basic, in each tree the row of the node with the most kilograms left basic, every other
    line row at the bound it is at, every occupancy and the total basic, the hub-day rows at their bound.
    The basis is triangular by blocks (forest, occupancy chains, total), so nonsingular; its duals are
    near the relaxed plan's (hub days priced zero), so the dual simplex mostly repairs the hub days over
    their capacity."""
    ns, nd, nh = len(net.supply_kg), len(net.demand_kg), len(net.day_hub)
    heads = ns + net.head
    parent = list(range(ns + nd))

    def root(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    used = np.flatnonzero(kg > 0)
    used = used[np.argsort(-kg[used], kind="stable")]
    basic = np.zeros(len(net.tail), bool)
    for a, t, h in zip(used.tolist(), net.tail[used].tolist(), heads[used].tolist(), strict=True):
        rt, rh = root(t), root(h)
        if rt != rh:
            parent[rt] = rh
            basic[a] = True
    moved = np.zeros(ns + nd, np.int64)
    np.add.at(moved, net.tail, kg)
    np.add.at(moved, heads, kg)
    room = np.concatenate([net.supply_kg, net.demand_kg])
    left = room - moved
    tree = np.array([root(i) for i in range(ns + nd)], np.int64)
    order = np.lexsort((-left, tree))
    first = order[np.r_[True, tree[order][1:] != tree[order][:-1]]]  # the node with the most left, per tree
    lines = np.where(left <= 0, UPPER, LOWER)
    lines[first] = BASIC
    rows = np.concatenate([lines, np.full(nh, LOWER), [BASIC]])
    return rows, np.full(nh, BASIC), np.where(basic, BASIC, LOWER)


def _carried(old: Network, solution: Solution, net: Network) -> tuple[np.ndarray, np.ndarray]:
    """Arcs of `net` that were in the restricted LP of `solution` on `old`, or that touch a node `old` lacks;
    and the arc of `old` each arc of `net` was (-1: none)."""
    assert solution.in_lp is not None  # only carried from a solve that needed the LP
    was = {
        (old.supply_lines[t], old.demand_lines[h], v): a
        for a, (t, h, v) in enumerate(zip(old.tail.tolist(), old.head.tolist(), old.via, strict=True))
    }
    old_arc = np.array(
        [
            was.get((net.supply_lines[t], net.demand_lines[h], v), -1)
            for t, h, v in zip(net.tail.tolist(), net.head.tolist(), net.via, strict=True)
        ],
        np.int64,
    ).reshape(-1)
    new_s = np.array([m not in old.supply_set for m in net.supply_lines], bool)
    new_d = np.array([m not in old.demand_set for m in net.demand_lines], bool)
    again = (old_arc >= 0) & solution.in_lp[np.maximum(old_arc, 0)]
    start: np.ndarray = again | new_s[net.tail] | new_d[net.head]
    return start, old_arc


def _found(before: list[object], now: list[object]) -> np.ndarray:
    """Position in `before` of each item of `now` (-1: not there)."""
    at = {k: i for i, k in enumerate(before)}
    return np.array([at.get(k, -1) for k in now], np.int64).reshape(-1)


def _basis(old: Network, solution: Solution, net: Network, old_arc: np.ndarray) -> _Status:
    """Row, occupancy and arc statuses for the LP on `net` (whose arcs were `old_arc` of `old`) from the final
    basis of `solution` on `old`: a row or column found again keeps its status; a new row is basic, a new
    column at its lower bound."""
    assert solution.rows is not None  # only carried from a solve that needed the LP
    assert solution.occupancy is not None
    assert solution.arc_status is not None
    os_, od, oh = len(old.supply_kg), len(old.demand_kg), len(old.day_hub)
    day_at = _found(old.day_key.tolist(), net.day_key.tolist())
    row_at = np.concatenate(
        [
            _found(list(old.supply_lines), list(net.supply_lines)),
            _shift(_found(list(old.demand_lines), list(net.demand_lines)), os_),
            _shift(day_at, os_ + od),
            [os_ + od + oh],
        ]
    ).astype(np.int64)
    rows = np.where(row_at >= 0, solution.rows[np.maximum(row_at, 0)], BASIC)
    occupancy = np.where(day_at >= 0, solution.occupancy[np.maximum(day_at, 0)], LOWER)
    arcs = np.where(old_arc >= 0, solution.arc_status[np.maximum(old_arc, 0)], LOWER)
    return rows, occupancy, arcs


def _shift(found: np.ndarray, by: int) -> np.ndarray:
    shifted: np.ndarray = np.where(found >= 0, found + by, -1)
    return shifted


class _Arcs(NamedTuple):
    """A flow network of some of the network's arcs with a source before the supply nodes and a sink after the
    demand nodes: tails, heads and capacities (kg) of the source arcs, the route arcs (`routes`, in the order
    given) and the sink arcs, nodes numbered anew (supply nodes, demand nodes, source, sink)."""

    tails: np.ndarray
    heads: np.ndarray
    capacity: np.ndarray
    source: int
    sink: int
    routes: slice


def _arcs(net: Network, arcs: np.ndarray) -> _Arcs:
    """The flow network of `arcs` and the nodes they join."""
    tail, s = np.unique(net.tail[arcs], return_inverse=True)
    head, d = np.unique(net.head[arcs], return_inverse=True)
    ns, nd = len(tail), len(head)
    source, sink = ns + nd, ns + nd + 1
    room = np.minimum(net.supply_kg[net.tail[arcs]], net.demand_kg[net.head[arcs]])
    return _Arcs(
        np.concatenate([np.full(ns, source), s, ns + np.arange(nd)]),
        np.concatenate([np.arange(ns), ns + d, np.full(nd, sink)]),
        np.concatenate([net.supply_kg[tail], room, net.demand_kg[head]]),
        source,
        sink,
        slice(ns, ns + len(arcs)),
    )


def _most(net: Network) -> int:
    """Kilograms of the maximum flow without hub capacities."""
    a = _arcs(net, np.arange(len(net.tail)))
    mf = max_flow.SimpleMaxFlow()
    mf.add_arcs_with_capacity(a.tails, a.heads, a.capacity)
    if mf.solve(a.source, a.sink) != mf.OPTIMAL:
        raise RuntimeError("allocation maximum flow did not finish")
    most: int = mf.optimal_flow()
    return most


def _relaxed(net: Network) -> np.ndarray:
    """Kilograms per arc of the plan without hub capacities: the maximum flow with the least cost, solved for each
    group of whole connected parts of the network on its own (`RELAXED_PART_ARCS`)."""
    kg = np.zeros(len(net.tail), np.int64)
    for arcs in parts(net, RELAXED_PART_ARCS):
        a = _arcs(net, arcs)
        cost = np.zeros(len(a.tails), np.int64)
        cost[a.routes] = net.km10[arcs]
        mcf = min_cost_flow.SimpleMinCostFlow()
        routes = mcf.add_arcs_with_capacity_and_unit_cost(a.tails, a.heads, a.capacity, cost)[a.routes]
        supplies = np.zeros(a.sink + 1, np.int64)
        supplies[a.source] = total = int(a.capacity[: a.routes.start].sum())
        supplies[a.sink] = -total
        mcf.set_nodes_supplies(np.arange(a.sink + 1), supplies)
        status = mcf.solve_max_flow_with_min_cost()
        if status != mcf.OPTIMAL:
            raise RuntimeError(f"allocation minimum-cost flow ended {status}")
        kg[arcs] = mcf.flows(routes)
    return kg


def _fits(net: Network, kg: np.ndarray) -> bool:
    if not len(net.day_hub):
        return True
    return bool(np.all(hubrows.hub_load(net, kg.astype(float)) <= net.capacity_kg[net.day_hub] + 1e-9))


class _Master:
    """The restricted LP: line rows, the rows of the kept hub days (`hubrows`: a compressed occupancy chain), the
    total row; the arcs taken in so far. A round that keeps more hub days builds the model again from the basis
    it had, every kept day's occupancy and every column keeping its status (a new day's occupancy basic, its
    row at its bound: the cutting-plane warm start)."""

    def __init__(self, net: Network, start: np.ndarray, kept: np.ndarray, status: _Status):
        self.net, self.kept = net, kept
        self.h = highs()
        # dual simplex, also from the last round's basis: 26.8 s against 118.7 s for primal from the basis, in a
        # probe of column generation on a clustered corridor of 50,000 lines (7 December 2026)
        self.h.setOptionValue("simplex_strategy", 1)
        # no cost perturbation: the costs are km less one reward, equal up to tenths of a km, and a perturbed
        # solve ends in a long clean-up (2,400 iterations against 70 after one column added, same corridor)
        self.h.setOptionValue("dual_simplex_cost_perturbation_multiplier", 0.0)
        self.col_of = np.full(len(net.tail), -1, np.int64)
        self.arcs = np.flatnonzero(start)  # arc of each route column, in column order
        self.rounds = 0
        self.steps: list[str] = []
        self.cost = np.zeros(len(net.tail))
        self.at_least = 0.0  # tonnes the plan moves at least (the total row's lower bound)
        self._build(status, alien=True)

    def _build(self, status: _Status, alien: bool) -> None:
        """The model of the kept days and the arcs taken in, from `status` (of every row, occupancy and arc)."""
        net, kept = self.net, self.kept
        ns, nd, k = len(net.supply_kg), len(net.demand_kg), len(kept)
        self.h.clearModel()
        self.r_hub, self.r_total = ns + nd, ns + nd + k
        lower = np.r_[np.zeros(ns + nd + k), self.at_least]
        upper = np.concatenate([net.supply_kg / 1000.0, net.demand_kg / 1000.0, np.zeros(k), [INF]])
        self.h.addRows(len(lower), lower, upper, 0, np.zeros(len(lower), np.int32), np.zeros(0, np.int32), np.zeros(0))
        starts, index, values = hubrows.occupancy_entries(net, kept)
        capacity = net.capacity_kg[net.day_hub[kept]] / 1000.0
        self.h.addCols(
            k, np.zeros(k), np.zeros(k), capacity, len(index), _i32(starts), _i32(self.r_hub + index), values
        )
        self.first_col = k
        self.ends = hubrows.chain_ends(net, kept, np.arange(len(net.tail)))
        self.col_of[:] = -1
        self._add(self.arcs)
        rows, occupancy, arcs = status
        self._warm(
            np.concatenate([rows[: ns + nd], rows[ns + nd + kept], rows[-1:]]),
            np.concatenate([occupancy[kept], arcs[self.arcs]]),
            alien,
        )

    def _add(self, arcs: np.ndarray) -> None:
        """Columns of `arcs`: their lines, the total, and the kept days where they enter and leave the hub."""
        net, n = self.net, len(arcs)
        if not n:
            return
        enter, leave = self.ends[0][arcs], self.ends[1][arcs]
        per = 3 + (enter >= 0) + (leave >= 0)
        starts = np.r_[0, np.cumsum(per)[:-1]]
        index = np.zeros(int(per.sum()), np.int64)
        values = np.ones(len(index))
        index[starts] = net.tail[arcs]
        index[starts + 1] = len(net.supply_kg) + net.head[arcs]
        index[starts + 2] = self.r_total
        enters, leaves = enter >= 0, leave >= 0
        index[starts[enters] + 3] = self.r_hub + enter[enters]
        values[starts[enters] + 3] = -1.0
        index[starts[leaves] + 3 + enters[leaves]] = self.r_hub + leave[leaves]
        n0 = self.h.getNumCol()
        self.h.addCols(n, self.cost[arcs], np.zeros(n), np.full(n, INF), len(index), _i32(starts), _i32(index), values)
        self.col_of[arcs] = n0 + np.arange(n)

    def _warm(self, rows: np.ndarray, cols: np.ndarray, alien: bool) -> None:
        """Start from these row and column statuses (an alien basis: HiGHS repairs it when it is not one)."""
        import highspy

        status = [highspy.HighsBasisStatus(i) for i in range(5)]  # by value: lower, basic, upper, zero, nonbasic
        basis = highspy.HighsBasis()
        basis.row_status = [status[x] for x in rows.tolist()]
        basis.col_status = [status[x] for x in cols.tolist()]
        basis.alien = alien
        basis.valid = True
        self.h.setBasis(basis)

    def status(self) -> _Status:
        """Status of every line row, hub-day row and the total, of every hub day's occupancy and of every arc,
        in the full chain's terms: a day without a row has its row at its bound and its occupancy basic."""
        net, kept, ns_nd = self.net, self.kept, len(self.net.supply_kg) + len(self.net.demand_kg)
        basis = self.h.getBasis()
        rows = np.array([r.value for r in basis.row_status], np.int64)
        cols = np.array([c.value for c in basis.col_status], np.int64)
        full_rows = np.full(ns_nd + len(net.day_hub) + 1, LOWER, np.int64)
        full_rows[:ns_nd] = rows[:ns_nd]
        full_rows[ns_nd + kept] = rows[self.r_hub : self.r_total]
        full_rows[-1] = rows[self.r_total]
        occupancy = np.full(len(net.day_hub), BASIC, np.int64)
        occupancy[kept] = cols[: self.first_col]
        arcs = np.full(len(net.tail), LOWER, np.int64)
        arcs[self.arcs] = cols[self.col_of[self.arcs]]
        return full_rows, occupancy, arcs

    def _objective(self, cost: np.ndarray) -> None:
        self.cost = cost
        cols = self.col_of[self.arcs].astype(np.int32)
        self.h.changeColsCost(len(cols), cols, cost[self.arcs])

    def _run(self) -> None:
        """The dual simplex from the current basis; when it ends unsure (status unknown: seen after 7 iterations
        of a third round from the arcs within 15 km on 100,000 clustered lines), the primal simplex from where it
        stopped (there: 1,400 iterations to the same optimum)."""
        import highspy

        self.h.run()
        if self.h.getModelStatus() == highspy.HighsModelStatus.kUnknown:
            self.h.setOptionValue("simplex_strategy", 4)
            self.h.run()
            self.h.setOptionValue("simplex_strategy", 1)

    def _generate(self) -> None:
        """Solve; keep the peak days over capacity of the plan and take in the arcs that price negative with the
        duals (the most negative); until no day is over and no arc prices negative."""
        import highspy

        net, ns = self.net, len(self.net.supply_kg)
        while True:
            self._run()
            self.rounds += 1
            status = self.h.getModelStatus()
            if status != highspy.HighsModelStatus.kOptimal:
                raise RuntimeError(f"allocation LP ended {self.h.modelStatusToString(status)}")
            y = np.asarray(self.h.getSolution().row_dual)
            enter, leave = self.ends
            hub = np.where(leave >= 0, y[self.r_hub + np.maximum(leave, 0)], 0.0)
            hub -= np.where(enter >= 0, y[self.r_hub + np.maximum(enter, 0)], 0.0)
            reduced = self.cost - y[net.tail] - y[ns + net.head] - y[self.r_total] - hub
            reduced[self.arcs] = 0.0
            out = np.flatnonzero(reduced < -PRICE_TOL)
            if len(out) > ADD_AT_MOST:
                out = out[np.argsort(reduced[out], kind="stable")[:ADD_AT_MOST]]
            days = hubrows.peaks(net, self._tonnes(), TOL, self.kept)
            if not len(out) and not len(days):
                return
            out = np.sort(out)
            if len(days):
                status_now = self.status()
                self.arcs = np.concatenate([self.arcs, out])
                self.kept = np.union1d(self.kept, days)
                self._build(status_now, alien=False)
            else:
                self._add(out)
                self.arcs = np.concatenate([self.arcs, out])

    def _tonnes(self) -> np.ndarray:
        x = np.asarray(self.h.getSolution().col_value)
        out = np.zeros(len(self.net.tail))
        out[self.arcs] = np.maximum(x[self.col_of[self.arcs]], 0.0)
        return out

    def optimum(self, most: float) -> Solution:
        """Lexicographic optimum; `most`: the relaxed maximum flow in tonnes, an upper bound on the tonnes."""
        km = self.net.km10 / 10.0
        self._objective(km - REWARD_PER_KM * max(float(km.max()), 1.0))
        self._generate()
        self.steps.append("weighted")
        x = self._tonnes()
        if x.sum() < most - TOL:
            self._objective(np.full(len(km), -1.0))
            self._generate()
            self.steps.append("most")
            best = float(self._tonnes().sum())
            if x.sum() < best - TOL:
                self.at_least = max(best * (1 - 1e-9) - TOL, 0.0)
                self.h.changeRowBounds(self.r_total, self.at_least, INF)
                self._objective(km)
                self._generate()
                self.steps.append("least")
                x = self._tonnes()
        in_lp = np.zeros(len(self.net.tail), bool)
        in_lp[self.arcs] = True
        rows, occupancy, arcs = self.status()
        return Solution(x, False, self.rounds, len(self.arcs), self.steps, in_lp, rows, occupancy, arcs, len(self.kept))


def _i32(a: np.ndarray) -> np.ndarray:
    return a.astype(np.int32)
