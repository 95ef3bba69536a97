"""The project submission a bidder or project leader hands in (pydantic, validated at the edge)."""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import Enum, StrEnum
from pathlib import Path
from typing import Annotated, Any, ClassVar, overload

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    PrivateAttr,
    ValidationError,
    ValidatorFunctionWrapHandler,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from .collector import collector_paused
from .fields import CompactModel, NonNegative, Positive, share_fields_sets  # bounded: sums stay finite
from .loading.limits import LIMITS
from .loading.models import load_model
from .project_types import ProjectType

Percent = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]

COMPOSITION_TOLERANCE = 0.01  # percentage points a composition may be off 100 (rounding in exports)


class BuildingForm(str, Enum):
    """HNN Gebouw building forms (columns of its performance levels)."""

    grondgebonden_woning = "grondgebonden-woning"
    gestapelde_woning = "gestapelde-woning"
    kantoor = "kantoor"


class Origin(StrEnum):  # written as its value: a derivation's composition keys are these (no docstring: schema)
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


class _Line(BaseModel):
    """A line of a list that may be long: no Python hook per instance (CompactModel's); `Submission` shares the
    lines' fields sets in one pass over each list."""

    model_config = ConfigDict(extra="forbid", use_enum_values=False, frozen=True)


class Project(_Model):
    """Het project waarvoor wordt ingeschreven."""

    id: str = Field(
        min_length=1, description="Kenmerk van het project (zoals in de aanbestedingsstukken).", title="kenmerk"
    )
    name: str = Field(min_length=1, description="Naam van het project.", title="naam")
    municipality: str = Field(min_length=1, description="Gemeente die aanbesteedt.", title="gemeente")
    type: ProjectType = Field(description="Projecttype; bepaalt welke regels gelden.", title="projecttype")
    tender_date: date | None = Field(
        None, description="Aanbestedingsdatum (JJJJ-MM-DD); kiest de regelset-versie.", title="aanbestedingsdatum"
    )
    area_m2: Positive | None = Field(
        None, description="Oppervlakte van het werk in m² (voor MKI per m² per jaar).", title="oppervlakte (m²)"
    )
    bvo_m2: Positive | None = Field(
        None, description="Bruto vloeroppervlak in m² (gebouwen, voor de MPG).", title="BVO (m²)"
    )
    lifetime_years: Positive | None = Field(None, description="Ontwerplevensduur in jaren.", title="levensduur (jaar)")
    building_form: BuildingForm | None = Field(
        None,
        title="gebouwvorm",
        description="Gebouwen, HNN Gebouw: grondgebonden-woning, gestapelde-woning of kantoor.",
    )
    execution_start: date | None = Field(
        None,
        title="start uitvoering",
        description="Eerste uitvoeringsdag "
        "(JJJJ-MM-DD); kiest de periode van de SEB-basistabel, anders de "
        "aanbestedingsdatum.",
    )


