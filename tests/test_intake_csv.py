"""A material list in CSV: either separator, BOM or not, Dutch decimals, every error at line:column."""

from __future__ import annotations

import json

import pytest

from cgc_rules.errors import CgcError
from cgc_rules.intake import load_any
from cgc_rules.submission import Origin

PREAMBLE = "kenmerk;c-1\nnaam;CSV-weg\ngemeente;Arnhem\nprojecttype;wegen\naanbestedingsdatum;2-3-2026\n\n"


def test_semicolons_dutch_decimals_composition_and_codes(write):
    text = PREAMBLE + (
        "materiaal;code;massa (t);herkomst;% primair;% gerecycled\n"
        "Asfalt;RAW 31.41;1.800,5;;50;50\n"
        "Zand;;12,5;primair;;\n"
        "\n"
    )
    s = load_any(write(text, "lijst.csv")).submission
    assert s.project.type.value == "wegen"
    assert s.project.tender_date.isoformat() == "2026-03-02"
    asphalt, sand = s.materials
    assert asphalt.code == "RAW 31.41"
    assert asphalt.mass_t == 1800.5
    assert asphalt.mass_by_origin() == {Origin.primair: 900.25, Origin.gerecycled: 900.25}
    assert sand.mass_t == 12.5
    assert sand.origin is Origin.primair


def test_commas_with_bom_and_model_names(write):
    text = (
        "\ufeffproject.id,c-2\nproject.name,N\nproject.municipality,Ede\nproject.type,wegen\n\n"
        'name,mass_t,origin\nZand,"12,5",primair\nGrond,3.5,hergebruikt\n'
    )
    s = load_any(write(text, "lijst.csv")).submission
    assert [(m.name, m.mass_t) for m in s.materials] == [("Zand", 12.5), ("Grond", 3.5)]


def test_every_error_is_named_by_line_and_column(write):
    text = PREAMBLE + (
        "materiaal;massa (t);herkomst;kleur\nZand;12,5 ton;primair;geel\nGrond;1.234;hergebruikt;\nBeton;-1;gestolen;\n"
    )
    with pytest.raises(CgcError) as info:
        load_any(write(text, "lijst.csv"))
    found = [(p.line, p.column, p.message) for p in info.value.problems]
    assert (7, 4) in [(line, col) for line, col, _ in found]  # unknown column "kleur"
    assert (8, 2, 'massa moet een getal ≥ 0 zijn, gevonden "12,5 ton"') in found
    assert (10, 2, 'massa moet een getal ≥ 0 zijn, gevonden "-1"') in found
    assert any((line, col) == (10, 3) and "herkomst moet een van deze zijn" in m for line, col, m in found)
    assert len(found) == 4  # line 9's "1.234" is 1234: with `;` the decimal mark is the comma, as in Dutch Excel


def test_with_commas_a_group_of_three_is_refused_with_two_forms_that_are_accepted(write):
    text = (
        PREAMBLE.replace(";", ",") + 'materiaal,massa (t),herkomst\nGrond,"5.200",hergebruikt\nZand,"1,234",primair\n'
    )
    with pytest.raises(CgcError) as info:
        load_any(write(text, "lijst.csv"))
    found = [(p.line, p.column, p.message) for p in info.value.problems]
    assert found == [
        (
            8,
            2,
            'massa: "5.200" is dubbelzinnig (duizendtallen of decimalen?); schrijf 5200 als u duizendtallen '
            "bedoelt, of 5,2 als u decimalen bedoelt",
        ),
        (
            9,
            2,
            'massa: "1,234" is dubbelzinnig (duizendtallen of decimalen?); schrijf 1234 als u duizendtallen '
            "bedoelt, of 1,2340 als u decimalen bedoelt",
        ),
    ]
    fixed = PREAMBLE.replace(";", ",") + 'materiaal,massa (t),herkomst\nGrond,5200,hergebruikt\nZand,"1,2340",primair\n'
    assert [m.mass_t for m in load_any(write(fixed, "lijst.csv")).submission.materials] == [5200, 1.234]


def test_a_list_without_project_lines_says_what_to_add(write):
    with pytest.raises(CgcError) as info:
        load_any(write("materiaal;massa (t);herkomst\nZand;1;primair\n", "lijst.csv"))
    (problem,) = info.value.problems
    assert problem.line == 1
    assert "projecttype;wegen" in problem.message


def test_what_dutch_excel_saves_loads_windows_1252_and_semicolons_stated_in_the_report(cgc, tmp_path):
    text = (
        "Kenmerk;c-3\nNaam;Café-plein Zuid\ngemeente;’s-Hertogenbosch\nprojecttype;openbare_ruimte\n\n"
        "Materiaal;Massa (t);Herkomst\nGebakken klinker (hergebruikt);1.250,5;hergebruikt\nZand;1.800;primair\n"
    )
    path = tmp_path / "lijst.csv"
    path.write_bytes(text.encode("cp1252"))
    loaded = load_any(path)
    s = loaded.submission
    assert (s.project.name, s.project.municipality) == ("Café-plein Zuid", "’s-Hertogenbosch")
    assert [m.mass_t for m in s.materials] == [1250.5, 1800]
    assert loaded.read_as == 'gelezen als Windows-1252, scheidingsteken ";"'
    res = cgc("evaluate", path, "-r", "hnn-gww@2026.1", "--format", "json")
    assert json.loads(res.output)["input_read_as"] == 'gelezen als Windows-1252, scheidingsteken ";"'
    table = " ".join(cgc("evaluate", path, "-r", "hnn-gww@2026.1").output.split())  # a long path wraps
    assert 'gelezen als Windows-1252, scheidingsteken ";"' in table


def test_utf8_is_stated_too_and_a_file_that_is_not_text_is_refused(write, tmp_path):
    loaded = load_any(write(PREAMBLE + "materiaal;massa (t);herkomst\nZand;1;primair\n", "lijst.csv"))
    assert loaded.read_as == 'gelezen als UTF-8, scheidingsteken ";"'
    path = tmp_path / "utf16.csv"
    path.write_bytes((PREAMBLE + "materiaal;massa (t);herkomst\n").encode("utf-16"))
    with pytest.raises(CgcError, match="geen tekstbestand in UTF-8 of Windows-1252"):
        load_any(path)


def test_the_example_in_the_docs_loads():
    import re

    from .conftest import ROOT

    docs = (ROOT / "docs/submissions.md").read_text(encoding="utf-8")
    example = re.search(r"```csv\n(.*?)```", docs, re.S)
    assert example is not None
    from cgc_rules.intake.csv import read_csv_text

    s, separator = read_csv_text(example[1], "voorbeeld.csv")
    assert separator == ";"
    assert [m.mass_t for m in s.materials] == [1800, 1372.5]


def test_cgc_evaluate_reads_a_csv_list(cgc, write):
    text = PREAMBLE + "materiaal;massa (t);herkomst\nGranulaat;620;gerecycled\nZand;380;primair\n"
    res = cgc("evaluate", write(text, "lijst.csv"), "-r", "hnn-gww@2026.1", "--format", "json")
    assert res.exit_code == 1, res.output  # the list passes, but the MKI lacks its data
    data = json.loads(res.output)
    origin = next(o for o in data["outcomes"] if o["rule_id"] == "herkomst-materiaal")
    assert (origin["status"], origin["value"]) == ("pass", 62.0)
