"""DOCX renderer: python-docx on the profile's reference document, whose Word styles set the look.

The reference .docx must define the styles in `STYLES`; `cgc templates check` says which are missing.
Bytes are stable: core properties come from the document's metadata and zip entries get a fixed date.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

import docx
from docx.image.exceptions import UnrecognizedImageError
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

from ..errors import CgcError, Problem
from ..profile import LoadedProfile
from .model import Block, Clause, Document, Example, Figure, Fill, Paragraph, Table
from .wording import say

STYLES = {
    "title": "Title", "subtitle": "Subtitle", "heading": "Heading 1", "body": "Normal", "caption": "Caption",
    "clause": "CGC Artikel", "item": "CGC Opsomming", "fill": "CGC Invulveld", "example": "CGC Voorbeeld",
    "table": "CGC Tabel", "header": "Header", "footer": "Footer",
}


def missing_styles(path) -> list[str]:
    """Names of the styles this renderer needs that the reference document lacks."""
    return _missing(docx.Document(str(path)))


def _missing(d) -> list[str]:
    names = {s.name for s in d.styles}
    return [name for name in STYLES.values() if name not in names]


class _Ids(dict):
    """Style ids by key, looked up once (python-docx resolves a style name slowly on every use)."""

    def __init__(self, d):
        super().__init__({key: d.styles[name].style_id for key, name in STYLES.items()})


def _par(container, ids: _Ids, key: str, text: str = "") -> DocxParagraph:
    par = container.add_paragraph(text)
    par._p.style = ids[key]
    return par


def _runs(par: DocxParagraph, p: Paragraph, ids: _Ids) -> None:
    for r in p.runs:
        run = par.add_run(r.text)
        if isinstance(r, Fill):
            run._r.style = ids["fill"]
        elif isinstance(r, Example):
            run._r.style = ids["example"]
        elif r.strong:
            run.bold = True


def _field(par: DocxParagraph, code: str) -> None:
    """A simple Word field (PAGE, NUMPAGES) that Word updates when it lays out the pages."""
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), f" {code} ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    fld.append(run)
    par._p.append(fld)


def _table(d, t: Table, ids: _Ids) -> None:
    _par(d, ids, "caption", t.caption)
    table: DocxTable = d.add_table(rows=1 + len(t.rows), cols=len(t.header))
    table.style = d.styles[STYLES["table"]]
    header_row = table.rows[0]
    tr_pr = header_row._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)
    table.autofit = False
    widths = t.widths or (1,) * len(t.header)
    total = sum(widths)
    section = d.sections[-1]
    usable = section.page_width - section.left_margin - section.right_margin
    for i, column in enumerate(table.columns):
        column.width = int(usable * widths[i] / total)
    for row, cells in zip(table.rows, [t.header, *t.rows]):
        for i, (cell, content) in enumerate(zip(row.cells, cells)):
            cell.width = int(usable * widths[i] / total)
            _runs(cell.paragraphs[0], content, ids)


def _block(d, b: Block, ids: _Ids) -> None:
    if isinstance(b, Clause):
        par = _par(d, ids, "clause")
        par.add_run(f"{b.number}\t")
        if b.title:
            par.add_run(f"{b.title}. ").bold = True
        _runs(par, b.body, ids)
        for item in b.items:
            ip = _par(d, ids, "item")
            ip.add_run("–\t")
            _runs(ip, item, ids)
    elif isinstance(b, Table):
        _table(d, b, ids)
    elif isinstance(b, Figure):
        d.add_picture(io.BytesIO(b.png), width=Cm(b.width_cm))
        _par(d, ids, "caption", b.caption)
    else:
        _runs(_par(d, ids, "body"), b, ids)


def _header_footer(d, doc: Document) -> None:
    m = doc.meta
    section = d.sections[0]
    head = section.header.paragraphs[0] if section.header.paragraphs else section.header.add_paragraph()
    head.style = d.styles[STYLES["header"]]
    head.text = f"{m.municipality}\t{m.title}"
    foot = section.footer.paragraphs[0] if section.footer.paragraphs else section.footer.add_paragraph()
    foot.style = d.styles[STYLES["footer"]]
    foot.text = f"{m.doc_id} · {', '.join(m.rulesets)}\tpagina "
    _field(foot, "PAGE")
    foot.add_run(" van ")
    _field(foot, "NUMPAGES")


def _stable_zip(data: bytes, stamp: tuple[int, ...]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def to_docx(doc: Document, lp: LoadedProfile) -> bytes:
    """The document as DOCX in the profile's Word styles; the same inputs give the same bytes."""
    ref = lp.asset(lp.profile.house_style.reference_docx)
    try:
        d = docx.Document(str(ref))
    except (zipfile.BadZipFile, KeyError, ValueError, PackageNotFoundError) as exc:
        raise CgcError(Problem(f"not a usable Word document: {exc}", str(ref))) from None
    missing = _missing(d)
    if missing:
        raise CgcError(Problem(f"reference document lacks Word styles: {', '.join(missing)}", str(ref)))
    ids = _Ids(d)
    body = d.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    m = doc.meta
    _header_footer(d, doc)
    if lp.profile.house_style.logo:
        logo = lp.asset(lp.profile.house_style.logo)
        try:
            d.add_picture(str(logo), width=Cm(3))
        except UnrecognizedImageError:
            raise CgcError(Problem("logo is not a PNG or JPEG image", str(logo))) from None
    _par(d, ids, "subtitle", m.municipality)
    _par(d, ids, "title", m.title)
    _par(d, ids, "subtitle", m.subtitle)
    for b in doc.front:
        _block(d, b, ids)
    for s in doc.sections:
        heading = _par(d, ids, "heading", s.heading)
        if s.number in ("1", "A"):
            heading.paragraph_format.page_break_before = True
        for b in s.blocks:
            _block(d, b, ids)
    when = datetime.fromisoformat(m.date).replace(tzinfo=UTC)
    cp = d.core_properties
    cp.author = m.municipality
    cp.title = m.title
    cp.subject = m.subtitle
    cp.keywords = ", ".join(m.rulesets)
    cp.identifier = m.doc_id
    cp.comments = say("documents.generated_with")
    cp.last_modified_by = "cgc-rules"
    cp.created = cp.modified = cp.last_printed = when
    cp.revision = 1
    buf = io.BytesIO()
    d.save(buf)
    return _stable_zip(buf.getvalue(), (when.year, when.month, when.day, 0, 0, 0))
