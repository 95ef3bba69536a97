"""A ruleset's own test cases (`<version>.cases.yaml` beside it): input fragments and expected outcomes.

Like `opa test`: every ruleset version ships cases that pin its behaviour, and
`cgc rulesets test` runs them all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from . import kinds
from .errors import CgcError, Problem, display_path
from .evaluator import STATUSES, compile_ruleset, evaluate
from .explain import explanation
from .loading.parse import load
from .ruleset import LoadedRuleset


class Expectation(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: str
    value: float | bool | str | None = None


class Case(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1)
    submission: dict[str, Any] = {}  # the input: a submission, a self-assessment or a corridor, merged over `base`
    parameters: dict[str, Any] = {}
    expect: dict[str, str | Expectation] = Field(min_length=1)


class CaseFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    base: dict[str, Any] = {}
    cases: list[Case] = Field(min_length=1)


def merge(base: Any, over: Any) -> Any:
    """Deep merge of mappings; anything else in `over` replaces what `base` has."""
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            out[k] = merge(base.get(k), v) if k in base else v
        return out
    return over


@dataclass
class CaseReport:
    ruleset: str
    file: str
    cases: int = 0
    checks: int = 0
    passed: int = 0
    failures: list[Problem] = field(default_factory=list)


def cases_path(lr: LoadedRuleset) -> Path:
    return Path(lr.path).with_name(f"{lr.ruleset.version}.cases.yaml")


@dataclass(frozen=True)
class Observed:
    """What a case found for one rule and subject: its status, its value and, for a mismatch, why."""

    status: str
    value: Any
    why: Callable[[], str]  # written only when the case fails


Found = dict[tuple[str, str | None], Observed]  # (rule id, item name or None for the subject itself)


def run_evaluated(lr: LoadedRuleset, data: dict[str, Any], parameters: dict[str, Any]) -> Found:
    """One case of a ruleset the evaluator runs: validate the input as the kind's model, evaluate every rule.

    Raises `ValidationError` for bad input and `CgcError` for bad parameters.
    """
    kind = kinds.of(lr.ruleset)
    subject = kind.model.model_validate(data)
    compiled = compile_ruleset(lr.ruleset, parameters)
    return {
        (o.rule.id, o.subject if o.subject_kind != kind.name else None): Observed(
            o.status, o.value, partial(explanation, o, "en")
        )
        for o in evaluate(subject, compiled)
    }


def run_cases(lr: LoadedRuleset) -> CaseReport:
    """Run every case of one ruleset version; mismatches are returned, not raised."""
    path = cases_path(lr)
    report = CaseReport(lr.ruleset.ref, display_path(path))
    if not path.exists():
        report.failures.append(Problem("ruleset has no test cases file", report.file))
        return report
    doc = load(path)
    spec: CaseFile = doc.validate(CaseFile)
    rule_ids = {r.id for r in lr.ruleset.rules}
    kind = kinds.of(lr.ruleset)
    for i, case in enumerate(spec.cases):
        report.cases += 1
        at = ("cases", i)
        try:
            found: Found = kind.run_case(lr, merge(spec.base, case.submission), case.parameters)
        except ValidationError as exc:
            report.failures += doc.validation_problems(exc, (*at, "submission"))
            continue
        except CgcError as exc:
            report.failures.append(doc.problem((*at, "parameters"), "; ".join(p.message for p in exc.problems)))
            continue
        for key, want in case.expect.items():
            report.checks += 1
            rule_id, _, subject = key.partition("/")
            where = (*at, "expect", key)
            want = want if isinstance(want, Expectation) else Expectation(status=want)
            if rule_id not in rule_ids:
                report.failures.append(doc.problem(where, f"case {case.name!r}: unknown rule {rule_id!r}"))
                continue
            if want.status not in STATUSES:
                report.failures.append(doc.problem(where, f"case {case.name!r}: unknown status {want.status!r}"))
                continue
            got = found.get((rule_id, subject or None))
            if got is None:
                subjects = ", ".join(s or kind.name for r, s in found if r == rule_id)
                report.failures.append(
                    doc.problem(where, f"case {case.name!r}: no outcome for {key!r} (subjects: {subjects})")
                )
                continue
            if got.status != want.status:
                report.failures.append(
                    doc.problem(
                        where, f"case {case.name!r}: {key}: expected {want.status}, got {got.status} — {got.why()}"
                    )
                )
            elif want.value is not None and not _same(got.value, want.value):
                report.failures.append(
                    doc.problem(where, f"case {case.name!r}: {key}: expected value {want.value!r}, got {got.value!r}")
                )
            else:
                report.passed += 1
    return report


def _same(got: Any, want: Any) -> bool:
    if isinstance(want, float) and isinstance(got, (int, float)) and not isinstance(got, bool):
        return abs(got - want) < 1e-6
    return bool(got == want)
