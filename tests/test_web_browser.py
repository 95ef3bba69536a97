"""`cgc serve` in a real Chromium (Debian's, driven by Playwright): each page passes axe-core's WCAG 2.1 A/AA
rules, a tender document downloads and opens in python-docx, a filled XLSX bid form shows its failing rule with
the gap, a self-assessment is submitted and saved, the example tender is scored, and a corridor line added by
the coordinator gets its match; each journey walked end to end with its downloads opened; no page scrolls
sideways at 375 px or at 200 % zoom."""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from cgc_rules.intake import load_any
from cgc_rules.intake.form import BID_SHEET, FormSpec, build_form
from cgc_rules.web.app import STATIC, create_app
from cgc_rules.web.config import Config

CHROMIUM = os.environ.get("CGC_CHROMIUM") or shutil.which("chromium")  # Debian's chromium, found on PATH
AXE = STATIC / "vendor" / "axe.min.js"
ROOT = Path(__file__).resolve().parent.parent
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PAGES = [
    "/",
    "/documenten",
    "/documenten?profile=amersfoort&type=wegen&kind=tender",
    "/toetsen",
    "/zelfevaluatie",
    "/monitoring",
    "/corridor?datum=2026-05-20",
    "/regelsets",
    "/regelsets/hnn-gww/2026.1",
    "/regelsets/verschil?id=emissievrij-transport&van=2025.1&naar=2025.2",
    "/aanbesteding",
    "/oplevering",
    "/definitie",
    "/aankondiging",
    "/pakket",
    "/taken",
    "/beheer/accounts",
    "/toegankelijkheid",
]
SMALL = {"width": 375, "height": 812}  # a small phone
ZOOMED = {"width": 640, "height": 400}  # 1280 × 800 at 200 % zoom: half the CSS pixels

pytestmark = [
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="no `chromium` on PATH (nor $CGC_CHROMIUM): scripts/system-deps.sh installs Debian's chromium",
    ),
    pytest.mark.skipif(
        not AXE.exists(),
        reason=f"axe-core is not at {AXE}: scripts/web-assets.sh (run by make test) copies it from npm",
    ),
]


def _health(url: str) -> dict[str, str]:
    with urllib.request.urlopen(url + "/health", timeout=5) as response:
        return json.loads(response.read())


@contextmanager
def served(app: Any) -> Iterator[str]:
    """`app` served by uvicorn on a free loopback port while the block runs; its address."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", log_config=None))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(200):
        if srv.started:
            break
        time.sleep(0.05)
    assert srv.started, "cgc serve did not start within 10 s"
    assert thread.is_alive(), "cgc serve did not start within 10 s"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(10)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    d = tmp_path_factory.mktemp("web")
    with served(create_app(Config(database_url=str(d / "store.sqlite"), corridors_dir=d / "corridors"))) as url:
        assert _health(url) == {"status": "ok"}
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(accept_downloads=True, bypass_csp=True, locale="nl-NL")
    yield context.new_page()
    context.close()


def violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""() => axe.run(document, {iframes: false,
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})""")
    return [f"{v['id']}: {v['help']} ({[n['target'] for n in v['nodes']][:3]})" for v in result["violations"]]


def test_every_page_passes_axe_wcag_21_aa(server, page):
    found = {}
    for path in PAGES:
        page.goto(server + path)
        found[path] = violations(page)
    assert found == {p: [] for p in PAGES}


def test_keyboard_reaches_the_skip_link_first(server, page):
    page.goto(server + "/documenten")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Naar de inhoud"
    page.keyboard.press("Enter")
    page.wait_for_url("**/documenten#inhoud", timeout=5000)
    page.wait_for_function("document.activeElement.id === 'inhoud'", timeout=5000)


def test_generate_and_download_a_tender_document(server, page, tmp_path):
    from docx import Document

    page.goto(server + "/documenten")
    page.select_option("#profile", "amersfoort")
    page.select_option("#type", "wegen")
    page.select_option("#kind", "tender")
    page.click("button[type=submit]")
    page.wait_for_selector("iframe.cgc-preview")
    assert "Bestek circulariteit" in page.frame_locator("iframe.cgc-preview").locator("body").inner_text()
    with page.expect_download() as info:
        page.click("#download-docx")
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert path.name == "bestektekst-circulariteit_amersfoort_wegen.docx"
    text = "\n".join(p.text for p in Document(str(path)).paragraphs)
    assert "Amersfoort" in text


