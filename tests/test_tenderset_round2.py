"""The tender set, round two (issue 23): every rule in one document by its nature, rangorde, SEB, RAW, UAV-GC.

Every published document of every shipped profile and project type is rendered once per test session (DOCX and
HTML; PDF for one profile) and read back the way an officer's tools read it.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from html import unescape

import docx
import pytest
from pypdf import PdfReader

from cgc_rules.documents.build import build_document
from cgc_rules.documents.kinds import KINDS
from cgc_rules.profile import PROFILES_DIR, load_profile, profile_path
from cgc_rules.project_types import ProjectType
from cgc_rules.registry import Registry

from .docreading import docx_clauses, docx_table, docx_text, generated, norm, pdf_pages

PROFILES = tuple(p.stem for p in sorted(PROFILES_DIR.glob("*.yaml")))
TYPES = tuple(t.value for t in ProjectType)
AS_OF = date(2026, 3, 1)
PUBLISHED = tuple(k.id for k in KINDS if k.audience == "published" and k.source == "profile")
CONTRACT = ("tender", "vraagspecificatie")
TENDER_RULES = ("leidraad", "emvi")
PDF_PROFILE = "amersfoort"
SAME_FOR_EVERY_TYPE = {k.id for k in KINDS if not k.per_type}  # the agreements: one PDF is enough

# The sentences the issue quotes, by the documents they must never be in again.
QUOTED_EVERYWHERE = (
    "spant zich aantoonbaar in",
    "zoveel mogelijk emissievrij",
    "de inschrijver verklaart dat hij aan deze eis voldoet",
    "neemt een indicator mee als het er een waarde",
    "een eigen raads- of collegebesluit hierover is niet gevonden",
    "plus de fictieve toeslagen",
    "materiaalopgave",
)
QUOTED_IN_CONTRACT = ("haalt de inschrijving de eis niet, dan is zij ongeldig", "Moment: bij inschrijving")
QUOTED_IN_TENDER_RULES = ("herstelt haar op eigen kosten en betaalt",)
# A tender rule (knock-out, invalid bid, evidence at bid) and a contract penalty, as a reader recognises them.
TENDER_RULE = re.compile(r"ongeldig|niet (verder )?beoordeeld|Moment: bij inschrijving|voorlopige winnaar|knock-out")
PENALTY = re.compile(r"\bboete\b|korting van artikel|verschuldigd|betaalt hij|op eigen kosten|maal de waarde van")


def _html_text(html: bytes) -> str:
    body = html.decode("utf-8").split("<body>", 1)[1]
    inline = re.sub(r"</?(span|strong|a)\b[^>]*>", "", body)
    return norm(unescape(re.sub(r"<[^>]+>", " ", inline)))


@pytest.fixture(scope="session")
def tenderset() -> dict[tuple[str, str, str], dict[str, bytes]]:
    """Every published document of every profile × project type the generator offers: DOCX and HTML; PDF for one."""
    out = {}
    for profile in PROFILES:
        for ptype in TYPES:
            for kind in PUBLISHED:
                pdf = profile == PDF_PROFILE and (kind not in SAME_FOR_EVERY_TYPE or ptype == "wegen")
                formats = ("docx", "html", "pdf") if pdf else ("docx", "html")
                files = generated(kind, profile, ptype, formats, AS_OF)
                if files is not None:
                    out[profile, ptype, kind] = files
    return out


@pytest.fixture(scope="session")
def texts(tenderset) -> dict[tuple[str, str, str, str], str]:
    """(profile, type, kind, format) -> the document's text as read back."""
    out = {}
    for (profile, ptype, kind), files in tenderset.items():
        out[profile, ptype, kind, "docx"] = docx_text(files["docx"])
        out[profile, ptype, kind, "html"] = _html_text(files["html"])
        if "pdf" in files:
            out[profile, ptype, kind, "pdf"] = norm(" ".join(pdf_pages(files["pdf"])))
    return out


def test_the_set_covers_every_profile_type_and_kind(tenderset, texts):
    assert {p for p, _, _ in tenderset} == set(PROFILES)
    assert {t for _, t, _ in tenderset} == set(TYPES)
    assert {k for _, _, k in tenderset} == set(PUBLISHED)
    assert any(f == "pdf" for *_, f in texts)


def test_no_quoted_sentence_is_back(texts):
    for (profile, ptype, kind, fmt), text in texts.items():
        where = (profile, ptype, kind, fmt)
        banned = QUOTED_EVERYWHERE
        if kind in CONTRACT:
            banned += QUOTED_IN_CONTRACT
        if kind in TENDER_RULES:
            banned += QUOTED_IN_TENDER_RULES
        for sentence in banned:
            assert sentence.lower() not in text.lower(), (where, sentence)


