"""Municipality profiles, `profiles/<id>.yaml`: who buys, how far they are, and how each rule is procured.

A profile never invents policy. A number with no public source is either left open (it becomes a
visible fill-in field in every document) or set as an *example value* with a note, which the
documents mark as such and list on their first page.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from .errors import CgcError, Problem, display_path
from .fields import Finite, Name, NonNegative, Positive
from .house_style import StyleError, check_logo, check_reference, clean_css
from .loading.files import confined, read_bytes, read_text
from .loading.parse import expect_mapping, parse
from .project_types import ProjectType
from .resources import bundled
from .ruleset import Scalar, Slug

RuleKey = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*/[a-z0-9][a-z0-9-]*$")]
Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$")]
PROFILES_DIR = bundled("profiles")
MAX_RULESETS = 50
"""Rulesets one profile applies: the bundled profiles apply at most three (docs/security.md)."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Instrument(str, Enum):
    """How a rule is put into a tender (PIANOo MVI-criteriatool practice)."""

    eis = "eis"
    gunningscriterium = "gunningscriterium"
    contractbepaling = "contractbepaling"
    rapportage = "rapportage"  # meet- en rapportageverplichting


class Setting(_Model):
    """A local number with no public source: open (fill-in), an example, or set with its source."""

    label: str = Field(min_length=1, description="What the number is, as the fill-in field names it.")
    value: Finite | None = Field(None, description="Empty: the documents show a fill-in field.")
    unit: Literal["eur", "pct", "num", "days", "months", "eur_per_eur_mki", "eur_per_pct", "points"] = "num"
    example: bool = Field(False, description="True: an example value, marked as such in every document.")
    source: str | None = Field(None, description="Where a value that is not an example was decided.")
    note: str | None = None

    @model_validator(mode="after")
    def _sourced(self) -> Setting:
        if self.value is not None and not self.example and not self.source:
            raise ValueError("a value that is not an example needs a source (decision, tender, policy)")
        return self


class GrowthLevel(_Model):
    """Position of one corridor element on the CGC growth model (1 Ad-hoc … 5 Netwerk)."""

    level: int | None = Field(None, ge=1, le=5, description="Empty: not yet determined.")
    confirmed: bool = Field(False, description="False: to be confirmed by the municipality.")
    note: str | None = None


class GrowthLevels(_Model):
    materialeninventarisatie: GrowthLevel = GrowthLevel()
    projectenkalender: GrowthLevel = GrowthLevel()
    transport_hub: GrowthLevel = GrowthLevel()
    ketenregisseur: GrowthLevel = GrowthLevel()
    spelregels: GrowthLevel = GrowthLevel()


class Basis(_Model):
    """Why a municipality applies a ruleset outside the source's own scope (e.g. another region's plan)."""

    kind: Literal["decision", "local_choice"] = Field(
        description="decision: a council or college decision it names; local_choice: to be confirmed."
    )
    text: str = Field(min_length=1, description="The decision's name and date, or what the local choice is.")


class AppliedRuleset(_Model):
    """A ruleset the municipality applies, at an ambition level, for some project types."""

    id: Slug
    ambition: Slug | None = Field(None, description="Rules tagged with this level are used; untagged rules always.")
    project_types: list[ProjectType] | None = Field(None, description="Empty: every project type.")
    rules: list[Slug] | None = Field(None, description="Only these rules of the ruleset (empty: all).")
    parameters: dict[str, Scalar | list[Scalar]] = Field({}, description="Parameter values this profile sets.")
    basis: Basis | None = Field(
        None,
        description="Needed when the source's own scope does not cover this "
        "municipality: the decision or local choice it rests on.",
    )


class Procurement(_Model):
    """How one rule is procured; `award` adds an award criterion for doing better than the requirement."""

    instrument: Instrument
    award: bool = False


class Scoring(str, Enum):
    mki_korting = "mki_korting"  # fictive discount per € MKI below the requirement level
    herkomst_korting = "herkomst_korting"  # fictive discount per percentage point above the level
    herkomst_punten = "herkomst_punten"  # quality points, linear from the level to a cap


class Criterion(_Model):
    """One award criterion tied to a rule, with its scoring parameters."""

    rule: RuleKey
    scoring: Scoring
    factor: Setting | None = Field(None, description="Euros of fictive discount per unit better (korting).")
    floor: Setting | None = Field(None, description="MKI per m² per year below which no further discount counts.")
    cap: Setting | None = Field(None, description="Share of responsible origin above which nothing more counts.")
    weight: Setting | None = Field(None, description="Weight in points (gewogen factoren).")


