"""A corridor's findings: routes from the indexed join, alerts from the rules of play on durable-rules.

`run(corridor, as_of)` loads everything at once; `CorridorEngine.post` takes one event at a time
(a new or changed line, a withdrawn line, a changed phase, a published inventory, a hub arrival).
A line going in is joined with the other side's lines at once (`index`); the Rete session gets
projects, hubs, supply lines, one fact per candidate pair, arrivals, schedule changes that broke
a match, hub stocks and the clock, never the pairs themselves. `finish(as_of)` puts the stocks
and the clock in and returns sorted findings; it may be called again after further posts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from typing import Self, TypeVar

import numpy as np

from ..collector import collector_paused
from ..errors import CgcError, Problem
from ..evaluator import Outcome
from . import rete
from .findings import Alert, Candidates, Refusal, Route
from .index import CANDIDATE, MAX_PAIRS, Index, Limits, Routes, TooManyPairs
from .load import Corridor
from .model import (
    Demand,
    Event,
    HubArrival,
    InventoryPublished,
    LineWithdrawn,
    Phase,
    PhaseChange,
    Project,
    Supply,
    WindowChange,
)
from .rete import Fact
from .rules import NEVER, checks, compile_checks, compile_rules, subjects, thresholds

Line = Supply | Demand
_T = TypeVar("_T")


@dataclass
class Findings:
    """Candidate routes, refused routes and alerts of one run, sorted; the outcomes of the ruleset's other rules."""

    candidates: Sequence[Route]
    refusals: Sequence[Refusal]
    alerts: list[Alert]
    as_of: date
    events: int = 0  # facts and events posted
    checks: list[Outcome] = field(default_factory=list)  # rules on indicators other than the rules of play


@dataclass
class _Sink:
    """What the rule actions of one session report."""

    alerts: set[Alert] = field(default_factory=set)

    def alert(self, alert: Alert) -> None:
        self.alerts.add(alert)


def _day(d: date | None) -> int:
    return d.toordinal() if d is not None else NEVER


