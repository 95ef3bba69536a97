"""Read the store once and compute the monitoring figures for the chosen filters."""

from __future__ import annotations

from collections import Counter

from ..store import Store
from .figures import Filters, monitor
from .select import select


def from_store(store: Store, filters: Filters) -> dict:
    """The monitoring figures, with what the store held (record counts, ruleset versions used)."""
    items = list(store.records())
    kinds = Counter(r.kind for r in items)
    rulesets = sorted({f"{i}@{v}" for r in items for i, v in zip(r.ruleset_id.split("+"), r.ruleset_version.split("+"))})
    projects, assessments = select(items)
    data = monitor(projects, assessments, filters)
    data["store"] = {"records": len(items), "evaluations": kinds["evaluation"], "assessments": kinds["assessment"],
                     "rulesets": rulesets}
    return data
