"""`cgc evaluate` over many files: one record each, a summary per rule, bad input never stops the batch."""

from __future__ import annotations

import json
import shutil

import pytest

from .conftest import ROOT, materials, road


@pytest.fixture
def bids(tmp_path, write):
    d = tmp_path / "bids"
    d.mkdir()
    shutil.copy(ROOT / "examples/openbare-ruimte-voldoet.yaml", d / "a-voldoet.yaml")
    shutil.copy(ROOT / "examples/weg-voldoet-niet.yaml", d / "b-voldoet-niet.yaml")
    (d / "c-kapot.yaml").write_text("project: {id: x\n", encoding="utf-8")
    (d / "d.json").write_text(
        json.dumps(road(materials=materials(620, 380), impact={"mki_eur_per_m2_year": 0.1})), encoding="utf-8"
    )
    (d / "notes.txt").write_text("not a submission", encoding="utf-8")
    return d


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_jsonl_one_record_per_submission_in_order(cgc, bids, jobs):
    res = cgc("evaluate", bids, "-r", "hnn-gww", "--format", "jsonl", "--jobs", jobs)
    assert res.exit_code == 2  # one file is bad input; the others were still evaluated
    lines = [json.loads(line) for line in res.stdout.splitlines()]
    assert [r["input"].rsplit("/", 1)[-1] for r in lines] == [
        "a-voldoet.yaml",
        "b-voldoet-niet.yaml",
        "c-kapot.yaml",
        "d.json",
    ]
    assert lines[2]["bad_input"] is True
    assert ":2:" in lines[2]["errors"][0]
    assert [r["summary"]["compliant"] for i, r in enumerate(lines) if i != 2] == [True, False, True]
    assert all(len(r["input_sha256"]) == 64 for i, r in enumerate(lines) if i != 2)
    assert "\n" not in res.stdout.splitlines()[0]
    assert ", " not in res.stdout.splitlines()[0][:40]


def test_exit_1_when_one_is_not_compliant_and_none_bad(cgc, bids):
    (bids / "c-kapot.yaml").unlink()
    res = cgc("evaluate", bids / "a-voldoet.yaml", bids / "b-voldoet-niet.yaml", "-r", "hnn-gww")
    assert res.exit_code == 1
    assert "a-voldoet.yaml" in res.output
    assert "b-voldoet-niet.yaml" in res.output
    res = cgc("evaluate", bids / "a-voldoet.yaml", bids / "d.json", "-r", "hnn-gww", "--format", "json")
    assert res.exit_code == 0
    s = json.loads(res.stdout)["summary"]
    assert (s["submissions"], s["compliant"], s["not_compliant"], s["bad_input"]) == (2, 2, 0, 0)


def test_json_summary_counts_per_rule(cgc, bids):
    res = cgc("evaluate", bids, "-r", "hnn-gww", "--format", "json", "--jobs", "1")
    data = json.loads(res.stdout)
    s = data["summary"]
    assert (s["submissions"], s["compliant"], s["not_compliant"], s["bad_input"]) == (4, 2, 1, 1)
    origin = s["per_rule"]["hnn-gww@2026.1 herkomst-materiaal"]
    assert (origin["pass"], origin["fail"], origin["missing_data"]) == (2, 1, 0)
    assert len(data["submissions"]) == 4


def test_table_names_each_submission_and_the_totals(cgc, bids):
    res = cgc("evaluate", bids, "-r", "hnn-gww", "--lang", "en")
    assert res.exit_code == 2
    for name in ("a-voldoet.yaml", "b-voldoet-niet.yaml", "c-kapot.yaml", "d.json"):
        assert name in res.output
    assert "4 submissions: 2 compliant, 1 not compliant, 1 with bad input" in res.output
    assert "herkomst-materiaal" in res.output


def test_pdf_is_for_one_submission_only(cgc, bids):
    res = cgc("evaluate", bids, "-r", "hnn-gww", "--format", "pdf", "-o", bids / "x.pdf")
    assert res.exit_code == 2
    assert "one submission" in res.output


def _stored(db) -> dict[str, dict]:
    from cgc_rules.store.store import open_store

    store = open_store(str(db), create=False)
    try:
        return {r.dedup_key: r.payload for r in store.records()}
    finally:
        store.engine.dispose()


def test_record_over_a_directory_keeps_what_recording_each_file_keeps(cgc, bids, tmp_path):
    db, out = tmp_path / "batch.sqlite", tmp_path / "batch.jsonl"
    res = cgc(
        "evaluate",
        bids,
        "-r",
        "hnn-gww",
        "--record",
        "--role",
        "bid",
        "--db",
        db,
        "--jobs",
        "2",
        "--format",
        "jsonl",
        "-o",
        out,
    )
    assert res.exit_code == 2  # c-kapot.yaml is bad input: its error, the other three recorded
    assert "c-kapot.yaml:2:" in res.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4
    assert '"bad_input":true' in lines[2]
    one = tmp_path / "one.sqlite"
    for name in ("a-voldoet.yaml", "b-voldoet-niet.yaml", "d.json"):
        assert cgc("evaluate", bids / name, "-r", "hnn-gww", "--record", "--role", "bid", "--db", one).exit_code < 2
    batch, single = _stored(db), _stored(one)
    assert len(batch) == 3
    assert batch == single  # the same records: same dedup keys, same payloads
    again = cgc("evaluate", bids, "-r", "hnn-gww", "--record", "--role", "bid", "--db", db, "--format", "jsonl")
    assert again.exit_code == 2
    assert _stored(db) == batch  # recorded once, however often the batch runs
