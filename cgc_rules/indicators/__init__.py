"""Indicators by subject kind: `base` (Fact, Indicator), `project`, `municipality`, `corridor`.

`INDICATORS` holds the project and municipality indicators, whose keys never collide; a
ruleset reads the indicators of its own kind through `cgc_rules.kinds`.
"""

from __future__ import annotations

from typing import Any

from ..numbers import Notation
from ..units import show as _show
from .base import Fact, Indicator, subjects
from .municipality import INDICATORS as MUNICIPALITY
from .project import INDICATORS as PROJECT

INDICATORS: dict[str, Indicator] = {**PROJECT, **MUNICIPALITY}


def show(value: Any, unit: str | None, n: Notation) -> str:
    """`cgc_rules.units.show` for callers that hold a `Notation`."""
    return _show(value, unit, n.lang)


__all__ = ["INDICATORS", "Fact", "Indicator", "show", "subjects"]
