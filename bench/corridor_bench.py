"""Corridor engine at scale: 500 projects and 20,000 supply and demand lines, generated.

A synthetic corridor (fixed seed) is written as YAML to a temporary directory beside the real
rules of play, loaded with the normal loader and posted fact by fact to the durable-rules engine.
Reports facts posted per second (projects, hubs, lines, events; the route and candidate facts the
rules assert themselves are counted separately), candidates, allocation time and peak resident
memory (ru_maxrss: it includes the C engine, which tracemalloc cannot see).
Writes bench/results/corridor.json. Usage: .venv/bin/python bench/corridor_bench.py [PROJECTS LINES]
"""

from __future__ import annotations

import json
import platform
import random
import resource
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cgc_rules.corridor.allocate import allocate  # noqa: E402
from cgc_rules.corridor.engine import CorridorEngine, load_events  # noqa: E402
from cgc_rules.corridor.load import load_corridor  # noqa: E402

CATEGORIES = 60
HUBS = 12
QUALITIES = ["poor", "fair", "good", "as_new"]
START = date(2026, 1, 1)
YEARS = 5


def generate(directory: Path, projects: int, lines: int, seed: int = 7) -> None:
    """A corridor over a region of about 110 x 110 km around Amersfoort, five years of windows."""
    rnd = random.Random(seed)
    shutil.copytree(ROOT / "corridors" / "rulesets", directory / "rulesets")
    d = directory / "bench"
    d.mkdir()

    def place() -> dict:
        return {"lat": round(52.15 + rnd.uniform(-0.5, 0.5), 5), "lon": round(5.39 + rnd.uniform(-0.8, 0.8), 5),
                "approximate": True}

    def window() -> dict:
        s = START + timedelta(days=rnd.randrange(365 * YEARS))
        return {"start": s, "end": s + timedelta(days=rnd.randrange(20, 120))}

    meta = yaml.safe_load((ROOT / "corridors" / "amersfoort-voorbeeld" / "corridor.yaml").read_text())
    meta.update(id="bench", name="Synthetic benchmark corridor", hubs=[
        {"id": f"hub-{i:02d}", "name": f"Hub {i}", "place": place(), "capacity_t": 5000, "max_storage_days": 180}
        for i in range(HUBS)])
    meta["partners"] = [{"id": "p", "name": "Partner", "kind": "contractor"}]
    (d / "corridor.yaml").write_text(yaml.safe_dump(meta, sort_keys=False))
    projs = [{"id": f"pr-{i:03d}", "name": f"Project {i}", "partner": "p", "role": "both", "place": place(),
              "phases": [{"name": "demolition", "window": window()}],
              "inventory_published": START + timedelta(days=rnd.randrange(365 * YEARS))} for i in range(projects)]
    (d / "projects.yaml").write_text(yaml.safe_dump({"projects": projs}, sort_keys=False))
    supply, demand = [], []
    for i in range(lines):
        base = {"id": f"l-{i:05d}", "project": f"pr-{rnd.randrange(projects):03d}",
                "category": f"cat-{rnd.randrange(CATEGORIES):02d}", "description": "synthetic",
                "quantity": rnd.randrange(1, 200)}
        if i % 2 == 0:
            supply.append({**base, "condition": rnd.choice(QUALITIES), "available": window()})
        else:
            demand.append({**base, "min_quality": rnd.choice(QUALITIES), "needed": window()})
    (d / "inventory.yaml").write_text(yaml.safe_dump({"supply": supply, "demand": demand}, sort_keys=False))


def measure(projects: int, lines: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        generate(Path(tmp), projects, lines)
        t = time.perf_counter()
        corridor = load_corridor(Path(tmp) / "bench")
        load_s = time.perf_counter() - t
    as_of = START + timedelta(days=365)
    steps = load_events(corridor)
    t = time.perf_counter()
    with CorridorEngine(corridor, as_of) as e:
        for step in steps:
            step(e)
        findings = e.finish()
        routes = sum(len(v) for v in e.sink.route_facts.values()) // 2
    engine_s = time.perf_counter() - t
    t = time.perf_counter()
    allocations = allocate(corridor, findings.candidates)
    alloc_s = time.perf_counter() - t
    return {
        "projects": projects, "lines": lines, "hubs": HUBS, "categories": CATEGORIES,
        "load_seconds": round(load_s, 2),
        "posted_facts": findings.events, "rule_asserted_facts": routes,
        "engine_seconds": round(engine_s, 2),
        "posted_facts_per_second": round(findings.events / engine_s),
        "all_facts_per_second": round((findings.events + routes) / engine_s),
        "candidates": len(findings.candidates), "refusals": len(findings.refusals), "alerts": len(findings.alerts),
        "allocations": len(allocations), "allocation_seconds": round(alloc_s, 2),
        "tonnes_allocated": round(sum(a.tonnes for a in allocations), 1),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    projects, lines = (int(sys.argv[1]), int(sys.argv[2])) if len(sys.argv) == 3 else (500, 20_000)
    result = {"python": platform.python_version(), "machine": platform.machine(), **measure(projects, lines)}
    out = ROOT / "bench" / "results" / "corridor.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
