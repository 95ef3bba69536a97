"""`cgc convert`: XLSX, YAML and JSON into each other without loss."""

from __future__ import annotations

from itertools import pairwise

import pytest

from cgc_rules.intake import load_any

from .conftest import ROOT

SUBMISSIONS = sorted(p for p in (ROOT / "examples").glob("*.yaml") if not p.name.startswith("gemeente-"))


@pytest.mark.parametrize("example", SUBMISSIONS, ids=lambda p: p.stem)
def test_round_trip_through_every_format_gives_an_equal_model(cgc, tmp_path, example):
    original = load_any(example).submission
    chain = [example, tmp_path / "a.xlsx", tmp_path / "b.json", tmp_path / "c.xlsx", tmp_path / "d.yaml"]
    for source, target in pairwise(chain):
        res = cgc("convert", source, target)
        assert res.exit_code == 0, res.output
        assert load_any(target).submission == original, target.suffix


def test_composition_code_and_empty_lists_survive(cgc, tmp_path, write):
    data = {
        "project": {"id": "x", "name": "X", "municipality": "Ede", "type": "sloop"},
        "materials": [
            {"name": "asfalt", "code": "RAW 1", "mass_t": 10, "composition": {"primair": 30, "gerecycled": 70}}
        ],
        "demolition": [],
        "hnn_indicators": [],
        "equipment": None,
    }
    source = write(data)
    original = load_any(source).submission
    for suffix in (".xlsx", ".json", ".yaml"):
        target = tmp_path / f"out{suffix}"
        assert cgc("convert", source, target).exit_code == 0
        back = load_any(target).submission
        assert back == original
        assert back.demolition == []
        assert back.equipment is None
        assert back.hnn_indicators == []


def test_unknown_target_format_is_usage_error(cgc, tmp_path):
    res = cgc("convert", ROOT / "examples/weg-voldoet.yaml", tmp_path / "out.txt")
    assert res.exit_code == 2
    assert ".xlsx" in res.output
