"""Local accounts with roles, kept in a small JSON file; passwords hashed with argon2 (argon2-cffi)."""

from __future__ import annotations

import json
import os
import threading
import time
from enum import Enum
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import CgcError, Problem
from ..i18n import Msg, render
from ..output import write_atomic
from .municipalities import registry

_hasher = PasswordHasher()
# verified against when the user name is unknown, so an unknown name costs as much time as a wrong password
_DUMMY = _hasher.hash("not a password of anyone")


class Role(str, Enum):
    officer = "officer"  # inkoper
    project_leader = "project_leader"  # projectleider: only the own municipality's records
    gmr_team = "gmr_team"  # GMR-toolboxteam
    corridor_coordinator = "corridor_coordinator"  # ketenregisseur
    read_only = "read_only"
    admin = "admin"  # beheerder: the account pages and /metrics


class Account(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    username: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]{1,63}$")
    role: Role
    municipality: str | None = Field(
        None, description="The registry's name; required for a project leader, scopes any role it is given to."
    )
    password_hash: str
    changed: float = Field(0.0, description="When the password was set (Unix time); older sessions end.")


class AccountRefused(CgcError):
    """An account change refused: the field it concerns and why, as a message (English on the command line)."""

    def __init__(self, field: str, msg: Msg):
        self.field, self.msg = field, msg  # field: username | password | role | municipality
        super().__init__(render("en", msg))


class AccountsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    accounts: list[Account] = []


class Accounts:
    """The accounts file, read on each look-up so `cgc serve adduser` takes effect without a restart."""

    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()

    def _read(self) -> AccountsFile:
        if not self.path.is_file():
            return AccountsFile()
        try:
            return AccountsFile.model_validate_json(self.path.read_bytes())
        except ValidationError as exc:
            raise CgcError(Problem(f"invalid accounts file: {exc.errors()[0]['msg']}", str(self.path))) from None

    def all(self) -> list[Account]:
        return self._read().accounts

    def get(self, username: str) -> Account | None:
        return next((a for a in self._read().accounts if a.username == username), None)

    def add(
        self, username: str, role: Role, password: str, municipality: str | None = None, *, replace: bool = False
    ) -> Account:
        """Add an account (replace one only when asked); written atomically, readable by its owner only."""
        municipality = _scope(role, municipality)
        with self._lock:
            if not replace and self.get(username) is not None:
                raise AccountRefused("username", Msg("web.accounts.exists", {"username": username}))
            return self._put(username, role, municipality, _hashed(password))

    def passwd(self, username: str, password: str) -> Account:
        """A new password for an existing account; the sessions begun before it end."""
        with self._lock:
            old = self._existing(username)
            return self._put(username, old.role, old.municipality, _hashed(password))

    def change(self, username: str, role: Role, municipality: str | None) -> Account:
        """Another role or municipality for an existing account; its password and sessions stay."""
        municipality = _scope(role, municipality)
        with self._lock:
            old = self._existing(username)
            return self._write(old.model_copy(update={"role": role, "municipality": municipality}))

    def remove(self, username: str) -> None:
        """Delete an account; its sessions end at once (the backend no longer finds it)."""
        with self._lock:
            self._existing(username)
            data = self._read()
            data.accounts = [a for a in data.accounts if a.username != username]
            self._save(data)

    def _existing(self, username: str) -> Account:
        old = self.get(username)
        if old is None:
            raise AccountRefused("username", Msg("web.accounts.unknown", {"username": username}))
        return old

    def _put(self, username: str, role: Role, municipality: str | None, password_hash: str) -> Account:
        try:
            account = Account(
                username=username,
                role=role,
                municipality=municipality,
                password_hash=password_hash,
                changed=time.time(),
            )
        except ValidationError:
            raise AccountRefused("username", Msg("web.accounts.username", {"username": username})) from None
        return self._write(account)

    def _write(self, account: Account) -> Account:
        data = self._read()
        data.accounts = [a for a in data.accounts if a.username != account.username] + [account]
        self._save(data)
        return account

    def _save(self, data: AccountsFile) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(self.path, json.dumps(data.model_dump(mode="json"), indent=2).encode("utf-8"))
        os.chmod(self.path, 0o600)

    def verify(self, username: str, password: str) -> Account | None:
        """The account when the password is right, else None (in about the same time either way)."""
        account = self.get(username)
        try:
            _hasher.verify(account.password_hash if account else _DUMMY, password)
        except (VerificationError, InvalidHashError):
            return None
        return account


MIN_PASSWORD = 12


def _hashed(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AccountRefused("password", Msg("web.accounts.password", {"least": MIN_PASSWORD}))
    return _hasher.hash(password)


def _scope(role: Role, municipality: str | None) -> str | None:
    """The registry's name of the account's municipality (a project leader needs one)."""
    if role is Role.project_leader and not municipality:
        raise AccountRefused("municipality", Msg("web.accounts.municipality_needed"))
    if not municipality:
        return None
    found = registry().find(municipality)
    if found is None:
        known = ", ".join(m.name for m in registry().known)
        raise AccountRefused(
            "municipality", Msg("web.accounts.municipality_unknown", {"name": municipality, "known": known})
        )
    return found.name
