"""The verify job: what the winning bid promised against what was built, with the sanction per criterion."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from ..registry import Registry
from ..scoring.delivery_report import DeliveryReport
from ..scoring.verify import verify as check_delivery
from ..tender import load_tender
from ..today import today_nl


@dataclass(frozen=True)
class Verification:
    """The delivery check as a report, and whether every promise was kept within its tolerance."""

    report: DeliveryReport

    @property
    def kept(self) -> bool:
        d = self.report.delivery
        return all(c.within for c in d.checks) and all(x.shortfall == 0 for x in d.corridor)


def verify(
    tender: Path,
    bid: Path,
    as_built: Path,
    registry: Registry,
    lang: str = "nl",
    corridor: Path | None = None,
    as_of: date | None = None,
    *,
    attachments: Collection[str] | None = None,
) -> Verification:
    """Check `as_built` (a submission at design or delivery) against the promises of `bid` under `tender`;
    with `corridor` (a directory), also the corridor lines the bid claimed against the hub departures up to
    `as_of` (default: today). With `attachments`, a bid naming a separate submission file must name one of
    these bare file names (else `UnknownAttachment`, before anything is checked)."""
    if attachments is not None:
        from .score import check_attachments

        check_attachments([bid], attachments)
    delivery = check_delivery(load_tender(tender, lang), bid, as_built, registry)
    if corridor is not None:
        from .claims import check_submission

        claimed = check_submission(delivery.bid.submission, delivery.bid.path, corridor, as_of or today_nl())
        delivery = replace(delivery, corridor=tuple(claimed.deliveries))
    return Verification(DeliveryReport(delivery, lang))
