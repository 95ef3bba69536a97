"""A municipality's self-assessment (pydantic, validated at the edge): GMR profile questions and CGC growth model.

Rulesets of `kind: municipality` (`gmr-profielen`, `cgc-groeimodel`) read this model the way
project rulesets read a `Submission`. Every answer is optional: an unanswered question is
missing data, never a silent no.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, ClassVar, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from .loading.models import load_model

# Our own scale for the spinnenweb (the GMR plan draws the axes but gives no numbers):
# 1 hardly present, 2 incidental (hangs on a few people), 3 present but not yet secured,
# 4 structural and secured in the organisation, 5 ample, also shared with the region.
# Decimals are allowed, e.g. the mean of several respondents.
SCORE_MIN, SCORE_MAX = 1, 5
Score = Annotated[float, Field(ge=SCORE_MIN, le=SCORE_MAX, allow_inf_nan=False)]

CorridorElement = Literal[
    "materialeninventarisatie", "projectenkalender", "transport_hub", "ketenregisseur", "spelregels"
]
CORRIDOR_ELEMENTS: tuple[str, ...] = get_args(CorridorElement)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Municipality(_Model):
    """De gemeente die zichzelf beoordeelt."""

    name: str = Field(min_length=1, description="Naam van de gemeente.")
    region: str | None = Field(None, description="Regio, bijvoorbeeld GMR (Groene Metropoolregio Arnhem-Nijmegen).")
    assessed_on: date | None = Field(
        None, description="Datum van de zelfevaluatie (JJJJ-MM-DD); kiest de regelset-versie."
    )


class Spinnenweb(_Model):
    """Scores op de vier assen van het GMR-spinnenweb, elk op onze schaal van 1 tot en met 5.

    1 nauwelijks aanwezig; 2 incidenteel, afhankelijk van enkelen; 3 aanwezig maar nog niet geborgd;
    4 structureel en geborgd; 5 ruim aanwezig en ook gedeeld met de regio. Het plan zelf noemt geen getallen.
    """

    policy_staff: Score | None = Field(None, description="Beleidsmedewerkers die met circulariteit bezig zijn.")
    executing_staff: Score | None = Field(None, description="Uitvoerende medewerkers die met circulariteit bezig zijn.")
    capacity_and_money: Score | None = Field(None, description="Capaciteit en geld voor circulariteit.")
    circular_knowledge: Score | None = Field(None, description="Circulaire kennis in de organisatie.")


class GmrAnswers(_Model):
    """De drie ja/nee-vragen waarmee het GMR-plan de profielen 1, 2 en 3 onderscheidt, en de spinnenwebscores."""

    capacity_and_knowledge: bool | None = Field(
        None, description="De gemeente heeft capaciteit en kennis van circulariteit in huis."
    )
    tenders_circularly: bool | None = Field(
        None, description="GWW-projecten worden circulair uitgevraagd en uitgevoerd."
    )
    measures_circularity: bool | None = Field(None, description="Circulariteit in de GWW wordt gemeten en gemonitord.")
    spinnenweb: Spinnenweb = Field(Spinnenweb(), description="Scores op de vier assen van het spinnenweb.")


class ElementAssessment(_Model):
    """Zelfevaluatie van één element van de corridor: elke ja is een trede hoger op het groeimodel."""

    name: CorridorElement = Field(description="Element van de corridor.")
    shared_vision: bool | None = Field(
        None, description="Partners werken (nog informeel) samen vanuit een eerste gedeelde visie en doel (Pionier)."
    )
    process_agreements: bool | None = Field(
        None, description="Er zijn procesafspraken; de eigen organisatie werkt er gestructureerd aan (Proces)."
    )
    shared_system: bool | None = Field(
        None,
        description="Afspraken en procedures tussen organisaties zijn uniform, informatie wordt gestructureerd "
        "uitgewisseld, er is nauwe regionale samenwerking (Systeem).",
    )
    value_chain_network: bool | None = Field(
        None,
        description="Partners uit de hele waardeketen sturen samen op strategie, informatie en keten; systemen "
        "zijn intern en extern op elkaar afgestemd (Netwerk).",
    )
    note: str | None = Field(None, description="Toelichting van de gemeente.")


class MunicipalityAssessment(_Model):
    """Everything a municipality ruleset may read about one municipality."""

    municipality: Municipality
    gmr: GmrAnswers = Field(GmrAnswers(), description="Vragen voor het GMR-profiel.")
    elements: list[ElementAssessment] | None = Field(
        None, description="Zelfevaluatie per element van de Circulaire Grondstoffencorridor (groeimodel)."
    )

    subject_kind: ClassVar[str] = "municipality"
    project_type: ClassVar[None] = None

    @field_validator("elements")
    @classmethod
    def _each_element_once(cls, v: list[ElementAssessment] | None) -> list[ElementAssessment] | None:
        names = [e.name for e in v or ()]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise PydanticCustomError(
                "element_twice", "element assessed more than once: {elements}", {"elements": ", ".join(twice)}
            )
        return v

    @property
    def subject_id(self) -> str:
        return self.municipality.name


class LoadedAssessment(BaseModel):
    """A validated self-assessment with the file it came from and that file's hash."""

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    assessment: MunicipalityAssessment
    path: str
    sha256: str


def load_assessment(path: str | Path, lang: str = "en") -> LoadedAssessment:
    """Load and validate a self-assessment from YAML or JSON; errors name file, line and field, in `lang`."""
    assessment, doc, sha256 = load_model(path, MunicipalityAssessment, lang=lang)
    return LoadedAssessment(assessment=assessment, path=doc.path, sha256=sha256)
