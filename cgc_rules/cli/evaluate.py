"""`cgc evaluate`: check a submission against one or more ruleset versions."""

from __future__ import annotations

import io
from pathlib import Path

import click
from rich.console import Console

from ..errors import CgcError
from ..evaluator import compile_ruleset, evaluate as run_rules
from ..output import write_atomic
from ..report.build import Evaluated, build_report
from ..report.render import print_table, to_html, to_json, to_pdf
from ..ruleset import Kind
from ..submission import load_submission
from . import main, options, record


@main.command()
@click.argument("submission", type=click.Path(path_type=Path))
@click.option("-r", "--ruleset", "refs", multiple=True, required=True, metavar="ID[@VERSION]",
              help="Ruleset to apply; repeat for several. Without @VERSION the version in force is used.")
@click.option("--as-of", type=options.DATE, default=None,
              help="Use the ruleset versions in force on this date (default: the project's tender_date).")
@options.lang
@click.option("--format", "fmt", type=click.Choice(["table", "json", "html", "pdf"]), default="table",
              show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Write the report to this file (required for pdf).")
@options.rulesets_dir
@record.options
@record.role_option
def evaluate(submission: Path, refs: tuple[str, ...], as_of, lang: str, fmt: str, output: Path | None,
             rulesets_dir: Path | None) -> None:
    """Evaluate SUBMISSION (YAML or JSON) and explain every outcome.

    Exit code 0: compliant; 1: a requirement fails or lacks data; 2: bad input or usage.
    """
    if fmt == "pdf" and output is None:
        raise click.UsageError("--format pdf needs -o FILE")
    loaded = load_submission(submission)
    registry = options.registry(rulesets_dir)
    runs = []
    for ref in refs:
        selection = registry.select(ref, as_of, loaded.submission.project.tender_date)
        if selection.loaded.ruleset.kind is not Kind.project:
            raise CgcError(f"ruleset {selection.loaded.ruleset.ref} checks municipalities, not projects: use `cgc assess`")
        compiled = compile_ruleset(selection.loaded.ruleset)
        runs.append(Evaluated(selection, run_rules(loaded.submission, compiled)))
    report = build_report(loaded, runs, lang, as_of)
    record.keep_evaluation(report, runs)
    if fmt == "table":
        if output:
            buf = io.StringIO()
            print_table(report, Console(file=buf, width=120, color_system=None))
            write_atomic(output, buf.getvalue())
        else:
            console = Console()
            print_table(report, console if console.is_terminal else Console(width=120))
    else:
        rendered = {"json": to_json, "html": to_html, "pdf": to_pdf}[fmt](report)
        if output:
            write_atomic(output, rendered)
        else:
            click.echo(rendered, nl=False)
    raise SystemExit(0 if report.compliant else 1)
