"""The network the allocation flows on: merged lines as nodes, the routes between them as arcs.

Lines of one project with the same category, quality and window have the same routes (same hubs,
km and days in storage) to the same lines: they become one node whose quantity is their sum, and
the routes between two such nodes one arc. A group of routes that does not have this shape (a
candidate list that is not the join's, as in hand-made tests) leaves its lines unmerged. The flow
on an arc is split back onto its lines deterministically: the node's lines in id order take the
node's arcs in order, each line filled before the next (north-west corner), on both sides.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from .findings import RouteColumns
from .model import Demand, Supply

Line = Supply | Demand
Stay = tuple[int, int]  # days [first, after last) in the hub
DAYS = 1 << 24  # day ordinals stay below this: hub number * DAYS + day orders by hub, then day


@dataclass
class Network:
    """Merged nodes and arcs as columns; hub days as rows sorted by (hub, day)."""

    supply_lines: list[tuple[str, ...]]  # the lines of each supply node, sorted by id
    demand_lines: list[tuple[str, ...]]
    supply_kg: np.ndarray  # node quantities in kilograms
    demand_kg: np.ndarray
    tail: np.ndarray  # supply node of each arc
    head: np.ndarray  # demand node of each arc
    via: list[str]  # hub of each arc, "" when direct
    km10: np.ndarray  # tenths of a km per arc
    row_first: np.ndarray  # hub-day row where the arc's material arrives, -1 when direct
    row_after: np.ndarray  # hub-day row of the day after its last day in the hub
    day_hub: np.ndarray  # hub number of each hub-day row
    day_key: np.ndarray  # hub number * 2**24 + day of each hub-day row: the row's identity from one network to the next
    capacity_kg: np.ndarray  # per hub number
    route: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # a route of each arc (its only one
    # when neither node is merged): a position in the routes the network was built from

    @cached_property
    def supply_set(self) -> set[tuple[str, ...]]:
        return set(self.supply_lines)

    @cached_property
    def demand_set(self) -> set[tuple[str, ...]]:
        return set(self.demand_lines)

    @property
    def merged(self) -> int:
        """Lines that share a node with another line."""
        return sum(len(m) for m in (*self.supply_lines, *self.demand_lines) if len(m) > 1)


def _kg(tonnes: float) -> int:
    return round(tonnes * 1000)


def _key(line: Line) -> tuple[str, ...]:
    if isinstance(line, Supply):
        w, q = line.available, line.condition
    else:
        w, q = line.needed, line.min_quality
    return (line.project, line.category, q.value, w.start.isoformat(), w.end.isoformat())


def build(
    routes: RouteColumns, first: np.ndarray, after: np.ndarray, lines: dict[str, Line], capacity: dict[str, float]
) -> Network:
    """The network of candidate `routes`: their lines numbered in id order (`supply_ids` and `demand_ids` sorted,
    each line with a route), their hubs in the order of `sorted(capacity)`; `first` and `after`: the day each
    route's material arrives in its hub and the day after its last day there (-1 when direct)."""
    hubs = sorted(capacity)
    assert list(routes.hub_ids) == hubs  # hub numbers are positions among the sorted hubs
    if not len(routes):
        none = np.zeros(0, np.int64)
        return Network([], [], none, none, none, none, [], none, none, none, none, none, _capacities(hubs, capacity))
    s_ids, d_ids = list(routes.supply_ids), list(routes.demand_ids)
    s_line, d_line = routes.supply.astype(np.int64), routes.demand.astype(np.int64)
    hub = routes.hub.astype(np.int64)
    km10 = np.round(routes.km * 10).astype(np.int64)
    s_keys = [_key(lines[i]) for i in s_ids]
    d_keys = [_key(lines[i]) for i in d_ids]
    alone_s, alone_d = np.zeros(len(s_ids), bool), np.zeros(len(d_ids), bool)
    while True:
        s_node, s_size = _nodes(s_keys, alone_s)
        d_node, d_size = _nodes(d_keys, alone_d)
        arc_of = np.stack([s_node[s_line], d_node[d_line], hub])
        order = np.argsort((arc_of[0] * len(d_size) + arc_of[1]) * (len(hubs) + 1) + arc_of[2] + 1, kind="stable")
        arc_sorted = arc_of[:, order]
        new_arc = np.r_[True, np.any(arc_sorted[:, 1:] != arc_sorted[:, :-1], axis=0)]
        at = np.flatnonzero(new_arc)
        count = np.diff(np.r_[at, len(order)])
        tails, heads = arc_sorted[0, at], arc_sorted[1, at]
        shape = np.stack([km10[order], first[order], after[order]])
        uniform = np.all(np.maximum.reduceat(shape, at, axis=1) == np.minimum.reduceat(shape, at, axis=1), axis=0)
        bad = ~uniform | (count != s_size[tails] * d_size[heads])
        if not bad.any():
            break
        alone_s |= np.isin(s_node, tails[bad]) & (s_size[s_node] > 1)
        alone_d |= np.isin(d_node, heads[bad]) & (d_size[d_node] > 1)
    pick = order[at]  # one route of each arc
    hub_days, row_first, row_after = hub_rows(hub[pick], first[pick], after[pick])
    s_members = _members(s_ids, s_node, len(s_size))
    d_members = _members(d_ids, d_node, len(d_size))
    return Network(
        supply_lines=s_members,
        demand_lines=d_members,
        supply_kg=np.array([sum(_kg(lines[i].quantity) for i in m) for m in s_members], np.int64),
        demand_kg=np.array([sum(_kg(lines[i].quantity) for i in m) for m in d_members], np.int64),
        tail=tails,
        head=heads,
        via=[hubs[h] if h >= 0 else "" for h in arc_sorted[2, at].tolist()],
        km10=km10[pick],
        row_first=row_first,
        row_after=row_after,
        day_hub=hub_days // DAYS,
        day_key=hub_days,
        capacity_kg=_capacities(hubs, capacity),
        route=pick,
    )


