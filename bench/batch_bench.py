"""Batch evaluation: 10,000 submissions through `cgc evaluate DIR --format jsonl` against one warm process.

Generates N small road submissions (JSON, 8 material lines each, seeded) in a temporary directory, then
  * `warm`  — one Python process that has already loaded the rulesets reads, evaluates and writes the
              audit record of each submission in turn (the cost without any start-up);
  * `cli`   — `cgc evaluate DIR -r hnn-gww@2026.1 --format jsonl -o FILE` as a user runs it, start-up,
              worker processes (`--jobs`, default all cores) and writing included.
Writes bench/results/batch.json with both times, the ratio cli / warm (target ≤ 3×) and the machine.
Not a timed test: run `python bench/batch_bench.py [N]` by hand.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import conditions

from cgc_rules.jobs.batch import Worker, default_jobs, expand
from cgc_rules.jobs.evaluate import Settings

REFS = ("hnn-gww@2026.1",)
ORIGINS = ("primair", "hergebruikt", "gerecycled", "biobased")


def generate(directory: Path, n: int) -> None:
    rnd = random.Random(n)
    for i in range(n):
        data = {
            "project": {
                "id": f"b-{i:05d}",
                "name": f"Bench {i}",
                "municipality": "Arnhem",
                "type": "wegen",
                "tender_date": "2026-03-02",
                "area_m2": rnd.choice([5_000, 12_000]),
                "lifetime_years": 40,
            },
            "materials": [
                {"name": f"m{j}", "mass_t": round(rnd.uniform(1, 500), 1), "origin": rnd.choice(ORIGINS)}
                for j in range(8)
            ],
            "impact": {"mki_eur_total": rnd.uniform(40_000, 120_000), "co2_kg_per_fu": 40.0},
            "demolition": [
                {
                    "name": "asfalt",
                    "mass_t": 100,
                    "destination": rnd.choice(["recycling", "stort"]),
                    "justification": "teerhoudend",
                }
            ],
            "declarations": {"seb_compliant": rnd.random() < 0.9},
        }
        (directory / f"bid-{i:05d}.json").write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")


def warm(directory: Path) -> tuple[float, int]:
    files = expand([directory])
    worker = Worker(Settings(REFS, None, "nl"), None)
    for p in files[:50]:  # warm up: rulesets loaded and compiled, code paths hot
        worker(p)
    t0 = time.perf_counter()
    with open(os.devnull, "w", encoding="utf-8") as out:
        for p in files:
            out.write(worker(p).line + "\n")
    return time.perf_counter() - t0, len(files)


def cli(directory: Path, out: Path) -> float:
    cgc = Path(sys.executable).with_name("cgc")
    t0 = time.perf_counter()
    res = subprocess.run(
        [
            str(cgc),
            "evaluate",
            str(directory),
            *(a for r in REFS for a in ("-r", r)),
            "--format",
            "jsonl",
            "-o",
            str(out),
        ],
        check=False,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - t0
    if res.returncode not in (0, 1):
        raise SystemExit(f"cgc evaluate failed ({res.returncode}): {res.stderr[-2000:]}")
    return elapsed


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    head = conditions.start()
    with tempfile.TemporaryDirectory(prefix="cgc-batch-") as tmp:
        d = Path(tmp) / "bids"
        d.mkdir()
        generate(d, n)
        warm_s, count = warm(d)
        cli_s = cli(d, Path(tmp) / "out.jsonl")
        records = sum(1 for _ in (Path(tmp) / "out.jsonl").open(encoding="utf-8"))
    assert records == count == n, (records, count, n)
    result = {
        **conditions.finish(head),
        "submissions": n,
        "warm_process_s": round(warm_s, 3),
        "cli_s": round(cli_s, 3),
        "ratio_cli_over_warm": round(cli_s / warm_s, 3),
        "target_ratio": 3.0,
        "jobs": default_jobs(),
        "warm_ms_per_submission": round(warm_s / n * 1000, 3),
        "cli_ms_per_submission": round(cli_s / n * 1000, 3),
        "rulesets": list(REFS),
    }
    dest = ROOT / "bench/results/batch.json"
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(
        f"{n:,} submissions: warm process {warm_s:.2f} s, cgc evaluate DIR --format jsonl {cli_s:.2f} s "
        f"({result['jobs']} jobs): {result['ratio_cli_over_warm']:.2f}× (target ≤ 3×)"
    )
    print(f"written to {dest.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
