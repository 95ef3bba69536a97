"""CONTRIBUTING.md's extension paths, each added in a copy of the package and run through the CLI.

Each test copies `cgc_rules` (and the published schemas) to a temporary folder, makes exactly the
edits the guide lists, counts the files that changed against the number the guide states, and runs
the smoke path in a fresh process on the copy. A language is the same check in
`tests/test_language_extension.py`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import yaml

from .conftest import ROOT

Files = dict[str, bytes]


def _files(root: Path) -> Files:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _copy(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "cgc_rules", tmp_path / "cgc_rules", ignore=shutil.ignore_patterns("__pycache__", "vendor"))
    shutil.copytree(ROOT / "docs" / "schemas", tmp_path / "docs" / "schemas")
    return tmp_path


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} no longer holds the anchor {old!r}: update this test with the guide"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _cgc(root: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root), "CGC_DATABASE_URL": f"sqlite:///{root / 'store.db'}"}
    env.pop("CGC_RULESETS", None)
    return subprocess.run(
        [sys.executable, "-c", "from cgc_rules.cli import run; run()", *map(str, args)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _stated(section: str) -> int:
    """The number of files CONTRIBUTING.md's section `section` says the extension takes."""
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    body = text.split(f"## {section}", 1)[1].split("\n## ", 1)[0]
    match = re.search(r"\*\*(\d+) files\*\*", body)
    assert match, f"CONTRIBUTING.md's '{section}' section states no file count (**N files**)"
    return int(match[1])


def _changed(root: Path, extend: Callable[[Path], None]) -> list[str]:
    before = _files(root)
    extend(root)
    after = _files(root)
    return sorted(n for n in after if before.get(n) != after[n] and not n.startswith("store"))


# -- an indicator reading a new submission field ------------------------------------------------------


def _add_indicator_with_field(root: Path) -> None:
    package = root / "cgc_rules"
    _edit(
        package / "submission.py",
        "    adaptive_capacity_pct: Percent | None = Field(",
        "    secondary_binder_t: NonNegative | None = Field(\n"
        '        None, title="secundair bindmiddel (t)", description="Massa secundair bindmiddel in ton."\n'
        "    )\n"
        "    adaptive_capacity_pct: Percent | None = Field(",
    )
    _edit(
        package / "indicators" / "project.py",
        '        Indicator(\n            "building_form",',
        '        Indicator("secondary_binder_t", "project", _impact("secondary_binder_t"), unit="t"),\n'
        '        Indicator(\n            "building_form",',
    )
    for lang, label in (("nl", "secundair bindmiddel"), ("en", "secondary binder")):
        po = package / "data" / "locale" / lang / "LC_MESSAGES" / "indicators.po"
        po.write_text(
            po.read_text(encoding="utf-8") + f'\nmsgid "indicators.label.secondary_binder_t"\nmsgstr "{label}"\n',
            encoding="utf-8",
        )
    rules = package / "data" / "rulesets" / "hnn-gww" / "2026.1.yaml"
    _edit(
        rules,
        "  - id: seb\n",
        "  - id: secundair-bindmiddel\n"
        "    title: {nl: Secundair bindmiddel, en: Secondary binder}\n"
        "    theme: milieu-impact\n"
        "    indicator: secondary_binder_t\n"
        "    level: measure\n"
        "    applies_when:\n"
        "      project_type: [wegen]\n"
        "    unit: t\n"
        "    source: gmr-tabel-2\n"
        "    explanation:\n"
        "      nl: Meten hoeveel secundair bindmiddel het werk gebruikt; er geldt geen grenswaarde.\n"
        "      en: Measure how much secondary binder the work uses; there is no threshold.\n"
        "\n"
        "  - id: seb\n",
    )
    cases = package / "data" / "rulesets" / "hnn-gww" / "2026.1.cases.yaml"
    cases.write_text(
        cases.read_text(encoding="utf-8") + "\n  - name: secundair bindmiddel gemeten\n"
        "    submission:\n"
        "      impact: {secondary_binder_t: 12.5}\n"
        "    expect:\n"
        "      secundair-bindmiddel: {status: reported, value: 12.5}\n",
        encoding="utf-8",
    )
    run = _cgc(root, "schema", "--write", root / "docs" / "schemas")
    assert run.returncode == 0, run.stderr


