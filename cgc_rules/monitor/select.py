"""From stored records to one measured project per project and one self-assessment per municipality and year.

A project recorded in several roles counts once, in its most advanced role (as-built, awarded, design,
bid); per ruleset the newest record of that role counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from sys import intern
from typing import Any

ROLE_ORDER = ("as-built", "awarded", "design", "bid")
GWW_TYPES = ("wegen", "openbare_ruimte", "kunstwerk", "waterbouw")
ORIGIN, MKI, SEB = "responsible_origin_share", "mki_eur_per_m2_year", "seb_compliance_declared"


@dataclass(frozen=True)
class Measured:
    """One project as monitoring sees it."""

    municipality: str
    region: str | None
    project_id: str
    project_type: str
    year: int | None
    role: str
    statuses: dict[str, str]  # "ruleset/rule" -> pass | fail | missing_data | reported | not_applicable
    levels: dict[str, str]  # "ruleset/rule" -> requirement | ambition | measure
    origin: tuple[float, float] | None  # (responsible t, total t), GWW projects with a material list
    mki: float | None
    mki_level: float | None
    seb: str | None


@dataclass(frozen=True)
class Assessed:
    """A municipality's self-assessment in one year."""

    municipality: str
    region: str | None
    year: int
    day: str | None
    profile: str | None
    profile_next: str | None
    profile_steps: list[str] = field(default_factory=list)
    elements: dict[str, str | None] = field(default_factory=dict)  # element -> growth level
    element_next: dict[str, str | None] = field(default_factory=dict)
    spinnenweb: dict[str, float | None] = field(default_factory=dict)


def _combine(statuses: list[str]) -> str:
    for status in ("fail", "missing_data", "pass", "reported"):
        if status in statuses:
            return status
    return "not_applicable"


@dataclass(frozen=True, slots=True)
class Kept:
    """What monitoring reads of one stored record: the columns it selects on and its summary (`store.summary`)."""

    kind: str
    municipality: str
    region: str | None
    project_id: str | None
    project_type: str | None
    year: int | None
    day: str | None
    role: str | None
    ruleset_id: str
    summary: dict[str, Any]


Outcome = tuple[str, str, str, str, Any, Any, dict[str, Any]]
"""What monitoring reads of one outcome: rule, status, level, indicator, value, threshold and terms (JSON values)."""


@dataclass(frozen=True, slots=True)
class _Read:
    """What monitoring reads of one evaluation record (the texts are left behind)."""

    ruleset_id: str
    role: str
    project_type: str
    year: int | None
    outcomes: tuple[Outcome, ...]


def _read(r: Kept) -> _Read:
    """The outcomes with their names interned: the same few rule ids and statuses, shared by every record."""
    outcomes = tuple(
        (intern(o[0]), intern(o[1]), intern(o[2]), intern(o[3]), o[4], o[5], o[6]) for o in r.summary["outcomes"]
    )
    return _Read(intern(r.ruleset_id), intern(r.role or ""), intern(r.project_type or ""), r.year, outcomes)


def _measured(key: tuple[str, str], reads: list[_Read], region: str | None) -> Measured:
    statuses: dict[str, list[str]] = {}
    levels: dict[str, str] = {}
    origin = mki = mki_level = seb = None
    head = reads[0]
    for r in reads:
        for rule_id, status, level, indicator, value, threshold, terms in r.outcomes:
            name = intern(f"{r.ruleset_id}/{rule_id}")
            statuses.setdefault(name, []).append(status)
            levels[name] = level
            if indicator == ORIGIN and value is not None and head.project_type in GWW_TYPES:
                origin = (float(terms["good"]), float(terms["total"]))
            elif indicator == MKI and value is not None:
                mki = float(value)
                mki_level = float(threshold) if isinstance(threshold, (int, float)) else None
            elif indicator == SEB:
                seb = _combine([seb, status] if seb else [status])
    return Measured(
        key[0],
        region,
        key[1],
        head.project_type,
        head.year,
        head.role,
        {k: _combine(v) for k, v in statuses.items()},
        levels,
        origin,
        mki,
        mki_level,
        seb,
    )


def _assessed(r: Kept) -> Assessed:
    s = r.summary
    return Assessed(
        r.municipality,
        r.region,
        r.year or 0,
        r.day,
        s["profile"],
        s["profile_next"],
        list(s["profile_steps"]),
        dict(s["elements"]),
        dict(s["element_next"]),
        dict(s["spinnenweb"]),
    )


def select(records: Iterable[Kept]) -> tuple[list[Measured], list[Assessed]]:
    """Measured projects and self-assessments (the newest per municipality and year), in a stable order."""
    evaluations: dict[tuple[str, str], list[_Read]] = {}
    assessments: dict[tuple[str, int], Kept] = {}
    for r in records:
        if r.kind == "evaluation":
            evaluations.setdefault((r.municipality, r.project_id or ""), []).append(_read(r))
        elif r.kind == "assessment" and r.year is not None:
            key = (r.municipality, r.year)
            if key not in assessments or (r.day or "") >= (assessments[key].day or ""):
                assessments[key] = r
    regions: dict[str, str | None] = {}
    for (name, _), r in sorted(assessments.items()):
        regions[name] = r.region or regions.get(name)
    projects = []
    for project in sorted(evaluations):
        reads = evaluations.pop(project)  # each project's reads freed once it is measured
        role = min((r.role for r in reads), key=lambda x: ROLE_ORDER.index(x) if x in ROLE_ORDER else len(ROLE_ORDER))
        newest: dict[str, _Read] = {}
        for read in reads:  # in the order recorded: the newest of a role and ruleset wins
            if read.role == role:
                newest[read.ruleset_id] = read
        projects.append(_measured(project, [newest[k] for k in sorted(newest)], regions.get(project[0])))
    return projects, [_assessed(assessments[k]) for k in sorted(assessments)]
