"""Candidate routes by an indexed join instead of a pair-by-pair search.

Lines are numpy columns (category, quality rank, window, project). A supply line meets the
demand lines of its own category in the nine grid cells around it (cells as wide as the
lat/lon box of twice the leg limit, so no route can join lines further apart) whose start
day lies in its time range: one sorted array of (category, cell, start) keys and two binary
searches per cell, then exact filters on the candidates found. Distances from every project
to every hub are computed once; direct distances once per pair found. Each route is then
judged by the rules of play on distance and time, all pairs at once. A supply line below a
demand's minimum condition still pairs with it when a hub's processing raises material of its
category far enough (`Hub.raises`); such a pair only has routes through those hubs.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from typing import Any, ClassVar

import numpy as np

from ..collector import collector_paused
from .findings import READ_AT_ONCE, Lazy, Refusal, RefusalColumns, Route, RouteColumns
from .model import Demand, Hub, Place, Quality, Supply

Line = Supply | Demand

PAIR_HORIZON_DAYS = 90  # pairs further apart in time than this (plus hub storage) are not reported
KM_PER_DEGREE = 111.0  # km per degree of latitude, rounded down so the box errs on the wide side
EARTH_RADIUS_KM = 6371.0088  # as geo.haversine_km
_DAY_BITS = 23  # day numbers (ordinals) stay below 2**23

MAX_PAIRS = 2_500_000
"""Most pairs of lines within reach (same category, within twice the leg limit, in time) one join may judge:
about twice the 1.3 million of the 100,000-line benchmark corridor, so a corridor within it stays near the
corridor targets (bench/results/corridor.json). The clustered 100,000-line corridor (7.7 million) matches
within 1.2 GB, but its allocation LP takes about four minutes (docs/corridor.md#scale), so it stays refused,
before its pairs are built."""
CHUNK_PAIRS = 1_000_000  # pairs within reach judged at once: bounds the join's working memory
BATCHES = 32  # batches of routes kept apart before their live routes are joined into one


class TooManyPairs(Exception):
    """More pairs within reach than MAX_PAIRS (the number found is `pairs`)."""

    def __init__(self, pairs: int):
        super().__init__(pairs)
        self.pairs = pairs


# route verdicts: a candidate, or the rule that refuses it
CANDIDATE, TOO_FAR, NEEDED_BEFORE, WINDOWS_APART, STORED_TOO_LONG = range(5)
RULES = {
    TOO_FAR: ("distance", "too_far"),
    NEEDED_BEFORE: ("time", "needed_before_available"),
    WINDOWS_APART: ("time", "windows_apart"),
    STORED_TOO_LONG: ("time", "stored_too_long"),
}


def haversine(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """`geo.haversine_km` on arrays."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2 - lon1)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    km: np.ndarray = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))
    return km


@dataclass(frozen=True)
class Limits:
    """What bounds a pair: the leg limit, the time horizon and the lat/lon box."""

    max_km: float
    horizon: int  # longest hub storage + PAIR_HORIZON_DAYS: latest demand start after the supply ends
    box_lat: float
    box_lon: float

    @classmethod
    def of(cls, max_km: float, hubs: Iterable[Hub], places: Iterable[Place]) -> Limits:
        horizon = max((h.max_storage_days for h in hubs), default=0) + PAIR_HORIZON_DAYS
        box_lat = 2 * max_km / KM_PER_DEGREE
        widest = max((abs(p.lat) for p in places), default=0.0)
        return cls(max_km, horizon, box_lat, box_lat / max(math.cos(math.radians(min(widest, 89.0))), 0.01))


class _Column:
    """A growing numpy array."""

    def __init__(self, dtype: type):
        self.data: np.ndarray = np.zeros(64, dtype=dtype)
        self.n = 0

    def append(self, value: float) -> None:
        if self.n == len(self.data):
            self.data = np.concatenate([self.data, np.zeros_like(self.data)])
        self.data[self.n] = value
        self.n += 1

    def extend(self, values: Sequence[float]) -> None:
        need = self.n + len(values)
        if need > len(self.data):
            grown = np.zeros(max(need, 2 * len(self.data)), dtype=self.data.dtype)
            grown[: self.n] = self.data[: self.n]
            self.data = grown
        self.data[self.n : need] = values
        self.n = need

    def __call__(self) -> np.ndarray:
        return self.data[: self.n]


class Side:
    """The supply or the demand lines as columns; a changed line gets a new row, its old row dies."""

    COLUMNS: ClassVar[dict[str, type]] = {
        "cat": np.int32,
        "rank": np.int8,
        "start": np.int32,
        "end": np.int32,
        "project": np.int32,
        "alive": np.bool_,
    }

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.row: dict[str, int] = {}
        self.cols = {name: _Column(dtype) for name, dtype in self.COLUMNS.items()}

    def put(self, rows: list[tuple[str, int, int, int, int, int]]) -> list[int]:
        """Add (id, category, rank, start, end, project) rows; an id already present is replaced."""
        first = len(self.ids)
        alive = self.cols["alive"]()
        for i, row in enumerate(rows):
            old = self.row.get(row[0])
            if old is not None:
                alive[old] = False
            self.row[row[0]] = first + i
            self.ids.append(row[0])
        for j, name in enumerate(("cat", "rank", "start", "end", "project"), start=1):
            self.cols[name].extend([int(r[j]) for r in rows])
        self.cols["alive"].extend([True] * len(rows))
        return list(range(first, first + len(rows)))

    def drop(self, line_id: str) -> None:
        row = self.row.pop(line_id, None)
        if row is not None:
            self.cols["alive"]()[row] = False

    def __getitem__(self, name: str) -> np.ndarray:
        return self.cols[name]()


@dataclass
class Routes:
    """Routes found by one join, one entry per route, as columns."""

    supply: np.ndarray  # supply row
    demand: np.ndarray  # demand row
    hub: np.ndarray  # hub number, -1 for direct
    leg_km: np.ndarray
    km: np.ndarray
    storage: np.ndarray
    verdict: np.ndarray  # CANDIDATE or a refusing rule
    limit: np.ndarray
    raised: np.ndarray  # condition rank after the hub's processing, -1 when not raised

    def __len__(self) -> int:
        return len(self.supply)

    def take(self, which: np.ndarray | slice) -> Routes:
        """The routes selected by a mask, an index array or a slice."""
        return Routes(*(getattr(self, f.name)[which] for f in fields(self)))

    @staticmethod
    def join(parts: list[Routes]) -> Routes:
        return Routes(*(np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(Routes)))


class Index:
    """Projects, hubs and lines of a corridor, ready to join."""

    def __init__(self, limits: Limits, hubs: list[Hub]):
        self.limits = limits
        self.hubs = sorted(hubs, key=lambda h: h.id)
        self.hub_lat = np.array([h.place.lat for h in self.hubs], dtype=float)
        self.hub_lon = np.array([h.place.lon for h in self.hubs], dtype=float)
        self.hub_storage = np.array([h.max_storage_days for h in self.hubs], dtype=np.int64)
        self.projects: dict[str, int] = {}
        self.lat, self.lon = _Column(np.float64), _Column(np.float64)
        self.to_hub = np.zeros((0, len(self.hubs)))  # km from each project to each hub, computed once
        self.categories: dict[str, int] = {}
        self.supply, self.demand = Side(), Side()
        self._raise_table = np.zeros((len(self.hubs), 0), dtype=np.int8)
        self._order = (np.zeros((0, len(self.hubs)), np.int64), np.zeros((0, len(self.hubs))))

    # ------------------------------------------------------------------ contents

    def add_projects(self, places: dict[str, Place]) -> None:
        new = [(pid, pl) for pid, pl in places.items() if pid not in self.projects]
        if not new:
            return
        for pid, _ in new:
            self.projects[pid] = len(self.projects)
        lat = np.array([pl.lat for _, pl in new])
        lon = np.array([pl.lon for _, pl in new])
        self.lat.extend(lat.tolist())
        self.lon.extend(lon.tolist())
        km = haversine(lat[:, None], lon[:, None], self.hub_lat[None, :], self.hub_lon[None, :])
        self.to_hub = np.vstack([self.to_hub, km.reshape(len(new), len(self.hubs))])

    def _raises(self) -> np.ndarray:
        """(hub, category): the condition rank a hub's processing brings material of that category to, or -1."""
        if self._raise_table.shape[1] != len(self.categories):
            table = np.full((len(self.hubs), len(self.categories)), -1, dtype=np.int8)
            for h, hub in enumerate(self.hubs):
                for r in hub.raises:
                    if r.category in self.categories:
                        table[h, self.categories[r.category]] = max(table[h, self.categories[r.category]], r.to.rank)
            self._raise_table = table
        return self._raise_table

    def _cat(self, name: str) -> int:
        return self.categories.setdefault(name, len(self.categories))

    def add_lines(self, lines: list[Line]) -> tuple[list[int], list[int]]:
        """Put lines in (replacing lines with the same id); their new supply and demand rows."""
        sup = [
            (
                ln.id,
                self._cat(ln.category),
                ln.condition.rank,
                ln.available.start.toordinal(),
                ln.available.end.toordinal(),
                self.projects[ln.project],
            )
            for ln in lines
            if isinstance(ln, Supply)
        ]
        dem = [
            (
                ln.id,
                self._cat(ln.category),
                ln.min_quality.rank,
                ln.needed.start.toordinal(),
                ln.needed.end.toordinal(),
                self.projects[ln.project],
            )
            for ln in lines
            if isinstance(ln, Demand)
        ]
        return self.supply.put(sup), self.demand.put(dem)

    def drop(self, line_id: str) -> None:
        self.supply.drop(line_id)
        self.demand.drop(line_id)

    # ------------------------------------------------------------------ joins

    def join_all(self) -> Routes:
        """Routes of every live supply line with every live demand line."""
        return self._join(np.flatnonzero(self.supply["alive"]), np.flatnonzero(self.demand["alive"]))

    def join_line(self, line_id: str) -> Routes:
        """Routes of one live line with the live lines of the other side."""
        if line_id in self.supply.row:
            return self._join(np.array([self.supply.row[line_id]]), np.flatnonzero(self.demand["alive"]))
        return self._join(np.flatnonzero(self.supply["alive"]), np.array([self.demand.row[line_id]]))

    def _join(self, s_rows: np.ndarray, d_rows: np.ndarray) -> Routes:
        """The routes of the pairs, judged a chunk of supply rows at a time (at most `CHUNK_PAIRS` pairs each)."""
        return self._joined([self._routes(*pairs) for pairs in self._pairs(s_rows, d_rows)])

    def _joined(self, batches: list[Routes]) -> Routes:
        """`batches` as one (no routes when there are none)."""
        if len(batches) == 1:
            return batches[0]  # routes are never changed in place: no copy needed
        none = np.zeros(0, np.int64)
        return Routes.join(batches or [self._routes(none, none)])

    def _cells(self, rows: np.ndarray, side: Side) -> tuple[np.ndarray, np.ndarray]:
        p = side["project"][rows]
        lim = self.limits
        return np.floor(self.lat()[p] / lim.box_lat).astype(np.int64), np.floor(self.lon()[p] / lim.box_lon).astype(
            np.int64
        )

    def _pairs(self, s_rows: np.ndarray, d_rows: np.ndarray) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Supply and demand rows of every pair (same category, good enough, in time range, within the box), in
        chunks of consecutive supply rows with at most `CHUNK_PAIRS` pairs within reach (a row's own may be more)."""
        if len(s_rows) == 0 or len(d_rows) == 0:
            return
        S, D, lim = self.supply, self.demand, self.limits
        sy, sx = self._cells(s_rows, S)
        dy, dx = self._cells(d_rows, D)
        y0, x0 = min(sy.min(), dy.min()) - 1, min(sx.min(), dx.min()) - 1
        ny, nx = max(sy.max(), dy.max()) - y0 + 2, max(sx.max(), dx.max()) - x0 + 2

        def key(cat: np.ndarray, y: np.ndarray, x: np.ndarray) -> np.ndarray:
            keys: np.ndarray = ((cat.astype(np.int64) * ny + (y - y0)) * nx + (x - x0)) << _DAY_BITS
            return keys

        d_start = D["start"][d_rows].astype(np.int64)
        d_key = key(D["cat"][d_rows], dy, dx) + d_start
        order = np.argsort(d_key, kind="stable")
        d_sorted, d_key = d_rows[order], d_key[order]
        longest = int((D["end"][d_rows] - D["start"][d_rows]).max())
        s_cat = S["cat"][s_rows]
        lo_day = S["start"][s_rows].astype(np.int64) - PAIR_HORIZON_DAYS - longest
        hi_day = S["end"][s_rows].astype(np.int64) + lim.horizon
        ranges = []  # per neighbouring cell: first position in d_sorted and count, per supply row
        for oy in (-1, 0, 1):
            for ox in (-1, 0, 1):
                k = key(s_cat, sy + oy, sx + ox)
                lo = np.searchsorted(d_key, k + np.maximum(lo_day, 0), "left")
                ranges.append((lo, np.searchsorted(d_key, k + hi_day, "right") - lo))
        reach = np.sum([n for _, n in ranges], axis=0)
        if int(reach.sum()) > MAX_PAIRS:
            raise TooManyPairs(int(reach.sum()))
        cut = np.searchsorted(np.cumsum(reach), np.arange(CHUNK_PAIRS, int(reach.sum()), CHUNK_PAIRS), "right")
        for first, end in zip(np.r_[0, cut], np.r_[cut, len(s_rows)], strict=True):
            if end > first:
                yield self._chunk(s_rows[first:end], d_sorted, [(lo[first:end], n[first:end]) for lo, n in ranges])

    def _chunk(
        self, s_rows: np.ndarray, d_sorted: np.ndarray, ranges: list[tuple[np.ndarray, np.ndarray]]
    ) -> tuple[np.ndarray, np.ndarray]:
        """The pairs of `s_rows` with the demand rows of their ranges in `d_sorted` (first position and count
        per neighbouring cell), filtered exactly."""
        S, D, lim = self.supply, self.demand, self.limits
        i_parts, j_parts = [], []  # positions in s_rows and in d_sorted
        for lo, n in ranges:
            total = int(n.sum())
            if total:
                i_parts.append(np.repeat(np.arange(len(s_rows)), n))
                j_parts.append(np.arange(total) + np.repeat(lo - (np.cumsum(n) - n), n))
        if not i_parts:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        i, j = np.concatenate(i_parts), np.concatenate(j_parts)
        # the start bound is exact by the search; the rest on columns gathered once per line
        lat, lon = self.lat(), self.lon()
        sp, dp = S["project"][s_rows], D["project"][d_sorted]
        s_lat, s_lon, d_lat, d_lon = lat[sp][i], lon[sp][i], lat[dp][j], lon[dp][j]
        s_cat = S["cat"][s_rows]
        best = np.maximum(S["rank"][s_rows], self._raises().max(axis=0, initial=-1)[s_cat] if len(self.hubs) else -1)
        ok = (
            (D["rank"][d_sorted][j] <= best[i])
            & (D["end"][d_sorted][j] >= S["start"][s_rows][i] - PAIR_HORIZON_DAYS)
            & (d_lat <= s_lat + lim.box_lat)
            & (d_lat >= s_lat - lim.box_lat)
            & (d_lon <= s_lon + lim.box_lon)
            & (d_lon >= s_lon - lim.box_lon)
        )
        return s_rows[i[ok]], d_sorted[j[ok]]

    def _routes(self, s: np.ndarray, d: np.ndarray) -> Routes:
        """The direct route of each pair and, where direct fails on time or distance, its hub routes, judged."""
        S, D, lim = self.supply, self.demand, self.limits
        sp, dp = S["project"][s], D["project"][d]
        lat, lon = self.lat(), self.lon()
        direct = haversine(lat[sp], lon[sp], lat[dp], lon[dp])
        gap = D["start"][d].astype(np.int64) - S["end"][s]
        late = S["start"][s].astype(np.int64) - D["end"][d]
        direct_km = np.round(direct, 1)
        d_rank = D["rank"][d]
        upgrade = S["rank"][s] < d_rank  # good enough only after a hub's processing
        pair = np.flatnonzero(~upgrade)
        needs_hub = np.flatnonzero((gap > 0) | (direct > lim.max_km) | upgrade) if len(self.hubs) else pair[:0]
        plain, lifted = needs_hub[~upgrade[needs_hub]], needs_hub[upgrade[needs_hub]]
        hp1, hh1, legs1, kms1 = self._nearby_hubs(sp[plain], dp[plain])
        hp2, hh2, legs2, kms2, lift2 = self._raising_hubs(sp[lifted], dp[lifted], S["cat"][s[lifted]], d_rank[lifted])
        p = np.concatenate([pair, plain[hp1], lifted[hp2]])
        hub = np.concatenate([np.full(len(pair), -1), hh1, hh2])
        leg = np.concatenate([direct_km[pair], legs1, legs2])
        km = np.concatenate([direct_km[pair], kms1, kms2])
        lift = np.concatenate([np.full(len(pair) + len(hp1), -1), lift2])
        g, lt = gap[p], late[p]
        storage = np.maximum(g, 0)
        max_storage = np.where(hub >= 0, self.hub_storage[np.maximum(hub, 0)] if len(self.hubs) else 0, 0)
        verdict = np.select(
            [lt > 0, (hub < 0) & (g > 0), (hub >= 0) & (g > max_storage), leg > lim.max_km],
            [NEEDED_BEFORE, WINDOWS_APART, STORED_TOO_LONG, TOO_FAR],
            CANDIDATE,
        )
        limit = np.select([verdict == TOO_FAR, verdict == STORED_TOO_LONG], [lim.max_km, max_storage], 0.0)
        return Routes(
            s[p].astype(np.int32),
            d[p].astype(np.int32),
            hub.astype(np.int16),
            leg,
            km,
            storage.astype(np.int32),
            verdict.astype(np.int8),
            limit,
            lift.astype(np.int8),
        )

    def _hub_order(self) -> tuple[np.ndarray, np.ndarray]:
        """Per project: hub numbers by distance, and those distances."""
        if self._order[0].shape[0] != len(self.projects):
            order = np.argsort(self.to_hub, axis=1, kind="stable")
            self._order = (order, np.take_along_axis(self.to_hub, order, axis=1))
        return self._order

    def _nearby_hubs(self, sp: np.ndarray, dp: np.ndarray) -> tuple[np.ndarray, ...]:
        """Hub routes of pairs (supply project, demand project): every hub with both legs within the limit,
        else the one with the shortest longest leg (ties: lowest hub id), as (pair, hub, leg, km).

        Only hubs no further from the supply than the longest leg through its nearest hub (plus the
        rounding) can be either, so each pair looks at those few hubs, not at all of them."""
        lim, empty = self.limits, np.zeros(0, np.int64)
        if len(sp) == 0:
            return empty, empty, np.zeros(0), np.zeros(0)
        order, dist = self._hub_order()
        first = order[sp, 0]
        bound = np.maximum(np.maximum(self.to_hub[sp, first], self.to_hub[dp, first]), lim.max_km) + 0.1 + 1e-9
        k, active = np.zeros(len(sp), np.int64), np.arange(len(sp))
        for c in range(dist.shape[1]):  # hubs by distance: once one is beyond the bound, all further ones are
            active = active[dist[sp[active], c] <= bound[active]]
            if not len(active):
                break
            k[active] += 1
        rep = np.repeat(np.arange(len(sp)), k)
        col = np.arange(len(rep)) - np.repeat(np.cumsum(k) - k, k)
        h = order[sp[rep], col]
        l1, l2 = self.to_hub[sp[rep], h], self.to_hub[dp[rep], h]
        legs, kms = np.round(np.maximum(l1, l2), 1), np.round(l1 + l2, 1)
        near = legs <= lim.max_km
        any_near = np.bincount(rep, weights=near, minlength=len(sp)) > 0
        starts = np.cumsum(k) - k  # every pair looks at one hub at least: its nearest
        tied = legs == np.minimum.reduceat(legs, starts)[rep]  # the shortest longest leg of the pair
        best = tied & (h == np.minimum.reduceat(np.where(tied, h, len(self.hubs)), starts)[rep])  # lowest hub id
        use = np.where(any_near[rep], near, best)
        return rep[use], h[use], legs[use], kms[use]

    def _raising_hubs(
        self, sp: np.ndarray, dp: np.ndarray, cat: np.ndarray, need: np.ndarray
    ) -> tuple[np.ndarray, ...]:
        """Hub routes of pairs that meet the demand's condition only after processing: through the hubs
        that raise the category far enough (all of them looked at: such pairs are few)."""
        lim = self.limits
        l1, l2 = self.to_hub[sp], self.to_hub[dp]
        legs, kms = np.round(np.maximum(l1, l2), 1), np.round(l1 + l2, 1)
        raised = self._raises()[:, cat].T  # (pair, hub): condition after processing, or -1
        allowed = raised >= need[:, None]
        near = (legs <= lim.max_km) & allowed
        nearest = np.zeros_like(near)
        if len(sp):
            nearest[np.arange(len(sp)), np.argmin(np.where(allowed, legs, np.inf), axis=1)] = True
        use = np.where(near.any(axis=1)[:, None], near, nearest & allowed)
        hp, hh = np.nonzero(use)
        return hp, hh, legs[hp, hh], kms[hp, hh], raised[hp, hh]

    def columns(self, r: Routes) -> tuple[list[Any], ...]:
        """The routes as columns of plain values: `Route`'s fields (supply, demand, via, leg_km, km,
        storage_days, raised), then the verdict and the limit."""
        return (*self.route_columns(r).plain(), r.verdict.tolist(), r.limit.tolist())

    def route_columns(self, r: Routes) -> RouteColumns:
        """The routes' own fields as columns, numbered as the index numbers lines and hubs."""
        return RouteColumns(
            self.supply.ids,
            self.demand.ids,
            [h.id for h in self.hubs],
            r.supply,
            r.demand,
            r.hub,
            r.leg_km,
            r.km,
            r.storage,
            r.raised,
        )

    def records(self, r: Routes) -> list[tuple[Route, int, float]]:
        """The routes as (Route, verdict, limit)."""
        return list(zip(self.route_columns(r).records(), r.verdict.tolist(), r.limit.tolist(), strict=True))

    def live(self, batches: list[Routes]) -> Routes:
        """The routes of `batches` whose lines are still live, as one batch."""
        r = self._joined(batches)
        alive = self.supply["alive"][r.supply] & self.demand["alive"][r.demand]
        return r if alive.all() else r.take(alive)

    def compact(self, batches: list[Routes]) -> list[Routes]:
        """`batches`, or their live routes as one batch once there are more than `BATCHES`."""
        return batches if len(batches) <= BATCHES else [self.live(batches)]

    def of_line(self, batches: list[Routes], line_id: str) -> Routes:
        """The live routes of `batches` of a line's current version (picked batch by batch, then joined)."""
        if line_id in self.supply.row:
            row = self.supply.row[line_id]
            return self.live([b.take(b.supply == row) for b in batches])
        row = self.demand.row.get(line_id, -1)
        return self.live([b.take(b.demand == row) for b in batches])

    def _sort(self, r: Routes, *after: np.ndarray) -> np.ndarray:
        """Positions of `r` in route order (supply, demand, hub, legs, km, storage, raised as text), then `after`.

        Live routes are one per supply, demand and hub, so one sort by those three is the whole order; the full
        sort is for routes that repeat them."""
        s_rank, d_rank = _ranks(self.supply.ids)[r.supply], _ranks(self.demand.ids)[r.demand]
        code = (s_rank * len(self.demand.ids) + d_rank) * (len(self.hubs) + 1) + r.hub + 1
        order: np.ndarray = np.argsort(code, kind="stable")
        if not np.any(np.diff(code[order]) == 0):
            return order
        by_name = [""] + sorted(q.value for q in Quality)  # `raised` as text orders alphabetically
        raised_rank = np.array([by_name.index(n) for n in [""] + [q.value for q in Quality]])[r.raised + 1]
        keys = (raised_rank, r.storage, r.km, r.leg_km, r.hub, d_rank)
        order = np.lexsort((*after[::-1], *keys, s_rank))
        return order

    def ordered(self, batches: list[Routes]) -> Routes:
        """The live routes of `batches` in route order."""
        r = self.live(batches)
        return r.take(self._sort(r))

    def refusals(self, batches: list[Routes]) -> Refusals:
        """The refused routes of `batches` whose lines are still live, in the order of `Refusal`."""
        r = self.live(batches)
        rules = sorted(RULES.values())
        rule_rank = np.zeros(max(RULES) + 1, np.int64)
        for verdict, reason_rule in RULES.items():
            rule_rank[verdict] = rules.index(reason_rule)
        return Refusals(self, r.take(self._sort(r, rule_rank[r.verdict], r.limit)))


class Refusals(Lazy[Refusal]):
    """Refused routes as columns, made records when read (there may be millions)."""

    def __init__(self, index: Index, routes: Routes):
        self.ix, self.routes = index, routes

    def __len__(self) -> int:
        return len(self.routes)

    def _at(self, at: np.ndarray) -> list[Refusal]:
        with collector_paused():  # many records, none in a cycle
            return [Refusal(route, *RULES[v], lm) for (route, v, lm) in self.ix.records(self.routes.take(at))]

    def apart_from(self, pairs: Iterable[tuple[str, str]]) -> Refusals:
        """The refusals of pairs of lines (supply, demand) other than `pairs`, in their order, still columns."""
        s_row, d_row, n = self.ix.supply.row, self.ix.demand.row, len(self.ix.demand.ids)
        codes = np.fromiter((s_row[s] * n + d_row[d] for s, d in pairs), np.int64)
        return Refusals(
            self.ix, self.routes.take(~np.isin(self.routes.supply.astype(np.int64) * n + self.routes.demand, codes))
        )

    def touching(self, lines: Collection[str]) -> list[Refusal]:
        """The refusals whose supply or demand line is one of `lines`, in their order: only these made records."""
        s_ids, d_ids = self.ix.supply.ids, self.ix.demand.ids
        supply = np.fromiter((i in lines for i in s_ids), bool, len(s_ids))
        demand = np.fromiter((i in lines for i in d_ids), bool, len(d_ids))
        return self._at(np.flatnonzero(supply[self.routes.supply] | demand[self.routes.demand]))

    def columns(self) -> Iterator[RefusalColumns]:
        """The refusals as columns, `READ_AT_ONCE` at a time, no records made."""
        reasons = {v: reason for v, (reason, _) in RULES.items()}
        rules = {v: rule for v, (_, rule) in RULES.items()}
        for first in range(0, len(self), READ_AT_ONCE):
            s, d, via, leg, km, days, raised, verdict, limit = self.ix.columns(
                self.routes.take(slice(first, first + READ_AT_ONCE))
            )
            reason, rule = list(map(reasons.__getitem__, verdict)), list(map(rules.__getitem__, verdict))
            yield RefusalColumns(s, d, via, leg, km, days, raised, reason, rule, limit)


def refusal_columns(refusals: Sequence[Refusal]) -> Iterator[RefusalColumns]:
    """Refusals as columns, a batch at a time: the engine's straight from its routes (no records made), a list
    of records by their fields."""
    if isinstance(refusals, Refusals):
        yield from refusals.columns()
        return
    for first in range(0, len(refusals), READ_AT_ONCE):
        yield RefusalColumns.of(refusals[first : first + READ_AT_ONCE])


def _ranks(ids: list[str]) -> np.ndarray:
    """Each row's place when the ids are sorted as text."""
    rank = np.empty(len(ids), np.int64)
    rank[np.argsort(np.array(ids, dtype=str), kind="stable")] = np.arange(len(ids))
    return rank
