"""Tender-definition jobs of the web: the open values of a drafted tender as named fields, the tender completed
from them, and its eForms notices (contract, award) built and checked as `cgc notice` does.

Values arrive as the officer typed them (Dutch notation: `0,17`, `12.000`); each refusal is a message keyed
by the field's name, never an exception. The EU check compiles its schematron once per notice subtype and
process (`shared_validator`): the first check takes a while, the next ones a fraction of a second.
"""

from __future__ import annotations

import re
import tempfile
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path, PurePath
from typing import Any, Literal, get_args
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from ..errors import CgcError, Problem
from ..i18n import Messages, Msg, has, text
from ..notice.feeds import feeds
from ..notice.fillins import REQUIRED, FillIns, Organisation
from ..notice.sdk import Sdk
from ..notice.validate import Validator
from ..profile import LoadedProfile
from ..registry import Registry
from ..tender import LoadedTender, Tender, build_tender, dump_tender, load_tender
from ..tender.model import MAX_VALUE, MKI_METHODS, STANDSTILL_DAYS, Criterion, Method, Param
from .notice import Kind, Notice, build_notice, check_notice, readable

LANG = "nl"
Errors = dict[str, Msg]
ValueKind = Literal["number", "positive", "integer", "text", "choice", "confirm"]


def _choices(annotation: Any) -> tuple[str, ...]:
    """The values of an optional Literal field (`Literal[...] | None`)."""
    return tuple(get_args(get_args(annotation)[0]))


TIE_BREAKS = _choices(Tender.model_fields["tie_break"].annotation)
BASES = _choices(Criterion.model_fields["basis"].annotation)
PLACES = (0, 6)  # RoundingRule.places
STANDSTILL = (STANDSTILL_DAYS, 366)  # Tender.standstill_days


@dataclass(frozen=True)
class OpenValue:
    """One value of the tender definition the officer fills in: `name` is the form field and the error's key."""

    name: str
    label: str
    group: str
    kind: ValueKind
    unit: str = ""
    value: str = ""
    choices: tuple[tuple[str, str], ...] = ()


def draft(lp: LoadedProfile, project_type: str, day: date, registry: Registry) -> Tender:
    """The tender definition `cgc tender init` makes for this profile, project type and tender date."""
    return build_tender(lp, project_type, day, registry)


def _first_up(label: str) -> str:
    return label[:1].upper() + label[1:]


def _unit(unit: str) -> str:
    return text(LANG, f"web.tender.unit.{unit}")


def _param(name: str, param: Param | None, group: str, kind: ValueKind = "number") -> list[OpenValue]:
    if param is None or param.value is not None:
        return []
    return [OpenValue(name, _first_up(param.label), group, kind, _unit(param.unit))]


