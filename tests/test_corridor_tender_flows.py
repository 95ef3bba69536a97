"""Corridor monitoring figures and pictures, checked by hand against the example corridor."""

from __future__ import annotations

import json
from datetime import date

import pytest

from cgc_rules.jobs.corridor import directory
from cgc_rules.jobs.corridor_flows import corridor_flows


def test_flows_of_the_example_corridor():
    r = corridor_flows(directory("amersfoort-voorbeeld"), date(2026, 3, 2))
    f = r.figures
    assert f.total_t == 115.0  # 80 t bricks + 35 t steel
    assert f.tonne_km == pytest.approx(152.0 + 434.0)  # 80 t × 1.9 km + 35 t × 12.4 km
    assert f.by_year == {2026: 115.0}
    assert f.by_partner == {"Gemeente Amersfoort": 35.0, "Voorbeeld Bouw (fictief)": 80.0}
    assert f.by_category == {"brick": 80.0, "steel-beams": 35.0}
    assert f.emission_free_share == 0.0  # no partner declares its transport
    assert [(n.supply, n.tonnes, n.reason) for n in f.not_taken] == [
        ("s-stadhuis-baksteen", 40.0, "left_over"),  # 120 t offered, 80 t needed
        ("s-stadhuis-staal", 5.0, "left_over"),  # 40 t offered, 35 t needed
        ("s-eem-dakpannen", 25.0, "needed_before_available"),
        ("s-utrecht-hout", 30.0, "too_far"),
    ]
    assert b"kop-van-isselt (80 t)" in r.chart.svg and b"steel-beams (35 t)" in r.chart.svg  # the labels
    assert r.map.svg.startswith(b"<?xml") and r.map.png.startswith(b"\x89PNG")


def test_cli_flows_writes_json_and_pictures(cgc, tmp_path):
    res = cgc("flows", "amersfoort-voorbeeld", "--as-of", "2026-03-02", "-o", tmp_path)
    assert res.exit_code == 0, res.output
    data = json.loads((tmp_path / "flows.json").read_text(encoding="utf-8"))
    assert data["flows"] == [
        {"category": "brick", "project": "kop-van-isselt", "tonnes": 80.0},
        {"category": "steel-beams", "project": "bovenduist", "tonnes": 35.0},
    ]
    again = tmp_path / "again"
    cgc("flows", "amersfoort-voorbeeld", "--as-of", "2026-03-02", "-o", again)
    assert (again / "corridor-map.svg").read_bytes() == (tmp_path / "corridor-map.svg").read_bytes()  # reproducible
