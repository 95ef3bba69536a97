"""`cgc serve` in network mode, in a real Chromium: each role logs in through the login page, walks its journey,
downloads every file it is offered and opens it, and logs out; axe-core runs on every page passed, the login page
included. One server (accounts, sessions in the database) and one browser for the module."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import pytest

from cgc_rules.intake.form import BID_SHEET
from cgc_rules.web.accounts import Accounts, Role
from cgc_rules.web.app import create_app
from cgc_rules.web.config import Config

from .test_web_browser import browser as browser  # noqa: PLC0414 - the module-scoped fixture, shared as is
from .test_web_browser import pytestmark, save_download, served, violations  # noqa: F401 - pytestmark
from .test_web_packs import MINI as MINI_PACK  # a pack of two documents: built in seconds

ROOT = Path(__file__).resolve().parent.parent
AWARD = ROOT / "examples/aanbesteding"
ARNHEM = ROOT / "examples/weg-voldoet-niet.yaml"  # a project of the municipality of Arnhem
PASSWORD = "correct horse battery"
ACCOUNTS = {
    "beheer": (Role.admin, None),
    "inkoper": (Role.officer, None),
    "pl-arnhem": (Role.project_leader, "Arnhem"),
    "pl-nijmegen": (Role.project_leader, "Nijmegen"),
    "gmr": (Role.gmr_team, None),
    "keten": (Role.corridor_coordinator, None),
}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app in network mode (any host but loopback: login required), served on a loopback port."""
    d = tmp_path_factory.mktemp("network")
    accounts = Accounts(d / "accounts.json")
    for name, (role, municipality) in ACCOUNTS.items():
        accounts.add(name, role, PASSWORD, municipality)
    config = Config(
        host="0.0.0.0",
        secret_key="the browser test's secret key",
        accounts_file=d / "accounts.json",
        database_url=str(d / "store.sqlite"),
        corridors_dir=d / "corridors",
        packs_dir=d / "packs",
    )
    (d / "packs").mkdir()
    (d / "packs" / "mini.yaml").write_text(MINI_PACK, encoding="utf-8")
    assert config.network
    with served(create_app(config)) as url:
        yield url


class Walk:
    """One user's tab: every page it reaches is checked with axe-core; `passed` lists them.

    A page reached again by the same address (the login page, the start page) is checked once per module
    (`seen`); a page after a form post is checked each time (it shows that post's result or errors).
    """

    def __init__(self, browser, server: str, seen: set[str]):
        self.context = browser.new_context(accept_downloads=True, bypass_csp=True, locale="nl-NL")
        self.context.set_default_timeout(90_000)  # PDFs are rendered on a loaded machine too
        self.page = self.context.new_page()
        self.server, self.seen = server, seen
        self.passed: dict[str, list[str]] = {}
        self.user: str | None = None

    def check(self, again: bool = True) -> None:
        path = self.page.url.removeprefix(self.server)
        key = f"{path} ({self.user or 'uitgelogd'})"
        if again or path not in self.seen:
            self.seen.add(path)
            self.passed[key] = violations(self.page)

    def goto(self, path: str) -> int:
        status = self.page.goto(self.server + path).status
        self.check(again=False)
        return status

    def login(self, name: str, password: str = PASSWORD) -> None:
        assert self.goto("/") == 200  # sent to the login page
        assert self.page.url == self.server + "/inloggen"
        self.page.fill("#gebruikersnaam", name)
        self.page.fill("#wachtwoord", password)
        self.page.click("form.cgc-form button[type=submit]")
        self.page.wait_for_url(self.server + "/")
        assert f"Ingelogd als {name}" in self.page.inner_text("header")
        self.user = name
        self.check(again=False)

    def logout(self) -> None:
        self.page.click(".cgc-logout button")
        self.page.wait_for_url(self.server + "/inloggen")
        self.user = None
        self.check(again=False)
        assert self.page.goto(self.server + "/monitoring").url == self.server + "/inloggen"  # the session ended

    def menu(self) -> list[str]:
        return self.page.locator(".cgc-nav-wide a").all_inner_texts()

    def close(self) -> None:
        self.context.close()
        assert self.passed == {path: [] for path in self.passed}  # 0 axe violations on every page passed


@pytest.fixture(scope="module")
def seen() -> set[str]:
    return set()


@pytest.fixture
def walk(browser, server, seen):
    walks: list[Walk] = []

    def start() -> Walk:
        walks.append(Walk(browser, server, seen))
        return walks[-1]

    yield start
    for w in walks:
        w.close()


