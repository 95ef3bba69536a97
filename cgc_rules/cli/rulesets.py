"""`cgc rulesets`: list, show, lint and test the rulesets."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.table import Column, Table

from .. import kinds
from ..explain import project_type_name
from ..i18n import render
from ..i18n import show as show_value
from ..operators import SYMBOL
from ..registry import Registry
from ..ruleset import ByProjectType, ParameterRef
from . import main, options


@main.group()
def rulesets() -> None:
    """Inspect, lint and test rulesets."""


def _registries(rulesets_dir: Path | None) -> list[Registry]:
    """The directory given, else the bundled ruleset root of every subject kind."""
    if rulesets_dir is not None:
        return [options.registry(rulesets_dir)]
    return [Registry(root) for root in kinds.ruleset_roots()]


@rulesets.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@options.rulesets_dir
def list_(fmt: str, rulesets_dir: Path | None) -> None:
    """Every ruleset with its versions and effective periods (default: all bundled, of every kind).

    Ids and versions are never shortened, whatever the width of the terminal or pipe: they are typed back.
    """
    rows = [lr.ruleset for reg in _registries(rulesets_dir) for versions in reg.by_id.values() for lr in versions]
    if fmt == "json":
        click.echo(
            json.dumps(
                [
                    {
                        "id": r.id,
                        "version": r.version,
                        "ref": r.ref,
                        "kind": r.kind.value,
                        "effective_from": r.effective_from.isoformat(),
                        "effective_until": r.effective_until.isoformat() if r.effective_until else None,
                        "rules": len(r.rules),
                        "title": r.title,
                    }
                    for r in rows
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    widest = max((len(r.id) for r in rows), default=2)
    console = options.console()
    if console.width < widest + 60:  # too narrow for a table: one line per version, the title under it
        for r in rows:
            console.print(
                f"{r.id}@{r.version}  {r.period()}  {r.kind.value}  {len(r.rules)} rules",
                soft_wrap=True,
                markup=False,
                highlight=False,
            )
            console.print(f"    {r.title}", markup=False, highlight=False)
        return
    table = Table(
        Column("id", no_wrap=True, min_width=widest),
        Column("version", no_wrap=True, min_width=7),
        Column("in force", overflow="fold"),
        Column("kind", overflow="fold"),
        Column("rules", no_wrap=True),
        Column("title", overflow="fold", ratio=1),
    )
    for r in rows:
        table.add_row(r.id, r.version, r.period(), r.kind.value, str(len(r.rules)), r.title)
    console.print(table)


def _threshold(rule, lang: str) -> str:
    t = rule.threshold
    if rule.comparator is None:
        return "—"
    sym = SYMBOL[rule.comparator]
    if isinstance(t, ByProjectType):
        return "; ".join(
            f"{project_type_name(k.value, lang)} {sym} {show_value(v, rule.unit, lang)}"
            for k, v in t.by_project_type.items()
        )
    if isinstance(t, ParameterRef):
        return f"{sym} parameter {t.parameter}"
    return f"{sym} {show_value(t, rule.unit, lang)}"


@rulesets.command()
@click.argument("ref", metavar="ID[@VERSION]")
@click.option("--as-of", type=options.DATE, default=None, help="Show the version in force on this date.")
@options.lang
@options.rulesets_dir
def show(ref: str, as_of, lang: str, rulesets_dir: Path | None) -> None:
    """One ruleset version: its rules, thresholds, sources and parameters."""
    from ..registry import parse_ref
    from ..terminal import terminal_text

    registries = _registries(rulesets_dir)
    rid = parse_ref(ref)[0]
    reg = next((r for r in registries if rid in r.by_id), registries[0])
    sel = reg.select(ref, as_of) if as_of or "@" in ref else reg.current(ref)
    lr, r = sel.loaded, sel.loaded.ruleset
    console = options.console()

    def shown(value: object) -> str:  # a ruleset from --rulesets-dir is input: its texts are never markup
        return terminal_text(value, 2000)

    console.print(f"[bold]{r.id}@{r.version}[/bold] — {shown(r.title)}")
    console.print(f"in force: {r.period()}   kind: {r.kind.value}   rules: {len(r.rules)}")
    console.print(f"file: {shown(lr.path)}   sha256: {lr.sha256}")
    console.print(f"[dim]{render('en', sel.reason())}[/dim]")
    if r.levels:
        base = f"   (base level, held without a rule: {r.base_level})" if r.base_level else ""
        console.print(f"levels, low to high: {', '.join(r.levels)}{base}")
    if r.description:
        console.print(shown(r.description.get(lang)))
    for rule in r.rules:
        types = rule.applies_when.project_type
        applies = ", ".join(project_type_name(t.value, lang) for t in types) if types else "all"
        if rule.applies_when.conditions:
            applies += "; when " + " and ".join(
                f"{c.indicator} {SYMBOL[c.comparator]} {c.value}" for c in rule.applies_when.conditions
            )
        src = r.sources[rule.source]
        ind = kinds.of(r).indicators.get(rule.indicator)
        rows = [
            ("indicator", f"{rule.indicator}" + (f" ({render(lang, ind.label)})" if ind else "")),
            ("applies to", applies),
            ("threshold", _threshold(rule, lang)),
            ("source", src.citation() + (" [secondary source]" if src.secondary else "")),
        ]
        if rule.tags:
            rows.append(("tags", ", ".join(rule.tags)))
        rows.append(("meaning", rule.explanation.get(lang)))
        console.print(f"\n[bold]{rule.id}[/bold] — {shown(rule.title.get(lang))} [cyan]\\[{rule.level.value}][/cyan]")
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
    from ..lint import lint as run_lint

    count, problems = run_lint(paths or [reg.root for reg in _registries(rulesets_dir)])
    for p in problems:
        click.echo(f"{p}", err=False)
    click.echo(f"{count} ruleset file(s) checked, {len(problems)} problem(s)")
    raise SystemExit(1 if problems else 0)


@rulesets.command("test")
@click.argument("refs", nargs=-1, metavar="[ID[@VERSION]]...")
@options.rulesets_dir
def test_(refs: tuple[str, ...], rulesets_dir: Path | None) -> None:
    """Run the test cases that ship beside each ruleset version (default: all bundled, of every kind)."""
    from ..cases import run_cases
    from ..registry import parse_ref

    wanted = [parse_ref(r) for r in refs]
    passed = failed = 0
    for rid, versions in ((rid, vs) for reg in _registries(rulesets_dir) for rid, vs in reg.by_id.items()):
        for lr in versions:
            if wanted and not any(rid == w and v in (None, lr.ruleset.version) for w, v in wanted):
                continue
            rep = run_cases(lr)
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
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@options.lang
@options.rulesets_dir
def diff(old_ref: str, new_ref: str, fmt: str, lang: str, rulesets_dir: Path | None) -> None:
    """Rules added, removed and changed between two ruleset versions."""
    from ..diff import diff_rulesets, render_table
    from ..errors import CgcError
    from ..registry import parse_ref

    reg = Registry(options.registry(rulesets_dir).root, checked=False)  # a diff compares files, evaluates nothing
    pair = []
    for ref in (old_ref, new_ref):
        rid, version = parse_ref(ref)
        if version is None:
            raise CgcError(f"{ref!r}: give an explicit version, ID@VERSION")
        pair.append(reg.get(rid, version).ruleset)
    result = diff_rulesets(pair[0], pair[1], lang)
    if fmt == "json":
        import json

        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        options.console().print(render_table(result))
