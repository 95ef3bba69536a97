"""The monitoring figures as one result (`Figures`) and the renderer functions the format registry names for it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import tables

if TYPE_CHECKING:
    from rich.console import Console


@dataclass(frozen=True)
class Figures:
    """The monitoring figures over the store (`monitor.run.from_store`) and the language tables are worded in."""

    data: dict[str, Any]
    lang: str


def print_table(f: Figures, console: Console) -> None:
    tables.print_table(f.data, console, f.lang)


def to_json(f: Figures) -> Iterator[str]:
    return tables.to_json(f.data)


def to_csv(f: Figures) -> str:
    return tables.to_csv(f.data)


def to_xlsx(f: Figures) -> bytes:
    return tables.to_xlsx(f.data)
