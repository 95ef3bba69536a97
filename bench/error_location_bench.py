"""Cost of locating errors and of large submissions (issue 18: bounded cost).

1. Error location: submissions with 100 to 10,000 bad material lines (every line's mass is text). Loading
   fails with one located problem per line; the time to get all of them printed is measured, and the
   slope of log(time) against log(bad lines) is reported: 1 means linear (it was 2: 800 lines took 72 s).
2. Scale: valid submissions of 10^4 to 10^6 material lines (about 52 bytes a line), loaded and evaluated
   against hnn-gww in a fresh process each: wall time and peak memory (max RSS), also as a multiple of
   the file size (the target is within 10x).

Writes bench/results/errors.json and prints a Markdown table.

    .venv/bin/python bench/error_location_bench.py [--quick]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HEAD = (
    "project:\n  id: bench\n  name: Bench\n  municipality: Arnhem\n  type: wegen\n  tender_date: 2026-03-01\n"
    "  area_m2: 10000\n  lifetime_years: 40\nmaterials:\n"
)
ORIGINS = ("primair", "gerecycled", "hergebruikt", "biobased")


def write_submission(path: Path, lines: int, bad: int = 0) -> None:
    with path.open("w", encoding="utf-8") as fh:
        fh.write(HEAD)
        for i in range(lines):
            mass = "zwaar" if i < bad else f"{(i * 7919) % 1000 / 10 + 0.5:.1f}"
            fh.write(f"  - {{name: m{i:07d}, mass_t: {mass}, origin: {ORIGINS[i % 4]}}}\n")
        fh.write("declarations: {seb_compliant: true}\n")


def error_location(sizes: list[int], work: Path) -> list[dict]:
    from cgc_rules.errors import CgcError
    from cgc_rules.submission import load_submission

    rows = []
    for n in sizes:
        path = work / f"bad-{n}.yaml"
        write_submission(path, n, bad=n)
        best = math.inf
        for _ in range(3):
            start = time.perf_counter()
            try:
                load_submission(path)
            except CgcError as exc:
                text = "\n".join(str(p) for p in exc.problems)
                assert len(exc.problems) == n and text.count(":") >= 3 * n
            best = min(best, time.perf_counter() - start)
        rows.append({"bad_lines": n, "seconds": round(best, 4), "ms_per_error": round(best / n * 1000, 4)})
        print(f"  {n} bad lines: {best:.3f} s", file=sys.stderr)
    return rows


def slope(rows: list[dict], x: str, y: str) -> float:
    """Least-squares slope of log(y) on log(x)."""
    xs = [math.log(r[x]) for r in rows]
    ys = [math.log(r[y]) for r in rows]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((a - mx) * (b - my) for a, b in zip(xs, ys, strict=True)) / sum((a - mx) ** 2 for a in xs)


CHILD = """
import resource, sys, time, json, io, contextlib
sys.path.insert(0, {root!r})
start = time.perf_counter()
from cgc_rules.submission import load_submission
loaded = load_submission({path!r})
load_s = time.perf_counter() - start
load_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
from cgc_rules.cli import main
buf = io.StringIO()
with contextlib.redirect_stdout(buf):
    try:
        main.main(args=["evaluate", {path!r}, "-r", "hnn-gww", "--format", "json"], standalone_mode=False)
    except SystemExit:
        pass
print(json.dumps({{"load_s": load_s, "load_rss": load_rss, "total_s": time.perf_counter() - start,
                  "peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                  "materials": len(loaded.submission.materials)}}))
"""


def scale(sizes: list[int], work: Path) -> list[dict]:
    rows = []
    for n in sizes:
        path = work / f"ok-{n}.yaml"
        write_submission(path, n)
        size = path.stat().st_size
        out = subprocess.run(
            [sys.executable, "-c", CHILD.format(root=str(ROOT), path=str(path))],
            capture_output=True,
            text=True,
            check=True,
        )
        got = json.loads(out.stdout.strip().splitlines()[-1])
        assert got["materials"] == n
        rows.append(
            {
                "material_lines": n,
                "file_mb": round(size / 1e6, 1),
                "load_s": round(got["load_s"], 2),
                "load_peak_mb": round(got["load_rss"] / 1e6),
                "evaluate_s": round(got["total_s"], 2),
                "peak_mb": round(got["peak_rss"] / 1e6),
                "peak_x_file": round(got["peak_rss"] / size, 1),
            }
        )
        print(f"  {n} lines: {rows[-1]}", file=sys.stderr)
        path.unlink()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="smaller sizes (a smoke run)")
    args = parser.parse_args()
    bad_sizes = [100, 300, 1000] if args.quick else [100, 300, 1_000, 3_000, 10_000]
    big_sizes = [10_000, 100_000] if args.quick else [10_000, 100_000, 1_000_000]
    with tempfile.TemporaryDirectory() as tmp:
        located = error_location(bad_sizes, Path(tmp))
        big = scale(big_sizes, Path(tmp))
    result = {
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "load_average_1m": round(os.getloadavg()[0], 1),
        },
        "error_location": located,
        "error_location_slope": round(slope(located, "bad_lines", "seconds"), 2),
        "scale": big,
    }
    out = ROOT / "bench" / "results" / "errors.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print("| bad lines | seconds | ms per error |\n|---:|---:|---:|")
    for r in located:
        print(f"| {r['bad_lines']:,} | {r['seconds']} | {r['ms_per_error']} |")
    print(f"\nslope of log(time) on log(bad lines): {result['error_location_slope']}\n")
    print("| material lines | file MB | load s | evaluate s | peak MB | peak × file |\n|---:|---:|---:|---:|---:|---:|")
    for r in big:
        print(
            f"| {r['material_lines']:,} | {r['file_mb']} | {r['load_s']} | {r['evaluate_s']} | {r['peak_mb']} | "
            f"{r['peak_x_file']} |"
        )


if __name__ == "__main__":
    main()
