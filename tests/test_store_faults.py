"""The store under faults, each reproducer run through the CLI in a subprocess: exit 0, 1 or 2 with a message
naming the store, never an internal error (70) or a traceback; nothing recorded is lost."""

from __future__ import annotations

import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import yaml

from cgc_rules.store import migrate
from cgc_rules.store.records import dedup_key
from cgc_rules.store.store import open_store

from .conftest import ROOT, materials, road
from .pg import postgres  # noqa: F401  (fixture)


def cgc(tmp: Path, *args: object, env: dict[str, str] | None = None, limit_file: int | None = None):
    """Run `cgc` as its own process; a crash log would go to tmp/state."""

    def limits() -> None:
        if limit_file is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit_file, limit_file))

    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, str(ROOT / "cli.py"), *(str(a) for a in args)],
        capture_output=True,
        text=True,
        cwd=tmp,
        env={**os.environ, "PYTHONPATH": str(ROOT), "CGC_STATE_DIR": str(tmp / "state"), **(env or {})},
        preexec_fn=limits,
        timeout=120,
    )
    assert proc.returncode in (0, 1, 2), proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    assert not (tmp / "state").exists(), proc.stderr
    proc.seconds = time.monotonic() - started  # type: ignore[attr-defined]
    return proc


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a SQLite store holding three evaluations and their submissions, built once per module."""
    folder = tmp_path_factory.mktemp("recorded")
    db = folder / "store.sqlite"
    for share in (600, 700, 800):
        sub = folder / f"s{share}.yaml"
        sub.write_text(yaml.safe_dump(road(materials=materials(share, 1000 - share)), sort_keys=False), "utf-8")
        assert cgc(folder, "evaluate", sub, "-r", "hnn-gww", "--record", "--db", db).returncode in (0, 1)
    assert open_store(str(db)).count() == 3
    return folder


@pytest.fixture
def recorded(tmp_path: Path, template: Path) -> tuple[Path, list[Path]]:
    """A copy of the template's store in tmp_path, and its submissions."""
    for path in template.iterdir():
        shutil.copyfile(path, tmp_path / path.name)
    return tmp_path / "store.sqlite", sorted(tmp_path.glob("s*.yaml"))


def exported(tmp: Path, db: object) -> list[str]:
    res = cgc(tmp, "db", "export", "--db", db)
    assert res.returncode == 0, res.stderr
    return res.stdout.splitlines()


def test_hot_journal_of_a_crashed_write_is_rolled_back(tmp_path, recorded):
    db, _ = recorded
    before = exported(tmp_path, db)
    crash = (
        "import os, sqlite3, sys\n"
        "con = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "con.execute('PRAGMA cache_size = 1')\n"
        "con.execute('BEGIN')\n"
        "con.execute('CREATE TABLE junk (x TEXT)')\n"
        "con.executemany('INSERT INTO junk VALUES (?)', [('x' * 2000,)] * 500)\n"
        "os._exit(9)\n"
    )
    subprocess.run([sys.executable, "-c", crash, str(db)], check=False)
    journal = db.with_name(db.name + "-journal")
    assert journal.stat().st_size > 0  # the crash left a hot journal: the file holds half a write
    res = cgc(tmp_path, "db", "export", "--db", db)
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines() == before
    assert not journal.exists() or journal.stat().st_size == 0
    assert sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.parametrize("holder", ["reader", "writer"])
def test_locked_store_waits_the_stated_time_then_says_so(tmp_path, recorded, write, holder):
    db, _ = recorded
    other = write(road(materials=materials(650, 350)), "other.yaml")
    con = sqlite3.connect(db, isolation_level=None)
    if holder == "reader":  # a long `db export` or `monitor`: a shared lock while rows are read
        con.execute("BEGIN")
        rows = con.execute("SELECT * FROM cgc_records")
        rows.fetchone()
    else:
        con.execute("BEGIN EXCLUSIVE")
    args = ("evaluate", other, "-r", "hnn-gww", "--record", "--db", db)
    res = cgc(tmp_path, *args, env={"CGC_DB_LOCK_TIMEOUT": "1"})
    assert res.returncode == 2
    assert f"{db}: the store is locked by another process (waited 1 s" in res.stderr
    assert 1 <= res.seconds < 10
    con.execute("ROLLBACK")
    con.close()
    assert open_store(str(db)).count() == 3
    assert cgc(tmp_path, *args).returncode == 1
    assert open_store(str(db)).count() == 4


