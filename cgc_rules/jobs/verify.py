"""The verify job: what the winning bid promised against what was built, with the sanction per criterion."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..registry import Registry
from ..scoring.delivery_report import DeliveryReport
from ..scoring.verify import verify as check_delivery
from ..tender import load_tender


@dataclass(frozen=True)
class Verification:
    """The delivery check as a report, and whether every promise was kept within its tolerance."""

    report: DeliveryReport

    @property
    def kept(self) -> bool:
        return all(c.within for c in self.report.delivery.checks)


def verify(tender: Path, bid: Path, as_built: Path, registry: Registry, lang: str = "nl") -> Verification:
    """Check `as_built` (a submission at design or delivery) against the promises of `bid` under `tender`."""
    return Verification(DeliveryReport(check_delivery(load_tender(tender), bid, as_built, registry), lang))
