"""Evaluating many submissions in one run: files or directories, in parallel, one record per submission.

Each worker process loads the rulesets once and compiles each selected version once, then reads,
evaluates and reports one submission after another. A file with bad input becomes a record with
its located errors; it never stops the batch. Exit code: 2 when any input was bad, else 1 when any
submission is not compliant, else 0.
"""

from __future__ import annotations

import io
import json
import os
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING

from . import kinds
from .errors import CgcError, display_path
from .evaluator import STATUSES, CompiledRuleset, compile_ruleset, evaluate
from .i18n import Messages, text
from .intake import FORMATS, load_any
from .output import write_atomic
from .registry import Registry
from .report.build import Evaluated, Report, build_report
from .ruleset import Kind

if TYPE_CHECKING:
    from rich.console import Console


@dataclass(frozen=True)
class Settings:
    """What every submission of a batch is evaluated against."""

    refs: tuple[str, ...]
    as_of: date | None
    lang: str
    rulesets_dir: Path | None


@dataclass(frozen=True)
class Result:
    """One submission's record (the report, or its errors) as compact JSON, and what the summary needs."""

    line: str
    bad_input: bool
    compliant: bool
    statuses: tuple[tuple[str, str], ...]  # (ruleset@version rule_id, status) per outcome
    project: str = ""
    errors: tuple[str, ...] = ()
    input: str = ""


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files as given; directories as their submission files (by extension, sorted, hidden ones skipped)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(
                f
                for f in p.rglob("*")
                if f.suffix.lower() in FORMATS
                and f.is_file()
                and not any(part.startswith(".") for part in f.relative_to(p).parts)
            )
        else:
            out.append(p)
    return out


class Worker:
    """Evaluates submissions against one batch's settings; compiled rulesets are kept between calls."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.registry = Registry(settings.rulesets_dir)
        self.compiled: dict[str, CompiledRuleset] = {}

    def _compiled(self, loaded) -> CompiledRuleset:
        ruleset = loaded.ruleset
        if ruleset.ref not in self.compiled:
            kinds.get(Kind.project).refuse(ruleset)
            self.compiled[ruleset.ref] = compile_ruleset(ruleset)
        return self.compiled[ruleset.ref]

    def evaluated(self, path: Path) -> tuple[Report, list[Evaluated]]:
        """One submission's explained report and the evaluations behind it; bad input raises CgcError."""
        s = self.settings
        loaded = load_any(path, s.lang)
        runs = []
        for ref in s.refs:
            selection = self.registry.select(ref, s.as_of, loaded.submission.project.tender_date)
            runs.append(Evaluated(selection, evaluate(loaded.submission, self._compiled(selection.loaded))))
        return build_report(loaded, runs, s.lang, s.as_of), runs

    def run(self, path: Path) -> Result:
        try:
            report, _ = self.evaluated(path)
        except CgcError as exc:
            errors = tuple(str(p) for p in exc.problems)
            shown = display_path(path)
            line = json.dumps(
                {"input": shown, "bad_input": True, "errors": list(errors)}, ensure_ascii=False, separators=(",", ":")
            )
            return Result(line, True, False, (), errors=errors, input=shown)
        data = report.data
        statuses = tuple((f"{o['ruleset']} {o['rule_id']}", o["status"]) for o in data["outcomes"])
        return Result(
            json.dumps(data, ensure_ascii=False, separators=(",", ":")),
            False,
            report.compliant,
            statuses,
            project=data["project"]["id"],
            input=data["input"],
        )


_worker: Worker | None = None


def _init(settings: Settings) -> None:
    global _worker
    _worker = Worker(settings)


def _run(path: Path) -> Result:
    assert _worker is not None
    return _worker.run(path)


def results(paths: list[Path], settings: Settings, jobs: int) -> Iterator[Result]:
    """Results in input order; in this process for one job, else in `jobs` worker processes."""
    if jobs <= 1 or len(paths) <= 1:
        worker = Worker(settings)
        yield from (worker.run(p) for p in paths)
        return
    chunk = max(1, min(64, len(paths) // (jobs * 8)))
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init, initargs=(settings,)) as pool:
        yield from pool.map(_run, paths, chunksize=chunk)


@dataclass
class Summary:
    """Counts over a batch: submissions by verdict, outcomes per rule and status."""

    total: int = 0
    compliant: int = 0
    bad_input: int = 0
    per_rule: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))

    def add(self, r: Result) -> None:
        self.total += 1
        self.compliant += r.compliant
        self.bad_input += r.bad_input
        for rule, status in r.statuses:
            self.per_rule[rule][status] += 1

    @property
    def exit_code(self) -> int:
        if self.bad_input:
            return 2
        return 0 if self.compliant == self.total else 1

    def record(self) -> dict:
        return {
            "submissions": self.total,
            "compliant": self.compliant,
            "not_compliant": self.total - self.compliant - self.bad_input,
            "bad_input": self.bad_input,
            "per_rule": {rule: {s: c.get(s, 0) for s in STATUSES} for rule, c in sorted(self.per_rule.items())},
        }


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def write_jsonl(items: Iterable[Result], out: IO[str]) -> Summary:
    """One audit record per line, in input order; returns the summary."""
    summary = Summary()
    for r in items:
        out.write(r.line + "\n")
        summary.add(r)
    return summary


