"""Profiles are confined (issue 18): every house-style path stays inside the profile's folder or the bundled styles."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cgc_rules.errors import CgcError
from cgc_rules.profile import load_profile
from cgc_rules.resources import bundled

PROFILES = Path(str(bundled("profiles")))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copy(PROFILES / "amersfoort.yaml", tmp_path / "amersfoort.yaml")
    shutil.copytree(PROFILES / "huisstijl" / "amersfoort", tmp_path / "stijl")
    (tmp_path / "huisstijl").symlink_to(PROFILES / "huisstijl")  # the bundled styles, reached through a link
    return tmp_path


def _with(folder: Path, key: str, value: str) -> Path:
    path = folder / "amersfoort.yaml"
    text = path.read_text(encoding="utf-8")
    lines = [f"  {key}: {value}" if line.startswith(f"  {key}: ") else line for line in text.splitlines()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_paths_inside_the_folder_and_the_bundled_styles_load(folder):
    path = _with(folder, "css", "stijl/stijl.css")
    assert load_profile(path).profile.house_style.css == "stijl/stijl.css"


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("css", "/etc/passwd"),
        ("css", "../../../../etc/passwd"),
        ("logo", "stijl/../../outside.png"),
        ("reference_docx", "'" + "a/" * 3000 + "x.docx'"),
    ],
)
def test_paths_leaving_the_folder_are_refused_naming_the_field(folder, key, value):
    (folder.parent / "outside.png").write_bytes(b"\x89PNG")
    path = _with(folder, key, value)
    with pytest.raises(CgcError) as info:
        load_profile(path)
    problem = info.value.problems[0]
    assert problem.field == f"house_style.{key}"
    assert problem.line is not None
    assert "outside the profile's folder" in problem.message or "file not found" in problem.message


def test_a_link_out_of_the_folder_is_refused(folder):
    (folder / "stijl" / "evil.css").symlink_to("/etc/passwd")
    with pytest.raises(CgcError, match="house_style.css: 'stijl/evil.css' lies outside"):
        load_profile(_with(folder, "css", "stijl/evil.css"))


def test_a_name_too_long_for_the_documents_is_a_located_error(folder):
    path = folder / "amersfoort.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        "\n".join(
            f"municipality: {'M' * 256}" if line.startswith("municipality: ") else line for line in text.splitlines()
        )
        + "\n",
        encoding="utf-8",
    )
    with pytest.raises(CgcError) as info:
        load_profile(path)
    assert info.value.problems[0].field == "municipality"
    assert "at most 200 characters" in str(info.value)


def test_docx_core_properties_are_shortened_to_what_word_holds():
    from cgc_rules.documents.render_docx import _core

    assert _core("x" * 300).endswith("…")
    assert len(_core("x" * 300)) == 255
    assert _core("kort") == "kort"


def _award(folder: Path, old: str, new: str) -> Path:
    path = folder / "amersfoort.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_a_rule_with_two_award_criteria_is_refused_in_the_profile(folder):
    """Found by the fuzz: a duplicated criterion made the tender definition fail to build (a traceback)."""
    path = _award(
        folder,
        "    - rule: hnn-gww/mki\n",
        "    - rule: hnn-gww/mki\n      scoring: mki_korting\n    - rule: hnn-gww/mki\n",
    )
    with pytest.raises(CgcError) as info:
        load_profile(path)
    (problem,) = info.value.problems
    assert problem.field == "award"
    assert problem.message == "rule hnn-gww/mki has more than one award criterion"


def test_a_factor_the_profile_leaves_out_is_an_open_fill_in_of_the_tender(folder):
    """Found by the fuzz: a criterion without its factor made the tender definition fail to build."""
    from datetime import date

    from cgc_rules.tender.build import build_tender

    path = _award(
        folder, "      factor: {label: fictieve korting per € MKI onder het eisniveau, unit: eur_per_eur_mki}\n", ""
    )
    tender = build_tender(load_profile(path), "wegen", date(2026, 3, 1))
    (mki,) = [c for c in tender.criteria if c.rule == "hnn-gww/mki"]
    factor = mki.params["factor"]
    assert factor.value is None
    assert factor.unit == "eur_per_eur_mki"
    assert factor.label == "fictieve korting per € MKI onder het eisniveau"
