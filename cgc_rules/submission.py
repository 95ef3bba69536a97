"""The project submission a bidder or project leader hands in (pydantic, validated at the edge)."""

from __future__ import annotations

from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from . import yamlio
from .guard import CompactModel, NonNegative, Positive  # bounded: sums over a million lines stay finite


class ProjectType(str, Enum):
    wegen = "wegen"
    openbare_ruimte = "openbare_ruimte"
    kunstwerk = "kunstwerk"
    waterbouw = "waterbouw"
    woningbouw = "woningbouw"
    utiliteitsbouw = "utiliteitsbouw"
    sloop = "sloop"


class Origin(str, Enum):
    primair = "primair"
    hergebruikt = "hergebruikt"
    gerecycled = "gerecycled"
    biobased = "biobased"


class Destination(str, Enum):
    """Destinations of demolition residue, in R-ladder order (best first)."""

    hergebruik = "hergebruik"
    recycling = "recycling"
    verbranding = "verbranding"
    stort = "stort"


class EmissionClass(str, Enum):
    """Engine emission classes (EU 2016/1628) from oldest to cleanest."""

    ouder = "ouder"
    stage_iiia = "stage-iiia"
    stage_iiib = "stage-iiib"
    stage_iv = "stage-iv"
    stage_v = "stage-v"
    emissieloos = "emissieloos"


class VehicleCategory(str, Enum):
    """Vehicle categories of the zero-emission zone access rules."""

    bestelauto = "bestelauto"
    vrachtauto = "vrachtauto"
    trekker = "trekker"
    overig = "overig"


class _Model(CompactModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=False, frozen=True)


class Project(_Model):
    """Het project waarvoor wordt ingeschreven."""

    id: str = Field(min_length=1, description="Kenmerk van het project (zoals in de aanbestedingsstukken).")
    name: str = Field(min_length=1, description="Naam van het project.")
    municipality: str = Field(min_length=1, description="Gemeente die aanbesteedt.")
    type: ProjectType = Field(description="Projecttype; bepaalt welke regels gelden.")
    tender_date: date | None = Field(None, description="Aanbestedingsdatum (JJJJ-MM-DD); kiest de regelset-versie.")
    area_m2: Positive | None = Field(None, description="Oppervlakte van het werk in m² (voor MKI per m² per jaar).")
    bvo_m2: Positive | None = Field(None, description="Bruto vloeroppervlak in m² (gebouwen, voor de MPG).")
    lifetime_years: Positive | None = Field(None, description="Ontwerplevensduur in jaren.")


class Material(_Model):
    """Eén regel van de materiaallijst."""

    name: str = Field(min_length=1, description="Materiaal of product.")
    mass_t: NonNegative = Field(description="Massa in ton.")
    origin: Origin = Field(description="Herkomst: primair (nieuw), hergebruikt, gerecycled of biobased.")
    renewable: bool = Field(False, description="Hernieuwbare grondstof.")


class Impact(_Model):
    """Berekende milieu-impact (bijvoorbeeld met DuboCalc)."""

    mki_eur_per_m2_year: NonNegative | None = Field(None, description="MKI in euro per m² per jaar.")
    mki_eur_total: NonNegative | None = Field(None, description="MKI van het hele werk in euro.")
    mpg: NonNegative | None = Field(None, description="MPG in euro per m² BVO per jaar (gebouwen).")
    co2_kg_per_fu: NonNegative | None = Field(None, description="Materiaalgebonden CO2 in kg CO2-eq per functionele eenheid.")


class DemolitionLine(_Model):
    """Eén stroom sloop- of restmateriaal."""

    name: str = Field(min_length=1, description="Materiaal dat vrijkomt.")
    mass_t: NonNegative = Field(description="Massa in ton.")
    destination: Destination = Field(description="Bestemming, beste eerst: hergebruik, recycling, verbranding, stort.")
    justification: str | None = Field(
        None, min_length=1,
        description="Waarom hergebruik of recycling niet kon (nodig bij verbranding of stort, R-ladder).",
    )


class Equipment(_Model):
    """Eén machine die op de bouwplaats wordt ingezet."""

    name: str = Field(min_length=1, description="Machine.")
    power_kw: NonNegative = Field(description="Vermogen in kW.")
    emission_class: EmissionClass = Field(description="Emissieklasse van de motor (EU 2016/1628).")
    year: Annotated[int, Field(ge=1900, le=2100, description="Bouwjaar.")]


class Transport(_Model):
    """Eén voertuig voor transport van en naar de bouwplaats."""

    name: str = Field(min_length=1, description="Voertuig.")
    vehicle_class: str = Field(min_length=1, description="Voertuigklasse, bijvoorbeeld N3.")
    zero_emission: bool = Field(description="Rijdt emissieloos.")
    category: VehicleCategory | None = Field(None, description="Categorie: bestelauto, vrachtauto, trekker of overig.")
    euro_class: Annotated[int, Field(ge=0, le=6)] | None = Field(
        None, description="Euro-emissieklasse van de motor (0–6; Euro VI = 6)."
    )
    first_registration: date | None = Field(None, description="Datum eerste toelating (kenteken).")
    enters_ze_zone: bool | None = Field(None, description="Rijdt de zero-emissiezone voor stadslogistiek in.")
    used_until: date | None = Field(None, description="Laatste dag waarop het voertuig voor het project rijdt.")


class Inventory(_Model):
    """De materiaalinventarisatie vóór sloop."""

    published_on: date | None = Field(None, description="Datum waarop de inventarisatie is gedeeld met de corridor.")
    demolition_start: date | None = Field(None, description="Geplande start van de sloop.")


class Declarations(_Model):
    """Statements the bidder signs; evidence is asked for in the tender documents."""

    seb_compliant: bool | None = Field(
        None, description="Het werk wordt uitgevoerd volgens het Convenant Schoon en Emissieloos Bouwen."
    )
    material_passports: bool | None = Field(
        None, description="Voor de toegepaste materialen en producten worden materiaalpaspoorten geleverd."
    )


class Submission(_Model):
    """Everything a rule may read about one project."""

    project: Project
    materials: list[Material] | None = Field(None, description="Materiaallijst: alle materialen van het werk.")
    impact: Impact = Field(Impact(), description="Berekende milieu-impact (bijvoorbeeld met DuboCalc).")
    demolition: list[DemolitionLine] | None = Field(None, description="Sloop- en restmaterialen en hun bestemming.")
    equipment: list[Equipment] | None = Field(None, description="Materieel op de bouwplaats.")
    transport: list[Transport] | None = Field(None, description="Transportmiddelen.")
    hnn_indicators: list[str] | None = Field(None, description="HNN-indicatoren waarover wordt gerapporteerd.")
    inventory: Inventory | None = Field(None, description="Materiaalinventarisatie vóór sloop.")
    declarations: Declarations = Field(Declarations(), description="Verklaringen die de inschrijver ondertekent.")

    subject_kind: ClassVar[str] = "project"

    @property
    def subject_id(self) -> str:
        return self.project.id

    @property
    def project_type(self) -> str:
        return self.project.type.value


class LoadedSubmission(BaseModel):
    """A validated submission with the file it came from and that file's hash."""

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    submission: Submission
    path: str
    sha256: str


def load_submission(path: str | Path) -> LoadedSubmission:
    """Load and validate a submission from YAML or JSON; errors name file, line and field."""
    submission, doc, sha256 = yamlio.load_model(path, Submission)
    return LoadedSubmission(submission=submission, path=doc.path, sha256=sha256)
