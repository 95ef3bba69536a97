"""eForms notices: the validator reproduces the SDK's official reports; the product's notices pass it.

The schematron is compiled once for this module (tens of seconds: 44,000 asserts); every test shares it.
Under CI=true a missing SDK fails the tests instead of skipping them.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from cgc_rules.errors import CgcError
from cgc_rules.jobs.notice import build_notice, check_notice
from cgc_rules.notice.content import build_content
from cgc_rules.notice.fillins import FillIns
from cgc_rules.notice.sdk import Sdk
from cgc_rules.notice.ubl import build_xml
from cgc_rules.notice.validate import NAMESPACES, Validator
from cgc_rules.profile import all_profiles, load_profile
from cgc_rules.registry import Registry
from cgc_rules.tender import build_tender, dump_tender, load_tender, pinned_rulesets
from cgc_rules.tender.io import LoadedTender
from cgc_rules.tender.model import Tender

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "aanbesteding"
SVRL = "{http://purl.oclc.org/dsdl/svrl}"

# The SDK's example reports were made with the 1.14 rules (their failed asserts still carry the 1.14 test
# texts, e.g. `\d` where 1.15 writes `[0-9]`). SDK 1.15.0's CHANGELOG introduces exactly these rules, which
# the reports therefore cannot show; every other failed assert must match the reports one for one.
NEW_IN_1_15 = {
    "BR-BT-13713-0123": "t-large: tenders from large enterprises specified exactly once",
    "BR-BT-00137-0215": "every lot has exactly one LotResult without a framework agreement or DPS",
    "BR-OPT-00322-0053": "a LotResult refers to one contract without a framework agreement or DPS",
    "BR-BT-01311-0158": "BT-630(d)/BT-1311(d) no longer both mandatory (subtypes E3, 20, 21)",
    "BR-BT-00630-0152": "BT-630(d)/BT-1311(d) no longer both mandatory (subtypes E3, 20, 21)",
}
MANDATORY_ATTRIBUTE = re.compile(r"-Scheme_MA$")  # "rules controlling that mandatory attributes are present"

FILL: dict[str, Any] = {
    "buyer": {
        "company_id": "12345678",
        "city": "Voorbeeld",
        "postal_zone": "1234 AB",
        "nuts": "NL350",
        "email": "inkoop@voorbeeld.nl",
        "telephone": "+31 30 1234567",
    },
    "review_body": {
        "name": "Rechtbank Midden-Nederland",
        "company_id": "00000001",
        "city": "Utrecht",
        "postal_zone": "3511 EV",
        "nuts": "NL350",
    },
    "cpv": "45233000",
    "place_nuts": "NL350",
    "description": "Reconstructie van de Voorbeeldweg.",
    "duration_months": 12,
    "issue_date": "2026-03-02",
    "submission_deadline": "2026-04-14T12:00:00+02:00",
    "documents_url": "https://www.tenderned.nl/aankondigingen/1",
    "submission_url": "https://www.tenderned.nl/aankondigingen/1",
    "electronic_ordering": False,
    "electronic_payment": True,
    "award": {
        "issue_date": "2026-06-01",
        "decision_date": "2026-05-01",
        "contract_date": "2026-05-20",
        "contract_number": "VB-2026-001",
        "subcontracting": False,
        "statistics": {"sme": 2, "large": 3, "other_eea": 0, "non_eea": 0, "electronic": 5},
        "winner": {
            "size": "large",
            "company_id": "87654321",
            "city": "Utrecht",
            "postal_zone": "3500 AA",
            "nuts": "NL350",
        },
    },
}


@pytest.fixture(scope="module")
def validator(sdk: Sdk, tmp_path_factory: pytest.TempPathFactory) -> Validator:
    return Validator(sdk, cache_dir=tmp_path_factory.mktemp("eforms-cache"))


def _reports(sdk: Sdk) -> list[Path]:
    return sorted((sdk.root / "examples" / "reports").glob("*.svrl"))


def _report_ids(path: Path) -> tuple[str, Counter[str]]:
    root = etree.parse(str(path)).getroot()
    return root.get("phase", ""), Counter(f.get("id", "") for f in root.iter(f"{SVRL}failed-assert"))


def test_validator_reproduces_every_official_report(sdk: Sdk, validator: Validator) -> None:
    reports = _reports(sdk)
    names = {p.stem for p in reports}
    assert {"cn_24_minimal", "INVALID_cn_24_stage-2", "can_24_minimal"} <= names  # valid, INVALID_*, cn_24_*
    differences = {}
    for report in reports:
        notice = (sdk.root / "examples" / "notices" / f"{report.stem}.xml").read_bytes()
        phase, official = _report_ids(report)
        assert not validator.schema_failures(etree.ElementTree(etree.fromstring(notice))), report.stem
        ours = Counter(f.rule for f in validator.rule_failures(notice, phase))
        missing = official - ours
        unexplained = {r for r in ours - official if r not in NEW_IN_1_15 and not MANDATORY_ATTRIBUTE.search(r)}
        if missing or unexplained:
            differences[report.stem] = (dict(missing), sorted(unexplained))
    assert differences == {}
    # the phase is the notice's subtype, as the validator picks it by itself
    minimal = (sdk.root / "examples" / "notices" / "INVALID_cn_24_stage-2.xml").read_bytes()
    assert (
        Counter(f.rule for f in validator.check(minimal))
        >= _report_ids(sdk.root / "examples" / "reports" / "INVALID_cn_24_stage-2.svrl")[1]
    )


def test_the_rules_new_in_1_15_are_in_the_sdk_and_in_no_report(sdk: Sdk) -> None:
    rules = "".join(p.read_text("utf-8") for p in (sdk.root / "schematrons" / "static").glob("*.sch"))
    reports = "".join(p.read_text("utf-8") for p in _reports(sdk))
    for rule in NEW_IN_1_15:
        assert f'id="{rule}"' in rules
        assert rule not in reports
    assert re.search(r'id="[^"]+-Scheme_MA"', rules)
    assert "Scheme_MA" not in reports
    assert "[0-9]{4}$" in rules
    assert r"^ORG-\d{4}$" in reports


def _fillins(**changes: Any) -> FillIns:
    data = {**FILL, **changes}
    return FillIns.model_validate(data)


def _errors(notice_xml: bytes, validator: Validator) -> list[str]:
    return [f"{f.rule} {f.field} {f.location}" for f in validator.check(notice_xml) if f.is_error]


def test_example_tender_contract_and_award_notices_validate(validator: Validator) -> None:
    lt = load_tender(EXAMPLE / "tender.yaml")
    contract = check_notice(build_notice("contract", lt, _fillins()), validator)
    assert contract.subtype == "16"
    assert contract.checked
    assert contract.errors == []
    bids = sorted(EXAMPLE.glob("bod-*.yaml"))
    award = check_notice(build_notice("award", lt, _fillins(), bids=bids), validator)
    assert award.subtype == "29"
    assert award.checked
    assert award.errors == []
    assert award.result is not None
    # the example's expected ranking: Epsilon wins at € 2,380,000; five bids; admissible prices 2.35 … 2.40 million
    assert (award.result.winner, award.result.price, award.result.tenders_received) == (
        "Epsilon Wegenbouw",
        Decimal("2380000"),
        5,
    )
    assert (award.result.lowest, award.result.highest) == (Decimal("2350000"), Decimal("2400000"))
    tree = etree.fromstring(award.xml or b"")
    assert tree.findtext(".//efac:Organization[3]/efac:Company/cac:PartyName/cbc:Name", namespaces=NAMESPACES) == (
        "Epsilon Wegenbouw"
    )
    cn = etree.fromstring(contract.xml or b"")
    impacts = cn.xpath(
        "//cac:ProcurementAdditionalType/cbc:ProcurementTypeCode[@listName='environmental-impact']/text()",
        namespaces=NAMESPACES,
    )
    assert impacts == ["circ-econ", "clim-mitig"]  # origin → circular economy; MKI, CO2 ladder → climate
    strategic = cn.xpath("//cbc:ProcurementTypeCode[@listName='strategic-procurement']/text()", namespaces=NAMESPACES)
    assert strategic == ["env-imp"]
    names = cn.xpath("//cac:SubordinateAwardingCriterion/cbc:Name/text()", namespaces=NAMESPACES)
    assert names == ["Prijs", "Milieu- en klimaatimpact (MKI)", "Herkomst materiaal", "CO2-Prestatieladder"]
    formula = cn.findtext(".//cbc:CalculationExpression", namespaces=NAMESPACES) or ""
    assert "fictieve inschrijfsom" in formula
    assert "hoogste kwaliteitswaarde" in formula


def _filled(tender: Tender) -> Tender:
    """The tender with every open parameter given a value (what the officer does before publishing)."""

    def fill(node: Any) -> Any:
        if isinstance(node, dict):
            if "label" in node and node.get("value", 0) is None:
                node = {**node, "value": Decimal(2)}
            return {k: fill(v) for k, v in node.items()}
        if isinstance(node, list):
            return [fill(v) for v in node]
        return node

    data = fill(tender.model_dump())
    data["rounding"]["places"] = 2
    data["fixed"]["calculation_rules"] = "DuboCalc"
    price = data.get("price")
    if price and price["method"] == "range" and price["params"]["high"]["value"] == Decimal(2):
        price["params"]["high"]["value"] = Decimal(3)  # Pmax above Pmin, as the officer must set it
    return Tender.model_validate(data)


EUROPEAN = [p for p in all_profiles() if load_profile(p).profile.tender.procedure == "european"]


def _loaded(tender: Tender, tmp_path: Path) -> LoadedTender:
    path = tmp_path / "tender.yaml"
    path.write_text(dump_tender(tender), encoding="utf-8")
    return load_tender(path)


@pytest.mark.parametrize("profile", EUROPEAN, ids=lambda p: p.stem)
def test_every_european_profile_gives_valid_notices(profile: Path, validator: Validator, tmp_path: Path) -> None:
    lt = _loaded(_filled(build_tender(load_profile(profile), "wegen", date(2026, 3, 2))), tmp_path)
    notice = check_notice(build_notice("contract", lt, _fillins()), validator)
    assert notice.errors == []


def test_weights_that_do_not_sum_are_named_by_the_eu_rule(validator: Validator, tmp_path: Path) -> None:
    profile = load_profile(ROOT / "cgc_rules" / "data" / "profiles" / "gmr-voorbeeld-profiel-3.yaml")
    tender = _filled(build_tender(profile, "wegen", date(2026, 3, 2)))
    content = build_content(tender, pinned_rulesets(_loaded(tender, tmp_path), Registry()), "nl")
    weights = [c.weight for c in content.criteria]
    assert sum(w for w in weights if w is not None) == Decimal(100)  # price 90 points, origin 10 → 90 % + 10 %
    xml = build_xml("16", tender.id, content, _fillins(buyer={**FILL["buyer"], "name": "Gemeente"}), "eforms-sdk-1.15")
    assert _errors(xml, validator) == []
    broken = xml.replace(b"<efbc:ParameterNumeric>90.00<", b"<efbc:ParameterNumeric>80.00<")
    assert broken != xml
    assert any(e.startswith("BR-BT-00539-0200 ") for e in _errors(broken, validator))


def test_missing_cpv_is_refused_by_name_and_by_the_eu_rule(validator: Validator) -> None:
    lt = load_tender(EXAMPLE / "tender.yaml")
    notice = build_notice("contract", lt, _fillins(cpv=None), lang="en")
    with pytest.raises(CgcError) as refused:
        check_notice(notice, validator)
    assert [p.field for p in refused.value.problems] == ["cpv"]
    assert "(BT-262): main CPV code" in str(refused.value)
    # without the product's own check, the EU's rules name it too
    errors = _errors(notice.xml or b"", validator)
    assert any(e.startswith("BR-BT-00262-0022 BT-262-Procedure") for e in errors)
    assert any(e.startswith("BR-BT-00262-0123 BT-262-Lot") for e in errors)


def _as_profile(profile: str, tmp_path: Path) -> LoadedTender:
    return _loaded(load_tender(EXAMPLE / "tender.yaml").tender.model_copy(update={"profile": profile}), tmp_path)


@pytest.mark.parametrize("profile", ["gmr-voorbeeld-profiel-2", "gmr-voorbeeld-profiel-3"])
def test_below_threshold_profiles_need_no_notice(profile: str, tmp_path: Path) -> None:
    notice = build_notice("contract", _as_profile(profile, tmp_path), _fillins())
    assert (notice.subtype, notice.xml) == (None, None)
    assert notice.procedure.startswith("below_threshold")


def _example_for(profile: str, tmp_path: Path) -> tuple[LoadedTender, list[Path]]:
    """The example tender and its bids, the tender moved to another profile (the bids name its new hash)."""
    folder = tmp_path / "aanbesteding"
    shutil.copytree(EXAMPLE, folder)
    tender = folder / "tender.yaml"
    old = hashlib.sha256(tender.read_bytes()).hexdigest()
    tender.write_text(
        tender.read_text("utf-8").replace("profile: gmr-voorbeeld-profiel-1", f"profile: {profile}"), encoding="utf-8"
    )
    new = hashlib.sha256(tender.read_bytes()).hexdigest()
    bids = sorted(folder.glob("bod-*.yaml"))
    for bid in bids:
        bid.write_text(bid.read_text("utf-8").replace(old, new), encoding="utf-8")
    return load_tender(tender), bids


def test_voluntary_notices_below_the_threshold_validate(validator: Validator, tmp_path: Path) -> None:
    bundled = ROOT / "cgc_rules" / "data" / "profiles"
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    (profiles / "huisstijl").symlink_to(bundled / "huisstijl")
    text = (bundled / "gmr-voorbeeld-profiel-2.yaml").read_text("utf-8")
    (profiles / "gmr-voorbeeld-profiel-2.yaml").write_text(
        text.replace("procedure: below_threshold_arw,", "procedure: below_threshold_arw, voluntary_notice: true,"),
        encoding="utf-8",
    )
    lt, bids = _example_for("gmr-voorbeeld-profiel-2", tmp_path)
    contract = build_notice("contract", lt, _fillins(), profiles=profiles)
    award = build_notice("award", lt, _fillins(), bids=bids, profiles=profiles)
    assert (contract.subtype, award.subtype) == ("E3", "E4")
    for notice in (contract, award):
        assert check_notice(notice, validator).errors == []
        tree = etree.fromstring(notice.xml or b"")
        assert tree.findtext("cbc:RegulatoryDomain", namespaces=NAMESPACES) == "other"
        legal = tree.findtext(
            ".//cac:ProcurementLegislationDocumentReference/cbc:DocumentDescription", namespaces=NAMESPACES
        )
        assert "ARW 2016" in (legal or "")


def test_profile_without_procedure_asks_for_it(tmp_path: Path) -> None:
    lt = _as_profile("amersfoort", tmp_path)
    with pytest.raises(CgcError, match="tender.procedure"):
        build_notice("contract", lt, FillIns())
    assert build_notice("contract", lt, FillIns(procedure="european")).subtype == "16"
