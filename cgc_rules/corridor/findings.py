"""What the engine finds: routes (candidate or refused) and alerts, as plain sortable records.

Refusals and alerts carry the numbers, ids and dates behind them; `texts` words them per language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .texts import alert_text, refusal_text


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
    """A route the rules of play turn down."""

    route: Route
    reason: str  # distance | time
    rule: str  # too_far | needed_before_available | windows_apart | stored_too_long
    limit: float = 0.0  # the distance limit (too_far) or the hub's maximum storage days (stored_too_long)

    @property
    def detail(self) -> str:
        """The reason in English (the JSON's machine-readable `detail`)."""
        return refusal_text(self, "en")


@dataclass(frozen=True, order=True)
class Alert:
    """A rules-of-play signal about a project, hub, hub arrival or supply line."""

    kind: str  # late_inventory | hub_over_capacity | stored_too_long | supply_expiring
    subject: str  # project, hub, arrival or supply id
    hub: str = ""  # stored_too_long: the hub
    tonnes: float = 0.0  # hub_over_capacity: tonnes in stock
    limit: float = 0.0  # notice weeks, maximum storage days or hub capacity in tonnes
    day: date | None = None  # demolition start, arrival day or last available day

    @property
    def detail(self) -> str:
        """The signal in English (the JSON's machine-readable `detail`)."""
        return alert_text(self, "en")
