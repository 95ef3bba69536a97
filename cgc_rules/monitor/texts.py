"""Wording of monitoring output: table labels from the `monitor` catalogue, and the Dutch texts of the yearly report."""

from __future__ import annotations

from ..i18n import text

LABEL_NAMES = (
    "all",
    "year",
    "region",
    "group",
    "projects",
    "origin",
    "mki",
    "mki_median",
    "within",
    "seb",
    "rule",
    "level",
    "pass",
    "fail",
    "missing",
    "rate",
    "reported",
    "trend",
    "rules",
    "measure",
    "unknown_region",
    "none",
    "goal",
    "no_data",
    "requirement",
    "ambition",
)


def labels(lang: str) -> dict[str, str]:
    """The monitoring tables' labels in `lang`, from the `monitor` catalogue."""
    return {name: text(lang, f"monitor.label.{name}") for name in LABEL_NAMES}


def definition(lang: str) -> str:
    """What "responsible origin" counts, printed under the tables and in the yearly report."""
    return text(lang, "monitor.definition")


ELEMENTS = {
    "materialeninventarisatie": "Materialeninventarisatie",
    "projectenkalender": "Projectenkalender",
    "transport_hub": "Transport & hub",
    "ketenregisseur": "Ketenregisseur",
    "spelregels": "Spelregels",
}
GROWTH = ("ad-hoc", "pionier", "proces", "systeem", "netwerk")
GROWTH_NAMES = {
    "ad-hoc": "Ad-hoc",
    "pionier": "Pionier",
    "proces": "Proces",
    "systeem": "Systeem",
    "netwerk": "Netwerk",
}
SPINNENWEB = {
    "policy_staff": "Beleidsmedewerkers",
    "executing_staff": "Uitvoerenden",
    "capacity_and_money": "Capaciteit en geld",
    "circular_knowledge": "Circulaire kennis",
}
PROJECT_TYPES = {
    "wegen": "wegen",
    "openbare_ruimte": "openbare ruimte",
    "kunstwerk": "kunstwerken",
    "waterbouw": "waterbouw",
    "woningbouw": "woningbouw",
    "utiliteitsbouw": "utiliteitsbouw",
    "sloop": "sloop",
}

REPORT: dict[str, str] = {
    "title": "Jaarevaluatie circulaire GWW {year}",
    "subtitle": "{region}",
    "subtitle_for": "{region} — versie voor {municipality}",
    "intro": (
        "Deze jaarevaluatie volgt actielijn 1 van het Plan van aanpak Circulaire GWW 2026–2030 per project "
        "(herkomst van materiaal, MKI, restmateriaal, CO2 en Schoon en Emissieloos Bouwen) en de positie van "
        "elke gemeente op de GMR-profielen en het groeimodel van de corridor. De cijfers komen uit de "
        "vastgelegde toetsingen in de store; elk project telt één keer."
    ),
    "s_summary": "Samenvatting {year}",
    "s_origin": "Herkomst van materiaal",
    "s_mki": "Milieu- en klimaatimpact (MKI)",
    "s_rules": "Naleving per regel en starten met meten",
    "s_seb": "Schoon en Emissieloos Bouwen",
    "s_municipalities": "Gemeenten: profiel, groeimodel en volgende stap",
    "s_comparison": "Vergelijking tussen gemeenten",
    "s_method": "Verantwoording",
    "summary": (
        "In {year} zijn {projects} projecten gemeten. Het aandeel verantwoorde herkomst over alle gemeten "
        "GWW-projecten is {share} ({good} van {total}); het regionale doel is {goal} circulair in "
        "{goal_year}. De mediaan van de MKI is {mki} per m² per jaar; {within} van de getoetste projecten "
        "blijft binnen het niveau van zijn projecttype. SEB is nageleefd in {seb} van de projecten."
    ),
    "origin_fig": "Aandeel verantwoorde herkomst (massa) per jaar, met het doel voor {goal_year}",
    "origin_table": "Verantwoorde herkomst per jaar (gewogen naar massa)",
    "mki_fig": "MKI per m² per jaar per project in {year}, met het niveau per projecttype",
    "mki_table": "MKI per m² per jaar in {year} per projecttype",
    "rules_fig": "Nalevingsgraad per regel in {year}",
    "rules_table": "Naleving per regel in {year} (projecten waarop de regel van toepassing is)",
    "measure_table": "Starten met meten in {year}: aandeel projecten dat een waarde rapporteerde",
    "seb_text": (
        "In {year} verklaarden {passed} van {of} getoetste projecten ({rate}) te werken volgens het "
        "Convenant Schoon en Emissieloos Bouwen."
    ),
    "seb_table": "SEB-naleving per jaar",
    "radar_fig": "Spinnenweb van {name} per jaar (eigen schaal 1–5)",
    "growth_fig": "Groeimodel van {name}: niveau per element per jaar",
    "growth_table": "Groeimodel van {name} in {year}",
    "profile_text": "{name} is in {year} ingedeeld in {profile}.",
    "profile_next": "Volgende stap naar {level}: {steps}.",
    "profile_top": "Dit is het hoogste GMR-profiel.",
    "no_assessment": "Voor {name} is geen zelfevaluatie uit {year} vastgelegd.",
    "comparison_text": (
        "Andere gemeenten staan hier zonder naam, aangeduid met hun GMR-profiel en een letter; "
        "de letters wisselen per rapport niet van betekenis zolang de gemeenten dezelfde zijn."
    ),
    "comparison_table": "Gemeenten in {year} vergeleken",
    "anonymous": "Gemeente {letter} ({profile})",
    "rulesets": "Gebruikte regelsetversies: {rulesets}.",
    "h_year": "Jaar",
    "h_projects": "Projecten",
    "h_share": "Verantwoorde herkomst",
    "h_mass": "Massa",
    "h_type": "Projecttype",
    "h_median": "Mediaan",
    "h_q1": "Q1",
    "h_q3": "Q3",
    "h_level": "Niveau",
    "h_within": "Binnen niveau",
    "h_rule": "Regel",
    "h_pass": "Voldoet",
    "h_fail": "Voldoet niet",
    "h_missing": "Ontbreekt",
    "h_rate": "Nalevingsgraad",
    "h_reported": "Gerapporteerd",
    "h_seb": "SEB nageleefd",
    "h_element": "Element",
    "h_growth": "Niveau",
    "h_next": "Volgende stap",
    "h_municipality": "Gemeente",
    "h_profile": "Profiel",
    "h_growth_avg": "Groeimodel (gemiddeld niveau)",
    "top": "hoogste niveau bereikt",
}

REPORT_METHOD = (
    "Bron van de cijfers: de store ({records} vastgelegde records, waarvan {evaluations} toetsingen en "
    "{assessments} zelfevaluaties).",
    "Een project dat in meer rollen is vastgelegd telt één keer, in de verst gevorderde rol (zoals gebouwd, "
    "gegund, ontwerp, inschrijving); per regelset telt het nieuwste record van die rol.",
    "Nalevingsgraad: projecten die voldoen gedeeld door projecten die voldoen, niet voldoen of gegevens "
    "missen; projecten waarop de regel niet van toepassing is tellen niet mee.",
    "MKI-kwartielen volgens de inclusieve methode (Python statistics.quantiles); het niveau komt uit de "
    "regelset waarmee het project is getoetst.",
    "Doel: {goal} circulaire GWW in {goal_year} ({source}).",
)
"""The yearly report's method annex, one paragraph a line."""
