"""Reading a corridor directory: its files, cross-references and resolved rules of play."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TypeVar

from ..collector import collector_paused
from ..errors import CgcError, Problem, display_path
from ..fields import MAX_PARAMETER
from ..lint import load_checked
from ..loading.document import Document
from ..loading.models import load_model
from ..ruleset import Kind, LoadedRuleset, Text
from .model import (
    CorridorFile,
    Demand,
    Event,
    EventsFile,
    Hub,
    HubArrival,
    InventoryFile,
    LinePut,
    Project,
    ProjectsFile,
    Supply,
)


@dataclass(frozen=True)
class Parameter:
    """A rule-of-play value as the engine uses it, with where it came from."""

    name: str
    value: bool | float
    unit: str | None
    example: bool  # a fill-in example value, not policy
    origin: str  # the ruleset source, or the corridor file that filled it in
    description: Text


MAX_LINES = 200_000
"""Most supply and demand lines in one corridor's inventory: twice the largest benchmark corridor."""


@dataclass
class Corridor:
    """Everything in one corridor directory, validated and cross-checked."""

    meta: CorridorFile
    rules: LoadedRuleset
    parameters: dict[str, Parameter]
    projects: dict[str, Project]
    hubs: dict[str, Hub]
    supply: list[Supply]
    demand: list[Demand]
    events: list[Event] = field(default_factory=list)
    sha256: str = ""

    @property
    def version(self) -> str:
        """Short hash of every file read: a new version of the data or rules gives a new value."""
        return self.sha256[:12]

    def param(self, name: str) -> bool | float:
        return self.parameters[name].value


def find_file(d: Path, stem: str) -> Path | None:
    """`stem.json` (read by pydantic's JSON parser) or `stem.yaml`, whichever the directory has."""
    return next((d / f"{stem}.{ext}" for ext in ("json", "yaml") if (d / f"{stem}.{ext}").exists()), None)


def resolve_dir(name_or_path: str, root: Path | None = None) -> Path:
    """A corridor given as a directory path, or by name under `corridors/`."""
    p = Path(name_or_path)
    if find_file(p, "corridor") is None and root is not None and find_file(root / name_or_path, "corridor"):
        p = root / name_or_path
    if find_file(p, "corridor") is None:
        raise CgcError(Problem("not a corridor: no corridor.yaml in this directory", display_path(p)))
    return p


def load_corridor(directory: str | Path) -> Corridor:
    """Load and cross-check a corridor; every problem names file, line and column."""
    with collector_paused():
        return _load(Path(directory))


def _load(d: Path) -> Corridor:
    digest = hashlib.sha256()
    meta, mdoc, h = load_model(find_file(d, "corridor") or d / "corridor.yaml", CorridorFile)
    digest.update(h.encode())
    projects, pdoc, h = load_model(find_file(d, "projects") or d / "projects.yaml", ProjectsFile)
    digest.update(h.encode())
    inv, idoc, h = load_model(find_file(d, "inventory") or d / "inventory.yaml", InventoryFile)
    digest.update(h.encode())
    events: EventsFile = EventsFile()
    edoc = None
    if (path := find_file(d, "events")) is not None:
        events, edoc, h = load_model(path, EventsFile)
        digest.update(h.encode())
    rules = _load_rules(d, meta, mdoc)
    digest.update(rules.sha256.encode())
    problems: list[Problem] = []
    parameters = _parameters(meta, mdoc, rules, problems)
    partners = _unique(meta.partners, mdoc, ("partners",), problems)
    hubs = _unique(meta.hubs, mdoc, ("hubs",), problems)
    pmap = _unique(projects.projects, pdoc, ("projects",), problems)
    for i, p in enumerate(projects.projects):
        if p.partner not in partners:
            problems.append(pdoc.problem(("projects", i, "partner"), f"unknown partner {p.partner!r}"))
    if len(inv.supply) + len(inv.demand) > MAX_LINES:
        problems.append(
            idoc.problem(
                (),
                f"{len(inv.supply) + len(inv.demand):,} supply and demand lines, more than the limit of "
                f"{MAX_LINES:,} for one corridor; split it by region or by category",
            )
        )
    lines = _unique(
        [*inv.supply, *inv.demand],
        idoc,
        (),
        problems,
        locs=[*(("supply", i) for i in range(len(inv.supply))), *(("demand", i) for i in range(len(inv.demand)))],
    )
    for kind, items in (("supply", inv.supply), ("demand", inv.demand)):
        for i, line in enumerate(items):
            proj = pmap.get(line.project)
            if proj is None:
                problems.append(idoc.problem((kind, i, "project"), f"unknown project {line.project!r}"))
            elif kind == "supply" and proj.role.value == "receiver" or kind == "demand" and proj.role.value == "donor":
                problems.append(
                    idoc.problem(
                        (kind, i, "project"),
                        f"project {line.project!r} is a {proj.role.value}; it cannot {'supply' if kind == 'supply' else 'ask for'} material",
                    )
                )
    if edoc is not None:
        check_events(events, edoc, pmap, hubs, lines, problems)
    if problems:
        raise CgcError(problems)
    return Corridor(
        meta=meta,
        rules=rules,
        parameters=parameters,
        projects=pmap,
        hubs=hubs,
        supply=list(inv.supply),
        demand=list(inv.demand),
        events=list(events.events),
        sha256=digest.hexdigest(),
    )


