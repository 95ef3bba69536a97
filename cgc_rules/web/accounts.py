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
    admin = "admin"  # beheerder: reads /metrics; no pages of its own


class Account(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    username: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]{1,63}$")
    role: Role
    municipality: str | None = Field(
        None, description="The registry's name; required for a project leader, scopes any role it is given to."
    )
    password_hash: str
    changed: float = Field(0.0, description="When the password was set (Unix time); older sessions end.")


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
        if role is Role.project_leader and not municipality:
            raise CgcError("a project leader needs --municipality")
        if municipality is not None:
            municipality = registry().require(municipality).name
        with self._lock:
            if not replace and self.get(username) is not None:
                raise CgcError(f"account {username!r} exists already (change its password with `cgc serve passwd`)")
            return self._put(username, role, municipality, password)

    def passwd(self, username: str, password: str) -> Account:
        """A new password for an existing account; the sessions begun before it end."""
        with self._lock:
            old = self.get(username)
            if old is None:
                raise CgcError(f"no account {username!r}")
            return self._put(username, old.role, old.municipality, password)

    def _put(self, username: str, role: Role, municipality: str | None, password: str) -> Account:
        if len(password) < 12:
            raise CgcError("a password needs at least 12 characters")
        try:
            account = Account(
                username=username,
                role=role,
                municipality=municipality,
                password_hash=_hasher.hash(password),
                changed=time.time(),
            )
        except ValidationError:
            raise CgcError(f"invalid user name {username!r} (lower-case letters, digits, . _ -)") from None
        data = self._read()
        data.accounts = [a for a in data.accounts if a.username != username] + [account]
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(self.path, json.dumps(data.model_dump(mode="json"), indent=2).encode("utf-8"))
        os.chmod(self.path, 0o600)
        return account

    def verify(self, username: str, password: str) -> Account | None:
        """The account when the password is right, else None (in about the same time either way)."""
        account = self.get(username)
        try:
            _hasher.verify(account.password_hash if account else _DUMMY, password)
        except (VerificationError, InvalidHashError):
            return None
        return account
