"""The claims job: a bid's corridor lines checked against the allocations and, later, the hub departures.

`cgc claims` calls it: the claims must name lines the corridor allocates to the bid's project on the
tender date (they then count as reused, with the allocation as evidence); the delivery table compares
the tonnes claimed with the tonnes that left the hub by the day looked from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..corridor.claims import Claim, claims
from ..corridor.load import load_corridor
from ..corridor.tenderlink import CorridorLink, link
from ..errors import CgcError, Problem
from ..scoring.bids import read_submission
from ..scoring.verify import CorridorDelivery, corridor_deliveries
from ..submission import Submission
from .corridor import directory, match


@dataclass(frozen=True)
class ClaimCheck:
    """The bid's valid claims with their evidence, and claimed against delivered as of `as_of`."""

    submission: str
    link: CorridorLink
    claims: list[Claim]
    deliveries: list[CorridorDelivery]
    as_of: date

    def data(self) -> dict[str, Any]:
        """Plain data: each claim with its allocation, and the claimed-vs-delivered table."""
        return {
            "submission": self.submission,
            "corridor": self.link.corridor,
            "version": self.link.version,
            "project": self.link.project,
            "tender_date": self.link.as_of.isoformat(),
            "as_of": self.as_of.isoformat(),
            "claims": [
                {
                    "material": c.name,
                    "line": c.line.id,
                    "claimed_t": c.mass_t,
                    "allocated_t": c.line.tonnes,
                    "origin": "hergebruikt",
                    "evidence": {"supply": c.line.supply, "demand": c.line.demand, "hub": c.line.hub},
                }
                for c in self.claims
            ],
            "deliveries": [
                {
                    "line": d.line,
                    "hub": d.hub,
                    "claimed_t": d.claimed,
                    "delivered_t": d.delivered,
                    "shortfall_t": d.shortfall,
                }
                for d in self.deliveries
            ],
        }


def check(bid: Path, corridor_ref: str, as_of: date, tender_date: date | None = None) -> ClaimCheck:
    """Check the corridor lines claimed in `bid` (its project's id names it in the corridor) against the
    allocations on the tender date (`tender_date`, else the project's), and the hub departures up to `as_of`."""
    loaded = read_submission(bid)
    return check_submission(loaded.submission, loaded.path, directory(corridor_ref), as_of, tender_date)


def check_submission(
    s: Submission, path: str, corridor_dir: Path, as_of: date, tender_date: date | None = None
) -> ClaimCheck:
    """`check` on a submission already read (from `path`, named in the problems)."""
    day = tender_date or s.project.tender_date
    if day is None:
        raise CgcError(Problem("give the tender date (project.tender_date or --tender-date)", path))
    view = match(corridor_dir, day, "nl")
    lk = link(view.corridor, view.allocations, s.project.id, day)
    found = claims(s, lk, path)
    events = load_corridor(corridor_dir).events
    return ClaimCheck(path, lk, found, corridor_deliveries(found, events, as_of), as_of)
