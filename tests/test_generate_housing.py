"""Housing (woningbouw) documents speak of MPG, BVO and HNN indicators, not of MKI, DuboCalc or RAW."""

from __future__ import annotations

import re
from datetime import date

import pytest

from cgc_rules.documents import generate
from cgc_rules.documents.kinds import NotGenerated

from .docreading import (
    docx_clauses,
    docx_text,
    model_rule_clauses,
    norm,
    pdf_clauses,
    pdf_pages,
    rule_clauses,
)

AS_OF = date(2026, 3, 1)
KINDS = ("leidraad", "tender", "checklist")
CIVIL_WORDS = re.compile(r"DuboCalc|\bRAW\b|\bMKI\b|\bhet werk\b")
# Goud (convenant-toekomstbestendig-bouwen@2023.1): what each clause that implements a rule must say.
GOUD = {
    "goud-mpg": ("MPG", "€ 0,20 per m² BVO per jaar"),
    "goud-materiaal": ("hernieuwbaar, hergebruikt of gerecycled", "ten minste 55 %"),
    "goud-hnn": ("ten minste 5 indicatoren uit Het Nieuwe Normaal",),
}


@pytest.fixture(scope="module")
def housing() -> dict[str, dict[str, bytes]]:
    """Amersfoort, woningbouw: kind -> {format: bytes}."""
    return {
        kind: {
            f.name.rpartition(".")[2]: f.data
            for f in generate(kind, "amersfoort", "woningbouw", ["docx", "pdf"], as_of=AS_OF)
        }
        for kind in KINDS
    }


@pytest.mark.parametrize("kind", KINDS)
def test_goud_thresholds_in_the_clauses_that_implement_them(housing, kind):
    files = housing[kind]
    by_rule = (
        rule_clauses(files["docx"])
        if kind == "checklist"
        else model_rule_clauses(kind, "amersfoort", "woningbouw", AS_OF)
    )
    in_docx, in_pdf = docx_clauses(files["docx"]), pdf_clauses(files["pdf"])
    for rule, phrases in GOUD.items():
        assert by_rule.get(rule), (kind, rule)
        for number in by_rule[rule]:
            for phrase in phrases:
                assert phrase in in_docx[number], (kind, rule, number, in_docx[number])
                assert phrase in in_pdf[number], (kind, rule, number, in_pdf[number])


def test_tender_defines_mpg_and_bvo_and_asks_for_an_mpg_calculation(housing):
    files = housing["tender"]
    text = docx_text(files["docx"])
    for phrase in (
        "De milieuprestatie gebouwen",
        "Bepalingsmethode Milieuprestatie Bouwwerken",
        "Het bruto vloeroppervlak",
        "MPG-berekening",
        "HNN-indicatoren",
    ):
        assert phrase in text, phrase
    with pytest.raises(NotGenerated):  # no award criteria for woningbouw: no award document with only an example
        generate("emvi", "amersfoort", "woningbouw", ["docx"], as_of=AS_OF)


@pytest.mark.parametrize("kind", KINDS)
def test_no_civil_works_wording(housing, kind):
    files = housing[kind]
    for text in (docx_text(files["docx"]), norm(" ".join(pdf_pages(files["pdf"])))):
        assert not CIVIL_WORDS.search(text), (kind, CIVIL_WORDS.findall(text))


def test_civil_works_documents_keep_their_wording():
    files = {
        f.name.rpartition(".")[2]: f.data
        for f in generate("tender", "amersfoort", "wegen", ["docx", "pdf"], as_of=AS_OF)
    }
    for text in (docx_text(files["docx"]), norm(" ".join(pdf_pages(files["pdf"])))):
        for phrase in (
            "Standaard RAW Bepalingen",
            "berekend met DuboCalc",
            "DuboCalc-projectbestand",
            "ten hoogste € 0,17 MKI per m² per jaar",
            "oppervlakte van het werk",
        ):
            assert phrase in text, phrase
        assert "BVO" not in text
