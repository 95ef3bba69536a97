"""`cgc pack`: build and verify versioned template packs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from . import main, options


@main.group()
def pack() -> None:
    """Build and verify template packs (documents, manifest, changelog, index)."""


@pack.command()
@click.argument("packdef")
@click.option(
    "-o",
    "--output",
    "dist",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("dist"),
    show_default=True,
    help="Directory for <name>-<version>.zip.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes for documents (default: number of cores).",
)
@click.option(
    "--previous",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="The previous pack; CHANGELOG.md lists what changed since it.",
)
@options.profiles_dir
@options.rulesets_dir
def build(
    packdef: str,
    dist: Path,
    jobs: int | None,
    previous: Path | None,
    profiles_dir: Path | None,
    rulesets_dir: Path | None,
) -> None:
    """Build DIST/<name>-<version>.zip from PACKDEF: a definition file, or the name of a bundled one
    (gmr-toolbox; CGC_PACKS names another folder of definitions)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from ..jobs.pack import build as build_job

    err = Console(stderr=True)
    columns = (TextColumn("documents"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, disable=not err.is_terminal, transient=True) as progress:

        def start(total: int) -> Callable[[int], None]:
            task = progress.add_task("documents", total=total)
            return lambda n: progress.advance(task, n)

        result = build_job(
            packdef, dist, options.registry(rulesets_dir), profiles_dir, jobs=jobs, previous=previous, start=start
        )
    click.echo(f"{result.path}: {result.documents} documents, {result.files} files, {result.size:,} bytes")


@pack.command()
@click.argument("zip_path", metavar="ZIP", type=click.Path(dir_okay=False, path_type=Path))
def verify(zip_path: Path) -> None:
    """Check every file of ZIP against the sizes and sha256 sums in its manifest (exit 1 on any difference)."""
    from ..jobs.pack import verify as verify_job

    result = verify_job(zip_path)
    for line in result.lines():
        click.secho(line, fg="red")
    if not result.ok:
        raise SystemExit(1)
    click.echo(f"{zip_path}: ok, {result.checked} files match the manifest")
