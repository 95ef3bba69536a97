"""Published JSON Schemas: current with the models, accept every shipped file, reject bad input."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import jsonschema
import pytest
import yaml

from cgc_rules.errors import CgcError
from cgc_rules.intake import load_any
from cgc_rules.intake.schemas import SCHEMAS, schema, schema_text
from cgc_rules.resources import bundled

from .conftest import ROOT

SCHEMA_DIR = ROOT / "docs/schemas"
BAD = sorted((ROOT / "tests/fixtures/bad").iterdir())


def _plain(value):
    """YAML data as JSON sees it: dates written as text."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def _load(path: Path):
    return _plain(yaml.safe_load(path.read_text(encoding="utf-8")))


def _shipped() -> list[tuple[str, Path]]:
    files = []
    for p in sorted((ROOT / "examples").glob("*.yaml")):
        files.append(("assessment" if p.name.startswith("gemeente-") else "submission", p))
    files += [("profile", p) for p in sorted(bundled("profiles").glob("*.yaml"))]
    files += [
        ("ruleset", p) for p in sorted(bundled("rulesets").glob("*/*.yaml")) if not p.name.endswith(".cases.yaml")
    ]
    files += [
        ("ruleset", p)
        for p in sorted(bundled("corridors").glob("rulesets/*/*.yaml"))
        if not p.name.endswith(".cases.yaml")
    ]
    for d in sorted(p.parent for p in bundled("corridors").glob("*/corridor.yaml")):
        files += [
            ("corridor", d / "corridor.yaml"),
            ("corridor-projects", d / "projects.yaml"),
            ("corridor-inventory", d / "inventory.yaml"),
        ]
        if (d / "events.yaml").exists():
            files.append(("corridor-events", d / "events.yaml"))
    return files


@pytest.mark.parametrize("name", list(SCHEMAS))
def test_published_schemas_are_current(name):
    published = SCHEMA_DIR / f"{name}.schema.json"
    assert published.read_text(encoding="utf-8") == schema_text(name), "run scripts/schemas.sh"


@pytest.mark.parametrize(("kind", "path"), _shipped(), ids=lambda x: str(x).rsplit("/", 2)[-1] if "/" in str(x) else x)
def test_every_shipped_file_validates(kind, path):
    jsonschema.Draft202012Validator(schema(kind)).validate(_load(path))


def test_every_kind_is_covered_by_a_shipped_file():
    assert {kind for kind, _ in _shipped()} == set(SCHEMAS)


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.name)
def test_bad_input_is_rejected_by_the_schema_and_by_cgc(path):
    data = json.loads(path.read_text()) if path.suffix == ".json" else _load(path)
    assert list(jsonschema.Draft202012Validator(schema("submission")).iter_errors(data))
    with pytest.raises(CgcError):
        load_any(path)


def test_cgc_schema_prints_and_writes(cgc, tmp_path):
    res = cgc("schema", "submission")
    assert res.exit_code == 0
    assert json.loads(res.output)["title"] == "Submission"
    res = cgc("schema", "--write", tmp_path)
    assert res.exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{n}.schema.json" for n in SCHEMAS)


def test_the_command_offers_every_schema_each_kind_first():
    from cgc_rules.jobs.files import schema_names

    assert schema_names() == (
        "submission",
        "assessment",
        *(n for n in SCHEMAS if n.startswith("corridor")),
        "ruleset",
        "profile",
    )
