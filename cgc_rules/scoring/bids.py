"""A bid: the bidder's name and price, the tender it answers and its submission (`bid.yaml`).

    bidder: Bouwbedrijf De Brug B.V.
    price: 2150000                      # inschrijfsom in euro, excl. btw
    tender: {id: …, sha256: …}          # the published tender.yaml it answers
    submission: brug-inzending.yaml     # relative to this file, or the submission inline
    statements: {co2_ladder_level: 3}   # what the bidder declares beyond the submission

The submission is read by `read_submission`, the one place to switch to another reader
(the intake's XLSX/CSV `load_any`). A bid form (`.xlsx`) carries the whole bid: the intake reads
and checks it (`read_bid_form`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import CgcError, Problem
from ..intake import load_any
from ..intake.bid import Expected, read_bid_form
from ..loading.files import confined
from ..loading.models import load_model
from ..submission import LoadedSubmission, Submission
from ..tender import LoadedTender
from ..tender.model import MAX_VALUE


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TenderRef(_Model):
    id: str = Field(min_length=1)
    sha256: str = Field(min_length=1)


class Statements(_Model):
    """What the bidder declares and proves with a certificate, not with the submission."""

    co2_ladder_level: int | None = Field(None, ge=0, le=5, description="CO2-Prestatieladder level (0: none).")


class BidFile(_Model):
    bidder: str = Field(min_length=1)
    price: Decimal = Field(gt=0, le=MAX_VALUE, allow_inf_nan=False, description="Bid price in euro.")
    tender: TenderRef
    submission: str | dict[str, Any] = Field(
        description="A submission file (relative to the bid) or the submission inline."
    )
    statements: Statements = Statements()


@dataclass(frozen=True)
class Bid:
    """A validated bid with the file it came from, that file's hash and its submission's hash."""

    bidder: str
    price: Decimal
    path: str
    sha256: str
    submission: Submission
    submission_sha256: str
    statements: Statements


def read_submission(path: Path) -> LoadedSubmission:
    """The submission behind a bid: a bid form (.xlsx), a .csv material list, YAML or JSON."""
    return load_any(path)


def load_bid(path: str | Path, lt: LoadedTender, lang: str = "en") -> Bid:
    """Load one bid for tender `lt`; every problem names file, line and field."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":  # the bid form carries the whole bid; the intake checks it against the tender
        f = read_bid_form(path, Expected(lt.tender.id, lt.sha256, lt.tender.project_type.value))
        s, ladder = f.loaded, Statements(co2_ladder_level=f.bid.statements.co2_ladder_level)
        return Bid(f.bid.bidder.strip(), f.bid.price, s.path, s.sha256, s.submission, s.sha256, ladder)
    bid, doc, sha = load_model(path, BidFile, lang=lang)
    problems: list[Problem] = []
    if bid.tender.id != lt.tender.id:
        problems.append(doc.problem(["tender", "id"], f"bid is for tender {bid.tender.id!r}, not {lt.tender.id!r}"))
    if bid.tender.sha256 != lt.sha256:
        problems.append(
            doc.problem(
                ["tender", "sha256"],
                "bid names another version of the tender "
                f"(sha256 {bid.tender.sha256[:12]}…, published {lt.sha256[:12]}…)",
            )
        )
    if isinstance(bid.submission, dict):
        try:
            submission = Submission.model_validate(bid.submission)
        except ValidationError as exc:
            raise CgcError(problems + doc.validation_problems(exc, ["submission"])) from None
        sub_sha = sha
    else:
        target = confined(path.parent, bid.submission, [path.parent])
        if target is None:
            raise CgcError([*problems, doc.problem(["submission"], "the submission file must lie in the bid's folder")])
        try:
            loaded = read_submission(target)
        except CgcError as exc:
            raise CgcError(problems + exc.problems) from None
        submission, sub_sha = loaded.submission, loaded.sha256
    if submission.project.type.value != lt.tender.project_type.value:
        problems.append(
            doc.problem(
                ["submission"],
                f"project type {submission.project.type.value} differs from "
                f"the tender's {lt.tender.project_type.value}",
            )
        )
    if problems:
        raise CgcError(problems)
    return Bid(bid.bidder.strip(), bid.price, doc.path, sha, submission, sub_sha, bid.statements)
