"""`cgc rulesets`: list, show, lint, test and diff the rulesets."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import main, options

if TYPE_CHECKING:
    from ..registry import Registry


@main.group()
def rulesets() -> None:
    """Inspect, lint and test rulesets."""


def _registries(rulesets_dir: Path | None) -> list[Registry]:
    """The directory given, else the bundled ruleset root of every subject kind."""
    from ..jobs.rulesets import registries

    return registries(rulesets_dir)


@rulesets.command("list")
@options.output_format("rulesets-list")
@options.rulesets_dir
def list_(fmt: str, rulesets_dir: Path | None) -> None:
    """Every ruleset with its versions and effective periods (default: all bundled, of every kind).

    Ids and versions are never shortened, whatever the width of the terminal or pipe: they are typed back.
    """
    from ..jobs.rulesets import listing

    options.emit("rulesets-list", fmt, listing(_registries(rulesets_dir)), None)


@rulesets.command()
@click.argument("ref", metavar="ID[@VERSION]")
@click.option("--as-of", type=options.DATE, default=None, help="Show the version in force on this date.")
@options.lang
@options.rulesets_dir
def show(ref: str, as_of: date | None, lang: str, rulesets_dir: Path | None) -> None:
    """One ruleset version: its rules, thresholds, sources and parameters."""
    from rich.table import Table

    from ..i18n import render
    from ..jobs.rulesets import show as run
    from ..terminal import terminal_text

    shown_version = run(_registries(rulesets_dir), ref, as_of, lang)
    lr = shown_version.loaded
    r = lr.ruleset
    console = options.console()

    def shown(value: object) -> str:  # a ruleset from --rulesets-dir is input: its texts are never markup
        return terminal_text(value, 2000)

    console.print(f"[bold]{r.id}@{r.version}[/bold] — {shown(r.title)}")
    console.print(f"in force: {r.period()}   kind: {r.kind.value}   rules: {len(r.rules)}")
    console.print(f"file: {shown(lr.path)}   sha256: {lr.sha256}")
    console.print(f"[dim]{render('en', shown_version.selection.reason())}[/dim]")
    if r.levels:
        base = f"   (base level, held without a rule: {r.base_level})" if r.base_level else ""
        console.print(f"levels, low to high: {', '.join(r.levels)}{base}")
    if r.description:
        console.print(shown(r.description.get(lang)))
    for rule in shown_version.rules:
        applies = ", ".join(rule.types) if rule.types else "all"
        if rule.conditions:
            applies += "; when " + " and ".join(rule.conditions)
        label = f" ({rule.indicator_label})" if rule.indicator_label is not None else ""
        rows = [
            ("indicator", f"{rule.indicator}{label}"),
            ("applies to", applies),
            ("threshold", rule.threshold),
            ("source", rule.source + (" [secondary source]" if rule.secondary else "")),
        ]
        if rule.tags:
            rows.append(("tags", ", ".join(rule.tags)))
        rows.append(("meaning", rule.explanation))
        console.print(f"\n[bold]{rule.id}[/bold] — {shown(rule.title)} [cyan]\\[{rule.level}][/cyan]")
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column()
        for k, v in rows:
            grid.add_row(k, shown(v))
        console.print(grid)
    if r.parameters:
        console.print("\n[bold]Parameters[/bold] (numbers the sources do not give; a profile or version must set them)")
        grid = Table.grid(padding=(0, 2))
        for name, p in r.parameters.items():
            value = "[yellow]not set[/yellow]" if p.value is None else shown(f"{p.value} {p.unit or ''}")
            grid.add_row(name, value, shown(p.description.get(lang)))
        console.print(grid)


@rulesets.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@options.rulesets_dir
def lint(paths: tuple[Path, ...], rulesets_dir: Path | None) -> None:
    """Check ruleset files (default: all bundled, of every kind) for schema and semantic errors."""
    from ..jobs.rulesets import lint as run

    count, problems = run(paths or [reg.root for reg in _registries(rulesets_dir)])
    for p in problems:
        click.echo(f"{p}", err=False)
    click.echo(f"{count} ruleset file(s) checked, {len(problems)} problem(s)")
    raise SystemExit(1 if problems else 0)


@rulesets.command("test")
@click.argument("refs", nargs=-1, metavar="[ID[@VERSION]]...")
@options.rulesets_dir
def test_(refs: tuple[str, ...], rulesets_dir: Path | None) -> None:
    """Run the test cases that ship beside each ruleset version (default: all bundled, of every kind)."""
    from ..jobs.rulesets import case_reports

    passed = failed = 0
    for rep in case_reports(_registries(rulesets_dir), refs):
        passed += rep.passed
        failed += len(rep.failures)
        mark = click.style("ok", fg="green") if not rep.failures else click.style("FAILED", fg="red")
        click.echo(f"{rep.ruleset:<45} {rep.cases:>3} cases {rep.checks:>4} checks  {mark}")
        for p in rep.failures:
            click.echo(f"  {p}")
    click.echo(f"rulesets: {passed} passed, {failed} failed")
    raise SystemExit(1 if failed else 0)


@rulesets.command()
@click.argument("old_ref", metavar="ID@A")
@click.argument("new_ref", metavar="ID@B")
@options.output_format("rulesets-diff")
@options.lang
@options.rulesets_dir
def diff(old_ref: str, new_ref: str, fmt: str, lang: str, rulesets_dir: Path | None) -> None:
    """Rules added, removed and changed between two ruleset versions."""
    from ..jobs.rulesets import diff as run

    options.emit("rulesets-diff", fmt, run(rulesets_dir, old_ref, new_ref, lang), None)
