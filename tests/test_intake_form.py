"""The bid form: laid out from the model, filled in by a bidder, read back with every error located."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
import yaml

from cgc_rules.errors import CgcError
from cgc_rules.intake import layout, load_any
from cgc_rules.intake.form import FormSpec, build_form
from cgc_rules.intake.layout import fingerprint, sheets
from cgc_rules.registry import Registry

from .conftest import ROOT

PROJECT = {
    "kenmerk": "arnhem-2026-031",
    "naam": "Herinrichting Velperweg",
    "gemeente": "Arnhem",
    "projecttype": "wegen",
    "aanbestedingsdatum": "2026-03-02",
    "oppervlakte (m²)": 12000,
    "levensduur (jaar)": 40,
}
MATERIALS = [
    {
        "materiaal": "Asfalt deklaag 50 % PR",
        "code": "RAW 31.41",
        "massa (t)": 1800,
        "% primair": 50,
        "% gerecycled": 50,
    },
    {"materiaal": "Menggranulaat", "massa (t)": "2.400,0", "herkomst": "gerecycled"},
    {"materiaal": "Zand", "massa (t)": "1372,5", "herkomst": "primair"},
    {"materiaal": "Houten palen", "massa (t)": 20, "herkomst": "biobased", "hernieuwbaar": "ja"},
]
YAML = {
    "project": {
        "id": "arnhem-2026-031",
        "name": "Herinrichting Velperweg",
        "municipality": "Arnhem",
        "type": "wegen",
        "tender_date": "2026-03-02",
        "area_m2": 12000,
        "lifetime_years": 40,
    },
    "materials": [
        {
            "name": "Asfalt deklaag 50 % PR",
            "code": "RAW 31.41",
            "mass_t": 1800,
            "composition": {"primair": 50, "gerecycled": 50},
        },
        {"name": "Menggranulaat", "mass_t": 2400, "origin": "gerecycled"},
        {"name": "Zand", "mass_t": 1372.5, "origin": "primair"},
        {"name": "Houten palen", "mass_t": 20, "origin": "biobased", "renewable": True},
    ],
    "impact": {"mki_eur_total": 72000, "co2_kg_per_fu": 41.5},
    "demolition": [],
    "declarations": {"seb_compliant": True},
}


def hnn_form() -> bytes:
    return build_form(FormSpec((Registry().get("hnn-gww", "2026.1").ruleset,), "wegen"))


def fill(
    path: Path, project: dict, materials: list[dict], extra: dict[str, dict] | None = None, none: tuple[str, ...] = ()
) -> Path:
    """Fill the form as a bidder does: values typed next to labels and under headers."""
    wb = openpyxl.load_workbook(path)
    records = {"project": project, **(extra or {})}
    for title, values in records.items():
        ws = wb[title]
        for row in ws.iter_rows(min_row=2):
            if row[0].value in values:
                row[1].value = values[row[0].value]
    ws = wb["materialen"]
    header = [c.value for c in ws[1]]
    for r, line in enumerate(materials, start=2):
        for label, value in line.items():
            ws.cell(r, header.index(label) + 1, value)
    for title in none:
        wb[title].cell(2, 1, "geen")
    wb.save(path)
    return path


def outcomes(cgc, path: Path) -> list[dict]:
    res = cgc("evaluate", path, "-r", "hnn-gww@2026.1", "--format", "json")
    assert res.exit_code in (0, 1), res.output
    return json.loads(res.output)["outcomes"]


def test_same_inputs_give_the_same_bytes(cgc, tmp_path):
    form = hnn_form()
    with zipfile.ZipFile(io.BytesIO(form)) as z:
        assert {i.date_time for i in z.infolist()} == {(2026, 1, 1, 0, 0, 0)}  # no wall-clock time in the zip
        core = z.read("docProps/core.xml").decode()
    stamps = re.findall(r"<dcterms:(created|modified)[^>]*>([^<]+)<", core)
    assert stamps == [("created", "2026-01-01T00:00:00Z"), ("modified", "2026-01-01T00:00:00Z")]
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    for p in (a, b):
        assert cgc("form", "-o", p, "-r", "hnn-gww@2026.1", "--type", "wegen").exit_code == 0
    assert a.read_bytes() == b.read_bytes() == form  # the CLI, twice, writes the bytes built in-process


def test_the_form_version_follows_the_layout(monkeypatch, tmp_path):
    """A form made before the layout changed is refused: its stored version is the old layout's fingerprint."""
    old = tmp_path / "oud.xlsx"
    old.write_bytes(hnn_form())
    before = fingerprint()
    schema = layout.Submission.model_json_schema()
    schema["$defs"]["Project"]["properties"]["name"]["title"] = "projectnaam (gewijzigd)"
    monkeypatch.setattr(layout.Submission, "model_json_schema", lambda *a, **k: schema)
    layout.sheets.cache_clear()
    try:
        assert fingerprint() != before
        with pytest.raises(CgcError) as info:
            load_any(old)
        assert "andere indeling" in str(info.value)
    finally:
        monkeypatch.undo()
        layout.sheets.cache_clear()
    assert fingerprint() == before


