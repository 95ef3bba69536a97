"""The corridor's lines for one project as the tender templates show them: numbers and dates in Dutch notation.

Receiver: the schedule of *beschikbaar gestelde materialen* (one row per allocation on the tender date).
Donor: the release obligations (one row per supply line, with the hub or project it goes to).
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ..corridor.model import Window
from ..corridor.tenderlink import CorridorLink
from ..i18n import has, text
from ..numbers import notation
from .wording import say

N = notation("nl")


def _window(w: Window) -> str:
    return f"{N.date(w.start)} t/m {N.date(w.end)}"


def _quality(q: str) -> str:
    return say(f"documents.corridor.quality.{q}")


def _category(category: str) -> str:
    """A material category in Dutch, as the corridor page names it; a category without a name as given."""
    key = f"web.corridor.category.{category}"
    return text("nl", key) if has("nl", key) else category


@dataclass(frozen=True)
class ScheduleRow:
    """One offered line as the schedule prints it."""

    id: str
    category: str
    description: str
    quantity: str
    quality: str
    certification: str
    hub: str
    window: str
    owner: str


@dataclass(frozen=True)
class ReleaseRow:
    """One line the donor's contractor must release, and where it goes."""

    id: str
    category: str
    description: str
    quantity: str
    condition: str
    certification: str
    window: str
    destination: str


@dataclass(frozen=True)
class CorridorView:
    """What the corridor partials read: the corridor, the tender date, offered and released lines."""

    name: str
    id: str
    example: bool
    as_of: str
    project: str
    offered: list[ScheduleRow]
    total: str
    released: list[ReleaseRow]
    inventory_due: str
    notice: Markup


def _destination(line_dests: list[tuple[str, str, float]]) -> str:
    if not line_dests:
        return say("documents.corridor.not_taken")
    return "; ".join(
        say("documents.corridor.to_hub" if hub else "documents.corridor.to_direct", hub=hub, project=p, t=N.num(t, 1))
        for hub, p, t in line_dests
    )


def corridor_view(link: CorridorLink | None) -> CorridorView | None:
    """The template view of `link` (None when the set is made without a corridor)."""
    if link is None:
        return None
    none = say("documents.corridor.none")
    offered = [
        ScheduleRow(
            o.id,
            _category(o.category),
            o.description,
            f"{N.num(o.tonnes, 1)} t",
            _quality(o.quality),
            o.certification or none,
            o.hub or say("documents.corridor.direct"),
            _window(o.window),
            o.owner,
        )
        for o in link.offered
    ]
    released = [
        ReleaseRow(
            r.supply,
            _category(r.category),
            r.description,
            f"{N.num(r.quantity, 1)} t",
            _quality(r.condition),
            r.certification or none,
            _window(r.window),
            _destination([(d.hub, d.project, d.tonnes) for d in r.destinations]),
        )
        for r in link.released
    ]
    if link.notice_weeks is None:
        notice = Markup("")
    elif link.notice_example:
        label = say("documents.corridor.notice_label")
        notice = Markup('<ex label="{}">{}</ex>').format(label, f"{N.num(link.notice_weeks, 0)} weken")
    else:
        notice = Markup("{}").format(f"{N.num(link.notice_weeks, 0)} weken")
    return CorridorView(
        name=link.corridor_name,
        id=link.corridor,
        example=link.example,
        as_of=N.date(link.as_of),
        project=link.project_name,
        offered=offered,
        total=f"{N.num(sum(o.tonnes for o in link.offered), 1)} t",
        released=released,
        inventory_due=N.date(link.inventory_due) if link.inventory_due else "",
        notice=notice,
    )
