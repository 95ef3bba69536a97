"""Indicators: values derived from a submission, each with the derivation behind it.

An indicator computes a `Fact` for one subject (the project, or one item of a list such as a
machine). A fact keeps the numbers it was computed from (`terms`), so the explanation and the
gap of an outcome can be written later, in either language, without computing anything twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Iterable

from .numbers import Notation
from .ruleset import Text
from .submission import (
    Destination,
    EmissionClass,
    Origin,
    Submission,
)


@dataclass(slots=True)
class Fact:
    """An indicator's value for one subject; `value is None` means the data is missing."""

    value: Any
    terms: dict = field(default_factory=dict)
    missing: str | None = None  # which input is absent, when value is None


Describe = Callable[[Fact, Notation], str]


@dataclass(frozen=True)
class Unit:
    key: str
    nl: str
    en: str

    def label(self, lang: str) -> str:
        return self.nl if lang == "nl" else self.en

    def show(self, value: Any, n: Notation) -> str:
        if isinstance(value, bool) or value is None or not isinstance(value, (int, float)):
            return show_plain(value, n)
        if self.key == "%":
            return n.pct(value)
        if self.key.startswith("eur"):
            return n.eur(value)
        if self.key == "t":
            return n.tonnes(value)
        return f"{n.num(value, 2)} {self.label(n.lang)}".rstrip()


def show_plain(value: Any, n: Notation) -> str:
    if value is None:
        return "—"
    if isinstance(value, date):
        return n.date(value)
    if isinstance(value, bool):
        return ("ja" if value else "nee") if n.lang == "nl" else ("yes" if value else "no")
    if isinstance(value, (list, tuple)):
        return ", ".join(show_plain(v, n) for v in value)
    if isinstance(value, (int, float)):
        return n.num(value, 2)
    return str(value)


def show(value: Any, unit: str | None, n: Notation) -> str:
    """A value in its unit's notation (`62,0 %`, `€ 0,17`), or plainly when it has none."""
    return UNITS[unit].show(value, n) if unit in UNITS else show_plain(value, n)


UNITS: dict[str, Unit] = {
    u.key: u
    for u in (
        Unit("%", "%", "%"),
        Unit("eur_per_m2_year", "€ MKI/m²/jaar", "€ MKI per m² per year"),
        Unit("eur_per_m2_bvo_year", "€/m² BVO/jaar (MPG)", "€ per m² GFA per year (MPG)"),
        Unit("kg_co2e_per_fu", "kg CO2-eq/FE", "kg CO2-eq per functional unit"),
        Unit("t", "t", "t"),
        Unit("kw", "kW", "kW"),
        Unit("weeks", "weken", "weeks"),
        Unit("year", "", ""),
        Unit("count", "", ""),
    )
}


@dataclass(frozen=True)
class Indicator:
    """How one indicator is computed and explained."""

    key: str
    subject: str  # "project" or the name of a list in the submission, e.g. "equipment"
    label: Text
    compute: Callable[[Any], Fact]
    unit: str | None = None
    kind: str = "number"  # number | bool | ordinal | category
    scale: tuple[str, ...] = ()  # ordinal order, worst first
    describe: Describe | None = None
    gap: Callable[[Fact, float, str, Notation], str | None] | None = None
    empty_list_applies: bool = True  # False: an empty `requires` list makes the rule not applicable
    requires: str | None = None  # the submission list a project-level indicator sums over
    warn: Callable[[Any], tuple[str, tuple] | None] | None = None  # a plausibility note on the input, never a fail
    root: str = "project"  # the kind of subject whose model holds this value: project or municipality

    def rank(self, value: Any) -> Any:
        """Position of a value on the ordinal scale; plain value otherwise."""
        return self.scale.index(value) if self.scale and value in self.scale else value


# ---------------------------------------------------------------- project indicators


_ORIGINS = tuple(Origin)
_DESTINATIONS = tuple(Destination)


