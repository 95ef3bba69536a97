"""Monitoring jobs: the GMR's monitoring figures over the store, for `cgc monitor` and the web's monitoring page."""

from __future__ import annotations

from ..monitor.charts import origin_trend
from ..monitor.figures import GOAL_SHARE, GOAL_YEAR, Filters
from ..monitor.run import from_store
from ..monitor.views import Figures
from ..store.store import Store
from ..submission import ProjectType

__all__ = ["PROJECT_TYPES", "Figures", "figures", "origin_chart"]

PROJECT_TYPES = tuple(t.value for t in ProjectType)  # the project types the figures can be filtered on


def figures(
    store: Store,
    lang: str,
    *,
    year: int | None = None,
    region: str | None = None,
    municipality: str | None = None,
    project_type: str | None = None,
) -> Figures:
    """The figures of the recorded evaluations and self-assessments that meet every filter given
    (trends still show every year)."""
    return Figures(from_store(store, Filters(year, region, municipality, project_type)), lang)


def origin_chart(f: Figures) -> bytes | None:
    """The responsible-origin trend against the 2030 goal as SVG; None when there is no trend to draw."""
    trend = f.data["trend"]
    return origin_trend(trend, GOAL_SHARE, GOAL_YEAR).svg if trend else None
