"""The eForms UBL XML of a contract notice (subtype 16) and a contract award notice (subtype 29).

Only what the tender, the profile, the award and the fill-ins give is written; an open fill-in
leaves its element out (validation names it before the schematron would).
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from lxml import etree

from .content import Content
from .fillins import FillIns, Organisation, Statistics
from .validate import NAMESPACES

LANGUAGE = {"nl": "NLD", "en": "ENG"}
AWARD = frozenset({"29", "E4"})
"""Award notice subtypes; the others written here (16, E3) are contract notices."""
_ROOT_NS = {False: NAMESPACES["cn"], True: NAMESPACES["can"]}
_ROOT = {False: "ContractNotice", True: "ContractAwardNotice"}
_NOTICE_TYPE = {False: ("competition", "cn-standard"), True: ("result", "can-standard")}
BUYER, REVIEW, WINNER = "ORG-0001", "ORG-0002", "ORG-0003"
LOT = "LOT-0000"
_AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@dataclass(frozen=True)
class Party:
    """An organisation as written: its id in the notice and its fill-ins (name filled in from the profile)."""

    id: str
    org: Organisation


@dataclass(frozen=True)
class Result:
    """The award notice's result: the winner and the numbers of the scoring."""

    winner: str
    reference: str  # BT-3201: the winning tender's identifier
    price: Decimal
    tenders_received: int
    lowest: Decimal
    highest: Decimal


class _Writer:
    def __init__(self, language: str):
        self.language = language

    def el(self, parent: etree._Element, tag: str, text: Any = None, **attrs: str) -> etree._Element:
        prefix, _, local = tag.partition(":")
        node = etree.SubElement(parent, f"{{{NAMESPACES[prefix]}}}{local}", attrs)
        if text is not None:
            node.text = str(text)
        return node

    def text(self, parent: etree._Element, tag: str, text: str) -> etree._Element:
        return self.el(parent, tag, text, languageID=self.language)

    def path(self, parent: etree._Element, *tags: str) -> etree._Element:
        for tag in tags:
            parent = self.el(parent, tag)
        return parent

    def extension(self, parent: etree._Element) -> etree._Element:
        return self.path(
            parent, "ext:UBLExtensions", "ext:UBLExtension", "ext:ExtensionContent", "efext:EformsExtension"
        )


def notice_ids(tender_id: str, subtype: str, issued: date | None) -> tuple[str, str]:
    """(notice id, procedure id): the procedure id is one per tender, the notice id one per notice and day."""
    folder = _uuid(f"cgc-rules:tender:{tender_id}")
    notice = _uuid(f"cgc-rules:notice:{tender_id}:{subtype}:{issued.isoformat() if issued else ''}")
    return notice, folder


def _uuid(seed: str) -> str:
    """A UUID in the version-4 form eForms asks for (BT-701, BT-04), derived from `seed` so rebuilding is stable."""
    return str(uuid.UUID(bytes=hashlib.sha256(seed.encode()).digest()[:16], version=4))


