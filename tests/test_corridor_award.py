"""Where the profile chooses it, the use of the corridor materials offered is an award criterion (points for the
share of the offered tonnes a bid claims) or a requirement (a minimum share), with its calculation rule published
in the gunningscriteria and scored by the same definition."""

from __future__ import annotations

import io
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml

from cgc_rules.jobs.generate import corridor_link, generate
from cgc_rules.profile import PROFILES_DIR, CorridorUse, Profile, load_profile, profile_path
from cgc_rules.registry import Registry
from cgc_rules.scoring.report import record
from cgc_rules.scoring.score import CORRIDOR_REQUIREMENT, score_bids
from cgc_rules.submission import Project
from cgc_rules.tender import build_tender, dump_tender, load_tender
from cgc_rules.tender.model import Method, Tender

from .docreading import norm

DAY = date(2026, 3, 2)
STEEL = "s-stadhuis-staal>hub-hoevelaken>d-bovenduist-staal"  # 35 t, the corridor's one line for bovenduist
PROFILE = "gmr-voorbeeld-profiel-3"  # the shipped example profile choosing the criterion (weight left open)
# bovenduist as a road project, so the GMR profile's civil-works rules apply; its id names it in the corridor
PROJECT = {
    "id": "bovenduist",
    "name": "Bovenduist, ontsluitingsweg",
    "municipality": "Amersfoort",
    "type": "wegen",
    "tender_date": "2026-03-02",
}


@pytest.fixture(scope="module")
def link():
    return corridor_link("amersfoort-voorbeeld", Project.model_validate(PROJECT), DAY)


@pytest.fixture(scope="module")
def registry():
    return Registry()


def profile_with(use: dict[str, Any] | None, base: str = PROFILE) -> Any:
    """The shipped profile with another `corridor_use` (None: without it)."""
    lp = load_profile(profile_path(base))
    changed = Profile.model_validate({**lp.profile.model_dump(), "corridor_use": use})
    return lp.model_copy(update={"profile": changed})


def filled(tender: Tender, **values: Decimal) -> Tender:
    """The tender with the officer's values: `values` by parameter name, Pmin and Pmax, every other open one 1."""
    values = {"low": Decimal(300000), "high": Decimal(500000), **values}

    def fill(node: Any, name: str = "") -> Any:
        if isinstance(node, dict):
            if "label" in node and node.get("value", 0) is None:
                node = {**node, "value": values.get(name, Decimal(1))}
            return {k: fill(v, k) for k, v in node.items()}
        if isinstance(node, list):
            return [fill(v, name) for v in node]
        return node

    data = fill(tender.model_dump())
    data["rounding"]["places"] = 2
    for c in data["criteria"]:
        if c["rule"] is not None:
            c["accept_without_knockout"] = True
    return Tender.model_validate(data)


def bid(folder: Path, tender_path: Path, sha: str, bidder: str, steel_t: float) -> Path:
    """A bid claiming `steel_t` tonnes of the offered steel beams (0: no claim)."""
    materials: list[dict[str, Any]] = [{"name": "Nieuw asfalt", "mass_t": 100 - steel_t, "origin": "primair"}]
    if steel_t:
        materials.append({"name": "Liggers", "mass_t": steel_t, "origin": "hergebruikt", "corridor_line": STEEL})
    path = folder / f"{bidder}.yaml"
    content = {
        "bidder": bidder,
        "price": 400000,
        "tender": {"id": yaml.safe_load(tender_path.read_text())["id"], "sha256": sha},
        "submission": {"project": {**PROJECT, "area_m2": 1000, "lifetime_years": 30}, "materials": materials},
    }
    path.write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")
    return path


def published(tmp_path: Path, tender: Tender) -> tuple[Path, str]:
    path = tmp_path / "tender.yaml"
    path.write_text(dump_tender(tender), encoding="utf-8")
    return path, load_tender(path).sha256


def test_shipped_profile_adds_the_criterion_with_its_weight_as_a_named_fill_in(link, registry):
    lp = load_profile(profile_path(PROFILE))
    tender = build_tender(lp, "wegen", DAY, registry, corridor=link)
    [c] = [c for c in tender.criteria if c.method is Method.corridor_points]
    assert c.params["weight"].value is None  # no invented default: the officer fills it in
    assert c.params["weight"].label == "weging gebruik corridormaterialen in punten"
    assert tender.corridor is not None
    assert tender.corridor.lines == {STEEL: Decimal(35)}


def test_two_bids_claiming_different_tonnes_score_the_hand_computed_points(link, registry, tmp_path):
    lp = load_profile(profile_path(PROFILE))
    tender = filled(build_tender(lp, "wegen", DAY, registry, corridor=link), weight=Decimal(12))
    path, sha = published(tmp_path, tender)
    full = bid(tmp_path, path, sha, "Alles", 35)  # 35 of the 35 t offered: 100 %
    part = bid(tmp_path, path, sha, "Deel", 14)  # 14 of 35 t: 40 %
    award = score_bids(load_tender(path), [full, part], registry)
    assert award.bad == []
    points = {r.bid.bidder: next(s for s in r.criteria if s.method is Method.corridor_points) for r in award.results}
    # by hand: points = share ÷ 100 % × weight 12
    assert points["Alles"].value == Decimal(100)
    assert points["Alles"].amount == Decimal("12.00")  # 35 / 35 × 100 % = 100 %; 100 / 100 × 12
    assert points["Deel"].value == Decimal(40)
    assert points["Deel"].amount == Decimal("4.80")  # 14 / 35 × 100 % = 40 %; 40 / 100 × 12


