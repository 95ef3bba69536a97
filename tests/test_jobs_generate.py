"""The generate jobs: which documents a profile gets, how they are named, the tender set's folders."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
import yaml
from openpyxl import load_workbook

from cgc_rules.errors import CgcError
from cgc_rules.jobs.generate import (
    NotGenerated,
    bid_form,
    document,
    generate,
    not_made,
    profiles,
    tender_definition,
    tender_set,
    with_tender_choices,
)
from cgc_rules.registry import Registry

DAY = date(2026, 3, 1)
PROFILE = "gmr-voorbeeld-profiel-2"  # contract form UAV 2012 (traditional, with a specification)
STEMS = ["aanbestedingsleidraad", "bestektekst", "gunningscriteria", "checklist-beoordeling", "verantwoording"]


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry()


@pytest.fixture(scope="module")
def lp():
    return profiles(None)[PROFILE]


def test_all_kinds_each_named_by_stem_profile_and_type_and_the_tender_definition(registry):
    g = generate(None, PROFILE, ["html"], registry, project_type="wegen", as_of=DAY)
    names = [f.name for f in g.files]
    assert names[:3] == [f"{s}-circulariteit_{PROFILE}_wegen.html" for s in STEMS[:3]]
    assert names[-1] == f"aanbesteding_{PROFILE}_wegen.yaml"
    assert len(names) == 8  # 7 of the 8 kinds (no Vraagspecificatie under UAV 2012) and the tender definition
    assert g.skipped == (
        "Vraagspecificatie (circulariteit) niet gemaakt: de contractvorm is traditioneel, UAV 2012 met bestek",
    )
    tender = yaml.safe_load(g.files[-1].data)
    assert tender["profile"] == PROFILE
    assert tender["project_type"] == "wegen"


def test_a_kind_asked_for_by_name_that_is_not_made_is_an_error(registry):
    with pytest.raises(NotGenerated):
        generate(["vraagspecificatie"], PROFILE, ["html"], registry, project_type="wegen", as_of=DAY)


def test_the_project_type_must_agree_with_the_project_file(registry, write):
    project = write({"project": {"id": "p", "name": "P", "municipality": "Arnhem", "type": "woningbouw"}})
    with pytest.raises(CgcError, match="--type wegen differs from the project's type woningbouw"):
        generate(["tender"], PROFILE, ["html"], registry, project_file=project, project_type="wegen", as_of=DAY)


def test_another_contract_form_in_memory_changes_what_is_made(registry, lp):
    design_build = with_tender_choices(lp, "uav-gc", None)
    assert not_made(design_build, "wegen", "vraagspecificatie", registry, DAY) is None
    assert "UAV 2012" in (not_made(lp, "wegen", "vraagspecificatie", registry, DAY) or "")
    assert lp.profile.tender.contract_form == "uav2012"  # the loaded profile is left as it was
    assert design_build.profile.tender.procedure is None


def test_one_document_is_named_as_generate_names_it(registry, lp):
    f = document(lp, "wegen", "emvi", "docx", registry, DAY)
    assert f.name == f"gunningscriteria-circulariteit_{PROFILE}_wegen.docx"
    assert f.data[:2] == b"PK"


def test_the_tender_set_puts_published_and_internal_documents_in_their_folders(registry, lp):
    zipped = tender_set(lp, "wegen", registry, DAY)
    assert zipped.name == f"aanbestedingsset_{PROFILE}_wegen.zip"
    names = zipfile.ZipFile(io.BytesIO(zipped.data)).namelist()
    assert len(names) == 14  # 7 documents, DOCX and PDF each
    internal = sorted(n for n in names if n.startswith("intern/"))
    assert internal == sorted(
        f"intern/{s}_{PROFILE}_wegen.{ext}"
        for s in ("checklist-beoordeling", "verantwoording")
        for ext in ("docx", "pdf")
    )
    assert all(n.startswith(("gepubliceerd/", "intern/")) for n in names)


def test_tender_definition_and_bid_form(registry):
    text = tender_definition(PROFILE, "wegen", DAY, registry)
    assert yaml.safe_load(text)["tender_date"] == "2026-03-01"
    form = bid_form(registry, DAY, ("hnn-gww",), project_type="wegen")
    assert "materialen" in load_workbook(io.BytesIO(form), read_only=True).sheetnames
