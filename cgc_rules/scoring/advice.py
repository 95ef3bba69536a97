"""The award advice (gunningsadvies, internal) and the letters to bidders (gunningsbeslissing,
published) as documents of the shared model, rendered by the same DOCX, HTML and PDF renderers.

Both read the award record in Dutch (`report.record`), so the advice, the letters, the table and
the JSON carry the same numbers.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from ..documents import markup, templates
from ..documents.kinds import kind as document_kind
from ..documents.model import Block, Document, Meta, Paragraph, Table, Text
from ..documents.printable import Printable
from ..documents.printable import docx as _docx
from ..documents.printable import html as _html
from ..documents.printable import pdf as _pdf
from ..documents.terms import fill
from ..explain import project_type_name
from ..profile import LoadedProfile, load_profile, profile_path
from .report import AwardReport, record

LANG = "nl"  # documents are Dutch


@lru_cache(maxsize=8)
def _profile(profile_id: str) -> LoadedProfile:
    return load_profile(profile_path(profile_id))


def _front(data: dict[str, Any]) -> list[Block]:
    """Tender, client and date; versions, files and hashes stay in the advice's annex."""
    t, s = data["tender"], data["standstill"]
    rows = [
        ["Aanbesteding", t["title"]],
        ["Kenmerk", t["id"]],
        ["Opdrachtgever", t["municipality"]],
        ["Datum", s["sent_text"]],
    ]
    front: list[Block] = []
    if t["example"]:
        front.append(Paragraph([Text("Voorbeeld: gemaakt met een voorbeeldprofiel; geen echte aanbesteding.", True)]))
    front.append(
        Table(
            "Gegevens",
            [Paragraph([Text("Onderdeel")]), Paragraph([Text("Waarde")])],
            [[Paragraph([Text(a)]), Paragraph([Text(b)])] for a, b in rows],
            (1, 3),
        )
    )
    return front


def build(kind: str, report: AwardReport, bidder: dict[str, Any] | None = None) -> tuple[Document, LoadedProfile]:
    """The advice (`kind="advice"`) or one bidder's letter (`kind="decision"`) as a document."""
    a = report.award
    data = record(a, LANG, report.sent)
    winner = next((b for b in data["bids"] if b["bidder"] == data["winner"]), None)
    text = templates.render(kind, {"a": data, "b": bidder, "w": winner, "fill": fill})
    title, sections, fills, examples = markup.read(text, f"templates/{document_kind(kind).template}", ())
    t = a.tender.tender
    lp = _profile(t.profile)
    meta = Meta(
        doc_id=f"CGC-{kind.upper()}-{t.id}",
        title=title,
        subtitle=t.title + (f" — {bidder['bidder']}" if bidder else ""),
        municipality=t.municipality,
        profile_id=t.profile,
        profile_name=lp.profile.name,
        project_type=project_type_name(t.project_type.value, LANG),
        rulesets=tuple(r["ref"] for r in data["rulesets"]),
        date=report.sent.isoformat(),
        example_profile=t.example,
        date_text=data["standstill"]["sent_text"],
    )
    return Document(meta, _front(data), sections, fills, examples), lp


def _printable(report: AwardReport) -> Printable:
    return Printable(*build("advice", report))


def docx(report: AwardReport) -> bytes:
    return _docx(_printable(report))


def html(report: AwardReport) -> bytes:
    return _html(_printable(report))


def pdf(report: AwardReport) -> bytes:
    return _pdf(_printable(report))


def slug(name: str, fallback: str) -> str:
    """`name` as a file-name part: lower case, letters and digits, runs of anything else as one `-`."""
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-") or fallback


def reference(report: AwardReport) -> str:
    """The tender's reference (kenmerk) as a file-name part."""
    return slug(report.award.tender.tender.id, "aanbesteding")


def advice_name(report: AwardReport, suffix: str) -> str:
    """The advice's download name, from the tender's reference: `gunningsadvies_<kenmerk><suffix>`."""
    return f"{document_kind('advice').stem}_{reference(report)}{suffix}"


def letters(report: AwardReport) -> list[tuple[str, bytes]]:
    """One DOCX letter per scored or excluded bidder: (`gunningsbeslissing_<kenmerk>_<bidder>.docx`, bytes)."""
    out = []
    ref = reference(report)
    for b in record(report.award, LANG, report.sent)["bids"]:
        name = f"{document_kind('decision').stem}_{ref}_{slug(b['bidder'], 'inschrijver')}.docx"
        out.append((name, _docx(Printable(*build("decision", report, b)))))
    return out
