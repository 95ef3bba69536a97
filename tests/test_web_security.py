"""`cgc serve` security: login in network mode, a project leader's own records, CSRF, and refused uploads."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from cgc_rules.cli import main
from cgc_rules.errors import CgcError
from cgc_rules.web.accounts import Accounts, Role
from cgc_rules.web.app import create_app
from cgc_rules.web.config import Config

from .conftest import token

ROOT = Path(__file__).resolve().parent.parent
FAILING = ROOT / "examples/weg-voldoet-niet.yaml"  # project of the municipality of Arnhem
PASSWORD = "correct horse battery"
SECRET = "a secret key of the test server"
PAGES = [
    "/",
    "/documenten",
    "/documenten?profile=amersfoort&type=wegen&kind=tender",
    "/toetsen",
    "/zelfevaluatie",
    "/monitoring",
    "/corridor",
    "/regelsets",
    "/regelsets/hnn-gww/2026.1",
    "/aanbesteding",
    "/toegankelijkheid",
    "/documenten/bestand.docx?profile=amersfoort&type=wegen&kind=tender",
    "/metrics",
]
POSTS = ["/toetsen", "/zelfevaluatie", "/aanbesteding", "/corridor/regel", "/uitloggen", "/inloggen"]


@pytest.fixture(scope="module")
def network(tmp_path_factory):
    d = tmp_path_factory.mktemp("web")
    accounts = Accounts(d / "accounts.json")
    accounts.add("arnhem", Role.project_leader, PASSWORD, "Arnhem")
    accounts.add("amersfoort", Role.project_leader, PASSWORD, "Amersfoort")
    accounts.add("inkoper", Role.officer, PASSWORD)
    accounts.add("lezer", Role.read_only, PASSWORD)
    return create_app(
        Config(
            host="0.0.0.0",
            secret_key=SECRET,
            accounts_file=d / "accounts.json",
            database_url=str(d / "store.sqlite"),
            corridors_dir=d / "corridors",
        )
    )


def login(app, name: str) -> TestClient:
    c = TestClient(app)
    r = c.post(
        "/inloggen",
        data={"csrf_token": token(c.get("/inloggen").text), "gebruikersnaam": name, "wachtwoord": PASSWORD},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    return c


def upload(c: TestClient, name: str, data: bytes):
    form = {"csrf_token": token(c.get("/toetsen").text), "regelset": "hnn-gww"}
    return c.post("/toetsen", data=form, files={"bestand": (name, data)}, follow_redirects=False)


def test_network_mode_refuses_to_start_without_accounts(tmp_path):
    with pytest.raises(CgcError, match="needs accounts"):
        create_app(Config(host="0.0.0.0", secret_key=SECRET, accounts_file=tmp_path / "none.json"))
    res = CliRunner().invoke(
        main,
        ["serve", "--host", "0.0.0.0", "--accounts", str(tmp_path / "none.json")],
        env={"CGC_WEB_SECRET": SECRET},
    )
    assert res.exit_code == 2
    assert "needs accounts" in res.output


def test_without_login_only_login_and_health_are_open(network):
    c = TestClient(network)
    for path in PAGES:
        r = c.get(path, follow_redirects=False)
        assert r.status_code in (303, 401), path
        assert r.status_code == 401 or r.headers["location"] == "/inloggen"
    assert c.get("/health").json() == {"status": "ok"}
    assert c.get("/inloggen").status_code == 200
    for path in ("/toetsen", "/zelfevaluatie"):
        assert c.post(path, data={"x": "1"}).status_code == 401


def test_a_project_leader_cannot_read_another_municipalitys_records(network):
    arnhem, amersfoort = login(network, "arnhem"), login(network, "amersfoort")
    r = upload(arnhem, "weg.yaml", FAILING.read_bytes())
    assert r.status_code == 303
    result = r.headers["location"]
    assert arnhem.get(result).status_code == 200
    for suffix in ("", "/rapport.html", "/rapport.pdf"):
        assert amersfoort.get(result + suffix).status_code == 404
    refused = upload(amersfoort, "weg.yaml", FAILING.read_bytes())
    assert refused.status_code == 403
    assert "gemeente Arnhem" in refused.text
    assert login(network, "inkoper").get(result).status_code == 200


def test_every_post_without_the_csrf_token_is_refused(network):
    c = login(network, "inkoper")
    for path in POSTS:
        assert c.post(path, data={"gebruikersnaam": "inkoper", "wachtwoord": PASSWORD}).status_code == 403, path
    assert (
        c.post(
            "/toetsen",
            data={"csrf_token": "guessed", "regelset": "hnn-gww"},
            files={"bestand": ("weg.yaml", FAILING.read_bytes())},
        ).status_code
        == 403
    )


def test_logins_are_throttled(network, tmp_path):
    # its own database (so its own failed logins): the other tests log in from the same address
    app = create_app(network.state.config.model_copy(update={"database_url": str(tmp_path / "store.sqlite")}))
    c = TestClient(app)
    for _ in range(3):  # three free failures of one account from one address; then a delay (test_web_region.py)
        r = c.post(
            "/inloggen",
            data={
                "csrf_token": token(c.get("/inloggen").text),
                "gebruikersnaam": "inkoper",
                "wachtwoord": "wrong password!",
            },
        )
        assert r.status_code == 401
        assert "klopt niet" in r.text
    r = c.post(
        "/inloggen",
        data={"csrf_token": token(c.get("/inloggen").text), "gebruikersnaam": "inkoper", "wachtwoord": PASSWORD},
    )
    assert r.status_code == 429
    assert r.headers["retry-after"] == "2"


@pytest.fixture(scope="module")
def local(tmp_path_factory):
    return TestClient(create_app(Config(database_url=str(tmp_path_factory.mktemp("db") / "store.sqlite"))))


def test_a_100_mb_upload_is_refused_before_it_is_read(local):
    r = upload(local, "groot.yaml", b"a" * (100 * 1024 * 1024))
    assert r.status_code == 413


def zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (200 * 1024 * 1024))
    return buf.getvalue()


def test_a_zip_bomb_disguised_as_xlsx_is_refused(local):
    bomb = zip_bomb()
    assert len(bomb) < 1024 * 1024
    r = upload(local, "inschrijving.xlsx", bomb)
    assert r.status_code == 400
    assert "veel te groot" in r.text
    assert 'aria-describedby="bestand-uitleg bestand-fout"' in r.text  # the error is tied to its field
    r = upload(local, "nep.xlsx", b"PK\x03\x04 not a zip at all")
    assert r.status_code == 400
    assert "geen Excel-werkmap" in r.text


def test_a_file_named_dot_dot_slash_x_is_refused_and_nothing_is_written(local, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a" / "b").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "a" / "b")
    r = upload(local, "../../x", FAILING.read_bytes())
    assert r.status_code == 400
    assert "Kies een bestand van een van deze soorten" in r.text
    assert not (tmp_path / "x").exists()
    r = upload(local, "../../x.yaml", FAILING.read_bytes())  # a known kind: read, but never stored under that name
    assert r.status_code == 303
    assert not (tmp_path / "x.yaml").exists()


def test_adduser_stores_an_argon2_hash_and_nothing_else(tmp_path):
    f = tmp_path / "accounts.json"
    res = CliRunner().invoke(
        main,
        [
            "serve",
            "--accounts",
            str(f),
            "adduser",
            "pl-arnhem",
            "--role",
            "project_leader",
            "--municipality",
            "Arnhem",
            "--password-stdin",
        ],
        input=PASSWORD + "\n",
    )
    assert res.exit_code == 0, res.output
    text = f.read_text()
    assert PASSWORD not in text
    assert "$argon2id$" in text
    assert Accounts(f).verify("pl-arnhem", PASSWORD).municipality == "Arnhem"
    assert Accounts(f).verify("pl-arnhem", "wrong") is None
    res = CliRunner().invoke(
        main,
        ["serve", "--accounts", str(f), "adduser", "x1", "--role", "project_leader", "--password-stdin"],
        input=PASSWORD + "\n",
    )
    assert res.exit_code == 2
    assert "municipality" in res.output


def test_health_metrics_and_security_headers(local):
    r = local.get("/health")
    assert r.json() == {"status": "ok"}
    assert "script-src 'self'" in local.get("/").headers["content-security-policy"]
    assert "cgc_web_requests_total" in local.get("/metrics").text


def test_a_bid_naming_a_path_outside_the_upload_is_refused(tmp_path):
    ex = ROOT / "examples/aanbesteding"
    app = create_app(Config(database_url=str(tmp_path / "store.sqlite")))
    c = TestClient(app)
    bid = (ex / "bod-alfa.yaml").read_text(encoding="utf-8").replace("inzending-alfa.yaml", "../../etc/passwd")
    form = {"csrf_token": token(c.get("/aanbesteding").text)}
    files = [
        ("aanbesteding", ("tender.yaml", (ex / "tender.yaml").read_bytes())),
        ("biedingen", ("bod-alfa.yaml", bid.encode())),
    ]
    r = c.post("/aanbesteding", data=form, files=files, follow_redirects=False)
    assert r.status_code == 400
    assert "upload dat bestand als bijlage" in r.text


def test_roles_limit_pages_and_posts(network):
    reader = login(network, "lezer")
    assert reader.get("/toetsen").status_code == 403
    assert reader.get("/regelsets").status_code == 200
    form = {"csrf_token": token(reader.get("/regelsets").text), "corridor": "amersfoort-voorbeeld"}
    assert reader.post("/corridor/regel", data=form).status_code == 403
    assert "/toetsen" not in reader.get("/").text  # the menu shows only what the role may use


def test_a_project_leader_sees_only_their_municipality_in_monitoring(network):
    arnhem, amersfoort = login(network, "arnhem"), login(network, "amersfoort")
    form = {"csrf_token": token(arnhem.get("/toetsen").text), "regelset": "hnn-gww", "vastleggen": "ja", "rol": "bid"}
    r = arnhem.post(
        "/toetsen", data=form, files={"bestand": ("weg.yaml", FAILING.read_bytes())}, follow_redirects=False
    )
    assert r.status_code == 303
    assert "Arnhem" in arnhem.get("/monitoring").text
    theirs = amersfoort.get("/monitoring?gemeente=Arnhem").text
    assert "Arnhem" not in theirs
    assert "In de opslag" not in theirs


def test_the_yearly_report_is_read_as_the_project_leaders_municipality(network):
    arnhem, amersfoort = login(network, "arnhem"), login(network, "amersfoort")
    form = {"csrf_token": token(arnhem.get("/toetsen").text), "regelset": "hnn-gww", "vastleggen": "ja", "rol": "bid"}
    arnhem.post("/toetsen", data=form, files={"bestand": ("weg.yaml", FAILING.read_bytes())}, follow_redirects=False)
    assert 'id="jaarevaluatie"' in arnhem.get("/monitoring").text
    own = arnhem.get("/monitoring/jaarevaluatie.html?gemeente=Amersfoort")  # the reader is fixed to Arnhem
    assert own.status_code == 200
    assert own.headers["X-CGC-Document"] == "1"
    assert "Jaarevaluatie" in own.text
    assert "Arnhem" in own.text
    other = amersfoort.get("/monitoring/jaarevaluatie.html")  # Amersfoort has no records: a clear refusal
    assert other.status_code == 400
    assert "Amersfoort" in other.text
    assert amersfoort.get("/monitoring/jaarevaluatie.html?jaar=twee").status_code == 400
