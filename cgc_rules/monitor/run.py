"""Read the store once and compute the monitoring figures for the chosen filters."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from ..store.records import StoredRecord
from ..store.store import Store
from .figures import Filters, monitor
from .select import select


def from_store(store: Store, filters: Filters) -> dict[str, Any]:
    """The monitoring figures, with what the store held (record counts, ruleset versions used)."""
    kinds: Counter[str] = Counter()
    rulesets: set[str] = set()

    def counted(items: Iterable[StoredRecord]) -> Iterator[StoredRecord]:
        for r in items:
            kinds[r.kind] += 1
            rulesets.update(
                f"{i}@{v}" for i, v in zip(r.ruleset_id.split("+"), r.ruleset_version.split("+"), strict=False)
            )
            yield r

    projects, assessments = select(counted(store.records(trusted=True)))
    data = monitor(projects, assessments, filters)
    data["store"] = {
        "records": sum(kinds.values()),
        "evaluations": kinds["evaluation"],
        "assessments": kinds["assessment"],
        "rulesets": sorted(rulesets),
    }
    return data
