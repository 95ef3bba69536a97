"""The corridor in the tender set: offered lines (receiver), release obligations (donor), read back from the DOCX."""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx
import pytest

from cgc_rules.corridor.load import load_corridor
from cgc_rules.errors import CgcError
from cgc_rules.jobs.generate import generate, profiles, with_tender_choices
from cgc_rules.registry import Registry

from .docreading import norm

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "corridor"
CORRIDOR = ROOT / "cgc_rules" / "data" / "corridors" / "amersfoort-voorbeeld"


def table(data: bytes, caption: str) -> list[list[str]]:
    """Rows (header included) of the DOCX table whose caption ends with `caption`."""
    d = docx.Document(io.BytesIO(data))
    captions = [norm(p.text) for p in d.paragraphs if p.style.name == "Caption"]
    index = next(i for i, c in enumerate(captions) if c.endswith(caption))
    return [[norm(c.text) for c in row.cells] for row in d.tables[index].rows]


def text(data: bytes) -> str:
    d = docx.Document(io.BytesIO(data))
    return norm(" ".join(p.text for p in d.paragraphs))


def bestek(project: str, corridor: str | None = "amersfoort-voorbeeld") -> bytes:
    made = generate(
        ["tender"], "amersfoort", ["docx"], Registry(), project_file=EXAMPLES / f"{project}.yaml", corridor=corridor
    )
    return made.files[0].data


def test_receiver_schedule_lists_exactly_the_lines_corridor_match_allocates(cgc):
    res = cgc("corridor", "match", "amersfoort-voorbeeld", "--as-of", "2026-03-02", "--format", "json")
    assert res.exit_code == 0, res.output
    demand_project = {d.id: d.project for d in load_corridor(CORRIDOR).demand}
    expected = sorted(
        (f"{a['supply']}>{a['via'] or 'direct'}>{a['demand']}", a["tonnes"])
        for a in json.loads(res.output)["allocations"]
        if demand_project[a["demand"]] == "kop-van-isselt"
    )
    assert expected == [("s-stadhuis-baksteen>direct>d-kop-baksteen", 80.0)]  # the engine's one line for this project
    rows = table(bestek("kop-van-isselt"), "Beschikbaar gestelde materialen")
    assert rows[0][:4] == ["Kenmerk", "Categorie", "Omschrijving", "Hoeveelheid"]
    got = sorted((r[0], float(r[3].removesuffix(" t").replace(",", "."))) for r in rows[1:])
    assert got == expected
    brick = rows[1]
    assert brick[1:] == [
        "baksteen",  # the category in Dutch, as the corridor page names it
        "Gevelsteen, handmatig gedemonteerd en gebikt",
        "80 t",
        "goed",
        "geen",
        "direct (zonder hub)",
        "1 maart 2026 t/m 31 mei 2026",
        "Gemeente Amersfoort",
    ]


def test_receiver_schedule_via_hub_and_ownership_terms_as_fill_ins():
    data = bestek("bod-bovenduist")
    rows = table(data, "Beschikbaar gestelde materialen")
    assert [r[0] for r in rows[1:]] == ["s-stadhuis-staal>hub-hoevelaken>d-bovenduist-staal"]
    assert rows[1][3] == "35 t"
    assert rows[1][6] == "hub-hoevelaken"
    body = text(data)
    assert "UAV 2012, paragraaf 19, lid 1" in body
    assert "[in te vullen: voorwaarden van terbeschikkingstelling" in body


def test_donor_set_carries_release_obligations():
    data = bestek("stadhuis")
    rows = table(data, "Vrij te geven materialen")
    assert [r[0] for r in rows[1:]] == ["s-stadhuis-baksteen", "s-stadhuis-staal"]
    assert rows[1][3] == "120 t"
    assert rows[1][7] == "80 t direct naar kop-van-isselt"
    assert rows[2][7] == "35 t via hub-hoevelaken naar bovenduist"
    body = text(data)
    assert "UAV 2012, paragraaf 21, lid 1" in body
    assert "hoofdstuk 01 van de Standaard RAW Bepalingen" in body
    # demolition starts 1 March 2026; the rules of play's example notice is 12 weeks: 84 days earlier
    assert "uiterlijk 7 december 2025 (12 weken (voorbeeldwaarde) vóór de start van de sloop" in body
    assert "materiaalpaspoort" in body


def test_vraagspecificatie_shows_the_corridor_as_an_interface():
    lp = with_tender_choices(profiles(None)["amersfoort"], "uav-gc", None)
    from cgc_rules.documents.build import build_document
    from cgc_rules.jobs.generate import corridor_link, load_project

    project = load_project(EXAMPLES / "kop-van-isselt.yaml")
    assert project.tender_date is not None
    link = corridor_link("amersfoort-voorbeeld", project, project.tender_date)
    doc = build_document("vraagspecificatie", lp, "woningbouw", Registry(), project.tender_date, project, corridor=link)
    titles = [s.title for s in doc.sections]
    assert "Interface: materialen uit de corridor" in titles
    plain = build_document("vraagspecificatie", lp, "woningbouw", Registry(), project.tender_date, project)
    assert "Interface: materialen uit de corridor" not in [s.title for s in plain.sections]
    assert plain.meta.doc_id != doc.meta.doc_id


def test_without_corridor_the_set_has_no_corridor_chapter():
    assert "Beschikbaar gestelde materialen" not in text(bestek("kop-van-isselt", None))


def test_corridor_needs_a_project_the_corridor_knows(tmp_path):
    with pytest.raises(CgcError, match="--corridor needs --project"):
        generate(
            ["tender"], "amersfoort", ["html"], Registry(), project_type="woningbouw", corridor="amersfoort-voorbeeld"
        )
    other = tmp_path / "p.yaml"
    other.write_text(
        "project: {id: elders, name: Elders, municipality: Amersfoort, type: woningbouw, tender_date: 2026-03-02}\n"
    )
    with pytest.raises(CgcError, match="project 'elders' is not in corridor amersfoort-voorbeeld"):
        generate(["tender"], "amersfoort", ["html"], Registry(), project_file=other, corridor="amersfoort-voorbeeld")


def test_cli_generate_takes_corridor(cgc, tmp_path):
    res = cgc(
        "generate",
        "tender",
        "leidraad",
        "--profile",
        "amersfoort",
        "--project",
        EXAMPLES / "kop-van-isselt.yaml",
        "--corridor",
        "amersfoort-voorbeeld",
        "--format",
        "html",
        "-o",
        tmp_path,
    )
    assert res.exit_code == 0, res.output
    page = next(tmp_path.glob("bestek*.html")).read_text(encoding="utf-8")
    assert "s-stadhuis-baksteen&gt;direct&gt;d-kop-baksteen" in page
    assert "de corridor bevat voorbeeldgegevens" in page  # the example corridor says so
    guide = next(tmp_path.glob("aanbestedingsleidraad*.html")).read_text(encoding="utf-8")
    assert "Materialen uit de corridor" in guide
    assert "kenmerk van de corridorregel" in guide
