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
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..corridor.allocate import allocate
from ..corridor.engine import current
from ..corridor.findings import Alert
from ..corridor.load import load_corridor, resolve_dir
from ..corridor.model import LinePut
from ..corridor.rete import start as start_engine
from ..corridor.store import post as post_events
from ..corridor.views import (
    TABLE_ROWS,
    CalendarView,
    MatchView,
    alert_lines,
    calendar_pages,
    json_chunks,
    unmatched_refusals,
)
from ..resources import bundled

__all__ = [
    "TABLE_ROWS",
    "CalendarView",
    "MatchView",
    "Posted",
    "calendar",
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


def categories(corridor_dir: Path) -> list[str]:
    """The material categories the corridor knows: of its inventory lines, of lines posted as events and of its
    hubs' processing (a line of any other category can never be matched)."""
    corridor = load_corridor(corridor_dir)
    found = {ln.category for ln in (*corridor.supply, *corridor.demand)}
    found |= {e.line.category for e in corridor.events if isinstance(e, LinePut)}
    found |= {r.category for hub in corridor.hubs.values() for r in hub.raises}
    return sorted(found)


def match(corridor_dir: Path, as_of: date, lang: str) -> MatchView:
    """The corridor with its events up to `as_of`: candidate routes, refusals, alerts and allocations (least tonne-km)."""
    start_engine()  # its start overlaps the loading
    corridor, findings = current(load_corridor(corridor_dir), as_of)
    return MatchView(corridor, findings, allocate(corridor, findings.candidates), lang)


def calendar(corridor_dir: Path, as_of: date, lang: str, view: CalendarView, stem: str) -> list[tuple[str, str]]:
    """The calendar page(s) of the corridor as of `as_of`: (file name, HTML) per page, names built on `stem`."""
    m = match(corridor_dir, as_of, lang)
    return calendar_pages(m.corridor, m.findings, m.allocations, lang, view, stem)


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