def _load_rules(d: Path, meta: CorridorFile, mdoc: Document) -> LoadedRuleset:
    rid, _, version = meta.rules_of_play.ruleset.partition("@")
    path = d.resolve().parent / "rulesets" / rid / f"{version}.yaml"
    if not path.exists():
        raise CgcError(mdoc.problem(("rules_of_play", "ruleset"), f"no ruleset file {display_path(path)}"))
    rules = load_checked(path)
    if rules.ruleset.kind is not Kind.corridor:
        raise CgcError(
            mdoc.problem(
                ("rules_of_play", "ruleset"), f"ruleset {rid} is of kind {rules.ruleset.kind.value}, not corridor"
            )
        )
    return rules


def _parameters(
    meta: CorridorFile, mdoc: Document, rules: LoadedRuleset, problems: list[Problem]
) -> dict[str, Parameter]:
    """Ruleset values where a source gives one; the corridor's flagged fill-ins elsewhere."""
    rs = rules.ruleset
    out: dict[str, Parameter] = {}
    fills = meta.rules_of_play.values
    for name in fills:
        if name not in rs.parameters:
            problems.append(mdoc.problem(("rules_of_play", "values", name), f"{rs.ref} has no parameter {name!r}"))
    for name, p in sorted(rs.parameters.items()):
        fill = fills.get(name)
        if p.value is not None and fill is not None:
            problems.append(
                mdoc.problem(
                    ("rules_of_play", "values", name),
                    f"{name} is set by {rs.ref} ({p.value!r}); a corridor cannot override it",
                )
            )
        elif p.value is not None:
            if not isinstance(p.value, (bool, int, float)):
                problems.append(
                    mdoc.problem(
                        ("rules_of_play", "ruleset"),
                        f"{name} is {p.value!r} in {rs.ref}: a rule of play takes a number or true/false",
                    )
                )
                continue
            out[name] = Parameter(
                name, p.value, p.unit, False, rs.sources[p.source].citation() if p.source else rs.ref, p.description
            )
        elif fill is None:
            problems.append(
                mdoc.problem(
                    ("rules_of_play", "values"),
                    f"parameter {name!r} has no value in {rs.ref}: fill it in here ({p.description.get('en')})",
                )
            )
        else:
            out[name] = Parameter(
                name,
                fill.value,
                p.unit,
                fill.example,
                f"{mdoc.path}: {fill.note or 'set by the corridor'}",
                p.description,
            )
        value = out[name].value if name in out else None
        if (
            value is not None
            and p.unit is not None
            and (isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= MAX_PARAMETER)
        ):
            where = ("rules_of_play", "values", name, "value") if fill is not None else ("rules_of_play", "ruleset")
            problems.append(
                mdoc.problem(
                    where, f"{name} is measured in {p.unit}: give a number from 0 to {MAX_PARAMETER:g} (got {value!r})"
                )
            )
    return out


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


_Item = TypeVar("_Item", bound=_Identified)
Loc = tuple[str | int, ...]


def _unique(
    items: Sequence[_Item], doc: Document, at: Loc, problems: list[Problem], locs: Sequence[Loc] | None = None
) -> dict[str, _Item]:
    out: dict[str, _Item] = {}
    for i, item in enumerate(items):
        loc = locs[i] if locs else (*at, i)
        if item.id in out:
            problems.append(doc.problem((*loc, "id"), f"duplicate id {item.id!r}"))
        out[item.id] = item
    return out


def check_events(
    events: EventsFile,
    doc: Document,
    projects: Collection[str],
    hubs: Collection[str],
    lines: Collection[str],
    problems: list[Problem],
) -> None:
    """References of the events, in order: a line put by an earlier event may be referred to later."""
    arrivals: set[str] = set()
    known = set(lines)
    for i, e in sorted(enumerate(events.events), key=lambda t: t[1].day):
        if isinstance(e, LinePut):
            side = "supply" if e.supply is not None else "demand"
            if e.line.project not in projects:
                problems.append(doc.problem(("events", i, side, "project"), f"unknown project {e.line.project!r}"))
            known.add(e.line.id)
            continue
        refs = [(f, getattr(e, f)) for f in ("project", "hub", "supply", "line") if hasattr(e, f)]
        for f, v in refs:
            table: Collection[str] = {"project": projects, "hub": hubs, "supply": known, "line": known}[f]
            if v not in table:
                problems.append(doc.problem(("events", i, f), f"unknown {f} {v!r}"))
        if isinstance(e, HubArrival):
            if e.id in arrivals:
                problems.append(doc.problem(("events", i, "id"), f"duplicate id {e.id!r}"))
            arrivals.add(e.id)
