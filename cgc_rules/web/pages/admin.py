"""Accounts beheren (administrator only): list, add, change role or municipality, set a new password, delete.

The pages work on the same accounts file as `cgc serve adduser` and `cgc serve passwd`; a change takes
effect at the next request (a deleted account or a new password ends the account's sessions).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ...i18n import Msg, show
from ..accounts import Account, AccountRefused, Accounts, Role
from ..auth import User
from ..guard import checked_form
from ..municipalities import registry
from ..oidc import OidcBackend
from . import LANG, page, require, say

PATH = "/beheer/accounts"
TITLE = "Accounts beheren"
ROLE_NAMES = {
    Role.officer: "Inkoper",
    Role.project_leader: "Projectleider",
    Role.gmr_team: "GMR-toolboxteam",
    Role.corridor_coordinator: "Ketenregisseur",
    Role.read_only: "Alleen lezen",
    Role.admin: "Beheerder",
}
FIELDS = {"username": "gebruikersnaam", "password": "wachtwoord", "role": "rol", "municipality": "gemeente"}
DONE = ("toegevoegd", "gewijzigd", "wachtwoord", "verwijderd")  # what the list page confirms (its template words it)
TIMEZONE = ZoneInfo("Europe/Amsterdam")


async def _write(change: Callable[..., object], *args: object) -> None:
    """Run an account change; an accounts file this process cannot write is the operator's to fix, said so."""
    try:
        await run_in_threadpool(change, *args)
    except OSError:
        raise HTTPException(400, say(Msg("web.accounts.read_only"))) from None


def _accounts(request: Request) -> tuple[User, Accounts]:
    user = require(request, "accounts")
    state = request.app.state
    if isinstance(state.backend, OidcBackend):
        raise HTTPException(404, "Accounts worden beheerd bij de inlogdienst (OpenID Connect), niet hier.")
    return user, getattr(state.backend, "accounts", None) or Accounts(state.config.accounts_file)


def _choices() -> dict[str, Any]:
    return {
        "roles": [(r.value, name) for r, name in ROLE_NAMES.items()],
        "municipalities": [("", "Geen: alle gemeenten"), *((m.name, m.name) for m in registry().known)],
    }


def _row(account: Account) -> dict[str, str]:
    day = datetime.fromtimestamp(account.changed, TIMEZONE).date() if account.changed else None
    return {
        "username": account.username,
        "role": ROLE_NAMES[account.role],
        "municipality": account.municipality or "alle gemeenten",
        "changed": show(day, None, LANG),
    }


def _list(request: Request, accounts: Accounts, status: int = 200, **context: Any) -> Response:
    done = request.query_params.get("gedaan", "")
    name = request.query_params.get("account", "")
    rows = [_row(a) for a in sorted(accounts.all(), key=lambda a: a.username)]
    context = {"values": {}, "errors": {}, **context}
    shown = (done, name) if done in DONE and name else None
    return page(
        request, "admin_accounts.html", TITLE, status, oidc=False, rows=rows, done=shown, **_choices(), **context
    )


def _refused(exc: AccountRefused) -> dict[str, str]:
    return {FIELDS[exc.field]: say(exc.msg)}


def _role(posted: FormData, errors: dict[str, str]) -> Role | None:
    try:
        return Role(str(posted.get("rol") or ""))
    except ValueError:
        errors["rol"] = say(Msg("web.form.choice"))
        return None


async def listing(request: Request) -> Response:
    if isinstance(request.app.state.backend, OidcBackend):  # the menu leads here: say where accounts are managed
        require(request, "accounts")
        return page(request, "admin_accounts.html", TITLE, oidc=True, rows=[], done=None, values={}, errors={})
    _, accounts = _accounts(request)
    return _list(request, accounts)


async def create(request: Request) -> Response:
    _, accounts = _accounts(request)
    posted = await checked_form(request, max_files=0)
    username = str(posted.get("gebruikersnaam") or "").strip().lower()
    municipality = str(posted.get("gemeente") or "").strip() or None
    values = {"gebruikersnaam": username, "rol": str(posted.get("rol") or ""), "gemeente": municipality or ""}
    errors: dict[str, str] = {}
    if not username:
        errors["gebruikersnaam"] = say(Msg("web.form.required"))
    role = _role(posted, errors)
    if errors or role is None:
        return _list(request, accounts, 400, values=values, errors=errors)
    try:
        await _write(accounts.add, username, role, str(posted.get("wachtwoord") or ""), municipality)
    except AccountRefused as exc:
        return _list(request, accounts, 400, values=values, errors=_refused(exc))
    return RedirectResponse(f"{PATH}?gedaan=toegevoegd&account={username}", 303)


def _one(request: Request, accounts: Accounts) -> Account:
    account = accounts.get(request.path_params["name"])
    if account is None:
        raise HTTPException(404, "Dit account bestaat niet (meer). Kies een account uit de lijst.")
    return account


def _edit(request: Request, account: Account, me: User, status: int = 200, **context: Any) -> Response:
    values = {"rol": account.role.value, "gemeente": account.municipality or ""}
    context = {"values": values, "errors": {}, **context}
    return page(
        request,
        "admin_account.html",
        f"Account {account.username}",
        status,
        account=_row(account),
        own=account.username == me.username,
        **_choices(),
        **context,
    )


async def edit(request: Request) -> Response:
    me, accounts = _accounts(request)
    return _edit(request, _one(request, accounts), me)


async def change(request: Request) -> Response:
    me, accounts = _accounts(request)
    account = _one(request, accounts)
    posted = await checked_form(request, max_files=0)
    municipality = str(posted.get("gemeente") or "").strip() or None
    values = {"rol": str(posted.get("rol") or ""), "gemeente": municipality or ""}
    errors: dict[str, str] = {}
    role = _role(posted, errors)
    if account.username == me.username and role is not account.role:
        errors["rol"] = say(Msg("web.accounts.own_role"))
    if errors or role is None:
        return _edit(request, account, me, 400, values=values, errors=errors)
    try:
        await _write(accounts.change, account.username, role, municipality)
    except AccountRefused as exc:
        return _edit(request, account, me, 400, values=values, errors=_refused(exc))
    return RedirectResponse(f"{PATH}?gedaan=gewijzigd&account={account.username}", 303)


async def password(request: Request) -> Response:
    me, accounts = _accounts(request)
    account = _one(request, accounts)
    posted = await checked_form(request, max_files=0)
    try:
        await _write(accounts.passwd, account.username, str(posted.get("wachtwoord") or ""))
    except AccountRefused as exc:
        return _edit(request, account, me, 400, errors=_refused(exc))
    return RedirectResponse(f"{PATH}?gedaan=wachtwoord&account={account.username}", 303)


async def delete(request: Request) -> Response:
    me, accounts = _accounts(request)
    account = _one(request, accounts)
    await checked_form(request, max_files=0)
    if account.username == me.username:
        return _edit(request, account, me, 400, errors={"verwijderen": say(Msg("web.accounts.own_delete"))})
    await _write(accounts.remove, account.username)
    return RedirectResponse(f"{PATH}?gedaan=verwijderd&account={account.username}", 303)


routes = [
    Route(PATH, listing, methods=["GET"]),
    Route(PATH, create, methods=["POST"]),
    Route(PATH + "/{name}", edit, methods=["GET"]),
    Route(PATH + "/{name}/rol", change, methods=["POST"]),
    Route(PATH + "/{name}/wachtwoord", password, methods=["POST"]),
    Route(PATH + "/{name}/verwijderen", delete, methods=["POST"]),
]
