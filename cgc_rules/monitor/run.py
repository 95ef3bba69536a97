"""Compute the monitoring figures for the chosen filters: the database hands over the evaluations sorted by
project (`select.ordered`, one sort), each with the figure columns written with it (tonnes, MKI, SEB status, each
rule's status), never a payload or summary; the records that count are picked, gathered per year, region,
municipality and type (`figures.gather`) and rule statuses counted while they stream by: nothing is held per
project but its tonnes and MKI. Tonnes are summed exactly, so SQLite and PostgreSQL give the same figures to the
last bit."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, text
from sqlalchemy import select as query

from ..errors import CgcError, Problem
from ..store.faults import faults
from ..store.schema import records
from ..store.store import Store
from .figures import Filters, Tally, gather, monitor
from .select import Assessment, Kind, assessments, cells, first_records, ordered, projects

MAX_NAMED = 20
STREAMED = 5_000  # evaluations fetched at a time (PostgreSQL: by a server-side cursor)

_COLLATE = {"sqlite": "COLLATE BINARY", "postgresql": 'COLLATE "C"'}


def _unreadable(store: Store) -> None:
    """Records whose payload lacked what monitoring reads (no summary) are named; no figures then."""
    missing = records.c.summary.is_(None)
    with store.engine.connect() as conn:
        count = conn.execute(query(func.count()).select_from(records).where(missing)).scalar_one()
        if not count:
            return
        ids = conn.execute(query(records.c.id).where(missing).order_by(records.c.id).limit(MAX_NAMED)).scalars()
        named = [
            Problem(
                f"record id {i} cannot be read for monitoring (its payload lacks what monitoring reads)", store.where
            )
            for i in ids
        ]
    raise CgcError(
        [*named, Problem(f"{count} such records; no figures computed (`cgc db export` names them too)", store.where)]
    )


def from_store(store: Store, filters: Filters) -> dict[str, Any]:
    """The monitoring figures, with what the store held (record counts, ruleset versions used)."""
    dialect = store.engine.dialect.name
    with faults(store.where):
        _unreadable(store)
        with store.engine.connect() as conn:
            kinds: dict[str, int] = {
                k: n for k, n in conn.execute(query(records.c.kind, func.count()).group_by(records.c.kind))
            }
            used = conn.execute(query(records.c.ruleset_id, records.c.ruleset_version).distinct()).all()
            assessed, regions = assessments(
                Assessment(r.municipality, r.region, r.year, r.day, json.loads(r.summary))
                for r in conn.execute(
                    query(records.c.municipality, records.c.region, records.c.year, records.c.day, records.c.summary)
                    .where(records.c.kind == "assessment")
                    .order_by(records.c.id)
                )
            )
            counted: dict[Kind, list[Any]] = {}
            rows = conn.execute(text(ordered(_COLLATE[dialect])).execution_options(yield_per=STREAMED))
            gathered = gather(projects(rows, regions, counted), filters)
    tallies = [
        Tally(year, name, regions.get(name), kind, rule, level, status, count, first)
        for (year, name, kind, rule, level, status), (count, first) in cells(counted).items()
    ]
    rulesets = {f"{i}@{v}" for rid, version in used for i, v in zip(rid.split("+"), version.split("+"), strict=False)}
    data = monitor(gathered, tallies, assessed, filters)
    data["store"] = {
        "records": sum(kinds.values()),
        "evaluations": kinds.get("evaluation", 0),
        "assessments": kinds.get("assessment", 0),
        "rulesets": sorted(rulesets),
    }
    return data


def choices(store: Store) -> tuple[list[str], list[int]]:
    """The municipalities (by name, case aside) and the years, newest first, that `from_store` without filters
    gives figures for: of the projects (a project's year is that of its record that counts first) and of the
    dated self-assessments; found by the database, as a page's choice lists need them before any figure."""
    dialect = store.engine.dialect.name
    assessed = records.c.kind == "assessment"
    with faults(store.where), store.engine.connect() as conn:
        found = list(conn.execute(text(first_records(_COLLATE[dialect]))))
        found += conn.execute(
            query(records.c.municipality, records.c.year).where(assessed, records.c.year.is_not(None)).distinct()
        ).all()
    names = sorted({name for name, _ in found if name}, key=str.casefold)
    return names, sorted({year for _, year in found if year}, reverse=True)