def open_values(tender: Tender) -> list[OpenValue]:
    """Every value `tender` leaves open (what scoring and the delivery check refuse empty), then the choices that
    have a default (title, tie-break, standstill period), in the order of the file."""
    say = Messages(LANG)
    work = say("web.tender.group.work")
    out = [OpenValue("title", say("web.tender.field.title"), work, "text", value=tender.title)]
    out += _param("fixed.area_m2", tender.fixed.area_m2, work, "positive")
    out += _param("fixed.lifetime_years", tender.fixed.lifetime_years, work, "positive")
    if tender.fixed.calculation_rules is None and any(c.method in MKI_METHODS for c in tender.criteria):
        out.append(OpenValue("fixed.calculation_rules", say("web.tender.field.calculation_rules"), work, "text"))
    knockouts = {k.rule for k in tender.knockouts}
    for c in tender.criteria:
        group = say("web.tender.group.criterion", id=c.id)
        for pname, param in c.params.items():
            out += _param(f"criteria.{c.id}.params.{pname}", param, group)
        out += _param(f"criteria.{c.id}.tolerance", c.tolerance, group)
        if c.method is Method.emission_free_share and c.basis is None:
            bases = tuple((b, say(f"web.tender.basis.{b}")) for b in BASES)
            out.append(
                OpenValue(f"criteria.{c.id}.basis", say("web.tender.field.basis"), group, "choice", choices=bases)
            )
        if c.rule is not None and c.rule not in knockouts and c.accept_without_knockout is not True:
            label = say("web.tender.field.accept_without_knockout", id=c.id, rule=c.rule)
            out.append(OpenValue(f"criteria.{c.id}.accept_without_knockout", label, group, "confirm"))
    if tender.price is not None:
        for pname, param in tender.price.params.items():
            out += _param(f"price.params.{pname}", param, say("web.tender.group.price"))
    award = say("web.tender.group.award")
    if tender.rounding.places is None:
        out.append(OpenValue("rounding.places", say("web.tender.field.rounding_places"), award, "integer"))
    out += _param("sanction_factor", tender.sanction_factor, award)
    out += _param("point_value", tender.point_value, award)
    ties = (("", say("web.tender.tie.open")), *((t, say(f"web.tender.tie.{t}")) for t in TIE_BREAKS))
    out.append(
        OpenValue(
            "tie_break", say("web.tender.field.tie_break"), award, "choice", value=tender.tie_break or "", choices=ties
        )
    )
    out.append(
        OpenValue(
            "standstill_days",
            say("web.tender.field.standstill_days"),
            award,
            "integer",
            _unit("days"),
            str(tender.standstill_days),
        )
    )
    return out


_PLAIN = re.compile(r"^-?\d+(,\d+)?$")
_GROUPED = re.compile(r"^-?[1-9]\d{0,2}(\.\d{3})+(,\d+)?$")


def dutch_number(typed: str) -> Decimal | None:
    """`12.000` → 12000, `0,17` → 0.17 (the Dutch notation); None for anything else (`0.17` is refused: ambiguous)."""
    typed = typed.strip().replace("\u00a0", "").replace(" ", "")
    if not (_PLAIN.match(typed) or _GROUPED.match(typed)):
        return None
    try:
        return Decimal(typed.replace(".", "").replace(",", "."))
    except InvalidOperation:
        return None


def _value(ov: OpenValue, typed: str) -> tuple[object, Msg | None]:
    """The typed value as the tender holds it, or why not."""
    if ov.kind == "confirm":
        return (True, None) if typed == "ja" else (None, Msg("web.tender.confirm"))
    if ov.kind == "choice":
        allowed = {v for v, _ in ov.choices}
        return (typed or None, None) if typed in allowed else (None, Msg("web.form.choice"))
    if not typed.strip():
        return None, Msg("web.form.required")
    if ov.kind == "text":
        return typed.strip(), None
    number = dutch_number(typed)
    if ov.kind == "integer":
        least, most = STANDSTILL if ov.name == "standstill_days" else PLACES
        if number is None or number != number.to_integral_value() or not least <= number <= most:
            return None, Msg("web.tender.integer", {"min": least, "max": most})
        return int(number), None
    if number is None or abs(number) > MAX_VALUE:
        return None, Msg("web.tender.number")
    if ov.kind == "positive" and number <= 0:
        return None, Msg("web.tender.positive")
    return number, None


def complete(tender: Tender, typed: Mapping[str, str]) -> tuple[Tender | None, Errors]:
    """`tender` with its open values filled in from `typed` (by field name), or the refusals by field name."""
    data: dict[str, Any] = tender.model_dump()
    errors: Errors = {}
    by_id = {c["id"]: c for c in data["criteria"]}
    for ov in open_values(tender):
        value, refused = _value(ov, typed.get(ov.name, ""))
        if refused is not None:
            errors[ov.name] = refused
            continue
        parts = ov.name.split(".")
        node: Any = by_id[parts[1]] if parts[0] == "criteria" else data
        path = parts[2:] if parts[0] == "criteria" else parts
        for part in path[:-1]:
            node = node[part]
        if isinstance(node.get(path[-1]), dict) and "label" in node[path[-1]]:
            node[path[-1]]["value"] = value  # a parameter: its value, label and unit stay
        else:
            node[path[-1]] = value
    if errors:
        return None, errors
    try:
        return Tender.model_validate(data), {}
    except ValidationError:  # a check across values (the model's own): shown above the form
        return None, {"": Msg("web.tender.invalid")}


