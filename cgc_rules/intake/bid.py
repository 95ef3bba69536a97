"""A whole bid from the bid form: the sheet `inschrijving` (bidder, price, tender, ladder level) and the
submission on the other sheets, checked against the tender it answers; every error names its cell."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..errors import CgcError
from ..i18n import Msg
from ..submission import LoadedSubmission, Submission
from .assemble import Assembly, M
from .bidsheet import BidSheet
from .layout import bid_sheet
from .xlsx import open_form


@dataclass(frozen=True)
class FormBid:
    """A bid read from a bid form: what the bid adds to its submission, and the submission with the file's hash."""

    bid: BidSheet
    loaded: LoadedSubmission


@dataclass(frozen=True)
class Expected:
    """What the tender a bid answers publishes: its id, its sha256 and its project type."""

    tender_id: str
    tender_sha256: str
    project_type: str


def _valid(a: Assembly, model: type[M]) -> M | None:
    try:
        return a.validate(model)
    except CgcError:
        return None  # its problems stay in `a.problems`


def read_bid_form(path: str | Path, expected: Expected, lang: str = "nl") -> FormBid:
    """The bid in a bid form for the tender `expected`; all problems of the file at once."""
    form = open_form(path, lang)
    b = Assembly(form.shown, lang)
    form.read(b, bid_sheet())
    a = form.submission(lang)
    tender, project = b.data.get("tender", {}), a.data.get("project", {})  # as read, so checked beside other errors
    if tender.get("id") not in (None, expected.tender_id):
        found = {"found": f'"{tender["id"]}"', "expected": f'"{expected.tender_id}"'}
        b.report_at(("tender", "id"), Msg("intake.bid.other_tender", found))
    if tender.get("sha256") not in (None, expected.tender_sha256):
        found = {"found": str(tender["sha256"])[:12], "expected": expected.tender_sha256[:12]}
        b.report_at(("tender", "sha256"), Msg("intake.bid.other_version", found))
    if project.get("type") not in (None, expected.project_type):
        found = {"found": project["type"], "expected": expected.project_type}
        a.report_at(("project", "type"), Msg("intake.bid.other_type", found))
    bid, submission = _valid(b, BidSheet), _valid(a, Submission)
    if b.problems or a.problems or bid is None or submission is None:
        raise CgcError(b.problems + a.problems)
    sha256 = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    return FormBid(bid, LoadedSubmission(submission=submission, path=form.shown, sha256=sha256))
