"""Monitoring charts with matplotlib (Agg, imported only here), as SVG for HTML/PDF and PNG for DOCX.

Output is deterministic: a fixed SVG hash salt, no dates in the metadata, bundled DejaVu fonts.
Axis numbers use Dutch notation from `numbers.py`.
"""

from __future__ import annotations

import io
import math
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from types import ModuleType
from typing import TYPE_CHECKING, Any

from ..numbers import notation
from .texts import ELEMENTS, GROWTH, GROWTH_NAMES, PROJECT_TYPES, SPINNENWEB
from .values import MkiValues

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

NL = notation("nl")
COLOURS = ("#1F4E79", "#C55A11", "#548235", "#7F6000", "#7030A0", "#2E75B6", "#BF9000")


@dataclass(frozen=True)
class Chart:
    svg: bytes
    png: bytes


_IMPORTING = threading.Lock()


def _pyplot() -> ModuleType:
    """pyplot on the Agg backend with the charts' settings. Import matplotlib through here before any of its
    submodules: two threads importing it for the first time at once (the web builds charts in a thread pool)
    can each be handed the other's half-made package ("module 'matplotlib' has no attribute …")."""
    with _IMPORTING:
        return _configured()


@lru_cache(maxsize=1)
def _configured() -> ModuleType:
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams.update(
        {
            "svg.hashsalt": "cgc-rules",
            "svg.fonttype": "path",
            "font.family": "DejaVu Sans",
            "font.size": 9,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "figure.dpi": 100,
            "savefig.dpi": 150,
        }
    )
    import matplotlib.pyplot as plt

    return plt


def _formatter(show: Callable[[float], str]) -> FuncFormatter:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _pos: show(value))


def _save(fig: Figure) -> Chart:
    plt = _pyplot()
    svg, png = io.BytesIO(), io.BytesIO()
    fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": "cgc-rules"}, bbox_inches="tight")
    fig.savefig(png, format="png", metadata={"Software": "cgc-rules"}, bbox_inches="tight")
    plt.close(fig)
    return Chart(svg.getvalue(), png.getvalue())


def origin_trend(trend: list[dict[str, Any]], goal_share: float, goal_year: int) -> Chart:
    """Responsible-origin share by mass per year and region, and the goal as a line to its year."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.4, 3.4))
    regions = sorted({t["region"] or "" for t in trend})
    years = sorted({t["year"] for t in trend})
    for i, region in enumerate(regions):
        points = [
            (t["year"], t["origin_share"])
            for t in trend
            if (t["region"] or "") == region and t["origin_share"] is not None
        ]
        if points:
            ax.plot(*zip(*points, strict=False), marker="o", color=COLOURS[i % len(COLOURS)], label=region or "—")
            for x, y in points:
                ax.annotate(NL.pct(y, 0, 1), (x, y), textcoords="offset points", xytext=(0, 7), ha="center", fontsize=8)
    first = min(years) if years else goal_year - 1
    ax.plot(
        [first, goal_year],
        [goal_share, goal_share],
        linestyle="--",
        color="#888888",
        label=f"doel {goal_year}: {NL.pct(goal_share, 0)}",
    )
    ax.plot([goal_year], [goal_share], marker="*", markersize=12, color="#888888")
    ax.set_xticks(list(range(first, goal_year + 1)))
    ax.set_ylim(0, 100)
    ax.yaxis.set_major_formatter(_formatter(lambda v: NL.pct(v, 0)))
    ax.set_ylabel("verantwoorde herkomst (massa)")
    ax.legend(loc="lower right", frameon=False, fontsize=8)
    ax.grid(axis="y", color="#dddddd")
    return _save(fig)


POINTS_UP_TO = 200
"""Projects of one type drawn each as a point over its box of quartiles; of a type with more, the box with whiskers
from the lowest to the highest value (tens of thousands of points would hide each other and take megabytes)."""


def mki_distribution(values: MkiValues) -> Chart:
    """Each project's MKI per m² per year by project type (`POINTS_UP_TO` projects a type at most as points), with
    the box of quartiles, the number of projects and the type's level."""
    plt = _pyplot()
    by_type = values.by_type()
    kinds = list(by_type)
    fig, ax = plt.subplots(figsize=(6.4, 3.4))
    data = [vals for vals, _ in by_type.values()]
    box = {"widths": 0.5, "showfliers": False, "medianprops": {"color": COLOURS[1]}}
    for few in (True, False):
        at = [i for i, vals in enumerate(data) if (len(vals) <= POINTS_UP_TO) == few]
        if at:
            ax.boxplot([data[i] for i in at], positions=at, whis=1.5 if few else (0, 100), **box)
    for i, (vals, levels) in enumerate(by_type.values()):
        if len(vals) <= POINTS_UP_TO:
            xs = [i + 0.18 * math.sin(j * 2.4) for j in range(len(vals))]  # fixed jitter: the same picture every time
            ax.scatter(xs, vals, s=14, color=COLOURS[0], alpha=0.7, zorder=3)
        for level in levels:
            ax.plot([i - 0.35, i + 0.35], [level, level], color="#C00000", linestyle="--")
            ax.annotate(f"niveau {NL.eur(level)}", (i + 0.36, level), fontsize=8, va="center", color="#C00000")
    names = [f"{PROJECT_TYPES.get(k, k)}\n{projects_label(len(vals))}" for k, vals in zip(kinds, data, strict=False)]
    ax.set_xticks(list(range(len(kinds))), names)
    ax.set_xlim(-0.6, len(kinds) - 0.1 + 0.4)
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_formatter(_formatter(lambda v: NL.eur(v, 2, 3)))
    ax.set_ylabel("MKI per m² per jaar")
    ax.grid(axis="y", color="#dddddd")
    return _save(fig)


