"""Compiling a corridor's rules of play into rule specs for the Rete engine.

Each rule of the `kind: corridor` ruleset tests one corridor indicator against a parameter; its
comparator and the resolved value become thresholds. The route rules (leg limit, storage time)
are applied by the indexed join (`index`); the rules over the stream of events (late inventory,
hub over capacity, stored too long, supply about to expire, a change that breaks a match) are
compiled below into Rete rules.
"""

from __future__ import annotations

import math
from datetime import date

from ..errors import CgcError
from ..ruleset import ParameterRef, Rule
from .findings import Alert
from .load import Corridor
from .rete import Pattern, Ref, RuleSpec

NEVER = 10**7  # a day number later than any real date: "not yet"
# the comparator each rule of play is written with: the rule holds when `indicator comparator value`
EXPECTED = {"route_leg_km": "<=", "inventory_lead_weeks": ">=", "days_to_supply_expiry": ">"}


def thresholds(corridor: Corridor) -> dict[str, float]:
    """The threshold per corridor indicator, read from the rules of the ruleset."""
    out: dict[str, float] = {}
    for rule in corridor.rules.ruleset.rules:
        expected = EXPECTED[rule.indicator]
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
