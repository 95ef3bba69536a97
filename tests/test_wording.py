"""Explanations, report words and selection reasons come from the catalogues, complete in Dutch and English."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from cgc_rules import i18n, languages
from cgc_rules.evaluator import compile_ruleset, evaluate
from cgc_rules.explain import explanation, project_type_name, status_word, theme_name
from cgc_rules.registry import Registry, Selection
from cgc_rules.report.assess import words
from cgc_rules.report.render import labels, level_word
from cgc_rules.ruleset import load_ruleset
from cgc_rules.submission import Submission

from .conftest import ROOT, materials, road

RULE = "title: {nl: t, en: t}, theme: t, level: requirement, source: s, explanation: {nl: x, en: x}"
SHARE = "indicator: responsible_origin_share, comparator: '>=', unit: '%'"
NO_CO2 = "applies_when: {conditions: [{indicator: co2_kg_per_fu, comparator: '>', value: 0}]}"
REASON_RULES = {  # one rule per reason the evaluator gives, for a road with 600 of 1000 t recycled
    "r-type": f"{SHARE}, applies_when: {{project_type: [openbare_ruimte]}}, threshold: 50",
    "r-open": f"{SHARE}, threshold: {{parameter: open_share}}",
    "r-off": f"{SHARE}, applies_when: {{parameter: asked}}, threshold: 50",
    "r-switch": f"{SHARE}, applies_when: {{parameter: unset_switch}}, threshold: 50",
    "r-no-threshold": f"{SHARE}, threshold: {{by_project_type: {{openbare_ruimte: 50}}}}",
    "r-list-empty": "indicator: equipment.emission_class, comparator: '>=', threshold: stage-v",
    "r-list-absent": "indicator: transport.zero_emission, comparator: '==', threshold: true",
    "r-condition-false": (
        f"{SHARE}, threshold: 50, "
        "applies_when: {conditions: [{indicator: mki_eur_per_m2_year, comparator: '<', value: 0.1}]}"
    ),
    "r-condition-missing": f"{SHARE}, threshold: 99, {NO_CO2}",
    "r-whatever": f"{SHARE}, threshold: 10, {NO_CO2}",
}
REASONS_RULESET = """id: redenen
version: "2026.1"
title: Redenen
kind: project
effective_from: 2026-01-01
sources:
  s: {document: Test}
parameters:
  open_share: {description: {nl: open, en: open}, unit: "%"}
  asked: {description: {nl: gevraagd, en: asked}, value: false}
  unset_switch: {description: {nl: niet gezet, en: not set}}
