"""The Aanbestedingsdefinitie and Aankondiging pages in a real Chromium (Debian's, driven by Playwright): the officer
fills in the open values, downloads `aanbesteding.yaml` and reads it back, makes the contract notice, scores the
example bids on the award page and makes the award notice; axe-core finds no WCAG 2.1 A/AA violation on any of
these pages, and none scrolls sideways at 375 px. The server and browser start as in tests/test_web_browser.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from cgc_rules.notice.validate import NAMESPACES
from cgc_rules.tender import load_tender, open_fields

from .test_web_browser import (
    AXE,
    CHROMIUM,
    SMALL,
    no_sideways_scroll,
    save_download,
    violations,
)
from .test_web_browser import browser as browser  # noqa: PLC0414 - the module-scoped fixtures, shared as is
from .test_web_browser import page as page  # noqa: PLC0414
from .test_web_browser import server as server  # noqa: PLC0414
from .test_web_tender import AWARD, CHOICE, CONTRACT, EXAMPLE, OPEN, _bids_for

pytestmark = [
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="no `chromium` on PATH (nor $CGC_CHROMIUM): scripts/system-deps.sh installs Debian's chromium",
    ),
    pytest.mark.skipif(
        not AXE.exists(),
        reason=f"axe-core is not at {AXE}: scripts/web-assets.sh (run by make test) copies it from npm",
    ),
    pytest.mark.usefixtures("sdk"),  # the eForms SDK (conftest)
]
CHECK = 180_000  # ms: the first EU check of a process compiles the rules


def fill(page: Any, values: dict[str, str]) -> None:
    """Type each value into the field of that name as the officer would: text, choice list or yes/no."""
    for name, value in values.items():
        field = page.locator(f'[name="{name}"]').first
        kind = field.evaluate("e => e.tagName === 'SELECT' ? 'select' : e.type")
        if kind == "select":
            field.select_option(value)
        elif kind == "radio":
            page.check(f'[id="{name}-{value}"]')
        else:
            field.fill(value)


def xml_of(page: Any, tmp_path: Path) -> etree._Element:
    return etree.fromstring(save_download(page, tmp_path, "#download-xml").read_bytes())


def subtype(tree: etree._Element) -> str | None:
    return tree.findtext(".//efac:NoticeSubType/cbc:SubTypeCode", namespaces=NAMESPACES)


def test_officer_fills_in_the_definition_and_makes_both_notices(server: str, page: Any, tmp_path: Path) -> None:
    from pypdf import PdfReader

    page.goto(server + "/definitie")
    assert violations(page) == []
    page.select_option("#profile", CHOICE["profile"])
    page.select_option("#type", CHOICE["type"])
    page.fill("#datum", CHOICE["datum"])
    page.click("form[method=get] button[type=submit]")
    page.wait_for_selector('[name="fixed.area_m2"]')
    assert violations(page) == []
    fill(page, {**OPEN, "fixed.area_m2": "0.17"})
    page.click("#download-definitie")
    page.wait_for_selector('[id="fixed.area_m2-fout"]')
    assert "komma" in page.inner_text('[id="fixed.area_m2-fout"]')
    assert page.input_value('[name="fixed.lifetime_years"]') == "40"  # the form is kept
    assert violations(page) == []
    page.fill('[name="fixed.area_m2"]', OPEN["fixed.area_m2"])
    definition = save_download(page, tmp_path, "#download-definitie")
    lt = load_tender(definition)
    assert lt.tender.title == OPEN["title"]
    assert str(lt.tender.fixed.area_m2.value) == "12000"
    assert open_fields(lt) == []

    fill(page, CONTRACT)
    page.click("#maak-aankondiging")
    page.wait_for_selector("#uitkomst", timeout=CHECK)
    assert page.inner_text("#uitkomst").startswith("Geldig")
    assert violations(page) == []
    assert subtype(xml_of(page, tmp_path)) == "16"
    pdf = PdfReader(save_download(page, tmp_path, "#download-pdf"))
    assert OPEN["title"] in "".join(p.extract_text() for p in pdf.pages)

    page.goto(server + "/aankondiging")  # the same from an uploaded definition
    assert violations(page) == []

    bids = _bids_for(definition, tmp_path / "bids")
    page.goto(server + "/aanbesteding")
    page.set_input_files("#aanbesteding", str(definition))
    page.set_input_files("#biedingen", [str(b) for b in bids])
    page.set_input_files("#bijlagen", str(EXAMPLE / "inzending-alfa.yaml"))
    page.click("button[type=submit]")
    page.wait_for_selector("#rangorde")
    assert "Delta Infra" in page.inner_text("#winnaar")
    page.click("#gunningsaankondiging")
    page.wait_for_selector('[name="award.contract_number"]')
    assert violations(page) == []
    fill(page, AWARD)
    page.click("#maak-aankondiging")
    page.wait_for_selector("#uitkomst", timeout=CHECK)
    assert page.inner_text("#uitkomst").startswith("Geldig")
    assert violations(page) == []
    tree = xml_of(page, tmp_path)
    assert subtype(tree) == "29"
    assert "Delta Infra" in tree.xpath("//cac:PartyName/cbc:Name/text()", namespaces=NAMESPACES)


def test_a_notice_with_failed_eu_rules_lists_them_accessibly(server: str, page: Any) -> None:
    page.goto(server + "/definitie?" + "&".join(f"{k}={v}" for k, v in CHOICE.items()))
    fill(page, {**OPEN, **CONTRACT, "cpv": "99999999"})
    page.click("#maak-aankondiging")
    page.wait_for_selector("#controle", timeout=CHECK)
    assert "BR-BT-00262-0153" in page.inner_text("#controle")
    assert violations(page) == []


def test_the_pages_do_not_scroll_sideways_at_375_px(server: str, browser: Any) -> None:
    context = browser.new_context(viewport=SMALL, bypass_csp=True, locale="nl-NL")
    small = context.new_page()
    wide = []
    for path in ("/definitie", "/definitie?" + "&".join(f"{k}={v}" for k, v in CHOICE.items()), "/aankondiging"):
        small.goto(server + path)
        if not no_sideways_scroll(small):
            wide.append(path)
    context.close()
    assert wide == []
