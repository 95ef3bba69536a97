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
from collections import OrderedDict
from collections.abc import Callable
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
    Paged,
    alert_lines,
    calendar_paged,
    calendar_pages,
    json_chunks,
    unmatched_refusals,
)
from ..resources import bundled

__all__ = [
    "TABLE_ROWS",
    "CalendarView",
    "MatchView",
    "Paged",
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
    "match_kept",
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


Stamp = tuple[tuple[str, int, int, int], ...]


def _stamp(corridor_dir: Path) -> Stamp:
    """The name, inode, modification time (ns) and size of each file in the corridor directory, sorted by name."""
    return _stamps(sorted(corridor_dir.iterdir()), corridor_dir)


def _stamps(paths: list[Path], root: Path) -> Stamp:
    """The path (from `root`), inode, modification time (ns) and size of each file of `paths`, in their order."""
    out = []
    for path in paths:
        st = path.stat()
        out.append((str(path.relative_to(root)), st.st_ino, st.st_mtime_ns, st.st_size))
    return tuple(out)


def match(corridor_dir: Path, as_of: date, lang: str) -> MatchView:
    """The corridor with its events up to `as_of`: candidate routes, refusals, alerts and allocations (least tonne-km)."""
    start_engine()  # its start overlaps the loading
    corridor, findings = current(load_corridor(corridor_dir), as_of)
    return MatchView(corridor, findings, allocate(corridor, findings.candidates), lang)


VIEWS_KEPT = 2
"""Matches `match_kept` keeps (the most recently asked): a corridor of 20,000 lines takes about 0.15 GB."""

_VIEWS: OrderedDict[tuple[Path, date, str], tuple[Stamp, MatchView]] = OrderedDict()
_VIEWS_LOCK = threading.Lock()


def match_kept(corridor_dir: Path, as_of: date, lang: str) -> MatchView:
    """`match`, kept per directory, day and language until a file it was read from changes (the corridor's files
    and the rules-of-play rulesets beside it): the web's pages, where turning a page of a large corridor's calendar
    must not match the whole corridor again. The last `VIEWS_KEPT` are kept."""
    key = (corridor_dir.resolve(), as_of, lang)
    stamp = _read_from(key[0])
    with _VIEWS_LOCK:
        kept = _VIEWS.get(key)
        if kept is not None and kept[0] == stamp:
            _VIEWS.move_to_end(key)
            return kept[1]
    view = match(corridor_dir, as_of, lang)
    with _VIEWS_LOCK:
        _VIEWS[key] = (stamp, view)
        _VIEWS.move_to_end(key)
        while len(_VIEWS) > VIEWS_KEPT:
            _VIEWS.popitem(last=False)
    return view


def _read_from(corridor_dir: Path) -> Stamp:
    """The stamp of what a match reads: the corridor's files, and the rulesets directory beside it
    (`load.load_corridor` reads its rules of play there)."""
    rulesets = corridor_dir.parent / "rulesets"
    files = sorted(p for p in rulesets.rglob("*") if p.is_file()) if rulesets.is_dir() else []
    return _stamp(corridor_dir) + _stamps(files, corridor_dir.parent)


def calendar(corridor_dir: Path, as_of: date, lang: str, view: CalendarView, stem: str) -> list[tuple[str, str]]:
    """The calendar page(s) of the corridor as of `as_of`: (file name, HTML) per page, names built on `stem`."""
    m = match(corridor_dir, as_of, lang)
    return calendar_pages(
        m.corridor, m.findings, m.allocations, lang, view, lambda k: f"{stem}.html" if k == 1 else f"{stem}-{k}.html"
    )


CALENDAR_PROJECTS = 10
"""Projects on one page of the web's calendar: at 40 lines a project, a page of about 400 lines and their
allocations, refusals and alerts (a corridor of 20,000 lines on one page is about 20 MB)."""


def calendar_pages_of(view: MatchView, cal: CalendarView) -> Paged:
    """The lines of the calendar `cal` of `view` and the project ids of each of its pages, as `cgc corridor
    calendar` pages it."""
    return calendar_paged(view.corridor, cal)


def calendar_page(view: MatchView, cal: CalendarView, paged: Paged, number: int, href: Callable[[int], str]) -> str:
    """Page `number` (from 1) of the calendar `cal` of `view` (paged as `paged`), with links `href(page)` to the
    pages before and after: the page `cgc corridor calendar` writes, but for those links. A calendar of one page
    that nothing filters is the whole calendar, as `MatchView.page` (no line naming the page)."""
    if len(paged.chunks) == 1 and not cal.filtered:
        return view.page()
    return calendar_pages(view.corridor, view.findings, view.allocations, view.lang, cal, href, [number], paged)[0][1]


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
