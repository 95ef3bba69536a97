"""The award terms as the documents state them, read from the tender definition (`build_tender`).

The tender is the one definition: each number here is the tender's own, shown plain when set, marked
when an example and as a named fill-in field when open. The worked example is scored with
`scoring.calc.score` and `scoring.score.price_points`, the functions `cgc score` uses. Templates choose
the words; this module only formats numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, overload

from markupsafe import Markup, escape

from .. import award
from ..award import ZERO, money
from ..numbers import notation
from ..profile import WorkedExample
from ..scoring.calc import Scored, score
from ..scoring.score import price_points
from ..tender.model import CORRIDOR_METHODS, Criterion, Method, Param, Tender

N = notation("nl")
SUFFIX = {
    "eur_per_eur_mki": " fictieve korting per € MKI",
    "eur_per_pct": " fictieve korting per procentpunt",
    "points": " punten",
    "years": " jaar",
    "m2": " m²",
}
NAMES = {
    Method.mki_bounds: "Milieuprestatie: MKI lager dan het eisniveau",
    Method.mki_value: "Milieuprestatie: MKI gewaardeerd in euro's",
    Method.origin_discount: "Verantwoorde herkomst boven het eisniveau",
    Method.emission_free_share: "Emissieloos materieel",
    Method.co2_ladder: "CO2-Prestatieladder",
    Method.origin_points: "Verantwoorde herkomst van materialen",
    Method.corridor_discount: "Gebruik van beschikbaar gestelde corridormaterialen",
    Method.corridor_points: "Gebruik van beschikbaar gestelde corridormaterialen",
}
EXAMPLE_PLACES = 2  # the worked example rounds this way while the tender leaves its rounding open


def fill(label: str) -> Markup:
    """A visible fill-in field."""
    return Markup("<fill>{}</fill>").format(label)


def param_text(p: Param) -> str:
    """A set parameter in Dutch notation with its unit: `€ 0,17`, `62 %`, `€ 1 fictieve korting per € MKI`."""
    v = p.value
    assert v is not None
    if p.unit in ("eur", "eur_per_eur_mki", "eur_per_pct"):
        base = N.eur(v, 2) if v % 1 else f"€\u00a0{N.num(v, 0)}"
    elif p.unit == "eur_per_m2_year":
        base = N.eur(v)
    elif p.unit == "pct":
        base = N.pct(v, 0)
    else:
        base = N.num(v, 2)
    return base + SUFFIX.get(p.unit, "")


@overload
def show(p: Param) -> Markup: ...


@overload
def show(p: Param | None) -> Markup | None: ...


def show(p: Param | None) -> Markup | None:
    """A tender number: plain when set, marked when an example, a fill-in field named by its label when open."""
    if p is None:
        return None
    if p.value is None:
        return fill(p.label)
    if p.example:
        return Markup('<ex label="{}">{}</ex>').format(p.label, param_text(p))
    return Markup("{}").format(param_text(p))


@dataclass(frozen=True)
class CriterionTerms:
    """One award criterion as the documents state it."""

    id: str
    method: str
    name: str
    rule: Any  # the RuleView of the rule it scores, or None
    params: dict[str, Markup]
    tolerance: Markup | None
    basis: str | None  # emission_free_share: count, power_kw or None (open)
    example: dict[str, Markup]  # worked example figures; "result" only when every parameter is set


def _money(value: Decimal) -> Markup:
    return escape(N.eur(value, 2, 2))


def _example_tender(t: Tender, ex: WorkedExample) -> Tender:
    """The tender with the example's area and design life, rounded the tender's way (or to two places)."""
    fixed = t.fixed.model_copy(
        update={
            "area_m2": t.fixed.area_m2.model_copy(update={"value": money(ex.area_m2)}),
            "lifetime_years": t.fixed.lifetime_years.model_copy(update={"value": money(ex.lifetime_years)}),
        }
    )
    return t.model_copy(update={"fixed": fixed, "rounding": t.rounding.model_copy(update={"places": _places(t)})})


def _places(t: Tender) -> int:
    """The tender's rounding places, or the worked example's where the tender leaves them open."""
    return t.rounding.places if t.rounding.places is not None else EXAMPLE_PLACES


def _complete(c: Criterion) -> bool:
    return all(p.value is not None for p in c.params.values())


def _example(c: Criterion, wt: Tender, ex: WorkedExample, bid: Decimal) -> tuple[dict[str, Markup], Scored | None]:
    """Worked example figures for the criteria a profile's example bid can fill in (MKI and origin offers)."""
    v = {name: p.value for name, p in c.params.items()}
    out: dict[str, Markup] = {}
    ceiling, level = v.get("ceiling"), v.get("level")
    if c.method is Method.mki_bounds and ceiling is not None:
        offered = max(ZERO, ceiling - money(ex.mki_below_level))
        counted = award.clamp(offered, v.get("floor"), ceiling)
        total = (ceiling - counted) * wt.fixed.area_m2.required() * wt.fixed.lifetime_years.required()
        out |= {
            "offered": escape(N.eur(offered)),
            "counted": escape(N.eur(counted)),
            "better": escape(N.eur(ceiling - counted)),
            "total": _money(total),
        }
    elif c.method in (Method.origin_discount, Method.origin_points) and level is not None:
        offered = min(Decimal(100), level + money(ex.origin_above_level))
        counted, above = award.above_level(offered, level, v.get("cap"))
        out |= {
            "offered": escape(N.pct(offered, 0)),
            "counted": escape(N.pct(counted, 0)),
            "better": escape(N.num(above, 2)),
        }
    else:
        return out, None
    if not _complete(c):
        return out, None
    scored = score(c, offered, bid, wt)
    if scored.effect == "points":
        out |= {"score": escape(N.num(scored.calc.fields["score"].value, 2)), "result": escape(N.num(scored.amount, 2))}
    else:
        out["result"] = _money(scored.amount)
    return out, scored