def build_xml(
    subtype: str,
    tender_id: str,
    content: Content,
    fillins: FillIns,
    customization: str,
    result: Result | None = None,
    legal_basis: str | None = None,
) -> bytes:
    """The notice's XML bytes (UTF-8, declaration included); `legal_basis` (BT-01(d)) for the voluntary subtypes."""
    w = _Writer(LANGUAGE[content.lang])
    award = subtype in AWARD
    nsmap: dict[str | None, str] = {None: _ROOT_NS[award], **_PREFIXES}
    root = etree.Element(f"{{{_ROOT_NS[award]}}}{_ROOT[award]}", nsmap=nsmap)
    eforms = w.extension(root)
    if award and result is not None:
        _notice_result(w, eforms, fillins, result)
    w.el(w.el(eforms, "efac:NoticeSubType"), "cbc:SubTypeCode", subtype, listName="notice-subtype")
    organisations = w.el(eforms, "efac:Organizations")
    parties = [Party(BUYER, fillins.buyer), Party(REVIEW, fillins.review_body)]
    if award:
        parties.append(Party(WINNER, fillins.award.winner))
    for party in parties:
        _organisation(w, organisations, party, winner=party.id == WINNER)
    w.el(root, "cbc:UBLVersionID", "2.3")
    w.el(root, "cbc:CustomizationID", customization)
    issued = fillins.award.issue_date if award else fillins.issue_date
    notice_id, folder_id = notice_ids(tender_id, subtype, issued)
    w.el(root, "cbc:ID", notice_id, schemeName="notice-id")
    w.el(root, "cbc:ContractFolderID", folder_id)
    if issued:
        start = _day_start(issued)  # a date without a time: the start of that day, Dutch time (as the SDK's examples)
        w.el(root, "cbc:IssueDate", _date(start))
        w.el(root, "cbc:IssueTime", _time(start))
    w.el(root, "cbc:VersionID", "01")
    w.el(root, "cbc:RegulatoryDomain", "other" if subtype.startswith("E") else "32014L0024")
    list_name, code = _NOTICE_TYPE[award]
    w.el(root, "cbc:NoticeTypeCode", code, listName=list_name)
    w.el(root, "cbc:NoticeLanguageCode", w.language)
    party = w.el(root, "cac:ContractingParty")
    w.el(w.el(party, "cac:ContractingPartyType"), "cbc:PartyTypeCode", "la", listName="buyer-legal-type")
    w.el(w.el(party, "cac:ContractingActivity"), "cbc:ActivityTypeCode", "gen-pub", listName="authority-activity")
    _party_ref(w, w.el(party, "cac:Party"), BUYER)
    voluntary = subtype.startswith("E")
    if voluntary or not award:
        terms = w.el(root, "cac:TenderingTerms")
    if voluntary:
        legislation = w.el(terms, "cac:ProcurementLegislationDocumentReference")
        w.el(legislation, "cbc:ID", "LocalLegalBasis")
        w.text(legislation, "cbc:DocumentDescription", legal_basis or "")
    if not award:
        requirement = w.path(terms, "cac:TendererQualificationRequest", "cac:SpecificTendererRequirement")
        w.el(
            requirement,
            "cbc:TendererRequirementTypeCode",
            "epo-procurement-document",
            listName="exclusion-grounds-source",
        )
    process = w.el(root, "cac:TenderingProcess")
    w.el(process, "cbc:ProcedureCode", "open", listName="procurement-procedure-type")
    if not award:
        justification = w.el(process, "cac:ProcessJustification")
        w.el(justification, "cbc:ProcessReasonCode", "false", listName="accelerated-procedure")
    _project(w, w.el(root, "cac:ProcurementProject"), content, fillins, lot=False)
    _lot(w, root, award, voluntary, content, fillins)
    if award and fillins.award.decision_date:
        w.el(w.el(root, "cac:TenderResult"), "cbc:AwardDate", _date(_day_start(fillins.award.decision_date)))
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


_PREFIXES: dict[str | None, str] = {p: NAMESPACES[p] for p in ("cac", "cbc", "ext", "efac", "efext", "efbc")}


def _party_ref(w: _Writer, parent: etree._Element, org_id: str) -> None:
    w.el(w.el(parent, "cac:PartyIdentification"), "cbc:ID", org_id, schemeName="organization")


def _organisation(w: _Writer, parent: etree._Element, party: Party, *, winner: bool) -> None:
    org = party.org
    organisation = w.el(parent, "efac:Organization")
    if winner:
        w.el(organisation, "efbc:NaturalPersonIndicator", "false")
    company = w.el(organisation, "efac:Company")
    if org.size:
        w.el(company, "efbc:CompanySizeCode", org.size, listName="economic-operator-size")
    if org.url:
        w.el(company, "cbc:WebsiteURI", org.url)
    _party_ref(w, company, party.id)
    if org.name:
        w.text(w.el(company, "cac:PartyName"), "cbc:Name", org.name)
    address = w.el(company, "cac:PostalAddress")
    if org.street:
        w.el(address, "cbc:StreetName", org.street)
    if org.city:
        w.el(address, "cbc:CityName", org.city)
    if org.postal_zone:
        w.el(address, "cbc:PostalZone", org.postal_zone)
    if org.nuts:
        w.el(address, "cbc:CountrySubentityCode", org.nuts, listName="nuts")
    w.el(w.el(address, "cac:Country"), "cbc:IdentificationCode", "NLD", listName="country")
    if org.company_id:
        w.el(w.el(company, "cac:PartyLegalEntity"), "cbc:CompanyID", org.company_id)
    if org.telephone or org.email:
        contact = w.el(company, "cac:Contact")
        if org.telephone:
            w.el(contact, "cbc:Telephone", org.telephone)
        if org.email:
            w.el(contact, "cbc:ElectronicMail", org.email)


