"""Options shared by several commands."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from .. import renderers
from ..output import write_atomic

if TYPE_CHECKING:
    from rich.console import Console

    from ..registry import Registry

    # click types ParamType by the value it converts to; older clicks (8.1) cannot subscript it at run time.
    _DateParam = click.ParamType[date, "str | date"]
else:
    _DateParam = click.ParamType

F = TypeVar("F", bound=Callable[..., Any])
"""A command function; an option decorator returns it with its type unchanged."""


class DateType(_DateParam):
    name = "DATE"

    def convert(self, value: str | date, param: click.Parameter | None, ctx: click.Context | None) -> date:
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
profiles_dir = click.option(
    "--profiles-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Directory of municipality profiles (default: the bundled profiles, or $CGC_PROFILES).",
)


def lang_option(help: str = "Language of explanations.") -> Callable[[F], F]:
    """`--lang`, its choices the languages that have message catalogues (`cgc_rules.languages.LANGUAGES`)."""
    from ..languages import LANGUAGES

    return click.option(
        "--lang", type=click.Choice(list(LANGUAGES)), default=LANGUAGES[0], show_default=True, help=help
    )


lang = lang_option()


def output_format(report: str, help: str | None = None) -> Callable[[F], F]:
    """`--format`, its choices the formats registered for `report` (the first is the default)."""
    names = renderers.formats(report)
    return click.option("--format", "fmt", type=click.Choice(names), default=names[0], show_default=True, help=help)


def check_output(report: str, fmt: str, output: Path | None) -> None:
    """A format that cannot print to the terminal needs `-o FILE`: a usage error before any work."""
    if renderers.renderer(report, fmt).needs_file and output is None:
        raise click.UsageError(f"--format {fmt} needs -o FILE")


def emit(report_name: str, fmt: str, report: Any, output: Path | None) -> None:
    """Write `report` in format `fmt` to `output`, or to standard output (a table drawn for the terminal)."""
    r = renderers.renderer(report_name, fmt)
    if output is not None:
        write_atomic(output, r.stream(report), private=report_name == "score")  # award advice: 0600
    elif r.console:
        r.load()(report, console())
    else:
        rendered = r.stream(report)
        for chunk in (rendered,) if isinstance(rendered, str | bytes) else rendered:
            click.echo(chunk, nl=False)


def console() -> Console:
    """A terminal console, or a 120-column one when output goes to a file or pipe."""
    from rich.console import Console

    c = Console()
    return c if c.is_terminal else Console(width=120)


def registry(path: Path | None) -> Registry:
    """The rulesets under `path`; its errors in the command's `--lang` (English for a command without one).

    Imported here: the registry loads the ruleset models, which commands without rulesets never need."""
    from ..registry import Registry

    context = click.get_current_context(silent=True)
    lang = context.params.get("lang") if context else None
    return Registry(path, lang=lang if isinstance(lang, str) else "en")
