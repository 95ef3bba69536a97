"""`cgc generate` (tender documents and agreements) and `cgc templates check`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from pydantic import ValidationError

from ..documents import DOCUMENT_KINDS, FORMATS, generate
from ..documents.build import build_document
from ..documents.kinds import NotGenerated
from ..errors import CgcError, Problem
from ..loading.parse import expect_mapping, load
from ..output import make_dir, write_atomic
from ..profile import all_profiles, load_profile
from ..registry import parse_ref
from ..submission import Project, ProjectType
from . import main, options


def load_project(path: Path) -> Project:
    """The `project:` part of a submission file, or a file that holds only the project."""
    doc = load(path)
    data = expect_mapping(doc)
    prefix = ["project"] if "project" in data else []
    try:
        return Project.model_validate(data["project"] if prefix else data)
    except ValidationError as exc:
        raise CgcError(doc.validation_problems(exc, prefix)) from None


def _formats(value: str) -> list[str]:
    formats = [f.strip().lower() for f in value.split(",") if f.strip()]
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise click.BadParameter(f"use a comma-separated list of {', '.join(FORMATS)}", param_hint="--format")
    return formats


def _pins(refs: tuple[str, ...]) -> dict[str, str]:
    pins = {}
    for ref in refs:
        rid, version = parse_ref(ref)
        if not version:
            raise CgcError(f"--ruleset {ref}: give ID@VERSION")
        pins[rid] = version
    return pins


@main.command(
    "generate",
    help=f"Tender texts, award criteria, checklist and agreements for one profile "
    f"(KINDS: {' '.join(DOCUMENT_KINDS)}, or all).",
)
@click.argument("kinds", nargs=-1, required=True, type=click.Choice([*DOCUMENT_KINDS, "all"]))
@click.option("--profile", "profile_id", required=True, help="Profile id, e.g. amersfoort.")
@click.option(
    "--project",
    "project_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="YAML/JSON with the project (name, type, tender date); a submission file works too.",
)
@click.option(
    "--type",
    "project_type",
    type=click.Choice([t.value for t in ProjectType]),
    default=None,
    help="Project type for a generic document (default: the project's type).",
)
@click.option(
    "--ruleset",
    "rulesets",
    multiple=True,
    metavar="ID@VERSION",
    help="Use this version instead of the one in force (repeatable).",
)
@click.option("--format", "formats", default="docx,pdf,html", show_default=True, help="Comma-separated formats.")
@click.option(
    "--as-of",
    type=options.DATE,
    default=None,
    help="Choose ruleset versions in force on this date (default: tender date, else today).",
)
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Directory to write to (created if missing).",
)
@options.profiles_dir
@options.rulesets_dir
def generate_cmd(
    kinds: tuple[str, ...],
    profile_id: str,
    project_file: Path | None,
    project_type: str | None,
    rulesets: tuple[str, ...],
    formats: str,
    as_of: date | None,
    out_dir: Path,
    profiles_dir: Path | None,
    rulesets_dir: Path | None,
) -> None:
    """Write each of KINDS for one profile into the output directory, one file per format."""
    fmts = _formats(formats)
    project = load_project(project_file) if project_file else None
    ptype = project_type or (project.type.value if project else None)
    if ptype is None:
        raise CgcError("give --type or --project (with project.type)")
    if project and project_type and project.type.value != project_type:
        raise CgcError(f"--type {project_type} differs from the project's type {project.type.value}")
    wanted = DOCUMENT_KINDS if "all" in kinds else tuple(dict.fromkeys(kinds))
    registry, pins = options.registry(rulesets_dir), _pins(rulesets)
    make_dir(out_dir)
    for kind in wanted:
        try:
            files = generate(
                kind,
                profile_id,
                ptype,
                fmts,
                registry=registry,
                as_of=as_of,
                project=project,
                profiles_dir=profiles_dir,
                pinned=pins,
            )
        except NotGenerated as skipped:
            if "all" not in kinds:
                raise
            click.echo(skipped.problems[0].message, err=True)
            continue
        for f in files:
            write_atomic(out_dir / f.name, f.data)
            click.echo(str(out_dir / f.name))
    if "emvi" in wanted:  # the tender definition `cgc score` reads back, from the same profile and rulesets
        from ..tender.build import tender_file

        name, text = tender_file(
            profile_id,
            ptype,
            as_of or (project and project.tender_date) or date.today(),
            registry,
            project,
            pins,
            profiles_dir,
        )
        write_atomic(out_dir / name, text)
        click.echo(str(out_dir / name))


@main.group()
def templates() -> None:
    """Check the document templates."""


@templates.command("check")
@click.option(
    "--type",
    "types",
    multiple=True,
    type=click.Choice([t.value for t in ProjectType]),
    default=("wegen", "openbare_ruimte", "woningbouw"),
    show_default=True,
    help="Project types to check (repeatable).",
)
@click.option(
    "--as-of", type=options.DATE, default=None, help="Ruleset versions in force on this date (default: today)."
)
@options.profiles_dir
@options.rulesets_dir
def check(types: tuple[str, ...], as_of: date | None, profiles_dir: Path | None, rulesets_dir: Path | None) -> None:
    """Render every template for every profile and type: undefined names, unknown rule ids, missing styles."""
    from ..documents.render_docx import missing_styles

    registry = options.registry(rulesets_dir)
    day = as_of or date.today()
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
    click.echo(f"ok: {checked} documents from {len(DOCUMENT_KINDS)} templates and {len(paths)} profiles")
