"""The task pages of `cgc serve` in a real Chromium: the page's own script (under the strict CSP) moves the bar and
the status line as the task reports progress and shows the download when it is done; a batch of bids chosen in
the form ends in a CSV; the task page and Mijn taken pass axe-core's WCAG 2.1 A/AA rules."""

from __future__ import annotations

import csv
import socket
import threading
import time

import pytest

from cgc_rules.web.app import create_app
from cgc_rules.web.auth import LOCAL_USER
from cgc_rules.web.config import Config
from cgc_rules.web.tasks import Made

from .test_web_browser import ARGS, AXE, CHROMIUM, ROOT, save_download, violations

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


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The app and its address."""
    import uvicorn

    d = tmp_path_factory.mktemp("web")
    app = create_app(Config(database_url=str(d / "store.sqlite"), corridors_dir=d / "corridors"))
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
    yield app, f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


def test_the_page_script_follows_the_task_under_the_strict_csp_and_offers_the_file(served, browser, tmp_path):
    from playwright.sync_api import expect

    app, url = served
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


def test_a_batch_chosen_in_the_form_ends_in_a_csv_and_the_task_pages_pass_axe(served, browser, tmp_path):
    _, url = served
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
