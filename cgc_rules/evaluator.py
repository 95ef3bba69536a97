"""The explainable evaluator: rules compiled once to predicates, one outcome per rule and subject.

`compile_ruleset` resolves everything that does not depend on a submission (indicator,
predicates, thresholds per project type, parameters). `evaluate` then computes each needed
indicator once and records, for every rule and subject, what was read and what was compared.
Texts are written on demand by `explain`, in the language the reader asks for.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from . import kinds
from .errors import CgcError
from .indicators.base import Fact, Indicator, subjects
from .operators import predicate
from .ruleset import ByProjectType, Comparator, Level, ParameterRef, Rule, Ruleset, Source

PASS, FAIL, NOT_APPLICABLE, MISSING_DATA, REPORTED = "pass", "fail", "not_applicable", "missing_data", "reported"
STATUSES = (PASS, FAIL, NOT_APPLICABLE, MISSING_DATA, REPORTED)

UNSET = object()


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a rule gave no pass or fail: a key for `explain` and its arguments."""

    key: str
    args: tuple[Any, ...] = ()


@dataclass(frozen=True, slots=True)
class CompiledCondition:
    indicator: Indicator
    comparator: Comparator
    test: Callable[[Any, Any], bool]
    value: Any


@dataclass(frozen=True, slots=True)
class ConditionResult:
    """One `applies_when` condition as it was checked: the value it read and whether it held (None: not read)."""

    indicator: str
    comparator: str
    value: Any  # the value the condition compares with
    read: Any  # the indicator's value for this subject
    result: bool | None


@dataclass(frozen=True)
class CompiledRule:
    rule: Rule
    ruleset: Ruleset
    indicator: Indicator
    source: Source
    project_types: frozenset[str] | None
    conditions: tuple[CompiledCondition, ...]
    test: Callable[[Any, Any], bool] | None
    thresholds: Mapping[str | None, Any]  # by project type; key None = any type
    unset_parameter: str | None  # the threshold's parameter, when it has no value
    switch_unset: str | None = None  # a yes/no parameter in applies_when without a value
    switched_off: str | None = None  # a yes/no parameter in applies_when is set, but not to yes

    def threshold_for(self, project_type: str | None) -> Any:
        if None in self.thresholds:
            return self.thresholds[None]
        return self.thresholds.get(project_type, UNSET)

    def applies(self, project_type: str | None, *, open_threshold: bool = False) -> Reason | None:
        """None when the rule applies to a subject of this project type; else why not.

        The one applicability test of the evaluator and the documents. `open_threshold`: a
        threshold parameter without a value does not stop the rule (a document shows a fill-in).
        """
        if self.project_types is not None and project_type not in self.project_types:
            return Reason("project_type", (project_type,))
        if self.unset_parameter is not None and not open_threshold:
            return Reason("parameter_unset", (self.unset_parameter,))
        if self.switch_unset is not None:
            return Reason("parameter_unset", (self.switch_unset,))
        if self.switched_off is not None:
            return Reason("parameter_off", (self.switched_off,))
        if self.unset_parameter is None and self.threshold_for(project_type) is UNSET:
            return Reason("no_threshold_for_type", (project_type,))
        return None


@dataclass(frozen=True)
class CompiledRuleset:
    ruleset: Ruleset
    rules: tuple[CompiledRule, ...]
    parameters: Mapping[str, Any]


@dataclass(slots=True)
class Outcome:
    """The result of one rule on one subject, with everything needed to explain it."""

    compiled: CompiledRule
    subject: str
    subject_kind: str
    status: str
    fact: Fact | None = None
    threshold: Any = None
    reason: Reason | None = None
    basis: str | None = None  # the project type whose threshold was used
    warning: Reason | None = None  # something implausible in the input: noted, never a fail
    conditions: tuple[ConditionResult, ...] = ()  # the applies_when conditions as checked for this subject

    @property
    def rule(self) -> Rule:
        return self.compiled.rule

    @property
    def value(self) -> Any:
        return self.fact.value if self.fact is not None else None


