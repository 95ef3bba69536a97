"""Start the corridor's rules engine ahead of a run: its own process starts while the caller loads the rest.

Light on purpose (the corridor job's modules take far longer to import than the engine takes to
start): it imports only `corridor.rete`, which needs the standard library alone.
"""

from __future__ import annotations

from ..corridor import rete


def start_corridor_engine() -> None:
    """Start this process's rules engine worker unless it runs already."""
    rete.start()
