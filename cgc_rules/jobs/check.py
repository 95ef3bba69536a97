"""The check job: one file of a subject kind that has no verb of its own, against chosen ruleset versions.

A subject kind registered with verb `check` (`cgc_rules.kinds`) needs no job, report or command of its
own: its loader reads the file, the evaluator runs the rules, and the generic report record
(`report.build.build_subject_report`) shows every outcome in every format of `cgc check`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .. import kinds
from ..errors import CgcError
from ..evaluator import compile_ruleset
from ..evaluator import evaluate as run_rules
from ..registry import Registry, each_once
from ..report.build import Evaluated, Report

VERB = "check"


@dataclass(frozen=True)
class Checked:
    """The explained report of one subject and the evaluations behind it (one per ruleset version)."""

    report: Report
    runs: tuple[Evaluated, ...]

    @property
    def compliant(self) -> bool:
        return self.report.compliant


def check(path: Path, refs: tuple[str, ...], as_of: date | None, lang: str, registry: Registry) -> Checked:
    """Load the subject in `path` as the kind of the rulesets `refs` name and evaluate it against each."""
    selections = each_once([registry.select(ref, as_of) for ref in refs], lang)
    found = {kinds.of(s.loaded.ruleset) for s in selections}
    if len(found) > 1:
        names = ", ".join(sorted(k.subjects for k in found))
        raise CgcError(f"the rulesets check different subjects ({names}): give rulesets of one kind")
    kind = found.pop()
    if kind.verb != VERB:
        raise CgcError(f"rulesets of {kind.subjects} are checked with `cgc {kind.verb}`, not `cgc {VERB}`")
    loaded = kind.load(path, lang)
    runs = [Evaluated(s, run_rules(loaded.subject, compile_ruleset(s.loaded.ruleset))) for s in selections]
    report: Report = kind.build_report(loaded, runs, lang, as_of)
    return Checked(report, tuple(runs))
