"""Ambition levels (e.g. brons, zilver, goud): which levels a project reaches, and which cannot be judged yet."""

from __future__ import annotations

from dataclasses import dataclass

from .evaluator import FAIL, MISSING_DATA, NOT_APPLICABLE, PASS, Outcome
from .i18n import Msg
from .ruleset import Ruleset

REACHED, NOT_REACHED, UNDETERMINED, NOT_RELEVANT = "reached", "not_reached", "undetermined", "not_applicable"


@dataclass(frozen=True)
class LevelResult:
    level: str
    status: str
    failed: tuple[str, ...]  # rule ids that fail
    unset_parameters: tuple[str, ...]  # parameters that keep the level from being judged
    missing: tuple[str, ...]  # rule ids without data

    def summary(self) -> Msg:
        """`zilver: niet gehaald (niet voldaan: …; gegevens ontbreken: …)` as a message."""
        status = Msg(f"levels.status.{self.status}")
        parts = [
            Msg(key, {field: names})
            for key, field, names in (
                ("levels.failed", "rules", self.failed),
                ("levels.unset_parameters", "parameters", self.unset_parameters),
                ("levels.missing_data", "rules", self.missing),
            )
            if names
        ]
        if not parts:
            return Msg("levels.summary", {"level": self.level, "status": status})
        details = parts[-1]
        for part in reversed(parts[:-1]):
            details = Msg("levels.and", {"first": part, "rest": details})
        return Msg("levels.summary_because", {"level": self.level, "status": status, "details": details})


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
        unset = tuple(
            dict.fromkeys(
                o.reason.args[0]
                for o in mine
                if o.status == NOT_APPLICABLE and o.reason and o.reason.key == "parameter_unset"
            )
        )
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
