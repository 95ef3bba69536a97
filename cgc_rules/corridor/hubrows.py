"""Hub days as rows of the allocation LP, only those that can bind: load, overloaded peaks, a compressed chain.

The LP keeps a row only for some hub days (`kept`, sorted hub-day numbers). Their occupancies form a chain
per hub, as if the other days were not there: an arc's material enters at the first kept day on or after its
first day and leaves at the first kept day on or after its day after (same hub; when there is none it never
leaves, and when both are the same kept day it covers no kept day and has no hub entry). Occupancy of a kept
day = occupancy of the hub's kept day before + what enters - what leaves: exactly the load on that day. With
every hub day kept this is the full chain. A day not kept is checked afterwards on the plan (`hub_load`).
"""

from __future__ import annotations

import numpy as np

from .network import Network, row_load


def hub_load(net: Network, tonnes: np.ndarray) -> np.ndarray:
    """Tonnes in the hub on each hub day (`net.hub_days` order), from that day to the hub's next day."""
    return row_load(net.row_first, net.row_after, net.day_hub, tonnes)


def peaks(net: Network, tonnes: np.ndarray, tol: float, kept: np.ndarray) -> np.ndarray:
    """The day of the highest load in each run of consecutive days of a hub, none of them `kept`, over its
    capacity by more than `tol` tonnes under the plan `tonnes` (sorted hub-day numbers). A kept day has its
    row in the LP: within the LP's tolerances, it ends a run."""
    if not len(net.day_hub):
        return np.zeros(0, np.int64)
    excess = hub_load(net, tonnes) - net.capacity_kg[net.day_hub] / 1000.0
    over = excess > tol
    over[kept] = False
    days = np.flatnonzero(over)
    same_hub = np.r_[False, net.day_hub[1:] == net.day_hub[:-1]]
    run = np.cumsum(over & ~(np.r_[False, over[:-1]] & same_hub))[days]
    order = np.lexsort((-excess[days], run))
    first = order[np.r_[True, run[order][1:] != run[order][:-1]]] if len(days) else order
    return np.sort(days[first])


def chain_ends(net: Network, kept: np.ndarray, arcs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Position in `kept` of the day each arc's material enters and of the day it leaves (-1: none)."""
    first, after = net.row_first[arcs], net.row_after[arcs]
    if not len(kept):
        return np.full(len(arcs), -1), np.full(len(arcs), -1)
    via = first >= 0
    lo = np.searchsorted(kept, np.maximum(first, 0))
    hi = np.searchsorted(kept, np.maximum(after, 0))
    enter = np.where(via & (lo < hi), lo, -1)
    at = kept[np.minimum(hi, len(kept) - 1)]
    same_hub = (hi < len(kept)) & (net.day_hub[at] == net.day_hub[np.maximum(after, 0)])
    leave = np.where((enter >= 0) & same_hub, hi, -1)
    return enter, leave


def occupancy_entries(net: Network, kept: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Column starts, row positions (in `kept`) and values of the kept days' occupancy columns: +1 on the
    day's own row, -1 on the row of the hub's next kept day."""
    k = len(kept)
    same_next = np.r_[net.day_hub[kept[1:]] == net.day_hub[kept[:-1]], False] if k else np.zeros(0, bool)
    per = 1 + same_next.astype(np.int64)
    starts = np.r_[0, np.cumsum(per)[:-1]].astype(np.int64)
    index = np.zeros(int(per.sum()), np.int64)
    values = np.ones(len(index))
    index[starts] = np.arange(k)
    index[starts[same_next] + 1] = np.flatnonzero(same_next) + 1
    values[starts[same_next] + 1] = -1.0
    return starts, index, values
