"""The cyclic garbage collector paused while a large input is validated, safely across threads."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_resume = False
_one_shot = False


def one_shot() -> None:
    """This process runs one command from the console (`cgc …`) and ends with it. Only such a command asks a
    pause to keep what it made (`cgc serve` never does; a test's runner never calls this)."""
    global _one_shot
    _one_shot = True


@contextmanager
def collector_paused(keep: bool = False) -> Iterator[None]:
    """Validating a long list makes a million small objects, none in a cycle; the cyclic collector would walk
    the growing heap again and again (half the validation time of 100,000 material lines). Reference counting
    still frees memory. The collector resumes when the last of overlapping pauses ends, if it ran before.

    `keep`: what the pause made is in use until the command ends; in a process that ends with its command
    (`one_shot`) it is frozen when the pause ends, so that the collector does not walk it all once more,
    freeing nothing (70 ms after a 20,000-line corridor). Anywhere else it is left to the collector: a frozen
    object is never collected, so in a server the cycles of every corridor view (about 57 kB a view on the
    example) would stay."""
    global _depth, _resume
    with _lock:
        if _depth == 0:
            _resume = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        if keep and _one_shot:
            gc.freeze()
        with _lock:
            _depth -= 1
            if _depth == 0 and _resume:
                gc.enable()
