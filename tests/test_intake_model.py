"""Material composition by mass and the client's code in the submission model."""

from __future__ import annotations

import json

import pytest

from cgc_rules.errors import CgcError
from cgc_rules.submission import Material, Origin, load_submission


def test_one_origin_puts_the_whole_mass_there():
    assert Material(name="zand", mass_t=12.5, origin="primair").mass_by_origin() == {Origin.primair: 12.5}


def test_composition_splits_the_mass_by_percent():
    line = Material(name="asfalt 50 % PR", mass_t=1000, composition={"gerecycled": 50, "primair": 50})
    assert line.mass_by_origin() == {Origin.gerecycled: 500.0, Origin.primair: 500.0}
    assert sum(line.mass_by_origin().values()) == 1000


def test_composition_within_a_hundredth_of_100_is_accepted():
    line = Material(name="beton", mass_t=30, composition={"primair": 66.67, "gerecycled": 33.34})
    assert line.mass_by_origin()[Origin.gerecycled] == pytest.approx(10.002)


def test_code_is_kept():
    assert Material(name="zand", code="RAW 22.31", mass_t=1, origin="primair").code == "RAW 22.31"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            {"name": "a", "mass_t": 10, "composition": {"gerecycled": 50, "primair": 49.98}},
            "add up to 100, they add up to 99.98",
        ),
        ({"name": "a", "mass_t": 10, "origin": "primair", "composition": {"primair": 100}}, "not both"),
        ({"name": "a", "mass_t": 10}, "not neither"),
        ({"name": "a", "mass_t": 10, "composition": {"primair": 120, "gerecycled": -20}}, "less than or equal to 100"),
    ],
)
def test_bad_composition_is_located_at_the_line(write, line, message):
    text = (
        "project: {id: t, name: T, municipality: Arnhem, type: wegen}\n"
        "materials:\n"
        "  - {name: zand, mass_t: 1, origin: primair}\n"
        f"  - {json.dumps(line)}\n"
    )
    with pytest.raises(CgcError) as info:
        load_submission(write(text))
    problem = info.value.problems[0]
    assert message in problem.message
    assert problem.line == 4
    assert problem.column is not None
    assert problem.field.startswith("materials[1]")
