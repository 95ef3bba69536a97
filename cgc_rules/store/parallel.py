"""A stream of chunks worked on in worker processes, results in order, with few chunks in flight at a time."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar

from ..batch import default_jobs

T = TypeVar("T")
R = TypeVar("R")

IN_FLIGHT = 2
"""Chunks queued per worker: enough to keep every worker busy, few enough to keep memory flat."""


def ordered(chunks: Iterable[T], work: Callable[[T], R], jobs: int | None = None) -> Iterator[R]:
    """`work(chunk)` for each chunk, in order, from `jobs` worker processes (default: all cores; one: in this
    process). `work` is a module-level function (or a `functools.partial` of one); what it takes and returns
    is pickled. Stopping early cancels the chunks not yet started."""
    jobs = jobs or default_jobs()
    if jobs <= 1:
        yield from map(work, chunks)
        return
    pool = ProcessPoolExecutor(max_workers=jobs)
    pending: deque[Future[R]] = deque()
    try:
        for chunk in chunks:
            pending.append(pool.submit(work, chunk))
            if len(pending) > IN_FLIGHT * jobs:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
