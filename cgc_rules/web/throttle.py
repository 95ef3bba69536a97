"""Failed logins slow down whoever repeats them, in the database so every replica counts the same.

Three counts over the last `window` seconds, each with a delay that doubles per failure past a free number:
- one account from one address: attempts before the delay has passed are refused (429, Retry-After);
- one address over all accounts, and one account from all addresses: the answer is slowed, never refused.
So a correct password from another account, or from another address, always gets in: a shared proxy
address or a known user name cannot lock anyone out.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import and_, delete, func, select

from .storing import WebStore
from .tables import login_failures


@dataclass(frozen=True)
class Delay:
    free: int  # failures without delay
    base: float  # seconds after the first failure past `free`
    cap: float

    def after(self, failures: int) -> float:
        return 0.0 if failures < self.free else min(self.cap, self.base * 2 ** (failures - self.free))


PAIR = Delay(free=3, base=2.0, cap=300.0)
ADDRESS = Delay(free=20, base=0.25, cap=4.0)
ACCOUNT = Delay(free=10, base=0.25, cap=4.0)


@dataclass(frozen=True)
class Verdict:
    refused_for: float  # seconds until this account may be tried again from this address; 0: go ahead
    slowed: float  # seconds to wait before answering


class Throttle:
    def __init__(self, store: WebStore, window: float = 900.0, clock: Callable[[], float] = time.time):
        self.store, self.window, self.clock = store, window, clock

    def check(self, account: str, address: str) -> Verdict:
        now = self.clock()
        t = login_failures.c
        recent = t.at > now - self.window
        with self.store.engine.connect() as conn:
            pair, last = conn.execute(
                select(func.count(), func.max(t.at)).where(recent, t.account == account, t.address == address)
            ).one()
            by_address = conn.execute(select(func.count()).where(recent, t.address == address)).scalar_one()
            by_account = conn.execute(select(func.count()).where(recent, t.account == account)).scalar_one()
        wait = (last + PAIR.after(pair) - now) if last is not None else 0.0
        return Verdict(max(0.0, wait), max(ADDRESS.after(by_address), ACCOUNT.after(by_account)))

    def fail(self, account: str, address: str) -> None:
        now = self.clock()
        with self.store.writing() as conn:
            conn.execute(delete(login_failures).where(login_failures.c.at <= now - self.window))
            conn.execute(login_failures.insert().values(account=account, address=address, at=now))

    def succeeded(self, account: str, address: str) -> None:
        """A correct password clears this account's failures from this address."""
        t = login_failures.c
        with self.store.writing() as conn:
            conn.execute(delete(login_failures).where(and_(t.account == account, t.address == address)))
