"""The fixed set of comparators a ruleset may use, compiled to plain Python predicates."""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

from .ruleset import Comparator

PRECISION = 9  # compare as a person would: 0.62 * 100 is 62, not 62.00000000000001

_NUMERIC: dict[Comparator, Callable[[Any, Any], bool]] = {
    Comparator.ge: operator.ge,
    Comparator.le: operator.le,
    Comparator.gt: operator.gt,
    Comparator.lt: operator.lt,
    Comparator.eq: operator.eq,
    Comparator.ne: operator.ne,
}

SYMBOL = {
    Comparator.ge: "≥",
    Comparator.le: "≤",
    Comparator.gt: ">",
    Comparator.lt: "<",
    Comparator.eq: "=",
    Comparator.ne: "≠",
    Comparator.in_: "∈",
    Comparator.not_in: "∉",
}


def _norm(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, PRECISION)
    return value


def predicate(comparator: Comparator, rank: Callable[[Any], Any] | None = None) -> Callable[[Any, Any], bool]:
    """A function (value, reference) -> bool for one comparator.

    `rank` maps ordinal values (emission classes) to their position before comparing.
    """
    if comparator is Comparator.in_:
        return lambda value, ref: value in ref
    if comparator is Comparator.not_in:
        return lambda value, ref: value not in ref
    op = _NUMERIC[comparator]
    if rank is not None:
        return lambda value, ref: op(rank(value), rank(ref))
    return lambda value, ref: op(_norm(value), _norm(ref))
