"""OpenID Connect login and logout against a real provider: npm's certified `oidc-provider`, run by node.

The provider runs from tests/oidc_provider.mjs on a loopback port with the package scripts/web-assets.sh
installs (build/web-assets/node_modules). Its development login form accepts any password for a listed
account; this test fills it in as a browser would, and the app does the rest: authorization code with
PKCE, the ID token checked, claims mapped to a role and a municipality, RP-initiated logout.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from starlette.testclient import TestClient

from cgc_rules.web.app import create_app
from cgc_rules.web.config import Config

from .replicas import free_port

ROOT = Path(__file__).resolve().parent.parent
MODULES = ROOT / "build" / "web-assets" / "node_modules"
APP = "http://testserver"
ARNHEM = ROOT / "examples/weg-voldoet-niet.yaml"
ACCOUNTS = {
    "nijmegen-inkoper": {"cgc_role": "officer", "cgc_municipality": "NIJMEGEN"},
    "vreemde": {"cgc_role": "stranger"},
}


@pytest.fixture(scope="module")
def issuer(tmp_path_factory) -> Iterator[str]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is missing: scripts/system-deps.sh installs Debian's nodejs")
    if not (MODULES / "oidc-provider").is_dir():
        pytest.skip("oidc-provider is missing: run scripts/web-assets.sh")
    port = free_port("127.0.0.1")
    config = tmp_path_factory.mktemp("op") / "provider.json"
    config.write_text(
        json.dumps(
            {
                "port": port,
                "client_id": "cgc",
                "client_secret": "the client secret of cgc",
                "redirect_uris": [f"{APP}/inloggen/oidc"],
                "post_logout_redirect_uris": [f"{APP}/inloggen"],
                "accounts": ACCOUNTS,
            }
        )
    )
    process = subprocess.Popen(
        [node, str(ROOT / "tests" / "oidc_provider.mjs"), str(config)],
        env={**os.environ, "CGC_NODE_MODULES": str(MODULES)},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("ready "), line
        yield line.split()[1]
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture
def app(issuer, tmp_path):
    return create_app(
        Config(
            host="127.0.0.2",
            secret_key="a secret key of the oidc test",
            database_url=str(tmp_path / "store.sqlite"),
            corridors_dir=tmp_path / "corridors",
            oidc_issuer=issuer,
            oidc_client_id="cgc",
            oidc_client_secret="the client secret of cgc",
        )
    )


def form(page: str) -> tuple[str, dict[str, str]]:
    """The first form of a provider page: its action and hidden fields."""
    action = re.search(r'<form[^>]*action="([^"]+)"', page)
    assert action, page[:1000]
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    return html.unescape(action.group(1)), fields


def at_provider(browser: httpx.Client, response: httpx.Response) -> httpx.Response:
    """Follow the provider's redirects until it shows a page or sends the browser back to the app."""
    while response.is_redirect and not response.headers["location"].startswith(APP):
        response = browser.get(str(response.url.join(response.headers["location"])))
    return response


def oidc_login(app, account: str) -> tuple[TestClient, httpx.Response]:
    """A browser through the provider's login and consent pages, back at the app's callback."""
    c, browser = TestClient(app), httpx.Client(timeout=30)
    start = c.get("/inloggen", follow_redirects=False)
    query = parse_qs(urlsplit(start.headers["location"]).query)
    assert query["code_challenge_method"] == ["S256"]
    assert query["code_challenge"]
    page = at_provider(browser, browser.get(start.headers["location"]))
    action, fields = form(page.text)
    page = at_provider(
        browser, browser.post(str(page.url.join(action)), data={**fields, "login": account, "password": "x"})
    )
    action, fields = form(page.text)  # consent
    back = at_provider(browser, browser.post(str(page.url.join(action)), data=fields))
    assert back.headers["location"].startswith(f"{APP}/inloggen/oidc?")
    return c, c.get(back.headers["location"][len(APP) :], follow_redirects=False)


def token(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_login_maps_claims_and_logout_ends_both_sessions(app):
    c, done = oidc_login(app, "nijmegen-inkoper")
    assert done.status_code == 303
    assert done.headers["location"] == "/"
    home = c.get("/").text
    assert "Ingelogd als" in home
    assert "nijmegen-inkoper" in home
    # an officer scoped to Nijmegen (the claim's spelling mapped): Arnhem's submission is refused
    files = {"bestand": ("weg.yaml", ARNHEM.read_bytes())}
    r = c.post("/toetsen", data={"csrf_token": token(c.get("/toetsen").text), "regelset": "hnn-gww"}, files=files)
    assert r.status_code == 403
    assert "gemeente Arnhem" in r.text
    cookie = c.cookies["cgc_session"]
    out = c.post("/uitloggen", data={"csrf_token": token(home)}, follow_redirects=False)
    end = out.headers["location"]
    assert "id_token_hint=" in end
    assert "/session/end" in end
    browser = httpx.Client(timeout=30)
    page = at_provider(browser, browser.get(end))
    action, fields = form(page.text)
    back = at_provider(browser, browser.post(str(page.url.join(action)), data={**fields, "logout": "yes"}))
    assert back.headers["location"] == f"{APP}/inloggen"
    replay = TestClient(app, cookies={"cgc_session": cookie}).get("/toetsen", follow_redirects=False)
    assert replay.status_code == 303  # the old session opens nothing: back to the provider's login


def test_an_unmapped_role_gets_no_session(app, caplog):
    c, done = oidc_login(app, "vreemde")
    assert done.status_code == 403
    assert "geeft geen toegang" in done.text
    assert c.get("/toetsen", follow_redirects=False).status_code == 303
    assert any(getattr(r, "fields", {}).get("account") == "vreemde" for r in caplog.records)