def _table(items: Iterable[Result], console: Console, lang: str) -> Summary:
    m = Messages(lang)
    from rich.markup import escape
    from rich.table import Table

    from .terminal import terminal_text

    table = Table(box=None)
    table.add_column(m("intake.batch.input"), no_wrap=True, overflow="ignore")  # a path stays whole, for grep
    table.add_column(m("intake.batch.project"), overflow="fold")
    table.add_column(m("intake.batch.verdict"), overflow="fold")
    for s in STATUSES:
        table.add_column(text(lang, f"common.status.{s}"), justify="right")
    summary = Summary()
    for r in items:
        summary.add(r)
        if r.bad_input:
            first = r.errors[0].removeprefix(r.input).lstrip(":").strip() if r.errors else ""
            more = f" (+{len(r.errors) - 1})" if len(r.errors) > 1 else ""
            table.add_row(
                terminal_text(r.input, 1000), "", f"[bold red]{m('intake.batch.bad_input')}[/]: {escape(first)}{more}"
            )
            continue
        counts = Counter(status for _, status in r.statuses)
        verdict = m("intake.batch.compliant") if r.compliant else f"[bold red]{m('intake.batch.not_compliant')}[/]"
        table.add_row(
            terminal_text(r.input, 1000), terminal_text(r.project), verdict, *(str(counts.get(s, 0)) for s in STATUSES)
        )
    console.print(table)
    print_summary(summary, console, lang)
    return summary


def print_summary(summary: Summary, console: Console, lang: str) -> None:
    """Per rule: how many submissions pass, fail, lack data, …; then the totals."""
    m = Messages(lang)
    from rich.table import Table

    table = Table(box=None)
    table.add_column(m("intake.batch.rule"), overflow="fold")
    for s in STATUSES:
        table.add_column(text(lang, f"common.status.{s}"), justify="right")
    for rule, counts in sorted(summary.per_rule.items()):
        table.add_row(rule, *(str(counts.get(s, 0)) for s in STATUSES))
    console.print(table)
    console.print(
        m(
            "intake.batch.totals",
            total=summary.total,
            compliant=summary.compliant,
            not_compliant=summary.total - summary.compliant - summary.bad_input,
            bad=summary.bad_input,
        )
    )


def run(paths: Iterable[Path], settings: Settings, jobs: int, fmt: str, output: Path | None) -> int:
    """Evaluate every submission under `paths` and write the batch in `fmt`; returns the exit code."""
    from rich.console import Console

    files = expand(paths)
    if not files:
        raise CgcError("no submission files (.xlsx, .csv, .json, .yaml, .yml) found")
    items = results(files, settings, jobs)
    if fmt == "jsonl":
        if output is None:
            summary = write_jsonl(items, sys.stdout)
            print_summary(summary, Console(stderr=True, width=120), settings.lang)
        else:
            buf = io.StringIO()
            summary = write_jsonl(items, buf)
            write_atomic(output, buf.getvalue())
        return summary.exit_code
    if fmt == "json":
        summary = Summary()
        records = []
        for r in items:
            summary.add(r)
            records.append(json.loads(r.line))
        rendered = json.dumps({"submissions": records, "summary": summary.record()}, ensure_ascii=False, indent=2)
        if output:
            write_atomic(output, rendered + "\n")
        else:
            sys.stdout.write(rendered + "\n")
        return summary.exit_code
    if fmt != "table":
        raise CgcError(f"--format {fmt} shows one submission; for several use table, json or jsonl")
    if output:
        buf = io.StringIO()
        summary = _table(items, Console(file=buf, width=160, color_system=None), settings.lang)
        write_atomic(output, buf.getvalue())
    else:
        console = Console()
        summary = _table(items, console if console.is_terminal else Console(width=160), settings.lang)
    return summary.exit_code
