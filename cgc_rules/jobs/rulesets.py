"""Ruleset jobs: list the rulesets, show one version's rules, lint, run the ruleset tests, diff two versions.

`cgc rulesets` and the web's rulesets pages both call these; the wording of thresholds and project
types comes from `explain`, once for both.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .. import kinds
from ..cases import CaseReport, run_cases
from ..diff import RulesetDiff, diff_rulesets
from ..errors import CgcError, Problem
from ..explain import project_type_name, threshold_words
from ..i18n import render
from ..lint import lint as lint_files
from ..operators import SYMBOL
from ..registry import Registry, Selection, parse_ref
from ..ruleset import LoadedRuleset, Ruleset

__all__ = [
    "CaseReport",
    "Listing",
    "RuleRow",
    "RulesetDiff",
    "Shown",
    "case_reports",
    "diff",
    "diff_versions",
    "lint",
    "listing",
    "registries",
    "rule_rows",
    "show",
]


def registries(rulesets_dir: Path | None, loaded: Sequence[Registry] = ()) -> list[Registry]:
    """The directory given, else the bundled ruleset root of every subject kind; a registry in `loaded`
    with the same root is used instead of reading the root again."""
    known = {reg.root: reg for reg in loaded}
    roots = [Path(rulesets_dir)] if rulesets_dir is not None else kinds.ruleset_roots()
    return [known.get(root) or Registry(root) for root in roots]


@dataclass(frozen=True)
class Listing:
    """Every version of every ruleset, in registry order (`cgc rulesets list`)."""

    rulesets: list[Ruleset]


def listing(regs: Iterable[Registry]) -> Listing:
    return Listing([lr.ruleset for reg in regs for versions in reg.by_id.values() for lr in versions])


@dataclass(frozen=True)
class RuleRow:
    """One rule of a ruleset version as its readers see it, worded in one language."""

    id: str
    title: str
    level: str
    indicator: str
    indicator_label: str | None  # None: not an indicator of the ruleset's kind
    types: list[str]  # the project types it applies to, named; empty: all
    conditions: list[str]  # `indicator ≥ value` per applicability condition
    threshold: str
    source: str
    secondary: bool
    tags: list[str]
    explanation: str


def rule_rows(r: Ruleset, lang: str) -> list[RuleRow]:
    """The rules of `r`, each with its threshold, applicability and source in words."""
    indicators = kinds.of(r).indicators
    rows = []
    for rule in r.rules:
        ind = indicators.get(rule.indicator)
        src = r.sources[rule.source]
        rows.append(
            RuleRow(
                id=rule.id,
                title=rule.title.get(lang),
                level=rule.level.value,
                indicator=rule.indicator,
                indicator_label=render(lang, ind.label) if ind else None,
                types=[project_type_name(t.value, lang) for t in rule.applies_when.project_type or ()],
                conditions=[f"{c.indicator} {SYMBOL[c.comparator]} {c.value}" for c in rule.applies_when.conditions],
                threshold=threshold_words(rule, rule.threshold, lang),
                source=src.citation(),
                secondary=src.secondary,
                tags=list(rule.tags),
                explanation=rule.explanation.get(lang),
            )
        )
    return rows


@dataclass(frozen=True)
class Shown:
    """One ruleset version, how it was chosen, and its rules in words (`cgc rulesets show`)."""

    selection: Selection
    rules: list[RuleRow]

    @property
    def loaded(self) -> LoadedRuleset:
        return self.selection.loaded


def show(regs: Sequence[Registry], ref: str, as_of: date | None, lang: str) -> Shown:
    """The version `ref` names (`ID@VERSION`), else the one in force on `as_of`, else the current one."""
    rid = parse_ref(ref)[0]
    reg = next((r for r in regs if rid in r.by_id), regs[0])
    sel = reg.select(ref, as_of) if as_of or "@" in ref else reg.current(ref)
    return Shown(sel, rule_rows(sel.loaded.ruleset, lang))


def lint(paths: Iterable[Path]) -> tuple[int, list[Problem]]:
    """The number of ruleset files checked and the problems found in them."""
    return lint_files(paths)


def case_reports(regs: Iterable[Registry], refs: Sequence[str]) -> Iterator[CaseReport]:
    """The results of the test cases beside each ruleset version (only the versions `refs` name, when
    given), one version at a time."""
    wanted = [parse_ref(r) for r in refs]
    return (
        run_cases(lr)
        for reg in regs
        for rid, versions in reg.by_id.items()
        for lr in versions
        if not wanted or any(rid == w and v in (None, lr.ruleset.version) for w, v in wanted)
    )


def diff(root: Path | None, old_ref: str, new_ref: str, lang: str) -> RulesetDiff:
    """Rules added, removed and changed between two versions `ID@A` and `ID@B` of the rulesets under `root`."""
    reg = Registry(root, checked=False)  # a diff compares files, evaluates nothing
    pair = []
    for ref in (old_ref, new_ref):
        rid, version = parse_ref(ref)
        if version is None:
            raise CgcError(f"{ref!r}: give an explicit version, ID@VERSION")
        pair.append(reg.get(rid, version).ruleset)
    return diff_versions(pair[0], pair[1], lang)


def diff_versions(old: Ruleset, new: Ruleset, lang: str) -> RulesetDiff:
    return diff_rulesets(old, new, lang)
