"""The Amersfoort example corridor against hand-worked cases, and event-by-event equals load-all."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from cgc_rules.cli import main
from cgc_rules.corridor.allocate import allocate
from cgc_rules.corridor.engine import CorridorEngine, load_events, run
from cgc_rules.corridor.geo import haversine_km
from cgc_rules.corridor.load import load_corridor
from cgc_rules.corridor.model import Window, WindowChange
from cgc_rules.corridor.texts import allocation_text, refusal_text
from cgc_rules.errors import CgcError

ROOT = Path(__file__).resolve().parent.parent / "cgc_rules" / "data" / "corridors" / "amersfoort-voorbeeld"
AS_OF = date(2026, 5, 20)


@pytest.fixture(scope="module")
def corridor():
    return load_corridor(ROOT)


@pytest.fixture(scope="module")
def findings(corridor):
    return run(corridor, AS_OF)


def test_direct_match_city_hall_bricks_to_kop_van_isselt(corridor, findings):
    # windows overlap (Mar–May vs Apr–Jun), good >= fair, 1.9 km <= 15 km example limit
    r = next(r for r in findings.candidates if r.supply == "s-stadhuis-baksteen")
    assert (r.demand, r.via, r.km, r.storage_days) == ("d-kop-baksteen", "", 1.9, 0)
    a = next(a for a in allocate(corridor, findings.candidates) if a.route == r)
    assert (a.tonnes, a.tonne_km) == (80.0, 152.0)  # demand 80 t of 120 t supplied


def test_match_through_hub_hoevelaken(corridor, findings):
    # steel free until 15 May, needed from 1 Aug: 78 days waiting, hub allows 180
    r = next(r for r in findings.candidates if r.supply == "s-stadhuis-staal")
    assert (r.demand, r.via, r.storage_days, r.km, r.leg_km) == ("d-bovenduist-staal", "hub-hoevelaken", 78, 12.4, 7.5)
    refused = {(x.route.via, x.reason) for x in findings.refusals if x.route.supply == "s-stadhuis-staal"}
    assert refused == {("", "time")}
    a = next(a for a in allocate(corridor, findings.candidates) if a.route == r)
    assert (a.tonnes, a.tonne_km) == (35.0, 434.0)
    assert "hub-hoevelaken" in allocation_text(a, "en")


def test_refused_for_distance_utrecht_timber(findings):
    refused = {(x.route.via, x.reason, x.route.leg_km) for x in findings.refusals if x.route.supply == "s-utrecht-hout"}
    assert refused == {("", "distance", 19.8), ("hub-hoevelaken", "distance", 25.2)}
    assert not [r for r in findings.candidates if r.supply == "s-utrecht-hout"]


def test_refused_for_time_roof_tiles_needed_before_available(findings):
    x = [x for x in findings.refusals if x.route.supply == "s-eem-dakpannen"]
    assert [(y.route.demand, y.reason, refusal_text(y, "en")) for y in x] == [
        ("d-kop-dakpannen", "time", "needed before it is available")
    ]


def test_alert_late_inventory_langs_eem_en_spoor(findings):
    # demolition 1 June, inventory 15 April: 6.7 weeks, the example rule asks 12
    assert [(a.kind, a.subject) for a in findings.alerts] == [("late_inventory", "langs-eem-en-spoor")]


def test_hub_over_capacity_and_stored_too_long(corridor):
    from cgc_rules.corridor.model import HubArrival

    with CorridorEngine(corridor, date(2027, 3, 1)) as e:
        for step in load_events(corridor):
            step(e)
        e.post(
            HubArrival(
                type="hub_arrival",
                day=date(2026, 6, 1),
                id="a-big",
                hub="hub-hoevelaken",
                supply="s-stadhuis-baksteen",
                tonnes=480,
            )
        )
        kinds = {(a.kind, a.subject) for a in e.finish().alerts}
    assert ("hub_over_capacity", "hub-hoevelaken") in kinds  # 40 + 480 t > 500 t
    assert ("stored_too_long", "a-big") in kinds
    assert ("stored_too_long", "a-stadhuis-staal") in kinds


def test_one_by_one_in_reverse_equals_load_all(corridor, findings):
    """`findings` came from one batch; here every fact goes in alone, lines before projects."""
    steps = load_events(corridor)
    with CorridorEngine(corridor, AS_OF) as e:
        for step in reversed(steps[: -len(corridor.events)]):
            step(e)
        for step in steps[-len(corridor.events) :]:
            step(e)
        again = e.finish()
    assert again.candidates == findings.candidates
    assert again.refusals == findings.refusals
    assert again.alerts == findings.alerts


def test_window_change_replaces_old_matches(corridor):
    with CorridorEngine(corridor, AS_OF) as e:
        for step in load_events(corridor):
            step(e)
        e.post(
            WindowChange(
                type="window_change",
                day=date(2026, 5, 1),
                line="d-kop-baksteen",
                window=Window(start=date(2027, 6, 1), end=date(2027, 7, 1)),
            )
        )
        f = e.finish()
    assert not [r for r in f.candidates if r.demand == "d-kop-baksteen"]


def test_haversine_amersfoort_utrecht():
    assert round(haversine_km(52.1561, 5.3878, 52.0907, 5.1214)) == 20


def test_cli_json_and_calendar(tmp_path):
    res = CliRunner().invoke(main, ["corridor", "match", str(ROOT), "--as-of", "2026-05-20", "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert [(a["supply"], a["tonnes"]) for a in data["allocations"]] == [
        ("s-stadhuis-baksteen", 80.0),
        ("s-stadhuis-staal", 35.0),
    ]
    assert data["rules_of_play"]["max_transport_km"]["example_value"] is True
    assert data["rules_of_play"]["emission_free_transport"]["example_value"] is False
    out = tmp_path / "cal.html"
    res = CliRunner().invoke(main, ["corridor", "calendar", str(ROOT), "--as-of", "2026-05-20", "-o", str(out)])
    assert res.exit_code == 0, res.output
    html = out.read_text()
    assert "<svg" in html
    assert "http" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "voorbeeldwaarde" in html


def test_bad_input_names_file_line_column(tmp_path):
    import shutil

    d = tmp_path / "corridors" / "bad"
    shutil.copytree(ROOT, d)
    shutil.copytree(ROOT.parent / "rulesets", tmp_path / "corridors" / "rulesets")
    text = (d / "inventory.yaml").read_text().replace("quantity: 120", "quantity: -1", 1)
    (d / "inventory.yaml").write_text(text)
    res = CliRunner().invoke(main, ["corridor", "match", str(d)])
    assert res.exit_code == 2
    assert "inventory.yaml:" in res.output
    assert "supply[0].quantity" in res.output
    with pytest.raises(CgcError):
        load_corridor(d)


def test_phase_change_moves_demolition_and_clears_the_late_inventory(corridor):
    from cgc_rules.corridor.model import PhaseChange

    with CorridorEngine(corridor, AS_OF) as e:
        e.load_all()
        # demolition moved to 1 September: 15 April is now 20 weeks ahead
        e.post(
            PhaseChange(
                type="phase_change",
                day=date(2026, 5, 1),
                project="langs-eem-en-spoor",
                phase="demolition",
                window=Window(start=date(2026, 9, 1), end=date(2026, 10, 31)),
            )
        )
        assert [a.kind for a in e.finish().alerts] == []


def test_unmatched_roof_tiles_about_to_expire():
    # roof tiles available until 31 July have no candidate; 30 example days ahead is 1 July
    kinds = {(a.kind, a.subject) for a in run(load_corridor(ROOT), date(2026, 7, 10)).alerts}
    assert ("supply_expiring", "s-eem-dakpannen") in kinds
    assert ("supply_expiring", "s-stadhuis-staal") not in kinds  # matched through the hub
