"""Shared helpers: write submissions to tmp files and run the CLI in-process; under `CI=true` a skip fails.

A test skips when the machine lacks something it needs (Chromium, LibreOffice, PostgreSQL, the domain
facts folder). On a developer's machine that stays a skip, listed with its reason (`-rs`); on CI, where
everything is installed, a skip means the check did not run, so it is reported as a failure with that reason.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from cgc_rules.cli import main

ROOT = Path(__file__).resolve().parent.parent


def on_ci() -> bool:
    """True when the environment says this is a CI run (`CI=true`, as GitHub Actions and GitLab set it)."""
    return os.environ.get("CI", "").strip().lower() == "true"


def _skip_fails(report: pytest.TestReport | pytest.CollectReport) -> None:
    """Turn a skipped report into a failure that says what was skipped and why."""
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    report.outcome = "failed"
    report.longrepr = f"CI=true: a skip counts as a failure. {reason.removeprefix('Skipped: ')}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(  # noqa: D103 - pytest hook
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.skipped and on_ci() and not hasattr(report, "wasxfail"):
        _skip_fails(report)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(
    collector: pytest.Collector,
) -> Generator[None, pytest.CollectReport, pytest.CollectReport]:
    report = yield
    if report.skipped and on_ci():
        _skip_fails(report)
    return report


@pytest.fixture(scope="module")
def sdk() -> Any:
    """The eForms SDK (`../shared/eforms-sdk`, or the folder its variable names); a skip without it, which the
    hooks above make a failure on CI."""
    from cgc_rules.errors import CgcError
    from cgc_rules.notice.sdk import locate

    try:
        return locate()
    except CgcError as exc:
        pytest.skip(str(exc))


def token(html: str) -> str:
    """The CSRF token of a page's form."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


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
