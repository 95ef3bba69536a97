"""The corridor's pictures for the yearly report and the docs: an alluvial chart of donor categories to
receiving projects, and an offline vector map of projects, hubs and allocated flows with a scale bar.

Both use matplotlib through the monitoring charts' deterministic setup (fixed SVG salt, no dates). A
corridor of real size (hundreds of projects, a hundred categories) is summarised so that it stays readable:
the largest blocks by name and one block for the rest, a map with its hubs named and its projects counted.
"""

from __future__ import annotations

from collections import defaultdict
from math import cos, radians

from ..i18n import text
from ..monitor.charts import COLOURS, Chart, _pyplot, _save
from ..numbers import notation
from .allocate import Allocation
from .flows import Flows
from .load import Corridor

NL = notation("nl")
KM_PER_DEGREE = 111.2  # km per degree of latitude (and of longitude at the equator)
GAP = 0.04  # share of the height left between two blocks of a column
# Named blocks per column of the alluvial chart and named projects on the map: 13 labels of 9 pt stay
# apart on the chart's 3.6 inches (12 gaps of 4 %), and a dozen names stay legible among the map's dots.
SHOWN = 12
REST_COLOUR = "#A0A0A0"  # the bands of merged categories


def _column(weight: dict[str, float], rest: str) -> tuple[list[str], dict[str, int], list[float], bool]:
    """The blocks of one column: their labels, the block each name falls in, their tonnes, and whether the last
    block merges the rest. Every name in alphabetical order, or, when there are more than `SHOWN` + 1, the
    `SHOWN` largest by tonnes (largest first) and one block for the rest (a block of one would hide a name for
    nothing)."""
    names = sorted(weight)
    merged = len(names) > SHOWN + 1
    shown = sorted(names, key=lambda n: (-weight[n], n))[:SHOWN] if merged else names
    into = {n: len(shown) for n in names} | {n: i for i, n in enumerate(shown)}
    tonnes = [weight[n] for n in shown]
    labels = [f"{n} ({NL.num(weight[n], 1)} t)" for n in shown]
    if merged:
        tonnes.append(sum(weight[n] for n in names if into[n] == len(shown)))
        labels.append(text("nl", rest, count=NL.num(len(names) - SHOWN, 0), tonnes=NL.num(tonnes[-1], 1)))
    return labels, into, tonnes, merged


def alluvial(f: Flows) -> Chart:
    """Bands from each donor category (left) to each receiving project (right), as wide as their tonnes."""
    plt = _pyplot()  # matplotlib itself first (`_pyplot`), then its parts
    from matplotlib.patches import PathPatch, Rectangle
    from matplotlib.path import Path

    lw: dict[str, float] = defaultdict(float)
    rw: dict[str, float] = defaultdict(float)
    for x in f.flows:
        lw[x.category] += x.tonnes
        rw[x.project] += x.tonnes
    lefts, lin, lweight, merged_left = _column(lw, "corridor.chart.other_categories")
    rights, rin, rweight, _ = _column(rw, "corridor.chart.other_projects")
    bands: dict[tuple[int, int], float] = defaultdict(float)
    for x in f.flows:
        bands[lin[x.category], rin[x.project]] += x.tonnes

    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    total = f.total_t or 1.0
    scale = (1 - GAP * (max(len(lefts), len(rights)) - 1)) / total  # the taller column fills the height

    def tops(weight: list[float]) -> list[float]:
        top, out = 1.0, []
        for t in weight:
            out.append(top)
            top -= t * scale + GAP
        return out

    ltop, rtop = tops(lweight), tops(rweight)
    lnext, rnext = list(ltop), list(rtop)
    for (i, j), tonnes in sorted(bands.items()):
        h = tonnes * scale
        y0, y1 = lnext[i], rnext[j]
        lnext[i] -= h
        rnext[j] -= h
        verts = [(0.1, y0), (0.5, y0), (0.5, y1), (0.9, y1), (0.9, y1 - h), (0.5, y1 - h), (0.5, y0 - h), (0.1, y0 - h)]
        codes = [Path.MOVETO, Path.CURVE4, Path.CURVE4, Path.CURVE4, Path.LINETO, Path.CURVE4, Path.CURVE4, Path.CURVE4]
        colour = REST_COLOUR if merged_left and i == len(lefts) - 1 else COLOURS[i % len(COLOURS)]
        ax.add_patch(PathPatch(Path([*verts, verts[0]], [*codes, Path.CLOSEPOLY]), fc=colour, alpha=0.45, lw=0))
    for labels, top, weights, x0, align in (
        (lefts, ltop, lweight, 0.07, "right"),
        (rights, rtop, rweight, 0.9, "left"),
    ):
        for label, y, t in zip(labels, top, weights, strict=True):
            h = t * scale
            ax.add_patch(Rectangle((x0, y - h), 0.03, h, fc="#404040"))
            tx = x0 - 0.01 if align == "right" else x0 + 0.04
            ax.text(tx, y - h / 2, label, ha=align, va="center")
    ax.set_xlim(-0.45, 1.45)
    ax.set_ylim(-0.03, 1.03)  # the taller column runs from 0 to 1
    ax.axis("off")
    return _save(fig)


