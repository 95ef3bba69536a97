"""Monitoring figures of a corridor as of a day: tonnes allocated through it, tonne-km, emission-free share,
and what was offered but not taken up, with the engine's reason.

A tonne counts in the year its receiving project needs it (the start of the demand's window); partners
count by the receiving project's partner. Undeclared transport does not count as emission-free.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .allocate import Allocation
from .engine import Findings
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


def _reason(supply: str, findings: Findings) -> str:
    if any(r.supply == supply for r in findings.candidates):
        return "left_over"  # it had routes: the demand was met by less, or a hub or another donor took the rest
    refusals = sorted({x.rule for x in findings.refusals if x.route.supply == supply})
    return ", ".join(refusals) or "no_demand"


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
    left = [
        NotTaken(s.id, s.category, s.quantity - used[s.id], _reason(s.id, findings))
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