class Material(BaseModel):
    """Eén regel van de materiaallijst: één herkomst, of een samenstelling naar massa."""

    # no Python hook per line (CompactModel's, a model validator): `Submission` checks that each line gives
    # exactly one of origin and composition, and shares the lines' fields sets, in one pass over the list
    model_config = ConfigDict(
        extra="forbid",
        use_enum_values=False,
        frozen=True,
        json_schema_extra={
            "oneOf": [  # exactly one of origin and composition, not null
                {"required": [f], "properties": {f: {"not": {"type": "null"}}}} for f in ("origin", "composition")
            ]
        },
    )
    name: str = Field(min_length=1, title="materiaal", description="Materiaal of product.")
    code: str | None = Field(
        None,
        min_length=1,
        title="code",
        description="Eigen codering van de opdrachtgever (bijvoorbeeld een RAW- of IMBOR-code); "
        "wordt ongewijzigd overgenomen.",
    )
    mass_t: NonNegative = Field(title="massa (t)", description="Massa in ton.")
    origin: Origin | None = Field(
        None,
        title="herkomst",
        description="Herkomst van de hele regel: primair (nieuw), hergebruikt, gerecycled of biobased. "
        "Of dit, of een samenstelling.",
    )
    composition: dict[Origin, Percent] | None = Field(
        None,
        title="samenstelling (%)",
        description="Samenstelling naar massa: percentage van de massa van de regel per herkomst, samen 100 "
        "(bijvoorbeeld asfalt met 50 % PR). Of dit, of één herkomst.",
    )
    renewable: bool = Field(False, title="hernieuwbaar", description="Hernieuwbare grondstof.")
    corridor_line: str | None = Field(
        None,
        pattern=r"^[a-z0-9][a-z0-9-]*>[a-z0-9][a-z0-9-]*>[a-z0-9][a-z0-9-]*$",
        max_length=250,
        title="corridorregel",
        description="Kenmerk van de corridorregel waaruit dit materiaal komt (uit de lijst beschikbaar gestelde "
        "materialen, bijvoorbeeld s-stadhuis-baksteen>direct>d-kop-baksteen); de regel is dan hergebruikt.",
    )

    @field_validator("composition")
    @classmethod
    def _sums_to_100(cls, value: dict[Origin, float] | None) -> dict[Origin, float] | None:
        if value is not None:
            total = sum(value.values())
            if round(abs(total - 100), 9) > COMPOSITION_TOLERANCE:  # as a person adds: 100,01 is within
                raise PydanticCustomError(
                    "composition_sum",
                    "the percentages of a composition must add up to 100, they add up to {total}",
                    {"total": round(total, 6)},
                )
        return value

    def mass_by_origin(self) -> dict[Origin, float]:
        """Mass in tonnes per origin: the whole line for one origin, its shares for a composition."""
        if self.composition is None:
            return {self.origin: self.mass_t}  # type: ignore[dict-item]  # the validator guarantees one of the two
        return {o: self.mass_t * pct / 100 for o, pct in self.composition.items() if pct}


class MixedLines(Sequence[dict[str, Any]]):
    """The derivation of each mixed line in line order (its name, mass, counted mass and composition), written
    out as it is read: the sum keeps each line with its mass and counted mass only (a record made per line there
    cost as much as the sum itself), so an evaluation holds it at no cost and a JSON derivation writes it out.
    `whole`: the positions of the lines that count all their mass (renewable, in the renewable share)."""

    __slots__ = ("_lines", "_masses", "_goods", "_whole")

    def __init__(self, lines: list[Material], masses: list[float], goods: list[float], whole: Sequence[int] = ()):
        self._lines, self._masses, self._goods, self._whole = lines, masses, goods, frozenset(whole)

    def _record(self, i: int) -> dict[str, Any]:
        m, mass = self._lines[i], self._masses[i]
        good = mass if i in self._whole else self._goods[i]
        return {"name": m.name, "mass": mass, "good": good, "composition": m.composition or {}}

    def __len__(self) -> int:
        return len(self._lines)

    @overload
    def __getitem__(self, i: int) -> dict[str, Any]: ...
    @overload
    def __getitem__(self, i: slice) -> list[dict[str, Any]]: ...
    def __getitem__(self, i: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(i, slice):
            return [self._record(j) for j in range(*i.indices(len(self)))]
        return self._record(range(len(self))[i])

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return map(self._record, range(len(self)))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, MixedLines | list):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # equal to a list, like a list

    def __repr__(self) -> str:
        return f"MixedLines({list(self)!r})"

    def largest(self, count: int) -> tuple[list[dict[str, Any]], int, float, float]:
        """The records of the `count` largest lines by mass (equal masses in line order), then how many lines
        remain and their counted mass and mass, without writing out the others."""
        masses, goods = self._masses, self._goods
        if self._whole:
            goods = goods.copy()
            for i in self._whole:
                goods[i] = masses[i]
        top = heapq.nlargest(count, range(len(masses)), key=masses.__getitem__)
        good = sum(goods) - sum(goods[i] for i in top)
        mass = sum(masses) - sum(masses[i] for i in top)
        return [self._record(i) for i in top], len(masses) - len(top), good, mass


