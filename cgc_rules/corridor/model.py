"""The corridor's data files as pydantic models: partners, projects, hubs, supply, demand, events."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, StringConstraints, model_validator

from ..fields import Bounded, StrictFinite
from ..ruleset import Text

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
ParamName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=80)]
Lat = Annotated[float, Field(ge=-90, le=90), Bounded]  # Bounded: no 1e-320 reaches the engine's JSON
Lon = Annotated[float, Field(ge=-180, le=180), Bounded]


def _at_least_a_kilo(value: float) -> float:
    if value < 0.001:
        raise ValueError("give at least 0.001 t (1 kg)")  # the rules engine cannot read 1e-05 and a gram means nothing
    return value


Tonnes = Annotated[float, Field(gt=0, le=1e7), Bounded, AfterValidator(_at_least_a_kilo)]
PhaseName = Literal["demolition", "construction", "renovation", "groundwork"]


class _M(BaseModel):
    # built at first use: a file's model builds the lines inside it, so a nested model is never built on its own
    # (`cgc corridor match` starts ≈ 0.1 s sooner); pydantic ≥ 2.14 builds under a lock, safe in the server's threads
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Quality(str, Enum):
    """Condition of a material, worst first: a demand's minimum is met by this grade or better."""

    poor = "poor"
    fair = "fair"
    good = "good"
    as_new = "as_new"

    @property
    def rank(self) -> int:
        return _RANKS[self]


_RANKS = {q: i for i, q in enumerate(Quality)}


Day = Annotated[date, Field(ge=date(1900, 1, 1), le=date(2999, 12, 31))]
"""A calendar day of a corridor: within 1900–2999, so the calendar and week counts never leave Python's dates."""


class Role(str, Enum):
    donor = "donor"
    receiver = "receiver"
    both = "both"


class Window(_M):
    """A closed period of days: `start` and `end` both belong to it."""

    start: Day
    end: Day

    @model_validator(mode="after")
    def _ordered(self) -> Window:
        if self.end < self.start:
            raise ValueError(f"end {self.end} lies before start {self.start}")
        return self


TransportMode = Literal["zero_emission", "combustion"]


class Partner(_M):
    id: Slug
    name: str = Field(min_length=1)
    kind: str = Field(min_length=1, description="municipality, contractor, demolition firm, …")
    transport: TransportMode | None = Field(None, description="How the partner moves material it sends out.")


class Phase(_M):
    name: PhaseName
    window: Window


class Place(_M):
    lat: Lat
    lon: Lon
    approximate: bool = Field(False, description="True when the coordinates are an estimate, not a surveyed point.")


class Project(_M):
    id: Slug
    name: str = Field(min_length=1)
    partner: Slug
    role: Role
    place: Place
    phases: list[Phase] = []
    inventory_published: Day | None = Field(None, description="Day the donor shared its material inventory.")

    def phase(self, name: str) -> Phase | None:
        return next((p for p in self.phases if p.name == name), None)


class Raise(_M):
    """A processing step of a hub that brings material of one category to a better condition."""

    category: Slug
    to: Quality
    process: str = Field(min_length=1, description="one of the hub's `processing` steps, e.g. cleaning")


class Hub(_M):
    id: Slug
    name: str = Field(min_length=1)
    place: Place
    capacity_t: Tonnes
    max_storage_days: int = Field(gt=0, le=3650)
    processing: list[str] = []
    raises: list[Raise] = []
    transport: TransportMode | None = Field(None, description="How the hub moves material on to receivers.")

    @model_validator(mode="after")
    def _known_process(self) -> Hub:
        for r in self.raises:
            if r.process not in self.processing:
                raise ValueError(f"raises: process {r.process!r} is not in processing {self.processing}")
        return self


class _Line(_M):
    """What supply and demand lines share: which project, what material, how much."""

    id: Slug
    project: Slug
    category: Slug
    description: str = Field(min_length=1)
    quantity: Tonnes
    unit: Literal["t"] = "t"


class Supply(_Line):
    condition: Quality
    certification: str | None = None
    available: Window


class Demand(_Line):
    min_quality: Quality
    needed: Window


class FillIn(_M):
    """A value for a rules-of-play parameter the sources leave open."""

    value: StrictBool | StrictFinite
    example: bool = Field(description="True: an example value to fill in, not policy. Must be stated.")
    note: str | None = None


class RulesOfPlay(_M):
    ruleset: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*@\d{4}\.\d+$", description="id@version under corridors/rulesets/")
    values: dict[ParamName, FillIn] = {}


class CorridorFile(_M):
    """`corridor.yaml`: who takes part, which rules of play apply, which hubs exist."""

    id: Slug
    name: str = Field(min_length=1)
    example: bool = Field(description="True when the data are made up to show the engine, not real inventories.")
    note: Text | None = Field(None, description="What partners should know about the data, in Dutch and English.")
    rules_of_play: RulesOfPlay
    partners: list[Partner] = Field(min_length=1)
    hubs: list[Hub] = []


class ProjectsFile(_M):
    projects: list[Project] = Field(min_length=1)


class InventoryFile(_M):
    supply: list[Supply] = []
    demand: list[Demand] = []


class PhaseChange(_M):
    type: Literal["phase_change"]
    day: Day
    project: Slug
    phase: PhaseName
    window: Window


class WindowChange(_M):
    type: Literal["window_change"]
    day: Day
    line: Slug
    window: Window


class InventoryPublished(_M):
    type: Literal["inventory_published"]
    day: Day
    project: Slug


class HubArrival(_M):
    type: Literal["hub_arrival"]
    day: Day
    id: Slug
    hub: Slug
    supply: Slug
    tonnes: Tonnes
    departed: Day | None = None


class LinePut(_M):
    """A new supply or demand line, or a new version of one (same id)."""

    type: Literal["line_put"]
    day: Day
    supply: Supply | None = None
    demand: Demand | None = None

    @model_validator(mode="after")
    def _one(self) -> LinePut:
        if (self.supply is None) == (self.demand is None):
            raise ValueError("give exactly one of supply and demand")
        return self

    @property
    def line(self) -> Supply | Demand:
        if self.supply is not None:
            return self.supply
        assert self.demand is not None  # `_one` lets exactly one through
        return self.demand


class LineWithdrawn(_M):
    """A line taken out of the corridor."""

    type: Literal["line_withdrawn"]
    day: Day
    line: Slug


Event = Annotated[
    PhaseChange | WindowChange | InventoryPublished | HubArrival | LinePut | LineWithdrawn, Field(discriminator="type")
]


class EventsFile(_M):
    events: list[Event] = []