def test_each_document_kind_has_its_rangorde_clause(tenderset):
    seen = set()
    for (profile, ptype, kind), files in tenderset.items():
        clauses = docx_clauses(files["docx"]).values()
        rangorde = [c for c in clauses if c.startswith("Rangorde.")]
        assert len(rangorde) == 1, (profile, ptype, kind)
        assert "tegenstrijdig" in rangorde[0] or "gaat die voor" in rangorde[0], (profile, ptype, kind)
        seen.add(kind)
    assert seen == set(PUBLISHED)


def test_pdf_reads_the_same(texts):
    pdfs = {k: t for k, t in texts.items() if k[3] == "pdf"}
    assert {k[1] for k in pdfs} == set(TYPES)
    for key, text in pdfs.items():
        assert "Rangorde" in text, key
        assert not re.search(r"\] [.,;:)]", text), (
            key,
            re.findall(r".{30}\] [.,;:)]", text)[:3],
        )  # no gap after a fill-in


def test_every_requirement_paragraph_sits_in_the_document_of_its_nature(tenderset):
    """Tender rules only in the leidraad and award criteria; penalties only in the bestek or vraagspecificatie."""
    counts = {"tender_rule": 0, "penalty": 0}
    for (profile, ptype, kind), files in tenderset.items():
        for number, text in docx_clauses(files["docx"]).items():
            where = (profile, ptype, kind, number, text[:120])
            if kind in TENDER_RULES:
                assert not PENALTY.search(text), where
                counts["tender_rule"] += bool(TENDER_RULE.search(text))
            elif kind in CONTRACT:
                assert not TENDER_RULE.search(text), where
                counts["penalty"] += bool(PENALTY.search(text))
    assert counts["tender_rule"] > 50, counts
    assert counts["penalty"] > 50, counts  # both kinds of paragraph exist


def test_each_contract_document_holds_its_penalty_and_each_leidraad_its_knock_outs(tenderset):
    for (profile, ptype, kind), files in tenderset.items():
        clauses = docx_clauses(files["docx"])
        if kind in CONTRACT:
            assert any(c.startswith(("Kortingen.", "Boete.")) for c in clauses.values()), (profile, ptype, kind)
        if kind == "leidraad" and "Minimumeisen" in docx_text(files["docx"]) and "ongeldig" not in str(clauses):
            assert "geen minimumeisen" in docx_text(files["docx"]), (profile, ptype)


def _seb_rows(docx_data: bytes) -> list[list[str]]:
    return docx_table(docx_data, "Emissiefase per vermogensklasse")


def test_seb_table_holds_the_sourced_rows_and_named_fill_ins_only(tenderset):
    tables = 0
    for (_, _, kind), files in tenderset.items():
        if kind not in CONTRACT or "Emissiefase per vermogensklasse" not in docx_text(files["docx"]):
            continue
        tables += 1
        header, *rows = _seb_rows(files["docx"])
        assert header == ["Vermogensklasse", "2023–2024", "2025–2027", "2028–2029", "vanaf 2030"]
        by_class = {r[0]: r[1:] for r in rows}
        assert by_class["< 19 kW"] == ["geen eis", "geen eis", "100 % emissievrij", "100 % emissievrij"]
        assert by_class["19–37 kW"] == ["ten minste Stage IIIA"] * 2 + ["100 % emissievrij"] * 2
        for cell in by_class["≥ 37 kW"]:
            assert cell.startswith("[in te vullen: minimale emissiefase materieel ≥ 37 kW, periode"), cell
        text = docx_text(files["docx"])
        assert "Bron van de tabel: Minimale eisen aan duurzaamheid — Materieel en vaartuigen, Basisniveau" in text
    assert tables >= 12


def test_vehicles_and_vessels_are_not_tested_against_the_machinery_regulation(tenderset):
    for (profile, ptype, kind), files in tenderset.items():
        if kind not in CONTRACT:
            continue
        clauses = docx_clauses(files["docx"]).values()
        own = [c for c in clauses if c.startswith(("Voertuigen.", "Vaartuigen."))]
        machinery = [c for c in clauses if "Verordening (EU) 2016/1628" in c]
        if machinery:
            assert len(own) == 2, (profile, ptype, kind)
            assert all("2016/1628" not in c and "toetst elk" in c for c in own)
            for c in machinery:
                assert "Voertuigen en vaartuigen vallen niet onder deze eis" in c
                assert "per machine de verklaring van overeenstemming" in c


