"""A form as bidders return it: a title row above the header, sheets renamed in another case, Dutch numbers;
and what they hear when a header or a sheet was changed: one Dutch, located error with the fix."""

from __future__ import annotations

import openpyxl
import pytest

from cgc_rules.errors import CgcError
from cgc_rules.intake import load_any

from .test_intake_form import MATERIALS, PROJECT, fill, hnn_form


def _form(tmp_path, materials=MATERIALS):
    path = tmp_path / "bod.xlsx"
    path.write_bytes(hnn_form())
    return fill(path, PROJECT, materials, none=("sloop",))


def _problems(path) -> list[tuple[str | None, str]]:
    with pytest.raises(CgcError) as info:
        load_any(path, "nl")
    return [(p.field, p.message) for p in info.value.problems]


def test_title_rows_renamed_sheets_in_other_case_and_dutch_numbers_load(tmp_path):
    path = _form(tmp_path)
    wb = openpyxl.load_workbook(path)
    for title in ("materialen", "project"):
        wb[title].insert_rows(1)
        wb[title]["A1"] = "Inschrijving Velperweg — " + title
    for old, new in (("materialen", "Materialen"), ("project", "PROJECT ")):
        wb[old].title = "tijdelijk"  # openpyxl refuses a name that differs only in case from the sheet's own
        wb["tijdelijk"].title = new
    ws = wb["Materialen"]
    header = [c.value for c in ws[2]]
    ws.cell(2, header.index("massa (t)") + 1, "Massa (T)")  # the header in other case
    ws.cell(3, header.index("massa (t)") + 1, "1.800,0")  # Dutch grouping and decimal comma, as text
    ws.cell(5, header.index("massa (t)") + 1, "1372,5")
    wb.save(path)
    s = load_any(path).submission
    assert s.project.id == "arnhem-2026-031"
    assert s.project.area_m2 == 12000
    assert [(m.name, m.mass_t) for m in s.materials] == [
        ("Asfalt deklaag 50 % PR", 1800),
        ("Menggranulaat", 2400),
        ("Zand", 1372.5),
        ("Houten palen", 20),
    ]
    assert s.demolition == []


def test_a_changed_header_is_one_error_at_the_header_cell(tmp_path):
    path = _form(tmp_path)
    wb = openpyxl.load_workbook(path)
    wb["materialen"]["A1"] = "Materiaalnaam"
    wb.save(path)
    assert _problems(path) == [
        (
            "materialen!A1",
            'kopregel gewijzigd: kolom "Materiaalnaam" heet in het formulier "materiaal"; '
            'zet de kop terug naar "materiaal"',
        )
    ]


def test_a_deleted_required_column_is_one_error_and_an_extra_column_is_named(tmp_path):
    path = _form(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb["materialen"]
    ws.delete_cols(3)  # massa (t)
    ws["J1"] = "opmerking"
    wb.save(path)
    problems = _problems(path)
    assert problems[0][0] == "materialen!J1"
    assert problems[0][1].startswith('kopregel: onbekende kolom "opmerking"')
    assert problems[1:] == [
        ("materialen!A1", 'kopregel: kolom "massa (t)" ontbreekt (verplicht); voeg de kolom met deze kop toe')
    ]


def test_a_missing_sheet_says_what_was_found(tmp_path):
    path = _form(tmp_path)
    wb = openpyxl.load_workbook(path)
    wb["materialen"].title = "Materiaallijst"
    wb.save(path)
    ((field, message),) = _problems(path)
    assert field is None
    assert message.startswith(
        'blad "materialen" ontbreekt; gevonden bladen: "toelichting", "inschrijving", "project", "Materiaallijst"'
    )


def test_every_model_error_names_the_cell_in_dutch(tmp_path):
    """A line without its name: the cell, in the form's words, never `materials.1.name`."""
    path = _form(tmp_path, [MATERIALS[0], {"massa (t)": 3, "herkomst": "primair"}])
    assert _problems(path) == [("materialen!A3", "materiaal ontbreekt")]