def test_form_has_one_sheet_per_part_with_headers_lists_and_checks(tmp_path):
    path = tmp_path / "form.xlsx"
    path.write_bytes(hnn_form())
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [
        "toelichting",
        "inschrijving",
        "project",
        "materialen",
        "impact",
        "sloop",
        "materieel",
        "transport",
        "verklaringen",
        "totalen",
    ]
    ws = wb["materialen"]
    assert [c.value for c in ws[1]] == [
        "materiaal",
        "code",
        "massa (t)",
        "herkomst",
        "% primair",
        "% hergebruikt",
        "% gerecycled",
        "% biobased",
        "hernieuwbaar",
        "corridorregel",
    ]
    assert ws.freeze_panes == "A2"
    checks = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert checks["D2:D50001"].formula1 == '"primair,hergebruikt,gerecycled,biobased"'
    assert (checks["C2:C50001"].type, checks["C2:C50001"].operator, checks["C2:C50001"].formula1) == (
        "decimal",
        "greaterThanOrEqual",
        "0",
    )
    assert checks["E2:E50001"].operator == "between"
    assert checks["E2:E50001"].formula2 == "100"
    assert ws.column_dimensions["D"].width >= len("hergebruikt")
    for title in ("sloop", "materieel", "transport", "project"):
        assert wb[title].freeze_panes == "A2"
    lists = {
        dv.formula1
        for t in ("sloop", "materieel", "transport", "project")
        for dv in wb[t].data_validations.dataValidation
    }
    assert '"hergebruik,recycling,verbranding,stort"' in lists
    assert '"ouder,stage-iiia,stage-iiib,stage-iv,stage-v,emissieloos"' in lists
    assert '"bestelauto,vrachtauto,trekker,overig"' in lists
    assert any("wegen" in f for f in lists)
    props = {p.name: p.value for p in wb.custom_doc_props}
    assert props == {"cgc-formulierversie": fingerprint(), "cgc-regelsets": "hnn-gww@2026.1"}
    assert wb.properties.created == wb.properties.modified
    rules = {row[1]: row for row in wb["toelichting"].iter_rows(values_only=True) if row[0] == "hnn-gww@2026.1"}
    assert set(rules) == {"herkomst-materiaal", "mki", "restmateriaal", "co2", "seb"}
    assert "materialen: massa (t)" in rules["herkomst-materiaal"][4]
    assert "project: oppervlakte (m²)" in rules["mki"][4]
    assert "impact: MKI totaal (€)" in rules["mki"][4]
    assert wb["project"]["B5"].value == "wegen"


def test_profile_form_lists_the_profiles_rulesets(cgc, tmp_path):
    path = tmp_path / "amersfoort.xlsx"
    res = cgc("form", "-o", path, "--profile", "amersfoort", "--type", "woningbouw", "--as-of", "2026-03-01")
    assert res.exit_code == 0, res.output
    wb = openpyxl.load_workbook(path)
    refs = {p.name: p.value for p in wb.custom_doc_props}["cgc-regelsets"]
    assert refs
    assert "@" in refs
    assert "Amersfoort" in wb["project"]["B4"].value
    assert wb["project"]["B5"].value == "woningbouw"


def test_filled_form_gives_the_same_outcomes_as_the_yaml(cgc, tmp_path, write):
    form = tmp_path / "bod.xlsx"
    form.write_bytes(hnn_form())
    fill(
        form,
        PROJECT,
        MATERIALS,
        {
            "impact": {"MKI totaal (€)": 72000, "CO2 (kg CO2-eq/FE)": "41,5"},
            "verklaringen": {"volgens SEB-convenant": "ja"},
        },
        none=("sloop",),
    )
    from_form, from_yaml = outcomes(cgc, form), outcomes(cgc, write(YAML))
    assert from_form == from_yaml
    assert {o["rule_id"]: o["status"] for o in from_form}["herkomst-materiaal"] in ("pass", "fail")
    assert load_any(form).submission.materials[0].code == "RAW 31.41"


