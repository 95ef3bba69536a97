"""What a notice says, from the tender definition the leidraad is written from: texts in the notice's language.

The requirements, knock-outs and award criteria become business terms (BT-06/774/805 strategic
procurement, BT-539/540/541/734 criteria, BT-543 the fictive-price formula, BT-70 terms of
performance); the numbers come from the tender's parameters, the wording from `notice.po`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..i18n import Messages, has, text
from ..numbers import notation
from ..ruleset import LoadedRuleset
from ..tender import Criterion, Method, Param, Tender

# BT-774 environmental impact per criterion method (circular economy for materials, climate for MKI/CO2).
IMPACT: dict[Method, tuple[str, ...]] = {
    Method.mki_bounds: ("circ-econ", "clim-mitig"),
    Method.mki_value: ("circ-econ", "clim-mitig"),
    Method.origin_discount: ("circ-econ",),
    Method.origin_points: ("circ-econ",),
    Method.emission_free_share: ("clim-mitig", "pollu-prev"),
    Method.co2_ladder: ("clim-mitig",),
    Method.corridor_discount: ("circ-econ",),
    Method.corridor_points: ("circ-econ",),
}


@dataclass(frozen=True)
class AwardCriterion:
    """One award criterion as BT-539 (type), BT-734 (name), BT-540 (description), BT-541 (weight, %)."""

    kind: str  # price, quality, cost
    name: str
    description: str
    weight: Decimal | None = None
    feeds: str = ""  # the tender field it comes from, e.g. criteria[0]


@dataclass(frozen=True)
class Content:
    """The notice's texts and codes, one language."""

    lang: str
    title: str
    knockouts: list[str]
    criteria: list[AwardCriterion]
    formula: str | None  # BT-543: gunnen op waarde's fictive price
    impacts: list[str]  # BT-774 codes
    strategic: str  # BT-777: the aim, then every knock-out
    performance: str  # BT-70
    open_params: list[str] = field(default_factory=list)


def build_content(tender: Tender, rulesets: list[LoadedRuleset], lang: str) -> Content:
    """The notice texts for `tender`, with the rule titles of its pinned rulesets."""
    say = Messages(lang)
    titles = {f"{lr.ruleset.id}/{r.id}": r.title.get(lang) for lr in rulesets for r in lr.ruleset.rules}
    versions = {lr.ruleset.id: lr.ruleset.version for lr in rulesets}
    open_params: list[str] = []

    def value(param: Param | None, where: str) -> str:
        if param is None or param.value is None:
            label = param.label if param is not None else where
            open_params.append(f"{where}: {label}")
            return say("notice.open", label=label)
        return _amount(param, lang)

    knockouts = []
    for k in tender.knockouts:
        ruleset, _, rule = k.rule.partition("/")
        knockouts.append(
            say(
                "notice.knockout",
                title=titles.get(k.rule, k.rule),
                ruleset=ruleset,
                version=versions.get(ruleset, "?"),
                rule=rule,
            )
        )
    points = tender.method == "gewogen_factoren"
    weights = _weights(tender) if points else {}
    criteria = [AwardCriterion("price", say("notice.price.name"), _price_text(tender, say, value), weights.get(""))]
    for i, c in enumerate(tender.criteria):
        name = titles.get(c.rule, c.id) if c.rule else say(f"notice.criterion.{c.method.value}")
        criteria.append(
            AwardCriterion(
                "quality",
                name,
                _criterion_text(c, tender, say, value, f"criteria[{i}]"),
                weights.get(c.id),
                f"criteria[{i}]",
            )
        )
    formula = None
    if not points:
        formula = say("notice.formula.fictive", tie=say(f"notice.tie.{tender.tie_break or 'open'}"))
    impacts = sorted({code for c in tender.criteria for code in IMPACT[c.method]} | {"circ-econ"})
    sanction = value(tender.sanction_factor, "sanction_factor")
    return Content(
        lang=lang,
        title=tender.title,
        knockouts=knockouts,
        criteria=criteria,
        formula=formula,
        impacts=impacts,
        strategic=" ".join(
            [say("notice.strategic", count=len(tender.knockouts), criteria=len(tender.criteria)), *knockouts]
        ),
        performance=say("notice.performance", sanction=sanction),
        open_params=open_params,
    )


def _weights(tender: Tender) -> dict[str, Decimal]:
    """Gewogen factoren: each weight (points) as a percentage of all points, price under the key ''."""
    raw: dict[str, Decimal | None] = {"": tender.price.params["weight"].value if tender.price else None}
    raw.update({c.id: c.params["weight"].value for c in tender.criteria})
    if any(v is None for v in raw.values()):
        return {}
    total = sum(v for v in raw.values() if v is not None)
    if not total:
        return {}
    return {key: (Decimal(v or 0) * 100 / total).quantize(Decimal("0.01")) for key, v in raw.items()}


def _price_text(tender: Tender, say: Messages, value) -> str:  # type: ignore[no-untyped-def]
    if tender.price is None:
        return say("notice.price.fictive")
    params = {name: value(p, f"price.params.{name}") for name, p in tender.price.params.items()}
    return say(f"notice.price.{tender.price.method.value}", **params)


def _criterion_text(c: Criterion, tender: Tender, say: Messages, value, where: str) -> str:  # type: ignore[no-untyped-def]
    params = {name: value(p, f"{where}.params.{name}") for name, p in c.params.items()}
    if c.method == Method.mki_bounds:
        params.setdefault("floor", say("notice.no_floor"))
        params["area"] = value(tender.fixed.area_m2, "fixed.area_m2")
        params["years"] = value(tender.fixed.lifetime_years, "fixed.lifetime_years")
    if c.method in (Method.origin_discount, Method.emission_free_share):
        params.setdefault("cap", say("notice.no_cap"))
    if c.method == Method.emission_free_share:
        params["basis"] = say(f"notice.basis.{c.basis}") if c.basis else value(None, f"{where}.basis")
    return say(f"notice.criterion_text.{c.method.value}", **params)


def _amount(param: Param, lang: str) -> str:
    n = notation(lang)
    number = param.value if param.value is not None else Decimal(0)
    if param.unit == "pct":
        return n.pct(float(number), 0, 2)
    if param.unit.startswith("eur"):
        shown = n.eur(float(number), 0 if number == number.to_integral() else 2, 4)
    else:
        shown = n.between(float(number), 0, 4)
    key = f"notice.unit.{param.unit}"
    return text(lang, key, value=shown) if has(lang, key) else shown
