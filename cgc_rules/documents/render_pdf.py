"""PDF renderer: the HTML document through WeasyPrint, in-process, as PDF/A-3b with stable ids and dates.

Everything the page shows is inside it (stylesheet, logo and figures as `data:` URLs), so WeasyPrint's
URL fetcher serves `data:` only: no file is read, no request is made, whatever the inputs say.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from ..inline_fetcher import inline_only
from .model import Document

if TYPE_CHECKING:
    from weasyprint.text.fonts import FontConfiguration


@lru_cache(maxsize=1)
def _fonts() -> FontConfiguration:
    from weasyprint.text.fonts import (
        FontConfiguration,  # costly import, only for PDF output
    )

    return FontConfiguration()


def to_pdf(html: str, doc: Document) -> bytes:
    """PDF/A-3b; the file identifier is the document id and the dates come from the document."""
    from weasyprint import HTML

    pdf: bytes = HTML(string=html, base_url=None, url_fetcher=inline_only()).write_pdf(
        pdf_variant="pdf/a-3b",
        pdf_identifier=doc.meta.doc_id.encode("ascii"),
        font_config=_fonts(),
        uncompressed_pdf=False,
    )
    return pdf