def test_the_login_page_refuses_a_wrong_password_in_dutch_and_has_valid_autocomplete(walk):
    w = walk()
    assert w.goto("/inloggen") == 200
    assert w.page.get_attribute("#gebruikersnaam", "autocomplete") == "username"
    assert w.page.get_attribute("#wachtwoord", "autocomplete") == "current-password"
    w.page.fill("#gebruikersnaam", "inkoper")
    w.page.fill("#wachtwoord", "not the password")
    w.page.click("form.cgc-form button[type=submit]")
    assert "Inloggen" in w.page.inner_text("h1")
    assert w.page.inner_text("#gebruikersnaam-fout") == "Gebruikersnaam of wachtwoord klopt niet."
    assert w.page.input_value("#gebruikersnaam") == "inkoper"  # kept after the error
    assert w.page.get_attribute("#gebruikersnaam", "aria-invalid") == "true"
    w.check()


def test_officer_documents_tender_definition_bid_form_and_award(walk, tmp_path):
    import yaml
    from docx import Document
    from openpyxl import load_workbook
    from pypdf import PdfReader

    w = walk()
    w.login("inkoper")
    assert w.menu() == [
        "Documenten",
        "Aanbestedingsdefinitie",
        "Inzending toetsen",
        "Aanbesteding beoordelen",
        "Oplevering controleren",
        "Zelfevaluatie",
        "Monitoring",
        "Corridor",
        "Regelsets",
    ]
    w.goto("/documenten?profile=amersfoort&type=wegen&kind=tender")
    page = w.page
    page.wait_for_selector("iframe.cgc-preview")
    docx = Document(str(save_download(page, tmp_path, "#download-docx")))
    assert "Amersfoort" in "\n".join(p.text for p in docx.paragraphs)
    pdf = PdfReader(save_download(page, tmp_path, "#download-pdf"))
    assert "Amersfoort" in "".join(p.extract_text() for p in pdf.pages[:2])
    tender = yaml.safe_load(save_download(page, tmp_path, "#download-aanbesteding").read_text(encoding="utf-8"))
    assert (tender["profile"], tender["project_type"]) == ("amersfoort", "wegen")
    assert BID_SHEET in load_workbook(save_download(page, tmp_path, "#download-formulier")).sheetnames
    w.goto("/aanbesteding")
    page.set_input_files("#aanbesteding", str(AWARD / "tender.yaml"))
    page.set_input_files("#biedingen", [str(p) for p in sorted(AWARD.glob("bod-*.yaml"))])
    page.set_input_files("#bijlagen", str(AWARD / "inzending-alfa.yaml"))
    page.click("form.cgc-form button[type=submit]")
    page.wait_for_selector("#rangorde")
    w.check()
    assert "Epsilon Wegenbouw" in page.inner_text("#winnaar")
    advice = Document(str(save_download(page, tmp_path, "#advies-docx")))
    assert "Epsilon Wegenbouw" in "\n".join(p.text for p in advice.paragraphs)
    assert "Epsilon Wegenbouw" in "".join(
        p.extract_text() for p in PdfReader(save_download(page, tmp_path, "#advies-pdf")).pages
    )
    with zipfile.ZipFile(save_download(page, tmp_path, "#brieven")) as z:
        letters = [n for n in z.namelist() if n.endswith(".docx")]
        assert len(letters) == 5  # one per bidder: alfa, beta, delta, epsilon, gamma
        first = Document(io.BytesIO(z.read(letters[0])))
    assert any("inschrijving" in p.text.lower() for p in first.paragraphs)
    w.logout()


