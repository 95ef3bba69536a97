"""Shared helpers: write submissions to tmp files and run the CLI in-process."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from cgc_rules.cli import main

ROOT = Path(__file__).resolve().parent.parent


def road(**over: Any) -> dict:
    """A minimal road submission, 1000 t of material, tender in 2026."""
    data = {
        "project": {
            "id": "t-1",
            "name": "Testweg",
            "municipality": "Arnhem",
            "type": "wegen",
            "tender_date": "2026-03-01",
            "area_m2": 1000,
            "lifetime_years": 50,
        },
        "declarations": {"seb_compliant": True},
    }
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    return data


def materials(good_t: float, primary_t: float, origin: str = "gerecycled") -> list[dict]:
    return [
        {"name": "secundair", "mass_t": good_t, "origin": origin},
        {"name": "primair", "mass_t": primary_t, "origin": "primair"},
    ]


@pytest.fixture
def write(tmp_path: Path):
    """write(data, name) -> path of a YAML (or JSON, by name) file in tmp_path."""

    def _write(data: Any, name: str = "submission.yaml") -> Path:
        path = tmp_path / name
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        elif name.endswith(".json"):
            path.write_text(json.dumps(data), encoding="utf-8")
        else:
            path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return path

    return _write


@pytest.fixture
def cgc():
    """cgc(*args) -> click Result, run in-process."""
    runner = CliRunner()

    def _run(*args: str):
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=True)

    return _run
