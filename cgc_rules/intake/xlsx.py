"""Reading a filled-in bid form (XLSX) into a submission; every error names sheet, row and column."""

from __future__ import annotations

import warnings
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from ..errors import CgcError, Problem, display_path
from ..i18n import Msg, render
from ..languages import LANGUAGES
from ..submission import Submission
from . import cells
from .assemble import Assembly, Place, key, names
from .cellcount import check_cells
from .columns import hidden
from .layout import ITEM_ROWS, NONE_WORD, Sheet, bid_sheet, fingerprint, sheets

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


HEADER_WITHIN = 10
"""A sheet's header row is looked for in its first rows: a bidder may put a title or a note above it."""


def _header_words() -> set[str]:
    """The record sheets' header cell `Gegeven` in every language a form is made in."""
    return {key(render(lang, Msg("intake.form.field"))) for lang in LANGUAGES}


def _record(a: Assembly, sheet: Sheet, title: str, rows: list[Row]) -> None:
    by_label = {key(c.label): c for c in sheet.columns}
    words = _header_words()
    start = 1
    for r, row in enumerate(rows[:HEADER_WITHIN]):
        first = key(row[0]) if row and not cells.is_blank(row[0]) else ""
        if first in by_label:
            start = r
            break
        if first in words:
            start = r + 1
            break
    for r, row in enumerate(rows[start:], start=start + 1):
        label = row[0] if row else None
        if cells.is_blank(label):
            continue
        col = by_label.get(key(label))
        place = Place(a.file, _cell(title, r, 2))
        if col is None:
            a.report(Place(a.file, _cell(title, r, 1)), Msg("intake.form.unknown_field", {"found": label}))
            continue
        a.cell(a.data, col.path, col, row[1] if len(row) > 1 else None, place)


def _header_row(sheet: Sheet, rows: list[Row]) -> int:
    """The index of a table sheet's header: the first of its first rows that names one of its columns."""
    known = {n for c in sheet.columns for n in names(c)}
    for r, row in enumerate(rows[:HEADER_WITHIN]):
        if any(not cells.is_blank(v) and key(v) in known for v in row):
            return r
    return 0


def _table(a: Assembly, sheet: Sheet, title: str, rows: list[Row]) -> None:
    assert sheet.list_field is not None
    head = _header_row(sheet, rows)
    table = a.table(
        sheet, list(rows[head]) if rows else [], head + 1, lambda r, i: Place(a.file, _cell(title, r, i + 1))
    )
    lines: list[dict[str, Any]] | None = None
    for r, row in enumerate(rows[head + 1 :], start=head + 2):
        filled = [i for i, v in enumerate(row) if not cells.is_blank(v)]
        if not filled:
            continue
        lines = [] if lines is None else lines
        if filled == [0] and key(row[0]) == NONE_WORD:
            continue
        lines.append(a.line(table, r, row))
    if lines is not None:
        a.data[sheet.list_field] = lines


MAX_ROWS = ITEM_ROWS + 1
"""Most rows in one sheet of a form, a header and 50,000 lines: about 3 s to read here."""
MAX_COLUMNS = 26
"""Columns read per row, A to Z (the widest sheet has nine): a sheet that claims 16,384 is not padded out to them."""
MAX_CELLS = MAX_ROWS * 16
"""Cells and shared texts a form may hold in all, counted before openpyxl parses it (it parses every cell of a
row, also beyond Z): 16 a row at the row limit. A form of 50,000 lines as `cgc convert` writes it holds 500,000
(ten columns); the rest leaves room for notes and formatted empty cells."""


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


def _titles(names: list[str]) -> dict[str, str]:
    """Each form sheet's name in the workbook, whatever its case or surrounding spaces (`Materialen `)."""
    by_key = {key(n): n for n in names}
    return {s.title: by_key[s.title] for s in (bid_sheet(), *sheets()) if s.title in by_key}


def _workbook(path: str | Path, shown: str, lang: str) -> tuple[str | None, list[str], dict[str, list[Row]]]:
    """The form version, the sheet names and the rows of the form's sheets (by their form titles), read in one go."""
    wb = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about data validation extensions it does not keep
            wb = load_workbook(path, read_only=True, data_only=True)
        names = list(wb.sheetnames)
        rows = {title: _rows(wb[name], name, shown, lang) for title, name in _titles(names).items()}
        return form_version(wb), names, rows
    except FileNotFoundError:
        raise CgcError(Problem(render(lang, Msg("intake.file.not_found")), shown)) from None
    except _UNREADABLE as exc:
        reason = str(exc)[:200] or type(exc).__name__
        raise CgcError(Problem(render(lang, Msg("intake.file.not_xlsx", {"reason": reason})), shown)) from None
    finally:
        if wb is not None:
            wb.close()


@dataclass(frozen=True)
class Form:
    """A bid form's sheets as read: its name as shown, its sheet names and each form sheet's rows."""

    shown: str
    names: list[str]
    rows: dict[str, list[Row]]

    def read(self, a: Assembly, sheet: Sheet) -> None:
        """Read `sheet` into `a`; a sheet that is missing is reported with the sheets that were found."""
        titles = _titles(self.names)
        if sheet.title not in titles:
            found = ", ".join(f'"{n}"' for n in self.names)
            a.report(Place(self.shown), Msg("intake.form.missing_sheet", {"sheet": f'"{sheet.title}"', "found": found}))
            a.bad |= {(c.path[0],) for c in sheet.columns} if sheet.list_field is None else {(sheet.list_field,)}
        elif sheet.list_field is None:
            _record(a, sheet, titles[sheet.title], self.rows[sheet.title])
        else:
            _table(a, sheet, titles[sheet.title], self.rows[sheet.title])

    def submission(self, lang: str) -> Assembly:
        """The submission's sheets read, to be validated."""
        a = Assembly(self.shown, lang)
        for sheet in sheets():
            self.read(a, sheet)
        return a


def open_form(path: str | Path, lang: str = "nl") -> Form:
    """A bid form's sheets, once the container is checked and the form's version is this layout's."""
    shown = display_path(path)
    if zipfile.is_zipfile(path):  # encrypted, unknown methods, links, duplicates, bombs: before openpyxl inflates
        check_cells(Path(path), shown, lang, MAX_CELLS)
    version, names, rows = _workbook(path, shown, lang)
    if version is None:
        raise CgcError(Problem(render(lang, Msg("intake.form.no_version")), shown))
    if version != fingerprint():
        raise CgcError(Problem(render(lang, Msg("intake.form.other_version")), shown))
    return Form(shown, names, rows)


def read_xlsx(path: str | Path, lang: str = "nl") -> tuple[Submission, str]:
    """The submission in a bid form and the name it is shown under; all errors of the file at once."""
    form = open_form(path, lang)
    return form.submission(lang).validate(Submission), form.shown
