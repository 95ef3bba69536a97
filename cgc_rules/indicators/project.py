"""Indicators of a project submission: shares of mass, MKI, emissions, demolition, inventories, machines, vehicles."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..i18n import Msg, Qty
from ..submission import Destination, EmissionClass, MixedLines, Submission
from .base import Fact, Gap, Indicator, attr, given, index

_DESTINATIONS = tuple(Destination)
EUR = "eur_per_m2_year"  # any euro unit writes an amount as money (€ 0,17)
MIXED_SHOWN = 3  # mixed lines an explanation names (the largest by mass); it counts the rest


def _t(mass: float) -> Qty:
    return Qty(mass, "t")


def _sum_by(items: list[Any], attr_name: str, keys: tuple[Any, ...]) -> dict[str, float]:
    """Mass per category in one pass; identity tests keep the loop cheap for 100,000 lines."""
    k0, k1, k2, k3 = keys
    t0 = t1 = t2 = t3 = 0.0
    for item in items:
        mass = item.mass_t
        key = getattr(item, attr_name)
        if key is k0:
            t0 += mass
        elif key is k1:
            t1 += mass
        elif key is k2:
            t2 += mass
        else:
            t3 += mass
    return {k0.value: t0, k1.value: t1, k2.value: t2, k3.value: t3}


def _with_mixed(base: Msg, mixed: MixedLines | None) -> Msg:
    """`base`, then the largest mixed lines and the count and sums of the rest (the terms keep every line)."""
    if not mixed:
        return base
    largest, rest, good, mass = mixed.largest(MIXED_SHOWN)
    lines = [_mixed_term(x) for x in largest]
    if rest:
        lines.append(Msg("indicators.mixed_rest", {"count": rest, "part": _t(good), "mass": _t(mass)}))
    return Msg("indicators.mixed", {"base": base, "lines": lines})


def _origin_share(s: Submission) -> Fact:
    """HNN 'herkomst materialen' by mass: a line with a composition counts each part by its share of the mass."""
    totals = s.material_totals(renewable=False)
    if totals is None:
        return Fact(None, missing="materials")
    by = totals.by_origin
    total = by["primair"] + by["hergebruikt"] + by["gerecycled"] + by["biobased"]
    if total <= 0:
        return Fact(None, {"lines": totals.lines}, missing="materials[].mass_t")
    good = by["hergebruikt"] + by["gerecycled"] + by["biobased"]
    terms: dict[str, Any] = {"lines": totals.lines, "total": total, "good": good, "by": by}
    if totals.mixed:
        terms["mixed"] = totals.mixed
    return Fact(good / total * 100, terms)


def _describe_origin(f: Fact) -> Msg:
    t, by = f.terms, f.terms["by"]
    base = Msg(
        "indicators.origin",
        {
            "good": _t(t["good"]),
            "total": _t(t["total"]),
            "lines": str(t["lines"]),
            "reused": _t(by["hergebruikt"]),
            "recycled": _t(by["gerecycled"]),
            "biobased": _t(by["biobased"]),
        },
    )
    return _with_mixed(base, t.get("mixed"))


def _origin_share_claimed(s: Submission) -> Fact:
    """`_origin_share`, with the corridor lines that material lines claim as the evidence of their reuse (found
    when the list was summed, not by a pass per evaluation)."""
    fact = _origin_share(s)
    totals = s.material_totals(renewable=False)
    claimed = totals.claimed if totals is not None else []
    return Fact(fact.value, {**fact.terms, "corridor": claimed}, fact.missing) if claimed else fact


def _describe_origin_claimed(f: Fact) -> Msg:
    base = _describe_origin(f)
    claimed = f.terms.get("corridor")
    if not claimed:
        return base
    lines = ", ".join(c["line"] for c in claimed)
    return Msg(
        "indicators.corridor_claimed", {"base": base, "mass": _t(sum(c["mass"] for c in claimed)), "lines": lines}
    )


def _mixed_term(x: dict[str, Any]) -> Msg:
    shares = [
        Msg("indicators.part", {"share": Qty(pct, "%"), "origin": Msg(f"indicators.origin_word.{o}")})
        for o, pct in x["composition"].items()
        if pct
    ]
    return Msg(
        "indicators.mixed_line", {"part": _t(x["good"]), "mass": _t(x["mass"]), "name": x["name"], "shares": shares}
    )


def _share_gap(good: str, bad: str) -> Gap:
    """Gap for a minimum share of mass: swap bad for good mass, or drop bad mass (`good`, `bad`: material keys)."""

    def gap(f: Fact, threshold: float, comparator: str) -> Msg:
        total, have = f.terms["total"], f.terms["good"]
        share = threshold / 100
        swap = share * total - have
        drop = total - have / share if share > 0 else 0.0
        if comparator == ">" and swap <= 0:
            swap = drop = 0.1
        return Msg(
            "indicators.share_gap",
            {
                "threshold": Qty(threshold, "%"),
                "value": Qty(f.value, "%"),
                "swap": _t(swap),
                "total": _t(total),
                "drop": _t(drop),
                "good": Msg(f"indicators.material.{good}"),
                "bad": Msg(f"indicators.material.{bad}"),
            },
        )

    return gap


def _mki(s: Submission) -> Fact:
    given_value = s.impact.mki_eur_per_m2_year
    if given_value is not None:
        return Fact(given_value, {"how": "given"})
    p, total = s.project, s.impact.mki_eur_total
    absent = [
        name
        for name, v in (
            ("impact.mki_eur_total", total),
            ("project.area_m2", p.area_m2),
            ("project.lifetime_years", p.lifetime_years),
        )
        if v is None
    ]
    if absent or total is None or p.area_m2 is None or p.lifetime_years is None:
        return Fact(None, missing="impact.mki_eur_per_m2_year (" + ", ".join(absent) + ")")
    return Fact(
        total / (p.area_m2 * p.lifetime_years),
        {"how": "derived", "total": total, "area": p.area_m2, "years": p.lifetime_years},
    )


def _describe_mki(f: Fact) -> Msg:
    t = f.terms
    if t["how"] == "given":
        return Msg("indicators.given", {"path": "impact.mki_eur_per_m2_year"})
    return Msg(
        "indicators.mki.derived",
        {"total": Qty(t["total"], EUR), "area": t["area"], "years": t["years"], "value": Qty(f.value, EUR)},
    )


def _mki_gap(f: Fact, threshold: float, comparator: str) -> Msg:
    over = f.value - threshold
    t = f.terms
    fields: dict[str, Any] = {"threshold": Qty(threshold, EUR), "value": Qty(f.value, EUR), "over": Qty(over, EUR)}
    if t.get("how") == "derived":
        return Msg("indicators.mki.gap_lifetime", {**fields, "cut": Qty(over * t["area"] * t["years"], EUR)})
    return Msg("indicators.mki.gap", fields)


def _demolition_by_destination(s: Submission) -> tuple[dict[str, float], float] | Fact:
    """Demolished mass per destination and in all; a missing-data fact when there is none."""
    if not s.demolition:
        return Fact(None, missing="demolition")
    by = _sum_by(s.demolition, "destination", _DESTINATIONS)
    total = sum(by.values())
    if total <= 0:
        return Fact(None, missing="demolition[].mass_t")
    return by, total


def _demolition_share(s: Submission) -> Fact:
    masses = _demolition_by_destination(s)
    if isinstance(masses, Fact):
        return masses
    by, total = masses
    good = by["hergebruik"] + by["recycling"]
    return Fact(good / total * 100, {"lines": len(s.demolition or ()), "total": total, "good": good, "by": by})


def _describe_demolition(f: Fact) -> Msg:
    t, by = f.terms, f.terms["by"]
    return Msg(
        "indicators.demolition",
        {
            "reused": _t(by["hergebruik"]),
            "recycled": _t(by["recycling"]),
            "total": _t(t["total"]),
            "incinerated": _t(by["verbranding"]),
            "landfilled": _t(by["stort"]),
        },
    )


def _impact(field_name: str) -> Callable[[Submission], Fact]:
    def compute(s: Submission) -> Fact:
        v = getattr(s.impact, field_name)
        return Fact(v, {"how": "given"}, missing=None if v is not None else f"impact.{field_name}")

    return compute


def _hnn_count(s: Submission) -> Fact:
    if s.hnn_indicators is None:
        return Fact(None, missing="hnn_indicators")
    names = sorted(set(s.hnn_indicators))
    return Fact(len(names), {"names": names})


def _describe_hnn(f: Fact) -> Msg:
    return Msg("indicators.hnn", {"names": f.terms["names"] or None})


def _seb_declared(s: Submission) -> Fact:
    v = s.declarations.seb_compliant
    return Fact(v, missing=None if v is not None else "declarations.seb_compliant")


def _renewable_share(s: Submission) -> Fact:
    """HNN 'herkomst materialen': renewable (incl. biobased), reused or recycled mass over all mass, by mass
    within a mixed line too (its primary part counts only when the line is renewable)."""
    totals = s.material_totals()
    if totals is None:
        return Fact(None, missing="materials")
    if totals.mass <= 0:
        return Fact(None, {"lines": totals.lines}, missing="materials[].mass_t")
    terms: dict[str, Any] = {
        "lines": totals.lines,
        "total": totals.mass,
        "good": totals.renewable_good,
        "renewable_primary": totals.renewable_primary,
    }
    if totals.mixed_renewable:
        terms["mixed"] = totals.mixed_renewable
    return Fact(totals.renewable_good / totals.mass * 100, terms)


def _describe_renewable(f: Fact) -> Msg:
    t = f.terms
    base = Msg(
        "indicators.renewable",
        {
            "good": _t(t["good"]),
            "total": _t(t["total"]),
            "lines": str(t["lines"]),
            "renewable_primary": _t(t["renewable_primary"]),
        },
    )
    return _with_mixed(base, t.get("mixed"))


def _zero_emission_power(s: Submission) -> Fact:
    items = s.equipment
    if not items:
        return Fact(None, missing="equipment")
    total = clean = 0.0
    for e in items:
        total += e.power_kw
        if e.emission_class is EmissionClass.emissieloos:
            clean += e.power_kw
    if total <= 0:
        return Fact(None, missing="equipment[].power_kw")
    return Fact(clean / total * 100, {"total": total, "clean": clean, "machines": len(items)})


def _describe_zero_emission_power(f: Fact) -> Msg:
    t = f.terms
    return Msg(
        "indicators.zero_emission_power",
        {"clean": Qty(t["clean"], "kw"), "total": Qty(t["total"], "kw"), "machines": str(t["machines"])},
    )


def _equipment_listed(s: Submission) -> Fact:
    if s.equipment is None:
        return Fact(None, missing="equipment")
    return Fact(True, {"machines": len(s.equipment)})


def _demolition_reuse(s: Submission) -> Fact:
    masses = _demolition_by_destination(s)
    if isinstance(masses, Fact):
        return masses
    by, total = masses
    return Fact(
        by["hergebruik"] / total * 100, {"total": total, "good": by["hergebruik"], "lines": len(s.demolition or ())}
    )


def _describe_reuse(f: Fact) -> Msg:
    return Msg("indicators.demolition_reuse", {"good": _t(f.terms["good"]), "total": _t(f.terms["total"])})


def _demolition_mass(s: Submission) -> Fact:
    if s.demolition is None:
        return Fact(None, missing="demolition")
    return Fact(sum(d.mass_t for d in s.demolition), {"lines": len(s.demolition)})


def _inventory_published(s: Submission) -> Fact:
    inv = s.inventory
    if inv is None:
        return Fact(None, missing="inventory")
    return Fact(inv.published_on is not None, {"published_on": inv.published_on})


def _inventory_weeks(s: Submission) -> Fact:
    inv = s.inventory
    if inv is None or inv.published_on is None or inv.demolition_start is None:
        return Fact(None, missing="inventory.published_on, inventory.demolition_start")
    days = (inv.demolition_start - inv.published_on).days
    return Fact(days / 7, {"published_on": inv.published_on, "start": inv.demolition_start, "days": days})


def _describe_inventory_weeks(f: Fact) -> Msg:
    t = f.terms
    return Msg(
        "indicators.inventory_weeks", {"published": t["published_on"], "start": t["start"], "days": str(t["days"])}
    )


def _passports(s: Submission) -> Fact:
    v = s.declarations.material_passports
    return Fact(v, missing=None if v is not None else "declarations.material_passports")


# ---------------------------------------------------------------- per-item indicators


def _ladder_justified(d: Any) -> Fact:
    """Reuse and recycling need no word; incineration or landfill needs a reason (R-ladder)."""
    ok = d.destination in (Destination.hergebruik, Destination.recycling) or bool(d.justification)
    return Fact(ok, {"destination": d.destination.value, "justification": d.justification})


def _describe_ladder(f: Fact) -> Msg:
    t = f.terms
    dest = t["destination"]
    if dest in ("hergebruik", "recycling"):
        return Msg("indicators.ladder.upward", {"destination": dest})
    if t["justification"]:
        return Msg("indicators.ladder.justified", {"destination": dest, "justification": t["justification"]})
    return Msg("indicators.ladder.unjustified", {"destination": dest})


def _stage_v_plausible(e: Any) -> tuple[str, tuple[Any, ...]] | None:
    """Stage V engines exist from 2019 (below 56 kW and from 130 kW) and 2020 (56–130 kW), EU 2016/1628."""
    if e.emission_class is not EmissionClass.stage_v:
        return None
    first = 2020 if 56 <= e.power_kw < 130 else 2019
    return ("implausible_stage", (e.year, first)) if e.year < first else None


def _machines_listed(f: Fact) -> Msg:
    return Msg("indicators.equipment_listed", {"machines": str(f.terms["machines"])})


def _building_form(s: Submission) -> Fact:
    form = s.project.building_form
    return Fact(None, missing="project.building_form") if form is None else Fact(form.value)


def _execution_or_tender(s: Submission) -> Fact:
    """The day that chooses a period of a dated table: the start of execution, else the tender date."""
    p = s.project
    if p.execution_start is not None:
        return Fact(p.execution_start, {"how": "execution_start"})
    if p.tender_date is not None:
        return Fact(p.tender_date, {"how": "tender_date"})
    return Fact(None, missing="project.execution_start, project.tender_date")


def _describe_execution_or_tender(f: Fact) -> Msg:
    return Msg("indicators.given", {"path": f"project.{f.terms['how']}"})


def _value(v: Any) -> Any:
    return v.value


EMISSION_SCALE = tuple(c.value for c in EmissionClass)

INDICATORS: dict[str, Indicator] = index(
    [
        Indicator(
            "project_type",
            "project",
            lambda s: Fact(s.project.type.value),
            kind="category",
            derivation=given("project.type"),
        ),
        Indicator(
            "responsible_origin_share",
            "project",
            _origin_share_claimed,
            unit="%",
            derivation=_describe_origin_claimed,
            requires="materials",
            gap_to_pass=_share_gap("reused_recycled_biobased", "primary"),
        ),
        Indicator(
            "mki_eur_per_m2_year",
            "project",
            _mki,
            unit="eur_per_m2_year",
            derivation=_describe_mki,
            gap_to_pass=_mki_gap,
        ),
        Indicator(
            "demolition_reuse_recycling_share",
            "project",
            _demolition_share,
            unit="%",
            derivation=_describe_demolition,
            requires="demolition",
            empty_list_applies=False,
        ),
        Indicator(
            "co2_kg_per_fu",
            "project",
            _impact("co2_kg_per_fu"),
            unit="kg_co2e_per_fu",
            derivation=given("impact.co2_kg_per_fu"),
        ),
        Indicator(
            "mpg",
            "project",
            _impact("mpg"),
            unit="eur_per_m2_bvo_year",
            derivation=given("impact.mpg"),
        ),
        Indicator(
            "building_form",
            "project",
            _building_form,
            kind="category",
            derivation=given("project.building_form"),
        ),
        Indicator(
            "co2_kg_per_m2_bvo",
            "project",
            _impact("co2_kg_per_m2_bvo"),
            unit="kg_co2e_per_fu",
            derivation=given("impact.co2_kg_per_m2_bvo"),
        ),
        Indicator(
            "detachability_pct",
            "project",
            _impact("detachability_pct"),
            unit="%",
            derivation=given("impact.detachability_pct"),
        ),
        Indicator(
            "adaptive_capacity_pct",
            "project",
            _impact("adaptive_capacity_pct"),
            unit="%",
            derivation=given("impact.adaptive_capacity_pct"),
        ),
        Indicator(
            "execution_or_tender_date",
            "project",
            _execution_or_tender,
            kind="date",
            derivation=_describe_execution_or_tender,
        ),
        Indicator(
            "hnn_indicator_count",
            "project",
            _hnn_count,
            unit="count",
            derivation=_describe_hnn,
        ),
        Indicator(
            "seb_compliance_declared",
            "project",
            _seb_declared,
            kind="bool",
            derivation=given("declarations.seb_compliant"),
        ),
        Indicator(
            "renewable_reused_recycled_share",
            "project",
            _renewable_share,
            unit="%",
            derivation=_describe_renewable,
            requires="materials",
            gap_to_pass=_share_gap("renewable_reused_recycled", "new_non_renewable"),
        ),
        Indicator(
            "equipment_zero_emission_share",
            "project",
            _zero_emission_power,
            unit="%",
            derivation=_describe_zero_emission_power,
            requires="equipment",
        ),
        Indicator(
            "equipment_listed",
            "project",
            _equipment_listed,
            kind="bool",
            derivation=_machines_listed,
        ),
        Indicator(
            "demolition_reuse_share",
            "project",
            _demolition_reuse,
            unit="%",
            derivation=_describe_reuse,
            requires="demolition",
            empty_list_applies=False,
        ),
        Indicator(
            "demolition_mass_t",
            "project",
            _demolition_mass,
            unit="t",
            derivation=given("demolition[].mass_t"),
        ),
        Indicator(
            "inventory_published",
            "project",
            _inventory_published,
            kind="bool",
            derivation=given("inventory.published_on"),
        ),
        Indicator(
            "inventory_lead_weeks",
            "project",
            _inventory_weeks,
            unit="weeks",
            derivation=_describe_inventory_weeks,
        ),
        Indicator(
            "material_passports_provided",
            "project",
            _passports,
            kind="bool",
            derivation=given("declarations.material_passports"),
        ),
        Indicator(
            "demolition.ladder_justified",
            "demolition",
            _ladder_justified,
            kind="bool",
            derivation=_describe_ladder,
        ),
        Indicator(
            "equipment.emission_class",
            "equipment",
            attr("emission_class", _value),
            kind="ordinal",
            scale=EMISSION_SCALE,
            derivation=given("equipment[].emission_class"),
            warn=_stage_v_plausible,
        ),
        Indicator(
            "equipment.power_kw",
            "equipment",
            attr("power_kw"),
            unit="kw",
            derivation=given("equipment[].power_kw"),
        ),
        Indicator(
            "equipment.year",
            "equipment",
            attr("year"),
            unit="year",
            derivation=given("equipment[].year"),
        ),
        Indicator(
            "transport.zero_emission",
            "transport",
            attr("zero_emission"),
            kind="bool",
            derivation=given("transport[].zero_emission"),
        ),
        Indicator(
            "transport.category",
            "transport",
            attr("category", _value),
            kind="category",
            derivation=given("transport[].category"),
        ),
        Indicator(
            "transport.euro_class",
            "transport",
            attr("euro_class"),
            unit="count",
            derivation=given("transport[].euro_class"),
        ),
        Indicator(
            "transport.first_registration",
            "transport",
            attr("first_registration"),
            kind="date",
            derivation=given("transport[].first_registration"),
        ),
        Indicator(
            "transport.enters_ze_zone",
            "transport",
            attr("enters_ze_zone"),
            kind="bool",
            derivation=given("transport[].enters_ze_zone"),
        ),
        Indicator(
            "transport.used_until",
            "transport",
            attr("used_until"),
            kind="date",
            derivation=given("transport[].used_until"),
        ),
    ]
)