@dataclass(frozen=True, slots=True)
class MaterialTotals:
    """Sums over the material list, made once when the submission is validated.

    `by_origin` is the mass per origin with each mixed line's parts counted by mass; `mass`, `renewable_good`
    and `renewable_primary` are the renewable share's sums, line by line. `mixed` and `mixed_renewable` hold
    the derivation of every mixed line in line order (its name, mass, counted mass and composition) for the
    two shares. `claimed` lists the reused lines that claim a corridor line (only a reused line may).
    """

    lines: int
    by_origin: dict[str, float]
    mass: float
    renewable_good: float
    renewable_primary: float
    mixed: MixedLines
    mixed_renewable: MixedLines
    claimed: list[dict[str, Any]]  # the reused lines that claim a corridor line, in line order: name, line, mass
    of: Sequence[Material] = field(compare=False, repr=False)  # the list summed (by identity)


def sum_materials(materials: Sequence[Material], *, renewable: bool = True) -> MaterialTotals:
    """One pass in line order (the whole lines' mass per origin, the renewable share's sums, each mixed line's
    parts), then the mixed lines' parts added onto the mass per origin in line order, split as
    `Material.mass_by_origin` splits them. Origins are told apart by identity (an enum's hash is a Python call).
    The mixed lines' derivation keeps the lines and their primary parts (`MixedLines` writes the records out).
    `renewable=False`: the renewable flags are not read (the renewable sums then count no line as renewable)."""
    primary, reused, recycled = Origin.primair, Origin.hergebruikt, Origin.gerecycled
    t_primary = t_reused = t_recycled = t_biobased = 0.0
    total = good = renewable_primary = 0.0
    mixed: list[Material] = []  # the mixed lines, each one's mass and counted mass, the renewable ones' places
    masses: list[float] = []
    goods: list[float] = []
    whole: list[int] = []
    claimed: list[dict[str, Any]] = []
    s_primary: list[float] = []  # each origin's parts of the mixed lines, in line order
    s_reused: list[float] = []
    s_recycled: list[float] = []
    s_biobased: list[float] = []
    for m in materials:
        mass = m.mass_t
        total += mass
        origin = m.origin
        if origin is None:
            part = 0.0
            composition = m.composition or {}
            for o, pct in composition.items():
                if pct:
                    split = mass * pct / 100
                    if o is primary:
                        part = split
                        s_primary.append(split)
                    elif o is reused:
                        s_reused.append(split)
                    elif o is recycled:
                        s_recycled.append(split)
                    else:
                        s_biobased.append(split)
            counted = mass - part
            mixed.append(m)
            masses.append(mass)
            goods.append(counted)
            if renewable and m.renewable:
                whole.append(len(masses) - 1)
                good += mass
                renewable_primary += part
            else:
                good += counted
        elif origin is primary:
            t_primary += mass
            if renewable and m.renewable:
                good += mass
                renewable_primary += mass
        else:
            good += mass
            if origin is reused:
                t_reused += mass
                if m.corridor_line is not None:
                    claimed.append({"name": m.name, "line": m.corridor_line, "mass": mass})
            elif origin is recycled:
                t_recycled += mass
            else:
                t_biobased += mass
    by: dict[str, float] = {}
    for o, subtotal, splits in (
        (primary, t_primary, s_primary),
        (reused, t_reused, s_reused),
        (recycled, t_recycled, s_recycled),
        (Origin.biobased, t_biobased, s_biobased),
    ):
        for split in splits:
            subtotal += split
        by[o.value] = subtotal
    return MaterialTotals(
        lines=len(materials),
        by_origin=by,
        mass=total,
        renewable_good=good,
        renewable_primary=renewable_primary,
        mixed=MixedLines(mixed, masses, goods),
        mixed_renewable=MixedLines(mixed, masses, goods, whole),
        claimed=claimed,
        of=materials,
    )


