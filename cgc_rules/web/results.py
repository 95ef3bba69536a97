"""Reports made in this web session, kept in memory so they can be shown again and downloaded as PDF.

The audit record goes to the store when the user asks (`recorded`); this cache only serves the page and
its PDF, and does not outlive the process. Each report keeps the municipality it belongs to, so a
project leader sees only their own municipality's reports.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from .auth import User


@dataclass(frozen=True)
class Kept:
    id: str
    report: Any  # Report (evaluation) or AwardReport
    municipality: str | None
    owner: str
    recorded: Any = None  # the store's answer (added, already stored) when it was recorded
    names: dict[str, str] = field(default_factory=dict)  # our file name → the uploaded file's name


class Results:
    """The last `size` reports, by an unguessable id."""

    def __init__(self, size: int = 1000):
        self.size = size
        self._items: OrderedDict[str, Kept] = OrderedDict()
        self._lock = threading.Lock()

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
        with self._lock:
            self._items[kept.id] = kept
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return kept

    def get(self, rid: str, user: User) -> Kept | None:
        """The report when it exists and `user` may see it (else None: not found and not allowed look alike)."""
        with self._lock:
            kept = self._items.get(rid)
        return kept if kept and user.sees(kept.municipality) else None

    def __len__(self) -> int:
        return len(self._items)
