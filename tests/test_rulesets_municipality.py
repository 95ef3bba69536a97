"""Municipality rulesets: lint keeps subjects apart and checks the base level; cases run on self-assessments."""

from __future__ import annotations

from pathlib import Path

from .conftest import ROOT


def copy_with(tmp_path: Path, rid: str, version: str, *replacements: tuple[str, str]) -> tuple[Path, list[str]]:
    text = (ROOT / "cgc_rules/data/rulesets" / rid / f"{version}.yaml").read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    (tmp_path / rid).mkdir()
    (tmp_path / rid / f"{version}.yaml").write_text(text, encoding="utf-8")
    return tmp_path, text.splitlines()


def test_municipality_rule_on_a_project_indicator_is_a_lint_error(cgc, tmp_path):
    root, lines = copy_with(
        tmp_path,
        "gmr-profielen",
        "2026.1",
        ("indicator: municipality.tenders_circularly", "indicator: seb_compliance_declared"),
    )
    res = cgc("rulesets", "lint", root)
    assert res.exit_code == 1
    line = next(i for i, text in enumerate(lines, 1) if "seb_compliance_declared" in text)
    assert (
        f"2026.1.yaml:{line}:5: rules[1].indicator: rule circulair-uitvragen: indicator "
        f"'seb_compliance_declared' does not describe a municipality"
    ) in res.output


def test_project_rule_on_a_municipality_indicator_is_a_lint_error(cgc, tmp_path):
    root, _ = copy_with(
        tmp_path,
        "hnn-gww",
        "2026.1",
        ("indicator: seb_compliance_declared", "indicator: municipality.tenders_circularly"),
    )
    res = cgc("rulesets", "lint", root)
    assert res.exit_code == 1
    assert "indicator 'municipality.tenders_circularly' does not describe a project" in res.output


def test_base_level_must_come_first_and_stay_untagged(cgc, tmp_path):
    root, _ = copy_with(
        tmp_path,
        "gmr-profielen",
        "2026.1",
        ("levels: [profiel-3, profiel-2, profiel-1]", "levels: [profiel-2, profiel-3, profiel-1]"),
        ("tags: [profiel-1]", "tags: [profiel-1, profiel-3]"),
    )
    res = cgc("rulesets", "lint", root)
    assert res.exit_code == 1
    assert "base_level 'profiel-3' must be the first of levels" in res.output
    assert "base level 'profiel-3' is reached without rules; untag them" in res.output


def test_municipality_cases_run_and_catch_a_wrong_expectation(cgc, tmp_path):
    res = cgc("rulesets", "test", "gmr-profielen", "cgc-groeimodel")
    assert res.exit_code == 0, res.output
    assert "gmr-profielen@2026.1" in res.output
    assert "cgc-groeimodel@2024.1" in res.output
    rs = tmp_path / "cgc-groeimodel"
    rs.mkdir()
    for name in ("2024.1.yaml", "2024.1.cases.yaml"):
        text = (ROOT / "cgc_rules/data/rulesets/cgc-groeimodel" / name).read_text(encoding="utf-8")
        (rs / name).write_text(
            text.replace("stap-pionier/transport_hub: {status: fail", "stap-pionier/transport_hub: {status: pass"),
            encoding="utf-8",
        )
    res = cgc("rulesets", "test", "--rulesets-dir", tmp_path)
    assert res.exit_code == 1
    assert "stap-pionier/transport_hub: expected pass, got fail" in res.output


def test_show_prints_levels_sources_and_parameters(cgc):
    res = cgc("rulesets", "show", "gmr-profielen@2026.1")
    assert res.exit_code == 0, res.output
    assert "Figuur 2: Posities gemeenten in transitie naar circulaire GWW" in res.output
    assert "spinnenweb_grens_kennis" in res.output
    assert (
        "levels, low to high: profiel-3, profiel-2, profiel-1   (base level, held without a rule: profiel-3)"
        in res.output
    )