class CorridorEngine:
    """One session of the corridor's compiled rules of play plus its line index; use as a context manager."""

    def __init__(self, corridor: Corridor, as_of: date):
        self.corridor = corridor
        self.as_of = as_of
        self.name = f"cgc-corridor-{corridor.meta.id}-{corridor.version}"
        places = {pid: p.place for pid, p in corridor.projects.items()}
        self.index = Index(
            Limits.of(thresholds(corridor)["route_leg_km"], corridor.hubs.values(), places.values()),
            list(corridor.hubs.values()),
        )
        self.index.add_projects(places)
        rete.register(self.name, compile_rules(corridor))
        self.sink = _Sink()
        self.facts: dict[str, Fact] = {}  # current fact per subject
        self.lines: dict[str, Line] = {}
        self.projects: dict[str, Project] = {}
        self.arrivals: dict[str, HubArrival] = {}
        # candidate and refused routes as columns; those of replaced or withdrawn lines die with their rows
        self.found: list[Routes] = []
        self.refused: list[Routes] = []
        self.warn_days = thresholds(corridor)["days_to_supply_expiry"]
        self.checked = compile_checks(corridor)
        self.posted = 0
        self.session = rete.Session(self.name, self.sink)  # last: a session opened is a session to close

    # ------------------------------------------------------------------ facts

    def _put(self, key: str, fact: Fact | None) -> None:
        """Replace the fact filed under `key` (None: retract it)."""
        old = self.facts.pop(key, None)
        if old is not None:
            self.session.retract_fact(old)
        if fact is not None:
            self.facts[key] = fact
            self.session.assert_fact(fact)
            self.posted += 1

    def _project_fact(self, p: Project) -> Fact:
        demo = p.phase("demolition")
        published = p.inventory_published if p.inventory_published and p.inventory_published <= self.as_of else None
        return {
            "t": "project",
            "key": p.id,
            "demo_start": _day(demo.window.start) if demo else 0,
            "inventory": _day(published),
        }

    @staticmethod
    def _supply_fact(line: Supply) -> Fact:
        return {"t": "supply", "key": line.id, "a_to": _day(line.available.end)}

    @staticmethod
    def _hub_fact(hub_id: str, max_storage: int) -> Fact:
        return {"t": "hub", "key": hub_id, "max_storage": max_storage}

    # ------------------------------------------------------------------ routes

    def _split(self, routes: Routes) -> Routes:
        """File the routes of a join; its candidates."""
        ok = routes.verdict == CANDIDATE
        found = routes.take(ok)
        self.found = self.index.compact([*self.found, found])
        self.refused = self.index.compact([*self.refused, routes.take(~ok)])
        return found

    def _pairs(self, routes: Routes) -> list[tuple[str, str]]:
        """The (supply, demand) pairs of `routes`, each once."""
        rows = np.unique(np.stack([routes.supply, routes.demand]), axis=1) if len(routes) else np.zeros((2, 0), int)
        return [(self.index.supply.ids[a], self.index.demand.ids[b]) for a, b in rows.T.tolist()]

    def _of_watched(self, routes: Routes) -> Routes:
        """The routes of watched supply lines."""
        watched = np.array([self._watched(self.lines.get(i)) for i in self.index.supply.ids], bool)
        return routes.take(watched[routes.supply])

    def _forget(self, line_id: str) -> list[tuple[str, str]]:
        """The pairs the candidate routes of a line's current version make (they die with its row)."""
        return self._pairs(self.index.of_line(self.found, line_id))

    def _watched(self, line: Line | None) -> bool:
        """A supply line whose window ends within the expiry warning time of `as_of`: the only ones
        the `supply_expiring` rule can fire for, so the only ones (with their pairs) the session gets."""
        if not isinstance(line, Supply):
            return False
        end = line.available.end.toordinal()
        return end - self.warn_days <= self.as_of.toordinal() <= end

    def _cand_facts(self, pairs: list[tuple[str, str]]) -> list[Fact]:
        """`cand` facts for the candidate pairs of watched supply lines not yet in the session."""
        out: list[Fact] = []
        for sup, dem in pairs:
            key = f"{sup}|{dem}"
            if f"cand:{key}" not in self.facts and self._watched(self.lines.get(sup)):
                fact = {"t": "cand", "key": key, "supply": sup}
                self.facts[f"cand:{key}"] = fact
                out.append(fact)
        return out

    # ------------------------------------------------------------------ posting

    def add_project(self, p: Project) -> None:
        self.projects[p.id] = p
        self.index.add_projects({p.id: p.place})
        self._put(p.id, self._project_fact(p))

    def add_hub(self, hub_id: str) -> None:
        h = self.corridor.hubs[hub_id]
        self._put(f"hub:{h.id}", self._hub_fact(h.id, h.max_storage_days))

    def add_line(self, line: Line, day: date | None = None) -> None:
        """Put a new or changed line in; a change (`day` given) that leaves a candidate pair without route raises an alert."""
        before = self._forget(line.id)
        self.lines[line.id] = line
        self.index.add_lines([line])
        fresh = self._pairs(self._split(self._join(lambda: self.index.join_line(line.id))))
        self._put_pairs(before, fresh, line.id, day)
        self._put(
            f"line:{line.id}", self._supply_fact(line) if isinstance(line, Supply) and self._watched(line) else None
        )

    def withdraw_line(self, line_id: str, day: date | None = None) -> None:
        """Take a line out: its routes go, and the matches it had are reported broken."""
        lost = self._forget(line_id)
        self.lines.pop(line_id, None)
        self.index.drop(line_id)
        self._put_pairs(lost, [], line_id, day)
        self._put(f"line:{line_id}", None)

    def _put_pairs(
        self, lost: list[tuple[str, str]], fresh: list[tuple[str, str]], line_id: str, day: date | None
    ) -> None:
        """Session facts after a line changed: pairs without route lose their `cand` fact (and, on a dated
        change, get a `broken` fact); pairs with a route again lose their `broken` fact."""
        again = set(fresh)
        for pair in lost:
            if pair in again:
                continue  # the line's new version reaches it too
            key = f"{pair[0]}|{pair[1]}"
            self._put(f"cand:{key}", None)
            if day is not None:
                other = pair[1] if pair[0] == line_id else pair[0]
                self._put(
                    f"broken:{key}", {"t": "broken", "key": key, "line": line_id, "other": other, "day": _day(day)}
                )
        for pair in fresh:
            self._put(f"broken:{pair[0]}|{pair[1]}", None)
        facts = self._cand_facts(fresh)
        if facts:
            self.session.assert_facts(facts)
            self.posted += len(facts)

    def _join(self, join: Callable[[], Routes]) -> Routes:
        """Routes of a join, or bad input naming the limit when more pairs are within reach than it allows."""
        try:
            return join()
        except TooManyPairs as exc:
            raise CgcError(
                Problem(
                    f"{exc.pairs:,} pairs of supply and demand lines are within reach of each other (same category, "
                    f"within twice the leg limit, in time), more than the limit of {MAX_PAIRS:,}; "
                    "split the corridor by region or by category",
                    f"corridor {self.corridor.meta.id}",
                )
            ) from None

    def load_all(self) -> None:
        """Hubs, projects, lines and candidate pairs in one batch, then the dated events in order."""
        with collector_paused():
            self._load_all()

    def _load_all(self) -> None:
        c = self.corridor
        self.projects.update(c.projects)
        lines: list[Line] = [*c.supply, *c.demand]
        self.lines.update({ln.id: ln for ln in lines})
        self.index.add_lines(lines)
        cands = self._cand_facts(self._pairs(self._of_watched(self._split(self._join(self.index.join_all)))))
        batch = {f"hub:{h.id}": self._hub_fact(h.id, h.max_storage_days) for h in c.hubs.values()}
        batch.update({p.id: self._project_fact(p) for p in c.projects.values()})
        batch.update({f"line:{ln.id}": self._supply_fact(ln) for ln in c.supply if self._watched(ln)})
        self.facts.update(batch)
        facts = [batch[k] for k in sorted(batch)] + cands
        self.session.assert_facts(facts)
        self.posted += len(facts)
        for ev in sorted(c.events, key=lambda ev: ev.day):
            self.post(ev)

    def post(self, event: Event) -> None:
        """Apply one dated event; events dated after `as_of` are not known yet and are ignored."""
        if event.day > self.as_of:
            return
        if isinstance(event, PhaseChange):
            p = self.projects[event.project]
            phases = [ph for ph in p.phases if ph.name != event.phase]
            self.add_project(p.model_copy(update={"phases": [*phases, Phase(name=event.phase, window=event.window)]}))
        elif isinstance(event, WindowChange):
            line = self.lines[event.line]
            field_name = "available" if isinstance(line, Supply) else "needed"
            self.add_line(line.model_copy(update={field_name: event.window}), event.day)
        elif isinstance(event, InventoryPublished):
            self.add_project(self.projects[event.project].model_copy(update={"inventory_published": event.day}))
        elif isinstance(event, HubArrival):
            self.arrivals[event.id] = event
            self._put(
                f"arrival:{event.id}",
                {
                    "t": "arrival",
                    "key": event.id,
                    "hub": event.hub,
                    "day": _day(event.day),
                    "departed": _day(event.departed),
                },
            )
        elif isinstance(event, LineWithdrawn):
            self.withdraw_line(event.line, event.day)
        else:
            self.add_line(event.line, event.day if event.line.id in self.lines else None)

    def alerts(self) -> list[Alert]:
        """Put in the hub stocks and the clock of `as_of` (again); the alerts they fire, sorted."""
        self.sink.alerts = set()
        self._put("clock", None)
        for hub in self.corridor.hubs.values():
            stock = sum(
                a.tonnes
                for a in self.arrivals.values()
                if a.hub == hub.id and a.day <= self.as_of and (a.departed is None or a.departed > self.as_of)
            )
            self._put(
                f"stock:{hub.id}", {"t": "stock", "key": hub.id, "tonnes": round(stock, 3), "capacity": hub.capacity_t}
            )
        self._put("clock", {"t": "clock", "key": "clock", "day": _day(self.as_of)})
        return sorted(self.sink.alerts)

    def candidates(self) -> Candidates:
        """The candidate routes in route order, as columns (records are made when they are read)."""
        return Candidates(self.index.route_columns(self.index.ordered(self.found)))

    def refusals(self) -> Sequence[Refusal]:
        return self.index.refusals(self.refused)

    def finish(self) -> Findings:
        """The findings as of `as_of`, sorted."""
        alerts = self.alerts()
        with collector_paused():
            candidates = self.candidates()
            return Findings(
                candidates=candidates,
                refusals=self.refusals(),
                alerts=alerts,
                as_of=self.as_of,
                events=self.posted,
                checks=self._checks(candidates),
            )

    def _checks(self, candidates: Sequence[Route]) -> list[Outcome]:
        """The outcomes of the ruleset's rules on indicators other than the rules of play, on this run's subjects."""
        if self.checked is None:
            return []
        supply = [ln for ln in self.lines.values() if isinstance(ln, Supply)]
        found = subjects(self.corridor.meta.id, self.as_of, list(candidates), list(self.projects.values()), supply)
        return checks(self.checked, found)

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def load_events(corridor: Corridor) -> list[Callable[[CorridorEngine], None]]:
    """The corridor as single postings: hubs, projects, lines, then its dated events in order."""
    steps: list[Callable[[CorridorEngine], None]] = []
    steps += [partial(CorridorEngine.add_hub, hub_id=h) for h in sorted(corridor.hubs)]
    steps += [partial(CorridorEngine.add_project, p=p) for _, p in sorted(corridor.projects.items())]
    lines: list[Line] = [*corridor.supply, *corridor.demand]
    steps += [partial(CorridorEngine.add_line, line=ln) for ln in sorted(lines, key=lambda x: x.id)]
    steps += [partial(CorridorEngine.post, event=ev) for ev in sorted(corridor.events, key=lambda ev: ev.day)]
    return steps


