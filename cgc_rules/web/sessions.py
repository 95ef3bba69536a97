"""Server-side sessions in the database: the cookie holds a random token, the row holds the data.

Every `cgc serve` process behind one address reads the same rows, so a user logged in on one continues on
another. Logout deletes the row (a replayed cookie opens nothing), a login starts a new token, and a
password change ends the sessions begun before it (`since`, checked by the backend).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import delete, select, update
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .storing import WebStore
from .tables import sessions

COOKIE = "cgc_session"
SESSIONLESS = ("/static/", "/health", "/ready")  # answered without reading the session table


class Sessions:
    """Rows of `cgc_web_sessions`, keyed by the HMAC of the cookie's token under the app's secret key."""

    def __init__(self, store: WebStore, secret: str, max_age: int = 8 * 3600, clock: Callable[[], float] = time.time):
        self.store, self.secret, self.max_age, self.clock = store, secret.encode(), max_age, clock

    def _id(self, token: str) -> str:
        return hmac.new(self.secret, token.encode(), hashlib.sha256).hexdigest()

    def load(self, token: str) -> dict[str, Any] | None:
        with self.store.engine.connect() as conn:
            row = conn.execute(
                select(sessions.c.data).where(sessions.c.id == self._id(token), sessions.c.expires > self.clock())
            ).first()
        return json.loads(row.data) if row else None

    def create(self, data: dict[str, Any]) -> str:
        token, now = secrets.token_urlsafe(32), self.clock()
        with self.store.writing() as conn:
            conn.execute(sessions.delete().where(sessions.c.expires <= now))  # expired rows go on the way
            conn.execute(
                sessions.insert().values(
                    id=self._id(token),
                    username=_user(data),
                    created=now,
                    expires=now + self.max_age,
                    data=json.dumps(data),
                )
            )
        return token

    def save(self, token: str, data: dict[str, Any]) -> None:
        with self.store.writing() as conn:
            conn.execute(update(sessions).where(sessions.c.id == self._id(token)).values(data=json.dumps(data)))

    def end(self, token: str) -> None:
        with self.store.writing() as conn:
            conn.execute(delete(sessions).where(sessions.c.id == self._id(token)))

    def end_all(self, username: str) -> int:
        """End every session of `username` (an account removed or its password changed)."""
        with self.store.writing() as conn:
            return conn.execute(delete(sessions).where(sessions.c.username == username)).rowcount


def _user(data: dict[str, Any]) -> str | None:
    user = data.get("user")
    return user if isinstance(user, str) else None


class SessionMiddleware:
    """Puts the session's data in `scope["session"]` and writes it back only when a page changed it."""

    def __init__(self, app: ASGIApp, sessions: Sessions, https_only: bool):
        self.app, self.sessions = app, sessions
        self.flags = "; path=/; httponly; samesite=strict" + ("; secure" if https_only else "")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(SESSIONLESS):
            scope["session"] = {}
            await self.app(scope, receive, send)
            return
        token = HTTPConnection(scope).cookies.get(COOKIE)
        loaded = await run_in_threadpool(self.sessions.load, token) if token else None
        if loaded is None:
            token = None
        before = dict(loaded or {})
        scope["session"] = dict(before)

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                cookie = await run_in_threadpool(self._write, token, before, scope["session"])
                if cookie is not None:
                    MutableHeaders(scope=message).append("set-cookie", cookie)
            await send(message)

        await self.app(scope, receive, sending)

    def _write(self, token: str | None, before: dict[str, Any], after: dict[str, Any]) -> str | None:
        """The Set-Cookie value when the cookie changes, after writing the session's row."""
        if after == before:
            return None
        if not after:
            if token:
                self.sessions.end(token)
            return f"{COOKIE}=null; max-age=0{self.flags}"
        if token and _user(after) == _user(before):
            self.sessions.save(token, after)
            return None
        if token:  # a login (or another user): the old token is ended, a new one begins
            self.sessions.end(token)
        return f"{COOKIE}={self.sessions.create(after)}; max-age={self.sessions.max_age}{self.flags}"
