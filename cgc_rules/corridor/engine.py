"""Posting a corridor's facts and events to the Rete engine and collecting what it finds.

`run(corridor, as_of)` loads everything at once; `CorridorEngine.post` takes one event at a
time (a new line, a changed window, a published inventory, a hub arrival). Both end with
`finish(as_of)`, which puts the clock and hub stocks in and returns sorted findings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Callable, Union

from . import rete
from .findings import Alert, Refusal, Route
from .geo import haversine_km
from .load import Corridor
from .model import Demand, Event, HubArrival, InventoryPublished, Phase, PhaseChange, Project, Supply, WindowChange
from .rules import NEVER, compile_rules, thresholds

Line = Union[Supply, Demand]


@dataclass
class Findings:
    """Candidate routes, refused routes and alerts of one run, sorted."""

    candidates: list[Route]
    refusals: list[Refusal]
    alerts: list[Alert]
    as_of: date
    events: int = 0  # facts and events posted


@dataclass
class _Sink:
    """What the rule actions of one session report; keyed so a changed line can be forgotten."""

    corridor: Corridor
    pair: Callable[[dict, dict, Callable[[dict], None]], None]  # the session's route finder
    routes: dict[str, Route] = field(default_factory=dict)
    route_facts: dict[str, list[dict]] = field(default_factory=dict)  # line id -> asserted route/cand facts
    cands: set[str] = field(default_factory=set)
    refusals: dict[tuple[str, str], Refusal] = field(default_factory=dict)
    alerts: set[Alert] = field(default_factory=set)

    def candidate(self, key: str, fact: dict) -> None:
        self.cands.add(key)
        route = self.routes[key]
        for line_id in (route.supply, route.demand):
            self.route_facts.setdefault(line_id, []).append(fact)

    def refuse(self, key: str, reason: str, rule: str, limit: float) -> None:
        self.refusals[(key, reason)] = Refusal(self.routes[key], reason, rule, limit)

    def alert(self, alert: Alert) -> None:
        self.alerts.add(alert)


def _day(d: date | None) -> int:
    return d.toordinal() if d is not None else NEVER


class CorridorEngine:
    """One session of the corridor's compiled ruleset; use as a context manager."""

    def __init__(self, corridor: Corridor, as_of: date):
        self.corridor = corridor
        self.as_of = as_of
        self.name = f"cgc-corridor-{corridor.meta.id}-{corridor.version}"
        self.max_km = thresholds(corridor)["route_leg_km"]
        rete.register(self.name, compile_rules(corridor))
        self.sink = _Sink(corridor, self._on_pair)
        self.session = rete.Session(self.name, self.sink)
        self.facts: dict[str, dict] = {}  # current fact per subject id
        self.lines: dict[str, Line] = {}
        self.projects: dict[str, Project] = {}
        self.arrivals: dict[str, HubArrival] = {}
        self.posted = 0

    # ------------------------------------------------------------------ facts

    def _put(self, key: str, fact: dict) -> None:
        old = self.facts.pop(key, None)
        if old is not None:
            self.session.retract_fact(old)
        self.facts[key] = fact
        self.session.assert_fact(fact)
        self.posted += 1

    def _project_fact(self, p: Project) -> dict:
        demo = p.phase("demolition")
        published = p.inventory_published if p.inventory_published and p.inventory_published <= self.as_of else None
        return {"t": "project", "key": p.id, "demo_start": _day(demo.window.start) if demo else 0,
                "inventory": _day(published)}

    def _line_fact(self, line: Line) -> dict:
        place = self.corridor.projects[line.project].place
        where = {"lat": place.lat, "lon": place.lon}
        if isinstance(line, Supply):
            return {"t": "supply", "key": line.id, "cat": line.category, "rank": line.condition.rank,
                    "a_from": _day(line.available.start), "a_to": _day(line.available.end), **where}
        return {"t": "demand", "key": line.id, "cat": line.category, "min_rank": line.min_quality.rank,
                "n_from": _day(line.needed.start), "n_to": _day(line.needed.end), **where}

    def _forget_routes(self, line_id: str) -> None:
        """Drop what a line's old version produced before its new version goes in."""
        facts = self.sink.route_facts.pop(line_id, [])
        alive = {f["key"] for f in facts if f["key"] in self.sink.routes}  # not forgotten through the other line
        for fact in facts:
            if fact["key"] in alive:
                self.session.retract_fact(fact)
        for key in alive:
            self.sink.routes.pop(key)
            self.sink.cands.discard(key)
            for reason in ("distance", "time"):
                self.sink.refusals.pop((key, reason), None)

    # ------------------------------------------------------------------ posting

    def add_project(self, p: Project) -> None:
        self.projects[p.id] = p
        self._put(p.id, self._project_fact(p))

    def add_hub(self, hub_id: str) -> None:
        h = self.corridor.hubs[hub_id]
        self._put(f"hub:{h.id}", {"t": "hub", "key": h.id, "max_storage": h.max_storage_days})

    def add_line(self, line: Line) -> None:
        self._forget_routes(line.id)
        self.lines[line.id] = line
        self._put(line.id, self._line_fact(line))

    def load_all(self) -> None:
        """Hubs, projects and lines in one batch (`assert_facts`), then the dated events in order."""
        self.projects.update(self.corridor.projects)
        self.lines.update({ln.id: ln for ln in (*self.corridor.supply, *self.corridor.demand)})
        batch = {f"hub:{h.id}": {"t": "hub", "key": h.id, "max_storage": h.max_storage_days}
                 for h in self.corridor.hubs.values()}
        batch.update({p.id: self._project_fact(p) for p in self.corridor.projects.values()})
        batch.update({ln_id: self._line_fact(ln) for ln_id, ln in self.lines.items()})
        self.facts.update(batch)
        self.session.assert_facts([batch[k] for k in sorted(batch)])
        self.posted += len(batch)
        for ev in sorted(self.corridor.events, key=lambda ev: ev.day):
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
            self.add_line(line.model_copy(update={field_name: event.window}))
        elif isinstance(event, InventoryPublished):
            self.add_project(self.projects[event.project].model_copy(update={"inventory_published": event.day}))
        elif isinstance(event, HubArrival):
            self.arrivals[event.id] = event
            self._put(f"arrival:{event.id}", {"t": "arrival", "key": event.id, "hub": event.hub,
                                              "day": _day(event.day), "departed": _day(event.departed)})

    def finish(self) -> Findings:
        """Put in the hub stocks and the clock of `as_of`; return the findings, sorted."""
        today = _day(self.as_of)
        for hub in self.corridor.hubs.values():
            stock = sum(a.tonnes for a in self.arrivals.values()
                        if a.hub == hub.id and a.day <= self.as_of and (a.departed is None or a.departed > self.as_of))
            self._put(f"stock:{hub.id}", {"t": "stock", "key": hub.id, "tonnes": round(stock, 3), "capacity": hub.capacity_t})
        self._put("clock", {"t": "clock", "key": "clock", "day": today})
        s = self.sink
        return Findings(candidates=sorted(s.routes[k] for k in s.cands),
                        refusals=sorted(s.refusals.values()), alerts=sorted(s.alerts), as_of=self.as_of,
                        events=self.posted)

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> "CorridorEngine":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ the pair action

    def _on_pair(self, sup: dict, dem: dict, add: Callable[[dict], None]) -> None:
        """Routes for one supply and demand pair of the same category and a good enough quality."""
        sink = self.sink
        s_line, d_line = self.lines[sup["key"]], self.lines[dem["key"]]
        a, b = self.corridor.projects[s_line.project].place, self.corridor.projects[d_line.project].place
        direct = haversine_km(a.lat, a.lon, b.lat, b.lon)
        gap = dem["n_from"] - sup["a_to"]
        late = sup["a_from"] - dem["n_to"]
        max_km = self.max_km
        routes = [("", round(direct, 1), round(direct, 1), max(gap, 0), 0)]
        if gap > 0 or direct > max_km:
            legs = []
            for hub in sorted(self.corridor.hubs.values(), key=lambda h: h.id):
                l1 = haversine_km(a.lat, a.lon, hub.place.lat, hub.place.lon)
                l2 = haversine_km(hub.place.lat, hub.place.lon, b.lat, b.lon)
                legs.append((round(max(l1, l2), 1), round(l1 + l2, 1), hub))
            near = [x for x in legs if x[0] <= max_km] or sorted(legs, key=lambda x: (x[0], x[2].id))[:1]
            for leg, km, hub in near:  # hubs in reach; else the nearest one, to say why it fails
                routes.append((hub.id, leg, km, max(gap, 0), hub.max_storage_days))
        for via, leg, km, storage, max_storage in routes:
            route = Route(sup["key"], dem["key"], via, leg, km, storage)
            sink.routes[route.key] = route
            fact = {"t": "route", "key": route.key, "supply": route.supply, "via": via, "leg_km": leg,
                    "gap": gap, "late": late, "max_storage": max_storage}
            for line_id in (route.supply, route.demand):
                sink.route_facts.setdefault(line_id, []).append(fact)
            add(fact)


def load_events(corridor: Corridor) -> list[Callable[[CorridorEngine], None]]:
    """The corridor as single postings: hubs, projects, lines, then its dated events in order."""
    steps: list[Callable[[CorridorEngine], None]] = []
    steps += [lambda e, h=h: e.add_hub(h) for h in sorted(corridor.hubs)]
    steps += [lambda e, p=p: e.add_project(p) for _, p in sorted(corridor.projects.items())]
    steps += [lambda e, ln=ln: e.add_line(ln) for ln in sorted([*corridor.supply, *corridor.demand], key=lambda x: x.id)]
    steps += [lambda e, ev=ev: e.post(ev) for ev in sorted(corridor.events, key=lambda ev: ev.day)]
    return steps


def run(corridor: Corridor, as_of: date) -> Findings:
    """Load the whole corridor into a fresh session at once and return its findings."""
    with CorridorEngine(corridor, as_of) as engine:
        engine.load_all()
        return engine.finish()
