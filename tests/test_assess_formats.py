"""`cgc assess` beyond the basics: every growth-level boundary, next steps in both languages, the spinnenweb
scale, HTML output, JSON input and output files that are whole or absent."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from .conftest import ROOT

ELEMENTS = ["materialeninventarisatie", "projectenkalender", "transport_hub", "ketenregisseur", "spelregels"]
STEPS = ["shared_vision", "process_agreements", "shared_system", "value_chain_network"]
LEVELS = ["ad-hoc", "pionier", "proces", "systeem", "netwerk"]


def element(name: str, answers: list[bool | None]) -> dict:
    return {"name": name, **dict(zip(STEPS, answers, strict=False))}


def assessment(elements: list[dict] | None = None, spinnenweb: dict | None = None) -> dict:
    gmr: dict = {"capacity_and_knowledge": True, "tenders_circularly": True, "measures_circularity": False}
    if spinnenweb is not None:
        gmr["spinnenweb"] = spinnenweb
    return {
        "municipality": {"name": "Testgemeente", "region": "GMR", "assessed_on": "2026-03-02"},
        "gmr": gmr,
        "elements": elements if elements is not None else [element(n, [True, False, False, False]) for n in ELEMENTS],
    }


def growth(data: dict) -> dict:
    rs = next(r for r in data["rulesets"] if r["id"] == "cgc-groeimodel")
    return {x["subject"]: x for x in rs["levels_by_subject"]}


def run_json(cgc, path: Path, *args: str) -> tuple[int, dict]:
    res = cgc("assess", path, "--format", "json", *args)
    assert res.exit_code in (0, 1), res.output
    return res.exit_code, json.loads(res.output)


@pytest.mark.parametrize("yes", range(5))
def test_each_growth_level_boundary(cgc, write, yes):
    """`yes` consecutive yes answers (the rest no) put an element exactly on level `yes`; the next step is one up."""
    answers = [True] * yes + [False] * (4 - yes)
    elements = [element(n, answers if n == "spelregels" else [True, False, False, False]) for n in ELEMENTS]
    code, data = run_json(cgc, write(assessment(elements)))
    item = growth(data)["spelregels"]
    assert code == 0
    assert item["highest_level"] == LEVELS[yes]
    if yes == 4:
        assert item["next_level"] is None
    else:
        assert item["next_level"]["level"] == LEVELS[yes + 1]
        assert [s["rule_id"] for s in item["next_level"]["steps"]] == [f"stap-{LEVELS[yes + 1]}"]


@pytest.mark.parametrize("gap", range(4))
def test_unanswered_step_leaves_the_levels_above_open(cgc, write, gap):
    """Yes below an unanswered step: the element holds the level under it, the levels from it upwards cannot be judged."""
    answers: list[bool | None] = [True] * 4
    answers[gap] = None
    elements = [element(n, answers if n == "ketenregisseur" else [True, False, False, False]) for n in ELEMENTS]
    code, data = run_json(cgc, write(assessment(elements)))
    item = growth(data)["ketenregisseur"]
    assert code == 1
    assert data["summary"]["compliant"] is False
    assert item["highest_level"] == LEVELS[gap]
    assert [x["status"] for x in item["levels"][gap + 1 :]] == ["undetermined"] * (4 - gap)
    assert item["next_level"]["status"] == "undetermined"
    o = next(
        o for o in data["outcomes"] if o["rule_id"] == f"stap-{LEVELS[gap + 1]}" and o["subject"] == "ketenregisseur"
    )
    assert o["status"] == "missing_data"
    assert f"elements[ketenregisseur].{STEPS[gap]}" in o["explanation"]


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "nl",
            [
                "Van Ad-hoc naar Pionier",
                "Van Pionier naar Proces",
                "Van Proces naar Systeem",
                "Van Systeem naar Netwerk",
            ],
        ),
        (
            "en",
            ["From Ad-hoc to Pionier", "From Pionier to Proces", "From Proces to Systeem", "From Systeem to Netwerk"],
        ),
    ],
)
def test_next_step_texts_in_both_languages(cgc, write, lang, words):
    elements = [element(n, [True] * i + [False] * (4 - i)) for i, n in enumerate(ELEMENTS[:4])]
    elements.append(element("spelregels", [True] * 4))
    _, data = run_json(cgc, write(assessment(elements)), "--lang", lang)
    items = growth(data)
    texts = [items[n]["next_level"]["steps"][0]["text"] for n in ELEMENTS[:4]]
    assert [t.split(":")[0] for t in texts] == words
    gmr = next(r for r in data["rulesets"] if r["id"] == "gmr-profielen")
    step = gmr["next_level"]["steps"][0]
    assert step["text"].startswith("Nodig voor profiel 1" if lang == "nl" else "Needed for profile 1")


@pytest.mark.parametrize(("score", "ok"), [(1, True), (5, True), (2.5, True), (0.99, False), (5.01, False)])
def test_spinnenweb_scale_runs_from_1_to_5(cgc, write, score, ok):
    res = cgc("assess", write(assessment(spinnenweb={"circular_knowledge": score})), "--format", "json")
    if ok:
        assert res.exit_code == 0, res.output
        o = next(o for o in json.loads(res.output)["outcomes"] if o["rule_id"] == "spinnenweb-kennis")
        assert o["status"] == "not_applicable"  # a score alone decides nothing: the plan gives no cut-off
        assert "parameter niet ingesteld" in o["explanation"].lower()
    else:
        assert res.exit_code == 2
        assert re.search(
            r"submission\.yaml:10:\d+: gmr\.spinnenweb\.circular_knowledge: moet een getal [≥≤]", res.output
        )
        assert "Traceback" not in res.output


def test_html_report(cgc, write):
    elements = [element(n, [True, True, False, False]) for n in ELEMENTS[:4]]
    elements.append(element("spelregels", [True, False, True, False]))
    res = cgc("assess", write(assessment(elements)), "--format", "html")
    assert res.exit_code == 0, res.output
    html = res.output
    assert html.startswith("<!DOCTYPE html>")
    assert html.rstrip().endswith("</html>")
    assert "<h1>Testgemeente</h1>" in html
    assert "<strong>Niveau:</strong> profiel-2" in html
    assert "profiel-1: niet gehaald (niet voldaan: circulariteit-meten)" in html
    assert "<strong>Stap naar Systeem: uniform tussen organisaties</strong> — Van Proces naar Systeem" in html
    assert "Let op: ja op deze trede" in html  # the note on spelregels: yes on Systeem above a no on Proces
    assert "Zelfevaluatie volledig" in html
    assert "spinnenweb_grens_kennis" in html


def test_html_report_in_english_to_a_file(cgc, write, tmp_path):
    out = tmp_path / "zelfevaluatie.html"
    elements = [element(n, [True, False, False, False]) for n in ELEMENTS[:4]]  # spelregels not assessed
    res = cgc("assess", write(assessment(elements)), "--format", "html", "--lang", "en", "-o", out)
    assert res.exit_code == 1
    assert res.output == ""
    html = out.read_text(encoding="utf-8")
    assert '<html lang="en">' in html
    assert "Self-assessment NOT complete" in html
    assert "not assessed: spelregels" in html


def test_json_input(cgc, write):
    code, data = run_json(cgc, write(assessment(), "zelfevaluatie.json"))
    assert code == 0
    assert data["input"].endswith("zelfevaluatie.json")
    assert next(r for r in data["rulesets"] if r["id"] == "gmr-profielen")["highest_level"] == "profiel-2"


def test_no_file_is_written_on_bad_input_or_a_missing_directory(cgc, write, tmp_path):
    out = tmp_path / "rapport.json"
    bad = assessment()
    bad["gmr"]["tenders_circularly"] = "soms"
    res = cgc("assess", write(bad), "--format", "json", "-o", out)
    assert res.exit_code == 2
    assert "gmr.tenders_circularly" in res.output
    assert not out.exists()
    res = cgc("assess", write(assessment()), "--format", "json", "-o", tmp_path / "geen-map" / "rapport.json")
    assert res.exit_code == 2
    assert "does not exist" in res.output
    assert list(tmp_path.iterdir()) == [tmp_path / "submission.yaml"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "expected a mapping at the top level, found empty"),
        ("municipality: {name: X}\nelements: [{name: hub, shared_vision: true}]\n", ":2:"),
        ("gmr: {capacity_and_knowledge: true}\n", "municipality: required field is missing"),
        ("municipality: {name: X\n", "invalid YAML"),
    ],
)
def test_bad_files_give_one_clear_message(cgc, write, text, expected):
    res = cgc("assess", write(text), "--lang", "en")  # the loader words its errors in --lang
    assert res.exit_code == 2
    assert expected in res.output
    assert re.match(r"error: \S*submission\.yaml", res.output)
    assert "Traceback" not in res.output


def test_amersfoort_example_is_labelled_as_example_data():
    text = (ROOT / "examples" / "gemeente-amersfoort-voorbeeld.yaml").read_text(encoding="utf-8")
    assert text.startswith("# VOORBEELDGEGEVENS, GEEN FEITEN.")
    assert "(voorbeeldgegevens)" in text
    assert text.count("Voorbeeldwaarde, niet bevestigd.") == 5


def test_a_rulesets_directory_without_municipality_rulesets_is_bad_input(cgc, write, tmp_path):
    rs = tmp_path / "rulesets" / "hnn-gww"
    rs.mkdir(parents=True)
    (rs / "2026.1.yaml").write_bytes((ROOT / "cgc_rules/data/rulesets" / "hnn-gww" / "2026.1.yaml").read_bytes())
    res = cgc("assess", write(assessment()), "--rulesets-dir", tmp_path / "rulesets")
    assert res.exit_code == 2
    assert "no ruleset of kind municipality in" in res.output


def test_every_element_gets_a_row_even_when_not_assessed(cgc, write):
    elements = [element(n, [True, True, False, False]) for n in ELEMENTS if n != "ketenregisseur"]
    code, data = run_json(cgc, write(assessment(elements)))
    rows = growth(data)
    assert code == 1
    assert list(rows) == ELEMENTS  # in the order of the corridor model
    assert rows["ketenregisseur"] == {
        "subject": "ketenregisseur",
        "assessed": False,
        "highest_level": None,
        "next_level": None,
        "levels": [],
    }
    assert rows["spelregels"]["assessed"] is True
    assert rows["spelregels"]["highest_level"] == "proces"
    res = cgc("assess", write(assessment(elements)))
    assert re.search(r"ketenregisseur +│ niet beoordeeld +│ beoordeel dit element eerst", res.output)


def test_no_elements_at_all_gives_five_unassessed_rows_not_a_level_for_the_municipality(cgc, write):
    data = assessment()
    del data["elements"]
    code, out = run_json(cgc, write(data), "-r", "cgc-groeimodel")
    rs = out["rulesets"][0]
    assert code == 1
    assert "levels" not in rs
    assert [x["assessed"] for x in rs["levels_by_subject"]] == [False] * 5
    res = cgc("assess", write(data), "-r", "cgc-groeimodel", "--format", "html", "--lang", "en")
    assert res.output.count('<td class="missing_data">not assessed</td><td>assess this element first</td>') == 5
