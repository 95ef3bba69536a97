"""Ambition levels (e.g. brons, zilver, goud): which levels a project reaches, and which cannot be judged yet."""

from __future__ import annotations

from dataclasses import dataclass

from .evaluator import FAIL, MISSING_DATA, NOT_APPLICABLE, PASS, Outcome
from .ruleset import Ruleset

REACHED, NOT_REACHED, UNDETERMINED, NOT_RELEVANT = "reached", "not_reached", "undetermined", "not_applicable"

WORDS = {
    REACHED: ("gehaald", "reached"),
    NOT_REACHED: ("niet gehaald", "not reached"),
    UNDETERMINED: ("niet te beoordelen", "cannot be judged"),
    NOT_RELEVANT: ("niet van toepassing", "not applicable"),
}


@dataclass(frozen=True)
class LevelResult:
    level: str
    status: str
    failed: tuple[str, ...]  # rule ids that fail
    unset_parameters: tuple[str, ...]  # parameters that keep the level from being judged
    missing: tuple[str, ...]  # rule ids without data

    def text(self, lang: str) -> str:
        nl = lang == "nl"
        word = WORDS[self.status][0 if nl else 1]
        parts = []
        if self.failed:
            parts.append(("niet voldaan: " if nl else "not met: ") + ", ".join(self.failed))
        if self.unset_parameters:
            parts.append(("parameter niet ingesteld: " if nl else "parameter not set: ") + ", ".join(self.unset_parameters))
        if self.missing:
            parts.append(("gegevens ontbreken: " if nl else "missing data: ") + ", ".join(self.missing))
        return f"{self.level}: {word}" + (f" ({'; '.join(parts)})" if parts else "")


def level_results(ruleset: Ruleset, outcomes: list[Outcome]) -> list[LevelResult]:
    """One result per level of the ruleset, judged independently from the rules tagged with it.

    The ruleset's `base_level`, if any, is reached without a rule: every subject starts there.
    """
    results = []
    for level in ruleset.levels:
        if level == ruleset.base_level:
            results.append(LevelResult(level, REACHED, (), (), ()))
            continue
        mine = [o for o in outcomes if level in o.rule.tags]
        failed = tuple(dict.fromkeys(o.rule.id for o in mine if o.status == FAIL))
        missing = tuple(dict.fromkeys(o.rule.id for o in mine if o.status == MISSING_DATA))
        unset = tuple(dict.fromkeys(o.reason.args[0] for o in mine
                                    if o.status == NOT_APPLICABLE and o.reason and o.reason.key == "parameter_unset"))
        if failed:
            status = NOT_REACHED
        elif missing or unset:
            status = UNDETERMINED
        elif any(o.status == PASS for o in mine):
            status = REACHED
        else:
            status = NOT_RELEVANT
        results.append(LevelResult(level, status, failed, unset, missing))
    return results


def highest(results: list[LevelResult]) -> str | None:
    reached = [r.level for r in results if r.status == REACHED]
    return reached[-1] if reached else None


def next_level(results: list[LevelResult]) -> LevelResult | None:
    """The first level above the highest reached one: the next step, or None at the top."""
    best = highest(results)
    start = 0 if best is None else [r.level for r in results].index(best) + 1
    return results[start] if start < len(results) else None


def per_subject(ruleset: Ruleset, outcomes: list[Outcome]) -> dict[str, list[LevelResult]]:
    """Level results per item (e.g. per corridor element) when the tagged rules judge items, not the whole subject."""
    levels = set(ruleset.levels)
    subjects = dict.fromkeys(o.subject for o in outcomes if levels.intersection(o.rule.tags))
    return {subject: level_results(ruleset, [o for o in outcomes if o.subject == subject]) for subject in subjects}


def judged_per_item(outcomes: list[Outcome], top_kind: str) -> bool:
    """True when the level-tagged rules judge items (machines, corridor elements) rather than the subject itself.

    Decided by the rules' indicators, so it holds even when the list of items is absent or empty.
    """
    return any(o.rule.tags and o.compiled.indicator.subject != top_kind for o in outcomes)