def _sum_by(items: list, attr: str, keys: tuple) -> dict:
    """Mass per category in one pass; identity tests keep the loop cheap for 100,000 lines."""
    k0, k1, k2, k3 = keys
    t0 = t1 = t2 = t3 = 0.0
    for item in items:
        mass = item.mass_t
        key = getattr(item, attr)
        if key is k0:
            t0 += mass
        elif key is k1:
            t1 += mass
        elif key is k2:
            t2 += mass
        else:
            t3 += mass
    return {k0.value: t0, k1.value: t1, k2.value: t2, k3.value: t3}


def _origin_share(s: Submission) -> Fact:
    materials = s.materials
    if not materials:
        return Fact(None, missing="materials")
    by = _sum_by(materials, "origin", _ORIGINS)
    total = by["primair"] + by["hergebruikt"] + by["gerecycled"] + by["biobased"]
    if total <= 0:
        return Fact(None, {"lines": len(materials)}, missing="materials[].mass_t")
    good = by["hergebruikt"] + by["gerecycled"] + by["biobased"]
    return Fact(good / total * 100, {"lines": len(materials), "total": total, "good": good, "by": by})


def _describe_origin(f: Fact, n: Notation) -> str:
    t = f.terms
    by = t["by"]
    if n.lang == "nl":
        return (
            f"{n.tonnes(t['good'])} van {n.tonnes(t['total'])} ({t['lines']} materiaalregels) is hergebruikt "
            f"({n.tonnes(by['hergebruikt'])}), gerecycled ({n.tonnes(by['gerecycled'])}) of biobased "
            f"({n.tonnes(by['biobased'])})"
        )
    return (
        f"{n.tonnes(t['good'])} of {n.tonnes(t['total'])} ({t['lines']} material lines) is reused "
        f"({n.tonnes(by['hergebruikt'])}), recycled ({n.tonnes(by['gerecycled'])}) or biobased "
        f"({n.tonnes(by['biobased'])})"
    )


def _share_gap(good_nl: str, good_en: str, bad_nl: str, bad_en: str):
    """Gap for a minimum share of mass: swap bad for good mass, or drop bad mass."""

    def gap(f: Fact, threshold: float, comparator: str, n: Notation) -> str | None:
        total, good = f.terms["total"], f.terms["good"]
        share = threshold / 100
        swap = share * total - good
        drop = total - good / share if share > 0 else 0.0
        if comparator == ">" and swap <= 0:
            swap = drop = 0.1
        if n.lang == "nl":
            return (
                f"{n.pct(threshold)} nodig, {n.pct(f.value)} gehaald: {n.tonnes(swap)} meer {good_nl} "
                f"op {n.tonnes(total)} (in plaats van {bad_nl}), of {n.tonnes(drop)} minder {bad_nl}"
            )
        return (
            f"{n.pct(threshold)} needed, {n.pct(f.value)} reached: {n.tonnes(swap)} more {good_en} "
            f"out of {n.tonnes(total)} (in place of {bad_en}), or {n.tonnes(drop)} less {bad_en}"
        )

    return gap


def _mki(s: Submission) -> Fact:
    given = s.impact.mki_eur_per_m2_year
    if given is not None:
        return Fact(given, {"how": "given"})
    p, total = s.project, s.impact.mki_eur_total
    absent = [
        name
        for name, v in (("impact.mki_eur_total", total), ("project.area_m2", p.area_m2),
                        ("project.lifetime_years", p.lifetime_years))
        if v is None
    ]
    if absent:
        return Fact(None, missing="impact.mki_eur_per_m2_year (" + ", ".join(absent) + ")")
    return Fact(
        total / (p.area_m2 * p.lifetime_years),
        {"how": "derived", "total": total, "area": p.area_m2, "years": p.lifetime_years},
    )


