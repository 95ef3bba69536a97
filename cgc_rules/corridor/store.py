"""Posting events to a corridor kept as files: the event is checked against the corridor and appended
to its events file atomically (a temporary file beside it, validated, then moved into place)."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

from ..errors import CgcError, Problem
from ..loading.document import Document
from ..loading.parse import expect_mapping, load, parse
from ..output import write_atomic
from .load import Corridor, check_events, find_file, load_corridor
from .model import Event, EventsFile

HEADER = "# Dated events of this corridor; `cgc corridor post` appends to this file.\nevents:\n"


def read_events(path: Path) -> tuple[EventsFile, _Within]:
    """An events file: `events: [...]`, or one event as a mapping with `type:`."""
    doc = load(path)
    data = expect_mapping(doc)
    single = "type" in data
    view = _Within(doc, {"events": [data]} if single else data, single)
    return view.validate(EventsFile), view


class _Within(Document):
    """The posted file, with problems located in it: event `shift + i` of the combined list is its event `i`."""

    def __init__(self, doc: Document, data: object, single: bool, shift: int = 0):
        super().__init__(doc.path, data, doc.text)
        self.single, self.shift = single, shift

    def shifted(self, shift: int) -> _Within:
        return _Within(self, self.data, self.single, shift)

    def problem(self, loc: Sequence[str | int], message: str) -> Problem:
        if len(loc) > 1 and loc[0] == "events" and isinstance(loc[1], int):
            loc = tuple(loc[2:]) if self.single else ("events", loc[1] - self.shift, *loc[2:])
        return super().problem(loc, message)


def post(corridor_dir: Path, event_file: Path) -> tuple[Corridor, list[Event], Path]:
    """Check the events of `event_file` against the corridor and append them to its events file."""
    corridor = load_corridor(corridor_dir)
    new, doc = read_events(event_file)
    problems: list[Problem] = []
    lines = {ln.id: ln for ln in (*corridor.supply, *corridor.demand)}
    before = EventsFile(events=[*corridor.events, *new.events])
    check_events(before, doc.shifted(len(corridor.events)), corridor.projects, corridor.hubs, lines, problems)
    if problems:
        raise CgcError(problems)
    target = find_file(corridor_dir, "events") or corridor_dir / "events.yaml"
    entries = [e.model_dump(mode="json", exclude_none=True) for e in new.events]
    if target.suffix == ".json":
        data = json.loads(target.read_text(encoding="utf-8")) if target.exists() else {"events": []}
        data["events"] = [*data.get("events", []), *entries]
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    else:
        old = target.read_text(encoding="utf-8") if target.exists() and corridor.events else HEADER
        if not old.endswith("\n"):
            old += "\n"
        indent = m.group(1) if (m := re.search(r"^( *)- ", old, re.MULTILINE)) else "  "
        text = old + "".join(f"{indent}- {json.dumps(x, ensure_ascii=False)}\n" for x in entries)
    check = parse(text, str(target))
    check.validate(EventsFile)
    write_atomic(target, text)
    return corridor, list(new.events), target
