"""Long work of `cgc serve` as tasks: the set zip, the yearly report PDF and a batch of bids run in a worker thread
with real progress, their files served from the database (by any replica, after a restart), only to their owner;
a task whose process stopped is shown as interrupted; old tasks are removed."""

from __future__ import annotations

import csv
import io
import re
import threading
import time
import zipfile
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from cgc_rules.web.accounts import Accounts, Role
from cgc_rules.web.app import create_app
from cgc_rules.web.auth import LOCAL_USER
from cgc_rules.web.config import Config
from cgc_rules.web.storing import open_web_store
from cgc_rules.web.tables import tasks as tasks_table
from cgc_rules.web.tasks import Made, Tasks

from .conftest import token
from .pg import postgres  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery"
SECRET = "the tasks test's secret key"
RUNNING = ("wacht", "bezig")


def started(r) -> str:
    """The task id a page's redirect names."""
    assert r.status_code == 303, r.text
    found = re.fullmatch(r"/taken/([\w-]+)", r.headers["location"])
    assert found, r.headers["location"]
    return found.group(1)


def follow(c: TestClient, tid: str, timeout: float = 180) -> list[dict]:
    """Every status the task's JSON endpoint gave until it stopped running."""
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        r = c.get(f"/taken/{tid}/status.json")
        assert r.status_code == 200, r.text
        seen.append(r.json())
        if seen[-1]["state"] not in RUNNING:
            return seen
        time.sleep(0.1)
    raise AssertionError(f"task {tid} still running after {timeout} s: {seen[-1]}")


def bids(*names: str) -> list[tuple[str, tuple[str, bytes]]]:
    return [("bestand", (name, (ROOT / "examples" / name).read_bytes())) for name in names]


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    return str(tmp_path_factory.mktemp("web") / "store.sqlite")


@pytest.fixture(scope="module")
def client(db):
    return TestClient(create_app(Config(database_url=db, corridors_dir=Path(db).parent / "corridors")))


@pytest.fixture(scope="module")
def set_task(client) -> tuple[str, list[dict]]:
    page = client.get("/documenten", params={"profile": "amersfoort", "type": "wegen"}).text
    r = client.post(
        "/documenten/set?profile=amersfoort&type=wegen", data={"csrf_token": token(page)}, follow_redirects=False
    )
    tid = started(r)
    return tid, follow(client, tid)


def test_the_set_zip_reports_each_document_made_and_downloads_as_a_zip_with_word_files(client, set_task):
    from docx import Document

    tid, seen = set_task
    # amersfoort, wegen: 8 document kinds, the vraagspecificatie not made under UAV 2012: 7 kinds × (DOCX, PDF)
    assert {s["total"] for s in seen if s["total"]} == {14}
    done = [s["done"] for s in seen]
    assert done == sorted(done)
    assert len(set(done)) >= 3  # the bar moved on the way, not only at the start and the end
    assert seen[-1]["state"] == "klaar"
    assert seen[-1]["filename"] == "aanbestedingsset_amersfoort_wegen.zip"
    r = client.get(f"/taken/{tid}/bestand")
    assert r.headers["content-disposition"] == 'attachment; filename="aanbestedingsset_amersfoort_wegen.zip"'
    with zipfile.ZipFile(io.BytesIO(r.content)) as z:
        names = z.namelist()
        docx = Document(io.BytesIO(z.read("gepubliceerd/bestektekst-circulariteit_amersfoort_wegen.docx")))
    assert len(names) == 14
    assert "Amersfoort" in "\n".join(p.text for p in docx.paragraphs)
    page = client.get(f"/taken/{tid}").text
    assert '<progress class="cgc-progress" id="voortgang" max="14" value="14">' in page
    assert "Klaar: aanbestedingsset_amersfoort_wegen.zip staat klaar om te downloaden." in page
    assert f'id="taak-download" href="/taken/{tid}/bestand"' in page
    assert '<script src="/static/taak.js" defer></script>' in page
    assert "Set documenten" in client.get("/taken").text


def test_a_finished_task_is_still_there_after_a_restart(db, set_task):
    tid, _ = set_task
    again = TestClient(create_app(Config(database_url=db, corridors_dir=Path(db).parent / "corridors")))
    assert "staat klaar om te downloaden" in again.get(f"/taken/{tid}").text
    with zipfile.ZipFile(io.BytesIO(again.get(f"/taken/{tid}/bestand").content)) as z:
        assert "gepubliceerd/bestektekst-circulariteit_amersfoort_wegen.docx" in z.namelist()