def _origin_error(index: int, both: bool, line: Any) -> InitErrorDetails:
    return InitErrorDetails(
        type=PydanticCustomError(
            "origin_or_composition",
            "give either origin or composition, not {which}",
            {"which": "both" if both else "neither"},
        ),
        loc=(index,),
        input=line,
    )


def _corridor_error(index: int, line: Material) -> InitErrorDetails:
    return InitErrorDetails(
        type=PydanticCustomError(
            "corridor_line_reused",
            "a line from the corridor ({line}) is reused: give origin hergebruikt",
            {"line": line.corridor_line},
        ),
        loc=(index,),
        input=line.model_dump(exclude_unset=True),
    )


def _one_origin(lines: list[Material]) -> None:
    """Every line gives exactly one of origin and composition, and a line claimed from the corridor is reused;
    else an error located at each offending line."""
    bad = []
    for i, m in enumerate(lines):
        if (m.origin is None) is (m.composition is None):
            bad.append(_origin_error(i, m.origin is not None, m.model_dump(exclude_unset=True)))
        elif m.corridor_line is not None and m.origin is not Origin.hergebruikt:
            bad.append(_corridor_error(i, m))
    if bad:
        raise ValidationError.from_exception_data("Material", bad)


def _with_origin_errors(exc: ValidationError, raw: list[Any]) -> ValidationError:
    """`exc` and, in line order, the origin-or-composition errors of the lines it found well-formed: all that
    a check per line would have reported together. (A list read item by item is gone by now: its lines are
    checked once they are well-formed.)"""
    errors = exc.errors()
    wrong = {err["loc"][0] for err in errors if err["loc"]}
    details = [
        InitErrorDetails(
            type=PydanticCustomError(err["type"], err["msg"], err.get("ctx")), loc=err["loc"], input=err["input"]
        )
        for err in errors
    ]
    for i, line in enumerate(raw):
        if (
            i not in wrong
            and isinstance(line, dict)
            and (line.get("origin") is None) is (line.get("composition") is None)
        ):
            details.append(_origin_error(i, line.get("origin") is not None, line))
    details.sort(key=lambda d: d["loc"][0] if d["loc"] and isinstance(d["loc"][0], int) else -1)
    return ValidationError.from_exception_data(exc.title, details)


class Impact(_Model):
    """Berekende milieu-impact (bijvoorbeeld met DuboCalc)."""

    mki_eur_per_m2_year: NonNegative | None = Field(
        None, description="MKI in euro per m² per jaar.", title="MKI (€/m²/jaar)"
    )
    mki_eur_total: NonNegative | None = Field(
        None, description="MKI van het hele werk in euro.", title="MKI totaal (€)"
    )
    mpg: NonNegative | None = Field(
        None, description="MPG in euro per m² BVO per jaar (gebouwen).", title="MPG (€/m² BVO/jaar)"
    )
    co2_kg_per_fu: NonNegative | None = Field(
        None, description="Materiaalgebonden CO2 in kg CO2-eq per functionele eenheid.", title="CO2 (kg CO2-eq/FE)"
    )
    co2_kg_per_m2_bvo: NonNegative | None = Field(
        None,
        title="CO2 (kg CO2-eq/m² BVO)",
        description="HNN Gebouw materiaalgebonden CO2-uitstoot in kg CO2-eq per m² BVO.",
    )
    detachability_pct: Percent | None = Field(
        None,
        title="losmaakbaarheid (%)",
        description="HNN Gebouw losmaakbaarheid in %, volgens de methode Circular Buildings v2.0.",
    )
    adaptive_capacity_pct: Percent | None = Field(
        None, title="adaptief vermogen (%)", description="HNN Gebouw adaptief vermogen in % (indicatief)."
    )


