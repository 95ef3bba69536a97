"""Reading a filled-in bid form (XLSX) into a submission; every error names sheet, row and column."""

from __future__ import annotations

import warnings
import zipfile
import zlib
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from ..errors import CgcError, Problem, display_path
from ..i18n import Msg, render
from ..loading.archive import check_container
from ..submission import Submission
from . import cells
from .assemble import Assembly, Place
from .columns import hidden, repeated
from .layout import NONE_WORD, Sheet, fingerprint, sheets

VERSION_PROPERTY = "cgc-formulierversie"
RULESETS_PROPERTY = "cgc-regelsets"
Row = tuple[Any, ...]


def form_version(wb: Any) -> str | None:
    """The form version stored in the workbook's custom properties."""
    for prop in getattr(wb, "custom_doc_props", None) or ():
        if prop.name == VERSION_PROPERTY:
            return str(prop.value)
    return None


def _shown(cell: Any) -> Any:
    """A cell's value as the bidder sees it: a number formatted as a percentage (0,5 shown as 50 %) is 50."""
    value = cell.value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in (cell.number_format or ""):
        return round(value * 100, 9)
    return value


def _cell(title: str, row: int, col: int) -> str:
    return f"{title}!{get_column_letter(col)}{row}"


def _record(a: Assembly, sheet: Sheet, rows: list[Row]) -> None:
    by_label = {c.label.lower(): c for c in sheet.columns}
    for r, row in enumerate(rows[1:], start=2):
        label = row[0] if row else None
        if cells.is_blank(label):
            continue
        col = by_label.get(str(label).strip().lower())
        place = Place(a.file, _cell(sheet.title, r, 2))
        if col is None:
            a.report(Place(a.file, _cell(sheet.title, r, 1)), Msg("intake.form.unknown_field", {"found": label}))
            continue
        a.cell(a.data, col.path, col, row[1] if len(row) > 1 else None, place)


def _table(a: Assembly, sheet: Sheet, list_field: str, rows: list[Row]) -> None:
    header = rows[0] if rows else ()
    by_label = {c.label.lower(): c for c in sheet.columns}
    columns = {}
    for i, label in enumerate(header):
        if cells.is_blank(label):
            continue
        col = by_label.get(str(label).strip().lower())
        if col is None:
            a.report(Place(a.file, _cell(sheet.title, 1, i + 1)), Msg("intake.form.unknown_column", {"found": label}))
        else:
            columns[i] = col
    for i, first in repeated(columns).items():
        msg = Msg("intake.form.repeated_column", {"found": header[i], "first": _cell(sheet.title, 1, first + 1)})
        a.report(Place(a.file, _cell(sheet.title, 1, i + 1)), msg)
        del columns[i]
    lines: list[dict[str, Any]] | None = None
    table = a.table(list_field, columns, lambda r, i: Place(a.file, _cell(sheet.title, r, i + 1)))
    for r, row in enumerate(rows[1:], start=2):
        filled = [i for i, v in enumerate(row) if not cells.is_blank(v)]
        if not filled:
            continue
        lines = [] if lines is None else lines
        if filled == [0] and str(row[0]).strip().lower() == NONE_WORD:
            continue
        item: dict[str, Any] = {}
        table.rows.append(r)
        for i, col in columns.items():
            a.line_cell(table, item, col, i, row[i] if i < len(row) else None)
        lines.append(item)
    if lines is not None:
        a.data[list_field] = lines


MAX_ROWS = 50_001
"""Most rows in one sheet of a form, a header and 50,000 lines: about 3 s to read here."""
MAX_COLUMNS = 26
"""Columns read per row, A to Z (the widest sheet has nine): a sheet that claims 16,384 is not padded out to them."""


def _rows(ws: Any, title: str, shown: str, lang: str) -> list[Row]:
    """The values of a sheet's rows, within MAX_COLUMNS; refused when there are more than MAX_ROWS."""
    rows = [tuple(_shown(c) for c in row) for row in ws.iter_rows(max_row=MAX_ROWS + 1, max_col=MAX_COLUMNS)]
    if len(rows) > MAX_ROWS:
        msg = Msg("intake.form.too_many_rows", {"sheet": title, "limit": MAX_ROWS - 1})
        raise CgcError(Problem(render(lang, msg), shown, field=_cell(title, MAX_ROWS + 1, 1)))
    for col in sorted(hidden(ws)):
        if col <= MAX_COLUMNS and any(len(row) >= col and not cells.is_blank(row[col - 1]) for row in rows):
            msg = Msg("intake.form.hidden_column", {"column": get_column_letter(col)})
            raise CgcError(Problem(render(lang, msg), shown, field=_cell(title, 1, col)))
    return rows


_UNREADABLE = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    KeyError,
    OSError,
    ValueError,
    IndexError,
    SyntaxError,
    TypeError,
    AttributeError,
    NotImplementedError,
    LookupError,
)
"""What openpyxl and the XML and zip layers under it raise on a damaged workbook: lxml's and ElementTree's parse
errors are SyntaxErrors, an attribute openpyxl does not know a TypeError (`Outline(xummaryRight=…)`), a zip
feature zipfile lacks a NotImplementedError, an XML declaration naming an unknown encoding a LookupError.
Rows are read lazily, so these can come from any sheet, not
only on opening; the code between them and this handler is openpyxl's, apart from reading a cell's value."""


def _workbook(path: str | Path, shown: str, lang: str) -> tuple[str | None, list[str], dict[str, list[Row]]]:
    """The form version, the sheet names and the rows of the form's sheets, read in one go."""
    wb = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about data validation extensions it does not keep
            wb = load_workbook(path, read_only=True, data_only=True)
        names = list(wb.sheetnames)
        rows = {s.title: _rows(wb[s.title], s.title, shown, lang) for s in sheets() if s.title in names}
        return form_version(wb), names, rows
    except FileNotFoundError:
        raise CgcError(Problem(render(lang, Msg("intake.file.not_found")), shown)) from None
    except _UNREADABLE as exc:
        reason = str(exc)[:200] or type(exc).__name__
        raise CgcError(Problem(render(lang, Msg("intake.file.not_xlsx", {"reason": reason})), shown)) from None
    finally:
        if wb is not None:
            wb.close()


def read_xlsx(path: str | Path, lang: str = "nl") -> tuple[Submission, str]:
    """The submission in a bid form and the name it is shown under; all errors of the file at once."""
    shown = display_path(path)
    if zipfile.is_zipfile(path):  # encrypted, unknown methods, links, duplicates, bombs: before openpyxl inflates
        check_container(Path(path))
    version, names, rows = _workbook(path, shown, lang)
    if version is None:
        raise CgcError(Problem(render(lang, Msg("intake.form.no_version")), shown))
    if version != fingerprint():
        raise CgcError(Problem(render(lang, Msg("intake.form.other_version")), shown))
    a = Assembly(shown, lang)
    for sheet in sheets():
        if sheet.title not in names:
            a.report(Place(shown), Msg("intake.form.missing_sheet", {"sheet": sheet.title}))
            continue
        if sheet.list_field is None:
            _record(a, sheet, rows[sheet.title])
        else:
            _table(a, sheet, sheet.list_field, rows[sheet.title])
    return a.submission(), shown
