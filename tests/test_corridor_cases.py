"""Corridor ruleset cases: bad values and bad input are reported at their place in the cases file."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from cgc_rules.cases import run_cases
from cgc_rules.ruleset import load_ruleset

RULESET = Path(__file__).resolve().parent.parent / "cgc_rules/data/corridors/rulesets/cgc-corridor/2024.1.yaml"
PROJECT = {"id": "sloop-a", "name": "Sloop A", "partner": "p", "role": "donor", "place": {"lat": 52.0, "lon": 5.0}}


def _run(tmp_path: Path, cases: dict):
    folder = tmp_path / "cgc-corridor"
    folder.mkdir()
    shutil.copy(RULESET, folder / "2024.1.yaml")
    (folder / "2024.1.cases.yaml").write_text(yaml.safe_dump(cases, sort_keys=False), encoding="utf-8")
    return run_cases(load_ruleset(folder / "2024.1.yaml"))


def test_an_open_parameter_without_value_is_a_located_failure(tmp_path):
    rep = _run(
        tmp_path,
        {
            "base": {"as_of": "2026-03-01", "projects": [PROJECT]},
            "cases": [
                {
                    "name": "no distance",
                    "parameters": {"inventory_notice_weeks": 12, "expiry_warning_days": 30},
                    "expect": {"transportafstand": "pass"},
                }
            ],
        },
    )
    [problem] = rep.failures
    assert problem.file == f"{tmp_path}/cgc-corridor/2024.1.cases.yaml"
    assert problem.field == "cases[0].parameters"
    assert problem.line is not None
    assert problem.column is not None
    assert problem.message == (
        "cgc-corridor@2024.1: parameter 'max_transport_km' needs a number or yes/no in rules_of_play or parameters"
    )


def test_bad_corridor_input_names_its_field(tmp_path):
    rep = _run(
        tmp_path,
        {
            "base": {"as_of": "2026-03-01", "projects": [{**PROJECT, "role": "seller"}]},
            "cases": [{"name": "bad role", "expect": {"transportafstand": "pass"}}],
        },
    )
    assert len(rep.failures) == 1
    assert "cases[0].submission.projects[0].role: Input should be" in str(rep.failures[0])


def test_an_unknown_subject_names_the_subjects_there_are(tmp_path):
    receiver = {**PROJECT, "id": "bouw-b", "role": "receiver", "place": {"lat": 52.05, "lon": 5.0}}
    line = {"category": "tegels", "description": "Tegels", "quantity": 10}
    rep = _run(
        tmp_path,
        {
            "base": {
                "as_of": "2026-03-01",
                "projects": [PROJECT, receiver],
                "supply": [
                    {
                        **line,
                        "id": "s",
                        "project": "sloop-a",
                        "condition": "good",
                        "available": {"start": "2026-04-01", "end": "2026-05-01"},
                    }
                ],
                "demand": [
                    {
                        **line,
                        "id": "d",
                        "project": "bouw-b",
                        "min_quality": "fair",
                        "needed": {"start": "2026-04-15", "end": "2026-05-15"},
                    }
                ],
                "rules_of_play": {"max_transport_km": 10, "inventory_notice_weeks": 12, "expiry_warning_days": 30},
            },
            "cases": [{"name": "nothing to route", "expect": {"transportafstand/x>direct>y": "pass"}}],
        },
    )
    assert rep.cases == 1
    assert rep.passed == 0
    assert "no outcome for 'transportafstand/x>direct>y' (subjects: s>direct>d)" in str(rep.failures[0])
