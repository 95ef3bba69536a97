"""A built document with its profile, and the renderer functions the format registry names for it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ..profile import LoadedProfile
from .model import Document


@dataclass(frozen=True)
class Printable:
    """What a document renderer needs: the document and the profile's house style. The HTML is made once."""

    doc: Document
    lp: LoadedProfile

    @cached_property
    def html_text(self) -> str:
        from .render_html import to_html

        return to_html(self.doc, self.lp)


def docx(p: Printable) -> bytes:
    from .render_docx import to_docx

    return to_docx(p.doc, p.lp)


def html(p: Printable) -> bytes:
    return p.html_text.encode("utf-8")


def pdf(p: Printable) -> bytes:
    from .render_pdf import to_pdf

    return to_pdf(p.html_text, p.doc)
