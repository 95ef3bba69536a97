"""A ruleset's own test cases (`<version>.cases.yaml` beside it): input fragments and expected outcomes.

Like `opa test`: every ruleset version ships cases that pin its behaviour, and
`cgc rulesets test` runs them all.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from . import kinds
from .errors import CgcError, Problem, display_path
from .evaluator import FAIL, STATUSES, ConditionResult, Outcome, Reason, compile_ruleset, evaluate
from .explain import explanation, gap
from .i18n import Msg, Qty
from .languages import LANGUAGES
from .loading.parse import load
from .ruleset import Comparator, LoadedRuleset, ParameterRef, Ruleset

Texts = dict[str, str | list[str]]  # language -> the words (one or several) the text must contain


class GapExpectation(BaseModel):
    """The gap of a failing outcome: the indicator's own gap message (`key`, `fields`) and/or its text."""

    model_config = ConfigDict(extra="forbid")
    key: str | None = None
    fields: dict[str, Any] = {}  # a quantity field compares by its number
    text: Texts = {}


class ReasonExpectation(BaseModel):
    """Why a rule gave no pass or fail (`list_empty`, `condition_false`, `project_type`, …) and its arguments."""

    model_config = ConfigDict(extra="forbid")
    key: str
    args: list[Any] | None = None

    @model_validator(mode="before")
    @classmethod
    def _key_alone(cls, data: Any) -> Any:
        return {"key": data} if isinstance(data, str) else data


class ConditionExpectation(BaseModel):
    """One `applies_when` condition as it was checked; any field left out is not compared."""

    model_config = ConfigDict(extra="forbid")
    indicator: str
    comparator: str | None = None
    value: Any = None  # what the condition compares with
    read: Any = None  # the subject's value of the indicator
    result: bool | None = None  # true, false, or null: not read (the value is missing)


class Expectation(BaseModel):
    """Any part of one decision: status, value and, when given, threshold, explanation, gap, reason, conditions.

    A part left out is not compared; `gap: null`, `reason: null` or `conditions: []` says the outcome has none.
    """

    model_config = ConfigDict(extra="forbid")
    status: str
    value: float | bool | str | None = None
    threshold: Any = None
    explanation: Texts = {}
    gap: GapExpectation | None = None
    reason: ReasonExpectation | None = None
    conditions: list[ConditionExpectation] = []

    @model_validator(mode="before")
    @classmethod
    def _status_alone(cls, data: Any) -> Any:
        return {"status": data} if isinstance(data, str) else data


class Case(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1)
    submission: dict[str, Any] = {}  # the input: a submission, a self-assessment or a corridor, merged over `base`
    parameters: dict[str, Any] = {}
    expect: dict[str, Expectation] = Field(min_length=1)


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


def _no_gap(lang: str) -> str | None:
    return None


@dataclass(frozen=True)
class Observed:
    """One decision a case found for a rule and subject; its texts are written only when a case asks for them."""

    status: str
    value: Any
    note: Callable[[], str]  # why, in English, for the message of a failing case
    explain: Callable[[str], str] | None = None  # the explanation in a language; None: the kind writes none
    threshold: Any = None
    reason: Reason | None = None
    conditions: tuple[ConditionResult, ...] = ()
    gap_msg: Msg | None = None  # the indicator's own gap message (key and fields), for a failing outcome
    gap: Callable[[str], str | None] = _no_gap  # the gap text in a language; None: no gap


Found = dict[tuple[str, str | None], Observed]  # (rule id, item name or None for the subject itself)


def _own_gap(o: Outcome) -> Msg | None:
    """The gap message of a failing outcome's indicator, when it writes one for a numeric threshold."""
    t, comparator = o.threshold, o.rule.comparator
    if o.status != FAIL or o.fact is None or comparator is None or not _number(t):
        return None
    return o.compiled.indicator.gap(o.fact, float(t), comparator.value)


def observed(o: Outcome) -> Observed:
    """Everything an evaluated outcome offers a case."""
    return Observed(
        o.status,
        o.value,
        partial(explanation, o, "en"),
        partial(explanation, o),
        o.threshold,
        o.reason,
        o.conditions,
        _own_gap(o),
        partial(gap, o),
    )


