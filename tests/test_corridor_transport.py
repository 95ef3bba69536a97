"""Transport modes on every leg against the emission-free norm, and hubs whose processing raises a condition."""

from __future__ import annotations

from datetime import date

from cgc_rules.corridor.allocate import allocate
from cgc_rules.corridor.engine import run
from cgc_rules.corridor.load import load_corridor
from cgc_rules.corridor.texts import allocation_text

from .test_corridor_allocation import CORRIDOR, INVENTORY, PROJECTS, RULESETS

NBSP = "\u00a0"


def _write(tmp_path, corridor: str, inventory: str = INVENTORY):
    import shutil

    shutil.copytree(RULESETS, tmp_path / "rulesets")
    d = tmp_path / "c"
    d.mkdir()
    (d / "corridor.yaml").write_text(corridor)
    (d / "projects.yaml").write_text(PROJECTS)
    (d / "inventory.yaml").write_text(inventory)
    c = load_corridor(d)
    findings = run(c, date(2026, 2, 1))
    return c, findings, allocate(c, findings.candidates)


def test_each_allocation_is_checked_against_the_emission_free_norm(tmp_path):
    text = (CORRIDOR % {"capacity": 100}).replace("kind: contractor}", "kind: contractor, transport: combustion}")
    text += "    transport: zero_emission\n"
    c, _, allocations = _write(tmp_path, text)
    assert c.parameters["emission_free_transport"].value is True  # the CGC report's norm
    a = allocations[0]
    assert (a.route.via, a.transport, a.emission_free) == (
        "hub",
        (("p", "combustion"), ("hub", "zero_emission")),
        False,
    )
    assert allocation_text(a, "nl").endswith("; vervoer niet emissievrij (p: verbrandingsmotor, hub: emissievrij)")
    assert allocation_text(a, "en").endswith("; transport not emission-free (p: combustion engine, hub: zero-emission)")


def test_undeclared_transport_is_unknown_and_says_nothing(tmp_path):
    _, _, allocations = _write(tmp_path, CORRIDOR % {"capacity": 100})
    assert all(a.emission_free is None and a.notes == () for a in allocations)


def test_a_cleaning_hub_raises_the_condition_and_the_match_says_so(tmp_path):
    # LATE now asks for bricks as new; A and B only have good ones, the hub's cleaning makes them as new
    corridor = (
        CORRIDOR % {"capacity": 100}
    ) + "    processing: [cleaning]\n    raises: [{category: brick, to: as_new, process: cleaning}]\n"
    inventory = INVENTORY.replace("quantity: 100, min_quality: fair", "quantity: 100, min_quality: as_new")
    _, findings, allocations = _write(tmp_path, corridor, inventory)
    to_late = [r for r in findings.candidates if r.demand == "d-late"]
    assert [(r.supply, r.via, r.raised) for r in to_late] == [("s-a", "hub", "as_new"), ("s-b", "hub", "as_new")]
    a = next(a for a in allocations if a.route.demand == "d-late")
    assert allocation_text(a, "nl").endswith("; hub brengt de staat van goed naar als nieuw (cleaning)")
    assert allocation_text(a, "en").endswith("; hub hub raises the condition from good to as new (cleaning)")


def test_without_a_raising_hub_the_pair_does_not_exist(tmp_path):
    inventory = INVENTORY.replace("quantity: 100, min_quality: fair", "quantity: 100, min_quality: as_new")
    _, findings, _ = _write(tmp_path, CORRIDOR % {"capacity": 100}, inventory)
    assert not [r for r in findings.candidates if r.demand == "d-late"]
    assert not [x for x in findings.refusals if x.route.demand == "d-late"]
