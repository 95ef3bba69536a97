"""Turn outcomes into the report record that every output format shows."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any

from ..evaluator import STATUSES, Outcome, is_compliant
from ..explain import explanation, gap, threshold_text, value_text, warning
from ..i18n import render, text
from ..levels import LevelResult, highest, level_results
from ..loading.models import LoadedSubject
from ..registry import Selection
from ..submission import LoadedSubmission, MixedLines


@dataclass(frozen=True)
class Evaluated:
    """Outcomes of one ruleset version on one submission."""

    selection: Selection
    outcomes: list[Outcome]


def _citation(o: Outcome, lang: str) -> str:
    citation = o.compiled.source.citation()
    return text(lang, "report.secondary_source", citation=citation) if o.compiled.source.secondary else citation


def _plain(value: Any) -> Any:
    """A value as JSON holds it: floats to 6 decimals, dates in ISO form, enums by value, containers walked."""
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, MixedLines)):
        return [_plain(v) for v in value]
    return value


def _conditions(o: Outcome) -> list[dict[str, Any]]:
    """Each `applies_when` condition as checked: what it read and whether it held (null: the value is missing)."""
    return [
        {
            "indicator": c.indicator,
            "comparator": c.comparator,
            "value": _plain(c.value),
            "read": _plain(c.read),
            "result": c.result,
        }
        for c in o.conditions
    ]


def outcome_record(o: Outcome, lang: str) -> dict[str, Any]:
    rule = o.rule
    return {
        "rule_id": rule.id,
        "ruleset": o.compiled.ruleset.ref,
        "title": rule.title.get(lang),
        "theme": rule.theme,
        "subject": o.subject,
        "subject_kind": o.subject_kind,
        "status": o.status,
        "indicator": rule.indicator,
        "value": _plain(o.value),
        "value_text": value_text(o, lang) if o.value is not None else None,
        "comparator": rule.comparator.value if rule.comparator else None,
        "threshold": _plain(o.threshold) if rule.comparator else None,
        "threshold_text": threshold_text(o, lang),
        "unit": rule.unit,
        "level": rule.level.value,
        "tags": list(rule.tags),
        "source": _citation(o, lang),
        "explanation": explanation(o, lang),
        "gap": gap(o, lang),
        "warning": warning(o, lang),
        "terms": _plain(o.fact.terms) if o.fact is not None else {},
        "conditions": _conditions(o),
    }


def _levels_record(run: Evaluated, lang: str) -> dict[str, Any]:
    """`levels` and `highest_level` for a ruleset with ambition levels; empty otherwise."""
    r = run.selection.loaded.ruleset
    if not r.levels:
        return {}
    results = level_results(r, run.outcomes)
    return {
        "levels": [level_record(x, lang) for x in results],
        "highest_level": highest(results),
    }


def level_record(x: LevelResult, lang: str) -> dict[str, Any]:
    """One ambition level as the reports show it: status, what failed or is missing, and its sentence."""
    return {
        "level": x.level,
        "status": x.status,
        "failed": list(x.failed),
        "unset_parameters": list(x.unset_parameters),
        "missing_data": list(x.missing),
        "text": render(lang, x.summary()),
    }


def ruleset_record(selection: Selection, lang: str) -> dict[str, Any]:
    r = selection.loaded.ruleset
    return {
        "id": r.id,
        "version": r.version,
        "title": r.title,
        "sha256": selection.loaded.sha256,
        "effective_from": r.effective_from.isoformat(),
        "effective_until": r.effective_until.isoformat() if r.effective_until else None,
        "selected_by": selection.how,
        "selection_reason": render(lang, selection.reason()),
    }


@dataclass(frozen=True)
class Report:
    """Everything one `cgc evaluate` run found, in a form each renderer can show."""

    data: dict[str, Any]

    @property
    def compliant(self) -> bool:
        return bool(self.data["summary"]["compliant"])


def _report(
    path: str, sha256: str, about: dict[str, Any], runs: list[Evaluated], lang: str, day: date | None
) -> Report:
    """The report record: rulesets, the input, what it is about, every outcome and the summary."""
    outcomes = [o for run in runs for o in run.outcomes]
    counts = Counter(o.status for o in outcomes)
    rulesets = [{**ruleset_record(run.selection, lang), **_levels_record(run, lang)} for run in runs]
    data: dict[str, Any] = {}
    if len(rulesets) == 1:
        data["ruleset"] = rulesets[0]
    else:
        data["rulesets"] = rulesets
    data.update(
        {
            "as_of": day.isoformat() if day else None,
            "lang": lang,
            "input": path,
            "input_sha256": sha256,
            **about,
            "outcomes": [outcome_record(o, lang) for o in outcomes],
            "summary": {
                "counts": {s: counts.get(s, 0) for s in STATUSES},
                "compliant": is_compliant(outcomes),
            },
        }
    )
    return Report(data)


def build_report(loaded: LoadedSubmission, runs: list[Evaluated], lang: str, as_of: date | None) -> Report:
    """The report of a project submission: the record with the project it describes."""
    p = loaded.submission.project
    project = {
        "id": p.id,
        "name": p.name,
        "municipality": p.municipality,
        "type": p.type.value,
        "tender_date": p.tender_date.isoformat() if p.tender_date else None,
    }
    about = {**({"input_read_as": loaded.read_as} if loaded.read_as else {}), "project": project}
    return _report(loaded.path, loaded.sha256, about, runs, lang, as_of or p.tender_date)


def build_subject_report(loaded: LoadedSubject, runs: list[Evaluated], lang: str, as_of: date | None) -> Report:
    """The report of a subject of a kind without a report of its own (`cgc check`): the record and the kind."""
    kind = runs[0].selection.loaded.ruleset.kind.value if runs else None
    return _report(loaded.path, loaded.sha256, {"subject": {"kind": kind}}, runs, lang, as_of)
