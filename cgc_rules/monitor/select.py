"""From stored records to one measured project per project and one self-assessment per municipality and year.

A project recorded in several roles counts once, in its most advanced role (as-built, awarded, design,
bid); per ruleset the newest record of that role counts. The database hands over the evaluations' key and figure
columns sorted so that a project's records come together, most advanced role first, then by ruleset, the newest
first (`ordered`, one sort on SQLite and PostgreSQL alike); the records that count are then the first of each
ruleset in the project's first role, and each project's figures are the ones of those records in ruleset order;
each rule's status of a project is counted once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ..store.summary import combine

ROLE_ORDER = ("as-built", "awarded", "design", "bid")
GWW_TYPES = ("wegen", "openbare_ruimte", "kunstwerk", "waterbouw")

_ROLE_RANK = " ".join(f"WHEN '{role}' THEN {i}" for i, role in enumerate(ROLE_ORDER))


def ordered(collate: str) -> str:
    """Every evaluation as a `Row`, projects by municipality and id, a project's records together (most advanced
    role first, then by ruleset, the newest first); `collate` orders text by code point on PostgreSQL too, as
    Python does."""
    return f"""
SELECT municipality, COALESCE(project_id, '') AS pid, ruleset_id, COALESCE(role, '') AS role, year,
       COALESCE(project_type, '') AS ptype, origin_good, origin_total, mki, mki_level, seb, rules,
       CASE role {_ROLE_RANK} ELSE {len(ROLE_ORDER)} END AS rank
FROM cgc_records WHERE kind = 'evaluation'
ORDER BY municipality {collate}, COALESCE(project_id, '') {collate}, rank, ruleset_id {collate}, id DESC"""  # noqa: S608 - constants only


def first_records(collate: str) -> str:
    """The municipality and year of each project as `projects` counts it (those of its first record in `ordered`'s
    order), distinct: what the figures can be filtered on, without a row leaving the database."""
    return f"""
SELECT DISTINCT municipality, year FROM (
  SELECT municipality, year, ROW_NUMBER() OVER (
    PARTITION BY municipality, COALESCE(project_id, '')
    ORDER BY CASE role {_ROLE_RANK} ELSE {len(ROLE_ORDER)} END, ruleset_id {collate}, id DESC) AS n
  FROM cgc_records WHERE kind = 'evaluation') AS firsts
WHERE n = 1"""  # noqa: S608 - constants only


class Measured(NamedTuple):
    """One project as monitoring sees it (a tuple: a hundred thousand of them are made in a blink)."""

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


Cell = tuple[int | None, str, str, str, str, str]
"""Year, municipality, project type, rule (`ruleset/rule`), level and status of projects counted together."""
Kind = tuple[int | None, str, str, str, str]
"""Year, municipality and type of a project, and the ruleset and `rules` column of one of its chosen records."""

Row = tuple[Any, ...]
"""An evaluation as `ordered` selects it: municipality, project id, ruleset, role, year and type, then its origin
tonnes (responsible, total), MKI, MKI level, SEB status, `rules` column and the rank of its role."""


def _project(rows: list[Row], region: str | None) -> Measured:
    """A project from its chosen records in ruleset order: the last origin and MKI given, the SEB statuses
    combined; year, type and role of the first."""
    name, pid, _, role, year, ptype = rows[0][:6]
    origin = mki = mki_level = None
    seb: list[str] = []
    gww = ptype in GWW_TYPES
    for r in rows:
        good, total, value, level, status = r[6:11]
        if good is not None and total is not None and gww:
            origin = (good, total)
        if value is not None:
            mki, mki_level = value, level
        if status is not None:
            seb.append(status)
    return Measured(
        name,
        region,
        pid,
        ptype,
        year,
        role,
        origin,
        mki,
        mki_level,
        (seb[0] if len(seb) == 1 else combine(seb)) if seb else None,
    )


def _kinds(rows: list[Row], kinds: dict[Kind, list[Any]]) -> None:
    """Count the records of one project by what their rules say (their rulesets' rules are distinct by name)."""
    name, pid, _, _, year, ptype = rows[0][:6]
    for r in rows:
        kind = kinds.get(key := (year, name, ptype, r[2], r[11] or ""))
        if kind is None:
            kinds[key] = [1, pid]
        else:
            kind[0] += 1
            if pid < kind[1]:
                kind[1] = pid


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


def projects(rows: Iterable[Row], regions: dict[str, str | None], kinds: dict[Kind, list[Any]]) -> Iterator[Measured]:
    """Measured projects from the evaluations (`ordered`), in its order (by municipality and project id), as they
    stream by; each project's records counted into `kinds` (see `cells`). Of a project's records the first of each
    ruleset in its first (most advanced) role count; their year, type and role are those of the first of them."""
    current: list[Row] = []
    here: tuple[str, str] | None = None
    top, ruleset = None, None
    for r in rows:
        if (r[0], r[1]) != here:
            if current:
                yield _project(current, regions.get(current[0][0]))
                _kinds(current, kinds)
            current, here, top = [], (r[0], r[1]), r[12]
        elif r[12] != top or r[2] == ruleset:  # a less advanced role, or an older record of the same ruleset
            continue
        ruleset = r[2]
        current.append(r)
    if current:
        yield _project(current, regions.get(current[0][0]))
        _kinds(current, kinds)


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
