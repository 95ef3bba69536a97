"""`cgc evaluate` and `cgc rulesets` end to end: exit codes, JSON fields, languages, bad input."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, materials, road

OUTCOME_FIELDS = {
    "rule_id",
    "subject",
    "status",
    "indicator",
    "value",
    "comparator",
    "threshold",
    "unit",
    "level",
    "source",
    "explanation",
    "gap",
}


def report(result) -> dict:
    return json.loads(result.output)


def test_exit_0_when_compliant(cgc, write):
    path = write(road(materials=materials(620, 380), impact={"mki_eur_per_m2_year": 0.17}))
    res = cgc("evaluate", path, "-r", "hnn-gww", "--format", "json")
    assert res.exit_code == 0, res.output
    data = report(res)
    assert data["summary"]["compliant"] is True
    assert data["summary"]["counts"] == {"pass": 3, "fail": 0, "not_applicable": 0, "missing_data": 2, "reported": 0}


def test_exit_1_with_gap_when_failing(cgc, write):
    path = write(road(materials=materials(619, 381), impact={"mki_eur_per_m2_year": 0.1}))
    res = cgc("evaluate", path, "-r", "hnn-gww", "--format", "json", "--lang", "en")
    assert res.exit_code == 1
    data = report(res)
    origin = next(o for o in data["outcomes"] if o["rule_id"] == "herkomst-materiaal")
    assert origin["status"] == "fail"
    assert origin["value"] == pytest.approx(61.9)
    assert origin["threshold"] == 62
    assert "1 t more reused, recycled or biobased" in origin["gap"].replace("\u00a0", " ")


def test_json_report_fields(cgc, write):
    path = write(road(materials=materials(620, 380)))
    data = report(cgc("evaluate", path, "-r", "hnn-gww", "--format", "json"))
    assert set(data) >= {"ruleset", "as_of", "input_sha256", "outcomes", "summary"}
    assert data["ruleset"]["id"] == "hnn-gww"
    assert data["ruleset"]["version"] == "2026.1"
    import hashlib

    assert (
        data["ruleset"]["sha256"]
        == hashlib.sha256((ROOT / "cgc_rules/data/rulesets/hnn-gww/2026.1.yaml").read_bytes()).hexdigest()
    )
    assert data["input_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert data["as_of"] == "2026-03-01"
    assert data["ruleset"]["selected_by"] == "tender_date"
    assert (
        "tender date" in data["ruleset"]["selection_reason"]
        or "aanbestedingsdatum" in data["ruleset"]["selection_reason"]
    )
    for o in data["outcomes"]:
        assert set(o) >= OUTCOME_FIELDS
    assert set(data["summary"]["counts"]) == {"pass", "fail", "not_applicable", "missing_data", "reported"}
    assert "compliant" in data["summary"]


def test_several_rulesets_give_rulesets_list(cgc, write):
    path = write(road(materials=materials(620, 380)))
    data = report(cgc("evaluate", path, "-r", "hnn-gww", "-r", "seb@2023.1", "--format", "json"))
    assert "ruleset" not in data
    assert [r["selected_by"] for r in data["rulesets"]] == ["tender_date", "explicit"]


def test_languages(cgc, write):
    path = write(road(materials=materials(619, 381)))
    nl = report(cgc("evaluate", path, "-r", "hnn-gww", "--format", "json"))["outcomes"][0]
    en = report(cgc("evaluate", path, "-r", "hnn-gww", "--format", "json", "--lang", "en"))["outcomes"][0]
    assert "voldoet niet" in nl["explanation"]
    assert "61,9\u00a0%" in nl["explanation"]
    assert "not met" in en["explanation"]
    assert "61.9%" in en["explanation"]


def test_table_output(cgc, write):
    path = write(road(materials=materials(619, 381)))
    res = cgc("evaluate", path, "-r", "hnn-gww", "--lang", "en")
    assert res.exit_code == 1
    assert "herkomst-materiaal" in res.output
    assert "fail" in res.output
    assert "Does NOT meet every requirement" in res.output
    assert "version 2026.1 is in force on the project's tender date, 2026-03-01" in res.output


def test_html_and_pdf_reports(cgc, write, tmp_path):
    path = write(road(materials=materials(619, 381), impact={"mki_eur_per_m2_year": 0.2}))
    html = tmp_path / "r.html"
    assert cgc("evaluate", path, "-r", "hnn-gww", "--format", "html", "-o", html).exit_code == 1
    text = html.read_text()
    assert "Materiaalgebruik" in text
    assert 'class="bar fail"' in text
    assert "61,9" in text
    pdf = tmp_path / "r.pdf"
    assert cgc("evaluate", path, "-r", "hnn-gww", "--format", "pdf", "-o", pdf).exit_code == 1
    from pypdf import PdfReader

    content = " ".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "Herkomst materiaal" in content
    assert "voldoet niet" in content


def test_not_applicable_and_reported_statuses(cgc, write):
    path = write(road(project={"type": "kunstwerk"}, impact={"co2_kg_per_fu": 3.0}))
    data = report(cgc("evaluate", path, "-r", "hnn-gww", "--format", "json"))
    status = {o["rule_id"]: o["status"] for o in data["outcomes"]}
    assert status == {
        "herkomst-materiaal": "not_applicable",
        "mki": "not_applicable",
        "restmateriaal": "missing_data",
        "co2": "reported",
        "seb": "pass",
    }


# ------------------------------------------------------------------ version selection


@pytest.fixture
def two_versions(tmp_path: Path) -> Path:
    """hnn-gww 2026.1 until 2026-12-31 and a test-only 2027.1 with 65 % for roads."""
    root = tmp_path / "rulesets"
    shutil.copytree(ROOT / "cgc_rules/data/rulesets/hnn-gww", root / "hnn-gww")
    old = root / "hnn-gww/2026.1.yaml"
    old.write_text(old.read_text().replace("effective_until: 2030-12-31", "effective_until: 2026-12-31"))
    new = (
        old.read_text()
        .replace('version: "2026.1"', 'version: "2027.1"')
        .replace("effective_from: 2026-01-01", "effective_from: 2027-01-01")
        .replace("effective_until: 2026-12-31", "effective_until: null")
        .replace("wegen: 62,", "wegen: 65,")
    )
    (root / "hnn-gww/2027.1.yaml").write_text(new)
    return root


@pytest.mark.parametrize(
    ("args", "version", "how"),
    [
        ([], "2026.1", "tender_date"),
        (["--as-of", "2027-01-01"], "2027.1", "as_of"),
        (["--as-of", "2026-12-31"], "2026.1", "as_of"),
    ],
)
def test_version_selection(cgc, write, two_versions, args, version, how):
    path = write(road(materials=materials(630, 370)))
    res = cgc("evaluate", path, "-r", "hnn-gww", "--rulesets-dir", two_versions, "--format", "json", *args)
    data = report(res)
    assert (data["ruleset"]["version"], data["ruleset"]["selected_by"]) == (version, how)
    origin = data["outcomes"][0]
    assert origin["status"] == ("pass" if version == "2026.1" else "fail")


def test_explicit_version_wins(cgc, write, two_versions):
    path = write(road(project={"tender_date": "2026-05-01"}, materials=materials(630, 370)))
    data = report(cgc("evaluate", path, "-r", "hnn-gww@2027.1", "--rulesets-dir", two_versions, "--format", "json"))
    assert data["ruleset"]["version"] == "2027.1"
    assert data["outcomes"][0]["threshold"] == 65


def test_list_shows_versions(cgc, two_versions):
    res = cgc("rulesets", "list", "--rulesets-dir", two_versions)
    assert res.exit_code == 0
    assert "2026.1" in res.output
    assert "2027.1" in res.output
    assert "2027-01-01" in res.output


def test_show_prints_sources_and_thresholds(cgc):
    res = cgc("rulesets", "show", "hnn-gww@2026.1")
    assert res.exit_code == 0
    assert "Tabel 2: Meetbaarheid actielijn 1" in res.output
    assert "wegen ≥ 62,0\u00a0%; openbare ruimte ≥ 57,0\u00a0%" in res.output


# ------------------------------------------------------------------ bad input: exit 2, one clear message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("project: {id: a, name: b\nmaterials: [", "submission.yaml:2:"),
        ("project: [1, 2]\n", "project: moet sleutels met waarden bevatten"),  # --lang nl by default
        ("", "verwacht bovenaan sleutels met waarden (een mapping), gevonden: een leeg bestand"),
    ],
)
def test_bad_yaml(cgc, write, text, expected):
    res = cgc("evaluate", write(text), "-r", "hnn-gww")
    assert res.exit_code == 2
    assert expected in res.output
    assert "Traceback" not in res.output


def test_negative_mass_names_line_and_field(cgc, write):
    text = (
        "project: {id: a, name: b, municipality: c, type: wegen, tender_date: 2026-03-01}\n"
        "materials:\n"
        "  - {name: zand, mass_t: 10, origin: primair}\n"
        "  - {name: grind, mass_t: -5, origin: primair}\n"
    )
    res = cgc("evaluate", write(text), "-r", "hnn-gww")
    assert res.exit_code == 2
    assert "submission.yaml:4:" in res.output
    assert "materials[1].mass_t" in res.output
    assert "moet een getal ≥ 0 zijn (gevonden -5)" in res.output


def test_unknown_origin(cgc, write):
    text = (
        "project: {id: a, name: b, municipality: c, type: wegen, tender_date: 2026-03-01}\n"
        "materials:\n  - {name: zand, mass_t: 10, origin: nieuw}\n"
    )
    res = cgc("evaluate", write(text), "-r", "hnn-gww")
    assert res.exit_code == 2
    assert "submission.yaml:3:" in res.output
    assert "materials[0].origin" in res.output
    assert "'nieuw'" in res.output


def test_wrong_type_in_json(cgc, write):
    data = road()
    data["project"]["area_m2"] = "groot"
    res = cgc("evaluate", write(data, "s.json"), "-r", "hnn-gww")
    assert res.exit_code == 2
    assert "s.json:" in res.output
    assert "project.area_m2" in res.output


def test_invalid_json_syntax(cgc, write):
    res = cgc("evaluate", write('{"project": {', "s.json"), "-r", "hnn-gww")
    assert res.exit_code == 2
    assert "s.json:1:" in res.output
    assert "ongeldige JSON" in res.output


def test_unknown_field_is_an_error(cgc, write):
    res = cgc("evaluate", write(road(materialen=[])), "-r", "hnn-gww")
    assert res.exit_code == 2
    assert "materialen: onbekend veld" in res.output


def test_alias_bomb_refused(cgc, write):
    text = 'a: &a ["x", "x"]\nb: &b [*a, *a]\nproject: *b\n'
    res = cgc("evaluate", write(text), "-r", "hnn-gww")
    assert res.exit_code == 2
    assert "aliassen (& en *) zijn niet toegestaan" in res.output


@pytest.mark.parametrize(
    ("ref", "expected"),
    [("nope", "onbekende regelset ‘nope’"), ("hnn-gww@1999.1", "onbekende versie ‘1999.1’ van regelset ‘hnn-gww’")],
)
def test_unknown_ruleset_or_version(cgc, write, ref, expected):
    res = cgc("evaluate", write(road()), "-r", ref)
    assert res.exit_code == 2
    assert expected in res.output


def test_no_version_in_force(cgc, write):
    res = cgc("evaluate", write(road(project={"tender_date": "2024-01-01"})), "-r", "hnn-gww")
    assert res.exit_code == 2
    assert "op 2024-01-01 geldt geen versie van regelset ‘hnn-gww’" in res.output  # in --lang (default nl)


def test_missing_file_and_usage(cgc, tmp_path):
    res = cgc("evaluate", tmp_path / "nope.yaml", "-r", "hnn-gww")
    assert res.exit_code == 2
    assert "bestand niet gevonden" in res.output
    res = cgc("evaluate", tmp_path / "nope.yaml")
    assert res.exit_code == 2  # --ruleset is required
    res = cgc("evaluate", tmp_path / "x.yaml", "-r", "hnn-gww", "--as-of", "morgen")
    assert res.exit_code == 2
    assert "YYYY-MM-DD" in res.output


def test_bad_input_leaves_existing_output_untouched(cgc, write, tmp_path):
    out = tmp_path / "report.json"
    out.write_text("previous report")
    res = cgc("evaluate", write("project: [\n"), "-r", "hnn-gww", "--format", "json", "-o", out)
    assert res.exit_code == 2
    assert out.read_text() == "previous report"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".report")] == []


def test_real_command_prints_no_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("project: {id: a\n")
    proc = subprocess.run(
        [sys.executable, str(ROOT / "cli.py"), "evaluate", str(bad), "-r", "hnn-gww"], capture_output=True, text=True
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "bad.yaml:" in proc.stderr


# ------------------------------------------------------------------ lint and ruleset tests


def test_lint_clean(cgc):
    res = cgc("rulesets", "lint")
    assert res.exit_code == 0, res.output
    assert "0 problem(s)" in res.output


def test_lint_pinpoints_errors(cgc, tmp_path):
    broken = tmp_path / "hnn-gww"
    broken.mkdir()
    text = (ROOT / "cgc_rules/data/rulesets/hnn-gww/2026.1.yaml").read_text()
    text = text.replace("indicator: mki_eur_per_m2_year", "indicator: mki_per_m2")
    text = text.replace("  - id: co2\n", "  - id: restmateriaal\n")
    text = text.replace(
        '    unit: "%"\n    source: gmr-tabel-2\n    explanation:\n      nl: >-\n        Aandeel van',
        "    source: gmr-tabel-2\n    explanation:\n      nl: >-\n        Aandeel van",
    )
    (broken / "2026.1.yaml").write_text(text)
    lines = text.splitlines()
    res = cgc("rulesets", "lint", tmp_path)
    assert res.exit_code == 1
    out = res.output
    line_of = lambda needle: next(i for i, line in enumerate(lines, 1) if needle in line)  # noqa: E731
    assert (
        f"2026.1.yaml:{line_of('indicator: mki_per_m2')}:5: rules[1].indicator: rule mki: unknown indicator 'mki_per_m2'"
        in out
    )
    dup_line = [i for i, line in enumerate(lines, 1) if "- id: restmateriaal" in line][1]
    assert f":{dup_line}:5: rules[3].id: duplicate rule id 'restmateriaal'" in out
    assert "rule herkomst-materiaal: threshold without unit" in out


def test_lint_overlapping_versions(cgc, two_versions):
    path = two_versions / "hnn-gww/2027.1.yaml"
    path.write_text(path.read_text().replace("effective_from: 2027-01-01", "effective_from: 2026-06-01"))
    res = cgc("rulesets", "lint", two_versions)
    assert res.exit_code == 1
    assert "effective period overlaps hnn-gww@2026.1" in res.output
    assert "2027.1.yaml:" in res.output


def test_lint_yaml_syntax_error(cgc, tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x/2026.1.yaml").write_text("id: x\nrules: [\n")
    res = cgc("rulesets", "lint", tmp_path)
    assert res.exit_code == 1
    assert "2026.1.yaml:3:1: invalid YAML" in res.output


def test_rulesets_test_passes_and_catches_mismatch(cgc, two_versions):
    res = cgc("rulesets", "test", "hnn-gww@2026.1")
    assert res.exit_code == 0
    assert "0 failed" in res.output
    cases = two_versions / "hnn-gww/2026.1.cases.yaml"
    text = cases.read_text()
    wrong = text.replace(
        "        status: fail\n        value: 61.9\n", "        status: pass\n        value: 61.9\n", 1
    )
    assert wrong != text
    cases.write_text(wrong)
    res = cgc("rulesets", "test", "hnn-gww@2026.1", "--rulesets-dir", two_versions)
    assert res.exit_code == 1
    assert "expected pass, got fail" in res.output
    assert "2026.1.cases.yaml:" in res.output


def test_table_to_file_has_no_colour_codes(cgc, write, tmp_path):
    out = tmp_path / "rapport.txt"
    res = cgc("evaluate", write(road(materials=materials(620, 380))), "-r", "hnn-gww", "-o", out)
    assert res.exit_code == 1  # MKI is missing
    text = out.read_text()
    assert "\x1b[" not in text
    assert "herkomst-materiaal" in text
    assert "gegevens ontbreken" in text


def test_output_file_has_ordinary_permissions(cgc, write, tmp_path):
    import os

    out = tmp_path / "r.json"
    cgc("evaluate", write(road(materials=materials(620, 380))), "-r", "hnn-gww", "--format", "json", "-o", out)
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask


def test_missing_list_shows_no_threshold(cgc, write):
    data = report(
        cgc(
            "evaluate",
            write(road()),
            "-r",
            "emissievrij-transport",
            "--as-of",
            "2026-01-01",
            "--format",
            "json",
            "--lang",
            "en",
        )
    )
    norm = next(o for o in data["outcomes"] if o["rule_id"] == "alle-transport-emissievrij")
    assert norm["status"] == "missing_data"
    assert norm["threshold_text"] is None
    assert norm["explanation"] == "Missing data: the list 'transport' is absent from the submission."