def _project(w: _Writer, project: etree._Element, content: Content, fillins: FillIns, *, lot: bool) -> None:
    if lot:
        w.el(project, "cbc:ID", "1", schemeName="InternalID")
    w.text(project, "cbc:Name", content.title)
    if fillins.description:
        w.text(project, "cbc:Description", fillins.description)
    w.el(project, "cbc:ProcurementTypeCode", "works", listName="contract-nature")
    if lot:
        strategic = w.el(project, "cac:ProcurementAdditionalType")
        w.el(strategic, "cbc:ProcurementTypeCode", "env-imp", listName="strategic-procurement")
        w.text(strategic, "cbc:ProcurementType", content.strategic)
        for code in content.impacts:
            w.el(
                w.el(project, "cac:ProcurementAdditionalType"),
                "cbc:ProcurementTypeCode",
                code,
                listName="environmental-impact",
            )
        gpp = w.el(project, "cac:ProcurementAdditionalType")
        w.el(gpp, "cbc:ProcurementTypeCode", "other", listName="gpp-criteria")
    if fillins.estimated_value is not None:
        total = w.el(project, "cac:RequestedTenderTotal")
        w.el(total, "cbc:EstimatedOverallContractAmount", f"{fillins.estimated_value:.2f}", currencyID="EUR")
    if fillins.cpv:
        w.el(
            w.el(project, "cac:MainCommodityClassification"), "cbc:ItemClassificationCode", fillins.cpv, listName="cpv"
        )
    if fillins.place_nuts:
        address = w.path(project, "cac:RealizedLocation", "cac:Address")
        w.el(address, "cbc:CountrySubentityCode", fillins.place_nuts, listName="nuts")
        w.el(w.el(address, "cac:Country"), "cbc:IdentificationCode", "NLD", listName="country")
    if lot and fillins.duration_months:
        w.el(w.el(project, "cac:PlannedPeriod"), "cbc:DurationMeasure", fillins.duration_months, unitCode="MONTH")


