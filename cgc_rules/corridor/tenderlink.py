"""What a corridor means for one project's tender: the lines offered to it and the lines it must release.

A receiving project's tender set lists the corridor lines the engine allocates to it on the tender date
(*beschikbaar gestelde materialen*); a donor project's set lists what its contractor must release, where to and
when. Both come from the same allocations `cgc corridor match` shows, so the documents and the match agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ..errors import CgcError, Problem
from .allocate import Allocation
from .load import Corridor
from .model import Supply, Window


def line_id(a: Allocation) -> str:
    """The id a bid uses to claim an allocated corridor line: the allocation's route key."""
    return a.route.key


@dataclass(frozen=True)
class OfferedLine:
    """One allocation to the project: material the client makes available to the contractor."""

    id: str  # the route key, e.g. s-stadhuis-baksteen>direct>d-kop-baksteen
    supply: str
    demand: str
    category: str
    description: str
    tonnes: float
    quality: str  # the supply's condition, or the condition the hub's processing raises it to
    certification: str | None
    hub: str  # hub id, "" for direct transport
    window: Window  # when the supply line is available
    owner: str  # the partner releasing it: owner until delivery
    donor_project: str
    tonne_km: float


@dataclass(frozen=True)
class Destination:
    """Where part of a released line goes: a hub (or direct) and the receiving project."""

    hub: str
    project: str
    tonnes: float


@dataclass(frozen=True)
class ReleaseLine:
    """One supply line of a donor project: what its contractor must release and deliver."""

    supply: str
    category: str
    description: str
    quantity: float
    condition: str
    certification: str | None
    window: Window
    destinations: tuple[Destination, ...]  # empty: offered, not (yet) taken up

    @property
    def allocated(self) -> float:
        return sum(d.tonnes for d in self.destinations)


@dataclass(frozen=True)
class CorridorLink:
    """One project's place in a corridor on a day: offered lines (receiver) and release obligations (donor)."""

    corridor: str
    corridor_name: str
    version: str
    example: bool
    as_of: date
    project: str
    project_name: str
    offered: tuple[OfferedLine, ...]
    released: tuple[ReleaseLine, ...]
    inventory_due: date | None  # start of demolition minus the inventory notice of the rules of play
    notice_weeks: float | None
    notice_example: bool
    allocated_to: tuple[tuple[str, str], ...] = ()  # (line id, receiving project) of every allocation, sorted

    def holds(self, line: str) -> OfferedLine | None:
        """The line offered to this project under id `line`, else None."""
        return next((o for o in self.offered if o.id == line), None)


def _owner(corridor: Corridor, supply: Supply) -> str:
    partner = corridor.projects[supply.project].partner
    return next((p.name for p in corridor.meta.partners if p.id == partner), partner)


def link(corridor: Corridor, allocations: list[Allocation], project: str, as_of: date) -> CorridorLink:
    """The corridor's lines for `project` as of `as_of`; a project the corridor does not know is an error."""
    if project not in corridor.projects:
        raise CgcError(
            Problem(
                f"project {project!r} is not in corridor {corridor.meta.id} "
                f"(its projects: {', '.join(sorted(corridor.projects))})",
                field="project.id",
            )
        )
    supplies = {s.id: s for s in corridor.supply}
    demands = {d.id: d for d in corridor.demand}
    offered = []
    for a in allocations:
        d, s = demands[a.route.demand], supplies[a.route.supply]
        if d.project != project:
            continue
        offered.append(
            OfferedLine(
                id=line_id(a),
                supply=s.id,
                demand=d.id,
                category=s.category,
                description=s.description,
                tonnes=a.tonnes,
                quality=a.route.raised or s.condition.value,
                certification=s.certification,
                hub=a.route.via,
                window=s.available,
                owner=_owner(corridor, s),
                donor_project=s.project,
                tonne_km=a.tonne_km,
            )
        )
    released = []
    for s in corridor.supply:
        if s.project != project:
            continue
        dests = tuple(
            Destination(a.route.via, demands[a.route.demand].project, a.tonnes)
            for a in allocations
            if a.route.supply == s.id
        )
        released.append(
            ReleaseLine(
                s.id,
                s.category,
                s.description,
                s.quantity,
                s.condition.value,
                s.certification,
                s.available,
                dests,
            )
        )
    p = corridor.projects[project]
    demolition = p.phase("demolition")
    notice = corridor.parameters.get("inventory_notice_weeks")
    weeks = float(notice.value) if notice is not None else None
    due = demolition.window.start - timedelta(weeks=weeks) if demolition and weeks is not None else None
    return CorridorLink(
        corridor=corridor.meta.id,
        corridor_name=corridor.meta.name,
        version=corridor.version,
        example=corridor.meta.example,
        as_of=as_of,
        project=project,
        project_name=p.name,
        offered=tuple(sorted(offered, key=lambda o: o.id)),
        released=tuple(released),
        inventory_due=due,
        notice_weeks=weeks,
        notice_example=bool(notice and notice.example),
        allocated_to=tuple(sorted((line_id(a), demands[a.route.demand].project) for a in allocations)),
    )
