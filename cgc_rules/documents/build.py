"""From profile, project type and rulesets to one `Document`: template, front page and annex."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from ..corridor.tenderlink import CorridorLink
from ..errors import CgcError, Problem, display_path
from ..numbers import notation
from ..profile import LoadedProfile
from ..registry import Registry
from ..submission import Project
from ..tender import build_tender
from ..tender.model import Tender
from . import markup, templates
from .context import Selected, build_context, select_rulesets
from .corridor_schedule import corridor_view
from .kinds import KINDS, NotGenerated
from .kinds import kind as document_kind
from .model import Block, Clause, Document, Fill, Meta, Paragraph, Section, Table, Text
from .seb import seb_table
from .wording import say

N = notation("nl")
# clauses without a rule whose basis is a public source
SOURCED = frozenset({"sanctie", "vrijkomend", "corridor_aanbod", "corridor_vrijgave"})


def _P(text: str, strong: bool = False) -> Paragraph:
    return Paragraph([Text(text, strong)])


def document_id(
    kind: str,
    lp: LoadedProfile,
    project_type: str,
    selected: Selected,
    project: Project | None,
    corridor: CorridorLink | None = None,
) -> str:
    """A short hash of profile (with house style), template and ruleset versions, type, project and corridor."""
    digest = hashlib.sha256()
    parts = [
        kind,
        lp.sha256,
        templates.template_hash(kind),
        project_type,
        *(f"{lr.ruleset.ref}:{lr.sha256}" for lr, _, _ in selected),
        json.dumps(project.model_dump(mode="json"), sort_keys=True) if project else "",
    ]
    if corridor:
        parts.append(f"{corridor.corridor}:{corridor.version}:{corridor.as_of.isoformat()}")
    for part in parts:
        digest.update(part.encode("utf-8") + b"\0")
    return f"CGC-{kind.upper()}-{digest.hexdigest()[:12]}"


def _verantwoording(sections: list[Section], selected: Selected) -> Section:
    rules = {f"{lr.ruleset.id}/{r.id}": (lr.ruleset, r) for lr, _, _ in selected for r in lr.ruleset.rules}
    rows: list[list[Paragraph]] = []
    for clause in (b for s in sections for b in s.blocks if isinstance(b, Clause)):
        if not clause.rules:
            basis = (
                say(f"documents.annex.source.{clause.label}")
                if clause.label in SOURCED
                else say("documents.annex.local_choice")
            )
            rows.append([_P(clause.number), _P("—"), _P("—"), _P(basis)])
        for key in clause.rules:
            rs, rule = rules[key]
            source = rs.sources[rule.source]
            cited = (
                say("documents.annex.secondary_source", citation=source.citation())
                if source.secondary
                else source.citation()
            )
            rows.append([_P(clause.number), _P(rule.id), _P(rs.ref), _P(cited)])
    versions = [
        [_P(lr.ruleset.ref), _P(lr.ruleset.title), _P(lr.ruleset.period()), _P(lr.sha256[:16])] for lr, _, _ in selected
    ]
    a = "documents.annex."
    return Section(
        "A",
        say(a + "title"),
        [
            _P(say(a + "intro")),
            Table(say(a + "rules_caption"), _heads(a, "article", "rule", "ruleset", "source"), rows, (1, 2, 2, 5)),
            Table(
                say(a + "rulesets_caption"),
                _heads(a, "ruleset", "title_column", "valid", "sha256"),
                versions,
                (2, 4, 3, 2),
            ),
        ],
        annex=True,
    )


def _heads(prefix: str, *keys: str) -> list[Paragraph]:
    return [_P(say(prefix + key)) for key in keys]


def _to_confirm(lp: LoadedProfile, selected: Selected) -> list[tuple[str, str]]:
    """Local choices the documents rest on that the municipality still has to confirm: (what, choice)."""
    out: list[tuple[str, str]] = []
    t = lp.profile.tender
    if not t.confirmed:
        out.append(
            (
                say("documents.front.confirm_contract_form"),
                say(f"documents.contract_form.{t.contract_form}") + (f" ({t.note})" if t.note else ""),
            )
        )
    for lr, applied, _ in selected:
        if applied.basis is not None and applied.basis.kind == "local_choice":
            out.append((say("documents.front.confirm_basis", title=lr.ruleset.title), applied.basis.text))
    return out


def _front(
    meta: Meta,
    project: Project | None,
    fills: list[tuple[str, str]],
    examples: list[tuple[str, str, str]],
    selected: Selected,
    confirm: list[tuple[str, str]],
    internal: bool,
) -> list[Block]:
    f = "documents.front."
    rows = [[say(f + ("client" if meta.project_type else "municipality")), meta.municipality]]  # agreements: a party
    if internal:
        rows.append([say(f + "profile"), f"{meta.profile_name} ({meta.profile_id})"])
    if meta.project_type:
        rows.append([say(f + "project_type"), meta.project_type])
    if project:
        rows.append([say(f + "project"), f"{project.name} ({project.id})" if internal else project.name])
    if internal:
        versions = (say(f + "ruleset_valid", ref=lr.ruleset.ref, period=lr.ruleset.period()) for lr, _, _ in selected)
        rows += [[say(f + "rulesets"), "; ".join(versions)], [say(f + "document_id"), meta.doc_id]]
    else:
        rows.append([say(f + "date"), meta.date_text])
    front: list[Block] = []
    if meta.example_profile:
        front.append(_P(say(f + "example_profile"), True))
    front.append(Table(say(f + "data_caption"), _heads(f, "item", "value"), [[_P(a), _P(b)] for a, b in rows], (1, 3)))
    if internal:  # a published document's worksheet is in the Verantwoording
        front += _worksheet(confirm, fills, examples)
    return front


def _worksheet(
    confirm: list[tuple[str, str]], fills: list[tuple[str, str]], examples: list[tuple[str, str, str]]
) -> list[Block]:
    """The officer's worksheet: local choices to confirm, fill-in fields, example values."""
    f = "documents.front."
    front: list[Block] = []
    if confirm:
        front.append(_P(say(f + "confirm_intro")))
        front.append(
            Table(
                say(f + "confirm_caption"),
                _heads(f, "confirm_what", "confirm_choice"),
                [[_P(a), _P(b)] for a, b in confirm],
                (2, 5),
            )
        )
    if fills:
        front.append(_P(say(f + "fills_intro")))
        front.append(
            Table(
                say(f + "fills_caption"),
                _heads(f, "number", "to_fill", "first_in"),
                [[_P(str(i)), Paragraph([Fill(label)]), _P(where)] for i, (label, where) in enumerate(fills, start=1)],
                (1, 7, 2),
            )
        )
    else:
        front.append(_P(say(f + "no_fills")))
    if examples:
        seen: set[str] = set()
        rows_ex: list[list[Paragraph]] = []
        for label, value, where in examples:
            if label not in seen:
                seen.add(label)
                rows_ex.append([_P(label), _P(value), _P(where)])
        front.append(_P(say(f + "examples_intro")))
        front.append(
            Table(say(f + "examples_caption"), _heads(f, "value_for", "example", "first_in"), rows_ex, (4, 4, 2))
        )
    return front


