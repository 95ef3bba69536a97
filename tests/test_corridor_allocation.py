"""Hub capacity in the allocation, hand-worked on a small corridor written to a temporary directory.

All places lie on the meridian 5.4° E, so a distance is 111.19 km per degree of latitude:
hub 52.00, donors A 52.02 and B 51.97, receivers LATE 52.05 and NOW 52.10. Both donors have
50 t of bricks free in March; LATE needs 100 t in June (only through the hub, 62 days' wait),
NOW needs 50 t in March (direct). The hub holds 50 t.

| route | km | per 50 t |
|---|---|---|
| A → hub → LATE | 2.2 + 5.6 = 7.8 | 390 tkm |
| B → hub → LATE | 3.3 + 5.6 = 8.9 | 445 tkm |
| A → NOW direct | 8.9 | 445 tkm |
| B → NOW direct | 14.5 | 725 tkm |

Without the cap both donors go through the hub (835 tkm, 100 t in a 50 t hub). With it, 100 t
still move; A through the hub and B direct is 1,115 tkm, B through the hub and A direct 890 tkm:
the hub's place goes to B, although A's hub route is the shorter one.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from cgc_rules.corridor.allocate import Allocation, FullHub, allocate
from cgc_rules.corridor.engine import Findings, run
from cgc_rules.corridor.findings import Route
from cgc_rules.corridor.load import Corridor, load_corridor
from cgc_rules.corridor.texts import allocation_text

RULESETS = Path(__file__).resolve().parent.parent / "cgc_rules" / "data" / "corridors" / "rulesets"
NBSP = "\u00a0"

CORRIDOR = """\
id: hub-test
name: Hub test
example: true
rules_of_play:
  ruleset: cgc-corridor@2024.1
  values:
    max_transport_km: {value: 15, example: true}
    inventory_notice_weeks: {value: 12, example: true}
    expiry_warning_days: {value: 30, example: true}
partners:
  - {id: p, name: Partner, kind: contractor}
hubs:
  - id: hub
    name: Hub
    place: {lat: 52.00, lon: 5.4}
    capacity_t: %(capacity)s
    max_storage_days: 180
"""

PROJECTS = """\
projects:
  - {id: pa, name: A, partner: p, role: donor, place: {lat: 52.02, lon: 5.4}, inventory_published: 2025-01-01}
  - {id: pb, name: B, partner: p, role: donor, place: {lat: 51.97, lon: 5.4}, inventory_published: 2025-01-01}
  - {id: late, name: LATE, partner: p, role: receiver, place: {lat: 52.05, lon: 5.4}}
  - {id: now, name: NOW, partner: p, role: receiver, place: {lat: 52.10, lon: 5.4}}
"""

INVENTORY = """\
supply:
  - {id: s-a, project: pa, category: brick, description: A, quantity: 50, condition: good,
     available: {start: 2026-03-01, end: 2026-03-31}}
  - {id: s-b, project: pb, category: brick, description: B, quantity: 50, condition: good,
     available: {start: 2026-03-01, end: 2026-03-31}}
demand:
  - {id: d-late, project: late, category: brick, description: LATE, quantity: 100, min_quality: fair,
     needed: {start: 2026-06-01, end: 2026-06-30}}
  - {id: d-now, project: now, category: brick, description: NOW, quantity: 50, min_quality: fair,
     needed: {start: 2026-03-01, end: 2026-03-31}}