def hub_rows(hub: np.ndarray, first: np.ndarray, after: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Hub days as rows sorted by (hub, day): their numbers (hub * DAYS + day) for the days material arrives in or
    leaves a hub; and the row of each route's first day in its hub and of the day after its stay (-1 when
    direct: `hub` -1)."""
    via = hub >= 0
    arrive, leave = hub * DAYS + first, hub * DAYS + after
    days = np.unique(np.concatenate([arrive[via], leave[via]]))
    return days, np.where(via, np.searchsorted(days, arrive), -1), np.where(via, np.searchsorted(days, leave), -1)


def row_load(row_first: np.ndarray, row_after: np.ndarray, day_hub: np.ndarray, tonnes: np.ndarray) -> np.ndarray:
    """Tonnes in the hub on each hub-day row (`hub_rows`), from that day to the hub's next row: what arrived on
    or before it and leaves after it (`tonnes` per route or arc, with its rows; -1 when direct)."""
    via = row_first >= 0
    delta = np.zeros(len(day_hub) + 1)
    np.add.at(delta, row_first[via], tonnes[via])
    np.add.at(delta, row_after[via], -tonnes[via])
    out = np.zeros(len(day_hub))
    for at in np.split(np.arange(len(day_hub)), np.flatnonzero(np.diff(day_hub)) + 1):
        if len(at):
            out[at] = np.cumsum(delta[at])
    return out


def parts(net: Network, arcs_at_most: int) -> list[np.ndarray]:
    """The arcs in groups of whole connected parts of the network (supply and demand nodes joined by arcs, hubs
    aside), a group up to `arcs_at_most` arcs unless one part alone has more; parts in the order of their lowest
    node, arcs in arc order within a part."""
    ns = len(net.supply_kg)
    label = np.arange(ns + len(net.demand_kg))
    a, b = net.tail, ns + net.head
    while True:  # each node takes the lowest label among its neighbours', then its label's label
        low = np.minimum(label[a], label[b])
        new = label.copy()
        np.minimum.at(new, a, low)
        np.minimum.at(new, b, low)
        new = new[new]
        if np.array_equal(new, label):
            break
        label = new
    part = label[a]
    order = np.argsort(part, kind="stable")
    first = np.flatnonzero(np.r_[True, part[order][1:] != part[order][:-1]])
    ends = np.r_[first[1:], len(order)]
    groups, start = [], 0
    for i in range(1, len(first) + 1):
        if i == len(first) or ends[i] - first[start] > arcs_at_most:
            groups.append(order[first[start] : ends[i - 1]])
            start = i
    return groups


def _capacities(hubs: list[str], capacity: dict[str, float]) -> np.ndarray:
    return np.array([_kg(capacity[h]) for h in hubs], np.int64)


def _nodes(keys: list[tuple[str, ...]], alone: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Node of each line (lines in id order; nodes in key order) and the number of lines of each node."""
    ranked = sorted(range(len(keys)), key=lambda i: (keys[i], i if alone[i] else -1))
    node = np.zeros(len(keys), np.int64)
    n = -1
    for j, i in enumerate(ranked):
        if j == 0 or alone[i] or alone[ranked[j - 1]] or keys[i] != keys[ranked[j - 1]]:
            n += 1
        node[i] = n
    return node, np.bincount(node, minlength=n + 1)


