"""One criterion of one bid: the value it offers, its discount, surcharge or points, and the sum written out.

Pure arithmetic on the tender's own numbers (`award` functions); each result carries a `Msg` whose
fields are `Amount`s, so the computation can be written in numbers in any language.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from .. import award
from ..award import ZERO, money
from ..errors import Problem
from ..evaluator import Facts
from ..i18n import Msg
from ..indicators.project import INDICATORS
from ..submission import EmissionClass, Equipment, Submission
from ..tender.model import CORRIDOR_METHODS, CorridorOffer, Criterion, Method, Tender, Unit
from .bids import Statements

AmountUnit = Literal["eur", "eur4", "mki", "pct", "pp", "num", "pts", "m2", "years"]
Effect = Literal["discount", "surcharge", "points"]


@dataclass(frozen=True)
class Amount:
    """A number and how to write it: € amount (cents, or up to 4 decimals), € MKI per m² per year, %,
    percentage points, plain, points, m², years."""

    value: Decimal
    unit: AmountUnit


@dataclass(frozen=True)
class Scored:
    """One criterion's result for one bid."""

    criterion: str
    method: Method
    effect: Effect
    value: Decimal | None  # what the bid offers (None: not in the submission)
    amount: Decimal  # € of discount or surcharge, or points, rounded the tender's way
    calc: Msg  # the computation in numbers


def param(c: Criterion, name: str) -> Decimal | None:
    p = c.params.get(name)
    return p.value if p is not None else None


def need(c: Criterion, name: str) -> Decimal:
    """A parameter the criterion's method requires (`tender.model.REQUIRED`), set."""
    return c.params[name].required()


_AMOUNT_UNIT: dict[Unit, AmountUnit] = {
    "eur_per_m2_year": "mki",
    "pct": "pct",
    "points": "pts",
    "eur_per_pct": "eur",
    "eur_per_eur_mki": "num",
    "eur": "eur",
}


def _unit(c: Criterion, name: str) -> AmountUnit:
    return _AMOUNT_UNIT.get(c.params[name].unit, "num")


def mki_total(sub: Submission) -> Decimal | None:
    """The bid's total MKI in €, when the MKI per m² per year is derived from it (not given directly)."""
    impact = sub.impact
    if impact.mki_eur_per_m2_year is not None or impact.mki_eur_total is None:
        return None
    return money(impact.mki_eur_total)


def mki_per_m2_year(sub: Submission, tender: Tender) -> Decimal | None:
    """The total MKI ÷ (the tender's area × lifetime), exactly (no float in between)."""
    total = mki_total(sub)
    if total is None:
        return None
    return total / (tender.fixed.area_m2.required() * tender.fixed.lifetime_years.required())


HUNDRED = Decimal(100)


def corridor_claims(sub: Submission, offer: CorridorOffer, file: str) -> tuple[dict[str, Decimal], list[Problem]]:
    """Tonnes the bid claims per offered corridor line (its material lines naming the line's id), and a problem
    for each claim of a line the tender does not offer and each line claimed beyond its offered tonnes."""
    claimed: dict[str, Decimal] = {}
    problems: list[Problem] = []
    for i, m in enumerate(sub.materials or []):
        if m.corridor_line is None:
            continue
        if m.corridor_line not in offer.lines:
            problems.append(
                Problem(
                    f"corridor line {m.corridor_line!r} is not among the lines the tender offers "
                    f"(corridor {offer.corridor}, {offer.as_of.isoformat()})",
                    file,
                    field=f"materials[{i}].corridor_line",
                )
            )
            continue
        claimed[m.corridor_line] = claimed.get(m.corridor_line, ZERO) + money(m.mass_t)
    for line, tonnes in sorted(claimed.items()):
        if tonnes > offer.lines[line]:
            problems.append(
                Problem(
                    f"corridor line {line!r}: {float(tonnes):g} t claimed, {float(offer.lines[line]):g} t offered",
                    file,
                    field="materials",
                )
            )
    return claimed, problems


def corridor_share(sub: Submission, offer: CorridorOffer) -> Decimal:
    """The share (%) of the offered corridor tonnes the bid claims: the mass of its material lines naming an
    offered line ÷ all offered tonnes × 100 (`_corridor.xml.j2` `aandeel` publishes this rule). A bid claiming an
    unknown line or more than offered is refused before (`corridor_claims`)."""
    claimed, _ = corridor_claims(sub, offer, "")
    return sum(claimed.values(), ZERO) / offer.total * HUNDRED


