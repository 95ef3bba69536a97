"""Monitoring: the figures of `cgc monitor` over the store, filtered by municipality, project type and year,
and the yearly evaluation report of `cgc monitor report` as a page.

A project leader sees only their own municipality: the filter is fixed to it, and the report is read as it.
"""

from __future__ import annotations

import base64
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ... import renderers
from ...errors import CgcError
from ...i18n import Msg, text
from ...jobs import monitor as job
from ...jobs import report as report_job
from ..municipalities import registry
from . import LANG, document_response, page, require, say


def _figures(
    request: Request, year: int | None, municipality: str | None, kind: str | None
) -> tuple[dict[str, Any], str | None]:
    found = job.figures(request.app.state.store.store, LANG, year=year, municipality=municipality, project_type=kind)
    svg = job.origin_chart(found)
    chart = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii") if svg is not None else None
    return found.data, chart


def _chosen(name: str | None) -> str | None:
    """The municipality filter as the store spells it (`arnhem` finds `Arnhem`)."""
    return registry().canonical(name) if name else None


async def overview(request: Request) -> Response:
    user = require(request, "monitoring")
    q, errors = request.query_params, {}
    year = None
    if q.get("jaar"):
        try:
            year = int(q["jaar"])
        except ValueError:
            errors["jaar"] = say(Msg("web.form.choice"))
    kind = q.get("type") or None
    if kind and kind not in job.PROJECT_TYPES:
        errors["type"], kind = say(Msg("web.form.choice")), None
    municipality = user.municipality if not user.sees(None) else _chosen(q.get("gemeente"))
    data, chart = await run_in_threadpool(_figures, request, year, municipality, kind)
    if not user.sees(None):  # a project leader: other municipalities' self-assessments stay out of view
        data["municipalities"] = [m for m in data["municipalities"] if user.sees(m["name"])]
    types = [("", "alle")] + [(t, text(LANG, f"common.project_type.{t}")) for t in job.PROJECT_TYPES]
    return page(
        request,
        "monitoring.html",
        "Monitoring",
        400 if errors else 200,
        data=data,
        chart=chart,
        errors=errors,
        types=types,
        chosen={"jaar": q.get("jaar", ""), "type": kind or "", "gemeente": municipality or ""},
        fixed=not user.sees(None),
    )


async def yearly(request: Request) -> Response:
    """The yearly evaluation report (as `cgc monitor report --format html`); a project leader reads it as their
    municipality: itself by name, the others only by GMR profile."""
    user = require(request, "monitoring")
    q = request.query_params
    try:
        year = int(q["jaar"]) if q.get("jaar") else None
    except ValueError:
        raise HTTPException(400, say(Msg("web.form.choice"))) from None
    reader = user.municipality if not user.sees(None) else _chosen(q.get("gemeente"))
    store = request.app.state.store.store
    try:
        document = await run_in_threadpool(
            report_job.yearly_report, store, year=year, region=q.get("regio") or None, municipality=reader
        )
    except CgcError as exc:
        raise HTTPException(400, "; ".join(p.message for p in exc.problems)) from None
    html = await run_in_threadpool(renderers.renderer("yearly-report", "html").render, document)
    return document_response(html, "text/html; charset=utf-8")


routes = [Route("/monitoring", overview), Route("/monitoring/jaarevaluatie.html", yearly)]
