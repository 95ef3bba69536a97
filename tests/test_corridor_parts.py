"""The plan without hub capacities solved part by part: groups of whole connected parts of the network, each its own
minimum-cost flow, with the optimum of one flow over the whole network."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from ortools.graph.python import min_cost_flow

from cgc_rules.corridor import flow
from cgc_rules.corridor.allocate import Plan
from cgc_rules.corridor.engine import CorridorEngine
from cgc_rules.corridor.load import load_corridor
from cgc_rules.corridor.network import Network, parts

from .test_corridor_flow import AS_OF, CASES, direct_network, generated


def test_parts_group_whole_connected_parts_in_order_of_their_lowest_node():
    """Arcs s0-d0, s2-d2, s0-d1, s3-d3, s1-d1: parts {s0, s1, d0, d1} (arcs 0, 2, 4), {s2, d2} (1), {s3, d3} (3)."""
    net = direct_network([0, 2, 0, 3, 1], [0, 2, 1, 3, 1], [5] * 4, [5] * 4, [10] * 5)
    assert [g.tolist() for g in parts(net, 10)] == [[0, 2, 4, 1, 3]]
    assert [g.tolist() for g in parts(net, 4)] == [[0, 2, 4, 1], [3]]
    assert [g.tolist() for g in parts(net, 1)] == [[0, 2, 4], [1], [3]]  # a part larger than the limit stays whole


def test_the_plan_of_two_parts_is_worked_by_hand(monkeypatch):
    """Part one: s0 (10 t) to d0 (6 t) 5 km or d1 (10 t) 8 km, s1 (4 t) to d1 3 km; part two: s2 (7 t) to d2 (5 t)
    2 km. Most tonnes: 10 + 4 + 5 = 19 t; fewest tonne-km at that: s1-d1 4 t, s0-d0 6 t, s0-d1 4 t, s2-d2 5 t."""
    net = direct_network([0, 0, 1, 2], [0, 1, 1, 2], [10_000, 4_000, 7_000], [6_000, 10_000, 5_000], [50, 80, 30, 20])
    monkeypatch.setattr(flow, "RELAXED_PART_ARCS", 1)  # each part its own flow
    assert flow._relaxed(net).tolist() == [6_000, 4_000, 4_000, 5_000]


def _whole(net: Network) -> tuple[int, int]:
    """Kilograms and kg × tenths of a km of one maximum flow with the least cost over the whole network."""
    ns, nd = len(net.supply_kg), len(net.demand_kg)
    mcf = min_cost_flow.SimpleMinCostFlow()
    arcs = mcf.add_arcs_with_capacity_and_unit_cost(
        np.concatenate([np.full(ns, ns + nd), net.tail, ns + np.arange(nd)]),
        np.concatenate([np.arange(ns), ns + net.head, np.full(nd, ns + nd + 1)]),
        np.concatenate([net.supply_kg, np.full(len(net.tail), net.supply_kg.sum()), net.demand_kg]),
        np.concatenate([np.zeros(ns, np.int64), net.km10, np.zeros(nd, np.int64)]),
    )
    supplies = np.zeros(ns + nd + 2, np.int64)
    supplies[ns + nd], supplies[ns + nd + 1] = net.supply_kg.sum(), -net.supply_kg.sum()
    mcf.set_nodes_supplies(np.arange(ns + nd + 2), supplies)
    assert mcf.solve_max_flow_with_min_cost() == mcf.OPTIMAL
    kg = mcf.flows(arcs[ns : ns + len(net.tail)])
    return int(kg.sum()), int(kg @ net.km10)


@pytest.mark.parametrize("limit", [1, 200, 1_000_000])
def test_part_by_part_has_the_optimum_of_one_flow_over_the_whole_network(tmp_path: Path, monkeypatch, limit: int):
    corridor = load_corridor(generated(tmp_path, *CASES["medium, clustered, hubs full"]))
    with CorridorEngine(corridor, AS_OF) as e:
        e.load_all()
        plan = Plan({h.id: h.capacity_t for h in corridor.hubs.values()})
        plan.put(e.candidates(), dict(e.lines))
        plan.solve()
    net = plan.network
    assert net is not None
    assert len(parts(net, 1)) > 10  # many parts: categories and places apart
    monkeypatch.setattr(flow, "RELAXED_PART_ARCS", limit)
    kg = flow._relaxed(net)
    assert (int(kg.sum()), int(kg @ net.km10)) == _whole(net)
    out = np.bincount(net.tail, kg, len(net.supply_kg))
    into = np.bincount(net.head, kg, len(net.demand_kg))
    assert np.all(out <= net.supply_kg)
    assert np.all(into <= net.demand_kg)
