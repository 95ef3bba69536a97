"""One error type for bad input: it names the file, the place in it and what is wrong."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol


class Locator(Protocol):
    """Finds line and column for every pending problem of one file, all in one pass over the file."""

    def resolve_pending(self) -> None: ...


class Problem:
    """One thing wrong with an input file, located as precisely as we can.

    A problem made by a parsed document may be *pending*: its line and column are looked up on first
    use, together with every other pending problem of that document, so locating n errors costs one
    pass over the file instead of n.
    """

    __slots__ = ("message", "file", "_line", "_column", "field", "locator")

    def __init__(
        self,
        message: str,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
        field: str | None = None,
        locator: Locator | None = None,
    ):
        self.message = message
        self.file = file
        self._line = line
        self._column = column
        self.field = field
        self.locator = locator

    def _resolve(self) -> None:
        if self.locator is not None:
            self.locator.resolve_pending()
            self.locator = None

    def place(self, line: int | None, column: int | None) -> None:
        """Set the position found by the locator."""
        self._line, self._column, self.locator = line, column, None

    @property
    def line(self) -> int | None:
        self._resolve()
        return self._line

    @property
    def column(self) -> int | None:
        self._resolve()
        return self._column

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Problem):
            return NotImplemented
        return (self.message, self.file, self.line, self.column, self.field) == (
            other.message,
            other.file,
            other.line,
            other.column,
            other.field,
        )

    def __hash__(self) -> int:
        return hash((self.message, self.file, self.field))

    def __repr__(self) -> str:
        return (
            f"Problem(message={self.message!r}, file={self.file!r}, line={self.line!r}, "
            f"column={self.column!r}, field={self.field!r})"
        )

    def __str__(self) -> str:
        where = self.file or "<input>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


class CgcError(Exception):
    """Bad input or usage; the CLI prints it without a traceback and exits with code 2."""

    def __init__(self, problems: Problem | list[Problem] | str):
        if isinstance(problems, str):
            problems = Problem(problems)
        self.problems = problems if isinstance(problems, list) else [problems]
        super().__init__("\n".join(str(p) for p in self.problems))


def display_path(path: str | Path) -> str:
    """The path as the user gave it (normalised, never resolved against the working directory).

    Reports record this, so the same file gives the same bytes whichever directory a command runs from.
    """
    return str(Path(path))
