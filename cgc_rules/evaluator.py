"""The explainable evaluator: rules compiled once to predicates, one outcome per rule and subject.

`compile_ruleset` resolves everything that does not depend on a submission (indicator,
predicates, thresholds per project type, parameters). `evaluate` then computes each needed
indicator once and records, for every rule and subject, what was read and what was compared.
Texts are written on demand by `explain`, in the language the reader asks for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

from .errors import CgcError
from .indicators import INDICATORS, Fact, Indicator, subjects
from .operators import predicate
from .ruleset import ByProjectType, Level, ParameterRef, Rule, Ruleset, Source

PASS, FAIL, NOT_APPLICABLE, MISSING_DATA, REPORTED = "pass", "fail", "not_applicable", "missing_data", "reported"
STATUSES = (PASS, FAIL, NOT_APPLICABLE, MISSING_DATA, REPORTED)

UNSET = object()


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a rule gave no pass or fail: a key for `explain` and its arguments."""

    key: str
    args: tuple = ()


@dataclass(frozen=True, slots=True)
class CompiledCondition:
    indicator: Indicator
    test: Callable[[Any, Any], bool]
    value: Any


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
    unset_parameter: str | None  # a parameter the rule needs has no value
    switched_off: str | None = None  # a yes/no parameter in applies_when is set to no

    def threshold_for(self, project_type: str) -> Any:
        if None in self.thresholds:
            return self.thresholds[None]
        return self.thresholds.get(project_type, UNSET)


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

    @property
    def rule(self) -> Rule:
        return self.compiled.rule

    @property
    def value(self) -> Any:
        return self.fact.value if self.fact is not None else None


def _resolve_threshold(rule: Rule, parameters: Mapping[str, Any]) -> tuple[dict, str | None]:
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
    compiled = []
    for rule in ruleset.rules:
        indicator = INDICATORS.get(rule.indicator)
        if indicator is None:
            raise CgcError(f"{ruleset.ref}: rule {rule.id}: unknown indicator {rule.indicator!r}")
        conditions = []
        for c in rule.applies_when.conditions:
            ind = INDICATORS.get(c.indicator)
            if ind is None or ind.subject not in (ruleset.kind.value, indicator.subject):
                raise CgcError(f"{ruleset.ref}: rule {rule.id}: condition on unknown indicator {c.indicator!r}")
            conditions.append(CompiledCondition(ind, predicate(c.comparator, ind.rank if ind.scale else None), c.value))
        thresholds, unset = _resolve_threshold(rule, values)
        switch, switched_off = rule.applies_when.parameter, None
        if switch is not None and unset is None:
            if values.get(switch) is None:
                unset = switch
            elif values[switch] is False:
                switched_off = switch
        types = rule.applies_when.project_type
        compiled.append(
            CompiledRule(
                rule=rule,
                ruleset=ruleset,
                indicator=indicator,
                source=ruleset.sources[rule.source],
                project_types=frozenset(t.value for t in types) if types is not None else None,
                conditions=tuple(conditions),
                test=predicate(rule.comparator, indicator.rank if indicator.scale else None) if rule.comparator else None,
                thresholds=thresholds,
                unset_parameter=unset,
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
    if cr.project_types is not None and ptype not in cr.project_types:
        out.append(Outcome(cr, sid, top, NOT_APPLICABLE, reason=Reason("project_type", (ptype,))))
        return
    if cr.unset_parameter is not None:
        out.append(Outcome(cr, sid, top, NOT_APPLICABLE, reason=Reason("parameter_unset", (cr.unset_parameter,))))
        return
    if cr.switched_off is not None:
        out.append(Outcome(cr, sid, top, NOT_APPLICABLE, reason=Reason("parameter_off", (cr.switched_off,))))
        return
    threshold = cr.threshold_for(ptype)
    if threshold is UNSET:
        out.append(Outcome(cr, sid, top, NOT_APPLICABLE, reason=Reason("no_threshold_for_type", (ptype,))))
        return
    basis = None if None in cr.thresholds else ptype
    kind = cr.indicator.subject
    if kind == top:
        listed = cr.indicator.requires
        if listed and not cr.indicator.empty_list_applies and getattr(root, listed) == []:
            out.append(Outcome(cr, sid, kind, NOT_APPLICABLE, reason=Reason("list_empty", (listed,))))
            return
        if cr.conditions and not _conditions_hold(cr, facts, None, out, sid, kind):
            return
        fact = facts.get(cr.indicator)
        out.append(Outcome(cr, sid, kind, _judge(cr, fact, threshold), fact, threshold, basis=basis))
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
        if cr.conditions and not _conditions_hold(cr, facts, item, out, name, kind):
            continue
        fact = compute(item)
        note = warn(item) if warn is not None else None
        out.append(Outcome(cr, name, kind, _judge(cr, fact, threshold), fact, threshold, basis=basis,
                           warning=Reason(*note) if note else None))


def _conditions_hold(cr: CompiledRule, facts: Facts, item: Any, out: list[Outcome], name: str, kind: str) -> bool:
    for c in cr.conditions:
        fact = facts.get(c.indicator) if c.indicator.subject == facts.kind else c.indicator.compute(item)
        if fact.value is None:
            out.append(Outcome(cr, name, kind, MISSING_DATA, reason=Reason("condition_missing", (c.indicator.key,))))
            return False
        if not c.test(fact.value, c.value):
            out.append(Outcome(cr, name, kind, NOT_APPLICABLE,
                               reason=Reason("condition_false", (c.indicator.key, fact.value))))
            return False
    return True


def evaluate(root: Any, compiled: CompiledRuleset, facts: Facts | None = None) -> list[Outcome]:
    """Outcomes of every rule of a compiled ruleset on one subject (submission or municipality), in rule order."""
    facts = facts or Facts(root)
    out: list[Outcome] = []
    for cr in compiled.rules:
        _evaluate_rule(cr, facts, out)
    return out


def is_compliant(outcomes: list[Outcome]) -> bool:
    """No requirement failed or lacked its data."""
    return not any(
        o.rule.level is Level.requirement and o.status in (FAIL, MISSING_DATA) for o in outcomes
    )
