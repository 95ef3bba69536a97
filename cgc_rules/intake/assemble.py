"""Build a submission from cells, keeping each field's cell so every error names sheet, row and column.

A reader (XLSX form, CSV list) puts cells in through `Assembly.cell`; cells that cannot be read are
reported at once, and the rest is validated by the pydantic model, whose errors are mapped back to
the cells they came from. All problems of a file are raised together.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from ..errors import CgcError, Problem
from ..i18n import Msg, render
from ..submission import Submission
from . import cells
from .layout import Column, set_path

Loc = tuple[str | int, ...]
MODEL_MESSAGES = {
    "composition_sum": "intake.model.composition_sum",  # the model's own checks, in the form's words
    "origin_or_composition": "intake.model.origin_or_composition",
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
class Assembly:
    """The submission being built, where each of its fields came from, and what was wrong."""

    file: str
    lang: str
    data: dict = field(default_factory=dict)
    places: dict[Loc, tuple[Place, str]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    bad: set[Loc] = field(default_factory=set)

    def report(self, place: Place, msg: Msg) -> None:
        self.problems.append(place.problem(render(self.lang, msg)))

    def cell(self, target: dict, loc: Loc, col: Column, raw: Any, place: Place) -> None:
        """Read `raw` for `col` into `target` (the root or a line); `loc` is the field's path from the root."""
        for i in range(len(loc), 0, -1):
            self.places.setdefault(loc[:i], (place, col.name))
        try:
            value = cells.read(raw, col)
        except cells.CellError as exc:
            self.report(place, exc.msg)
            self.bad.add(loc)
            return
        if value is not None:
            set_path(target, col.path, value)

    def _place_of(self, loc: Loc) -> tuple[Place | None, str]:
        """The cell of the deepest part of `loc` that came from the file, and its field's name."""
        for i in range(len(loc), 0, -1):
            if loc[:i] in self.places:
                return self.places[loc[:i]]
        return None, ".".join(str(p) for p in loc)

    def submission(self) -> Submission:
        """Validate what was read; raise every problem of the file, cell errors and model errors alike."""
        try:
            result = Submission.model_validate(self.data)
        except ValidationError as exc:
            result = None
            for err in exc.errors(include_url=False):
                loc = tuple(
                    p for p in err["loc"] if not (isinstance(p, str) and (p.startswith("function-") or "[" in p))
                )
                place, name = self._place_of(loc)
                if any(b[: len(loc)] == loc or loc[: len(b)] == b for b in self.bad):
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
