"""What the rules of a `kind: corridor` ruleset can test: values the corridor engine computes.

Lint reads this table as it reads the project indicators; the engine compiles each rule on one
of these indicators into a durable-rules condition (`cgc_rules.corridor.compile`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CorridorIndicator:
    """A value computed by the corridor engine for one route, project or supply line."""

    key: str
    subject: str  # route | project | supply
    description: str
    unit: str | None = None  # kilometres and days are not in the project unit table
    kind: str = "number"
    root: str = "corridor"
    scale: tuple[str, ...] = ()


CORRIDOR_INDICATORS: dict[str, CorridorIndicator] = {
    i.key: i
    for i in (
        CorridorIndicator("route_leg_km", "route", "longest transport leg of a route, in km (haversine)"),
        CorridorIndicator("inventory_lead_weeks", "project",
                          "weeks between publishing the inventory and the start of demolition", unit="weeks"),
        CorridorIndicator("days_to_supply_expiry", "supply",
                          "days left before an unmatched supply line's available window closes"),
    )
}
