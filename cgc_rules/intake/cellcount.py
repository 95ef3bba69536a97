"""Counting the cells of a bid form before openpyxl parses it: it parses every cell of a row, also the ones
beyond the columns asked for, so 50,000 rows of 38 cells (a 3.7 MB form) took 14 s of processor time."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import CgcError, Problem
from ..i18n import Msg, render
from ..loading.archive import XLSX_LIMITS, open_archive

_ELEMENT = re.compile(rb"<(?:\w{1,32}:)?(?:c|si)[\s/>]")
_OVERLAP = 40  # longer than any match: a match cut by a chunk boundary is counted in the next chunk


def check_cells(path: Path, shown: str, lang: str, limit: int) -> None:
    """Check the form's zip headers (`loading.archive`), then refuse it when its XML parts hold more than `limit`
    cells (`<c>`) and shared texts (`<si>`) together, counted while the parts are streamed, stopped at the limit."""
    archive = open_archive(path, XLSX_LIMITS)
    count = 0
    try:
        for info in archive.files():
            if not info.filename.lower().endswith(".xml"):
                continue
            carry = b""
            for chunk in archive.chunks(info):
                buf = carry + chunk
                cut = max(len(buf) - _OVERLAP, 0)
                count += sum(1 for m in _ELEMENT.finditer(buf) if m.start() < cut)
                carry = buf[cut:]
                _within(count, limit, shown, lang)
            count += sum(1 for _ in _ELEMENT.finditer(carry))
            _within(count, limit, shown, lang)
    finally:
        archive.zf.close()


def _within(count: int, limit: int, shown: str, lang: str) -> None:
    if count > limit:
        raise CgcError(Problem(render(lang, Msg("intake.form.too_many_cells", {"limit": limit})), shown))