def parameter_problems(ruleset: Ruleset, parameters: dict[str, Any]) -> list[str]:
    """What is wrong with the parameter values a case sets, judged by the rules that read them."""
    indicators = kinds.of(ruleset).indicators
    out: list[str] = []
    for rule in ruleset.rules:
        if rule.applies_when.parameter in parameters and not isinstance(parameters[rule.applies_when.parameter], bool):
            out.append(f"parameter {rule.applies_when.parameter}: give true or false (rule {rule.id})")
        t = rule.threshold
        ind = indicators.get(rule.indicator)
        if not isinstance(t, ParameterRef) or t.parameter not in parameters or ind is None:
            continue
        value = parameters[t.parameter]
        listed = rule.comparator in (Comparator.in_, Comparator.not_in)
        if isinstance(value, list) != listed or (listed and not value):
            want = "a non-empty list" if listed else "one value, not a list"
            out.append(f"parameter {t.parameter}: give {want} (rule {rule.id})")
            continue
        for v in value if listed else [value]:
            if not _fits(ind, v):
                shown = f"one of {', '.join(ind.scale)}" if ind.scale else f"a {ind.kind}"
                out.append(f"parameter {t.parameter}: {v!r} is not {shown} (rule {rule.id})")
    return list(dict.fromkeys(out))


def _fits(ind: Any, v: Any) -> bool:
    if ind.kind == "bool":
        return isinstance(v, bool)
    if ind.kind == "number":
        return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
    if ind.kind == "date":
        return isinstance(v, date)
    if ind.kind == "ordinal":
        return isinstance(v, str) and v in ind.scale
    return True


def run_evaluated(lr: LoadedRuleset, data: dict[str, Any], parameters: dict[str, Any]) -> Found:
    """One case of a ruleset the evaluator runs: validate the input as the kind's model, evaluate every rule.

    Raises `ValidationError` for bad input and `CgcError` for bad parameters.
    """
    kind = kinds.of(lr.ruleset)
    subject = kind.model.model_validate(data)
    problems = parameter_problems(lr.ruleset, parameters)
    if problems:
        raise CgcError("; ".join(problems))
    compiled = compile_ruleset(lr.ruleset, parameters)
    return {
        (o.rule.id, o.subject if o.subject_kind != kind.name else None): observed(o)
        for o in evaluate(subject, compiled)
    }


def run_cases(lr: LoadedRuleset) -> CaseReport:
    """Run every case of one ruleset version; mismatches and a badly written cases file are returned, not raised."""
    path = cases_path(lr)
    report = CaseReport(lr.ruleset.ref, display_path(path))
    if not path.exists():
        report.failures.append(Problem("ruleset has no test cases file", report.file))
        return report
    doc = load(path)
    try:
        spec: CaseFile = doc.validate(CaseFile)
    except CgcError as exc:
        report.failures += exc.problems
        return report
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
            if rule_id not in rule_ids:
                report.failures.append(doc.problem(where, f"case {case.name!r}: unknown rule {rule_id!r}"))
                continue
            got = found.get((rule_id, subject or None))
            if got is None:
                subjects = ", ".join(s or kind.name for r, s in found if r == rule_id)
                report.failures.append(
                    doc.problem(where, f"case {case.name!r}: no outcome for {key!r} (subjects: {subjects})")
                )
                continue
            wrong = mismatches(want, got)
            for part, message in wrong:
                report.failures.append(doc.problem((*where, *part), f"case {case.name!r}: {key}: {message}"))
            report.passed += not wrong
    doc.resolve_pending()
    return report


Mismatch = tuple[tuple[str | int, ...], str]  # where in the expectation, and what differs


def mismatches(want: Expectation, got: Observed) -> list[Mismatch]:
    """What of the expected decision the observed one does not show; a wrong status alone is reported."""
    if want.status not in STATUSES:
        return [(("status",), f"unknown status {want.status!r}; use one of {', '.join(STATUSES)}")]
    if got.status != want.status:
        return [(("status",), f"expected {want.status}, got {got.status} — {got.note()}")]
    given = want.model_fields_set
    out: list[Mismatch] = []
    if want.value is not None and not _same(got.value, want.value):
        out.append((("value",), f"expected value {want.value!r}, got {got.value!r}"))
    if "threshold" in given and not _same(got.threshold, want.threshold):
        out.append((("threshold",), f"expected threshold {want.threshold!r}, got {got.threshold!r}"))
    if want.explanation:
        out += _texts(("explanation",), want.explanation, got.explain, "explanation")
    if "gap" in given:
        out += _gap(want.gap, got)
    if "reason" in given:
        out += _reason(want.reason, got.reason)
    if "conditions" in given and not want.conditions and got.conditions:
        out.append((("conditions",), f"expected no conditions, read {len(got.conditions)}"))
    for i, c in enumerate(want.conditions):
        out += [(("conditions", i, *part), message) for part, message in _condition(c, got.conditions)]
    return out