def applies(kind: str, lp: LoadedProfile, context: dict[str, Any]) -> None:
    """Raise `NotGenerated` when the kind has nothing to say for this profile and project type."""
    k = document_kind(kind)
    form = lp.profile.tender.contract_form
    if k.contract_form and k.contract_form != form:
        raise NotGenerated(
            Problem(
                say("documents.skip.contract_form", kind=say(k.label), form=say(f"documents.contract_form.{form}")),
                display_path(lp.path),
            )
        )
    if k.needs_rules and not context["rules"]:
        raise NotGenerated(
            Problem(
                say("documents.skip.no_rules", kind=say(k.label), type=context["project"]["type_label"]),
                display_path(lp.path),
            )
        )
    if k.needs_criteria and not context["criteria"]:
        raise NotGenerated(
            Problem(
                say("documents.skip.no_criteria", kind=say(k.label), type=context["project"]["type_label"]),
                display_path(lp.path),
            )
        )


def _accounts(
    lp: LoadedProfile,
    project_type: str,
    registry: Registry,
    as_of: date,
    project: Project | None,
    pinned: dict[str, str] | None,
    selected: Selected,
    first: int,
    corridor: CorridorLink | None = None,
) -> list[Section]:
    """The Verantwoording: per published document of the set, its clauses with rule, ruleset and source.

    Its chapters are numbered on from `first`, after the template's own.
    """
    out: list[Section] = []
    for k in KINDS:
        if k.audience != "published" or k.source != "profile":
            continue
        try:
            doc = build_document(k.id, lp, project_type, registry, as_of, project, pinned, corridor=corridor)
        except NotGenerated:
            continue
        rules = _verantwoording(doc.sections, selected).blocks[1]
        assert isinstance(rules, Table)
        caption = say("documents.annex.rules_caption_for", title=doc.meta.title)
        blocks: list[Block] = [Table(caption, rules.header, rules.rows, rules.widths)]
        blocks += _worksheet([], doc.fills, doc.examples)
        out.append(Section(str(first + len(out)), doc.meta.title, blocks))
    annex = _verantwoording([], selected)
    out.append(Section(str(first + len(out)), say("documents.annex.rulesets_caption"), annex.blocks[2:]))
    return out