def _describe_mki(f: Fact, n: Notation) -> str:
    t = f.terms
    if t["how"] == "given":
        return "opgegeven in impact.mki_eur_per_m2_year" if n.lang == "nl" else "given in impact.mki_eur_per_m2_year"
    expr = f"{n.eur(t['total'])} / ({n.num(t['area'])} m² × {n.num(t['years'])} {'jaar' if n.lang == 'nl' else 'years'})"
    return f"{'berekend als' if n.lang == 'nl' else 'computed as'} {expr} = {n.eur(f.value)}"


def _mki_gap(f: Fact, threshold: float, comparator: str, n: Notation) -> str | None:
    over = f.value - threshold
    t = f.terms
    nl = n.lang == "nl"
    text = (
        f"{n.eur(threshold)} toegestaan, {n.eur(f.value)} bereikt: {n.eur(over)} per m² per jaar lager"
        if nl
        else f"{n.eur(threshold)} allowed, {n.eur(f.value)} reached: {n.eur(over)} per m² per year lower"
    )
    if t.get("how") == "derived":
        cut = over * t["area"] * t["years"]
        text += f", {'dat is' if nl else 'that is'} {n.eur(cut)} {'MKI minder over de hele levensduur' if nl else 'less MKI over the whole lifetime'}"
    return text


def _demolition_share(s: Submission) -> Fact:
    lines = s.demolition
    if not lines:
        return Fact(None, missing="demolition")
    by = _sum_by(lines, "destination", _DESTINATIONS)
    total = by["hergebruik"] + by["recycling"] + by["verbranding"] + by["stort"]
    if total <= 0:
        return Fact(None, missing="demolition[].mass_t")
    good = by["hergebruik"] + by["recycling"]
    return Fact(good / total * 100, {"lines": len(lines), "total": total, "good": good, "by": by})


def _describe_demolition(f: Fact, n: Notation) -> str:
    t, by = f.terms, f.terms["by"]
    if n.lang == "nl":
        return (
            f"hergebruik {n.tonnes(by['hergebruik'])} + recycling {n.tonnes(by['recycling'])} van "
            f"{n.tonnes(t['total'])} vrijkomend materiaal (verbranding {n.tonnes(by['verbranding'])}, "
            f"stort {n.tonnes(by['stort'])})"
        )
    return (
        f"reuse {n.tonnes(by['hergebruik'])} + recycling {n.tonnes(by['recycling'])} of "
        f"{n.tonnes(t['total'])} released material (incineration {n.tonnes(by['verbranding'])}, "
        f"landfill {n.tonnes(by['stort'])})"
    )


def _impact(field_name: str) -> Callable[[Submission], Fact]:
    def compute(s: Submission) -> Fact:
        v = getattr(s.impact, field_name)
        return Fact(v, {"how": "given"}, missing=None if v is not None else f"impact.{field_name}")

    return compute


def _given(path: str) -> Describe:
    return lambda f, n: (f"opgegeven in {path}" if n.lang == "nl" else f"given in {path}")


def _hnn_count(s: Submission) -> Fact:
    if s.hnn_indicators is None:
        return Fact(None, missing="hnn_indicators")
    names = sorted(set(s.hnn_indicators))
    return Fact(len(names), {"names": names})


def _describe_hnn(f: Fact, n: Notation) -> str:
    names = ", ".join(f.terms["names"]) or "—"
    return f"{'gerapporteerd' if n.lang == 'nl' else 'reported'}: {names}"


def _seb_declared(s: Submission) -> Fact:
    v = s.declarations.seb_compliant
    return Fact(v, missing=None if v is not None else "declarations.seb_compliant")


