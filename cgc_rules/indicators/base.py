"""What every indicator is: a `Fact` computed for one subject, and the `Indicator` that computes and explains it.

A fact keeps the numbers it was computed from (`terms`), so the explanation and the gap of an
outcome can be written later, in any language, without computing anything twice. An
indicator says how its value is derived (`describe`) and what would close a gap (`gap`) as
structured messages (`Msg`); the explanation writer renders them in the reader's language.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..i18n import Msg


@dataclass(slots=True)
class Fact:
    """An indicator's value for one subject; `value is None` means the data is missing."""

    value: Any
    terms: dict[str, Any] = field(default_factory=dict)
    missing: str | None = None  # which input is absent, when value is None


Describe = Callable[[Fact], Msg | None]
Gap = Callable[[Fact, float, str], Msg | None]
Warn = Callable[[Any], tuple[str, tuple[Any, ...]] | None]


@dataclass(frozen=True)
class Indicator:
    """How one indicator is computed and explained."""

    key: str
    subject: str  # the subject kind itself ("project") or the name of a list in it, e.g. "equipment"
    compute: Callable[[Any], Fact]
    unit: str | None = None
    kind: str = "number"  # number | bool | ordinal | category | date
    scale: tuple[str, ...] = ()  # ordinal order, worst first
    derivation: Describe | None = None
    gap_to_pass: Gap | None = None
    empty_list_applies: bool = True  # False: an empty `requires` list makes the rule not applicable
    requires: str | None = None  # the submission list a project-level indicator sums over
    warn: Warn | None = None  # a plausibility note on the input, never a fail
    root: str = "project"  # the subject kind whose model holds this value (a `kinds` entry)

    @property
    def label(self) -> Msg:
        """The indicator's name for a reader: its message `indicators.label.<key>` in the catalogues."""
        return Msg(f"indicators.label.{self.key}")

    def rank(self, value: Any) -> Any:
        """Position of a value on the ordinal scale; plain value otherwise."""
        return self.scale.index(value) if self.scale and value in self.scale else value

    def describe(self, fact: Fact) -> Msg | None:
        """How the fact's value was derived, as a message; None when there is nothing to say."""
        return self.derivation(fact) if self.derivation is not None else None

    def gap(self, fact: Fact, threshold: float, comparator: str) -> Msg | None:
        """What would make a failing value pass, in the indicator's own terms; None: use the generic gap."""
        return self.gap_to_pass(fact, threshold, comparator) if self.gap_to_pass is not None else None


def index(indicators: Iterable[Indicator]) -> dict[str, Indicator]:
    """Indicators by key; a key defined twice is a defect."""
    out: dict[str, Indicator] = {}
    for ind in indicators:
        if ind.key in out:
            raise ValueError(f"indicator {ind.key!r} defined twice")
        out[ind.key] = ind
    return out


def given(path: str) -> Describe:
    """The derivation of a value read as given from one field of the input."""
    msg = Msg("indicators.given", {"path": path})
    return lambda fact: msg


def attr(
    name: str, wrap: Callable[[Any], Any] = lambda v: v, missing: Callable[[Any], str] | None = None
) -> Callable[[Any], Fact]:
    """An indicator computed by reading one attribute of its subject; absent means missing data."""

    def compute(item: Any) -> Fact:
        v = getattr(item, name)
        return Fact(
            None if v is None else wrap(v), missing=None if v is not None else (missing(item) if missing else name)
        )

    return compute


def subjects(root: Any, subject: str) -> Iterable[tuple[str, Any]]:
    """(name, object) of every subject of one kind in a submission or municipality assessment."""
    if subject == root.subject_kind:
        return ((root.subject_id, root),)
    items = getattr(root, subject) or ()
    return ((item.name, item) for item in items)
