"""Start-up cost of a `cgc` verb against importing the evaluator alone, hyperfine-style.

Runs each command N times (default 15) in fresh subprocesses, interleaved so a noisy machine
disturbs both alike, after one warm-up run each. Reports the median and minimum wall time per
command and the ratio of medians (`cgc evaluate … --format json` over `import cgc_rules.evaluator`;
the target is at most 1.5). Writes bench/results/startup.json; `--label NAME` stores the run under
that name beside earlier ones (e.g. `before` and `after` a change).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import conditions

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "startup.json"
BIN = Path(sys.executable).parent
COMMANDS = {
    "import_evaluator": [sys.executable, "-c", "import cgc_rules.evaluator"],
    "cgc_evaluate_json": [
        str(BIN / "cgc"),
        "evaluate",
        "examples/weg-voldoet.yaml",
        "-r",
        "hnn-gww",
        "--format",
        "json",
    ],
    "cgc_version": [str(BIN / "cgc"), "--version"],
}
TARGET = 1.5


def _once(argv: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, check=False, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.decode()}")
    return elapsed


def measure(runs: int) -> dict[str, list[float]]:
    """Wall times in seconds per command, interleaved round by round after one warm-up each."""
    for argv in COMMANDS.values():
        _once(argv)
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(runs):
        for name, argv in COMMANDS.items():
            times[name].append(_once(argv))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--runs", type=int, default=15)
    parser.add_argument("--label", default="current", help="Name of this run in startup.json.")
    parser.add_argument("--note", default="", help="What was measured, e.g. the commit (stored with the run).")
    args = parser.parse_args()
    head = conditions.start()
    times = measure(args.runs)
    rows = {name: {"median_ms": statistics.median(t) * 1000, "min_ms": min(t) * 1000} for name, t in times.items()}
    ratio = rows["cgc_evaluate_json"]["median_ms"] / rows["import_evaluator"]["median_ms"]
    earlier = json.loads(RESULTS.read_text()) if RESULTS.is_file() else {}
    results = {**conditions.finish(head), "target_ratio": TARGET, "runs": earlier.get("runs", {})}
    results["runs"][args.label] = {
        "n": args.runs,
        "note": args.note,
        "commands": rows,
        "ratio": round(ratio, 3),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print("| command | median ms | min ms |\n|---|---:|---:|")
    for name, row in rows.items():
        print(f"| {name} | {row['median_ms']:.0f} | {row['min_ms']:.0f} |")
    verdict = "within" if ratio <= TARGET else "above"
    print(f"\nratio cgc evaluate --format json / import cgc_rules.evaluator: {ratio:.2f} ({verdict} {TARGET})")


if __name__ == "__main__":
    main()
