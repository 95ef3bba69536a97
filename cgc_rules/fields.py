"""Field types of every input model: numbers within bounds, names of a sane length, compact frozen models."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, Field

MAX_NUMBER = 1e15
"""Largest magnitude of any number read: sums over a million lines stay far from overflow."""


MIN_NUMBER = 1e-9
"""Smallest magnitude of a number other than 0: tinier ones (1e-320) break the rules engine's JSON and mean nothing."""


def _within_limit(value: float) -> float:
    if abs(value) > MAX_NUMBER:
        raise ValueError(f"number is larger than the limit of {MAX_NUMBER:g}")
    if value and abs(value) < MIN_NUMBER:
        raise ValueError(f"number is closer to 0 than {MIN_NUMBER:g}; write 0 or a meaningful amount")
    return value


Bounded = AfterValidator(_within_limit)  # a validator, not `le`: templates that list bounds stay as they were
Finite = Annotated[float, Field(allow_inf_nan=False), Bounded]
NonNegative = Annotated[float, Field(ge=0, allow_inf_nan=False), Bounded]
Positive = Annotated[float, Field(gt=0, allow_inf_nan=False), Bounded]
StrictFinite = Annotated[float, Field(strict=True, allow_inf_nan=False), Bounded]
"""A number written as a number: `"12"` is refused, not read as 12."""
MAX_PARAMETER = 1e6
"""Largest value of a numeric rules-of-play parameter (km, weeks, days): far above any real one."""
Name = Annotated[str, Field(min_length=1, max_length=200)]
"""A name shown in tables, documents and file names: short enough for every one of them."""

_FIELD_SETS: dict[frozenset[str], set[str]] = {}
_set_fields_set = BaseModel.__pydantic_fields_set__.__set__  # type: ignore[attr-defined]  # the slot's setter


def _shared(given: set[str]) -> set[str]:
    return _FIELD_SETS.setdefault(frozenset(given), given)


class CompactModel(BaseModel):
    """A frozen model whose instances share one fields-set object per distinct set of given fields.

    pydantic keeps a fresh set per instance (216 bytes, about half a small model); a submission with a
    million material lines saves 200 MB. Only for frozen models: nothing mutates the shared set.
    """

    def model_post_init(self, context: Any, /) -> None:
        given = self.__pydantic_fields_set__
        shared = _shared(given)
        if shared is not given:
            _set_fields_set(self, shared)


def share_fields_sets(items: Iterable[BaseModel]) -> None:
    """What `CompactModel` does per instance, in one pass over a long list of frozen models (no hook per line).

    Consecutive lines mostly give the same fields, so an equality test against the last shared set is
    the common case; a new set of given fields is looked up once.
    """
    last: set[str] = set()
    for item in items:
        given = item.__pydantic_fields_set__
        if given is last:
            continue
        if given != last:
            last = _shared(given)
            if last is given:
                continue
        _set_fields_set(item, last)