def _resolve_threshold(rule: Rule, parameters: Mapping[str, Any]) -> tuple[dict[str | None, Any], str | None]:
    t = rule.threshold
    if isinstance(t, ParameterRef):
        value = parameters.get(t.parameter)
        if value is None:
            return {}, t.parameter
        return {None: value}, None
    if isinstance(t, ByProjectType):
        return {k.value: v for k, v in t.by_project_type.items()}, None
    return {None: t}, None


def compile_ruleset(ruleset: Ruleset, parameters: Mapping[str, Any] | None = None) -> CompiledRuleset:
    """Compile a validated ruleset; `parameters` override the ruleset's own parameter values."""
    values = {name: p.value for name, p in ruleset.parameters.items()}
    for name, value in (parameters or {}).items():
        if name not in ruleset.parameters:
            raise CgcError(f"{ruleset.ref}: unknown parameter {name!r}")
        values[name] = value
    indicators = kinds.of(ruleset).indicators
    compiled = []
    for rule in ruleset.rules:
        indicator = indicators.get(rule.indicator)
        if indicator is None:
            raise CgcError(f"{ruleset.ref}: rule {rule.id}: unknown indicator {rule.indicator!r}")
        conditions = []
        for c in rule.applies_when.conditions:
            ind = indicators.get(c.indicator)
            if ind is None or ind.subject not in (ruleset.kind.value, indicator.subject):
                raise CgcError(f"{ruleset.ref}: rule {rule.id}: condition on unknown indicator {c.indicator!r}")
            test = predicate(c.comparator, ind.rank if ind.scale else None)
            conditions.append(CompiledCondition(ind, c.comparator, test, c.value))
        thresholds, unset = _resolve_threshold(rule, values)
        switch = rule.applies_when.parameter
        switch_unset = switch if switch is not None and values.get(switch) is None else None
        switched_off = switch if switch is not None and values.get(switch) not in (None, True) else None
        types = rule.applies_when.project_type
        compiled.append(
            CompiledRule(
                rule=rule,
                ruleset=ruleset,
                indicator=indicator,
                source=ruleset.sources[rule.source],
                project_types=frozenset(t.value for t in types) if types is not None else None,
                conditions=tuple(conditions),
                test=predicate(rule.comparator, indicator.rank if indicator.scale else None)
                if rule.comparator
                else None,
                thresholds=thresholds,
                unset_parameter=unset,
                switch_unset=switch_unset,
                switched_off=switched_off,
            )
        )
    return CompiledRuleset(ruleset, tuple(compiled), values)


class Facts:
    """Top-level indicator values of one subject (a project submission or a municipality), each computed once.

    `root` is the validated model; it names itself with `subject_id` and `subject_kind`, and a
    project also has a `project_type` that decides which rules apply.
    """

    __slots__ = ("root", "kind", "subject_id", "project_type", "_cache")

    def __init__(self, root: Any):
        self.root = root
        self.kind: str = root.subject_kind
        self.subject_id: str = root.subject_id
        self.project_type: str | None = root.project_type
        self._cache: dict[str, Fact] = {}

    def get(self, indicator: Indicator) -> Fact:
        fact = self._cache.get(indicator.key)
        if fact is None:
            fact = self._cache[indicator.key] = indicator.compute(self.root)
        return fact


def _judge(cr: CompiledRule, fact: Fact, threshold: Any) -> str:
    if fact.value is None:
        return MISSING_DATA
    if cr.rule.level is Level.measure or cr.test is None:
        return REPORTED
    return PASS if cr.test(fact.value, threshold) else FAIL


