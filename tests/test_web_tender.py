"""The Aanbestedingsdefinitie page (`cgc serve`, Starlette's test client): the open values filled in as a form,
the downloaded `aanbesteding.yaml` read back and scored on the award page as `cgc score` scores it, and the eForms
contract and award notices made from the web and checked by the EU's rules.

The EU check is compiled once per notice subtype and process (`jobs.tender.shared_validator`): every test of this
module shares it. Under CI=true a missing eForms SDK fails the tests instead of skipping them.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from starlette.testclient import TestClient

from cgc_rules.jobs.tender import dutch_number, shared_validator
from cgc_rules.notice.sdk import locate
from cgc_rules.notice.validate import NAMESPACES
from cgc_rules.tender import load_tender, open_fields
from cgc_rules.web.app import create_app
from cgc_rules.web.config import Config

from .conftest import token

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "aanbesteding"
PROFILE = "gmr-voorbeeld-profiel-1"  # the European example profile
CHOICE = {"profile": PROFILE, "type": "wegen", "datum": "2026-03-02"}
OPEN = {  # the values profile 1 leaves open, as the example tender fills them
    "title": "Reconstructie Webweg (voorbeeld)",
    "fixed.area_m2": "12.000",
    "fixed.lifetime_years": "40",
    "fixed.calculation_rules": "MKI met DuboCalc (voorbeeld)",
    "criteria.mki.tolerance": "0,005",
    "criteria.herkomst-materiaal.tolerance": "1",
    "rounding.places": "2",
    "tie_break": "highest_quality",
    "standstill_days": "20",
}
FILL = {
    "buyer.company_id": "12345678",
    "buyer.city": "Voorbeeld",
    "buyer.postal_zone": "1234 AB",
    "buyer.nuts": "NL350",
    "buyer.email": "inkoop@voorbeeld.nl",
    "buyer.telephone": "+31 30 1234567",
    "review_body.name": "Rechtbank Midden-Nederland",
    "review_body.company_id": "00000001",
    "review_body.city": "Utrecht",
    "review_body.postal_zone": "3511 EV",
    "review_body.nuts": "NL350",
    "cpv": "45233000",
    "place_nuts": "NL350",
    "description": "Reconstructie van de Webweg.",
}
CONTRACT = {
    **FILL,
    "duration_months": "12",
    "issue_date": "2026-03-02",
    "submission_deadline": "2026-04-14T12:00",
    "documents_url": "https://www.tenderned.nl/aankondigingen/1",
    "submission_url": "https://www.tenderned.nl/aankondigingen/1",
    "electronic_ordering": "nee",
    "electronic_payment": "ja",
}
AWARD = {
    **FILL,
    "award.issue_date": "2026-06-01",
    "award.decision_date": "2026-05-01",
    "award.contract_date": "2026-05-20",
    "award.contract_number": "VB-2026-001",
    "award.subcontracting": "nee",
    "award.statistics.sme": "2",
    "award.statistics.large": "3",
    "award.statistics.other_eea": "0",
    "award.statistics.non_eea": "0",
    "award.statistics.electronic": "5",
    "award.winner.company_id": "87654321",
    "award.winner.city": "Utrecht",
    "award.winner.postal_zone": "3500 AA",
    "award.winner.nuts": "NL350",
    "award.winner.size": "large",
}


pytestmark = pytest.mark.usefixtures("sdk")  # the eForms SDK (conftest)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    d = tmp_path_factory.mktemp("web")
    return TestClient(create_app(Config(database_url=str(d / "store.sqlite"), corridors_dir=d / "corridors")))


def field_errors(html: str) -> dict[str, str]:
    return dict(re.findall(r'class="utrecht-form-field-error-message" id="([^"]+)-fout">([^<]+)<', html))


def post_definition(c: TestClient, action: str, **values: str) -> Any:
    page = c.get("/definitie", params=CHOICE).text
    form = {"csrf_token": token(page), **CHOICE, **OPEN, **values, "actie": action}
    return c.post("/definitie", data=form, follow_redirects=False)


@pytest.fixture(scope="module")
def definition(client: TestClient, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The completed tender definition as the page gives it."""
    r = post_definition(client, "definitie")
    assert r.status_code == 200, r.text
    path = tmp_path_factory.mktemp("download") / "aanbesteding.yaml"
    path.write_bytes(r.content)
    return path


