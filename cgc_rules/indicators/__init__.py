"""Indicators by subject kind: `base` (Fact, Indicator), `project`, `municipality`, `corridor`.

Each kind's module holds its `INDICATORS`; a ruleset reads the indicators of its own kind through
`cgc_rules.kinds`. This package imports none of them, so that a command working on one kind does not
load the models the other kinds compute on.
"""

from __future__ import annotations

from .base import Fact, Indicator, subjects

__all__ = ["Fact", "Indicator", "subjects"]