def _renewable_share(s: Submission) -> Fact:
    """HNN 'herkomst materialen': renewable (incl. biobased), reused or recycled mass over all mass."""
    materials = s.materials
    if not materials:
        return Fact(None, missing="materials")
    total = good = renewable_primary = 0.0
    for m in materials:
        mass = m.mass_t
        total += mass
        if m.origin is not Origin.primair:
            good += mass
        elif m.renewable:
            good += mass
            renewable_primary += mass
    if total <= 0:
        return Fact(None, {"lines": len(materials)}, missing="materials[].mass_t")
    return Fact(good / total * 100, {"lines": len(materials), "total": total, "good": good,
                                     "renewable_primary": renewable_primary})


def _describe_renewable(f: Fact, n: Notation) -> str:
    t = f.terms
    if n.lang == "nl":
        return (f"{n.tonnes(t['good'])} van {n.tonnes(t['total'])} ({t['lines']} materiaalregels) is hernieuwbaar, "
                f"hergebruikt of gerecycled (waarvan {n.tonnes(t['renewable_primary'])} nieuw maar hernieuwbaar)")
    return (f"{n.tonnes(t['good'])} of {n.tonnes(t['total'])} ({t['lines']} material lines) is renewable, reused or "
            f"recycled (of which {n.tonnes(t['renewable_primary'])} new but renewable)")


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


def _describe_zero_emission_power(f: Fact, n: Notation) -> str:
    t = f.terms
    if n.lang == "nl":
        return f"{n.num(t['clean'])} kW emissieloos van {n.num(t['total'])} kW geïnstalleerd vermogen ({t['machines']} machines)"
    return f"{n.num(t['clean'])} kW zero-emission of {n.num(t['total'])} kW installed power ({t['machines']} machines)"


def _equipment_listed(s: Submission) -> Fact:
    if s.equipment is None:
        return Fact(None, missing="equipment")
    return Fact(True, {"machines": len(s.equipment)})


def _demolition_reuse(s: Submission) -> Fact:
    lines = s.demolition
    if not lines:
        return Fact(None, missing="demolition")
    by = _sum_by(lines, "destination", _DESTINATIONS)
    total = by["hergebruik"] + by["recycling"] + by["verbranding"] + by["stort"]
    if total <= 0:
        return Fact(None, missing="demolition[].mass_t")
    return Fact(by["hergebruik"] / total * 100, {"total": total, "good": by["hergebruik"], "lines": len(lines)})


def _describe_reuse(f: Fact, n: Notation) -> str:
    t = f.terms
    if n.lang == "nl":
        return f"{n.tonnes(t['good'])} hergebruikt van {n.tonnes(t['total'])} vrijkomend materiaal"
    return f"{n.tonnes(t['good'])} reused of {n.tonnes(t['total'])} released material"


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


def _describe_inventory_weeks(f: Fact, n: Notation) -> str:
    t = f.terms
    if n.lang == "nl":
        return f"gedeeld op {n.date(t['published_on'])}, sloop start {n.date(t['start'])}: {t['days']} dagen ertussen"
    return f"shared on {n.date(t['published_on'])}, demolition starts {n.date(t['start'])}: {t['days']} days apart"


def _passports(s: Submission) -> Fact:
    v = s.declarations.material_passports
    return Fact(v, missing=None if v is not None else "declarations.material_passports")


# ---------------------------------------------------------------- per-item indicators


def _ladder_justified(d: Any) -> Fact:
    """Reuse and recycling need no word; incineration or landfill needs a reason (R-ladder)."""
    ok = d.destination in (Destination.hergebruik, Destination.recycling) or bool(d.justification)
    return Fact(ok, {"destination": d.destination.value, "justification": d.justification})


def _describe_ladder(f: Fact, n: Notation) -> str:
    t = f.terms
    nl = n.lang == "nl"
    dest = t["destination"]
    if dest in ("hergebruik", "recycling"):
        return f"bestemming {dest}" if nl else f"destination {dest}"
    if t["justification"]:
        return (f"bestemming {dest}, onderbouwd: {t['justification']}" if nl
                else f"destination {dest}, justified: {t['justification']}")
    return (f"bestemming {dest} zonder onderbouwing waarom hergebruik of recycling niet kon" if nl
            else f"destination {dest} without a reason why reuse or recycling was not possible")


