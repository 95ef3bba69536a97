"""The `cgc` command line: English commands, Dutch documents.

Subcommands load lazily: `cgc evaluate` imports the evaluate module only, not python-docx,
WeasyPrint or the pack code. A verb's module attaches its command to `main` when imported;
`VERBS` says which module holds which verb.
"""

from __future__ import annotations

import gc
import os
import sys
from importlib import import_module
from typing import Any

# numpy's OpenBLAS starts a worker thread per core that spins while numpy loads (about 55 ms of CPU per command);
# nothing here uses BLAS, so one thread, unless the user chose otherwise. Set before anything imports numpy.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import click

from ..errors import CgcError

VERBS: dict[str, str] = {
    "assess": "assess",
    "check": "check",
    "claims": "claims",
    "convert": "convert",
    "corridor": "corridor",
    "db": "db",
    "evaluate": "evaluate",
    "flows": "flows",
    "form": "form",
    "generate": "generate",
    "monitor": "monitor",
    "notice": "notice",
    "pack": "pack",
    "rulesets": "rulesets",
    "schema": "schema",
    "score": "score",
    "serve": "serve",
    "templates": "generate",
    "tender": "tender",
    "verify": "verify",
}


class CgcGroup(click.Group):
    """A command group that loads each verb on demand and turns bad input into one message and exit code 2."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(VERBS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in VERBS:
            import_module(f"{__name__}.{VERBS[cmd_name]}")
        return self.commands.get(cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CgcError as exc:
            from ..exits import say_problems

            say_problems(exc.problems)
            ctx.exit(2)
        except BrokenPipeError:  # the reader stopped early (`| head`): click itself would end with 1, "not compliant"
            from ..exits import EXIT_OK, quiet_stdout

            quiet_stdout()
            ctx.exit(EXIT_OK)


@click.group(cls=CgcGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="cgc-rules")
def main() -> None:
    """Rules and tender documents for Circulaire Grondstoffencorridors."""


def run() -> None:
    """Console entry point: every ending is one of the documented exit codes (`cgc_rules.exits`)."""
    from ..collector import one_shot
    from ..exits import guarded_main

    one_shot()
    code = guarded_main(main)
    # the process ends here: what the command built stays for the interpreter's last collections, which would
    # walk all of it again (0.1-0.2 s of CPU after a 20,000-line corridor); frozen, they skip it
    gc.freeze()
    sys.exit(code)
