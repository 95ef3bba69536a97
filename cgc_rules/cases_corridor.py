"""Test cases of a `kind: corridor` ruleset: a small corridor run through the corridor engine.

A case's input holds the day to look from (`as_of`), projects, hubs, supply and demand lines,
events and the values of the rules-of-play parameters the ruleset leaves open
(`rules_of_play`, overridden by the case's `parameters`). The engine's findings become one
outcome per rule and subject:

- a rule on `route_leg_km`, per route: fail when the engine refuses it as too far, pass when
  it is a candidate, not applicable when it is refused on time before distance counts;
- on `inventory_lead_weeks`, per project with a demolition phase: fail on a late-inventory
  alert, pass when the inventory was shared in time, missing data while it is not shared yet
  but not late either;
- on `days_to_supply_expiry`, per supply line: fail on an expiry warning, pass while an
  unmatched line has time left, not applicable once matched or past its window.

The threshold is the value of the rule's parameter; a refusal or alert gives its outcome a reason
(the refusal rule or alert kind, e.g. `too_far`, `late_inventory`) and an explanation (its
message in the `corridor` catalogue). Corridor outcomes have no gap and no conditions.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import date
from functools import partial
from typing import Any

from pydantic import BaseModel, ConfigDict

from .cases import Found, Observed
from .cases import observed as observed_outcome
from .corridor.engine import CorridorEngine, Findings
from .corridor.findings import Alert, Refusal
from .corridor.load import Corridor, Parameter
from .corridor.model import CorridorFile, Demand, Event, Hub, Partner, Project, RulesOfPlay, Supply
from .errors import CgcError
from .evaluator import FAIL, MISSING_DATA, NOT_APPLICABLE, PASS, Reason
from .i18n import render
from .ruleset import LoadedRuleset, ParameterRef, Rule


class CorridorCase(BaseModel):
    """The input of one corridor test case."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    as_of: date
    rules_of_play: dict[str, bool | float] = {}
    projects: list[Project]
    hubs: list[Hub] = []
    supply: list[Supply] = []
    demand: list[Demand] = []
    events: list[Event] = []


def _parameters(lr: LoadedRuleset, values: dict[str, Any]) -> dict[str, Parameter]:
    rs = lr.ruleset
    unknown = sorted(set(values) - set(rs.parameters))
    if unknown:
        raise CgcError(f"{rs.ref}: unknown parameter {', '.join(map(repr, unknown))}")
    out: dict[str, Parameter] = {}
    for name, p in rs.parameters.items():
        value = p.value if p.value is not None else values.get(name)
        if value is None or isinstance(value, (list, date, str)):
            raise CgcError(f"{rs.ref}: parameter {name!r} needs a number or yes/no in rules_of_play or parameters")
        out[name] = Parameter(name, value, p.unit, False, "test case", p.description)
    return out


def corridor_of(lr: LoadedRuleset, case: CorridorCase, values: dict[str, Any]) -> Corridor:
    """A corridor built in memory from a case, with its own version hash (the engine registers per version)."""
    meta = CorridorFile(
        id="case",
        name=lr.ruleset.ref,
        example=True,
        note=None,
        hubs=case.hubs,
        rules_of_play=RulesOfPlay(ruleset=lr.ruleset.ref),
        partners=[Partner(id="case", name="test case", kind="test case")],
    )
    digest = hashlib.sha256(json.dumps([case.model_dump(mode="json"), values, lr.sha256], sort_keys=True).encode())
    return Corridor(
        meta=meta,
        rules=lr,
        parameters=_parameters(lr, values),
        projects={p.id: p for p in case.projects},
        hubs={h.id: h for h in case.hubs},
        supply=list(case.supply),
        demand=list(case.demand),
        events=list(case.events),
        sha256=digest.hexdigest(),
    )


