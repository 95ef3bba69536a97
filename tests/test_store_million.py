"""Backup → restore of 1,000,000 records: export, import into a new store, and every row compared in SQL.

The records are the smallest valid ones (an evaluation with no outcomes), written straight into the store for the
set-up; the export and the import are the ones `cgc db export` and `cgc db import` run."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from cgc_rules.jobs.db import export, import_export
from cgc_rules.output import write_atomic
from cgc_rules.store.schema import COLUMNS
from cgc_rules.store.store import open_store

COUNT = 1_000_000
RULESET = "0" * 64


CONSTANT = {
    "kind": "evaluation",
    "ruleset_id": "hnn-gww",
    "ruleset_version": "2026.1",
    "ruleset_sha256": RULESET,
    "region": None,
    "project_type": "wegen",
    "day": "2026-01-01",
    "year": 2026,
    "role": "bid",
    "payload": '{"outcomes":[]}',
    "summary": '{"outcomes":[]}',
    "origin_good": None,
    "origin_total": None,
    "mki": None,
    "mki_level": None,
    "seb": None,
    "rules": "",  # no outcomes: no rule lines
}
VARYING = ("dedup_key", "recorded_at", "input_sha256", "municipality", "project_id")


def _rows(count: int) -> Iterator[tuple[object, ...]]:
    """Minimal valid evaluation records, as the store keeps them: the `VARYING` columns, then the `CONSTANT` ones."""
    seed = hashlib.sha256(b"evaluation\0")
    constant = tuple(CONSTANT.values())
    for i in range(count):
        sha = f"{i:064x}"
        key = seed.copy()
        key.update(f"{sha}\0{RULESET}\0bid".encode())
        yield (
            key.hexdigest(),
            f"2026-01-01T00:00:{i % 60:02d}.000000+00:00",
            sha,
            f"Gemeente {i % 7}",
            f"p{i}",
            *constant,
        )


def test_a_million_records_restore_with_equal_rows(tmp_path: Path):
    source, restored, dump = tmp_path / "source.sqlite", tmp_path / "restored.sqlite", tmp_path / "backup.jsonl"
    open_store(str(source)).engine.dispose()
    con = sqlite3.connect(source)
    con.execute("PRAGMA cache_size = -65536")  # the indexes' pages stay in memory while a million rows go in
    names = (*VARYING, *CONSTANT)
    assert sorted(names) == sorted(COLUMNS)
    marks = ", ".join("?" * len(names))
    con.executemany(f"INSERT INTO cgc_records ({', '.join(names)}) VALUES ({marks})", _rows(COUNT))
    con.commit()
    con.close()
    job = export(str(source))
    write_atomic(dump, job.lines())
    assert job.refusal() is None
    added = import_export(str(restored), dump)
    assert (added.added, added.already_stored) == (COUNT, 0)
    con = sqlite3.connect(restored)
    con.execute("ATTACH DATABASE ? AS source", (str(source),))
    columns = ", ".join(("id", *COLUMNS))
    counts = con.execute("SELECT (SELECT count(*) FROM main.cgc_records), (SELECT count(*) FROM source.cgc_records)")
    assert counts.fetchone() == (COUNT, COUNT)
    # ids are unique in each and the counts equal: no restored row missing from the source means equal tables
    differ = con.execute(
        f"SELECT count(*) FROM (SELECT {columns} FROM main.cgc_records EXCEPT SELECT {columns} FROM source.cgc_records)"
    ).fetchone()[0]
    assert differ == 0
    con.close()
