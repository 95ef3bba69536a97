"""The tender set an officer can publish (issue 12): structure, verifiable clauses, no internal matter, Word numbering."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from datetime import date
from decimal import Decimal
from html import unescape
from pathlib import Path

import docx
import pytest

from cgc_rules.award import points_value, shortfall_sanction
from cgc_rules.documents import DOCUMENT_KINDS, generate
from cgc_rules.documents.build import build_document
from cgc_rules.documents.kinds import KINDS, NotGenerated
from cgc_rules.pack.build import generate_documents
from cgc_rules.pack.plan import DocumentTask
from cgc_rules.profile import PROFILES_DIR, load_profile, profile_path
from cgc_rules.registry import Registry
from cgc_rules.resources import bundled

from .docreading import docx_clauses, docx_text, generated, norm, num_level, pdf_clauses, pdf_pages

PROFILES = tuple(p.stem for p in sorted(PROFILES_DIR.glob("*.yaml")))
TYPES = ("wegen", "openbare_ruimte", "woningbouw")
AS_OF = date(2026, 3, 1)
PUBLISHED = tuple(
    k.id for k in KINDS if k.audience == "published" and k.source == "profile"
)  # award letters: test_scoring
SIX = ("Wat:", "Reikwijdte:", "Methode:", "Bewijs:", "Moment:", "Gevolg:")
RULESET_IDS = tuple(p.name for p in bundled("rulesets").iterdir() if p.is_dir())
# Internal matter a bidder must never see: ids, versions, hashes, tool commands, placeholders, ISO dates, empty slots.
FORBIDDEN = [
    re.compile(r"\b(" + "|".join(map(re.escape, RULESET_IDS)) + r")\b"),
    re.compile(r"@\d{4}\.\d"),
    re.compile(r"sha256|\b[0-9a-f]{12,}\b"),
    re.compile(r"\bcgc\b|CGC-[A-Z]"),
    re.compile(r"[Rr]egelset"),
    re.compile(r"\b(" + "|".join(map(re.escape, PROFILES)) + r")\b"),
    re.compile(r"plaatshouder"),
    re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
    re.compile(r" \.|\(\s*\)|uit \.| , |:\s*\.|\[\s*\]"),
]


@pytest.fixture(scope="module")
def published() -> dict[tuple[str, str, str], dict[str, bytes]]:
    """Every published document of every shipped profile for wegen, openbare_ruimte and woningbouw (DOCX, HTML)."""
    out = {}
    for profile in PROFILES:
        for ptype in TYPES:
            for kind in PUBLISHED:
                files = generated(kind, profile, ptype, ("docx", "html"), AS_OF)
                if files is not None:
                    out[profile, ptype, kind] = files
    return out


def html_text(html: bytes) -> str:
    body = html.decode("utf-8").split("<body>", 1)[1]
    inline = re.sub(r"</?(span|strong|a)\b[^>]*>", "", body)
    return norm(unescape(re.sub(r"<[^>]+>", " ", inline)))


def _clean(text: str, where, pdf: bool = False) -> None:
    """PDF text extraction puts a space after a fill-in box, so the empty-slot pattern is checked in DOCX and HTML."""
    for pattern in FORBIDDEN[:-1] if pdf else FORBIDDEN:
        found = pattern.search(text)
        assert not found, (where, pattern.pattern, text[max(0, found.start() - 60) : found.end() + 60])


def test_published_documents_carry_no_internal_matter(published):
    assert len({k for _, _, k in published}) == len(PUBLISHED)
    for key, files in published.items():
        _clean(docx_text(files["docx"]), (*key, "docx"))
        _clean(html_text(files["html"]), (*key, "html"))
        assert "data-rules" not in files["html"].decode(), key
        props = docx.Document(io.BytesIO(files["docx"])).core_properties
        assert not props.identifier, key
        assert not props.keywords, key


@pytest.mark.parametrize(
    ("profile", "kind"),
    [
        ("amersfoort", "leidraad"),
        ("gmr-voorbeeld-profiel-1", "vraagspecificatie"),
        ("gmr-voorbeeld-profiel-3", "emvi"),
        ("amersfoort", "agreement"),
    ],
)
def test_published_pdf_carries_no_internal_matter(profile, kind):
    pdf = generated(kind, profile, "wegen", ("pdf",), AS_OF)["pdf"]
    _clean(norm(" ".join(pdf_pages(pdf))), (profile, kind), pdf=True)
    assert "1 januari 2026" in pdf_pages(pdf)[0]


def test_internal_documents_keep_ids_and_versions():
    checklist = generate("checklist", "amersfoort", "wegen", ["docx"], as_of=AS_OF)[0].data
    text = docx_text(checklist)
    assert "hnn-gww@2026.1" in text
    assert "CGC-CHECKLIST-" in text
    accounts = generate("verantwoording", "amersfoort", "wegen", ["docx"], as_of=AS_OF)[0].data
    text = docx_text(accounts)
    for title in (
        "Aanbestedingsleidraad — circulariteit",
        "Bestek circulariteit (RAW, UAV 2012)",
        "Gunningscriteria circulariteit",
    ):
        assert f"Artikelen en regels: {title}" in text
    assert "hnn-gww@2026.1" in text
    assert "mki" in text


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("ptype", TYPES)
def test_every_requirement_names_what_scope_method_evidence_moment_consequence(published, profile, ptype):
    lp = load_profile(profile_path(profile))
    contract = "vraagspecificatie" if lp.profile.tender.contract_form == "uav-gc" else "tender"
    if (profile, ptype, "leidraad") not in published:  # no rule applies: no tender text (the pack says so)
        with pytest.raises(NotGenerated, match="geldt geen regel"):
            build_document("leidraad", lp, ptype, Registry(), AS_OF)
        return
    for kind in ("leidraad", contract):
        doc = build_document(kind, lp, ptype, Registry(), AS_OF)
        clauses = docx_clauses(published[profile, ptype, kind]["docx"])
        keys = {key for c in doc.clauses() for key in c.rules}
        assert keys, (profile, ptype, kind)
        design = {k for c in doc.clauses() if (c.title or "").endswith("(eis aan het ontwerp)") for k in c.rules}
        for key in keys - design:  # an eis on the client's own design is stated, not a knock-out (UAV 2012)
            full = [c.number for c in doc.clauses() if key in c.rules and all(w in clauses[c.number] for w in SIX)]
            assert full, (profile, ptype, kind, key)


def test_the_client_fixes_area_design_life_method_version_and_rounding(published):
    text = " ".join(docx_clauses(published["amersfoort", "wegen", "leidraad"]["docx"]).values())
    for label in (
        "oppervlakte van het werk in m²",
        "ontwerplevensduur in jaren",
        "versie van DuboCalc",
        "versie van de Nationale Milieudatabase",
        "aantal decimalen waarop kortingen, scores en totalen worden afgerond",  # the tender's rounding, asked once
    ):
        assert f"[in te vullen: {label}]" in text
    assert "afrondingsregel (aantal decimalen) voor berekende waarden" not in text
    assert "De inschrijver kiest deze waarden niet zelf." in text
    assert "gelijkwaardig rekeninstrument" not in text
    assert "verantwoorde herkomst (hergebruikt, gerecycled of biobased)" in text
    assert "Leidraad Meten van circulariteit van Platform CB'23, versie 3.0" in text


def test_seb_and_transport_are_verifiable(published):
    tender = published["amersfoort", "wegen", "tender"]["docx"]
    text = docx_text(tender)
    assert "Emissiefase per vermogensklasse" in text
    assert "per machine de verklaring van overeenstemming" in text
    assert "Verordening (EU) 2016/1628" in text
    assert "legt deze eisen ongewijzigd op aan zijn onderaannemers" in text
    assert "projecttransport is het vervoer van materialen" in text
    assert "vraagt de aannemer vóór inzet schriftelijk een uitzondering aan" in text
    assert "Leveringen die een leverancier met eigen vervoer doet, vallen erbuiten" in text


def test_procedure_decides_the_law_cited(published):
    below = " ".join(docx_clauses(published["gmr-voorbeeld-profiel-2", "wegen", "leidraad"]["docx"]).values())
    assert "Aanbestedingsreglement Werken 2016 (ARW 2016)" in below
    assert "pas toe of leg uit" in below
    assert "Aanbestedingswet 2012" not in below
    european = " ".join(docx_clauses(published["gmr-voorbeeld-profiel-1", "wegen", "leidraad"]["docx"]).values())
    assert "Europese procedure volgens de Aanbestedingswet 2012" in european
    assert "ARW" not in european
    own = " ".join(docx_clauses(published["gmr-voorbeeld-profiel-3", "wegen", "leidraad"]["docx"]).values())
    assert "eigen inkoopbeleid: Inkoop- en aanbestedingsbeleid Gemeente Voorbeeld" in own
    open_choice = " ".join(docx_clauses(published["amersfoort", "wegen", "leidraad"]["docx"]).values())
    assert "[in te vullen: procedure en toepasselijk reglement" in open_choice


def test_contract_form_decides_bestek_or_vraagspecificatie(published):
    assert ("gmr-voorbeeld-profiel-1", "wegen", "vraagspecificatie") in published
    assert ("gmr-voorbeeld-profiel-1", "wegen", "tender") not in published
    gc = docx_text(published["gmr-voorbeeld-profiel-1", "wegen", "vraagspecificatie"]["docx"])
    assert "UAV-GC 2005" in gc
    assert "RAW" not in gc
    assert "het definitief ontwerp" in gc
    for profile in ("amersfoort", "gmr-voorbeeld-profiel-2", "gmr-voorbeeld-profiel-3"):
        assert (profile, "wegen", "vraagspecificatie") not in published
        raw = docx_text(published[profile, "wegen", "tender"]["docx"])
        assert "UAV 2012" in raw
        assert "Standaard RAW Bepalingen" in raw
        assert "definitief ontwerp" not in raw
        assert "aangeboden ontwerp" not in raw
        if (profile, "wegen", "emvi") in published:  # the client designs: bidders offer materials, not a design
            assert "aangeboden ontwerp" not in docx_text(published[profile, "wegen", "emvi"]["docx"])
    assert "aangeboden ontwerp" in docx_text(published["gmr-voorbeeld-profiel-1", "wegen", "emvi"]["docx"])


def test_sanction_is_one_text_in_the_contract_only_and_values_the_difference(published):
    def sanction(files: dict[str, bytes]) -> str | None:
        text = " ".join(docx_clauses(files["docx"]).values())
        found = re.search(
            r"Haalt de (aannemer|opdrachtnemer) een prestatie die hij bij inschrijving heeft aangeboden niet.*?"
            r"levert geen vergoeding op\.",
            text,
        )
        return found.group(0) if found else None

    for profile in ("amersfoort", "gmr-voorbeeld-profiel-1", "gmr-voorbeeld-profiel-3"):
        kinds = [k for k in ("leidraad", "tender", "vraagspecificatie", "emvi") if (profile, "wegen", k) in published]
        texts = {k: sanction(published[profile, "wegen", k]) for k in kinds}
        assert texts["leidraad"] is None, profile
        assert texts.get("emvi") is None, profile  # a penalty is a contract term
        [text] = [t for t in texts.values() if t]
        assert "maal de waarde van het verschil tussen de aangeboden en de gerealiseerde prestatie" in text
        assert "buiten zijn invloed" not in text
    points = sanction(published["gmr-voorbeeld-profiel-3", "wegen", "tender"])
    assert points
    assert "[in te vullen: bedrag in euro per kwaliteitspunt bij niet waarmaken" in points
    gc = sanction(published["gmr-voorbeeld-profiel-1", "wegen", "vraagspecificatie"])
    assert gc
    assert "1,5 (voorbeeldwaarde) maal" in gc


def test_sanction_arithmetic():
    assert shortfall_sanction(Decimal("5400"), Decimal("3600"), Decimal("1.5")) == Decimal("2700.0")
    assert shortfall_sanction(Decimal("5400"), Decimal("6000"), Decimal("1.5")) == 0
    assert points_value(2.5, Decimal("1000")) == Decimal("2500.0")


def test_broken_output_is_gone(published):
    for key, files in published.items():
        text = docx_text(files["docx"])
        assert "komen uit ." not in text, key
        assert "kortingen hierboven" not in text, key
    with pytest.raises(NotGenerated, match="geen gunningscriteria"):
        generate("emvi", "amersfoort", "woningbouw", ["html"], as_of=AS_OF)


def test_not_generated_kinds_are_noted_in_the_pack(tmp_path):
    task = DocumentTask(
        "tender", "gmr-voorbeeld-profiel-1", "wegen", ("html",), AS_OF, str(bundled("rulesets")), str(PROFILES_DIR), ()
    )
    [(name, data)] = generate_documents(task)
    assert name == "tender-niet-gemaakt.txt"
    assert "de contractvorm is geïntegreerd" in data.decode()


def test_amersfoort_basis_is_internal_and_the_hnn_count_asks_levels_met(published):
    accounts = generate("verantwoording", "amersfoort", "wegen", ["docx"], as_of=AS_OF)[0].data
    d = docx.Document(io.BytesIO(accounts))
    confirm = [[norm(c.text) for c in row.cells] for row in d.tables[1].rows]
    assert confirm[0] == ["Onderwerp", "Lokale keuze"]
    assert any("Groene Metropoolregio Arnhem-Nijmegen" in row[1] for row in confirm)
    leidraad = docx_text(published["amersfoort", "wegen", "leidraad"]["docx"])
    assert "te bevestigen" not in leidraad.lower()
    assert "raads- of collegebesluit" not in leidraad
    housing = " ".join(docx_clauses(published["amersfoort", "woningbouw", "leidraad"]["docx"]).values())
    assert "haalt op ten minste 5 indicatoren uit Het Nieuwe Normaal het niveau dat Het Nieuwe Normaal" in housing
    assert "rapporteert over" not in housing
    assert "neemt ten minste 5" not in housing
    gmr = docx_text(published["gmr-voorbeeld-profiel-2", "wegen", "leidraad"]["docx"])
    assert "Te bevestigen" not in gmr


def test_agreements_are_the_same_for_every_type_and_signable(published):
    for kind in ("agreement", "intent"):
        for profile in PROFILES:
            texts = {ptype: docx_clauses(published[profile, ptype, kind]["docx"]) for ptype in TYPES}
            assert texts["wegen"] == texts["woningbouw"] == texts["openbare_ruimte"], (profile, kind)
    agreement = " ".join(docx_clauses(published["amersfoort", "wegen", "agreement"]["docx"]).values())
    for title in (
        "Mededinging.",
        "Vertrouwelijkheid en Woo.",
        "Persoonsgegevens.",
        "Gemeentelijk materiaal en staatssteun.",
        "Toetreding.",
        "Aansprakelijkheid.",
        "Toepasselijk recht.",
    ):
        assert title in agreement, title
    assert "Nederlands recht" in agreement
    assert "Wet open overheid" in agreement
    assert "(AVG)" in agreement
    assert "geen rechtspersoon en geen partij bij deze overeenkomst" in agreement
    intent = " ".join(docx_clauses(published["amersfoort", "wegen", "intent"]["docx"]).values())
    assert "namens de Circulaire Grondstoffencorridor" not in intent
    assert "elk voor zich" in intent


def _xml(data: bytes, part: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(part).decode("utf-8")


def test_word_numbering_headings_toc_and_cross_references(published):
    for key, files in published.items():
        d = docx.Document(io.BytesIO(files["docx"]))
        clauses = [p for p in d.paragraphs if p.style.name == "CGC Artikel"]
        assert clauses, key
        assert all(num_level(p) == 1 for p in clauses), key
        assert all(num_level(p) == 2 for p in d.paragraphs if p.style.name == "CGC Opsomming"), key
        assert all(not re.match(r"\d+\.\d+\t", p.text) for p in clauses), key  # no typed numbers
        headings = [p for p in d.paragraphs if num_level(p) == 0]
        assert headings, key
        assert all(p.style.name == "Heading 1" for p in headings), key
        body = _xml(files["docx"], "word/document.xml")
        assert 'TOC \\o "1-3" \\h' in body, key
        numbering = _xml(files["docx"], "word/numbering.xml")
        assert '<w:lvlText w:val="%1.%2"/>' in numbering, key
        for target in re.findall(r"REF (\S+) \\r \\h", body):
            assert f'w:name="{target}"' in body, (key, target)
    guide = _xml(published["amersfoort", "wegen", "leidraad"]["docx"], "word/document.xml")
    assert "REF _Ref_bewijs" in guide
    assert 'w:name="_Ref_bewijs"' in guide


LIBREOFFICE = shutil.which("soffice")
WRITER = Path("/usr/lib/libreoffice/program/libswlo.so").exists()


@pytest.mark.skipif(LIBREOFFICE is None, reason="no `soffice` on PATH: scripts/system-deps.sh installs LibreOffice")
@pytest.mark.skipif(
    not WRITER, reason="LibreOffice Writer (libswlo.so) is not installed: scripts/system-deps.sh installs it"
)
def test_libreoffice_converts_without_loss(tmp_path):
    """LibreOffice numbers the same clauses with the same numbers as the WeasyPrint PDF."""
    samples = [
        ("leidraad", "amersfoort"),
        ("vraagspecificatie", "gmr-voorbeeld-profiel-1"),
        ("emvi", "gmr-voorbeeld-profiel-3"),
        ("agreement", "gmr-voorbeeld-profiel-2"),
        ("checklist", "amersfoort"),
    ]
    weasy = {}
    for kind, profile in samples:
        files = {f.name: f.data for f in generate(kind, profile, "wegen", ["docx", "pdf"], as_of=AS_OF)}
        for name, data in files.items():
            (tmp_path / name).write_bytes(data) if name.endswith(".docx") else None
            if name.endswith(".pdf"):
                weasy[name] = pdf_clauses(data)
    out = tmp_path / "lo"
    subprocess.run(
        [
            LIBREOFFICE,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *map(str, sorted(tmp_path.glob("*.docx"))),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    for name, expected in weasy.items():
        converted = pdf_clauses((out / name).read_bytes())
        assert list(converted) == list(expected), name
        assert len(expected) > 3, name


def test_every_kind_is_in_the_registry_with_a_template():
    for k in KINDS:
        assert (bundled("templates") / k.template).is_file(), k.id
    assert set(DOCUMENT_KINDS) >= {
        "leidraad",
        "tender",
        "vraagspecificatie",
        "emvi",
        "checklist",
        "verantwoording",
        "agreement",
        "intent",
    }
