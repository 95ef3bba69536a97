"""Workbooks as reproducible bytes: fixed document dates and zip entry times, so equal inputs give equal files."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openpyxl import Workbook

STAMP = datetime(2026, 1, 1)


def reproducible_bytes(wb: Workbook, stamp: datetime = STAMP) -> bytes:
    """`wb` as XLSX bytes with its created/modified dates and every zip entry's time set to `stamp`.

    openpyxl's `Workbook.save` stamps the current time; its `ExcelWriter` writes the properties as set.
    """
    from openpyxl.writer.excel import ExcelWriter

    wb.properties.created = wb.properties.modified = stamp
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).save()
    out = io.BytesIO()
    when = stamp.timetuple()[:6]
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=when)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()
