"""What the rules of a `kind: corridor` ruleset can test: values the corridor engine computes.

Each subject is a record the corridor engine's findings yield (a route, a donor project, a
supply line: `cgc_rules.corridor.rules.Subjects`). The first three are the engine's own rules of
play (the indexed join and durable-rules conditions); a rule on any further indicator entered
here is evaluated on those subjects like a rule of any other kind (`cgc_rules.corridor.rules`).
"""

from __future__ import annotations

from .base import Indicator, attr, index

INDICATORS: dict[str, Indicator] = index(
    [
        Indicator(
            "route_leg_km",
            "route",
            attr("leg_km"),
            root="corridor",
        ),
        Indicator(
            "inventory_lead_weeks",
            "project",
            attr("lead_weeks", missing=lambda p: f"projects[{p.name}].inventory_published"),
            unit="weeks",
            root="corridor",
        ),
        Indicator(
            "days_to_supply_expiry",
            "supply",
            attr("days_left"),
            root="corridor",
        ),
    ]
)
