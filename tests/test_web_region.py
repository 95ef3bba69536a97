"""Issue 26's findings as regression tests: throttling (M1), sessions that end (M2), officers scoped by
municipality (M3), municipalities by canonical id (M4), and the smaller ones (secret key, /metrics, records)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from starlette.testclient import TestClient

from cgc_rules.cli import main
from cgc_rules.errors import CgcError
from cgc_rules.store.schema import records
from cgc_rules.web.accounts import Accounts, Role
from cgc_rules.web.app import create_app
from cgc_rules.web.config import Config

from .conftest import token

ROOT = Path(__file__).resolve().parent.parent
AWARD = ROOT / "examples/aanbesteding"
PASSWORD = "correct horse battery"
SECRET = "a secret key of the test server"


class Clock:
    """The throttle's clock, moved by the test instead of waiting."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def accounts_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("accounts") / "accounts.json"
    accounts = Accounts(path)
    accounts.add("nijmegen", Role.officer, PASSWORD, "Nijmegen")
    accounts.add("arnhem", Role.officer, PASSWORD, "ARNHEM")
    accounts.add("regio", Role.officer, PASSWORD)
    accounts.add("wissel", Role.officer, PASSWORD)  # its password is changed by a test
    accounts.add("pl-arnhem", Role.project_leader, PASSWORD, "arnhem")
    accounts.add("gmr", Role.gmr_team, PASSWORD)
    accounts.add("beheer", Role.admin, PASSWORD)
    return path


@pytest.fixture
def region(tmp_path, accounts_file):
    """The app over a new database (so new sessions and failed logins) and the module's accounts."""
    app = create_app(
        Config(
            host="0.0.0.0",
            secret_key=SECRET,
            accounts_file=accounts_file,
            database_url=str(tmp_path / "store.sqlite"),
            corridors_dir=tmp_path / "corridors",
            metrics_token="a metrics token of the test",
        )
    )
    app.state.throttle.clock = Clock()
    return app


def attempt(app, name: str, password: str = PASSWORD, address: str = "10.0.0.1") -> tuple[TestClient, object]:
    c = TestClient(app, client=(address, 50000))
    r = c.post(
        "/inloggen",
        data={"csrf_token": token(c.get("/inloggen").text), "gebruikersnaam": name, "wachtwoord": password},
        follow_redirects=False,
    )
    return c, r


def login(app, name: str, address: str = "10.0.0.1") -> TestClient:
    c, r = attempt(app, name, address=address)
    assert r.status_code == 303, r.text
    return c


def test_m1_failures_delay_that_account_from_that_address_only(region, caplog):
    clock = region.state.throttle.clock
    with caplog.at_level(logging.WARNING, logger="cgc.web"):
        for _ in range(3):
            assert attempt(region, "arnhem", "wrong password!")[1].status_code == 401
    failed = [r.fields for r in caplog.records if r.getMessage() == "login failed"]
    assert [f["account"] for f in failed] == ["arnhem"] * 3
    assert failed[0]["client"] == "10.0.0.1"
    # the fourth attempt within the delay (2 s after three failures) is refused, the right password too
    _, refused = attempt(region, "arnhem")
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "2"
    # ... but not another account from the same address (a shared proxy), nor the account from elsewhere
    assert attempt(region, "nijmegen")[1].status_code == 303
    assert attempt(region, "arnhem", address="10.0.0.2")[1].status_code == 303
    clock.now += 2
    assert attempt(region, "arnhem")[1].status_code == 303


def test_m1_the_delay_doubles_and_a_correct_login_clears_it(region):
    clock = region.state.throttle.clock
    for wait in (0, 0, 0, 2, 4, 8):
        clock.now += wait
        assert attempt(region, "regio", "wrong password!")[1].status_code == 401
    assert attempt(region, "regio")[1].headers["retry-after"] == "16"
    clock.now += 16
    assert attempt(region, "regio")[1].status_code == 303
    assert attempt(region, "regio", "wrong password!")[1].status_code == 401  # counting starts again
    assert attempt(region, "regio")[1].status_code == 303


