"""Request guards: body size, security headers, login, and CSRF tokens for every form post."""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .auth import AuthBackend

PUBLIC = ("/inloggen", "/inloggen/oidc", "/health", "/ready", "/metrics", "/static/", "/thema.css")
CSRF_FIELD = "csrf_token"
_PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'; object-src 'none'"
)
# generated reports and documents carry their own <style>; they never run scripts
_DOC_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'self'; "
    "base-uri 'none'; form-action 'none'"
)


class CsrfError(Exception):
    """A form post without the session's token."""


class GuardMiddleware:
    """Refuses bodies above the limit before reading them and adds security headers to every answer."""

    def __init__(self, app: ASGIApp, max_body: int):
        self.app, self.max_body = app, max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] in {"POST", "PUT", "PATCH"}:
            length = dict(scope["headers"]).get(b"content-length")
            if length is None or not length.isdigit():
                await PlainTextResponse("Length Required", 411)(scope, receive, send)
                return
            if int(length) > self.max_body:
                await PlainTextResponse("Het bestand is te groot.", 413, headers={"Connection": "close"})(
                    scope, receive, send
                )
                return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = message.setdefault("headers", [])
                names = {k.lower() for k, _ in headers}
                document = b"x-cgc-document" in names
                extra = {
                    b"content-security-policy": (_DOC_CSP if document else _PAGE_CSP).encode(),
                    b"x-content-type-options": b"nosniff",
                    b"referrer-policy": b"same-origin",
                    b"x-frame-options": b"SAMEORIGIN",
                    b"cache-control": b"no-store",
                }
                headers += [(k, v) for k, v in extra.items() if k not in names]
            await send(message)

        await self.app(scope, receive, sending)


class AuthMiddleware:
    """Puts `request.state.user`; with a login-required backend only public paths are open without one."""

    def __init__(self, app: ASGIApp, backend: AuthBackend):
        self.app, self.backend = app, backend

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        user = self.backend.user(scope.get("session", {}))
        scope.setdefault("state", {})["user"] = user
        path = scope["path"]
        if user is None and self.backend.login_required and not _public(path):
            if scope["method"] == "GET":
                response: Any = RedirectResponse("/inloggen", 303)
            else:
                response = PlainTextResponse("Inloggen nodig.", 401)
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _public(path: str) -> bool:
    return any(path == p or (p.endswith("/") and path.startswith(p)) for p in PUBLIC)


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first use."""
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


async def checked_form(request: Request, max_files: int = 2) -> FormData:
    """The posted form, once its CSRF token matches the session's (raises CsrfError). Pages read forms only so."""
    form = await request.form(max_files=max_files, max_fields=200)
    sent, expected = form.get(CSRF_FIELD), request.session.get("csrf")
    if not isinstance(sent, str) or not isinstance(expected, str) or not hmac.compare_digest(sent, expected):
        raise CsrfError
    return form
