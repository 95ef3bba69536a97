"""The monitoring figures: pure functions over measured projects and self-assessments.

The responsible-origin share of a group is weighted by mass: the responsible tonnes of all its
measured GWW projects over their total tonnes, not an average of the projects' own shares.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from ..store.summary import PRECEDENCE
from .select import Assessed, Measured

_T = TypeVar("_T")
_K = TypeVar("_K")

# GMR, Plan van aanpak Circulaire GWW 2026–2030, summary and section 02.01: GWW 50 % circular in 2030.
GOAL_SHARE = 50.0
GOAL_YEAR = 2030
GOAL_SOURCE = "GMR, Plan van aanpak Circulaire GWW 2026–2030, samenvatting en 02.01"


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


def origin(projects: list[Measured]) -> dict[str, Any]:
    measured = [p.origin for p in projects if p.origin is not None]
    good = sum(g for g, _ in measured)
    total = sum(t for _, t in measured)
    return {
        "projects": len(measured),
        "responsible_t": good,
        "total_t": total,
        "share": good / total * 100 if total > 0 else None,
    }


def mki(projects: list[Measured]) -> dict[str, Any]:
    values = sorted(p.mki for p in projects if p.mki is not None)
    judged = [(p.mki, p.mki_level) for p in projects if p.mki is not None and p.mki_level is not None]
    within = sum(1 for value, level in judged if value <= level)
    levels = sorted({level for _, level in judged})
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
        "levels": levels,
        "judged": len(judged),
        "within_level": within,
        "within_share": _rate(within, len(judged)),
    }


def seb(projects: list[Measured]) -> dict[str, Any]:
    judged = [p.seb for p in projects if p.seb in ("pass", "fail", "missing_data")]
    passed = judged.count("pass")
    return {"projects": len(judged), "pass": passed, "rate": _rate(passed, len(judged))}


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


def group(projects: list[Measured], tallies: list[Tally]) -> dict[str, Any]:
    judged, measured = rules(tallies)
    return {
        "projects": len(projects),
        "origin": origin(projects),
        "mki": mki(projects),
        "seb": seb(projects),
        "rules": judged,
        "measure_only": measured,
    }


def _groups(
    projects: list[Measured], tallies: list[Tally]
) -> list[tuple[str | None, str | None, list[Measured], list[Tally]]]:
    """All projects, then per municipality, then per project type, each with its rules' tallies."""
    by_name, by_type = _by(projects, lambda p: p.municipality), _by(projects, lambda p: p.project_type)
    names, types = _by(tallies, lambda t: t.municipality), _by(tallies, lambda t: t.project_type)
    return [
        (None, None, projects, tallies),
        *((name, None, by_name[name], names.get(name, [])) for name in sorted(by_name)),
        *((None, kind, by_type[kind], types.get(kind, [])) for kind in sorted(by_type)),
    ]


def _by(items: list[_T], key: Callable[[_T], _K]) -> dict[_K, list[_T]]:
    out: dict[_K, list[_T]] = {}
    for item in items:
        out.setdefault(key(item), []).append(item)
    return out


def monitor(
    projects: list[Measured], tallies: list[Tally], assessments: list[Assessed], filters: Filters
) -> dict[str, Any]:
    """Every figure `cgc monitor` shows, as plain data (rows per year and region, trends, municipalities)."""
    kept = [p for p in projects if filters.keeps(p, with_year=False)]
    counted = _by([t for t in tallies if filters.keeps(t, with_year=False)], lambda t: (t.year or 0, t.region or ""))
    rows, trend = [], []
    for (year, region), items in sorted(_by(kept, lambda p: (p.year or 0, p.region or "")).items()):
        here = counted.get((year, region), [])
        figures = group(items, here)
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
        for name, kind, members, members_tallies in _groups(items, here):
            rows.append(
                {
                    "year": year,
                    "region": region or None,
                    "municipality": name,
                    "project_type": kind,
                    **(figures if name is None and kind is None else group(members, members_tallies)),
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
        "mki_values": [
            {"year": p.year, "region": p.region, "project_type": p.project_type, "value": p.mki, "level": p.mki_level}
            for p in kept
            if p.mki is not None and (filters.year is None or p.year == filters.year)
        ],
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