def failures(html: str) -> list[tuple[str, str, str, str]]:
    cell = r"<t[dh][^>]*>([^<]+)</t[dh]>"
    return re.findall(r'<tr class="utrecht-table__row cgc-failure">' + cell * 4, html)


def outcome(html: str) -> str:
    found = re.search(r'id="uitkomst">([^<]+)<', html)
    assert found, html
    return found.group(1)


def test_dutch_numbers_are_read_as_written_and_ambiguous_ones_refused() -> None:
    assert dutch_number("12.000") == Decimal(12000)
    assert dutch_number("0,005") == Decimal("0.005")
    assert dutch_number("2.400.000,50") == Decimal("2400000.50")
    assert dutch_number("0.17") is None  # a decimal point: refused, not read as 17
    assert dutch_number("12,000.5") is None


def test_the_open_values_are_named_fields_with_dutch_labels(client: TestClient) -> None:
    html = client.get("/definitie", params=CHOICE).text
    for name in OPEN:
        assert f'name="{name}"' in html
    assert '<label class="utrecht-form-label" for="fixed.area_m2">Oppervlakte van het werk in m²</label>' in html
    assert "Eenheid: euro per m² per jaar." in html  # the MKI tolerance
    assert 'name="cpv"' in html  # the notice's fill-ins below
    assert 'name="procedure"' not in html  # profile 1 chooses the European procedure itself


def test_a_wrong_value_is_refused_at_its_field_in_dutch_and_the_form_is_kept(client: TestClient) -> None:
    r = post_definition(client, "definitie", **{"fixed.area_m2": "0.17", "rounding.places": "9"})
    assert r.status_code == 400
    errors = field_errors(r.text)
    assert errors["fixed.area_m2"] == "Vul een getal in, met een komma voor decimalen (bijvoorbeeld 0,17 of 12.000)."
    assert errors["rounding.places"] == "Vul een geheel getal van 0 tot en met 6 in."
    assert 'value="0.17"' in r.text  # what was typed stays
    assert 'value="MKI met DuboCalc (voorbeeld)"' in r.text
    assert '<a class="utrecht-link" href="#fixed.area_m2">' in r.text  # the summary links to the field


def test_a_date_without_rulesets_in_force_is_named_at_the_date(client: TestClient) -> None:
    r = client.get("/definitie", params={**CHOICE, "datum": "2000-01-01"})  # hnn-gww holds from 2026
    assert r.status_code == 400
    assert field_errors(r.text)["datum"].startswith("Op deze datum geldt geen versie van een regelset")
    assert 'name="fixed.area_m2"' not in r.text
    assert 'value="2000-01-01"' in r.text


def test_the_downloaded_definition_reads_back_with_the_values(definition: Path) -> None:
    lt = load_tender(definition)
    t = lt.tender
    assert t.title == "Reconstructie Webweg (voorbeeld)"
    assert (t.fixed.area_m2.value, t.fixed.lifetime_years.value) == (Decimal(12000), Decimal(40))
    assert t.fixed.calculation_rules == "MKI met DuboCalc (voorbeeld)"
    tolerances = {c.id: c.tolerance.value if c.tolerance else None for c in t.criteria}
    assert tolerances == {"mki": Decimal("0.005"), "herkomst-materiaal": Decimal(1)}
    assert (t.rounding.places, t.tie_break, t.standstill_days) == (2, "highest_quality", 20)
    assert open_fields(lt) == []  # nothing left for scoring to refuse


