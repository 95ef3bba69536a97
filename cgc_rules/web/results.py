"""Reports made through the web app, kept in the database so any replica can show them again.

The audit record goes to the store when the user asks (`recorded`); this table only serves the page and
its downloads, for `keep_for` seconds. A kept report is pickled and signed with the app's secret key: a
row that does not carry the signature (written by anyone but the app) is never unpickled. A report that
cannot be pickled (an award holds compiled rulesets) is kept as its `inputs` and rebuilt from them by the
replica that opens it, once: each process caches the reports it served last. Each report keeps the
municipality it belongs to, so a user scoped to a municipality sees only its reports.
"""

from __future__ import annotations

import hashlib
import hmac
import pickle
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
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
    inputs: Any = None  # what rebuilds the report, when the report itself is not kept


class Results:
    """Kept reports by an unguessable id."""

    def __init__(
        self,
        store: WebStore,
        secret: str,
        rebuild: Callable[[Any], Any],
        keep_for: float = 7 * 24 * 3600,
        clock: Callable[[], float] = time.time,
        cached: int = 64,
    ):
        self.store, self.secret, self.rebuild = store, secret.encode(), rebuild
        self.keep_for, self.clock, self.cached = keep_for, clock, cached
        self._cache: OrderedDict[str, Kept] = OrderedDict()
        self._lock = threading.Lock()

    def _remember(self, kept: Kept) -> Kept:
        with self._lock:
            self._cache[kept.id] = kept
            while len(self._cache) > self.cached:
                self._cache.popitem(last=False)
        return kept

    def _sign(self, data: bytes) -> bytes:
        return hmac.new(self.secret, data, hashlib.sha256).digest()

    def keep(
        self,
        report: Any,
        municipality: str | None,
        owner: User,
        recorded: Any = None,
        names: dict[str, str] | None = None,
        inputs: Any = None,
    ) -> Kept:
        """Keep a report under a new id: the report itself, or (given `inputs`) what rebuilds it."""
        kept = Kept(secrets.token_urlsafe(16), report, municipality, owner.username, recorded, names or {}, inputs)
        data = pickle.dumps(kept if inputs is None else replace(kept, report=None), protocol=pickle.HIGHEST_PROTOCOL)
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
        return self._remember(kept)

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
        with self._lock:
            known = self._cache.get(rid)
        if known is not None:
            return known
        sig, data = row.payload[:_SIG], row.payload[_SIG:]
        if not hmac.compare_digest(sig, self._sign(data)):
            return None
        kept: Kept = pickle.loads(data)  # noqa: S301 - signed by this app's secret key above
        if kept.inputs is not None:
            kept = replace(kept, report=self.rebuild(kept.inputs))
        return self._remember(kept)
