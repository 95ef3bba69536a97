"""Build stored records from what `cgc evaluate` and `cgc assess` computed: one record per ruleset run."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime

from ..evaluator import is_compliant
from ..municipality import LoadedAssessment
from ..report.build import Evaluated, Report
from .records import StoredRecord, dedup_key, jsonable


def _now() -> datetime:
    return datetime.now(UTC)


def _year(day: str | None) -> int | None:
    return date.fromisoformat(day).year if day else None


def evaluation_records(report: Report, runs: list[Evaluated], role: str) -> list[StoredRecord]:
    """One record per ruleset version: its outcomes with the indicator values and derivation terms."""
    d = report.data
    rulesets = d.get("rulesets") or [d["ruleset"]]
    project = d["project"]
    day = project["tender_date"] or d["as_of"]
    out, start, now = [], 0, _now()
    for rs, run in zip(rulesets, runs, strict=False):
        texts = d["outcomes"][start : start + len(run.outcomes)]
        start += len(run.outcomes)
        outcomes = [
            {**text, "terms": jsonable(o.fact.terms) if o.fact else {}}
            for text, o in zip(texts, run.outcomes, strict=False)
        ]
        payload = {
            "record": "evaluation",
            "ruleset": rs,
            "as_of": d["as_of"],
            "lang": d["lang"],
            "input": d["input"],
            "input_sha256": d["input_sha256"],
            "project": project,
            "role": role,
            "outcomes": outcomes,
            "compliant": is_compliant(run.outcomes),
        }
        out.append(
            StoredRecord(
                kind="evaluation",
                dedup_key=dedup_key("evaluation", d["input_sha256"], rs["sha256"], role),
                recorded_at=now,
                input_sha256=d["input_sha256"],
                ruleset_id=rs["id"],
                ruleset_version=rs["version"],
                ruleset_sha256=rs["sha256"],
                municipality=project["municipality"],
                project_id=project["id"],
                project_type=project["type"],
                day=day,
                year=_year(day),
                role=role,
                payload=jsonable(payload),
            )
        )
    return out


def assessment_record(loaded: LoadedAssessment, report: Report) -> StoredRecord:
    """One record per self-assessment, with the spinnenweb scores as given (the rules do not keep them)."""
    d = report.data
    m = d["municipality"]
    ruleset_sha = hashlib.sha256("".join(rs["sha256"] for rs in d["rulesets"]).encode()).hexdigest()
    day = m["assessed_on"] or d["as_of"]
    payload = {"record": "assessment", **d, "spinnenweb": loaded.assessment.gmr.spinnenweb.model_dump(mode="json")}
    return StoredRecord(
        kind="assessment",
        dedup_key=dedup_key("assessment", d["input_sha256"], ruleset_sha, None),
        recorded_at=_now(),
        input_sha256=d["input_sha256"],
        ruleset_id="+".join(rs["id"] for rs in d["rulesets"]),
        ruleset_version="+".join(rs["version"] for rs in d["rulesets"]),
        ruleset_sha256=ruleset_sha,
        municipality=m["name"],
        region=m["region"],
        day=day,
        year=_year(day),
        payload=jsonable(payload),
    )
