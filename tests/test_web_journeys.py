"""The journeys of `cgc serve` through its pages (Starlette's test client, local mode): what each user does,
read back from the page, the store and the files it offers."""

from __future__ import annotations

import csv
import io
import re
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from starlette.testclient import TestClient

from cgc_rules.intake.form import BID_SHEET
from cgc_rules.web.app import create_app
from cgc_rules.web.config import Config

from .conftest import token

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    d = tmp_path_factory.mktemp("web")
    return TestClient(create_app(Config(database_url=str(d / "store.sqlite"), corridors_dir=d / "corridors")))


def assessment(c: TestClient, name: str, action: str) -> str:
    form = {
        "csrf_token": token(c.get("/zelfevaluatie").text),
        "gemeente": name,
        "datum": "",  # the form's default: today
        "gmr_capacity_and_knowledge": "ja",
        "gmr_tenders_circularly": "ja",
        "gmr_measures_circularity": "nee",
        "actie": action,
    }
    r = c.post("/zelfevaluatie", data=form)
    assert r.status_code == 200, r.text
    return r.text


def test_viewing_a_self_assessment_does_not_save_it(client):
    html = assessment(client, "Gemeente Kijkdorp", "bekijken")
    assert "Niet opgeslagen." in html
    assert "Kijkdorp" not in client.get("/monitoring").text


def test_a_self_assessment_with_the_default_date_is_saved_for_today_and_shown_in_monitoring(client):
    html = assessment(client, "Gemeente Proefdorp", "opslaan")
    assert "Opgeslagen voor de jaarlijkse evaluatie." in html
    year = datetime.now(ZoneInfo("Europe/Amsterdam")).year
    page = client.get("/monitoring").text
    assert f"Gemeente Proefdorp ({year}): GMR-profiel profiel-2" in page
    # the filters are choice lists of what the store holds
    assert f'<option value="{year}">{year}</option>' in page
    assert '<option value="Gemeente Proefdorp">Gemeente Proefdorp</option>' in page
    chosen = client.get("/monitoring", params={"jaar": str(year), "gemeente": "Gemeente Proefdorp"}).text
    assert f"Gemeente Proefdorp ({year})" in chosen
    assert 'id="grafiek-spinnenweb"' in chosen
    assert 'id="grafiek-groei"' in chosen


def test_a_year_or_municipality_not_in_the_store_is_refused_in_dutch(client):
    r = client.get("/monitoring", params={"jaar": "1999", "gemeente": "Nergenshuizen"})
    assert r.status_code == 400
    assert "Kies een jaar uit de lijst" in r.text
    assert "Kies een gemeente uit de lijst" in r.text


def test_a_recorded_evaluation_shows_in_the_figures_and_downloads_as_csv(client):
    form = {"csrf_token": token(client.get("/toetsen").text), "regelset": "hnn-gww", "vastleggen": "ja", "rol": "bid"}
    data = (ROOT / "examples/weg-voldoet-niet.yaml").read_bytes()
    r = client.post("/toetsen", data=form, files={"bestand": ("weg.yaml", data)})
    assert r.status_code == 200, r.text
    page = client.get("/monitoring", params={"gemeente": "Arnhem", "jaar": "2026"}).text
    assert "61,9 %" in page  # 5.200 t of 8.400 t responsible origin
    assert "€ 0,15" in page  # € 72.000 / (12.000 m² × 40 years)
    assert 'id="grafiek-mki"' in page
    assert "wegen: 1 project, mediaan € 0,15, van € 0,15 tot € 0,15." in page  # the chart in words
    r = client.get("/monitoring/cijfers.csv", params={"gemeente": "Arnhem", "jaar": "2026"})
    assert r.status_code == 200
    assert r.headers["content-disposition"] == 'attachment; filename="monitoring-cijfers.csv"'
    rows = list(csv.DictReader(io.StringIO(r.text.lstrip("\ufeff")), delimiter=";"))
    arnhem = next(row for row in rows if row["municipality"] == "Arnhem" and not row["project_type"])
    assert (arnhem["year"], arnhem["projects"], arnhem["responsible_t"], arnhem["total_t"]) == (
        "2026",
        "1",
        "5200,0",
        "8400,0",
    )


