"""Two `cgc serve` processes over one PostgreSQL database behave as one: log in on one, continue on the other."""

from __future__ import annotations

from pathlib import Path

import httpx
from sqlalchemy import create_engine, func, select

from cgc_rules.store.location import resolve
from cgc_rules.store.schema import records

from .conftest import token
from .pg import postgres  # noqa: F401  (fixture)
from .replicas import PASSWORD, accounts, serving

ROOT = Path(__file__).resolve().parent.parent
ARNHEM = ROOT / "examples/weg-voldoet-niet.yaml"  # a project of the municipality of Arnhem


def login(url: str, name: str) -> httpx.Client:
    c = httpx.Client(base_url=url, timeout=60)
    r = c.post(
        "/inloggen", data={"csrf_token": token(c.get("/inloggen").text), "gebruikersnaam": name, "wachtwoord": PASSWORD}
    )
    assert r.status_code == 303, r.text
    return c


def on(url: str, c: httpx.Client) -> httpx.Client:
    """The same browser, talking to another replica (a load balancer would send it there)."""
    return httpx.Client(base_url=url, timeout=60, cookies={"cgc_session": c.cookies["cgc_session"]})


def record(c: httpx.Client) -> httpx.Response:
    form = {"csrf_token": token(c.get("/toetsen").text), "regelset": "hnn-gww", "vastleggen": "ja", "rol": "bid"}
    return c.post("/toetsen", data=form, files={"bestand": ("weg.yaml", ARNHEM.read_bytes())})


def test_two_replicas_share_sessions_results_and_records(postgres, tmp_path):  # noqa: F811
    db = postgres.database()
    with serving(db, accounts(tmp_path / "accounts.json"), 2, tmp_path) as (a, b):
        on_a = login(a, "inkoper")
        on_b = on(b, on_a)
        assert "Ingelogd als" in on_b.get("/").text
        made = record(on_b)  # a form of replica A's page, posted to replica B
        assert made.status_code == 303, made.text
        result = made.headers["location"]
        assert on_a.get(result).status_code == 200
        assert on_b.get(result).status_code == 200
        assert record(on_a).status_code == 303  # the same submission again, on the other replica
        engine = create_engine(resolve(db))
        with engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(records)).scalar_one() == 1
        engine.dispose()
        nijmegen = login(b, "nijmegen")
        assert on(a, nijmegen).get(result).status_code == 404  # Arnhem's result, on either replica
        assert nijmegen.get(result).status_code == 404
        on_a.post("/uitloggen", data={"csrf_token": token(on_a.get("/").text)})
        assert on(b, on_b).get("/", follow_redirects=False).headers["location"] == "/inloggen"
