"""The material list summed once at load: shares by hand, sums equal to the line-by-line sum, a summarised text."""

from __future__ import annotations

import json
import random

import pytest

from cgc_rules.i18n import render
from cgc_rules.indicators.project import INDICATORS
from cgc_rules.submission import Material, Origin, Submission, sum_materials

from .conftest import road

LINES = [
    {"name": "zand", "mass_t": 100, "origin": "primair"},
    {"name": "granulaat", "mass_t": 50, "origin": "gerecycled"},
    {"name": "asfalt", "mass_t": 200, "composition": {"gerecycled": 25, "primair": 75}},
    {"name": "beton", "mass_t": 40, "composition": {"hergebruikt": 50, "primair": 50}},
    {"name": "hout", "mass_t": 10, "origin": "primair", "renewable": True},
    {"name": "staal", "mass_t": 30, "composition": {"gerecycled": 10, "primair": 90}},
    {"name": "puin", "mass_t": 80, "composition": {"gerecycled": 100}},
    {"name": "kurk", "mass_t": 20, "composition": {"biobased": 40, "primair": 60}, "renewable": True},
]


def submission(lines: list[dict]) -> Submission:
    return Submission.model_validate(road(materials=lines))


def test_origin_share_by_hand():
    fact = INDICATORS["responsible_origin_share"].compute(submission(LINES))
    # recycled 50 + 50 + 3 + 80, reused 20, biobased 8; primary 100 + 10 + 150 + 20 + 27 + 12 = 319; 530 t in all
    assert fact.terms["by"] == pytest.approx({"primair": 319, "hergebruikt": 20, "gerecycled": 183, "biobased": 8})
    assert fact.terms["total"] == pytest.approx(530)
    assert fact.value == pytest.approx(211 / 530 * 100)
    assert [x["name"] for x in fact.terms["mixed"]] == ["asfalt", "beton", "staal", "puin", "kurk"]  # line order
    assert fact.terms["mixed"][0] == {
        "name": "asfalt",
        "mass": 200,
        "good": 50.0,
        "composition": {"gerecycled": 25.0, "primair": 75.0},
    }


def test_renewable_share_counts_a_renewable_mixed_line_whole():
    fact = INDICATORS["renewable_reused_recycled_share"].compute(submission(LINES))
    # whole: granulaat 50, hout 10 (renewable); mixed: asfalt 50, beton 20, staal 3, puin 80, kurk 20 (renewable)
    assert fact.terms["good"] == pytest.approx(233)
    assert fact.terms["renewable_primary"] == pytest.approx(10 + 12)
    assert fact.value == pytest.approx(233 / 530 * 100)
    kurk = next(x for x in fact.terms["mixed"] if x["name"] == "kurk")
    assert kurk["good"] == 20
    origin = INDICATORS["responsible_origin_share"].compute(submission(LINES))
    assert next(x for x in origin.terms["mixed"] if x["name"] == "kurk")["good"] == pytest.approx(8)  # its own record
    text = render("en", INDICATORS["renewable_reused_recycled_share"].describe(fact)).replace("\u00a0", " ")
    assert "and 2 more mixed lines: 23 t of 50 t" in text  # staal 3 t, kurk 20 t (renewable: all of it)


def _by_origin_line_by_line(lines: list[Material]) -> dict[str, float]:
    """The sums as the evaluator made them per evaluation before: whole lines per origin, then each mixed part."""
    by = {o.value: 0.0 for o in Origin}
    for m in lines:
        if m.composition is None:
            by[m.origin.value] += m.mass_t  # type: ignore[union-attr]
    for m in lines:
        if m.composition is not None:
            for origin, mass in m.mass_by_origin().items():
                by[origin.value] += mass
    return by


@pytest.mark.parametrize("seed", range(5))
def test_sums_are_bit_for_bit_those_of_the_line_by_line_sum(seed):
    rnd = random.Random(seed)
    lines = []
    for i in range(500):
        line: dict = {"name": f"m{i}", "mass_t": rnd.uniform(0, 1000), "renewable": rnd.random() < 0.1}
        if rnd.random() < 0.3:
            a, b = sorted(rnd.uniform(0, 100) for _ in range(2))
            line["composition"] = dict(zip(rnd.sample([o.value for o in Origin], 3), (a, b - a, 100 - b), strict=True))
        else:
            line["origin"] = rnd.choice([o.value for o in Origin])
        lines.append(line)
    s = submission(lines)
    assert s.material_totals() is not None
    assert s.material_totals().by_origin == _by_origin_line_by_line(s.materials or [])  # ==, not approx


