"""The store at scale, each figure beside its reference in one run (interleaved repetitions, medians).

Records: `--distinct` submissions (4 material lines each) evaluated against hnn-gww@2026.1 the way
`cgc evaluate --record` does (report with the Dutch texts, audit record), then copied to `--count` records, each
copy its own input and project (so monitoring counts each once). Then, each as a fresh process with its wall
time, CPU time and peak memory, `--repeat` times in turn:
  * `cgc db import` of the store's own export into a new store, beside `sqlite3.executemany` of the same rows
    into a new store (same schema, same `ON CONFLICT DO NOTHING`);
  * `cgc monitor --format json`, beside a SQL `GROUP BY` reference (the origin tonnes per year, municipality and
    project type, summed by SQLite's JSON functions over the payloads).
  * `cgc evaluate DIR --format jsonl --record` over `--batch` submission files (all cores), beside the same
    batch without `--record`.
The restored store's rows are compared with the original's in SQL (every column, both ways) and its export with
the first byte for byte. Writes bench/results/store.json. Not a test.

    .venv/bin/python bench/store_bench.py [--count 100000] [--distinct 2000] [--repeat 3] [--batch 2000]
        [--results store.json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import conditions  # noqa: E402
from batch_bench import generate  # noqa: E402

from cgc_rules.evaluator import compile_ruleset, evaluate  # noqa: E402
from cgc_rules.registry import Registry  # noqa: E402
from cgc_rules.report.build import Evaluated, build_report  # noqa: E402
from cgc_rules.store.build import evaluation_records  # noqa: E402
from cgc_rules.store.records import dedup_key  # noqa: E402
from cgc_rules.store.schema import COLUMNS  # noqa: E402
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


def timed(args: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak memory (MB) of one process."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", PEAK, *args], check=True, capture_output=True, text=True)
    rss, cpu = proc.stdout.split()[-2:]
    return time.perf_counter() - start, float(cpu), int(rss) / 1024


PEAK = """
import resource, subprocess, sys
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
if code not in (0, 1):
    sys.exit(f"{sys.argv[1:]}: exit {code}")
