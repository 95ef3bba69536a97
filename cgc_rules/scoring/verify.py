"""The delivery check: what the winning bid promised against what was built, and the sanction.

Per criterion: the promised and the as-built value, the shortfall (in the criterion's own unit,
positive when worse), whether it lies within the tender's tolerance, and beyond it the sanction:
sanction factor × the award advantage lost (the criterion recomputed on the as-built value), computed by
`award.shortfall_sanction` — the rule the published sanction clause states; points are valued at the
tender's euros per point (`award.points_value`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from pydantic import ValidationError

from .. import award
from ..award import ZERO
from ..corridor.claims import Claim, departed
from ..corridor.model import Event
from ..errors import CgcError
from ..evaluator import Facts
from ..i18n import Msg
from ..loading.files import confined
from ..loading.parse import expect_mapping, load
from ..registry import Registry
from ..submission import Submission
from ..tender import LoadedTender
from ..tender.model import Method
from .bids import Bid, Statements, load_bid, read_submission
from .calc import Amount, AmountUnit, counted, mki_total, offered, score
from .score import fixed_project, prepare

LOWER_IS_BETTER = frozenset({Method.mki_bounds, Method.mki_value})


@dataclass(frozen=True)
class Check:
    criterion: str
    method: Method
    promised: Decimal | None
    built: Decimal | None
    shortfall: Decimal | None  # in the criterion's unit; > 0 is worse than promised
    within: bool | None  # None: cannot be judged (a value is missing)
    lost: Decimal  # advantage at award lost (€, or points for a points criterion)
    sanction: Decimal | None  # €; None for points (no euro value) or when nothing can be judged
    calc: Msg


@dataclass(frozen=True)
class Delivery:
    tender: LoadedTender
    bid: Bid
    as_built_path: str
    as_built_sha256: str
    checks: list[Check]
    corridor: tuple[CorridorDelivery, ...] = ()  # claimed against delivered per corridor line, when asked

    @property
    def total_sanction(self) -> Decimal:
        """The sanctions computed; a check without one adds nothing (`left_to_client` names it)."""
        return sum((c.sanction or ZERO for c in self.checks), ZERO)

    @property
    def left_to_client(self) -> list[str]:
        """Criteria without a computed sanction that are not kept (or cannot be checked): the client decides."""
        return [c.criterion for c in self.checks if c.within is not True and c.sanction is None]


def load_as_built(path: Path) -> tuple[Submission, Statements, str, str]:
    """A submission (as read by the bid reader), or `{submission: …, statements: …}` for certificates too."""
    doc = load(path)
    data = expect_mapping(doc)
    if "submission" not in data:
        loaded = read_submission(path)
        return loaded.submission, Statements(), loaded.path, loaded.sha256
    try:
        statements = Statements.model_validate(data.get("statements") or {})
    except ValidationError as exc:
        raise CgcError(doc.validation_problems(exc, ["statements"])) from None
    inner = data["submission"]
    if isinstance(inner, str):
        target = confined(path.parent, inner, [path.parent])
        if target is None:
            raise CgcError(doc.problem(["submission"], "the submission file must lie in the as-built file's folder"))
        loaded = read_submission(target)
        return loaded.submission, statements, doc.path, loaded.sha256
    try:
        sha = hashlib.sha256(doc.text.encode("utf-8")).hexdigest()
        return Submission.model_validate(inner), statements, doc.path, sha
    except ValidationError as exc:
        raise CgcError(doc.validation_problems(exc, ["submission"])) from None


def verify(lt: LoadedTender, bid_path: Path, as_built_path: Path, registry: Registry | None = None) -> Delivery:
    """Compare the winning bid with the as-built submission, criterion by criterion."""
    prepare(lt, registry or Registry())
    t = lt.tender
    bid = load_bid(bid_path, lt)
    built_sub, built_statements, built_path, built_sha = load_as_built(as_built_path)
    promised_sub = fixed_project(bid.submission, t)
    built_sub = fixed_project(built_sub, t)
    pf, bf = Facts(promised_sub), Facts(built_sub)
    factor = t.sanction_factor.required()
    checks: list[Check] = []
    for c in t.criteria:
        p = offered(c, promised_sub, pf, bid.statements, t)
        b = offered(c, built_sub, bf, built_statements, t)
        if p is None or b is None:
            checks.append(Check(c.id, c.method, p, b, None, None, ZERO, None, Msg("award.verify.missing", {})))
            continue
        at_award = counted(c, p)  # a better offer than the award counted earns nothing: measure from what counted
        gap = (b - at_award) if c.method in LOWER_IS_BETTER else (at_award - b)
        shortfall = max(ZERO, gap)
        sp = score(c, p, bid.price, t, mki_total(promised_sub))
        sb = score(c, b, bid.price, t, mki_total(built_sub))
        sign = -1 if c.method is Method.mki_value else 1
        lost = max(ZERO, sign * (sp.amount - sb.amount))
        tolerance = c.tolerance.required() if c.tolerance is not None else ZERO
        unit, gap_unit = _unit(c.method), _gap_unit(c.method)
        fields = {
            "promised": _promised(p, at_award, unit),
            "built": Amount(b, unit),
            "shortfall": Amount(shortfall, gap_unit),
            "tolerance": Amount(tolerance, gap_unit),
        }
        if shortfall <= tolerance:
            key = "award.verify.within" if shortfall > 0 else "award.verify.kept"
            checks.append(Check(c.id, c.method, p, b, shortfall, True, lost, ZERO, Msg(key, fields)))
            continue
        if lost == 0:  # worse than promised, but the award gave nothing for the difference: the client decides
            checks.append(
                Check(c.id, c.method, p, b, shortfall, False, lost, None, Msg("award.verify.no_advantage", fields))
            )
            continue
        effect_unit: AmountUnit = "pts" if sp.effect == "points" else "eur"
        fields |= {
            "at_award": Amount(sp.amount, effect_unit),
            "now": Amount(sb.amount, effect_unit),
            "lost": Amount(lost, effect_unit),
            "factor": Amount(factor, "num"),
        }
        promised, achieved = sign * sp.amount, sign * sb.amount
        key = "award.verify.sanction"
        if sp.effect == "points":
            assert t.point_value is not None  # a points tender requires it (Tender._method)
            euro = t.point_value.required()
            promised, achieved = award.points_value(promised, euro), award.points_value(achieved, euro)
            fields |= {"point_value": Amount(euro, "eur"), "value": Amount(promised - achieved, "eur")}
            key = "award.verify.points_sanction"
        sanction = t.rounding.apply(award.shortfall_sanction(promised, achieved, factor))
        fields["sanction"] = Amount(sanction, "eur")
        checks.append(Check(c.id, c.method, p, b, shortfall, False, lost, sanction, Msg(key, fields)))
    return Delivery(lt, bid, built_path, built_sha, checks)


def _promised(offer: Decimal, at_award: Decimal, unit: AmountUnit) -> Msg:
    """The promised value, and what the award counted when that differs (held at a floor or cap)."""
    if offer == at_award:
        return Msg("award.calc.exact", {"result": Amount(offer, unit)})
    return Msg("award.verify.counted", {"offer": Amount(offer, unit), "counted": Amount(at_award, unit)})


_UNIT: dict[Method, AmountUnit] = {Method.mki_bounds: "mki", Method.mki_value: "eur", Method.co2_ladder: "num"}


def _unit(method: Method) -> AmountUnit:
    return _UNIT.get(method, "pct")


def _gap_unit(method: Method) -> AmountUnit:
    """A difference of shares is in percentage points."""
    unit = _unit(method)
    return "pp" if unit == "pct" else unit


@dataclass(frozen=True)
class CorridorDelivery:
    """Claimed against delivered for one corridor line a bid claimed: tonnes, and the shortfall."""

    line: str
    materials: tuple[str, ...]
    claimed: float
    delivered: float | None  # tonnes that left the line's hub for the project; None: a direct line, no hub record
    hub: str

    @property
    def shortfall(self) -> float | None:
        """Tonnes claimed but not delivered (0 when all came); None when no hub records the line."""
        return None if self.delivered is None else max(0.0, self.claimed - self.delivered)


def corridor_deliveries(claimed: list[Claim], events: list[Event], as_of: date) -> list[CorridorDelivery]:
    """Per claimed corridor line, the tonnes claimed against the tonnes its hub saw depart by `as_of`.

    The sanction on a shortfall is the one the bestek agrees (a fill-in there); this table gives its basis.
    """
    out = []
    for line_id in sorted({c.line.id for c in claimed}):
        mine = [c for c in claimed if c.line.id == line_id]
        line = mine[0].line
        out.append(
            CorridorDelivery(
                line_id,
                tuple(c.name for c in mine),
                sum(c.mass_t for c in mine),
                departed(events, line, as_of),
                line.hub,
            )
        )
    return out
