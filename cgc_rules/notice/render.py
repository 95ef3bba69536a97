"""The notice as the officer reads it before sending: HTML (and PDF through WeasyPrint), in the notice's language.

Field labels and code names come from the SDK's own translations (`business-term`, `code`, `notice`),
section titles from `notice.po`; an empty mandatory fill-in shows as a marked row.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from ..i18n import Messages
from ..numbers import notation
from .feeds import feeds
from .fillins import Organisation

if TYPE_CHECKING:
    from ..jobs.notice import Notice


@dataclass(frozen=True)
class Row:
    label: str
    term: str
    value: str
    open: bool = False


@dataclass(frozen=True)
class Section:
    title: str
    rows: list[Row]


def to_html(notice: Notice) -> str:
    """The readable rendering of `notice` (or of the statement that none is required)."""
    say = Messages(notice.lang)
    n = notation(notice.lang)
    terms = notice.sdk.labels("business-term", notice.lang)
    codes = notice.sdk.labels("code", notice.lang)
    names = notice.sdk.labels("notice", notice.lang)
    open_names = {name for name, _ in notice.open}

    def term(bt: str) -> str:
        return terms.get(f"business-term|name|{bt}", bt)

    def code(listname: str, value: str) -> str:
        return codes.get(f"code|name|{listname}.{value}", value)

    def row(bt: str, value: Any, fillin: str | None = None) -> Row:
        if fillin in open_names:
            return Row(term(bt), bt, say("notice.open", label=say(f"notice.fillin.{fillin}")), open=True)
        return Row(term(bt), bt, "" if value is None else str(value))

    f = notice.fillins
    heading = (
        names.get(f"notice|name|{notice.subtype}", notice.subtype or "") if notice.subtype else say("notice.html.none")
    )
    sections: list[Section] = []
    if notice.subtype is None:
        statement: str | None = say(f"notice.not_required.{notice.procedure}")
    elif notice.subtype.startswith("E"):
        statement = say(f"notice.not_required.{notice.procedure}") + " " + say("notice.voluntary")
    else:
        statement = None
    if notice.subtype and notice.content is not None:
        c = notice.content
        sections.append(Section(say("notice.html.buyer"), _party(row, "buyer", f.buyer)))
        project = [
            row("BT-21", c.title),
            row("BT-24", f.description, "description"),
            row("BT-23", code("contract-nature", "works")),
            row("BT-105", code("procurement-procedure-type", "open")),
            row("BT-262", f.cpv, "cpv"),
            row("BT-5071", f.place_nuts, "place_nuts"),
        ]
        if notice.kind == "contract":
            project.append(row("BT-36", f.duration_months, "duration_months"))
        if f.estimated_value is not None:
            project.append(row("BT-27", n.eur(float(f.estimated_value), 2, 2)))
        sections.append(Section(say("notice.html.project"), project))
        strategic = [
            row("BT-06", code("strategic-procurement", "env-imp")),
            row("BT-777", c.strategic),
            row("BT-774", "; ".join(code("environmental-impact", i) for i in c.impacts)),
            row("BT-805", code("gpp-criteria", "other")),
        ]
        sections.append(Section(say("notice.html.strategic"), strategic))
        sections.append(
            Section(say("notice.html.knockouts"), [Row(str(i + 1), "", k) for i, k in enumerate(c.knockouts)])
        )
        if notice.kind == "contract":
            terms_rows = [
                row("BT-70", c.performance),
                row(
                    "BT-131",
                    f.submission_deadline.isoformat() if f.submission_deadline else None,
                    "submission_deadline",
                ),
                row("BT-15", f.documents_url, "documents_url"),
                row("BT-18", f.submission_url, "submission_url"),
                row("BT-05", n.date(f.issue_date) if f.issue_date else None, "issue_date"),
            ]
            sections.append(Section(say("notice.html.terms"), terms_rows))
        sections.append(Section(say("notice.html.review"), _party(row, "review_body", f.review_body)))
        if notice.result is not None:
            r, a = notice.result, f.award
            result_rows = [
                row("BT-500", a.winner.name),
                row("BT-720", n.eur(float(r.price), 2, 2)),
                row("BT-759", r.tenders_received),
                row("BT-710", n.eur(float(r.lowest), 2, 2)),
                row("BT-711", n.eur(float(r.highest), 2, 2)),
                row("BT-1451", n.date(a.decision_date) if a.decision_date else None, "award.decision_date"),
                row("BT-145", n.date(a.contract_date) if a.contract_date else None, "award.contract_date"),
                row("BT-150", a.contract_number, "award.contract_number"),
            ]
            sections.append(Section(say("notice.html.result"), result_rows))
            sections.append(Section(say("notice.html.winner"), _party(row, "award.winner", a.winner)))
    failures = [
        {"rule": x.rule, "term": x.field, "feeds": feeds(x.term, notice.subtype), "location": x.location}
        for x in notice.failures
    ]
    if notice.checked:
        check_text = say("notice.html.valid", version=notice.sdk.version)
    else:
        check_text = say("notice.html.unchecked")
    context = {
        "lang": notice.lang,
        "heading": heading,
        "intro": say("notice.html.intro", tender=notice.tender.tender.id, profile=notice.profile.profile.name),
        "statement": statement,
        "sections": sections,
        "criteria": [
            {
                "name": x.name,
                "kind": code("award-criterion-type", x.kind),
                "description": x.description,
                "weight": "" if x.weight is None else n.pct(float(x.weight), 0, 2),
            }
            for x in (notice.content.criteria if notice.content else [])
        ],
        "criteria_title": say("notice.html.criteria"),
        "criteria_head": [say("notice.html.criterion"), say("notice.html.description"), say("notice.html.weight")],
        "formula": notice.content.formula if notice.content else None,
        "check_title": say("notice.html.check"),
        "failures": failures,
        "checked": notice.checked,
        "check_text": check_text,
        "primary": notice.profile.profile.house_style.primary,
    }
    return _env().get_template("notice.html.j2").render(**context)


def _party(row: Any, prefix: str, org: Organisation) -> list[Row]:
    fields = (
        ("BT-500", "name"),
        ("BT-501", "company_id"),
        ("BT-513", "city"),
        ("BT-512", "postal_zone"),
        ("BT-507", "nuts"),
        ("BT-506", "email"),
        ("BT-503", "telephone"),
    )
    return [row(bt, getattr(org, name), f"{prefix}.{name}") for bt, name in fields]


def _env() -> SandboxedEnvironment:
    return SandboxedEnvironment(
        loader=FileSystemLoader(str(Path(__file__).parent)), autoescape=True, undefined=StrictUndefined
    )


def to_pdf(html: str) -> bytes:
    """The HTML through WeasyPrint (in-process), PDF/A-3b as the other documents."""
    from weasyprint import HTML

    return bytes(HTML(string=html).write_pdf(pdf_variant="pdf/a-3b", uncompressed_pdf=False))
