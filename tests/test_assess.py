"""`cgc assess`: GMR profile from the three yes/no questions, growth level and next step per corridor element."""

from __future__ import annotations

import json

import pytest

from .conftest import ROOT

ELEMENTS = ["materialeninventarisatie", "projectenkalender", "transport_hub", "ketenregisseur", "spelregels"]
STEPS = ["shared_vision", "process_agreements", "shared_system", "value_chain_network"]


def element(name: str, *answers: bool | None) -> dict:
    return {"name": name, **dict(zip(STEPS, answers, strict=False))}


def assessment(capacity=True, tenders=False, measures=False, elements=None, **municipality) -> dict:
    return {
        "municipality": {"name": "Testgemeente", "region": "GMR", "assessed_on": "2026-03-02", **municipality},
        "gmr": {"capacity_and_knowledge": capacity, "tenders_circularly": tenders, "measures_circularity": measures},
        "elements": elements if elements is not None else [element(n, True, False, False, False) for n in ELEMENTS],
    }


def run(cgc, write, data, *args) -> tuple[int, dict]:
    res = cgc("assess", write(data), "--format", "json", *args)
    assert res.exit_code in (0, 1), res.output
    return res.exit_code, json.loads(res.output)


def by_id(data: dict) -> dict:
    return {rs["id"]: rs for rs in data["rulesets"]}


@pytest.mark.parametrize(
    ("capacity", "tenders", "measures", "profile"),
    [
        (True, True, True, "profiel-1"),
        (True, False, False, "profiel-2"),
        (True, True, False, "profiel-2"),  # between the text's profiles: the highest one fully met
        (False, False, False, "profiel-3"),
        (False, True, True, "profiel-3"),  # tendering without capacity and knowledge is not profile 1
    ],
)
def test_gmr_profile_from_the_three_questions(cgc, write, capacity, tenders, measures, profile):
    code, data = run(cgc, write, assessment(capacity, tenders, measures))
    gmr = by_id(data)["gmr-profielen"]
    assert gmr["highest_level"] == profile
    assert code == 0


def test_next_profile_names_what_it_still_asks(cgc, write):
    _, data = run(cgc, write, assessment(True, True, False))
    step = by_id(data)["gmr-profielen"]["next_level"]
    assert step["level"] == "profiel-1"
    assert step["status"] == "not_reached"
    assert [s["rule_id"] for s in step["steps"]] == ["circulariteit-meten"]
    assert "meet de circulariteit" in step["steps"][0]["text"]


def test_profile_1_has_no_next_step(cgc, write):
    _, data = run(cgc, write, assessment(True, True, True))
    assert by_id(data)["gmr-profielen"]["next_level"] is None


def test_unanswered_question_leaves_the_profile_open_and_exits_1(cgc, write):
    code, data = run(cgc, write, assessment(True, True, None))
    gmr = by_id(data)["gmr-profielen"]
    assert code == 1
    assert data["summary"]["compliant"] is False
    assert gmr["highest_level"] == "profiel-2"
    one = next(x for x in gmr["levels"] if x["level"] == "profiel-1")
    assert one["status"] == "undetermined"
    assert one["missing_data"] == ["circulariteit-meten"]
    assert one["text"] == "profiel-1: niet te beoordelen (gegevens ontbreken: circulariteit-meten)"


def test_spinnenweb_cut_offs_are_unset_parameters(cgc, write):
    data = assessment()
    data["gmr"]["spinnenweb"] = {"circular_knowledge": 3}
    _, out = run(cgc, write, data, "--lang", "en")
    o = next(o for o in out["outcomes"] if o["rule_id"] == "spinnenweb-kennis")
    assert o["status"] == "not_applicable"
    assert o["explanation"].startswith("Not applicable: parameter not set: 'spinnenweb_grens_kennis'")


def test_growth_level_and_next_step_per_element(cgc, write):
    elements = [
        element("materialeninventarisatie", True, True, False, False),
        element("projectenkalender", True, False, False, False),
        element("transport_hub", False, False, False, False),
        element("ketenregisseur", True, True, True, True),
        element("spelregels", True, True, True, False),
    ]
    code, data = run(cgc, write, assessment(elements=elements))
    growth = {x["subject"]: x for x in by_id(data)["cgc-groeimodel"]["levels_by_subject"]}
    assert code == 0
    assert {k: v["highest_level"] for k, v in growth.items()} == {
        "materialeninventarisatie": "proces",
        "projectenkalender": "pionier",
        "transport_hub": "ad-hoc",
        "ketenregisseur": "netwerk",
        "spelregels": "systeem",
    }
    assert growth["ketenregisseur"]["next_level"] is None
    nxt = growth["transport_hub"]["next_level"]
    assert nxt["level"] == "pionier"
    assert [s["rule_id"] for s in nxt["steps"]] == ["stap-pionier"]
    assert "eerste gezamenlijke visie" in nxt["steps"][0]["text"]
    # the next step names only the step still to take, not the steps already taken below it
    assert [s["rule_id"] for s in growth["materialeninventarisatie"]["next_level"]["steps"]] == ["stap-systeem"]


