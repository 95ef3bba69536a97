"""Sjablonenpakket in `cgc serve`: the server's pack definitions listed in Dutch, a pack built from one as a task
with its progress, the same bytes as `cgc pack build` makes, and only for the GMR team."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from cgc_rules.jobs import pack as pack_job
from cgc_rules.registry import Registry
from cgc_rules.web.accounts import Accounts, Role
from cgc_rules.web.app import create_app
from cgc_rules.web.config import Config

from .conftest import token
from .test_web_tasks import PASSWORD, follow, login, started

MINI = """\
name: mini
version: "2026.1"
title: Klein pakket
released: 2026-03-01
profiles: [amersfoort]
project_types: [wegen]
documents: [tender]
formats: [docx, pdf]
rulesets: [hnn-gww@2026.1, emissievrij-transport@2025.2]
"""


@pytest.fixture(scope="module")
def packs(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("packs")
    (folder / "mini.yaml").write_text(MINI, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def client(packs) -> TestClient:
    db = packs.parent / "packs-store.sqlite"
    return TestClient(create_app(Config(database_url=str(db), corridors_dir=packs.parent / "c", packs_dir=packs)))


@pytest.fixture(scope="module")
def built(client) -> tuple[str, list[dict]]:
    form = {"csrf_token": token(client.get("/pakket").text)}
    tid = started(client.post("/pakket/mini", data=form, follow_redirects=False))
    return tid, follow(client, tid)


def test_the_page_lists_each_definition_in_dutch(client):
    html = client.get("/pakket").text
    assert '<th class="utrecht-table__header-cell" scope="row">Klein pakket</th>' in html
    assert "uitgebracht 1 maart 2026" in html
    assert "1 profiel · wegen<br>" in html
    assert "Bestektekst" in html
    assert "DOCX, PDF · ten hoogste 2 documenten" in html
    assert 'action="/pakket/mini"' in html


def test_the_pack_is_built_as_a_task_with_progress_and_verifies(client, built):
    tid, seen = built
    assert seen[-1]["state"] == "klaar", seen[-1]
    assert {s["total"] for s in seen if s["total"]} == {1}  # one profile × one type × one kind (both formats)
    assert seen[-1]["filename"] == "mini-2026.1.zip"
    r = client.get(f"/taken/{tid}/bestand")
    assert r.headers["content-disposition"] == 'attachment; filename="mini-2026.1.zip"'
    with zipfile.ZipFile(io.BytesIO(r.content)) as z:
        names = z.namelist()
    assert "documents/amersfoort/wegen/bestektekst-circulariteit_amersfoort_wegen.docx" in names
    assert "documents/amersfoort/wegen/bestektekst-circulariteit_amersfoort_wegen.pdf" in names
    assert "manifest.json" in names
    assert "Sjablonenpakket Klein pakket 2026.1" in client.get("/taken").text


def test_the_web_pack_is_byte_for_byte_the_clis(client, built, packs, tmp_path):
    tid, _ = built
    web = client.get(f"/taken/{tid}/bestand").content
    cli = pack_job.build("mini", tmp_path, Registry(), packs_dir=packs, jobs=1)
    assert cli.path.read_bytes() == web
    saved = tmp_path / "van-de-web.zip"
    saved.write_bytes(web)
    assert pack_job.verify(saved).ok


def test_an_unknown_pack_is_refused_in_dutch(client):
    form = {"csrf_token": token(client.get("/pakket").text)}
    r = client.post("/pakket/bestaat-niet", data=form, follow_redirects=False)
    assert r.status_code == 404
    assert "Dit sjablonenpakket bestaat niet (meer). Kies een pakket uit de lijst." in r.text


def test_only_the_gmr_team_reaches_the_pack_page(packs, tmp_path):
    accounts = Accounts(tmp_path / "accounts.json")
    accounts.add("gmr", Role.gmr_team, PASSWORD)
    accounts.add("inkoper", Role.officer, PASSWORD)
    config = Config(
        host="0.0.0.0",  # noqa: S104 - network mode, in process: nothing listens
        database_url=str(tmp_path / "store.sqlite"),
        accounts_file=tmp_path / "accounts.json",
        secret_key="the packs test's secret key",
        corridors_dir=tmp_path / "c",
        packs_dir=packs,
    )
    app = create_app(config)
    seen = {}
    for name in ("gmr", "inkoper"):
        c = login(app, name)
        seen[name] = (c.get("/pakket").status_code, 'href="/pakket"' in c.get("/").text)
    assert seen == {"gmr": (200, True), "inkoper": (403, False)}
