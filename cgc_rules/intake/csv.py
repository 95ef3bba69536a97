"""Reading a material list from CSV, the way bidders export one from their own systems.

The file is UTF-8 (with or without BOM) or Windows-1252 (what Dutch Excel saves as "CSV"), separated by `;`
or `,`; the encoding and separator found are stated with the result. With `;` the decimal mark is the comma,
as in Dutch Excel, so `1.800` is 1800. The file may start with project lines (`projecttype;wegen`), then a
blank line, then a header row of material columns with the form's labels (`materiaal;code;massa (t);…`,
in any case) or the model's names (`name;mass_t;origin;…`), one row per material line. Errors name the
file's line and column.
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path
from typing import Any

from ..errors import CgcError, Problem, display_path
from ..i18n import Msg, render
from ..submission import Submission
from .assemble import Assembly, Place, key, names
from .columns import MAX_HEADER_CELLS
from .layout import NONE_WORD, Column, sheet

MAX_BYTES = 64 * 1024 * 1024
MAX_LINE = 100_000
"""Longest line in characters, as the longest text value in YAML; below the csv module's own field limit."""
MAX_LINES = 500_000
"""Most material lines in one CSV list: about 5 s to read here, and some 930 bytes of memory a line."""
HEADER_WITHIN = 1_000
"""The header row is looked for in this many lines: a file without one is not searched to its end."""


def _split(line: str, delimiter: str) -> list[str]:
    return next(csv.reader([line], delimiter=delimiter), [])


def _header(lines: list[str], columns: tuple[Column, ...]) -> tuple[int, str] | None:
    """Index of the header row and its delimiter: the first row naming a material column, among the first
    HEADER_WITHIN lines (the project lines above it are a few dozen at most)."""
    known = set().union(*(names(c) for c in columns))
    for i, line in enumerate(lines[:HEADER_WITHIN]):
        best = max((";", ","), key=lambda d: sum(key(c) in known for c in _split(line, d)))
        if any(key(c) in known for c in _split(line, best)):
            return i, best
    return None


def read_csv_text(text: str, shown: str, lang: str = "nl") -> tuple[Submission, str]:
    """The submission in a CSV material list and the separator found; all errors at once."""
    a = Assembly(shown, lang)
    materials = sheet("materialen")
    project = sheet("project")
    lines = text.removeprefix("\ufeff").splitlines()
    if max(map(len, lines), default=0) > MAX_LINE:
        number = next(n for n, line in enumerate(lines, start=1) if len(line) > MAX_LINE)
        msg = Msg("intake.csv.line_too_long", {"limit": MAX_LINE})
        raise CgcError(Problem(render(lang, msg), shown, number, MAX_LINE + 1))
    found = _header(lines, materials.columns)
    if found is None:
        expected = ", ".join(c.label for c in materials.columns if c.required)
        raise CgcError(Problem(render(lang, Msg("intake.csv.no_header", {"expected": expected})), shown, 1, 1))
    head, delimiter = found
    a.decimal_comma = delimiter == ";"
    if sum(1 for line in lines[head + 1 :] if line.strip()) > MAX_LINES:
        raise CgcError(
            Problem(render(lang, Msg("intake.csv.too_many_lines", {"limit": MAX_LINES})), shown, head + 2, 1)
        )
    by_name = {n: c for c in project.columns for n in names(c)}
    for n, line in enumerate(lines[:head], start=1):
        cells = _split(line, delimiter)
        if not cells or not cells[0].strip() or cells[0].lstrip().startswith("#"):
            continue
        col = by_name.get(key(cells[0]))
        if col is None:
            a.report(
                Place(shown, line=n, column=1),
                Msg(
                    "intake.csv.unknown_field",
                    {"found": f'"{cells[0].strip()}"', "expected": ", ".join(c.label for c in project.columns)},
                ),
            )
            continue
        a.cell(a.data, col.path, col, cells[1] if len(cells) > 1 else None, Place(shown, line=n, column=2))
    if "project" not in a.data:
        required = ", ".join(c.label for c in project.columns if c.required)
        a.report(
            Place(shown, line=1, column=1),
            Msg("intake.csv.no_project", {"required": required, "example": f"projecttype{delimiter}wegen"}),
        )
        a.bad.add(("project",))
    labels = _split(lines[head], delimiter)
    if len(labels) > MAX_HEADER_CELLS:
        msg = Msg("intake.csv.header_too_wide", {"found": len(labels), "limit": MAX_HEADER_CELLS})
        raise CgcError(Problem(render(lang, msg), shown, head + 1, 1))
    table = a.table(materials, labels, head + 1, lambda n, i: Place(shown, line=n, column=i + 1))
    items: list[dict[str, Any]] = []
    for n, line in enumerate(lines[head + 1 :], start=head + 2):
        cells = _split(line, delimiter)
        if not any(c.strip() for c in cells):
            continue
        if [key(c) for c in cells if c.strip()] == [NONE_WORD]:
            continue
        items.append(a.line(table, n, cells))
    a.data["materials"] = items
    return a.validate(Submission), delimiter


def _decode(raw: bytes, shown: str, lang: str) -> tuple[str, str]:
    """The text of a CSV file and its encoding's name: UTF-8 (a BOM or not), else what Dutch Excel saves."""
    try:
        return raw.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError as exc:
        position = exc.start
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        text = "\x00"
    if "\x00" in text:  # no text file holds NUL: UTF-16, or not text at all
        raise CgcError(Problem(render(lang, Msg("intake.file.not_text", {"position": position})), shown))
    return text, "Windows-1252"


def read_csv(path: str | Path, lang: str = "nl") -> tuple[Submission, str, str, Msg]:
    """Read a CSV file: (submission, shown path, sha256 of its bytes, how it was read)."""
    p = Path(path)
    shown = display_path(p)
    try:
        with p.open("rb") as fh:
            raw = fh.read(MAX_BYTES + 1)  # never more than the limit, also from a device or a pipe
    except FileNotFoundError:
        raise CgcError(Problem(render(lang, Msg("intake.file.not_found")), shown)) from None
    except IsADirectoryError:
        raise CgcError(Problem("is a directory, expected a file", shown)) from None
    except OSError as exc:
        raise CgcError(Problem(f"cannot read file: {exc.strerror or exc}", shown)) from None
    if len(raw) > MAX_BYTES:
        raise CgcError(Problem(f"file is larger than {MAX_BYTES // (1024 * 1024)} MiB", shown))
    text, encoding = _decode(raw, shown, lang)
    submission, delimiter = read_csv_text(text, shown, lang)
    read_as = Msg("intake.csv.read_as", {"encoding": encoding, "separator": f'"{delimiter}"'})
    return submission, shown, hashlib.sha256(raw).hexdigest(), read_as
