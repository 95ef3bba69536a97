"""Corridor at scale: load, match, alerts and allocation of generated corridors, and one live change.

Three series, each size in its own process (peak resident memory, ru_maxrss, is per process and
includes the C engine and the LP solver):
- `fixed`: one region of about 110 × 110 km around Amersfoort, 12 hubs, more and more lines;
- `density`: the region grows with the lines (20,000 lines per 110 × 110 km, 12 hubs per 20,000
  lines), as a corridor network grows from one region to many;
- `clustered`: the `fixed` region, but 80 % of the projects (so of the lines) lie in three cities
  (Amersfoort, Utrecht, Apeldoorn; within 5 km of their centres), as real corridors are lumpy.
Projects: one per 40 lines. The corridor is written as JSON (and as YAML for the YAML timing).
Candidate generation (`index.join_all`) is timed beside a plain vectorised numpy join written
for the comparison (per category, every supply × demand line at once) that finds the same routes.
The allocation (`allocate`: the network flow, explanations included) is timed all in; the solve alone
beside the previous LP (`lp.LpPlan`) where that one still answers (up to `LP_UP_TO` lines),
interleaved, medians of `REPS`, with the same optimum asserted; then five added lines, each re-solved.
Last, the whole CLI (`cgc corridor match DIR --format json`, output to /dev/null; wall, CPU and peak
memory of its process) beside the same load, match and allocation in process, interleaved, medians of
`REPS` up to `LP_UP_TO` lines (one run above). Each run is stamped with its time and the load average.
Writes bench/results/corridor.json (a run replaces the earlier run of its series and size).
Usage: .venv/bin/python bench/corridor_bench.py [fixed|density|clustered LINES ...]
(default: clustered and density 20,000 and 100,000).
"""

from __future__ import annotations

import json
import math
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Self

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import conditions

from cgc_rules.corridor.allocate import Plan, allocate
from cgc_rules.corridor.engine import CorridorEngine
from cgc_rules.corridor.index import PAIR_HORIZON_DAYS, haversine
from cgc_rules.corridor.load import load_corridor
from cgc_rules.corridor.lp import LpPlan
from cgc_rules.corridor.model import LinePut, Supply
from tests.generated_corridor import START, Shape, Towns, corridor_files, write_files

HUBS_PER_20K = 12
LINES_PER_PROJECT = 40
CITIES = ((52.156, 5.387), (52.091, 5.122), (52.211, 5.969))  # Amersfoort, Utrecht, Apeldoorn
CITY_SHARE = 0.8
CITY_RADIUS_KM = 5.0
AS_OF = START + timedelta(days=365)
RUN_TIMEOUT_S = 1800  # one size's process is stopped after this long and reported as not done
LP_UP_TO = 20_000  # the previous LP is timed beside the flow up to this many lines (at 100,000 it does not answer)
NUMPY_JOIN_UP_TO = 20_000  # the plain numpy join is timed beside the index up to this many lines
REPS = 3  # interleaved repetitions of the side-by-side solves


