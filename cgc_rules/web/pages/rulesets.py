"""Regelsets: every ruleset and its versions in force, one version's rules and sources, the diff of two versions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ...errors import CgcError
from ...i18n import text
from ...jobs import rulesets as job
from ...registry import Registry

if TYPE_CHECKING:
    from ...ruleset import LoadedRuleset
from ...today import today_nl
from . import LANG, page, require


def registries(request: Request) -> list[Registry]:
    """The configured directory, else the bundled ruleset root of every subject kind (as `cgc rulesets list`)."""
    state = request.app.state
    if state.config.rulesets_dir is not None:
        return [state.registry]
    return job.registries(None, [state.registry])


def _versions(request: Request, rid: str) -> list[LoadedRuleset]:
    for reg in registries(request):
        if rid in reg.by_id:
            return reg.by_id[rid]
    raise HTTPException(404, "Deze regelset bestaat niet.")


async def overview(request: Request) -> Response:
    require(request, "rulesets")
    today = today_nl()
    rows = [
        {
            "id": rid,
            "title": vs[-1].ruleset.title,
            "kind": vs[-1].ruleset.kind.value,
            "versions": [
                {
                    "version": lr.ruleset.version,
                    "period": lr.ruleset.period(),
                    "in_force": lr.ruleset.in_force(today),
                    "rules": len(lr.ruleset.rules),
                }
                for lr in vs
            ],
        }
        for reg in registries(request)
        for rid, vs in reg.by_id.items()
    ]
    return page(request, "rulesets.html", "Regelsets", rows=rows, today=today)


async def version(request: Request) -> Response:
    require(request, "rulesets")
    rid, wanted = request.path_params["rid"], request.path_params["version"]
    lr = next((lr for lr in _versions(request, rid) if lr.ruleset.version == wanted), None)
    if lr is None:
        raise HTTPException(404, "Deze versie bestaat niet.")
    r = lr.ruleset
    rules = [
        {
            "id": rule.id,
            "title": rule.title,
            "level": rule.level,
            "threshold": rule.threshold,
            "explanation": rule.explanation,
            "source": rule.source,
            "secondary": rule.secondary,
            "types": ", ".join(rule.types) or "alle",
        }
        for rule in job.rule_rows(r, LANG)
    ]
    return page(
        request,
        "ruleset.html",
        f"{r.id}@{r.version}",
        r=r,
        lr=lr,
        rules=rules,
        sources=[(k, s.citation()) for k, s in r.sources.items()],
        description=r.description.get(LANG) if r.description else None,
    )


async def difference(request: Request) -> Response:
    require(request, "rulesets")
    q = request.query_params
    rid, a, b = q.get("id", ""), q.get("van", ""), q.get("naar", "")
    versions = _versions(request, rid)
    by_version = {lr.ruleset.version: lr.ruleset for lr in versions}
    if a not in by_version or b not in by_version:
        raise HTTPException(400, "Kies twee bestaande versies.")
    try:
        d = job.diff_versions(by_version[a], by_version[b], LANG)
    except CgcError as exc:
        raise HTTPException(400, "; ".join(str(p) for p in exc.problems)) from None
    return page(
        request,
        "ruleset_diff.html",
        f"Verschil {rid} {a} → {b}",
        d=d,
        rid=rid,
        a=a,
        b=b,
        versions=list(by_version),
        label=lambda c: c.label(LANG),
        status_word=lambda s: text(LANG, f"diff.status.{s}"),
    )


routes = [
    Route("/regelsets", overview),
    Route("/regelsets/verschil", difference),
    Route("/regelsets/{rid}/{version}", version),
]
