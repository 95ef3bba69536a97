"""The monitoring figures: measured projects gathered per year, region, municipality and type as they stream by
(`gather`), then pure functions over those groups and the self-assessments.

The responsible-origin share of a group is weighted by mass: the responsible tonnes of all its
measured GWW projects over their total tonnes, not an average of the projects' own shares.
"""

from __future__ import annotations

import math
import statistics
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ..store.summary import PRECEDENCE
from .select import Assessed, Measured
from .values import MkiValues

_T = TypeVar("_T")
_K = TypeVar("_K")

# GMR, Plan van aanpak Circulaire GWW 2026–2030, summary and section 02.01: GWW 50 % circular in 2030.
GOAL_SHARE = 50.0
GOAL_YEAR = 2030
GOAL_SOURCE = "GMR, Plan van aanpak Circulaire GWW 2026–2030, samenvatting en 02.01"

SEB_JUDGED = ("pass", "fail", "missing_data")


@dataclass(frozen=True, slots=True)
class Tally:
    """How many projects of one municipality, year and type have `status` on one rule (`ruleset/rule`) judged at
    `level`, counted by the database; `first` is the first of those projects by id."""

    year: int | None
    municipality: str
    region: str | None
    project_type: str
    rule: str
    level: str
    status: str
    count: int
    first: str


@dataclass(frozen=True)
class Filters:
    year: int | None = None
    region: str | None = None
    municipality: str | None = None
    project_type: str | None = None

    def keeps(self, p: Measured | Assessed | Tally, *, with_year: bool = True) -> bool:
        return (
            (not with_year or self.year is None or p.year == self.year)
            and (self.region is None or p.region == self.region)
            and (self.municipality is None or p.municipality == self.municipality)
            and (self.project_type is None or isinstance(p, Assessed) or p.project_type == self.project_type)
        )


def _rate(good: int, of: int) -> float | None:
    return good / of * 100 if of else None


@dataclass(slots=True)
class Measures:
    """What the figures of a group of projects are computed from, gathered a project at a time: the origin tonnes
    and MKI of each as columns, counts for the rest."""

    projects: int = 0
    good: array[float] = field(default_factory=lambda: array("d"))  # responsible t of GWW projects with a list
    total: array[float] = field(default_factory=lambda: array("d"))  # their total t
    mki: array[float] = field(default_factory=lambda: array("d"))
    judged: int = 0  # projects with an MKI and an MKI level
    within: int = 0  # of those, at or under their level
    levels: set[float] = field(default_factory=set)
    seb_judged: int = 0
    seb_pass: int = 0

    def add(self, p: Measured) -> None:
        self.projects += 1
        if p.origin is not None:
            self.good.append(p.origin[0])
            self.total.append(p.origin[1])
        if p.mki is not None:
            self.mki.append(p.mki)
            if p.mki_level is not None:
                self.judged += 1
                self.within += p.mki <= p.mki_level
                self.levels.add(p.mki_level)
        if p.seb in SEB_JUDGED:
            self.seb_judged += 1
            self.seb_pass += p.seb == "pass"

    @classmethod
    def joined(cls, parts: list[Measures]) -> Measures:
        if len(parts) == 1:
            return parts[0]
        out = cls()
        for m in parts:
            out.projects += m.projects
            out.good.extend(m.good)
            out.total.extend(m.total)
            out.mki.extend(m.mki)
            out.judged += m.judged
            out.within += m.within
            out.levels |= m.levels
            out.seb_judged += m.seb_judged
            out.seb_pass += m.seb_pass
        return out


def origin(m: Measures) -> dict[str, Any]:
    """Tonnes summed exactly (`math.fsum`): the same figures whatever order the database hands projects over in."""
    good, total = math.fsum(m.good), math.fsum(m.total)
    return {
        "projects": len(m.good),
        "responsible_t": good,
        "total_t": total,
        "share": good / total * 100 if total > 0 else None,
    }


def mki(m: Measures) -> dict[str, Any]:
    values = sorted(m.mki)
    q1: float | None
    median: float | None
    q3: float | None
    if len(values) >= 2:
        q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    elif values:
        q1 = median = q3 = values[0]
    else:
        q1 = median = q3 = None
    return {
        "projects": len(values),
        "q1": q1,
        "median": median,
        "q3": q3,
        "min": values[0] if values else None,
        "max": values[-1] if values else None,
        "levels": sorted(m.levels),
        "judged": m.judged,
        "within_level": m.within,
        "within_share": _rate(m.within, m.judged),
    }


def seb(m: Measures) -> dict[str, Any]:
    return {"projects": m.seb_judged, "pass": m.seb_pass, "rate": _rate(m.seb_pass, m.seb_judged)}


