"""What only the officer knows about a notice (identifiers, addresses, CPV, dates): named fill-ins.

A fill-in left empty is allowed while drafting; validation refuses it by name, never inventing a value.
The file is YAML (`aankondiging.yaml`); every key is optional.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Literal, cast

from pydantic import BaseModel, ConfigDict, Field

from ..loading.models import load_model


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Organisation(_Model):
    """A party named in the notice: the buyer or the review body."""

    name: str | None = Field(None, min_length=1, description="Empty for the buyer: the profile's organisation.")
    company_id: str | None = Field(None, min_length=1, description="BT-501: KvK-nummer or OIN.")
    street: str | None = Field(None, min_length=1)
    city: str | None = Field(None, min_length=1, description="BT-513.")
    postal_zone: str | None = Field(None, min_length=1, description="BT-512.")
    nuts: str | None = Field(None, pattern=r"^NL[0-9A-Z]{1,3}$", description="BT-507: NUTS-3 code, e.g. NL310.")
    email: str | None = Field(None, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", description="BT-506.")
    telephone: str | None = Field(None, pattern=r"^\+?[0-9 ()-]{6,}$", description="BT-503.")
    url: str | None = Field(None, pattern=r"^https?://", description="BT-505.")
    size: Literal["micro", "small", "medium", "large"] | None = Field(None, description="BT-165: the winner's size.")


class Statistics(_Model):
    """BT-759/760: how many of the tenders received came from whom (SMEs and large enterprises add up to all)."""

    sme: int | None = Field(None, ge=0, description="t-sme: from small and medium-sized enterprises.")
    large: int | None = Field(None, ge=0, description="t-large: from large enterprises.")
    other_eea: int | None = Field(None, ge=0, description="t-oth-eea: from other EEA countries.")
    non_eea: int | None = Field(None, ge=0, description="t-no-eea: from outside the EEA.")
    electronic: int | None = Field(None, ge=0, description="t-esubm: submitted electronically.")


class AwardFillIns(_Model):
    """For the contract award notice (subtype 29)."""

    issue_date: date | None = Field(None, description="BT-05: date the award notice is sent.")
    decision_date: date | None = Field(None, description="BT-1451: date of the award decision.")
    contract_date: date | None = Field(None, description="BT-145: date the contract was concluded.")
    contract_number: str | None = Field(None, min_length=1, description="BT-150: the contract's own number.")
    statistics: Statistics = Statistics()
    subcontracting: bool | None = Field(None, description="BT-773: the winner will subcontract part of the work.")
    winner: Organisation = Organisation()


class FillIns(_Model):
    """The notice's fill-ins; `procedure` only when the profile leaves it open."""

    procedure: Literal["european", "national", "below_threshold_arw", "below_threshold_own"] | None = None
    buyer: Organisation = Organisation()
    review_body: Organisation = Organisation()
    cpv: str | None = Field(None, pattern=r"^[0-9]{8}$", description="BT-262: main CPV code (8 digits).")
    place_nuts: str | None = Field(None, pattern=r"^NL[0-9A-Z]{1,3}$", description="BT-5071: place of performance.")
    description: str | None = Field(None, min_length=1, description="BT-24: what the works are.")
    duration_months: int | None = Field(None, gt=0, le=1200, description="BT-36.")
    estimated_value: Decimal | None = Field(None, gt=0, le=Decimal(10) ** 13, description="BT-27, euro excl. VAT.")
    issue_date: date | None = Field(None, description="BT-05: date the notice is sent.")
    submission_deadline: datetime | None = Field(None, description="BT-131: with time and UTC offset.")
    documents_url: str | None = Field(None, pattern=r"^https?://", description="BT-15: procurement documents.")
    submission_url: str | None = Field(None, pattern=r"^https?://", description="BT-18: where tenders go.")
    review_deadlines: str | None = Field(None, min_length=1, description="BT-99: the deadlines for review.")
    electronic_ordering: bool | None = Field(None, description="BT-92: orders are placed electronically.")
    electronic_payment: bool | None = Field(None, description="BT-93: payment is made electronically.")
    award: AwardFillIns = AwardFillIns()


def load_fillins(path: str | Path | None) -> FillIns:
    """The fill-ins file, or all fill-ins open when there is none."""
    if path is None:
        return FillIns()
    fillins, _doc, _sha = load_model(path, FillIns)
    return cast(FillIns, fillins)


_PARTY = {
    "buyer": ("company_id", "city", "postal_zone", "nuts", "email", "telephone"),
    "review_body": ("name", "company_id", "city", "postal_zone", "nuts"),
    "award.winner": ("name", "company_id", "city", "postal_zone", "nuts", "size"),
}
_FIELD = {"company_id": "BT-501", "city": "BT-513", "postal_zone": "BT-512", "nuts": "BT-507", "email": "BT-506"}
_FIELD |= {"telephone": "BT-503", "name": "BT-500", "size": "BT-165"}
_COMMON = {"cpv": "BT-262", "place_nuts": "BT-5071", "description": "BT-24"}
REQUIRED: dict[str, dict[str, str]] = {
    "16": _COMMON
    | {f"{p}.{f}": _FIELD[f] for p in ("buyer", "review_body") for f in _PARTY[p]}
    | {
        "duration_months": "BT-36",
        "issue_date": "BT-05",
        "submission_deadline": "BT-131",
        "documents_url": "BT-15",
        "submission_url": "BT-18",
        "electronic_ordering": "BT-92",
        "electronic_payment": "BT-93",
    },
    "29": _COMMON
    | {f"{p}.{f}": _FIELD[f] for p in _PARTY for f in _PARTY[p]}
    | {
        "award.issue_date": "BT-05",
        "award.decision_date": "BT-1451",
        "award.contract_date": "BT-145",
        "award.contract_number": "BT-150",
        "award.subcontracting": "BT-773",
    }
    | {f"award.statistics.{k}": "BT-759" for k in Statistics.model_fields},
}
_VOLUNTARY = _COMMON | {"buyer.company_id": "BT-501", "buyer.city": "BT-513", "review_body.name": "BT-500"}
REQUIRED["E3"] = _VOLUNTARY | {"issue_date": "BT-05", "submission_deadline": "BT-131", "submission_url": "BT-18"}
REQUIRED["E4"] = (
    _VOLUNTARY
    | {
        "award.issue_date": "BT-05",
        "award.decision_date": "BT-1451",
        "award.contract_date": "BT-145",
        "award.contract_number": "BT-150",
        "award.winner.name": "BT-500",
    }
    | {f"award.statistics.{k}": "BT-759" for k in ("sme", "large", "other_eea", "non_eea")}
)
"""Per notice subtype, the fill-ins the EU's rules make mandatory (found by validating), with their business term."""


def open_fillins(fillins: FillIns, subtype: str) -> list[tuple[str, str]]:
    """(fill-in, business term) for every mandatory fill-in of `subtype` left empty, in the file's order."""
    found = []
    for name, term in REQUIRED[subtype].items():
        value: object = fillins
        for part in name.split("."):
            value = getattr(value, part)
        if value is None:
            found.append((name, term))
    return found
