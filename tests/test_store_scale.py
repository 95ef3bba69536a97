"""Backup and restore at scale, streamed: 20,000 records round-trip byte for byte through the CLI
(the million is in bench/store_bench.py); any line not in the product's own form takes the strict reader."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import orjson
import pytest
from pydantic import ValidationError

from cgc_rules.store.records import StoredRecord, dedup_key, plain_row
from cgc_rules.store.store import open_store

from .conftest import ROOT, materials, road
from .test_store_faults import cgc

COUNT = 20_000


def _one(tmp_path, write) -> dict:
    db = tmp_path / "one.sqlite"
    sub = write(road(materials=materials(700, 300)))
    assert cgc(tmp_path, "evaluate", sub, "-r", "hnn-gww", "--record", "--db", db).returncode == 1
    res = cgc(tmp_path, "db", "export", "--db", db)
    return json.loads(res.stdout.splitlines()[1])


def _variant(line: dict, i: int) -> dict:
    sha = f"{i:064x}"
    return {
        **line,
        "input_sha256": sha,
        "dedup_key": dedup_key("evaluation", sha, line["ruleset_sha256"], line["role"]),
    }


def test_twenty_thousand_records_round_trip_byte_for_byte(tmp_path, write):
    line = _one(tmp_path, write)
    dump = tmp_path / "backup.jsonl"
    with dump.open("w", encoding="utf-8") as fh:
        fh.write('{"format": "cgc-rules-store", "version": 1}\n')
        for i in range(COUNT):
            text = json.dumps(_variant(line, i), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            fh.write(text + "\n")
    assert dump.stat().st_size > 64 * 1024 * 1024  # over the submission limit that refused such a backup before
    db = tmp_path / "restored.sqlite"
    res = cgc(tmp_path, "db", "import", "--db", db, dump)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == f"{COUNT} records added, 0 already stored", res.stderr
    again = tmp_path / "again.jsonl"
    assert cgc(tmp_path, "db", "export", "--db", db, "-o", again).returncode == 0
    assert again.read_bytes() == dump.read_bytes()


def test_older_form_of_a_line_is_read_strictly_and_a_key_twice_in_a_payload_refused(tmp_path, write):
    line = _one(tmp_path, write)
    old = tmp_path / "old.jsonl"
    old.write_text(
        '{"format": "cgc-rules-store", "version": 1}\n' + json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n",
        encoding="utf-8",
    )
    db = tmp_path / "restored.sqlite"
    res = cgc(tmp_path, "db", "import", "--db", db, old)
    assert res.returncode == 0
    assert res.stdout.strip() == "1 records added, 0 already stored"
    stored = open_store(str(db)).records()
    assert [r.payload for r in stored] == [line["payload"]]
    compact = json.dumps(_variant(line, 1), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    twice = compact.replace('"payload":{', '"payload":{"lang":"en",', 1)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"format": "cgc-rules-store", "version": 1}\n' + twice + "\n", encoding="utf-8")
    res = cgc(tmp_path, "db", "import", "--db", db, bad)
    assert res.returncode == 2
    assert "bad.jsonl:2:" in res.stderr
    assert "duplicate key 'lang'" in res.stderr
    assert open_store(str(db)).count() == 1


def test_a_record_over_the_per_record_limit_is_refused_by_line(tmp_path):
    from cgc_rules.store.jsonl import MAX_RECORD_BYTES

    big = tmp_path / "big.jsonl"
    with big.open("w", encoding="utf-8") as fh:
        fh.write('{"format": "cgc-rules-store", "version": 1}\n{"x": "' + "a" * MAX_RECORD_BYTES + '"}\n')
    res = cgc(tmp_path, "db", "import", "--db", tmp_path / "s.sqlite", big)
    assert res.returncode == 2, res.stderr
    assert "big.jsonl:2: a record longer than 16 MiB" in res.stderr, res.stderr


def test_upgrade_from_0001_fills_the_summaries_and_monitoring_is_unchanged(tmp_path, write):
    from alembic import command
    from sqlalchemy import create_engine, text

    from cgc_rules.store.migrate import _config

    fresh = tmp_path / "fresh.sqlite"
    for share in (600, 700):
        sub = write(road(materials=materials(share, 1000 - share)), f"s{share}.yaml")
        assert cgc(tmp_path, "evaluate", sub, "-r", "hnn-gww", "--record", "--db", fresh).returncode in (0, 1)
    assessment = ROOT / "examples" / "gemeente-voldoet.yaml"
    assert cgc(tmp_path, "assess", assessment, "--record", "--db", fresh).returncode in (0, 1)
    old = tmp_path / "old.sqlite"
    engine = create_engine(f"sqlite:///{old}")
    with engine.begin() as conn:
        command.upgrade(_config(conn), "0001")
        columns = (
            "kind, dedup_key, recorded_at, input_sha256, ruleset_id, ruleset_version, ruleset_sha256, "
            "municipality, region, project_id, project_type, day, year, role, payload"
        )
        conn.execute(text(f"ATTACH DATABASE '{fresh}' AS fresh"))
        conn.execute(text(f"INSERT INTO cgc_records ({columns}) SELECT {columns} FROM fresh.cgc_records ORDER BY id"))
    engine.dispose()
    res = cgc(tmp_path, "monitor", "--db", old)
    assert res.returncode == 2
    assert "schema revision 0001 is older than 0005; run `cgc db upgrade`" in res.stderr
    res = cgc(tmp_path, "db", "upgrade", "--db", old)
    assert res.returncode == 0
    assert "schema revision 0005, 3 records" in res.stdout
    for args in (["--format", "json"], ["--format", "csv", "--year", "2026"]):
        a, b = cgc(tmp_path, "monitor", "--db", fresh, *args), cgc(tmp_path, "monitor", "--db", old, *args)
        assert a.returncode == b.returncode == 0, a.stderr + b.stderr
        assert a.stdout == b.stdout, a.stderr + b.stderr
    assert json.loads(cgc(tmp_path, "monitor", "--db", old, "--format", "json").stdout)["store"]["records"] == 3


def _record() -> dict:
    """A small valid evaluation as `export_line` writes it, read back as JSON."""
    sha, ruleset = "a" * 64, "b" * 64
    outcome = {"rule_id": "herkomst", "status": "pass", "level": "requirement", "value": 62.5, "threshold": 50.0}
    payload = {
        "outcomes": [
            {**outcome, "indicator": "responsible_origin_share", "terms": {"good": 625.0, "total": 1000.0}},
            {**outcome, "rule_id": "mki", "indicator": "mki_eur_per_m2_year", "value": 0.1, "terms": {}},
        ],
        "texts": "één – ≥",
    }
    record = StoredRecord(
        kind="evaluation",
        dedup_key=dedup_key("evaluation", sha, ruleset, "bid"),
        recorded_at=datetime(2026, 3, 1, 9, 30, 15, 250000, tzinfo=UTC),
        input_sha256=sha,
        ruleset_id="hnn-gww",
        ruleset_version="2026.1",
        ruleset_sha256=ruleset,
        municipality="Gemeente Arnhem",
        region="Arnhem-Nijmegen",
        project_id="p-1",
        project_type="wegen",
        day="2026-03-01",
        year=2026,
        role="bid",
        payload=payload,
    )
    return json.loads(record.export_line())


VARIANTS = {
    "as written": {},
    "no fraction of a second": {"recorded_at": "2026-03-01T09:30:15Z"},
    "an offset": {"recorded_at": "2026-03-01T10:30:15.250000+01:00"},
    "no time zone": {"recorded_at": "2026-03-01T09:30:15.250000"},
    "a day that does not exist": {"recorded_at": "2026-02-30T09:30:15Z"},
    "a time as a number": {"recorded_at": 1772357415},
    "a year as text": {"year": "2026"},
    "a year as a float": {"year": 2026.0},
    "a year out of range": {"year": 2201},
    "a year as a boolean": {"year": True},
    "a day in other digits": {"day": "٢٠٢٦-03-01"},
    "a day with a newline": {"day": "2026-03-01\n"},
    "an upper-case hash": {"input_sha256": "A" * 64},
    "a dedup key of something else": {"dedup_key": "c" * 64},
    "an unknown role": {"role": "tender"},
    "no role": {"role": None},
    "no project": {"project_id": None},
    "an empty municipality": {"municipality": ""},
    "a long project type": {"project_type": "x" * 41},
    "a region as a number": {"region": 7},
    "an unknown kind": {"kind": "award"},
    "an extra field": {"extra": 1},
    "a payload without outcomes": {"payload": {"texts": ""}},
    "a payload as a list": {"payload": []},
}


@pytest.mark.parametrize("change", VARIANTS.values(), ids=VARIANTS.keys())
def test_a_line_read_without_the_model_gives_the_models_row_or_is_left_to_it(change):
    """Every line the fast check accepts gives the row the model gives; any other is left to the model, which
    then accepts it or names what is wrong: the fast check never accepts what the model refuses."""
    data = {**_record(), **change}
    payload = data.pop("payload")
    body = orjson.dumps(payload, option=orjson.OPT_SORT_KEYS)
    fast = plain_row(dict(data), payload, body)
    try:
        model = StoredRecord.model_validate({**data, "payload": payload}, context={"payload_text": body.decode()})
    except ValidationError:
        assert fast is None
        return
    if fast is not None:
        assert fast[:-1] == model.row()[:-1]
        assert fast[-1].decode() == model.row()[-1]
    elif not change:
        pytest.fail("a line as written must be read without the model")


STORED_VARIANTS = {
    "as stored": {},
    "no fraction of a second": {"recorded_at": "2026-03-01T09:30:15.000000+00:00"},
    "an offset": {"recorded_at": "2026-03-01T10:30:15.250000+01:00"},
    "a negative offset, one microsecond": {"recorded_at": "2026-03-01T04:00:15.000001-05:30"},
    "an offset of minus zero": {"recorded_at": "2026-03-01T09:30:15.250000-00:00"},
    "no time zone": {"recorded_at": "2026-03-01T09:30:15.250000"},
    "a day that does not exist": {"recorded_at": "2026-02-30T09:30:15.000000+00:00"},
    "a time as a number": {"recorded_at": 1772357415},
    "a payload that is not JSON": {"payload": "{"},
    "a payload as a list": {"payload": "[]"},
    "a payload with a lone surrogate": {"payload": '{"outcomes":[],"texts":"\\ud800"}'},
    "a municipality with a lone surrogate": {"municipality": "Gemeente \ud800"},
    **{  # the other fields as the export's variants change them (its times are in the export's form)
        name: change
        for name, change in VARIANTS.items()
        if change and not change.keys() & {"payload", "extra", "recorded_at"}
    },
}


@pytest.mark.parametrize("change", STORED_VARIANTS.values(), ids=STORED_VARIANTS.keys())
def test_a_stored_row_exported_without_the_model_gives_the_models_line_or_is_left_to_it(change):
    """Every stored row the plain export accepts gives the line the model gives; any other is left to the model,
    which writes it or reports it unreadable: the plain export never writes what the model refuses."""
    from cgc_rules.store.records import plain_export_line
    from cgc_rules.store.store import Stored, Unreadable, readable

    row = Stored(1, *StoredRecord.model_validate(_record()).row())._replace(**change)
    fast = plain_export_line(row)
    item = readable(row)
    if isinstance(item, Unreadable):
        assert fast is None
        return
    if fast is not None:
        assert fast == item.export_line()
    elif change in ({}, STORED_VARIANTS["no fraction of a second"], STORED_VARIANTS["an offset"]):
        pytest.fail("a row as stored must be exported without the model")


def _export(path, records: list[dict]) -> None:
    text = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n" for r in records)
    path.write_text('{"format": "cgc-rules-store", "version": 1}\n' + text, encoding="utf-8")


def test_workers_reading_their_own_spans_give_the_rows_and_line_numbers_of_one_process(tmp_path, monkeypatch):
    """Forty records in spans of about 700 bytes (a record is about 850): each worker reads its span itself; the
    rows, and the numbers of the bad lines (12 and 31, the header being line 1), are those read in one process."""
    from cgc_rules.errors import CgcError
    from cgc_rules.store import jsonl

    monkeypatch.setattr(jsonl, "SPAN", 700)
    records = [_variant(_record(), i) for i in range(40)]
    good = tmp_path / "good.jsonl"
    _export(good, records)
    alone = list(jsonl.read_export(good, 0))
    assert len(alone) == 40
    assert [row[3] for row in alone] == [f"{i:064x}" for i in range(40)]  # input_sha256, in file order
    assert list(jsonl.read_export(good, 2)) == alone
    records[10]["year"], records[29]["role"] = 2201, "tender"
    bad = tmp_path / "bad.jsonl"
    _export(bad, records)
    for workers in (0, 2):
        with pytest.raises(CgcError) as caught:
            list(jsonl.read_export(bad, workers))
        assert [(p.line, p.field) for p in caught.value.problems] == [(12, "year"), (31, "role")]


def test_a_records_row_holds_each_column_by_name():
    """The row of the small record above, column by column as the table names them, written out by hand."""
    from cgc_rules.store.schema import COLUMNS

    data = _record()
    row = dict(zip(COLUMNS, StoredRecord.model_validate(data).row(), strict=True))
    summary = (
        '{"outcomes":[["herkomst","pass","requirement","responsible_origin_share",62.5,50.0,'
        '{"good":625.0,"total":1000.0}],["mki","pass","requirement","mki_eur_per_m2_year",0.1,50.0,{}]]}'
    )
    assert row == {
        "kind": "evaluation",
        "dedup_key": dedup_key("evaluation", "a" * 64, "b" * 64, "bid"),
        "recorded_at": "2026-03-01T09:30:15.250000+00:00",
        "input_sha256": "a" * 64,
        "ruleset_id": "hnn-gww",
        "ruleset_version": "2026.1",
        "ruleset_sha256": "b" * 64,
        "municipality": "Gemeente Arnhem",
        "region": "Arnhem-Nijmegen",
        "project_id": "p-1",
        "project_type": "wegen",
        "day": "2026-03-01",
        "year": 2026,
        "role": "bid",
        "summary": summary,
        "origin_good": 625.0,
        "origin_total": 1000.0,
        "mki": 0.1,
        "mki_level": 50.0,
        "seb": None,
        "rules": "herkomst\tpass\trequirement\nmki\tpass\trequirement",
        "payload": json.dumps(data["payload"], ensure_ascii=False, sort_keys=True, separators=(",", ":")),
    }
