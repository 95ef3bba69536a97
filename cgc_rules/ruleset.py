"""The ruleset format: versioned YAML data that names rules, thresholds and their sources."""

from __future__ import annotations

from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, RootModel, StringConstraints, model_validator

from .languages import LANGUAGES, SOURCE
from .loading.document import Document
from .loading.models import load_model
from .project_types import ProjectType

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
Name = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=80)]
Version = Annotated[str, StringConstraints(pattern=r"^\d{4}\.\d+$")]
Scalar = bool | float | date | str


class Level(str, Enum):
    requirement = "requirement"
    ambition = "ambition"
    measure = "measure"


class Comparator(str, Enum):
    ge = ">="
    le = "<="
    gt = ">"
    lt = "<"
    eq = "=="
    ne = "!="
    in_ = "in"
    not_in = "not_in"


class Kind(str, Enum):
    project = "project"
    municipality = "municipality"
    corridor = "corridor"  # rules of play of a materials corridor (cgc_rules.corridor)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)  # built at first use (as corridor.model)


class Text(RootModel[dict[str, Annotated[str, StringConstraints(min_length=1)]]]):
    """A short text by language (`{nl: …, en: …}`): the source language required, the others optional."""

    model_config = ConfigDict(frozen=True, defer_build=True, json_schema_extra={"required": [SOURCE]})

    @model_validator(mode="after")
    def _languages(self) -> Text:
        unknown = sorted(set(self.root) - set(LANGUAGES))
        if unknown:
            raise ValueError(f"unknown language {', '.join(unknown)}; use {', '.join(LANGUAGES)}")
        if SOURCE not in self.root:
            raise ValueError(f"the text in {SOURCE!r} (the source language) is required")
        return self

    def get(self, lang: str) -> str:
        """The text in `lang`; the source language's text where the ruleset gives none in `lang`."""
        return self.root.get(lang) or self.root[SOURCE]

    def __hash__(self) -> int:  # frozen like every ruleset part, so a parameter stays hashable
        return hash(frozenset(self.root.items()))


class Source(_Model):
    """Where a rule's number or duty comes from."""

    document: str = Field(min_length=1)
    section: str | None = None
    table: str | None = None
    page: str | None = None
    address: str | None = None
    note: str | None = None
    secondary: bool = Field(False, description="True when the number rests on a secondary source.")

    def citation(self) -> str:
        parts = [self.document]
        parts += [p for p in (self.section, self.table) if p]
        if self.page:
            parts.append(f"p. {self.page}")
        if self.address:
            parts.append(self.address)
        return ", ".join(parts)


class Parameter(_Model):
    """A number the sources do not give: a profile or ruleset version must set it."""

    description: Text
    unit: str | None = None
    value: Scalar | list[Scalar] | None = None
    source: str | None = None


class ByProjectType(_Model):
    by_project_type: dict[ProjectType, float]


class ParameterRef(_Model):
    parameter: Name


Threshold = bool | float | date | str | list[Scalar] | ByProjectType | ParameterRef


class Condition(_Model):
    """A fixed-operator test on an indicator, used in `applies_when`."""

    indicator: str
    comparator: Comparator
    value: Scalar | list[Scalar]


class AppliesWhen(_Model):
    project_type: list[ProjectType] | None = None
    conditions: list[Condition] = []
    parameter: Name | None = Field(
        None,
        description="A yes/no parameter: the rule applies only when it is set to yes (e.g. a profile asks for it).",
    )


class Rule(_Model):
    id: Slug
    title: Text
    theme: str = Field(min_length=1)
    indicator: str
    level: Level
    applies_when: AppliesWhen = AppliesWhen()
    comparator: Comparator | None = None
    threshold: Threshold | None = None
    unit: str | None = None
    source: Slug
    explanation: Text
    tags: list[Slug] = []


class Ruleset(_Model):
    id: Slug
    version: Version
    title: str = Field(min_length=1)
    kind: Kind = Kind.project
    effective_from: date
    effective_until: date | None = None
    description: Text | None = None
    sources: dict[Slug, Source]
    parameters: dict[Name, Parameter] = {}
    levels: list[Slug] = Field(
        [], description="Ambition levels from low to high; rules tagged with a level decide whether it is reached."
    )
    base_level: Slug | None = Field(
        None, description="The first of `levels`, held by every subject without a rule (e.g. GMR profiel 3)."
    )
    rules: list[Rule] = Field(min_length=1)

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"

    def in_force(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_until is None or day <= self.effective_until)

    def period(self) -> str:
        until = self.effective_until.isoformat() if self.effective_until else "…"
        return f"{self.effective_from.isoformat()} – {until}"


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split("."))


class LoadedRuleset(BaseModel):
    """A validated ruleset with its file, the file's hash and the parsed document for lint."""

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True, defer_build=True)

    ruleset: Ruleset
    path: str
    sha256: str
    document: Document


def load_ruleset(path: str | Path) -> LoadedRuleset:
    """Load one ruleset file; schema errors name file, line and column."""
    ruleset, doc, sha256 = load_model(path, Ruleset)
    return LoadedRuleset(ruleset=ruleset, path=doc.path, sha256=sha256, document=doc)
