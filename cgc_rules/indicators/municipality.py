"""Indicators of a municipality self-assessment: GMR profile answers, spinnenweb scores, growth-model steps."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..i18n import Msg
from ..municipality import CORRIDOR_ELEMENTS, MunicipalityAssessment
from .base import Fact, Indicator, attr, given, index

# growth-model questions per element, lowest step first (Pionier, Proces, Systeem, Netwerk)
STEPS = ("shared_vision", "process_agreements", "shared_system", "value_chain_network")


def _answer(group: str, name: str) -> Callable[[MunicipalityAssessment], Fact]:
    def compute(m: MunicipalityAssessment) -> Fact:
        holder = m.gmr if group == "gmr" else m.gmr.spinnenweb
        v = getattr(holder, name)
        return Fact(v, missing=None if v is not None else f"{group}.{name}")

    return compute


def _elements_assessed(m: MunicipalityAssessment) -> Fact:
    if m.elements is None:
        return Fact(None, missing="elements")
    done = {e.name for e in m.elements}
    return Fact(len(done), {"missing": [e for e in CORRIDOR_ELEMENTS if e not in done]})


def _describe_assessed(f: Fact) -> Msg:
    missing = f.terms["missing"]
    return Msg("indicators.elements.missing", {"missing": missing}) if missing else Msg("indicators.elements.all")


def _step(name: str) -> Callable[[Any], Fact]:
    return attr(name, missing=lambda e: f"elements[{e.name}].{name}")


def _step_above_gap(index_: int) -> Callable[[Any], tuple[str, tuple[Any, ...]] | None]:
    """Note a yes on a higher step while a lower step is not yes: the yes cannot count yet."""

    def warn(e: Any) -> tuple[str, tuple[Any, ...]] | None:
        if getattr(e, STEPS[index_]) is not True:
            return None
        lower = tuple(s for s in STEPS[:index_] if getattr(e, s) is not True)
        return ("step_above_gap", lower) if lower else None

    return warn


_GMR = ("capacity_and_knowledge", "tenders_circularly", "measures_circularity")
_AXES = ("policy_staff", "executing_staff", "capacity_and_money", "circular_knowledge")

INDICATORS: dict[str, Indicator] = index(
    [
        *(
            Indicator(
                f"municipality.{key}",
                "municipality",
                _answer("gmr", key),
                kind="bool",
                derivation=given(f"gmr.{key}"),
                root="municipality",
            )
            for key in _GMR
        ),
        *(
            Indicator(
                f"municipality.spinnenweb.{key}",
                "municipality",
                _answer("spinnenweb", key),
                derivation=given(f"gmr.spinnenweb.{key}"),
                root="municipality",
            )
            for key in _AXES
        ),
        Indicator(
            "municipality.elements_assessed",
            "municipality",
            _elements_assessed,
            unit="count",
            derivation=_describe_assessed,
            root="municipality",
        ),
        *(
            Indicator(
                f"elements.{key}",
                "elements",
                _step(key),
                kind="bool",
                derivation=given(f"elements[].{key}"),
                warn=_step_above_gap(i),
                root="municipality",
            )
            for i, key in enumerate(STEPS)
        ),
    ]
)
