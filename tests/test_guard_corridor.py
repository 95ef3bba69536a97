"""The corridor and its C engine fenced (issue 18): empty corridors, hostile parameters, duplicate partners."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from cgc_rules.errors import CgcError
from cgc_rules.resources import bundled

ROOT = Path(__file__).resolve().parent.parent
CORRIDORS = Path(str(bundled("corridors")))


@pytest.fixture
def corridor(tmp_path: Path) -> Path:
    shutil.copytree(CORRIDORS, tmp_path / "corridors")
    return tmp_path / "corridors" / "amersfoort-voorbeeld"


def match(folder: Path, *args: str) -> subprocess.CompletedProcess:
    """`cgc corridor match` in its own process: a crash in the C engine shows as a signal, not as a test crash."""
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; sys.argv = ['cgc'] + sys.argv[1:]; from cgc_rules.cli import run; run()",
            "corridor",
            "match",
            str(folder),
            *args,
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def _inventory(folder: Path, supply: bool, demand: bool) -> None:
    text = (folder / "inventory.yaml").read_text(encoding="utf-8")
    head, tail = text[: text.index("demand:")], text[text.index("demand:") :]
    (folder / "inventory.yaml").write_text(
        (head if supply else "supply: []\n") + (tail if demand else "demand: []\n"), encoding="utf-8"
    )


@pytest.mark.parametrize(("supply", "demand"), [(False, False), (True, False)])
@pytest.mark.parametrize("as_of", ["2025-01-01", "2026-03-01"])
def test_a_corridor_without_pairs_never_crashes_the_engine(corridor, supply, demand, as_of):
    _inventory(corridor, supply, demand)
    if not supply:
        (corridor / "events.yaml").unlink()
    res = match(corridor, "--as-of", as_of)
    assert res.returncode in (0, 1, 2), (res.returncode, res.stderr[-500:])
    assert res.returncode in (0, 1)
    assert "Traceback" not in res.stderr


def _value(folder: Path, text: str) -> None:
    path = folder / "corridor.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("value: 15", f"value: {text}", 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (".nan", "not a finite number"),
        ("'nan'", "valid"),
        ("1e308", "valid"),
        ("1.0e+308", "larger than the limit"),
        ("'12'", "valid"),
        ("-5", "give a number from 0 to 1e+06"),
        ("2000000", "give a number from 0 to 1e+06"),
    ],
)
def test_hostile_parameters_are_refused_naming_the_field(corridor, value, message):
    _value(corridor, value)
    res = match(corridor, "--as-of", "2026-03-01")
    assert res.returncode == 2, res.stderr[-500:]
    assert "corridor.yaml:" in res.stderr, res.stderr
    assert "max_transport_km" in res.stderr, res.stderr
    assert message in res.stderr, res.stderr


def test_duplicate_partner_ids_are_refused(corridor):
    path = corridor / "corridor.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("partners:") + len("partners:\n")
    first = text[start : text.index("\n", start) + 1]
    path.write_text(text[:start] + first + text[start:], encoding="utf-8")
    res = match(corridor, "--as-of", "2026-03-01")
    assert res.returncode == 2, res.stderr
    assert "duplicate id" in res.stderr, res.stderr
    assert "partners[1].id" in res.stderr, res.stderr


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("indicator: route_leg_km", "indicator: bestaat-niet", "unknown indicator 'bestaat-niet'"),
        ("    unit: km\n    source: cgc-model", "    unit: km\n    source: nergens", "unknown source 'nergens'"),
    ],
)
def test_a_broken_corridor_ruleset_is_a_located_error(corridor, old, new, message):
    path = corridor.parent.parent / "corridors" / "rulesets" / "cgc-corridor" / "2024.1.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    res = match(corridor, "--as-of", "2026-03-01")
    assert res.returncode == 2, res.stderr
    assert "2024.1.yaml:" in res.stderr, res.stderr
    assert message in res.stderr, res.stderr


def test_markup_in_corridor_texts_is_shown_as_written(corridor):
    path = corridor / "corridor.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "    Dit zijn voorbeeldgegevens.", "    [/bold] Dit zijn voorbeeldgegevens."
        ),
        encoding="utf-8",
    )
    inventory = corridor / "inventory.yaml"
    inventory.write_text(
        inventory.read_text(encoding="utf-8").replace("certification: none", "certification: '[/red]'"),
        encoding="utf-8",
    )
    res = match(corridor, "--as-of", "2026-03-01")
    assert res.returncode == 0, res.stderr
    assert "[/bold] Dit zijn" in res.stdout


def test_a_number_too_close_to_zero_never_reaches_the_engine(corridor):
    path = corridor / "corridor.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("capacity_t: 500", "capacity_t: 1e-320", 1), encoding="utf-8"
    )
    res = match(corridor, "--as-of", "2026-09-01")
    assert res.returncode == 2, res.stderr
    assert "hubs[0].capacity_t" in res.stderr, res.stderr
    assert "closer to 0" in res.stderr, res.stderr


def _crowded(folder: Path, per_side: int) -> None:
    """`per_side` brick lines offered at the town hall and as many asked for at Kop van Isselt, all at once:
    every supply line is within reach of every demand line."""
    supply = [
        {
            "id": f"s-{i}",
            "project": "stadhuis",
            "category": "brick",
            "description": "steen",
            "quantity": 1,
            "condition": "good",
            "available": {"start": "2026-03-01", "end": "2026-05-31"},
        }
        for i in range(per_side)
    ]
    demand = [
        {
            "id": f"d-{i}",
            "project": "kop-van-isselt",
            "category": "brick",
            "description": "steen",
            "quantity": 1,
            "min_quality": "fair",
            "needed": {"start": "2026-04-01", "end": "2026-06-30"},
        }
        for i in range(per_side)
    ]
    (folder / "inventory.yaml").unlink()
    (folder / "events.yaml").unlink()
    (folder / "inventory.json").write_text(json.dumps({"supply": supply, "demand": demand}), encoding="utf-8")


def test_a_corridor_whose_pairs_would_explode_is_refused_naming_the_limit(corridor):
    from cgc_rules.corridor.index import MAX_PAIRS

    per_side = math.isqrt(MAX_PAIRS) + 1  # per_side² pairs: just over the limit
    _crowded(corridor, per_side)
    res = match(corridor, "--as-of", "2026-03-01")
    assert res.returncode == 2, (res.returncode, res.stderr[-500:])
    assert f"{per_side * per_side:,} pairs" in res.stderr
    assert f"limit of {MAX_PAIRS:,}" in res.stderr
    assert "Traceback" not in res.stderr


def test_a_corridor_just_within_the_pair_limit_is_matched(corridor, monkeypatch):
    from cgc_rules.corridor import index
    from cgc_rules.corridor.engine import CorridorEngine
    from cgc_rules.corridor.load import load_corridor

    _crowded(corridor, 30)
    monkeypatch.setattr(index, "MAX_PAIRS", 900)  # 30 × 30 pairs: exactly the limit
    loaded = load_corridor(corridor)
    with CorridorEngine(loaded, date(2026, 3, 1)) as engine:
        engine.load_all()
        assert len(engine.candidates()) == 900
    monkeypatch.setattr(index, "MAX_PAIRS", 899)
    with CorridorEngine(loaded, date(2026, 3, 1)) as engine, pytest.raises(CgcError, match="900 pairs"):
        engine.load_all()


def test_too_many_lines_are_refused_naming_the_limit(corridor, monkeypatch):
    from cgc_rules.corridor import load

    _crowded(corridor, 6)
    monkeypatch.setattr(load, "MAX_LINES", 11)
    with pytest.raises(CgcError, match="12 supply and demand lines, more than the limit of 11") as caught:
        load.load_corridor(corridor)
    assert "inventory.json:1:1" in str(caught.value)


def test_a_duplicate_key_in_a_json_corridor_file_is_refused(corridor):
    _crowded(corridor, 2)
    path = corridor / "inventory.json"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"quantity": 1,', '"quantity": 1, "quantity": 500,', 1), encoding="utf-8")
    res = match(corridor, "--as-of", "2026-03-01")
    assert res.returncode == 2, res.stderr[-500:]
    assert "duplicate key 'quantity'" in res.stderr, res.stderr[-500:]
    assert "inventory.json:1:" in res.stderr
