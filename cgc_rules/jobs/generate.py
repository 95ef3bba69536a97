"""The generate jobs: tender documents, the tender set, the tender definition, the bid form, the template check.

`cgc generate`, `cgc tender init`, `cgc form`, `cgc templates check` and the web's Documenten page
call these; each returns the files it made (name and bytes) and leaves writing them to the caller.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import get_args

from pydantic import ValidationError

from .. import renderers
from ..corridor.tenderlink import CorridorLink
from ..documents import DOCUMENT_KINDS, FORMATS, GeneratedFile, render_files
from ..documents.kinds import NotGenerated
from ..documents.kinds import kind as document_kind
from ..errors import CgcError, Problem
from ..i18n import text
from ..loading.parse import expect_mapping, load
from ..profile import LoadedProfile, Tender, all_profiles, load_profile, profile_path
from ..project_types import ProjectType
from ..registry import Registry, parse_ref
from ..submission import Project
from ..today import today_nl

__all__ = [
    "CONTRACT_FORMS",
    "DOCUMENT_KINDS",
    "FORMATS",
    "PRINTABLE",
    "PROCEDURES",
    "PROJECT_TYPES",
    "Generated",
    "GeneratedFile",
    "NotGenerated",
    "TemplateCheck",
    "bid_form",
    "corridor_link",
    "check_templates",
    "document",
    "generate",
    "kind_label",
    "not_made",
    "profiles",
    "rulesets_in_force",
    "tender_definition",
    "tender_definition_of",
    "tender_set",
    "with_criteria",
    "with_tender_choices",
]

PROJECT_TYPES: tuple[str, ...] = tuple(t.value for t in ProjectType)
CONTRACT_FORMS: tuple[str, ...] = get_args(Tender.model_fields["contract_form"].annotation)
PROCEDURES: tuple[str, ...] = get_args(get_args(Tender.model_fields["procedure"].annotation)[0])  # Literal | None
# the formats that make a file to hand out (DOCX, PDF): those of a download and of a tender set's zip
PRINTABLE: tuple[str, ...] = tuple(f for f in FORMATS if renderers.renderer("document", f).needs_file)


def kind_label(kind: str) -> str:
    """The catalogue key of a document kind's name."""
    return document_kind(kind).label


def profiles(directory: Path | None) -> dict[str, LoadedProfile]:
    """Every profile in `directory` (default: the bundled ones), by file stem."""
    return {p.stem: load_profile(p) for p in all_profiles(directory)}


def with_tender_choices(lp: LoadedProfile, contract_form: str, procedure: str | None) -> LoadedProfile:
    """The profile with another contract form and procedure (in memory only; None: the procedure left open)."""
    tender = lp.profile.tender.model_copy(update={"contract_form": contract_form, "procedure": procedure})
    return lp.model_copy(update={"profile": lp.profile.model_copy(update={"tender": tender})})


def with_criteria(lp: LoadedProfile, rules: Sequence[str]) -> LoadedProfile:
    """The profile with only the award criteria of `rules` (in memory only)."""
    award = lp.profile.award
    award = award.model_copy(update={"criteria": [c for c in award.criteria if c.rule in rules]})
    return lp.model_copy(update={"profile": lp.profile.model_copy(update={"award": award})})


def load_project(path: Path) -> Project:
    """The `project:` part of a submission file, or a file that holds only the project."""
    doc = load(path)
    data = expect_mapping(doc)
    prefix = ["project"] if "project" in data else []
    try:
        return Project.model_validate(data["project"] if prefix else data)
    except ValidationError as exc:
        raise CgcError(doc.validation_problems(exc, prefix)) from None


def corridor_link(ref: str, project: Project | None, day: date) -> CorridorLink:
    """The corridor's lines for `project` on `day`, from the same match `cgc corridor match` makes."""
    from ..corridor.tenderlink import link
    from .corridor import directory, match

    if project is None:
        raise CgcError("--corridor needs --project: the project's id names it in the corridor")
    view = match(directory(ref), day, "nl")
    return link(view.corridor, view.allocations, project.id, day)


def _pins(refs: Sequence[str]) -> dict[str, str]:
    pins = {}
    for ref in refs:
        rid, version = parse_ref(ref)
        if not version:
            raise CgcError(f"--ruleset {ref}: give ID@VERSION")
        pins[rid] = version
    return pins