def _bids_for(definition: Path, folder: Path) -> list[Path]:
    """The example bids, naming the downloaded definition (its id and sha256) as a bidder's would."""
    t = load_tender(definition).tender
    sha = hashlib.sha256(definition.read_bytes()).hexdigest()
    folder.mkdir()
    shutil.copy(EXAMPLE / "inzending-alfa.yaml", folder)
    bids = []
    for bid in sorted(EXAMPLE.glob("bod-*.yaml")):
        text = bid.read_text("utf-8").replace("voorbeeld-reconstructie-n-weg-2026", t.id)
        text = re.sub(r"sha256: [0-9a-f]{64}", f"sha256: {sha}", text)
        bids.append(folder / bid.name)
        bids[-1].write_text(text, encoding="utf-8")
    return bids


@pytest.fixture(scope="module")
def award_result(
    client: TestClient, definition: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, str, list[Path]]:
    """(the award result's page, its id, the bids): the definition and the example bids scored on the award page."""
    bids = _bids_for(definition, tmp_path_factory.mktemp("bids") / "bids")
    files = [("aanbesteding", ("aanbesteding.yaml", definition.read_bytes()))]
    files += [("biedingen", (b.name, b.read_bytes())) for b in bids]
    files += [("bijlagen", ("inzending-alfa.yaml", (EXAMPLE / "inzending-alfa.yaml").read_bytes()))]
    r = client.post("/aanbesteding", data={"csrf_token": token(client.get("/aanbesteding").text)}, files=files)
    assert r.status_code == 200, r.text
    rid = str(r.url).rsplit("/", 1)[1]
    return r.text, rid, bids


def test_the_definition_scores_on_the_award_page_as_the_cli_scores_it(
    award_result: tuple[str, str, list[Path]], definition: Path, cgc: Any
) -> None:
    html, _, bids = award_result
    rows = re.findall(r"<th[^>]*>([^<]+) <span", html)
    results = re.findall(r'cgc-bid"><td class="utrecht-table__cell">([^<]+)</td>', html)
    assert rows[:3] == ["Delta Infra", "Epsilon Wegenbouw", "Aannemer Alfa"]
    assert results[:3] == ["1", "2", "3"]
    # by hand: price − (0,17 − MKI) × 12.000 m² × 40 years × 1 − (origin − 62) × € 2.500 (no CO2 ladder criterion)
    assert "€\u00a02.330.400,00" in html  # Delta: 2.350.000 − 9.600 − 10.000
    assert "€\u00a02.331.600,00" in html  # Epsilon: 2.380.000 − 19.200 − 29.200
    assert "€\u00a02.365.600,00" in html  # Alfa: 2.400.000 − 14.400 − 20.000
    assert "Gunningsadvies: <strong>Delta Infra</strong>" in html
    # the CLI on the same files gives the same figures
    res = cgc("score", definition, *bids, "--format", "json")
    assert res.exit_code == 0, res.output
    report = json.loads(res.output)
    assert report["winner"] == "Delta Infra"
    for bid in report["bids"]:
        if bid["status"] == "ranked":
            assert bid["result_text"] in html
    assert sorted(b["bidder"] for b in report["bids"] if b["status"] == "excluded") == [
        "Bouwcombinatie Beta",
        "Civiel Gamma",
    ]


def test_the_contract_notice_from_the_page_validates(client: TestClient) -> None:
    r = post_definition(client, "aankondiging", **CONTRACT)
    assert r.status_code == 303, r.text
    page = client.get(r.headers["location"]).text
    assert outcome(page) == "Geldig: de controle met het XML-schema en de regels van de EU vond geen fouten."
    assert failures(page) == []
    xml = client.get(r.headers["location"] + "/aankondiging.xml")
    assert xml.headers["content-disposition"].endswith('.xml"')
    tree = etree.fromstring(xml.content)
    assert tree.findtext(".//efac:NoticeSubType/cbc:SubTypeCode", namespaces=NAMESPACES) == "16"
    assert tree.findtext(".//cac:ProcurementProject/cbc:Name", namespaces=NAMESPACES) == OPEN["title"]
    assert [f for f in shared_validator(locate(), "16").check(xml.content) if f.is_error] == []
    readable = client.get(r.headers["location"] + "/aankondiging.html").text
    assert "Reconstructie Webweg (voorbeeld)" in readable
    assert "45233000" in readable
    pdf = client.get(r.headers["location"] + "/aankondiging.pdf")
    assert pdf.content.startswith(b"%PDF")


