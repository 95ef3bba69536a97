"""The evaluate job over many submissions: files or directories, in parallel, one record per submission.

Each worker process loads the rulesets once and compiles each selected version once, then runs the
evaluate job on one submission after another. A file with bad input becomes a record with its
located errors; any other failure in one file (a bug) becomes that file's internal-error record with
the log file's name. Neither stops the batch. With a role the workers also build each submission's audit
records, which this process adds to the store as the results come (`recorded`). Exit code: 70 when any file met
an internal error, else 2 when any input was bad, else 1 when any submission is not compliant, else 0.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict, namedtuple
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..batch import default_jobs, fan_out
from ..errors import CgcError, display_path
from ..evaluator import STATUSES
from ..exits import EXIT_INTERNAL, log_crash
from ..intake import FORMATS
from ..registry import Registry
from .evaluate import Evaluation, Rulesets, Settings, evaluate

if TYPE_CHECKING:
    from ..store.records import StoredRecord

__all__ = ["STATUSES", "Result", "Summary", "default_jobs", "evaluate_many", "expand", "recorded"]


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
    internal: bool = False
    rows: tuple[tuple[Any, ...], ...] = ()  # the store rows of its audit records, when the batch records

    def records(self) -> list[StoredRecord]:
        """Its audit records as the store's records (for a sink that adds to them, as the web's does)."""
        from ..store.records import StoredRecord
        from ..store.schema import COLUMNS

        row = namedtuple("row", COLUMNS)  # type: ignore[misc]  # a database row's shape, as `from_row` reads it
        return [StoredRecord.from_row(row(*values)) for values in self.rows]


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
    """Runs the evaluate job for one batch's settings and turns each submission into its `Result`."""

    def __init__(self, settings: Settings, rulesets_dir: Path | None, role: str | None = None):
        self.settings = settings
        self.rulesets = Rulesets(Registry(rulesets_dir, lang=settings.lang))
        self.role = role

    def __call__(self, path: Path) -> Result:
        try:
            evaluation = evaluate(path, self.settings, self.rulesets)
            report = evaluation.report
            rows = self._rows(evaluation)
        except CgcError as exc:
            return _failed(path, tuple(str(p) for p in exc.problems), internal=False)
        except Exception as exc:  # noqa: BLE001 - the batch fence: one file's bug is that file's record
            where = log_crash(exc, [str(path)])
            detail = f"; details in {where}" if where else ""
            return _failed(
                path, (f"{display_path(path)}: internal error ({type(exc).__name__}){detail}",), internal=True
            )
        data = report.data
        statuses = tuple((f"{o['ruleset']} {o['rule_id']}", o["status"]) for o in data["outcomes"])
        return Result(
            json.dumps(data, ensure_ascii=False, separators=(",", ":")),
            False,
            report.compliant,
            statuses,
            project=data["project"]["id"],
            input=data["input"],
            rows=rows,
        )

    def _rows(self, evaluation: Evaluation) -> tuple[tuple[Any, ...], ...]:
        if self.role is None:
            return ()
        from ..store.build import evaluation_records

        return tuple(r.row() for r in evaluation_records(evaluation.report, list(evaluation.runs), self.role))


def _failed(path: Path, errors: tuple[str, ...], internal: bool) -> Result:
    shown = display_path(path)
    record: dict[str, Any] = {"input": shown, "bad_input": not internal, "errors": list(errors)}
    if internal:
        record["internal_error"] = True
    line = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    return Result(line, not internal, False, (), errors=errors, input=shown, internal=internal)


def evaluate_many(
    paths: Iterable[Path],
    settings: Settings,
    rulesets_dir: Path | None,
    jobs: int | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    *,
    role: str | None = None,
) -> Iterator[Result]:
    """A `Result` per submission under `paths`, in input order, from `jobs` worker processes (default: all cores).
    `progress` hears (submissions done, submissions, the last one's file name) after each one; with `role`, each
    result carries the store rows of its audit records (`recorded` adds them).

    Raises `CgcError` at once when `paths` hold no submission file.
    """
    files = expand(paths)
    if not files:
        raise CgcError("no submission files (.xlsx, .csv, .json, .yaml, .yml) found")
    workers = min(jobs or default_jobs(), default_jobs(), len(files))  # never more processes than cores or files
    results = fan_out(files, partial(Worker, settings, rulesets_dir, role), workers)
    return results if progress is None else _reporting(results, len(files), progress)


def _reporting(results: Iterator[Result], total: int, progress: Callable[[int, int, str], None]) -> Iterator[Result]:
    for done, r in enumerate(results, 1):
        progress(done, total, r.input)
        yield r


RECORD_EVERY = 500
"""Audit records added to the store in one transaction (a store error stops the batch; earlier ones are kept)."""


def recorded(results: Iterable[Result], db: str | None) -> Iterator[Result]:
    """The results unchanged, their audit records added to the store at `db` as they come (`RECORD_EVERY` in
    one transaction, the rest at the end); a record already stored is skipped."""
    from ..store.store import open_store

    store = open_store(db)
    rows: list[tuple[Any, ...]] = []
    try:
        for r in results:
            rows += r.rows
            yield r
            if len(rows) >= RECORD_EVERY:
                store.add_rows(rows)
                rows = []
        if rows:
            store.add_rows(rows)
    finally:
        store.engine.dispose()


@dataclass
class Summary:
    """Counts over a batch: submissions by verdict, outcomes per rule and status."""

    total: int = 0
    compliant: int = 0
    bad_input: int = 0
    internal: int = 0
    per_rule: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))

    def add(self, r: Result) -> None:
        self.total += 1
        self.compliant += r.compliant
        self.bad_input += r.bad_input
        self.internal += r.internal
        for rule, status in r.statuses:
            self.per_rule[rule][status] += 1

    @property
    def not_compliant(self) -> int:
        return self.total - self.compliant - self.bad_input - self.internal

    @property
    def exit_code(self) -> int:
        if self.internal:
            return EXIT_INTERNAL
        if self.bad_input:
            return 2
        return 0 if self.compliant == self.total else 1

    def record(self) -> dict[str, Any]:
        return {
            "submissions": self.total,
            "compliant": self.compliant,
            "not_compliant": self.not_compliant,
            "bad_input": self.bad_input,
            "internal_errors": self.internal,
            "per_rule": {rule: {s: c.get(s, 0) for s in STATUSES} for rule, c in sorted(self.per_rule.items())},
        }
