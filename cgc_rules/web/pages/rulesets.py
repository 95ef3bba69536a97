"""Regelsets: every ruleset and its versions in force, one version's rules and sources, the diff of two versions."""

from __future__ import annotations

from datetime import date

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ... import kinds
from ...diff import diff_rulesets, threshold_text
from ...errors import CgcError
from ...i18n import text
from ...registry import Registry
from ...ruleset import ByProjectType, Rule
from . import LANG, page, require


def registries(request: Request) -> list[Registry]:
    """The configured directory, else the bundled ruleset root of every subject kind (as `cgc rulesets list`)."""
    state = request.app.state
    if state.config.rulesets_dir is not None:
        return [state.registry]
    return [state.registry if root == state.registry.root else Registry(root) for root in kinds.ruleset_roots()]


def _versions(request: Request, rid: str):
    for reg in registries(request):
        if rid in reg.by_id:
            return reg.by_id[rid]
    raise HTTPException(404, "Deze regelset bestaat niet.")


def _threshold(rule: Rule) -> str:
    """The threshold as `cgc rulesets show` words it; one per project type where the rule has several."""
    t = rule.threshold
    if isinstance(t, ByProjectType):
        return "; ".join(
            f"{text(LANG, f'common.project_type.{k.value}')} {threshold_text(rule, v, LANG)}"
            for k, v in t.by_project_type.items()
        )
    return threshold_text(rule, t, LANG)


async def overview(request: Request) -> Response:
    require(request, "rulesets")
    today = date.today()
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
            "title": rule.title.get(LANG),
            "level": rule.level.value,
            "threshold": _threshold(rule),
            "explanation": rule.explanation.get(LANG),
            "source": r.sources[rule.source].citation(),
            "secondary": r.sources[rule.source].secondary,
            "types": ", ".join(
                text(LANG, f"common.project_type.{t.value}") for t in rule.applies_when.project_type or ()
            )
            or "alle",
        }
        for rule in r.rules
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
        d = diff_rulesets(by_version[a], by_version[b], LANG)
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
