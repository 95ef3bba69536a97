"""Assess a municipality: run the rulesets of kind municipality and place it on their levels.

For `gmr-profielen` the level is the GMR profile; for `cgc-groeimodel` each corridor element
gets its own level. Both name the next step: the rules of the first level not yet reached.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from . import kinds
from .errors import CgcError
from .evaluator import MISSING_DATA, PASS, STATUSES, Outcome, compile_ruleset, evaluate, is_compliant
from .levels import LevelResult, highest, judged_per_item, level_results, next_level, per_subject
from .municipality import CORRIDOR_ELEMENTS, LoadedAssessment
from .registry import Registry, Selection, each_once
from .report.build import Evaluated, Report, level_record, outcome_record, ruleset_record
from .ruleset import Kind, Ruleset


def municipality_rulesets(registry: Registry) -> list[str]:
    """Ids of every ruleset whose versions check municipalities."""
    return [rid for rid, versions in registry.by_id.items() if versions[-1].ruleset.kind is Kind.municipality]


def select(registry: Registry, ref: str, as_of: date | None, assessed_on: date | None) -> Selection:
    """The version named, else in force on `as_of` or the assessment date, else today's; municipality rulesets only."""
    if "@" in ref or as_of:
        selection = registry.select(ref, as_of)
    elif assessed_on:
        selection = Selection(registry.in_force(ref, assessed_on), "assessed_on", assessed_on)
    else:
        selection = registry.current(ref)
    kinds.get(Kind.municipality).refuse(selection.loaded.ruleset)
    return selection


def run(loaded: LoadedAssessment, registry: Registry, refs: tuple[str, ...], as_of: date | None) -> list[Evaluated]:
    """Outcomes of each chosen ruleset (default: every municipality ruleset) on the self-assessment."""
    day = loaded.assessment.municipality.assessed_on
    refs = refs or tuple(municipality_rulesets(registry))
    if not refs:
        raise CgcError(f"no ruleset of kind municipality in {registry.root}")
    selections = each_once([select(registry, ref, as_of, day) for ref in refs], registry.lang)
    return [Evaluated(s, evaluate(loaded.assessment, compile_ruleset(s.loaded.ruleset))) for s in selections]


def _step(ruleset: Ruleset, target: LevelResult | None, outcomes: list[Outcome], lang: str) -> dict[str, Any] | None:
    """The next level and what it still asks: its rules that do not pass yet, each with its own explanation."""
    if target is None:
        return None
    rules = [o for o in outcomes if target.level in o.rule.tags and o.status != PASS]
    return {
        "level": target.level,
        "status": target.status,
        "steps": [
            {
                "rule_id": o.rule.id,
                "title": o.rule.title.get(lang),
                "status": o.status,
                "text": o.rule.explanation.get(lang),
            }
            for o in rules
        ],
    }


def _levels(ruleset: Ruleset, results: list[LevelResult], outcomes: list[Outcome], lang: str) -> dict[str, Any]:
    return {
        "highest_level": highest(results),
        "next_level": _step(ruleset, next_level(results), outcomes, lang),
        "levels": [level_record(x, lang) for x in results],
    }


# every item a list should hold, so that one left out still gets its row ("not assessed")
EXPECTED_ITEMS: dict[str, tuple[str, ...]] = {"elements": CORRIDOR_ELEMENTS}


def levels_record(run: Evaluated, top_kind: str, lang: str) -> dict[str, Any]:
    """Levels of the whole subject, or `levels_by_subject` when the level rules judge items (corridor elements)."""
    r, outcomes = run.selection.loaded.ruleset, run.outcomes
    if not r.levels:
        return {}
    if not judged_per_item(outcomes, top_kind):
        return _levels(r, level_results(r, outcomes), outcomes, lang)
    by = per_subject(r, [o for o in outcomes if o.subject_kind != top_kind])
    rows = {
        subject: {
            "subject": subject,
            "assessed": True,
            **_levels(r, results, [o for o in outcomes if o.subject == subject], lang),
        }
        for subject, results in by.items()
    }
    lists = sorted({o.compiled.indicator.subject for o in outcomes if o.rule.tags})
    expected = [name for kind in lists for name in EXPECTED_ITEMS.get(kind, ())]
    for name in expected:
        rows.setdefault(
            name, {"subject": name, "assessed": False, "highest_level": None, "next_level": None, "levels": []}
        )
    order = {name: i for i, name in enumerate(expected)}
    return {"levels_by_subject": sorted(rows.values(), key=lambda row: order.get(row["subject"], len(order)))}


def build(loaded: LoadedAssessment, runs: list[Evaluated], lang: str, as_of: date | None) -> Report:
    """The assessment record every output format shows; `compliant` means complete and classifiable."""
    m = loaded.assessment.municipality
    outcomes = [o for run in runs for o in run.outcomes]
    counts = Counter(o.status for o in outcomes)
    rulesets = [
        {**ruleset_record(run.selection, lang), **levels_record(run, loaded.assessment.subject_kind, lang)}
        for run in runs
    ]
    day = as_of or m.assessed_on
    data: dict[str, Any] = {
        "rulesets": rulesets,
        "as_of": day.isoformat() if day else None,
        "lang": lang,
        "input": loaded.path,
        "input_sha256": loaded.sha256,
        "municipality": {
            "name": m.name,
            "region": m.region,
            "assessed_on": m.assessed_on.isoformat() if m.assessed_on else None,
        },
        "outcomes": [outcome_record(o, lang) for o in outcomes],
        "summary": {
            "counts": {s: counts.get(s, 0) for s in STATUSES},
            "compliant": is_compliant(outcomes) and not counts.get(MISSING_DATA),
        },
    }
    return Report(data)
