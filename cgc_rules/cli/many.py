"""How `cgc evaluate` shows a batch: JSON Lines, one JSON document, or a table with a summary per rule."""

from __future__ import annotations

import io
import json
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING

from ..errors import CgcError
from ..i18n import Messages, text
from ..jobs.batch import STATUSES, Result, Summary
from ..output import write_atomic

if TYPE_CHECKING:
    from rich.console import Console


def write_jsonl(items: Iterable[Result], out: IO[str]) -> Summary:
    """One audit record per line, in input order; returns the summary."""
    summary = Summary()
    for r in items:
        out.write(r.line + "\n")
        summary.add(r)
    return summary


def _lines(items: Iterable[Result], summary: Summary) -> Iterator[str]:
    for r in items:
        summary.add(r)
        yield r.line + "\n"


def _table(items: Iterable[Result], console: Console, lang: str) -> Summary:
    m = Messages(lang)
    from rich.markup import escape
    from rich.table import Table

    from ..terminal import terminal_text

    table = Table(box=None)
    table.add_column(m("intake.batch.input"), no_wrap=True, overflow="ignore")  # a path stays whole, for grep
    table.add_column(m("intake.batch.project"), overflow="fold")
    table.add_column(m("intake.batch.verdict"), overflow="fold")
    for s in STATUSES:
        table.add_column(text(lang, f"common.status.{s}"), justify="right")
    summary = Summary()
    for r in items:
        summary.add(r)
        if r.bad_input or r.internal:
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
            not_compliant=summary.not_compliant,
            bad=summary.bad_input,
        )
    )


def _errors_on_terminal(items: Iterable[Result]) -> Iterator[Result]:
    """The results unchanged; each failed file's errors also on standard error (the first ones, then a count)."""
    from ..exits import say_problems

    errors: list[str] = []
    for r in items:
        errors += r.errors
        yield r
    say_problems(errors)


def show(items: Iterable[Result], lang: str, fmt: str, output: Path | None) -> int:
    """Write the batch in `fmt` to `output` or standard output; returns the exit code.

    With `-o FILE` the located errors of bad files are also printed on the terminal.
    """
    from rich.console import Console

    if output is not None:
        items = _errors_on_terminal(items)

    if fmt == "jsonl":
        if output is None:
            summary = write_jsonl(items, sys.stdout)
            print_summary(summary, Console(stderr=True, width=120), lang)
        else:
            summary = Summary()
            write_atomic(output, _lines(items, summary))  # streamed: written as the results come
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
        summary = _table(items, Console(file=buf, width=160, color_system=None), lang)
        write_atomic(output, buf.getvalue())
    else:
        console = Console()
        summary = _table(items, console if console.is_terminal else Console(width=160), lang)
    return summary.exit_code