def test_lock_released_within_the_timeout_is_waited_for(tmp_path, recorded, write):
    db, _ = recorded
    con = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    con.execute("BEGIN EXCLUSIVE")
    threading.Timer(1.0, lambda: con.execute("ROLLBACK")).start()
    other = write(road(materials=materials(650, 350)), "other.yaml")
    res = cgc(tmp_path, "evaluate", other, "-r", "hnn-gww", "--record", "--db", db, env={"CGC_DB_LOCK_TIMEOUT": "20"})
    assert res.returncode == 1, res.stderr
    assert open_store(str(db)).count() == 4


def test_bad_lock_timeout_is_a_located_error(tmp_path, recorded):
    db, _ = recorded
    res = cgc(tmp_path, "monitor", "--db", db, env={"CGC_DB_LOCK_TIMEOUT": "soon"})
    assert res.returncode == 2
    assert "$CGC_DB_LOCK_TIMEOUT: must be a number of seconds from 0 to 3600" in res.stderr


def test_read_only_store_is_read_and_refuses_writes_by_name(tmp_path, recorded, write):
    db, _ = recorded
    url = f"sqlite:///file:{db}?mode=ro&uri=true"
    assert len(exported(tmp_path, url)) == 4
    assert cgc(tmp_path, "monitor", "--db", url, "--format", "json").returncode == 0
    other = write(road(materials=materials(650, 350)), "other.yaml")
    res = cgc(tmp_path, "evaluate", other, "-r", "hnn-gww", "--record", "--db", url)
    assert res.returncode == 2
    assert "the store is read-only" in res.stderr
    assert str(db) in res.stderr
    assert open_store(str(db)).count() == 3


def test_full_disk_during_import_keeps_nothing_and_leaves_a_readable_store(tmp_path, recorded):
    db, _ = recorded
    source = tmp_path / "big.sqlite"
    line = json.loads(exported(tmp_path, db)[1])
    big = tmp_path / "big.jsonl"
    with big.open("w", encoding="utf-8") as fh:  # 400 records of the same shape, each its own input
        fh.write('{"format": "cgc-rules-store", "version": 1}\n')
        for i in range(400):
            fh.write(json.dumps(_variant(line, i)) + "\n")
    assert cgc(tmp_path, "db", "import", "--db", source, big).stdout.strip() == "400 records added, 0 already stored"
    size = db.stat().st_size
    res = cgc(tmp_path, "db", "import", "--db", db, big, limit_file=size + 64 * 1024)
    assert res.returncode == 2, res.stderr
    assert f"{db}:" in res.stderr
    assert "disk" in res.stderr or "full" in res.stderr
    assert open_store(str(db)).count() == 3
    assert sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert cgc(tmp_path, "db", "import", "--db", db, big).stdout.strip() == "400 records added, 0 already stored"


def _variant(line: dict, i: int) -> dict:
    """The same record for another input (its own input hash and dedup key)."""
    sha = f"{i:064x}"
    key = dedup_key(line["kind"], sha, line["ruleset_sha256"], line["role"])
    return {**line, "input_sha256": sha, "dedup_key": key, "project_id": f"p{i}"}


def test_two_alembic_heads_or_an_unversioned_table_are_refused_by_name(tmp_path, recorded):
    db, _ = recorded
    con = sqlite3.connect(db)
    con.execute("INSERT INTO alembic_version VALUES ('fffe')")
    con.commit()
    for args in (["monitor"], ["db", "export"], ["db", "upgrade"]):
        res = cgc(tmp_path, *args, "--db", db)
        assert res.returncode == 2
        assert f"{db}:" in res.stderr
        assert "schema history is not one this version can follow" in res.stderr
    con.execute("DELETE FROM alembic_version")
    con.commit()
    con.close()
    res = cgc(tmp_path, "db", "upgrade", "--db", db)
    assert res.returncode == 2
    assert "holds a records table but no schema revision" in res.stderr


def test_older_table_shape_is_refused_by_name(tmp_path):
    db = tmp_path / "old.sqlite"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE cgc_records (id INTEGER PRIMARY KEY, kind TEXT, payload TEXT)")
    con.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
    con.execute("INSERT INTO alembic_version VALUES (?)", (migrate.head(),))
    con.commit()
    con.close()
    for args in (["monitor"], ["db", "export"]):
        res = cgc(tmp_path, *args, "--db", db)
        assert res.returncode == 2, res.stderr
        assert "does not have the shape this version expects" in res.stderr, res.stderr


