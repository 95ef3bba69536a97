"""Award arithmetic for beste prijs-kwaliteitverhouding: pure functions on numbers, no wording.

Two methods: *gunnen op waarde* turns quality above the requirement level into a fictive
discount on the price (€), *gewogen factoren* into points next to points for price. Every number
is a `Decimal`, rounded only where the tender says. Scoring bids, the documents' worked example and
the sanction after award all use these functions.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal, getcontext
from enum import Enum

Money = Decimal
ZERO = Decimal(0)


def money(amount: float | int | Decimal) -> Decimal:
    """An amount as `Decimal`, read from its shortest decimal form (0.17 stays 0.17)."""
    return amount if isinstance(amount, Decimal) else Decimal(str(amount))


def shortfall_sanction(promised: Money, achieved: Money, factor: Money) -> Money:
    """Sanction after award: factor × the value of the difference between promised and achieved, never negative.

    `promised` is the award value the offer earned (fictive discount in €, or points valued with
    `points_value`), `achieved` what the as-built value would have earned; doing better earns nothing.
    """
    return factor * max(ZERO, promised - achieved)


def points_value(points: float | Decimal, euro_per_point: Money) -> Money:
    """Quality points in euros (gewogen factoren), at the tender's fixed amount per point."""
    return money(points) * euro_per_point


# Scoring bids against a tender definition: every number is a Decimal, rounded only where the tender says.


class Rounding(str, Enum):
    """How a tender rounds each discount, score and total (a choice the tender states)."""

    half_up = "half_up"  # 0,005 → 0,01 (rekenkundig afronden)
    half_even = "half_even"  # 0,005 → 0,00, 0,015 → 0,02 (bankiersafronding)
    down = "down"  # toward zero (afkappen)


_MODES = {Rounding.half_up: ROUND_HALF_UP, Rounding.half_even: ROUND_HALF_EVEN, Rounding.down: ROUND_DOWN}


def rounded(value: Decimal, places: int, mode: Rounding) -> Decimal:
    """`value` to `places` decimals the tender's way (with the precision that needs, however large the value)."""
    digits = max(value.adjusted(), 0) + places + 1 if value.is_finite() else 0
    context = Context(prec=max(digits, getcontext().prec))
    return value.quantize(Decimal(1).scaleb(-places), rounding=_MODES[mode], context=context)


def clamp(value: Decimal, low: Decimal | None, high: Decimal | None) -> Decimal:
    """`value` held within `low` … `high` (either may be absent)."""
    if low is not None and value < low:
        return low
    if high is not None and value > high:
        return high
    return value


def mki_bounds_discount(
    offered: Decimal, ceiling: Decimal, floor: Decimal | None, area: Decimal, lifetime: Decimal, factor: Decimal
) -> tuple[Decimal, Decimal]:
    """Bounds method: (counted MKI, discount) with counted = offer held within floor … ceiling and
    discount = (ceiling − counted) × area × lifetime × factor."""
    counted = clamp(offered, floor, ceiling)
    return counted, (ceiling - counted) * area * lifetime * factor


def mki_value_surcharge(mki_total: Decimal, factor: Decimal) -> Decimal:
    """MKI valued directly (Rijkswaterstaat, 2024): the fictive bid is the price plus factor × total MKI in €."""
    return factor * mki_total


def above_level(offered: Decimal, level: Decimal, cap: Decimal | None) -> tuple[Decimal, Decimal]:
    """(counted, points above): the offer held at the cap, and how far it lies above the level (never negative)."""
    counted = clamp(offered, None, cap)
    return counted, max(ZERO, counted - level)


def ladder_discount(price: Money, percent: Decimal) -> Money:
    """CO2-Prestatieladder: the discount is the level's percentage of the bid price."""
    return price * percent / 100


def linear_points(
    offered: Decimal, level: Decimal, cap: Decimal, weight: Decimal, scale: Decimal
) -> tuple[Decimal, Decimal]:
    """(score, points): score 0 at or below the level, `scale` at or above the cap, linear between;
    points = score ÷ scale × weight. The cap must lie above the level."""
    share = clamp((offered - level) / (cap - level), ZERO, Decimal(1))
    score = scale * share
    return score, score / scale * weight


def range_points(weight: Decimal, price: Money, low: Money, high: Money) -> Decimal:
    """Gewogen factoren: weight × (Pmax − P) ÷ (Pmax − Pmin), held within 0 … weight."""
    return weight * clamp((high - price) / (high - low), ZERO, Decimal(1))


def lowest_points(weight: Decimal, price: Money, best: Money) -> Decimal:
    """Price relative to the lowest bid: weight × Pbest ÷ P."""
    return weight * best / price


def log_points(weight: Decimal, price: Money, best: Money, base: Decimal) -> Decimal:
    """Log formula: weight × (1 − ln(P ÷ Pbest) ÷ ln A), never below 0 (at P = A × Pbest and above)."""
    return max(ZERO, weight * (1 - (price / best).ln() / base.ln()))
