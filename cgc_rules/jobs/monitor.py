"""Monitoring jobs: the GMR's monitoring figures over the store, for `cgc monitor` and the web's monitoring page."""

from __future__ import annotations

import statistics
from typing import Any

from ..monitor.charts import growth, mki_distribution, origin_trend, projects_label, rule_rates, spinnenweb
from ..monitor.figures import GOAL_SHARE, GOAL_YEAR, Filters
from ..monitor.run import choices, from_store
from ..monitor.texts import PROJECT_TYPES as PROJECT_TYPE_NAMES
from ..monitor.views import Figures
from ..project_types import ProjectType
from ..store.store import Store

__all__ = [
    "PROJECT_TYPES",
    "Figures",
    "choices",
    "figures",
    "mki_by_type",
    "mki_chart",
    "municipality_charts",
    "origin_chart",
    "rules_chart",
]

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


def mki_chart(f: Figures) -> bytes | None:
    """Each project's MKI per project type as SVG; None when no project has an MKI."""
    values = f.data["mki_values"]
    return mki_distribution(values).svg if values else None


def mki_by_type(f: Figures) -> list[dict[str, Any]]:
    """Per project type, as the MKI chart orders them: its name, its projects with an MKI (in words), and their
    lowest, median and highest MKI (the chart in words, for its text alternative)."""
    return [
        {
            "type": PROJECT_TYPE_NAMES.get(kind, kind),
            "projects": projects_label(len(vals)),
            "low": min(vals),
            "median": statistics.median(vals),
            "high": max(vals),
        }
        for kind, (vals, _) in f.data["mki_values"].by_type().items()
    ]


def rules_chart(f: Figures) -> bytes | None:
    """The compliance rate per rule over every project of the latest year shown, as SVG; None when no rule was
    judged."""
    overall = [r for r in f.data["rows"] if r["municipality"] is None and r["project_type"] is None]
    return rule_rates(overall[-1]["rules"]).svg if overall and overall[-1]["rules"] else None


def municipality_charts(f: Figures, name: str) -> tuple[bytes, bytes] | None:
    """The spinnenweb and the growth levels of municipality `name` over the years of its self-assessments, as SVG
    (the yearly report's two charts of a municipality); None when it has no dated self-assessment."""
    history = sorted((m for m in f.data["municipalities"] if m["name"] == name and m["year"]), key=lambda m: m["year"])
    if not history:
        return None
    radar = spinnenweb({m["year"]: m["spinnenweb"] for m in history})
    return radar.svg, growth({m["year"]: m["elements"] for m in history}).svg
