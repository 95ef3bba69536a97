"""Units of quantities and how a number in each is written: `62,0 %`, `€ 0,17`, `583 t`, `12 weken`.

A unit is data: the style of its digits (`cgc_rules.numbers`) and, where words go around them,
the catalogue message that holds them (`{value} weken`). `cgc_rules.i18n.show` writes a value
with it. Ruleset units are the ones a ruleset may name; the corridor and the award arithmetic
write their own quantities (`km`, points) through the same table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Digits = Literal["plain", "pct", "eur", "tonnes", "year"]


@dataclass(frozen=True)
class Unit:
    """How a number in this unit is written: its digits, then the catalogue message around them (if any)."""

    digits: Digits = "plain"  # plain: at most `most` decimals; tonnes: rounded up to 0.1 t; year: whole
    least: int = 0  # decimals at least (pct, eur)
    most: int = 2  # decimals at most
    message: str | None = None  # catalogue key with a `{value}` field, e.g. `common.unit.weeks`


RULESET: dict[str, Unit] = {
    "%": Unit("pct", 1, 2),
    "eur_per_m2_year": Unit("eur", 2, 4),
    "eur_per_m2_bvo_year": Unit("eur", 2, 4),
    "kg_co2e_per_fu": Unit(message="common.unit.kg_co2e_per_fu"),
    "t": Unit("tonnes"),
    "kw": Unit(message="common.unit.kw"),
    "weeks": Unit(message="common.unit.weeks"),
    "year": Unit("year"),
    "count": Unit(),
}
CORRIDOR: dict[str, Unit] = {
    "km": Unit(most=1, message="corridor.unit.km"),
    "tkm": Unit(most=1, message="corridor.unit.tkm"),
    "days": Unit(message="corridor.unit.days"),
    "whole": Unit(most=0),
    "one": Unit(most=1),
}
AWARD: dict[str, Unit] = {
    "eur": Unit("eur", 2, 2),
    "eur4": Unit("eur", 2, 4),
    "mki": Unit("eur", 2, 4, message="award.unit.mki"),
    "pct": Unit("pct", 0, 4),
    "pp": Unit(most=4, message="award.unit.pp"),
    "num": Unit(most=4),
    "pts": Unit(most=4, message="award.unit.pts"),
    "m2": Unit(most=4, message="award.unit.m2"),
    "years": Unit(most=4, message="award.unit.years"),
}

UNITS = tuple(RULESET)  # the units a ruleset rule may name
WRITTEN: dict[str, Unit] = {**CORRIDOR, **AWARD, **RULESET}  # every unit a quantity may carry
