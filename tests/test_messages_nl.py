"""Messages of the core loaders in the user's language: the ruleset registry, open tender values and pydantic's
pattern check, on the command line (standard error under --lang nl) and on the web pages (Dutch, naming the field
and what to do, never a terminal option)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from cgc_rules.cli import main
from cgc_rules.web.app import create_app
from cgc_rules.web.config import Config

from .conftest import road, token

ROOT = Path(__file__).resolve().parent.parent
CLI_OPTIONS = re.compile(r"(?<![\w-])--[a-z]|ID@VERSION|ID@VERSIE")
BAD_LINE = "Foo Bar"  # a corridor line id must look like `supply>route>demand`
ENGLISH = ("parameter left open", "String should match", "is in force on", "give ID@VERSION", "required field")


def cli(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def no_date() -> dict:
    data = road()
    del data["project"]["tender_date"]
    return data


def with_line(line: str) -> dict:
    return road(materials=[{"name": "baksteen", "mass_t": 10, "origin": "hergebruikt", "corridor_line": line}])


@pytest.mark.parametrize(
    ("data", "extra", "dutch", "english"),
    [
        (
            no_date(),
            (),
            "kan geen versie van regelset ‘hnn-gww’ kiezen: vul project.tender_date in de inzending in",
            "cannot choose a version of 'hnn-gww': give ID@VERSION or --as-of",
        ),
        (
            road(),
            ("--as-of", "2001-01-01"),
            "op 2001-01-01 geldt geen versie van regelset ‘hnn-gww’ (2026.1: 2026-01-01",
            "no version of ruleset 'hnn-gww' is in force on 2001-01-01",
        ),
        (
            with_line(BAD_LINE),
            (),
            "materials[0].corridor_line: heeft niet de vereiste vorm (patroon ",
            "materials[0].corridor_line: String should match pattern",
        ),
    ],
    ids=["no-date", "not-in-force", "pattern"],
)
def test_the_cli_says_it_in_the_language_asked_for(write, data, extra, dutch, english):
    path = write(data)
    nl = cli("evaluate", path, "-r", "hnn-gww", *extra, "--lang", "nl")
    assert nl.exit_code == 2
    assert dutch in nl.stderr
    en = cli("evaluate", path, "-r", "hnn-gww", *extra, "--lang", "en")
    assert en.exit_code == 2
    assert english in en.stderr


def test_a_self_assessment_file_is_checked_in_the_language_asked_for(write):
    data = {
        "municipality": {"name": "Arnhem", "assessed_on": "2026-03-02", "kleur": "rood"},
        "gmr": {"spinnenweb": {"policy_staff": 9}},
        "elements": [{"name": "spelregels"}, {"name": "spelregels"}],
    }
    path = write(data)
    nl = cli("assess", path, "--lang", "nl")
    assert nl.exit_code == 2
    assert "municipality.kleur: onbekend veld; controleer de spelling" in nl.stderr
    assert "gmr.spinnenweb.policy_staff: moet een getal ≤ 5 zijn (gevonden 9)" in nl.stderr
    assert "elements: element meer dan één keer beoordeeld: spelregels" in nl.stderr
    en = cli("assess", path, "--lang", "en")
    assert "elements: element assessed more than once: spelregels" in en.stderr
    assert "Input should be less than or equal to 5" in en.stderr


def test_a_bad_ruleset_reference_is_dutch_under_lang_nl(write):
    res = cli("evaluate", write(road()), "-r", "hnn-gww@", "--lang", "nl")
    assert res.exit_code == 2
    assert "ongeldige verwijzing naar een regelset ‘hnn-gww@’: geef ID of ID@VERSIE" in res.stderr


def test_open_tender_values_are_dutch_under_lang_nl(tmp_path):
    tender = tmp_path / "tender.yaml"
    made = cli("tender", "init", "--profile", "amersfoort", "--type", "wegen", "--date", "2026-03-02", "-o", tender)
    assert made.exit_code == 0, made.output
    bid = ROOT / "examples/aanbesteding/bod-epsilon.yaml"
    res = cli("score", tender, bid, "--lang", "nl")
    assert res.exit_code == 2
    assert re.search(r"tender\.yaml:\d+:\d+: fixed\.area_m2: nog niet ingevuld: oppervlakte van het werk", res.stderr)
    assert "parameter left open" not in res.stderr


# ---------------------------------------------------------------- the web


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    d = tmp_path_factory.mktemp("web")
    return TestClient(create_app(Config(database_url=str(d / "store.sqlite"), corridors_dir=d / "corridors")))


def error_of(html: str, field: str) -> str:
    found = re.search(rf'id="{field}-fout">(.*?)</p>', html, re.S)
    assert found, f"no error at {field}"
    return found.group(1)


def shown(html: str) -> str:
    """The page's text as read (no markup), without the `cgc …` commands the introductions name in <code>."""
    return re.sub(r"<[^>]+>", " ", re.sub(r"<code>.*?</code>", "", html, flags=re.S))


