"""The rules of a corridor's ruleset: the rules of play the engine applies itself, and checks of any other
corridor indicator on the engine's subjects.

Each rule of the `kind: corridor` ruleset tests one corridor indicator (`indicators.corridor`)
against a parameter or a number. Three indicators are the engine's own rules of play: their
comparator and resolved value become thresholds. The route rules (leg limit, storage time) are
applied by the indexed join (`index`); the rules over the stream of events (late inventory, hub
over capacity, stored too long, supply about to expire, a change that breaks a match) are compiled
below into Rete rules. A rule on any other indicator of the registry is evaluated like a rule of
any other kind (`evaluator`), over the subjects the engine found (`Subjects`): candidate routes,
projects and supply lines.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from ..errors import CgcError
from ..evaluator import CompiledRuleset, Outcome, compile_ruleset, evaluate
from ..ruleset import ParameterRef, Rule
from .findings import Alert, Route
from .load import Corridor
from .model import Project, Supply
from .rete import Pattern, Ref, RuleSpec

NEVER = 10**7  # a day number later than any real date: "not yet"
# the engine's own rules of play, and the comparator each is written with: it holds when `indicator comparator value`
EXPECTED = {"route_leg_km": "<=", "inventory_lead_weeks": ">=", "days_to_supply_expiry": ">"}


def thresholds(corridor: Corridor) -> dict[str, float]:
    """The threshold per rule-of-play indicator the engine applies itself, read from the rules of the ruleset."""
    out: dict[str, float] = {}
    for rule in corridor.rules.ruleset.rules:
        expected = EXPECTED.get(rule.indicator)
        if expected is None:
            continue  # checked on the engine's subjects (`checks`)
        if rule.comparator is None or rule.comparator.value != expected:
            raise CgcError(f"{corridor.rules.path}: rule {rule.id}: write it as {rule.indicator} {expected} …")
        out[rule.indicator] = _threshold(corridor, rule)
    for needed in EXPECTED:
        if needed not in out:
            raise CgcError(f"{corridor.rules.path}: no rule on indicator {needed!r}; the corridor engine needs one")
    return out


def _threshold(corridor: Corridor, rule: Rule) -> float:
    t = rule.threshold
    value = corridor.param(t.parameter) if isinstance(t, ParameterRef) else t
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise CgcError(f"{corridor.rules.path}: rule {rule.id}: threshold must be a number, got {value!r}")
    return float(value)


def compile_rules(corridor: Corridor) -> list[RuleSpec]:
    """The durable-rules rules of play of one corridor version; actions report alerts to the session's sink.

    Routes are not judged here: the indexed join (`index`) finds and judges them all at once and
    posts one `cand` fact per supply and demand pair with a valid route.
    """
    t = thresholds(corridor)
    weeks, warn_days = t["inventory_lead_weeks"], t["days_to_supply_expiry"]
    lead_days = math.ceil(weeks * 7)
    notice_deadline = Ref("project", "demo_start", -lead_days)
    return [
        RuleSpec(
            "late_inventory",
            (
                Pattern(
                    "project",
                    (
                        ("t", "==", "project"),
                        ("demo_start", ">", 0),
                        ("inventory", ">", Ref(None, "demo_start", -lead_days)),
                    ),
                ),
                Pattern("clock", (("t", "==", "clock"), ("day", ">=", notice_deadline))),
            ),
            lambda sink, f, add: sink.alert(
                Alert(
                    "late_inventory",
                    f["project"]["key"],
                    limit=weeks,
                    day=date.fromordinal(int(f["project"]["demo_start"])),
                )
            ),
        ),
        RuleSpec(
            "stored_too_long",
            (
                Pattern("arr", (("t", "==", "arrival"),)),
                Pattern("hub", (("t", "==", "hub"), ("key", "==", Ref("arr", "hub")))),
                Pattern(
                    "clock",
                    (
                        ("t", "==", "clock"),
                        ("day", ">", Ref("arr", "day", Ref("hub", "max_storage"))),
                        ("day", "<", Ref("arr", "departed")),
                    ),
                ),
            ),
            lambda sink, f, add: sink.alert(
                Alert(
                    "stored_too_long",
                    f["arr"]["key"],
                    hub=f["hub"]["key"],
                    limit=f["hub"]["max_storage"],
                    day=date.fromordinal(int(f["arr"]["day"])),
                )
            ),
        ),
        RuleSpec(
            "hub_over_capacity",
            (Pattern("st", (("t", "==", "stock"), ("tonnes", ">", Ref(None, "capacity")))),),
            lambda sink, f, add: sink.alert(
                Alert("hub_over_capacity", f["st"]["key"], tonnes=f["st"]["tonnes"], limit=f["st"]["capacity"])
            ),
        ),
        RuleSpec(
            "supply_expiring",
            (
                Pattern("sup", (("t", "==", "supply"),)),
                Pattern(
                    "clock",
                    (
                        ("t", "==", "clock"),
                        ("day", ">=", Ref("sup", "a_to", -warn_days)),
                        ("day", "<=", Ref("sup", "a_to")),
                    ),
                ),
                Pattern("cand", (("t", "==", "cand"), ("supply", "==", Ref("sup", "key"))), negated=True),
            ),
            lambda sink, f, add: sink.alert(
                Alert("supply_expiring", f["sup"]["key"], day=date.fromordinal(int(f["sup"]["a_to"])))
            ),
        ),
        RuleSpec(
            "match_broken",
            (
                Pattern("br", (("t", "==", "broken"),)),
                Pattern("clock", (("t", "==", "clock"), ("day", ">=", Ref("br", "day")))),
            ),
            lambda sink, f, add: sink.alert(
                Alert(
                    "match_broken", f["br"]["line"], other=f["br"]["other"], day=date.fromordinal(int(f["br"]["day"]))
                )
            ),
        ),
    ]


# ---------------------------------------------------------------- checks of the other indicators


@dataclass(frozen=True)
class RouteSubject:
    """A candidate route as a subject of corridor indicators (`route`)."""

    name: str  # the route's key: supply>hub or direct>demand
    leg_km: float
    km: float
    storage_days: int


@dataclass(frozen=True)
class ProjectSubject:
    """A project as a subject of corridor indicators (`project`)."""

    name: str
    lead_weeks: float | None  # weeks between sharing the inventory and the start of demolition; None: not shared


@dataclass(frozen=True)
class SupplySubject:
    """A supply line as a subject of corridor indicators (`supply`)."""

    name: str
    days_left: int  # days from the day looked from to the end of its available window
    quantity: float


@dataclass(frozen=True)
class Subjects:
    """What the corridor's checks run on: the corridor as one subject with its routes, projects and supply lines."""

    subject_id: str
    route: list[RouteSubject] = field(default_factory=list)
    project: list[ProjectSubject] = field(default_factory=list)
    supply: list[SupplySubject] = field(default_factory=list)
    subject_kind: Literal["corridor"] = "corridor"
    project_type: None = None


