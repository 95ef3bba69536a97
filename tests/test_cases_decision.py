"""A ruleset case asserts any part of a decision (explanation, gap, reason, conditions read), and says where it
does not hold: each mismatch is a located problem at the expectation that failed."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from cgc_rules.cases import CaseReport, run_cases
from cgc_rules.ruleset import load_ruleset

from .conftest import ROOT

RULESETS = ROOT / "cgc_rules/data/rulesets"
BASE = {
    "project": {
        "id": "t",
        "name": "T",
        "municipality": "Arnhem",
        "type": "wegen",
        "tender_date": "2026-03-01",
        "area_m2": 1000,
        "lifetime_years": 50,
    },
    "declarations": {"seb_compliant": True},
    "materials": [  # 619 of 1000 t: 61,9 %, under the road threshold of 62 %
        {"name": "hergebruikt", "mass_t": 619, "origin": "hergebruikt"},
        {"name": "primair", "mass_t": 381, "origin": "primair"},
    ],
}


def _run(tmp_path: Path, rid: str, version: str, cases: str) -> tuple[CaseReport, list[str]]:
    folder = tmp_path / rid
    folder.mkdir()
    shutil.copy(RULESETS / rid / f"{version}.yaml", folder / f"{version}.yaml")
    path = folder / f"{version}.cases.yaml"
    path.write_text(cases, encoding="utf-8")
    report = run_cases(load_ruleset(folder / f"{version}.yaml"))
    return report, path.read_text(encoding="utf-8").splitlines()


def _hnn(tmp_path: Path, expectation: str) -> tuple[CaseReport, list[str]]:
    cases = yaml.safe_dump({"base": BASE}, sort_keys=False) + (
        "cases:\n  - name: 61,9 %\n    expect:\n      herkomst-materiaal:\n" + expectation
    )
    return _run(tmp_path, "hnn-gww", "2026.1", cases)


def _at(lines: list[str], problem) -> str:
    """The line a problem points at, from its column on: the key of the expectation that failed."""
    return lines[problem.line - 1][problem.column - 1 :].strip()


def test_every_part_of_a_failing_decision_holds(tmp_path):
    report, _ = _hnn(
        tmp_path,
        """        status: fail
        value: 61.9
        threshold: 62
        explanation: {nl: ["61,9 %", "voldoet niet"], en: "not met"}
        gap: {key: indicators.share_gap, fields: {swap: 1, drop: 1.6129032}, text: {nl: "1,7 t minder primair"}}
        reason: null
        conditions: []
""",
    )
    assert (report.checks, report.passed, report.failures) == (1, 1, [])


def test_each_wrong_part_is_a_problem_at_its_own_place(tmp_path):
    report, lines = _hnn(
        tmp_path,
        """        status: fail
        threshold: 57
        explanation: {nl: "voldoet wel"}
        gap:
          fields: {swap: 2}
          text: {en: "2 t more"}
        reason: condition_false
