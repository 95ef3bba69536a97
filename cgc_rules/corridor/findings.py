"""What the engine finds: routes (candidate or refused) and alerts, as plain sortable records.

Candidate routes may be millions: the engine keeps them as columns (`RouteColumns`, read as a sequence of
records through `Candidates`), which the allocation reads without making records.

Refusals and alerts carry the numbers, ids and dates behind them and say what they mean as a
structured message (`msg`: a catalogue key and its fields); `texts` words them per language.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import astuple, dataclass
from datetime import date
from typing import Any, NamedTuple, TypeVar, overload

import numpy as np

from ..collector import collector_paused
from ..i18n import Msg, Qty
from .model import Quality


@dataclass(frozen=True, order=True, slots=True)
class Route:
    """One way to bring a supply line to a demand line: direct, or through a hub."""

    supply: str
    demand: str
    via: str  # hub id, or "" for direct transport
    leg_km: float  # longest leg
    km: float  # total distance travelled
    storage_days: int  # days waiting in the hub (0 when direct)
    raised: str = ""  # the condition the hub's processing brings the material to, when the demand needs that

    @property
    def key(self) -> str:
        return route_key(self.supply, self.via, self.demand)


def route_key(supply: str, via: str, demand: str) -> str:
    """A route's name: its supply line, its hub or `direct`, its demand line."""
    return f"{supply}>{via or 'direct'}>{demand}"


READ_AT_ONCE = 10_000  # routes made records at a time when read in order
T = TypeVar("T")
_RAISED = [q.value for q in Quality] + [""]  # condition by rank; rank -1: not raised