def _members(ids: list[str], node: np.ndarray, n: int) -> list[tuple[str, ...]]:
    out: list[list[str]] = [[] for _ in range(n)]
    for i, k in zip(ids, node.tolist(), strict=True):
        out[k].append(i)
    return [tuple(m) for m in out]


def _fill(members: tuple[str, ...], lines: dict[str, Line], amounts: list[int]) -> list[list[tuple[str, int]]]:
    """North-west corner: `amounts` (kg, in arc order) taken from the lines in id order, each filled first."""
    out: list[list[tuple[str, int]]] = []
    at, left = 0, _kg(lines[members[0]].quantity)
    for amount in amounts:
        parts: list[tuple[str, int]] = []
        while amount > 0:
            if left <= 0 and at < len(members) - 1:
                at += 1
                left = _kg(lines[members[at]].quantity)
            take = amount if at == len(members) - 1 else min(amount, left)  # the last line takes any rounding
            parts.append((members[at], take))
            amount -= take
            left -= take
        out.append(parts)
    return out


def split(net: Network, tonnes: np.ndarray, routes: RouteColumns, lines: dict[str, Line]) -> np.ndarray:
    """Kilograms per route (`routes`, in route order, the network's own) from tonnes per arc (lines in id order on
    each node)."""
    kg = np.round(tonnes * 1000).astype(np.int64)
    out = np.zeros(len(routes), np.int64)
    used = np.flatnonzero(kg > 0)
    s_size = np.array([len(m) for m in net.supply_lines], np.int64)
    d_size = np.array([len(m) for m in net.demand_lines], np.int64)
    alone = (s_size[net.tail[used]] == 1) & (d_size[net.head[used]] == 1)
    out[net.route[used[alone]]] = kg[used[alone]]
    by_tail: dict[int, list[int]] = {}
    by_head: dict[int, list[int]] = {}
    for a in used[~alone].tolist():
        by_tail.setdefault(int(net.tail[a]), []).append(a)
        by_head.setdefault(int(net.head[a]), []).append(a)
    if not by_tail:
        return out
    s_parts: dict[int, list[tuple[str, int]]] = {}
    for t, arcs in by_tail.items():  # arcs in (demand node, hub) order
        s_parts.update(zip(arcs, _fill(net.supply_lines[t], lines, [int(kg[a]) for a in arcs]), strict=True))
    d_parts: dict[int, list[tuple[str, int]]] = {}
    for h, arcs in by_head.items():  # arcs in (supply node, hub) order
        d_parts.update(zip(arcs, _fill(net.demand_lines[h], lines, [int(kg[a]) for a in arcs]), strict=True))
    s_no = {i: n for n, i in enumerate(routes.supply_ids)}
    d_no = {i: n for n, i in enumerate(routes.demand_ids)}
    code = _codes(routes.supply, routes.demand, routes.hub, len(routes.demand_ids), len(routes.hub_ids))
    for a, sp in s_parts.items():
        dp = list(d_parts[a])
        hub = int(routes.hub[net.route[a]])
        j = 0
        for s, amount in sp:
            while amount > 0:
                d, room = dp[j]
                take = min(amount, room)
                at = _codes(s_no[s], d_no[d], hub, len(routes.demand_ids), len(routes.hub_ids))
                out[np.searchsorted(code, at)] += take
                amount -= take
                dp[j] = (d, room - take)
                if dp[j][1] == 0:
                    j += 1
    return out


def _codes(supply: Any, demand: Any, hub: Any, demands: int, hubs: int) -> Any:
    """A number per (supply, demand, hub) that orders as they do: routes in route order have rising codes."""
    return (supply * demands + demand) * (hubs + 1) + hub + 1