def shape(lines: int, series: str, seed: int = 7) -> Shape:
    """A corridor of the series: `density` widens the region (and adds hubs) with the number of lines."""
    grow = math.sqrt(lines / 20_000) if series == "density" else 1.0
    return Shape(
        id="bench",
        name="Synthetic benchmark corridor",
        lines=lines,
        projects=max(1, lines // LINES_PER_PROJECT),
        seed=seed,
        grow=grow,
        towns=Towns(CITIES, CITY_SHARE, CITY_RADIUS_KM) if series == "clustered" else None,
        hubs=max(1, round(HUBS_PER_20K * grow * grow)) if series == "density" else HUBS_PER_20K,
    )


def generate(directory: Path, lines: int, series: str, seed: int = 7, yaml_too: bool = False) -> Path:
    """The seeded corridor of the series in `directory/bench` (and as YAML in `directory/bench-yaml`)."""
    files = corridor_files(shape(lines, series, seed))
    if yaml_too:
        write_files(directory, "bench-yaml", files, "yaml")
    return write_files(directory, "bench", files)


def numpy_join(engine: CorridorEngine) -> int:
    """Plain vectorised join for comparison: per category every supply × demand line at once, the same
    pair filters and route rules as the index; returns the number of candidate routes."""
    ix = engine.index
    S, D, lim = ix.supply, ix.demand, ix.limits
    lat, lon = ix.lat(), ix.lon()
    found = 0
    for cat in range(len(ix.categories)):
        s = np.flatnonzero((S["cat"] == cat) & S["alive"])
        d = np.flatnonzero((D["cat"] == cat) & D["alive"])
        sp, dp = S["project"][s][:, None], D["project"][d][None, :]
        ok = (
            (D["rank"][d][None, :] <= S["rank"][s][:, None])
            & (D["end"][d][None, :] >= S["start"][s][:, None] - PAIR_HORIZON_DAYS)
            & (D["start"][d][None, :] <= S["end"][s][:, None] + lim.horizon)
            & (np.abs(lat[dp] - lat[sp]) <= lim.box_lat)
            & (np.abs(lon[dp] - lon[sp]) <= lim.box_lon)
        )
        i, j = np.nonzero(ok)
        si, dj = s[i], d[j]
        ps, pd = S["project"][si], D["project"][dj]
        raw = haversine(lat[ps], lon[ps], lat[pd], lon[pd])
        km = np.round(raw, 1)
        gap = D["start"][dj].astype(np.int64) - S["end"][si]
        late = S["start"][si].astype(np.int64) - D["end"][dj]
        found += int(((late <= 0) & (gap <= 0) & (km <= lim.max_km)).sum())
        legs = np.round(np.maximum(ix.to_hub[ps], ix.to_hub[pd]), 1)
        hub_ok = (late <= 0)[:, None] & (gap[:, None] <= ix.hub_storage[None, :]) & (legs <= lim.max_km)
        found += int(hub_ok[(gap > 0) | (raw > lim.max_km)].sum())
    return found


class Clock:
    """Wall-clock and CPU seconds of a step (the machine is shared: CPU time shows the contention)."""

    def __enter__(self) -> Self:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


def measure(series: str, lines: int) -> dict:
    out: dict = {"series": series, "lines": lines}
    with tempfile.TemporaryDirectory() as tmp:
        d = generate(Path(tmp), lines, series, yaml_too=(lines == 20_000))
        measure_in(d, out)
    return out


def measure_in(d: Path, out: dict) -> None:
    """The figures of the corridor in `d` into `out`."""
    lines = out["lines"]
    with Clock() as load:
        corridor = load_corridor(d)
    out["load_json_s"], out["load_json_cpu_s"] = round(load.wall, 2), round(load.cpu, 2)
    if lines == 20_000:
        t = time.perf_counter()
        load_corridor(d.parent / "bench-yaml")
        out["load_yaml_s"] = round(time.perf_counter() - t, 2)
    out.update(projects=len(corridor.projects), hubs=len(corridor.hubs))
    with Clock() as match:
        e = CorridorEngine(corridor, AS_OF)
        e.load_all()
        findings = e.finish()
    out["match_and_alerts_s"], out["match_and_alerts_cpu_s"] = round(match.wall, 2), round(match.cpu, 2)
    if lines <= NUMPY_JOIN_UP_TO:
        out["candidate_generation_s"] = best_of(3, e.index.join_all)
        out["numpy_join_s"] = best_of(3, lambda: numpy_join(e))
        out["numpy_join_candidates"] = numpy_join(e)  # equal to `candidates` when both joins agree
    capacity = {h.id: h.capacity_t for h in corridor.hubs.values()}
    with Clock() as alloc:
        plan = Plan(capacity)
        allocations = allocate(corridor, findings.candidates, plan, dict(e.lines))
    out["allocation_s"], out["allocation_cpu_s"] = round(alloc.wall, 2), round(alloc.cpu, 2)
    out["total_s"] = round(load.wall + match.wall + alloc.wall, 2)
    out["total_cpu_s"] = round(load.cpu + match.cpu + alloc.cpu, 2)
    assert plan.network is not None
    assert plan.solution is not None
    out.update(
        candidates=len(findings.candidates),
        refusals=len(findings.refusals),
        alerts=len(findings.alerts),
        supply_nodes=len(plan.network.supply_kg),
        demand_nodes=len(plan.network.demand_kg),
        arcs=len(plan.network.tail),
        merged_lines=plan.network.merged,
        relaxed_fits=plan.solution.relaxed_fits,
        lp_rounds=plan.solution.lp_rounds,
        lp_arcs=plan.solution.lp_arcs,
        lp_steps=plan.solution.lp_steps,
        allocations=len(allocations),
        tonnes_allocated=round(sum(a.tonnes for a in allocations), 1),
        tonne_km=round(sum(a.tonne_km for a in allocations), 1),
    )
    if lines <= LP_UP_TO:
        out.update(side_by_side(findings.candidates, dict(e.lines), capacity))
    out.update(live_change(e, corridor, plan))
    out["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    e.close()
    out.update(cli_beside_in_process(d, REPS if lines <= LP_UP_TO else 1))


def side_by_side(candidates: list, lines: dict, capacity: dict[str, float]) -> dict:
    """The solve alone (no explanations), flow against the previous LP, interleaved, medians of `REPS`;
    both must reach the same tonnes and tonne-km."""
    times: dict[str, list[tuple[float, float]]] = {"flow": [], "lp": []}
    totals = {}
    for _ in range(REPS):
        for name, make in (("flow", Plan), ("lp", LpPlan)):
            with Clock() as c:
                plan = make(capacity)
                plan.put(candidates, lines)
                flows = plan.solve()
            times[name].append((c.wall, c.cpu))
            totals[name] = (
                round(sum(flows.values()), 1),
                round(sum(t * plan.routes[k].km for k, t in flows.items()), 1),
            )
    assert abs(totals["flow"][0] - totals["lp"][0]) < 0.1, totals
    assert abs(totals["flow"][1] - totals["lp"][1]) < 1.0, totals
    out = {"solve_same_optimum": True}
    for name, ts in times.items():
        out[f"solve_{name}_s"] = round(statistics.median(w for w, _ in ts), 3)
        out[f"solve_{name}_cpu_s"] = round(statistics.median(c for _, c in ts), 3)
    return out


def in_process(d: Path) -> tuple[float, float]:
    """Wall and CPU seconds of load, match and allocation in this process (a fresh engine and plan)."""
    with Clock() as c:
        corridor = load_corridor(d)
        with CorridorEngine(corridor, AS_OF) as e:
            e.load_all()
            findings = e.finish()
            allocate(corridor, findings.candidates, None, dict(e.lines))
    return c.wall, c.cpu


def cli(d: Path) -> tuple[float, float, float]:
    """Wall and CPU seconds (the process and its children) and peak MiB of `cgc corridor match DIR --format json`,
    its output to /dev/null."""
    command = "import sys; from cgc_rules.cli import run; sys.exit(run())"
    args = ["corridor", "match", str(d), "--as-of", AS_OF.isoformat(), "--format", "json"]
    with tempfile.TemporaryFile() as err:
        t = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", PEAK + command, *args], stdout=subprocess.DEVNULL, stderr=err, check=False
        )
        wall = time.perf_counter() - t
        err.seek(0)
        report = err.read().decode().strip().splitlines()
    if done.returncode:
        raise RuntimeError(f"cgc corridor match ended {done.returncode}: {report[-1:]}")
    cpu, peak = json.loads(report[-1])
    return wall, cpu, peak


PEAK = (  # prepended to the CLI's command: at exit, its CPU seconds and peak MiB (itself or a child) on stderr
    "import atexit, json, resource, sys; atexit.register(lambda: print(json.dumps(["
    "sum(getattr(resource.getrusage(w), f) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN) "
    "for f in ('ru_utime', 'ru_stime')), max(resource.getrusage(w).ru_maxrss for w in "
    "(resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024]), file=sys.stderr)); "
)


def cli_beside_in_process(d: Path, reps: int) -> dict:
    """The whole CLI against the same work in process (load, match, allocate), interleaved, medians of `reps`."""
    runs = [(in_process(d), cli(d)) for _ in range(reps)]
    inner = [r[0] for r in runs]
    outer = [r[1] for r in runs]
    wall, cpu = statistics.median(w for w, _, _ in outer), statistics.median(c for _, c, _ in outer)
    in_wall, in_cpu = statistics.median(w for w, _ in inner), statistics.median(c for _, c in inner)
    return {
        "cli_runs": reps,
        "cli_s": round(wall, 2),
        "cli_cpu_s": round(cpu, 2),
        "cli_peak_rss_mib": round(max(p for _, _, p in outer), 1),
        "in_process_s": round(in_wall, 2),
        "in_process_cpu_s": round(in_cpu, 2),
        "cli_over_in_process": round(wall / in_wall, 2),
        "cli_over_in_process_cpu": round(cpu / in_cpu, 2),
    }


def best_of(n: int, step: Callable[[], object]) -> float:
    """The fastest of `n` runs, in seconds: the least disturbed by the other processes on the machine."""
    times = []
    for _ in range(n):
        t = time.perf_counter()
        step()
        times.append(time.perf_counter() - t)
    return round(min(times), 3)


def live_change(e: CorridorEngine, corridor, plan: Plan) -> dict:
    """Five supply lines added one after another to the loaded corridor, each a twin of a matched line (so
    it finds candidates): updated candidates and alerts, then the allocation re-solved from the last plan,
    explanations included (wall and CPU seconds)."""
    matched = sorted({r.supply for r in e.candidates()})
    updates, resolves, cpu, found = [], [], [], []
    for i, model in enumerate(s for s in corridor.supply if s.id in matched[:5]):
        line = Supply(**{**model.model_dump(), "id": f"l-added-{i}"})
        t = time.perf_counter()
        e.post(LinePut(type="line_put", day=AS_OF, supply=line))
        e.alerts()
        updates.append((time.perf_counter() - t) * 1000)
        found.append(len(e.index.of_line(e.found, line.id)))  # its candidate routes
        solves = plan.solves
        with Clock() as c:
            allocate(corridor, e.candidates(), plan, dict(e.lines))
        resolves.append(c.wall)
        cpu.append(c.cpu)
        assert plan.solves == solves + 1
    return {
        "added_line_candidates": found,
        "added_line_update_ms": [round(x, 1) for x in updates],
        "added_line_resolve_s": [round(x, 2) for x in resolves],
        "added_line_resolve_cpu_s": [round(x, 2) for x in cpu],
    }


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--one":
        print(json.dumps(measure(sys.argv[2], int(sys.argv[3]))))
        return
    runs = [(s, int(n)) for s, n in zip(sys.argv[1::2], sys.argv[2::2], strict=False)] or [
        ("clustered", 20_000),
        ("density", 20_000),
        ("density", 100_000),
        ("clustered", 100_000),
    ]
    head = conditions.start()
    results = []
    for series, lines in runs:
        load_at_start = conditions.load_average()
        try:
            done = subprocess.run(
                [sys.executable, __file__, "--one", series, str(lines)],
                capture_output=True,
                text=True,
                check=False,
                timeout=RUN_TIMEOUT_S,
            )
        except subprocess.TimeoutExpired:
            results.append({"series": series, "lines": lines, "error": [f"not done within {RUN_TIMEOUT_S} s"]})
        else:
            if done.returncode:
                results.append({"series": series, "lines": lines, "error": done.stderr.strip().splitlines()[-1:]})
            else:
                results.append(json.loads(done.stdout.strip().splitlines()[-1]))
        results[-1].update(
            measured=time.strftime("%Y-%m-%dT%H:%MZ", time.gmtime()),
            load_average_at_start=load_at_start,
            load_average_at_end=conditions.load_average(),
        )
        print(json.dumps(results[-1]), flush=True)
        write(head, results)


def slopes(results: list[dict], key: str) -> dict[str, float]:
    """Per series with two sizes or more: the slope of log(`key`) over log(lines)."""
    out = {}
    for series in sorted({r["series"] for r in results}):
        done = [r for r in results if r["series"] == series and key in r]
        if len(done) >= 2:
            x = np.log([r["lines"] for r in done])
            out[series] = round(float(np.polyfit(x, np.log([r[key] for r in done]), 1)[0]), 2)
    return out


def write(head: conditions.Conditions, results: list[dict]) -> None:
    """The results so far to bench/results/corridor.json, in place of earlier runs of the same series and size
    (other runs are kept; each run has its time and the machine's load average, the file's conditions are this
    measurement's)."""
    path = ROOT / "bench" / "results" / "corridor.json"
    fresh = {(r["series"], r["lines"]) for r in results}
    before = json.loads(path.read_text())
    kept = [r for r in before["runs"] if (r["series"], r["lines"]) not in fresh]
    runs = sorted([*kept, *results], key=lambda r: (r["series"], r["lines"]))
    out = {
        **conditions.finish(head),
        "runs": runs,
        "time_slopes": slopes(results, "total_s"),  # over this measurement's runs only
        "cpu_slopes": slopes(results, "total_cpu_s"),
    }
    path.write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