def test_m2_logout_ends_the_session_for_a_replayed_cookie(region):
    c = login(region, "regio")
    cookie = c.cookies["cgc_session"]
    assert "Ingelogd als" in c.get("/").text
    c.post("/uitloggen", data={"csrf_token": token(c.get("/").text)})
    replay = TestClient(region, cookies={"cgc_session": cookie})
    r = replay.get("/", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/inloggen"


def test_m2_a_password_change_ends_earlier_sessions(region):
    c = login(region, "wissel")
    assert c.get("/toetsen").status_code == 200
    res = CliRunner().invoke(
        main,
        ["serve", "--accounts", str(region.state.config.accounts_file), "passwd", "wissel", "--password-stdin"],
        input="another long password\n",
    )
    assert res.exit_code == 0, res.output
    assert c.get("/toetsen", follow_redirects=False).status_code == 303
    assert attempt(region, "wissel")[1].status_code == 401
    assert attempt(region, "wissel", "another long password", address="10.0.0.3")[1].status_code == 303


def test_a_login_starts_a_new_session_token(region):
    c = TestClient(region, client=("10.0.0.1", 1))
    before = c.get("/inloggen") and c.cookies["cgc_session"]
    c.post(
        "/inloggen",
        data={"csrf_token": token(c.get("/inloggen").text), "gebruikersnaam": "gmr", "wachtwoord": PASSWORD},
    )
    assert c.cookies["cgc_session"] != before


def _award(c: TestClient, municipality: str) -> str:
    """The example award as a tender of `municipality` (the bids name the changed tender's hash)."""
    text = (AWARD / "tender.yaml").read_text(encoding="utf-8")
    tender = re.sub(r"(?m)^municipality: .*$", f"municipality: {municipality}", text).encode()
    old, new = hashlib.sha256(text.encode()).hexdigest(), hashlib.sha256(tender).hexdigest()
    files = [
        ("aanbesteding", ("tender.yaml", tender)),
        *[
            ("biedingen", (p.name, p.read_bytes().replace(old.encode(), new.encode())))
            for p in sorted(AWARD.glob("bod-*.yaml"))
        ],
        ("bijlagen", ("inzending-alfa.yaml", (AWARD / "inzending-alfa.yaml").read_bytes())),
    ]
    r = c.post(
        "/aanbesteding", data={"csrf_token": token(c.get("/aanbesteding").text)}, files=files, follow_redirects=False
    )
    assert r.status_code == 303, r.text
    return r.headers["location"]


def test_m3_an_officer_of_nijmegen_cannot_open_arnhems_award(region):
    result = _award(login(region, "regio"), "Arnhem")
    nijmegen, arnhem = login(region, "nijmegen"), login(region, "arnhem")
    for suffix in ("", "/advies.pdf", "/brieven.zip"):
        assert nijmegen.get(result + suffix).status_code == 404, suffix
    page = arnhem.get(result)
    assert page.status_code == 200
    assert "Arnhem" in page.text
    letters = arnhem.get(result + "/brieven.zip")
    assert letters.status_code == 200
    # no document names a temporary directory of the server (a docx is a zip: read its parts)
    documents = [arnhem.get(result + "/advies.docx").content]
    with zipfile.ZipFile(io.BytesIO(letters.content)) as z:
        documents += [z.read(n) for n in z.namelist()]
    assert len(documents) > 2
    for data in documents:
        parts = [data]
        if data.startswith(b"PK"):
            with zipfile.ZipFile(io.BytesIO(data)) as doc:
                parts = [doc.read(n) for n in doc.namelist()]
        assert not any(b"cgc-web-" in p or b"/tmp/" in p for p in parts)
    assert "cgc-web-" not in page.text
    assert "/tmp/" not in page.text


def test_m4_spellings_of_one_municipality_are_one(region, tmp_path):
    gmr = login(region, "gmr")
    for spelling in ("Arnhem", "arnhem", "ARNHEM", "Gemeente Arnhem"):
        form = {
            "csrf_token": token(gmr.get("/zelfevaluatie").text),
            "gemeente": spelling,
            "actie": "opslaan",
            "datum": "2026-03-01",
            "gmr_visie": "ja",
        }
        assert gmr.post("/zelfevaluatie", data=form).status_code == 200
    with region.state.store.engine.connect() as conn:
        rows = conn.execute(select(records.c.municipality, records.c.payload)).all()
    assert {row.municipality for row in rows} == {"Arnhem"}
    assert {json.loads(row.payload)["recorded_by"] for row in rows} == {"gmr"}  # every record says who made it
    # the project leader of `arnhem` (any spelling in the account) sees it in monitoring
    figures = login(region, "pl-arnhem").get("/monitoring")
    assert figures.status_code == 200
    assert "Arnhem" in figures.text


def test_m4_an_evaluation_record_names_its_maker_and_the_municipality_canonically(region):
    c = login(region, "regio")
    form = {"csrf_token": token(c.get("/toetsen").text), "regelset": "hnn-gww", "vastleggen": "ja", "rol": "bid"}
    shouted = (
        (ROOT / "examples/weg-voldoet-niet.yaml")
        .read_text(encoding="utf-8")
        .replace("municipality: Arnhem", "municipality: ARNHEM")
    )
    files = {"bestand": ("weg.yaml", shouted.encode())}
    made = c.post("/toetsen", data=form, files=files, follow_redirects=False)
    assert made.status_code == 303
    with region.state.store.engine.connect() as conn:
        rows = conn.execute(select(records.c.municipality, records.c.payload)).all()
    assert rows
    assert {r.municipality for r in rows} == {"Arnhem"}
    assert {json.loads(r.payload)["recorded_by"] for r in rows} == {"regio"}
    assert login(region, "pl-arnhem").get(made.headers["location"]).status_code == 200


def test_m4_accounts_name_known_municipalities_only(tmp_path):
    accounts = Accounts(tmp_path / "a.json")
    assert accounts.add("a1", Role.officer, PASSWORD, "gemeente NIJMEGEN").municipality == "Nijmegen"
    with pytest.raises(CgcError, match="unknown municipality 'Arnhm'"):
        accounts.add("a2", Role.officer, PASSWORD, "Arnhm")


def test_adduser_refuses_to_replace_an_account_silently(tmp_path):
    f = str(tmp_path / "accounts.json")
    add = ["serve", "--accounts", f, "adduser", "pl", "--role", "officer", "--password-stdin"]
    assert CliRunner().invoke(main, add, input=PASSWORD + "\n").exit_code == 0
    before = Path(f).read_bytes()
    res = CliRunner().invoke(main, add, input="another long password\n")
    assert res.exit_code == 2
    assert "exists already" in res.output
    assert Path(f).read_bytes() == before
    res = CliRunner().invoke(main, [*add, "--replace"], input="another long password\n")
    assert res.exit_code == 0
    assert Accounts(Path(f)).verify("pl", "another long password") is not None


def test_network_mode_needs_a_secret_key_and_warns_without_secure_cookies(tmp_path, caplog):
    Accounts(tmp_path / "a.json").add("x1", Role.officer, PASSWORD)
    with pytest.raises(CgcError, match="CGC_WEB_SECRET"):
        create_app(Config(host="0.0.0.0", accounts_file=tmp_path / "a.json", database_url=str(tmp_path / "s.sqlite")))
    with caplog.at_level(logging.WARNING, logger="cgc.web"):
        create_app(
            Config(
                host="0.0.0.0",
                secret_key=SECRET,
                accounts_file=tmp_path / "a.json",
                database_url=str(tmp_path / "s.sqlite"),
            )
        )
    assert any("secure cookies" in r.getMessage() for r in caplog.records)


def test_metrics_for_an_admin_or_the_token_only(region):
    assert login(region, "regio").get("/metrics").status_code == 401
    assert "cgc_web_requests_total" in login(region, "beheer").get("/metrics").text
    r = TestClient(region).get("/metrics", headers={"authorization": "Bearer a metrics token of the test"})
    assert r.status_code == 200
    assert TestClient(region).get("/ready").json() == {"status": "ready"}


def test_the_session_row_holds_no_usable_token(region):
    c = login(region, "regio")
    with region.state.store.engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT id, data FROM cgc_web_sessions").all()
    assert c.cookies["cgc_session"] not in {r.id for r in rows}
    assert any(json.loads(r.data).get("user") == "regio" for r in rows)


def test_another_process_rebuilds_a_kept_award_from_its_uploads(region):
    regio = login(region, "regio")
    result = _award(regio, "Arnhem")
    here = regio.get(result)
    other = create_app(region.state.config)  # a second app over the same database: nothing in its memory
    there = TestClient(other, cookies={"cgc_session": regio.cookies["cgc_session"]})
    page = there.get(result)
    assert page.status_code == 200
    assert page.text.count("bod-") == here.text.count("bod-")
    assert _members(there.get(result + "/brieven.zip").content) == _members(regio.get(result + "/brieven.zip").content)


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_a_recorded_batch_keeps_the_bids_the_leader_sees_and_says_which_it_did_not(region):
    from .test_web_tasks import follow, started

    c = login(region, "pl-arnhem")
    form = {"csrf_token": token(c.get("/toetsen").text), "regelset": "hnn-gww", "vastleggen": "ja", "rol": "bid"}
    names = ("weg-voldoet.yaml", "weg-voldoet-niet.yaml", "openbare-ruimte-voldoet.yaml")  # Arnhem, Arnhem, Nijmegen
    files = [("bestand", (name, (ROOT / "examples" / name).read_bytes())) for name in names]
    tid = started(c.post("/toetsen", data=form, files=files, follow_redirects=False))
    assert follow(c, tid)[-1]["state"] == "klaar"
    rows = list(csv.reader(io.StringIO(c.get(f"/taken/{tid}/bestand").content.decode("utf-8-sig")), delimiter=";"))
    assert rows[3][0] == "openbare-ruimte-voldoet.yaml"
    assert rows[3][-1] == (
        "Niet vastgelegd: deze inzending hoort bij gemeente Nijmegen, en u legt alleen inzendingen van uw eigen "
        "gemeente vast."
    )
    assert rows[1][-1] == ""
    with region.state.store.engine.connect() as conn:
        stored = conn.execute(select(records.c.municipality, records.c.role, records.c.payload)).all()
    # one hnn-gww version per bid: the two Arnhem bids, each recorded once, by the leader, with the role chosen
    assert len(stored) == 2
    assert {(r.municipality, r.role, json.loads(r.payload)["recorded_by"]) for r in stored} == {
        ("Arnhem", "bid", "pl-arnhem")
    }
