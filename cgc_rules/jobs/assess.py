"""The assess job: a municipality's self-assessment against the municipality rulesets, optionally recorded.

`cgc assess` reads the self-assessment from a file, the web's Zelfevaluatie from its form's answers;
both end in `Assessment`, built by the subject kind `municipality` (`cgc_rules.kinds`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from .. import kinds
from ..assess import run
from ..errors import CgcError, Problem
from ..municipality import (
    CORRIDOR_ELEMENTS,
    SCORE_MAX,
    SCORE_MIN,
    ElementAssessment,
    GmrAnswers,
    LoadedAssessment,
    MunicipalityAssessment,
    Spinnenweb,
)
from ..registry import Registry
from ..report.build import Evaluated, Report
from ..ruleset import Kind

if TYPE_CHECKING:
    from ..store.store import Added
    from .evaluate import Sink

GMR_QUESTIONS = ("capacity_and_knowledge", "tenders_circularly", "measures_circularity")
ELEMENT_QUESTIONS = ("shared_vision", "process_agreements", "shared_system", "value_chain_network")
AXES = ("policy_staff", "executing_staff", "capacity_and_money", "circular_knowledge")


@dataclass(frozen=True)
class Questions:
    """The self-assessment's questions as the model describes them (field name, description)."""

    gmr: tuple[tuple[str, str], ...]
    axes: tuple[tuple[str, str], ...]
    elements: tuple[str, ...]
    element_questions: tuple[tuple[str, str], ...]
    score_min: int = SCORE_MIN
    score_max: int = SCORE_MAX


def _described(model: type[Any], names: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((n, model.model_fields[n].description or n) for n in names)


def questions() -> Questions:
    """What a form asks: the GMR questions, the spinnenweb axes, the questions per corridor element."""
    return Questions(
        _described(GmrAnswers, GMR_QUESTIONS),
        _described(Spinnenweb, AXES),
        CORRIDOR_ELEMENTS,
        _described(ElementAssessment, ELEMENT_QUESTIONS),
    )


class InvalidAnswers(CgcError):
    """Answers that do not make a valid self-assessment (the first problem is the one to show)."""


@dataclass(frozen=True)
class Assessment:
    """The self-assessment as read, the report every output format shows and the evaluations behind it."""

    loaded: LoadedAssessment
    report: Report
    runs: tuple[Evaluated, ...]

    @property
    def compliant(self) -> bool:
        return self.report.compliant


def _assess(
    loaded: LoadedAssessment, registry: Registry, refs: tuple[str, ...], as_of: date | None, lang: str
) -> Assessment:
    runs = run(loaded, registry, refs, as_of)
    report: Report = kinds.get(Kind.municipality).build_report(loaded, runs, lang, as_of)
    return Assessment(loaded, report, tuple(runs))


def assess(
    path: Path, registry: Registry, refs: tuple[str, ...] = (), as_of: date | None = None, lang: str = "nl"
) -> Assessment:
    """The self-assessment in `path` against `refs` (default: every municipality ruleset)."""
    return _assess(kinds.get(Kind.municipality).load(path, lang), registry, refs, as_of, lang)


def assess_answers(answers: Mapping[str, Any], shown: str, registry: Registry, lang: str = "nl") -> Assessment:
    """Answers given in a form (the self-assessment's data), checked against every municipality ruleset.

    `shown` names the input in the report; invalid answers raise `InvalidAnswers` with the first problem.
    """
    try:
        model = MunicipalityAssessment.model_validate(answers)
    except ValidationError as exc:
        raise InvalidAnswers(Problem(exc.errors()[0]["msg"], shown)) from None
    raw = model.model_dump_json().encode("utf-8")
    loaded = LoadedAssessment(assessment=model, path=shown, sha256=hashlib.sha256(raw).hexdigest())
    return _assess(loaded, registry, (), None, lang)


def record(assessment: Assessment, store: Sink | str | None) -> Added:
    """Keep the self-assessment's record in `store` (a store, or the URL of one; None: the default)."""
    from ..store.build import assessment_record
    from ..store.store import open_store

    target = open_store(store) if store is None or isinstance(store, str) else store
    return target.add([assessment_record(assessment.loaded, assessment.report)])
