"""`cgc evaluate`: check a submission against one or more ruleset versions."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ..jobs import evaluate as job
from . import main, options, record


@main.command()
@click.argument("submissions", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-r",
    "--ruleset",
    "refs",
    multiple=True,
    required=True,
    metavar="ID[@VERSION]",
    help="Ruleset to apply; repeat for several. Without @VERSION the version in force is used.",
)
@click.option(
    "--as-of",
    type=options.DATE,
    default=None,
    help="Use the ruleset versions in force on this date (default: the project's tender_date).",
)
@options.lang
@options.output_format("evaluate", help="jsonl: one compact line per submission (also for one).")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="Write the report to this file (required for pdf).",
)
@options.rulesets_dir
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes for many submissions (default: all cores).",
)
@record.options
@record.role_option
def evaluate(
    submissions: tuple[Path, ...],
    refs: tuple[str, ...],
    as_of: date | None,
    lang: str,
    fmt: str,
    output: Path | None,
    rulesets_dir: Path | None,
    jobs: int | None,
) -> None:
    """Evaluate SUBMISSIONS (bid form .xlsx, .csv material list, YAML or JSON; files or directories).

    Exit code 0: compliant; 1: a requirement fails or lacks data; 2: bad input or usage.
    """
    settings = job.Settings(refs, as_of, lang)
    if len(submissions) > 1 or submissions[0].is_dir() or fmt == "jsonl":
        from ..jobs.batch import evaluate_many, recorded
        from .many import show

        role, db = record.batch_role()
        results = evaluate_many(submissions, settings, rulesets_dir, jobs, role=role)
        raise SystemExit(show(recorded(results, db) if role else results, lang, fmt, output))
    options.check_output("evaluate", fmt, output)
    evaluation = job.evaluate(submissions[0], settings, job.Rulesets(options.registry(rulesets_dir)))
    record.keep_evaluation(evaluation)
    options.emit("evaluate", fmt, evaluation.report, output)
    raise SystemExit(0 if evaluation.compliant else 1)
