"""The cyclic garbage collector paused while a large input is validated, safely across threads."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_resume = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Validating a long list makes a million small objects, none in a cycle; the cyclic collector would walk
    the growing heap again and again (half the validation time of 100,000 material lines). Reference counting
    still frees memory. The collector resumes when the last of overlapping pauses ends, if it ran before.

    Never `gc.freeze()` afterwards: a frozen object is never collected, so the cycles of every corridor
    view a server builds (about 57 kB a view on the example) would stay for good."""
    global _depth, _resume
    with _lock:
        if _depth == 0:
            _resume = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _resume:
                gc.enable()
