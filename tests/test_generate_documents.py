"""Every shipped profile × wegen/openbare_ruimte × every document kind as DOCX and HTML, a sample as PDF, read back."""

from __future__ import annotations

import html
import io
import zipfile
from datetime import date

import pytest
from pypdf import PdfReader

from cgc_rules.documents import DOCUMENT_KINDS, generate
from cgc_rules.documents.build import build_document
from cgc_rules.profile import load_profile, profile_path
from cgc_rules.registry import Registry

from .docreading import (
    docx_clauses,
    docx_sections,
    docx_table,
    docx_text,
    generated,
    html_clauses,
    model_rule_clauses,
    norm,
    pdf_clauses,
    pdf_pages,
    rule_clauses,
)

PROFILES = ("amersfoort", "gmr-voorbeeld-profiel-1", "gmr-voorbeeld-profiel-2", "gmr-voorbeeld-profiel-3")
TYPES = ("wegen", "openbare_ruimte")
AS_OF = date(2026, 3, 1)
ORIGIN = {"wegen": "62 %", "openbare_ruimte": "57 %"}
MKI = {"wegen": "€ 0,17", "openbare_ruimte": "€ 0,12"}


CONTRACT = {
    "amersfoort": "tender",
    "gmr-voorbeeld-profiel-1": "vraagspecificatie",
    "gmr-voorbeeld-profiel-2": "tender",
    "gmr-voorbeeld-profiel-3": "tender",
}
# WeasyPrint is slow: PDF for every kind once on wegen, spread over the profiles
PDF_SAMPLE = {
    ("amersfoort", "leidraad"),
    ("amersfoort", "tender"),
    ("amersfoort", "emvi"),
    ("amersfoort", "checklist"),
    ("gmr-voorbeeld-profiel-1", "vraagspecificatie"),
    ("gmr-voorbeeld-profiel-1", "emvi"),
    ("gmr-voorbeeld-profiel-2", "verantwoording"),
    ("gmr-voorbeeld-profiel-2", "agreement"),
    ("gmr-voorbeeld-profiel-3", "tender"),
    ("gmr-voorbeeld-profiel-3", "intent"),
}


@pytest.fixture(scope="module")
def docs() -> dict[tuple[str, str, str], dict[str, bytes]]:
    """All documents that apply, generated once: (profile, type, kind) -> {format: bytes}."""
    out = {}
    for profile in PROFILES:
        for ptype in TYPES:
            for kind in DOCUMENT_KINDS:
                formats = ("docx", "html") + (("pdf",) if ptype == "wegen" and (profile, kind) in PDF_SAMPLE else ())
                files = generated(kind, profile, ptype, formats, AS_OF)
                if files is not None:
                    out[profile, ptype, kind] = files
    return out


def rules_of(docs, profile: str, ptype: str, kind: str) -> dict[str, list[str]]:
    """Rule id -> clause numbers: the annex of an internal document, the document model of a published one."""
    if kind == "checklist":
        return rule_clauses(docs[profile, ptype, kind]["docx"])
    return model_rule_clauses(kind, profile, ptype, AS_OF)


def test_every_document_in_every_format(docs):
    # 4 profiles × 2 types × 8 kinds, less one contract part each and the award criteria nowhere missing here
    assert len(docs) == len(PROFILES) * len(TYPES) * (len(DOCUMENT_KINDS) - 1)
    assert {(p, k) for p, t, k in docs if "pdf" in docs[p, t, k]} == PDF_SAMPLE
    for key, files in docs.items():
        assert {"docx", "html"} <= set(files), key
        assert files.get("pdf", b"%PDF-").startswith(b"%PDF-"), key
        assert zipfile.is_zipfile(io.BytesIO(files["docx"])), key
        assert files["html"].startswith(b"<!DOCTYPE html>"), key


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("ptype", TYPES)
def test_thresholds_in_the_clauses_that_implement_them(docs, profile, ptype):
    other_origin = ORIGIN["openbare_ruimte" if ptype == "wegen" else "wegen"]
    lp = load_profile(profile_path(profile))
    awarded = {c.rule for c in lp.profile.award.criteria}
    for kind in ("leidraad", CONTRACT[profile], "emvi", "checklist"):
        files = docs[profile, ptype, kind]
        by_rule = rules_of(docs, profile, ptype, kind)
        in_docx = docx_clauses(files["docx"])
        in_pdf = pdf_clauses(files["pdf"]) if "pdf" in files else in_docx
        for rule, value in (("herkomst-materiaal", ORIGIN[ptype]), ("mki", MKI[ptype])):
            if kind == "emvi" and f"hnn-gww/{rule}" not in awarded:
                assert rule not in by_rule  # the award document holds award criteria only
                continue
            if kind == "leidraad" and rule not in by_rule:  # an obligation during execution: only in the contract
                choice = lp.profile.procurement.get(f"hnn-gww/{rule}")
                assert not choice or choice.instrument.value not in ("eis", "gunningscriterium"), (profile, rule)
                assert rule in rules_of(docs, profile, ptype, CONTRACT[profile])
                continue
            first = by_rule[rule][0]
            assert value in in_docx[first], (kind, first, in_docx[first])
            assert value in in_pdf[first], (kind, first, in_pdf[first])
        assert f"ten minste {other_origin}" not in " ".join(in_docx.values()) + " ".join(in_pdf.values())


