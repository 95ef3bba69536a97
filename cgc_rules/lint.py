"""Schema and semantic checks of ruleset files, each problem with file:line:column."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any

from . import kinds
from .errors import CgcError, Problem
from .resources import CASES_SUFFIX
from .ruleset import ByProjectType, Comparator, Level, LoadedRuleset, ParameterRef, Rule, load_ruleset
from .units import UNITS


def ruleset_files(paths: Iterable[Path]) -> list[Path]:
    """Ruleset files named by `paths` (files, or directories searched recursively)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(f for f in p.rglob("*.yaml") if not f.name.endswith(CASES_SUFFIX))
        else:
            out.append(p)
    return out


def _kind_problems(ind: Any, values: list[Any], what: str) -> list[str]:
    """Values a comparison would read against indicator `ind`, checked against its kind and scale."""
    out = []
    for v in values:
        if ind.kind == "bool" and not isinstance(v, bool):
            out.append(f"indicator {ind.key!r} is yes/no; {what} must be true or false")
        elif ind.kind == "number" and (isinstance(v, bool) or not isinstance(v, (int, float))):
            out.append(f"indicator {ind.key!r} is a number; {what} {v!r} is not")
        elif ind.kind == "date" and not isinstance(v, date):
            out.append(f"indicator {ind.key!r} is a date; {what} {v!r} is not")
        elif ind.kind == "ordinal" and v not in ind.scale:
            out.append(f"{v!r} is not on the scale of {ind.key!r}: {', '.join(ind.scale)}")
    return out


def _rule_problems(lr: LoadedRuleset, i: int, rule: Rule, advisory: bool = True) -> list[Problem]:
    """Problems of one rule; `advisory=False` keeps only those that would break evaluation or explanation."""
    doc, r = lr.document, lr.ruleset
    at = ("rules", i)
    problems: list[Problem] = []

    def add(field: str | tuple[str | int, ...], message: str, advice: bool = False) -> None:
        if advice and not advisory:
            return
        loc = at + ((field,) if isinstance(field, str) else field)
        problems.append(doc.problem(loc, f"rule {rule.id}: {message}"))

    indicators = kinds.of(r).indicators
    ind = indicators.get(rule.indicator) or kinds.find_indicator(rule.indicator)
    if ind is None:
        add("indicator", f"unknown indicator {rule.indicator!r}")
        return problems
    if ind.root != r.kind.value:
        add("indicator", f"indicator {rule.indicator!r} does not describe a {r.kind.value}")
    if rule.source not in r.sources:
        add("source", f"unknown source {rule.source!r} (sources: {', '.join(r.sources)})")
    if rule.unit is not None and rule.unit not in UNITS:
        add("unit", f"unknown unit {rule.unit!r} (units: {', '.join(UNITS)})")
    elif rule.unit is not None and ind.unit is not None and rule.unit != ind.unit:
        add("unit", f"unit {rule.unit!r} does not match indicator {ind.key!r}, measured in {ind.unit!r}", True)
    if rule.level is Level.measure:
        if rule.comparator is not None or rule.threshold is not None:
            add("level", "a measure-only rule has no comparator or threshold")
    else:
        if rule.comparator is None:
            add("level", f"a {rule.level.value} rule needs a comparator")
        if rule.threshold is None:
            add("level", f"a {rule.level.value} rule needs a threshold")
    t = rule.threshold
    if t is not None:
        if ind.unit is not None and rule.unit is None:
            add("threshold", f"threshold without unit (indicator {ind.key!r} is measured in {ind.unit!r})", True)
        if isinstance(t, ParameterRef) and t.parameter not in r.parameters:
            add(("threshold", "parameter"), f"unknown parameter {t.parameter!r}")
        if isinstance(t, ParameterRef):  # the ruleset's own value of the parameter, when it sets one
            own = r.parameters[t.parameter].value if t.parameter in r.parameters else None
            values = [] if own is None else (own if isinstance(own, list) else [own])
        else:
            values = (
                list(t.by_project_type.values())
                if isinstance(t, ByProjectType)
                else (t if isinstance(t, list) else [t])
            )
        if (isinstance(t, list)) != (rule.comparator in (Comparator.in_, Comparator.not_in)):
            add("comparator", "use 'in'/'not_in' with a list threshold, and only then")
        for message in _kind_problems(ind, values, "threshold"):
            add("threshold", message)
        if isinstance(t, ByProjectType) and rule.applies_when.project_type is not None:
            extra = set(t.by_project_type) - set(rule.applies_when.project_type)
            if extra:
                names = ", ".join(sorted(e.value for e in extra))
                add("threshold", f"threshold for project types the rule does not apply to: {names}", True)
    switch = rule.applies_when.parameter
    if switch is not None and switch not in r.parameters:
        add(("applies_when", "parameter"), f"unknown parameter {switch!r}")
    for j, c in enumerate(rule.applies_when.conditions):
        cind = indicators.get(c.indicator) or kinds.find_indicator(c.indicator)
        if cind is None:
            add(("applies_when", "conditions", j, "indicator"), f"unknown indicator {c.indicator!r}")
        elif cind.subject not in (r.kind.value, ind.subject):
            add(
                ("applies_when", "conditions", j, "indicator"),
                f"condition on {cind.subject} indicator {c.indicator!r} in a rule about {ind.subject}",
            )
        else:
            listed = isinstance(c.value, list)
            if listed != (c.comparator in (Comparator.in_, Comparator.not_in)):
                add(
                    ("applies_when", "conditions", j, "comparator"),
                    "use 'in'/'not_in' with a list value, and only then",
                )
            for message in _kind_problems(cind, c.value if isinstance(c.value, list) else [c.value], "value"):
                add(("applies_when", "conditions", j, "value"), message)
    return problems


