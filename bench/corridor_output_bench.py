"""The whole `cgc corridor match --format json` against its in-process floor, side by side in one run.

Corridors with lines spread evenly (`density` series of bench/corridor_bench.py: the region grows with the
lines), 20,000 and 100,000 lines. For each size, in interleaved rounds, each in a fresh process:
  * `floor`  — load + match + allocate in-process (`jobs.corridor.match`), timed after the imports (its CPU
               with the rules engine's worker process, which the CLI's figure includes too);
  * `cli`    — the whole CLI as a user runs it, JSON to a file: start-up, imports, the same work and the
               streamed compact output;
  * `pretty` — the same with `--pretty` (indented; json's pure-Python encoder), for comparison (up to 20,000).
The package's bytecode is compiled first, as an installed package's is (pip compiles a wheel's modules; this
machine sets PYTHONDONTWRITEBYTECODE, so without it every run would compile the package from source, ≈ 45 ms).
Wall and CPU seconds (the CLI's from wait4: the process and the children it waited for) and peak resident
memory; medians over the rounds. The 20,000-line output is parsed back and its counts compared with the
floor's. Writes bench/results/corridor_output.json. Usage: .venv/bin/python bench/corridor_output_bench.py
[--rounds N] [LINES ...]
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import conditions  # noqa: E402
from corridor_bench import AS_OF, generate  # noqa: E402

SERIES = "density"
CLI = "import sys; from cgc_rules.cli import run; sys.exit(run())"
FLOOR = """
import json, os, resource, sys, time
from pathlib import Path
from datetime import date
from cgc_rules.corridor import rete
from cgc_rules.jobs import corridor as job
wall, cpu = time.perf_counter(), time.process_time()
view = job.match(Path(sys.argv[1]), date.fromisoformat(sys.argv[2]), "nl")
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
worker = rete.current_worker()  # the rules engine's process: its CPU is part of the match (the CLI waits for it)
if worker is not None:
    stat = open(f"/proc/{worker.pid}/stat").read().rsplit(")", 1)[1].split()
    cpu += (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")
f = view.findings
print(json.dumps({"wall_s": wall, "cpu_s": cpu, "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "counts": [len(f.candidates), len(f.refusals), len(f.alerts), len(view.allocations)]}))
"""


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def floor(corridor: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", FLOOR, str(corridor), AS_OF.isoformat()],
        capture_output=True,
        text=True,
        check=True,
        env=_env(),
    )
    out: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return out


def cli(corridor: Path, target: Path, *extra: str) -> dict[str, Any]:
    """The whole CLI in a fresh process, its JSON written to `target`: wall, CPU and peak memory (wait4)."""
    args = ["corridor", "match", str(corridor), "--as-of", AS_OF.isoformat(), "--format", "json", *extra]
    with target.open("wb") as out:
        wall = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", CLI, *args], stdout=out, stderr=subprocess.PIPE, env=_env())
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - wall
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise RuntimeError(f"cgc {' '.join(args)} ended with {proc.returncode}")
    return {
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "rss_mib": usage.ru_maxrss / 1024,
        "bytes": target.stat().st_size,
    }


def parsed_counts(target: Path) -> list[int]:
    data = json.loads(target.read_text(encoding="utf-8"))
    return [len(data[k]) for k in ("candidates", "refusals", "alerts", "allocations")]


def median(runs: list[dict[str, Any]], key: str) -> float:
    return round(statistics.median(r[key] for r in runs), 2)


def measure(lines: int, rounds: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="cgc-output-bench-") as tmp:
        corridor = generate(Path(tmp), lines, SERIES)
        target = Path(tmp) / "out.json"
        runs: dict[str, list[dict[str, Any]]] = {"floor": [], "cli": [], "pretty": []}
        for _ in range(rounds):  # interleaved: each round runs every variant once
            runs["floor"].append(floor(corridor))
            runs["cli"].append(cli(corridor, target))
            if lines <= 20_000:
                assert parsed_counts(target) == runs["floor"][-1]["counts"], "the CLI's JSON lost items"
                runs["pretty"].append(cli(corridor, target, "--pretty"))
    row: dict[str, Any] = {"series": SERIES, "lines": lines, "rounds": rounds, "counts": runs["floor"][0]["counts"]}
    for name, done in runs.items():
        if not done:
            continue
        for key in ("wall_s", "cpu_s", "rss_mib"):
            row[f"{name}_{key}"] = median(done, key)
    row["cli_bytes"] = runs["cli"][-1]["bytes"]
    row["ratio_wall"] = round(row["cli_wall_s"] / row["floor_wall_s"], 2)
    row["ratio_cpu"] = round(row["cli_cpu_s"] / row["floor_cpu_s"], 2)
    if runs["pretty"]:
        row["pretty_bytes"] = runs["pretty"][-1]["bytes"]
        row["pretty_ratio_wall"] = round(row["pretty_wall_s"] / row["floor_wall_s"], 2)
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("lines", nargs="*", type=int, default=[20_000, 100_000])
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    compileall.compile_dir(ROOT / "cgc_rules", quiet=1)
    head = conditions.start()
    rows = []
    for lines in args.lines:
        rows.append(measure(lines, args.rounds))
        print(json.dumps(rows[-1]), flush=True)
    out = {
        **conditions.finish(head),
        "target": "whole CLI ≤ 2× the in-process floor (load + match + allocate)",
        "rows": rows,
    }
    (ROOT / "bench" / "results" / "corridor_output.json").write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
