"""Columns a reviewer cannot see or that say one thing twice: refused, so what is evaluated is what is shown.

A header naming one field twice would let the last copy win (a line seen as 10 t primary evaluated
as 1,000 t recycled); a hidden XLSX column holding values does the same out of sight.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from defusedxml import ElementTree

from .layout import Column

MAX_HEADER_CELLS = 200
"""Cells in a CSV header row: the widest sheet has nine columns; a header repeating one 20,000 times costs ms a line."""

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def repeated(columns: Mapping[int, Column]) -> dict[int, int]:
    """Each column index whose field an earlier column already fills, with that earlier index."""
    first: dict[tuple[str, ...], int] = {}
    out: dict[int, int] = {}
    for i in sorted(columns):
        earlier = first.setdefault(columns[i].path, i)
        if earlier != i:
            out[i] = earlier
    return out


def hidden(ws: Any) -> set[int]:
    """Column numbers (1-based) a read-only openpyxl sheet hides (`<col hidden="1">` or width 0).

    Read from the sheet's `<cols>` element, which comes before its rows: parsing stops at `<sheetData>`.
    """
    out: set[int] = set()
    with ws._get_source() as source:  # openpyxl's read-only sheet keeps no column dimensions
        for _, element in ElementTree.iterparse(source, events=("start",)):  # no entities, no DTD: a bidder's file
            if element.tag == f"{_MAIN}sheetData":
                break
            if element.tag == f"{_MAIN}col" and (
                element.get("hidden") in ("1", "true") or element.get("width") in ("0", "0.0")
            ):
                low, high = int(element.get("min", "0")), int(element.get("max", "0"))
                out.update(range(max(low, 1), min(high, 16_384) + 1))
    return out