@dataclass(frozen=True)
class Generated:
    """The files made, in order, and why a document kind was left out (when all kinds were asked for)."""

    files: tuple[GeneratedFile, ...]
    skipped: tuple[str, ...]


def generate(
    kinds: Sequence[str] | None,
    profile_id: str,
    formats: Sequence[str],
    registry: Registry,
    *,
    project_file: Path | None = None,
    project_type: str | None = None,
    pinned: Sequence[str] = (),
    as_of: date | None = None,
    profiles_dir: Path | None = None,
    corridor: str | None = None,
) -> Generated:
    """Each of `kinds` (None: every kind, skipping those not made for this profile and type) in `formats`.

    The project type comes from `project_type` or the project file; `pinned` names ruleset versions
    (`ID@VERSION`) used instead of those in force. With the EMVI document comes the tender definition
    `cgc score` reads back, from the same profile and rulesets. With `corridor` (a name or directory) the
    project (its id a project of the corridor) gets the lines the corridor allocates to it on the tender date
    and the lines it must release.
    """
    project = load_project(project_file) if project_file else None
    ptype = project_type or (project.type.value if project else None)
    if ptype is None:
        raise CgcError("give --type or --project (with project.type)")
    if project and project_type and project.type.value != project_type:
        raise CgcError(f"--type {project_type} differs from the project's type {project.type.value}")
    pins = _pins(pinned)
    lp = load_profile(profile_path(profile_id, profiles_dir))
    day = as_of or (project.tender_date if project and project.tender_date else None) or today_nl()
    link = corridor_link(corridor, project, day) if corridor else None
    files: list[GeneratedFile] = []
    skipped: list[str] = []
    wanted = DOCUMENT_KINDS if kinds is None else tuple(dict.fromkeys(kinds))
    for kind in wanted:
        try:
            files += _files(kind, lp, ptype, list(formats), registry, day, project, pins, link)
        except NotGenerated as exc:
            if kinds is not None:
                raise
            skipped.append(exc.problems[0].message)
    if "emvi" in wanted:
        from ..tender.build import tender_file

        name, text = tender_file(profile_id, ptype, day, registry, project, pins, profiles_dir, link)
        files.append(GeneratedFile(name, text.encode("utf-8")))
    return Generated(tuple(files), tuple(skipped))


def _files(
    kind: str,
    lp: LoadedProfile,
    project_type: str,
    formats: list[str],
    registry: Registry,
    day: date,
    project: Project | None = None,
    pinned: dict[str, str] | None = None,
    corridor: CorridorLink | None = None,
) -> list[GeneratedFile]:
    document_kind(kind)
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise CgcError(f"unknown format {', '.join(bad) or '(none)'} (use {', '.join(FORMATS)})")
    if project_type not in PROJECT_TYPES:
        raise CgcError(f"unknown project type {project_type!r} (use one of {', '.join(PROJECT_TYPES)})")
    return render_files(kind, lp, project_type, formats, registry, day, project, pinned, corridor)


def document(lp: LoadedProfile, project_type: str, kind: str, fmt: str, registry: Registry, day: date) -> GeneratedFile:
    """One document of a (possibly changed) profile in one format, named as `cgc generate` names it.

    Raises `NotGenerated` when the kind is not made for this profile and type.
    """
    return _files(kind, lp, project_type, [fmt], registry, day)[0]


def not_made(lp: LoadedProfile, project_type: str, kind: str, registry: Registry, day: date) -> str | None:
    """Why `kind` is not made for this profile and type (another contract form, no criteria), else None."""
    from ..documents.build import build_document

    try:
        build_document(kind, lp, project_type, registry, day)
    except NotGenerated as exc:
        return exc.problems[0].message
    return None


def tender_set(
    lp: LoadedProfile,
    project_type: str,
    registry: Registry,
    day: date,
    progress: Callable[[int, int, str], None] | None = None,
) -> GeneratedFile:
    """Every document made for this profile and type, DOCX and PDF, as one zip: published ones and internal ones
    each in their own folder. `progress` hears (documents made, documents to make, the next one's Dutch name)
    before each document and once at the end."""
    made = [k for k in DOCUMENT_KINDS if not_made(lp, project_type, k, registry, day) is None]
    todo = [(kind, fmt) for kind in made for fmt in PRINTABLE]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for done, (kind, fmt) in enumerate(todo):
            if progress:
                progress(done, len(todo), f"{text('nl', kind_label(kind))} ({fmt.upper()})")
            folder = "gepubliceerd" if document_kind(kind).audience == "published" else "intern"
            f = document(lp, project_type, kind, fmt, registry, day)
            z.writestr(f"{folder}/{f.name}", f.data)
    if progress:
        progress(len(todo), len(todo), text("nl", "documents.set.zipped"))
    return GeneratedFile(f"aanbestedingsset_{lp.profile.id}_{project_type}.zip", buf.getvalue())


