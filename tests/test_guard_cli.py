"""The crash classes of issue 18 end to end: the real `cgc` in a subprocess, exit codes 0/1/2/70, never a traceback."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "weg-voldoet.yaml"


def cgc(*args: object, cwd: Path | None = None, env: dict | None = None, code: str | None = None):
    """Run `cgc ARGS` as a user would (a fresh interpreter, the console entry point)."""
    run = code or "from cgc_rules.cli import run; run()"
    return subprocess.run(
        [sys.executable, "-c", f"import sys; sys.argv = ['cgc'] + sys.argv[1:]; {run}", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def test_exit_codes_mean_one_thing(tmp_path):
    assert cgc("evaluate", EXAMPLE, "-r", "hnn-gww", "--format", "json").returncode == 0
    assert (
        cgc("evaluate", ROOT / "examples" / "weg-voldoet-niet.yaml", "-r", "hnn-gww", "--format", "json").returncode
        == 1
    )
    bad = cgc("evaluate", tmp_path / "missing.yaml", "-r", "hnn-gww")
    assert bad.returncode == 2
    assert "bestand niet gevonden" in bad.stderr
    assert cgc("evaluate").returncode == 2
    assert cgc("no-such-verb").returncode == 2


def test_an_internal_error_is_exit_70_with_one_line_and_a_log(tmp_path):
    boom = (
        "import cgc_rules.report.json_report as j; "
        "j.to_json = lambda report: (_ for _ in ()).throw(ZeroDivisionError('boom')); "
        "from cgc_rules.cli import run; run()"
    )
    res = cgc("evaluate", EXAMPLE, "-r", "hnn-gww", "--format", "json", code=boom, env={"CGC_STATE_DIR": str(tmp_path)})
    assert res.returncode == 70, res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "internal error (ZeroDivisionError)" in lines[0]
    assert "Traceback" not in res.stderr
    log = next(tmp_path.glob("cgc-crash-*.log"))
    assert str(log) in lines[0]
    assert "ZeroDivisionError: boom" in log.read_text()


def test_huge_masses_are_bad_input_naming_the_line(tmp_path):
    path = tmp_path / "s.yaml"
    text = re.sub(r"mass_t: [0-9.]+", "mass_t: 1e308", EXAMPLE.read_text(), count=2)
    path.write_text(text)
    line = next(i for i, row in enumerate(text.splitlines(), start=1) if "1e308" in row)
    res = cgc("evaluate", path, "-r", "hnn-gww")
    assert res.returncode == 2
    assert f"{path}:{line}:" in res.stderr
    assert "mass_t: number is larger than the limit" in res.stderr


@pytest.mark.parametrize("name", ["[/bold]", "[bold red]x[/]", "[link=file:///etc/passwd]y"])
def test_markup_in_names_is_shown_as_written(tmp_path, name):
    path = tmp_path / "s.yaml"
    path.write_text(EXAMPLE.read_text().replace("name: Reconstructie Schelmseweg (voorbeeld)", f"name: '{name}'"))
    res = cgc("evaluate", path, "-r", "hnn-gww", env={"FORCE_COLOR": "1", "COLUMNS": "200"})
    assert res.returncode == 0, res.stderr
    assert name in re.sub(r"\x1b\[[0-9;]*m", "", res.stdout)
    municipality = ROOT / "examples" / "gemeente-voldoet.yaml"
    mpath = tmp_path / "g.yaml"
    mpath.write_text(municipality.read_text().replace("name: Gemeente Voorbeeld (GMR)", f"name: '{name}'", 1))
    res = cgc("assess", mpath)
    assert res.returncode in (0, 1)
    assert "Traceback" not in res.stderr


def test_a_long_name_is_shortened_in_the_table_quickly(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(EXAMPLE.read_text().replace("name: Reconstructie Schelmseweg (voorbeeld)", "name: " + "n" * 90_000))
    res = cgc("evaluate", path, "-r", "hnn-gww")
    assert res.returncode == 0
    assert "…" in res.stdout
    assert len(res.stdout) < 100_000


@pytest.mark.parametrize("target", ["blocker/out.json", "n" * 300 + ".json", "."])
def test_write_errors_are_exit_2_with_a_message_and_no_temporary_file(tmp_path, target):
    (tmp_path / "blocker").write_text("a file where a directory should be")
    res = cgc("evaluate", EXAMPLE, "-r", "hnn-gww", "--format", "json", "-o", tmp_path / target)
    assert res.returncode == 2
    assert "Traceback" not in res.stderr
    assert "cannot write" in res.stderr or "directory" in res.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["blocker"]


def test_the_report_is_the_same_from_any_directory(tmp_path):
    (tmp_path / "a").mkdir()
    outputs = set()
    for cwd in (ROOT, tmp_path, tmp_path / "a"):
        res = cgc("evaluate", EXAMPLE, "-r", "hnn-gww", "--format", "json", cwd=cwd)
        outputs.add(res.stdout)
    assert len(outputs) == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda rule: rule.pop("threshold"), "needs a threshold"),
        (lambda rule: rule.update(source="nergens"), "unknown source 'nergens'"),
        (lambda rule: rule.update(indicator="bestaat-niet"), "unknown indicator 'bestaat-niet'"),
        (lambda rule: rule.update(threshold="veel"), "threshold 'veel' is not"),
        (lambda rule: rule.update(threshold={"parameter": "grens"}), "threshold 'veel' is not"),
    ],
)
def test_a_broken_rule_is_a_located_error_in_evaluate(tmp_path, change, message):
    import yaml

    source = ROOT / "cgc_rules" / "data" / "rulesets" / "hnn-gww" / "2026.1.yaml"
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    change(data["rules"][0])
    data.setdefault("parameters", {})["grens"] = {"description": {"nl": "Grens", "en": "Limit"}, "value": "veel"}
    (tmp_path / "hnn-gww").mkdir()
    (tmp_path / "hnn-gww" / "2026.1.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    res = cgc("evaluate", EXAMPLE, "-r", "hnn-gww", "--rulesets-dir", tmp_path)
    assert res.returncode == 2
    assert "Traceback" not in res.stderr
    assert "2026.1.yaml:" in res.stderr, res.stderr
    assert "rules[0]" in res.stderr, res.stderr
    assert message in res.stderr, res.stderr


def test_a_condition_value_of_the_wrong_kind_is_a_located_error(tmp_path):
    source = ROOT / "cgc_rules" / "data" / "rulesets" / "emissievrij-transport" / "2025.2.yaml"
    text = source.read_text(encoding="utf-8")
    assert 'comparator: "<", value: 2025-01-01}' in text
    (tmp_path / "emissievrij-transport").mkdir()
    (tmp_path / "emissievrij-transport" / "2025.2.yaml").write_text(
        text.replace('comparator: "<", value: 2025-01-01}', 'comparator: "<", value: [a]}', 1), encoding="utf-8"
    )
    res = cgc(
        "evaluate",
        ROOT / "examples" / "sloop-voldoet-niet.yaml",
        "-r",
        "emissievrij-transport@2025.2",
        "--rulesets-dir",
        tmp_path,
    )
    assert res.returncode == 2
    assert "Traceback" not in res.stderr
    assert "applies_when.conditions" in res.stderr, res.stderr
    assert "is a date; value 'a' is not" in res.stderr, res.stderr


def test_markup_in_a_file_name_is_shown_as_written_in_a_batch_table(tmp_path):
    folder = tmp_path / "inzendingen"
    folder.mkdir()
    text = EXAMPLE.read_text(encoding="utf-8")
    (folder / "[bold]a.yaml").write_text(text)  # a tag rich would style, not show
    (folder / "b [x] [red].yaml").write_text(text)
    res = cgc("evaluate", folder, "-r", "hnn-gww")
    assert res.returncode == 0, res.stderr[-500:]
    assert "Traceback" not in res.stderr, res.stderr[-500:]
    assert "[bold]a.yaml" in res.stdout
    assert "b [x] [red].yaml" in res.stdout