def definition(tender: Tender) -> str:
    """The tender definition as `aanbesteding.yaml` (what the award page and `cgc score` read)."""
    return dump_tender(tender)


def loaded(data: bytes, shown: str) -> LoadedTender:
    """A tender definition from bytes (an upload, or a definition made here); errors name the file as `shown`."""
    with tempfile.TemporaryDirectory(prefix="cgc-tender-") as tmp:
        path = Path(tmp) / "aanbesteding.yaml"
        path.write_bytes(data)
        try:
            return load_tender(path, LANG)
        except CgcError as exc:
            raise CgcError([_renamed(p, str(path), shown) for p in exc.problems]) from None


def _renamed(problem: Problem, path: str, shown: str) -> Problem:
    file = shown if problem.file == path else problem.file
    return Problem(problem.message, file, problem.line, problem.column, problem.field)


# ---- the notice's fill-ins: what only the officer knows ------------------------------------------------------

_COMMON: tuple[tuple[str, str], ...] = (
    ("buyer.name", "text"),
    ("buyer.company_id", "text"),
    ("buyer.city", "text"),
    ("buyer.postal_zone", "text"),
    ("buyer.nuts", "nuts"),
    ("buyer.email", "email"),
    ("buyer.telephone", "telephone"),
    ("review_body.name", "text"),
    ("review_body.company_id", "text"),
    ("review_body.city", "text"),
    ("review_body.postal_zone", "text"),
    ("review_body.nuts", "nuts"),
    ("cpv", "cpv"),
    ("place_nuts", "nuts"),
    ("description", "text"),
)
SHARED_FIELDS = frozenset(name for name, _ in _COMMON)  # what a contract notice and its award notice share


def shared_values(typed: Mapping[str, str]) -> dict[str, str]:
    """The typed fill-ins a contract notice and its award notice share (buyer, review body, CPV, place,
    description), to offer again on the award notice's form."""
    return {name: value for name, value in typed.items() if name in SHARED_FIELDS and value}


NOTICE_FIELDS: dict[Kind, tuple[tuple[str, str], ...]] = {
    "contract": (
        ("procedure", "procedure"),
        *_COMMON,
        ("duration_months", "months"),
        ("estimated_value", "amount"),
        ("issue_date", "date"),
        ("submission_deadline", "datetime"),
        ("documents_url", "url"),
        ("submission_url", "url"),
        ("review_deadlines", "text"),
        ("electronic_ordering", "yesno"),
        ("electronic_payment", "yesno"),
    ),
    "award": (
        ("procedure", "procedure"),
        *_COMMON,
        ("award.issue_date", "date"),
        ("award.decision_date", "date"),
        ("award.contract_date", "date"),
        ("award.contract_number", "text"),
        ("award.subcontracting", "yesno"),
        *((f"award.statistics.{k}", "count") for k in ("sme", "large", "other_eea", "non_eea", "electronic")),
        ("award.winner.company_id", "text"),
        ("award.winner.city", "text"),
        ("award.winner.postal_zone", "text"),
        ("award.winner.nuts", "nuts"),
        ("award.winner.size", "size"),
    ),
}
"""The notice's form fields per kind, as (fill-in name, kind of value), in the order of the form."""
PROCEDURES = _choices(FillIns.model_fields["procedure"].annotation)
SIZES = _choices(Organisation.model_fields["size"].annotation)
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@dataclass(frozen=True)
class FillField:
    """One fill-in as a form field: its name, Dutch label, kind of value and the term the EU's rules need it for."""

    name: str
    label: str
    kind: str
    term: str  # the business term the EU's rules demand it for ('' when optional)
    choices: tuple[tuple[str, str], ...] = ()