class WorkedExample(_Model):
    """An illustrative bid for the worked example; every number here is an example."""

    bid_price: Positive
    area_m2: Positive
    lifetime_years: Positive
    mki_below_level: NonNegative = Field(description="The bid's MKI lies this many € per m² per year under the level.")
    origin_above_level: NonNegative = Field(description="The bid's responsible origin lies this many points above.")
    price_low: Positive | None = Field(None, description="Gewogen factoren: Pmin.")
    price_high: Positive | None = Field(None, description="Gewogen factoren: Pmax.")


class Award(_Model):
    """The award method (beste prijs-kwaliteitverhouding) and its criteria."""

    method: Literal["gunnen_op_waarde", "gewogen_factoren"]
    price_weight: Setting | None = None
    criteria: list[Criterion] = []
    sanction_factor: Setting | None = Field(
        None, description="Multiple of the value of the difference between promised and achieved when not delivered."
    )
    point_value: Setting | None = Field(
        None, description="Gewogen factoren: euros per quality point, to value a shortfall in points."
    )
    score_scale: int = Field(
        10, gt=0, le=1000, description="Quality scores run from 0 to this number (gewogen factoren)."
    )
    worked_example: WorkedExample

    @model_validator(mode="after")
    def _one_criterion_per_rule(self) -> Award:
        rules = [c.rule for c in self.criteria]
        if twice := sorted({r for r in rules if rules.count(r) > 1}):
            raise ValueError(f"rule {twice[0]} has more than one award criterion")
        return self

    @model_validator(mode="after")
    def _weights(self) -> Award:
        if self.method == "gewogen_factoren":
            if self.price_weight is None or any(c.weight is None for c in self.criteria):
                raise ValueError("gewogen_factoren needs price_weight and a weight per criterion")
            if self.worked_example.price_low is None or self.worked_example.price_high is None:
                raise ValueError("gewogen_factoren needs worked_example.price_low and price_high")
        return self


class CorridorUse(_Model):
    """Where the profile chooses it: the use of the corridor materials offered in a tender set made with a corridor.

    `gunningscriterium`: the share of the offered corridor tonnes the bid claims earns points (`weight`, at 100 %,
    gewogen factoren) or a fictive discount per percentage point (`factor`, gunnen op waarde); `eis`: a bid
    claiming less than `minimum` (a percentage) is excluded. An unset number is a named fill-in field.
    """

    instrument: Literal[Instrument.eis, Instrument.gunningscriterium]
    weight: Setting | None = Field(None, description="Gewogen factoren: points for claiming every offered tonne.")
    factor: Setting | None = Field(None, description="Gunnen op waarde: euros of fictive discount per point of share.")
    minimum: Setting | None = Field(None, description="Eis: the least share of the offered tonnes a bid must claim.")

    @model_validator(mode="after")
    def _numbers_of_the_instrument(self) -> CorridorUse:
        if self.instrument is Instrument.eis and (self.weight or self.factor):
            raise ValueError("eis takes a minimum, no weight or factor")
        if self.instrument is Instrument.gunningscriterium and self.minimum:
            raise ValueError("gunningscriterium takes a weight or a factor, no minimum")
        return self


class Contact(_Model):
    """The municipality as a party to agreements."""

    organisation: str = Field(min_length=1)
    address: str | None = None
    signatory: str | None = Field(None, description="Empty: a fill-in field.")
    signatory_role: str | None = None
    department: str | None = None
    email: str | None = None


class HouseStyle(_Model):
    """Paths relative to the profile file."""

    reference_docx: str = Field(description="A .docx whose Word styles the DOCX documents use.")
    css: str = Field(description="Stylesheet for HTML and PDF.")
    logo: str | None = Field(None, description="PNG or JPEG.")
    primary: Colour = "#1F4E79"
    accent: Colour = "#C55A11"


class Tender(_Model):
    """How this municipality tenders: the contract form decides the contract part, the procedure the law cited.

    Empty `procedure`: the documents show a fill-in field and name both regimes.
    """

    contract_form: Literal["uav2012", "uav-gc"] = Field(
        description="uav2012: RAW bestek chapter (client designs); uav-gc: vraagspecificatie (design and construct)."
    )
    procedure: Literal["european", "national", "below_threshold_arw", "below_threshold_own"] | None = None
    own_policy: str | None = Field(None, description="below_threshold_own: the name of the inkoopbeleid.")
    voluntary_notice: bool = Field(
        False, description="Below the threshold: publish the voluntary eForms notices E3/E4."
    )
    confirmed: bool = Field(False, description="False: listed on the first page as to be confirmed.")
    note: str | None = None


