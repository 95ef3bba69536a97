"""The award as a report: one plain record (numbers exact, texts in the report's language) that the
table, JSON and the advice document all read, so they cannot disagree."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..award import ZERO
from ..errors import Problem
from ..evaluator import FAIL, MISSING_DATA
from ..explain import explanation
from ..i18n import Msg, render, text
from ..numbers import notation
from ..tender.model import Method, Tender
from ..terminal import terminal_view
from .calc import Amount, AmountUnit, Scored
from .score import CORRIDOR_REQUIREMENT, Award, BidResult
from .words import amount, say

if TYPE_CHECKING:
    from rich.console import Console


@dataclass(frozen=True)
class AwardReport:
    """The award and the day its decision is sent (the standstill period runs from it)."""

    award: Award
    sent: date
    lang: str = "nl"

    @cached_property
    def data(self) -> dict[str, Any]:
        return record(self.award, self.lang, self.sent)


def _titles(a: Award, lang: str) -> dict[str, str]:
    """Rule key → the rule's title in `lang` (what a bidder reads instead of the rule id)."""
    out = {}
    for lr in a.rulesets:
        for rule in lr.ruleset.rules:
            titles = rule.title.root
            out[f"{lr.ruleset.id}/{rule.id}"] = titles.get(lang) or next(iter(titles.values()))
    return out


def _knockouts(r: BidResult, lang: str, titles: dict[str, str]) -> list[dict[str, Any]]:
    """Per knock-out: the rule (internal), its title and, for the bidder, a text without field paths."""
    out = []
    for rule, outcomes in r.knockouts:
        title = titles.get(rule, rule)
        bad = [o for o in outcomes if o.status in (FAIL, MISSING_DATA)]
        if not outcomes:
            out.append(
                {
                    "rule": rule,
                    "title": title,
                    "status": MISSING_DATA,
                    "text": say(Msg("award.excluded_absent", {"rule": rule}), lang),
                    "public": text(lang, "award.knockout.absent"),
                }
            )
        for o in bad or outcomes[:1]:
            status = o.status if bad else "pass"
            shown = text(lang, "award.knockout.pass") if not bad else explanation(o, lang)
            public = shown
            if status == MISSING_DATA:
                public = text(lang, "award.knockout.missing", indicator=render(lang, o.compiled.indicator.label))
            subject = f" ({o.subject})" if bad and o.subject != r.bid.submission.project.id else ""
            out.append(
                {"rule": rule + subject, "title": title + subject, "status": status, "text": shown, "public": public}
            )
    if r.corridor is not None:
        c = r.corridor
        said = say(
            Msg(
                "award.corridor.requirement_met" if c.met else "award.corridor.requirement_short",
                {"share": Amount(c.share, "pct"), "minimum": Amount(c.minimum, "pct")},
            ),
            lang,
        )
        title = text(lang, "award.corridor.requirement")
        status = "pass" if c.met else FAIL
        out.append({"rule": CORRIDOR_REQUIREMENT, "title": title, "status": status, "text": said, "public": said})
    return out


_VALUE_UNIT: dict[Method, AmountUnit] = {
    Method.mki_bounds: "mki",
    Method.mki_value: "eur",
    Method.origin_discount: "pct",
    Method.emission_free_share: "pct",
    Method.origin_points: "pct",
    Method.corridor_discount: "pct",
    Method.corridor_points: "pct",
}


def _value_text(s: Scored, lang: str) -> str:
    """What the bid offers on one criterion, in its unit."""
    if s.value is None:
        return text(lang, "award.value.none")
    if s.method is Method.co2_ladder:
        return text(lang, "award.value.ladder", level=str(int(s.value)))
    return amount(Amount(s.value, _VALUE_UNIT[s.method]), lang)


def _effect_text(s: Scored, lang: str) -> str:
    unit: AmountUnit = "pts" if s.effect == "points" else "eur"
    return text(
        lang, f"award.effect.{s.effect}", value=_value_text(s, lang), amount=amount(Amount(s.amount, unit), lang)
    )


def _gain(s: Scored) -> Decimal:
    """The criterion's contribution to the comparison, higher is better (a surcharge counts against)."""
    return -s.amount if s.effect == "surcharge" else s.amount


def _advantage(mine: Decimal, theirs: Decimal, unit: AmountUnit, other: str, lang: str) -> str:
    """Who gains how much on one line: `mine` and `theirs` higher-is-better."""
    diff = theirs - mine
    if diff == 0:
        return text(lang, "award.advantage.none")
    shown = amount(Amount(abs(diff), unit), lang)
    if diff > 0:
        return text(lang, "award.advantage.other", difference=shown, other=other)
    return text(lang, "award.advantage.mine", difference=shown)


