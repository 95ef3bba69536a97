"""The allocation as a network flow: the same optimum as the LP it replaced, merged lines, deterministic output.

Corridors are generated (seeded): projects spread over a region or, for the clustered ones, most of
them within a few km of two town centres; a share of the lines has a twin (same project, category,
quality and window, another id and quantity), so that lines merge into one node.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date, timedelta
from pathlib import Path

import highspy
import numpy as np
import pytest

from cgc_rules.corridor import flow, hubrows
from cgc_rules.corridor.allocate import Plan, allocate
from cgc_rules.corridor.engine import CorridorEngine
from cgc_rules.corridor.load import Corridor, load_corridor
from cgc_rules.corridor.lp import LpPlan
from cgc_rules.corridor.model import Demand, LinePut, Supply, Window
from cgc_rules.corridor.network import Network
from cgc_rules.corridor.potentials import reduced_costs
from tests.generated_corridor import Shape, Towns, generate

AS_OF = date(2026, 6, 1)
TOWNS = ((52.156, 5.387), (52.091, 5.122))


def generated(directory: Path, lines: int, hub_t: float, clustered: bool, seed: int, categories: int = 4) -> Path:
    """`lines` lines (plus twins of every fifth line) over two years, hubs of `hub_t` tonnes."""
    shape = Shape(
        id="gen",
        name="Generated",
        lines=lines,
        projects=max(2, lines // 40),
        seed=seed,
        lat=52.12,
        lon=5.25,
        half_lat=0.15,
        half_lon=0.3,
        approximate=False,
        towns=Towns(TOWNS, share=0.8, radius_km=4, lon_km=68.0) if clustered else None,
        hubs=4,
        hubs_in_towns=True,
        hub_id="hub-{}",
        hub_capacity_t=hub_t,
        hub_storage_days=120,
        days=730,
        length=(0, 60),
        phases=False,
        partner="P",
        project_id="pr-{:03d}",
        project_name="P{}",
        line_id="l-{:05d}",
        categories=categories,
        category="c{}",
        description="x",
        quantity=(1, 60),
        conditions=("fair", "good"),
        min_qualities=("poor", "fair", "good"),
        twin_every=5,
        notes=False,
    )
    return generate(directory, shape)


def _totals(flows: dict[str, float], routes: dict) -> tuple[float, float]:
    return sum(flows.values()), sum(t * routes[k].km for k, t in flows.items())


CASES = {  # lines, hub capacity (t), clustered, seed, categories
    "small, hubs with room": (300, 5000.0, False, 3, 4),
    "small, hubs full": (300, 40.0, False, 4, 4),
    "medium, clustered, hubs full": (1500, 150.0, True, 5, 20),
}


@pytest.fixture(scope="module", params=list(CASES))
def case(request, tmp_path_factory) -> tuple[str, Corridor, list, dict]:
    corridor = load_corridor(generated(tmp_path_factory.mktemp("gen"), *CASES[request.param]))
    with CorridorEngine(corridor, AS_OF) as e:
        e.load_all()
        return request.param, corridor, e.candidates(), dict(e.lines)


def test_flow_has_the_lp_optimum_on_generated_corridors(case):
    name, corridor, candidates, lines = case
    capacity = {h.id: h.capacity_t for h in corridor.hubs.values()}
    plan, lp = Plan(capacity), LpPlan(capacity)
    plan.put(candidates, lines)
    lp.put(candidates, lines)
    flows = plan.solve()
    tonnes, tkm = _totals(flows, plan.routes)
    lp_tonnes, lp_tkm = _totals(lp.solve(), lp.routes)
    assert tonnes == pytest.approx(lp_tonnes, abs=0.01)
    assert tkm == pytest.approx(lp_tkm, abs=0.5)
    assert tonnes > 1000  # not a trivial corridor
    assert plan.network is not None
    assert plan.network.merged > 0  # twins share a node
    assert plan.solution is not None
    assert plan.solution.relaxed_fits == (name == "small, hubs with room")  # both ways of solving are checked
    # with full hubs the first LP moves less than the relaxed bound, and the most-tonnes LP proves it optimal
    assert plan.solution.lp_steps == ([] if plan.solution.relaxed_fits else ["weighted", "most"])
    for (hub, _), load in plan.hub_load(flows).items():
        assert load <= capacity[hub] + 1e-6
    used: dict[str, float] = {}
    for k, t in flows.items():
        r = plan.routes[k]
        used[r.supply] = used.get(r.supply, 0.0) + t
        used[r.demand] = used.get(r.demand, 0.0) + t
    assert max(t - lines[i].quantity for i, t in used.items()) <= 1e-6


def test_same_allocations_twice_byte_for_byte(case):
    _, corridor, candidates, lines = case
    first, again = (
        json.dumps(
            [asdict(a) for a in allocate(corridor, cands, None, lines)],
            sort_keys=True,
            default=lambda routes: [asdict(r) for r in routes],  # rivals and alternatives: columns read as records
        )
        for cands in (candidates, candidates[::-1])
    )
    assert first.encode() == again.encode()


def _re_solved(tmp_path: Path, added) -> tuple[Plan, Network, tuple[float, float], ...]:
    """The hubs-full corridor solved, then `added(engine, corridor)` (a line) put in and the plan re-solved:
    the plan, the network solved first, and the totals before, after and of a fresh solve of the changed
    corridor."""
    corridor = load_corridor(generated(tmp_path, *CASES["small, hubs full"]))
    capacity = {h.id: h.capacity_t for h in corridor.hubs.values()}
    with CorridorEngine(corridor, AS_OF) as e:
        e.load_all()
        plan = Plan(capacity)
        plan.put(e.candidates(), dict(e.lines))
        before = _totals(plan.solve(), plan.routes)
        assert plan.solution is not None
        assert plan.solution.in_lp is not None  # the LP was needed: the next solve starts from its arcs and basis
        first = plan.network
        assert first is not None
        line = added(e, corridor)
        e.post(LinePut(type="line_put", day=AS_OF, **{"supply" if isinstance(line, Supply) else "demand": line}))
        plan.put(e.candidates(), dict(e.lines))
        again = _totals(plan.solve(), plan.routes)
        fresh = Plan(capacity)
        fresh.put(e.candidates(), dict(e.lines))
        expected = _totals(fresh.solve(), fresh.routes)
    return plan, first, before, again, expected


def _widest(e: CorridorEngine, side: str) -> str:
    """The supply or demand line with the most candidate routes (the first by id among equals)."""
    from collections import Counter

    return min(Counter(getattr(r, side) for r in e.candidates()).items(), key=lambda kv: (-kv[1], kv[0]))[0]


def test_a_re_solve_after_an_added_twin_has_the_fresh_optimum(tmp_path):
    """A demand line of 1000 t joins the node of the demand line with the most routes (same project,
    category, quality and window): the re-solve's totals equal a fresh solve's, and more tonnes move."""

    def twin(e: CorridorEngine, corridor: Corridor) -> Demand:
        model = next(d for d in corridor.demand if d.id == _widest(e, "demand"))
        return Demand(**{**model.model_dump(), "id": "added", "quantity": 1000})

    plan, _, before, again, expected = _re_solved(tmp_path, twin)
    assert plan.solves == 2
    assert again[0] == pytest.approx(expected[0], abs=1e-3)
    assert again[1] == pytest.approx(expected[1], abs=0.05)
    assert again[0] > before[0]


def test_a_re_solve_after_a_line_with_new_hub_days_has_the_fresh_optimum(tmp_path):
    """A supply line of 500 t like the one with the most routes but available three days later: a node
    and hub days the last LP did not have; the re-solve's totals equal a fresh solve's."""

    def later(e: CorridorEngine, corridor: Corridor) -> Supply:
        model = next(s for s in corridor.supply if s.id == _widest(e, "supply"))
        w = model.available
        moved = Window(start=w.start + timedelta(days=3), end=w.end + timedelta(days=3))
        return Supply(**{**model.model_dump(), "id": "s-added", "quantity": 500, "available": moved})

    plan, first, before, again, expected = _re_solved(tmp_path, later)
    assert plan.network is not None
    assert set(plan.network.day_key.tolist()) - set(first.day_key.tolist())  # hub days the last LP lacked
    assert plan.network.supply_lines != first.supply_lines
    assert again[0] == pytest.approx(expected[0], abs=1e-3)
    assert again[1] == pytest.approx(expected[1], abs=0.05)
    assert again[0] >= before[0]


def test_no_candidates_allocate_nothing(case):
    """A corridor without candidate routes (no pairs) is an empty plan, not a crash."""
    _, corridor, _, lines = case
    plan = Plan({h.id: h.capacity_t for h in corridor.hubs.values()})
    assert allocate(corridor, [], plan, lines) == []
    assert plan.flows == {}


def direct_network(
    tail: list[int], head: list[int], supply_kg: list[int], demand_kg: list[int], km10: list[int]
) -> Network:
    """A network of direct arcs only (no hub days)."""
    none = np.zeros(0, np.int64)
    return Network(
        supply_lines=[(f"s{i}",) for i in range(len(supply_kg))],
        demand_lines=[(f"d{i}",) for i in range(len(demand_kg))],
        supply_kg=np.array(supply_kg),
        demand_kg=np.array(demand_kg),
        tail=np.array(tail),
        head=np.array(head),
        via=[""] * len(tail),
        km10=np.array(km10),
        row_first=np.full(len(tail), -1),
        row_after=np.full(len(tail), -1),
        day_hub=none,
        day_key=none,
        capacity_kg=none,
    )


def test_reduced_costs_price_the_swap_of_two_routes() -> None:
    """Supplies A, B and demands X, Y of 1 t each; routes A-X 1 km, A-Y 3 km, B-X 2 km, B-Y 5 km. The
    relaxed plan moves A-Y and B-X (5 km, against 6 km for A-X and B-Y): the arcs with flow cost nothing,
    and B-Y costs what the swap adds, 6 - 5 = 1 km per tonne (10 tenths)."""
    net = direct_network([0, 0, 1, 1], [0, 1, 0, 1], [1000, 1000], [1000, 1000], [10, 30, 20, 50])
    kg = flow._relaxed(net)
    assert kg.tolist() == [0, 1000, 1000, 0]
    reduced = reduced_costs(net, kg, flow.REWARD_PER_KM)
    assert reduced is not None
    assert reduced[[1, 2]].tolist() == [0, 0]
    assert reduced[3] == 10
    assert reduced[0] >= 0
    assert reduced_costs(net, np.zeros(4, np.int64), flow.REWARD_PER_KM) is None  # moving nothing is not optimal


@pytest.fixture(scope="module")
def full_hubs(tmp_path_factory: pytest.TempPathFactory) -> Network:
    """The network of the clustered corridor with full hubs."""
    corridor = load_corridor(generated(tmp_path_factory.mktemp("full"), *CASES["medium, clustered, hubs full"]))
    with CorridorEngine(corridor, AS_OF) as e:
        e.load_all()
        plan = Plan({h.id: h.capacity_t for h in corridor.hubs.values()})
        plan.put(e.candidates(), dict(e.lines))
        plan.solve()
    assert plan.network is not None
    return plan.network


def test_no_arc_prices_negative_under_the_relaxed_potentials(full_hubs: Network) -> None:
    kg = flow._relaxed(full_hubs)
    reduced = reduced_costs(full_hubs, kg, flow.REWARD_PER_KM)
    assert reduced is not None
    assert reduced.min() == 0
    assert np.all(reduced[kg > 0] == 0)
    assert np.any(reduced > flow.START_WITHIN_KM10)  # the LP starts without some arcs


@pytest.mark.parametrize("within", [0, 10**9])
def test_the_lp_from_the_cheap_arcs_has_the_optimum_over_all_arcs(
    full_hubs: Network, monkeypatch: pytest.MonkeyPatch, within: int
) -> None:
    """Started from the arcs of no reduced cost only (pricing must bring the others in) or from every arc:
    the same most tonnes and fewest tonne-km as from the default start."""
    km = full_hubs.km10 / 10.0
    monkeypatch.setattr(flow, "ALL_ARCS_UP_TO", 0)  # the start from the cheap arcs, whatever the size
    default = flow.solve(full_hubs)
    monkeypatch.setattr(flow, "START_WITHIN_KM10", within)
    other = flow.solve(full_hubs)
    reduced = reduced_costs(full_hubs, flow._relaxed(full_hubs), flow.REWARD_PER_KM)
    assert reduced is not None
    assert not default.relaxed_fits
    assert other.tonnes.sum() == pytest.approx(default.tonnes.sum(), abs=1e-3)
    assert other.tonnes @ km == pytest.approx(default.tonnes @ km, abs=0.05)
    assert (other.lp_arcs > np.sum(reduced <= within)) == (
        within == 0
    )  # from no reduced cost only, pricing took arcs in


def test_a_network_up_to_the_size_limit_starts_its_lp_from_every_arc(full_hubs: Network) -> None:
    assert len(full_hubs.tail) <= flow.ALL_ARCS_UP_TO
    solved = flow.solve(full_hubs)
    assert solved.lp_arcs == len(full_hubs.tail)


def test_an_lp_ended_unsure_is_settled_by_the_primal_simplex(
    full_hubs: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first run of the dual simplex stops after 50 iterations and reports its status unknown: the
    primal simplex goes on from there to the same optimum."""

    class Unsure(highspy.Highs):
        runs = 0

        def run(self) -> highspy.HighsStatus:
            Unsure.runs += 1
            self.setOptionValue("simplex_iteration_limit", 50 if Unsure.runs == 1 else 10**9)
            return super().run()

        def getModelStatus(self) -> highspy.HighsModelStatus:  # noqa: N802  # HiGHS's name
            if Unsure.runs == 1:
                return highspy.HighsModelStatus.kUnknown
            return super().getModelStatus()

    km = full_hubs.km10 / 10.0
    default = flow.solve(full_hubs)

    def unsure() -> highspy.Highs:
        h = Unsure()  # type: ignore[no-untyped-call]  # highspy leaves Highs.__init__ unannotated
        h.silent()
        return h

    monkeypatch.setattr(flow, "highs", unsure)
    settled = flow.solve(full_hubs)
    assert Unsure.runs > 2
    assert settled.tonnes.sum() == pytest.approx(default.tonnes.sum(), abs=1e-3)
    assert settled.tonnes @ km == pytest.approx(default.tonnes @ km, abs=0.05)