def test_tender_states_levels_as_requirements_in_docx_and_pdf(docs):
    files = docs["gmr-voorbeeld-profiel-1", "wegen", "vraagspecificatie"]
    by_rule = rules_of(docs, "gmr-voorbeeld-profiel-1", "wegen", "vraagspecificatie")
    first = by_rule["herkomst-materiaal"][0]
    assert "ten minste 62 % van de totale materiaalmassa" in docx_clauses(files["docx"])[first]
    assert "ten minste 62 % van de totale materiaalmassa" in pdf_clauses(files["pdf"])[first]
    mki = by_rule["mki"][0]
    assert "ten hoogste € 0,17 MKI per m² per jaar" in pdf_clauses(files["pdf"])[mki]


def test_same_clause_numbers_and_texts_in_all_formats(docs):
    for (profile, _ptype, kind), files in docs.items():
        in_docx = docx_clauses(files["docx"])
        assert list(in_docx) == html_clauses(files["html"].decode()), (profile, kind)
        if "pdf" not in files or not in_docx:
            continue
        in_pdf = pdf_clauses(files["pdf"])
        assert list(in_docx) == list(in_pdf), (profile, kind)
        for number, text in in_docx.items():
            assert norm(text)[:50] == in_pdf[number][:50], (profile, kind, number)


def test_fill_in_fields_listed_in_the_worksheet_not_in_the_published_document(docs):
    """An internal document lists its fill-ins on its first page; a published one's are in the Verantwoording."""
    registry = Registry()
    for (profile, ptype, kind), files in docs.items():
        if ptype != "wegen" or kind == "verantwoording":
            continue
        doc = build_document(kind, load_profile(profile_path(profile)), "wegen", registry, AS_OF)
        labels = [label for label, _ in doc.fills]
        assert labels, (profile, kind)
        body = files["html"].decode().split('<section class="front">', 1)[1].split("</section>", 1)[1]
        for label in labels:
            assert html.escape(f"[in te vullen: {label}]", quote=False) in body, (profile, kind, label)
        if doc.meta.internal:
            rows = docx_table(files["docx"], "Invulvelden")[1:]
            assert [r[1] for r in rows] == [f"[in te vullen: {label}]" for label in labels]
            if "pdf" in files:
                front = norm(" ".join(pdf_pages(files["pdf"])[:2]))
                assert "Invulvelden" in front
                for label in labels[:3]:
                    assert norm(label)[:20] in front, (profile, kind, label)
            continue
        assert "Invulvelden" not in docx_text(files["docx"]), (profile, kind)
        worksheet = docx_text(docs[profile, "wegen", "verantwoording"]["docx"])
        for label in labels:
            assert f"[in te vullen: {label}]" in worksheet, (profile, kind, label)


def test_amersfoort_leaves_unsourced_numbers_open_and_examples_are_marked(docs):
    emvi = docx_clauses(docs["amersfoort", "wegen", "emvi"]["docx"])
    text = " ".join(emvi.values())
    assert "[in te vullen: fictieve korting per € MKI onder het eisniveau]" in text
    assert "voorbeeldwaarde" not in text
    example = " ".join(docx_clauses(docs["gmr-voorbeeld-profiel-1", "wegen", "emvi"]["docx"]).values())
    assert "€ 1 fictieve korting per € MKI (voorbeeldwaarde)" in example
    assert "Voorbeeldwaarden" not in docx_text(docs["gmr-voorbeeld-profiel-1", "wegen", "emvi"]["docx"])
    assert docx_table(docs["gmr-voorbeeld-profiel-1", "wegen", "verantwoording"]["docx"], "Voorbeeldwaarden")


def test_worked_example_uses_profile_and_ruleset_numbers(docs):
    text = " ".join(docx_clauses(docs["gmr-voorbeeld-profiel-1", "wegen", "emvi"]["docx"]).values())
    # 0,03 under the 0,17 level, 6000 m², 30 years, € 1 per € MKI: 5 400
    assert "Aangeboden MKI € 0,14 per m² per jaar" in text
    assert "Fictieve korting: € 5.400,00 × € 1 fictieve korting per € MKI (voorbeeldwaarde) = € 5.400,00" in text
    assert "fictieve inschrijfsom € 1.250.000,00 − € 25.400,00 = € 1.224.600,00" in text