def _comparison(r: BidResult, other: BidResult, other_name: str, points: bool, lang: str) -> list[dict[str, str]]:
    """Line by line (price, each criterion, price points, result): this bid, the other bid, and the relative
    advantage, so a bidder can see where the other bid gained on it."""
    unit: AmountUnit = "pts" if points else "eur"
    rows = [
        {
            "name": text(lang, "award.head.price"),
            "mine": amount(Amount(r.bid.price, "eur"), lang),
            "theirs": amount(Amount(other.bid.price, "eur"), lang),
            "advantage": _advantage(-r.bid.price, -other.bid.price, "eur", other_name, lang),
        }
    ]
    theirs_by = {s.criterion: s for s in other.criteria}
    for s in r.criteria:
        o = theirs_by[s.criterion]
        rows.append(
            {
                "name": text(lang, f"award.method.{s.method.value}"),
                "mine": _effect_text(s, lang),
                "theirs": _effect_text(o, lang),
                "advantage": _advantage(_gain(s), _gain(o), "pts" if s.effect == "points" else "eur", other_name, lang),
            }
        )
    if points:
        mine_pp, theirs_pp = r.price_points or ZERO, other.price_points or ZERO
        rows.append(
            {
                "name": text(lang, "award.head.price_points"),
                "mine": amount(Amount(mine_pp, "pts"), lang),
                "theirs": amount(Amount(theirs_pp, "pts"), lang),
                "advantage": _advantage(mine_pp, theirs_pp, "pts", other_name, lang),
            }
        )
    assert r.result is not None
    assert other.result is not None
    sign = 1 if points else -1  # a fictive price: lower is better
    rows.append(
        {
            "name": text(lang, "award.head.total" if points else "award.head.fictive"),
            "mine": amount(Amount(r.result, unit), lang),
            "theirs": amount(Amount(other.result, unit), lang),
            "advantage": _advantage(sign * r.result, sign * other.result, unit, other_name, lang),
        }
    )
    return rows


def _versus(a: Award, r: BidResult, points: bool, lang: str) -> dict[str, Any] | None:
    """The comparison a letter shows: a ranked bid against the winner, the winner against the runner-up."""
    winner = a.winner
    if winner is None or r.excluded:
        return None
    if r is not winner:
        name = text(lang, "award.other.winner", bidder=winner.bid.bidder)
        return {"other": "winner", "rows": _comparison(r, winner, name, points, lang)}
    second = next((o for o in a.results if o is not r and o.rank is not None and not o.excluded), None)
    if second is None:
        return None
    name = text(lang, "award.other.runner_up", rank=str(second.rank))
    return {"other": "runner_up", "rank": second.rank, "rows": _comparison(r, second, name, points, lang)}


def _standstill(t: Tender, sent: date, lang: str) -> dict[str, Any]:
    """The standstill period: its length and its last day, counted from the day after the decision is sent."""
    end = sent + timedelta(days=t.standstill_days)
    n = notation(lang)
    return {
        "days": t.standstill_days,
        "sent": sent.isoformat(),
        "sent_text": n.date(sent),
        "end": end.isoformat(),
        "end_text": n.date(end),
    }


def _money(value: Decimal | None, lang: str, unit: AmountUnit = "eur") -> str | None:
    return None if value is None else amount(Amount(value, unit), lang)


def _by_name(p: Problem) -> str:
    """A problem located by file name only: an upload's server-side directory is nobody's business."""
    return str(Problem(p.message, Path(p.file).name if p.file else None, p.line, p.column, p.field))


def record(a: Award, lang: str, sent: date) -> dict[str, Any]:
    """Everything the advice states: tender and ruleset versions, input hashes, per bid the whole computation,
    and what each letter compares; `sent`: the day the decision is sent (dates the standstill period)."""
    t = a.tender.tender
    points = t.method == "gewogen_factoren"
    titles = _titles(a, lang)
    bids = []
    for r in a.results:
        status = "excluded" if r.excluded else "ranked"
        result_calc = None
        if r.result is not None:
            key = "award.calc.total" if points else "award.calc.fictive"
            unit: AmountUnit = "pts" if points else "eur"
            surcharges = sum((s.amount for s in r.criteria if s.effect == "surcharge"), ZERO)
            if surcharges:
                key = "award.calc.fictive_surcharge"
            result_calc = say(
                Msg(
                    key,
                    {
                        "price": Amount(r.bid.price, "eur"),
                        "quality": Amount(r.quality, unit),
                        "discounts": Amount(r.quality + surcharges, "eur"),
                        "surcharges": Amount(surcharges, "eur"),
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
                "file_name": Path(r.bid.path).name,
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
                "price_points_text": _money(r.price_points, lang, "pts"),
                "price_calc": say(r.price_calc, lang) if r.price_calc else None,
                "result": None if r.result is None else str(r.result),
                "result_text": None if r.result is None else _money(r.result, lang, "pts" if points else "eur"),
                "result_calc": result_calc,
                "knockouts": _knockouts(r, lang, titles),
                "criteria": [
                    {
                        "id": s.criterion,
                        "name": text(lang, f"award.method.{s.method.value}"),
                        "method": s.method.value,
                        "effect": s.effect,
                        "value": None if s.value is None else str(s.value),
                        "value_text": _value_text(s, lang),
                        "amount": str(s.amount),
                        "effect_text": _effect_text(s, lang),
                        "calc": say(s.calc, lang),
                    }
                    for s in r.criteria
                ],
                "tie": say(r.tie, lang) if r.tie else None,
                "versus": _versus(a, r, points, lang),
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
            "file_name": Path(a.tender.doc.path).name,
            "method": t.method,
            "tie_break": t.tie_break,
            "rounding": {"places": t.rounding.places, "mode": t.rounding.mode.value},
            "example": t.example,
        },
        "rulesets": [{"ref": lr.ruleset.ref, "sha256": lr.sha256} for lr in a.rulesets],
        "bids": bids,
        "bad_input": [
            {
                "file": b.path,
                "file_name": Path(b.path).name,
                "problems": [str(p) for p in b.problems],
                "problems_named": [_by_name(p) for p in b.problems],
            }
            for b in a.bad
        ],
        "winner": winner.bid.bidder if winner else None,
        "standstill": _standstill(t, sent, lang),
        "knockouts": [{"rule": k.rule, "title": titles.get(k.rule, k.rule)} for k in t.knockouts],
        "criteria": [
            {"id": c.id, "name": text(lang, f"award.method.{c.method.value}"), "rule": c.rule} for c in t.criteria
        ],
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