def fill_label(name: str) -> str:
    """The fill-in's Dutch label (the notice catalogue's, else the web's)."""
    key = f"notice.fillin.{name}"
    return text(LANG, key) if has(LANG, key) else text(LANG, f"web.notice.label.{name}")


def notice_fields(kind: Kind, procedure_open: bool = True) -> list[FillField]:
    """The fill-ins of a `kind` notice as form fields (the procedure only when the profile leaves it open)."""
    needed = REQUIRED[{"contract": "16", "award": "29"}[kind]]
    out = []
    for name, what in NOTICE_FIELDS[kind]:
        if name == "procedure" and not procedure_open:
            continue
        choices: tuple[tuple[str, str], ...] = ()
        if what == "procedure":
            choices = (("", text(LANG, "web.notice.procedure.profile")),)
            choices += tuple((p, text(LANG, f"web.procedure.{p}")) for p in PROCEDURES)
        elif what == "size":
            choices = (("", text(LANG, "web.notice.size.open")),)
            choices += tuple((s, text(LANG, f"web.notice.size.{s}")) for s in SIZES)
        out.append(FillField(name, _first_up(fill_label(name)), what, needed.get(name, ""), choices))
    return out


def _fill_value(what: str, typed: str) -> tuple[object, bool]:
    """(the typed fill-in as the model holds it, whether it could be read); empty is None (open, allowed)."""
    typed = typed.strip()
    if not typed:
        return None, True
    try:
        if what == "date":
            return date.fromisoformat(typed), True
        if what == "datetime":
            moment = datetime.fromisoformat(typed)
            return (moment if moment.tzinfo else moment.replace(tzinfo=AMSTERDAM)), True
        if what in {"months", "count"}:
            return int(typed), True
    except ValueError:
        return None, False
    if what == "amount":
        number = dutch_number(typed)
        return number, number is not None
    if what == "yesno":
        return {"ja": True, "nee": False}.get(typed), typed in {"ja", "nee"}
    return typed, True


def fillins(kind: Kind, typed: Mapping[str, str]) -> tuple[FillIns | None, Errors]:
    """The notice's fill-ins from the form (empty ones stay open: the check names them), or refusals by name."""
    data: dict[str, Any] = {}
    errors: Errors = {}
    for name, what in NOTICE_FIELDS[kind]:
        value, ok = _fill_value(what, typed.get(name, ""))
        if not ok:
            errors[name] = Msg(f"web.notice.format.{what}")
            continue
        if value is None:
            continue
        node = data
        *parents, last = name.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
    if errors:
        return None, errors
    try:
        return FillIns.model_validate(data), {}
    except ValidationError as exc:
        kinds = dict(NOTICE_FIELDS[kind])
        for e in exc.errors():
            name = ".".join(str(p) for p in e["loc"])
            errors.setdefault(name, Msg(f"web.notice.format.{kinds.get(name, 'text')}"))
        return None, errors


# ---- the notices, checked ------------------------------------------------------------------------------------

_validators: dict[tuple[Path, str], Validator] = {}
_lock = threading.Lock()


def shared_validator(sdk: Sdk, subtype: str) -> Validator:
    """The EU check of one notice subtype, compiled once per process (the first use takes seconds)."""
    with _lock:
        key = (sdk.root, subtype)
        if key not in _validators:
            _validators[key] = Validator(sdk, phases=[f"eforms-{subtype}"])
        return _validators[key]


@dataclass(frozen=True)
class FailureRow:
    """One failed EU rule as the page lists it."""

    rule: str
    term: str
    label: str
    source: str
    message: str
    error: bool


@dataclass(frozen=True)
class NoticeFiles:
    """A built and checked notice, kept for its result page: files, outcome, and what the page lists."""

    kind: Kind
    tender_id: str
    municipality: str
    subtype: str | None
    statement: str | None = None
    xml: bytes | None = None
    html: str | None = None
    rows: list[FailureRow] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for r in self.rows if r.error)


