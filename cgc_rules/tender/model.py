"""The tender definition (`tender.yaml`): the published choices for one procurement, as data.

Everything scoring needs is in the file itself (levels copied from the rulesets, parameters,
rounding, tie-break), so a bid is scored against the tender as published even when a profile
or ruleset changes later. A parameter without a value is allowed in the file (the officer fills
it in) but refused at scoring time, by name.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..award import Rounding, rounded
from ..errors import CgcError, Problem
from ..profile import RuleKey
from ..project_types import ProjectType
from ..ruleset import Scalar, Slug, Version

Unit = Literal["eur", "pct", "num", "years", "m2", "eur_per_m2_year", "eur_per_eur_mki", "eur_per_pct", "points"]


MAX_VALUE = Decimal(10) ** 15
"""Largest magnitude of a tender's number, as of any number read (docs/security.md)."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Param(_Model):
    """One number of the tender: set (with its source or marked as an example) or open (a fill-in)."""

    label: str = Field(min_length=1, description="What the number is, as the fill-in field names it.")
    value: Decimal | None = Field(
        None, allow_inf_nan=False, ge=-MAX_VALUE, le=MAX_VALUE, description="Empty: open, refused at scoring time."
    )
    unit: Unit = "num"
    example: bool = Field(False, description="An example value (from an example profile), to confirm.")
    source: str | None = Field(None, description="Where the value comes from (ruleset, decision, tender).")

    def required(self) -> Decimal:
        """The value, which scoring needs set (`require_complete` refuses a tender that leaves it open)."""
        if self.value is None:
            raise CgcError(Problem(f"parameter left open: {self.label}"))
        return self.value


class Method(str, Enum):
    """How one award criterion turns an offer into a fictive discount (€) or points."""

    mki_bounds = "mki_bounds"  # (ceiling − MKI held within floor … ceiling) × area × lifetime × factor
    mki_value = "mki_value"  # fictive bid + factor × total MKI in € (Rijkswaterstaat since 2024)
    origin_discount = "origin_discount"  # (share held at the cap − level) × factor per point
    emission_free_share = "emission_free_share"  # (share of emission-free equipment − level) × factor per point
    co2_ladder = "co2_ladder"  # price × the percentage of the certified level
    origin_points = "origin_points"  # score linear from level to cap, points = score ÷ scale × weight
    corridor_discount = "corridor_discount"  # share of the offered corridor tonnes claimed, in points × factor
    corridor_points = "corridor_points"  # points = share of the offered corridor tonnes claimed ÷ 100 % × weight


# The parameters each method reads (optional ones may be absent from the file, never open when present).
REQUIRED: dict[Method, tuple[str, ...]] = {
    Method.mki_bounds: ("ceiling", "factor"),
    Method.mki_value: ("factor",),
    Method.origin_discount: ("level", "factor"),
    Method.emission_free_share: ("level", "factor"),
    Method.co2_ladder: ("level_1", "level_2", "level_3", "level_4", "level_5"),
    Method.origin_points: ("level", "cap", "weight"),
    Method.corridor_discount: ("factor",),
    Method.corridor_points: ("weight",),
}
OPTIONAL: dict[Method, tuple[str, ...]] = {
    Method.mki_bounds: ("floor",),
    Method.origin_discount: ("cap",),
    Method.emission_free_share: ("cap",),
}
POINTS_METHODS = frozenset({Method.origin_points, Method.corridor_points})
CORRIDOR_METHODS = frozenset({Method.corridor_discount, Method.corridor_points})
MKI_METHODS = frozenset({Method.mki_bounds, Method.mki_value})

STANDSTILL_DAYS = 20
"""Aanbestedingswet 2012 art. 2.127: the standstill period is (at least) twenty calendar days."""


class Criterion(_Model):
    """One award criterion: its method, the rule it measures (if any) and its parameters."""

    id: Slug
    method: Method
    rule: RuleKey | None = Field(None, description="The rule whose indicator the criterion scores.")
    params: dict[str, Param]
    basis: Literal["count", "power_kw"] | None = Field(
        None, description="emission_free_share: share of machines by number or by installed power; open → fill-in."
    )
    tolerance: Param | None = Field(None, description="Delivery check: how far the as-built value may fall short.")
    accept_without_knockout: bool | None = Field(
        None,
        description="The rule is not also a knock-out, so a bid failing it or lacking its data is still ranked: "
        "true confirms that choice; false or empty is refused at scoring time.",
    )

    @model_validator(mode="after")
    def _params(self) -> Criterion:
        missing = [p for p in REQUIRED[self.method] if p not in self.params]
        if missing:
            raise ValueError(f"method {self.method.value} needs params {', '.join(missing)}")
        extra = set(self.params) - set(REQUIRED[self.method]) - set(OPTIONAL.get(self.method, ()))
        if extra:
            raise ValueError(f"method {self.method.value} has no params {', '.join(sorted(extra))}")
        return self


class PriceMethod(str, Enum):
    range = "range"  # weight × (Pmax − P) ÷ (Pmax − Pmin)
    lowest = "lowest"  # weight × Pbest ÷ P
    log = "log"  # weight × (1 − ln(P ÷ Pbest) ÷ ln A)


PRICE_PARAMS: dict[PriceMethod, tuple[str, ...]] = {
    PriceMethod.range: ("weight", "low", "high"),
    PriceMethod.lowest: ("weight",),
    PriceMethod.log: ("weight", "base"),
}