def tender_definition(
    profile_id: str, project_type: str, day: date, registry: Registry, profiles_dir: Path | None = None
) -> str:
    """The tender definition (`tender.yaml`) for one profile, project type and tender date, as YAML."""
    from ..tender import build_tender, dump_tender

    lp = load_profile(profile_path(profile_id, profiles_dir))
    return dump_tender(build_tender(lp, project_type, day, registry))


def tender_definition_of(lp: LoadedProfile, project_type: str, day: date, registry: Registry) -> str:
    """The tender definition (`tender.yaml`) of a (possibly changed) profile, as YAML: as `tender_definition`."""
    from ..tender import build_tender, dump_tender

    return dump_tender(build_tender(lp, project_type, day, registry))


def rulesets_in_force(lp: LoadedProfile, project_type: str, registry: Registry, day: date) -> list[tuple[str, str]]:
    """(id, version) of each ruleset the profile applies to `project_type`, as in force on `day` (the versions a
    tender definition made that day pins)."""
    from ..tender import build_tender

    return [(p.id, p.version) for p in build_tender(lp, project_type, day, registry).rulesets]


def bid_form(
    registry: Registry,
    day: date,
    refs: Sequence[str] = (),
    profile_id: str | None = None,
    project_type: str | None = None,
    profiles_dir: Path | None = None,
    lang: str = "nl",
) -> bytes:
    """The bid form (XLSX) explaining `refs` and, with a profile, the rulesets that profile applies."""
    from ..intake.form import FormSpec, build_form, profile_spec  # openpyxl: loaded only when a form is made

    spec = FormSpec(project_type=project_type)
    if profile_id:
        profile = load_profile(profile_path(profile_id, profiles_dir)).profile
        spec = profile_spec(profile, project_type, lambda rid: registry.select(rid, day).loaded.ruleset)
    extra = tuple(registry.select(ref, day).loaded.ruleset for ref in refs)
    for r in extra:
        if r.kind.value != "project":
            raise CgcError(
                Problem(f"a {r.kind.value} ruleset; a bid form explains project rulesets only", f"-r {r.id}")
            )
    return build_form(FormSpec(spec.rulesets + extra, spec.project_type, spec.municipality), lang=lang)


@dataclass(frozen=True)
class TemplateCheck:
    """How many documents were rendered, from how many templates and profiles."""

    documents: int
    templates: int
    profiles: int


def check_templates(
    types: Sequence[str], registry: Registry, day: date, profiles_dir: Path | None = None
) -> TemplateCheck:
    """Render every template for every profile and type; raises `CgcError` naming every problem found
    (undefined names, unknown rule ids, Word styles the reference document lacks)."""
    from ..documents.build import build_document
    from ..documents.render_docx import missing_styles

    problems: list[Problem] = []
    checked = 0
    paths = all_profiles(profiles_dir)
    if not paths:
        raise CgcError("no profiles found")
    for path in paths:
        try:
            lp = load_profile(path)
        except CgcError as exc:
            problems += exc.problems
            continue
        missing = missing_styles(lp.asset(lp.profile.house_style.reference_docx))
        if missing:
            problems.append(
                Problem(
                    f"reference document lacks Word styles: {', '.join(missing)}",
                    lp.profile.house_style.reference_docx,
                    field=f"profile {lp.profile.id}",
                )
            )
        for ptype in types:
            for kind in DOCUMENT_KINDS:
                try:
                    build_document(kind, lp, ptype, registry, day)
                    checked += 1
                except NotGenerated:
                    continue
                except CgcError as exc:
                    problems += [
                        Problem(f"[{lp.profile.id}, {ptype}, {kind}] {p.message}", p.file, p.line, p.column, p.field)
                        for p in exc.problems
                    ]
    if problems:
        raise CgcError(problems)
    return TemplateCheck(checked, len(DOCUMENT_KINDS), len(paths))