def _rows(notice: Notice) -> list[FailureRow]:
    labels = notice.sdk.labels("field", LANG)
    terms = notice.sdk.labels("business-term", LANG)
    needed = REQUIRED.get(notice.subtype or "", {})
    out = []
    for f in notice.failures:
        label = labels.get(f"field|name|{f.field}") or terms.get(f"business-term|name|{f.term}") or f.field
        names = [name for name, bt in needed.items() if bt == f.term]
        if names:
            source = ", ".join(text(LANG, "web.notice.source.fillin", label=fill_label(n)) for n in names)
        else:
            fed = feeds(f.term, notice.subtype).removeprefix("tender.yaml: ")
            source = text(LANG, "web.notice.source.tender", path=fed) if fed else text(LANG, "web.notice.source.none")
        message = text(LANG, "web.notice.failure", label=label, field=f.field, rule=f.rule)
        out.append(FailureRow(f.rule, f.field, label, source, message, f.is_error))
    return out


def _checked(notice: Notice) -> NoticeFiles:
    """The notice checked (open fill-ins refused by name, then the EU's schema and rules) and its files."""
    t = notice.tender.tender
    if notice.xml is None or notice.subtype is None:
        statement = text(LANG, f"notice.not_required.{notice.procedure}")
        return NoticeFiles(notice.kind, t.id, t.municipality, None, statement)
    validator = shared_validator(notice.sdk, notice.subtype)
    with _lock:  # one check at a time through a compiled stylesheet
        check_notice(notice, validator)
    files = readable(notice, pdf=False)
    html = files[".html"].decode("utf-8")
    return NoticeFiles(notice.kind, t.id, t.municipality, notice.subtype, None, notice.xml, html, _rows(notice))


def contract_notice(
    lt: LoadedTender, fills: FillIns, registry: Registry, profiles: Path | None, fill_file: str = ""
) -> NoticeFiles:
    """The contract notice of tender `lt`, checked. Open fill-ins raise `CgcError`, each problem naming its field."""
    notice = build_notice("contract", lt, fills, lang=LANG, registry=registry, profiles=profiles, fill_file=fill_file)
    return _checked(notice)


def award_notice(
    tender: tuple[str, bytes],
    bids: Sequence[tuple[str, bytes]],
    attachments: Sequence[tuple[str, bytes]],
    fills: FillIns,
    registry: Registry,
    profiles: Path | None,
    fill_file: str = "",
) -> NoticeFiles:
    """The contract award notice (subtype 29) of an award scored from these uploads, checked.

    The files are written as the award page writes them (`aanbesteding.<ext>`, `bod-NN.<ext>`, attachments
    by their checked bare names), so the bids score as they did there.
    """
    from .score import attachment_name

    with tempfile.TemporaryDirectory(prefix="cgc-award-notice-") as tmp:
        d = Path(tmp)
        path = d / f"aanbesteding{PurePath(tender[0]).suffix.lower()}"
        path.write_bytes(tender[1])
        paths = []
        for i, (name, data) in enumerate(bids, 1):
            paths.append(d / f"bod-{i:02d}{PurePath(name).suffix.lower()}")
            paths[-1].write_bytes(data)
        for name, data in attachments:
            if (base := attachment_name(name)) is not None:
                (d / base).write_bytes(data)
        notice = build_notice(
            "award",
            load_tender(path, LANG),
            fills,
            lang=LANG,
            bids=paths,
            registry=registry,
            profiles=profiles,
            fill_file=fill_file,
        )
        return _checked(notice)


def pdf_of(files: NoticeFiles) -> bytes:
    """The readable notice as PDF (WeasyPrint, as the CLI's `--pdf`)."""
    from ..notice.render import to_pdf

    return to_pdf(files.html or "")