rules:
""" + "".join(f"  - {{id: {rid}, {RULE}, {body}}}\n" for rid, body in REASON_RULES.items())

# status, reason and words of the explanation in each language; MKI 7000 € / (1000 m² × 50 years) = € 0,14
REASONS = {
    "r-type": (
        "not_applicable",
        "project_type",
        "de regel geldt voor openbare ruimte; dit project is wegen",
        "the rule applies to public space; this project is roads",
    ),
    "r-open": ("not_applicable", "parameter_unset", "'open_share' heeft geen waarde", "'open_share' has no value"),
    "r-off": ("not_applicable", "parameter_off", "parameter 'asked' staat op nee", "parameter 'asked' is set to no"),
    "r-switch": (
        "not_applicable",
        "parameter_unset",
        "'unset_switch' heeft geen waarde",
        "'unset_switch' has no value",
    ),
    "r-no-threshold": (
        "not_applicable",
        "no_threshold_for_type",
        "de bron geeft geen grenswaarde voor wegen",
        "the source gives no threshold for roads",
    ),
    "r-list-empty": (
        "not_applicable",
        "list_empty",
        "de lijst 'equipment' is leeg",
        "the list 'equipment' is empty",
    ),
    "r-list-absent": (
        "missing_data",
        "list_absent",
        "de lijst 'transport' ontbreekt",
        "the list 'transport' is absent",
    ),
    "r-condition-false": (
        "not_applicable",
        "condition_false",
        "MKI per m² per jaar is € 0,14",
        "MKI per m² per year is €0.14",
    ),
    "r-condition-missing": (
        "missing_data",
        "condition_missing",
        "niet bekend: materiaalgebonden CO2-uitstoot",
        "not known: material-bound CO2 emissions",
    ),
    "r-whatever": (
        "pass",
        "whatever",
        "Wat materiaalgebonden CO2-uitstoot ook blijkt te zijn",
        "Whatever material-bound CO2 emissions turns out to be",
    ),
}


def test_every_reason_the_evaluator_gives_is_explained_in_each_language(tmp_path):
    path = tmp_path / "redenen" / "2026.1.yaml"
    path.parent.mkdir()
    path.write_text(REASONS_RULESET, encoding="utf-8")
    submission = Submission.model_validate(
        road(materials=materials(600, 400), impact={"mki_eur_total": 7000}, equipment=[])
    )
    outcomes = {o.rule.id: o for o in evaluate(submission, compile_ruleset(load_ruleset(path).ruleset))}
    assert {r.key for o in outcomes.values() if (r := o.reason)} == {
        "project_type",
        "parameter_unset",
        "parameter_off",
        "no_threshold_for_type",
        "list_empty",
        "list_absent",
        "condition_false",
        "condition_missing",
        "whatever",
    }
    for rid, (status, key, nl, en) in REASONS.items():
        o = outcomes[rid]
        assert (o.status, o.reason.key if o.reason else None) == (status, key), rid
        said = {lang: explanation(o, lang).replace("\u00a0", " ") for lang in languages.LANGUAGES}
        assert nl in said["nl"], (rid, said)
        assert en in said["en"], (rid, said)
        assert all("explain." not in text for text in said.values()), said


def test_every_warning_has_a_sentence_in_each_language():
    for lang in languages.LANGUAGES:
        for key in ("implausible_stage", "step_above_gap"):
            assert i18n.has(lang, f"explain.warning.{key}"), (lang, key)


@pytest.mark.parametrize(
    ("how", "day", "nl", "en"),
    [
        ("explicit", None, "versie 2026.1 expliciet gekozen", "version 2026.1 requested explicitly"),
        ("today", date(2026, 6, 1), "versie 2026.1: van kracht vandaag", "version 2026.1: in force today"),
        ("newest", date(2026, 6, 1), "versie 2026.1: nieuwste versie", "version 2026.1: newest version"),
        (
            "as_of",
            date(2026, 3, 2),
            "versie 2026.1 is van kracht op 2026-03-02 (--as-of)",
            "version 2026.1 is in force on 2026-03-02 (--as-of)",
        ),
        (
            "tender_date",
            date(2026, 3, 2),
            "versie 2026.1 is van kracht op de aanbestedingsdatum van het project, 2026-03-02",
            "version 2026.1 is in force on the project's tender date, 2026-03-02",
        ),
        (
            "assessed_on",
            date(2026, 3, 2),
            "versie 2026.1 is van kracht op de datum van de zelfevaluatie, 2026-03-02",
            "version 2026.1 is in force on the date of the self-assessment, 2026-03-02",
        ),
    ],
)
def test_selection_reason_is_a_message_rendered_per_language(how, day, nl, en):
    reason = Selection(Registry().get("hnn-gww", "2026.1"), how, day).reason()
    assert isinstance(reason, i18n.Msg)
    assert reason.key == f"registry.selected.{how}"
    assert (i18n.render("nl", reason), i18n.render("en", reason)) == (nl, en)


def test_report_words_are_complete_in_both_languages():
    assert labels("nl")["not_compliant"] == "Voldoet NIET aan alle eisen"
    assert labels("en")["gap"] == "To pass"
    assert words("nl")["incomplete"] == "Zelfevaluatie NIET volledig: vul de ontbrekende antwoorden aan"
    assert labels("nl").keys() == labels("en").keys()
    assert words("nl").keys() == words("en").keys()
    assert (level_word("measure", "nl"), level_word("measure", "en")) == ("meten", "measure")
    assert (status_word("missing_data", "nl"), status_word("missing_data", "en")) == (
        "gegevens ontbreken",
        "missing data",
    )
    assert project_type_name("kunstwerk", "en") == "civil structure"
    assert project_type_name("nieuw", "nl") == "nieuw"
    assert theme_name("seb", "en") == "Clean and emission-free building"
    assert theme_name("circulair-slopen", "nl") == "Circulair slopen"


def test_english_report_writes_no_dutch(cgc):
    res = cgc(
        "evaluate",
        ROOT / "examples/weg-voldoet-niet.yaml",
        "-r",
        "hnn-gww",
        "-r",
        "seb",
        "--lang",
        "en",
        "--format",
        "json",
    )
    assert res.exit_code in (0, 1), res.output
    data = json.loads(res.output)
    written = [rs["selection_reason"] for rs in data["rulesets"]]
    written += [o[k] or "" for o in data["outcomes"] for k in ("explanation", "gap", "warning", "value_text")]
    dutch = re.compile(r"\b(voldoet|niet|Norm|van|versie|nodig|opgegeven|bereikt|ontbreken|gerapporteerd)\b")
    assert len(written) > 20
    assert [w for w in written if dutch.search(w)] == []