def test_the_yearly_report_pdf_is_made_as_a_task(client):
    from pypdf import PdfReader

    form = {"csrf_token": token(client.get("/toetsen").text), "regelset": "hnn-gww", "vastleggen": "ja", "rol": "bid"}
    assert client.post("/toetsen", data=form, files=bids("weg-voldoet-niet.yaml")).status_code == 200
    form = {"csrf_token": token(client.get("/monitoring").text), "jaar": "2026", "gemeente": ""}
    tid = started(client.post("/monitoring/jaarevaluatie.pdf", data=form, follow_redirects=False))
    seen = follow(client, tid)
    assert [s["total"] for s in seen if s["total"]][-1] == 3  # read the figures, assemble, lay out the PDF
    assert seen[-1]["filename"] == "jaarevaluatie-2026.pdf"
    r = client.get(f"/taken/{tid}/bestand")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
    assert "Jaarevaluatie circulaire GWW 2026" in text
    assert re.search(r"61,9\s*%", text), text  # the one project: 5.200 t of 8.400 t responsible origin


def test_a_failed_task_says_in_dutch_what_to_do(tmp_path):
    c = TestClient(create_app(Config(database_url=str(tmp_path / "leeg.sqlite"), corridors_dir=tmp_path / "c")))
    form = {"csrf_token": token(c.get("/toetsen").text), "jaar": ""}  # the session's token, from any form
    tid = started(c.post("/monitoring/jaarevaluatie.pdf", data=form, follow_redirects=False))
    last = follow(c, tid)[-1]
    assert last["state"] == "mislukt"
    assert (
        last["error"]
        == "De opslag bevat nog niets om over te rapporteren. Leg eerst toetsingen of zelfevaluaties vast."
    )
    page = c.get(f"/taken/{tid}").text
    assert "De opslag bevat nog niets om over te rapporteren." in page
    assert 'id="taak-klaar" hidden' in page
    assert c.get(f"/taken/{tid}/bestand").status_code == 404


def test_a_batch_of_bids_gives_one_csv_row_per_bid(client):
    form = {"csrf_token": token(client.get("/toetsen").text), "regelset": "hnn-gww", "rol": "bid"}
    files = [*bids("weg-voldoet.yaml", "weg-voldoet-niet.yaml"), ("bestand", ("leeg.yaml", b"project: {}\n"))]
    tid = started(client.post("/toetsen", data=form, files=files, follow_redirects=False))
    seen = follow(client, tid)
    assert [s["done"] for s in seen if s["total"]][-1] == 3
    assert seen[-1]["filename"] == "toetsing-inzendingen.csv"
    body = client.get(f"/taken/{tid}/bestand").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    assert rows[0][:3] == ["Inzending", "Project", "Oordeel"]
    assert [(r[0], r[2]) for r in rows[1:]] == [
        ("weg-voldoet.yaml", "voldoet"),
        ("weg-voldoet-niet.yaml", "voldoet niet"),
        ("leeg.yaml", "ongeldige invoer"),
    ]
    assert rows[3][-1].startswith("leeg.yaml")  # the problems name the user's file, not ours


def test_more_bids_than_allowed_are_refused_in_dutch(client):
    form = {"csrf_token": token(client.get("/toetsen").text), "regelset": "hnn-gww", "rol": "bid"}
    files = [("bestand", (f"bod-{i}.yaml", b"project: {}\n")) for i in range(31)]
    r = client.post("/toetsen", data=form, files=files)
    assert r.status_code == 400
    assert "Kies ten hoogste 30 bestanden tegelijk" in r.text


def test_a_batch_with_a_file_we_do_not_read_starts_nothing_and_names_that_file(client):
    form = {"csrf_token": token(client.get("/toetsen").text), "regelset": "hnn-gww", "rol": "bid"}
    files = [*bids("weg-voldoet.yaml"), ("bestand", ("notities.txt", b"geen inzending"))]
    r = client.post("/toetsen", data=form, files=files, follow_redirects=False)
    assert r.status_code == 400
    assert "notities.txt: Kies een bestand van een van deze soorten: .xlsx, .csv, .json, .yaml, .yml." in r.text
    assert "Toetsing van 2 inzendingen" not in client.get("/taken").text  # no task was started


def test_a_task_whose_process_stopped_is_shown_as_interrupted_not_running_forever(db):
    a, b = (create_app(Config(database_url=db, corridors_dir=Path(db).parent / "corridors")) for _ in range(2))
    release = threading.Event()

    def work(progress) -> Made:
        progress(1, 4, "stap 2")
        release.wait(30)
        return Made("x.txt", "text/plain", b"x")

    tid = a.state.tasks.start(LOCAL_USER, "proef", "Proef", work)
    on_b = TestClient(b)
    try:
        for _ in range(100):
            status = on_b.get(f"/taken/{tid}/status.json").json()
            if status["done"] == 1:
                break
            time.sleep(0.05)
        assert (status["state"], status["done"], status["total"]) == ("bezig", 1, 4)  # seen from the other replica
        a.state.tasks.stop()  # replica A dies: no heartbeat any more
        b.state.tasks.stale_after = 0.2
        time.sleep(0.4)
        status = on_b.get(f"/taken/{tid}/status.json").json()
        assert status["state"] == "onderbroken"
        assert status["error"] == (
            "Deze taak is onderbroken: de server die haar uitvoerde is gestopt. Start de taak opnieuw."
        )
        assert 'id="taak-vernieuwen" hidden' in on_b.get(f"/taken/{tid}").text
    finally:
        release.set()
    time.sleep(0.3)  # A's worker ends after all: it does not overwrite what B decided
    assert on_b.get(f"/taken/{tid}/status.json").json()["state"] == "onderbroken"