def vector_map(corridor: Corridor, allocations: list[Allocation]) -> Chart:
    """Projects (dots), hubs (squares) and allocated flows (lines through the hub) on plain coordinates:
    longitude shrunk by cos(latitude), in km from the south-west corner, with a scale bar. Hubs are always
    named; projects only when there are at most `SHOWN`, otherwise a note counts them."""
    plt = _pyplot()  # matplotlib itself first (`_pyplot`), then its parts
    from matplotlib.collections import LineCollection

    places = {
        **{p.id: (p.place, "project") for p in corridor.projects.values()},
        **{h.id: (h.place, "hub") for h in corridor.hubs.values()},
    }
    lat0 = min(pl.lat for pl, _ in places.values())
    lon0 = min(pl.lon for pl, _ in places.values())
    shrink = cos(radians((lat0 + max(pl.lat for pl, _ in places.values())) / 2))

    def km(pid: str) -> tuple[float, float]:
        pl = places[pid][0]
        return (pl.lon - lon0) * shrink * KM_PER_DEGREE, (pl.lat - lat0) * KM_PER_DEGREE

    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    lines = {ln.id: ln.project for ln in (*corridor.supply, *corridor.demand)}
    top = max((a.tonnes for a in allocations), default=1.0)
    paths = [
        [km(s) for s in (lines[a.route.supply], *([a.route.via] if a.route.via else []), lines[a.route.demand])]
        for a in allocations
    ]
    projects = sorted(p for p, (_, kind) in places.items() if kind == "project")
    hubs = sorted(p for p, (_, kind) in places.items() if kind == "hub")
    few = len(projects) <= SHOWN
    widths = [1 + 4 * a.tonnes / top for a in allocations]
    alpha = 0.7 if few else 0.25  # thousands of flows: where they are dense shows through
    ax.add_collection(LineCollection(paths, colors=COLOURS[1], linewidths=widths, alpha=alpha, capstyle="round"))
    for ids, marker, colour, size in ((projects, "o", COLOURS[0], 7 if few else 3), (hubs, "s", COLOURS[2], 7)):
        if ids:
            ax.plot(*zip(*(km(p) for p in ids), strict=True), marker, color=colour, ms=size)
    named = [*hubs, *(projects if few else [])]
    for pid in sorted(named):
        ax.annotate(pid, km(pid), textcoords="offset points", xytext=(5, 4), fontsize=7)
    xs = [km(p)[0] for p in places]
    ys = [km(p)[1] for p in places]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1.0)
    bar = next((b for b in (1, 2, 5, 10, 20, 50, 100) if b >= span / 6), 200)
    x0, y0 = min(xs), min(ys) - span * 0.08
    ax.plot([x0, x0 + bar], [y0, y0], color="black", lw=2)
    ax.text(x0 + bar / 2, y0 - span * 0.02, f"{bar} km", ha="center", va="top", fontsize=7)
    if not few:
        note = text("nl", "corridor.chart.projects_unnamed", count=NL.num(len(projects), 0))
        ax.text(x0, y0 - span * 0.07, note, va="top", fontsize=7)
    ax.set_aspect("equal")
    ax.margins(0.12)
    ax.axis("off")
    return _save(fig)