def test_export_names_a_row_that_no_longer_validates_and_keeps_the_rest(tmp_path, recorded):
    db, _ = recorded
    good = exported(tmp_path, db)
    con = sqlite3.connect(db)
    con.execute(
        "INSERT INTO cgc_records (kind, dedup_key, recorded_at, input_sha256, ruleset_id, ruleset_version, "
        "ruleset_sha256, municipality, project_id, role, payload, summary) SELECT kind, ?, recorded_at, input_sha256, "
        "ruleset_id, ruleset_version, ruleset_sha256, municipality, project_id, role, payload, summary FROM cgc_records "
        "WHERE id = 2",
        ("0" * 64,),
    )
    con.commit()
    con.close()
    out = tmp_path / "backup.jsonl"
    res = cgc(tmp_path, "db", "export", "--db", db, "-o", out)
    assert res.returncode == 2
    assert "record id 4 cannot be read" in res.stderr
    assert "dedup_key does not match" in res.stderr
    assert "1 records left out of the export" in res.stderr
    assert out.read_text(encoding="utf-8").splitlines() == good
    assert cgc(tmp_path, "monitor", "--db", db, "--format", "json").returncode == 0
    con = sqlite3.connect(db)  # a row whose payload lacks what monitoring reads: named, no figures
    ruleset_sha, role = con.execute("SELECT ruleset_sha256, role FROM cgc_records WHERE id = 2").fetchone()
    con.execute(
        "INSERT INTO cgc_records (kind, dedup_key, recorded_at, input_sha256, ruleset_id, ruleset_version, "
        "ruleset_sha256, municipality, project_id, role, payload) SELECT kind, ?, recorded_at, ?, "
        "ruleset_id, ruleset_version, ruleset_sha256, municipality, project_id, role, '{}' FROM cgc_records "
        "WHERE id = 2",
        (dedup_key("evaluation", "1" * 64, ruleset_sha, role), "1" * 64),
    )
    con.commit()
    con.close()
    res = cgc(tmp_path, "monitor", "--db", db)
    assert res.returncode == 2
    assert "record id 5 cannot be read for monitoring" in res.stderr
    res = cgc(tmp_path, "db", "export", "--db", db)
    assert res.returncode == 2
    assert "record id 5 cannot be read (the payload lacks what monitoring reads" in res.stderr


def test_postgresql_lock_and_read_only_are_named(tmp_path, postgres, write):  # noqa: F811
    import psycopg

    url = postgres.database()
    name = url.split("@/")[1].split("?")[0]
    sub = write(road(materials=materials(700, 300)))
    args = ("evaluate", sub, "-r", "hnn-gww", "--record", "--db", url)
    assert cgc(tmp_path, "db", "upgrade", "--db", url).returncode == 0
    with psycopg.connect(host=str(postgres.socket_dir), user=postgres.user, dbname=name) as conn:
        conn.execute("LOCK TABLE cgc_records IN ACCESS EXCLUSIVE MODE")
        res = cgc(tmp_path, *args, env={"CGC_DB_LOCK_TIMEOUT": "1"})
        assert res.returncode == 2
        assert "the store is locked by another process (waited 1 s" in res.stderr
        assert name in res.stderr
    with psycopg.connect(host=str(postgres.socket_dir), user=postgres.user, dbname=name, autocommit=True) as conn:
        conn.execute(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
    res = cgc(tmp_path, *args)
    assert res.returncode == 2
    assert "the store is read-only" in res.stderr
    assert name in res.stderr
    assert open_store(url).count() == 0


def test_damaged_page_of_a_store_is_a_located_message(tmp_path, recorded):
    db, _ = recorded
    data = bytearray(db.read_bytes())
    data[-4096:] = b"\xff" * 4096  # wreck the last page (records, an index)
    db.write_bytes(bytes(data))
    for args in (["monitor"], ["db", "export"], ["db", "upgrade"]):
        res = cgc(tmp_path, *args, "--db", db)
        assert res.returncode == 2, (args, res.stderr)
        assert f"{db}: damaged SQLite database" in res.stderr, (args, res.stderr)
    assert db.read_bytes() == bytes(data)


def test_unreachable_postgresql_server_is_named(tmp_path):
    url = f"postgresql://cgc@/cgc?host={tmp_path / 'no-server'}"
    res = cgc(tmp_path, "monitor", "--db", url)
    assert res.returncode == 2
    assert "cannot connect to the database" in res.stderr
    assert "no-server" in res.stderr
