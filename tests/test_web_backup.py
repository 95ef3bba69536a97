"""A region's backup as docs/operations.md describes it: `pg_dump` of the store's database, restored into
an empty database, gives the same records and keeps the sessions (a user stays logged in)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from starlette.testclient import TestClient

from cgc_rules.web.app import create_app
from cgc_rules.web.config import Config

from .conftest import token
from .pg import _bin, postgres  # noqa: F401  (fixture)
from .replicas import PASSWORD, SECRET, accounts

ROOT = Path(__file__).resolve().parent.parent


def app_on(db: str, tmp_path: Path):
    return create_app(
        Config(
            host="127.0.0.2",
            secret_key=SECRET,
            database_url=db,
            accounts_file=tmp_path / "accounts.json",
            corridors_dir=tmp_path / "corridors",
        )
    )


def name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def test_pg_dump_restored_into_an_empty_database(postgres, tmp_path, cgc):  # noqa: F811
    accounts(tmp_path / "accounts.json")
    db, restored = postgres.database(), postgres.database()
    c = TestClient(app_on(db, tmp_path))
    c.post(
        "/inloggen",
        data={"csrf_token": token(c.get("/inloggen").text), "gebruikersnaam": "inkoper", "wachtwoord": PASSWORD},
    )
    form = {"csrf_token": token(c.get("/toetsen").text), "regelset": "hnn-gww", "vastleggen": "ja", "rol": "bid"}
    files = {"bestand": ("weg.yaml", (ROOT / "examples/weg-voldoet-niet.yaml").read_bytes())}
    result = c.post("/toetsen", data=form, files=files, follow_redirects=False).headers["location"]
    dump = tmp_path / "cgc.dump"
    bindir, host = _bin(), parse_qs(urlsplit(db).query)["host"][0]
    dumped = subprocess.run(
        [str(bindir / "pg_dump"), "-h", host, "-U", postgres.user, "-Fc", name(db)], check=True, capture_output=True
    )
    dump.write_bytes(dumped.stdout)
    subprocess.run(
        [str(bindir / "pg_restore"), "-h", host, "-U", postgres.user, "--no-owner", "-d", name(restored), str(dump)],
        check=True,
        capture_output=True,
    )
    before, after = cgc("db", "export", "--db", db), cgc("db", "export", "--db", restored)
    assert before.exit_code == after.exit_code == 0
    assert before.output.count("\n") >= 1
    assert after.output == before.output
    back = TestClient(app_on(restored, tmp_path), cookies={"cgc_session": c.cookies["cgc_session"]})
    assert "Ingelogd als" in back.get("/").text
    assert back.get(result).status_code == 200
