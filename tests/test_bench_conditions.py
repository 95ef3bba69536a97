"""The benches' results header (bench/conditions.py): the same fields in every results file, read by bench/table.py."""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

from cgc_rules.today import today_nl

ROOT = Path(__file__).resolve().parent.parent
RESULTS = sorted((ROOT / "bench" / "results").glob("*.json"))
HEADER = ("date", "python", "machine", "cores", "load_average_at_start", "load_average_at_end")
LOADS = ("load_average_at_start", "load_average_at_end")


def _bench_module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"cgc_bench_{name}", ROOT / "bench" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


conditions = _bench_module("conditions")
table = _bench_module("table")


def test_a_run_records_the_fixed_fields() -> None:
    head = conditions.start()
    done = conditions.finish(head)
    assert tuple(done) == HEADER
    assert done["date"] == today_nl().isoformat()
    assert done["cores"] == os.cpu_count()
    assert len(done["load_average_at_start"]) == 3
    assert len(done["load_average_at_end"]) == 3
    assert "load_average_at_end" not in head  # finish leaves the start's dict as it was


@pytest.mark.parametrize("path", RESULTS, ids=[p.name for p in RESULTS])
def test_results_files_begin_with_the_header_and_nothing_else_describes_the_machine(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    present = [k for k in HEADER if k in data]
    assert list(data)[: len(present)] == present
    assert isinstance(data["date"], str)
    assert not {"load_before", "load_after", "platform", "cpus", "load_average_1m"} & set(data)
    assert isinstance(data.get("machine", ""), str)
    for key in LOADS:
        assert len(data.get(key, [0.0])) in (1, 3)  # 1: measured before the header, the 1-minute average only


def test_table_shows_the_header() -> None:
    data = {"machine": "x86_64", "cores": 2, "load_average_at_start": [0.84, 0.7, 1.2], "load_average_at_end": [1.64]}
    assert table._machine(data) == "x86_64, 2 cores"
    assert table._load(data) == "0.8 → 1.6"
    assert table._date(data) == "—"


def test_table_shows_a_dash_for_what_was_not_recorded() -> None:
    data = {"date": "2026-12-01", "machine": "x86_64", "load_average_at_end": [1.1]}
    assert table._machine(data) == "x86_64"
    assert table._load(data) == "— → 1.1"
    assert table._load({}) == "—"
    assert table._date(data) == "2026-12-01"
