"""From stored records to one measured project per project and one self-assessment per municipality and year.

A project recorded in several roles counts once, in its most advanced role (as-built, awarded, design,
bid); per ruleset the newest record of that role counts. The database chooses those records (`chosen`, window
functions on SQLite and PostgreSQL alike); each project's figures are then the ones of its records in ruleset order,
and each rule's status of a project is counted once.
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
    (year and type of its first ruleset by name); `collate` orders names by code point on PostgreSQL too.
    The choice is made on the few key columns; the summaries and figures are joined to what was chosen."""
    return f"""
WITH ranked AS (
    SELECT id, municipality, COALESCE(project_id, '') AS pid, ruleset_id, year, COALESCE(project_type, '') AS ptype,
           COALESCE(role, '') AS role, CASE role {_ROLE_RANK} ELSE {len(ROLE_ORDER)} END AS rank
    FROM cgc_records WHERE kind = 'evaluation'
), best AS (
    SELECT ranked.*, MIN(rank) OVER (PARTITION BY municipality, pid) AS top,
           ROW_NUMBER() OVER (PARTITION BY municipality, pid, ruleset_id, rank ORDER BY id DESC) AS newest
    FROM ranked
), chosen AS (
    SELECT id, municipality, pid, ruleset_id, role, FIRST_VALUE(year) OVER heads AS head_year,
           FIRST_VALUE(ptype) OVER heads AS head_type, FIRST_VALUE(role) OVER heads AS head_role
    FROM best WHERE rank = top AND newest = 1
    WINDOW heads AS (PARTITION BY municipality, pid ORDER BY ruleset_id {collate}
                     ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
)"""  # noqa: S608 - constants only


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


def _project(rows: list[Any], region: str | None, shared: dict[Any, Any]) -> Measured:
    """A project from its chosen records in ruleset order: the last origin and MKI given, the SEB statuses
    combined; year, type and role of the first. Names, types, roles and years repeat over many projects: each
    is kept once (`shared`)."""
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
        shared.setdefault(head.municipality, head.municipality),
        region,
        head.pid,
        shared.setdefault(head.ptype, head.ptype),
        shared.setdefault(head.year, head.year),
        shared.setdefault(head.role, head.role),
        origin,
        mki,
        mki_level,
        (seb[0] if len(seb) == 1 else combine(seb)) if seb else None,
    )


Cell = tuple[int | None, str, str, str, str, str]
"""Year, municipality, project type, rule (`ruleset/rule`), level and status of projects counted together."""
Kind = tuple[int | None, str, str, str, str]
"""Year, municipality and type of a project, and the ruleset and `rules` column of one of its chosen records."""


def _kinds(rows: list[Any], kinds: dict[Kind, list[Any]]) -> None:
    """Count the records of one project by what their rules say (their rulesets' rules are distinct by name)."""
    head = rows[0]
    for r in rows:
        kind = kinds.get(key := (head.year, head.municipality, head.ptype, r.ruleset_id, r.rules or ""))
        if kind is None:
            kinds[key] = [1, head.pid]
        else:
            kind[0] += 1
            if head.pid < kind[1]:
                kind[1] = head.pid


def cells(kinds: dict[Kind, list[Any]]) -> dict[Cell, list[Any]]:
    """Per cell the number of projects and the first of them by id."""
    out: dict[Cell, list[Any]] = {}
    for (year, municipality, ptype, ruleset, rules), (count, first) in kinds.items():
        for line in rules.split("\n") if rules else ():
            rule, status, level = line.split("\t")
            cell = out.setdefault((year, municipality, ptype, f"{ruleset}/{rule}", level, status), [0, first])
            cell[0] += count
            cell[1] = min(cell[1], first)
    return out


def projects(rows: Iterable[Any], regions: dict[str, str | None]) -> tuple[list[Measured], dict[Cell, list[Any]]]:
    """Measured projects from the chosen records (grouped per project, in ruleset order), sorted by municipality
    and project id; and per cell (`Cell`) the number of projects and the first of them by id."""
    out: list[Measured] = []
    shared: dict[Any, Any] = {}
    kinds: dict[Kind, list[Any]] = {}
    current: list[Any] = []
    for r in rows:
        if current and (r.municipality, r.pid) != (current[0].municipality, current[0].pid):
            out.append(_project(current, regions.get(current[0].municipality), shared))
            _kinds(current, kinds)
            current = []
        current.append(r)
    if current:
        out.append(_project(current, regions.get(current[0].municipality), shared))
        _kinds(current, kinds)
    out.sort(key=lambda p: (p.municipality, p.project_id))
    return out, cells(kinds)


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
