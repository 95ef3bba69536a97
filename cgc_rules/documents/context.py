"""What a template sees: the profile, the rules in force with their numbers, and the award mechanics.

Every number a document shows is formatted here from a ruleset (through the registry), from
the profile or, for the award terms, from the tender definition (`terms`). Templates only choose
words; they never hold a threshold.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from markupsafe import Markup

from ..errors import CgcError
from ..evaluator import compile_ruleset
from ..explain import project_type_name
from ..numbers import notation
from ..profile import (
    AppliedRuleset,
    Instrument,
    LoadedProfile,
    Profile,
    Setting,
)
from ..registry import Registry
from ..ruleset import Comparator, LoadedRuleset, Scalar
from ..submission import Project
from ..tender.model import Tender
from .corridor_schedule import CorridorView
from .terms import award_terms, fill
from .wording import LANG

N = notation("nl")

INSTRUMENT_LABELS = {
    Instrument.eis: "minimumeis",
    Instrument.gunningscriterium: "gunningscriterium",
    Instrument.contractbepaling: "contractbepaling",
    Instrument.rapportage: "meet- en rapportageverplichting",
}
COMPARATOR_WORDS = {
    Comparator.ge: "ten minste",
    Comparator.gt: "meer dan",
    Comparator.le: "ten hoogste",
    Comparator.lt: "minder dan",
    Comparator.eq: "gelijk aan",
}
UNIT_WORDS = {
    "%": "van de totale materiaalmassa",
    "eur_per_m2_year": "MKI per m² per jaar",
    "eur_per_m2_bvo_year": "per m² BVO per jaar",
    "kg_co2e_per_fu": "kg CO2-equivalent per functionele eenheid",
}
INDICATOR_UNIT_WORDS = {"hnn_indicator_count": "indicatoren uit Het Nieuwe Normaal"}  # wins over UNIT_WORDS
BUILDING_TYPES = frozenset({"woningbouw", "utiliteitsbouw"})  # building texts (MPG, BVO) instead of civil works
SETTING_UNITS = {
    "eur": "",
    "pct": "",
    "num": "",
    "days": " dagen",
    "months": " maanden",
    "eur_per_eur_mki": " fictieve korting per € MKI",
    "eur_per_pct": " fictieve korting per procentpunt",
    "points": " punten",
}
GROWTH_NAMES = {1: "Ad-hoc", 2: "Pionier", 3: "Proces", 4: "Systeem", 5: "Netwerk"}
ELEMENTS = (
    ("materialeninventarisatie", "Materialeninventarisatie"),
    ("projectenkalender", "Projectenkalender"),
    ("transport_hub", "Transport en hub"),
    ("ketenregisseur", "Ketenregisseur"),
    ("spelregels", "Spelregels"),
)


def value_text(value: float, unit: str | None) -> str:
    """`62 %`, `€ 0,17`, or a plain Dutch number."""
    if unit == "%":
        return N.pct(value, 0)
    if unit and unit.startswith("eur"):
        return N.eur(value)
    return N.num(value, 2)


def setting_text(s: Setting) -> str:
    """A decided or example profile number in Dutch notation with its unit."""
    v = s.value
    assert v is not None
    if s.unit in ("eur", "eur_per_eur_mki", "eur_per_pct"):
        base = N.eur(v, 2) if v % 1 else f"€\u00a0{N.num(v, 0)}"
    elif s.unit == "pct":
        base = N.pct(v, 0)
    else:
        base = N.num(v, 2)
    return base + SETTING_UNITS[s.unit]


def show_setting(s: Setting | None, label: str) -> Markup:
    """A profile number: plain when decided, marked when an example, a fill-in field when open."""
    if s is None or s.value is None:
        return fill(s.label if s else label)
    if s.example:
        return Markup('<ex label="{}">{}</ex>').format(s.label, setting_text(s))
    return Markup("{}").format(setting_text(s))


@dataclass(frozen=True)
class RuleView:
    """One rule in force for this project type, as the templates use it."""

    key: str
    id: str
    ruleset: str
    ruleset_ref: str
    ruleset_title: str
    title: str
    theme: str
    indicator: str
    level: str
    instrument: str
    instrument_label: str
    award: bool
    threshold: Any
    value: Markup  # "62 %" or a fill-in when the parameter is not set
    norm: Markup  # "ten minste 62 % van de totale materiaalmassa"
    measured: bool  # no threshold: measure and report
    unit: str | None
    explanation: str
    source: str
    secondary: bool


@dataclass(frozen=True)
class RulesetView:
    ref: str
    id: str
    version: str
    title: str
    period: str
    sha256: str
    ambition: str | None
    since: str  # effective date in Dutch words


Selected = list[tuple[LoadedRuleset, AppliedRuleset, dict[str, Scalar | list[Scalar]]]]
"""The rulesets a document cites: each version, how the profile applies it and the parameters it sets."""


def select_rulesets(
    profile: Profile, project_type: str, registry: Registry, day: date, pinned: dict[str, str]
) -> Selected:
    """The ruleset versions the profile applies to this project type, in force on `day` unless pinned."""
    out: Selected = []
    for applied in profile.rulesets:
        if applied.project_types is not None and project_type not in {t.value for t in applied.project_types}:
            continue
        ref = f"{applied.id}@{pinned[applied.id]}" if applied.id in pinned else applied.id
        loaded = registry.select(ref, as_of=day).loaded
        if applied.rules is not None:
            missing = sorted(set(applied.rules) - {r.id for r in loaded.ruleset.rules})
            if missing:
                raise CgcError(f"profile {profile.id!r}: ruleset {loaded.ruleset.ref} has no rule {', '.join(missing)}")
        out.append((loaded, applied, applied.parameters))
    unknown = set(pinned) - {a.id for a in profile.rulesets}
    if unknown:
        raise CgcError(f"profile {profile.id!r} does not apply ruleset(s) {', '.join(sorted(unknown))}")
    return out


def _rule_views(profile: Profile, project_type: str, selected: Selected) -> tuple[list[RuleView], set[str]]:
    views: list[RuleView] = []
    known: set[str] = set()
    for loaded, applied, params in selected:
        rs = loaded.ruleset
        compiled = compile_ruleset(rs, params)
        ambition = applied.ambition
        level_tags = {ambition} if ambition else set()
        for cr in compiled.rules:
            rule = cr.rule
            key = f"{rs.id}/{rule.id}"
            known.add(key)
            if cr.applies(project_type, open_threshold=True) is not None:
                continue  # another project type, a yes/no parameter not set to yes, or no threshold for this type
            if ambition and rule.tags and not level_tags & set(rule.tags):
                continue
            if applied.rules is not None and rule.id not in applied.rules:
                continue
            threshold = None if cr.unset_parameter else cr.threshold_for(project_type)
            choice = profile.procurement.get(key)
            instrument = (
                choice.instrument if choice else profile.defaults.get(rule.level.value, _DEFAULT[rule.level.value])
            )
            measured = rule.comparator is None
            if cr.unset_parameter:
                label = rs.parameters[cr.unset_parameter].description.get(LANG)
                value = fill(f"{label} ({rs.ref}, parameter {cr.unset_parameter})")
            elif measured or threshold is None or isinstance(threshold, (bool, str, list)):
                value = Markup("")
            else:
                value = Markup("{}").format(value_text(threshold, rule.unit))
            norm = Markup("")
            if value:
                unit_words = INDICATOR_UNIT_WORDS.get(rule.indicator) or UNIT_WORDS.get(rule.unit or "", "")
                norm = (
                    Markup("{} {} {}")
                    .format(COMPARATOR_WORDS.get(rule.comparator, "") if rule.comparator else "", value, unit_words)
                    .strip()
                )
            views.append(
                RuleView(
                    key=key,
                    id=rule.id,
                    ruleset=rs.id,
                    ruleset_ref=rs.ref,
                    ruleset_title=rs.title,
                    title=rule.title.get(LANG),
                    theme=rule.theme,
                    indicator=rule.indicator,
                    level=rule.level.value,
                    instrument=instrument.value,
                    instrument_label=INSTRUMENT_LABELS[instrument],
                    award=bool(choice and choice.award),
                    threshold=threshold,
                    value=value,
                    norm=norm,
                    measured=measured,
                    unit=rule.unit,
                    explanation=rule.explanation.get(LANG),
                    source=cr.source.citation(),
                    secondary=cr.source.secondary,
                )
            )
    for key in profile.procurement:
        rid = key.partition("/")[0]
        if rid in {lr.ruleset.id for lr, _, _ in selected} and key not in known:
            raise CgcError(f"profile {profile.id!r}: procurement names unknown rule {key!r}")
    return views, known


_DEFAULT = {"requirement": Instrument.eis, "ambition": Instrument.gunningscriterium, "measure": Instrument.rapportage}


def growth(profile: Profile) -> list[dict[str, Any]]:
    out = []
    for key, name in ELEMENTS:
        g = getattr(profile.growth_levels, key)
        if g.level is None:
            level = fill(f"groeiniveau {name.lower()} (1–5)")
        else:
            level = Markup("{} {}").format(g.level, GROWTH_NAMES[g.level])
            if not g.confirmed:
                level += Markup(" (nog te bevestigen)")
        out.append(
            {
                "key": key,
                "name": name,
                "level": level,
                "next": GROWTH_NAMES.get(g.level + 1, "") if g.level else "",
                "note": g.note or "",
            }
        )
    return out


def build_context(
    lp: LoadedProfile,
    project_type: str,
    selected: Selected,
    project: Project | None,
    tender: Tender,
    corridor: CorridorView | None = None,
) -> tuple[dict[str, Any], set[str]]:
    """The template context and every rule key the selected rulesets define (for checking clauses).

    Award terms (criteria, formulas' numbers, rounding, tie-break, tolerances, sanction, fixed values)
    come from `tender`, the definition `cgc score` and `cgc verify` read; `corridor`, when the set is made
    with a corridor, holds the lines offered to the project and those it must release.
    """
    profile = lp.profile
    rules, known = _rule_views(profile, project_type, selected)
    by_key = {r.key: r for r in rules}
    criteria, award = award_terms(tender, by_key, profile.award.worked_example)

    def setting(key: str, label: str) -> Markup:
        return show_setting(profile.settings.get(key), label)

    building = project_type in BUILDING_TYPES
    ruleset_views = [
        RulesetView(
            lr.ruleset.ref,
            lr.ruleset.id,
            lr.ruleset.version,
            lr.ruleset.title,
            lr.ruleset.period(),
            lr.sha256[:12],
            applied.ambition,
            N.date(lr.ruleset.effective_from),
        )
        for lr, applied, _ in selected
    ]
    in_force = {r.ruleset for r in rules}
    context = {
        "profile": profile,
        "building": building,
        "project": {
            "name": project.name if project else None,
            "id": project.id if project else None,
            "type": project_type,
            "type_label": project_type_name(project_type, "nl"),
        },
        "rules": rules,
        "rule": by_key.get,
        "by_instrument": {i.value: [r for r in rules if r.instrument == i.value] for i in Instrument},
        "awarded": [r for r in rules if r.award],
        "criteria": criteria,
        "award": award,
        "rulesets": ruleset_views,
        "sources": [rs for rs in ruleset_views if rs.id in in_force],  # rulesets with a rule in force
        "basis": [applied.basis for lr, applied, _ in selected if applied.basis and lr.ruleset.id in in_force],
        "growth": growth(profile),
        "fill": fill,
        "setting": setting,
        "corridor": corridor,
    }
    return context, known
