"""`cgc notice` without the EU check (no schematron compile): refusals by name, drafts, no-notice statements."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from cgc_rules.notice.sdk import ENV, locate

from .conftest import ROOT

TENDER = ROOT / "examples" / "aanbesteding" / "tender.yaml"


pytestmark = pytest.mark.usefixtures("sdk")  # the eForms SDK (conftest)


def test_open_fill_ins_are_refused_by_name(cgc, tmp_path: Path) -> None:
    fill = tmp_path / "aankondiging.yaml"
    fill.write_text(yaml.safe_dump({"cpv": "45233000"}), encoding="utf-8")
    res = cgc("notice", "contract", TENDER, "--fill", fill, "-o", tmp_path / "out", "--lang", "en")
    assert res.exit_code == 2
    assert not (tmp_path / "out").exists()  # nothing written
    named = re.findall(r"aankondiging\.yaml: (\S+): Fill-in left empty \((BT-\d+)\)", res.output)
    assert ("buyer.company_id", "BT-501") in named
    assert ("submission_deadline", "BT-131") in named
    assert "cpv" not in [name for name, _ in named]


def test_a_bad_fill_in_file_is_located(cgc, tmp_path: Path) -> None:
    fill = tmp_path / "aankondiging.yaml"
    fill.write_text("cpv: '4523'\n", encoding="utf-8")
    res = cgc("notice", "contract", TENDER, "--fill", fill, "-o", tmp_path)
    assert res.exit_code == 2
    assert "aankondiging.yaml:1" in res.output
    assert "cpv" in res.output


def test_draft_marks_open_fill_ins_in_the_readable_notice(cgc, tmp_path: Path) -> None:
    res = cgc("notice", "contract", TENDER, "--draft", "--pdf", "-o", tmp_path)
    assert res.exit_code == 0, res.output
    pdf = PdfReader(tmp_path / "aankondiging-opdracht.pdf")
    assert "Reconstructie Voorbeeldweg" in "".join(page.extract_text() for page in pdf.pages)
    xml = (tmp_path / "aankondiging-opdracht.xml").read_bytes()
    assert b'<cbc:SubTypeCode listName="notice-subtype">16</cbc:SubTypeCode>' in xml
    html = (tmp_path / "aankondiging-opdracht.html").read_text("utf-8")
    assert "Aankondiging van een opdracht – algemene richtlijn, standaardregeling" in html  # the SDK's own name
    assert "[in te vullen: hoofd-CPV-code van de opdracht (8 cijfers)]" in html
    assert "Nog niet gecontroleerd" in html
    # the award criteria with the tender's numbers: ceiling € 0,17 and floor € 0,08 per m² per year, 12.000 m², 40 years
    assert "plafond €\u00a00,17 per m² per jaar" in html
    assert "€\u00a00,08 per m² per jaar" in html
    assert "12.000 m² × 40 jaar" in html


def test_below_threshold_profile_states_no_notice_is_required(cgc, tmp_path: Path) -> None:
    text = TENDER.read_text("utf-8").replace("profile: gmr-voorbeeld-profiel-1", "profile: gmr-voorbeeld-profiel-2")
    tender = tmp_path / "tender.yaml"
    tender.write_text(text, encoding="utf-8")
    res = cgc("notice", "contract", tender, "-o", tmp_path / "out")
    assert res.exit_code == 0, res.output
    assert "Een Europese aankondiging (eForms) is niet verplicht" in res.output
    assert "ARW 2016" in res.output
    assert not (tmp_path / "out").exists()


def test_missing_sdk_is_a_clear_error(cgc, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, str(tmp_path))
    res = cgc("notice", "contract", TENDER, "--draft", "-o", tmp_path)
    assert res.exit_code == 2
    assert f"eForms SDK not found at {tmp_path}" in res.output
    assert "--sdk DIR" in res.output


def test_check_reports_schema_errors_before_the_rules(cgc, tmp_path: Path) -> None:
    sdk = locate()
    text = (sdk.root / "examples" / "notices" / "cn_24_minimal.xml").read_text("utf-8")
    broken = tmp_path / "notice.xml"
    swapped = text.replace(
        "<cbc:UBLVersionID>2.3</cbc:UBLVersionID>", "<cbc:Unknown>2.3</cbc:Unknown>"
    )  # an element the UBL schema does not know
    broken.write_text(swapped, encoding="utf-8")
    res = cgc("notice", "check", broken)
    assert res.exit_code == 1
    assert "error: XSD" in res.output
    assert "Unknown" in res.output


def test_check_refuses_what_is_no_notice(cgc, tmp_path: Path) -> None:
    other = tmp_path / "other.xml"
    other.write_text("<invoice/>", encoding="utf-8")
    res = cgc("notice", "check", other)
    assert res.exit_code == 2
    assert "OPP-070" in res.output


def test_a_failed_rule_names_the_products_own_field() -> None:
    from cgc_rules.notice.feeds import feeds

    assert feeds("BT-262", "16") == "fill-in cpv"
    assert (
        feeds("BT-501", "29")
        == "fill-in buyer.company_id, fill-in review_body.company_id, fill-in award.winner.company_id"
    )
    assert feeds("BT-541", "16").startswith("tender.yaml: price.params.weight")
    assert feeds("BT-701", "16") == ""  # the notice id: written by the product itself
