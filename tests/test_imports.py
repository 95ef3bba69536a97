"""Every module of cgc_rules imports on its own, in a fresh interpreter (no hidden import cycles or order).

A fresh `python -c "import module"` per module costs the start of the interpreter and of the
libraries every time (about 45 s for the package). Instead one process per core imports the
third-party libraries once and forks a child per module: each child starts with no cgc_rules
module loaded, so the import order it sees is the one a fresh interpreter sees.
"""

from __future__ import annotations

import json
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
LIBRARIES = "pydantic,yaml,click,jinja2,babel,numpy,sqlalchemy,alembic,rich,openpyxl,docx,starlette,scipy,lxml,weasyprint,matplotlib,highspy"

CHILDREN = """
import importlib, json, os, sys, traceback
for name in sys.argv[1].split(","):
    try:
        importlib.import_module(name)
    except ImportError:
        pass
assert not [m for m in sys.modules if m.startswith("cgc_rules")]
for module in sys.argv[2:]:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        try:
            importlib.import_module(module)
            said = ""
        except BaseException as exc:
            said = traceback.format_exception_only(exc)[-1].strip()
        os.write(write, said.encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as fh:
        said = fh.read().decode()
    _, status = os.waitpid(pid, 0)
    if status and not said:
        said = f"the import ended the process (status {status})"
    print(json.dumps([module, said]), flush=True)
"""


def _import_all(modules: list[str]) -> dict[str, str]:
    """'' for each module a forked child imported, else the last line of its error."""
    argv = [sys.executable, "-c", CHILDREN, LIBRARIES, *modules]
    done = subprocess.run(argv, check=False, capture_output=True, text=True, timeout=600)
    found = dict(json.loads(line) for line in done.stdout.splitlines() if line.startswith("["))
    return {m: found.get(m, f"not reached: {done.stderr.strip()[-500:]}") for m in modules}


@pytest.fixture(scope="module")
def failures() -> dict[str, str]:
    """The modules shared out over one process per core."""
    cores = max(2, os.cpu_count() or 1)
    shares = [MODULES[i::cores] for i in range(cores)]
    with ThreadPoolExecutor(max_workers=cores) as pool:
        return {m: said for part in pool.map(_import_all, shares) for m, said in part.items()}


def test_the_walk_finds_the_package():
    assert {"cgc_rules.evaluator", "cgc_rules.cli.evaluate", "cgc_rules.documents.kinds"} <= set(MODULES)


def test_a_module_that_needs_an_import_order_is_caught(tmp_path):
    """The forked children really start without cgc_rules: a module relying on an earlier import fails."""
    package = tmp_path / "ordered"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "a.py").write_text("import sys\nVALUE = sys.modules['ordered.b'].VALUE\n", encoding="utf-8")
    (package / "b.py").write_text("VALUE = 1\n", encoding="utf-8")
    argv = [sys.executable, "-c", CHILDREN, "yaml", "ordered.b", "ordered.a"]
    done = subprocess.run(
        argv, check=False, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(tmp_path)}
    )
    said = dict(json.loads(line) for line in done.stdout.splitlines())
    assert said["ordered.b"] == ""
    assert said["ordered.a"] == "KeyError: 'ordered.b'"


@pytest.mark.parametrize("module", MODULES)
def test_module_imports_on_its_own(module, failures):
    assert failures[module] == "", failures[module]
