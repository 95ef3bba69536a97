"""Fan-out over worker processes: each worker builds its task once, then runs it on one item after another.

The evaluate job's batch (`cgc_rules.jobs.batch`) uses it to evaluate many submissions: each worker
compiles every selected ruleset version once. Results come back in input order.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_task: Callable[[Any], Any] | None = None


def _init(make: Callable[[], Callable[[Any], Any]]) -> None:
    global _task
    _task = make()


def _run(item: Any) -> Any:
    assert _task is not None
    return _task(item)


def fan_out(items: Sequence[T], make: Callable[[], Callable[[T], R]], jobs: int) -> Iterator[R]:
    """`make()(item)` for every item, in input order; in this process for one job, else in `jobs` processes.

    `make` is pickled to each worker (a module-level class or function, or a `functools.partial` of one).
    """
    if jobs <= 1 or len(items) <= 1:
        task = make()
        yield from (task(item) for item in items)
        return
    chunk = max(1, min(64, len(items) // (jobs * 8)))
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init, initargs=(make,)) as pool:
        yield from pool.map(_run, items, chunksize=chunk)


def default_jobs() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
