"""DOCX renderer: python-docx on the profile's reference document, whose Word styles set the look.

Chapters, clauses and bullets are numbered by Word (one numbering definition in numbering.xml:
level 1 `%1`, level 2 `%1.%2`, level 3 a bullet), so a clause inserted in Word renumbers the rest;
headings use Heading 1, cross-references are REF fields to a bookmark on the clause, and a TOC
field lists the chapters.

The reference .docx must define the styles in `STYLES`; `cgc templates check` says which are missing.
Bytes are stable: core properties come from the document's metadata and zip entries get a fixed date.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import cast

import docx
from docx.blkcntnr import BlockItemContainer
from docx.document import Document as DocxDocument
from docx.image.exceptions import UnrecognizedImageError
from docx.opc.exceptions import PackageNotFoundError
from docx.opc.packuri import PackURI
from docx.opc.phys_pkg import PhysPkgWriter
from docx.opc.pkgwriter import PackageWriter
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run

from ..errors import CgcError, Problem
from ..profile import LoadedProfile
from .model import Block, Clause, Document, Example, Figure, Fill, Paragraph, Ref, Table
from .wording import say

STYLES = {
    "title": "Title",
    "subtitle": "Subtitle",
    "heading": "Heading 1",
    "body": "Normal",
    "caption": "Caption",
    "clause": "CGC Artikel",
    "item": "CGC Opsomming",
    "fill": "CGC Invulveld",
    "example": "CGC Voorbeeld",
    "table": "CGC Tabel",
    "header": "Header",
    "footer": "Footer",
}


def missing_styles(path: str | Path) -> list[str]:
    """Names of the styles this renderer needs that the reference document lacks."""
    return _missing(docx.Document(str(path)))


def _missing(d: DocxDocument) -> list[str]:
    names = {s.name for s in d.styles}
    return [name for name in STYLES.values() if name not in names]


class _Ids(dict[str, str]):
    """Style ids by key, looked up once (python-docx resolves a style name slowly on every use), and the
    number of bookmarks placed so far (each needs its own id)."""

    def __init__(self, d: DocxDocument) -> None:
        super().__init__({key: d.styles[name].style_id for key, name in STYLES.items()})
        self.bookmarks = 0

    def next_bookmark(self) -> int:
        self.bookmarks += 1
        return self.bookmarks


def _run(par: DocxParagraph, text: str) -> Run:
    """`par.add_run(text)` without python-docx's character-by-character path for text with no tab or break."""
    if not text or any(ch in text for ch in "\t\r\n"):
        return par.add_run(text)
    r = par._p.add_r()
    r.add_t(text)
    return Run(r, par)


def _par(container: DocxDocument | BlockItemContainer, ids: _Ids, key: str, text: str = "") -> DocxParagraph:
    par = container.add_paragraph(text)
    par._p.style = ids[key]
    return par


NUM_ID = "1"
_LEVELS = (("decimal", "%1", 0, 0), ("decimal", "%1.%2", 567, 567), ("bullet", "\u2013", 1134, 567))


def _el(tag: str, **attrs: str) -> BaseOxmlElement:
    el = OxmlElement(tag)
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), value)
    return el


def _numbering(d: DocxDocument) -> None:
    """One abstract numbering with three levels (chapter, clause, bullet) and its num id."""
    numbering = d.part.numbering_part.element
    for child in list(numbering):
        numbering.remove(child)
    abstract = _el("w:abstractNum", abstractNumId="0")
    abstract.append(_el("w:multiLevelType", val="multilevel"))
    for ilvl, (fmt, text, left, hanging) in enumerate(_LEVELS):
        lvl = _el("w:lvl", ilvl=str(ilvl))
        lvl.append(_el("w:start", val="1"))
        lvl.append(_el("w:numFmt", val=fmt))
        lvl.append(_el("w:lvlText", val=text))
        lvl.append(_el("w:lvlJc", val="left"))
        ppr = _el("w:pPr")
        ppr.append(_el("w:tabs"))
        ppr[-1].append(_el("w:tab", val="num", pos=str(left + hanging or 567)))
        ppr.append(_el("w:ind", left=str(left + hanging or 567), hanging=str(hanging or 567)))
        lvl.append(ppr)
        abstract.append(lvl)
    numbering.append(abstract)
    num = _el("w:num", numId=NUM_ID)
    num.append(_el("w:abstractNumId", val="0"))
    numbering.append(num)