def test_a_running_task_page_works_without_javascript_through_a_refresh_link(db):
    tasks = Tasks(open_web_store(db))
    release = threading.Event()
    tid = tasks.start(
        LOCAL_USER, "proef", "Proef", lambda progress: (release.wait(30), Made("x", "text/plain", b""))[1]
    )
    c = TestClient(create_app(Config(database_url=db, corridors_dir=Path(db).parent / "corridors")))
    try:
        page = c.get(f"/taken/{tid}").text
        assert f'<a class="utrecht-link" href="/taken/{tid}">Vernieuwen</a>' in page
        assert 'role="status" aria-live="polite"' in page
        assert "http-equiv" not in page
    finally:
        release.set()


def test_tasks_are_removed_after_the_keeping_period(tmp_path):
    now = [1_000_000.0]
    tasks = Tasks(open_web_store(str(tmp_path / "s.sqlite")), keep_for=3600, clock=lambda: now[0])
    old = tasks.start(LOCAL_USER, "proef", "Oud", lambda progress: Made("a.txt", "text/plain", b"a"))
    for _ in range(100):
        if tasks.file(old, LOCAL_USER):
            break
        time.sleep(0.05)
    assert tasks.file(old, LOCAL_USER) == Made("a.txt", "text/plain", b"a")
    now[0] += 3601
    assert tasks.get(old, LOCAL_USER) is None  # past the period: no longer shown
    tasks.start(LOCAL_USER, "proef", "Nieuw", lambda progress: Made("b.txt", "text/plain", b"b"))
    with tasks.store.engine.connect() as conn:
        titles = [r.title for r in conn.execute(tasks_table.select())]
    assert titles == ["Nieuw"]  # and its row is gone


def login(app, name: str) -> TestClient:
    c = TestClient(app)
    form = {"csrf_token": token(c.get("/inloggen").text), "gebruikersnaam": name, "wachtwoord": PASSWORD}
    assert c.post("/inloggen", data=form, follow_redirects=False).status_code == 303
    return c


def test_two_replicas_over_postgresql_share_a_task_that_only_its_owner_sees(postgres, tmp_path):  # noqa: F811
    accounts = Accounts(tmp_path / "accounts.json")
    accounts.add("inkoper", Role.officer, PASSWORD)
    accounts.add("nijmegen", Role.officer, PASSWORD, "Nijmegen")
    config = Config(
        host="0.0.0.0",  # noqa: S104 - network mode, in process: nothing listens
        secret_key=SECRET,
        accounts_file=tmp_path / "accounts.json",
        database_url=postgres.database(),
        corridors_dir=tmp_path / "corridors",
    )
    a, b = create_app(config), create_app(config)
    with TestClient(a), TestClient(b):  # both shut down (their heartbeats stop) before the server does
        on_a = login(a, "inkoper")
        on_b = TestClient(b, cookies={"cgc_session": on_a.cookies["cgc_session"]})
        form = {"csrf_token": token(on_a.get("/toetsen").text), "regelset": "hnn-gww", "rol": "bid"}
        files = bids("weg-voldoet.yaml", "weg-voldoet-niet.yaml")
        tid = started(on_a.post("/toetsen", data=form, files=files, follow_redirects=False))
        assert follow(on_b, tid)[-1]["state"] == "klaar"  # followed on B, made on A
        made = on_b.get(f"/taken/{tid}/bestand").content.decode("utf-8-sig")
        assert len(list(csv.reader(io.StringIO(made), delimiter=";"))) == 3
        other = login(b, "nijmegen")
        for path in (f"/taken/{tid}", f"/taken/{tid}/status.json", f"/taken/{tid}/bestand"):
            assert other.get(path).status_code == 404
        assert tid not in other.get("/taken").text
        assert tid in on_b.get("/taken").text


def test_shutdown_stops_the_task_heartbeat(tmp_path):
    def beating() -> int:
        return sum(t.name == "cgc-task-heartbeat" and t.is_alive() for t in threading.enumerate())

    before = beating()
    app = create_app(Config(database_url=str(tmp_path / "store.sqlite"), corridors_dir=tmp_path / "c"))
    with TestClient(app) as c:
        form = {"csrf_token": token(c.get("/toetsen").text), "regelset": "hnn-gww", "rol": "bid"}
        files = bids("weg-voldoet.yaml", "weg-voldoet-niet.yaml")  # more than one bid: a task
        tid = started(c.post("/toetsen", data=form, files=files, follow_redirects=False))
        assert follow(c, tid)[-1]["state"] == "klaar"
        assert beating() == before + 1
    deadline = time.monotonic() + 5
    while beating() > before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert beating() == before