def test_explanation_names_the_largest_mixed_lines_and_counts_the_rest(cgc, write):
    res = cgc("evaluate", write(road(materials=LINES)), "-r", "hnn-gww", "--format", "json", "--lang", "en")
    origin = json.loads(res.output.replace("\u00a0", " "))["outcomes"][0]
    text = origin["explanation"]
    assert "50 t of 200 t asfalt (25.0% recycled, 75.0% primary)" in text
    assert "80 t of 80 t puin" in text
    assert "20 t of 40 t beton" in text
    assert "and 2 more mixed lines: 11 t of 50 t" in text
    assert "staal" not in text
    assert "kurk" not in text
    assert [x["name"] for x in origin["terms"]["mixed"]] == ["asfalt", "beton", "staal", "puin", "kurk"]


def test_material_lines_share_their_fields_set():
    s = submission([LINES[0], LINES[1], LINES[4], LINES[2]])
    sets = [m.__pydantic_fields_set__ for m in s.materials or []]
    assert sets[0] is sets[1]
    assert sets[0] == {"name", "mass_t", "origin"}
    assert sets[2] == {"name", "mass_t", "origin", "renewable"}
    assert sets[2] is not sets[0]
    assert sets[3] == {"name", "mass_t", "composition"}


def test_a_submission_built_without_validation_is_summed_when_read():
    valid = submission(LINES)
    built = Submission.model_construct(project=valid.project, materials=valid.materials)
    assert built.material_totals() == valid.material_totals()
    copied = valid.model_copy(update={"materials": valid.materials[:2]})  # type: ignore[index]
    assert copied.material_totals() == sum_materials(valid.materials[:2])  # type: ignore[index]
    assert copied.material_totals().by_origin["primair"] == 100  # type: ignore[union-attr]  # not the 530 t list


def test_lines_of_every_list_share_their_fields_set_without_a_hook_per_line():
    from pydantic import BaseModel

    from cgc_rules.submission import DemolitionLine, Equipment, Transport

    s = Submission.model_validate(
        road(
            demolition=[{"name": f"puin {i}", "mass_t": 10, "destination": "recycling"} for i in range(3)],
            equipment=[
                {"name": f"kraan {i}", "power_kw": 100, "emission_class": "stage-v", "year": 2022} for i in range(2)
            ],
            transport=[{"name": "truck", "vehicle_class": "N3", "zero_emission": True}] * 2,
        )
    )
    for line in (DemolitionLine, Equipment, Transport):
        assert line.model_post_init is BaseModel.model_post_init  # nothing run per instance
    for lines in (s.demolition, s.equipment, s.transport):
        assert lines
        assert len({id(x.__pydantic_fields_set__) for x in lines}) == 1


def test_claimed_corridor_lines_are_found_when_the_list_is_summed():
    claim = "s-a>direct>d-b"
    lines = [*LINES, {"name": "stenen", "mass_t": 12, "origin": "hergebruikt", "corridor_line": claim}]
    s = submission(lines)
    totals = s.material_totals()
    assert totals is not None
    assert totals.claimed == [{"name": "stenen", "line": claim, "mass": 12}]
    fact = INDICATORS["responsible_origin_share"].compute(s)
    assert fact.terms["corridor"] == totals.claimed
    assert "corridor" not in INDICATORS["responsible_origin_share"].compute(submission(LINES)).terms


def test_mixed_lines_are_written_out_as_read_for_the_stored_derivation():
    from cgc_rules.store.records import jsonable

    fact = INDICATORS["renewable_reused_recycled_share"].compute(submission(LINES))
    stored = json.loads(json.dumps(jsonable(fact.terms)))["mixed"]
    # asfalt 200 t (25 % recycled), beton 40 t (50 % reused), staal 30 t (10 %), puin 80 t, kurk 20 t renewable
    assert [(x["name"], x["good"]) for x in stored] == [
        ("asfalt", 50),
        ("beton", 20),
        ("staal", 3),
        ("puin", 80),
        ("kurk", 20),
    ]
    assert stored[4]["composition"] == {"biobased": 40, "primair": 60}
    largest, rest, good, mass = fact.terms["mixed"].largest(3)
    assert [x["name"] for x in largest] == ["asfalt", "puin", "beton"]
    assert rest == 2
    assert good == pytest.approx(23)  # staal 3 t and kurk 20 t
    assert mass == pytest.approx(50)