class Profile(_Model):
    id: Slug
    name: Name = Field(description="Name on the documents.")
    example: bool = Field(False, description="True for an example profile, not a real municipality's choices.")
    municipality: Name
    region: Name
    gmr_profile: Literal[1, 2, 3] | None = None
    growth_levels: GrowthLevels = GrowthLevels()
    rulesets: list[AppliedRuleset] = Field(min_length=1, max_length=MAX_RULESETS)
    defaults: dict[Literal["requirement", "ambition", "measure"], Instrument] = Field(
        {}, description="Instrument per rule level for rules not named in `procurement`."
    )
    procurement: dict[RuleKey, Procurement] = {}
    tender: Tender
    award: Award
    settings: dict[Slug, Setting] = Field({}, description="Local choices used by the agreements and clauses.")
    corridor_use: CorridorUse | None = Field(
        None, description="An award criterion or requirement on the use of the corridor materials offered."
    )
    contact: Contact
    house_style: HouseStyle
    notes: list[str] = []

    @field_validator("rulesets")
    @classmethod
    def _each_ruleset_once(cls, rulesets: list[AppliedRuleset]) -> list[AppliedRuleset]:
        """A ruleset listed twice for one project type would be evaluated (and cost) twice."""
        for i, a in enumerate(rulesets):
            for j, b in enumerate(rulesets[:i]):
                if a.id == b.id and (
                    a.project_types is None or b.project_types is None or set(a.project_types) & set(b.project_types)
                ):
                    raise ValueError(
                        f"rulesets[{i}]: {a.id} is already listed as rulesets[{j}] for the same project types"
                    )
        return rulesets


class LoadedProfile(BaseModel):
    """A validated profile, its file and the hash of everything it brings (file and house style)."""

    model_config = ConfigDict(frozen=True)

    profile: Profile
    path: Path
    sha256: str

    def asset(self, relative: str) -> Path:
        return (self.path.parent / relative).resolve()

    def stylesheet(self) -> str:
        """The house-style stylesheet as it goes into a page: parsed and written back (`house_style.clean_css`)."""
        return clean_css(read_bytes(self.asset(self.profile.house_style.css)))


def load_profile(path: str | Path) -> LoadedProfile:
    """Load one profile file; errors name file, line and field."""
    path = Path(path)
    raw = read_text(path)
    doc = parse(raw, display_path(path))
    expect_mapping(doc)
    profile = doc.validate(Profile)
    if profile.id != path.stem:
        raise CgcError(doc.problem(["id"], f"id {profile.id!r} differs from the file name {path.stem!r}"))
    digest = hashlib.sha256(raw.encode("utf-8"))
    hs = profile.house_style
    for key, rel in (("reference_docx", hs.reference_docx), ("css", hs.css), ("logo", hs.logo)):
        if rel is None:
            continue
        asset = confined(path.parent, rel, (path.parent, PROFILES_DIR / "huisstijl"))
        if asset is None:
            raise CgcError(
                doc.problem(
                    ["house_style", key], f"{rel!r} lies outside the profile's folder and the bundled house styles"
                )
            )
        try:
            found = asset.is_file()
        except OSError:
            found = False
        if not found:
            raise CgcError(doc.problem(["house_style", key], f"file not found: {rel}"))
        data = read_bytes(asset)
        try:
            _HOUSE_STYLE_CHECKS[key](data)
        except StyleError as exc:
            raise CgcError(doc.problem(["house_style", key], f"{Path(rel).name}: {exc}")) from None
        digest.update(data)
    return LoadedProfile(profile=profile, path=path, sha256=digest.hexdigest())


_HOUSE_STYLE_CHECKS: dict[str, Callable[[bytes], object]] = {
    "reference_docx": check_reference,
    "css": clean_css,
    "logo": check_logo,
}


def default_profiles_dir() -> Path:
    """The bundled profiles, or the directory named by CGC_PROFILES."""
    env = os.environ.get("CGC_PROFILES")
    return Path(env) if env else PROFILES_DIR


def profile_path(profile_id: str, directory: Path | None = None) -> Path:
    """`profiles/<id>.yaml`; an id is a slug, so it cannot leave the directory."""
    if not profile_id or "/" in profile_id or "\\" in profile_id or profile_id.startswith("."):
        raise CgcError(f"invalid profile id {profile_id!r}")
    base = directory or default_profiles_dir()
    path = base / f"{profile_id}.yaml"
    if not path.is_file():
        known = ", ".join(p.stem for p in sorted(base.glob("*.yaml"))) or "none"
        raise CgcError(Problem(f"unknown profile {profile_id!r} (known: {known})", str(base)))
    return path


def all_profiles(directory: Path | None = None) -> list[Path]:
    return sorted((directory or default_profiles_dir()).glob("*.yaml"))
