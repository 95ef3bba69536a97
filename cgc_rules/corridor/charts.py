"""The corridor's pictures for the yearly report and the docs: an alluvial chart of donor categories to
receiving projects, and an offline vector map of projects, hubs and allocated flows with a scale bar.

Both use matplotlib through the monitoring charts' deterministic setup (fixed SVG salt, no dates).
"""

from __future__ import annotations

from math import cos, radians

from ..monitor.charts import COLOURS, Chart, _pyplot, _save
from ..numbers import notation
from .allocate import Allocation
from .flows import Flows
from .load import Corridor

NL = notation("nl")
KM_PER_DEGREE = 111.2  # km per degree of latitude (and of longitude at the equator)
GAP = 0.04  # share of the height left between two blocks of a column


def alluvial(f: Flows) -> Chart:
    """Bands from each donor category (left) to each receiving project (right), as wide as their tonnes."""
    from matplotlib.patches import PathPatch, Rectangle
    from matplotlib.path import Path

    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    lefts = sorted({x.category for x in f.flows})
    rights = sorted({x.project for x in f.flows})
    total = f.total_t or 1.0

    scale = (1 - GAP * (max(len(lefts), len(rights)) - 1)) / total  # the taller column fills the height

    def blocks(names: list[str], weight: dict[str, float]) -> dict[str, float]:
        top, out = 1.0, {}
        for n in names:
            out[n] = top
            top -= weight[n] * scale + GAP
        return out

    lw = {n: sum(x.tonnes for x in f.flows if x.category == n) for n in lefts}
    rw = {n: sum(x.tonnes for x in f.flows if x.project == n) for n in rights}
    ltop, rtop = blocks(lefts, lw), blocks(rights, rw)
    lnext, rnext = dict(ltop), dict(rtop)
    for x in f.flows:
        h = x.tonnes * scale
        y0, y1 = lnext[x.category], rnext[x.project]
        lnext[x.category] -= h
        rnext[x.project] -= h
        verts = [(0.1, y0), (0.5, y0), (0.5, y1), (0.9, y1), (0.9, y1 - h), (0.5, y1 - h), (0.5, y0 - h), (0.1, y0 - h)]
        codes = [Path.MOVETO, Path.CURVE4, Path.CURVE4, Path.CURVE4, Path.LINETO, Path.CURVE4, Path.CURVE4, Path.CURVE4]
        colour = COLOURS[lefts.index(x.category) % len(COLOURS)]
        ax.add_patch(PathPatch(Path([*verts, verts[0]], [*codes, Path.CLOSEPOLY]), fc=colour, alpha=0.45, lw=0))
    for names, tops, weights, x0, align in ((lefts, ltop, lw, 0.07, "right"), (rights, rtop, rw, 0.9, "left")):
        for n in names:
            h = weights[n] * scale
            ax.add_patch(Rectangle((x0, tops[n] - h), 0.03, h, fc="#404040"))
            tx = x0 - 0.01 if align == "right" else x0 + 0.04
            ax.text(tx, tops[n] - h / 2, f"{n} ({NL.num(weights[n], 1)} t)", ha=align, va="center")
    ax.set_xlim(-0.45, 1.45)
    ax.set_ylim(-0.03, 1.03)  # the taller column runs from 0 to 1
    ax.axis("off")
    return _save(fig)


def vector_map(corridor: Corridor, allocations: list[Allocation]) -> Chart:
    """Projects (dots), hubs (squares) and allocated flows (lines through the hub) on plain coordinates:
    longitude shrunk by cos(latitude), in km from the south-west corner, with a scale bar."""
    plt = _pyplot()
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
    for a in allocations:
        stops = [lines[a.route.supply], *([a.route.via] if a.route.via else []), lines[a.route.demand]]
        path = [km(s) for s in stops]
        ax.plot(
            [p[0] for p in path],
            [p[1] for p in path],
            color=COLOURS[1],
            lw=1 + 4 * a.tonnes / top,
            alpha=0.7,
            solid_capstyle="round",
        )
    for pid, (_, kind) in sorted(places.items()):
        x, y = km(pid)
        ax.plot([x], [y], "s" if kind == "hub" else "o", color=COLOURS[0] if kind == "project" else COLOURS[2], ms=7)
        ax.annotate(pid, (x, y), textcoords="offset points", xytext=(5, 4), fontsize=7)
    xs = [km(p)[0] for p in places]
    ys = [km(p)[1] for p in places]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1.0)
    bar = next((b for b in (1, 2, 5, 10, 20, 50, 100) if b >= span / 6), 200)
    x0, y0 = min(xs), min(ys) - span * 0.08
    ax.plot([x0, x0 + bar], [y0, y0], color="black", lw=2)
    ax.text(x0 + bar / 2, y0 - span * 0.02, f"{bar} km", ha="center", va="top", fontsize=7)
    ax.set_aspect("equal")
    ax.margins(0.12)
    ax.axis("off")
    return _save(fig)
