"""The JSON outcome record carries what json-rules-engine's results carry: the terms and each condition as read."""

from __future__ import annotations

import json

import pytest

from cgc_rules.evaluator import Reason, compile_ruleset
from cgc_rules.registry import Registry

from .conftest import materials, road


def _outcomes(cgc, path, ref: str) -> dict[str, dict]:
    res = cgc("evaluate", path, "-r", ref, "--format", "json", "--lang", "en")
    assert res.exit_code in (0, 1), res.output
    return {o["rule_id"]: o for o in json.loads(res.output)["outcomes"]}


def test_terms_are_the_numbers_the_value_was_computed_from(cgc, write):
    path = write(road(materials=materials(620, 380)))
    origin = _outcomes(cgc, path, "hnn-gww")["herkomst-materiaal"]
    assert origin["value"] == pytest.approx(62.0)
    assert origin["terms"] == {
        "lines": 2,
        "total": 1000.0,
        "good": 620.0,
        "by": {"primair": 380.0, "hergebruikt": 0.0, "gerecycled": 620.0, "biobased": 0.0},
    }
    assert origin["conditions"] == []


def test_each_condition_records_the_value_it_read_and_its_result(cgc, write):
    demolished = road(
        demolition=[{"name": "puin", "mass_t": 12.5, "destination": "recycling"}],
        inventory={"published_on": "2026-01-05", "demolition_start": "2026-04-06"},
    )
    out = _outcomes(cgc, write(demolished), "cgc-spelregels@2024.1")["inventarisatie-voor-sloop"]
    assert out["status"] == "pass"
    assert out["conditions"] == [
        {"indicator": "demolition_mass_t", "comparator": ">", "value": 0, "read": 12.5, "result": True}
    ]
    assert out["terms"] == {"published_on": "2026-01-05"}

    nothing = road(demolition=[], inventory={"published_on": None})
    out = _outcomes(cgc, write(nothing, "none.yaml"), "cgc-spelregels@2024.1")["inventarisatie-voor-sloop"]
    assert out["status"] == "not_applicable"
    assert out["conditions"] == [
        {"indicator": "demolition_mass_t", "comparator": ">", "value": 0, "read": 0, "result": False}
    ]
    assert out["terms"] == {}

    absent = _outcomes(cgc, write(road(), "absent.yaml"), "cgc-spelregels@2024.1")["inventarisatie-voor-sloop"]
    assert absent["status"] == "missing_data"
    assert absent["conditions"] == [
        {"indicator": "demolition_mass_t", "comparator": ">", "value": 0, "read": None, "result": None}
    ]


def test_applies_is_the_one_applicability_test():
    """`CompiledRule.applies` gives the evaluator's reasons; with an open threshold a document still shows the rule."""
    lr = Registry().get("cgc-spelregels", "2024.1")

    def rule(rule_id: str, **parameters: object):
        return next(cr for cr in compile_ruleset(lr.ruleset, parameters).rules if cr.rule.id == rule_id)

    reuse = rule("hergebruik-minimum")
    assert reuse.applies("sloop") == Reason("parameter_unset", ("min_reuse_share",))
    assert reuse.applies("sloop", open_threshold=True) is None
    assert rule("hergebruik-minimum", min_reuse_share=50).applies("sloop") is None
    passports = "materiaalpaspoorten"
    unset = Reason("parameter_unset", ("material_passports_asked",))
    assert rule(passports).applies("sloop", open_threshold=True) == unset
    assert rule(passports, material_passports_asked=False).applies("sloop") == Reason(
        "parameter_off", ("material_passports_asked",)
    )
    assert rule(passports, material_passports_asked=True).applies("sloop") is None
