"""The allocation as the linear programme it was first solved by (HiGHS, one column per candidate route).

Kept as the reference the network flow (`flow`) is checked against: the tests compare their optima on
generated corridors and `bench/corridor_bench.py` times both. The same problem as `allocate.Plan`: each
supply and demand line gives or takes at most its quantity; each hub is a chain of days, a balance row on
every day material arrives or leaves (occupancy = occupancy of the day before + arrivals - departures) and
an occupancy column per day bounded by `capacity_t`. Lexicographic in two models: the first maximises the
tonnes, the second fixes that total (a row `sum >= T*`) and minimises tonne-kilometres; each model keeps its
basis, so a changed set of candidates re-solves from it.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable

import highspy
import numpy as np

from .allocate import Line, demand_line, stay, supply_line
from .findings import Route
from .flow import TOL, highs

RowKey = tuple[str | int, ...]  # ("s", id) | ("d", id) | ("h", hub, day) | ("total",)
INF = highspy.kHighsInf
INTERIOR_FROM = 20_000  # columns from which a first solve may run the interior point method,
ROUTES_PER_ROW = 2  # when there are at least this many columns per row (clustered corridors)


class LpPlan:
    """The allocation problem of a set of candidates, kept so that a change re-solves from the last basis."""

    def __init__(self, capacity: dict[str, float]):
        self.capacity = capacity
        self.most, self.least = highs(), highs()  # the two objectives, each kept with its own last basis
        self.models = (self.most, self.least)
        self.cols: dict[str, int] = {}  # route key -> column
        self.routes: dict[str, Route] = {}
        self.stays: dict[str, tuple[int, int]] = {}
        self.rows: dict[RowKey, int] = {}  # ("s", id) | ("d", id) | ("h", hub, day) -> row
        self.hub_days: dict[str, list[int]] = {}  # hub -> sorted days with a row (material arrives or leaves)
        self.occupancy: dict[tuple[str, int], int] = {}  # (hub, day) -> column of its occupancy from that day
        self.through: dict[str, set[str]] = {}  # hub -> keys of its live routes
        self.quantity: dict[str, float] = {}
        self.free: list[int] = []  # columns of withdrawn routes, kept at zero
        self.total_row = self._add_row(("total",), 0.0, INF, [], [])
        self.solves = 0

    # ------------------------------------------------------------------ model changes

    def _add_row(self, key: RowKey, lower: float, upper: float, cols: list[int], vals: list[float]) -> int:
        for h in self.models:
            h.addRow(lower, upper, len(cols), np.array(cols, dtype=np.int32), np.array(vals, dtype=float))
        self.rows[key] = self.most.getNumRow() - 1
        return self.rows[key]

    def _empty_rows(self, rows: dict[RowKey, tuple[float, float]]) -> None:
        """Add rows without entries in one call: key -> (lower, upper)."""
        if not rows:
            return
        n0 = self.most.getNumRow()
        bounds = list(rows.values())
        for h in self.models:
            h.addRows(
                len(rows),
                np.array([b[0] for b in bounds]),
                np.array([b[1] for b in bounds]),
                0,
                np.zeros(len(rows), dtype=np.int32),
                np.zeros(0, dtype=np.int32),
                np.zeros(0),
            )
        self.rows.update({key: n0 + i for i, key in enumerate(rows)})

    def _line_rows(self, lines: Iterable[tuple[str, Line]]) -> None:
        """A row per supply (`s`) or demand (`d`) line: at most its quantity (changed in place when it changes)."""
        new: dict[RowKey, tuple[float, float]] = {}
        for side, line in lines:
            key = (side, line.id)
            if key not in self.rows:
                new[key] = (0.0, line.quantity)
            elif self.quantity.get(line.id) != line.quantity:
                for h in self.models:
                    h.changeRowBounds(self.rows[key], 0.0, line.quantity)
            self.quantity[line.id] = line.quantity
        self._empty_rows(new)

    def _hub_rows(self, wanted: set[tuple[str, int]]) -> None:
        """Balance rows of hubs on the days material arrives or leaves, chained by occupancy columns.

        The occupancy column of day `t` holds the tonnes in the hub from `t` to the hub's next day with
        a row, bounded by its capacity; the row of day `t` reads: occupancy(t) = occupancy(previous day)
        + arrivals(t) - departures(t). A new day between two others takes over the later part of the
        earlier day's interval: the next day's row then reads the new occupancy column instead."""
        for hub, day in sorted(wanted):
            key = ("h", hub, day)
            if key in self.rows:
                continue
            days = self.hub_days.setdefault(hub, [])
            at = bisect_left(days, day)
            col = self.most.getNumCol()
            for h in self.models:
                h.addCol(0.0, 0.0, self.capacity[hub], 0, np.zeros(0, np.int32), np.zeros(0))
            cols, vals = [col], [1.0]
            if at > 0:
                cols.append(self.occupancy[(hub, days[at - 1])])
                vals.append(-1.0)
            self._add_row(key, 0.0, 0.0, cols, vals)
            if at < len(days):
                later = self.rows[("h", hub, days[at])]
                for h in self.models:
                    if at > 0:
                        h.changeCoeff(later, self.occupancy[(hub, days[at - 1])], 0.0)
                    h.changeCoeff(later, col, -1.0)
            self.occupancy[(hub, day)] = col
            days.insert(at, day)

    def put(self, routes: Iterable[Route], lines: dict[str, Line]) -> None:
        """Make the candidate routes exactly `routes` (with the current quantities and windows of their lines)."""
        target = {r.key: r for r in routes}
        stays = {
            k: stay(r, supply_line(lines, r.supply), demand_line(lines, r.demand)) for k, r in target.items() if r.via
        }
        for key in [
            k for k in self.cols if k not in target or self.routes[k] != target[k] or self.stays.get(k) != stays.get(k)
        ]:
            self._drop(key)
        new = sorted((r for k, r in target.items() if k not in self.cols), key=lambda r: (r.supply, r.demand, r.via))
        ends = sorted({("s", r.supply) for r in target.values()} | {("d", r.demand) for r in target.values()})
        self._line_rows((side, lines[i]) for side, i in ends)
        self._hub_rows({(r.via, t) for r in new if r.via for t in stays[r.key]})
        starts, index, values = [0], [], []
        for r in new:
            index += [self.rows[("s", r.supply)], self.rows[("d", r.demand)], self.total_row]
            values += [1.0, 1.0, 1.0]
            if r.via:
                first, after = stays[r.key]
                index += [self.rows[("h", r.via, first)], self.rows[("h", r.via, after)]]
                values += [-1.0, 1.0]
            starts.append(len(index))
        if not new:
            return
        n0 = self.most.getNumCol()
        for h, cost in ((self.most, np.full(len(new), -1.0)), (self.least, np.array([r.km for r in new]))):
            h.addCols(
                len(new),
                cost,
                np.zeros(len(new)),
                np.full(len(new), INF),
                len(index),
                np.array(starts[:-1], dtype=np.int32),
                np.array(index, dtype=np.int32),
                np.array(values),
            )
        for i, r in enumerate(new):
            self.cols[r.key] = n0 + i
            self.routes[r.key] = r
            if r.via:
                self.stays[r.key] = stays[r.key]
                self.through.setdefault(r.via, set()).add(r.key)

    def _drop(self, key: str) -> None:
        col = self.cols.pop(key)
        route = self.routes.pop(key)
        self.stays.pop(key, None)
        self.through.get(route.via, set()).discard(key)
        for h in self.models:
            h.changeColBounds(col, 0.0, 0.0)
            h.changeColCost(col, 0.0)
        self.free.append(col)

    # ------------------------------------------------------------------ solving

    def solve(self) -> dict[str, float]:
        """Tonnes per route key: the most tonnes, then the fewest tonne-km among those plans."""
        if not self.cols:
            return {}
        self._run(self.most)
        best = -self.most.getInfo().objective_function_value
        self.least.changeRowBounds(self.total_row, max(best * (1 - 1e-9) - TOL, 0.0), INF)
        if not self.least.getBasis().valid:
            self.least.setBasis(self.most.getBasis())  # the most tonnes are a plan to start from
        self._run(self.least)
        x = np.asarray(self.least.getSolution().col_value)
        flows = {k: round(float(x[c]), 3) for k, c in self.cols.items()}
        return {k: t for k, t in flows.items() if t > 0}

    def _run(self, h: highspy.Highs) -> None:
        """Solve from the model's last basis by the simplex method; a large model without one and with many
        routes per line (a clustered corridor) by interior point and crossover: the dual simplex takes many
        times longer on such highly degenerate transport problems, and is quicker on sparse ones."""
        warm = h.getBasis().valid
        dense = h.getNumCol() >= max(INTERIOR_FROM, ROUTES_PER_ROW * h.getNumRow())
        h.setOptionValue("solver", "ipm" if not warm and dense else "simplex")
        h.setOptionValue("simplex_strategy", 4 if warm else 1)  # primal from a basis: its plan stays feasible
        h.run()
        self.solves += 1
        status = h.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"allocation LP ended {h.modelStatusToString(status)}")

    def hub_load(self, flows: dict[str, float]) -> dict[tuple[str, int], float]:
        """Tonnes in each hub on each day that has a row."""
        out: dict[tuple[str, int], float] = {}
        for hub, days in self.hub_days.items():
            load = np.zeros(len(days) + 1)
            for k in self.through.get(hub, ()):
                if k in flows:
                    first, after = self.stays[k]
                    load[bisect_left(days, first)] += flows[k]
                    load[bisect_left(days, after)] -= flows[k]
            out.update({(hub, day): v for day, v in zip(days, np.cumsum(load).tolist(), strict=False)})
        return out
