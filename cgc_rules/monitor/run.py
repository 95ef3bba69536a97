"""Compute the monitoring figures for the chosen filters where the records are: the database chooses the records
that count (`select.chosen`) and counts rule outcomes by year, municipality and type (GROUP BY over each record's
summary); figure columns written with each record give every project's tonnes, MKI and SEB status without reading
a payload. Tonnes are summed here in project order, so SQLite and PostgreSQL give the same figures to the last bit."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, text
from sqlalchemy import select as query

from ..errors import CgcError, Problem
from ..store.faults import faults
from ..store.schema import records
from ..store.store import Store
from ..store.summary import PRECEDENCE
from .figures import Filters, Tally, monitor
from .select import Assessment, assessments, chosen, projects

MAX_NAMED = 20

_STATUS_RANK = " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(PRECEDENCE[:-1]))
_OUTCOMES = {
    "sqlite": """
    SELECT c.municipality, c.pid, c.head_year, c.head_type, c.ruleset_id || '/' || json_extract(o.value, '$[0]') AS rule,
           json_extract(o.value, '$[1]') AS status, json_extract(o.value, '$[2]') AS level
    FROM chosen AS c, json_each(c.summary, '$.outcomes') AS o""",
    "postgresql": """
    SELECT c.municipality, c.pid, c.head_year, c.head_type, c.ruleset_id || '/' || (o.value ->> 0) AS rule,
           o.value ->> 1 AS status, o.value ->> 2 AS level
    FROM chosen AS c CROSS JOIN LATERAL jsonb_array_elements(CAST(c.summary AS jsonb) -> 'outcomes') AS o(value)""",
}
_COLLATE = {"sqlite": "COLLATE BINARY", "postgresql": 'COLLATE "C"'}


def _projects_sql(dialect: str) -> str:
    return (
        chosen(_COLLATE[dialect])
        + """
SELECT municipality, pid, ruleset_id, role, head_year AS year, head_type AS ptype, origin_good, origin_total, mki,
       mki_level, seb
FROM chosen ORDER BY municipality, pid, ruleset_id """
        + _COLLATE[dialect]
    )


def _tallies_sql(dialect: str) -> str:
    collate = _COLLATE[dialect]
    return (
        chosen(collate)
        + f""", outcomes AS ({_OUTCOMES[dialect]}
), per AS (
    SELECT municipality, pid, head_year, head_type, rule, MAX(level) AS level,
           MIN(CASE status {_STATUS_RANK} ELSE {len(PRECEDENCE) - 1} END) AS status
    FROM outcomes GROUP BY municipality, pid, head_year, head_type, rule
)
SELECT head_year AS year, municipality, head_type AS ptype, rule, level, status, COUNT(*) AS n,
       MIN(pid {collate}) AS first
FROM per GROUP BY head_year, municipality, head_type, rule, level, status"""
    )


def _unreadable(store: Store) -> None:
    """Records whose payload lacked what monitoring reads (no summary) are named; no figures then."""
    missing = records.c.summary.is_(None)
    with store.engine.connect() as conn:
        count = conn.execute(query(func.count()).select_from(records).where(missing)).scalar_one()
        if not count:
            return
        ids = conn.execute(query(records.c.id).where(missing).order_by(records.c.id).limit(MAX_NAMED)).scalars()
        named = [
            Problem(f"record id {i} cannot be read for monitoring (its payload lacks what monitoring reads)", store.where)
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
            kinds = dict(conn.execute(query(records.c.kind, func.count()).group_by(records.c.kind)).tuples().all())
            used = conn.execute(query(records.c.ruleset_id, records.c.ruleset_version).distinct()).all()
            assessed, regions = assessments(
                Assessment(r.municipality, r.region, r.year, r.day, json.loads(r.summary))
                for r in conn.execute(
                    query(records.c.municipality, records.c.region, records.c.year, records.c.day, records.c.summary)
                    .where(records.c.kind == "assessment")
                    .order_by(records.c.id)
                )
            )
            measured = projects(conn.execute(text(_projects_sql(dialect))), regions)
            tallies = [
                Tally(
                    r.year, r.municipality, regions.get(r.municipality), r.ptype, r.rule, r.level,
                    PRECEDENCE[r.status], r.n, r.first,
                )
                for r in conn.execute(text(_tallies_sql(dialect)))
            ]
    rulesets = {
        f"{i}@{v}" for rid, version in used for i, v in zip(rid.split("+"), version.split("+"), strict=False)
    }
    data = monitor(measured, tallies, assessed, filters)
    data["store"] = {
        "records": sum(kinds.values()),
        "evaluations": kinds.get("evaluation", 0),
        "assessments": kinds.get("assessment", 0),
        "rulesets": sorted(rulesets),
    }
    return data