def test_project_leader_evaluates_checks_the_delivery_and_sees_only_their_municipality(walk, tmp_path):
    from pypdf import PdfReader

    arnhem = walk()
    arnhem.login("pl-arnhem")
    assert arnhem.menu() == ["Documenten", "Inzending toetsen", "Oplevering controleren", "Monitoring", "Regelsets"]
    page = arnhem.page
    arnhem.goto("/toetsen")
    page.set_input_files("#bestand", str(ARNHEM))
    page.select_option("#rol", "bid")
    page.click("form.cgc-form button[type=submit]")
    page.wait_for_selector(".cgc-verdict")
    arnhem.check()
    assert page.inner_text(".cgc-verdict") == "Voldoet NIET aan alle eisen"
    result = page.url.removeprefix(arnhem.server)
    report = PdfReader(save_download(page, tmp_path, "#download-pdf"))
    assert "Schelmseweg" in "".join(p.extract_text() for p in report.pages)
    arnhem.goto("/oplevering")
    page.set_input_files("#aanbesteding", str(AWARD / "tender.yaml"))
    page.set_input_files("#bod", str(AWARD / "bod-epsilon.yaml"))
    page.set_input_files("#oplevering", str(AWARD / "oplevering-epsilon.yaml"))
    page.click("form.cgc-form button[type=submit]")
    page.wait_for_selector("#sanctie")
    arnhem.check()
    assert "10.800,00" in page.inner_text("#sanctie")  # 1,5 × (€ 19.200 − € 12.000) on the MKI criterion
    assert arnhem.goto("/monitoring") == 200
    assert "Arnhem" in page.inner_text("main")
    arnhem.logout()

    nijmegen = walk()
    nijmegen.login("pl-nijmegen")
    for path in (result, result + "/rapport.pdf"):
        assert nijmegen.goto(path) == 404, path
        assert "niet van uw gemeente" in nijmegen.page.inner_text("main")
    assert nijmegen.goto("/aanbesteding") == 403  # not a project leader's page
    assert "U hebt geen toegang tot deze pagina." in nijmegen.page.inner_text("main")
    nijmegen.goto("/toetsen")
    nijmegen.page.set_input_files("#bestand", str(ARNHEM))
    nijmegen.page.click("form.cgc-form button[type=submit]")
    nijmegen.page.wait_for_selector("#bestand-fout")
    nijmegen.check()
    assert "Arnhem" in nijmegen.page.inner_text("#bestand-fout")  # another municipality's project is refused
    nijmegen.logout()


BESTEK = "bestektekst-circulariteit_amersfoort_wegen"


def test_gmr_team_saves_a_self_assessment_and_downloads_the_figures_the_yearly_report_and_a_pack(walk, tmp_path):
    from docx import Document
    from pypdf import PdfReader

    w = walk()
    w.login("gmr")
    assert w.menu() == ["Documenten", "Zelfevaluatie", "Monitoring", "Sjablonenpakket", "Corridor", "Regelsets"]
    page = w.page
    w.goto("/zelfevaluatie")
    page.fill("#gemeente", "Gemeente Nijmegen")
    page.check("#gmr_capacity_and_knowledge-ja")
    page.check("#gmr_tenders_circularly-ja")
    page.check("#gmr_measures_circularity-nee")
    page.click("#opslaan")
    page.wait_for_selector("#opgeslagen")
    w.check()
    assert "profiel-2" in page.inner_text("#gmr-profiel")
    w.goto("/monitoring")
    page.select_option("#gemeente", "Nijmegen")
    page.click("form.cgc-inline button[type=submit]")
    page.wait_for_selector("#cijfers-csv")
    w.check()
    assert "Nijmegen" in page.inner_text("main")
    text = save_download(page, tmp_path, "#cijfers-csv").read_text(encoding="utf-8-sig")
    columns = next(csv.reader(io.StringIO(text), delimiter=";"))
    assert columns[0] == "year"
    assert "municipality" in columns
    page.click("#jaarevaluatie-pdf")  # made as a task: its page shows the progress, then the download
    page.wait_for_selector("#taak-klaar", state="visible", timeout=120_000)
    w.check()
    report = PdfReader(save_download(page, tmp_path, "#taak-download"))
    assert "Jaarevaluatie" in report.pages[0].extract_text()
    w.goto("/pakket")
    page.click("#maak-mini")
    page.wait_for_selector("#taak-klaar", state="visible", timeout=120_000)
    w.check()
    with zipfile.ZipFile(save_download(page, tmp_path, "#taak-download")) as pack:
        names = pack.namelist()
        docx = Document(io.BytesIO(pack.read(f"documents/amersfoort/wegen/{BESTEK}.docx")))
    assert "manifest.json" in names
    assert f"documents/amersfoort/wegen/{BESTEK}.pdf" in names
    assert "Amersfoort" in "\n".join(p.text for p in docx.paragraphs)
    w.logout()


