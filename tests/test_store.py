"""The store on SQLite and on a real PostgreSQL server: recording, no duplicates, export/import, refusals."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from cgc_rules.jobs import db as store_job
from cgc_rules.jobs import monitor as monitor_job
from cgc_rules.store.store import Store, open_store

from .conftest import ROOT, materials, road
from .pg import postgres  # noqa: F401  (fixture)
from .region import generator
from .test_examples import EXAMPLES, header


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path: Path) -> str:
    """An empty store location on each backend."""
    if request.param == "sqlite":
        return str(tmp_path / "store.sqlite")
    return request.getfixturevalue("postgres").database()


def record_examples(cgc, db: str) -> int:
    """Record every shipped example the way its header runs it; returns the number of records expected."""
    expected = 0
    for path in EXAMPLES:
        command = header(path)["command"]
        res = cgc(*command, "--format", "json", "--record", "--db", db)
        assert res.exit_code in (0, 1), res.output
        expected += command.count("-r") if command[0] == "evaluate" else 1
    return expected


def export(cgc, db: str) -> list[str]:
    res = cgc("db", "export", "--db", db)
    assert res.exit_code == 0, res.output
    return res.output.splitlines()


def test_examples_recorded_once_even_when_recorded_twice(cgc, db, monkeypatch):
    monkeypatch.chdir(ROOT)
    # 9 evaluate examples: weg (2 rulesets) ×2, openbare ruimte (1) ×2, woningbouw (1) ×2, hnn-gebouw (1),
    # sloop (2) ×2 = 13; 5 assess examples, one record each: 18 in all
    expected = record_examples(cgc, db)
    assert expected == 18
    assert open_store(db).count() == expected
    first = export(cgc, db)
    assert record_examples(cgc, db) == expected
    assert open_store(db).count() == expected
    assert export(cgc, db) == first
    evaluation = json.loads(
        next(line for line in first[1:] if '"ruleset_id":"hnn-gww"' in line and "weg-voldoet.yaml" in line)
    )
    assert evaluation["role"] == "design"
    assert evaluation["year"] == 2026
    assert evaluation["municipality"] == "Arnhem"
    origin = next(o for o in evaluation["payload"]["outcomes"] if o["rule_id"] == "herkomst-materiaal")
    # 5.208 t of 8.400 t: the derivation terms are kept, not only the value
    assert (origin["terms"]["good"], origin["terms"]["total"], origin["status"]) == (5208, 8400, "pass")


def test_same_input_in_another_role_is_another_record(cgc, db, write):
    path = write(road(materials=materials(700, 300)))
    for role in ("bid", "bid", "awarded"):
        assert cgc("evaluate", path, "-r", "hnn-gww", "--record", "--role", role, "--db", db).exit_code == 1
    assert open_store(db).count() == 2


def test_export_import_into_empty_postgresql_gives_identical_monitoring(cgc, postgres, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.chdir(ROOT)
    lite = str(tmp_path / "store.sqlite")
    record_examples(cgc, lite)
    region = generator()
    subs, assessments = region.generate(tmp_path / "region", seed=7)
    region.record(lite, subs, assessments)
    dump = tmp_path / "export.jsonl"
    assert cgc("db", "export", "--db", lite, "-o", dump).exit_code == 0
    pg = postgres.database()
    res = cgc("db", "import", "--db", pg, dump)
    assert res.exit_code == 0, res.output
    n = len(dump.read_text(encoding="utf-8").splitlines()) - 1
    assert res.output.strip() == f"{n} records added, 0 already stored"
    assert export(cgc, pg) == dump.read_text(encoding="utf-8").splitlines()
    for args in (["--format", "json"], ["--format", "csv", "--year", "2025"], ["--format", "table"]):
        a, b = cgc("monitor", "--db", lite, *args), cgc("monitor", "--db", pg, *args)
        assert a.exit_code == b.exit_code == 0, a.output + b.output
        assert a.output == b.output
    again = cgc("db", "import", "--db", pg, dump)
    assert again.output.strip() == f"0 records added, {n} already stored"
    for url in (lite, pg):  # the choice lists the database finds are those of the figures, on both backends
        store = store_job.opened(url)
        names, years = monitor_job.choices(store)
        assert (names, years) == _choices_of_the_figures(store)
        assert len(names) > 2
        assert len(years) > 1


def _choices_of_the_figures(store: Store) -> tuple[list[str], list[int]]:
    """The municipalities and years the unfiltered figures show (rows, trend and self-assessments)."""
    data = monitor_job.figures(store, "nl").data
    names = {r["municipality"] for r in data["rows"] if r["municipality"]}
    names |= {m["name"] for m in data["municipalities"] if m["name"]}
    years = {t["year"] for t in data["trend"] if t["year"]} | {m["year"] for m in data["municipalities"] if m["year"]}
    return sorted(names, key=str.casefold), sorted(years, reverse=True)


def test_import_is_all_or_nothing(cgc, db, tmp_path, write):
    source = str(tmp_path / "source.sqlite")
    for share in (600, 700, 800):
        assert cgc(
            "evaluate",
            write(road(materials=materials(share, 1000 - share)), f"s{share}.yaml"),
            "-r",
            "hnn-gww",
            "--record",
            "--db",
            source,
        ).exit_code in (0, 1)
    lines = export(cgc, source)
    broken = json.loads(lines[2])
    broken["payload"]["outcomes"] = "tampered"
    broken["dedup_key"] = "0" * 64
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join([lines[0], lines[1], json.dumps(broken), lines[3]]) + "\n", encoding="utf-8")
    res = cgc("db", "import", "--db", db, bad)
    assert res.exit_code == 2
    assert "bad.jsonl:3" in res.output
    assert "dedup_key" in res.output
    assert "Traceback" not in res.output
    assert open_store(db).count() == 0
    twice = lines[2].replace('"municipality":', '"municipality":"Elders","municipality":', 1)
    bad.write_text("\n".join([lines[0], lines[1], twice, lines[3]]) + "\n", encoding="utf-8")
    res = cgc("db", "import", "--db", db, bad)  # a key given twice: refused as in every JSON file, not last-wins
    assert res.exit_code == 2
    assert "bad.jsonl:3:" in res.output
    assert "duplicate key 'municipality'" in res.output
    assert open_store(db).count() == 0
    foreign = tmp_path / "foreign.jsonl"
    foreign.write_text('{"hello": 1}\n', encoding="utf-8")
    res = cgc("db", "import", "--db", db, foreign)
    assert res.exit_code == 2
    assert "foreign.jsonl:1" in res.output
    assert "not a cgc-rules store export" in res.output


def test_records_cannot_be_changed_or_deleted(cgc, db, write):
    assert (
        cgc("evaluate", write(road(materials=materials(700, 300))), "-r", "hnn-gww", "--record", "--db", db).exit_code
        == 1
    )
    store = open_store(db)
    for statement in ("UPDATE cgc_records SET role = 'bid'", "DELETE FROM cgc_records"):
        with pytest.raises(Exception, match="append-only"), store.engine.begin() as conn:
            conn.execute(text(statement))
    assert store.count() == 1


@pytest.mark.parametrize("kind", ["not-sqlite", "damaged", "foreign"])
def test_corrupt_or_foreign_file_is_refused_and_left_alone(cgc, write, tmp_path, kind):
    path = tmp_path / "store.sqlite"
    if kind == "not-sqlite":
        path.write_bytes(b"PK\x03\x04 this is a zip file, not a database" * 20)
    elif kind == "foreign":
        con = sqlite3.connect(path)
        con.execute("CREATE TABLE klanten (naam TEXT)")
        con.execute("INSERT INTO klanten VALUES ('Jansen')")
        con.commit()
        con.close()
    else:
        con = sqlite3.connect(path)
        con.execute("CREATE TABLE t (x TEXT)")
        con.executemany("INSERT INTO t VALUES (?)", [("x" * 500,)] * 200)
        con.commit()
        con.close()
        data = bytearray(path.read_bytes())
        data[4096:8192] = b"\xff" * 4096  # wreck the second page
        path.write_bytes(bytes(data))
    before = path.read_bytes()
    submission = write(road(materials=materials(700, 300)))
    for args in (
        ["evaluate", submission, "-r", "hnn-gww", "--record", "--db", path],
        ["monitor", "--db", path],
        ["db", "upgrade", "--db", path],
        ["db", "export", "--db", path],
    ):
        res = cgc(*args)
        assert res.exit_code == 2, (args, res.output)
        assert "refusing to use it" in res.output
        assert "Traceback" not in res.output
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store.sqlite", "submission.yaml"]


def test_upgrade_creates_then_reports(cgc, tmp_path):
    path = tmp_path / "new.sqlite"
    res = cgc("db", "upgrade", "--db", path)
    assert res.exit_code == 0
    assert "schema revision 0005, 0 records" in res.output
    assert cgc("db", "upgrade", "--db", path).exit_code == 0
    assert cgc("monitor", "--db", tmp_path / "missing.sqlite").exit_code == 2


def test_database_url_from_environment(cgc, write, tmp_path, monkeypatch):
    monkeypatch.setenv("CGC_DATABASE_URL", f"sqlite:///{tmp_path / 'env.sqlite'}")
    assert cgc("evaluate", write(road(materials=materials(700, 300))), "-r", "hnn-gww", "--record").exit_code == 1
    assert open_store(str(tmp_path / "env.sqlite")).count() == 1


def test_foreign_postgresql_database_is_refused_and_left_alone(cgc, postgres, write):  # noqa: F811
    import psycopg

    url = postgres.database()
    name = url.split("@/")[1].split("?")[0]
    with psycopg.connect(host=str(postgres.socket_dir), user=postgres.user, dbname=name, autocommit=True) as conn:
        conn.execute("CREATE TABLE klanten (naam text)")
        conn.execute("INSERT INTO klanten VALUES ('Jansen')")
    for args in (
        ["evaluate", write(road(materials=materials(700, 300))), "-r", "hnn-gww", "--record", "--db", url],
        ["db", "upgrade", "--db", url],
    ):
        res = cgc(*args)
        assert res.exit_code == 2, res.output
        assert "not a cgc-rules store" in res.output, res.output
    with psycopg.connect(host=str(postgres.socket_dir), user=postgres.user, dbname=name) as conn:
        tables = [r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        assert tables == ["klanten"]
        assert conn.execute("SELECT naam FROM klanten").fetchall() == [("Jansen",)]
