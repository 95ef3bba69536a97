"""Explanations, report words and selection reasons come from the catalogues, complete in Dutch and English."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from cgc_rules import i18n, languages
from cgc_rules.explain import project_type_name, status_word, theme_name
from cgc_rules.registry import Registry, Selection
from cgc_rules.report.assess import words
from cgc_rules.report.render import labels, level_word

from .conftest import ROOT


def _keys_in(path: str, pattern: str) -> set[str]:
    return set(re.findall(pattern, (ROOT / path).read_text(encoding="utf-8")))


def test_every_reason_and_warning_the_domain_returns_has_a_sentence_in_both_languages():
    reasons = _keys_in("cgc_rules/evaluator.py", r'Reason\("(\w+)"')
    warnings = {"implausible_stage", "step_above_gap"}
    assert {"project_type", "parameter_unset", "condition_false"} <= reasons
    for lang in languages.LANGUAGES:
        assert [k for k in sorted(reasons) if not i18n.has(lang, f"explain.reason.{k}")] == []
        assert [k for k in sorted(warnings) if not i18n.has(lang, f"explain.warning.{k}")] == []


@pytest.mark.parametrize(
    "how, day, nl, en",
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
    assert isinstance(reason, i18n.Msg) and reason.key == f"registry.selected.{how}"
    assert (i18n.render("nl", reason), i18n.render("en", reason)) == (nl, en)


def test_report_words_are_complete_in_both_languages():
    assert labels("nl")["not_compliant"] == "Voldoet NIET aan alle eisen"
    assert labels("en")["gap"] == "To pass"
    assert words("nl")["incomplete"] == "Zelfevaluatie NIET volledig: vul de ontbrekende antwoorden aan"
    assert labels("nl").keys() == labels("en").keys() and words("nl").keys() == words("en").keys()
    assert (level_word("measure", "nl"), level_word("measure", "en")) == ("meten", "measure")
    assert (status_word("missing_data", "nl"), status_word("missing_data", "en")) == (
        "gegevens ontbreken",
        "missing data",
    )
    assert project_type_name("kunstwerk", "en") == "civil structure" and project_type_name("nieuw", "nl") == "nieuw"
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
    assert len(written) > 20 and [w for w in written if dutch.search(w)] == []
