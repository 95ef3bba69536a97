"""Reading generated documents back the way a user's tools would: python-docx, pypdf, the HTML text."""

from __future__ import annotations

import io
import re

import docx
from pypdf import PdfReader

CLAUSE = re.compile(r"^(\d+\.\d+)\s+(.*)$")


def norm(text: str) -> str:
    """Whitespace as one plain space (non-breaking spaces included)."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def num_level(p) -> int | None:
    """The Word numbering level of a paragraph (`w:numPr/w:ilvl`), None when Word does not number it."""
    ppr = p._p.pPr
    num_pr = None if ppr is None else ppr.find(f"{W}numPr")
    if num_pr is None:
        return None
    return int(num_pr.find(f"{W}ilvl").get(f"{W}val"))


def numbered(d) -> list[tuple[str | None, object]]:
    """(number Word shows, paragraph) for every body paragraph: chapters `3`, clauses `3.2`, others None."""
    chapter = clause = 0
    out = []
    for p in d.paragraphs:
        level = num_level(p)
        if level == 0:
            chapter, clause = chapter + 1, 0
            out.append((str(chapter), p))
        elif level == 1:
            clause += 1
            out.append((f"{chapter}.{clause}", p))
        else:
            out.append((None, p))
    return out


def docx_clauses(data: bytes) -> dict[str, str]:
    """Clause number (as Word numbers it) -> clause text with its bullet items, from the clause style."""
    d = docx.Document(io.BytesIO(data))
    out: dict[str, str] = {}
    last = None
    for number, p in numbered(d):
        if p.style.name == "CGC Artikel":
            last = number or p.text.partition("\t")[0]
            out[last] = norm(p.text if number else p.text.partition("\t")[2])
        elif p.style.name == "CGC Opsomming" and last:
            out[last] += " " + norm(p.text)
    return out


def docx_text(data: bytes) -> str:
    """All text of a DOCX body: paragraphs and table cells, whitespace normalised."""
    d = docx.Document(io.BytesIO(data))
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    return norm(" ".join([p.text for p in d.paragraphs] + cells))


def docx_sections(data: bytes) -> dict[str, list[str]]:
    """Heading text -> clause numbers under it."""
    d = docx.Document(io.BytesIO(data))
    out: dict[str, list[str]] = {}
    current = None
    for number, p in numbered(d):
        if p.style.name == "Heading 1":
            current = f"{number} {norm(p.text)}" if number else norm(p.text)
            out[current] = []
        elif p.style.name == "CGC Artikel" and current:
            out[current].append(number)
    return out


def docx_table(data: bytes, caption: str) -> list[list[str]]:
    """Rows (header included) of the table under the given caption."""
    d = docx.Document(io.BytesIO(data))
    captions = [norm(p.text) for p in d.paragraphs if p.style.name == "Caption"]
    index = captions.index(caption)
    table = d.tables[index]
    return [[norm(c.text) for c in row.cells] for row in table.rows]


def rule_clauses(data: bytes, caption: str = "Artikelen en regels") -> dict[str, list[str]]:
    """Rule id -> clause numbers, from a Verantwoording table of an internal DOCX."""
    out: dict[str, list[str]] = {}
    for number, rule, *_ in docx_table(data, caption)[1:]:
        if rule != "—":
            out.setdefault(rule, []).append(number)
    return out


def model_rule_clauses(kind: str, profile: str, ptype: str, as_of) -> dict[str, list[str]]:
    """Rule id -> clause numbers of a published document, from its document model (bidders never see rule ids)."""
    from cgc_rules.documents.build import build_document
    from cgc_rules.profile import load_profile, profile_path
    from cgc_rules.registry import Registry

    doc = build_document(kind, load_profile(profile_path(profile)), ptype, Registry(), as_of)
    out: dict[str, list[str]] = {}
    for clause in doc.clauses():
        for key in clause.rules:
            out.setdefault(key.partition("/")[2], []).append(clause.number)
    return out


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def pdf_clauses(data: bytes) -> dict[str, str]:
    """Clause number -> text, from the body of the PDF (after the first page, before the annex)."""
    pages = pdf_pages(data)
    body = "\n".join(pages[1:])
    if "Bijlage A" in body:
        body = body[: body.rfind("Bijlage A")]
    out: dict[str, str] = {}
    current = None
    for line in body.splitlines():
        m = CLAUSE.match(line.strip())
        if m and (current is None or _after(m.group(1), current)):
            current = m.group(1)
            out[current] = m.group(2)
        elif current:
            out[current] += " " + line
    return {k: norm(v) for k, v in out.items()}


def _after(number: str, previous: str) -> bool:
    a, b = (tuple(int(x) for x in n.split(".")) for n in (number, previous))
    return a > b


def html_clauses(html: str) -> list[str]:
    return re.findall(r'<div class="clause" id="artikel-([0-9.]+)"', html)


_FILES: dict[tuple[str, str, str, str], bytes | None] = {}


def generated(kind: str, profile: str, ptype: str, formats: tuple[str, ...], as_of) -> dict[str, bytes] | None:
    """Generated files by format, made once per test run (WeasyPrint is slow); None when the kind does not apply."""
    from cgc_rules.documents import generate
    from cgc_rules.documents.kinds import NotGenerated

    missing = [f for f in formats if (kind, profile, ptype, f) not in _FILES]
    if missing:
        try:
            made = {f.name.rpartition(".")[2]: f.data for f in generate(kind, profile, ptype, missing, as_of=as_of)}
        except NotGenerated:
            made = dict.fromkeys(missing)
        _FILES.update({(kind, profile, ptype, f): data for f, data in made.items()})
    files = {f: _FILES[kind, profile, ptype, f] for f in formats}
    return None if any(v is None for v in files.values()) else files  # type: ignore[misc]
