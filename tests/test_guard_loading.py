"""Regression cases of issue 18 for the guarded loader: every crash class is a located error, in bounded time."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cgc_rules.errors import CgcError, display_path
from cgc_rules.loading import document, models
from cgc_rules.loading.files import read_bytes
from cgc_rules.loading.limits import Limits
from cgc_rules.loading.models import load_model
from cgc_rules.loading.parse import load
from cgc_rules.submission import load_submission

HEAD = "project: {id: p, name: n, municipality: m, type: wegen}\n"


def _error(path: Path) -> str:
    with pytest.raises(CgcError) as info:
        load_submission(path)
    assert len(info.value.problems) >= 1
    return str(info.value.problems[0])


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("project: {id: !!int abc}\n", ":1:15: project.id:", "not an integer (got 'abc')"),
        ("project:\n  area_m2: !!float abc\n", ":2:12: project.area_m2:", "not a number (got 'abc')"),
        ("a: !!bool maybe\n", ":1:4: a:", "not a boolean (got 'maybe')"),
        ("a: !!timestamp x\n", ":1:4: a:", "not a valid date (got 'x')"),
        ("project:\n  tender_date: 2026-02-30\n", ":2:16: project.tender_date:", "day is out of range for month"),
        ("a: !!int ''\n", ":1:4: a:", "not an integer"),
        ("a: " + "9" * 5000 + "\n", ":1:4: a:", "too many digits"),
        ("a: .inf\n", ":1:4: a:", "not a finite number"),
        ("a: .nan\n", ":1:4: a:", "not a finite number"),
        ("a: 1.0e+300\n", ":1:4: a:", "larger than the limit"),
        ("a: &x 1\nb: *x\n", ":1:4: a:", "anchors and aliases are not allowed"),
        ("<<: {a: 1}\n", ":1:1:", "merge keys"),
        ("a: !!binary aGk=\n", ":1:4: a:", "tag !!binary is not allowed"),
        ("a: !!python/object:os.system x\n", ":1:4: a:", "is not allowed"),
        ("a: !foo x\n", ":1:4: a:", "tag !foo is not allowed"),
        ("a: !!set {x}\n", ":1:4: a:", "tag !!set is not allowed"),
        ("a: 1\na: 2\n", ":2:1: a:", "duplicate key 'a'"),
        ("? [a]\n: 1\n", ":1:3:", "a mapping key must be a plain value"),
        ("a: 1\n---\nb: 2\n", ":2:1:", "expected a single document"),
        ("a: \x00\n", ":1:4:", "U+0000 is not allowed"),
        ("a: " + "[" * 500 + "]" * 500 + "\n", ":1:67:", "nested deeper than 64 levels"),
        ("".join("  " * i + "k:\n" for i in range(500)), ":65:129:", "nested deeper than 64 levels"),
    ],
)
def test_yaml_crash_classes_are_located_errors(tmp_path, text, where, message):
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    error = _error(path)
    assert error.startswith(str(path) + where), error
    assert message in error, error


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("[" * 5000 + "]" * 5000, ":1:65:", "nested deeper than 64 levels"),
        ('{"a":' * 100 + "1" + "}" * 100, ":1:321:", "nested deeper"),
        ('{"a": NaN}', ":1:7: a:", "not a finite number"),
        ('{"a": -Infinity}', ":1:7: a:", "not a finite number"),
        ('{"a": 1e999}', ":1:7: a:", "not a finite number"),
        ('{"a": ' + "9" * 5000 + "}", ":1:7: a:", "not a finite number"),
        ('{"project": {"area_m2": 1e300}}', ":1:25: project.area_m2:", "limit of 1e+15"),
        ('{"a": 1,\n "a": 2}', ":2:2: a:", "duplicate key 'a'"),
        ('{"a": 1,,}', ":1:9:", "invalid JSON"),
    ],
)
def test_json_crash_classes_are_located_errors(tmp_path, text, where, message):
    path = tmp_path / "s.json"
    path.write_text(text, encoding="utf-8")
    error = _error(path)
    assert error.startswith(str(path) + where), error
    assert message in error, error


@pytest.mark.parametrize("limit", ["max_lines", "max_items", "max_string", "max_bytes", "max_nodes"])
def test_every_limit_is_refused_with_the_limit_named(tmp_path, limit):
    small = Limits(**{limit: 10})
    path = tmp_path / "s.yaml"
    path.write_text("a: [" + ", ".join("x" * 3 for _ in range(12)) + "]\nb: " + "y" * 20 + "\n" + "c: 1\n" * 10)
    with pytest.raises(CgcError, match=r"more than 10|longer than 10|larger than|10 (lines|values)"):
        load(path, small)


def test_a_device_is_refused_before_reading():
    with pytest.raises(CgcError, match="/dev/zero: is a device"):
        read_bytes("/dev/zero", Limits(max_bytes=1024))


def test_a_directory_and_a_missing_file_are_clear(tmp_path):
    with pytest.raises(CgcError, match="is a directory"):
        load(tmp_path)
    with pytest.raises(CgcError, match="file not found"):
        load(tmp_path / "nope.yaml")


def test_bad_bytes_are_not_text(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_bytes(b"a: \xff\xfe\n")
    with pytest.raises(CgcError, match=r"not UTF-8 text \(byte 3\)"):
        load(path)


def test_the_values_still_load_as_before(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(
        "a: 2026-03-01\nb: 0x10\nc: 1_000\nd: yes\ne: ~\nf: '1.5'\ng: ! 12\nh: [1.5, -2]\n"
        "i: !!str 3\nj: {x: 1}\n2026: k\n",
        encoding="utf-8",
    )
    import datetime

    assert load(path).data == {
        "a": datetime.date(2026, 3, 1),
        "b": 16,
        "c": 1000,
        "d": True,
        "e": None,
        "f": "1.5",
        "g": "12",
        "h": [1.5, -2],
        "i": "3",
        "j": {"x": 1},
        2026: "k",
    }


def _bad_lines(path: Path, bad: int, total: int) -> None:
    lines = [HEAD, "materials:\n"]
    lines += [f"  - {{name: m{i}, mass_t: {'zwaar' if i < bad else 1.5}, origin: primair}}\n" for i in range(total)]
    path.write_text("".join(lines), encoding="utf-8")


def test_every_error_is_located_in_one_pass(tmp_path, monkeypatch):
    """Locating n errors reads the file once more, not n times (issue 18: 800 bad lines took 72 s)."""
    path = tmp_path / "s.yaml"
    _bad_lines(path, 2000, 2000)
    passes = []
    real = document.yaml_marks
    monkeypatch.setattr(document, "yaml_marks", lambda text, wanted: passes.append(1) or real(text, wanted))
    with pytest.raises(CgcError) as info:
        load_submission(path)
    assert len(passes) == 1
    problems = info.value.problems
    assert len(problems) == 2000
    assert [p.line for p in problems] == list(range(3, 2003))
    lines = path.read_text().splitlines()
    assert all(p.column == lines[p.line - 1].index("mass_t") + 1 for p in problems)
    assert problems[7].field == "materials[7].mass_t"


def test_problems_made_one_by_one_are_located_together(tmp_path, monkeypatch):
    path = tmp_path / "s.yaml"
    path.write_text("a:\n" + "".join(f"  - id: x{i}\n" for i in range(300)), encoding="utf-8")
    doc = load(path)
    passes = []
    real = document.yaml_marks
    monkeypatch.setattr(document, "yaml_marks", lambda text, wanted: passes.append(1) or real(text, wanted))
    problems = [doc.problem(("a", i, "id"), "duplicate id") for i in range(300)]
    error = CgcError(problems)
    assert len(passes) == 1
    assert error.problems[299].line == 301
    assert error.problems[0].column == 5


def test_json_errors_are_located_too(tmp_path):
    path = tmp_path / "s.json"
    path.write_text(
        '{"project": {"id": "p", "name": "n", "municipality": "m", "type": "wegen"},\n'
        ' "materials": [{"name": "a", "mass_t": "zwaar", "origin": "primair"},\n'
        '               {"name": "b", "mass_t": 1, "origin": "weg"}]}',
        encoding="utf-8",
    )
    with pytest.raises(CgcError) as info:
        load_submission(path)
    assert [(p.line, p.column, p.field) for p in info.value.problems] == [
        (2, 30, "materials[0].mass_t"),
        (3, 43, "materials[1].origin"),
    ]


def test_the_path_is_recorded_as_given_from_any_directory(tmp_path, monkeypatch):
    (tmp_path / "sub").mkdir()
    path = tmp_path / "sub" / "s.yaml"
    path.write_text(HEAD, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert load_submission("sub/s.yaml").path == "sub/s.yaml"
    assert load_submission(path).path == str(path)
    monkeypatch.chdir(tmp_path / "sub")
    assert load_submission(path).path == str(path)
    assert display_path("./sub/s.yaml") == "sub/s.yaml"
    assert os.sep not in display_path("s.yaml")


def test_the_hash_is_of_the_bytes_read(tmp_path):
    import hashlib

    path = tmp_path / "s.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + HEAD.replace("\n", "\r\n").encode())
    loaded = load_submission(path)
    assert loaded.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert loaded.submission.project.id == "p"


@pytest.mark.parametrize("limit", ["max_items", "max_string", "max_nodes"])
def test_every_limit_is_refused_in_json_too(tmp_path, limit):
    small = Limits(**{limit: 10})
    path = tmp_path / "s.json"
    path.write_text('{"a": [' + ", ".join(f'"x{i}"' for i in range(12)) + '], "b": "' + "y" * 20 + '"}')
    with pytest.raises(CgcError, match=r"more than 10 (items|values)|longer than 10"):
        load(path, small)


def test_yaml_has_its_own_values_limit_and_json_does_not(tmp_path):
    small = Limits(max_yaml_nodes=10)
    items = ", ".join(str(i) for i in range(12))
    (tmp_path / "s.yaml").write_text(f"a: [{items}]\n")
    (tmp_path / "s.json").write_text(f'{{"a": [{items}]}}')
    with pytest.raises(CgcError, match=r"s.yaml:1:\d+: a\[\d+\]: more than 10 values in the file \(YAML\); .* as JSON"):
        load(tmp_path / "s.yaml", small)
    assert load(tmp_path / "s.json", small).data == {"a": list(range(12))}


def test_a_json_submission_with_a_duplicate_key_is_refused_as_yaml_is(tmp_path):
    """JSON goes through the guarded loader in every command: pydantic's parser would keep the last of two keys."""
    from cgc_rules.intake import load_any

    path = tmp_path / "s.json"
    path.write_text(
        '{"project": {"id": "p", "name": "n", "municipality": "m", "type": "wegen"},\n'
        ' "materials": [{"name": "a", "mass_t": 1, "mass_t": 900, "origin": "primair"}]}',
        encoding="utf-8",
    )
    with pytest.raises(CgcError) as info:
        load_any(path, "en")
    assert str(info.value.problems[0]) == f"{path}:2:43: materials[0].mass_t: duplicate key 'mass_t'"


def test_a_large_file_is_read_again_only_to_locate_its_errors(tmp_path, monkeypatch):
    """The bytes of a large file are not held while it is validated; a problem found later is still located."""
    from cgc_rules.submission import Submission

    monkeypatch.setattr(models, "_KEEP_SOURCE", 0)
    path = tmp_path / "s.yaml"
    _bad_lines(path, 3, 50)
    with pytest.raises(CgcError) as info:
        load_submission(path)
    assert [(p.line, p.field) for p in info.value.problems] == [(3 + i, f"materials[{i}].mass_t") for i in range(3)]
    ok = tmp_path / "ok.yaml"
    _bad_lines(ok, 0, 50)
    _, kept, _ = load_model(ok, Submission)
    assert kept.source is None
    assert kept.reread is not None
    (found,) = CgcError([kept.problem(("materials", 1, "name"), "duplicate name")]).problems
    assert (found.line, found.column) == (4, 6)
    ok.write_text("changed\n", encoding="utf-8")  # changed since: the field is kept, the position is not guessed
    (changed,) = CgcError([kept.problem(("materials", 1, "name"), "duplicate name")]).problems
    assert (changed.line, changed.column, changed.field) == (None, None, "materials[1].name")
