"""Packs ship the bid form per profile and project type, with the pack's ruleset versions, and the schemas."""

from __future__ import annotations

import io
import zipfile

import openpyxl

from cgc_rules.intake.form import FormSpec, build_form
from cgc_rules.intake.schemas import SCHEMAS, schema_text

from .test_pack import build, setup  # noqa: F401  (the pack fixture and builder)


def test_pack_has_a_form_per_profile_and_type_and_the_schemas(setup):  # noqa: F811
    write_definition, sources, dist = setup
    with zipfile.ZipFile(build(write_definition(), dist, sources)) as zf:
        names = set(zf.namelist())
        forms = {n: zf.read(n) for n in names if n.startswith("formulieren/")}
        schema = zf.read("schemas/submission.schema.json").decode("utf-8")
    assert set(forms) == {
        f"formulieren/{p}/{t}/inschrijfformulier.xlsx"
        for p in ("amersfoort", "gmr-voorbeeld-profiel-1")
        for t in ("wegen", "openbare_ruimte")
    }
    assert {f"schemas/{n}.schema.json" for n in SCHEMAS} <= names
    assert schema == schema_text("submission")
    wb = openpyxl.load_workbook(io.BytesIO(forms["formulieren/amersfoort/wegen/inschrijfformulier.xlsx"]))
    refs = {p.name: p.value for p in wb.custom_doc_props}["cgc-regelsets"].split(", ")
    assert "hnn-gww@2026.1" in refs  # the pack's pinned version, not the newer one in the rulesets directory
    assert wb["project"]["B5"].value == "wegen"
    # only the rules the profile uses: Amersfoort applies one rule of emissievrij-transport
    listed = [
        row[1] for row in wb["toelichting"].iter_rows(values_only=True) if row[0] == "emissievrij-transport@2025.2"
    ]
    assert listed == ["alle-transport-emissievrij"]
    # and a pack's form has the same bytes as one made directly for the same choices
    rulesets = tuple(sources.registry.get(*r.split("@")).ruleset for r in refs)
    trimmed = tuple(
        r.model_copy(update={"rules": [x for x in r.rules if x.id in listed]}) if r.id == "emissievrij-transport" else r
        for r in rulesets
    )
    same = build_form(FormSpec(trimmed, "wegen", wb["project"]["B4"].value))
    assert same == forms["formulieren/amersfoort/wegen/inschrijfformulier.xlsx"]
