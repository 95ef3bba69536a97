"""Which submission fields a rule reads, found by running its indicator on recording samples.

No list is kept by hand: each indicator is computed on a complete sample and on a bare one through
a proxy that records every field it touches, so the form's instructions follow the indicator code.
"""

from __future__ import annotations

import contextlib
import inspect
from datetime import date
from functools import cache
from typing import Any

from pydantic import BaseModel

from ..indicators.project import INDICATORS
from ..ruleset import Rule
from ..submission import Submission

ITEM = "[]"
_FULL: dict[str, Any] = {
    "project": {
        "id": "p",
        "name": "p",
        "municipality": "m",
        "type": "wegen",
        "tender_date": date(2026, 3, 1),
        "area_m2": 1.0,
        "bvo_m2": 1.0,
        "lifetime_years": 1.0,
    },
    "materials": [
        {"name": "a", "code": "c", "mass_t": 1.0, "origin": "primair", "renewable": True},
        {"name": "b", "mass_t": 1.0, "composition": {"primair": 50, "gerecycled": 50}},
    ],
    "impact": {"mki_eur_total": 1.0, "mpg": 1.0, "co2_kg_per_fu": 1.0},
    "demolition": [{"name": "a", "mass_t": 1.0, "destination": "stort", "justification": "j"}],
    "equipment": [{"name": "a", "power_kw": 1.0, "emission_class": "stage-v", "year": 2020}],
    "transport": [
        {
            "name": "a",
            "vehicle_class": "N3",
            "zero_emission": False,
            "category": "vrachtauto",
            "euro_class": 6,
            "first_registration": date(2020, 1, 1),
            "enters_ze_zone": True,
            "used_until": date(2030, 1, 1),
        }
    ],
    "hnn_indicators": ["mki"],
    "inventory": {"published_on": date(2026, 1, 1), "demolition_start": date(2026, 6, 1)},
    "declarations": {"seb_compliant": True, "material_passports": True},
}
_BARE = {"project": _FULL["project"] | {"tender_date": None, "area_m2": None, "bvo_m2": None, "lifetime_years": None}}


class _Recorder:
    """Stands in for a model and records the path of every field read through it."""

    def __init__(self, obj: BaseModel, path: tuple[str, ...], seen: set[tuple[str, ...]]):
        object.__setattr__(self, "_obj", obj)
        object.__setattr__(self, "_path", path)
        object.__setattr__(self, "_seen", seen)

    def __getattr__(self, name: str) -> Any:
        obj = self._obj
        if name in type(obj).model_fields:
            path = (*self._path, name)
            self._seen.add(path)
            return _wrap(getattr(obj, name), path, self._seen)
        attr = inspect.getattr_static(type(obj), name, None)
        if isinstance(attr, property) and attr.fget is not None:
            return attr.fget(self)
        if inspect.isfunction(attr):  # a helper such as mass_by_origin: let it read through the recorder
            return attr.__get__(self)
        return getattr(obj, name)


def _wrap(value: Any, path: tuple[str, ...], seen: set[tuple[str, ...]]) -> Any:
    if isinstance(value, BaseModel):
        return _Recorder(value, path, seen)
    if isinstance(value, list):
        return [_wrap(v, (*path, ITEM), seen) for v in value]
    return value


@cache
def indicator_reads(key: str) -> frozenset[tuple[str, ...]]:
    """Paths (`("materials", "[]", "mass_t")`) the indicator `key` reads, on a full and on a bare submission."""
    indicator = INDICATORS[key]
    seen: set[tuple[str, ...]] = set()
    for sample in (_FULL, _BARE):
        s = Submission.model_validate(sample)
        if indicator.subject == "project":
            targets = [_Recorder(s, (), seen)]
        else:
            targets = [_Recorder(item, (indicator.subject, ITEM), seen) for item in getattr(s, indicator.subject) or ()]
        for target in targets:
            with contextlib.suppress(ArithmeticError, TypeError, ValueError):  # a bare sample may trip; reads count
                indicator.compute(target)
    return frozenset(seen)


def rule_reads(rule: Rule) -> list[tuple[str, ...]]:
    """Leaf paths a rule reads through its indicator and its conditions, in a stable order."""
    keys = [rule.indicator, *(c.indicator for c in rule.applies_when.conditions)]
    paths = set().union(*(indicator_reads(k) for k in keys if k in INDICATORS))
    leaves = {p for p in paths if not any(q != p and q[: len(p)] == p for q in paths)}
    return sorted(leaves)