def test_a_claim_beyond_the_offered_lines_is_a_bad_bid_with_the_line_named(link, registry, tmp_path):
    path, sha = published(
        tmp_path, filled(build_tender(load_profile(profile_path(PROFILE)), "wegen", DAY, registry, corridor=link))
    )
    too_much = bid(tmp_path, path, sha, "Teveel", 40)  # 40 t claimed, 35 t offered
    award = score_bids(load_tender(path), [too_much], registry)
    [bad] = award.bad
    assert [p.message for p in bad.problems] == [f"corridor line {STEEL!r}: 40 t claimed, 35 t offered"]


def test_requirement_excludes_a_bid_under_the_minimum_share(link, registry, tmp_path):
    lp = profile_with({"instrument": "eis", "minimum": {"label": "minimumaandeel corridormaterialen", "unit": "pct"}})
    tender = build_tender(lp, "wegen", DAY, registry, corridor=link)
    assert not [c for c in tender.criteria if c.method in (Method.corridor_points, Method.corridor_discount)]
    assert tender.corridor_minimum is not None
    assert tender.corridor_minimum.label == "minimumaandeel corridormaterialen"  # open: a named fill-in
    path, sha = published(tmp_path, filled(tender, corridor_minimum=Decimal(50)))
    award = score_bids(load_tender(path), [bid(tmp_path, path, sha, "Deel", 14), bid(tmp_path, path, sha, "Ruim", 21)])
    by = {r.bid.bidder: r for r in award.results}
    assert by["Deel"].excluded == [(CORRIDOR_REQUIREMENT, None)]  # 14 / 35 = 40 % < 50 %
    assert by["Ruim"].excluded == []  # 21 / 35 = 60 % ≥ 50 %
    assert by["Ruim"].rank == 1
    [deel] = [b for b in record(award, "nl", DAY)["bids"] if b["bidder"] == "Deel"]
    [row] = [k for k in deel["knockouts"] if k["rule"] == CORRIDOR_REQUIREMENT]
    assert row["status"] == "fail"
    assert row["text"].replace("\u00a0", " ") == (
        "Aandeel gebruikte corridormaterialen 40 %, minder dan de geëiste 50 %: de inschrijving is ongeldig"
    )


def test_gunningscriteria_document_states_the_criterion_and_its_rule(tmp_path):
    project = tmp_path / "bovenduist.yaml"
    project.write_text(yaml.safe_dump({"project": PROJECT}), encoding="utf-8")
    made = generate(["emvi"], PROFILE, ["docx"], Registry(), project_file=project, corridor="amersfoort-voorbeeld")
    doc = next(f for f in made.files if f.name.endswith(".docx"))
    text = norm(" ".join(p.text for p in docx.Document(io.BytesIO(doc.data)).paragraphs))
    assert "Gebruik van beschikbaar gestelde corridormaterialen" in text
    assert (
        "Aandeel gebruikte corridormaterialen = de som van de massa in ton van de materiaalregels van de inschrijving "
        "die het kenmerk van een beschikbaar gestelde corridorregel noemen ÷ 35 ton" in text
    )
    assert "Kwaliteitspunten = aandeel ÷ 100 % × [in te vullen: weging gebruik corridormaterialen in punten]" in text
    definition = yaml.safe_load(next(f for f in made.files if f.name.endswith(".yaml")).data)
    assert [c["id"] for c in definition["criteria"]][-1] == "corridormaterialen"
    assert definition["corridor"]["lines"] == {STEEL: 35}


def test_leidraad_states_the_requirement_with_its_rule(tmp_path):
    folder = tmp_path / "profiles"
    shutil.copytree(PROFILES_DIR, folder)
    path = folder / f"{PROFILE}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["corridor_use"] = {
        "instrument": "eis",
        "minimum": {"label": "minimumaandeel corridormaterialen", "unit": "pct"},
    }
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    project = tmp_path / "bovenduist.yaml"
    project.write_text(yaml.safe_dump({"project": PROJECT}), encoding="utf-8")
    made = generate(
        ["leidraad"],
        PROFILE,
        ["docx"],
        Registry(),
        project_file=project,
        corridor="amersfoort-voorbeeld",
        profiles_dir=folder,
    )
    text = norm(" ".join(p.text for p in docx.Document(io.BytesIO(made.files[0].data)).paragraphs))
    assert (
        "De inschrijving gebruikt ten minste [in te vullen: minimumaandeel corridormaterialen] van de materialen"
        in text
    )
    assert "÷ 35 ton (alle beschikbaar gestelde regels samen) × 100 %" in text
    assert "Een inschrijving met een lager aandeel is ongeldig." in text


def test_a_profile_without_the_setting_has_no_such_criterion(link, registry):
    lp = profile_with(None)
    tender = build_tender(lp, "wegen", DAY, registry, corridor=link)
    assert [c.id for c in tender.criteria] == ["herkomst-materiaal"]
    assert tender.corridor is None
    assert tender.corridor_minimum is None


def test_numbers_of_the_other_instrument_and_a_criterion_without_offer_are_refused(link, registry):
    with pytest.raises(ValueError, match="eis takes a minimum, no weight or factor"):
        CorridorUse.model_validate({"instrument": "eis", "weight": {"label": "w"}})
    data = build_tender(load_profile(profile_path(PROFILE)), "wegen", DAY, registry, corridor=link).model_dump()
    with pytest.raises(ValueError, match="needs the corridor lines offered"):
        Tender.model_validate({**data, "corridor": None})