def test_corridor_coordinator_adds_a_line_finds_its_match_and_withdraws_it(walk):
    w = walk()
    w.login("keten")
    assert w.menu() == ["Corridor", "Regelsets"]
    page = w.page
    w.goto("/corridor?datum=2026-05-20")
    page.select_option("#soort", "demand")
    page.fill("#regel", "d-netwerk-baksteen")
    page.select_option("#project", "kop-van-isselt")
    page.select_option("#categorie", "brick")
    page.fill("#omschrijving", "Gevelsteen voor de aanbouw")
    page.fill("#ton", "30")
    page.select_option("#kwaliteit", "fair")
    page.fill("#van", "2026-06-01")
    page.fill("#tot", "2026-07-31")
    page.click("#regel-opslaan")
    page.wait_for_selector("#toegevoegd")
    w.check()
    new = page.locator("tr.cgc-new").inner_text()
    assert "s-stadhuis-baksteen" in new
    assert "d-netwerk-baksteen" in new
    page.click("#lijn-d-netwerk-baksteen .cgc-withdraw")
    page.wait_for_selector("#ingetrokken")
    w.check()
    assert page.locator("#lijn-d-netwerk-baksteen").count() == 0
    w.logout()


def test_administrator_adds_changes_resets_and_deletes_an_account(walk):
    admin = walk()
    admin.login("beheer")
    assert admin.menu() == ["Regelsets", "Accounts"]
    page = admin.page
    assert admin.goto("/beheer/accounts") == 200
    assert page.locator("tr.cgc-account").count() == len(ACCOUNTS)
    # a project leader without a municipality: refused, the field named, the form kept
    page.fill("#gebruikersnaam", "pl-amersfoort")
    page.select_option("#rol", "project_leader")
    page.fill("#wachtwoord", PASSWORD)
    page.click("#account-toevoegen")
    page.wait_for_selector("#account-fouten")
    admin.check()
    assert "Kies bij ‘Gemeente’" in page.inner_text("#account-fouten")
    assert page.input_value("#gebruikersnaam") == "pl-amersfoort"
    assert page.input_value("#rol") == "project_leader"
    page.select_option("#gemeente", "Amersfoort")
    page.fill("#wachtwoord", PASSWORD)
    page.click("#account-toevoegen")
    page.wait_for_selector("#gedaan")
    admin.check()
    assert "‘pl-amersfoort’ is toegevoegd" in page.inner_text("#gedaan")
    assert "Amersfoort" in page.inner_text("#account-pl-amersfoort")
    # an existing name is refused, not replaced
    page.fill("#gebruikersnaam", "pl-arnhem")
    page.select_option("#rol", "officer")
    page.fill("#wachtwoord", "another long password")
    page.click("#account-toevoegen")
    page.wait_for_selector("#account-fouten")
    assert "Er is al een account ‘pl-arnhem’" in page.inner_text("#account-fouten")

    newcomer = walk()
    newcomer.login("pl-amersfoort")
    admin.goto("/beheer/accounts/pl-amersfoort")
    page.fill("#wachtwoord", "kort")
    page.click("#wachtwoord-opslaan")
    page.wait_for_selector("#account-fouten")
    admin.check()
    assert "ten minste 12 tekens" in page.inner_text("#account-fouten")
    page.fill("#wachtwoord", "a new password for amersfoort")
    page.click("#wachtwoord-opslaan")
    page.wait_for_selector("#gedaan")
    assert newcomer.page.goto(newcomer.server + "/toetsen").url == newcomer.server + "/inloggen"  # session ended
    newcomer.login("pl-amersfoort", "a new password for amersfoort")
    admin.goto("/beheer/accounts/pl-amersfoort")
    page.select_option("#rol", "gmr_team")
    page.select_option("#gemeente", "")
    page.click("#rol-opslaan")
    page.wait_for_selector("#gedaan")
    assert "GMR-toolboxteam" in page.inner_text("#account-pl-amersfoort")
    assert newcomer.goto("/zelfevaluatie") == 200  # the new role at the next request
    admin.goto("/beheer/accounts/pl-amersfoort")
    page.click("#verwijderen")
    page.wait_for_selector("#gedaan")
    admin.check()
    assert page.locator("#account-pl-amersfoort").count() == 0
    assert newcomer.page.goto(newcomer.server + "/zelfevaluatie").url == newcomer.server + "/inloggen"
    admin.goto("/beheer/accounts/beheer")
    assert page.is_disabled("#verwijderen")  # not one's own account
    admin.logout()


def test_only_an_administrator_reaches_the_account_pages(walk):
    w = walk()
    w.login("inkoper")
    assert w.goto("/beheer/accounts") == 403
    assert "U hebt geen toegang tot deze pagina." in w.page.inner_text("main")
    assert re.search(r"Accounts", " ".join(w.menu())) is None
    w.logout()
