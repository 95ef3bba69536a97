"""`index.html`: the pack's documents by profile and project type, readable offline (no external assets)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from ..documents.kinds import kind as document_kind
from ..documents.wording import LANG, say
from ..explain import project_type_name
from ..numbers import notation
from .definition import PackDefinition

_ENV = SandboxedEnvironment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True)
class DocumentEntry:
    """One generated file in the pack."""

    profile: str
    project_type: str
    kind: str
    format: str
    path: str
    size: int


def render_index(
    definition: PackDefinition,
    profiles: dict[str, tuple[str, str]],
    documents: list[DocumentEntry],
    rulesets: list[dict[str, Any]],
    submission_template: str,
    generator: str,
) -> str:
    """The HTML page; links are relative paths inside the pack. `profiles` maps id to (name, region)."""
    d = definition
    cells: dict[tuple[str, str, str], list[DocumentEntry]] = {}
    for doc in sorted(documents, key=lambda e: (e.format != "pdf", e.path)):
        cells.setdefault((doc.profile, doc.project_type, doc.kind), []).append(doc)
    kinds = [{"id": k, "label": say(document_kind(k).label)} for k in d.documents]
    return _ENV.get_template("index.html.j2").render(
        pack=d,
        released=notation(LANG).date(d.released),
        profiles=[{"id": p, "name": profiles[p][0], "region": profiles[p][1]} for p in d.profiles],
        types=[{"id": t.value, "name": project_type_name(t.value, LANG).capitalize()} for t in d.project_types],
        kinds=kinds,
        cells=cells,
        rulesets=rulesets,
        submission_template=submission_template,
        filename=d.filename,
        generator=generator,
    )