def test_the_yearly_report_downloads_as_a_pdf(client):
    from pypdf import PdfReader

    form = {"csrf_token": token(client.get("/toetsen").text), "jaar": "2026"}
    r = client.post("/monitoring/jaarevaluatie.pdf", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text
    task = r.headers["location"]  # made as a task: its page shows the progress, then the file
    for _ in range(1200):
        if client.get(task + "/status.json").json()["state"] not in {"wacht", "bezig"}:
            break
        time.sleep(0.1)
    r = client.get(task + "/bestand")
    assert r.headers["content-disposition"] == 'attachment; filename="jaarevaluatie-2026.pdf"'
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
    assert "Jaarevaluatie circulaire GWW 2026" in text
    assert re.search(r"61,9\s*%", text), text  # the one project: 5.200 t of 8.400 t responsible origin


def corridor_line(c: TestClient, **change: str):
    form = {
        "csrf_token": token(c.get("/corridor", params={"datum": "2026-05-20"}).text),
        "corridor": "amersfoort-voorbeeld",
        "datum": "2026-05-20",
        "soort": "demand",
        "regel": "d-aanbouw-baksteen",
        "project": "kop-van-isselt",
        "categorie": "brick",
        "omschrijving": "Gevelsteen voor de aanbouw",
        "ton": "30",
        "kwaliteit": "fair",
        "van": "2026-06-01",
        "tot": "2026-07-31",
        "per": "2026-05-20",
        **change,
    }
    return c.post("/corridor/regel", data=form)


def test_a_dutch_free_text_category_is_refused_at_the_top_of_the_page_and_the_form_keeps_its_values(client):
    r = corridor_line(client, categorie="baksteen", ton="-3")
    assert r.status_code == 400
    html = r.text
    summary = html.index('id="regel-fouten"')
    assert summary < html.index("Kandidaat-matches")  # above everything else on the page
    assert "Kies bij ‘Materiaalcategorie’ een categorie uit de lijst" in html
    assert "Vul bij ‘Hoeveelheid (ton)’ een getal groter dan 0 in" in html
    assert 'href="#categorie"' in html
    assert 'href="#ton"' in html
    assert 'value="Gevelsteen voor de aanbouw"' in html
    assert '<option value="brick">baksteen (brick)</option>' in html


def test_the_corridors_own_objection_is_dutch_and_names_the_field(client):
    r = corridor_line(client, van="2026-08-01", tot="2026-07-01")
    assert r.status_code == 400
    assert "Controleer de periode" in r.text
    assert 'href="#van"' in r.text
    assert "before start" not in r.text


def test_a_line_is_added_corrected_and_withdrawn(client):
    r = corridor_line(client)
    assert r.status_code == 200
    assert 'id="toegevoegd"' in r.text
    assert 'id="lijn-d-aanbouw-baksteen"' in r.text
    # correcting: the form is filled with the line, a new version replaces it
    form = client.get(
        "/corridor",
        params={"corridor": "amersfoort-voorbeeld", "datum": "2026-05-20", "corrigeer": "d-aanbouw-baksteen"},
    ).text
    assert 'id="omschrijving" name="omschrijving" type="text" value="Gevelsteen voor de aanbouw"' in form
    r = corridor_line(client, ton="12,5")
    row = re.search(r'id="lijn-d-aanbouw-baksteen">(.*?)</tr>', r.text, re.S).group(1)
    assert ">12,5<" in row
    assert r.text.count('id="lijn-d-aanbouw-baksteen"') == 1
    # withdrawing
    r = client.post(
        "/corridor/intrekken",
        data={
            "csrf_token": token(r.text),
            "corridor": "amersfoort-voorbeeld",
            "datum": "2026-05-20",
            "regel": "d-aanbouw-baksteen",
        },
    )
    assert r.status_code == 200
    assert 'id="ingetrokken"' in r.text
    assert 'id="lijn-d-aanbouw-baksteen"' not in r.text


def selected(html: str) -> dict[str, str]:
    """The chosen option of every select on the page."""
    found = {}
    for name, body in re.findall(r'<select[^>]* name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', body)
        found[name] = chosen.group(1) if chosen else ""
    return found


def test_switching_profile_takes_the_new_profiles_contract_form_and_procedure(client):
    first = client.get("/documenten", params={"profile": "amersfoort", "type": "wegen"}).text
    assert selected(first)["contract_form"] == "uav2012"
    assert selected(first)["procedure"] == "open"
    assert 'name="vorig" value="amersfoort"' in first
    # the form sends the old choices along with the new profile
    switched = client.get(
        "/documenten",
        params={
            "vorig": "amersfoort",
            "profile": "gmr-voorbeeld-profiel-1",
            "type": "wegen",
            "contract_form": "uav2012",
            "procedure": "open",
        },
    ).text
    assert (selected(switched)["contract_form"], selected(switched)["procedure"]) == ("uav-gc", "european")
    # within one profile a changed choice stays
    kept = client.get(
        "/documenten",
        params={"vorig": "amersfoort", "profile": "amersfoort", "type": "wegen", "contract_form": "uav-gc"},
    ).text
    assert selected(kept)["contract_form"] == "uav-gc"


def test_the_officer_sees_the_versions_in_force_and_downloads_tender_definition_and_blank_bid_form(client):
    import yaml
    from openpyxl import load_workbook

    choice = {"profile": "amersfoort", "type": "wegen"}
    html = client.get("/documenten", params=choice).text
    in_force = re.search(r'id="van-kracht">(.*?)</ul>', html, re.S).group(1)
    assert "hnn-gww versie 2026.1" in in_force
    offered = re.findall(r'name="criterium" value="([^"]+)" checked', html)
    assert len(offered) >= 2
    r = client.get("/documenten/aanbesteding.yaml", params={**choice, "criterium": offered})
    assert r.headers["content-disposition"] == 'attachment; filename="aanbesteding_amersfoort_wegen.yaml"'
    tender = yaml.safe_load(r.text)
    assert (tender["profile"], tender["project_type"]) == ("amersfoort", "wegen")
    assert {"id": "hnn-gww", "version": "2026.1"}.items() <= tender["rulesets"][0].items()
    assert [c["rule"] for c in tender["criteria"]] == offered
    one = yaml.safe_load(client.get("/documenten/aanbesteding.yaml", params={**choice, "criterium": offered[0]}).text)
    assert [c["rule"] for c in one["criteria"]] == [offered[0]]  # only the criterion ticked
    r = client.get("/documenten/aanbesteding.yaml", params={**choice, "criterium": "hnn-gww/verzonnen"})
    assert r.status_code == 400
    r = client.get("/documenten/inschrijvingsformulier.xlsx", params=choice)
    assert r.headers["content-disposition"] == 'attachment; filename="inschrijvingsformulier_amersfoort_wegen.xlsx"'
    book = load_workbook(io.BytesIO(r.content))
    assert BID_SHEET in book.sheetnames


def test_the_set_is_made_as_a_task_started_by_a_form_post(client):
    page = client.get("/documenten", params={"profile": "amersfoort", "type": "wegen"}).text
    form = re.search(r'<form method="post" action="([^"]+)"[^>]*>(.*?)</form>', page, re.S)
    assert form, page
    assert (
        form.group(1)
        == "/documenten/set?profile=amersfoort&amp;type=wegen&amp;contract_form=uav2012&amp;procedure=open"
    )
    assert 'id="download-zip"' in form.group(2)
    assert client.get("/documenten/set", params={"profile": "amersfoort", "type": "wegen"}).status_code == 405


def test_the_project_leader_checks_the_delivery_against_the_winning_bid(client):
    ex = ROOT / "examples/aanbesteding"
    files = {
        "aanbesteding": ("tender.yaml", (ex / "tender.yaml").read_bytes()),
        "bod": ("bod-epsilon.yaml", (ex / "bod-epsilon.yaml").read_bytes()),
        "oplevering": ("oplevering-epsilon.yaml", (ex / "oplevering-epsilon.yaml").read_bytes()),
    }
    r = client.post("/oplevering", data={"csrf_token": token(client.get("/oplevering").text)}, files=files)
    assert r.status_code == 200, r.text
    assert "Uitkomst voor Epsilon Wegenbouw" in r.text
    rows = {
        re.sub(r"<[^>]+>", "", row.split("</th>")[0]): row
        for row in re.findall(r'<tr class="utrecht-table__row cgc-check">(.*?)</tr>', r.text, re.S)
    }
    # promised € 0,13, built € 69.600 = € 0,145 per m² per year: advantage € 19.200 at award, € 12.000 as built
    assert ">nee<" in rows["mki"]
    assert "sanctie = 1,5 × €\xa07.200,00 = €\xa010.800,00" in rows["mki"]
    assert "ja, binnen de marge" in rows["herkomst-materiaal"]  # 73,68 % promised, 73 % built, 1 point tolerance
    assert "Sanctie totaal: €\xa010.800,00" in r.text
    assert "Niet alle beloftes zijn waargemaakt." in r.text


def test_a_bid_naming_its_submission_needs_that_file_as_the_attachment(client):
    ex = ROOT / "examples/aanbesteding"
    files = {
        "aanbesteding": ("tender.yaml", (ex / "tender.yaml").read_bytes()),
        "bod": ("bod-alfa.yaml", (ex / "bod-alfa.yaml").read_bytes()),  # submission: inzending-alfa.yaml
        "oplevering": ("oplevering-epsilon.yaml", (ex / "oplevering-epsilon.yaml").read_bytes()),
    }
    r = client.post("/oplevering", data={"csrf_token": token(client.get("/oplevering").text)}, files=files)
    assert r.status_code == 400
    assert (
        '<p class="utrecht-form-field-error-message" id="bijlage-fout">De gegunde inschrijving noemt haar inzending '
        "als apart bestand: inzending-alfa.yaml." in r.text
    )
    assert "bestand niet gevonden" not in r.text
    files["bijlage"] = ("inzending-alfa.yaml", (ex / "inzending-alfa.yaml").read_bytes())
    r = client.post("/oplevering", data={"csrf_token": token(client.get("/oplevering").text)}, files=files)
    assert r.status_code == 200, r.text
    assert "Uitkomst voor Aannemer Alfa" in r.text
    ladder = re.search(r'scope="row">co2-prestatieladder</th>(.*?)</tr>', r.text, re.S)
    assert ladder, r.text
    assert "Beloofd 3, gerealiseerd 3" in ladder.group(1)  # level 3 promised (bod-alfa), level 3 as built


def test_a_delivery_check_without_files_names_each_field_in_dutch(client):
    r = client.post("/oplevering", data={"csrf_token": token(client.get("/oplevering").text)})
    assert r.status_code == 400
    for label in ("Aanbestedingsdefinitie", "Gegunde inschrijving", "Opgeleverd werk"):
        assert f"Kies bij ‘{label}’" in r.text


def test_a_tender_definition_with_open_values_names_them_on_the_award_page(client):
    tender = client.get("/documenten/aanbesteding.yaml", params={"profile": "amersfoort", "type": "wegen"}).content
    bid = (ROOT / "examples/aanbesteding/bod-epsilon.yaml").read_bytes()
    r = client.post(
        "/aanbesteding",
        data={"csrf_token": token(client.get("/aanbesteding").text)},
        files=[("aanbesteding", ("mijn-aanbesteding.yaml", tender)), ("biedingen", ("bod.yaml", bid))],
    )
    assert r.status_code == 400
    assert "Vul in het bestand de open waarden in" in r.text
    found = re.search(r'id="meldingen">(.*?)</ul>', r.text, re.S).group(1)
    assert "mijn-aanbesteding.yaml:20:3: fixed.area_m2" in found  # located in the user's own file
    assert "cgc-web-" not in r.text  # never our temporary directory


def evaluate_upload(c: TestClient, body: str, **fields: str):
    form = {"csrf_token": token(c.get("/toetsen").text), "regelset": "hnn-gww", "vastleggen": "ja", **fields}
    return c.post("/toetsen", data=form, files={"bestand": ("weg.yaml", body.encode("utf-8"))})


def test_a_date_without_a_ruleset_version_names_the_date_not_the_file_and_keeps_the_role(client):
    body = (ROOT / "examples/weg-voldoet.yaml").read_text(encoding="utf-8")
    r = evaluate_upload(client, body, peildatum="2001-01-01", rol="as-built")
    assert r.status_code == 400
    assert re.search(r'id="peildatum-fout">Op deze datum geldt geen versie van een gekozen regelset', r.text)
    assert 'id="bestand-fout"' not in r.text
    assert "Pas het bestand aan" not in r.text
    assert selected(r.text)["rol"] == "as-built"
    assert 'value="2001-01-01"' in r.text


def test_a_missing_field_in_the_file_is_named_in_dutch_with_its_line(client):
    body = (ROOT / "examples/weg-voldoet.yaml").read_text(encoding="utf-8").replace("  municipality: Arnhem\n", "")
    r = evaluate_upload(client, body, rol="design")
    assert r.status_code == 400
    assert "weg.yaml:14:1: project.municipality: verplicht veld ontbreekt" in r.text
    assert "required field" not in r.text
    assert selected(r.text)["rol"] == "design"
