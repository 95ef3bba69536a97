"""The `cgc` command line: English commands, Dutch documents."""

from __future__ import annotations

import sys

import click

from ..errors import CgcError


class CgcGroup(click.Group):
    """A command group that turns bad input into one clear message and exit code 2."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except CgcError as exc:
            for problem in exc.problems:
                click.secho(f"error: {problem}", fg="red", err=True)
            ctx.exit(2)


@click.group(cls=CgcGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="cgc-rules")
def main() -> None:
    """Rules and tender documents for Circulaire Grondstoffencorridors."""


def _register() -> None:
    from . import assess, corridor, db, evaluate, generate, monitor, pack, rulesets  # noqa: F401  (commands attach themselves to `main`)


_register()


def run() -> None:
    """Console entry point."""
    sys.exit(main(standalone_mode=True))
