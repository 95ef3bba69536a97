"""`build_tender`: a tender definition from a profile, a project type and a tender date.

Levels come from the ruleset versions in force on the tender date (pinned by version and sha256);
factors, floors, caps and weights from the profile's `award` section; whatever neither gives
(area, lifetime, calculation rules, rounding, tolerances, a points method's price range) stays open.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from ..evaluator import compile_ruleset
from ..profile import Criterion as ProfileCriterion
from ..profile import Instrument, LoadedProfile, Profile, Scoring, Setting
from ..registry import Registry
from ..submission import Project
from .model import (
    REQUIRED,
    CorridorOffer,
    Criterion,
    Fixed,
    Knockout,
    Method,
    Param,
    PinnedRuleset,
    PriceMethod,
    PriceScale,
    Tender,
    Unit,
)

if TYPE_CHECKING:
    from ..corridor.tenderlink import CorridorLink

_DEFAULT = {"requirement": Instrument.eis, "ambition": Instrument.gunningscriterium, "measure": Instrument.rapportage}
_METHOD = {
    Scoring.mki_korting: Method.mki_bounds,
    Scoring.herkomst_korting: Method.origin_discount,
    Scoring.herkomst_punten: Method.origin_points,
}


def _param(s: Setting) -> Param:
    value = None if s.value is None else Decimal(str(s.value))
    return Param(label=s.label, value=value, unit=s.unit, example=s.example, source=s.source)


def _open(label: str, unit: Unit = "num") -> Param:
    return Param(label=label, unit=unit)


def _fixed(value: float | None, label: str, unit: Unit) -> Param:
    if value is None:
        return _open(label, unit)
    return Param(label=label, value=Decimal(str(value)), unit=unit, source="projectgegevens")


Level = tuple[Decimal, str, str | None]  # (level, its source, the rule's unit)


def _rules(
    profile: Profile, project_type: str, registry: Registry, day: date, pinned: dict[str, str]
) -> tuple[list[PinnedRuleset], list[Knockout], dict[str, Level]]:
    """(pinned rulesets, knock-out rule keys, level per numeric rule key) for this project type."""
    pins: list[PinnedRuleset] = []
    knockouts: list[Knockout] = []
    levels: dict[str, Level] = {}
    for applied in profile.rulesets:
        if applied.project_types is not None and project_type not in {t.value for t in applied.project_types}:
            continue
        ref = f"{applied.id}@{pinned[applied.id]}" if applied.id in pinned else applied.id
        loaded = registry.select(ref, as_of=day).loaded
        rs = loaded.ruleset
        pins.append(PinnedRuleset(id=rs.id, version=rs.version, sha256=loaded.sha256, parameters=applied.parameters))
        for cr in compile_ruleset(rs, applied.parameters).rules:
            rule, key = cr.rule, f"{rs.id}/{cr.rule.id}"
            if cr.applies(project_type, open_threshold=True) is not None:
                continue
            if applied.ambition and rule.tags and applied.ambition not in rule.tags:
                continue
            if applied.rules is not None and rule.id not in applied.rules:
                continue
            choice = profile.procurement.get(key)
            instrument = (
                choice.instrument if choice else profile.defaults.get(rule.level.value, _DEFAULT[rule.level.value])
            )
            if instrument is Instrument.eis and rule.comparator is not None:
                knockouts.append(Knockout(rule=key))
            threshold = None if cr.unset_parameter else cr.threshold_for(project_type)
            if isinstance(threshold, (int, float)) and not isinstance(threshold, bool) and rule.comparator:
                levels[key] = (Decimal(str(threshold)), f"{rs.ref}, regel {rule.id}", rule.unit)
    return pins, knockouts, levels


_OPEN_FACTOR: dict[
    Method, tuple[str, Unit]
] = {  # (label, unit) of a factor the profile leaves open, as the method uses it (docs/emvi.md)
    Method.mki_bounds: ("fictieve korting per € MKI onder het eisniveau", "eur_per_eur_mki"),
    Method.mki_value: ("factor op de totale MKI in euro", "num"),
    Method.origin_discount: (
        "fictieve korting per procentpunt verantwoorde herkomst boven het eisniveau",
        "eur_per_pct",
    ),
    Method.emission_free_share: (
        "fictieve korting per procentpunt emissieloos materieel boven het eisniveau",
        "eur_per_pct",
    ),
}


def _criterion(c: ProfileCriterion, level: Level, knockouts: set[str]) -> Criterion:
    value, source, _ = level
    method = _METHOD[c.scoring]
    params: dict[str, Param] = {}
    if method is Method.mki_bounds:
        params["ceiling"] = Param(
            label="plafond: eisniveau MKI per m² per jaar", value=value, unit="eur_per_m2_year", source=source
        )
        tolerance = _open(
            "toegestane overschrijding van de aangeboden MKI per m² per jaar bij toetsing", "eur_per_m2_year"
        )
    else:
        params["level"] = Param(label="eisniveau aandeel verantwoorde herkomst", value=value, unit="pct", source=source)
        tolerance = _open("toegestane onderschrijding van het aangeboden aandeel bij toetsing, in procentpunten", "pct")
    for name in ("factor", "floor", "cap", "weight"):
        setting = getattr(c, name)
        if setting is not None:
            params[name] = _param(setting)
    if "floor" in params:  # the profile's floor is an MKI per m² per year
        params["floor"] = params["floor"].model_copy(update={"unit": "eur_per_m2_year"})
    if method is Method.origin_points:
        for name, label in (("cap", "bovengrens aandeel verantwoorde herkomst"), ("weight", "weging herkomst")):
            params.setdefault(name, _open(label, "pct" if name == "cap" else "points"))
    if "factor" in REQUIRED[method] and "factor" not in params:  # the profile leaves it open: a fill-in field
        params["factor"] = _open(*_OPEN_FACTOR[method])
    confirm = None if c.rule in knockouts else False  # not also a knock-out: the officer must confirm (io.open_fields)
    return Criterion(
        id=c.rule.partition("/")[2],
        method=method,
        rule=c.rule,
        params=params,
        tolerance=tolerance,
        accept_without_knockout=confirm,
    )


CORRIDOR_CRITERION = "corridormaterialen"
"""The id of the award criterion on the use of the corridor materials offered (`corridor_criterion`)."""


def corridor_offer(link: CorridorLink | None) -> CorridorOffer | None:
    """The lines the corridor offers the project on the tender date, as the schedule lists them; None without any."""
    if link is None or not link.offered:
        return None
    lines = {o.id: Decimal(str(o.tonnes)) for o in link.offered}
    return CorridorOffer(corridor=link.corridor, version=link.version, as_of=link.as_of, lines=lines)


def corridor_criterion(profile: Profile) -> Criterion | None:
    """The award criterion on the share of the offered corridor tonnes a bid claims, when the profile chooses one:
    points (gewogen factoren, `weight`) or a fictive discount per point of share (gunnen op waarde, `factor`)."""
    use = profile.corridor_use
    if use is None or use.instrument is not Instrument.gunningscriterium:
        return None
    if profile.award.method == "gewogen_factoren":
        weight = _param(use.weight) if use.weight else _open("weging gebruik corridormaterialen", "points")
        return Criterion(id=CORRIDOR_CRITERION, method=Method.corridor_points, params={"weight": weight})
    factor = (
        _param(use.factor)
        if use.factor
        else _open("fictieve korting per procentpunt gebruikte corridormaterialen", "eur_per_pct")
    )
    return Criterion(id=CORRIDOR_CRITERION, method=Method.corridor_discount, params={"factor": factor})


def corridor_minimum(profile: Profile) -> Param | None:
    """The least share of the offered corridor tonnes a bid must claim, when the profile makes it a requirement."""
    use = profile.corridor_use
    if use is None or use.instrument is not Instrument.eis:
        return None
    if use.minimum is None:
        return _open("minimumaandeel gebruikte corridormaterialen", "pct")
    return _param(use.minimum)


def build_tender(
    lp: LoadedProfile,
    project_type: str,
    tender_date: date,
    registry: Registry | None = None,
    project: Project | None = None,
    pinned: dict[str, str] | None = None,
    corridor: CorridorLink | None = None,
) -> Tender:
    """The tender definition for one profile, project type and tender date; with `corridor` (the project's lines
    in the corridor on that date) also the lines offered, and the profile's criterion or requirement on their use."""
    profile = lp.profile
    pins, knockouts, levels = _rules(profile, project_type, registry or Registry(), tender_date, pinned or {})
    ko = {k.rule for k in knockouts}
    criteria = [_criterion(c, levels[c.rule], ko) for c in profile.award.criteria if c.rule in levels]
    offer = corridor_offer(corridor)
    use = corridor_criterion(profile) if offer else None
    criteria += [use] if use else []
    aw = profile.award
    price = None
    if aw.method == "gewogen_factoren":
        weight = _param(aw.price_weight) if aw.price_weight else _open("weging prijs", "points")
        price = PriceScale(
            method=PriceMethod.range,
            params={
                "weight": weight,
                "low": _open("Pmin: inschrijfsom waarbij de prijsscore maximaal is", "eur"),
                "high": _open("Pmax: inschrijfsom waarbij de prijsscore nul is", "eur"),
            },
        )
    sanction = _param(aw.sanction_factor) if aw.sanction_factor else _open("sanctiefactor bij niet nakomen")
    point_value = None
    if aw.method == "gewogen_factoren":
        point_value = (
            _param(aw.point_value)
            if aw.point_value
            else _open("bedrag in euro per kwaliteitspunt bij niet waarmaken", "eur")
        )
    slug_type = project_type.replace("_", "-")
    return Tender(
        id=f"{profile.id}-{slug_type}-{tender_date.isoformat()}",
        title=project.name if project else f"{profile.municipality}, {project_type}, {tender_date.isoformat()}",
        municipality=profile.municipality,
        profile=profile.id,
        project_type=project_type,
        tender_date=tender_date,
        rulesets=pins,
        fixed=Fixed(
            area_m2=_fixed(project.area_m2 if project else None, "oppervlakte van het werk in m²", "m2"),
            lifetime_years=_fixed(project.lifetime_years if project else None, "ontwerplevensduur in jaren", "years"),
        ),
        knockouts=knockouts,
        method=aw.method,
        criteria=criteria,
        price=price,
        score_scale=Decimal(aw.score_scale),
        sanction_factor=sanction,
        point_value=point_value,
        example=profile.example,
        corridor=offer if profile.corridor_use else None,
        corridor_minimum=corridor_minimum(profile) if offer else None,
    )


def tender_file(
    profile_id: str,
    project_type: str,
    day: date,
    registry: Registry,
    project: Project | None = None,
    pinned: dict[str, str] | None = None,
    profiles_dir: Path | None = None,
    corridor: CorridorLink | None = None,
) -> tuple[str, str]:
    """(file name, YAML) of the tender definition written next to the documents by `cgc generate`."""
    from ..profile import load_profile, profile_path
    from .io import dump_tender

    lp = load_profile(profile_path(profile_id, profiles_dir))
    tender = build_tender(lp, project_type, day, registry, project, pinned, corridor)
    return f"aanbesteding_{lp.profile.id}_{project_type}.yaml", dump_tender(tender)
