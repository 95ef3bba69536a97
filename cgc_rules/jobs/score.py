"""The score job: every bid against the published tender, ranked, with the award advice's letters on request.

`cgc score` and the web's Aanbesteding beoordelen both call `score`; the report (`AwardReport`) is
what every output format and the advice document read.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePath

from ..errors import CgcError, Problem
from ..intake import FORMATS
from ..loading.parse import load
from ..registry import Registry
from ..scoring.report import AwardReport
from ..scoring.score import BadBid, score_bids
from ..tender import load_tender
from ..today import today_nl


@dataclass(frozen=True)
class Scoring:
    """The award report, and the bid files that could not be read (each with its located problems)."""

    report: AwardReport

    @property
    def bad(self) -> list[BadBid]:
        return self.report.award.bad


class UnknownAttachment(CgcError):
    """A bid names a separate submission file that was not supplied with it."""

    def __init__(self, bid: Path, name: str):
        super().__init__(Problem(f"the bid names the submission {name!r}, which was not supplied", str(bid)))
        self.bid, self.name = bid, name


SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,100}$")


def attachment_name(name: str) -> str | None:
    """The bare file name an attachment is written under (a bid names its submission by it), or None when the
    name is not a plain file name of a submission format."""
    base = PurePath(name.replace("\\", "/")).name
    return base if SAFE_NAME.match(base) and PurePath(base).suffix.lower() in FORMATS else None


def check_attachments(bids: Sequence[Path], attachments: Collection[str]) -> None:
    """Each bid that names a separate submission file names one of `attachments` (else `UnknownAttachment`)."""
    for path in bids:
        if path.suffix.lower() == ".xlsx":  # a bid form holds its submission
            continue
        content = load(path).data
        ref = content.get("submission") if isinstance(content, dict) else None
        if isinstance(ref, str) and ref not in attachments:
            raise UnknownAttachment(path, ref)


def score(
    tender: Path,
    bids: Sequence[Path],
    registry: Registry,
    lang: str = "nl",
    *,
    attachments: Collection[str] | None = None,
    sent: date | None = None,
) -> Scoring:
    """Score `bids` (bid files) against `tender` (tender.yaml) and rank them.

    An incomplete or changed tender raises `CgcError` before any bid is read; a bad bid is reported
    in `Scoring.bad` and the others are scored. With `attachments`, a bid naming a separate submission
    file must name one of these bare file names (else `UnknownAttachment`, before anything is scored).
    `sent`: the day the award decision is sent, which starts the standstill period (default: `today_nl`).
    """
    if attachments is not None:
        check_attachments(bids, attachments)
    award = score_bids(load_tender(tender, lang), list(bids), registry, lang)
    return Scoring(AwardReport(award, sent or today_nl(), lang))


def letters(report: AwardReport) -> list[tuple[str, bytes]]:
    """The award decision letter (DOCX) for every bidder: (file name, bytes)."""
    from ..scoring.advice import letters as make_letters

    return make_letters(report)


def advice_name(report: AwardReport, suffix: str) -> str:
    """The award advice's download name, from the tender's reference (`gunningsadvies_<kenmerk>.docx`)."""
    from ..scoring.advice import advice_name as name

    return name(report, suffix)


def letters_archive_name(report: AwardReport) -> str:
    """The download name of all letters together (`gunningsbeslissingen_<kenmerk>.zip`)."""
    from ..scoring.advice import reference

    return f"gunningsbeslissingen_{reference(report)}.zip"
