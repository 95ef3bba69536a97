"""A user's profile directory replaces the bundled profiles: `--profiles-dir` or `CGC_PROFILES`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .conftest import ROOT

BUNDLED = ROOT / "cgc_rules/data/profiles"


@pytest.fixture
def own_profiles(tmp_path: Path) -> Path:
    """A profile directory with one profile, `eigen` (Gemeente Eigenstad), made from the Amersfoort profile."""
    directory = tmp_path / "profiles"
    shutil.copytree(BUNDLED / "huisstijl", directory / "huisstijl")
    text = (BUNDLED / "amersfoort.yaml").read_text(encoding="utf-8").replace("id: amersfoort", "id: eigen", 1)
    text = text.replace("name: Gemeente Amersfoort", "name: Gemeente Eigenstad", 1)
    text = text.replace("municipality: Gemeente Amersfoort", "municipality: Gemeente Eigenstad", 1)
    (directory / "eigen.yaml").write_text(text, encoding="utf-8")
    return directory


def _written(out: Path) -> str:
    """The one document written to `out`, which must be the user's profile's tender text."""
    assert [p.name for p in out.iterdir()] == ["bestektekst-circulariteit_eigen_wegen.html"]
    return (out / "bestektekst-circulariteit_eigen_wegen.html").read_text(encoding="utf-8")


def _generate(cgc, out: Path, *extra: str):
    return cgc(
        "generate",
        "tender",
        "--profile",
        "eigen",
        "--type",
        "wegen",
        "--format",
        "html",
        "--as-of",
        "2026-03-01",
        "-o",
        out,
        *extra,
    )


def test_bundled_profiles_do_not_know_a_users_profile(cgc, tmp_path, monkeypatch):
    monkeypatch.delenv("CGC_PROFILES", raising=False)
    res = _generate(cgc, tmp_path / "out")
    assert res.exit_code == 2
    assert "unknown profile 'eigen'" in res.output


def test_cgc_profiles_names_the_profile_directory(cgc, tmp_path, monkeypatch, own_profiles):
    monkeypatch.setenv("CGC_PROFILES", str(own_profiles))
    res = _generate(cgc, tmp_path / "out")
    assert res.exit_code == 0, res.output
    page = _written(tmp_path / "out")
    assert "Gemeente Eigenstad" in page
    assert "Gemeente Amersfoort" not in page
    res = cgc("generate", "tender", "--profile", "amersfoort", "--type", "wegen", "-o", tmp_path / "out")
    assert res.exit_code == 2
    assert "unknown profile 'amersfoort' (known: eigen)" in res.output


def test_profiles_dir_option_wins_over_the_environment(cgc, tmp_path, monkeypatch, own_profiles):
    monkeypatch.setenv("CGC_PROFILES", str(tmp_path / "nowhere"))
    res = _generate(cgc, tmp_path / "out", "--profiles-dir", own_profiles)
    assert res.exit_code == 0, res.output
    assert "Gemeente Eigenstad" in _written(tmp_path / "out")
