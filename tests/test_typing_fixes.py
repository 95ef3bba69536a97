"""Bugs that `mypy --strict` found, each kept fixed by a test."""

from __future__ import annotations

import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from cgc_rules.corridor.load import load_corridor
from cgc_rules.documents import generate
from cgc_rules.errors import CgcError
from cgc_rules.resources import bundled
from cgc_rules.tender.model import Param, RoundingRule

CORRIDORS = Path(str(bundled("corridors")))
PROFILES = Path(str(bundled("profiles")))


@pytest.fixture
def corridor(tmp_path: Path) -> Path:
    shutil.copytree(CORRIDORS, tmp_path / "corridors")
    return tmp_path / "corridors" / "amersfoort-voorbeeld"


def _set_norm(corridor: Path, value: str) -> None:
    path = corridor.parent / "rulesets" / "cgc-corridor" / "2024.1.yaml"
    text = path.read_text(encoding="utf-8")
    assert "    value: true\n" in text
    path.write_text(text.replace("    value: true\n", f"    value: {value}\n", 1), encoding="utf-8")


@pytest.mark.parametrize("value", ['"ja"', "2026-01-01", "[true]"])
def test_a_rules_of_play_value_that_is_no_number_or_yes_no_is_refused(corridor, value):
    """`emission_free_transport: "ja"` used to load and silently switch the emission-free norm off."""
    _set_norm(corridor, value)
    with pytest.raises(CgcError) as exc:
        load_corridor(corridor)
    shown = str(exc.value)
    assert "emission_free_transport" in shown, shown
    assert "a number or true/false" in shown, shown
    assert "corridor.yaml" in shown, shown
    assert "rules_of_play.ruleset" in shown, shown


def test_a_yes_no_rules_of_play_value_still_loads(corridor):
    _set_norm(corridor, "false")
    assert load_corridor(corridor).param("emission_free_transport") is False


def test_an_open_tender_number_is_named_not_a_type_error():
    """Scoring reads a parameter through `required()`: an open one is a located error naming its label."""
    with pytest.raises(CgcError, match="parameter left open: sanctiefactor"):
        Param(label="sanctiefactor").required()
    assert Param(label="sanctiefactor", value=Decimal("1.5")).required() == Decimal("1.5")
    with pytest.raises(CgcError, match="parameter left open: aantal decimalen"):
        RoundingRule().apply(Decimal("1.005"))
    assert RoundingRule(places=2).apply(Decimal("1.005")) == Decimal("1.01")


def _without_page_size(docx: Path) -> None:
    """The Word document without its page size (`w:pgSz`): valid OOXML, Word falls back to its default."""
    with zipfile.ZipFile(docx) as src:
        entries = {name: src.read(name) for name in src.namelist()}
    body = entries["word/document.xml"].decode("utf-8")
    assert body.count("<w:pgSz ") == 1
    start = body.index("<w:pgSz ")
    entries["word/document.xml"] = (body[:start] + body[body.index("/>", start) + 2 :]).encode("utf-8")
    with zipfile.ZipFile(docx, "w") as dst:
        for name, data in entries.items():
            dst.writestr(name, data)


def test_a_reference_document_without_page_size_is_a_located_error(tmp_path):
    """The DOCX renderer sized tables from the page width, which python-docx gives as None here: a TypeError."""
    shutil.copy(PROFILES / "amersfoort.yaml", tmp_path)
    shutil.copytree(PROFILES / "huisstijl", tmp_path / "huisstijl")
    reference = tmp_path / "huisstijl" / "amersfoort" / "referentie.docx"
    _without_page_size(reference)
    with pytest.raises(CgcError) as exc:
        generate("checklist", "amersfoort", "wegen", ["docx"], profiles_dir=tmp_path)
    (problem,) = exc.value.problems
    assert problem.file == str(reference)
    assert "sets no page size or margins" in problem.message