def _number(par: DocxParagraph, level: int) -> None:
    ppr = par._p.get_or_add_pPr()
    num_pr = _el("w:numPr")
    num_pr.append(_el("w:ilvl", val=str(level)))
    num_pr.append(_el("w:numId", val=NUM_ID))
    ppr.insert_element_before(num_pr, "w:spacing", "w:ind", "w:jc", "w:rPr")


def _bookmark(par: DocxParagraph, name: str, bid: int) -> None:
    par._p.insert(1 if par._p.pPr is not None else 0, _el("w:bookmarkStart", id=str(bid), name=name))
    par._p.append(_el("w:bookmarkEnd", id=str(bid)))


def _complex_field(par: DocxParagraph, code: str, shown: str) -> None:
    """A field Word and LibreOffice update (REF, TOC), with `shown` as its current result."""
    for kind in ("begin", None, "separate", "result", "end"):
        run = OxmlElement("w:r")
        if kind is None:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {code} "
            run.append(instr)
        elif kind == "result":
            t = OxmlElement("w:t")
            t.text = shown
            run.append(t)
        else:
            run.append(_el("w:fldChar", fldCharType=kind))
        par._p.append(run)


def _toc(d: DocxDocument, doc: Document, ids: _Ids) -> None:
    """A TOC field whose current result lists the chapters; Word and LibreOffice add page numbers on update."""
    head = _par(d, ids, "body")
    _run(head, say("documents.toc_title")).bold = True
    head.paragraph_format.page_break_before = True
    entries = [f"{s.number}\t{s.title}" if not s.annex else s.heading for s in doc.sections]
    first = _par(d, ids, "body")
    for kind in ("begin", "instr", "separate"):
        run = OxmlElement("w:r")
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = ' TOC \\o "1-3" \\h \\z \\u '
            run.append(instr)
        else:
            run.append(_el("w:fldChar", fldCharType=kind))
        first._p.append(run)
    _run(first, entries[0])
    last = first
    for entry in entries[1:]:
        last = _par(d, ids, "body", entry)
    end = OxmlElement("w:r")
    end.append(_el("w:fldChar", fldCharType="end"))
    last._p.append(end)


def _ref_name(label: str) -> str:
    return "_Ref_" + "".join(ch if ch.isalnum() else "_" for ch in label)


def _runs(par: DocxParagraph, p: Paragraph, ids: _Ids) -> None:
    for r in p.runs:
        if isinstance(r, Ref):
            _complex_field(par, f"REF {_ref_name(r.target)} \\r \\h", r.number)
            continue
        run = _run(par, r.text)
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


def _table(d: DocxDocument, t: Table, ids: _Ids, usable: int) -> None:
    _par(d, ids, "caption", t.caption)
    # the body's add_table: Document.add_table would look the default table style up for every table
    table: DocxTable = d._body.add_table(1 + len(t.rows), len(t.header), d._block_width)
    table._tbl.tblPr.style = ids["table"]
    header_row = table.rows[0]
    tr_pr = header_row._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)
    table.autofit = False
    widths = t.widths or (1,) * len(t.header)
    total = sum(widths)
    for i, column in enumerate(table.columns):
        column.width = int(usable * widths[i] / total)
    for row, cells in zip(table.rows, [t.header, *t.rows], strict=True):
        for i, (cell, content) in enumerate(zip(row.cells, cells, strict=True)):
            cell.width = int(usable * widths[i] / total)
            _runs(cell.paragraphs[0], content, ids)


def _block(d: DocxDocument, b: Block, ids: _Ids, usable: int, numbered: bool = True) -> None:
    if isinstance(b, Clause):
        par = _par(d, ids, "clause")
        if numbered:
            _number(par, 1)
        else:
            par.add_run(f"{b.number}\t")
        if b.title:
            _run(par, f"{b.title}. ").bold = True
        _runs(par, b.body, ids)
        if b.label:
            _bookmark(par, _ref_name(b.label), ids.next_bookmark())
        for item in b.items:
            ip = _par(d, ids, "item")
            _number(ip, 2)
            _runs(ip, item, ids)
    elif isinstance(b, Table):
        _table(d, b, ids, usable)
    elif isinstance(b, Figure):
        d.add_picture(io.BytesIO(b.png), width=Cm(b.width_cm))
        _par(d, ids, "caption", b.caption)
    else:
        _runs(_par(d, ids, "body"), b, ids)