""",
    )
    assert report.passed == 0
    found = {p.field.removeprefix("cases[0].expect.herkomst-materiaal."): p for p in report.failures}
    assert {k: _at(lines, p) for k, p in found.items()} == {
        "threshold": "threshold: 57",
        "explanation.nl": 'nl: "voldoet wel"}',
        "gap.fields.swap": "swap: 2}",
        "gap.text.en": 'en: "2 t more"}',
        "reason": "reason: condition_false",
    }
    said = {k: p.message.split(": ", 2)[2] for k, p in found.items()}
    assert said["threshold"] == "expected threshold 57, got 62.0"
    assert said["explanation.nl"].startswith("explanation (nl) does not contain 'voldoet wel': 'Aandeel massa")
    assert said["gap.fields.swap"] == "expected gap swap 2, got 1.0"
    assert said["gap.text.en"].startswith("gap (en) does not contain '2 t more': '62.0% needed, 61.9% reached")
    assert said["reason"] == "expected reason 'condition_false', got none"


def test_a_wrong_status_is_the_only_problem_reported(tmp_path):
    report, _ = _hnn(tmp_path, "        status: pass\n        explanation: {nl: nergens}\n")
    [problem] = report.failures
    assert problem.field == "cases[0].expect.herkomst-materiaal.status"
    assert "expected pass, got fail — Share of mass with responsible origin is 61.9%" in problem.message


def test_conditions_read_and_reason_of_a_rule_that_does_not_apply(tmp_path):
    base = {
        "project": {"id": "t", "name": "T", "municipality": "Arnhem", "type": "wegen", "tender_date": "2027-03-01"},
        "equipment": [{"name": "Trilplaat", "power_kw": 18.9, "emission_class": "ouder", "year": 2015}],
        "declarations": {"seb_compliant": True},
    }
    cases = yaml.safe_dump({"base": base}, sort_keys=False) + (
        "cases:\n  - name: 18,9 kW\n    expect:\n      basis-19-37kw-p2/Trilplaat:\n"
        "        status: not_applicable\n"
        "        reason: {key: condition_false, args: [equipment.power_kw, 18.9]}\n"
        "        conditions:\n"
        "          - {indicator: equipment.power_kw, comparator: '>=', read: 18.9, result: false}\n"
        "          - {indicator: equipment.power_kw, comparator: '<', read: 18.9, result: false}\n"
        "          - {indicator: execution_or_tender_date, read: 2027-03-01}\n"
        "          - {indicator: equipment.year, result: true}\n"
        "      basis-onder-19kw-p2/Trilplaat: {status: reported, conditions: []}\n"
    )
    report, lines = _run(tmp_path, "seb-basis", "2023.1", cases)
    found = {p.field.removeprefix("cases[0].expect.basis-19-37kw-p2/Trilplaat."): p for p in report.failures}
    unexpected = found.pop("cases[0].expect.basis-onder-19kw-p2/Trilplaat.conditions")
    assert unexpected.message.endswith("expected no conditions, read 3")  # power < 19 kW, period from and until
    assert sorted(found) == ["conditions[1].result", "conditions[2]", "conditions[3]"]
    assert found["conditions[1].result"].message.endswith("equipment.power_kw: expected result False, got True")
    assert _at(lines, found["conditions[1].result"]) == "result: false}"
    assert "more than one condition on 'execution_or_tender_date' matches" in found["conditions[2]"].message
    assert "no condition on 'equipment.year' matches (conditions read: equipment.power_kw >= 19.0;" in (
        found["conditions[3]"].message
    )


def test_a_misspelt_expectation_key_names_file_line_and_column(tmp_path):
    report, lines = _hnn(tmp_path, "        status: fail\n        explanaton: {nl: ja}\n")
    [problem] = report.failures
    assert (problem.file, problem.line, problem.column) == (
        str(tmp_path / "hnn-gww/2026.1.cases.yaml"),
        lines.index("        explanaton: {nl: ja}") + 1,
        9,
    )
    assert _at(lines, problem).startswith("explanaton:")
    assert problem.field == "cases[0].expect.herkomst-materiaal.explanaton"
    assert problem.message == "unknown field"
    assert report.cases == 0


def test_an_unknown_language_and_a_gap_without_fields_are_reported(tmp_path):
    report, _ = _hnn(tmp_path, "        status: fail\n        explanation: {de: nicht}\n")
    assert [p.message.split(": ", 2)[2] for p in report.failures] == ["unknown language 'de'; use one of nl, en"]
    cases = (
        "base:\n  municipality: {name: T, region: GMR, assessed_on: 2026-03-01}\n"
        "  gmr: {capacity_and_knowledge: true, tenders_circularly: false, measures_circularity: true}\n"
        "cases:\n  - name: nee\n    expect:\n"
        "      circulair-uitvragen: {status: fail, gap: {fields: {want: true}}}\n"
        "      capaciteit-en-kennis: {status: pass, gap: {text: {nl: nodig}}}\n"
    )
    report, _ = _run(tmp_path, "gmr-profielen", "2026.1", cases)
    assert [p.message.split(": ", 2)[2] for p in report.failures] == [
        "this outcome has no gap message of its own: assert its text",
        "this outcome has no gap",
    ]


def test_a_corridor_case_asserts_reason_threshold_and_explanation(tmp_path):
    folder = tmp_path / "cgc-corridor"
    folder.mkdir()
    source = ROOT / "cgc_rules/data/corridors/rulesets/cgc-corridor"
    shutil.copy(source / "2024.1.yaml", folder / "2024.1.yaml")
    spec = yaml.safe_load((source / "2024.1.cases.yaml").read_text(encoding="utf-8"))
    spec["cases"] = [
        {
            "name": "too far",
            "parameters": {"max_transport_km": 11.0},
            "expect": {
                "transportafstand/a-tegels>direct>b-tegels": {
                    "status": "fail",
                    "threshold": 11.0,
                    "reason": "windows_apart",
                    "explanation": {"en": "longest leg over 11 km"},
                },
                "tijdig-gematcht/a-stenen": {"status": "pass", "threshold": 30, "explanation": {"nl": "dagen"}},
            },
        }
    ]
    (folder / "2024.1.cases.yaml").write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    report = run_cases(load_ruleset(folder / "2024.1.yaml"))
    assert [(p.field.split(".", 3)[3], p.message.split(": ", 2)[2]) for p in report.failures] == [
        ("reason.key", "expected reason 'windows_apart', got 'too_far'"),
        ("explanation.nl", "this outcome has no explanation"),
    ]