def _stage_v_plausible(e: Any) -> tuple[str, tuple] | None:
    """Stage V engines exist from 2019 (below 56 kW and from 130 kW) and 2020 (56–130 kW), EU 2016/1628."""
    if e.emission_class is not EmissionClass.stage_v:
        return None
    first = 2020 if 56 <= e.power_kw < 130 else 2019
    return ("implausible_stage", (e.year, first)) if e.year < first else None


def _attr(name: str, wrap: Callable[[Any], Any] = lambda v: v) -> Callable[[Any], Fact]:
    def compute(item: Any) -> Fact:
        v = getattr(item, name)
        return Fact(None if v is None else wrap(v), missing=None if v is not None else name)

    return compute


EMISSION_SCALE = tuple(c.value for c in EmissionClass)

_INDICATORS = [
    Indicator("project_type", "project", Text(nl="projecttype", en="project type"),
              lambda s: Fact(s.project.type.value), kind="category", describe=_given("project.type")),
    Indicator("responsible_origin_share", "project",
              Text(nl="aandeel massa met verantwoorde herkomst", en="share of mass with responsible origin"),
              _origin_share, unit="%", describe=_describe_origin, requires="materials",
              gap=_share_gap("hergebruikt, gerecycled of biobased materiaal",
                             "reused, recycled or biobased material",
                             "primair materiaal", "primary material")),
    Indicator("mki_eur_per_m2_year", "project", Text(nl="MKI per m² per jaar", en="MKI per m² per year"),
              _mki, unit="eur_per_m2_year", describe=_describe_mki, gap=_mki_gap),
    Indicator("demolition_reuse_recycling_share", "project",
              Text(nl="aandeel vrijkomend materiaal hergebruikt of gerecycled",
                   en="share of released material reused or recycled"),
              _demolition_share, unit="%", describe=_describe_demolition,
              requires="demolition", empty_list_applies=False),
    Indicator("co2_kg_per_fu", "project",
              Text(nl="materiaalgebonden CO2-uitstoot", en="material-bound CO2 emissions"),
              _impact("co2_kg_per_fu"), unit="kg_co2e_per_fu", describe=_given("impact.co2_kg_per_fu")),
    Indicator("mpg", "project", Text(nl="MPG-score", en="MPG score"), _impact("mpg"),
              unit="eur_per_m2_bvo_year", describe=_given("impact.mpg")),
    Indicator("hnn_indicator_count", "project",
              Text(nl="aantal gerapporteerde HNN-indicatoren", en="number of HNN indicators reported"),
              _hnn_count, unit="count", describe=_describe_hnn),
    Indicator("seb_compliance_declared", "project",
              Text(nl="verklaring naleving SEB-convenant", en="declaration of SEB covenant compliance"),
              _seb_declared, kind="bool", describe=_given("declarations.seb_compliant")),
    Indicator("renewable_reused_recycled_share", "project",
              Text(nl="aandeel massa hernieuwbaar, hergebruikt of gerecycled",
                   en="share of mass renewable, reused or recycled"),
              _renewable_share, unit="%", describe=_describe_renewable, requires="materials",
              gap=_share_gap("hernieuwbaar, hergebruikt of gerecycled materiaal",
                             "renewable, reused or recycled material",
                             "nieuw niet-hernieuwbaar materiaal", "new non-renewable material")),
    Indicator("equipment_zero_emission_share", "project",
              Text(nl="aandeel emissieloos materieel (naar vermogen)", en="share of zero-emission equipment (by power)"),
              _zero_emission_power, unit="%", describe=_describe_zero_emission_power, requires="equipment"),
    Indicator("equipment_listed", "project", Text(nl="materieellijst ingeleverd", en="equipment list handed in"),
              _equipment_listed, kind="bool",
              describe=lambda f, n: (f"{f.terms['machines']} machines opgegeven" if n.lang == "nl"
                                     else f"{f.terms['machines']} machines listed")),
    Indicator("demolition_reuse_share", "project",
              Text(nl="aandeel vrijkomend materiaal hergebruikt", en="share of released material reused"),
              _demolition_reuse, unit="%", describe=_describe_reuse, requires="demolition", empty_list_applies=False),
    Indicator("demolition_mass_t", "project", Text(nl="massa vrijkomend materiaal", en="mass of released material"),
              _demolition_mass, unit="t", describe=_given("demolition[].mass_t")),
    Indicator("inventory_published", "project",
              Text(nl="materiaalinventarisatie gedeeld", en="material inventory shared"),
              _inventory_published, kind="bool", describe=_given("inventory.published_on")),
    Indicator("inventory_lead_weeks", "project",
              Text(nl="weken tussen inventarisatie en start sloop", en="weeks between inventory and start of demolition"),
              _inventory_weeks, unit="weeks", describe=_describe_inventory_weeks),
    Indicator("material_passports_provided", "project",
              Text(nl="materiaalpaspoorten geleverd", en="material passports provided"),
              _passports, kind="bool", describe=_given("declarations.material_passports")),
    Indicator("demolition.ladder_justified", "demolition",
              Text(nl="bestemming volgens de R-ladder", en="destination per the R-ladder"),
              _ladder_justified, kind="bool", describe=_describe_ladder),
    Indicator("equipment.emission_class", "equipment", Text(nl="emissieklasse", en="emission class"),
              _attr("emission_class", lambda v: v.value), kind="ordinal", scale=EMISSION_SCALE,
              describe=_given("equipment[].emission_class"), warn=_stage_v_plausible),
    Indicator("equipment.power_kw", "equipment", Text(nl="vermogen", en="power"), _attr("power_kw"),
              unit="kw", describe=_given("equipment[].power_kw")),
    Indicator("equipment.year", "equipment", Text(nl="bouwjaar", en="year built"), _attr("year"),
              unit="year", describe=_given("equipment[].year")),
    Indicator("transport.zero_emission", "transport", Text(nl="emissievrij", en="zero-emission"),
              _attr("zero_emission"), kind="bool", describe=_given("transport[].zero_emission")),
    Indicator("transport.category", "transport", Text(nl="voertuigcategorie", en="vehicle category"),
              _attr("category", lambda v: v.value), kind="category", describe=_given("transport[].category")),
    Indicator("transport.euro_class", "transport", Text(nl="Euro-emissieklasse", en="Euro emission class"),
              _attr("euro_class"), unit="count", describe=_given("transport[].euro_class")),
    Indicator("transport.first_registration", "transport", Text(nl="datum eerste toelating", en="first registration"),
              _attr("first_registration"), kind="date", describe=_given("transport[].first_registration")),
    Indicator("transport.enters_ze_zone", "transport",
              Text(nl="rijdt de zero-emissiezone in", en="enters the zero-emission zone"),
              _attr("enters_ze_zone"), kind="bool", describe=_given("transport[].enters_ze_zone")),
    Indicator("transport.used_until", "transport",
              Text(nl="laatste inzetdag", en="last day in use"),
              _attr("used_until"), kind="date", describe=_given("transport[].used_until")),
]

INDICATORS: dict[str, Indicator] = {i.key: i for i in _INDICATORS}

from .municipality_indicators import MUNICIPALITY_INDICATORS  # noqa: E402  (builds on the classes above)

INDICATORS.update((i.key, i) for i in MUNICIPALITY_INDICATORS)


def subjects(root: Any, subject: str) -> Iterable[tuple[str, Any]]:
    """(name, object) of every subject of one kind in a submission or municipality assessment."""
    if subject == root.subject_kind:
        return ((root.subject_id, root),)
    items = getattr(root, subject) or ()
    return ((item.name, item) for item in items)