def _lot(w: _Writer, root: etree._Element, award: bool, voluntary: bool, content: Content, fillins: FillIns) -> None:
    lot = w.el(root, "cac:ProcurementProjectLot")
    w.el(lot, "cbc:ID", LOT, schemeName="Lot")
    terms = w.el(lot, "cac:TenderingTerms")
    if not award:
        w.el(terms, "cbc:VariantConstraintCode", "not-allowed", listName="permission")
    w.el(terms, "cbc:FundingProgramCode", "no-eu-funds", listName="eu-funded")
    if not award and fillins.documents_url:
        reference = w.el(terms, "cac:CallForTendersDocumentReference")
        w.el(reference, "cbc:ID", "1")
        w.el(reference, "cbc:DocumentType", "non-restricted-document")
        w.el(w.path(reference, "cac:Attachment", "cac:ExternalReference"), "cbc:URI", fillins.documents_url)
    if not award:
        for list_name, code in (
            ("reserved-procurement", "none"),
            ("selection-criteria-source", "epo-procurement-document"),
        ):
            requirement = w.path(terms, "cac:TendererQualificationRequest", "cac:SpecificTendererRequirement")
            w.el(requirement, "cbc:TendererRequirementTypeCode", code, listName=list_name)
        w.el(
            w.el(terms, "cac:ContractExecutionRequirement"),
            "cbc:ExecutionRequirementCode",
            "no",
            listName="reserved-execution",
        )
        conditions = w.el(terms, "cac:ContractExecutionRequirement")
        w.el(conditions, "cbc:ExecutionRequirementCode", "performance", listName="conditions")
        w.text(conditions, "cbc:Description", content.performance)
        w.el(
            w.el(terms, "cac:ContractExecutionRequirement"),
            "cbc:ExecutionRequirementCode",
            "allowed",
            listName="einvoicing",
        )
        # the tender takes a bid form and a submission file, never an electronic catalogue (BT-764)
        catalogue = w.el(terms, "cac:ContractExecutionRequirement")
        w.el(catalogue, "cbc:ExecutionRequirementCode", "not-allowed", listName="ecatalog-submission")
    _awarding_terms(w, terms, content)
    if not award:
        recipient = w.el(terms, "cac:TenderRecipientParty")
        if fillins.submission_url:
            w.el(recipient, "cbc:EndpointID", fillins.submission_url)
        _party_ref(w, recipient, BUYER)
        w.el(w.el(terms, "cac:TenderValidityPeriod"), "cbc:DurationMeasure", "90", unitCode="DAY")
    appeal = w.el(terms, "cac:AppealTerms")
    if fillins.review_deadlines:
        w.text(w.el(appeal, "cac:PresentationPeriod"), "cbc:Description", fillins.review_deadlines)
    _party_ref(w, w.el(appeal, "cac:AppealInformationParty"), REVIEW)
    _party_ref(w, w.el(appeal, "cac:AppealReceiverParty"), REVIEW)
    if not award:
        w.el(w.el(terms, "cac:Language"), "cbc:ID", w.language)
        if fillins.electronic_ordering is not None and fillins.electronic_payment is not None:
            post = w.el(terms, "cac:PostAwardProcess")
            w.el(post, "cbc:ElectronicOrderUsageIndicator", str(fillins.electronic_ordering).lower())
            w.el(post, "cbc:ElectronicPaymentUsageIndicator", str(fillins.electronic_payment).lower())
    process = w.el(lot, "cac:TenderingProcess")
    if not award:
        w.el(process, "cbc:SubmissionMethodCode", "required", listName="esubmission")
    if not voluntary:  # the GPA (BT-115) applies above the threshold only
        w.el(process, "cbc:GovernmentAgreementConstraintIndicator", "true")
    if not award and fillins.submission_deadline:
        period = w.el(process, "cac:TenderSubmissionDeadlinePeriod")
        w.el(period, "cbc:EndDate", _date(fillins.submission_deadline))
        w.el(period, "cbc:EndTime", _time(fillins.submission_deadline))
    w.el(w.el(process, "cac:AuctionTerms"), "cbc:AuctionConstraintIndicator", "false")
    for list_name in ("framework-agreement", "dps-usage"):
        w.el(w.el(process, "cac:ContractingSystem"), "cbc:ContractingSystemTypeCode", "none", listName=list_name)
    _project(w, w.el(lot, "cac:ProcurementProject"), content, fillins, lot=True)


def _awarding_terms(w: _Writer, terms: etree._Element, content: Content) -> None:
    criterion = w.path(terms, "cac:AwardingTerms", "cac:AwardingCriterion")
    if content.formula:
        w.text(criterion, "cbc:CalculationExpression", content.formula)
    for item in content.criteria:
        sub = w.el(criterion, "cac:SubordinateAwardingCriterion")
        if item.weight is not None:
            parameter = w.el(w.extension(sub), "efac:AwardCriterionParameter")
            w.el(parameter, "efbc:ParameterCode", "per-exa", listName="number-weight")
            w.el(parameter, "efbc:ParameterNumeric", f"{item.weight:f}")
        w.el(sub, "cbc:AwardingCriterionTypeCode", item.kind, listName="award-criterion-type")
        w.text(sub, "cbc:Name", item.name)
        w.text(sub, "cbc:Description", item.description)


