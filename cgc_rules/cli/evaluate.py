"""`cgc evaluate`: check a submission against one or more ruleset versions."""

from __future__ import annotations

from pathlib import Path

import click

from .. import kinds
from ..evaluator import compile_ruleset
from ..evaluator import evaluate as run_rules
from ..intake import load_any
from ..report.build import Evaluated, build_report
from ..ruleset import Kind
from . import main, options


@main.command()
@click.argument("submissions", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-r", "--ruleset", "refs", multiple=True, required=True, metavar="ID[@VERSION]",
              help="Ruleset to apply; repeat for several. Without @VERSION the version in force is used.")
@click.option("--as-of", type=options.DATE, default=None,
              help="Use the ruleset versions in force on this date (default: the project's tender_date).")
@options.lang
@options.output_format("evaluate", help="jsonl: one compact line per submission (also for one).")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Write the report to this file (required for pdf).")
@options.rulesets_dir
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes for many submissions (default: all cores).")
def evaluate(submissions: tuple[Path, ...], refs: tuple[str, ...], as_of, lang: str, fmt: str, output: Path | None,
             rulesets_dir: Path | None, jobs: int | None) -> None:
    """Evaluate SUBMISSIONS (bid form .xlsx, .csv material list, YAML or JSON; files or directories).

    Exit code 0: compliant; 1: a requirement fails or lacks data; 2: bad input or usage.
    """
    if len(submissions) > 1 or submissions[0].is_dir() or fmt == "jsonl":
        from .. import batch  # a batch draws its summary table with rich: loaded only for a batch

        settings = batch.Settings(refs, as_of, lang, rulesets_dir)
        raise SystemExit(batch.run(submissions, settings, jobs or batch.default_jobs(), fmt, output))
    options.check_output("evaluate", fmt, output)
    loaded = load_any(submissions[0], lang)
    registry = options.registry(rulesets_dir)
    runs = []
    for ref in refs:
        selection = registry.select(ref, as_of, loaded.submission.project.tender_date)
        kinds.get(Kind.project).refuse(selection.loaded.ruleset)
        compiled = compile_ruleset(selection.loaded.ruleset)
        runs.append(Evaluated(selection, run_rules(loaded.submission, compiled)))
    report = build_report(loaded, runs, lang, as_of)
    options.emit("evaluate", fmt, report, output)
    raise SystemExit(0 if report.compliant else 1)
