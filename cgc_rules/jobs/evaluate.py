"""The evaluate job: one submission file against chosen ruleset versions, explained, optionally recorded.

`cgc evaluate`, the batch workers (`jobs.batch`) and the web's Inzending toetsen all call `evaluate`;
the subject kind `project` (`cgc_rules.kinds`) supplies the loader and the report builder.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from .. import kinds
from ..evaluator import CompiledRuleset, compile_ruleset
from ..evaluator import evaluate as run_rules
from ..registry import Registry, Selection, each_once
from ..report.build import Evaluated, Report
from ..ruleset import Kind
from ..store.records import ROLES

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ..store.records import StoredRecord
    from ..store.store import Added

__all__ = ["ROLES", "Evaluation", "Rulesets", "Settings", "evaluate", "project_rulesets", "record"]


@dataclass(frozen=True)
class Settings:
    """What a submission is evaluated against: ruleset refs (`id` or `id@version`), a date, the report language."""

    refs: tuple[str, ...]
    as_of: date | None
    lang: str


class Rulesets:
    """The rulesets of one registry, each version compiled once and kept between evaluations (thread-safe)."""

    def __init__(self, registry: Registry):
        self.registry = registry
        self._compiled: dict[str, CompiledRuleset] = {}
        self._lock = threading.Lock()

    def compiled(self, selection: Selection) -> CompiledRuleset:
        """The selected version compiled; a ruleset that checks something else than projects is refused."""
        ruleset = selection.loaded.ruleset
        with self._lock:
            if ruleset.ref not in self._compiled:
                kinds.get(Kind.project).refuse(ruleset)
                self._compiled[ruleset.ref] = compile_ruleset(ruleset)
            return self._compiled[ruleset.ref]


@dataclass(frozen=True)
class Evaluation:
    """One submission's explained report and the evaluations behind it (one per ruleset version)."""

    report: Report
    runs: tuple[Evaluated, ...]

    @property
    def compliant(self) -> bool:
        return self.report.compliant


def evaluate(path: Path, settings: Settings, rulesets: Rulesets) -> Evaluation:
    """Load the submission in `path` and evaluate it against each ref; bad input raises `CgcError`."""
    kind = kinds.get(Kind.project)
    loaded = kind.load(path, settings.lang)
    day = loaded.submission.project.tender_date
    selections = each_once([rulesets.registry.select(ref, settings.as_of, day) for ref in settings.refs], settings.lang)
    runs = [Evaluated(s, run_rules(loaded.submission, rulesets.compiled(s))) for s in selections]
    report: Report = kind.build_report(loaded, runs, settings.lang, settings.as_of)
    return Evaluation(report, tuple(runs))


class Sink(Protocol):
    """Where audit records go: the store, or the web's serialised wrapper of it."""

    def add(self, items: Iterable[StoredRecord]) -> Added: ...


def record(evaluation: Evaluation, role: str, store: Sink | str | None) -> Added:
    """Keep one audit record per ruleset version in `store` (a store, or the URL of one; None: the default)."""
    from ..store.build import evaluation_records
    from ..store.store import open_store

    target = open_store(store) if store is None or isinstance(store, str) else store
    return target.add(evaluation_records(evaluation.report, list(evaluation.runs), role))


def project_rulesets(registry: Registry) -> list[tuple[str, str]]:
    """Id and title of every ruleset whose latest version checks projects."""
    return [(rid, vs[-1].ruleset.title) for rid, vs in registry.by_id.items() if vs[-1].ruleset.kind is Kind.project]
