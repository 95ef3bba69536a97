"""Account administration in the web (administrator only): list, add, change role or municipality, new password,
delete; refusals in Dutch naming the field, with the form kept; the accounts file as `cgc serve adduser` writes it."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from cgc_rules.web.accounts import AccountRefused, Accounts, Role
from cgc_rules.web.app import create_app
from cgc_rules.web.config import Config

from .conftest import token

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    d = tmp_path_factory.mktemp("admin")
    accounts = Accounts(d / "accounts.json")
    accounts.add("beheer", Role.admin, PASSWORD)
    accounts.add("inkoper", Role.officer, PASSWORD)
    accounts.add("pl-arnhem", Role.project_leader, PASSWORD, "Arnhem")
    config = Config(
        host="0.0.0.0",
        secret_key="a secret key of the test server",
        accounts_file=d / "accounts.json",
        database_url=str(d / "store.sqlite"),
        corridors_dir=d / "corridors",
    )
    return create_app(config), accounts.path.read_bytes()


@pytest.fixture
def app(server):
    """The module's app with its three accounts as they were made (the accounts file is read on each request)."""
    app, accounts = server
    app.state.config.accounts_file.write_bytes(accounts)
    return app


def login(app, name: str, password: str = PASSWORD) -> TestClient:
    c = TestClient(app)
    r = c.post(
        "/inloggen",
        data={"csrf_token": token(c.get("/inloggen").text), "gebruikersnaam": name, "wachtwoord": password},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    return c


def post(c: TestClient, path: str, **fields: str):
    return c.post(path, data={"csrf_token": token(c.get("/beheer/accounts").text), **fields}, follow_redirects=False)


def error_of(html: str, field: str) -> str:
    found = re.search(rf'id="{field}-fout">(.*?)</p>', html, re.S)
    assert found, f"no error at {field}"
    return found.group(1)


def test_only_an_administrator_reaches_the_pages_and_posts(app):
    officer = login(app, "inkoper")
    assert officer.get("/beheer/accounts").status_code == 403
    assert officer.get("/beheer/accounts/inkoper").status_code == 403
    form = {"csrf_token": token(officer.get("/").text), "gebruikersnaam": "x1", "rol": "admin", "wachtwoord": PASSWORD}
    assert officer.post("/beheer/accounts", data=form).status_code == 403
    assert 'href="/beheer/accounts"' not in officer.get("/").text
    admin = login(app, "beheer")
    assert 'href="/beheer/accounts"' in admin.get("/").text
    without_token = {"gebruikersnaam": "x1", "rol": "admin", "wachtwoord": PASSWORD}
    assert admin.post("/beheer/accounts", data=without_token).status_code == 403
    assert Accounts(app.state.config.accounts_file).get("x1") is None


def test_the_list_shows_every_account_with_role_and_municipality(app):
    html = login(app, "beheer").get("/beheer/accounts").text
    rows = re.findall(r'<tr class="utrecht-table__row cgc-account" id="account-([^"]+)">(.*?)</tr>', html, re.S)
    assert [name for name, _ in rows] == ["beheer", "inkoper", "pl-arnhem"]
    arnhem = dict(rows)["pl-arnhem"]
    assert "Projectleider" in arnhem
    assert "Arnhem" in arnhem


def test_adding_refuses_in_dutch_by_field_and_keeps_the_form(app):
    admin = login(app, "beheer")
    r = post(admin, "/beheer/accounts", gebruikersnaam="pl-nijmegen", rol="project_leader", wachtwoord=PASSWORD)
    assert r.status_code == 400
    assert "Kies bij ‘Gemeente’ de gemeente van de projectleider" in error_of(r.text, "gemeente")
    assert 'value="pl-nijmegen"' in r.text
    assert '<option value="project_leader" selected>' in r.text
    assert 'href="#gemeente"' in r.text  # the summary above the form leads to the field
    r = post(
        admin, "/beheer/accounts", gebruikersnaam="pl-nijmegen", rol="officer", gemeente="Nijmegen", wachtwoord="kort"
    )
    assert "Vul bij ‘Wachtwoord’ ten minste 12 tekens in." in error_of(r.text, "wachtwoord")
    assert '<option value="Nijmegen" selected>' in r.text
    r = post(admin, "/beheer/accounts", gebruikersnaam="Niet Goed!", rol="officer", wachtwoord=PASSWORD)
    assert "Vul bij ‘Gebruikersnaam’" in error_of(r.text, "gebruikersnaam")
    r = post(admin, "/beheer/accounts", gebruikersnaam="x1", rol="baas", wachtwoord=PASSWORD)
    assert r.status_code == 400
    assert error_of(r.text, "rol")
    assert [a.username for a in Accounts(app.state.config.accounts_file).all()] == ["beheer", "inkoper", "pl-arnhem"]


def test_an_existing_account_is_not_replaced(app):
    before = app.state.config.accounts_file.read_bytes()
    admin = login(app, "beheer")
    r = post(admin, "/beheer/accounts", gebruikersnaam="inkoper", rol="admin", wachtwoord="another long password")
    assert r.status_code == 400
    assert "Er is al een account ‘inkoper’" in error_of(r.text, "gebruikersnaam")
    assert app.state.config.accounts_file.read_bytes() == before


def test_add_change_reset_and_delete_take_effect_at_the_next_request(app):
    admin = login(app, "beheer")
    r = post(
        admin,
        "/beheer/accounts",
        gebruikersnaam="pl-nijmegen",
        rol="project_leader",
        gemeente="nijmegen",
        wachtwoord=PASSWORD,
    )
    assert r.status_code == 303
    assert r.headers["location"] == "/beheer/accounts?gedaan=toegevoegd&account=pl-nijmegen"
    assert "Het account ‘pl-nijmegen’ is toegevoegd." in admin.get(r.headers["location"]).text
    added = Accounts(app.state.config.accounts_file).get("pl-nijmegen")
    assert (added.role, added.municipality) == (Role.project_leader, "Nijmegen")  # the registry's spelling
    user = login(app, "pl-nijmegen")
    assert user.get("/aanbesteding").status_code == 403
    r = post(admin, "/beheer/accounts/pl-nijmegen/rol", rol="officer", gemeente="")
    assert r.status_code == 303
    assert user.get("/aanbesteding").status_code == 200  # the new role, same session
    r = post(admin, "/beheer/accounts/pl-nijmegen/wachtwoord", wachtwoord="kort")
    assert r.status_code == 400
    assert "ten minste 12 tekens" in error_of(r.text, "wachtwoord")
    r = post(admin, "/beheer/accounts/pl-nijmegen/wachtwoord", wachtwoord="a new long password")
    assert r.status_code == 303
    assert user.get("/aanbesteding", follow_redirects=False).headers["location"] == "/inloggen"  # session ended
    user = login(app, "pl-nijmegen", "a new long password")
    assert post(admin, "/beheer/accounts/pl-nijmegen/verwijderen").status_code == 303
    assert user.get("/", follow_redirects=False).status_code == 303
    assert Accounts(app.state.config.accounts_file).get("pl-nijmegen") is None
    r = admin.get("/beheer/accounts/pl-nijmegen")
    assert r.status_code == 404
    assert "Dit account bestaat niet (meer)" in r.text


def test_a_project_leader_keeps_a_municipality_and_an_administrator_keeps_their_own_account(app):
    admin = login(app, "beheer")
    r = post(admin, "/beheer/accounts/pl-arnhem/rol", rol="project_leader", gemeente="")
    assert r.status_code == 400
    assert "Kies bij ‘Gemeente’" in error_of(r.text, "gemeente")
    assert post(admin, "/beheer/accounts/beheer/rol", rol="officer", gemeente="").status_code == 400
    r = post(admin, "/beheer/accounts/beheer/verwijderen")
    assert r.status_code == 400
    assert "eigen account niet verwijderen" in r.text
    assert Accounts(app.state.config.accounts_file).get("beheer").role is Role.admin


def test_accounts_change_and_remove_name_the_field_they_refuse(tmp_path):
    accounts = Accounts(tmp_path / "a.json")
    accounts.add("pl", Role.project_leader, PASSWORD, "Arnhem")
    old_hash = accounts.get("pl").password_hash
    changed = accounts.change("pl", Role.gmr_team, None)
    assert (changed.role, changed.municipality, changed.password_hash) == (Role.gmr_team, None, old_hash)
    with pytest.raises(AccountRefused, match="unknown municipality 'Arnhm'") as refused:
        accounts.change("pl", Role.officer, "Arnhm")
    assert refused.value.field == "municipality"
    accounts.remove("pl")
    assert accounts.all() == []
    with pytest.raises(AccountRefused, match="no account 'pl'") as refused:
        accounts.remove("pl")
    assert refused.value.field == "username"


def test_a_read_only_accounts_file_is_said_in_dutch_not_a_crash(app, monkeypatch):
    def read_only(path, data):
        raise PermissionError(13, "Read-only file system", str(path))

    monkeypatch.setattr("cgc_rules.web.accounts.write_atomic", read_only)
    admin = login(app, "beheer")
    r = post(admin, "/beheer/accounts", gebruikersnaam="x1", rol="officer", wachtwoord=PASSWORD)
    assert r.status_code == 400
    assert "Het accountbestand kan hier niet worden gewijzigd (het is alleen-lezen)." in r.text
    assert Accounts(app.state.config.accounts_file).get("x1") is None


def test_with_an_openid_provider_the_page_says_where_accounts_are_managed(tmp_path):
    from cgc_rules.web.auth import User
    from cgc_rules.web.oidc import OidcBackend

    class SignedIn(OidcBackend):
        def user(self, session):
            return User("beheer", frozenset({Role.admin}))

    config = Config(
        host="0.0.0.0",
        secret_key="a secret key of the test server",
        database_url=str(tmp_path / "store.sqlite"),
        corridors_dir=tmp_path / "corridors",
        accounts_file=tmp_path / "accounts.json",
        oidc_issuer="http://127.0.0.1:9/",
        oidc_client_id="cgc",
    )
    c = TestClient(create_app(config, SignedIn(config)))
    r = c.get("/beheer/accounts")
    assert r.status_code == 200
    assert "beheert u daar" in r.text
    assert 'id="account-toevoegen"' not in r.text
    assert c.get("/beheer/accounts/beheer").status_code == 404
    form = {"csrf_token": token(r.text), "gebruikersnaam": "x1", "rol": "admin", "wachtwoord": PASSWORD}
    assert c.post("/beheer/accounts", data=form).status_code == 404
    assert not config.accounts_file.exists()
