"""The indexed join finds exactly what the former pair-by-pair rule found, on a seeded corridor.

`reference_routes` is the former join (the durable-rules `pair` rule and its route rules), kept
here only as the reference: every supply with every demand line, bounding box and time horizon
as conditions, great-circle distances with `geo.haversine_km`, one route at a time.
"""

from __future__ import annotations

import math
import random
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

from cgc_rules.corridor.engine import CorridorEngine, load_events, run
from cgc_rules.corridor.findings import Refusal, Route
from cgc_rules.corridor.geo import haversine_km
from cgc_rules.corridor.index import Refusals
from cgc_rules.corridor.load import Corridor, load_corridor
from cgc_rules.corridor.model import LinePut, LineWithdrawn, Window, WindowChange
from cgc_rules.corridor.rules import thresholds
from cgc_rules.corridor.views import unmatched_refusals

RULESETS = Path(__file__).resolve().parent.parent / "cgc_rules" / "data" / "corridors" / "rulesets"
AS_OF = date(2026, 6, 1)


def reference_routes(corridor: Corridor) -> tuple[list[Route], list[Refusal]]:
    """The former engine's candidates and refusals, computed pair by pair."""
    max_km = thresholds(corridor)["route_leg_km"]
    hubs = sorted(corridor.hubs.values(), key=lambda h: h.id)
    horizon = max((h.max_storage_days for h in hubs), default=0) + 90
    box_lat = 2 * max_km / 111.0
    widest = max((abs(p.place.lat) for p in corridor.projects.values()), default=0.0)
    box_lon = box_lat / max(math.cos(math.radians(min(widest, 89.0))), 0.01)
    cands, refusals = [], []
    for s in corridor.supply:
        a = corridor.projects[s.project].place
        a_from, a_to = s.available.start.toordinal(), s.available.end.toordinal()
        for d in corridor.demand:
            b = corridor.projects[d.project].place
            n_from, n_to = d.needed.start.toordinal(), d.needed.end.toordinal()
            if not (
                d.category == s.category
                and d.min_quality.rank <= s.condition.rank
                and n_to >= a_from - 90
                and n_from <= a_to + horizon
                and a.lat - box_lat <= b.lat <= a.lat + box_lat
                and a.lon - box_lon <= b.lon <= a.lon + box_lon
            ):
                continue
            direct = haversine_km(a.lat, a.lon, b.lat, b.lon)
            gap, late = n_from - a_to, a_from - n_to
            routes = [("", round(direct, 1), round(direct, 1), 0)]
            if gap > 0 or direct > max_km:
                legs = []
                for hub in hubs:
                    l1 = haversine_km(a.lat, a.lon, hub.place.lat, hub.place.lon)
                    l2 = haversine_km(hub.place.lat, hub.place.lon, b.lat, b.lon)
                    legs.append((round(max(l1, l2), 1), round(l1 + l2, 1), hub))
                near = [x for x in legs if x[0] <= max_km] or sorted(legs, key=lambda x: (x[0], x[2].id))[:1]
                routes += [(hub.id, leg, km, hub.max_storage_days) for leg, km, hub in near]
            for via, leg, km, max_storage in routes:
                r = Route(s.id, d.id, via, leg, km, max(gap, 0))
                if late > 0:
                    refusals.append(Refusal(r, "time", "needed_before_available", 0.0))
                elif not via and gap > 0:
                    refusals.append(Refusal(r, "time", "windows_apart", 0.0))
                elif via and gap > max_storage:
                    refusals.append(Refusal(r, "time", "stored_too_long", float(max_storage)))
                elif leg > max_km:
                    refusals.append(Refusal(r, "distance", "too_far", max_km))
                else:
                    cands.append(r)
    return sorted(cands), sorted(refusals)


