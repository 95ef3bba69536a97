"""Options shared by several commands."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from rich.console import Console

from ..registry import Registry


class DateType(click.ParamType):
    name = "DATE"

    def convert(self, value, param, ctx):
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.fail(f"{value!r} is not a date in the form YYYY-MM-DD", param, ctx)


DATE = DateType()

rulesets_dir = click.option(
    "--rulesets-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Directory of rulesets (default: the bundled rulesets, or $CGC_RULESETS).",
)
lang = click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True,
                    help="Language of explanations.")


def console() -> Console:
    """A terminal console, or a 120-column one when output goes to a file or pipe."""
    c = Console()
    return c if c.is_terminal else Console(width=120)


def registry(path: Path | None) -> Registry:
    return Registry(path)