"""


def _corridor(tmp_path: Path, capacity: float, inventory: str = INVENTORY) -> tuple[Corridor, Findings]:
    shutil.copytree(RULESETS, tmp_path / "rulesets")
    d = tmp_path / "hub-test"
    d.mkdir()
    (d / "corridor.yaml").write_text(CORRIDOR % {"capacity": capacity})
    (d / "projects.yaml").write_text(PROJECTS)
    (d / "inventory.yaml").write_text(inventory)
    corridor = load_corridor(d)
    return corridor, run(corridor, date(2026, 2, 1))


def _allocations(tmp_path: Path, capacity: float, inventory: str = INVENTORY) -> list[Allocation]:
    corridor, findings = _corridor(tmp_path, capacity, inventory)
    return allocate(corridor, findings.candidates)


def _lines(allocations: list[Allocation]) -> list[tuple]:
    return [(a.route.supply, a.route.demand, a.route.via, a.route.km, a.tonnes, a.tonne_km) for a in allocations]


def test_candidates_as_worked_out(tmp_path):
    _, findings = _corridor(tmp_path, 50)
    assert [(r.key, r.km, r.leg_km, r.storage_days) for r in findings.candidates] == [
        ("s-a>hub>d-late", 7.8, 5.6, 62),
        ("s-a>direct>d-now", 8.9, 8.9, 0),
        ("s-b>hub>d-late", 8.9, 5.6, 62),
        ("s-b>direct>d-now", 14.5, 14.5, 0),
    ]


def test_without_a_binding_cap_both_donors_use_the_hub(tmp_path):
    allocations = _allocations(tmp_path, 100)
    assert _lines(allocations) == [
        ("s-a", "d-late", "hub", 7.8, 50.0, 390.0),
        ("s-b", "d-late", "hub", 8.9, 50.0, 445.0),
    ]
    assert all(a.full_hubs == () for a in allocations)
    assert "zat vol" not in allocation_text(allocations[0], "nl")


def test_two_donors_compete_for_a_hub_with_room_for_one(tmp_path):
    allocations = _allocations(tmp_path, 50)
    assert _lines(allocations) == [
        ("s-a", "d-now", "", 8.9, 50.0, 445.0),
        ("s-b", "d-late", "hub", 8.9, 50.0, 445.0),
    ]
    assert [a.full_hubs for a in allocations] == [(FullHub("hub", 50.0),)] * 2
    direct, through = allocations
    assert allocation_text(direct, "en") == (
        f"50{NBSP}t from s-a to d-now, direct transport, 8.9{NBSP}km, 445{NBSP}tkm; "
        f"hub hub was full (capacity 50{NBSP}t), so direct transport; "
        f"other donors for this demand: s-b (14.5{NBSP}km)"
    )
    assert allocation_text(direct, "nl") == (
        f"50{NBSP}t van s-a naar d-now, direct vervoer, 8,9{NBSP}km, 445{NBSP}tkm; "
        f"hub zat vol (capaciteit 50{NBSP}t), daarom direct vervoer; andere donoren voor deze vraag: s-b (14,5{NBSP}km)"
    )
    assert f"hub hub was full (capacity 50{NBSP}t), no more fits through it" in allocation_text(through, "en")
    assert f"hub zat vol (capaciteit 50{NBSP}t), er past niet meer door" in allocation_text(through, "nl")


def test_a_hub_with_room_for_part_of_one_donor(tmp_path):
    # 30 t of room; 80 t can move. B through the hub: 30 × 8.9 + 50 × 8.9 (A to NOW) = 712 tkm;
    # A through the hub: 30 × 7.8 + 20 × 8.9 (A to NOW) + 30 × 14.5 (B to NOW) = 847 tkm.
    allocations = _allocations(tmp_path, 30)
    assert _lines(allocations) == [
        ("s-a", "d-now", "", 8.9, 50.0, 445.0),
        ("s-b", "d-late", "hub", 8.9, 30.0, 267.0),
    ]


def test_capacity_is_shared_by_all_categories(tmp_path):
    # a second category through the same hub: 20 t of tiles from A to LATE (7.8 km), nothing else
    # for them; 50 t of room leaves 30 t for bricks, which go as in the 30 t case
    tiles = """\
  - {id: s-a-tiles, project: pa, category: tiles, description: A, quantity: 20, condition: good,
     available: {start: 2026-03-01, end: 2026-03-31}}
"""
    late = """\
  - {id: d-late-tiles, project: late, category: tiles, description: LATE, quantity: 20, min_quality: fair,
     needed: {start: 2026-06-01, end: 2026-06-30}}
