"""`cgc rulesets diff` and `cgc_rules.diff`: added, removed and changed rules in table and JSON."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml

from cgc_rules.diff import diff_rulesets
from cgc_rules.registry import Registry

from .conftest import ROOT

BASE = ROOT / "cgc_rules/data/rulesets" / "hnn-gww" / "2026.1.yaml"


def next_version(tmp_path: Path, edit) -> Path:
    """A rulesets dir with hnn-gww 2026.1 and a 2027.1 made by `edit(data)`."""
    root = tmp_path / "rulesets"
    (root / "hnn-gww").mkdir(parents=True)
    (root / "hnn-gww" / "2026.1.yaml").write_bytes(BASE.read_bytes())
    data = yaml.safe_load(BASE.read_text(encoding="utf-8"))
    data["version"] = "2027.1"
    edit(data)
    (root / "hnn-gww" / "2027.1.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                                                  encoding="utf-8")
    return root


def rule(data: dict, rid: str) -> dict:
    return next(r for r in data["rules"] if r["id"] == rid)


def raise_threshold(data: dict) -> None:
    rule(data, "herkomst-materiaal")["threshold"]["by_project_type"]["wegen"] = 65
    data["effective_from"] = "2027-01-01"


def test_changed_threshold_named_per_project_type(tmp_path):
    reg = Registry(next_version(tmp_path, raise_threshold))
    d = diff_rulesets(reg.get("hnn-gww", "2026.1").ruleset, reg.get("hnn-gww", "2027.1").ruleset, "nl")
    [changed] = d.rules
    assert (changed.rule_id, changed.status) == ("herkomst-materiaal", "changed")
    [c] = changed.changes
    assert (c.field, c.scope, c.old, c.new) == ("threshold", "wegen", 62, 65)
    assert "grenswaarde (wegen): ≥ 62,0\u00a0% → ≥ 65,0\u00a0%" in d.markdown()
    assert "geldigheidsperiode: 2026-01-01 – 2030-12-31 → 2027-01-01 – 2030-12-31" in d.markdown()


def test_added_removed_and_other_fields(tmp_path):
    def edit(data: dict) -> None:
        data["rules"] = [r for r in data["rules"] if r["id"] != "co2"]
        new = copy.deepcopy(rule(data, "seb")) | {"id": "seb-extra"}
        data["rules"].append(new)
        rest = rule(data, "restmateriaal")
        rest.update(level="requirement", comparator=">=", threshold=50, unit="%")
        rest["applies_when"]["project_type"] = ["wegen"]
        rule(data, "mki")["source"] = "gmr-definities"

    reg = Registry(next_version(tmp_path, edit))
    d = diff_rulesets(reg.get("hnn-gww", "2026.1").ruleset, reg.get("hnn-gww", "2027.1").ruleset, "en")
    status = {r.rule_id: r.status for r in d.rules}
    assert status == {"seb-extra": "added", "co2": "removed", "restmateriaal": "changed", "mki": "changed"}
    fields = {r.rule_id: [c.field for c in r.changes] for r in d.rules}
    assert fields["restmateriaal"] == ["level", "applies_when", "threshold"]
    assert fields["mki"] == ["source"]
    rest = next(r for r in d.rules if r.rule_id == "restmateriaal")
    assert [(c.old_text, c.new_text) for c in rest.changes][0] == ("measure only", "requirement")
    assert rest.changes[2].new_text == "≥ 50.0%"
    assert d.to_dict()["summary"] == {"added": 1, "removed": 1, "changed": 2}


def test_same_version_is_empty():
    r = Registry().get("hnn-gww", "2026.1").ruleset
    d = diff_rulesets(r, r)
    assert d.empty and d.markdown() == "- geen inhoudelijke wijzigingen\n"


def test_cli_table_and_json(cgc, tmp_path):
    root = next_version(tmp_path, raise_threshold)
    res = cgc("rulesets", "diff", "hnn-gww@2026.1", "hnn-gww@2027.1", "--rulesets-dir", root)
    assert res.exit_code == 0, res.output
    assert "grenswaarde (wegen)" in res.output and "≥ 65,0" in res.output
    res = cgc("rulesets", "diff", "hnn-gww@2026.1", "hnn-gww@2027.1", "--rulesets-dir", root,
              "--format", "json", "--lang", "en")
    data = json.loads(res.output)
    assert data["from"] == "hnn-gww@2026.1" and data["to"] == "hnn-gww@2027.1"
    assert data["rules"][0]["changes"][0] == {"field": "threshold", "old": 62, "new": 65, "old_text": "≥ 62.0%",
                                              "new_text": "≥ 65.0%", "scope": "wegen"}


@pytest.mark.parametrize("args, message", [
    (("hnn-gww", "hnn-gww@2026.1"), "give an explicit version"),
    (("hnn-gww@2026.1", "hnn-gww@1999.1"), "unknown version '1999.1'"),
    (("nope@2026.1", "hnn-gww@2026.1"), "unknown ruleset 'nope'"),
])
def test_cli_bad_refs_exit_2(cgc, args, message):
    res = cgc("rulesets", "diff", *args)
    assert res.exit_code == 2
    assert message in res.output