def seeded(directory: Path, projects: int = 40, lines: int = 800, hubs: int = 4, seed: int = 11) -> Path:
    """A corridor of `lines` lines over about 45 × 45 km and two years, every value drawn from `seed`."""
    rnd = random.Random(seed)
    shutil.copytree(RULESETS, directory / "rulesets")
    d = directory / "seeded"
    d.mkdir()

    def place() -> dict:
        return {"lat": round(52.15 + rnd.uniform(-0.2, 0.2), 5), "lon": round(5.39 + rnd.uniform(-0.33, 0.33), 5)}

    def window() -> dict:
        s = date(2026, 1, 1) + timedelta(days=rnd.randrange(730))
        return {"start": s, "end": s + timedelta(days=rnd.randrange(0, 90))}

    values = {
        n: {"value": v, "example": True}
        for n, v in (("max_transport_km", 15), ("inventory_notice_weeks", 12), ("expiry_warning_days", 30))
    }
    (d / "corridor.yaml").write_text(
        yaml.safe_dump(
            {
                "id": "seeded",
                "name": "Seeded",
                "example": True,
                "rules_of_play": {"ruleset": "cgc-corridor@2024.1", "values": values},
                "partners": [{"id": "p", "name": "P", "kind": "contractor"}],
                "hubs": [
                    {
                        "id": f"hub-{i}",
                        "name": f"Hub {i}",
                        "place": place(),
                        "capacity_t": 300,
                        "max_storage_days": rnd.choice([60, 120, 180]),
                    }
                    for i in range(hubs)
                ],
            },
            sort_keys=False,
        )
    )
    (d / "projects.yaml").write_text(
        yaml.safe_dump(
            {
                "projects": [
                    {
                        "id": f"pr-{i}",
                        "name": f"P{i}",
                        "partner": "p",
                        "role": "both",
                        "place": place(),
                        "phases": [{"name": "demolition", "window": window()}],
                    }
                    for i in range(projects)
                ]
            },
            sort_keys=False,
        )
    )
    supply, demand = [], []
    for i in range(lines):
        base = {
            "id": f"l-{i}",
            "project": f"pr-{rnd.randrange(projects)}",
            "category": f"c{rnd.randrange(5)}",
            "description": "x",
            "quantity": rnd.randrange(1, 60),
        }
        if i % 2:
            demand.append({**base, "min_quality": rnd.choice(["poor", "fair", "good", "as_new"]), "needed": window()})
        else:
            supply.append({**base, "condition": rnd.choice(["poor", "fair", "good", "as_new"]), "available": window()})
    (d / "inventory.yaml").write_text(yaml.safe_dump({"supply": supply, "demand": demand}, sort_keys=False))
    return d


@pytest.fixture(scope="module")
def corridor(tmp_path_factory) -> Corridor:
    return load_corridor(seeded(tmp_path_factory.mktemp("seeded")))


def test_indexed_join_equals_the_pair_by_pair_join(corridor):
    cands, refusals = reference_routes(corridor)
    found = run(corridor, AS_OF)
    assert len(cands) > 200
    assert len(refusals) > 1000
    assert {x.rule for x in refusals} == {"too_far", "needed_before_available", "windows_apart", "stored_too_long"}
    assert found.candidates == cands
    assert found.refusals == refusals


def test_a_join_in_small_chunks_finds_what_the_pair_by_pair_join_finds(corridor, monkeypatch):
    from cgc_rules.corridor import index

    cands, refusals = reference_routes(corridor)
    monkeypatch.setattr(index, "CHUNK_PAIRS", 97)  # a few supply lines a chunk
    with CorridorEngine(corridor, AS_OF) as e:
        e.load_all()
        ix = e.index
        chunks = list(ix._pairs(ix.supply["alive"].nonzero()[0], ix.demand["alive"].nonzero()[0]))
        found = e.finish()
    assert len(chunks) > 20
    assert found.candidates == cands
    assert found.refusals == refusals


def test_line_by_line_in_reverse_equals_the_batch(corridor):
    batch = run(corridor, AS_OF)
    with CorridorEngine(corridor, AS_OF) as e:
        for step in reversed(load_events(corridor)):
            step(e)
        again = e.finish()
    assert again.candidates == batch.candidates
    assert again.refusals == batch.refusals
    assert again.alerts == batch.alerts