def _parameter_problems(lr: LoadedRuleset) -> list[Problem]:
    r = lr.ruleset
    return [
        lr.document.problem(
            ("parameters", name, "source"),
            f"parameter {name}: unknown source {p.source!r} (sources: {', '.join(r.sources)})",
        )
        for name, p in r.parameters.items()
        if p.source is not None and p.source not in r.sources
    ]


def check_ruleset(lr: LoadedRuleset) -> list[Problem]:
    """Semantic problems inside one loaded ruleset file."""
    doc, r = lr.document, lr.ruleset
    problems: list[Problem] = _parameter_problems(lr)
    path = Path(lr.path)
    if path.parent.name != r.id or path.name != f"{r.version}.yaml":
        problems.append(doc.problem(("id",), f"file must be named {r.id}/{r.version}.yaml"))
    if r.effective_until is not None and r.effective_until < r.effective_from:
        problems.append(doc.problem(("effective_until",), "effective_until lies before effective_from"))
    tags = {t for rule in r.rules for t in rule.tags}
    if r.base_level is not None and r.levels[:1] != [r.base_level]:
        problems.append(doc.problem(("base_level",), f"base_level {r.base_level!r} must be the first of levels"))
    for level in r.levels:
        if level == r.base_level:
            if level in tags:
                problems.append(doc.problem(("levels",), f"base level {level!r} is reached without rules; untag them"))
        elif level not in tags:
            problems.append(doc.problem(("levels",), f"level {level!r} has no rule tagged with it"))
    seen: dict[str, int] = {}
    for i, rule in enumerate(r.rules):
        if rule.id in seen:
            problems.append(
                doc.problem(("rules", i, "id"), f"duplicate rule id {rule.id!r} (first at rules[{seen[rule.id]}])")
            )
        seen.setdefault(rule.id, i)
        problems += _rule_problems(lr, i, rule)
    return problems


_CLEAN: set[str] = set()  # sha256 of ruleset files whose rules passed the checks evaluation relies on


def load_checked(path: str | Path) -> LoadedRuleset:
    """Load a ruleset and check its rules as `rulesets lint` does (once per content): every check that
    evaluation relies on (indicators, sources, units, comparators, thresholds on the indicator's scale,
    parameters, conditions, unique rule ids), not the advisory ones (a missing unit, naming, levels).

    Every command that evaluates a ruleset loads it through here, so a rule lint would reject is a
    located error before evaluation, never a crash in the operators, the evaluator or the explanations.
    """
    lr = load_ruleset(path)
    if lr.sha256 not in _CLEAN:
        r, problems = lr.ruleset, _parameter_problems(lr)
        seen: set[str] = set()
        for i, rule in enumerate(r.rules):
            if rule.id in seen:
                problems.append(lr.document.problem(("rules", i, "id"), f"duplicate rule id {rule.id!r}"))
            seen.add(rule.id)
            problems += _rule_problems(lr, i, rule, advisory=False)
        if problems:
            raise CgcError(problems)
        _CLEAN.add(lr.sha256)
    return lr


def check_versions(loaded: list[LoadedRuleset]) -> list[Problem]:
    """Two versions of one ruleset must not be in force on the same day."""
    problems: list[Problem] = []
    by_id: dict[str, list[LoadedRuleset]] = {}
    for lr in loaded:
        by_id.setdefault(lr.ruleset.id, []).append(lr)
    for versions in by_id.values():
        versions.sort(key=lambda lr: lr.ruleset.effective_from)
        for a, b in pairwise(versions):
            ra, rb = a.ruleset, b.ruleset
            if ra.version == rb.version:
                problems.append(b.document.problem(("version",), f"version {rb.version} also defined in {a.path}"))
            elif ra.effective_until is None or ra.effective_until >= rb.effective_from:
                problems.append(
                    b.document.problem(
                        ("effective_from",),
                        f"effective period overlaps {ra.id}@{ra.version} ({ra.period()}) in {a.path}",
                    )
                )
    return problems


def lint(paths: Iterable[Path]) -> tuple[int, list[Problem]]:
    """(number of files, problems) for the ruleset files under `paths`."""
    files = ruleset_files(paths)
    problems: list[Problem] = []
    loaded: list[LoadedRuleset] = []
    for f in files:
        try:
            lr = load_ruleset(f)
        except CgcError as exc:
            problems += exc.problems
            continue
        loaded.append(lr)
        problems += check_ruleset(lr)
    problems += check_versions(loaded)
    return len(files), problems
