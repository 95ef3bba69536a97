"""Pack build with one worker process against two, side by side in one run.

Runs `cgc pack build gmr-toolbox` with `--jobs 1` and `--jobs 2` in alternating rounds and records,
per run, the wall time and the CPU time of the build and its worker processes (user + system, from
`resource.getrusage(RUSAGE_CHILDREN)`). On a shared machine the wall time counts the other jobs; equal CPU time
for both says that the second worker adds no work of its own, so on two free cores the build takes about half
the wall time. The two packs must be byte-identical. Writes bench/results/pack.json.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import conditions  # noqa: E402

CGC = ROOT / ".venv" / "bin" / "cgc"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def build(jobs: int, out: Path) -> tuple[float, float, bytes]:
    """Wall and CPU seconds of one build, and the pack's bytes."""
    cpu, wall = _children_cpu(), time.perf_counter()
    subprocess.run(
        [str(CGC), "pack", "build", "gmr-toolbox", "-o", str(out), "--jobs", str(jobs)],
        check=True,
        capture_output=True,
    )
    wall, cpu = time.perf_counter() - wall, _children_cpu() - cpu
    (pack,) = out.glob("*.zip")
    return wall, cpu, pack.read_bytes()


def run(rounds: int) -> dict[str, Any]:
    runs: dict[int, list[tuple[float, float]]] = {1: [], 2: []}
    packs: set[bytes] = set()
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(rounds):
            for jobs in (1, 2) if r % 2 == 0 else (2, 1):
                wall, cpu, data = build(jobs, Path(tmp) / f"{r}-{jobs}")
                runs[jobs].append((wall, cpu))
                packs.add(data)
    if len(packs) != 1:
        raise SystemExit("the packs built with 1 and 2 jobs differ")
    result: dict[str, Any] = {"rounds": rounds}
    for jobs, measured in runs.items():
        result[f"jobs_{jobs}"] = {
            "wall_s": round(statistics.median(w for w, _ in measured), 1),
            "cpu_s": round(statistics.median(c for _, c in measured), 1),
        }
    result["cpu_ratio_2_to_1"] = round(result["jobs_2"]["cpu_s"] / result["jobs_1"]["cpu_s"], 2)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    head = conditions.start()
    figures = run(args.rounds)
    result = {**conditions.finish(head), **figures}
    print(json.dumps(result, indent=1))
    out = ROOT / "bench" / "results" / "pack.json"
    out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
