"""The document kinds: one record each, read by the generator, the templates, the pack and its index.

Adding a document kind is one entry in `KINDS` plus its template under `data/templates/`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..errors import CgcError

Audience = Literal["published", "internal"]


@dataclass(frozen=True)
class DocumentKind:
    """One kind of generated document.

    `id` is what the CLI and pack definitions name; `template` is relative to the templates
    directory; `stem` starts every file name (`<stem>_<profile>_<type>.<suffix>`); `label` is the
    catalogue key of the kind's name on the pack index; `pack_folder` is its top folder in a pack;
    `audience` says whether it goes to bidders (`published`) or stays with the municipality (`internal`);
    `source` says what it is made from: a profile (`cgc generate`) or scored bids (`cgc score`);
    `contract_form` limits the kind to profiles with that contract form; `needs_criteria` skips it for a
    project type without award criteria, `needs_rules` for one where no rule of the profile applies.
    """

    id: str
    template: str
    stem: str
    label: str
    pack_folder: str
    audience: Audience
    source: Literal["profile", "award"] = "profile"  # award kinds are written by `cgc score` from scored bids
    contract_form: str | None = None
    needs_criteria: bool = False
    needs_rules: bool = True  # False: generated even when no rule applies to the project type (agreements)
    per_type: bool = True  # False: the text is the same for every project type (agreements)


class NotGenerated(CgcError):
    """A document kind with nothing to say for this profile and project type; the message says why."""


KINDS: tuple[DocumentKind, ...] = (
    DocumentKind(
        "leidraad",
        "tender/leidraad.xml.j2",
        "aanbestedingsleidraad-circulariteit",
        "documents.kind.leidraad",
        "documents",
        "published",
    ),
    DocumentKind(
        "tender",
        "tender/bestek.xml.j2",
        "bestektekst-circulariteit",
        "documents.kind.tender",
        "documents",
        "published",
        contract_form="uav2012",
    ),
    DocumentKind(
        "vraagspecificatie",
        "tender/vraagspecificatie.xml.j2",
        "vraagspecificatie-circulariteit",
        "documents.kind.vraagspecificatie",
        "documents",
        "published",
        contract_form="uav-gc",
    ),
    DocumentKind(
        "emvi",
        "tender/emvi.xml.j2",
        "gunningscriteria-circulariteit",
        "documents.kind.emvi",
        "documents",
        "published",
        needs_criteria=True,
    ),
    DocumentKind(
        "checklist",
        "tender/checklist.xml.j2",
        "checklist-beoordeling",
        "documents.kind.checklist",
        "checklists",
        "internal",
    ),
    DocumentKind(
        "verantwoording",
        "tender/verantwoording.xml.j2",
        "verantwoording",
        "documents.kind.verantwoording",
        "checklists",
        "internal",
    ),
    DocumentKind(
        "agreement",
        "agreements/samenwerkingsovereenkomst.xml.j2",
        "samenwerkingsovereenkomst",
        "documents.kind.agreement",
        "documents",
        "published",
        per_type=False,
        needs_rules=False,
    ),
    DocumentKind(
        "intent",
        "agreements/intentieverklaring.xml.j2",
        "intentieverklaring",
        "documents.kind.intent",
        "documents",
        "published",
        per_type=False,
        needs_rules=False,
    ),
    DocumentKind(
        "advice", "award/gunningsadvies.xml.j2", "gunningsadvies", "award.kind.advice", "advice", "internal", "award"
    ),
    DocumentKind(
        "decision",
        "award/gunningsbeslissing.xml.j2",
        "gunningsbeslissing",
        "award.kind.decision",
        "letters",
        "published",
        "award",
    ),
)
KIND_IDS: tuple[str, ...] = tuple(k.id for k in KINDS if k.source == "profile")  # generated from a profile
_BY_ID = {k.id: k for k in KINDS}


def kind(kind_id: str) -> DocumentKind:
    """The kind named `kind_id`; an unknown name is bad input."""
    try:
        return _BY_ID[kind_id]
    except KeyError:
        raise CgcError(f"unknown document kind {kind_id!r} (use one of {', '.join(KIND_IDS)})") from None
