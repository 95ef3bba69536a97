"""The conditions of a bench run, the same fields in every results file (bench/table.py reads them).

    head = conditions.start()
    ...  # the measurement
    result = {**conditions.finish(head), **figures}

`date` is the day in Europe/Amsterdam (ISO), `machine` the architecture, `cores` the CPUs the system reports,
and each load average the 1, 5 and 15 minute averages, rounded to 2 (results measured before this header
recorded only the 1-minute one).
"""

from __future__ import annotations

import os
import platform
from typing import TypedDict

from cgc_rules.today import today_nl


class Conditions(TypedDict, total=False):
    date: str
    python: str
    machine: str
    cores: int | None
    load_average_at_start: list[float]
    load_average_at_end: list[float]


def load_average() -> list[float]:
    """The 1, 5 and 15 minute load averages now, rounded to 2."""
    return [round(x, 2) for x in os.getloadavg()]


def start() -> Conditions:
    """The machine and its load at the start of a run."""
    return {
        "date": today_nl().isoformat(),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cores": os.cpu_count(),
        "load_average_at_start": load_average(),
    }


def finish(head: Conditions) -> Conditions:
    """`head` with the load at the end of the run."""
    return {**head, "load_average_at_end": load_average()}