def compile_checks(corridor: Corridor) -> CompiledRuleset | None:
    """The ruleset's rules on indicators other than the engine's own rules of play, compiled with the
    corridor's parameter values; None when there are none. An unknown indicator is a located error."""
    ruleset = corridor.rules.ruleset
    compiled = compile_ruleset(ruleset, {name: p.value for name, p in corridor.parameters.items()})
    rules = tuple(cr for cr in compiled.rules if cr.rule.indicator not in EXPECTED)
    return CompiledRuleset(ruleset, rules, compiled.parameters) if rules else None


def subjects(
    corridor_id: str, as_of: date, candidates: list[Route], projects: list[Project], supply: list[Supply]
) -> Subjects:
    """The corridor's subjects as of `as_of`."""

    def lead_weeks(p: Project) -> float | None:
        demo = p.phase("demolition")
        shared = p.inventory_published if p.inventory_published and p.inventory_published <= as_of else None
        return (demo.window.start - shared).days / 7 if demo and shared else None

    return Subjects(
        corridor_id,
        route=[RouteSubject(r.key, r.leg_km, r.km, r.storage_days) for r in candidates],
        project=[ProjectSubject(p.id, lead_weeks(p)) for p in sorted(projects, key=lambda p: p.id)],
        supply=[
            SupplySubject(ln.id, (ln.available.end - as_of).days, ln.quantity)
            for ln in sorted(supply, key=lambda ln: ln.id)
        ],
    )


def checks(compiled: CompiledRuleset, found: Subjects) -> list[Outcome]:
    """The outcome of every checked rule on every subject of its indicator, in rule order."""
    return evaluate(found, compiled)
