"""Recording 100,000 evaluations into a SQLite store, `cgc monitor` over them, and a backup → restore.

Each evaluation goes the way `cgc evaluate --record` goes: a submission (4 material lines) evaluated
against hnn-gww@2026.1, its report built (with the Dutch texts) and turned into a stored record; records
are added in batches of 1,000 (one transaction each). Then, each as a fresh process with its peak memory:
`cgc monitor --format json` and `--year 2026`, beside a SQL `GROUP BY` reference (the origin tonnes per
year, municipality and project type, summed by SQLite's JSON functions over the payloads). Then
`cgc db export` and `cgc db import` into a new store (the exports compared byte for byte), beside
`sqlite3.executemany` of the same rows into a third store. Writes bench/results/store.json. Not a test.

    .venv/bin/python bench/store_bench.py [--count 100000]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import sqlite3
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


def timed(args: list[str]) -> tuple[float, float]:
    """Seconds and peak memory (MB) of one process."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", PEAK, *args], check=True, capture_output=True, text=True)
    return time.perf_counter() - start, int(proc.stdout.split()[-1]) / 1024


PEAK = """
import resource, subprocess, sys
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
if code not in (0, 1):
    sys.exit(f"{sys.argv[1:]}: exit {code}")
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""
"""A small parent that runs the command and prints its peak memory (KiB), which the bench's own size would hide."""


CGC = [sys.executable, str(ROOT / "cli.py")]
REFERENCE = """
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
rows = con.execute(
    "SELECT year, municipality, project_type, count(DISTINCT project_id), "
    "sum(json_extract(o.value, '$.terms.good')), sum(json_extract(o.value, '$.terms.total')) "
    "FROM cgc_records, json_each(cgc_records.payload, '$.outcomes') AS o "
    "WHERE kind = 'evaluation' AND json_extract(o.value, '$.indicator') = 'responsible_origin_share' "
    "GROUP BY year, municipality, project_type"
).fetchall()
print(len(rows))
"""


def executemany(source: Path, target: Path) -> float:
    """`sqlite3.executemany` of the rows of `source` into a new store, timed without reading them."""
    timed([*CGC, "db", "upgrade", "--db", str(target)])
    read = sqlite3.connect(source)
    names = [r[1] for r in read.execute("PRAGMA table_info(cgc_records)") if r[1] != "id"]
    rows = read.execute(f"SELECT {', '.join(names)} FROM cgc_records ORDER BY id").fetchall()
    read.close()
    con = sqlite3.connect(target)
    marks = ", ".join("?" * len(names))
    start = time.perf_counter()
    con.executemany(f"INSERT INTO cgc_records ({', '.join(names)}) VALUES ({marks}) ON CONFLICT DO NOTHING", rows)
    con.commit()
    took = time.perf_counter() - start
    con.close()
    return took


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
        store.engine.dispose()
        monitor = [*CGC, "monitor", "--db", str(db), "--format", "json"]
        all_years, all_mb = timed(monitor)
        reference, reference_mb = timed([sys.executable, "-c", REFERENCE, str(db)])
        one_year, one_mb = timed([*monitor, "--year", "2026"])
        size = db.stat().st_size
        dump, again, restored = Path(tmp) / "backup.jsonl", Path(tmp) / "again.jsonl", Path(tmp) / "restored.sqlite"
        export_s, export_mb = timed([*CGC, "db", "export", "--db", str(db), "-o", str(dump)])
        import_s, import_mb = timed([*CGC, "db", "import", "--db", str(restored), str(dump)])
        timed([*CGC, "db", "export", "--db", str(restored), "-o", str(again)])
        equal = dump.read_bytes() == again.read_bytes()
        dump_mb = dump.stat().st_size / 1e6
        for path in (dump, again):
            path.unlink()
        reference_import = executemany(restored, Path(tmp) / "reference.sqlite")
    result = {
        "evaluations": count,
        "records_stored": stored,
        "database_mb": round(size / 1e6, 1),
        "evaluate_and_build_s": round(build, 1),
        "insert_s": round(insert, 1),
        "recording_rate_per_s": round(count / (build + insert)),
        "insert_rate_per_s": round(count / insert),
        "monitor_all_years_s": round(all_years, 1),
        "monitor_all_years_mb": round(all_mb),
        "monitor_one_year_s": round(one_year, 1),
        "monitor_one_year_mb": round(one_mb),
        "sql_group_by_reference_s": round(reference, 1),
        "sql_group_by_reference_mb": round(reference_mb),
        "monitor_vs_reference": round(all_years / reference, 2),
        "export_mb": round(dump_mb),
        "export_s": round(export_s, 1),
        "export_peak_mb": round(export_mb),
        "import_s": round(import_s, 1),
        "import_peak_mb": round(import_mb),
        "executemany_reference_s": round(reference_import, 1),
        "import_vs_executemany": round(import_s / reference_import, 2),
        "round_trip_equal": equal,
        "date": time.strftime("%Y-%m-%d"),
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores (shared)",
    }
    out = ROOT / "bench" / "results" / "store.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
