"""`score`: every bid against the tender as published — knock-outs, criteria, comparison value, rank.

Bad bid files do not stop the others: each is reported with its located problems and left out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from .. import award
from ..award import ZERO
from ..errors import CgcError, Problem
from ..evaluator import FAIL, MISSING_DATA, CompiledRuleset, Facts, Outcome, compile_ruleset, evaluate
from ..i18n import Msg
from ..registry import Registry
from ..ruleset import LoadedRuleset
from ..submission import Submission
from ..tender import LoadedTender, pinned_rulesets, require_complete
from ..tender.model import PriceMethod, Tender
from .bids import Bid, load_bid
from .calc import Amount, Scored, corridor_claims, corridor_share, mki_total, offered
from .calc import score as score_criterion

CORRIDOR_REQUIREMENT = "corridor/gebruik-corridormaterialen"
"""The key under which a bid failing the tender's corridor requirement (`corridor_minimum`) is excluded."""


@dataclass(frozen=True)
class CorridorRequirement:
    """The share of the offered corridor tonnes a bid claims against the tender's minimum."""

    share: Decimal
    minimum: Decimal

    @property
    def met(self) -> bool:
        return self.share >= self.minimum


@dataclass
class BidResult:
    bid: Bid
    knockouts: list[tuple[str, list[Outcome]]]  # (rule key, its outcomes) for every knock-out
    excluded: list[tuple[str, Outcome | None]]  # failing or missing knock-outs (None: no outcome at all)
    criteria: list[Scored] = field(default_factory=list)
    quality: Decimal = ZERO  # gunnen op waarde: discounts − surcharges (€); gewogen factoren: quality points
    price_points: Decimal | None = None
    price_calc: Msg | None = None
    result: Decimal | None = None  # fictive price (€) or total points
    rank: int | None = None
    tie: Msg | None = None  # how a tie with another bid was decided, or that it was not
    corridor: CorridorRequirement | None = None  # the tender's corridor requirement, when it sets one


@dataclass
class BadBid:
    path: str
    problems: list[Problem]


@dataclass
class Award:
    """The scored, ranked bids of one tender."""

    tender: LoadedTender
    rulesets: list[LoadedRuleset]
    results: list[BidResult]  # ranked first, excluded after, in the order given
    bad: list[BadBid]

    @property
    def winner(self) -> BidResult | None:
        """The one bid ranked first; None when nobody is, or when first place is shared (tie open or by lot)."""
        first = [r for r in self.results if r.rank == 1]
        return first[0] if len(first) == 1 else None


def prepare(lt: LoadedTender, registry: Registry) -> Compiled:
    """Refuse an incomplete or changed tender; compile its pinned rulesets once."""
    require_complete(lt)
    pinned = pinned_rulesets(lt, registry)
    compiled = [compile_ruleset(lr.ruleset, pin.parameters) for lr, pin in zip(pinned, lt.tender.rulesets, strict=True)]
    knockouts = {k.rule for k in lt.tender.knockouts}
    problems = [
        lt.doc.problem(
            ["rulesets", i, "parameters"],
            f"parameter left open: {cr.unset_parameter} (knock-out {cr.ruleset.id}/{cr.rule.id})",
        )
        for i, cs in enumerate(compiled)
        for cr in cs.rules
        if f"{cs.ruleset.id}/{cr.rule.id}" in knockouts and cr.unset_parameter
    ]
    known = {f"{cs.ruleset.id}/{cr.rule.id}" for cs in compiled for cr in cs.rules}
    problems += [
        lt.doc.problem(["knockouts", i, "rule"], f"no rule {k.rule} in the pinned rulesets")
        for i, k in enumerate(lt.tender.knockouts)
        if k.rule not in known
    ]
    if problems:
        raise CgcError(problems)
    return list(zip(pinned, compiled, strict=True))


def fixed_project(sub: Submission, t: Tender) -> Submission:
    """The submission with the client's fixed area, lifetime and tender date: a bid's own never count."""
    project = sub.project.model_copy(
        update={
            "area_m2": float(t.fixed.area_m2.required()),
            "lifetime_years": float(t.fixed.lifetime_years.required()),
            "tender_date": t.tender_date,
        }
    )
    return sub.model_copy(update={"project": project})


Compiled = list[tuple[LoadedRuleset, CompiledRuleset]]


def _knockouts(
    t: Tender, sub: Submission, facts: Facts, compiled: Compiled
) -> tuple[list[tuple[str, list[Outcome]]], list[tuple[str, Outcome | None]]]:
    outcomes: dict[str, list[Outcome]] = {}
    for _, cs in compiled:
        for o in evaluate(sub, cs, facts):
            outcomes.setdefault(f"{cs.ruleset.id}/{o.rule.id}", []).append(o)
    checked: list[tuple[str, list[Outcome]]] = []
    excluded: list[tuple[str, Outcome | None]] = []
    for k in t.knockouts:
        found = outcomes.get(k.rule, [])
        checked.append((k.rule, found))
        bad = [o for o in found if o.status in (FAIL, MISSING_DATA)]
        excluded += [(k.rule, o) for o in bad] if bad else ([] if found else [(k.rule, None)])
    return checked, excluded


