"""Who is asking, and what they may do.

A backend answers `user(session)`; the login pages are the backend's own routes. The local backend
(bound to loopback) has one user who needs no login; the password backend reads local accounts.
An OpenID Connect backend would add its redirect and callback routes and put the same `User` in the
session: the pages and their permissions do not change.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections import defaultdict, deque
from dataclasses import dataclass
from threading import Lock
from typing import Any

from .accounts import Account, Accounts, Role

# what each page needs; the local user holds every role
PAGE_ROLES: dict[str, frozenset[Role]] = {
    "documents": frozenset({Role.officer, Role.project_leader, Role.gmr_team}),
    "evaluate": frozenset({Role.officer, Role.project_leader}),
    "award": frozenset({Role.officer}),
    "assess": frozenset({Role.gmr_team, Role.officer}),
    "monitoring": frozenset({Role.officer, Role.project_leader, Role.gmr_team, Role.read_only}),
    "corridor": frozenset({Role.corridor_coordinator, Role.officer, Role.gmr_team, Role.read_only}),
    "corridor_edit": frozenset({Role.corridor_coordinator}),
    "rulesets": frozenset(Role),
}


@dataclass(frozen=True)
class User:
    username: str
    roles: frozenset[Role]
    municipality: str | None = None  # set: sees only this municipality's records
    local: bool = False

    def may(self, page: str) -> bool:
        return bool(self.roles & PAGE_ROLES[page])

    def sees(self, municipality: str | None) -> bool:
        """Whether a record of `municipality` is visible to this user."""
        if Role.project_leader not in self.roles or self.local:
            return True
        return (municipality or "").casefold() == (self.municipality or "").casefold()

    @classmethod
    def of(cls, account: Account) -> User:
        return cls(account.username, frozenset({account.role}), account.municipality)


LOCAL_USER = User("lokaal", frozenset(Role), None, local=True)


class AuthBackend(ABC):
    """How users are known. `login_required` backends protect every page but login, health and static files."""

    login_required: bool = True

    @abstractmethod
    def user(self, session: dict[str, Any]) -> User | None:
        """The user of this session, or None."""


class LocalBackend(AuthBackend):
    """One local user on 127.0.0.1: no login."""

    login_required = False

    def user(self, session: dict[str, Any]) -> User | None:
        return LOCAL_USER


class PasswordBackend(AuthBackend):
    """Local accounts with argon2 password hashes; the session holds the user name only."""

    def __init__(self, accounts: Accounts):
        self.accounts = accounts
        self.throttle = Throttle()

    def user(self, session: dict[str, Any]) -> User | None:
        name = session.get("user")
        account = self.accounts.get(name) if isinstance(name, str) else None
        return User.of(account) if account else None  # a removed account loses its sessions at once


class Throttle:
    """At most `limit` failed logins per user name and per client address within `window` seconds."""

    def __init__(self, limit: int = 5, window: float = 900.0):
        self.limit, self.window = limit, window
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        q = self._failures[key]
        while q and q[0] < now - self.window:
            q.popleft()
        return q

    def blocked(self, *keys: str) -> bool:
        now = time.monotonic()
        with self._lock:
            return any(len(self._recent(k, now)) >= self.limit for k in keys)

    def fail(self, *keys: str) -> None:
        now = time.monotonic()
        with self._lock:
            for k in keys:
                self._recent(k, now).append(now)