def test_an_empty_fill_in_is_named_at_its_field(client: TestClient) -> None:
    r = post_definition(client, "aankondiging", **{**CONTRACT, "cpv": "", "buyer.email": "geen-adres"})
    assert r.status_code == 400
    errors = field_errors(r.text)
    assert errors == {"buyer.email": "Vul een e-mailadres in zoals inkoop@gemeente.nl."}  # format first
    r = post_definition(client, "aankondiging", **{**CONTRACT, "cpv": ""})
    assert r.status_code == 400
    assert field_errors(r.text) == {"cpv": "Invulveld leeg (BT-262): hoofd-CPV-code van de opdracht (8 cijfers)."}
    assert 'value="Rechtbank Midden-Nederland"' in r.text  # the form is kept


def test_a_cpv_code_the_eu_does_not_know_is_listed_with_its_rule(client: TestClient) -> None:
    r = post_definition(client, "aankondiging", **{**CONTRACT, "cpv": "99999999"})
    assert r.status_code == 303, r.text
    page = client.get(r.headers["location"]).text
    assert "vond 4 fouten" in outcome(page)
    rows = failures(page)
    assert rows[0][:2] == ("BR-BT-00262-0153", "BT-262: Belangrijkste classificatie")
    assert rows[0][2] == "invulveld ‘hoofd-CPV-code van de opdracht (8 cijfers)’"
    assert rows[0][3] == "‘Belangrijkste classificatie’ (BT-262) voldoet niet aan EU-regel BR-BT-00262-0153."