def test_five_seeded_errors_are_all_reported_with_sheet_row_and_column(cgc, tmp_path):
    form = tmp_path / "fout.xlsx"
    form.write_bytes(hnn_form())
    bad = [
        dict(MATERIALS[0], **{"% gerecycled": 40}),  # C2…: composition adds up to 90
        dict(MATERIALS[1], **{"massa (t)": "12,5 ton"}),  # C3: text with a unit
        dict(MATERIALS[2], **{"massa (t)": -3}),  # C4: negative mass
        dict(MATERIALS[3], herkomst="gestolen"),  # D5: not in the list
        {"materiaal": "Grond", "massa (t)": "1.234", "herkomst": "hergebruikt"},
    ]  # C6: ambiguous
    fill(form, dict(PROJECT, aanbestedingsdatum="32-13-2026"), bad)  # project!B6: no date
    res = cgc("evaluate", form, "-r", "hnn-gww@2026.1")
    assert res.exit_code == 2
    errors = [line for line in res.output.splitlines() if line.startswith("error:")]
    expected = [
        "project!B6: aanbestedingsdatum moet een datum zijn",
        'materialen!C3: massa moet een getal ≥ 0 zijn, gevonden "12,5 ton"',
        "materialen!C4: massa moet een getal ≥ 0 zijn, gevonden -3",
        "materialen!D5: herkomst moet een van deze zijn",
        'materialen!C6: massa: "1.234" is dubbelzinnig',
        "materialen!E2: samenstelling telt op tot 90 %, niet tot 100 %",
    ]
    for e in expected:
        assert any(e in line for line in errors), (e, errors)
    assert len(errors) == len(expected)
    assert "Traceback" not in res.output


def test_a_form_of_another_version_is_refused_naming_both(tmp_path):
    form = tmp_path / "oud.xlsx"
    form.write_bytes(hnn_form())
    wb = openpyxl.load_workbook(form)
    for prop in wb.custom_doc_props:
        if prop.name == "cgc-formulierversie":
            prop.value = "0.9"
    wb.save(form)
    with pytest.raises(CgcError) as info:
        load_any(form)
    assert "andere indeling" in str(info.value)
    assert "nieuw formulier" in str(info.value)


def test_not_a_workbook_is_bad_input(tmp_path):
    path = tmp_path / "kapot.xlsx"
    path.write_text("geen zip", encoding="utf-8")
    with pytest.raises(CgcError, match="XLSX"):
        load_any(path)


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(
    soffice() is None, reason="no `soffice` or `libreoffice` on PATH: scripts/system-deps.sh installs LibreOffice"
)
def test_libreoffice_opens_the_form_and_exports_the_same_values(tmp_path):
    data = yaml.safe_load((ROOT / "examples/openbare-ruimte-voldoet.yaml").read_text(encoding="utf-8"))
    form = tmp_path / "weg.xlsx"
    form.write_bytes(build_form(FormSpec(), load_any(ROOT / "examples/openbare-ruimte-voldoet.yaml").submission))
    profile = f"file://{tmp_path / 'lo-profile'}"
    run = [soffice(), "--headless", "--norestore", f"-env:UserInstallation={profile}"]
    all_sheets = "csv:Text - txt - csv (StarCalc):59,34,76,1,,0,false,true,false,false,false,-1"
    res = subprocess.run(
        [*run, "--convert-to", all_sheets, "--outdir", str(tmp_path / "csv"), str(form)],
        check=False,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert res.returncode == 0, res.stderr
    with (tmp_path / "csv/weg-materialen.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    assert [(r["materiaal"], float(r["massa (t)"]), r["herkomst"]) for r in rows] == [
        (m["name"], m["mass_t"], m["origin"]) for m in data["materials"]
    ]
    wb = openpyxl.load_workbook(form)
    for s in sheets():
        with (tmp_path / f"csv/weg-{s.title}.csv").open(encoding="utf-8") as fh:
            exported = [row for row in csv.reader(fh, delimiter=";")]
        ours = [["" if v is None else str(v) for v in row] for row in wb[s.title].iter_rows(values_only=True)]
        assert [r[:2] for r in exported] == [[_plain(v) for v in r[:2]] for r in ours][: len(exported)]
    # saved again by LibreOffice, the form still reads back as the same submission
    res = subprocess.run(
        [*run, "--convert-to", "xlsx", "--outdir", str(tmp_path / "lo"), str(form)],
        check=False,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert res.returncode == 0, res.stderr
    assert load_any(tmp_path / "lo/weg.xlsx").submission == load_any(form).submission


def _plain(value: str) -> str:
    """How LibreOffice writes a cell in CSV: whole numbers without `.0`, dates as YYYY-MM-DD."""
    if value.endswith(".0") and value[:-2].lstrip("-").isdigit():
        return value[:-2]
    return value.split(" ")[0] if value[:4].isdigit() and value[4:5] == "-" and " 00:00:00" in value else value
