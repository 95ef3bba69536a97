"""The pack definition, `packs/<name>.yaml`: what a pack contains and which rulesets are in force.

Definitions are named by path, or by name among the bundled ones (`data/packs/`, or the directory
CGC_PACKS names).

Every id that ends up in an output path (pack name, profiles, project types, document kinds)
is checked against a slug pattern here, so no name can reach outside the pack.
"""

from __future__ import annotations

import os
from collections.abc import Hashable
from datetime import date
from pathlib import Path
from typing import Annotated, Literal, TypeAlias, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from ..documents.kinds import KIND_IDS
from ..errors import CgcError, Problem, display_path
from ..loading.document import Document
from ..loading.files import read_text
from ..loading.parse import expect_mapping, parse
from ..project_types import ProjectType
from ..renderers import formats
from ..ruleset import Slug

PackVersion = Annotated[str, StringConstraints(pattern=r"^\d{4}\.\d+(\.\d+)?$")]
RulesetRef = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*@\d{4}\.\d+$")]
DocumentKind = Literal[KIND_IDS]  # type: ignore[valid-type]  # the ids in the document kind registry
Format: TypeAlias = Literal[formats("pack")]  # type: ignore[valid-type]  # the formats in the format registry

_H = TypeVar("_H", bound=Hashable)

PACKS_DIR = Path(__file__).resolve().parent.parent / "data" / "packs"


class PackDefinition(BaseModel):
    """A pack: name and version, the documents to build for each profile and type, rulesets in force."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Slug
    version: PackVersion
    title: str = Field(min_length=1, description="Title on the index page and in the changelog.")
    released: date = Field(description="Release date: documents are built as of this day; zip timestamps.")
    profiles: list[Slug] = Field(min_length=1)
    project_types: list[ProjectType] = Field(min_length=1)
    documents: list[DocumentKind] = Field(min_length=1)
    formats: list[Format] = Field(min_length=1)
    rulesets: list[RulesetRef] = Field(min_length=1, description="Ruleset versions in force, ID@VERSION.")

    @field_validator("profiles", "project_types", "documents", "formats", "rulesets")
    @classmethod
    def _unique(cls, items: list[_H]) -> list[_H]:
        seen: set[_H] = set()
        for item in items:
            if item in seen:
                raise ValueError(f"{getattr(item, 'value', item)!r} is listed twice")
            seen.add(item)
        return items

    @field_validator("rulesets")
    @classmethod
    def _one_version_per_id(cls, refs: list[str]) -> list[str]:
        ids = [r.partition("@")[0] for r in refs]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"more than one version of {', '.join(dup)}")
        return refs

    @property
    def filename(self) -> str:
        return f"{self.name}-{self.version}.zip"


class LoadedDefinition(BaseModel):
    """A validated pack definition with its parsed document (to locate later errors) and raw bytes."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    definition: PackDefinition
    document: Document
    raw: bytes

    @property
    def path(self) -> str:
        return self.document.path


def load_definition(path: str | Path) -> LoadedDefinition:
    """Load `packs/<name>.yaml`; errors name file, line, column and field."""
    text = read_text(path)
    doc = parse(text, display_path(path))
    expect_mapping(doc)
    return LoadedDefinition(definition=doc.validate(PackDefinition), document=doc, raw=text.encode("utf-8"))


def default_packs_dir() -> Path:
    """The bundled pack definitions, or the directory named by CGC_PACKS."""
    env = os.environ.get("CGC_PACKS")
    return Path(env) if env else PACKS_DIR


def all_definitions(directory: Path | None = None) -> list[Path]:
    return sorted((directory or default_packs_dir()).glob("*.yaml"))


def definition_path(ref: str, directory: Path | None = None) -> Path:
    """The definition file `ref` names: a path (an existing file, or one with a folder or .yaml), else a
    pack name among the definitions in `directory`."""
    path = Path(ref)
    if path.is_file() or path.suffix in {".yaml", ".yml"} or len(path.parts) != 1 or ref.startswith("."):
        return path
    base = directory or default_packs_dir()
    named = base / f"{ref}.yaml"
    if not named.is_file():
        known = ", ".join(p.stem for p in all_definitions(base)) or "none"
        raise CgcError(Problem(f"unknown pack {ref!r}: give a definition file or one of the names {known}", str(base)))
    return named