def _header_footer(d: DocxDocument, doc: Document, ids: _Ids) -> None:
    m = doc.meta
    section = d.sections[0]
    head = section.header.paragraphs[0] if section.header.paragraphs else section.header.add_paragraph()
    head._p.style = ids["header"]
    head.text = f"{m.municipality}\t{m.title}"
    foot = section.footer.paragraphs[0] if section.footer.paragraphs else section.footer.add_paragraph()
    foot._p.style = ids["footer"]
    foot.text = f"{m.footer}\tpagina "
    _field(foot, "PAGE")
    _run(foot, " van ")
    _field(foot, "NUMPAGES")


def _usable_width(d: DocxDocument, ref: Path) -> int:
    """The width between the margins of the reference document's page, which tables fill (in EMU)."""
    section = d.sections[-1]
    width, left, right = section.page_width, section.left_margin, section.right_margin
    if width is None or left is None or right is None:
        raise CgcError(
            Problem("reference document sets no page size or margins (Word: Layout, Size and Margins)", str(ref))
        )
    return width - left - right


class _StableZip:
    """python-docx's physical package writer with a fixed date and mode on every entry, so the same
    document gives the same bytes (each part is compressed once, straight into the final zip)."""

    def __init__(self, stamp: tuple[int, int, int, int, int, int]) -> None:
        self.stamp, self.buffer = stamp, io.BytesIO()
        self.zip = zipfile.ZipFile(self.buffer, "w", zipfile.ZIP_DEFLATED)

    def write(self, pack_uri: PackURI, blob: bytes) -> None:
        entry = zipfile.ZipInfo(pack_uri.membername, date_time=self.stamp)
        entry.compress_type = zipfile.ZIP_DEFLATED
        entry.external_attr = 0o644 << 16
        self.zip.writestr(entry, blob)

    def bytes(self, d: DocxDocument) -> bytes:
        """The package of `d`, written as `OpcPackage.save` writes it."""
        package = d.part.package
        for part in package.parts:
            part.before_marshal()
        writer = cast(PhysPkgWriter, self)  # the same two methods: write(pack_uri, blob) and close()
        PackageWriter._write_content_types_stream(writer, package.parts)  # type: ignore[no-untyped-call]
        PackageWriter._write_pkg_rels(writer, package.rels)  # type: ignore[no-untyped-call]
        PackageWriter._write_parts(writer, package.parts)
        self.zip.close()
        return self.buffer.getvalue()


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
    usable = _usable_width(d, ref)
    _numbering(d)
    body = d.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    m = doc.meta
    _header_footer(d, doc, ids)
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
        _block(d, b, ids, usable)
    _toc(d, doc, ids)
    for s in doc.sections:
        heading = _par(d, ids, "heading", s.title if not s.annex else s.heading)
        if not s.annex:
            _number(heading, 0)
        if s.number in ("1", "A"):
            heading.paragraph_format.page_break_before = True
        for b in s.blocks:
            _block(d, b, ids, usable)
    when = datetime.fromisoformat(m.date).replace(tzinfo=UTC)
    cp = d.core_properties
    cp.author = _core(m.municipality)  # Word's core properties hold at most 255 characters
    cp.title = _core(m.title)
    cp.subject = _core(m.subtitle)
    if m.internal:
        cp.keywords = _core(", ".join(m.rulesets))
        cp.identifier = _core(m.doc_id)
    if m.internal:  # a published document's metadata names the municipality only
        cp.comments = say("documents.generated_with")
    cp.last_modified_by = "cgc-rules" if m.internal else _core(m.municipality)
    cp.created = cp.modified = cp.last_printed = when
    cp.revision = 1
    return _StableZip((when.year, when.month, when.day, 0, 0, 0)).bytes(d)


def _core(value: str) -> str:
    return value if len(value) <= 255 else value[:254] + "…"
