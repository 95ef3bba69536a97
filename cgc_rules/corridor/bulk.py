"""Building many small objects at once without the cyclic garbage collector walking them again and again."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def bulk() -> Iterator[None]:
    """Pause the cyclic collector (reference counting still frees memory) for the duration.

    Never `gc.freeze()` afterwards: a frozen object is never collected, so the cycles of every
    corridor view a server builds (about 57 kB a view on the example) would stay for good.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