class PriceScale(_Model):
    """How price becomes points (gewogen factoren only)."""

    method: PriceMethod
    params: dict[str, Param]

    @model_validator(mode="after")
    def _params(self) -> PriceScale:
        wanted = PRICE_PARAMS[self.method]
        if set(self.params) != set(wanted):
            raise ValueError(f"price method {self.method.value} takes exactly params {', '.join(wanted)}")
        if self.method is PriceMethod.range:
            low, high = self.params["low"].value, self.params["high"].value
            if low is not None and high is not None and high <= low:
                raise ValueError(
                    "price method range needs high (Pmax) above low (Pmin): the points divide by Pmax − Pmin"
                )
        return self


class RoundingRule(_Model):
    """Each discount, score and total is rounded to `places` decimals this way; open places → fill-in."""

    label: str = "aantal decimalen waarop kortingen, scores en totalen worden afgerond"
    places: int | None = Field(None, ge=0, le=6)
    mode: Rounding = Rounding.half_up
    example: bool = False
    source: str | None = None

    def apply(self, value: Decimal) -> Decimal:
        """`value` rounded this way; scoring needs the places set (`require_complete` refuses them open)."""
        if self.places is None:
            raise CgcError(Problem(f"parameter left open: {self.label}"))
        return rounded(value, self.places, self.mode)


class PinnedRuleset(_Model):
    """A ruleset version as it stood on the tender date: scoring refuses a file whose hash changed."""

    id: Slug
    version: Version
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    parameters: dict[str, Scalar | list[Scalar]] = {}


class Fixed(_Model):
    """What the client fixes for every bidder: a bid's own area or lifetime never counts."""

    area_m2: Param
    lifetime_years: Param
    calculation_rules: str | None = Field(None, description="E.g. the DuboCalc version and database; open → fill-in.")

    @field_validator("area_m2", "lifetime_years")
    @classmethod
    def _positive(cls, param: Param) -> Param:
        if param.value is not None and param.value <= 0:
            raise ValueError("must be more than 0 (the MKI is per m² per year)")
        return param


class Knockout(_Model):
    """A minimum requirement: failing it, or missing the data to judge it, excludes the bid."""

    rule: RuleKey


class CorridorOffer(_Model):
    """The corridor lines the client makes available to the project, as the tender set's schedule lists them on the
    tender date: line id (what a bid names in `corridor_line`) → tonnes offered."""

    corridor: Slug
    version: str = Field(min_length=1, description="The corridor's content version the schedule was made from.")
    as_of: date = Field(description="The day the allocations were taken (the tender date).")
    lines: dict[str, Decimal] = Field(min_length=1, description="Line id → tonnes offered.")

    @field_validator("lines")
    @classmethod
    def _positive(cls, lines: dict[str, Decimal]) -> dict[str, Decimal]:
        if bad := sorted(k for k, v in lines.items() if not 0 < v <= MAX_VALUE):
            raise ValueError(f"line {bad[0]}: tonnes must be more than 0")
        return lines

    @property
    def total(self) -> Decimal:
        return sum(self.lines.values(), Decimal(0))


class Tender(_Model):
    """One procurement's published award choices."""

    id: Slug
    title: str = Field(min_length=1)
    municipality: str = Field(min_length=1)
    profile: Slug = Field(description="The profile it was built from (house style of the advice and letters).")
    project_type: ProjectType
    tender_date: date
    rulesets: list[PinnedRuleset] = Field(min_length=1)
    fixed: Fixed
    knockouts: list[Knockout] = []
    method: Literal["gunnen_op_waarde", "gewogen_factoren"]
    criteria: list[Criterion] = []
    price: PriceScale | None = Field(None, description="gewogen_factoren: how price becomes points.")
    score_scale: Decimal = Field(
        Decimal(10), gt=0, le=MAX_VALUE, description="Quality scores run from 0 to this number."
    )
    rounding: RoundingRule = RoundingRule()
    tie_break: Literal["highest_quality", "lowest_price", "lot"] | None = Field(
        None, description="Empty: a tie is flagged for the officer."
    )
    sanction_factor: Param = Field(description="Multiple of the award advantage lost when a promise is not kept.")
    point_value: Param | None = Field(
        None, description="gewogen_factoren (required): euros per quality point, to value points lost at delivery."
    )
    standstill_days: int = Field(
        STANDSTILL_DAYS,
        ge=STANDSTILL_DAYS,
        le=366,
        description="Opschortende termijn (Alcatel-termijn) in calendar days from the day the decision is sent.",
    )
    example: bool = Field(False, description="Built from an example profile: not a real municipality's choices.")
    corridor: CorridorOffer | None = Field(
        None, description="The corridor lines offered to the project (a set made with a corridor)."
    )
    corridor_minimum: Param | None = Field(
        None, description="Eis: the least share (%) of the offered corridor tonnes a bid must claim."
    )

    @model_validator(mode="after")
    def _corridor(self) -> Tender:
        uses = self.corridor_minimum is not None or any(c.method in CORRIDOR_METHODS for c in self.criteria)
        if uses and self.corridor is None:
            raise ValueError("a corridor criterion or corridor_minimum needs the corridor lines offered (corridor)")
        return self

    @model_validator(mode="after")
    def _method(self) -> Tender:
        points = [c.id for c in self.criteria if c.method in POINTS_METHODS]
        if self.method == "gewogen_factoren":
            if self.price is None:
                raise ValueError("gewogen_factoren needs a price scale (price)")
            if self.point_value is None:
                raise ValueError("gewogen_factoren needs point_value (euros per quality point, for the delivery check)")
            if len(points) != len(self.criteria):
                raise ValueError("gewogen_factoren takes points criteria only (origin_points, corridor_points)")
        elif points or self.price is not None or self.point_value is not None:
            raise ValueError("gunnen_op_waarde takes discount criteria, no price scale and no point value")
        ids = [c.id for c in self.criteria]
        if len(set(ids)) != len(ids):
            raise ValueError("criterion ids must be unique")
        return self