def build_document(
    kind: str,
    lp: LoadedProfile,
    project_type: str,
    registry: Registry,
    as_of: date,
    project: Project | None = None,
    pinned: dict[str, str] | None = None,
    tender: Tender | None = None,
    corridor: CorridorLink | None = None,
) -> Document:
    """Render the kind's template for this profile and type and assemble the document.

    Award terms come from `tender`, by default the definition `build_tender` makes for the same profile,
    type, date and project (the one `cgc generate` writes next to the documents).

    Raises `NotGenerated` for a kind with nothing to say here (another contract form, no award criteria).
    """
    k = document_kind(kind)
    selected = select_rulesets(lp.profile, project_type, registry, as_of, pinned or {})
    if not selected:
        raise CgcError(f"profile {lp.profile.id!r} applies no ruleset to project type {project_type!r}")
    if tender is None:
        tender = build_tender(lp, project_type, as_of, registry, project, pinned, corridor)
    context, known = build_context(lp, project_type, selected, project, tender, corridor_view(corridor))
    context["seb"] = seb_table(lp.profile, registry, as_of)
    applies(kind, lp, context)
    text = templates.render(kind, context)
    title, sections, fills, examples = markup.read(text, f"templates/{k.template}", known)
    profile = lp.profile
    internal = k.audience == "internal"
    newest = max(lr.ruleset.effective_from for lr, _, _ in selected)
    type_label = context["project"]["type_label"]
    subtitle = type_label.capitalize() if k.per_type else say("documents.front.all_types")
    meta = Meta(
        doc_id=document_id(kind, lp, project_type, selected, project, corridor),
        title=title,
        subtitle=subtitle + (f" — {project.name}" if project else ""),
        municipality=profile.municipality,
        profile_id=profile.id,
        profile_name=profile.name,
        project_type=type_label if k.per_type else "",
        rulesets=tuple(lr.ruleset.ref for lr, _, _ in selected),
        date=newest.isoformat(),
        example_profile=profile.example,
        internal=internal,
        date_text=N.date(newest),
    )
    if kind == "verantwoording":
        sections += _accounts(lp, project_type, registry, as_of, project, pinned, selected, len(sections) + 1, corridor)
    elif internal:
        sections.append(_verantwoording(sections, selected))
    confirm = _to_confirm(lp, selected) if k.per_type and internal else []
    front = _front(meta, project, fills, examples, selected, confirm, internal)
    return Document(meta, front, sections, fills, examples)
