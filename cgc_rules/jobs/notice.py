"""Notice jobs: the eForms contract notice from the tender definition, the award notice after scoring, the check.

Each returns a result object and never prints; `cgc notice` presents them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..errors import CgcError, Problem
from ..i18n import text
from ..notice.content import Content, build_content
from ..notice.fillins import FillIns, open_fillins
from ..notice.sdk import Sdk, locate
from ..notice.ubl import Result, build_xml
from ..notice.validate import Failure, Validator
from ..profile import LoadedProfile, load_profile, profile_path
from ..registry import Registry
from ..tender import LoadedTender, pinned_rulesets

SUBTYPES = {"contract": "16", "award": "29"}
VOLUNTARY = {"contract": "E3", "award": "E4"}
"""The notice subtypes: the European procedure's (required) and the voluntary ones below the threshold."""

Kind = Literal["contract", "award"]


@dataclass
class Notice:
    """One built notice, or the statement that the procedure needs none (`subtype` None)."""

    kind: Kind
    lang: str
    procedure: str
    subtype: str | None
    tender: LoadedTender
    profile: LoadedProfile
    fillins: FillIns
    sdk: Sdk
    fill_file: str = "--fill"
    content: Content | None = None
    xml: bytes | None = None
    result: Result | None = None
    failures: list[Failure] = field(default_factory=list)
    checked: bool = False

    @property
    def open(self) -> list[tuple[str, str]]:
        """Mandatory fill-ins left empty, as (name, business term)."""
        return open_fillins(self.fillins, self.subtype) if self.subtype else []

    @property
    def errors(self) -> list[Failure]:
        return [f for f in self.failures if f.is_error]


def build_notice(
    kind: Kind,
    lt: LoadedTender,
    fillins: FillIns,
    *,
    lang: str = "nl",
    bids: list[Path] | None = None,
    sdk: str | Path | None = None,
    registry: Registry | None = None,
    profiles: Path | None = None,
    fill_file: str | None = None,
) -> Notice:
    """The contract notice (`contract`) or, from the scored `bids`, the award notice (`award`) of tender `lt`."""
    registry = registry or Registry()
    lp = load_profile(profile_path(lt.tender.profile, profiles))
    procedure = lp.profile.tender.procedure or fillins.procedure
    if procedure is None:
        raise CgcError(
            Problem(text(lang, "notice.no_procedure", profile=lp.profile.id), str(lp.path), field="tender.procedure")
        )
    if procedure == "european":
        subtype: str | None = SUBTYPES[kind]
    else:
        subtype = VOLUNTARY[kind] if lp.profile.tender.voluntary_notice else None
    notice = Notice(kind, lang, procedure, subtype, lt, lp, fillins, locate(sdk), fill_file or "--fill")
    if subtype is None:
        return notice
    notice.content = build_content(lt.tender, pinned_rulesets(lt, registry), lang)
    if kind == "award":
        notice.result = _result(lt, bids or [], registry, lang)
    notice.fillins = _known(fillins, lp.profile.contact.organisation, notice.result)
    legal = None
    if subtype in VOLUNTARY.values():
        legal = text(lang, f"notice.legal.{procedure}", policy=lp.profile.tender.own_policy or "")
    notice.xml = build_xml(
        subtype, lt.tender.id, notice.content, notice.fillins, notice.sdk.customization, notice.result, legal
    )
    return notice


def _known(fillins: FillIns, buyer: str, result: Result | None) -> FillIns:
    """The fill-ins with what the product knows put in where the officer left them empty: the buyer's and winner's names."""
    update: dict[str, object] = {}
    if fillins.buyer.name is None:
        update["buyer"] = fillins.buyer.model_copy(update={"name": buyer})
    if result is not None and fillins.award.winner.name is None:
        winner = fillins.award.winner.model_copy(update={"name": result.winner})
        update["award"] = fillins.award.model_copy(update={"winner": winner})
    return fillins.model_copy(update=update)


def _result(lt: LoadedTender, bids: list[Path], registry: Registry, lang: str) -> Result:
    from ..scoring.score import score_bids

    if not bids:
        raise CgcError(text(lang, "notice.no_bids"))
    award = score_bids(lt, bids, registry)
    if award.bad:
        raise CgcError([p for bad in award.bad for p in bad.problems])
    winner = award.winner
    if winner is None:
        raise CgcError(text(lang, "notice.no_winner"))
    ranked = [r.bid.price for r in award.results if not r.excluded]
    return Result(
        winner=winner.bid.bidder,
        reference=Path(winner.bid.path).stem,
        price=winner.bid.price,
        tenders_received=len(award.results),
        lowest=min(ranked),
        highest=max(ranked),
    )


def check_notice(notice: Notice, validator: Validator | None = None) -> Notice:
    """Refuse open fill-ins and open tender parameters by name, then run the XSD and the EU's schematron."""
    if notice.xml is None or notice.subtype is None or notice.content is None:
        return notice
    lang = notice.lang
    problems = [
        Problem(
            text(lang, "notice.fillin_open", term=term, label=text(lang, f"notice.fillin.{name}")),
            notice.fill_file,
            field=name,
        )
        for name, term in notice.open
    ]
    problems += [
        Problem(text(lang, "notice.param_open", param=param), notice.tender.doc.path)
        for param in notice.content.open_params
    ]
    if problems:
        raise CgcError(problems)
    validator = validator or Validator(notice.sdk, phases=[f"eforms-{notice.subtype}"])
    notice.failures = validator.check(notice.xml)
    notice.checked = True
    return notice


def check_file(path: Path, sdk: str | Path | None = None) -> list[Failure]:
    """The EU check of a notice file written elsewhere (or edited by hand), in its own subtype's phase."""
    from lxml import etree

    from ..notice.validate import subtype_of

    data = path.read_bytes()
    try:
        tree = etree.ElementTree(etree.fromstring(data))
    except etree.XMLSyntaxError as exc:
        raise CgcError(Problem(f"not well-formed XML: {exc}", str(path))) from None
    validator = Validator(locate(sdk), phases=[f"eforms-{subtype_of(tree)}"])
    return validator.check(data)


def from_files(kind: Kind, tender: Path, fill: Path | None, **options: Any) -> Notice:
    """The notice of the tender definition in `tender`, with the officer's fill-ins file `fill` (None: all open)."""
    from ..notice.fillins import load_fillins
    from ..tender import load_tender

    return build_notice(kind, load_tender(tender), load_fillins(fill), fill_file=str(fill) if fill else None, **options)


def readable(notice: Notice, pdf: bool) -> dict[str, bytes]:
    """The notice's files by suffix: the XML, its readable Dutch rendering as HTML and, when asked, as PDF."""
    from ..notice.render import to_html, to_pdf

    if notice.xml is None:
        return {}
    html = to_html(notice)
    files = {".xml": notice.xml, ".html": html.encode("utf-8")}
    if pdf:
        files[".pdf"] = to_pdf(html)
    return files


def failure_lines(failures: list[Failure], subtype: str | None) -> list[tuple[bool, str]]:
    """Each failed rule as (is an error, its line): rule id, business term, the product's field feeding it, place."""
    from ..notice.feeds import feeds

    lines = []
    for failure in failures:
        source = feeds(failure.term, subtype) if subtype else ""
        fed = f" ← {source}" if source else ""
        lines.append(
            (failure.is_error, f"{failure.role.lower()}: {failure.rule} {failure.field}{fed} at {failure.location}")
        )
    return lines
