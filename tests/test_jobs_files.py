"""The file jobs: a submission converted without loss, refused for an unknown target, and the schemas by name."""

from __future__ import annotations

import json

import pytest

from cgc_rules.errors import CgcError
from cgc_rules.jobs.files import convert, schema_names, schemas
from cgc_rules.submission import load_submission

from .conftest import ROOT

EXAMPLE = ROOT / "examples/weg-voldoet.yaml"


def test_convert_to_json_reads_back_as_the_same_submission(tmp_path):
    target = tmp_path / "weg.json"
    target.write_text(convert(EXAMPLE, target), encoding="utf-8")
    assert load_submission(target).submission == load_submission(EXAMPLE).submission


def test_convert_refuses_a_target_it_cannot_write(tmp_path):
    with pytest.raises(CgcError, match=r"weg\.txt: write \.xlsx, \.yaml, \.yml or \.json"):
        convert(EXAMPLE, tmp_path / "weg.txt")


def test_schemas_by_name_are_draft_2020_12_of_the_model():
    texts = schemas(("submission", "assessment"))
    assert list(texts) == ["submission", "assessment"]
    submission = json.loads(texts["submission"])
    assert submission["$schema"].endswith("2020-12/schema")
    assert submission["title"] == "Submission"
    assert set(schemas()) == set(schema_names())
