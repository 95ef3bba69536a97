"""What the rules of a `kind: corridor` ruleset can test: values the corridor engine computes.

Each subject is a record the corridor engine's findings yield (a route, a donor project, an
unmatched supply line); the corridor engine compiles each rule on one of these indicators into
a durable-rules condition (`cgc_rules.corridor.rules`).
"""

from __future__ import annotations

from ..ruleset import Text
from .base import Indicator, attr, index

INDICATORS: dict[str, Indicator] = index(
    [
        Indicator(
            "route_leg_km",
            "route",
            Text(
                nl="langste transportbeweging van een route, in km (hemelsbreed)",
                en="longest transport leg of a route, in km (haversine)",
            ),
            attr("leg_km"),
            root="corridor",
        ),
        Indicator(
            "inventory_lead_weeks",
            "project",
            Text(
                nl="weken tussen het delen van de inventarisatie en de start van de sloop",
                en="weeks between publishing the inventory and the start of demolition",
            ),
            attr("lead_weeks", missing=lambda p: f"projects[{p.name}].inventory_published"),
            unit="weeks",
            root="corridor",
        ),
        Indicator(
            "days_to_supply_expiry",
            "supply",
            Text(
                nl="dagen tot het einde van de beschikbaarheid van een vrijkomende partij zonder afnemer",
                en="days left before an unmatched supply line's available window closes",
            ),
            attr("days_left"),
            root="corridor",
        ),
    ]
)
