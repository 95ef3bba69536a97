"""Award arithmetic for beste prijs-kwaliteitverhouding: pure functions on numbers, no wording.

Two methods: *gunnen op waarde* turns quality above the requirement level into a fictive
discount on the price (€), *gewogen factoren* into points next to points for price. Money
(prices, MKI in € per m² per year, discounts) is `Decimal`; shares, scores and points are floats.
The documents show a worked example with these functions; scoring real bids builds on them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

Money = Decimal
ZERO = Decimal(0)


def money(amount: float | int | Decimal) -> Decimal:
    """An amount as `Decimal`, read from its shortest decimal form (0.17 stays 0.17)."""
    return amount if isinstance(amount, Decimal) else Decimal(str(amount))


@dataclass(frozen=True)
class MkiOffer:
    """An MKI offer scored against the requirement level (lower MKI is better)."""

    offered: Money  # € MKI per m² per year the bid offers
    counted: Money  # the offer as it counts: never below the floor
    better: Money  # € per m² per year below the level, never negative
    total: Money  # better × area × lifetime: € MKI less over the whole lifetime
    discount: Money | None  # total × factor, the fictive discount; None when no factor is set


def mki_offer(level: Money, offered: Money, *, area_m2: float, lifetime_years: float,
              floor: Money | None = None, factor: Money | None = None) -> MkiOffer:
    """Score an MKI offer: an offer under the floor counts as the floor; better MKI × area × lifetime × factor."""
    counted = max(offered, floor) if floor is not None else offered
    better = max(ZERO, level - counted)
    total = better * money(area_m2) * money(lifetime_years)
    return MkiOffer(offered, counted, better, total, total * factor if factor is not None else None)


@dataclass(frozen=True)
class OriginOffer:
    """A share of responsible origin scored against the requirement level (higher is better)."""

    offered: float  # % of mass the bid offers
    counted: float  # the offer as it counts: never above the cap
    above: float  # percentage points above the level, never negative
    discount: Money | None  # above × factor (herkomst-korting); None when no factor is set


def origin_offer(level: float, offered: float, *, cap: float | None = None,
                 factor: Money | None = None) -> OriginOffer:
    """Score an origin share: nothing above the cap counts; each point above the level earns the factor."""
    counted = min(offered, cap) if cap is not None else offered
    above = max(0.0, counted - level)
    return OriginOffer(offered, counted, above, money(above) * factor if factor is not None else None)


@dataclass(frozen=True)
class Points:
    score: float  # on the scale 0..scale
    points: float  # score / scale × weight


def origin_points(level: float, offer: OriginOffer, *, cap: float, weight: float, scale: int) -> Points | None:
    """Gewogen factoren: the scale's top score at the cap, linear from the level; None when the cap is not above it.

    An offer below the level scores 0.
    """
    if cap <= level:
        return None
    score = 0.0 if offer.offered < level else scale * offer.above / (cap - level)
    return Points(score, score / scale * weight)


def price_points(weight: float, bid: Money, low: Money, high: Money) -> float | None:
    """Gewogen factoren: the full weight at the lowest price `low`, none at `high` or above, linear between."""
    if high <= low:
        return None
    share = min(1.0, max(0.0, float((high - bid) / (high - low))))
    return weight * share


def fictive_price(bid: Money, discounts: list[Money]) -> Money:
    """Gunnen op waarde: the price the bids are ranked on, the bid less every fictive discount."""
    return bid - sum(discounts, ZERO)


def shortfall_sanction(promised: Money, achieved: Money, factor: Money) -> Money:
    """Sanction after award: factor × the value of the difference between promised and achieved, never negative.

    `promised` is the award value the offer earned (fictive discount in €, or points valued with
    `points_value`), `achieved` what the as-built value would have earned; doing better earns nothing.
    """
    return factor * max(ZERO, promised - achieved)


def points_value(points: float, euro_per_point: Money) -> Money:
    """Quality points in euros (gewogen factoren), at the tender's fixed amount per point."""
    return money(points) * euro_per_point