def test_yes_above_a_no_does_not_count_and_gets_a_note(cgc, write):
    elements = [element(n, True, False, False, False) for n in ELEMENTS[:4]] + [
        element("spelregels", True, False, True, False)
    ]
    _, data = run(cgc, write, assessment(elements=elements))
    growth = {x["subject"]: x for x in by_id(data)["cgc-groeimodel"]["levels_by_subject"]}
    assert growth["spelregels"]["highest_level"] == "pionier"
    o = next(o for o in data["outcomes"] if o["rule_id"] == "stap-systeem" and o["subject"] == "spelregels")
    assert o["status"] == "pass"
    assert "process_agreements" in o["warning"]
    assert "telt pas mee" in o["warning"]
    assert all(x["warning"] is None for x in data["outcomes"] if x["subject"] != "spelregels")


def test_missing_element_fails_the_completeness_requirement(cgc, write):
    elements = [element(n, True, False, False, False) for n in ELEMENTS[:4]]
    code, data = run(cgc, write, assessment(elements=elements))
    o = next(o for o in data["outcomes"] if o["rule_id"] == "alle-elementen-beoordeeld")
    assert code == 1
    assert o["status"] == "fail"
    assert o["value"] == 4
    assert "niet beoordeeld: spelregels" in o["explanation"]


def test_table_output_shows_profile_levels_and_next_steps(cgc, monkeypatch):
    monkeypatch.chdir(ROOT)
    res = cgc("assess", "examples/gemeente-voldoet.yaml")
    assert res.exit_code == 0, res.output
    out = res.output
    assert "Niveau: profiel-2" in out
    assert "profiel-1: niet gehaald (niet voldaan: circulair-uitvragen, circulariteit-meten)" in out
    assert "Volgende stap" in out
    assert "Stap naar Systeem" in out
    assert "versie 2026.1 is van kracht op de datum van de zelfevaluatie, 2026-03-02" in out
    assert "Zelfevaluatie volledig" in out


def test_one_ruleset_and_english(cgc, write):
    res = cgc("assess", write(assessment()), "-r", "gmr-profielen", "--lang", "en")
    assert res.exit_code == 0, res.output
    assert "Level: profiel-2" in res.output
    assert "Groeimodel" not in res.output


def test_report_to_file(cgc, write, tmp_path):
    out = tmp_path / "rapport.json"
    res = cgc("assess", write(assessment()), "--format", "json", "-o", out)
    assert res.exit_code == 0
    assert res.output == ""
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["municipality"] == {"name": "Testgemeente", "region": "GMR", "assessed_on": "2026-03-02"}
    assert {rs["id"] for rs in data["rulesets"]} == {"gmr-profielen", "cgc-groeimodel"}


def test_version_follows_the_assessment_date(cgc, write):
    res = cgc("assess", write(assessment(assessed_on="2025-06-01")), "-r", "gmr-profielen")
    assert res.exit_code == 2
    assert "op 2025-06-01 geldt geen versie van regelset ‘gmr-profielen’" in res.output
    res = cgc("assess", write(assessment(assessed_on="2025-06-01")), "-r", "gmr-profielen", "--as-of", "2026-01-01")
    assert res.exit_code == 0, res.output


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["gmr"].update(capacity_and_knowledge="misschien"), "gmr.capacity_and_knowledge"),
        (
            lambda d: d["elements"].append(element("spelregels", True)),
            "element meer dan één keer beoordeeld: spelregels",
        ),
        (lambda d: d["elements"].__setitem__(0, element("hub", True)), "elements[0].name"),
        (lambda d: d["municipality"].update(inwoners=5), "municipality.inwoners: onbekend veld"),  # --lang nl
    ],
)
def test_bad_input_names_the_field_and_exits_2(cgc, write, change, expected):
    data = assessment()
    change(data)
    res = cgc("assess", write(data))
    assert res.exit_code == 2
    assert expected in res.output
    assert "submission.yaml:" in res.output
    assert "Traceback" not in res.output


def test_rulesets_of_the_wrong_kind_are_refused(cgc, write):
    res = cgc("assess", write(assessment()), "-r", "hnn-gww")
    assert res.exit_code == 2
    assert "checks projects, not municipalities" in res.output
    res = cgc("evaluate", ROOT / "examples" / "weg-voldoet.yaml", "-r", "gmr-profielen")
    assert res.exit_code == 2
    assert "checks municipalities, not projects: use `cgc assess`" in res.output