def test_an_indicator_with_a_new_field_takes_the_files_the_guide_states(tmp_path):
    root = _copy(tmp_path)
    touched = _changed(root, _add_indicator_with_field)
    assert touched == [
        "cgc_rules/data/locale/en/LC_MESSAGES/indicators.po",
        "cgc_rules/data/locale/nl/LC_MESSAGES/indicators.po",
        "cgc_rules/data/rulesets/hnn-gww/2026.1.cases.yaml",
        "cgc_rules/data/rulesets/hnn-gww/2026.1.yaml",
        "cgc_rules/indicators/project.py",
        "cgc_rules/submission.py",
        "docs/schemas/submission.schema.json",
    ]
    assert len(touched) <= _stated("2. An indicator")

    lint = _cgc(root, "rulesets", "lint")
    assert lint.returncode == 0, lint.stdout + lint.stderr
    cases = _cgc(root, "rulesets", "test", "hnn-gww@2026.1")
    assert cases.returncode == 0, cases.stdout + cases.stderr

    data = yaml.safe_load((ROOT / "examples" / "weg-voldoet.yaml").read_text(encoding="utf-8"))
    data.setdefault("impact", {})["secondary_binder_t"] = 40
    submission = root / "weg.yaml"
    submission.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    run = _cgc(root, "evaluate", submission, "-r", "hnn-gww@2026.1", "--format", "json")
    assert run.returncode == 0, run.stderr
    outcome = next(o for o in json.loads(run.stdout)["outcomes"] if o["rule_id"] == "secundair-bindmiddel")
    assert (outcome["status"], outcome["value"], outcome["value_text"]) == ("reported", 40, "40\u00a0t")

    form = root / "formulier.xlsx"
    made = _cgc(root, "form", "-o", form, "-r", "hnn-gww@2026.1", "--type", "wegen")
    assert made.returncode == 0, made.stderr
    from openpyxl import load_workbook

    labels = [row[0] for row in load_workbook(form)["impact"].iter_rows(values_only=True)]
    assert "secundair bindmiddel (t)" in labels


# -- an output format ---------------------------------------------------------------------------------


def _add_format(root: Path) -> None:
    package = root / "cgc_rules"
    (package / "report" / "markdown.py").write_text(
        '"""The evaluation report as a Markdown table."""\n\n'
        "from typing import Any\n\n\n"
        "def to_markdown(report: Any) -> str:\n"
        '    rows = ["| regel | uitkomst |", "|---|---|"]\n'
        "    rows += [f\"| {o['rule_id']} | {o['status']} |\" for o in report.data[\"outcomes\"]]\n"
        '    return "\\n".join(rows) + "\\n"\n',
        encoding="utf-8",
    )
    _edit(
        package / "renderers.py",
        '        _html("cgc_rules.report.render:to_html"),\n',
        '        _html("cgc_rules.report.render:to_html"),\n'
        '        Renderer("markdown", "text/markdown", ".md", "cgc_rules.report.markdown:to_markdown"),\n',
    )


def test_an_output_format_takes_the_files_the_guide_states(tmp_path):
    root = _copy(tmp_path)
    touched = _changed(root, _add_format)
    assert touched == ["cgc_rules/renderers.py", "cgc_rules/report/markdown.py"]
    assert len(touched) <= _stated("4. An output format")

    run = _cgc(root, "evaluate", ROOT / "examples" / "weg-voldoet-niet.yaml", "-r", "hnn-gww", "--format", "markdown")
    assert run.returncode == 1, run.stderr  # the example fails a requirement
    lines = run.stdout.splitlines()
    assert lines[:2] == ["| regel | uitkomst |", "|---|---|"]
    assert "| herkomst-materiaal | fail |" in lines


# -- a subject kind -------------------------------------------------------------------------------------

HUB_MODEL = '''"""A materials hub of a corridor: what it can take in per day and how much it stores."""

from pathlib import Path
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from .loading.models import LoadedSubject, load_subject


class Hub(BaseModel):
    """Een hub in de corridor."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(title="naam")
    capacity_t_per_day: float | None = Field(None, ge=0, title="capaciteit (t/dag)")

    subject_kind: ClassVar[str] = "hub"
    project_type: ClassVar[str | None] = None

    @property
    def subject_id(self) -> str:
        return self.name


def load_hub(path: str | Path) -> LoadedSubject:
    return load_subject(path, Hub)
'''

HUB_INDICATORS = '''"""Indicators of a corridor hub."""

from ..hub import Hub
from .base import Fact, Indicator, index


def _capacity(h: Hub) -> Fact:
    v = h.capacity_t_per_day
    return Fact(v, missing=None if v is not None else "capacity_t_per_day")


INDICATORS: dict[str, Indicator] = index([Indicator("hub.capacity_t_per_day", "hub", _capacity, unit="t", root="hub")])
'''

HUB_RULESET = """id: hub-regels
version: "2026.1"
title: Hubs
kind: hub
effective_from: 2026-01-01
description: {nl: Regels voor een hub., en: Rules for a hub.}
sources:
  eigen: {document: Afspraak van de corridorpartners (voorbeeld)}
parameters:
  min_capacity: {description: {nl: kleinste capaciteit, en: least capacity}, unit: t, value: 50}
rules:
  - id: capaciteit
    title: {nl: Capaciteit per dag, en: Capacity per day}
    theme: corridor
    indicator: hub.capacity_t_per_day
    level: requirement
    comparator: ">="
    threshold: {parameter: min_capacity}
    unit: t
    source: eigen
    explanation: {nl: De hub neemt genoeg per dag in., en: The hub takes in enough a day.}
"""

