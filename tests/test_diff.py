"""`cgc rulesets diff` and `cgc_rules.diff`: added, removed and changed rules in table and JSON."""

from __future__ import annotations

import copy
import json
import typing
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from cgc_rules import diff, i18n, languages
from cgc_rules.diff import diff_rulesets
from cgc_rules.registry import Registry
from cgc_rules.ruleset import Rule, Ruleset

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
    (root / "hnn-gww" / "2027.1.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
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
    assert d.empty
    assert d.markdown() == "- geen inhoudelijke wijzigingen\n"


def test_cli_table_and_json(cgc, tmp_path):
    root = next_version(tmp_path, raise_threshold)
    res = cgc("rulesets", "diff", "hnn-gww@2026.1", "hnn-gww@2027.1", "--rulesets-dir", root)
    assert res.exit_code == 0, res.output
    assert "grenswaarde (wegen)" in res.output
    assert "≥ 65,0" in res.output
    res = cgc(
        "rulesets",
        "diff",
        "hnn-gww@2026.1",
        "hnn-gww@2027.1",
        "--rulesets-dir",
        root,
        "--format",
        "json",
        "--lang",
        "en",
    )
    data = json.loads(res.output)
    assert data["from"] == "hnn-gww@2026.1"
    assert data["to"] == "hnn-gww@2027.1"
    assert data["rules"][0]["changes"][0] == {
        "field": "threshold",
        "old": 62,
        "new": 65,
        "old_text": "≥ 62.0%",
        "new_text": "≥ 65.0%",
        "scope": "wegen",
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("hnn-gww", "hnn-gww@2026.1"), "give an explicit version"),
        (("hnn-gww@2026.1", "hnn-gww@1999.1"), "unknown version '1999.1'"),
        (("nope@2026.1", "hnn-gww@2026.1"), "unknown ruleset 'nope'"),
    ],
)
def test_cli_bad_refs_exit_2(cgc, args, message):
    res = cgc("rulesets", "diff", *args)
    assert res.exit_code == 2
    assert message in res.output


# ---------------------------------------------------------------- every field of the model, on small rulesets


def small(**changes) -> Ruleset:
    """A two-rule ruleset with levels brons/zilver/goud; `changes` replace top-level fields or edit via callables."""
    data = {
        "id": "klein",
        "version": "2026.1",
        "title": "Klein",
        "effective_from": "2026-01-01",
        "sources": {"bron": {"document": "Leidraad"}},
        "parameters": {"drempel": {"description": {"nl": "drempel", "en": "threshold"}, "unit": "%", "value": 50}},
        "levels": ["brons", "zilver", "goud"],
        "rules": [
            {
                "id": "hergebruik",
                "title": {"nl": "Hergebruik", "en": "Reuse"},
                "theme": "materiaalgebruik",
                "indicator": "secondary_share",
                "level": "ambition",
                "comparator": ">=",
                "threshold": 50,
                "unit": "%",
                "source": "bron",
                "explanation": {"nl": "Uitleg", "en": "Why"},
                "tags": ["goud"],
            },
            {
                "id": "co2",
                "title": {"nl": "CO2", "en": "CO2"},
                "theme": "milieu-impact",
                "indicator": "mki",
                "level": "measure",
                "source": "bron",
                "explanation": {"nl": "Meten", "en": "Measure"},
            },
        ],
    }
    for name, change in changes.items():
        if callable(change):
            change(data)
        else:
            data[name] = change
    return Ruleset.model_validate(data)


def first_rule(data: dict) -> dict:
    return data["rules"][0]


