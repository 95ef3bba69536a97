"""A third language is its catalogues plus one registry entry: added in a copy, then an evaluation run in it.

The copy gets German (`de`) as the English catalogues with one message changed and one
`Language` entry; nothing else is edited. The CLI then evaluates a bundled example in German:
the changed message, German notation from Babel's `de_DE` data, Dutch ruleset texts as the
stated fallback. The files it took are counted against CONTRIBUTING.md's "A language".
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT

NBSP = "\u00a0"
ENTRY_AFTER = '    Language("en", "en_GB"),\n'


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _add_german(package: Path) -> None:
    locale = package / "data" / "locale"
    shutil.copytree(locale / "en", locale / "de")
    explain = locale / "de" / "LC_MESSAGES" / "explain.po"
    po = explain.read_text(encoding="utf-8")
    changed = re.sub(r'(msgid "explain\.verdict\.fail"\nmsgstr )"[^"]*"', r'\1"nicht erfüllt"', po)
    assert changed != po
    explain.write_text(changed, encoding="utf-8")
    registry = package / "languages.py"
    source = registry.read_text(encoding="utf-8")
    assert ENTRY_AFTER in source
    registry.write_text(source.replace(ENTRY_AFTER, ENTRY_AFTER + '    Language("de", "de_DE"),\n'), encoding="utf-8")


def _stated_count() -> int:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = text.split("## 5. A language", 1)[1].split("\n## ", 1)[0]
    match = re.search(r"(\d+) files", section)
    assert match, "CONTRIBUTING.md's 'A language' section states no file count"
    return int(match[1])


def test_a_third_language_is_catalogues_plus_one_registry_entry(tmp_path):
    package = tmp_path / "cgc_rules"
    shutil.copytree(ROOT / "cgc_rules", package, ignore=shutil.ignore_patterns("__pycache__", "vendor"))
    before = _files(package)
    _add_german(package)
    after = _files(package)
    touched = sorted(name for name in after if before.get(name) != after[name])
    assert "languages.py" in touched
    assert all(n.startswith("data/locale/de/") for n in touched if n != "languages.py")
    assert len(touched) == _stated_count() == 1 + len(list((package / "data/locale/nl/LC_MESSAGES").glob("*.po")))

    env = {**os.environ, "PYTHONPATH": str(tmp_path), "CGC_DATABASE_URL": f"sqlite:///{tmp_path / 'store.db'}"}
    example = ROOT / "examples" / "openbare-ruimte-voldoet-niet.yaml"
    run = subprocess.run(
        [sys.executable, "-c", "from cgc_rules.cli import run; run()", "evaluate", str(example), "-r", "hnn-gww"]
        + ["--lang", "de", "--format", "json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 1, run.stderr  # a requirement fails, as the example says
    report = json.loads(run.stdout)
    origin = next(o for o in report["outcomes"] if o["rule_id"] == "herkomst-materiaal")
    # 1,138 t of 2,000 t = 56.9 % against 57 %: German separators, and Babel's de_DE space before %
    assert origin["value_text"] == f"56,9{NBSP}%"
    assert origin["threshold_text"] == f"≥ 57,0{NBSP}%"
    assert origin["explanation"].endswith("nicht erfüllt.")
    assert f"1.138{NBSP}t of 2.000{NBSP}t" in origin["explanation"]
    assert origin["title"] == "Herkomst materiaal"  # the ruleset gives no German title: its Dutch one
    assert report["lang"] == "de"
