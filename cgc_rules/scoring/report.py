"""The award as a report: one plain record (numbers exact, texts in the report's language) that the
table, JSON and the advice document all read, so they cannot disagree."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ..award import ZERO
from ..evaluator import FAIL, MISSING_DATA
from ..explain import explanation
from ..i18n import Msg, text
from ..terminal import terminal_view
from .calc import Amount, AmountUnit
from .score import Award, BidResult
from .words import amount, say

if TYPE_CHECKING:
    from rich.console import Console


@dataclass(frozen=True)
class AwardReport:
    award: Award
    lang: str = "nl"

    @cached_property
    def data(self) -> dict[str, Any]:
        return record(self.award, self.lang)


def _knockouts(r: BidResult, lang: str) -> list[dict[str, Any]]:
    out = []
    for rule, outcomes in r.knockouts:
        bad = [o for o in outcomes if o.status in (FAIL, MISSING_DATA)]
        if not outcomes:
            out.append(
                {"rule": rule, "status": MISSING_DATA, "text": say(Msg("award.excluded_absent", {"rule": rule}), lang)}
            )
        for o in bad or outcomes[:1]:
            status = o.status if bad else "pass"
            shown = text(lang, "award.knockout.pass") if not bad else explanation(o, lang)
            subject = f" ({o.subject})" if bad and o.subject != r.bid.submission.project.id else ""
            out.append({"rule": rule + subject, "status": status, "text": shown})
    return out


def _money(value: Decimal | None, lang: str, unit: AmountUnit = "eur") -> str | None:
    return None if value is None else amount(Amount(value, unit), lang)


def record(a: Award, lang: str) -> dict[str, Any]:
    """Everything the advice states: tender and ruleset versions, input hashes, per bid the whole computation."""
    t = a.tender.tender
    points = t.method == "gewogen_factoren"
    bids = []
    for r in a.results:
        status = "excluded" if r.excluded else "ranked"
        result_calc = None
        if r.result is not None:
            key = "award.calc.total" if points else "award.calc.fictive"
            unit: AmountUnit = "pts" if points else "eur"
            result_calc = say(
                Msg(
                    key,
                    {
                        "price": Amount(r.bid.price, "eur"),
                        "quality": Amount(r.quality, unit),
                        "price_points": Amount(r.price_points or ZERO, "pts"),
                        "result": Amount(r.result, unit),
                    },
                ),
                lang,
            )
        bids.append(
            {
                "bidder": r.bid.bidder,
                "file": r.bid.path,
                "sha256": r.bid.sha256,
                "submission_sha256": r.bid.submission_sha256,
                "status": status,
                "status_text": text(lang, f"award.status.{status}"),
                "rank": r.rank,
                "price": str(r.bid.price),
                "price_text": _money(r.bid.price, lang),
                "quality": None if r.excluded else str(r.quality),
                "quality_text": None if r.excluded else _money(r.quality, lang, "pts" if points else "eur"),
                "price_points": None if r.price_points is None else str(r.price_points),
                "price_calc": say(r.price_calc, lang) if r.price_calc else None,
                "result": None if r.result is None else str(r.result),
                "result_text": None if r.result is None else _money(r.result, lang, "pts" if points else "eur"),
                "result_calc": result_calc,
                "knockouts": _knockouts(r, lang),
                "criteria": [
                    {
                        "id": s.criterion,
                        "method": s.method.value,
                        "effect": s.effect,
                        "value": None if s.value is None else str(s.value),
                        "amount": str(s.amount),
                        "calc": say(s.calc, lang),
                    }
                    for s in r.criteria
                ],
                "tie": say(r.tie, lang) if r.tie else None,
            }
        )
    winner = a.winner
    return {
        "tender": {
            "id": t.id,
            "title": t.title,
            "municipality": t.municipality,
            "sha256": a.tender.sha256,
            "file": a.tender.doc.path,
            "method": t.method,
            "tie_break": t.tie_break,
            "rounding": {"places": t.rounding.places, "mode": t.rounding.mode.value},
            "example": t.example,
        },
        "rulesets": [{"ref": lr.ruleset.ref, "sha256": lr.sha256} for lr in a.rulesets],
        "bids": bids,
        "bad_input": [{"file": b.path, "problems": [str(p) for p in b.problems]} for b in a.bad],
        "winner": winner.bid.bidder if winner else None,
    }


def to_json(report: AwardReport) -> str:
    return json.dumps(report.data, ensure_ascii=False, indent=2) + "\n"


def print_table(report: AwardReport, console: Console) -> None:
    """Ranking table, then per bid its knock-outs and computations, then bad input."""
    from rich.table import Table

    d, lang = terminal_view(report.data, limit=1000), report.lang  # names and problems are input: never markup
    points = d["tender"]["method"] == "gewogen_factoren"
    h = "award.head."
    table = Table(title=text(lang, "award.title", tender=d["tender"]["id"]))
    heads = [
        "rank",
        "bidder",
        "price",
        "quality_points" if points else "quality_discount",
        "total" if points else "fictive",
        "status",
    ]
    for key in heads:
        table.add_column(text(lang, h + key), justify="right" if key in ("price", "fictive", "total") else "left")
    for b in d["bids"]:
        table.add_row(
            str(b["rank"] or "—"),
            b["bidder"],
            b["price_text"],
            b["quality_text"] or "—",
            b["result_text"] or "—",
            b["status_text"],
        )
    for b in d["bad_input"]:
        table.add_row("—", b["file"], "—", "—", "—", text(lang, "award.status.bad_input"))
    console.print(table)
    for b in d["bids"]:
        console.print(f"\n[bold]{b['bidder']}[/bold]  ({b['file']})", highlight=False)
        for k in b["knockouts"]:
            console.print(f"  {k['rule']}: {k['text']}", highlight=False)
        for c in b["criteria"]:
            console.print(f"  {c['id']}: {c['calc']}", highlight=False)
        for key in ("price_calc", "result_calc", "tie"):
            if b[key]:
                console.print(f"  {b[key]}", highlight=False)
    for b in d["bad_input"]:
        for p in b["problems"]:
            console.print(f"[red]{p}[/red]", highlight=False)
    winner = d["winner"]
    console.print("\n" + (text(lang, "award.winner", bidder=winner) if winner else text(lang, "award.no_winner")))
