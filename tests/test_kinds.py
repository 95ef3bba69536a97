"""The subject-kind registry: each kind once, its parts resolve, every shipped ruleset's kind is registered."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cgc_rules import kinds
from cgc_rules.errors import CgcError
from cgc_rules.indicators.base import Indicator
from cgc_rules.registry import Registry
from cgc_rules.ruleset import Kind

ROOT = Path(__file__).resolve().parent.parent


def test_each_kind_listed_once_with_its_own_verb():
    names = [k.kind for k in kinds.KINDS]
    assert len(names) == len(set(names))
    assert set(names) == set(Kind)
    verbs = [k.verb for k in kinds.KINDS]
    assert len(verbs) == len(set(verbs))
    assert verbs == ["evaluate", "assess", "corridor"]


@pytest.mark.parametrize("kind", kinds.KINDS, ids=lambda k: k.name)
def test_each_kinds_parts_resolve(kind):
    assert kind.indicators, f"{kind.name} has no indicators"
    for key, ind in kind.indicators.items():
        assert isinstance(ind, Indicator)
        assert ind.key == key
        assert ind.root == kind.name
    assert isinstance(kind.model, type)
    for part in (kind.loader, kind.run_case, kind.build_report):
        assert callable(part)
    assert kind.ruleset_root().is_dir()


def test_indicator_keys_unique_within_project_and_municipality():
    project, municipality = kinds.get(Kind.project).indicators, kinds.get(Kind.municipality).indicators
    assert not set(project) & set(municipality)


@pytest.mark.parametrize("root", kinds.ruleset_roots(), ids=lambda p: p.name)
def test_every_shipped_ruleset_is_of_a_registered_kind_and_uses_its_indicators(root):
    loaded = [lr for versions in Registry(root).by_id.values() for lr in versions]
    assert loaded
    for lr in loaded:
        kind = kinds.of(lr.ruleset)
        assert kind.ruleset_root() == root, f"{lr.ruleset.ref} lies outside the root of kind {kind.name}"
        for rule in lr.ruleset.rules:
            assert rule.indicator in kind.indicators, (lr.ruleset.ref, rule.id)


def test_refusal_names_the_verb_of_the_rulesets_own_kind():
    municipal = Registry(kinds.get(Kind.municipality).ruleset_root()).current("gmr-profielen").loaded.ruleset
    with pytest.raises(CgcError, match="checks municipalities, not projects: use `cgc assess`"):
        kinds.get(Kind.project).refuse(municipal)
    kinds.get(Kind.municipality).refuse(municipal)


@pytest.mark.parametrize(
    "module",
    [
        "cgc_rules.indicators",
        "cgc_rules.indicators.base",
        "cgc_rules.indicators.project",
        "cgc_rules.indicators.municipality",
        "cgc_rules.indicators.corridor",
        "cgc_rules.kinds",
        "cgc_rules.award",
        "cgc_rules.cases_corridor",
    ],
)
def test_module_imports_on_its_own(module):
    res = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr


def test_corridor_ruleset_cases_run_from_their_own_root(cgc):
    res = cgc("rulesets", "test", "--rulesets-dir", ROOT / "cgc_rules/data/corridors/rulesets")
    assert res.exit_code == 0, res.output
    assert "cgc-corridor@2024.1" in res.output
    assert " 0 failed" in res.output


def test_rulesets_test_and_lint_cover_every_kind_by_default(cgc):
    res = cgc("rulesets", "test")
    assert res.exit_code == 0, res.output
    assert "cgc-corridor@2024.1" in res.output
    assert "hnn-gww@2026.1" in res.output
    assert "gmr-profielen" in res.output
    files = sum(len(Registry(root).files()) for root in kinds.ruleset_roots())
    lint = cgc("rulesets", "lint")
    assert lint.exit_code == 0
    assert f"{files} ruleset file(s) checked, 0 problem(s)" in lint.output


def test_list_and_show_find_rulesets_of_every_kind(cgc):
    listed = cgc("rulesets", "list")
    assert listed.exit_code == 0
    assert "cgc-corridor" in listed.output
    assert "gmr-profielen" in listed.output
    shown = cgc("rulesets", "show", "cgc-corridor", "--lang", "en")
    assert shown.exit_code == 0
    assert "kind: corridor" in shown.output
    assert "route_leg_km (longest transport leg" in shown.output


def test_each_kind_publishes_the_schemas_of_the_files_it_reads():
    from cgc_rules.intake.schemas import SCHEMAS

    for kind in kinds.KINDS:
        names = [name for name, _ in kind.schemas]
        assert names, kind.name
        assert set(names) <= set(SCHEMAS), kind.name
    assert SCHEMAS["submission"] is kinds.get(Kind.project).model
    assert SCHEMAS["assessment"] is kinds.get(Kind.municipality).model


def test_load_words_the_errors_in_the_language_asked_when_the_loader_can(tmp_path):
    bad = tmp_path / "lijst.csv"
    bad.write_text("x;y\n1;2\n", encoding="utf-8")
    project = kinds.get(Kind.project)
    with pytest.raises(CgcError) as nl:
        project.load(bad, "nl")
    with pytest.raises(CgcError) as en:
        project.load(bad, "en")
    assert nl.value.problems[0].message != en.value.problems[0].message
    assessment = kinds.get(Kind.municipality).load(ROOT / "examples/gemeente-profiel-1.yaml", "en")
    assert assessment.assessment.municipality.name == "Gemeente Voorloper (voorbeeld)"
