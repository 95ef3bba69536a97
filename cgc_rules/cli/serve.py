"""`cgc serve`: the local web application; `cgc serve adduser` for its accounts."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import main

if TYPE_CHECKING:
    from ..web.config import Config


@main.group(invoke_without_command=True)
@click.option(
    "--host",
    default=None,
    help="Address to listen on (default 127.0.0.1, or $CGC_WEB_HOST). Any other host needs accounts.",
)
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="Port (default 8000, or $CGC_WEB_PORT).")
@click.option(
    "--db", "database_url", default=None, metavar="URL", help="The store's database URL (default $CGC_DATABASE_URL)."
)
@click.option(
    "--accounts",
    "accounts_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Accounts file (default $CGC_WEB_ACCOUNTS, else ~/.config/cgc/accounts.json).",
)
@click.pass_context
def serve(
    ctx: click.Context, host: str | None, port: int | None, database_url: str | None, accounts_file: Path | None
) -> None:
    """Serve the web application (in Dutch) for officers, project leaders, the GMR team and corridor coordinators."""
    from ..web.config import Config

    config = Config.from_env(host=host, port=port, database_url=database_url, accounts_file=accounts_file)
    ctx.obj = config
    if ctx.invoked_subcommand is not None:
        return
    import uvicorn

    from ..web.app import create_app
    from ..web.observe import configure_logging

    configure_logging()
    app = create_app(config)
    mode = "network: login required" if config.network else "local: no login"
    click.echo(f"cgc serve on http://{config.host}:{config.port}/ ({mode})", err=True)
    uvicorn.run(
        app,
        host=config.host,
        port=config.port,
        log_config=None,
        access_log=False,
        proxy_headers=config.forwarded_allow_ips is not None,
        forwarded_allow_ips=config.forwarded_allow_ips,
        server_header=False,
        timeout_keep_alive=75,
    )


@serve.command()
@click.argument("username")
@click.option(
    "--role",
    required=True,
    type=click.Choice(["officer", "project_leader", "gmr_team", "corridor_coordinator", "read_only", "admin"]),
)
@click.option(
    "--municipality",
    default=None,
    help="The municipality the account works for (required for a project leader); it then sees only its records.",
)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input (one line).")
@click.option("--replace", is_flag=True, help="Replace an existing account of that name (its sessions end).")
@click.pass_obj
def adduser(
    config: Config, username: str, role: str, municipality: str | None, password_stdin: bool, replace: bool
) -> None:
    """Add an account of the web application; the password is stored as an argon2 hash."""
    from ..web.accounts import Accounts, Role

    account = Accounts(config.accounts_file).add(
        username, Role(role), _password(password_stdin), municipality, replace=replace
    )
    scope = f", {account.municipality}" if account.municipality else ""
    click.echo(f"{username} ({role}{scope}) saved in {config.accounts_file}")


@serve.command()
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input (one line).")
@click.pass_obj
def passwd(config: Config, username: str, password_stdin: bool) -> None:
    """Change an account's password; every session begun before the change ends."""
    from ..web.accounts import Accounts

    Accounts(config.accounts_file).passwd(username, _password(password_stdin))
    click.echo(f"password of {username} changed; its earlier sessions are ended")


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))
