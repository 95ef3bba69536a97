"""The project rulesets beyond hnn-gww: covenant levels, SEB notes, transport versions, rules of play."""

from __future__ import annotations

import json

from .conftest import road


def run(cgc, write, data, *args):
    res = cgc("evaluate", write(data), *args, "--format", "json")
    assert res.exit_code in (0, 1), res.output
    return json.loads(res.output)


def housing(materials, mpg, hnn):
    return {
        "project": {
            "id": "w",
            "name": "Woningen",
            "municipality": "Amersfoort",
            "type": "woningbouw",
            "tender_date": "2026-03-01",
        },
        "materials": materials,
        "impact": {"mpg": mpg},
        "hnn_indicators": hnn,
    }


HNN5 = ["a", "b", "c", "d", "e"]


def test_covenant_reports_highest_level_goud(cgc, write):
    data = run(
        cgc,
        write,
        housing(
            [
                {"name": "hout", "mass_t": 60, "origin": "biobased"},
                {"name": "beton", "mass_t": 40, "origin": "primair"},
            ],
            0.18,
            HNN5,
        ),
        "-r",
        "convenant-toekomstbestendig-bouwen",
    )
    rs = data["ruleset"]
    assert rs["highest_level"] == "goud"
    levels = {x["level"]: x for x in rs["levels"]}
    assert levels["goud"]["status"] == "reached"
    assert levels["brons"]["status"] == "undetermined"
    assert levels["brons"]["unset_parameters"] == ["brons_mpg_max", "brons_hnn_min"]
    assert "parameter not set" in json.dumps(levels["zilver"]) or "parameter niet ingesteld" in levels["zilver"]["text"]


def test_covenant_level_not_reached_names_the_failing_rules(cgc, write):
    data = run(
        cgc,
        write,
        housing([{"name": "beton", "mass_t": 100, "origin": "primair"}], 0.3, HNN5[:2]),
        "-r",
        "convenant-toekomstbestendig-bouwen",
        "--lang",
        "en",
    )
    rs = data["ruleset"]
    assert rs["highest_level"] is None
    goud = next(x for x in rs["levels"] if x["level"] == "goud")
    assert goud["status"] == "not_reached"
    assert goud["failed"] == ["goud-materiaal", "goud-mpg", "goud-hnn"]
    assert goud["text"] == "goud: not reached (not met: goud-materiaal, goud-mpg, goud-hnn)"
    assert data["summary"]["compliant"] is False  # brons material share (30 %) is the floor


def test_covenant_levels_in_table_output(cgc, write):
    res = cgc(
        "evaluate",
        write(
            housing(
                [
                    {"name": "hout", "mass_t": 60, "origin": "biobased"},
                    {"name": "beton", "mass_t": 40, "origin": "primair"},
                ],
                0.18,
                HNN5,
            )
        ),
        "-r",
        "convenant-toekomstbestendig-bouwen",
    )
    assert "Hoogste niveau gehaald: goud" in res.output
    assert "brons: niet te beoordelen (parameter niet ingesteld: brons_mpg_max, brons_hnn_min)" in res.output


def test_per_machine_rules_wait_for_their_parameter(cgc, write):
    data = run(
        cgc,
        write,
        road(
            equipment=[
                {"name": "Oude graver", "power_kw": 100, "emission_class": "stage-v", "year": 2019},
                {"name": "Nieuwe graver", "power_kw": 100, "emission_class": "stage-v", "year": 2020},
            ]
        ),
        "-r",
        "seb",
    )
    # no minimum class set: the per-machine rules cannot judge, but the list itself is checked
    assert {o["rule_id"]: o["status"] for o in data["outcomes"]}["materieellijst"] == "pass"
    per_machine = [o for o in data["outcomes"] if o["subject"] == "Oude graver"]
    assert per_machine == []  # nothing per machine while the minimum classes are unset


def test_implausible_stage_v_is_a_note_not_a_fail(cgc, write, tmp_path):
    import shutil

    from .conftest import ROOT

    root = tmp_path / "rs"
    shutil.copytree(ROOT / "cgc_rules/data/rulesets" / "seb", root / "seb")
    path = root / "seb" / "2023.1.yaml"
    path.write_text(
        path.read_text().replace(
            "  min_class_56_130kw:\n    description: {nl: Minimale emissieklasse voor machines van 56 tot 130 kW, en: Minimum emission class for machines of 56 to 130 kW}\n",
            "  min_class_56_130kw:\n    description: {nl: Minimale emissieklasse voor machines van 56 tot 130 kW, en: Minimum emission class for machines of 56 to 130 kW}\n    value: stage-v\n",
        )
    )
    data = run(
        cgc,
        write,
        road(
            equipment=[
                {"name": "Oude graver", "power_kw": 100, "emission_class": "stage-v", "year": 2019},
                {"name": "Nieuwe graver", "power_kw": 100, "emission_class": "stage-v", "year": 2020},
            ]
        ),
        "-r",
        "seb",
        "--rulesets-dir",
        root,
    )
    by = {o["subject"]: o for o in data["outcomes"] if o["rule_id"] == "machine-56-130kw"}
    assert by["Oude graver"]["status"] == "pass"
    assert "stage V" in by["Oude graver"]["warning"]
    assert "2020" in by["Oude graver"]["warning"]
    assert by["Nieuwe graver"]["warning"] is None


def test_as_of_picks_the_transport_version(cgc, write):
    van = {
        "name": "Bus",
        "vehicle_class": "N1",
        "zero_emission": False,
        "category": "bestelauto",
        "euro_class": 6,
        "enters_ze_zone": True,
        "first_registration": "2021-05-01",
        "used_until": "2028-06-30",
    }
    sub = write(road(project={"type": "sloop"}, transport=[van]))
    for as_of, version, status in [("2025-03-13", "2025.1", "fail"), ("2025-03-14", "2025.2", "pass")]:
        res = cgc("evaluate", sub, "-r", "emissievrij-transport", "--as-of", as_of, "--format", "json")
        data = json.loads(res.output)
        assert data["ruleset"]["version"] == version
        outcome = next(o for o in data["outcomes"] if o["rule_id"] == "ze-zone-bestelauto-euro6")
        assert outcome["status"] == status
        assert outcome["value"] == "2028-06-30"


def test_date_thresholds_explained_in_dutch(cgc, write):
    van = {
        "name": "Bus",
        "vehicle_class": "N1",
        "zero_emission": False,
        "category": "bestelauto",
        "euro_class": 5,
        "enters_ze_zone": True,
        "first_registration": "2019-05-01",
        "used_until": "2027-03-01",
    }
    data = run(cgc, write, road(project={"type": "sloop"}, transport=[van]), "-r", "emissievrij-transport")
    o = next(o for o in data["outcomes"] if o["rule_id"] == "ze-zone-bestelauto-euro5")
    assert o["status"] == "fail"
    assert "1 maart 2027" in o["explanation"]
    assert "31 december 2026" in o["explanation"]


def test_secondary_source_is_marked_in_the_report(cgc, write):
    data = run(
        cgc,
        write,
        housing([{"name": "beton", "mass_t": 100, "origin": "primair"}], 0.3, HNN5),
        "-r",
        "convenant-toekomstbestendig-bouwen",
    )
    by = {o["rule_id"]: o["source"] for o in data["outcomes"]}
    assert by["brons-materiaal"].endswith("(secundaire bron)")
    assert not by["goud-materiaal"].endswith("(secundaire bron)")
