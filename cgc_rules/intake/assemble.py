"""Build a submission from cells, keeping each field's cell so every error names sheet, row and column.

A reader (XLSX form, CSV list) puts cells in through `Assembly.cell`; cells that cannot be read are
reported at once, and the rest is validated by the pydantic model (a submission, or what a bid adds), whose
errors are mapped back to
the cells they came from. All problems of a file are raised together.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import CgcError, Problem
from ..i18n import Msg, render
from . import cells
from .columns import repeated
from .layout import Column, Sheet, set_path, sheets

Loc = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)
MODEL_MESSAGES = {
    "composition_sum": "intake.model.composition_sum",  # the model's own checks, in the form's words
    "origin_or_composition": "intake.model.origin_or_composition",
    "corridor_line_reused": "intake.model.corridor_line_reused",
    "judged_items": "intake.model.judged_items",
}


@dataclass(frozen=True)
class Place:
    """Where a field sits in the file: `ref` is `materialen!C14` or `line:column` (CSV)."""

    file: str
    ref: str | None = None
    line: int | None = None
    column: int | None = None

    def problem(self, message: str) -> Problem:
        return Problem(message, self.file, self.line, self.column, self.ref)


@dataclass
class Table:
    """Where the lines of one list field came from, kept as numbers: a Place is made only for a problem.

    `rows` holds each line's row (XLSX) or line (CSV); `columns` maps a field's path within a line (and each
    of its parents) to its 0-based column and its name; `place` turns a row and a column into a Place.
    """

    list_field: str
    place: Callable[[int, int], Place]
    columns: dict[tuple[str, ...], tuple[int, str]]
    read: dict[int, Column]  # the header's columns by index, to read each line's cells
    absent: frozenset[tuple[str, ...]]  # paths of the columns the header lacks: reported once, with the header
    changed: bool  # the header was reported: what a line lacks follows from it
    rows: list[int] = field(default_factory=list)

    def place_of(self, loc: Loc) -> tuple[Place, str] | None:
        """The cell of `loc` (`(list_field, index, *path)`), or of the line's first column for the line itself."""
        if len(loc) < 2 or not isinstance(loc[1], int) or not 0 <= loc[1] < len(self.rows) or not self.columns:
            return None
        for i in range(len(loc), 2, -1):
            if (found := self.columns.get(tuple(str(p) for p in loc[2:i]))) is not None:
                return self.place(self.rows[loc[1]], found[0]), found[1]
        column, name = next(iter(self.columns.values()))
        return self.place(self.rows[loc[1]], column), name


def names(col: Column) -> set[str]:
    """What a header may call a column: the form's label or the model's path (`massa (t)`, `mass_t`)."""
    return {key(col.label), key(".".join(col.path))}


def key(label: Any) -> str:
    """A header or label as compared: case and runs of spaces do not count."""
    return " ".join(str(label).split()).lower()


def form_name(loc: Loc) -> Msg:
    """A model location in the form's words (`materialen, regel 20: massa`), never a model path."""
    for s in sheets():
        if s.is_table and loc and loc[0] == s.list_field:
            rest = tuple(str(p) for p in loc[2:])
            col = next((c for c in s.columns if rest and c.path[: len(rest)] == rest), None)
            if len(loc) > 1 and isinstance(loc[1], int):
                return Msg(
                    "intake.place.line", {"sheet": s.title, "line": loc[1] + 1, "field": col.name if col else ""}
                )
            return Msg("intake.place.sheet", {"sheet": s.title})
        col = next((c for c in s.columns if c.path[: len(loc)] == tuple(str(p) for p in loc)), None)
        if col is not None:
            return Msg("intake.place.field", {"sheet": s.title, "field": col.name})
    return Msg("intake.place.sheet", {"sheet": str(loc[0]) if loc else ""})


