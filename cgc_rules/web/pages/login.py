"""Inloggen and uitloggen: local accounts (throttled per account and address) or an OpenID provider."""

from __future__ import annotations

import asyncio
import math
import time

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ...i18n import Msg
from ..auth import PasswordBackend
from ..guard import checked_form
from ..observe import log
from ..oidc import CALLBACK, OidcBackend, Refused
from . import page, say


def _address(request: Request) -> str:
    return request.client.host if request.client else ""


def _failed(request: Request, account: str, reason: str) -> None:
    request.app.state.metrics.login_failures.inc()
    log.warning("login failed", extra={"fields": {"account": account, "client": _address(request), "reason": reason}})


async def form(request: Request) -> Response:
    backend = request.app.state.backend
    if isinstance(backend, OidcBackend):
        return await backend.begin(request)
    if not backend.login_required:
        return RedirectResponse("/", 303)
    return page(request, "login.html", "Inloggen", error=None, username="")


async def submit(request: Request) -> Response:
    state = request.app.state
    backend = state.backend
    if not isinstance(backend, PasswordBackend):
        return RedirectResponse("/", 303)
    posted = await checked_form(request, max_files=0)
    username = str(posted.get("gebruikersnaam") or "").strip().lower()[:64]
    password = str(posted.get("wachtwoord") or "")
    address = _address(request)
    verdict = await run_in_threadpool(state.throttle.check, username, address)
    if verdict.refused_for > 0:
        _failed(request, username, "throttled")
        wait = math.ceil(verdict.refused_for)
        error = say(Msg("web.login.throttled", {"seconds": wait}))
        response = page(request, "login.html", "Inloggen", 429, error=error, username=username)
        response.headers["Retry-After"] = str(wait)
        return response
    if verdict.slowed:
        await asyncio.sleep(verdict.slowed)
    account = await run_in_threadpool(backend.accounts.verify, username, password)
    if account is None:
        await run_in_threadpool(state.throttle.fail, username, address)
        _failed(request, username, "wrong password or unknown account")
        return page(request, "login.html", "Inloggen", 401, error=say(Msg("web.login.failed")), username=username)
    await run_in_threadpool(state.throttle.succeeded, username, address)
    request.session.clear()  # a new session (token and CSRF token) after login
    request.session.update({"user": account.username, "since": time.time()})
    log.info("login", extra={"fields": {"account": account.username, "client": address}})
    return RedirectResponse("/", 303)


async def callback(request: Request) -> Response:
    backend = request.app.state.backend
    if not isinstance(backend, OidcBackend):
        return RedirectResponse("/", 303)
    try:
        user = await backend.finish(request)
    except Refused as refused:
        _failed(request, refused.account, refused.reason)
        return page(request, "login.html", "Inloggen", 403, error=say(Msg("web.login.refused")), username="")
    log.info("login", extra={"fields": {"account": user.username, "client": _address(request), "via": "oidc"}})
    return RedirectResponse("/", 303)


async def logout(request: Request) -> Response:
    await checked_form(request, max_files=0)
    backend = request.app.state.backend
    oidc = request.session.get("oidc")
    request.session.clear()  # the session's row is deleted: its cookie opens nothing any more
    if isinstance(backend, OidcBackend):
        id_token = oidc.get("id_token") if isinstance(oidc, dict) else None
        return RedirectResponse(await backend.logout_url(request, id_token), 303)
    return RedirectResponse("/inloggen" if backend.login_required else "/", 303)


routes = [
    Route("/inloggen", form, methods=["GET"]),
    Route("/inloggen", submit, methods=["POST"]),
    Route(CALLBACK, callback, methods=["GET"]),
    Route("/uitloggen", logout, methods=["POST"]),
]
