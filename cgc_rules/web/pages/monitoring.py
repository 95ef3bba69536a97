"""Monitoring: the figures of `cgc monitor` over the store, filtered by municipality, project type and year.

A project leader sees only their own municipality: the filter is fixed to it.
"""

from __future__ import annotations

import base64

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ...i18n import Msg, text
from ...monitor.figures import GOAL_SHARE, GOAL_YEAR, Filters
from ...monitor.run import from_store
from ...submission import ProjectType
from . import LANG, page, require, say


def _figures(request: Request, filters: Filters) -> tuple[dict, str | None]:
    from ...monitor.charts import origin_trend

    data = from_store(request.app.state.store.store, filters)
    chart = None
    if data["trend"]:
        svg = origin_trend(data["trend"], GOAL_SHARE, GOAL_YEAR).svg
        chart = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
    return data, chart


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
    if kind and kind not in {t.value for t in ProjectType}:
        errors["type"], kind = say(Msg("web.form.choice")), None
    municipality = user.municipality if not user.sees(None) else (q.get("gemeente") or None)
    data, chart = await run_in_threadpool(_figures, request, Filters(year, None, municipality, kind))
    if not user.sees(None):  # a project leader: other municipalities' self-assessments stay out of view
        data["municipalities"] = [m for m in data["municipalities"] if user.sees(m["name"])]
    types = [("", "alle")] + [(t.value, text(LANG, f"common.project_type.{t.value}")) for t in ProjectType]
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


routes = [Route("/monitoring", overview)]