def _notice_result(w: _Writer, eforms: etree._Element, fillins: FillIns, result: Result) -> None:
    award = fillins.award
    notice = w.el(eforms, "efac:NoticeResult")
    w.el(notice, "cbc:TotalAmount", f"{result.price:.2f}", currencyID="EUR")
    lot_result = w.el(notice, "efac:LotResult")
    w.el(lot_result, "cbc:ID", "RES-0001", schemeName="result")
    w.el(lot_result, "cbc:HigherTenderAmount", f"{result.highest:.2f}", currencyID="EUR")
    w.el(lot_result, "cbc:LowerTenderAmount", f"{result.lowest:.2f}", currencyID="EUR")
    w.el(lot_result, "cbc:TenderResultCode", "selec-w", listName="winner-selection-status")
    w.el(w.el(lot_result, "efac:LotTender"), "cbc:ID", "TEN-0001", schemeName="tender")
    statistics = w.el(lot_result, "efac:ReceivedSubmissionsStatistics")
    w.el(statistics, "efbc:StatisticsCode", "tenders", listName="received-submission-type")
    w.el(statistics, "efbc:StatisticsNumeric", result.tenders_received)
    for code, count in _STATISTICS(award.statistics):
        if count is not None:
            entry = w.el(lot_result, "efac:ReceivedSubmissionsStatistics")
            w.el(entry, "efbc:StatisticsCode", code, listName="received-submission-type")
            w.el(entry, "efbc:StatisticsNumeric", count)
    w.el(w.el(lot_result, "efac:SettledContract"), "cbc:ID", "CON-0001", schemeName="contract")
    w.el(w.el(lot_result, "efac:TenderLot"), "cbc:ID", LOT, schemeName="Lot")
    tender = w.el(notice, "efac:LotTender")
    w.el(tender, "cbc:ID", "TEN-0001", schemeName="tender")
    w.el(tender, "cbc:RankCode", "1")
    w.el(tender, "efbc:TenderRankedIndicator", "true")
    w.el(w.el(tender, "cac:LegalMonetaryTotal"), "cbc:PayableAmount", f"{result.price:.2f}", currencyID="EUR")
    if award.subcontracting is not None:
        term = w.el(tender, "efac:SubcontractingTerm")
        w.el(term, "efbc:TermCode", "yes" if award.subcontracting else "no", listName="applicability")
    w.el(w.el(tender, "efac:TenderingParty"), "cbc:ID", "TPA-0001", schemeName="tendering-party")
    w.el(w.el(tender, "efac:TenderLot"), "cbc:ID", LOT, schemeName="Lot")
    w.el(w.el(tender, "efac:TenderReference"), "cbc:ID", result.reference)
    contract = w.el(notice, "efac:SettledContract")
    w.el(contract, "cbc:ID", "CON-0001", schemeName="contract")
    if award.contract_date:
        w.el(contract, "cbc:IssueDate", _date(_day_start(award.contract_date)))
    if award.contract_number:
        w.el(w.el(contract, "efac:ContractReference"), "cbc:ID", award.contract_number)
    w.el(w.el(contract, "efac:LotTender"), "cbc:ID", "TEN-0001", schemeName="tender")
    party = w.el(notice, "efac:TenderingParty")
    w.el(party, "cbc:ID", "TPA-0001", schemeName="tendering-party")
    tenderer = w.el(party, "efac:Tenderer")
    w.el(tenderer, "cbc:ID", WINNER, schemeName="organization")


def _STATISTICS(s: Statistics) -> list[tuple[str, int | None]]:
    return [
        ("t-sme", s.sme),
        ("t-large", s.large),
        ("t-oth-eea", s.other_eea),
        ("t-no-eea", s.non_eea),
        ("t-esubm", s.electronic),
    ]


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=_AMSTERDAM)


def _date(moment: datetime) -> str:
    return _dutch(moment).date().isoformat() + _offset(moment)


def _time(moment: datetime) -> str:
    return _dutch(moment).strftime("%H:%M:%S") + _offset(moment)


def _offset(moment: datetime) -> str:
    offset = _dutch(moment).strftime("%z")
    return f"{offset[:3]}:{offset[3:]}"


def _dutch(moment: datetime) -> datetime:
    """A moment without a UTC offset is Dutch time."""
    return moment if moment.tzinfo else moment.replace(tzinfo=_AMSTERDAM)