def projects_label(n: int) -> str:
    """`n` projects in Dutch, the number in Dutch notation."""
    return "1 project" if n == 1 else f"{NL.num(n, 0)} projecten"


def rule_rates(rules: list[dict[str, Any]]) -> Chart:
    """Compliance rate per rule as horizontal bars."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.4, 0.5 + 0.4 * max(1, len(rules))))
    names = [r["rule"] for r in rules][::-1]
    rates = [r["rate"] or 0 for r in rules][::-1]
    ax.barh(names, rates, color=COLOURS[0])
    for y, rate in enumerate(rates):
        ax.annotate(NL.pct(rate, 0, 1), (rate, y), xytext=(3, 0), textcoords="offset points", va="center", fontsize=8)
    ax.set_xlim(0, 110)
    ax.xaxis.set_major_formatter(_formatter(lambda v: NL.pct(v, 0) if v <= 100 else ""))
    ax.grid(axis="x", color="#dddddd")
    return _save(fig)


def spinnenweb(by_year: dict[int, dict[str, float | None]]) -> Chart:
    """A municipality's spinnenweb (radar): one polygon per year on the four GMR axes, scale 1–5."""
    plt = _pyplot()
    axes = list(SPINNENWEB)
    angles = [n / len(axes) * 2 * math.pi for n in range(len(axes))]
    fig, ax = plt.subplots(figsize=(3.6, 3.6), subplot_kw={"projection": "polar"})
    for i, (year, scores) in enumerate(sorted(by_year.items())):
        values = [scores.get(a) or 0 for a in axes]
        ax.plot(angles + angles[:1], values + values[:1], color=COLOURS[i % len(COLOURS)], label=str(year))
        ax.fill(angles + angles[:1], values + values[:1], color=COLOURS[i % len(COLOURS)], alpha=0.08)
    ax.set_xticks(angles, [SPINNENWEB[a] for a in axes], fontsize=8)
    ax.tick_params(axis="x", pad=8)
    for label, angle in zip(ax.get_xticklabels(), angles, strict=False):  # labels beside the web, not across it
        label.set_horizontalalignment(
            "left" if math.cos(angle) > 0.1 else "right" if math.cos(angle) < -0.1 else "center"
        )
    ax.set_ylim(0, 5)
    ax.set_yticks([1, 2, 3, 4, 5], [NL.num(v, 0) for v in (1, 2, 3, 4, 5)], fontsize=7)
    ax.legend(loc="upper right", bbox_to_anchor=(1.3, 1.15), frameon=False, fontsize=8)
    return _save(fig)


def growth(by_year: dict[int, dict[str, str | None]]) -> Chart:
    """A municipality's growth level per corridor element over the years."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.4, 3.0))
    years = sorted(by_year)
    for i, element in enumerate(ELEMENTS):
        points = [
            (y + (i - 2) * 0.04, GROWTH.index(lvl) + 1) for y in years if (lvl := by_year[y].get(element)) in GROWTH
        ]
        if points:
            ax.plot(*zip(*points, strict=False), marker="o", color=COLOURS[i % len(COLOURS)], label=ELEMENTS[element])
    ax.set_xticks(years, [str(y) for y in years])
    ax.set_yticks(range(1, 6), [GROWTH_NAMES[g] for g in GROWTH])
    ax.set_ylim(0.5, 5.5)
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False, fontsize=8)
    ax.grid(axis="y", color="#dddddd")
    return _save(fig)
