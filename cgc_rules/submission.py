"""The project submission a bidder or project leader hands in (pydantic, validated at the edge)."""

from __future__ import annotations

import hashlib
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from . import yamlio

NonNegative = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Positive = Annotated[float, Field(gt=0, allow_inf_nan=False)]


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


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=False, frozen=True)


class Project(_Model):
    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    municipality: str = Field(min_length=1)
    type: ProjectType
    tender_date: date | None = None
    area_m2: Positive | None = None
    bvo_m2: Positive | None = None
    lifetime_years: Positive | None = None


class Material(_Model):
    name: str = Field(min_length=1)
    mass_t: NonNegative
    origin: Origin
    renewable: bool = False


class Impact(_Model):
    mki_eur_per_m2_year: NonNegative | None = None
    mki_eur_total: NonNegative | None = None
    mpg: NonNegative | None = None
    co2_kg_per_fu: NonNegative | None = None


class DemolitionLine(_Model):
    name: str = Field(min_length=1)
    mass_t: NonNegative
    destination: Destination


class Equipment(_Model):
    name: str = Field(min_length=1)
    power_kw: NonNegative
    emission_class: EmissionClass
    year: Annotated[int, Field(ge=1900, le=2100)]


class Transport(_Model):
    name: str = Field(min_length=1)
    vehicle_class: str = Field(min_length=1)
    zero_emission: bool


class Declarations(_Model):
    """Statements the bidder signs; evidence is asked for in the tender documents."""

    seb_compliant: bool | None = Field(
        None, description="The work is done per the Convenant Schoon en Emissieloos Bouwen."
    )


class Submission(_Model):
    """Everything a rule may read about one project."""

    project: Project
    materials: list[Material] | None = None
    impact: Impact = Impact()
    demolition: list[DemolitionLine] | None = None
    equipment: list[Equipment] | None = None
    transport: list[Transport] | None = None
    hnn_indicators: list[str] | None = None
    declarations: Declarations = Declarations()


class LoadedSubmission(BaseModel):
    """A validated submission with the file it came from and that file's hash."""

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    submission: Submission
    path: str
    sha256: str


def load_submission(path: str | Path) -> LoadedSubmission:
    """Load and validate a submission from YAML or JSON; errors name file, line and field."""
    raw = yamlio.read_text(path)
    doc = yamlio.parse(raw, yamlio.display_path(path))
    yamlio.expect_mapping(doc)
    submission = doc.validate(Submission)
    return LoadedSubmission(
        submission=submission, path=doc.path, sha256=hashlib.sha256(raw.encode("utf-8")).hexdigest()
    )