def test_raw_bestek_speaks_raw(tenderset):
    raw = [(p, t) for (p, t, k) in tenderset if k == "tender"]
    assert raw
    for profile, ptype in raw:
        text = docx_text(tenderset[profile, ptype, "tender"]["docx"])
        assert "opdrachtnemer" not in text.lower(), (profile, ptype)
        assert "de aannemer" in text
        assert "de directie" in text
        assert "(deel 1)" in text
        assert "(deel 2)" in text
        assert "(deel 3)" in text
        assert "UAV 2012, paragraaf 21, lid 1" in text  # released materials stay the client's unless the bestek says
        if ptype not in ("woningbouw", "utiliteitsbouw"):
            assert "Standaard RAW Bepalingen" in text
            codes = re.findall(r"\b0191\d\d\b", text)
            assert len(set(codes)) >= 2, (profile, ptype)
            assert docx_table(
                tenderset[profile, ptype, "tender"]["docx"], "Bestekposten circulariteit in de staat van hoeveelheden"
            )


def test_checklist_test_moment_follows_the_contract_form():
    for profile in PROFILES:
        files = generated("checklist", profile, "wegen", ("docx",), AS_OF)
        assert files is not None
        text = docx_text(files["docx"])
        if load_profile(profile_path(profile)).profile.tender.contract_form == "uav-gc":
            assert "definitief ontwerp" in text
        else:
            assert "definitief ontwerp" not in text, profile
            assert "vóór aanvang van de uitvoering" in text, profile


def test_vraagspecificatie_has_an_id_and_a_verification_entry_per_requirement(tenderset):
    sets = [(p, t) for (p, t, k) in tenderset if k == "vraagspecificatie"]
    assert sets
    registry = Registry()
    for profile, ptype in sets:
        doc = build_document("vraagspecificatie", load_profile(profile_path(profile)), ptype, registry, AS_OF)
        ids = [c.title.split()[0] for c in doc.clauses() if c.rules and c.title and c.title.startswith("CIRC-E")]
        ruled = [c for c in doc.clauses() if c.rules and not (c.title or "").startswith("Aangeboden")]
        assert len(ids) == len(ruled) > 0, (profile, ptype)  # every requirement clause carries an id
        plan = docx_table(tenderset[profile, ptype, "vraagspecificatie"]["docx"], "Verificatieplan circulariteit")
        assert plan[0] == ["Eis", "Onderwerp", "Methode", "Moment", "Bewijs"]
        rows = {r[0]: r for r in plan[1:]}
        assert set(ids) <= set(rows)
        assert any(i.startswith("CIRC-P") for i in rows)
        for row in rows.values():
            assert all(cell for cell in row), row
        text = docx_text(tenderset[profile, ptype, "vraagspecificatie"]["docx"])
        assert "Processeisen" in text
        assert "Basisovereenkomst: circulariteit" in text


def test_agreements_state_the_norm_equal_treatment_and_mandate(tenderset):
    for (_, _, kind), files in tenderset.items():
        if kind != "agreement":
            continue
        clauses = docx_clauses(files["docx"]).values()
        text = docx_text(files["docx"])
        assert any(c.startswith("Gelijke behandeling bij aanbestedingen.") for c in clauses)
        assert any(c.startswith("Mandaat.") and "collegebesluit" in c for c in clauses)
        assert "Al het transport voor de projecten in de corridor is emissievrij" in text
        assert "Opdrachtgever" not in text
        growth = docx_table(files["docx"], "Uitgangssituatie per element (gemeente)")
        levels = {row[1] for row in growth[1:]}
        if any(level.startswith("[in te vullen") for level in levels):
            assert all(row[2] != "Ad-hoc" for row in growth[1:])


def test_published_metadata_names_the_municipality_not_the_tool(tenderset):
    for (profile, ptype, kind), files in tenderset.items():
        props = docx.Document(io.BytesIO(files["docx"])).core_properties
        where = (profile, ptype, kind)
        assert "cgc" not in f"{props.comments} {props.last_modified_by} {props.author}".lower(), where
        assert props.last_modified_by == props.author
        assert b'name="generator"' not in files["html"], where
        if "pdf" in files:
            info = PdfReader(io.BytesIO(files["pdf"])).metadata
            assert "cgc" not in " ".join(str(v) for v in info.values()).lower(), where


def test_verantwoording_numbers_each_chapter_once():
    doc = build_document("verantwoording", load_profile(profile_path("amersfoort")), "wegen", Registry(), AS_OF)
    numbers = [s.number for s in doc.sections if not s.annex]
    assert numbers == [str(i) for i in range(1, len(numbers) + 1)]
    assert len(numbers) >= 4
    assert "Invulvelden" in {t.caption for s in doc.sections for t in s.blocks if hasattr(t, "caption")}


def test_word_updates_the_table_of_contents_on_opening(tenderset):
    """The TOC field has page numbers as soon as Word opens the file (`w:updateFields` in the reference document)."""
    for key, files in tenderset.items():
        with zipfile.ZipFile(io.BytesIO(files["docx"])) as z:
            assert '<w:updateFields w:val="true"/>' in z.read("word/settings.xml").decode("utf-8"), key