def test_the_basis_constants_are_highs_own_values() -> None:
    """flow names HiGHS's infinity and basis statuses without importing highspy (only an LP needs it)."""
    assert highspy.kHighsInf == flow.INF
    assert int(highspy.HighsBasisStatus.kLower) == flow.LOWER
    assert int(highspy.HighsBasisStatus.kBasic) == flow.BASIC
    assert int(highspy.HighsBasisStatus.kUpper) == flow.UPPER


def test_hub_days_get_rows_where_the_plan_overloads_them() -> None:
    """Supplies A, B and demands X, Y of 10 t; A-X through hub H on days 0-4 or direct 30 km, B-Y through H on
    days 2-5 or direct 25 km, both 10 km through H, which holds 15 t. The relaxed plan holds 20 t on days 2-4:
    only that day gets a row, and 5 t of B-Y go direct (+15 km a tonne, against +20 for A-X): 10 × 10 + 5 × 10
    + 5 × 25 = 275 tonne-km for 20 t."""
    net = Network(
        supply_lines=[("A",), ("B",)],
        demand_lines=[("X",), ("Y",)],
        supply_kg=np.array([10_000, 10_000]),
        demand_kg=np.array([10_000, 10_000]),
        tail=np.array([0, 0, 1, 1]),
        head=np.array([0, 0, 1, 1]),
        via=["H", "", "H", ""],
        km10=np.array([100, 300, 100, 250]),
        row_first=np.array([0, -1, 1, -1]),
        row_after=np.array([2, -1, 3, -1]),
        day_hub=np.zeros(4, np.int64),
        day_key=np.array([0, 2, 5, 6]),
        capacity_kg=np.array([15_000]),
    )
    assert flow._relaxed(net).tolist() == [10_000, 0, 10_000, 0]
    solved = flow.solve(net)
    assert not solved.relaxed_fits
    assert solved.hub_rows == 1  # day 2 of the hub's four days (0, 2, 5, 6)
    assert solved.tonnes.tolist() == pytest.approx([10, 0, 5, 5], abs=1e-9)
    assert solved.tonnes @ (net.km10 / 10.0) == pytest.approx(275, abs=1e-9)


def test_row_generation_has_the_optimum_of_the_lp_with_every_hub_day(full_hubs: Network) -> None:
    """The clustered corridor with full hubs: rows for some hub days only, every day within its capacity,
    the same most tonnes and fewest tonne-km as the LP with a row for every hub day from the start."""
    solved = flow.solve(full_hubs)
    kg = flow._relaxed(full_hubs)
    every = flow._Master(
        full_hubs,
        np.ones(len(full_hubs.tail), bool),
        np.arange(len(full_hubs.day_hub)),
        flow._relaxed_basis(full_hubs, kg),
    ).optimum(kg.sum() / 1000.0)
    km = full_hubs.km10 / 10.0
    assert 0 < solved.hub_rows < len(full_hubs.day_hub) / 2
    assert every.hub_rows == len(full_hubs.day_hub)
    capacity = full_hubs.capacity_kg[full_hubs.day_hub] / 1000.0
    assert np.all(hubrows.hub_load(full_hubs, solved.tonnes) <= capacity + 1e-6)
    assert solved.tonnes.sum() == pytest.approx(every.tonnes.sum(), abs=1e-3)
    assert solved.tonnes @ km == pytest.approx(every.tonnes @ km, abs=0.05)
