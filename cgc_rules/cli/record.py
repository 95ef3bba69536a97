"""`--record`, `--role` and `--db` for `cgc evaluate` and `cgc assess`: keep the audit record in the store."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from ..jobs.evaluate import ROLES

if TYPE_CHECKING:
    from ..jobs.assess import Assessment
    from ..jobs.evaluate import Evaluation

db_option = click.option(
    "--db",
    "db",
    metavar="URL",
    default=None,
    envvar="CGC_DATABASE_URL",
    help="Store: a SQLite file or sqlite:///FILE or postgresql://… "
    "(default: $CGC_DATABASE_URL, else the user data directory).",
)


def _keep(name: str) -> Callable[[click.Context, click.Parameter, object], object]:
    def callback(ctx: click.Context, param: click.Parameter, value: object) -> object:
        ctx.meta[f"cgc.record.{name}"] = value
        return value

    return callback


def options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Adds the recording options without changing the command's signature (they go to `ctx.meta`)."""
    command = click.option(
        "--record",
        is_flag=True,
        expose_value=False,
        callback=_keep("record"),
        help="Keep the audit record in the store (once per input, ruleset version and role).",
    )(command)
    command = click.option(
        "--db",
        metavar="URL",
        default=None,
        envvar="CGC_DATABASE_URL",
        expose_value=False,
        callback=_keep("db"),
        help="Store to record into (default: $CGC_DATABASE_URL, else the user data directory).",
    )(command)
    return command


def role_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--role",
        type=click.Choice(ROLES),
        default="design",
        show_default=True,
        expose_value=False,
        callback=_keep("role"),
        help="What the submission is, for --record.",
    )(command)


def _asked() -> tuple[bool, dict[str, Any]]:
    meta = click.get_current_context().meta
    return bool(meta.get("cgc.record.record")), meta


def batch_role() -> tuple[str | None, str | None]:
    """The role a batch's records are kept in and the store (`--db`); no role without `--record`."""
    asked, meta = _asked()
    return (meta["cgc.record.role"] if asked else None), meta.get("cgc.record.db")


def keep_evaluation(evaluation: Evaluation) -> None:
    """Store one record per ruleset version when `--record` was given."""
    asked, meta = _asked()
    if asked:
        from ..jobs.evaluate import record

        record(evaluation, meta["cgc.record.role"], meta.get("cgc.record.db"))


def keep_assessment(assessment: Assessment) -> None:
    """Store the self-assessment when `--record` was given."""
    asked, meta = _asked()
    if asked:
        from ..jobs.assess import record

        record(assessment, meta.get("cgc.record.db"))
