"""Every module of cgc_rules imports on its own, in a fresh interpreter (no hidden import cycles or order)."""

from __future__ import annotations

import os
import pkgutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

import cgc_rules

# Alembic's migration scripts run inside a migration context, not on their own.
MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(cgc_rules.__path__, "cgc_rules.")
    if not m.name.startswith("cgc_rules.store.migrations.")
)


def _import(module: str) -> str:
    """'' when `python -c "import module"` succeeds, else its error output."""
    argv = [sys.executable, "-c", f"import {module}"]
    done = subprocess.run(argv, check=False, capture_output=True, text=True, timeout=120)
    return "" if done.returncode == 0 else done.stderr.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def failures() -> dict[str, str]:
    """Each module imported in its own subprocess, a few at a time."""
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 1)) as pool:
        return dict(zip(MODULES, pool.map(_import, MODULES), strict=True))


def test_the_walk_finds_the_package():
    assert {"cgc_rules.evaluator", "cgc_rules.cli.evaluate", "cgc_rules.documents.kinds"} <= set(MODULES)


@pytest.mark.parametrize("module", MODULES)
def test_module_imports_on_its_own(module, failures):
    assert failures[module] == "", failures[module]