@dataclass(frozen=True)
class RouteColumns:
    """Routes as numpy columns: supply, demand and hub numbers (positions in the id lists; hub -1: direct),
    the distances, days in storage and the rank of the condition the hub raises the material to (-1: none)."""

    supply_ids: Sequence[str]
    demand_ids: Sequence[str]
    hub_ids: Sequence[str]
    supply: np.ndarray
    demand: np.ndarray
    hub: np.ndarray
    leg_km: np.ndarray
    km: np.ndarray
    storage: np.ndarray
    raised: np.ndarray

    _ARRAYS = ("supply", "demand", "hub", "leg_km", "km", "storage", "raised")

    def __len__(self) -> int:
        return len(self.supply)

    def take(self, which: np.ndarray | slice) -> RouteColumns:
        """The routes selected by a mask, an index array or a slice."""
        return RouteColumns(
            self.supply_ids, self.demand_ids, self.hub_ids, *(getattr(self, name)[which] for name in self._ARRAYS)
        )

    def plain(self) -> tuple[list[Any], ...]:
        """The routes' fields as lists of plain values, in `Route`'s order (ids and conditions by name)."""
        hubs = [*self.hub_ids, ""]  # hub -1: direct
        return (
            list(map(self.supply_ids.__getitem__, self.supply.tolist())),
            list(map(self.demand_ids.__getitem__, self.demand.tolist())),
            list(map(hubs.__getitem__, self.hub.tolist())),
            self.leg_km.tolist(),
            self.km.tolist(),
            self.storage.tolist(),
            list(map(_RAISED.__getitem__, self.raised.tolist())),
        )

    def records(self) -> list[Route]:
        """The routes as records."""
        with collector_paused():  # many records, none in a cycle
            return list(map(Route, *self.plain()))

    def named(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each route's supply, demand and hub id ("" when direct), as arrays of strings."""
        return (
            np.asarray(self.supply_ids, dtype=object)[self.supply],
            np.asarray(self.demand_ids, dtype=object)[self.demand],
            np.asarray([*self.hub_ids, ""], dtype=object)[self.hub],
        )

    def __eq__(self, other: object) -> bool:
        """The same routes in the same order, whatever their numbering."""
        if not isinstance(other, RouteColumns):
            return NotImplemented
        if len(self) != len(other):
            return False
        same_ids = (self.supply_ids, self.demand_ids, self.hub_ids) == (
            other.supply_ids,
            other.demand_ids,
            other.hub_ids,
        )
        if not same_ids and not all(map(np.array_equal, self.named(), other.named())):
            return False  # numbered apart: the ids themselves differ
        compared = self._ARRAYS if same_ids else self._ARRAYS[3:]
        return all(np.array_equal(getattr(self, n), getattr(other, n)) for n in compared)

    __hash__ = None  # type: ignore[assignment]

    @classmethod
    def of(cls, routes: Iterable[Route]) -> RouteColumns:
        """Records as columns (ids numbered in sorted order)."""
        rs = list(routes)
        s_ids = sorted({r.supply for r in rs})
        d_ids = sorted({r.demand for r in rs})
        h_ids = sorted({r.via for r in rs if r.via})
        s_no, d_no = {i: n for n, i in enumerate(s_ids)}, {i: n for n, i in enumerate(d_ids)}
        h_no = {i: n for n, i in enumerate(h_ids)} | {"": -1}
        rank = {q: n for n, q in enumerate(_RAISED[:-1])} | {"": -1}
        return cls(
            s_ids,
            d_ids,
            h_ids,
            np.array([s_no[r.supply] for r in rs], np.int64),
            np.array([d_no[r.demand] for r in rs], np.int64),
            np.array([h_no[r.via] for r in rs], np.int64),
            np.array([r.leg_km for r in rs], float),
            np.array([r.km for r in rs], float),
            np.array([r.storage_days for r in rs], np.int64),
            np.array([rank[r.raised] for r in rs], np.int64),
        )


class Lazy(Sequence[T]):
    """Records kept as columns and made when read (there may be millions): a subclass makes those at given
    positions (`_at`); read in order, `READ_AT_ONCE` at a time. Equal to any sequence of the same records in the
    same order, so not hashable."""

    def _at(self, at: np.ndarray) -> list[T]:
        raise NotImplementedError

    @overload
    def __getitem__(self, at: int) -> T: ...
    @overload
    def __getitem__(self, at: slice) -> list[T]: ...
    def __getitem__(self, at: int | slice) -> T | list[T]:
        if isinstance(at, slice):
            return self._at(np.arange(len(self))[at])
        return self._at(np.array([range(len(self))[at]]))[0]

    def __iter__(self) -> Iterator[T]:
        for first in range(0, len(self), READ_AT_ONCE):
            yield from self._at(np.arange(first, min(first + READ_AT_ONCE, len(self))))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and len(other) == len(self) and all(map(operator.eq, self, other))

    __hash__ = None  # type: ignore[assignment]


class Candidates(Lazy[Route]):
    """Candidate routes kept as columns (there may be millions), made records when read. Records made for an
    allocation (`records_at(..., keep=True)`) are handed out again when the candidates are read."""

    def __init__(self, columns: RouteColumns):
        self.columns = columns
        self._kept: list[Route | None] | None = None  # by position: records made to be kept

    @classmethod
    def of(cls, records: list[Route]) -> Candidates:
        """Records as candidates: their columns, handing out these very records when read."""
        made = cls(RouteColumns.of(records))
        made._kept = list(records)
        return made

    def __len__(self) -> int:
        return len(self.columns)

    def records_at(self, at: np.ndarray, keep: bool = False) -> list[Route]:
        """The routes at positions `at` as records (those kept, the others made); `keep`: keep them."""
        kept = self._kept
        if kept is None:
            made = self.columns.take(at).records()
        else:
            known = [kept[i] for i in at.tolist()]
            fresh = iter(self.columns.take(at[[j for j, r in enumerate(known) if r is None]]).records())
            made = [r if r is not None else next(fresh) for r in known]
        if keep:
            if kept is None:
                kept = self._kept = [None] * len(self)
            for i, r in zip(at.tolist(), made, strict=True):
                kept[i] = r
        return made

    def _at(self, at: np.ndarray) -> list[Route]:
        return self.records_at(at)

    def __eq__(self, other: object) -> bool:
        """Equal to any sequence of the same routes in the same order (candidates: by their columns)."""
        if isinstance(other, Candidates):
            return self.columns == other.columns
        return super().__eq__(other)  # defining __eq__ leaves the class unhashable, as `Lazy`


def route_columns(routes: Sequence[Route]) -> Iterator[tuple[list[Any], ...]]:
    """Routes as columns of plain values in `Route`'s field order, `READ_AT_ONCE` at a time: candidates straight
    from their columns (no records made; there may be millions), a list of records by their fields."""
    if isinstance(routes, Candidates):
        for first in range(0, len(routes), READ_AT_ONCE):
            yield routes.columns.take(slice(first, first + READ_AT_ONCE)).plain()
        return
    for first in range(0, len(routes), READ_AT_ONCE):
        yield tuple(map(list, zip(*map(astuple, routes[first : first + READ_AT_ONCE]), strict=True)))


@dataclass(frozen=True, order=True, slots=True)
class Refusal:
    """A route the rules of play turn down."""

    route: Route
    reason: str  # distance | time
    rule: str  # too_far | needed_before_available | windows_apart | stored_too_long
    limit: float = 0.0  # the distance limit (too_far) or the hub's maximum storage days (stored_too_long)

    @property
    def msg(self) -> Msg:
        """Why the route is refused, as a catalogue message."""
        return refusal_msg(self.rule, self.route.leg_km, self.limit)


class RefusalColumns(NamedTuple):
    """Refusals as columns of plain values: for writers of millions of them."""

    supply: list[str]
    demand: list[str]
    via: list[str]
    leg_km: list[float]
    km: list[float]
    storage_days: list[int]
    raised: list[str]
    reason: list[str]
    rule: list[str]
    limit: list[float]

    @classmethod
    def of(cls, refusals: Iterable[Refusal]) -> RefusalColumns:
        rows = [(*astuple(x.route), x.reason, x.rule, x.limit) for x in refusals]
        return cls(*(list(c) for c in zip(*rows, strict=True))) if rows else cls(*([] for _ in cls._fields))


def refusal_msg(rule: str, leg_km: float, limit: float) -> Msg:
    """Why a route is refused, as a catalogue message: it reads only the rule, the longest leg and the limit."""
    key = f"corridor.refusal.{rule}"
    if rule == "too_far":
        return Msg(key, {"leg": Qty(leg_km, "km"), "limit": Qty(limit, "km")})
    if rule == "stored_too_long":
        return Msg(key, {"days": Qty(limit, "whole")})
    return Msg(key)


@dataclass(frozen=True, order=True)
class Alert:
    """A rules-of-play signal about a project, hub, hub arrival or supply line."""

    kind: str  # late_inventory | hub_over_capacity | stored_too_long | supply_expiring | match_broken
    subject: str  # project, hub, arrival or supply id; match_broken: the line whose schedule changed
    hub: str = ""  # stored_too_long: the hub
    tonnes: float = 0.0  # hub_over_capacity: tonnes in stock
    limit: float = 0.0  # notice weeks, maximum storage days or hub capacity in tonnes
    day: date | None = None  # demolition start, arrival day, last available day or day of the change
    other: str = ""  # match_broken: the line that lost its route

    @property
    def msg(self) -> Msg:
        """What the alert says about its subject, as a catalogue message."""
        key = f"corridor.alert.{self.kind}"
        if self.kind == "late_inventory":
            return Msg(key, {"weeks": Qty(self.limit, "one"), "day": self.day})
        if self.kind == "stored_too_long":
            return Msg(key, {"days": Qty(self.limit, "whole"), "hub": self.hub, "day": self.day})
        if self.kind == "hub_over_capacity":
            return Msg(key, {"stock": Qty(self.tonnes, "t"), "capacity": Qty(self.limit, "t")})
        if self.kind == "match_broken":
            return Msg(key, {"line": self.subject, "other": self.other, "day": self.day})
        return Msg(key, {"day": self.day})