def _texts(
    at: tuple[str | int, ...], want: Texts, write: Callable[[str], str | None] | None, what: str
) -> list[Mismatch]:
    out: list[Mismatch] = []
    for lang, words in want.items():
        if lang not in LANGUAGES:
            out.append(((*at, lang), f"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}"))
            continue
        written = write(lang) if write is not None else None
        if written is None:
            out.append(((*at, lang), f"this outcome has no {what}"))
            continue
        plain = _spaces(written)
        for word in [words] if isinstance(words, str) else words:
            if _spaces(word) not in plain:
                out.append(((*at, lang), f"{what} ({lang}) does not contain {word!r}: {written!r}"))
    return out


def _gap(want: GapExpectation | None, got: Observed) -> list[Mismatch]:
    if want is None:
        text = got.gap("en")
        return [] if text is None else [(("gap",), f"expected no gap, got {text!r}")]
    out: list[Mismatch] = []
    if want.key is not None or want.fields:
        msg = got.gap_msg
        if msg is None:
            return [(("gap",), "this outcome has no gap message of its own: assert its text")]
        if want.key is not None and msg.key != want.key:
            out.append((("gap", "key"), f"expected gap {want.key!r}, got {msg.key!r}"))
        for name, value in want.fields.items():
            if name not in msg.fields:
                out.append((("gap", "fields", name), f"the gap has no field {name!r} ({', '.join(msg.fields)})"))
                continue
            field_value = msg.fields[name]
            have = field_value.value if isinstance(field_value, Qty) else field_value
            if not _same(have, value):
                out.append((("gap", "fields", name), f"expected gap {name} {value!r}, got {have!r}"))
    return out + _texts(("gap", "text"), want.text, got.gap, "gap")


def _reason(want: ReasonExpectation | None, got: Reason | None) -> list[Mismatch]:
    if want is None:
        return [] if got is None else [(("reason",), f"expected no reason, got {got.key!r}")]
    if got is None:
        return [(("reason",), f"expected reason {want.key!r}, got none")]
    if got.key != want.key:
        return [(("reason", "key"), f"expected reason {want.key!r}, got {got.key!r}")]
    if want.args is not None and not _same(list(got.args), want.args):
        return [(("reason", "args"), f"expected reason arguments {want.args!r}, got {list(got.args)!r}")]
    return []


def _condition(want: ConditionExpectation, got: tuple[ConditionResult, ...]) -> list[Mismatch]:
    given = want.model_fields_set
    same = [c for c in got if c.indicator == want.indicator and (want.comparator or c.comparator) == c.comparator]
    if "value" in given:
        same = [c for c in same if _same(c.value, want.value)]
    if len(same) != 1:
        read = "; ".join(f"{c.indicator} {c.comparator} {c.value!r}" for c in got) or "none"
        found = "no" if not same else "more than one"
        return [((), f"{found} condition on {want.indicator!r} matches (conditions read: {read})")]
    [c] = same
    out: list[Mismatch] = []
    if "read" in given and not _same(c.read, want.read):
        out.append((("read",), f"{want.indicator}: expected to read {want.read!r}, read {c.read!r}"))
    if "result" in given and c.result is not want.result:
        out.append((("result",), f"{want.indicator}: expected result {want.result!r}, got {c.result!r}"))
    return out


def _spaces(text: str) -> str:
    """Non-breaking spaces (as in `62 %`, `1.000 t`) read as plain ones, so a case can type them."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def _number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _same(got: Any, want: Any) -> bool:
    if _number(got) and _number(want):
        return bool(abs(got - want) < 1e-6)
    if isinstance(got, (list, tuple)) and isinstance(want, (list, tuple)):
        return len(got) == len(want) and all(_same(g, w) for g, w in zip(got, want, strict=True))
    return bool(got == want)