"""
    inventory = INVENTORY.replace("demand:\n", tiles + "demand:\n") + late
    allocations = _allocations(tmp_path, 50, inventory)
    assert _lines(allocations) == [
        ("s-a", "d-now", "", 8.9, 50.0, 445.0),
        ("s-a-tiles", "d-late-tiles", "hub", 7.8, 20.0, 156.0),
        ("s-b", "d-late", "hub", 8.9, 30.0, 267.0),
    ]


def test_same_plan_whatever_the_order_of_candidates(tmp_path):
    corridor, findings = _corridor(tmp_path, 30)
    assert allocate(corridor, findings.candidates[::-1]) == allocate(corridor, findings.candidates)


def test_text_when_material_went_through_another_hub():
    route = Route("s-a", "d-b", "hub-y", 6.0, 11.0, 40)
    a = Allocation(route, 10.0, 110.0, (), (FullHub("hub-x", 500.0),))
    assert f"hub hub-x was full (capacity 500{NBSP}t), so via hub hub-y;" in allocation_text(a, "en")
    assert f"hub-x zat vol (capaciteit 500{NBSP}t), daarom via hub-y;" in allocation_text(a, "nl")


def _small_instance(rnd):
    """2–3 donors and receivers, one or two hubs with little room, routes drawn at random."""
    from datetime import timedelta

    from cgc_rules.corridor.model import Demand, Supply, Window

    def window(first: int, days: int) -> Window:
        return Window(
            start=date(2026, 3, 1) + timedelta(days=first), end=date(2026, 3, 1) + timedelta(days=first + days)
        )

    sup = [
        Supply(
            id=f"s{i}",
            project="p",
            category="c",
            description="x",
            quantity=rnd.randint(1, 4),
            condition="good",
            available=window(rnd.randint(0, 20), rnd.randint(0, 10)),
        )
        for i in range(rnd.randint(2, 3))
    ]
    dem = [
        Demand(
            id=f"d{i}",
            project="p",
            category="c",
            description="x",
            quantity=rnd.randint(1, 4),
            min_quality="fair",
            needed=window(rnd.randint(0, 40), rnd.randint(0, 10)),
        )
        for i in range(rnd.randint(2, 3))
    ]
    hubs = {f"h{i}": float(rnd.randint(1, 4)) for i in range(rnd.randint(1, 2))}
    routes = []
    for s in sup:
        for d in dem:
            gap = (d.needed.start - s.available.end).days
            for via in ["", *hubs]:
                if rnd.random() < 0.45:
                    routes.append(Route(s.id, d.id, via, 1.0, float(rnd.randint(1, 30)), max(gap, 0) if via else 0))
    return {ln.id: ln for ln in (*sup, *dem)}, hubs, routes[:6]


def _best_by_search(lines, hubs, routes):
    """Every whole-tonne plan: the most tonnes, then the fewest tonne-km (hub stock checked day by day)."""
    import itertools

    from cgc_rules.corridor.allocate import stay

    stays = {r.key: stay(r, lines[r.supply], lines[r.demand]) for r in routes if r.via}
    best = (0.0, 0.0)
    ranges = [range(int(min(lines[r.supply].quantity, lines[r.demand].quantity)) + 1) for r in routes]
    for x in itertools.product(*ranges):
        used: dict[str, float] = {}
        for r, t in zip(routes, x, strict=False):
            used[r.supply] = used.get(r.supply, 0) + t
            used[r.demand] = used.get(r.demand, 0) + t
        if any(used[k] > lines[k].quantity for k in used):
            continue
        days = {d for a, b in stays.values() for d in range(a, b)}
        if any(
            sum(t for r, t in zip(routes, x, strict=False) if r.via == h and stays[r.key][0] <= day < stays[r.key][1])
            > cap
            for h, cap in hubs.items()
            for day in days
        ):
            continue
        score = (float(sum(x)), -sum(t * r.km for r, t in zip(routes, x, strict=False)))
        best = max(best, score)
    return best[0], -best[1]


@pytest.mark.parametrize("solver", ["flow", "lp"])
def test_plan_matches_exhaustive_search_on_small_corridors(solver):
    import random

    from cgc_rules.corridor.allocate import Plan
    from cgc_rules.corridor.lp import LpPlan

    rnd = random.Random(5)
    integral = 0
    for _ in range(40):
        lines, hubs, routes = _small_instance(rnd)
        plan = Plan(hubs) if solver == "flow" else LpPlan(hubs)
        plan.put(routes, lines)
        flows = plan.solve()
        tonnes = sum(flows.values())
        tkm = sum(t * plan.routes[k].km for k, t in flows.items())
        best_t, best_tkm = _best_by_search(lines, hubs, routes)
        assert tonnes >= best_t - 1e-6
        if all(abs(t - round(t)) < 1e-6 for t in flows.values()):
            integral += 1
            assert abs(tonnes - best_t) < 1e-6
            assert abs(tkm - best_tkm) < 1e-6
        for (hub, _), load in plan.hub_load(flows).items():
            assert load <= hubs[hub] + 1e-6
    assert integral >= 35  # nearly every small plan is whole tonnes, and those equal the search


def test_hub_room_is_shared_over_time(tmp_path):
    """Stays that do not overlap share the hub: A's 50 t wait from March to June and B's 50 t from July to
    September, both in a 50 t hub (835 tkm). Counted as if all were there at once, one would have to go
    direct instead (A to NOW, 890 tkm)."""
    later = INVENTORY.replace(
        "  - {id: d-now,",
        """  - {id: d-later, project: late, category: brick, description: LATER, quantity: 50, min_quality: fair,
     needed: {start: 2026-09-01, end: 2026-09-30}}
  - {id: d-now,""",
    ).replace(
        """  - {id: s-b, project: pb, category: brick, description: B, quantity: 50, condition: good,
     available: {start: 2026-03-01, end: 2026-03-31}}""",
        """  - {id: s-b, project: pb, category: brick, description: B, quantity: 50, condition: good,
     available: {start: 2026-07-01, end: 2026-07-10}}""",
    )
    allocations = _allocations(tmp_path, 50, later)
    through = [(a.route.supply, a.route.demand, a.tonnes) for a in allocations if a.route.via]
    assert through == [("s-a", "d-late", 50.0), ("s-b", "d-later", 50.0)]
    assert sum(a.tonne_km for a in allocations) == 835.0


def _reference_optimum(lines, hubs, routes) -> tuple[float, float]:
    """The allocation LP as first written: a row per hub and day summing every stay that covers the day,
    solved twice from scratch by the dual simplex (most tonnes, then fewest tonne-km)."""
    import highspy
    import numpy as np

    from cgc_rules.corridor.allocate import stay

    h = highspy.Highs()
    h.silent()
    inf = highspy.kHighsInf
    n = len(routes)
    h.addVars(n, np.zeros(n), np.full(n, inf))
    rows: list[tuple[float, list[int]]] = []
    for line in lines.values():
        rows.append((line.quantity, [i for i, r in enumerate(routes) if line.id in (r.supply, r.demand)]))
    stays = {i: stay(r, lines[r.supply], lines[r.demand]) for i, r in enumerate(routes) if r.via}
    for hub, cap in hubs.items():
        days = sorted({d for i, (a, b) in stays.items() if routes[i].via == hub for d in range(a, b)})
        rows += [(cap, [i for i, (a, b) in stays.items() if routes[i].via == hub and a <= d < b]) for d in days]
    for upper, cols in rows:
        h.addRow(0.0, upper, len(cols), np.array(cols, dtype=np.int32), np.ones(len(cols)))
    h.changeColsCost(n, np.arange(n, dtype=np.int32), np.full(n, -1.0))
    h.run()
    tonnes = -h.getInfo().objective_function_value
    h.addRow(tonnes - 1e-7, inf, n, np.arange(n, dtype=np.int32), np.ones(n))
    h.changeColsCost(n, np.arange(n, dtype=np.int32), np.array([r.km for r in routes]))
    h.run()
    return tonnes, h.getInfo().objective_function_value


def _mid_size_instance(rnd):
    """120 donors and receivers in one category, three small hubs, about 1,500 routes drawn at random
    (a quarter through a hub), so that the hubs are full on some days."""
    from datetime import timedelta

    from cgc_rules.corridor.model import Demand, Supply, Window

    def window(first: int, days: int) -> Window:
        day = date(2026, 3, 1) + timedelta(days=first)
        return Window(start=day, end=day + timedelta(days=days))

    sup = [
        Supply(
            id=f"s{i:03d}",
            project="p",
            category="c",
            description="x",
            quantity=rnd.randint(1, 60),
            condition="good",
            available=window(rnd.randint(0, 120), rnd.randint(0, 20)),
        )
        for i in range(120)
    ]
    dem = [
        Demand(
            id=f"d{i:03d}",
            project="p",
            category="c",
            description="x",
            quantity=rnd.randint(1, 60),
            min_quality="fair",
            needed=window(rnd.randint(0, 160), rnd.randint(0, 20)),
        )
        for i in range(120)
    ]
    hubs = {f"h{i}": float(rnd.randint(30, 90)) for i in range(3)}
    routes = []
    for s in sup:
        for d in dem:
            gap = (d.needed.start - s.available.end).days
            if rnd.random() < 0.08:
                routes.append(Route(s.id, d.id, "", 1.0, float(rnd.randint(5, 60)), 0))
            if gap > 0 and rnd.random() < 0.05:
                routes.append(Route(s.id, d.id, rnd.choice(list(hubs)), 1.0, float(rnd.randint(5, 60)), gap))
    return {ln.id: ln for ln in (*sup, *dem)}, hubs, routes


def test_flow_equals_the_first_lp_on_a_mid_size_corridor():
    """The network flow (its LP step: the hubs are full) and the LP summing every stay on every day have the
    same optimum, with every hub within its capacity on every day."""
    import random

    from cgc_rules.corridor.allocate import Plan

    lines, hubs, routes = _mid_size_instance(random.Random(11))
    plan = Plan(hubs)
    plan.put(routes, lines)
    flows = plan.solve()
    tonnes, tkm = _reference_optimum(lines, hubs, routes)
    assert plan.solution is not None
    assert not plan.solution.relaxed_fits
    assert sum(flows.values()) == pytest.approx(tonnes, abs=1e-3)
    assert sum(t * plan.routes[k].km for k, t in flows.items()) == pytest.approx(tkm, abs=0.05)
    load = plan.hub_load(flows)
    assert max(v - hubs[hub] for (hub, _), v in load.items()) <= 1e-6
    assert any(v >= hubs[hub] - 1e-6 for (hub, _), v in load.items())  # a hub was full: the rows mattered


@pytest.mark.parametrize("interior_from", [0, 1_000_000])
def test_lp_network_form_equals_the_first_lp_on_a_mid_size_corridor(monkeypatch, interior_from):
    """The reference LP (`lp.LpPlan`: hub rows chained by occupancy columns, solved by interior point or by the
    simplex method) has the optimum of the LP summing every stay on every day."""
    import random

    from cgc_rules.corridor import lp

    monkeypatch.setattr(lp, "INTERIOR_FROM", interior_from)
    monkeypatch.setattr(lp, "ROUTES_PER_ROW", 0)
    lines, hubs, routes = _mid_size_instance(random.Random(11))
    plan = lp.LpPlan(hubs)
    plan.put(routes, lines)
    flows = plan.solve()
    tonnes, tkm = _reference_optimum(lines, hubs, routes)
    assert sum(flows.values()) == pytest.approx(tonnes, abs=1e-3)
    assert sum(t * plan.routes[k].km for k, t in flows.items()) == pytest.approx(tkm, abs=0.05)


def test_a_route_with_room_left_is_told_longer_or_demand_met_by_the_allocation_it_is_told_to():
    """A demand's allocations run 5 to 9 km: a route with room left that is no shorter than the allocation it is
    told to was lost as longer, a shorter one because the demand was met; a full hub or a spent supply whatever
    its length. An allocation's own route is not among its alternatives."""
    import numpy as np

    from cgc_rules.corridor.allocate import HUB_FULL, LONGER, SUPPLY_USED, Alternative, Alternatives, Contenders
    from cgc_rules.corridor.findings import Candidates, RouteColumns

    kms = [4.0, 7.0, 12.0, 3.0, 8.0]
    routes = [Route(f"s{i}", "d", "hub" if i == 3 else "", km, km, 0) for i, km in enumerate(kms)]
    table = RouteColumns.of(routes)
    why = np.array([LONGER, LONGER, LONGER, HUB_FULL, SUPPLY_USED])
    c = Contenders(table, table.hub_ids, Candidates.of(routes), np.arange(5), np.arange(5), why)
    for allocated, seven in ((5.0, "longer"), (7.0, "longer"), (9.0, "demand_met")):
        assert list(Alternatives(c, 0, 5, -1, allocated)) == [
            Alternative(routes[0], "demand_met"),
            Alternative(routes[1], seven),
            Alternative(routes[2], "longer"),
            Alternative(routes[3], "hub_full", "hub"),
            Alternative(routes[4], "supply_used"),
        ]
    own = Alternatives(c, 0, 5, 1, 7.0)  # the allocation along routes[1]
    assert len(own) == 4
    assert [x.route for x in own] == [routes[0], routes[2], routes[3], routes[4]]
    assert [x.lost for x in own] == ["demand_met", "longer", "hub_full", "supply_used"]