@dataclass
class Assembly:
    """The submission being built, where each of its fields came from, and what was wrong."""

    file: str
    lang: str
    data: dict[str, Any] = field(default_factory=dict)
    places: dict[Loc, tuple[Place, str]] = field(default_factory=dict)
    tables: dict[str, Table] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    bad: set[Loc] = field(default_factory=set)
    decimal_comma: bool = False

    def report(self, place: Place, msg: Msg) -> None:
        self.problems.append(place.problem(render(self.lang, msg)))

    def report_at(self, loc: Loc, msg: Msg) -> None:
        """Report `msg` at the cell the field `loc` was read from (the file, when it was not read)."""
        place, _ = self._place_of(loc)
        self.report(place or Place(self.file), msg)

    def cell(self, target: dict[str, Any], loc: Loc, col: Column, raw: Any, place: Place) -> None:
        """Read `raw` for `col` into `target` (the root or a line); `loc` is the field's path from the root."""
        for i in range(len(loc), 0, -1):
            self.places.setdefault(loc[:i], (place, col.name))
        try:
            value = cells.read(raw, col, self.decimal_comma)
        except cells.CellError as exc:
            self.report(place, exc.msg)
            self.bad.add(loc)
            return
        if value is not None:
            set_path(target, col.path, value)

    def table(self, sheet: Sheet, labels: list[Any], header_row: int, place: Callable[[int, int], Place]) -> Table:
        """Start reading the lines of a table sheet under the header row `labels` (row or line `header_row`).

        Each changed header cell is reported once.
        A header cell that names no column is reported with the column it replaced when that is clear (the
        form's column at its place is missing); a required column the header lacks is reported
        once for the header, not once for every line below it. Below a changed header, what the model finds
        missing in a line follows from the header and is not reported again.
        """
        assert sheet.list_field is not None
        by_name = {n: c for c in sheet.columns for n in names(c)}
        columns: dict[int, Column] = {}
        unknown: list[tuple[int, Any]] = []
        for i, label in enumerate(labels):
            if cells.is_blank(label):
                continue
            col = by_name.get(key(label))
            if col is None:
                unknown.append((i, label))
            else:
                columns[i] = col
        for i, first in repeated(columns).items():  # the last copy would win: refused, so what is shown is read
            found, earlier = str(labels[i]).strip(), place(header_row, first)
            msg = (
                Msg("intake.form.repeated_column", {"found": found, "first": earlier.ref})
                if earlier.ref
                else Msg("intake.csv.repeated_column", {"found": f'"{found}"', "first": first + 1})
            )
            self.report(place(header_row, i), msg)
            del columns[i]
        lacking = [c for c in sheet.columns if c not in columns.values()]
        changed = False
        for i, label in unknown:
            at = sheet.columns[i] if i < len(sheet.columns) else None
            meant = at if at in lacking else None
            fields = {"found": f'"{str(label).strip()}"'}
            if meant is not None:
                lacking.remove(meant)
                changed = True
                msg = Msg("intake.header.renamed", {**fields, "expected": f'"{meant.label}"'})
            else:
                msg = Msg("intake.header.unknown", {**fields, "expected": ", ".join(c.label for c in sheet.columns)})
            self.report(place(header_row, i), msg)
        for col in lacking:
            if col.required:
                changed = True
                self.report(
                    place(header_row, min(columns, default=0)),
                    Msg("intake.header.missing", {"column": f'"{col.label}"'}),
                )
        paths: dict[tuple[str, ...], tuple[int, str]] = {}
        for i, col in columns.items():  # a field's path and its parents (a composition), each at its first column
            for k in range(len(col.path), 0, -1):
                paths.setdefault(tuple(col.path[:k]), (i, col.name))
        absent = frozenset(c.path for c in sheet.columns if c not in columns.values())
        table = Table(sheet.list_field, place, paths, columns, absent, changed)
        self.tables[sheet.list_field] = table
        return table

    def line(self, table: Table, row: int, values: tuple[Any, ...] | list[Any]) -> dict[str, Any]:
        """Read one line of `table` from its row (or CSV line) number `row` and the cells in it."""
        item: dict[str, Any] = {}
        table.rows.append(row)
        for i, col in table.read.items():
            self._line_cell(table, item, col, i, values[i] if i < len(values) else None)
        return item

    def _line_cell(self, table: Table, item: dict[str, Any], col: Column, column: int, raw: Any) -> None:
        """Read `raw` for `col` into the line `item`, the last one begun in `table`."""
        try:
            value = cells.read(raw, col, self.decimal_comma)
        except cells.CellError as exc:
            self.report(table.place(table.rows[-1], column), exc.msg)
            self.bad.add((table.list_field, len(table.rows) - 1, *col.path))
            return
        if value is not None:
            set_path(item, col.path, value)

    def _place_of(self, loc: Loc) -> tuple[Place | None, str]:
        """The cell of the deepest part of `loc` that came from the file, and its field's name."""
        table = self.tables.get(loc[0]) if loc and isinstance(loc[0], str) else None
        if table is not None:
            found = table.place_of(loc if len(loc) > 1 else (*loc, 0))
            if found is not None:
                return found
        for i in range(len(loc), 0, -1):
            if loc[:i] in self.places:
                return self.places[loc[:i]]
        return None, render(self.lang, form_name(loc))

    def _follows_from_bad(self, loc: Loc, below_bad: set[Loc]) -> bool:
        """Whether `loc` lies within, or contains, a cell already reported, or a column the header lacks."""
        table = self.tables.get(loc[0]) if len(loc) > 1 and isinstance(loc[0], str) else None
        if table is not None and (
            table.changed or any(tuple(map(str, loc[2:i])) in table.absent for i in range(3, len(loc) + 1))
        ):
            return True
        return loc in below_bad or any(loc[:i] in self.bad for i in range(1, len(loc) + 1))

    def validate(self, model: type[M]) -> M:
        """Validate what was read as `model`; raise every problem of the file, cell errors and model errors alike."""
        try:
            result = model.model_validate(self.data)
        except ValidationError as exc:
            result = None
            below_bad = {b[:i] for b in self.bad for i in range(1, len(b))}
            for err in exc.errors(include_url=False):
                loc = tuple(
                    p for p in err["loc"] if not (isinstance(p, str) and (p.startswith("function-") or "[" in p))
                )
                place, name = self._place_of(loc)
                if self._follows_from_bad(loc, below_bad):
                    continue  # follows from a cell already reported
                if err["type"] == "missing":
                    msg = Msg("intake.cell.required", {"field": name})
                elif err["type"] in MODEL_MESSAGES:
                    msg = Msg(MODEL_MESSAGES[err["type"]], {"field": name, **err.get("ctx", {})})
                else:
                    msg = Msg(
                        "intake.cell.invalid", {"field": name, "message": err["msg"].removeprefix("Value error, ")}
                    )
                self.report(place or Place(self.file), msg)
        if self.problems:
            raise CgcError(self.problems)
        assert result is not None
        return result
