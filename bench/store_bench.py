"""Recording 100,000 evaluations into a SQLite store and running `cgc monitor` over them.

Each evaluation goes the way `cgc evaluate --record` goes: a submission (4 material lines) evaluated
against hnn-gww@2026.1, its report built (with the Dutch texts) and turned into a stored record; records
are added in batches of 1,000 (one transaction each). Then `cgc monitor --format json` and `--year 2026`
run as a fresh process over the store. Writes bench/results/store.json. Not a test: nothing is asserted.

    .venv/bin/python bench/store_bench.py [--count 100000]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cgc_rules.evaluator import compile_ruleset, evaluate  # noqa: E402
from cgc_rules.registry import Registry  # noqa: E402
from cgc_rules.report.build import Evaluated, build_report  # noqa: E402
from cgc_rules.store.build import evaluation_records  # noqa: E402
from cgc_rules.store.store import open_store  # noqa: E402
from cgc_rules.submission import LoadedSubmission, Submission  # noqa: E402

MUNICIPALITIES = [f"Gemeente {n} (bench)" for n in "ABCDEFGHIJKLMNOPQRST"]


def submission(i: int, rnd: random.Random) -> LoadedSubmission:
    year = 2024 + i % 3
    total = rnd.uniform(500, 9000)
    good = total * rnd.uniform(0.2, 0.8)
    data = {
        "project": {
            "id": f"bench-{i}",
            "name": f"Bench {i}",
            "municipality": MUNICIPALITIES[i % len(MUNICIPALITIES)],
            "type": "wegen" if i % 5 else "openbare_ruimte",
            "tender_date": f"{year}-06-01",
            "area_m2": 5000,
            "lifetime_years": 40,
        },
        "materials": [
            {"name": "gerecycled", "mass_t": good * 0.7, "origin": "gerecycled"},
            {"name": "hergebruikt", "mass_t": good * 0.3, "origin": "hergebruikt"},
            {"name": "primair", "mass_t": total - good, "origin": "primair"},
            {"name": "hout", "mass_t": 1.0, "origin": "biobased"},
        ],
        "impact": {"mki_eur_total": rnd.uniform(15_000, 45_000), "co2_kg_per_fu": 20.0} if i % 7 else {},
        "declarations": {"seb_compliant": bool(i % 3)},
    }
    sha = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
    return LoadedSubmission(submission=Submission.model_validate(data), path=f"bench/{i}.json", sha256=sha)


def monitor(db: Path, *args: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        [str(Path(sys.executable).parent / "cgc"), "monitor", "--db", str(db), "--format", "json", *args],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    count = parser.parse_args().count
    registry = Registry()
    rnd = random.Random(1)
    with tempfile.TemporaryDirectory(prefix="cgc-store-bench-") as tmp:
        db = Path(tmp) / "store.sqlite"
        store = open_store(str(db))
        selection = registry.select("hnn-gww@2026.1", None, None)
        compiled = compile_ruleset(selection.loaded.ruleset)
        build = insert = 0.0
        batch = []
        for i in range(count):
            t0 = time.perf_counter()
            loaded = submission(i, rnd)
            runs = [Evaluated(selection, evaluate(loaded.submission, compiled))]
            batch += evaluation_records(build_report(loaded, runs, "nl", None), runs, "design")
            t1 = time.perf_counter()
            build += t1 - t0
            if len(batch) == 1000 or i == count - 1:
                store.add(batch)
                batch = []
                insert += time.perf_counter() - t1
        stored = store.count()
        all_years = monitor(db)
        one_year = monitor(db, "--year", "2026")
        size = db.stat().st_size
    result = {
        "evaluations": count,
        "records_stored": stored,
        "database_mb": round(size / 1e6, 1),
        "evaluate_and_build_s": round(build, 1),
        "insert_s": round(insert, 1),
        "recording_rate_per_s": round(count / (build + insert)),
        "insert_rate_per_s": round(count / insert),
        "monitor_all_years_s": round(all_years, 1),
        "monitor_one_year_s": round(one_year, 1),
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores (shared)",
    }
    out = ROOT / "bench" / "results" / "store.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
