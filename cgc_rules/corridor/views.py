"""The corridor's findings as JSON data and as an offline calendar page with a schematic map."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, timedelta

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from .allocate import Allocation
from .engine import Findings
from .load import Corridor


def as_data(corridor: Corridor, findings: Findings, allocations: list[Allocation]) -> dict:
    """Everything a reader needs, in a stable order."""
    return {
        "corridor": corridor.meta.id, "version": corridor.version, "example_data": corridor.meta.example,
        "as_of": findings.as_of.isoformat(),
        "rules_of_play": {n: {"value": p.value, "unit": p.unit, "example_value": p.example, "origin": p.origin}
                          for n, p in sorted(corridor.parameters.items())},
        "candidates": [asdict(r) for r in findings.candidates],
        "refusals": [{**asdict(x.route), "reason": x.reason, "detail": x.detail} for x in findings.refusals],
        "allocations": [{**asdict(a.route), "tonnes": a.tonnes, "tonne_km": a.tonne_km, "why": a.why} for a in allocations],
        "alerts": [a.as_dict() for a in findings.alerts],
    }


def _env() -> Environment:
    return Environment(loader=PackageLoader("cgc_rules.corridor", "templates"), autoescape=select_autoescape(default=True),
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def calendar_html(corridor: Corridor, findings: Findings, allocations: list[Allocation]) -> str:
    """One self-contained page: a timeline per project and a map of projects and hubs (inline SVG)."""
    lines = [*corridor.supply, *corridor.demand]
    starts = [(ln.available if hasattr(ln, "available") else ln.needed).start for ln in lines]
    ends = [(ln.available if hasattr(ln, "available") else ln.needed).end for ln in lines]
    t0 = min(starts, default=findings.as_of).replace(day=1)
    t1 = max(ends, default=findings.as_of) + timedelta(days=31)
    width, left = 1000, 260
    span = max((t1 - t0).days, 1)

    def x(d: date) -> float:
        return round(left + (d - t0).days / span * (width - left - 10), 1)

    rows, pos, y = [], {}, 40
    for pid, p in sorted(corridor.projects.items()):
        bars = []
        for ln in sorted((ln for ln in lines if ln.project == pid), key=lambda ln: ln.id):
            w = ln.available if hasattr(ln, "available") else ln.needed
            kind = "supply" if hasattr(ln, "available") else "demand"
            bars.append({"id": ln.id, "kind": kind, "x": x(w.start), "w": max(x(w.end) - x(w.start), 2), "y": y,
                         "label": f"{ln.id} · {ln.category} · {ln.quantity:g} t"})
            pos[ln.id] = (x(w.start), x(w.end), y)
            y += 22
        rows.append({"name": p.name, "id": pid, "y": bars[0]["y"] if bars else y, "bars": bars})
        y += 14 if bars else 36
    links = []
    for a in allocations:
        s, d = pos[a.route.supply], pos[a.route.demand]
        links.append({"x1": s[1], "y1": s[2] + 8, "x2": d[0], "y2": d[2] + 8, "via": a.route.via,
                      "label": f"{a.tonnes:g} t, {a.route.km:g} km"})
    months, m = [], t0
    while m <= t1:
        months.append({"x": x(m), "label": m.strftime("%Y-%m")})
        m = (m + timedelta(days=32)).replace(day=1)
    places = [(p.place, p.name, "project") for p in corridor.projects.values()] + \
             [(h.place, h.name, "hub") for h in corridor.hubs.values()]
    lat0, lat1 = min(pl.lat for pl, _, _ in places), max(pl.lat for pl, _, _ in places)
    lon0, lon1 = min(pl.lon for pl, _, _ in places), max(pl.lon for pl, _, _ in places)
    mw, mh = 560, 420

    def mx(lon: float) -> float:
        return round(40 + (lon - lon0) / max(lon1 - lon0, 1e-6) * (mw - 200), 1)

    def my(lat: float) -> float:
        return round(mh - 30 - (lat - lat0) / max(lat1 - lat0, 1e-6) * (mh - 60), 1)

    points = [{"x": mx(pl.lon), "y": my(pl.lat), "name": name, "kind": kind, "approx": pl.approximate}
              for pl, name, kind in sorted(places, key=lambda t: t[1])]
    return _env().get_template("calendar.html.j2").render(
        corridor=corridor, findings=findings, allocations=allocations, rows=rows, links=links, months=months,
        width=width, height=y + 20, left=left, today=x(findings.as_of) if t0 <= findings.as_of <= t1 else None,
        points=points, map_w=mw, map_h=mh, params=sorted(corridor.parameters.values(), key=lambda p: p.name))