def offered(c: Criterion, sub: Submission, facts: Facts, statements: Statements, tender: Tender) -> Decimal | None:
    """The value a bid offers on one criterion, or None when its submission lacks it."""
    if c.method in CORRIDOR_METHODS:
        assert tender.corridor is not None  # the tender model demands it with a corridor criterion
        return corridor_share(sub, tender.corridor)
    if c.method is Method.mki_bounds and mki_total(sub) is not None:
        return mki_per_m2_year(sub, tender)
    if c.method in (Method.mki_bounds, Method.origin_discount, Method.origin_points):
        key = "mki_eur_per_m2_year" if c.method is Method.mki_bounds else "responsible_origin_share"
        value = facts.get(INDICATORS[key]).value
        return None if value is None else money(value)
    if c.method is Method.mki_value:
        per = facts.get(INDICATORS["mki_eur_per_m2_year"]).value
        if sub.impact.mki_eur_total is not None:
            return money(sub.impact.mki_eur_total)
        if per is None:
            return None
        return money(per) * tender.fixed.area_m2.required() * tender.fixed.lifetime_years.required()
    if c.method is Method.emission_free_share:
        if not sub.equipment:
            return None

        def weigh(e: Equipment) -> Decimal:
            return money(e.power_kw) if c.basis == "power_kw" else Decimal(1)

        total = sum((weigh(e) for e in sub.equipment), ZERO)
        if total == 0:
            return None
        free = sum((weigh(e) for e in sub.equipment if e.emission_class is EmissionClass.emissieloos), ZERO)
        return free / total * 100
    level = statements.co2_ladder_level
    return None if level is None else Decimal(level)


def counted(c: Criterion, value: Decimal) -> Decimal:
    """The value as the award counted it: an MKI held within floor … ceiling, a share held at the cap."""
    if c.method is Method.mki_bounds:
        return award.clamp(value, param(c, "floor"), need(c, "ceiling"))
    if c.method in (Method.origin_discount, Method.emission_free_share, Method.origin_points):
        return award.clamp(value, None, param(c, "cap"))
    return value