def test_changes_update_candidates_and_alerts_like_a_fresh_run(corridor):
    """Moving, withdrawing and adding lines one at a time ends where a fresh run on the final data ends."""
    supply = {s.id: s for s in corridor.supply}
    moved = corridor.supply[3]
    window = Window(start=date(2027, 9, 1), end=date(2027, 9, 30))
    added = corridor.demand[5].model_copy(update={"id": "l-new", "needed": Window(start=AS_OF, end=date(2026, 7, 1))})
    with CorridorEngine(corridor, AS_OF) as e:
        e.load_all()
        before = {(r.supply, r.demand) for r in e.candidates()}
        e.post(WindowChange(type="window_change", day=AS_OF, line=moved.id, window=window))
        e.post(LineWithdrawn(type="line_withdrawn", day=AS_OF, line=corridor.supply[7].id))
        e.post(LinePut(type="line_put", day=AS_OF, demand=added))
        live = e.finish()
    supply[moved.id] = moved.model_copy(update={"available": window})
    del supply[corridor.supply[7].id]
    final = Corridor(
        meta=corridor.meta,
        rules=corridor.rules,
        parameters=corridor.parameters,
        projects=corridor.projects,
        hubs=corridor.hubs,
        supply=list(supply.values()),
        demand=[*corridor.demand, added],
        sha256=corridor.sha256,
    )
    fresh = run(final, AS_OF)
    assert live.candidates == fresh.candidates
    assert live.refusals == fresh.refusals
    broken = {(a.subject, a.other) for a in live.alerts if a.kind == "match_broken"}
    lost = {p for p in before if moved.id in p or corridor.supply[7].id in p}
    lost -= {(r.supply, r.demand) for r in live.candidates}
    assert broken == {(line, other) for line in (moved.id, corridor.supply[7].id) for s, other in lost if s == line}
    assert broken  # the seeded data do break a match
    assert [a for a in live.alerts if a.kind != "match_broken"] == fresh.alerts
    lines = {moved.id, added.id, corridor.demand[0].id}  # a moved line has a new row and a dead one, same id
    touching = [x for x in live.refusals if x.route.supply in lines or x.route.demand in lines]
    assert isinstance(live.refusals, Refusals)
    assert live.refusals.touching(lines) == touching
    assert {x.route.supply for x in touching} >= {moved.id}


def test_candidates_are_columns_read_as_the_same_records_however_read(corridor, monkeypatch):
    from cgc_rules.corridor import findings
    from cgc_rules.corridor.findings import Candidates, RouteColumns

    found = run(corridor, AS_OF).candidates
    assert isinstance(found, Candidates)
    records = list(found)
    assert len(records) > 200
    assert records == sorted(records)  # route order
    monkeypatch.setattr(findings, "READ_AT_ONCE", 7)  # read in many small batches: the same records
    assert list(found) == records
    assert found[-1] == records[-1]
    assert found[5:40:3] == records[5:40:3]
    assert found == records
    assert found != records[:-1]
    again = RouteColumns.of(records)  # numbered apart (only the lines with a route), equal as routes
    assert list(again.supply_ids) != list(found.columns.supply_ids)
    assert again == found.columns
    assert again.records() == records


def test_routes_that_repeat_supply_demand_and_hub_are_sorted_on_all_fields(corridor):
    """Live routes name a supply, demand and hub once and are sorted by those three alone; routes that
    repeat them (two joins of the same lines) are sorted on every field, as `Route` orders them."""
    from cgc_rules.corridor.index import Routes

    with CorridorEngine(corridor, AS_OF) as e:
        e.load_all()
        ix = e.index
        routes = ix.live(e.found + e.refused)
        twice = Routes.join([routes, routes.take(slice(None, None, -1))])
        once = [r for r, _, _ in ix.records(routes.take(ix._sort(routes)))]
        doubled = [r for r, _, _ in ix.records(twice.take(ix._sort(twice)))]
    assert once == sorted(once)
    assert doubled == sorted(doubled)
    assert doubled[::2] == once


def test_the_records_an_allocation_names_are_made_once(corridor):
    """Read after the allocation, the candidates hand out the very records its allocations name (made once): its
    own routes, and its alternatives' (kept as columns, made records when read)."""
    from cgc_rules.corridor.allocate import allocate

    found = run(corridor, AS_OF)
    allocations = allocate(corridor, found.candidates)
    named = [a.route for a in allocations] + [x.route for a in allocations for x in a.alternatives]
    read = {r.key: r for r in found.candidates}
    assert len(allocations) > 50
    assert len(named) > len(allocations)
    assert all(read[r.key] is r for r in named)


def test_refusals_of_pairs_without_a_valid_route_stay_columns(corridor):
    found = run(corridor, AS_OF)
    matched = {(r.supply, r.demand) for r in found.candidates}
    expected = [x for x in found.refusals if (x.route.supply, x.route.demand) not in matched]
    unmatched = unmatched_refusals(found)
    assert isinstance(unmatched, Refusals)
    assert list(unmatched) == expected
    assert unmatched[:5] == expected[:5]
    assert 0 < len(expected) < len(found.refusals)  # some refused pairs do have another, valid route