def test_upload_a_filled_xlsx_form_and_read_the_failing_rule_with_its_gap(server, page, tmp_path):
    form = tmp_path / "inschrijving.xlsx"
    form.write_bytes(build_form(FormSpec(), load_any(ROOT / "examples/weg-voldoet-niet.yaml").submission))
    page.goto(server + "/toetsen")
    page.set_input_files("#bestand", str(form))
    page.click("button[type=submit]")
    page.wait_for_selector(".cgc-verdict")
    assert page.inner_text(".cgc-verdict") == "Voldoet NIET aan alle eisen"
    row = page.locator("tr.cgc-outcome").first
    assert "Voldoet niet" in row.inner_text() or "voldoet niet" in row.inner_text()
    assert "t meer hergebruikt" in row.locator(".cgc-gap").inner_text()
    assert "Vastgelegd in de opslag" in page.inner_text("#vastgelegd")
    assert violations(page) == []
    with page.expect_download() as info:
        page.click("#download-pdf")
    assert info.value.suggested_filename.endswith(".pdf")


def test_submit_a_self_assessment(server, page):
    page.goto(server + "/zelfevaluatie")
    page.fill("#gemeente", "Gemeente Proefdorp")
    page.check("#gmr_capacity_and_knowledge-ja")
    page.check("#gmr_tenders_circularly-ja")
    page.check("#gmr_measures_circularity-nee")
    for axis, score in (
        ("policy_staff", "3"),
        ("executing_staff", "2"),
        ("capacity_and_money", "4"),
        ("circular_knowledge", "3,5"),
    ):
        page.fill(f"#score_{axis}", score)
    page.check("#materialeninventarisatie_shared_vision-ja")
    page.click("#opslaan")
    page.wait_for_selector("#gmr-profiel")
    assert "profiel-2" in page.inner_text("#gmr-profiel")
    assert page.locator("svg.cgc-web").count() == 1
    assert "Opgeslagen" in page.inner_text("#opgeslagen")
    assert violations(page) == []
    page.goto(server + "/monitoring")
    assert "1 zelfevaluaties" in page.inner_text("#opslag")


def test_score_the_example_tender(server, page, tmp_path):
    ex = ROOT / "examples/aanbesteding"
    page.goto(server + "/aanbesteding")
    page.set_input_files("#aanbesteding", str(ex / "tender.yaml"))
    page.set_input_files("#biedingen", [str(p) for p in sorted(ex.glob("bod-*.yaml"))])
    page.set_input_files("#bijlagen", str(ex / "inzending-alfa.yaml"))
    page.click("button[type=submit]")
    page.wait_for_selector("#rangorde")
    assert "Epsilon Wegenbouw" in page.inner_text("#winnaar")
    rows = page.locator("tr.cgc-bid").all_inner_texts()
    assert rows[0].startswith("1")
    assert "Epsilon Wegenbouw" in rows[0]
    assert any("Bouwcombinatie Beta" in r and "uitgesloten" in r for r in rows)
    assert violations(page) == []
    with page.expect_download() as info:
        page.click("#brieven")
    assert info.value.suggested_filename == "gunningsbeslissingen_voorbeeld-reconstructie-n-weg-2026.zip"


def test_add_a_corridor_line_and_see_a_new_match(server, page):
    page.goto(server + "/corridor?datum=2026-05-20")
    before = page.locator("tr.cgc-allocation").count()
    page.select_option("#soort", "demand")
    page.fill("#regel", "d-aanbouw-baksteen")
    page.select_option("#project", "kop-van-isselt")
    page.select_option("#categorie", "brick")
    page.fill("#omschrijving", "Gevelsteen voor de aanbouw")
    page.fill("#ton", "30")
    page.select_option("#kwaliteit", "fair")
    page.fill("#van", "2026-06-01")
    page.fill("#tot", "2026-07-31")
    page.click("#regel-opslaan")
    page.wait_for_selector("#toegevoegd")
    assert page.locator("tr.cgc-allocation").count() == before + 1
    new = page.locator("tr.cgc-new").inner_text()
    assert "s-stadhuis-baksteen" in new
    assert "d-aanbouw-baksteen" in new
    assert violations(page) == []


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


