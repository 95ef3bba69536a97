"""Subject kinds: what a ruleset of each `kind` checks, and everything that differs per kind.

One entry per kind (project, municipality, corridor) names its subject model and loader, its
indicators, its test-case runner, its report builder, the JSON Schemas of its input files, its
CLI verb and its bundled ruleset root. Lint, the test cases, the evaluator, the jobs
(`cgc_rules.jobs`) and `cgc schema` look the kind up here instead of branching on it. Entries
name their parts as `module:attribute` and import them on first use, so a command pays only for
the kind it runs.

Adding a ruleset kind: add its value to `ruleset.Kind`, an indicators module under
`cgc_rules/indicators/`, and one entry below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from importlib import import_module
from inspect import signature
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from .errors import CgcError
from .resources import bundled, default_root
from .ruleset import Kind, Ruleset

if TYPE_CHECKING:
    from .indicators.base import Indicator


def _resolve(ref: str) -> Any:
    module, _, name = ref.partition(":")
    return getattr(import_module(module), name)


@dataclass(frozen=True)
class SubjectKind:
    """Everything that differs between rulesets of one `kind`."""

    kind: Kind
    verb: str  # the `cgc` command that runs rulesets of this kind
    subjects: str  # what it checks, plural, for messages ("projects")
    root: str  # bundled ruleset directory, under cgc_rules/data
    model_ref: str  # the subject model (pydantic for the kinds the evaluator reads)
    loader_ref: str  # loads the subject from a file or directory
    indicators_ref: str  # key → Indicator
    cases_ref: str  # runs one test case: (ruleset, input, parameters) → observed outcomes
    report_ref: str  # builds the report record every output format shows: (loaded, runs, lang, as_of) → report
    schemas: tuple[tuple[str, str], ...]  # (name, `module:Model`) of each input file it reads, for `cgc schema`

    @property
    def name(self) -> str:
        return self.kind.value

    @cached_property
    def indicators(self) -> dict[str, Indicator]:
        return dict(_resolve(self.indicators_ref))

    @property
    def model(self) -> type[Any]:
        return cast("type[Any]", _resolve(self.model_ref))

    @property
    def loader(self) -> Callable[..., Any]:
        return cast("Callable[..., Any]", _resolve(self.loader_ref))

    def load(self, path: str | Path, lang: str) -> Any:
        """The subject in `path`, validated; a loader that takes `lang` words its errors in that language."""
        loader = self.loader
        return loader(path, lang) if "lang" in signature(loader).parameters else loader(path)

    @property
    def run_case(self) -> Callable[..., Any]:
        return cast("Callable[..., Any]", _resolve(self.cases_ref))

    @property
    def build_report(self) -> Callable[..., Any]:
        return cast("Callable[..., Any]", _resolve(self.report_ref))

    def ruleset_root(self) -> Path:
        """The bundled rulesets of this kind (project and municipality rulesets honour $CGC_RULESETS)."""
        return default_root() if self.root == "rulesets" else bundled(self.root)

    def refuse(self, ruleset: Ruleset) -> None:
        """Raise when `ruleset` is of another kind than this one, naming the command that runs it."""
        if ruleset.kind is not self.kind:
            other = of(ruleset)
            raise CgcError(
                f"ruleset {ruleset.ref} checks {other.subjects}, not {self.subjects}: use `cgc {other.verb}`"
            )


KINDS: tuple[SubjectKind, ...] = (
    SubjectKind(
        Kind.project,
        "evaluate",
        "projects",
        "rulesets",
        "cgc_rules.submission:Submission",
        "cgc_rules.intake:load_any",
        "cgc_rules.indicators.project:INDICATORS",
        "cgc_rules.cases:run_evaluated",
        "cgc_rules.report.build:build_report",
        (("submission", "cgc_rules.submission:Submission"),),
    ),
    SubjectKind(
        Kind.municipality,
        "assess",
        "municipalities",
        "rulesets",
        "cgc_rules.municipality:MunicipalityAssessment",
        "cgc_rules.municipality:load_assessment",
        "cgc_rules.indicators.municipality:INDICATORS",
        "cgc_rules.cases:run_evaluated",
        "cgc_rules.assess:build",
        (("assessment", "cgc_rules.municipality:MunicipalityAssessment"),),
    ),
    SubjectKind(
        Kind.corridor,
        "corridor",
        "corridors",
        "corridors/rulesets",
        "cgc_rules.corridor.load:Corridor",
        "cgc_rules.corridor.load:load_corridor",
        "cgc_rules.indicators.corridor:INDICATORS",
        "cgc_rules.cases_corridor:run_case",
        "cgc_rules.corridor.views:as_data",
        (
            ("corridor", "cgc_rules.corridor.model:CorridorFile"),
            ("corridor-projects", "cgc_rules.corridor.model:ProjectsFile"),
            ("corridor-inventory", "cgc_rules.corridor.model:InventoryFile"),
            ("corridor-events", "cgc_rules.corridor.model:EventsFile"),
        ),
    ),
)

BY_KIND: dict[Kind, SubjectKind] = {k.kind: k for k in KINDS}


def get(kind: Kind) -> SubjectKind:
    """The registry entry of one kind."""
    try:
        return BY_KIND[kind]
    except KeyError:
        raise CgcError(f"no subject kind {kind.value!r} is registered") from None


def of(ruleset: Ruleset) -> SubjectKind:
    """The registry entry of a ruleset's kind."""
    return get(ruleset.kind)


def ruleset_roots() -> list[Path]:
    """Every bundled ruleset root, once each, in registry order."""
    return list(dict.fromkeys(k.ruleset_root() for k in KINDS))


def schema_models() -> dict[str, type[Any]]:
    """Every subject kind's input files by schema name, their models imported."""
    return {name: cast("type[Any]", _resolve(ref)) for k in KINDS for name, ref in k.schemas}


def find_indicator(key: str) -> Indicator | None:
    """The indicator `key` of whichever kind defines it (for naming the kind a misplaced indicator belongs to)."""
    return next((k.indicators[key] for k in KINDS if key in k.indicators), None)
