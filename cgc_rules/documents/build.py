"""From profile, project type and rulesets to one `Document`: template, front page and annex."""

from __future__ import annotations

import hashlib
import json
from datetime import date

from ..errors import CgcError
from ..profile import LoadedProfile
from ..registry import Registry
from ..submission import Project
from . import markup, templates
from .context import build_context, select_rulesets
from .kinds import kind as document_kind
from .model import Clause, Document, Fill, Meta, Paragraph, Section, Table, Text
from .wording import say


def _P(text: str, strong: bool = False) -> Paragraph:
    return Paragraph([Text(text, strong)])


def document_id(kind: str, lp: LoadedProfile, project_type: str, selected, project: Project | None) -> str:
    """A short hash of profile (with house style), template and ruleset versions, type and project."""
    digest = hashlib.sha256()
    parts = [kind, lp.sha256, templates.template_hash(kind), project_type,
             *(f"{lr.ruleset.ref}:{lr.sha256}" for lr, _, _ in selected),
             json.dumps(project.model_dump(mode="json"), sort_keys=True) if project else ""]
    for part in parts:
        digest.update(part.encode("utf-8") + b"\0")
    return f"CGC-{kind.upper()}-{digest.hexdigest()[:12]}"


def _verantwoording(sections: list[Section], selected) -> Section:
    rules = {f"{lr.ruleset.id}/{r.id}": (lr.ruleset, r) for lr, _, _ in selected for r in lr.ruleset.rules}
    rows = []
    for clause in (b for s in sections for b in s.blocks if isinstance(b, Clause)):
        if not clause.rules:
            rows.append([_P(clause.number), _P("—"), _P("—"), _P(say("documents.annex.local_choice"))])
        for key in clause.rules:
            rs, rule = rules[key]
            source = rs.sources[rule.source]
            cited = say("documents.annex.secondary_source", citation=source.citation()) if source.secondary \
                else source.citation()
            rows.append([_P(clause.number), _P(rule.id), _P(rs.ref), _P(cited)])
    versions = [[_P(lr.ruleset.ref), _P(lr.ruleset.title), _P(lr.ruleset.period()), _P(lr.sha256[:16])]
                for lr, _, _ in selected]
    a = "documents.annex."
    return Section("A", say(a + "title"), [
        _P(say(a + "intro")),
        Table(say(a + "rules_caption"), _heads(a, "article", "rule", "ruleset", "source"), rows, (1, 2, 2, 5)),
        Table(say(a + "rulesets_caption"), _heads(a, "ruleset", "title_column", "valid", "sha256"), versions,
              (2, 4, 3, 2)),
    ], annex=True)


def _heads(prefix: str, *keys: str) -> list[Paragraph]:
    return [_P(say(prefix + key)) for key in keys]


def _front(meta: Meta, project: Project | None, fills, examples, selected) -> list:
    f = "documents.front."
    rows = [[say(f + "client"), meta.municipality], [say(f + "profile"), f"{meta.profile_name} ({meta.profile_id})"],
            [say(f + "project_type"), meta.project_type]]
    if project:
        rows.append([say(f + "project"), f"{project.name} ({project.id})"])
    versions = (say(f + "ruleset_valid", ref=lr.ruleset.ref, period=lr.ruleset.period()) for lr, _, _ in selected)
    rows += [[say(f + "rulesets"), "; ".join(versions)], [say(f + "document_id"), meta.doc_id]]
    front: list = []
    if meta.example_profile:
        front.append(_P(say(f + "example_profile"), True))
    front.append(Table(say(f + "data_caption"), _heads(f, "item", "value"), [[_P(a), _P(b)] for a, b in rows],
                       (1, 3)))
    if fills:
        front.append(_P(say(f + "fills_intro")))
        front.append(Table(say(f + "fills_caption"), _heads(f, "number", "to_fill", "first_in"),
                           [[_P(str(i)), Paragraph([Fill(label)]), _P(where)] for i, (label, where) in
                            enumerate(fills, start=1)], (1, 7, 2)))
    else:
        front.append(_P(say(f + "no_fills")))
    if examples:
        seen, rows_ex = set(), []
        for label, value, where in examples:
            if label not in seen:
                seen.add(label)
                rows_ex.append([_P(label), _P(value), _P(where)])
        front.append(_P(say(f + "examples_intro")))
        front.append(Table(say(f + "examples_caption"), _heads(f, "value_for", "example", "first_in"), rows_ex,
                           (4, 4, 2)))
    return front


def build_document(kind: str, lp: LoadedProfile, project_type: str, registry: Registry, as_of: date,
                   project: Project | None = None, pinned: dict[str, str] | None = None) -> Document:
    """Render the kind's template for this profile and type and assemble the document."""
    selected = select_rulesets(lp.profile, project_type, registry, as_of, pinned or {})
    if not selected:
        raise CgcError(f"profile {lp.profile.id!r} applies no ruleset to project type {project_type!r}")
    context, known = build_context(lp, project_type, selected, project)
    text = templates.render(kind, context)
    title, sections, fills, examples = markup.read(text, f"templates/{document_kind(kind).template}", known)
    profile = lp.profile
    newest = max(lr.ruleset.effective_from for lr, _, _ in selected)
    meta = Meta(
        doc_id=document_id(kind, lp, project_type, selected, project), title=title,
        subtitle=f"{context['project']['type_label'].capitalize()}" + (f" — {project.name}" if project else ""),
        municipality=profile.municipality, profile_id=profile.id, profile_name=profile.name,
        project_type=context["project"]["type_label"], rulesets=tuple(lr.ruleset.ref for lr, _, _ in selected),
        date=newest.isoformat(), example_profile=profile.example,
    )
    sections.append(_verantwoording(sections, selected))
    return Document(meta, _front(meta, project, fills, examples, selected), sections, fills, examples)