def _retried(corridor: Corridor, work: Callable[[], _T]) -> _T:
    """`work` (a whole run in a fresh session), once more on a fresh worker if the rules engine's process
    stopped under it; a second stop is reported, located at the corridor."""
    try:
        return work()
    except rete.WorkerCrashed:
        try:
            return work()
        except rete.WorkerCrashed as exc:
            raise CgcError(
                Problem(
                    f"{exc.problems[0].message} twice while running the rules of play; nothing was changed",
                    f"corridor {corridor.meta.id}",
                )
            ) from None


def current(corridor: Corridor, as_of: date) -> tuple[Corridor, Findings]:
    """The corridor with the lines its events put, changed or withdrew up to `as_of`, and its findings."""

    def work() -> tuple[dict[str, Line], Findings]:
        with CorridorEngine(corridor, as_of) as engine:
            engine.load_all()
            return engine.lines, engine.finish()

    lines, findings = _retried(corridor, work)
    supply = [ln for ln in lines.values() if isinstance(ln, Supply)]
    demand = [ln for ln in lines.values() if isinstance(ln, Demand)]
    return replace(corridor, supply=supply, demand=demand), findings


def run(corridor: Corridor, as_of: date) -> Findings:
    """Load the whole corridor into a fresh session at once and return its findings."""

    def work() -> Findings:
        with CorridorEngine(corridor, as_of) as engine:
            engine.load_all()
            return engine.finish()

    return _retried(corridor, work)