def rules(tallies: list[Tally]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Compliance per rule (requirement and ambition) and, for measure-only rules, the share that reported; a rule's
    level is the one its first project (by municipality and id) was judged at."""
    counts: dict[str, dict[str, int]] = {}
    levels: dict[str, tuple[tuple[str, str], str]] = {}
    for t in tallies:
        tally = counts.setdefault(t.rule, dict.fromkeys(PRECEDENCE, 0))
        tally[t.status] += t.count
        first = (t.municipality, t.first)
        if t.rule not in levels or first < levels[t.rule][0]:
            levels[t.rule] = (first, t.level)
    judged, measured = [], []
    for key in sorted(counts):
        count, level = counts[key], levels[key][1]
        if level == "measure":
            of = count["reported"] + count["missing_data"] + count["fail"]
            if of:
                measured.append(
                    {
                        "rule": key,
                        "applicable": of,
                        "reported": count["reported"],
                        "share": _rate(count["reported"], of),
                    }
                )
            continue
        of = count["pass"] + count["fail"] + count["missing_data"]
        if of:
            judged.append(
                {
                    "rule": key,
                    "level": level,
                    "pass": count["pass"],
                    "fail": count["fail"],
                    "missing_data": count["missing_data"],
                    "rate": _rate(count["pass"], of),
                }
            )
    return judged, measured


def group(measures: Measures, tallies: list[Tally]) -> dict[str, Any]:
    judged, measured = rules(tallies)
    return {
        "projects": measures.projects,
        "origin": origin(measures),
        "mki": mki(measures),
        "seb": seb(measures),
        "rules": judged,
        "measure_only": measured,
    }


CellKey = tuple[int, str, str, str]
"""Year (0: none), region ("": none), municipality and project type of projects measured together."""


@dataclass(frozen=True)
class Gathered:
    """The projects that meet the filters (the year aside), gathered per `CellKey`, and the MKI values listed."""

    cells: dict[CellKey, Measures]
    mki_values: MkiValues


def gather(projects: Iterable[Measured], filters: Filters) -> Gathered:
    """Gather the projects as they stream by: nothing is kept of a project but its tonnes and MKI."""
    cells: dict[CellKey, Measures] = {}
    values = MkiValues()
    for p in projects:
        if not filters.keeps(p, with_year=False):
            continue
        key = (p.year or 0, p.region or "", p.municipality, p.project_type)
        cell = cells.get(key)
        if cell is None:
            cell = cells[key] = Measures()
        cell.add(p)
        if p.mki is not None and (filters.year is None or p.year == filters.year):
            values.add((p.year, p.region, p.project_type), p.mki, p.mki_level)
    return Gathered(cells, values)


def _groups(
    cells: dict[str, dict[str, Measures]], tallies: list[Tally]
) -> list[tuple[str | None, str | None, Measures, list[Tally]]]:
    """All projects, then per municipality, then per project type, each with its rules' tallies (`cells`:
    municipality -> project type -> measures)."""
    by_type: dict[str, list[Measures]] = {}
    for kinds in cells.values():
        for kind, m in kinds.items():
            by_type.setdefault(kind, []).append(m)
    names, types = _by(tallies, lambda t: t.municipality), _by(tallies, lambda t: t.project_type)
    return [
        (None, None, Measures.joined([m for kinds in cells.values() for m in kinds.values()]), tallies),
        *((name, None, Measures.joined(list(cells[name].values())), names.get(name, [])) for name in sorted(cells)),
        *((None, kind, Measures.joined(by_type[kind]), types.get(kind, [])) for kind in sorted(by_type)),
    ]


def _by(items: list[_T], key: Callable[[_T], _K]) -> dict[_K, list[_T]]:
    out: dict[_K, list[_T]] = {}
    for item in items:
        out.setdefault(key(item), []).append(item)
    return out


def monitor(gathered: Gathered, tallies: list[Tally], assessments: list[Assessed], filters: Filters) -> dict[str, Any]:
    """Every figure `cgc monitor` shows, as plain data (rows per year and region, trends, municipalities); the
    MKI values listed as columns (`MkiValues`)."""
    counted = _by([t for t in tallies if filters.keeps(t, with_year=False)], lambda t: (t.year or 0, t.region or ""))
    places: dict[tuple[int, str], dict[str, dict[str, Measures]]] = {}
    for (year, region, name, ptype), m in sorted(gathered.cells.items()):
        places.setdefault((year, region), {}).setdefault(name, {})[ptype] = m
    rows, trend = [], []
    for (year, region), cells in places.items():
        here = counted.get((year, region), [])
        groups = _groups(cells, here)
        figures = group(groups[0][2], here)
        trend.append(
            {
                "year": year,
                "region": region or None,
                "projects": figures["projects"],
                "origin_share": figures["origin"]["share"],
                "mki_median": figures["mki"]["median"],
                "seb_rate": figures["seb"]["rate"],
            }
        )
        if filters.year is not None and year != filters.year:
            continue
        for who, kind, members, members_tallies in groups:
            rows.append(
                {
                    "year": year,
                    "region": region or None,
                    "municipality": who,
                    "project_type": kind,
                    **(figures if who is None and kind is None else group(members, members_tallies)),
                }
            )
    municipalities = [a for a in assessments if filters.keeps(a, with_year=False)]
    return {
        "filters": {
            "year": filters.year,
            "region": filters.region,
            "municipality": filters.municipality,
            "project_type": filters.project_type,
        },
        "goal": {"share": GOAL_SHARE, "year": GOAL_YEAR, "source": GOAL_SOURCE},
        "rows": rows,
        "trend": trend,
        "mki_values": gathered.mki_values,
        "municipalities": [
            {
                "name": a.municipality,
                "region": a.region,
                "year": a.year,
                "day": a.day,
                "profile": a.profile,
                "profile_next": a.profile_next,
                "profile_steps": a.profile_steps,
                "elements": a.elements,
                "element_next": a.element_next,
                "spinnenweb": a.spinnenweb,
            }
            for a in municipalities
        ],
    }
