"""Monitoring figures of a corridor as of a day: tonnes allocated through it, tonne-km, emission-free share,
and what was offered but not taken up, with the engine's reason.

A tonne counts in the year its receiving project needs it (the start of the demand's window); partners
count by the receiving project's partner. Undeclared transport does not count as emission-free.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from .allocate import Allocation
from .engine import Findings
from .index import refusal_columns
from .load import Corridor

TOLERANCE_T = 1e-9  # tonnes left over by float rounding are not "not taken"


@dataclass(frozen=True)
class Flow:
    """Tonnes of one donor category allocated to one receiving project."""

    category: str
    project: str
    tonnes: float


@dataclass(frozen=True)
class NotTaken:
    """Tonnes of a supply line the allocation leaves, and why (the engine's refusal, or its own)."""

    supply: str
    category: str
    tonnes: float
    reason: str  # a refusal rule (too_far, needed_before_available, …), or no_demand / left_over


@dataclass(frozen=True)
class Flows:
    total_t: float
    tonne_km: float
    emission_free_t: float
    by_year: dict[int, float]
    by_partner: dict[str, float]
    by_category: dict[str, float]
    flows: list[Flow]
    not_taken: list[NotTaken]

    @property
    def emission_free_share(self) -> float | None:
        """Percentage of the tonnes moved with every leg declared zero-emission; None when nothing moved."""
        return self.emission_free_t / self.total_t * 100 if self.total_t else None


def _reasons(findings: Findings) -> Callable[[str], str]:
    """Why a supply line's left-over tonnes were not taken, read from the findings once for all lines (a
    corridor of 20,000 lines has about 100,000 refused routes)."""
    routed = {r.supply for r in findings.candidates}
    refused: dict[str, set[str]] = defaultdict(set)
    for c in refusal_columns(findings.refusals):
        for supply, rule in zip(c.supply, c.rule, strict=True):
            refused[supply].add(rule)

    def reason(supply: str) -> str:
        if supply in routed:
            return "left_over"  # it had routes: the demand was met by less, or a hub or another donor took the rest
        return ", ".join(sorted(refused.get(supply, ()))) or "no_demand"

    return reason


def flows(corridor: Corridor, findings: Findings, allocations: list[Allocation]) -> Flows:
    """The monitoring figures of the corridor's allocations (`jobs.corridor.match` gives all three)."""
    supply = {s.id: s for s in corridor.supply}
    demand = {d.id: d for d in corridor.demand}
    partners = {p.id: p.name for p in corridor.meta.partners}
    by_year: dict[int, float] = defaultdict(float)
    by_partner: dict[str, float] = defaultdict(float)
    by_category: dict[str, float] = defaultdict(float)
    pairs: dict[tuple[str, str], float] = defaultdict(float)
    used: dict[str, float] = defaultdict(float)
    tkm = free = 0.0
    for a in allocations:
        s, d = supply[a.route.supply], demand[a.route.demand]
        receiver = corridor.projects[d.project]
        by_year[d.needed.start.year] += a.tonnes
        by_partner[partners.get(receiver.partner, receiver.partner)] += a.tonnes
        by_category[s.category] += a.tonnes
        pairs[(s.category, d.project)] += a.tonnes
        used[s.id] += a.tonnes
        tkm += a.tonne_km
        free += a.tonnes if a.emission_free else 0.0
    reason = _reasons(findings)
    left = [
        NotTaken(s.id, s.category, s.quantity - used[s.id], reason(s.id))
        for s in corridor.supply
        if s.quantity - used[s.id] > TOLERANCE_T
    ]
    return Flows(
        total_t=sum(a.tonnes for a in allocations),
        tonne_km=tkm,
        emission_free_t=free,
        by_year=dict(sorted(by_year.items())),
        by_partner=dict(sorted(by_partner.items())),
        by_category=dict(sorted(by_category.items())),
        flows=[Flow(c, p, t) for (c, p), t in sorted(pairs.items())],
        not_taken=left,
    )
