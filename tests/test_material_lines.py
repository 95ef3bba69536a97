"""Material lines are checked without a hook per line: the same located errors, reported together."""

from __future__ import annotations

import json

import pytest

from cgc_rules.errors import CgcError
from cgc_rules.submission import load_submission

HEAD = "project: {id: t, name: T, municipality: Arnhem, type: wegen}\nmaterials:\n"
GOOD = {"name": "zand", "mass_t": 1, "origin": "primair"}


def problems(write, lines: list[dict]) -> list[tuple[str, int | None, str]]:
    text = HEAD + "".join(f"  - {json.dumps(line)}\n" for line in lines)
    with pytest.raises(CgcError) as info:
        load_submission(write(text))
    return [(p.field or "", p.line, p.message) for p in info.value.problems]


def test_origin_errors_come_with_the_field_errors_of_other_lines(write):
    found = problems(
        write,
        [
            GOOD,
            {"name": "a", "mass_t": 1, "origin": "primair", "composition": {"primair": 100}},
            {"name": "b", "mass_t": -1, "origin": "primair"},
            {"name": "c", "mass_t": 1},
            {"name": "d", "mass_t": -1},  # a line with a field error is reported for that alone
        ],
    )
    assert [(field, line) for field, line, _ in found] == [
        ("materials[1]", 4),
        ("materials[2].mass_t", 5),
        ("materials[3]", 6),
        ("materials[4].mass_t", 7),
    ]
    assert "not both" in found[0][2]
    assert "not neither" in found[2][2]
    assert "greater than or equal to 0" in found[1][2]


def test_a_long_list_read_line_by_line_locates_the_line_too(write):
    lines = [GOOD] * 1500
    lines[1200] = {"name": "x", "mass_t": 2}
    assert problems(write, lines) == [("materials[1200]", 1203, "give either origin or composition, not neither")]
