"""The assess job: a self-assessment from a file or from a form's answers, placed on its levels, recorded."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from cgc_rules.jobs.assess import InvalidAnswers, assess, assess_answers, questions, record
from cgc_rules.registry import Registry
from cgc_rules.store.store import open_store

from .conftest import ROOT

EXAMPLE = ROOT / "examples/gemeente-profiel-1.yaml"
# the example's own header: profile 1; inventory and rules of play at Systeem, calendar and chain director
# at Proces, transport and hub at Pionier
ELEMENTS = [
    ("materialeninventarisatie", "systeem"),
    ("projectenkalender", "proces"),
    ("transport_hub", "pionier"),
    ("ketenregisseur", "proces"),
    ("spelregels", "systeem"),
]


def _levels(assessment) -> tuple[str | None, list[tuple[str, str | None]]]:
    by_id = {r["id"]: r for r in assessment.report.data["rulesets"]}
    elements = [(x["subject"], x["highest_level"]) for x in by_id["cgc-groeimodel"]["levels_by_subject"]]
    return by_id["gmr-profielen"]["highest_level"], elements


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry()


def test_a_file_is_placed_on_the_gmr_profile_and_each_elements_growth_level(registry):
    a = assess(EXAMPLE, registry, lang="en")
    assert _levels(a) == ("profiel-1", ELEMENTS)
    counts = a.report.data["summary"]["counts"]
    assert (counts["pass"], counts["fail"], counts["missing_data"]) == (15, 9, 0)
    assert a.compliant is True
    assert [run.selection.loaded.ruleset.id for run in a.runs] == ["cgc-groeimodel", "gmr-profielen"]


def test_form_answers_give_the_same_levels_under_the_name_given(registry):
    answers = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    a = assess_answers(answers, "webformulier", registry, "en")
    assert _levels(a) == ("profiel-1", ELEMENTS)
    assert a.report.data["input"] == "webformulier"
    assert len(a.report.data["input_sha256"]) == 64


def test_one_missing_gmr_answer_leaves_the_assessment_incomplete(registry):
    answers = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    answers["gmr"]["measures_circularity"] = None
    a = assess_answers(answers, "webformulier", registry, "en")
    assert a.report.data["summary"]["counts"]["missing_data"] >= 1
    assert a.compliant is False


def test_invalid_answers_name_the_first_problem(registry):
    with pytest.raises(InvalidAnswers) as info:
        assess_answers({"municipality": {"name": ""}}, "webformulier", registry)
    assert info.value.problems[0].file == "webformulier"


def test_record_keeps_the_assessment_once(registry, tmp_path: Path):
    a = assess(EXAMPLE, registry)
    db = str(tmp_path / "store.db")
    assert record(a, db).added == 1
    assert record(a, db).already_stored == 1
    assert open_store(db).count() == 1


def test_questions_follow_the_model():
    q = questions()
    assert [e for e in q.elements] == [name for name, _ in ELEMENTS]
    assert len(q.gmr) == 3
    assert all(text for _, text in (*q.gmr, *q.axes, *q.element_questions))
    assert (q.score_min, q.score_max) == (1, 5)
