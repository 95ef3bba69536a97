"""Each measured project's MKI, kept as columns (`MkiValues`): at a million projects 20 bytes a project rather than
a dict each, and listed in JSON a batch at a time."""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

Key = tuple[int | None, str | None, str]
"""Year, region and project type of a project."""


class MkiValues:
    """The MKI and MKI level of projects in project order, each with its year, region and type."""

    __slots__ = ("_by_type", "_index", "at", "keys", "level", "value")

    def __init__(self) -> None:
        self.keys: list[Key] = []  # distinct (year, region, type)
        self._index: dict[Key, int] = {}
        self.at = array("i")  # per project: its position in `keys`
        self.value = array("d")
        self.level = array("d")  # NaN: no level
        self._by_type: dict[str, tuple[list[float], list[float]]] | None = None  # `by_type`, until a project is added

    @classmethod
    def of(cls, items: Iterable[Mapping[str, Any]]) -> MkiValues:
        """From records as JSON lists them (`year`, `region`, `project_type`, `value`, `level`)."""
        out = cls()
        for v in items:
            out.add((v["year"], v["region"], v["project_type"]), v["value"], v["level"])
        return out

    def add(self, key: Key, value: float, level: float | None) -> None:
        self._by_type = None
        at = self._index.get(key)
        if at is None:
            at = self._index[key] = len(self.keys)
            self.keys.append(key)
        self.at.append(at)
        self.value.append(value)
        self.level.append(math.nan if level is None else level)

    def __len__(self) -> int:
        return len(self.value)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        """Each project as JSON lists it."""
        for at, value, level in zip(self.at, self.value, self.level, strict=True):
            year, region, kind = self.keys[at]
            yield {
                "year": year,
                "region": region,
                "project_type": kind,
                "value": value,
                "level": None if math.isnan(level) else level,
            }

    def where(self, year: int, region: str | None) -> MkiValues:
        """The projects of one year and region."""
        out = MkiValues()
        for at, value, level in zip(self.at, self.value, self.level, strict=True):
            key = self.keys[at]
            if key[0] == year and key[1] == region:
                out.add(key, value, None if math.isnan(level) else level)
        return out

    def by_type(self) -> dict[str, tuple[list[float], list[float]]]:
        """Per project type, in type order: its projects' MKI (project order) and its distinct levels, sorted; kept
        (a page draws the chart and words it from the same)."""
        if self._by_type is None:
            self._by_type = self._types()
        return self._by_type

    def _types(self) -> dict[str, tuple[list[float], list[float]]]:
        values: dict[str, list[float]] = {}
        levels: dict[str, set[float]] = {}
        for at, value, level in zip(self.at, self.value, self.level, strict=True):
            kind = self.keys[at][2]
            values.setdefault(kind, []).append(value)
            if not math.isnan(level):
                levels.setdefault(kind, set()).add(level)
        return {kind: (values[kind], sorted(levels.get(kind, ()))) for kind in sorted(values)}
