"""From stored records to one measured project per project and one self-assessment per municipality and year.

A project recorded in several roles counts once, in its most advanced role (as-built, awarded, design,
bid); per ruleset the newest record of that role counts. The database chooses those records (`CHOSEN`, window
functions on SQLite and PostgreSQL alike); each project's figures are then the ones of its records in ruleset order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..store.summary import combine

ROLE_ORDER = ("as-built", "awarded", "design", "bid")
GWW_TYPES = ("wegen", "openbare_ruimte", "kunstwerk", "waterbouw")

_ROLE_RANK = " ".join(f"WHEN '{role}' THEN {i}" for i, role in enumerate(ROLE_ORDER))


def chosen(collate: str) -> str:
    """The records that count, one per project, ruleset and (most advanced) role, each with its project's head
    (year and type of its first ruleset by name); `collate` orders names by code point on PostgreSQL too."""
    return f"""
WITH ranked AS (
    SELECT id, municipality, COALESCE(project_id, '') AS pid, ruleset_id, COALESCE(role, '') AS role, year,
           COALESCE(project_type, '') AS ptype, origin_good, origin_total, mki, mki_level, seb, summary,
           CASE role {_ROLE_RANK} ELSE {len(ROLE_ORDER)} END AS rank
    FROM cgc_records WHERE kind = 'evaluation'
), best AS (
    SELECT ranked.*, MIN(rank) OVER (PARTITION BY municipality, pid) AS top,
           ROW_NUMBER() OVER (PARTITION BY municipality, pid, ruleset_id, rank ORDER BY id DESC) AS newest
    FROM ranked
), chosen AS (
    SELECT best.*, FIRST_VALUE(year) OVER heads AS head_year, FIRST_VALUE(ptype) OVER heads AS head_type
    FROM best WHERE rank = top AND newest = 1
    WINDOW heads AS (PARTITION BY municipality, pid ORDER BY ruleset_id {collate}
                     ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
)"""


@dataclass(frozen=True, slots=True)
class Measured:
    """One project as monitoring sees it."""

    municipality: str
    region: str | None
    project_id: str
    project_type: str
    year: int | None
    role: str
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


def _project(rows: list[Any], region: str | None) -> Measured:
    """A project from its chosen records in ruleset order: the last origin and MKI given, the SEB statuses
    combined; year, type and role of the first."""
    head = rows[0]
    origin = mki = mki_level = None
    seb: list[str] = []
    for r in rows:
        if r.origin_good is not None and r.origin_total is not None and head.ptype in GWW_TYPES:
            origin = (r.origin_good, r.origin_total)
        if r.mki is not None:
            mki, mki_level = r.mki, r.mki_level
        if r.seb is not None:
            seb.append(r.seb)
    return Measured(
        head.municipality,
        region,
        head.pid,
        head.ptype,
        head.year,
        head.role,
        origin,
        mki,
        mki_level,
        combine(seb) if seb else None,
    )


def projects(rows: Iterable[Any], regions: dict[str, str | None]) -> list[Measured]:
    """Measured projects from the chosen records (grouped per project, in ruleset order), sorted by municipality
    and project id."""
    out: list[Measured] = []
    current: list[Any] = []
    for r in rows:
        if current and (r.municipality, r.pid) != (current[0].municipality, current[0].pid):
            out.append(_project(current, regions.get(current[0].municipality)))
            current = []
        current.append(r)
    if current:
        out.append(_project(current, regions.get(current[0].municipality)))
    out.sort(key=lambda p: (p.municipality, p.project_id))
    return out


@dataclass(frozen=True, slots=True)
class Assessment:
    """What monitoring reads of one stored self-assessment: the columns it selects on and its summary."""

    municipality: str
    region: str | None
    year: int | None
    day: str | None
    summary: dict[str, Any]


def assessments(records: Iterable[Assessment]) -> tuple[list[Assessed], dict[str, str | None]]:
    """The newest self-assessment per municipality and year, in a stable order, and each municipality's region
    (that of its latest self-assessment that names one)."""
    newest: dict[tuple[str, int], Assessment] = {}
    for r in records:
        if r.year is not None:
            key = (r.municipality, r.year)
            if key not in newest or (r.day or "") >= (newest[key].day or ""):
                newest[key] = r
    regions: dict[str, str | None] = {}
    for (name, _), r in sorted(newest.items()):
        regions[name] = r.region or regions.get(name)
    return [_assessed(newest[k]) for k in sorted(newest)], regions


def _assessed(r: Assessment) -> Assessed:
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
