"""Corridor jobs: the matches of a corridor on a day, its calendar pages, and posting events to it.

The CLI (`cgc corridor`) and the web's corridor page both call these; neither runs the engine
itself. The rules engine runs in its own process (`corridor.rete`), started here before a corridor is
loaded so that its start-up overlaps the loading. Posting is serialised here, so two posts never
append to one events file at the same time.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from ..corridor.allocate import allocate
from ..corridor.engine import current
from ..corridor.findings import Alert, Refusal, Route
from ..corridor.index import refusal_columns
from ..corridor.load import load_corridor, resolve_dir
from ..corridor.model import Demand, LinePut, Supply
from ..corridor.rete import start as start_engine
from ..corridor.store import post as post_events
from ..corridor.views import (
    TABLE_ROWS,
    CalendarView,
    MatchView,
    alert_lines,
    calendar_html,
    calendar_pages,
    json_chunks,
    unmatched_refusals,
)
from ..numbers import notation
from ..resources import bundled

__all__ = [
    "TABLE_ROWS",
    "CalendarView",
    "MatchView",
    "Posted",
    "CALENDAR_PROJECTS",
    "calendar",
    "calendar_page",
    "calendar_pages_of",
    "categories",
    "corridors",
    "directory",
    "json_chunks",
    "match",
    "post",
    "seeded",
    "unmatched_refusals",
]

_FILES = threading.Lock()  # posting and seeding write files: one at a time


def directory(ref: str) -> Path:
    """A corridor given as a directory, or by name among the bundled corridors."""
    return resolve_dir(ref, Path(str(bundled("corridors"))))


def seeded(base: Path) -> Path:
    """`base` as a corridors directory, seeded with a copy of the bundled corridors when it does not exist yet."""
    with _FILES:
        if not base.exists():
            shutil.copytree(Path(str(bundled("corridors"))), base)
    return base


def corridors(base: Path) -> list[str]:
    """The names of the corridors in `base`, sorted."""
    return sorted(p.name for p in base.iterdir() if p.is_dir() and any(p.glob("corridor.*")))


_CATEGORIES: dict[Path, tuple[tuple[tuple[str, int, int, int], ...], list[str]]] = {}
"""`categories` per corridor directory, with the stamp of its files it was read from."""


def categories(corridor_dir: Path) -> list[str]:
    """The material categories the corridor knows: of its inventory lines, of lines posted as events and of its
    hubs' processing (a line of any other category can never be matched). Kept per directory until one of its
    files changes (name, inode, modification time or size: a post replaces the events file)."""
    key = corridor_dir.resolve()
    stamp = _stamp(key)
    kept = _CATEGORIES.get(key)
    if kept is not None and kept[0] == stamp:
        return list(kept[1])
    corridor = load_corridor(corridor_dir)
    found = {ln.category for ln in (*corridor.supply, *corridor.demand)}
    found |= {e.line.category for e in corridor.events if isinstance(e, LinePut)}
    found |= {r.category for hub in corridor.hubs.values() for r in hub.raises}
    known = sorted(found)
    _CATEGORIES[key] = (stamp, known)
    return list(known)


def _stamp(corridor_dir: Path) -> tuple[tuple[str, int, int, int], ...]:
    """The name, inode, modification time (ns) and size of each file in the corridor directory, sorted by name."""
    out = []
    for path in sorted(corridor_dir.iterdir()):
        st = path.stat()
        out.append((path.name, st.st_ino, st.st_mtime_ns, st.st_size))
    return tuple(out)


def match(corridor_dir: Path, as_of: date, lang: str) -> MatchView:
    """The corridor with its events up to `as_of`: candidate routes, refusals, alerts and allocations (least tonne-km)."""
    start_engine()  # its start overlaps the loading
    corridor, findings = current(load_corridor(corridor_dir), as_of)
    return MatchView(corridor, findings, allocate(corridor, findings.candidates), lang)


def calendar(corridor_dir: Path, as_of: date, lang: str, view: CalendarView, stem: str) -> list[tuple[str, str]]:
    """The calendar page(s) of the corridor as of `as_of`: (file name, HTML) per page, names built on `stem`."""
    m = match(corridor_dir, as_of, lang)
    return calendar_pages(m.corridor, m.findings, m.allocations, lang, view, stem)


CALENDAR_PROJECTS = 10
"""Projects on one page of the web's calendar: at 40 lines a project, a page of about 400 lines and their
allocations, refusals and alerts (a corridor of 20,000 lines on one page is about 20 MB)."""


def calendar_pages_of(view: MatchView, cal: CalendarView) -> list[list[str]]:
    """The project ids of each page of the calendar `cal` of `view`, as `cgc corridor calendar` pages it: the
    projects of `cal.partner` with lines of `cal.category` whose window meets the period (every project of the
    partner when nothing filters), `cal.per_page` a page in project id order."""
    kept = {ln.project for ln in _lines_shown(view, cal)} if cal.filtered else view.corridor.projects
    projects = sorted(kept)
    per = cal.per_page or max(len(projects), 1)
    return [projects[i : i + per] for i in range(0, len(projects), per)] or [[]]


def calendar_page(view: MatchView, cal: CalendarView, number: int, href: Callable[[int], str]) -> str:
    """Page `number` (from 1) of the calendar `cal` of `view` (`calendar_pages_of`): the timelines of its projects'
    lines that `cal` keeps, the allocations, refusals and alerts of those lines (and the hubs' alerts), a map of
    the projects and the hubs, and a line naming the filter and the page with links `href(page)` to the pages
    before and after: the page `cgc corridor calendar` writes, but for those links. A calendar of one page that
    nothing filters is the whole calendar, as `MatchView.page` (no such line)."""
    chunks = calendar_pages_of(view, cal)
    if len(chunks) == 1 and not cal.filtered:
        return view.page()
    corridor, findings = view.corridor, view.findings
    keep = set(chunks[number - 1])
    lines = [ln for ln in _lines_shown(view, cal) if ln.project in keep]
    part = replace(
        corridor,
        projects={pid: p for pid, p in corridor.projects.items() if pid in keep},
        supply=[ln for ln in lines if isinstance(ln, Supply)],
        demand=[ln for ln in lines if isinstance(ln, Demand)],
    )
    ids = {ln.id for ln in lines}
    found = replace(
        findings,
        candidates=[r for r in findings.candidates if r.supply in ids or r.demand in ids],
        refusals=_refusals_of(findings.refusals, ids),
        alerts=[
            a
            for a in findings.alerts
            if a.subject in ids or a.subject in keep or a.kind in ("hub_over_capacity", "stored_too_long")
        ],
    )
    allocations = [a for a in view.allocations if a.route.supply in ids or a.route.demand in ids]
    n = notation(view.lang)
    nav = {
        "page": number,
        "pages": len(chunks),
        "shown": len(keep),
        "total": len(corridor.projects),
        "previous": href(number - 1) if number > 1 else None,
        "next": href(number + 1) if number < len(chunks) else None,
        "partner": cal.partner,
        "category": cal.category,
        "start": n.date(cal.start) if cal.start else None,
        "end": n.date(cal.end) if cal.end else None,
    }
    return calendar_html(part, found, allocations, view.lang, nav)


def _lines_shown(view: MatchView, cal: CalendarView) -> list[Supply | Demand]:
    """The supply, then the demand lines of projects of `cal.partner`, of `cal.category`, whose window meets the
    period of `cal`."""
    corridor = view.corridor

    def shown(ln: Supply | Demand) -> bool:
        w = ln.available if isinstance(ln, Supply) else ln.needed
        return (
            (cal.category is None or ln.category == cal.category)
            and (cal.start is None or w.end >= cal.start)
            and (cal.end is None or w.start <= cal.end)
            and cal.partner in (None, corridor.projects[ln.project].partner)
        )

    return [*(ln for ln in corridor.supply if shown(ln)), *(ln for ln in corridor.demand if shown(ln))]


def _refusals_of(refusals: Sequence[Refusal], ids: set[str]) -> list[Refusal]:
    """The refusals of routes with a line among `ids`, in their order; read as columns, so that only these are
    made records (a corridor of 20,000 lines has about 100,000)."""
    out = []
    for c in refusal_columns(refusals):
        for i, (s, d) in enumerate(zip(c.supply, c.demand, strict=True)):
            if s in ids or d in ids:
                route = Route(s, d, c.via[i], c.leg_km[i], c.km[i], c.storage_days[i], c.raised[i])
                out.append(Refusal(route, c.reason[i], c.rule[i], c.limit[i]))
    return out


@dataclass(frozen=True)
class Posted:
    """Events appended to a corridor's events file, and the alerts of the corridor afterwards (when asked)."""

    events: int
    target: Path
    alerts: list[Alert]

    def alert_lines(self, lang: str) -> list[str]:
        return alert_lines(self.alerts, lang)


def post(corridor_dir: Path, events: Path | dict[str, Any], as_of: date | None = None) -> Posted:
    """Check the event(s) (a YAML or JSON file, or one event or `events:` as data) against the corridor and
    append them to its events file atomically; with `as_of`, run the corridor and keep its alerts on that day."""
    with _FILES:
        if isinstance(events, Path):
            _, posted, target = post_events(corridor_dir, events)
        else:
            with tempfile.TemporaryDirectory(prefix="cgc-post-") as tmp:
                path = Path(tmp) / "events.json"
                path.write_text(json.dumps(events, ensure_ascii=False), encoding="utf-8")
                _, posted, target = post_events(corridor_dir, path)
    alerts = current(load_corridor(corridor_dir), as_of)[1].alerts if as_of is not None else []
    return Posted(len(posted), target, alerts)
