"""Tender texts, award criteria, checklists and corridor agreements per municipality profile.

One document model (`model.Document`) built from a Jinja2 template, three renderers (DOCX, HTML,
PDF). `generate` is the entry point for the CLI and the pack builder.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .. import renderers
from ..corridor.tenderlink import CorridorLink
from ..errors import CgcError
from ..profile import LoadedProfile, load_profile, profile_path
from ..project_types import ProjectType
from ..registry import Registry
from ..submission import Project
from ..today import today_nl
from .build import build_document
from .kinds import KIND_IDS
from .kinds import kind as document_kind
from .model import Document
from .printable import Printable

DOCUMENT_KINDS = KIND_IDS
FORMATS = renderers.formats("document")


@dataclass(frozen=True)
class GeneratedFile:
    name: str  # a safe file name: slugs and a fixed stem only
    data: bytes


def _check(kind: str, project_type: str, formats: list[str]) -> None:
    document_kind(kind)
    if project_type not in {t.value for t in ProjectType}:
        raise CgcError(f"unknown project type {project_type!r} (use one of {', '.join(t.value for t in ProjectType)})")
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise CgcError(f"unknown format {', '.join(bad) or '(none)'} (use {', '.join(FORMATS)})")


def generate(
    kind: str,
    profile_id: str,
    project_type: str,
    formats: list[str],
    *,
    registry: Registry | None = None,
    as_of: date | None = None,
    project: Project | None = None,
    profiles_dir: Path | None = None,
    pinned: dict[str, str] | None = None,
) -> list[GeneratedFile]:
    """One document in the given formats (in the order asked).

    Ruleset versions are those in force on `as_of` (default: the project's tender date, else today),
    unless `pinned` names a version per ruleset id.
    """
    _check(kind, project_type, formats)
    lp = load_profile(profile_path(profile_id, profiles_dir))
    day = as_of or (project.tender_date if project and project.tender_date else today_nl())
    return render_files(kind, lp, project_type, formats, registry or Registry(), day, project, pinned)


def render_files(
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
    """One document of a loaded profile in the given formats, named `<stem>_<profile>_<type>.<suffix>`."""
    doc = build_document(kind, lp, project_type, registry, day, project, pinned, corridor=corridor)
    stem = f"{document_kind(kind).stem}_{lp.profile.id}_{project_type}"
    printable = Printable(doc, lp)
    rendered = [renderers.renderer("document", fmt) for fmt in formats]
    return [GeneratedFile(f"{stem}{r.suffix}", _binary(r.render(printable))) for r in rendered]


def _binary(data: str | bytes) -> bytes:
    assert isinstance(data, bytes)  # every document format is registered binary
    return data


__all__ = ["DOCUMENT_KINDS", "FORMATS", "Document", "GeneratedFile", "build_document", "generate", "render_files"]
