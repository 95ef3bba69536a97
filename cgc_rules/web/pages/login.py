"""Inloggen and uitloggen for the password backend (local accounts); throttled per user name and address."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ...i18n import Msg
from ..auth import PasswordBackend
from ..guard import checked_form
from . import page, say


async def form(request: Request) -> Response:
    if not request.app.state.backend.login_required:
        return RedirectResponse("/", 303)
    return page(request, "login.html", "Inloggen", error=None, username="")


async def submit(request: Request) -> Response:
    state = request.app.state
    backend = state.backend
    if not isinstance(backend, PasswordBackend):
        return RedirectResponse("/", 303)
    posted = await checked_form(request, max_files=0)
    username = str(posted.get("gebruikersnaam") or "").strip().lower()
    password = str(posted.get("wachtwoord") or "")
    keys = (f"user:{username}", f"addr:{request.client.host if request.client else ''}")
    if backend.throttle.blocked(*keys):
        return page(request, "login.html", "Inloggen", 429, error=say(Msg("web.login.throttled")), username=username)
    account = backend.accounts.verify(username, password)
    if account is None:
        backend.throttle.fail(*keys)
        state.metrics.login_failures.inc()
        return page(request, "login.html", "Inloggen", 401, error=say(Msg("web.login.failed")), username=username)
    request.session.clear()  # a fresh session (and CSRF token) after login
    request.session["user"] = account.username
    return RedirectResponse("/", 303)


async def logout(request: Request) -> Response:
    await checked_form(request, max_files=0)
    request.session.clear()
    return RedirectResponse("/inloggen" if request.app.state.backend.login_required else "/", 303)


routes = [
    Route("/inloggen", form, methods=["GET"]),
    Route("/inloggen", submit, methods=["POST"]),
    Route("/uitloggen", logout, methods=["POST"]),
]