def score(c: Criterion, value: Decimal | None, price: Decimal, tender: Tender, total: Decimal | None = None) -> Scored:
    """Discount, surcharge or points of one criterion; a missing value earns nothing (and is said so).

    `total`: the bid's total MKI in € when its MKI per m² per year is derived from it (`mki_total`), so the
    computation is written in the bid's own figures.
    """
    r = tender.rounding
    places = r.places if r.places is not None else 2

    def rnd(x: Decimal) -> Decimal:
        return award.rounded(x, places, r.mode)

    def a(name: str) -> Amount:
        return Amount(need(c, name), _unit(c, name))

    in_points = c.method in (Method.origin_points, Method.corridor_points)
    effect: Effect = "points" if in_points else ("surcharge" if c.method is Method.mki_value else "discount")
    if value is None:
        return Scored(c.id, c.method, effect, None, ZERO, Msg("award.calc.missing", {}))
    area, life = tender.fixed.area_m2.required(), tender.fixed.lifetime_years.required()
    m = c.method
    if m is Method.mki_bounds:
        ceiling, floor, factor = need(c, "ceiling"), param(c, "floor"), need(c, "factor")
        counted, raw = award.mki_bounds_discount(value, ceiling, floor, area, life, factor)
        f = {
            "mki": _mki_offered(value, total, area, life),
            "position": _mki_position(value, counted, ceiling, floor),
            "ceiling": Amount(ceiling, "eur4"),
            "counted": Amount(counted, "eur4"),
            "area": Amount(area, "m2"),
            "years": Amount(life, "years"),
            "factor": a("factor"),
            "result": _result(raw, rnd(raw), "eur"),
        }
        if total is not None and counted == value:  # exact in the bid's own total: no rounded MKI per m² in between
            raw = (ceiling * area * life - total) * factor
            f |= {"total": Amount(total, "eur"), "result": _result(raw, rnd(raw), "eur")}
            return Scored(c.id, m, effect, value, rnd(raw), Msg("award.calc.mki_bounds_total", f))
        return Scored(c.id, m, effect, value, rnd(raw), Msg("award.calc.mki_bounds", f))
    if m is Method.mki_value:
        raw = award.mki_value_surcharge(value, need(c, "factor"))
        return Scored(
            c.id,
            m,
            effect,
            value,
            rnd(raw),
            Msg(
                "award.calc.mki_value",
                {"total": Amount(value, "eur"), "factor": a("factor"), "result": _result(raw, rnd(raw), "eur")},
            ),
        )
    if m in (Method.origin_discount, Method.emission_free_share):
        counted, above = award.above_level(value, need(c, "level"), param(c, "cap"))
        raw = above * need(c, "factor")
        f = {
            "offered": Amount(value, "pct"),
            "counted": Amount(counted, "pct"),
            "level": a("level"),
            "above": Amount(above, "num"),
            "factor": a("factor"),
            "result": _result(raw, rnd(raw), "eur"),
        }
        return Scored(c.id, m, effect, value, rnd(raw), Msg("award.calc.above_level", f))
    if m is Method.co2_ladder:
        level = int(value)
        pct = need(c, f"level_{level}") if level > 0 else ZERO
        raw = award.ladder_discount(price, pct)
        return Scored(
            c.id,
            m,
            effect,
            value,
            rnd(raw),
            Msg(
                "award.calc.co2_ladder",
                {
                    "level": Amount(value, "num"),
                    "price": Amount(price, "eur"),
                    "pct": Amount(pct, "pct"),
                    "result": _result(raw, rnd(raw), "eur"),
                },
            ),
        )
    if m in CORRIDOR_METHODS:
        name = "weight" if m is Method.corridor_points else "factor"
        raw = value / HUNDRED * need(c, name) if m is Method.corridor_points else value * need(c, name)
        unit: AmountUnit = "pts" if m is Method.corridor_points else "eur"
        f = {"share": Amount(value, "pct"), name: a(name), "result": _result(raw, rnd(raw), unit)}
        return Scored(c.id, m, effect, value, rnd(raw), Msg(f"award.calc.{m.value}", f))
    scale = tender.score_scale
    score_, points = award.linear_points(value, need(c, "level"), need(c, "cap"), need(c, "weight"), scale)
    return Scored(
        c.id,
        m,
        effect,
        value,
        rnd(points),
        Msg(
            "award.calc.origin_points",
            {
                "offered": Amount(value, "pct"),
                "level": a("level"),
                "cap": a("cap"),
                "scale": Amount(scale, "num"),
                "score": Amount(rnd(score_), "num"),  # the published example reads it (documents.terms)
                "score_step": _result(score_, rnd(score_), "num"),
                "weight": a("weight"),
                "result": _result(points, rnd(points), "pts"),
            },
        ),
    )


def _result(raw: Decimal, result: Decimal, unit: AmountUnit) -> Msg:
    """A result as rounded, with the unrounded value before it when rounding changed it."""
    if raw == result:
        return Msg("award.calc.exact", {"result": Amount(result, unit)})
    shown = "num" if unit == "pts" else ("eur4" if unit == "eur" else unit)
    return Msg("award.calc.rounded", {"raw": Amount(raw, shown), "result": Amount(result, unit)})


def _mki_offered(value: Decimal, total: Decimal | None, area: Decimal, life: Decimal) -> Msg:
    """The offered MKI per m² per year: as given, or derived from the bid's total MKI."""
    if total is None:
        return Msg("award.calc.mki_given", {"offered": Amount(value, "mki")})
    exact = value == award.rounded(value, 4, award.Rounding.half_up)
    return Msg(
        "award.calc.mki_derived" if exact else "award.calc.mki_derived_approx",
        {
            "total": Amount(total, "eur"),
            "area": Amount(area, "m2"),
            "years": Amount(life, "years"),
            "offered": Amount(value, "mki"),
        },
    )


def _mki_position(value: Decimal, counted: Decimal, ceiling: Decimal, floor: Decimal | None) -> Msg:
    """Where the offer lies against the floor and the ceiling, and so what is counted."""
    bounds = {"ceiling": Amount(ceiling, "eur4"), "counted": Amount(counted, "eur4")}
    if value > ceiling:
        return Msg("award.calc.mki_above_ceiling", bounds)
    if floor is None:
        return Msg("award.calc.mki_under_ceiling", bounds)
    bounds["floor"] = Amount(floor, "eur4")
    if value < floor:
        return Msg("award.calc.mki_below_floor", bounds)
    return Msg("award.calc.mki_between", bounds)
