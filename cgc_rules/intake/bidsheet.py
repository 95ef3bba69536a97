"""What a bid adds to its submission, as the bid form's sheet `inschrijving` asks for it.

The fields and their shape are those of a bid file (`cgc_rules.scoring.bids.BidFile`) without its
submission: bidder, price, the tender it answers and the declared CO2-performance-ladder level. Titles
and descriptions are the form's header and help texts.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from ..tender.model import MAX_VALUE


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TenderRef(_Model):
    """De aanbesteding waarop wordt ingeschreven, zoals in de aanbestedingsstukken gepubliceerd."""

    id: str = Field(
        min_length=1, title="aanbesteding (kenmerk)", description="Kenmerk van de aanbesteding (id in tender.yaml)."
    )
    sha256: str = Field(
        min_length=1,
        title="aanbesteding (sha256)",
        description="Controlegetal (sha256) van de gepubliceerde aanbesteding, zoals in de aanbestedingsstukken.",
    )


class Statements(_Model):
    """Wat de inschrijver verklaart en met een certificaat aantoont."""

    co2_ladder_level: int | None = Field(
        None,
        ge=0,
        le=5,
        title="CO2-prestatieladder (niveau)",
        description="Gecertificeerd niveau op de CO2-Prestatieladder, 0 tot en met 5 (0: geen certificaat).",
    )


class BidSheet(_Model):
    """De inschrijving: wie inschrijft, voor welke prijs en op welke aanbesteding."""

    bidder: str = Field(min_length=1, title="inschrijver", description="Naam van de inschrijver (statutaire naam).")
    price: Decimal = Field(
        gt=0,
        le=MAX_VALUE,
        allow_inf_nan=False,
        title="inschrijfsom (€)",
        description="Inschrijfsom in euro, exclusief btw, een getal groter dan 0.",
    )
    tender: TenderRef
    statements: Statements = Statements()
