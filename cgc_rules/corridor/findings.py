"""What the engine finds: routes (candidate or refused) and alerts, as plain sortable records.

Refusals and alerts carry the numbers, ids and dates behind them and say what they mean as a
structured message (`msg`: a catalogue key and its fields); `texts` words them per language.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import astuple, dataclass
from datetime import date
from typing import NamedTuple

from ..i18n import Msg, Qty


@dataclass(frozen=True, order=True, slots=True)
class Route:
    """One way to bring a supply line to a demand line: direct, or through a hub."""

    supply: str
    demand: str
    via: str  # hub id, or "" for direct transport
    leg_km: float  # longest leg
    km: float  # total distance travelled
    storage_days: int  # days waiting in the hub (0 when direct)
    raised: str = ""  # the condition the hub's processing brings the material to, when the demand needs that

    @property
    def key(self) -> str:
        return f"{self.supply}>{self.via or 'direct'}>{self.demand}"


@dataclass(frozen=True, order=True, slots=True)
class Refusal:
    """A route the rules of play turn down."""

    route: Route
    reason: str  # distance | time
    rule: str  # too_far | needed_before_available | windows_apart | stored_too_long
    limit: float = 0.0  # the distance limit (too_far) or the hub's maximum storage days (stored_too_long)

    @property
    def msg(self) -> Msg:
        """Why the route is refused, as a catalogue message."""
        return refusal_msg(self.rule, self.route.leg_km, self.limit)


class RefusalColumns(NamedTuple):
    """Refusals as columns of plain values: for writers of millions of them."""

    supply: list[str]
    demand: list[str]
    via: list[str]
    leg_km: list[float]
    km: list[float]
    storage_days: list[int]
    raised: list[str]
    reason: list[str]
    rule: list[str]
    limit: list[float]

    @classmethod
    def of(cls, refusals: Iterable[Refusal]) -> RefusalColumns:
        rows = [(*astuple(x.route), x.reason, x.rule, x.limit) for x in refusals]
        return cls(*(list(c) for c in zip(*rows, strict=True))) if rows else cls(*([] for _ in cls._fields))


def refusal_msg(rule: str, leg_km: float, limit: float) -> Msg:
    """Why a route is refused, as a catalogue message: it reads only the rule, the longest leg and the limit."""
    key = f"corridor.refusal.{rule}"
    if rule == "too_far":
        return Msg(key, {"leg": Qty(leg_km, "km"), "limit": Qty(limit, "km")})
    if rule == "stored_too_long":
        return Msg(key, {"days": Qty(limit, "whole")})
    return Msg(key)


@dataclass(frozen=True, order=True)
class Alert:
    """A rules-of-play signal about a project, hub, hub arrival or supply line."""

    kind: str  # late_inventory | hub_over_capacity | stored_too_long | supply_expiring | match_broken
    subject: str  # project, hub, arrival or supply id; match_broken: the line whose schedule changed
    hub: str = ""  # stored_too_long: the hub
    tonnes: float = 0.0  # hub_over_capacity: tonnes in stock
    limit: float = 0.0  # notice weeks, maximum storage days or hub capacity in tonnes
    day: date | None = None  # demolition start, arrival day, last available day or day of the change
    other: str = ""  # match_broken: the line that lost its route

    @property
    def msg(self) -> Msg:
        """What the alert says about its subject, as a catalogue message."""
        key = f"corridor.alert.{self.kind}"
        if self.kind == "late_inventory":
            return Msg(key, {"weeks": Qty(self.limit, "one"), "day": self.day})
        if self.kind == "stored_too_long":
            return Msg(key, {"days": Qty(self.limit, "whole"), "hub": self.hub, "day": self.day})
        if self.kind == "hub_over_capacity":
            return Msg(key, {"stock": Qty(self.tonnes, "t"), "capacity": Qty(self.limit, "t")})
        if self.kind == "match_broken":
            return Msg(key, {"line": self.subject, "other": self.other, "day": self.day})
        return Msg(key, {"day": self.day})
