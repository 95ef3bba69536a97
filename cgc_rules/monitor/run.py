"""Read the store once (the columns monitoring selects on and each record's summary, never the full payloads)
and compute the monitoring figures for the chosen filters."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

from sqlalchemy import select as query

from ..errors import CgcError, Problem
from ..store.schema import records
from ..store.store import Store
from .figures import Filters, monitor
from .select import Kept, select

COLUMNS = (
    "id",
    "kind",
    "municipality",
    "region",
    "project_id",
    "project_type",
    "year",
    "day",
    "role",
    "ruleset_id",
    "ruleset_version",
    "summary",
)
MAX_NAMED = 20


def from_store(store: Store, filters: Filters) -> dict[str, Any]:
    """The monitoring figures, with what the store held (record counts, ruleset versions used)."""
    kinds: Counter[str] = Counter()
    rulesets: set[str] = set()
    unreadable: list[int] = []

    def kept() -> Iterator[Kept]:
        rows = store.rows(query(*(records.c[name] for name in COLUMNS)).order_by(records.c.id))
        for r in rows:
            kinds[r.kind] += 1
            rulesets.update(
                f"{i}@{v}" for i, v in zip(r.ruleset_id.split("+"), r.ruleset_version.split("+"), strict=False)
            )
            try:
                summary = json.loads(r.summary)
            except (TypeError, ValueError):
                unreadable.append(r.id)
                continue
            yield Kept(
                r.kind,
                r.municipality,
                r.region,
                r.project_id,
                r.project_type,
                r.year,
                r.day,
                r.role,
                r.ruleset_id,
                summary,
            )

    projects, assessments = select(kept())
    if unreadable:
        raise CgcError(
            [
                Problem(
                    f"record id {i} cannot be read for monitoring (its payload lacks what monitoring reads)",
                    store.where,
                )
                for i in unreadable[:MAX_NAMED]
            ]
            + [
                Problem(
                    f"{len(unreadable)} such records; no figures computed (`cgc db export` names them too)", store.where
                )
            ]
        )
    data = monitor(projects, assessments, filters)
    data["store"] = {
        "records": sum(kinds.values()),
        "evaluations": kinds["evaluation"],
        "assessments": kinds["assessment"],
        "rulesets": sorted(rulesets),
    }
    return data
