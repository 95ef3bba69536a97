"""The delivery check as a report: table and JSON, numbers exact, computations in words."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ..i18n import Msg, text
from ..numbers import notation
from ..terminal import terminal_view
from .calc import Amount
from .verify import CorridorDelivery, Delivery
from .words import say

if TYPE_CHECKING:
    from rich.console import Console


@dataclass(frozen=True)
class DeliveryReport:
    delivery: Delivery
    lang: str = "nl"

    @cached_property
    def data(self) -> dict[str, Any]:
        d, lang = self.delivery, self.lang
        return {
            "tender": {"id": d.tender.tender.id, "sha256": d.tender.sha256},
            "bid": {"bidder": d.bid.bidder, "file": d.bid.path, "sha256": d.bid.sha256},
            "as_built": {"file": d.as_built_path, "sha256": d.as_built_sha256},
            "checks": [
                {
                    "criterion": c.criterion,
                    "method": c.method.value,
                    "promised": None if c.promised is None else str(c.promised),
                    "built": None if c.built is None else str(c.built),
                    "shortfall": None if c.shortfall is None else str(c.shortfall),
                    "within_tolerance": c.within,
                    "advantage_lost": str(c.lost),
                    "sanction": None if c.sanction is None else str(c.sanction),
                    "calc": say(c.calc, lang),
                }
                for c in d.checks
            ],
            **({"corridor": [_corridor_row(x, lang) for x in d.corridor]} if d.corridor else {}),
            "total_sanction": str(d.total_sanction),
            "left_to_client": d.left_to_client,
            "total_text": say(_total(d), lang),
        }


def _corridor_row(x: CorridorDelivery, lang: str) -> dict[str, Any]:
    """One claimed corridor line: tonnes claimed, delivered (hub departures) and short, in numbers and words."""
    n = notation(lang)
    shown = {"line": x.line, "claimed": n.num(x.claimed, 1)}
    if x.delivered is None or x.shortfall is None:
        words = text(lang, "award.verify.corridor_unrecorded", **shown)
    else:
        words = text(
            lang, "award.verify.corridor_line", **shown, delivered=n.num(x.delivered, 1), short=n.num(x.shortfall, 1)
        )
    numbers = {"claimed_t": x.claimed, "delivered_t": x.delivered, "shortfall_t": x.shortfall}
    return {"line": x.line, "hub": x.hub, **numbers, "text": words}


def _total(d: Delivery) -> Msg:
    """The sanction in one line: none, the computed total, or that the client decides on some criteria."""
    total = Amount(d.total_sanction, "eur")
    if d.left_to_client:
        key = "award.verify.total_open" if d.total_sanction else "award.verify.total_client"
        return Msg(key, {"total": total, "criteria": d.left_to_client})
    return Msg("award.verify.total" if d.total_sanction else "award.verify.total_none", {"total": total})


def to_json(report: DeliveryReport) -> str:
    return json.dumps(report.data, ensure_ascii=False, indent=2) + "\n"


def print_table(report: DeliveryReport, console: Console) -> None:
    d = terminal_view(report.data, limit=1000)  # the tender id and bidder are input: never markup
    title = text(report.lang, "award.verify.title", tender=d["tender"]["id"], bidder=d["bid"]["bidder"])
    console.print(f"[bold]{title}[/bold]", highlight=False)
    for c in d["checks"]:
        console.print(f"  {c['criterion']}: {c['calc']}", highlight=False)
    for x in d.get("corridor", []):
        console.print(f"  {x['text']}", highlight=False)
    console.print(d["total_text"], highlight=False)