def price_points(t: Tender, price: Decimal, best: Decimal) -> tuple[Decimal, Msg]:
    """Price points of one bid (gewogen factoren) by the tender's price method, and the sum written out."""
    p = t.price
    assert p is not None
    w = p.params["weight"].required()
    fields = {"weight": Amount(w, "pts"), "price": Amount(price, "eur")}
    if p.method is PriceMethod.range:
        low, high = p.params["low"].required(), p.params["high"].required()
        raw = award.range_points(w, price, low, high)
        fields |= {"low": Amount(low, "eur"), "high": Amount(high, "eur")}
    elif p.method is PriceMethod.lowest:
        raw = award.lowest_points(w, price, best)
        fields["best"] = Amount(best, "eur")
    else:
        base = p.params["base"].required()
        raw = award.log_points(w, price, best, base)
        fields |= {"best": Amount(best, "eur"), "base": Amount(base, "num")}
    pts = t.rounding.apply(raw)
    fields["result"] = Amount(pts, "pts")
    return pts, Msg(f"award.calc.price_{p.method.value}", fields)


def _rank(t: Tender, ranked: list[BidResult]) -> None:
    """Rank 1, 2, … on the comparison value; equal values go to the tender's tie-break, else share a rank."""
    ascending = t.method == "gunnen_op_waarde"

    def key(r: BidResult) -> Decimal:
        assert r.result is not None  # set on every admitted bid
        return r.result if ascending else -r.result

    ties: dict[str, Callable[[BidResult], Decimal]] = {
        "highest_quality": lambda r: -r.quality,
        "lowest_price": lambda r: r.bid.price,
    }
    tie_key = ties.get(t.tie_break or "")
    ranked.sort(key=lambda r: (key(r), tie_key(r) if tie_key else 0, r.bid.bidder))
    for i, r in enumerate(ranked):
        tied = [o for o in ranked if o is not r and o.result == r.result]
        r.rank = i + 1
        if not tied:
            continue
        names = [o.bid.bidder for o in tied]
        if tie_key is None or any(tie_key(o) == tie_key(r) for o in tied):
            r.tie = Msg("award.tie.lot" if t.tie_break == "lot" else "award.tie.open", {"others": names})
            first = next(o for o in ranked if o.result == r.result and (tie_key is None or tie_key(o) == tie_key(r)))
            r.rank = ranked.index(first) + 1
        else:
            r.tie = Msg(f"award.tie.{t.tie_break}", {"others": names})


def score_bids(lt: LoadedTender, paths: list[Path], registry: Registry | None = None, lang: str = "en") -> Award:
    """Score every bid file; a tender that is incomplete or changed is refused before any bid is read."""
    t = lt.tender
    compiled = prepare(lt, registry or Registry())
    results: list[BidResult] = []
    bad: list[BadBid] = []
    names: dict[str, str] = {}
    for path in paths:
        try:
            bid = load_bid(path, lt, lang)
        except CgcError as exc:
            bad.append(BadBid(str(path), exc.problems))
            continue
        name = bid.bidder.casefold()
        if name in names:
            bad.append(
                BadBid(
                    bid.path, [Problem(f"bidder {bid.bidder!r} already bid in {names[name]}", bid.path, field="bidder")]
                )
            )
            continue
        if t.corridor is not None:  # claims only on lines the tender offers, never more than offered
            _, problems = corridor_claims(bid.submission, t.corridor, bid.path)
            if problems:
                bad.append(BadBid(bid.path, problems))
                continue
        names[name] = bid.path
        sub = fixed_project(bid.submission, t)
        facts = Facts(sub)
        checked, excluded = _knockouts(t, sub, facts, compiled)
        requirement = None
        if t.corridor is not None and t.corridor_minimum is not None:
            requirement = CorridorRequirement(corridor_share(sub, t.corridor), t.corridor_minimum.required())
            excluded += [] if requirement.met else [(CORRIDOR_REQUIREMENT, None)]
        r = BidResult(bid, checked, excluded, corridor=requirement)
        if not excluded:
            r.criteria = [
                score_criterion(c, offered(c, sub, facts, bid.statements, t), bid.price, t, mki_total(sub))
                for c in t.criteria
            ]
        results.append(r)
    admitted = [r for r in results if not r.excluded]
    best = min((r.bid.price for r in admitted), default=ZERO)  # read only when a bid is admitted
    for r in admitted:
        signed = [s.amount if s.effect != "surcharge" else -s.amount for s in r.criteria]
        r.quality = sum(signed, ZERO)
        if t.method == "gunnen_op_waarde":
            r.result = r.bid.price - r.quality
        else:
            r.price_points, r.price_calc = price_points(t, r.bid.price, best)
            r.result = r.price_points + r.quality
    _rank(t, admitted)
    return Award(lt, [lr for lr, _ in compiled], admitted + [r for r in results if r.excluded], bad)