def _said(status: str, value: Any, note: str, finding: Refusal | Alert | None = None) -> Observed:
    """An outcome of the engine's findings; a refusal or alert explains it (in the corridor catalogue's words)."""
    if finding is None:
        return Observed(status, value, lambda: note)
    msg = finding.msg
    key = finding.rule if isinstance(finding, Refusal) else finding.kind
    return Observed(status, value, lambda: note, partial(render, msg=msg), reason=Reason(key))


def _routes(f: Findings) -> dict[str, Observed]:
    candidates = {r.key for r in f.candidates}
    refused = {x.route.key: x for x in f.refusals}
    out: dict[str, Observed] = {}
    for route in [*f.candidates, *(x.route for x in f.refusals)]:
        key, km = route.key, route.leg_km
        refusal = refused.get(key)
        if refusal is not None and refusal.rule == "too_far":
            out[key] = _said(FAIL, km, f"longest leg {km} km, over the limit of {refusal.limit} km", refusal)
        elif key in candidates:
            out[key] = _said(PASS, km, f"longest leg {km} km, within the limit")
        else:
            out[key] = _said(NOT_APPLICABLE, km, "refused on time before distance counts", refusal)
    return out


def _projects(f: Findings, engine: CorridorEngine) -> dict[str, Observed]:
    late = {a.subject: a for a in f.alerts if a.kind == "late_inventory"}
    out: dict[str, Observed] = {}
    for pid, p in engine.projects.items():
        demo = p.phase("demolition")
        if demo is None:
            continue
        shared = p.inventory_published if p.inventory_published and p.inventory_published <= f.as_of else None
        weeks = (demo.window.start - shared).days / 7 if shared else None
        if pid in late:
            out[pid] = _said(FAIL, weeks, f"inventory shared {weeks} weeks before demolition, or not at all", late[pid])
        elif shared is None:
            out[pid] = _said(MISSING_DATA, None, "inventory not shared yet, and not late yet")
        else:
            out[pid] = _said(PASS, weeks, f"inventory shared {weeks} weeks before demolition")
    return out


def _supply(f: Findings, engine: CorridorEngine) -> dict[str, Observed]:
    expiring = {a.subject: a for a in f.alerts if a.kind == "supply_expiring"}
    matched = {r.supply for r in f.candidates}
    out: dict[str, Observed] = {}
    for line in engine.lines.values():
        if not isinstance(line, Supply):
            continue
        days = (line.available.end - f.as_of).days
        if line.id in expiring:
            out[line.id] = _said(FAIL, days, f"{days} days left without a taker", expiring[line.id])
        elif line.id in matched or days < 0:
            out[line.id] = _said(NOT_APPLICABLE, days, "matched, or its window has closed")
        else:
            out[line.id] = _said(PASS, days, f"{days} days left, no warning yet")
    return out


def _threshold(rule: Rule, corridor: Corridor) -> Any:
    t = rule.threshold
    return corridor.parameters[t.parameter].value if isinstance(t, ParameterRef) else t


def run_case(lr: LoadedRuleset, data: dict[str, Any], parameters: dict[str, Any]) -> Found:
    """Run one case through the corridor engine; raises `ValidationError` for bad input, `CgcError` for bad values."""
    case = CorridorCase.model_validate(data)
    corridor = corridor_of(lr, case, {**case.rules_of_play, **parameters})
    with CorridorEngine(corridor, case.as_of) as engine:
        engine.load_all()
        findings = engine.finish()
        per_indicator = {
            "route_leg_km": _routes(findings),
            "inventory_lead_weeks": _projects(findings, engine),
            "days_to_supply_expiry": _supply(findings, engine),
        }
    found: Found = {}
    for rule in lr.ruleset.rules:
        threshold = _threshold(rule, corridor)
        for subject, observed in per_indicator.get(rule.indicator, {}).items():
            found[(rule.id, subject)] = replace(observed, threshold=threshold)
    for o in findings.checks:  # rules on the other corridor indicators, evaluated on the engine's subjects
        found[(o.rule.id, o.subject)] = observed_outcome(o)
    return found
