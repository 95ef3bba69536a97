"""Errors in YAML and JSON submissions come from the catalogues: Dutch under `--lang nl`, English under `--lang en`,
each still at its line, column and field."""

from __future__ import annotations

import pytest

from cgc_rules.errors import CgcError
from cgc_rules.intake import load_any

YAML = (
    "project: {id: a, name: b, municipality: c, type: wegen}\n"
    "materials:\n"
    "  - {name: zand, mass_t: -3, origin: primair}\n"
    "  - {name: grind, mass_t: 2, origin: gestolen, kleur: rood}\n"
    "  - {name: asfalt, mass_t: 2, composition: {primair: 50, gerecycled: 40}}\n"
)


def _errors(path, lang: str) -> list[tuple[int | None, int | None, str | None, str]]:
    with pytest.raises(CgcError) as info:
        load_any(path, lang)
    return [(p.line, p.column, p.field, p.message) for p in info.value.problems]


def test_model_errors_in_dutch_and_english(write):
    path = write(YAML)
    assert _errors(path, "nl") == [
        (3, 18, "materials[0].mass_t", "moet een getal ≥ 0 zijn (gevonden -3)"),
        (
            4,
            30,
            "materials[1].origin",
            "moet een van deze zijn: 'primair', 'hergebruikt', 'gerecycled', 'biobased' (gevonden 'gestolen')",
        ),
        (4, 48, "materials[1].kleur", "onbekend veld; controleer de spelling"),
        (5, 31, "materials[2].composition", "samenstelling telt op tot 90 %, niet tot 100 %"),
    ]
    english = [m for *_, m in _errors(path, "en")]
    assert english == [
        "Input should be greater than or equal to 0 (got -3)",
        "Input should be one of 'primair', 'hergebruikt', 'gerecycled', 'biobased' (got 'gestolen')",
        "unknown field",
        "the percentages of a composition must add up to 100, they add up to 90",
    ]


@pytest.mark.parametrize(
    ("name", "text", "nl", "en"),
    [
        (
            "s.yaml",
            "project:\n  id: x\n   name: y\n",
            "ongeldige YAML: hier mag geen 'sleutel: waarde' staan",
            "invalid YAML: mapping values are not allowed",
        ),
        ("s.yaml", "a: 1\na: 2\n", "sleutel 'a' staat er twee keer; houd er één", "duplicate key 'a'"),
        (
            "s.json",
            '{"project": {"id": "x",}}',
            "ongeldige JSON: hier hoort een sleutel tussen dubbele aanhalingstekens",
            "invalid JSON: Expecting property name enclosed in double quotes",
        ),
        (
            "s.yaml",
            "",
            "verwacht bovenaan sleutels met waarden (een mapping), gevonden: een leeg bestand",
            "found empty",
        ),
    ],
)
def test_syntax_errors_in_dutch_and_english(write, name, text, nl, en):
    path = write(text, name)
    ((line, column, _, dutch),) = _errors(path, "nl")
    ((_, _, _, english),) = _errors(path, "en")
    assert line is not None
    assert column is not None
    assert dutch.startswith(nl)
    assert en in english


def test_a_file_that_is_missing_or_not_utf8(tmp_path):
    assert _errors(tmp_path / "weg.yaml", "nl") == [(None, None, None, "bestand niet gevonden")]
    path = tmp_path / "latin1.yaml"
    path.write_bytes("project: {name: Café}\n".encode("cp1252"))
    assert _errors(path, "nl") == [(None, None, None, "geen UTF-8-tekst (byte 19); sla het bestand op als UTF-8")]