def english_in(html: str) -> list[str]:
    return [e for e in ENGLISH if e in html]


def test_a_self_assessment_date_without_a_ruleset_version_names_the_date_field(client):
    form = {
        "csrf_token": token(client.get("/zelfevaluatie").text),
        "gemeente": "Arnhem",
        "datum": "2001-01-01",
        "gmr_capacity_and_knowledge": "ja",
        "actie": "opslaan",
    }
    r = client.post("/zelfevaluatie", data=form)
    assert r.status_code == 400
    assert "Op 1 januari 2001 geldt geen versie van regelset" in error_of(r.text, "datum")
    assert "Vul bij ‘Datum van de zelfevaluatie’ een datum in" in error_of(r.text, "datum")
    assert 'id="gemeente-fout"' not in r.text
    assert 'value="2001-01-01"' in r.text  # the form keeps what was typed
    assert english_in(r.text) == []
    assert CLI_OPTIONS.search(shown(r.text)) is None


def evaluate(client: TestClient, body: bytes, **fields: str):
    form = {"csrf_token": token(client.get("/toetsen").text), "regelset": "hnn-gww", "rol": "bid", **fields}
    return client.post("/toetsen", data=form, files={"bestand": ("weg.yaml", body)})


def test_a_pattern_mismatch_in_an_upload_is_dutch_and_located(client):
    import yaml

    r = evaluate(client, yaml.safe_dump(with_line(BAD_LINE)).encode())
    assert r.status_code == 400
    assert re.search(r"weg\.yaml:\d+:\d+: materials\[0\]\.corridor_line: heeft niet de vereiste vorm", r.text)
    assert english_in(r.text) == []


@pytest.mark.parametrize(
    ("line", "dutch"),
    [
        (
            {"origin": "hergebruikt", "composition": {"gerecycled": 100}},
            "materials[0]: geef óf origin (herkomst), óf composition (samenstelling): niet beide en niet geen van beide",
        ),
        (
            {"origin": "primair", "corridor_line": "s-a>direct>d-b"},
            "materials[0]: een regel uit de corridor (s-a>direct>d-b) is hergebruikt materiaal: geef origin: hergebruikt",
        ),
    ],
    ids=["origin-and-composition", "corridor-line-not-reused"],
)
def test_the_material_lines_own_checks_are_dutch_on_the_page_and_the_cli(client, write, line, dutch):
    import yaml

    data = road(materials=[{"name": "baksteen", "mass_t": 10, **line}])
    r = evaluate(client, yaml.safe_dump(data).encode())
    assert r.status_code == 400
    assert dutch in html.unescape(r.text)
    res = cli("evaluate", write(data), "-r", "hnn-gww", "--lang", "nl")
    assert res.exit_code == 2
    assert dutch in res.stderr


def test_a_submission_without_a_tender_date_names_no_terminal_option(client):
    import yaml

    r = evaluate(client, yaml.safe_dump(no_date()).encode())
    assert r.status_code == 400
    assert english_in(r.text) == []
    assert CLI_OPTIONS.search(shown(r.text)) is None
    # the cause is the missing date, said at the reference-date field, not "no version on this date"
    assert "geen aanbestedingsdatum" in error_of(r.text, "peildatum")
    assert "Op deze datum geldt geen versie" not in r.text


def test_open_values_of_a_tender_definition_are_dutch_on_the_award_page(client):
    tender = client.get("/documenten/aanbesteding.yaml", params={"profile": "amersfoort", "type": "wegen"}).content
    bid = (ROOT / "examples/aanbesteding/bod-epsilon.yaml").read_bytes()
    r = client.post(
        "/aanbesteding",
        data={"csrf_token": token(client.get("/aanbesteding").text)},
        files=[("aanbesteding", ("tender.yaml", tender)), ("biedingen", ("bod.yaml", bid))],
    )
    assert r.status_code == 400
    assert re.search(r"tender\.yaml:\d+:\d+: fixed\.area_m2: nog niet ingevuld: oppervlakte van het werk in m²", r.text)
    assert english_in(r.text) == []
