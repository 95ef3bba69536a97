"""What partners read about a corridor, in Dutch (`nl`, the default) or English (`en`).

Every sentence is built here from the structured findings (ids, numbers, dates) with the
notation of its language (`cgc_rules.numbers`): 1,9 km and 1 maart 2026 in Dutch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..numbers import Notation, notation

if TYPE_CHECKING:
    from .allocate import Allocation
    from .findings import Alert, Refusal
    from .load import Parameter

LANGS = ("nl", "en")

LABELS: dict[str, dict[str, str]] = {
    "nl": {
        "calendar": "Projectenkalender", "as_of": "Stand per", "version": "versie", "rules_of_play": "Spelregels",
        "example_data": "Voorbeelddata", "timeline": "Tijdlijn per project", "supply": "aanbod", "demand": "vraag",
        "supply_window": "aanbod (beschikbaar)", "demand_window": "vraag (nodig)", "match": "toegewezen match",
        "today": "peildatum", "map": "Kaart (schematisch)", "map_approx": "Kaart (schematisch, coördinaten bij benadering)",
        "allocations": "Toewijzingen", "route": "route", "direct": "direct", "why": "toelichting",
        "refusals": "Afgewezen combinaties (zonder geldige route)", "reason": "reden", "alerts": "Signalen",
        "alert": "signaal", "subject": "betreft", "none": "geen", "parameter": "parameter", "value": "waarde",
        "origin": "herkomst", "example_value": "voorbeeldwaarde", "example_values": "voorbeeldwaarden (geen beleid)",
        "timeline_aria": "tijdlijn",
    },
    "en": {
        "calendar": "Project calendar", "as_of": "As of", "version": "version", "rules_of_play": "Rules of play",
        "example_data": "Example data", "timeline": "Timeline per project", "supply": "supply", "demand": "demand",
        "supply_window": "supply (available)", "demand_window": "demand (needed)", "match": "allocated match",
        "today": "reference day", "map": "Map (schematic)", "map_approx": "Map (schematic, approximate coordinates)",
        "allocations": "Allocations", "route": "route", "direct": "direct", "why": "explanation",
        "refusals": "Refused pairs (without any valid route)", "reason": "reason", "alerts": "Alerts",
        "alert": "alert", "subject": "subject", "none": "none", "parameter": "parameter", "value": "value",
        "origin": "origin", "example_value": "example value", "example_values": "example values (not policy)",
        "timeline_aria": "timeline",
    },
}

ALERT_KINDS = {
    "nl": {"late_inventory": "inventarisatie te laat", "hub_over_capacity": "hub overvol",
           "stored_too_long": "te lang in de hub", "supply_expiring": "aanbod zonder afnemer"},
    "en": {"late_inventory": "late inventory", "hub_over_capacity": "hub over capacity",
           "stored_too_long": "stored too long", "supply_expiring": "supply expiring"},
}
REASONS = {"nl": {"distance": "afstand", "time": "tijd"}, "en": {"distance": "distance", "time": "time"}}
UNITS = {"nl": {"weeks": "weken", "days": "dagen"}, "en": {}}
YES_NO = {"nl": ("ja", "nee"), "en": ("yes", "no")}


def _km(n: Notation, km: float) -> str:
    return f"{n.num(km, 1)}\u00a0km"


def refusal_text(x: Refusal, lang: str) -> str:
    """Why a route is refused."""
    n = notation(lang)
    if x.rule == "too_far":
        if lang == "nl":
            return f"langste rit {_km(n, x.route.leg_km)}, meer dan de grens van {_km(n, x.limit)}"
        return f"longest leg over {x.limit:g} km"
    days = n.num(x.limit, 0)
    return {
        "nl": {"needed_before_available": "al nodig voordat het materiaal vrijkomt",
               "windows_apart": "de beschikbaarheid eindigt voordat de vraag begint",
               "stored_too_long": f"zou langer in de hub liggen dan de maximale opslagtijd van {days} dagen"},
        "en": {"needed_before_available": "needed before it is available",
               "windows_apart": "available window ends before the needed window starts",
               "stored_too_long": f"would wait longer than the hub's maximum storage time ({days} days)"},
    }[lang][x.rule]


def alert_text(a: Alert, lang: str) -> str:
    """What an alert says about its subject."""
    n = notation(lang)
    day = n.date(a.day) if a.day else ""
    if a.kind == "late_inventory":
        weeks = n.num(a.limit, 1)
        return (f"inventarisatie niet {weeks} weken vóór de sloop gedeeld (sloop start {day})" if lang == "nl"
                else f"inventory not published {weeks} weeks before demolition (starts {day})")
    if a.kind == "stored_too_long":
        days = n.num(a.limit, 0)
        return (f"ligt langer dan {days} dagen in {a.hub} (binnengekomen {day})" if lang == "nl"
                else f"in hub {a.hub} longer than {days} days (arrived {day})")
    if a.kind == "hub_over_capacity":
        return (f"{n.tonnes(a.tonnes)} opgeslagen, capaciteit {n.tonnes(a.limit)}" if lang == "nl"
                else f"{n.tonnes(a.tonnes)} stored, capacity {n.tonnes(a.limit)}")
    return (f"beschikbaar tot en met {day}, nog geen afnemer gevonden" if lang == "nl"
            else f"available until {day}, no candidate match")


def allocation_text(a: Allocation, lang: str) -> str:
    """How much goes where along which route, and whether other donors could have delivered."""
    n, r = notation(lang), a.route
    tkm = f"{n.num(a.tonne_km, 1)}\u00a0tkm"
    others = ", ".join(f"{x.supply} ({_km(n, x.km)})" for x in a.rivals)
    full = "".join(f"; {_full_text(n, h.hub, h.capacity_t, r.via, lang)}" for h in a.full_hubs)
    if lang == "nl":
        how = f"via {r.via}, {r.storage_days} dagen opslag" if r.via else "direct vervoer"
        alt = (f"andere donoren voor deze vraag: {others}" if others
               else "de enige donor die op tijd en binnen de afstandsgrens kan leveren")
        return f"{n.tonnes(a.tonnes)} van {r.supply} naar {r.demand}, {how}, {_km(n, r.km)}, {tkm}{full}; {alt}"
    how = f"via hub {r.via}, {r.storage_days} days in storage" if r.via else "direct transport"
    alt = (f"other donors for this demand: {others}" if others
           else "the only donor that can deliver in time and within the distance limit")
    return f"{n.tonnes(a.tonnes)} from {r.supply} to {r.demand}, {how}, {_km(n, r.km)}, {tkm}{full}; {alt}"


def _full_text(n: Notation, hub: str, capacity_t: float, via: str, lang: str) -> str:
    """Why a full hub changed this allocation: it went direct, through another hub, or only partly."""
    cap = n.tonnes(capacity_t)
    if lang == "nl":
        then = ("daarom direct vervoer" if not via else "er past niet meer door" if via == hub
                else f"daarom via {via}")
        return f"{hub} zat vol (capaciteit {cap}), {then}"
    then = "so direct transport" if not via else "no more fits through it" if via == hub else f"so via hub {via}"
    return f"hub {hub} was full (capacity {cap}), {then}"


def parameter_value(p: Parameter, lang: str) -> str:
    """A rules-of-play value with its unit: `ja`, `15 km`, `30 dagen`."""
    if isinstance(p.value, bool):
        return YES_NO[lang][0 if p.value else 1]
    unit = UNITS[lang].get(p.unit or "", p.unit or "")
    return f"{notation(lang).num(p.value)} {unit}".strip()

