"""The yearly evaluation report of a region: the figures of every year in the store, built into one document."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from ..documents.printable import Printable
from ..errors import CgcError
from ..i18n import text
from ..monitor.figures import Filters
from ..monitor.report import build_report, choose_region
from ..monitor.run import from_store
from ..profile import load_profile, profile_path
from ..store.store import Store

__all__ = ["HOUSE_STYLE", "Printable", "yearly_report"]

HOUSE_STYLE = "gmr-voorbeeld-profiel-1"  # the profile whose house style the report takes unless told otherwise


def yearly_report(
    store: Store,
    house_style: str = HOUSE_STYLE,
    *,
    year: int | None = None,
    region: str | None = None,
    municipality: str | None = None,
    project_type: str | None = None,
    corridor: Path | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> Printable:
    """The yearly evaluation of `region` (required when the store holds several) for `year` (default: the
    latest year in the store), read by `municipality` (itself by name, the others only by GMR profile),
    over the records of `project_type` (default: all); in the house style of profile `house_style`. With
    `corridor` (a corridor directory) a chapter shows what it allocated by the end of the year, with a map.
    `progress` hears (steps done, steps, the next step in Dutch) before each step."""
    if progress:
        progress(0, 2, text("nl", "monitor.report.step.read"))
    lp = load_profile(profile_path(house_style, None))
    data = from_store(store, Filters(project_type=project_type))  # every year and region: the document picks
    region = choose_region(data, region)
    years = [t["year"] for t in data["trend"]] + [m["year"] for m in data["municipalities"]]
    year = year or max(years, default=None)
    if year is None:
        raise CgcError("the store holds nothing to report on")
    if progress:
        progress(1, 2, text("nl", "monitor.report.step.build"))
    document = build_report(data, year, region, municipality, lp.profile.id, lp.profile.name)
    if corridor is not None:
        from ..corridor.yearly import corridor_section
        from .corridor_flows import corridor_flows

        cf = corridor_flows(corridor, date(year, 12, 31))
        number = str(sum(1 for s in document.sections if not s.annex) + 1)
        section = corridor_section(number, cf.corridor, year, cf.figures, cf.chart, cf.map)
        document.sections.insert(int(number) - 1, section)
    if progress:
        progress(2, 2, text("nl", "monitor.report.step.build"))
    return Printable(document, lp)
