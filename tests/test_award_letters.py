"""The award decision letters and the advice of the example tenders (all three methods), read back as a bidder
and an officer would: dated, the standstill period with its end date, both bids' scores and price, the relative
advantages, and nothing internal (rule ids, field paths, hashes, file paths) outside the advice's annex."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from cgc_rules.cli import main

from .conftest import ROOT
from .docreading import norm, pdf_pages

EX = ROOT / "examples" / "aanbesteding"
TENDERS = {"fictief": EX, "punten": EX / "punten", "mki-w": EX / "mki-w"}
SENT = "2026-04-01"  # 20 calendar days from the next day: the period ends on 21 April 2026
INTERNAL = [
    (r"hnn-gww", "ruleset or rule id"),
    (r"\b[a-z_]+\.[a-z0-9_.\[\]]*_[a-z0-9_]*", "model field path"),
    (r"\b[a-z_]+(?:\.\d+|\[\d+\])\.[a-z_]+", "model field path"),
    (r"\b[0-9a-f]{12,}\b", "hash"),
    (r"\.ya?ml\b|\.json\b|/tmp|examples/|\\\\", "file path"),
    (r"sha256", "hash"),
]


def _internal(text: str) -> list[str]:
    return [f"{what}: {m.group(0)}" for pattern, what in INTERNAL for m in re.finditer(pattern, text)]


def _blocks(data: bytes) -> list[tuple[str, str]]:
    """(style, text) of every body paragraph and table (as one block of its cells), in document order."""
    d = docx.Document(io.BytesIO(data))
    out = []
    for child in d.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[1]
        if tag == "p":
            p = docx.text.paragraph.Paragraph(child, d)
            out.append((p.style.name, norm(p.text)))
        elif tag == "tbl":
            t = docx.table.Table(child, d)
            out.append(("table", norm(" | ".join(c.text for row in t.rows for c in row.cells))))
    return out


def _text(data: bytes) -> str:
    return " ".join(text for _, text in _blocks(data))


def _run(*args: str) -> str:
    res = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=True)
    assert res.exit_code == 0, res.output
    return res.output


@pytest.fixture(scope="module")
def scored(tmp_path_factory) -> dict[str, tuple[dict, Path, Path]]:
    """Per example tender: (the JSON record, the advice DOCX, the letters directory), scored once."""
    out = {}
    for name, folder in TENDERS.items():
        tmp = tmp_path_factory.mktemp(name)
        bids = sorted(folder.glob("bod-*.yaml"))
        data = json.loads(_run("score", folder / "tender.yaml", *bids, "--format", "json", "--date", SENT))
        advice, letters = tmp / "advies.docx", tmp / "brieven"
        _run(
            "score",
            folder / "tender.yaml",
            *bids,
            "--format",
            "docx",
            "-o",
            advice,
            "--letters",
            letters,
            "--date",
            SENT,
        )
        out[name] = (data, advice, letters)
    return out


@pytest.mark.parametrize("name", list(TENDERS))
def test_every_letter_states_what_article_2_130_asks_and_nothing_internal(scored, name):
    data, _, letters = scored[name]
    by = {b["bidder"]: b for b in data["bids"]}
    winner = by[data["winner"]]
    points = data["tender"]["method"] == "gewogen_factoren"
    ref = data["tender"]["id"]
    files = sorted(letters.iterdir())
    assert [f.name for f in files] == sorted(
        f"gunningsbeslissing_{ref}_{re.sub(r'[^a-z0-9]+', '-', b.casefold())}.docx" for b in by
    )
    for f in files:
        text = _text(f.read_bytes())
        b = next(
            b for b in data["bids"] if f.name.endswith(re.sub(r"[^a-z0-9]+", "-", b["bidder"].casefold()) + ".docx")
        )
        assert "Datum: 1 april 2026" in text, f.name
        assert "opschortende termijn (Alcatel-termijn) is 20 kalenderdagen" in text
        assert "eindigt op 21 april 2026" in text
        # the addressee's price and scores
        assert f"Uw inschrijfsom: {norm(b['price_text'])}" in text
        if b["rank"]:
            assert norm(b["result_text"]) in text
            assert norm(b["quality_text"]) in text
            if points:
                assert f"Uw prijspunten: {norm(b['price_points_text'])}" in text
        # the winner's price and scores, and the relative advantages per criterion
        if b is not winner:
            head = f"{winner['bidder']}: inschrijfsom {norm(winner['price_text'])}"
            assert head in text
            assert norm(winner["result_text"]) in text
            assert norm(winner["quality_text"]) in text
            if points:
                assert f"prijspunten {norm(winner['price_points_text'])}" in text
        names = [c["name"] for c in winner["criteria"]]
        if b["rank"] and b is not winner:
            assert "Uw inschrijving en de winnende inschrijving" in text
            for row in b["versus"]["rows"]:
                assert norm(f"{row['name']} | {row['mine']} | {row['theirs']} | {row['advantage']}") in text
            assert "in het voordeel van" in text
        elif b is winner:
            assert "Voordelen van uw inschrijving" in text
            assert "in het voordeel van uw inschrijving" in text
        else:
            assert "Kenmerken van de winnende inschrijving" in text
            assert all(n in text for n in names)
        assert _internal(text) == [], f.name


def test_the_letters_name_the_rule_by_its_title_and_say_what_is_missing(scored):
    _, _, letters = scored["fictief"]
    gamma = _text(next(letters.glob("*civiel-gamma.docx")).read_bytes())
    assert (
        "Eis Milieu- en klimaatimpact (MKI): De inschrijving geeft niet de gegevens om MKI per m² per jaar te" in gamma
    )
    beta = _text(next(letters.glob("*bouwcombinatie-beta.docx")).read_bytes())
    assert "Eis Herkomst materiaal:" in beta
    assert "Norm ≥ 62,0 % (wegen): voldoet niet" in beta


def test_the_advice_keeps_ids_hashes_and_files_in_its_annex(scored, cgc, tmp_path):
    data, advice, _ = scored["fictief"]
    blocks = _blocks(advice.read_bytes())
    cut = next(i for i, (style, text) in enumerate(blocks) if text == "Bijlage: verantwoording van de invoer")
    body = " ".join(text for _, text in blocks[:cut])
    annex = " ".join(text for _, text in blocks[cut:])
    assert _internal(body) == []
    assert "Datum | 1 april 2026" in body
    assert "eindigt op 21 april 2026" in body
    assert data["tender"]["sha256"] in annex
    assert "hnn-gww@2026.1" in annex
    assert "hnn-gww/herkomst-materiaal" in annex
    assert "tender.yaml" in annex
    assert str(EX) not in annex
    # the PDF and HTML of the same advice say the same
    pdf, html = tmp_path / "advies.pdf", tmp_path / "advies.html"
    bids = sorted(EX.glob("bod-*.yaml"))
    for out, fmt in ((pdf, "pdf"), (html, "html")):
        res = cgc("score", EX / "tender.yaml", *bids, "--format", fmt, "-o", out, "--date", SENT)
        assert res.exit_code == 0, res.output
    pdf_text = norm(" ".join(pdf_pages(pdf.read_bytes())))
    html_text = norm(re.sub(r"<[^>]+>", " ", html.read_text(encoding="utf-8")))
    for text in (pdf_text, html_text):
        assert "eindigt op 21 april 2026" in text
        assert "Epsilon Wegenbouw" in text
        body = text[: text.index("Bijlage: verantwoording van de invoer")]
        assert _internal(body.replace("&#34;", "")) == [], body


def test_the_download_names_come_from_the_tender_and_the_bidder(scored):
    from cgc_rules.jobs.score import advice_name, letters_archive_name
    from cgc_rules.jobs.score import score as score_job
    from cgc_rules.registry import Registry

    scoring = score_job(EX / "mki-w" / "tender.yaml", sorted((EX / "mki-w").glob("bod-*.yaml")), Registry())
    assert advice_name(scoring.report, ".docx") == "gunningsadvies_voorbeeld-reconstructie-n-weg-2026-mki-w.docx"
    assert letters_archive_name(scoring.report) == "gunningsbeslissingen_voorbeeld-reconstructie-n-weg-2026-mki-w.zip"


@pytest.mark.parametrize("name", ["punten", "mki-w"])
def test_the_variant_examples_rank_as_their_headers_document(scored, name):
    data, _, _ = scored[name]
    ranked, excluded = [], []
    for line in (TENDERS[name] / "tender.yaml").read_text(encoding="utf-8").splitlines():
        if m := re.match(r"# verwacht: (\d+) (.+?)\s+(?:totaal|fictief) ((?:€ )?[\d.,]+)", line):
            ranked.append((int(m[1]), m[2].strip(), m[3]))
        elif m := re.match(r"# verwacht: uitgesloten (.+?)\s+\(", line):
            excluded.append(m[1].strip())
    assert len(ranked) == 3
    assert len(excluded) == 1
    got = [(b["rank"], b["bidder"], norm(b["result_text"]).removesuffix(" punten")) for b in data["bids"] if b["rank"]]
    assert got == ranked
    assert [b["bidder"] for b in data["bids"] if b["status"] == "excluded"] == excluded