class DemolitionLine(_Line):
    """Eén stroom sloop- of restmateriaal."""

    name: str = Field(min_length=1, description="Materiaal dat vrijkomt.", title="materiaal")
    mass_t: NonNegative = Field(description="Massa in ton.", title="massa (t)")
    destination: Destination = Field(
        description="Bestemming, beste eerst: hergebruik, recycling, verbranding, stort.", title="bestemming"
    )
    justification: str | None = Field(
        None,
        min_length=1,
        description="Waarom hergebruik of recycling niet kon (nodig bij verbranding of stort, R-ladder).",
        title="motivering",
    )


class Equipment(_Line):
    """Eén machine die op de bouwplaats wordt ingezet."""

    name: str = Field(min_length=1, description="Machine.", title="machine")
    power_kw: NonNegative = Field(description="Vermogen in kW.", title="vermogen (kW)")
    emission_class: EmissionClass = Field(
        description="Emissieklasse van de motor (EU 2016/1628).", title="emissieklasse"
    )
    year: Annotated[int, Field(ge=1900, le=2100, title="bouwjaar", description="Bouwjaar.")]


class Transport(_Line):
    """Eén voertuig voor transport van en naar de bouwplaats."""

    name: str = Field(min_length=1, description="Voertuig.", title="voertuig")
    vehicle_class: str = Field(min_length=1, description="Voertuigklasse, bijvoorbeeld N3.", title="voertuigklasse")
    zero_emission: bool = Field(description="Rijdt emissieloos.", title="emissieloos")
    category: VehicleCategory | None = Field(
        None, description="Categorie: bestelauto, vrachtauto, trekker of overig.", title="categorie"
    )
    euro_class: Annotated[int, Field(ge=0, le=6)] | None = Field(
        None, description="Euro-emissieklasse van de motor (0–6; Euro VI = 6).", title="Euro-klasse"
    )
    first_registration: date | None = Field(
        None, description="Datum eerste toelating (kenteken).", title="eerste toelating"
    )
    enters_ze_zone: bool | None = Field(
        None, description="Rijdt de zero-emissiezone voor stadslogistiek in.", title="rijdt ZE-zone in"
    )
    used_until: date | None = Field(
        None, description="Laatste dag waarop het voertuig voor het project rijdt.", title="ingezet tot"
    )


class Inventory(_Model):
    """De materiaalinventarisatie vóór sloop."""

    published_on: date | None = Field(
        None,
        description="Datum waarop de inventarisatie is gedeeld met de corridor.",
        title="inventarisatie gedeeld op",
    )
    demolition_start: date | None = Field(None, description="Geplande start van de sloop.", title="start sloop")


class Declarations(_Model):
    """Statements the bidder signs; evidence is asked for in the tender documents."""

    seb_compliant: bool | None = Field(
        None,
        description="Het werk wordt uitgevoerd volgens het Convenant Schoon en Emissieloos Bouwen.",
        title="volgens SEB-convenant",
    )
    material_passports: bool | None = Field(
        None,
        description="Voor de toegepaste materialen en producten worden materiaalpaspoorten geleverd.",
        title="materiaalpaspoorten",
    )


JUDGED_ITEMS = ("demolition", "equipment", "transport")
"""The lists whose every item is a subject of its own (an outcome per rule about its kind)."""


