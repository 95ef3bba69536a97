"""Reports made through the web app, kept in the database so any replica can show them again.

The audit record goes to the store when the user asks (`recorded`); this table only serves the page and
its downloads, for `keep_for` seconds. A kept report is pickled and signed with the app's secret key: a
row that does not carry the signature (written by anyone but the app) is never unpickled. Each report
keeps the municipality it belongs to, so a user scoped to a municipality sees only its reports.
"""

from __future__ import annotations

import hashlib
import hmac
import pickle
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select

from .auth import User
from .storing import WebStore
from .tables import results

_SIG = 32  # bytes of HMAC-SHA256 before the pickle


@dataclass(frozen=True)
class Kept:
    id: str
    report: Any  # Report (evaluation) or AwardReport
    municipality: str | None
    owner: str
    recorded: Any = None  # the store's answer (added, already stored) when it was recorded
    names: dict[str, str] = field(default_factory=dict)  # our file name → the uploaded file's name


class Results:
    """Kept reports by an unguessable id."""

    def __init__(
        self, store: WebStore, secret: str, keep_for: float = 7 * 24 * 3600, clock: Callable[[], float] = time.time
    ):
        self.store, self.secret, self.keep_for, self.clock = store, secret.encode(), keep_for, clock

    def _sign(self, data: bytes) -> bytes:
        return hmac.new(self.secret, data, hashlib.sha256).digest()

    def keep(
        self,
        report: Any,
        municipality: str | None,
        owner: User,
        recorded: Any = None,
        names: dict[str, str] | None = None,
    ) -> Kept:
        """Keep a report (an evaluation's `Report` or an `AwardReport`) under a new id."""
        kept = Kept(secrets.token_urlsafe(16), report, municipality, owner.username, recorded, names or {})
        data = pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL)
        now = self.clock()
        with self.store.writing() as conn:
            conn.execute(delete(results).where(results.c.created < now - self.keep_for))
            conn.execute(
                results.insert().values(
                    id=kept.id,
                    municipality=municipality,
                    owner=owner.username,
                    created=now,
                    payload=self._sign(data) + data,
                )
            )
        return kept

    def get(self, rid: str, user: User) -> Kept | None:
        """The report when it exists and `user` may see it (else None: not found and not allowed look alike)."""
        with self.store.engine.connect() as conn:
            row = conn.execute(
                select(results.c.municipality, results.c.payload).where(
                    results.c.id == rid, results.c.created >= self.clock() - self.keep_for
                )
            ).first()
        if row is None or not user.sees(row.municipality):
            return None
        sig, data = row.payload[:_SIG], row.payload[_SIG:]
        if not hmac.compare_digest(sig, self._sign(data)):
            return None
        kept: Kept = pickle.loads(data)  # noqa: S301 - signed by this app's secret key above
        return kept
