"""`load_any` by extension, and reading cells the way bidders type them."""

from __future__ import annotations

import json

import openpyxl
import pytest
from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from cgc_rules.errors import CgcError
from cgc_rules.intake import load_any
from cgc_rules.intake.cells import CellError, read
from cgc_rules.intake.form import FormSpec, build_form
from cgc_rules.intake.layout import sheet

from .conftest import road

MASS = next(c for c in sheet("materialen").columns if c.path == ("mass_t",))
PERCENT = next(c for c in sheet("materialen").columns if c.path == ("composition", "gerecycled"))


def test_json_goes_through_pydantics_parser_and_errors_are_still_located(write):
    ok = load_any(write(road(), "a.json"))
    assert ok.submission.project.id == "t-1"
    assert len(ok.sha256) == 64
    bad = road(materials=[{"name": "zand", "mass_t": -1, "origin": "primair"}])
    path = write(json.dumps(bad, indent=2), "b.json")
    with pytest.raises(CgcError) as info:
        load_any(path)
    (problem,) = info.value.problems
    assert problem.line is not None
    assert problem.field == "materials[0].mass_t"


def test_same_submission_from_yaml_and_json(write):
    assert load_any(write(road(), "a.yaml")).submission == load_any(write(road(), "a.json")).submission


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12,5", 12.5),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("1.234.567", 1234567),
        ("12.5", 12.5),
        ("7", 7),
        (" 3 ", 3),
    ],
)
def test_numbers_in_text_cells(text, value):
    assert read(text, MASS) == value


@pytest.mark.parametrize("text", ["1.234", "1,234", "12,5 ton", "twaalf", "-1", "1e3x"])
def test_ambiguous_or_wrong_numbers_are_refused(text):
    with pytest.raises(CellError):
        read(text, MASS)


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_dutch_notation_with_decimals_reads_back(value):
    text = format_decimal(value, format="#,##0.00", locale="nl_NL")
    assert read(text, MASS) == pytest.approx(float(value))


def test_percent_sign_and_percent_formatted_cells(write, tmp_path):
    assert read("50 %", PERCENT) == 50
    assert read("33,5%", PERCENT) == 33.5
    form = tmp_path / "f.xlsx"
    form.write_bytes(build_form(FormSpec()))
    wb = openpyxl.load_workbook(form)
    p = wb["project"]
    for r, v in ((2, "x"), (3, "X"), (4, "Ede"), (5, "wegen")):
        p.cell(r, 2, v)
    m = wb["materialen"]
    for col, v in ((1, "asfalt"), (3, 100), (5, 0.5), (7, 0.5)):
        m.cell(2, col, v)
    m.cell(2, 5).number_format = m.cell(2, 7).number_format = "0%"
    wb.save(form)
    line = load_any(form).submission.materials[0]
    assert line.composition == {"primair": 50, "gerecycled": 50}