class Submission(_Model):
    """Everything a rule may read about one project."""

    project: Project
    materials: list[Material] | None = Field(
        None, description="Materiaallijst: alle materialen van het werk.", title="materialen"
    )
    impact: Impact = Field(Impact(), description="Berekende milieu-impact (bijvoorbeeld met DuboCalc).", title="impact")
    demolition: list[DemolitionLine] | None = Field(
        None, description="Sloop- en restmaterialen en hun bestemming.", title="sloop"
    )
    equipment: list[Equipment] | None = Field(None, description="Materieel op de bouwplaats.", title="materieel")
    transport: list[Transport] | None = Field(None, description="Transportmiddelen.", title="transport")
    hnn_indicators: list[str] | None = Field(
        None, description="HNN-indicatoren waarover wordt gerapporteerd.", title="HNN-indicatoren"
    )
    inventory: Inventory | None = Field(None, description="Materiaalinventarisatie vóór sloop.", title="inventarisatie")
    declarations: Declarations = Field(
        Declarations(), description="Verklaringen die de inschrijver ondertekent.", title="verklaringen"
    )

    subject_kind: ClassVar[str] = "project"
    _material_totals: MaterialTotals | None = PrivateAttr(None)

    @model_validator(mode="wrap")
    @classmethod
    def _without_cyclic_collection(cls, data: Any, handler: ModelWrapValidatorHandler[Submission]) -> Submission:
        """Validate with the cyclic collector paused: a long material list is a million acyclic objects."""
        with collector_paused():
            return handler(data)

    @field_validator("materials", mode="wrap")
    @classmethod
    def _material_lines(cls, value: Any, handler: ValidatorFunctionWrapHandler) -> list[Material] | None:
        """The lines as pydantic validates them, then each line's origin-or-composition check at its place."""
        try:
            lines: list[Material] | None = handler(value)
        except ValidationError as exc:
            if type(value) is list:
                raise _with_origin_errors(exc, value) from None
            raise
        if lines:
            _one_origin(lines)
            share_fields_sets(lines)
        return lines

    @field_validator("demolition", "equipment", "transport")
    @classmethod
    def _shared_fields_sets(cls, lines: list[_Line] | None) -> list[_Line] | None:
        if lines:
            share_fields_sets(lines)
        return lines

    @model_validator(mode="after")
    def _judged_items_within_limit(self) -> Submission:
        """At most `max_judged_items` machines, vehicles and demolition lines together (each gets its own
        outcomes); else an error at the first item beyond the limit, naming the count."""
        limit = LIMITS.max_judged_items
        lists = [(name, getattr(self, name) or []) for name in JUDGED_ITEMS]
        count = sum(len(items) for _, items in lists)
        if count <= limit:
            return self
        before = 0
        for name, items in lists:
            if before + len(items) > limit:
                index = limit - before
                error = InitErrorDetails(
                    type=PydanticCustomError(
                        "judged_items",
                        "{count} machines, vehicles and demolition lines, each judged on its own: at most {limit}",
                        {"count": count, "limit": limit},
                    ),
                    loc=(name, index),
                    input=items[index].model_dump(exclude_unset=True),
                )
                raise ValidationError.from_exception_data("Submission", [error])
            before += len(items)
        return self  # not reached: the counts above add up to more than the limit

    @model_validator(mode="after")
    def _sum_materials(self) -> Submission:
        """Sum the material list once, for every ruleset evaluated after."""
        if self.materials:
            self._material_totals = sum_materials(self.materials)
        return self

    def material_totals(self, *, renewable: bool = True) -> MaterialTotals | None:
        """The material list's sums (None without lines), made at validation; made again for another list (a copy
        with other lines, the form's recording proxy), then without reading the renewable flags if not asked."""
        lines = self.materials
        if not lines:
            return None
        made = self._material_totals
        if made is not None and made.of is lines:
            return made
        return sum_materials(lines, renewable=renewable)

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
    read_as: str | None = None  # how the file was read where that was detected (a CSV's encoding and separator)


def load_submission(path: str | Path, lang: str = "en") -> LoadedSubmission:
    """Load and validate a submission from YAML or JSON; errors name file, line and field, in `lang`."""
    submission, doc, sha256 = load_model(path, Submission, lang=lang)
    return LoadedSubmission(submission=submission, path=doc.path, sha256=sha256)
