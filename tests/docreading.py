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


def docx_clauses(data: bytes) -> dict[str, str]:
    """Clause number -> clause text (with its bullet items), from paragraphs in the clause style."""
    d = docx.Document(io.BytesIO(data))
    out: dict[str, str] = {}
    last = None
    for p in d.paragraphs:
        if p.style.name == "CGC Artikel":
            number, _, text = p.text.partition("\t")
            out[number] = norm(text)
            last = number
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
    for p in d.paragraphs:
        if p.style.name == "Heading 1":
            current = norm(p.text)
            out[current] = []
        elif p.style.name == "CGC Artikel" and current:
            out[current].append(p.text.partition("\t")[0])
    return out


def docx_table(data: bytes, caption: str) -> list[list[str]]:
    """Rows (header included) of the table under the given caption."""
    d = docx.Document(io.BytesIO(data))
    captions = [norm(p.text) for p in d.paragraphs if p.style.name == "Caption"]
    index = captions.index(caption)
    table = d.tables[index]
    return [[norm(c.text) for c in row.cells] for row in table.rows]


def rule_clauses(data: bytes) -> dict[str, list[str]]:
    """Rule id -> clause numbers, from the Verantwoording annex of a DOCX."""
    out: dict[str, list[str]] = {}
    for number, rule, *_ in docx_table(data, "Artikelen en regels")[1:]:
        if rule != "—":
            out.setdefault(rule, []).append(number)
    return out


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def pdf_clauses(data: bytes) -> dict[str, str]:
    """Clause number -> text, from the body of the PDF (after the first page, before the annex)."""
    pages = pdf_pages(data)
    body = "\n".join(pages[1:])
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
