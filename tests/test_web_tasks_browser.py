"""The task pages of `cgc serve` in a real Chromium: the page's own script (under the strict CSP) moves the bar and
the status line as the task reports progress and shows the download when it is done; a batch of bids chosen in
the form ends in a CSV; the task page and Mijn taken pass axe-core's WCAG 2.1 A/AA rules."""

from __future__ import annotations

import csv
import threading

import pytest

from cgc_rules.web.app import create_app
from cgc_rules.web.auth import LOCAL_USER
from cgc_rules.web.config import Config
from cgc_rules.web.tasks import Made

from .test_web_browser import ROOT, pytestmark, save_download, served, violations  # noqa: F401 - pytestmark
from .test_web_browser import browser as browser  # noqa: PLC0414 - the module-scoped fixture, shared as is


@pytest.fixture(scope="module")
def app_served(tmp_path_factory):
    """The app and its address."""
    d = tmp_path_factory.mktemp("web")
    app = create_app(Config(database_url=str(d / "store.sqlite"), corridors_dir=d / "corridors"))
    with served(app) as url:
        yield app, url


def test_the_page_script_follows_the_task_under_the_strict_csp_and_offers_the_file(app_served, browser, tmp_path):
    from playwright.sync_api import expect

    app, url = app_served
    steps = [threading.Event() for _ in range(3)]

    def work(progress) -> Made:
        for done, step in enumerate(steps):
            progress(done, 3, f"onderdeel {done + 1}")
            step.wait(60)
        return Made("proef.txt", "text/plain", b"gemaakt\n")

    tid = app.state.tasks.start(LOCAL_USER, "proef", "Proeftaak", work)
    strict = browser.new_context(accept_downloads=True, locale="nl-NL")  # the page's CSP holds: no bypass
    page = strict.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    try:
        page.goto(f"{url}/taken/{tid}")
        expect(page.locator("#taak-status")).to_have_text("0 van 3 klaar. Bezig met: onderdeel 1", timeout=10_000)
        assert page.is_visible("#taak-vernieuwen")
        steps[0].set()
        expect(page.locator("#taak-status")).to_have_text("1 van 3 klaar. Bezig met: onderdeel 2", timeout=10_000)
        expect(page.locator("#voortgang")).to_have_js_property("value", 1)
        steps[1].set()
        steps[2].set()
        page.wait_for_selector("#taak-klaar", state="visible", timeout=10_000)
        assert page.inner_text("#taak-status") == "Klaar: proef.txt staat klaar om te downloaden."
        expect(page.locator("#voortgang")).to_have_js_property("value", 3)
        assert page.is_hidden("#taak-vernieuwen")
        assert save_download(page, tmp_path, "#taak-download").read_bytes() == b"gemaakt\n"
    finally:
        for step in steps:
            step.set()
        strict.close()
    assert errors == []  # nothing refused by the CSP


def test_a_batch_chosen_in_the_form_ends_in_a_csv_and_the_task_pages_pass_axe(app_served, browser, tmp_path):
    _, url = app_served
    context = browser.new_context(accept_downloads=True, bypass_csp=True, locale="nl-NL")  # axe is injected
    page = context.new_page()
    page.goto(url + "/toetsen")
    page.set_input_files(
        "#bestand", [str(ROOT / "examples/weg-voldoet.yaml"), str(ROOT / "examples/sloop-voldoet.yaml")]
    )
    page.click("button[type=submit]")
    page.wait_for_url("**/taken/*", timeout=30_000)
    assert violations(page) == []  # while it runs (or already done)
    page.wait_for_selector("#taak-klaar", state="visible", timeout=120_000)
    assert violations(page) == []
    path = save_download(page, tmp_path, "#taak-download")
    assert path.name == "toetsing-inzendingen.csv"
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    assert [r[0] for r in rows[1:]] == ["weg-voldoet.yaml", "sloop-voldoet.yaml"]
    page.click("#alle-taken")
    page.wait_for_url("**/taken", timeout=10_000)
    assert "Toetsing van 2 inzendingen" in page.inner_text("#mijn-taken")
    assert violations(page) == []
    context.close()
