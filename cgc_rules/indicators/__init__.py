"""Indicators by subject kind: `base` (Fact, Indicator), `project`, `municipality`, `corridor`.

`INDICATORS` holds the project and municipality indicators, whose keys never collide; a
ruleset reads the indicators of its own kind through `cgc_rules.kinds`.
"""

from __future__ import annotations

from .base import Fact, Indicator, subjects
from .municipality import INDICATORS as MUNICIPALITY
from .project import INDICATORS as PROJECT

INDICATORS: dict[str, Indicator] = {**PROJECT, **MUNICIPALITY}


__all__ = ["INDICATORS", "Fact", "Indicator", "subjects"]