@pytest.mark.parametrize("viewport", [SMALL, ZOOMED], ids=["375px", "200pct"])
def test_no_page_scrolls_sideways_and_the_menu_leaves_the_first_screen_to_the_page(server, browser, viewport):
    context = browser.new_context(
        viewport=viewport, device_scale_factor=2 if viewport is ZOOMED else 1, bypass_csp=True, locale="nl-NL"
    )
    page = context.new_page()
    wide = []
    for path in PAGES:
        page.goto(server + path)
        if not no_sideways_scroll(page):
            wide.append(path)
        top = page.evaluate("document.querySelector('main h1').getBoundingClientRect().top")
        assert top < viewport["height"] / 3, f"{path}: the heading starts {top} px down"
    assert wide == []
    page.click(".cgc-menu > summary")  # the menu opens and leads to a page
    page.click(".cgc-menu a[href='/monitoring']")
    page.wait_for_url("**/monitoring", timeout=10000)
    assert violations(page) == []
    context.close()


def save_download(page, tmp_path: Path, selector: str) -> Path:
    with page.expect_download() as info:
        page.click(selector)
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    return path


def test_officer_journey_profile_versions_tender_definition_bid_form_and_pdf(server, page, tmp_path):
    import yaml
    from openpyxl import load_workbook
    from pypdf import PdfReader

    page.goto(server + "/documenten")
    page.select_option("#profile", "amersfoort")
    page.select_option("#type", "wegen")
    page.select_option("#kind", "tender")
    page.select_option("#contract_form", "uav-gc")
    page.click("button[type=submit]")
    assert page.input_value("#contract_form") == "uav-gc"
    page.select_option("#profile", "gmr-voorbeeld-profiel-1")  # another profile: its own contract form
    page.click("button[type=submit]")
    assert (page.input_value("#contract_form"), page.input_value("#procedure")) == ("uav-gc", "european")
    page.select_option("#profile", "amersfoort")
    page.click("button[type=submit]")
    assert (page.input_value("#contract_form"), page.input_value("#procedure")) == ("uav2012", "open")
    assert "hnn-gww versie 2026.1" in page.inner_text("#van-kracht")
    assert violations(page) == []
    tender = yaml.safe_load(save_download(page, tmp_path, "#download-aanbesteding").read_text(encoding="utf-8"))
    assert tender["profile"] == "amersfoort"
    assert tender["rulesets"][0]["id"] == "hnn-gww"
    form = load_workbook(save_download(page, tmp_path, "#download-formulier"))
    assert BID_SHEET in form.sheetnames
    pdf = PdfReader(save_download(page, tmp_path, "#download-pdf"))
    assert "Amersfoort" in "".join(p.extract_text() for p in pdf.pages[:2])
    page.click("#download-zip")  # made as a task: its page shows the progress, then the download
    page.wait_for_selector("#taak-klaar", state="visible", timeout=180_000)
    zipped = save_download(page, tmp_path, "#taak-download")
    with zipfile.ZipFile(zipped) as z:
        names = z.namelist()
    assert "gepubliceerd/bestektekst-circulariteit_amersfoort_wegen.docx" in names
    assert any(n.startswith("intern/") and n.endswith(".pdf") for n in names)
    assert violations(page) == []


def test_project_leader_journey_delivery_check_and_errors_that_keep_the_form(server, page, tmp_path):
    ex = ROOT / "examples/aanbesteding"
    page.goto(server + "/toetsen")
    page.select_option("#rol", "as-built")
    page.set_input_files("#bestand", {"name": "leeg.yaml", "mimeType": "text/yaml", "buffer": b"project: {}\n"})
    page.click("button[type=submit]")
    assert page.input_value("#rol") == "as-built"  # the role survives the error
    assert violations(page) == []
    page.goto(server + "/oplevering")
    assert violations(page) == []
    page.set_input_files("#aanbesteding", str(ex / "tender.yaml"))
    page.set_input_files("#bod", str(ex / "bod-epsilon.yaml"))
    page.set_input_files("#oplevering", str(ex / "oplevering-epsilon.yaml"))
    page.click("button[type=submit]")
    page.wait_for_selector("#sanctie")
    assert "10.800,00" in page.inner_text("#sanctie")  # 1,5 × (€ 19.200 − € 12.000) on the MKI criterion
    assert violations(page) == []


