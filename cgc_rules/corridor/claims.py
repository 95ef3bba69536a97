"""A bid's claims on corridor lines: checked against the allocations, and later against the hub departures.

A material line of a bid may name a corridor line (`corridor_line`, the allocation's id). The claim holds
when the corridor allocates that line to the bid's project on the tender date and the claimed mass stays
within the allocated tonnes; then the line counts as reused with the allocation as evidence. At delivery,
the hub's departures of that supply line show how much actually left the hub for the project.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..errors import CgcError, Problem
from ..submission import Submission
from .model import Event, HubArrival
from .tenderlink import CorridorLink, OfferedLine

TOLERANCE_T = 1e-9  # tonnes: claimed mass equal to the allocation, up to float rounding, is within it


@dataclass(frozen=True)
class Claim:
    """One material line claiming a corridor line: the line as offered and the mass claimed."""

    material: int  # index in the submission's materials
    name: str
    line: OfferedLine
    mass_t: float


def claims(submission: Submission, link: CorridorLink, file: str) -> list[Claim]:
    """The bid's claims, each on a line the corridor allocates to its project; every bad claim is one problem
    naming the material line and the corridor line (not held, held for another project, more than allocated)."""
    out: list[Claim] = []
    problems: list[Problem] = []
    elsewhere = dict(link.allocated_to)
    for i, m in enumerate(submission.materials or []):
        if m.corridor_line is None:
            continue
        field = f"materials[{i}].corridor_line"
        line = link.holds(m.corridor_line)
        if line is not None:
            out.append(Claim(i, m.name, line, m.mass_t))
        elif m.corridor_line in elsewhere:
            problems.append(
                Problem(
                    f"corridor line {m.corridor_line!r} is allocated to project {elsewhere[m.corridor_line]!r}, "
                    f"not to {link.project!r} (corridor {link.corridor}, {link.as_of.isoformat()})",
                    file,
                    field=field,
                )
            )
        else:
            problems.append(
                Problem(
                    f"corridor {link.corridor} holds no line {m.corridor_line!r} on {link.as_of.isoformat()}",
                    file,
                    field=field,
                )
            )
    for line_id in sorted({c.line.id for c in out}):
        claimed = sum(c.mass_t for c in out if c.line.id == line_id)
        line = next(c.line for c in out if c.line.id == line_id)
        if claimed > line.tonnes + TOLERANCE_T:
            problems.append(
                Problem(
                    f"corridor line {line_id!r}: {claimed:g} t claimed, {line.tonnes:g} t allocated",
                    file,
                    field="materials",
                )
            )
    if problems:
        raise CgcError(problems)
    return out


def departed(events: list[Event], line: OfferedLine, as_of: date) -> float | None:
    """Tonnes of the line's supply that left its hub by `as_of`, capped at the line's tonnes;
    None for a direct line (no hub records it)."""
    if not line.hub:
        return None
    gone = sum(
        e.tonnes
        for e in events
        if isinstance(e, HubArrival)
        and e.hub == line.hub
        and e.supply == line.supply
        and e.departed is not None
        and e.departed <= as_of
    )
    return min(gone, line.tonnes)
