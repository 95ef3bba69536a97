"""The durable-rules wrapper and the rules-of-play loading, apart from the Amersfoort cases."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from cgc_rules.cli import main
from cgc_rules.corridor import rete
from cgc_rules.corridor.engine import run
from cgc_rules.corridor.load import load_corridor
from cgc_rules.errors import CgcError

CORRIDORS = Path(__file__).resolve().parent.parent / "cgc_rules" / "data" / "corridors"


def _copy(tmp_path: Path) -> Path:
    shutil.copytree(CORRIDORS / "rulesets", tmp_path / "rulesets")
    shutil.copytree(CORRIDORS / "amersfoort-voorbeeld", tmp_path / "c")
    return tmp_path / "c"


def test_identify_steps_around_a_hash_collision():
    s = rete.Session("unregistered", None)
    try:
        s._hashes[rete._fnv1a_32("supply:x")] = "someone-else"
        assert s.identify({"t": "supply", "key": "x"})["id"] == "supply:x~1"
    finally:
        s.close()


def test_ruleset_registered_once_per_corridor_version(tmp_path):
    corridor = load_corridor(CORRIDORS / "amersfoort-voorbeeld")
    run(corridor, date(2026, 5, 20))
    before = rete.registered()
    run(corridor, date(2026, 6, 20))
    assert rete.registered() == before
    d = _copy(tmp_path)
    text = (d / "corridor.yaml").read_text().replace("value: 15", "value: 25")
    (d / "corridor.yaml").write_text(text)
    wider = load_corridor(d)
    found = run(wider, date(2026, 5, 20))
    assert len(rete.registered()) == len(before) + 1
    # 19.8 km is within 25 km: the Utrecht timber now goes direct
    assert any(r.supply == "s-utrecht-hout" and r.via == "" for r in found.candidates)


def test_missing_fill_in_names_the_parameter(tmp_path):
    d = _copy(tmp_path)
    text = (d / "corridor.yaml").read_text()
    start = text.index("    expiry_warning_days:")
    (d / "corridor.yaml").write_text(text[:start] + text[text.index("partners:") :])
    with pytest.raises(CgcError) as exc:
        load_corridor(d)
    assert "corridor.yaml:" in str(exc.value)
    assert "'expiry_warning_days' has no value" in str(exc.value)


def test_unknown_reference_is_located(tmp_path):
    d = _copy(tmp_path)
    text = (d / "inventory.yaml").read_text().replace("project: bovenduist", "project: nergens", 1)
    (d / "inventory.yaml").write_text(text)
    res = CliRunner().invoke(main, ["corridor", "match", str(d)])
    assert res.exit_code == 2
    assert "demand[1].project: unknown project 'nergens'" in res.output


def test_corridor_ruleset_lints_clean():
    res = CliRunner().invoke(main, ["rulesets", "lint", str(CORRIDORS / "rulesets")])
    assert res.exit_code == 0, res.output
    files = [p for p in (CORRIDORS / "rulesets").glob("*/*.yaml") if not p.name.endswith(".cases.yaml")]
    assert len(files) >= 1
    assert res.output == f"{len(files)} ruleset file(s) checked, 0 problem(s)\n"