HUB_CASES = """base:
  name: Hub Oost
cases:
  - name: precies op de grens
    submission: {capacity_t_per_day: 50}
    expect:
      capaciteit: {status: pass, value: 50}
  - name: net eronder
    submission: {capacity_t_per_day: 49.9}
    expect:
      capaciteit: {status: fail, value: 49.9}
  - name: capaciteit ontbreekt
    expect:
      capaciteit: missing_data
"""


def _add_subject_kind(root: Path) -> None:
    package = root / "cgc_rules"
    _edit(
        package / "ruleset.py",
        '    municipality = "municipality"\n',
        '    municipality = "municipality"\n    hub = "hub"\n',
    )
    (package / "hub.py").write_text(HUB_MODEL, encoding="utf-8")
    (package / "indicators" / "hub.py").write_text(HUB_INDICATORS, encoding="utf-8")
    _edit(
        package / "kinds.py",
        "KINDS: tuple[SubjectKind, ...] = (\n",
        "KINDS: tuple[SubjectKind, ...] = (\n"
        "    SubjectKind(\n"
        '        Kind.hub, "check", "hubs", "rulesets", "cgc_rules.hub:Hub", "cgc_rules.hub:load_hub",\n'
        '        "cgc_rules.indicators.hub:INDICATORS", "cgc_rules.cases:run_evaluated",\n'
        '        "cgc_rules.report.build:build_subject_report", (("hub", "cgc_rules.hub:Hub"),),\n'
        "    ),\n",
    )
    for lang, label in (("nl", "capaciteit per dag"), ("en", "capacity per day")):
        po = package / "data" / "locale" / lang / "LC_MESSAGES" / "indicators.po"
        po.write_text(
            po.read_text(encoding="utf-8") + f'\nmsgid "indicators.label.hub.capacity_t_per_day"\nmsgstr "{label}"\n',
            encoding="utf-8",
        )
    rulesets = package / "data" / "rulesets" / "hub-regels"
    rulesets.mkdir()
    (rulesets / "2026.1.yaml").write_text(HUB_RULESET, encoding="utf-8")
    (rulesets / "2026.1.cases.yaml").write_text(HUB_CASES, encoding="utf-8")
    run = _cgc(root, "schema", "--write", root / "docs" / "schemas")
    assert run.returncode == 0, run.stderr


def test_a_subject_kind_takes_the_files_the_guide_states(tmp_path):
    root = _copy(tmp_path)
    touched = _changed(root, _add_subject_kind)
    assert touched == [
        "cgc_rules/data/locale/en/LC_MESSAGES/indicators.po",
        "cgc_rules/data/locale/nl/LC_MESSAGES/indicators.po",
        "cgc_rules/data/rulesets/hub-regels/2026.1.cases.yaml",
        "cgc_rules/data/rulesets/hub-regels/2026.1.yaml",
        "cgc_rules/hub.py",
        "cgc_rules/indicators/hub.py",
        "cgc_rules/kinds.py",
        "cgc_rules/ruleset.py",
        "docs/schemas/hub.schema.json",
        "docs/schemas/ruleset.schema.json",  # the new `kind` value
    ]
    assert len(touched) <= _stated("1. A ruleset kind")

    lint = _cgc(root, "rulesets", "lint")
    assert lint.returncode == 0, lint.stdout + lint.stderr
    cases = _cgc(root, "rulesets", "test", "hub-regels@2026.1")
    assert cases.returncode == 0, cases.stdout + cases.stderr
    assert "3 cases" in cases.stdout

    hub = root / "hub.yaml"
    hub.write_text("name: Hub Oost\ncapacity_t_per_day: 42\n", encoding="utf-8")
    run = _cgc(root, "check", hub, "-r", "hub-regels@2026.1", "--format", "json")
    assert run.returncode == 1, run.stderr  # 42 t a day is under the 50 t the ruleset asks
    report = json.loads(run.stdout)
    (outcome,) = report["outcomes"]
    assert (outcome["rule_id"], outcome["status"], outcome["value"]) == ("capaciteit", "fail", 42)
    assert report["subject"] == {"kind": "hub"}
    assert report["input_sha256"]
    table = _cgc(root, "check", hub, "-r", "hub-regels@2026.1")
    assert table.returncode == 1
    assert "capaciteit" in table.stdout
    assert "hub" in table.stdout
    bad = root / "kapot.yaml"
    bad.write_text("name: Hub Oost\ncapacity_t_per_day: veel\n", encoding="utf-8")
    refused = _cgc(root, "check", bad, "-r", "hub-regels@2026.1")
    assert refused.returncode == 2
    assert "kapot.yaml:2" in refused.stderr
    assert "Traceback" not in refused.stderr
