"""Reading a material list from CSV, the way bidders export one from their own systems.

The file is UTF-8 (with or without BOM), separated by `;` or `,`. It may start with project lines
(`projecttype;wegen`), then a blank line, then a header row of material columns with the form's
labels (`materiaal;code;massa (t);herkomst;…`) or the model's names (`name;mass_t;origin;…`), one
row per material line. Errors name the file's line and column.
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path
from typing import Any

from ..errors import CgcError, Problem, display_path
from ..i18n import Msg, render
from ..submission import Submission
from .assemble import Assembly, Place
from .columns import MAX_HEADER_CELLS, repeated
from .layout import NONE_WORD, Column, sheet

MAX_BYTES = 64 * 1024 * 1024
MAX_LINE = 100_000
"""Longest line in characters, as the longest text value in YAML; below the csv module's own field limit."""
MAX_LINES = 500_000
"""Most material lines in one CSV list: about 5 s to read here, and some 930 bytes of memory a line."""
HEADER_WITHIN = 1_000
"""The header row is looked for in this many lines: a file without one is not searched to its end."""


def _names(col: Column) -> set[str]:
    return {col.label.lower(), ".".join(col.path).lower()}


def _split(line: str, delimiter: str) -> list[str]:
    return next(csv.reader([line], delimiter=delimiter), [])


def _header(lines: list[str], columns: tuple[Column, ...]) -> tuple[int, str] | None:
    """Index of the header row and its delimiter: the first row naming a material column, among the first
    HEADER_WITHIN lines (the project lines above it are a few dozen at most)."""
    known = set().union(*(_names(c) for c in columns))
    for i, line in enumerate(lines[:HEADER_WITHIN]):
        best = max((";", ","), key=lambda d: sum(c.strip().lower() in known for c in _split(line, d)))
        if any(c.strip().lower() in known for c in _split(line, best)):
            return i, best
    return None


def read_csv_text(text: str, shown: str, lang: str = "nl") -> Submission:
    """The submission in a CSV material list; all errors at once."""
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
    if sum(1 for line in lines[head + 1 :] if line.strip()) > MAX_LINES:
        raise CgcError(
            Problem(render(lang, Msg("intake.csv.too_many_lines", {"limit": MAX_LINES})), shown, head + 2, 1)
        )
    by_name = {n: c for c in project.columns for n in _names(c)}
    for n, line in enumerate(lines[:head], start=1):
        cells = _split(line, delimiter)
        if not cells or not cells[0].strip() or cells[0].lstrip().startswith("#"):
            continue
        col = by_name.get(cells[0].strip().lower())
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
    by_name = {n: c for c in materials.columns for n in _names(c)}
    columns: dict[int, Column] = {}
    labels = _split(lines[head], delimiter)
    if len(labels) > MAX_HEADER_CELLS:
        msg = Msg("intake.csv.header_too_wide", {"found": len(labels), "limit": MAX_HEADER_CELLS})
        raise CgcError(Problem(render(lang, msg), shown, head + 1, 1))
    for i, label in enumerate(labels):
        if not label.strip():
            continue
        col = by_name.get(label.strip().lower())
        if col is None:
            a.report(
                Place(shown, line=head + 1, column=i + 1),
                Msg(
                    "intake.csv.unknown_column",
                    {"found": f'"{label.strip()}"', "expected": ", ".join(c.label for c in materials.columns)},
                ),
            )
        else:
            columns[i] = col
    for i, first in repeated(columns).items():
        msg = Msg("intake.csv.repeated_column", {"found": f'"{labels[i].strip()}"', "first": first + 1})
        a.report(Place(shown, line=head + 1, column=i + 1), msg)
        del columns[i]
    items: list[dict[str, Any]] = []
    table = a.table("materials", columns, lambda line, column: Place(shown, line=line, column=column + 1))
    for n, line in enumerate(lines[head + 1 :], start=head + 2):
        cells = _split(line, delimiter)
        if not any(c.strip() for c in cells):
            continue
        if [c.strip().lower() for c in cells if c.strip()] == [NONE_WORD]:
            continue
        item: dict[str, Any] = {}
        table.rows.append(n)
        for i, col in columns.items():
            a.line_cell(table, item, col, i, cells[i] if i < len(cells) else None)
        items.append(item)
    a.data["materials"] = items
    return a.submission()


def read_csv(path: str | Path, lang: str = "nl") -> tuple[Submission, str, str]:
    """Read a CSV file: (submission, shown path, sha256 of its bytes)."""
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
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CgcError(Problem(render(lang, Msg("intake.file.not_utf8", {"position": exc.start})), shown)) from None
    return read_csv_text(text, shown, lang), shown, hashlib.sha256(raw).hexdigest()