def test_the_contract_notice_of_an_uploaded_definition(client: TestClient, definition: Path) -> None:
    form = {"csrf_token": token(client.get("/aankondiging").text), **CONTRACT}
    r = client.post(
        "/aankondiging",
        data=form,
        files={"aanbesteding": ("mijn-aanbesteding.yaml", definition.read_bytes())},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    assert outcome(client.get(r.headers["location"]).text).startswith("Geldig")
    broken = definition.read_text("utf-8").replace("project_type: wegen", "project_type: kastelen")
    r = client.post("/aankondiging", data=form, files={"aanbesteding": ("mijn-aanbesteding.yaml", broken.encode())})
    assert r.status_code == 400
    assert "De aanbestedingsdefinitie klopt niet" in r.text
    assert re.search(r"mijn-aanbesteding\.yaml, regel \d+: ", r.text)  # located in the user's own file


def test_the_award_notice_from_the_award_result_validates(
    client: TestClient, award_result: tuple[str, str, list[Path]]
) -> None:
    html, rid, _ = award_result
    assert f'href="/aanbesteding/uitslag/{rid}/aankondiging"' in html
    assert post_definition(client, "aankondiging", **CONTRACT).status_code == 303  # this session's contract notice
    form_page = client.get(f"/aanbesteding/uitslag/{rid}/aankondiging").text
    assert 'id="overgenomen"' in form_page  # buyer, review body, CPV, place: not asked again
    for name in ("review_body.name", "cpv", "buyer.email"):
        assert f'id="{name}" name="{name}" type="text" value="{FILL[name]}"' in form_page
    r = client.post(
        f"/aanbesteding/uitslag/{rid}/aankondiging",
        data={"csrf_token": token(form_page), **AWARD, "award.contract_number": ""},
    )
    assert r.status_code == 400
    assert field_errors(r.text) == {"award.contract_number": "Invulveld leeg (BT-150): nummer van de overeenkomst."}
    r = client.post(
        f"/aanbesteding/uitslag/{rid}/aankondiging",
        data={"csrf_token": token(form_page), **AWARD},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    assert outcome(client.get(r.headers["location"]).text).startswith("Geldig")
    xml = client.get(r.headers["location"] + "/aankondiging.xml").content
    assert [f for f in shared_validator(locate(), "29").check(xml) if f.is_error] == []
    tree = etree.fromstring(xml)
    assert tree.findtext(".//efac:NoticeSubType/cbc:SubTypeCode", namespaces=NAMESPACES) == "29"
    names = tree.xpath("//efac:Organization/efac:Company/cac:PartyName/cbc:Name/text()", namespaces=NAMESPACES)
    assert "Delta Infra" in names
    # the winner's price and the number of tenders received (five bids) come from the score
    assert tree.findtext(".//efac:LotTender/cac:LegalMonetaryTotal/cbc:PayableAmount", namespaces=NAMESPACES) == (
        "2350000.00"
    )


def test_below_the_threshold_the_page_says_no_notice_is_needed(client: TestClient) -> None:
    choice = {**CHOICE, "profile": "gmr-voorbeeld-profiel-2"}
    page = client.get("/definitie", params=choice).text
    form = {"csrf_token": token(page), **choice, **OPEN, **CONTRACT, "actie": "aankondiging"}
    form.pop("criteria.herkomst-materiaal.tolerance")  # profile 2 has no origin criterion
    r = client.post("/definitie", data=form)
    assert r.status_code == 200, r.text
    assert "Een Europese aankondiging (eForms) is niet verplicht" in outcome(r.text)


@pytest.fixture(scope="module")
def weighted(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    """The app over a European copy of profile 3 (gewogen factoren) that leaves the price weight open (a fill-in)."""
    d = tmp_path_factory.mktemp("weighted")
    bundled = ROOT / "cgc_rules" / "data" / "profiles"
    profiles = d / "profiles"
    profiles.mkdir()
    for name in ("huisstijl", "amersfoort.yaml"):  # the app's own house style comes from its default profile
        (profiles / name).symlink_to(bundled / name)
    text = (bundled / "gmr-voorbeeld-profiel-3.yaml").read_text("utf-8")
    text = text.replace("procedure: below_threshold_own,", "procedure: european,")
    text = text.replace(
        "price_weight: {label: weging prijs in punten, value: 90,", "price_weight: {label: weging prijs,"
    )
    (profiles / "gmr-voorbeeld-profiel-3.yaml").write_text(text, encoding="utf-8")
    config = Config(database_url=str(d / "store.sqlite"), corridors_dir=d / "corridors", profiles_dir=profiles)
    return TestClient(create_app(config))


def test_weights_in_points_reach_the_notice_as_percentages_that_sum(weighted: TestClient) -> None:
    choice = {**CHOICE, "profile": "gmr-voorbeeld-profiel-3"}
    page = weighted.get("/definitie", params=choice).text
    assert 'name="price.params.weight"' in page  # open in this profile: a field of the form
    values = {
        "title": "Weegweg",
        "fixed.area_m2": "2.000",
        "fixed.lifetime_years": "30",
        "criteria.herkomst-materiaal.tolerance": "1",
        "criteria.herkomst-materiaal.accept_without_knockout": "ja",
        "price.params.weight": "80",  # with the origin criterion's 10 points: 90 points in all
        "price.params.low": "360.000",
        "price.params.high": "480.000",
        "rounding.places": "2",
        "sanction_factor": "1,5",
        "point_value": "1.000",
        "standstill_days": "20",
    }
    form = {"csrf_token": token(page), **choice, **values, **CONTRACT, "actie": "aankondiging"}
    unconfirmed = {k: v for k, v in form.items() if k != "criteria.herkomst-materiaal.accept_without_knockout"}
    r = weighted.post("/definitie", data=unconfirmed)
    assert r.status_code == 400
    assert field_errors(r.text)["criteria.herkomst-materiaal.accept_without_knockout"].startswith("Vink dit aan")
    r = weighted.post("/definitie", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text
    assert outcome(weighted.get(r.headers["location"]).text).startswith("Geldig")  # BR-BT-00539-0200 holds
    xml = etree.fromstring(weighted.get(r.headers["location"] + "/aankondiging.xml").content)
    weights = xml.xpath("//cac:SubordinateAwardingCriterion//efbc:ParameterNumeric/text()", namespaces=NAMESPACES)
    assert weights == ["88.89", "11.11"]  # 80 ÷ 90 and 10 ÷ 90 points, summing to 100 %
