"""A stream of chunks worked on in worker processes and this one, results in order, one chunk at a time per worker.

The calling thread itself sends the chunks and receives the results (no helper threads): a helper thread in this
process would contend for the interpreter lock with what the caller does with the results (SQLite releases and
takes it back once per row it writes), which made a two-core import slower than one process.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from ..batch import default_jobs

T = TypeVar("T")
R = TypeVar("R")


AHEAD = 2
"""Chunks this process may work ahead of the next result it waits for (their results wait in memory)."""


def spare_cores(wait: float = 0.1) -> int:
    """Cores idle besides the one the caller runs on, measured over `wait` seconds (Linux's /proc/stat; elsewhere
    every other core is taken to be idle). On a machine others keep busy a worker would only take turns with the
    caller, and pay for the hand-over."""
    cores = default_jobs()
    try:
        before = _cpu_ticks()
        time.sleep(wait)
        after = _cpu_ticks()
    except (OSError, ValueError, IndexError):
        return cores - 1
    total = after[1] - before[1]
    idle = (after[0] - before[0]) / total * (os.cpu_count() or 1) if total > 0 else 0
    return max(0, min(cores - 1, int(idle - 1 + 0.25)))  # a core three quarters idle counts


def _cpu_ticks() -> tuple[int, int]:
    """Idle (with waiting for I/O) and all clock ticks of every core since boot."""
    with open("/proc/stat", encoding="ascii") as fh:
        ticks = [int(n) for n in fh.readline().split()[1:9]]
    return ticks[3] + ticks[4], sum(ticks)


def _serve(conn: Connection, work: Callable[[Any], Any]) -> None:
    """A worker: `work` each chunk received, sending back (True, result) or (False, the exception), until None."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the caller stops the workers
    while (chunk := conn.recv()) is not None:
        try:
            conn.send((True, work(chunk)))
        except Exception as exc:  # noqa: BLE001 - raised again in the caller
            conn.send((False, exc))


def ordered(chunks: Iterable[T], work: Callable[[T], R], workers: int) -> Iterator[R]:
    """`work(chunk)` for each chunk, in order, from `workers` worker processes and this one (0: this process
    only). `work` is a module-level function (or a `functools.partial` of one); what it takes and returns is
    pickled. A worker is sent its next chunk as soon as its result is received, so the workers work while the
    caller uses the results; while the next result is not ready, this process works a later chunk itself (at most
    `AHEAD` ahead), so that on a busy machine it does not wait on a worker that waits for its turn. Stopping early
    stops the workers."""
    if workers <= 0:
        yield from map(work, chunks)
        return
    context = multiprocessing.get_context()
    started: list[tuple[Connection, Any]] = []
    idle: list[Connection] = []
    pending: deque[tuple[Connection | None, Any]] = deque()  # in chunk order: at a worker, or worked here
    source = iter(chunks)
    try:
        for _ in range(workers):
            mine, theirs = context.Pipe()
            process = context.Process(target=_serve, args=(theirs, work), daemon=True)
            process.start()
            theirs.close()
            started.append((mine, process))
            idle.append(mine)
        more = True
        while True:
            while idle and more:
                if (chunk := next(source, None)) is None:
                    more = False
                else:
                    idle[-1].send(chunk)
                    pending.append((idle.pop(), None))
            if not pending:
                return
            conn, result = pending[0]
            if conn is not None and more and len(pending) < workers + AHEAD and not conn.poll():
                if (chunk := next(source, None)) is None:
                    more = False
                else:
                    pending.append((None, work(chunk)))
                continue
            pending.popleft()
            if conn is not None:
                ok, result = conn.recv()
                idle.append(conn)
                if not ok:
                    raise result
            yield result
    finally:
        for conn, process in started:
            if any(conn is c for c, _ in pending):
                process.terminate()
            else:
                with suppress(OSError):  # it has ended already
                    conn.send(None)
            conn.close()
        for _, process in started:
            process.join()
