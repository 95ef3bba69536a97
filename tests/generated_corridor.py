"""Seeded corridors for tests and benches: one generator, a `Shape` per use.

The same shape and seed give the same files byte for byte. The random numbers are drawn in one order for
every shape (hubs, then projects, then lines, each line's fields in the order written), so a shape that
leaves a feature out (towns, phases, twins) draws nothing for it. `bench/corridor_bench.py` imports this
module with the checkout on `sys.path`.
"""

from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from cgc_rules.resources import bundled

START = date(2026, 1, 1)
QUALITIES = ("poor", "fair", "good", "as_new")


@dataclass(frozen=True)
class Towns:
    """A share of the places lies within `radius_km` of one of the `centres` (lat, lon), drawn uniformly over
    the disc; `lon_km` is the km per degree of longitude (None: 111.2 × cos(latitude))."""

    centres: tuple[tuple[float, float], ...]
    share: float
    radius_km: float
    lon_km: float | None = None


@dataclass(frozen=True)
class Shape:
    """What a generated corridor looks like. Places outside the towns lie in a box of ± `half_lat`, ± `half_lon`
    degrees (times `grow`) around (`lat`, `lon`); windows start within `days` days of 1 January 2026 and last
    `length` (a `randrange` span) days; every `twin_every`-th line gets a twin (same project, category,
    quality and window, another id and quantity). Ids and names are format strings of the index."""

    id: str
    name: str
    lines: int
    projects: int
    seed: int = 7
    lat: float = 52.15
    lon: float = 5.39
    half_lat: float = 0.5
    half_lon: float = 0.8
    grow: float = 1.0
    approximate: bool = True
    towns: Towns | None = None
    hubs: int = 12
    hubs_in_towns: bool = False
    hub_id: str = "hub-{:03d}"
    hub_capacity_t: float = 5000
    hub_storage_days: int = 180
    days: int = 5 * 365
    length: tuple[int, int] = (20, 120)
    phases: bool = True
    partner: str = "Partner"
    project_id: str = "pr-{:05d}"
    project_name: str = "Project {}"
    line_id: str = "l-{:06d}"
    categories: int = 60
    category: str = "cat-{:02d}"
    description: str = "synthetic"
    quantity: tuple[int, int] = (1, 200)
    conditions: tuple[str, ...] = QUALITIES
    min_qualities: tuple[str, ...] = QUALITIES
    twin_every: int = 0
    notes: bool = True


def generate(directory: Path, shape: Shape) -> Path:
    """The corridor `shape` as JSON files in `directory/<shape.id>`, the bundled rulesets linked beside it."""
    return write_files(directory, shape.id, corridor_files(shape))


def write_files(directory: Path, name: str, files: dict[str, dict[str, Any]], suffix: str = "json") -> Path:
    """`files` (`corridor_files`) as `directory/<name>/<stem>.json` (or `.yaml`); the bundled rulesets are linked
    as `directory/rulesets` once."""
    d = directory / name
    d.mkdir(parents=True)
    if not (directory / "rulesets").exists():
        (directory / "rulesets").symlink_to(bundled("corridors") / "rulesets")
    for stem, data in files.items():
        text = json.dumps(data) if suffix == "json" else yaml.safe_dump(data, sort_keys=False)
        (d / f"{stem}.{suffix}").write_text(text, encoding="utf-8")
    return d


def corridor_files(shape: Shape) -> dict[str, dict[str, Any]]:
    """The contents of `corridor`, `projects` and `inventory` of the corridor `shape`."""
    s, rnd = shape, random.Random(shape.seed)

    def box() -> dict[str, Any]:
        place = {
            "lat": round(s.lat + rnd.uniform(-s.half_lat, s.half_lat) * s.grow, 5),
            "lon": round(s.lon + rnd.uniform(-s.half_lon, s.half_lon) * s.grow, 5),
        }
        return place | ({"approximate": True} if s.approximate else {})

    def town(towns: Towns) -> dict[str, Any]:
        lat, lon = towns.centres[rnd.randrange(len(towns.centres))]
        r, a = towns.radius_km * math.sqrt(rnd.random()), rnd.uniform(0, 2 * math.pi)
        lon_km = towns.lon_km or 111.2 * math.cos(math.radians(lat))
        place = {"lat": round(lat + r * math.sin(a) / 111.2, 5), "lon": round(lon + r * math.cos(a) / lon_km, 5)}
        return place | ({"approximate": True} if s.approximate else {})

    def place(may_be_in_town: bool = True) -> dict[str, Any]:
        if may_be_in_town and s.towns is not None and rnd.random() < s.towns.share:
            return town(s.towns)
        return box()

    def window() -> dict[str, str]:
        first = START + timedelta(days=rnd.randrange(s.days))
        return {"start": first.isoformat(), "end": (first + timedelta(days=rnd.randrange(*s.length))).isoformat()}

    meta = yaml.safe_load((bundled("corridors") / "amersfoort-voorbeeld" / "corridor.yaml").read_text())
    meta.update(id=s.id, name=s.name, partners=[{"id": "p", "name": s.partner, "kind": "contractor"}])
    if not s.notes:
        del meta["note"]
        for value in meta["rules_of_play"]["values"].values():
            del value["note"]
    meta["hubs"] = [
        {
            "id": s.hub_id.format(i),
            "name": f"Hub {i}",
            "place": place(s.hubs_in_towns),
            "capacity_t": s.hub_capacity_t,
            "max_storage_days": s.hub_storage_days,
        }
        for i in range(s.hubs)
    ]
    projects = []
    for i in range(s.projects):
        project: dict[str, Any] = {
            "id": s.project_id.format(i),
            "name": s.project_name.format(i),
            "partner": "p",
            "role": "both",
            "place": place(),
        }
        if s.phases:
            project["phases"] = [{"name": "demolition", "window": window()}]
            project["inventory_published"] = (START + timedelta(days=rnd.randrange(s.days))).isoformat()
        projects.append(project)
    supply: list[dict[str, Any]] = []
    demand: list[dict[str, Any]] = []
    for i in range(s.lines):
        base = {
            "id": s.line_id.format(i),
            "project": s.project_id.format(rnd.randrange(s.projects)),
            "category": s.category.format(rnd.randrange(s.categories)),
            "description": s.description.format(i),
            "quantity": rnd.randrange(*s.quantity),
        }
        if i % 2 == 0:
            side, line = supply, {**base, "condition": rnd.choice(s.conditions), "available": window()}
        else:
            side, line = demand, {**base, "min_quality": rnd.choice(s.min_qualities), "needed": window()}
        side.append(line)
        if s.twin_every and i % s.twin_every == 0:
            side.append({**line, "id": f"{line['id']}-twin", "quantity": rnd.randrange(*s.quantity)})
    return {"corridor": meta, "projects": {"projects": projects}, "inventory": {"supply": supply, "demand": demand}}
