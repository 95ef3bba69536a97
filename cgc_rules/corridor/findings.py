"""What the engine finds: routes (candidate or refused) and alerts, as plain sortable records."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True, order=True)
class Route:
    """One way to bring a supply line to a demand line: direct, or through a hub."""

    supply: str
    demand: str
    via: str  # hub id, or "" for direct transport
    leg_km: float  # longest leg
    km: float  # total distance travelled
    storage_days: int  # days waiting in the hub (0 when direct)

    @property
    def key(self) -> str:
        return f"{self.supply}>{self.via or 'direct'}>{self.demand}"


@dataclass(frozen=True, order=True)
class Refusal:
    route: Route
    reason: str  # distance | time
    detail: str


@dataclass(frozen=True, order=True)
class Alert:
    kind: str  # late_inventory | hub_over_capacity | stored_too_long | supply_expiring
    subject: str  # project, hub, arrival or supply id
    detail: str

    def as_dict(self) -> dict:
        return asdict(self)