def award_terms(t: Tender, rules: dict[str, Any], ex: WorkedExample) -> tuple[list[CriterionTerms], dict[str, Any]]:
    """(criteria, award terms) for the templates, every number from the tender `t`."""
    wt = _example_tender(t, ex)
    bid = money(ex.bid_price)
    criteria, scored = [], []
    for c in t.criteria:
        example, s = _example(c, wt, ex, bid)
        scored.append(s)
        criteria.append(
            CriterionTerms(
                c.id,
                c.method.value,
                NAMES[c.method],
                rules.get(c.rule) if c.rule else None,
                {name: show(p) for name, p in c.params.items()},
                show(c.tolerance),
                c.basis,
                example,
            )
        )
    r = t.rounding
    if r.places is None:
        places = fill(r.label)
    elif r.example:
        places = Markup('<ex label="{}">{}</ex>').format(r.label, r.places)
    else:
        places = Markup("{}").format(r.places)
    terms: dict[str, Any] = {
        "method": t.method,
        "scale": escape(N.num(t.score_scale, 0)),
        "rounding_places": places,
        "rounding_mode": r.mode.value,
        "tie_break": t.tie_break,
        "sanction": show(t.sanction_factor),
        "point_value": show(t.point_value),
        "area": show(t.fixed.area_m2),
        "lifetime": show(t.fixed.lifetime_years),
        "calculation_rules": t.fixed.calculation_rules,
        "price": None
        if t.price is None
        else {"method": t.price.method.value, **{n: show(p) for n, p in t.price.params.items()}},
        "bid": _money(bid),
        "example_area": escape(N.num(ex.area_m2, 2)),
        "example_lifetime": escape(N.num(ex.lifetime_years, 0)),
        "example_places": escape(N.num(_places(t), 0)),
    }
    if t.corridor is not None:  # the lines offered, as the criterion's and the requirement's calculation rule read
        terms["corridor"] = {
            "total": escape(N.num(t.corridor.total, 1)),
            "lines": len(t.corridor.lines),
            "as_of": escape(N.date(t.corridor.as_of)),
        }
    terms["corridor_minimum"] = show(t.corridor_minimum)
    # the worked example makes no corridor claims: its outcome leaves the corridor criterion out (the template says so)
    complete = bool(criteria) and all(
        s is not None for s, c in zip(scored, t.criteria, strict=True) if c.method not in CORRIDOR_METHODS
    )
    if t.method == "gunnen_op_waarde":
        if complete:
            quality = sum((s.amount if s.effect != "surcharge" else -s.amount for s in scored if s), ZERO)
            terms |= {"discounts": _money(quality), "fictive": _money(bid - quality)}
        return criteria, terms
    assert t.price is not None
    params = {n: p.value if p.value is not None else _example_price(n, ex) for n, p in t.price.params.items()}
    if None not in params.values():
        priced = wt.model_copy(
            update={
                "price": t.price.model_copy(
                    update={"params": {n: p.model_copy(update={"value": params[n]}) for n, p in t.price.params.items()}}
                )
            }
        )
        pts, _ = price_points(priced, bid, bid)
        terms |= {
            "price_points": escape(N.num(pts, 2)),
            "price_low": _example_value(t.price.params.get("low"), ex, "low"),
            "price_high": _example_value(t.price.params.get("high"), ex, "high"),
        }
        if complete:
            terms["total_points"] = escape(N.num(pts + sum((s.amount for s in scored if s), ZERO), 2))
    return criteria, terms


def _example_price(name: str, ex: WorkedExample) -> Decimal | None:
    """Pmin and Pmax the tender leaves open take the profile's example values, for the worked example only."""
    value = {"low": ex.price_low, "high": ex.price_high}.get(name)
    return money(value) if value is not None else None


def _example_value(p: Param | None, ex: WorkedExample, name: str) -> Markup | None:
    if p is None:
        return None
    value = p.value if p.value is not None else _example_price(name, ex)
    return None if value is None else _money(value)