def test_profile_3_is_proportionate_and_profile_1_asks_more(docs):
    p1 = docs["gmr-voorbeeld-profiel-1", "wegen", "vraagspecificatie"]["docx"]
    p3 = docs["gmr-voorbeeld-profiel-3", "wegen", "tender"]["docx"]
    s1, s3 = docx_sections(p1), docx_sections(p3)
    r1 = rules_of(docs, "gmr-voorbeeld-profiel-1", "wegen", "vraagspecificatie")
    r3 = rules_of(docs, "gmr-voorbeeld-profiel-3", "wegen", "tender")
    requirements1 = set(s1["3 Eisen"])
    assert set(r1["herkomst-materiaal"]) & requirements1
    assert set(r1["mki"]) & requirements1
    c1 = docx_clauses(p1)
    assert "beter dan deze eis heeft aangeboden" in c1[r1["mki"][0]]
    assert "geen minimumeisen die tot uitsluiting leiden" in docx_text(
        docs["gmr-voorbeeld-profiel-3", "wegen", "leidraad"]["docx"]
    )
    posts3 = set(s3["3 Bepalingen circulariteit (deel 3)"])
    assert set(r3["mki"]) <= posts3
    mki3 = docx_clauses(p3)[r3["mki"][0]]
    assert "€ 0,17" in mki3
    assert "richtwaarde, geen eis" in mki3
    assert "meet- en rapportage" not in mki3
    e1 = " ".join(docx_clauses(docs["gmr-voorbeeld-profiel-1", "wegen", "emvi"]["docx"]).values())
    e3 = " ".join(docx_clauses(docs["gmr-voorbeeld-profiel-3", "wegen", "emvi"]["docx"]).values())
    assert "Gunnen op waarde" in e1
    assert "MKI lager dan het eisniveau" in e1
    assert "Gewogen factoren" in e3
    assert "MKI" not in e3


def test_verantwoording_lists_every_clause_with_rule_version_and_source(docs):
    accounts = docs["amersfoort", "openbare_ruimte", "verantwoording"]["docx"]
    tender = docs["amersfoort", "openbare_ruimte", "tender"]["docx"]
    rows = docx_table(accounts, "Artikelen en regels: Bestek circulariteit (RAW, UAV 2012)")[1:]
    assert {r[0] for r in rows} == set(docx_clauses(tender))
    mki = [r for r in rows if r[1] == "mki"]
    assert mki
    assert all(r[2] == "hnn-gww@2026.1" and "Tabel 2: Meetbaarheid actielijn 1" in r[3] for r in mki)
    checklist = docs["amersfoort", "wegen", "checklist"]
    assert "Verantwoording" in " ".join(pdf_pages(checklist["pdf"])[-2:])


def test_header_footer_and_metadata(docs):
    import docx

    files = docs["amersfoort", "wegen", "tender"]
    d = docx.Document(io.BytesIO(files["docx"]))
    header = d.sections[0].header.paragraphs[0].text
    footer = d.sections[0].footer.paragraphs[0]
    assert header == "Gemeente Amersfoort\tBestek circulariteit (RAW, UAV 2012)"
    assert footer.text.startswith("Gemeente Amersfoort · Bestek")
    assert "hnn-gww" not in footer.text
    assert 'w:instr=" PAGE "' in footer._p.xml
    reader = PdfReader(io.BytesIO(files["pdf"]))
    assert reader.metadata.title.startswith("Bestek circulariteit")
    assert reader.metadata.author == "Gemeente Amersfoort"
    xmp = reader.xmp_metadata.rdf_root.toxml()
    assert "pdfaid:part" in xmp
    assert "<pdfaid:conformance>B" in xmp.replace('pdfaid:conformance="B"', "<pdfaid:conformance>B")
    internal = docs["amersfoort", "wegen", "checklist"]
    d = docx.Document(io.BytesIO(internal["docx"]))
    footer = d.sections[0].footer.paragraphs[0]
    assert footer.text.startswith(d.core_properties.identifier)
    assert "hnn-gww@2026.1" in footer.text
    assert d.core_properties.identifier in " ".join(pdf_pages(internal["pdf"])[:2])


def test_same_inputs_give_the_same_bytes(docs):
    again = generate("emvi", "gmr-voorbeeld-profiel-1", "wegen", ["docx", "pdf"], as_of=AS_OF)
    first = docs["gmr-voorbeeld-profiel-1", "wegen", "emvi"]
    assert again[0].data == first["docx"]
    assert again[1].data == first["pdf"]
    later = generate("emvi", "gmr-voorbeeld-profiel-1", "wegen", ["docx"], as_of=date(2026, 9, 1))
    assert later[0].data == first["docx"]  # another day, the same ruleset versions: the same document
    ids = {
        d.core_properties.identifier
        for d in (__import__("docx").Document(io.BytesIO(docs[p, "wegen", "checklist"]["docx"])) for p in PROFILES)
    }
    assert len(ids) == len(PROFILES)
