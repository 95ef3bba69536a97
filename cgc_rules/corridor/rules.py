"""Compiling a corridor's rules of play into rule specs for the Rete engine.

Each rule of the `kind: corridor` ruleset tests one corridor indicator against a parameter; its
comparator and the resolved value become the conditions below. Matching itself (same category,
quality met, windows, routes through hubs) is fixed logic of the corridor model.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any, Callable

from ..errors import CgcError
from ..ruleset import ParameterRef, Rule
from .findings import Alert
from .load import Corridor
from .rete import Pattern, Ref, RuleSpec

NEVER = 10**7  # a day number later than any real date: "not yet"
# the comparator each rule of play is written with: the rule holds when `indicator comparator value`
EXPECTED = {"route_leg_km": "<=", "inventory_lead_weeks": ">=", "days_to_supply_expiry": ">"}
PAIR_HORIZON_DAYS = 90  # pairs further apart in time than this (plus hub storage) are not reported
KM_PER_DEGREE = 111.0  # km per degree of latitude, rounded down so the box errs on the wide side


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
    """The durable-rules rules of one corridor version; actions report to the session's sink."""
    t = thresholds(corridor)
    max_km, weeks, warn_days = t["route_leg_km"], t["inventory_lead_weeks"], t["days_to_supply_expiry"]
    horizon = max((h.max_storage_days for h in corridor.hubs.values()), default=0) + PAIR_HORIZON_DAYS
    km_ok, km_bad = ("<=", max_km), (">", max_km)
    route = ("t", "==", "route")
    in_time_direct = (("late", "<=", 0), ("gap", "<=", 0), ("via", "==", ""))
    in_time_hub = (("late", "<=", 0), ("via", "!=", ""), ("gap", "<=", Ref(None, "max_storage")))
    lead_days = math.ceil(weeks * 7)
    # a bounding box of twice the leg limit: no route (direct or one hub) can join points further apart
    box_lat = 2 * max_km / KM_PER_DEGREE
    widest = max((abs(p.place.lat) for p in corridor.projects.values()), default=0.0)
    box_lon = box_lat / max(math.cos(math.radians(min(widest, 89.0))), 0.01)
    notice_deadline = Ref("project", "demo_start", -lead_days)
    return [
        RuleSpec("pair", (
            Pattern("sup", (("t", "==", "supply"),)),
            Pattern("dem", (("t", "==", "demand"), ("cat", "==", Ref("sup", "cat")), ("min_rank", "<=", Ref("sup", "rank")),
                            ("n_to", ">=", Ref("sup", "a_from", -PAIR_HORIZON_DAYS)),
                            ("n_from", "<=", Ref("sup", "a_to", horizon)),
                            ("lat", "<=", Ref("sup", "lat", box_lat)), ("lat", ">=", Ref("sup", "lat", -box_lat)),
                            ("lon", "<=", Ref("sup", "lon", box_lon)), ("lon", ">=", Ref("sup", "lon", -box_lon)))),
        ), lambda sink, f, add: sink.pair(f["sup"], f["dem"], add)),
        RuleSpec("direct_match", (Pattern("r", (route, *in_time_direct, ("leg_km", *km_ok))),), _candidate),
        RuleSpec("hub_match", (Pattern("r", (route, *in_time_hub, ("leg_km", *km_ok))),), _candidate),
        RuleSpec("direct_too_far", (Pattern("r", (route, *in_time_direct, ("leg_km", *km_bad))),),
                 _refuse("distance", "too_far", lambda r: max_km)),
        RuleSpec("hub_too_far", (Pattern("r", (route, *in_time_hub, ("leg_km", *km_bad))),),
                 _refuse("distance", "too_far", lambda r: max_km)),
        RuleSpec("needed_before_available", (Pattern("r", (route, ("late", ">", 0))),),
                 _refuse("time", "needed_before_available")),
        RuleSpec("direct_windows_apart", (Pattern("r", (route, ("via", "==", ""), ("late", "<=", 0), ("gap", ">", 0))),),
                 _refuse("time", "windows_apart")),
        RuleSpec("hub_stored_too_long", (Pattern("r", (route, ("via", "!=", ""), ("late", "<=", 0),
                                                       ("gap", ">", Ref(None, "max_storage")))),),
                 _refuse("time", "stored_too_long", lambda r: r["max_storage"])),
        RuleSpec("late_inventory", (
            Pattern("project", (("t", "==", "project"), ("demo_start", ">", 0),
                                ("inventory", ">", Ref(None, "demo_start", -lead_days)))),
            Pattern("clock", (("t", "==", "clock"), ("day", ">=", notice_deadline))),
        ), lambda sink, f, add: sink.alert(Alert("late_inventory", f["project"]["key"], limit=weeks,
                                                 day=date.fromordinal(int(f["project"]["demo_start"]))))),
        RuleSpec("stored_too_long", (
            Pattern("arr", (("t", "==", "arrival"),)),
            Pattern("hub", (("t", "==", "hub"), ("key", "==", Ref("arr", "hub")))),
            Pattern("clock", (("t", "==", "clock"), ("day", ">", Ref("arr", "day", Ref("hub", "max_storage"))),
                              ("day", "<", Ref("arr", "departed")))),
        ), lambda sink, f, add: sink.alert(Alert("stored_too_long", f["arr"]["key"], hub=f["hub"]["key"],
                                                 limit=f["hub"]["max_storage"], day=date.fromordinal(int(f["arr"]["day"]))))),
        RuleSpec("hub_over_capacity", (Pattern("st", (("t", "==", "stock"), ("tonnes", ">", Ref(None, "capacity")))),),
                 lambda sink, f, add: sink.alert(Alert("hub_over_capacity", f["st"]["key"], tonnes=f["st"]["tonnes"],
                                                       limit=f["st"]["capacity"]))),
        RuleSpec("supply_expiring", (
            Pattern("sup", (("t", "==", "supply"),)),
            Pattern("clock", (("t", "==", "clock"), ("day", ">=", Ref("sup", "a_to", -warn_days)), ("day", "<=", Ref("sup", "a_to")))),
            Pattern("cand", (("t", "==", "cand"), ("supply", "==", Ref("sup", "key"))), negated=True),
        ), lambda sink, f, add: sink.alert(Alert("supply_expiring", f["sup"]["key"], day=date.fromordinal(int(f["sup"]["a_to"]))))),
    ]


def _candidate(sink: Any, f: dict, add: Callable[[dict], None]) -> None:
    r = f["r"]
    fact = {"t": "cand", "key": r["key"], "supply": r["supply"]}
    sink.candidate(r["key"], fact)
    add(fact)


def _refuse(reason: str, rule: str, limit: Callable[[dict], float] = lambda r: 0.0
            ) -> Callable[[Any, dict, Callable[[dict], None]], None]:
    """An action refusing the matched route for `reason`, by `rule`, with the limit it read from the route fact."""
    def act(sink: Any, f: dict, add: Callable[[dict], None]) -> None:
        sink.refuse(f["r"]["key"], reason, rule, float(limit(f["r"])))
    return act