def _evaluate_rule(cr: CompiledRule, facts: Facts, out: list[Outcome]) -> None:
    root = facts.root
    sid, top = facts.subject_id, facts.kind
    ptype = facts.project_type
    why_not = cr.applies(ptype)
    if why_not is not None:
        out.append(Outcome(cr, sid, top, NOT_APPLICABLE, reason=why_not))
        return
    threshold = cr.threshold_for(ptype)
    basis = None if None in cr.thresholds else ptype
    kind = cr.indicator.subject
    if kind == top:
        listed = cr.indicator.requires
        if listed and not cr.indicator.empty_list_applies and getattr(root, listed) == []:
            out.append(Outcome(cr, sid, kind, NOT_APPLICABLE, reason=Reason("list_empty", (listed,))))
            return
        read = _read_conditions(cr, facts, None)
        if not _stopped(cr, read, sid, kind, out):
            fact = facts.get(cr.indicator)
            out.append(
                _decided(
                    Outcome(cr, sid, kind, _judge(cr, fact, threshold), fact, threshold, basis=basis, conditions=read)
                )
            )
        return
    items = getattr(root, kind)
    if items is None:
        out.append(Outcome(cr, sid, top, MISSING_DATA, reason=Reason("list_absent", (kind,))))
        return
    if not items:
        out.append(Outcome(cr, sid, top, NOT_APPLICABLE, reason=Reason("list_empty", (kind,))))
        return
    compute, warn = cr.indicator.compute, cr.indicator.warn
    for name, item in subjects(root, kind):
        read = _read_conditions(cr, facts, item)
        if _stopped(cr, read, name, kind, out):
            continue
        fact = compute(item)
        note = warn(item) if warn is not None else None
        out.append(
            _decided(
                Outcome(
                    cr,
                    name,
                    kind,
                    _judge(cr, fact, threshold),
                    fact,
                    threshold,
                    basis=basis,
                    warning=Reason(*note) if note else None,
                    conditions=read,
                )
            )
        )


def _read_conditions(cr: CompiledRule, facts: Facts, item: Any) -> tuple[ConditionResult, ...]:
    """Every `applies_when` condition as checked for one subject: true, false, or unknown (None) when data is absent."""
    read: list[ConditionResult] = []
    for c in cr.conditions:
        fact = facts.get(c.indicator) if c.indicator.subject == facts.kind else c.indicator.compute(item)
        held = None if fact.value is None else c.test(fact.value, c.value)
        read.append(ConditionResult(c.indicator.key, c.comparator.value, c.value, fact.value, held))
    return tuple(read)


def _stopped(cr: CompiledRule, read: tuple[ConditionResult, ...], name: str, kind: str, out: list[Outcome]) -> bool:
    """Kleene conjunction: one false condition makes the rule not applicable, whatever else is unknown."""
    false = next((r for r in read if r.result is False), None)
    if false is None:
        return False
    out.append(
        Outcome(
            cr,
            name,
            kind,
            NOT_APPLICABLE,
            reason=Reason("condition_false", (false.indicator, false.read)),
            conditions=read,
        )
    )
    return True


def _decided(o: Outcome) -> Outcome:
    """An outcome whose applicability is unknown: a pass stands whatever the unknown values are (applying or
    not, nothing is broken); anything else could change with them, so the data is missing."""
    unknown = tuple(r.indicator for r in o.conditions if r.result is None)
    if not unknown:
        return o
    if o.status == PASS:
        o.reason = Reason("whatever", unknown)
        return o
    o.status, o.reason = MISSING_DATA, Reason("condition_missing", unknown)
    return o


def evaluate(root: Any, compiled: CompiledRuleset, facts: Facts | None = None) -> list[Outcome]:
    """Outcomes of every rule of a compiled ruleset on one subject (submission or municipality), in rule order."""
    facts = facts or Facts(root)
    out: list[Outcome] = []
    for cr in compiled.rules:
        _evaluate_rule(cr, facts, out)
    return out


def is_compliant(outcomes: list[Outcome]) -> bool:
    """No requirement failed or lacked its data."""
    return not any(o.rule.level is Level.requirement and o.status in (FAIL, MISSING_DATA) for o in outcomes)