@pytest.mark.parametrize(
    ("edit", "where", "field", "old_text", "new_text"),
    [
        (lambda d: first_rule(d).update(tags=["zilver"]), "rule", "tags", "goud", "zilver"),
        (
            lambda d: first_rule(d).update(theme="seb"),
            "rule",
            "theme",
            "Materiaalgebruik",
            "Schoon en emissieloos bouwen",
        ),
        (
            lambda d: first_rule(d).update(applies_when={"parameter": "vraag_hergebruik"}),
            "rule",
            "applies_when",
            "alle",
            "alle; alleen als parameter 'vraag_hergebruik' op ja staat",
        ),
        (lambda d: d.update(levels=["brons", "zilver"]), "ruleset", "levels", "brons, zilver, goud", "brons, zilver"),
        (lambda d: d.update(base_level="brons"), "ruleset", "base_level", "—", "brons"),
        (lambda d: d.update(kind="municipality"), "ruleset", "kind", "project", "municipality"),
        (
            lambda d: d["sources"]["bron"].update(secondary=True),
            "ruleset",
            "source",
            "Leidraad",
            "Leidraad (secundaire bron)",
        ),
        (lambda d: d["parameters"]["drempel"].update(unit="t"), "ruleset", "parameter_unit", "%", "t"),
        (
            lambda d: d["parameters"].update(nieuw={"description": {"nl": "n", "en": "n"}}),
            "ruleset",
            "parameter",
            "ontbreekt",
            "niet ingesteld",
        ),
    ],
)
def test_each_kind_of_field_change_is_reported(edit, where, field, old_text, new_text):
    d = diff_rulesets(small(), small(edit=edit), "nl")
    changes = d.ruleset_changes if where == "ruleset" else d.rules[0].changes
    assert [(c.field, c.old_text, c.new_text) for c in changes] == [(field, old_text, new_text)]
    assert "geen inhoudelijke wijzigingen" not in d.markdown()
    assert "no changes in content" not in str(diff_rulesets(small(), small(edit=edit), "en").markdown())


def test_moving_a_rule_between_levels_and_dropping_a_level_show_in_markdown_and_table(cgc, tmp_path):
    def edit(data: dict) -> None:
        first_rule(data)["tags"] = ["zilver"]
        data["levels"] = ["brons", "zilver"]
        data["version"] = "2027.1"

    d = diff_rulesets(small(), small(edit=edit), "en")
    assert d.markdown() == (
        "- ambition levels: brons, zilver, goud → brons, zilver\n"
        "- changed: rule `hergebruik` — Reuse\n"
        "  - tags (levels the rule counts for): goud → zilver\n"
    )
    root = tmp_path / "rulesets" / "klein"
    root.mkdir(parents=True)
    for rs in (small(), small(edit=edit)):
        (root / f"{rs.version}.yaml").write_text(
            json.dumps(rs.model_dump(mode="json", exclude_defaults=True)), encoding="utf-8"
        )
    res = cgc("rulesets", "diff", "klein@2026.1", "klein@2027.1", "--rulesets-dir", tmp_path / "rulesets")
    assert res.exit_code == 0, res.output
    assert "ambitieniveaus" in res.output
    assert "goud" in res.output
    assert "geen inhoudelijke" not in res.output


def test_a_text_changed_only_in_the_other_language_is_not_hidden():
    def edit(data: dict) -> None:
        first_rule(data)["explanation"]["en"] = "Why, better"

    [rule_change] = diff_rulesets(small(), small(edit=edit), "nl").rules
    [c] = rule_change.changes
    assert (c.field, c.new_text) == ("explanation", "nl: Uitleg / en: Why, better")


def test_same_small_ruleset_is_empty_in_both_languages():
    assert diff_rulesets(small(), small(), "en").markdown() == "- no changes in content\n"
    assert diff_rulesets(small(), small(), "nl").empty


def _model_paths(model: type[BaseModel], prefix: str = "") -> list[str]:
    """Every field of `model` and of the models inside it, as dotted paths (independent of cgc_rules.diff)."""
    out = []
    for name, info in model.model_fields.items():
        path = prefix + name
        out.append(path)
        for inner in _models_in(info.annotation):
            out += _model_paths(inner, path + ".")
    return out


def _models_in(annotation) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]


def _unaccounted() -> list[str]:
    """Model fields neither compared under a labelled change (itself or as part of a field) nor ignored.

    A collection compared member by member (`rules`, `parameters`) is accounted for by its members' fields.
    """
    compared = diff.compared_fields()
    out = []
    for path in _model_paths(Ruleset):
        if path in diff.IGNORED or path in diff.MEMBERS:
            continue
        owners = [p for p in compared if path == p or path.startswith(p + ".")]
        labelled = owners and all(
            i18n.has(lang, f"diff.field.{compared[p]}") for p in owners for lang in languages.LANGUAGES
        )
        if not labelled:
            out.append(path)
    return out


def test_every_field_of_the_ruleset_model_is_compared_or_ignored():
    assert _unaccounted() == []
    paths = _model_paths(Ruleset)
    assert {"levels", "base_level", "rules.tags", "rules.theme", "sources.secondary"} <= set(paths)
    assert set(diff.IGNORED) <= set(paths), "IGNORED names a field the model does not have"


def test_a_field_added_to_the_model_without_a_label_is_caught(monkeypatch):
    monkeypatch.setitem(Rule.model_fields, "priority", FieldInfo(annotation=int, default=0))
    assert _unaccounted() == ["rules.priority"]
