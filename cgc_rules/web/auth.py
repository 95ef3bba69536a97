"""Who is asking, and what they may do.

A backend answers `user(session)`; the login pages are the backend's own routes. The local backend
(bound to loopback) has one user who needs no login; the password backend reads local accounts; the
OpenID Connect backend (`oidc.py`) keeps the user its provider's claims map to in the session.
The pages and their permissions do not change with the backend.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any

from .accounts import Account, Accounts, Role
from .municipalities import registry

# what each page needs; the local user holds every role
PAGE_ROLES: dict[str, frozenset[Role]] = {
    "documents": frozenset({Role.officer, Role.project_leader, Role.gmr_team}),
    "evaluate": frozenset({Role.officer, Role.project_leader}),
    "award": frozenset({Role.officer}),
    "assess": frozenset({Role.gmr_team, Role.officer}),
    "packs": frozenset({Role.gmr_team}),
    "monitoring": frozenset({Role.officer, Role.project_leader, Role.gmr_team, Role.read_only}),
    "corridor": frozenset({Role.corridor_coordinator, Role.officer, Role.gmr_team, Role.read_only}),
    "corridor_edit": frozenset({Role.corridor_coordinator}),
    "rulesets": frozenset(Role),
    "metrics": frozenset({Role.admin}),
    "accounts": frozenset({Role.admin}),
}


@dataclass(frozen=True)
class User:
    username: str
    roles: frozenset[Role]
    municipality: str | None = None  # set: sees only this municipality's records and results
    local: bool = False

    def may(self, page: str) -> bool:
        return bool(self.roles & PAGE_ROLES[page])

    def sees(self, municipality: str | None) -> bool:
        """Whether a record of `municipality` is visible to this user (any spelling of the same municipality)."""
        if self.municipality is None or self.local:
            return True
        return registry().same(municipality, self.municipality)

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
    """Local accounts with argon2 password hashes; the session holds the user name and when they logged in."""

    def __init__(self, accounts: Accounts):
        self.accounts = accounts

    def user(self, session: dict[str, Any]) -> User | None:
        name, since = session.get("user"), session.get("since")
        account = self.accounts.get(name) if isinstance(name, str) else None
        # a removed account, or a password changed after this login, ends the session at once
        if account is None or not isinstance(since, int | float) or since < account.changed:
            return None
        return User.of(account)
