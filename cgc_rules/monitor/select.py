"""From stored records to one measured project per project and one self-assessment per municipality and year.

A project recorded in several roles counts once, in its most advanced role (as-built, awarded, design,
bid); per ruleset the newest record of that role counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..store.records import StoredRecord

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


def _measured(records: list[StoredRecord], region: str | None) -> Measured:
    statuses: dict[str, list[str]] = {}
    levels: dict[str, str] = {}
    origin = mki = mki_level = seb = None
    head = records[0]
    for r in records:
        for o in r.payload["outcomes"]:
            key = f"{r.ruleset_id}/{o['rule_id']}"
            statuses.setdefault(key, []).append(o["status"])
            levels[key] = o["level"]
            if o["indicator"] == ORIGIN and o["value"] is not None and head.project_type in GWW_TYPES:
                origin = (float(o["terms"]["good"]), float(o["terms"]["total"]))
            elif o["indicator"] == MKI and o["value"] is not None:
                mki = float(o["value"])
                mki_level = float(o["threshold"]) if isinstance(o["threshold"], (int, float)) else None
            elif o["indicator"] == SEB:
                seb = _combine([seb, o["status"]] if seb else [o["status"]])
    return Measured(head.municipality, region, head.project_id or "", head.project_type or "", head.year,
                    head.role or "", {k: _combine(v) for k, v in statuses.items()}, levels, origin, mki, mki_level,
                    seb)


def _assessed(r: StoredRecord) -> Assessed:
    p = r.payload
    profile = next((rs for rs in p["rulesets"] if "highest_level" in rs), None)
    growth = next((rs for rs in p["rulesets"] if "levels_by_subject" in rs), None)
    nxt = profile.get("next_level") if profile else None
    items = growth["levels_by_subject"] if growth else []
    return Assessed(
        r.municipality, r.region, r.year or 0, r.day, profile["highest_level"] if profile else None,
        nxt["level"] if nxt else None, [s["title"] for s in nxt["steps"]] if nxt else [],
        {i["subject"]: i["highest_level"] for i in items},
        {i["subject"]: (i["next_level"] or {}).get("level") for i in items},
        dict(p.get("spinnenweb") or {}),
    )


def select(records: Iterable[StoredRecord]) -> tuple[list[Measured], list[Assessed]]:
    """Measured projects and self-assessments (the newest per municipality and year), in a stable order."""
    evaluations: dict[tuple[str, str], list[StoredRecord]] = {}
    assessments: dict[tuple[str, int], StoredRecord] = {}
    for r in records:
        if r.kind == "evaluation":
            evaluations.setdefault((r.municipality, r.project_id or ""), []).append(r)
        elif r.kind == "assessment" and r.year is not None:
            key = (r.municipality, r.year)
            if key not in assessments or (r.day or "") >= (assessments[key].day or ""):
                assessments[key] = r
    regions: dict[str, str | None] = {}
    for (name, _), r in sorted(assessments.items()):
        regions[name] = r.region or regions.get(name)
    projects = []
    for key in sorted(evaluations):
        recs = evaluations[key]
        role = min((r.role for r in recs), key=lambda x: ROLE_ORDER.index(x) if x in ROLE_ORDER else len(ROLE_ORDER))
        newest: dict[str, StoredRecord] = {}
        for r in recs:
            if r.role == role:
                newest[r.ruleset_id] = r
        projects.append(_measured([newest[k] for k in sorted(newest)], regions.get(key[0])))
    return projects, [_assessed(assessments[k]) for k in sorted(assessments)]