def test_gmr_journey_today_in_monitoring_with_choice_lists_csv_and_yearly_pdf(server, page, tmp_path):
    import csv
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from pypdf import PdfReader

    year = str(datetime.now(ZoneInfo("Europe/Amsterdam")).year)
    page.goto(server + "/zelfevaluatie")
    page.fill("#gemeente", "Gemeente Reisdorp")
    page.check("#gmr_capacity_and_knowledge-ja")
    page.click("#bekijken")
    page.wait_for_selector("#gmr-profiel")
    page.goto(server + "/monitoring")
    assert "Reisdorp" not in page.inner_text("main")  # looking did not save
    page.goto(server + "/zelfevaluatie")
    page.fill("#gemeente", "Gemeente Reisdorp")
    page.check("#gmr_capacity_and_knowledge-ja")
    page.click("#opslaan")
    page.wait_for_selector("#opgeslagen")
    page.goto(server + "/monitoring")
    page.select_option("#gemeente", "Gemeente Reisdorp")
    page.select_option("#jaar", year)
    page.click("form.cgc-inline button[type=submit]")
    assert f"Gemeente Reisdorp ({year})" in page.inner_text("main")
    assert violations(page) == []
    rows = list(csv.reader(save_download(page, tmp_path, "#cijfers-csv").read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0][0].startswith("year")
    page.click("#jaarevaluatie-pdf")  # made as a task: its page shows the progress, then the download
    page.wait_for_selector("#taak-klaar", state="visible", timeout=120_000)
    pdf = PdfReader(save_download(page, tmp_path, "#taak-download"))
    assert "Jaarevaluatie" in pdf.pages[0].extract_text()


def test_corridor_journey_error_on_top_then_correct_and_withdraw(server, page):
    page.goto(server + "/corridor?datum=2026-05-20")
    page.select_option("#soort", "demand")
    page.fill("#regel", "d-reis-dakpannen")
    page.select_option("#project", "kop-van-isselt")
    page.select_option("#categorie", "roof-tiles")
    page.fill("#omschrijving", "Dakpannen voor de schuur")
    page.fill("#ton", "0")
    page.fill("#van", "2026-06-01")
    page.fill("#tot", "2026-07-31")
    page.click("#regel-opslaan")
    summary = page.locator("#regel-fouten")
    assert "Hoeveelheid (ton)" in summary.inner_text()
    box = summary.bounding_box()
    assert box is not None
    assert -1 <= box["y"] < 800
    assert violations(page) == []
    page.fill("#ton", "8")
    page.click("#regel-opslaan")
    page.wait_for_selector("#toegevoegd")
    page.click("#lijn-d-reis-dakpannen .cgc-fix")
    page.fill("#ton", "6,5")
    page.click("#regel-opslaan")
    page.wait_for_selector("#toegevoegd")
    assert "6,5" in page.inner_text("#lijn-d-reis-dakpannen")
    page.click("#lijn-d-reis-dakpannen .cgc-withdraw")
    page.wait_for_selector("#ingetrokken")
    assert page.locator("#lijn-d-reis-dakpannen").count() == 0
    assert violations(page) == []


SHOTS = {
    "documenten": "/documenten?profile=amersfoort&type=wegen&kind=tender",
    "toetsen": "/toetsen",
    "oplevering": "/oplevering",
    "aanbesteding": "/aanbesteding",
    "zelfevaluatie": "/zelfevaluatie",
    "monitoring": "/monitoring",
    "corridor": "/corridor?datum=2026-05-20",
    "definitie": "/definitie",
    "aankondiging": "/aankondiging",
    "pakket": "/pakket",
    "taken": "/taken",
    "regelsets": "/regelsets",
    "accounts": "/beheer/accounts",
    "toegankelijkheid": "/toegankelijkheid",
}


def test_screenshots_of_docs_web_md(server, browser, tmp_path):
    """Every page of docs/web.md at 375 and 1280 px; `CGC_SCREENSHOTS=DIR` keeps them for the docs."""
    out = Path(os.environ.get("CGC_SCREENSHOTS") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    for width in (375, 1280):
        context = browser.new_context(viewport={"width": width, "height": 800}, locale="nl-NL")
        page = context.new_page()
        for name, path in SHOTS.items():
            assert page.goto(server + path).status == 200, path
            page.screenshot(path=str(out / f"{name}-{width}.png"))
        context.close()
    shots = sorted(out.glob("*.png"))
    assert len(shots) == 2 * len(SHOTS)
    assert all(shot.read_bytes().startswith(b"\x89PNG") for shot in shots)