use = resource.getrusage(resource.RUSAGE_CHILDREN)
print(use.ru_maxrss, use.ru_utime + use.ru_stime)
"""
"""A small parent that runs the command and prints its peak memory (KiB) and CPU seconds."""


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
EXECUTEMANY = """
import sqlite3, sys
read = sqlite3.connect(sys.argv[1])
names = [r[1] for r in read.execute("PRAGMA table_info(cgc_records)") if r[1] != "id"]
rows = read.execute(f"SELECT {', '.join(names)} FROM cgc_records ORDER BY id")
con = sqlite3.connect(sys.argv[2])
marks = ", ".join("?" * len(names))
con.executemany(f"INSERT INTO cgc_records ({', '.join(names)}) VALUES ({marks}) ON CONFLICT DO NOTHING", rows)
con.commit()
"""
"""The reference import: the same rows (read from the restored store as they come) by `executemany`."""


def build(db: Path, count: int, distinct: int) -> float:
    """The store: `distinct` evaluated records, copied to `count`; returns the seconds evaluation took."""
    registry = Registry()
    rnd = random.Random(1)
    selection = registry.select("hnn-gww@2026.1", None, None)
    compiled = compile_ruleset(selection.loaded.ruleset)
    start = time.perf_counter()
    pool = []
    for i in range(distinct):
        loaded = submission(i, rnd)
        runs = [Evaluated(selection, evaluate(loaded.submission, compiled))]
        pool += [r.row() for r in evaluation_records(build_report(loaded, runs, "nl", None), runs, "design")]
    took = time.perf_counter() - start
    store = open_store(str(db))

    def rows():
        for i in range(count):
            row = dict(zip(COLUMNS, pool[i % distinct], strict=True))
            sha = hashlib.sha256(f"bench {i}".encode()).hexdigest()
            row["input_sha256"], row["project_id"] = sha, f"bench-{i}"
            row["dedup_key"] = dedup_key("evaluation", sha, row["ruleset_sha256"], row["role"])
            yield tuple(map(row.__getitem__, COLUMNS))

    store.add_rows(rows())
    store.engine.dispose()
    return took


def same_rows(a: Path, b: Path) -> bool:
    con = sqlite3.connect(a)
    con.execute("ATTACH DATABASE ? AS other", (str(b),))
    columns = ", ".join(("id", *COLUMNS))
    differ = [
        con.execute(
            f"SELECT count(*) FROM (SELECT {columns} FROM {x}.cgc_records EXCEPT SELECT {columns} FROM {y}.cgc_records)"
        ).fetchone()[0]
        for x, y in (("main", "other"), ("other", "main"))
    ]
    counts = con.execute("SELECT (SELECT count(*) FROM main.cgc_records), (SELECT count(*) FROM other.cgc_records)")
    equal = differ == [0, 0] and len(set(counts.fetchone())) == 1
    con.close()
    return equal


def median(runs: list[tuple[float, float, float]], i: int) -> float:
    return statistics.median(r[i] for r in runs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--distinct", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--batch", type=int, default=2_000)
    parser.add_argument("--results", default="store.json", help="file under bench/results/ to write")
    args = parser.parse_args()
    head = conditions.start()
    with tempfile.TemporaryDirectory(prefix="cgc-store-bench-") as tmp:
        base = Path(tmp)
        db, dump, again = base / "store.sqlite", base / "backup.jsonl", base / "again.jsonl"
        evaluation_s = build(db, args.count, min(args.distinct, args.count))
        export = timed([*CGC, "db", "export", "--db", str(db), "-o", str(dump)])
        empty = base / "empty.sqlite"
        timed([*CGC, "db", "upgrade", "--db", str(empty)])
        files = base / "submissions"
        files.mkdir()
        generate(files, args.batch)
        batch = [*CGC, "evaluate", str(files), "-r", "hnn-gww@2026.1", "--format", "jsonl", "-o", str(base / "b.jsonl")]
        imports, references, monitors, groups, recording, plain = [], [], [], [], [], []
        equal = True
        for n in range(args.repeat):
            restored, reference = base / f"restored{n}.sqlite", base / f"reference{n}.sqlite"
            reference.write_bytes(empty.read_bytes())
            imports.append(timed([*CGC, "db", "import", "--db", str(restored), str(dump)]))
            references.append(timed([sys.executable, "-c", EXECUTEMANY, str(restored), str(reference)]))
            monitors.append(timed([*CGC, "monitor", "--db", str(db), "--format", "json"]))
            groups.append(timed([sys.executable, "-c", REFERENCE, str(db)]))
            recording.append(timed([*batch, "--record", "--db", str(base / f"batch{n}.sqlite"), "--role", "bid"]))
            plain.append(timed(batch))
            if n == 0:
                equal = same_rows(db, restored)
                timed([*CGC, "db", "export", "--db", str(restored), "-o", str(again)])
                equal = equal and dump.read_bytes() == again.read_bytes()
                again.unlink()
            restored.unlink()
            reference.unlink()
        result = {
            **conditions.finish(head),
            "records": args.count,
            "distinct_evaluations": min(args.distinct, args.count),
            "repetitions": args.repeat,
            "database_mb": round(db.stat().st_size / 1e6),
            "export_mb": round(dump.stat().st_size / 1e6),
            "evaluate_and_build_s": round(evaluation_s, 1),
            "export_s": round(export[0], 1),
            "export_cpu_s": round(export[1], 1),
            "export_peak_mb": round(export[2]),
            "import_s": round(median(imports, 0), 1),
            "import_cpu_s": round(median(imports, 1), 1),
            "import_peak_mb": round(median(imports, 2)),
            "executemany_reference_s": round(median(references, 0), 1),
            "executemany_reference_cpu_s": round(median(references, 1), 1),
            "import_vs_executemany": round(median(imports, 0) / median(references, 0), 2),
            "import_vs_executemany_cpu": round(median(imports, 1) / median(references, 1), 2),
            "monitor_all_years_s": round(median(monitors, 0), 2),
            "monitor_all_years_cpu_s": round(median(monitors, 1), 2),
            "monitor_all_years_mb": round(median(monitors, 2)),
            "sql_group_by_reference_s": round(median(groups, 0), 2),
            "sql_group_by_reference_cpu_s": round(median(groups, 1), 2),
            "sql_group_by_reference_mb": round(median(groups, 2)),
            "monitor_vs_reference": round(median(monitors, 0) / median(groups, 0), 2),
            "monitor_vs_reference_cpu": round(median(monitors, 1) / median(groups, 1), 2),
            "batch_files": args.batch,
            "batch_record_s": round(median(recording, 0), 1),
            "batch_record_cpu_s": round(median(recording, 1), 1),
            "batch_record_per_s": round(args.batch / median(recording, 0)),
            "batch_without_record_s": round(median(plain, 0), 1),
            "batch_without_record_per_s": round(args.batch / median(plain, 0)),
            "batch_record_vs_without": round(median(recording, 0) / median(plain, 0), 2),
            "round_trip_equal_rows": equal,
        }
    out = ROOT / "bench" / "results" / args.results
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
