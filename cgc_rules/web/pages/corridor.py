"""Corridor: calendar and map, matches (allocations), refusals and alerts as of a chosen date (`cgc corridor match`).

durable-rules keeps global state and is not thread-safe, so one corridor run happens at a time.
Adding a supply or demand line waits for the corridor's live updates (issue 17); the page says so.
"""

from __future__ import annotations

import threading
from datetime import date

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ...i18n import Msg
from ...resources import bundled
from . import LANG, document_response, page, require, say

_engine_lock = threading.Lock()


def corridors() -> list[str]:
    root = bundled("corridors")
    return sorted(p.name for p in root.iterdir() if p.is_dir() and (p / "corridor.yaml").is_file())


def findings(name: str, as_of: date):
    """The corridor, its findings and allocations on `as_of` (the CLI's `corridor match`)."""
    from ...corridor.allocate import allocate
    from ...corridor.engine import run
    from ...corridor.load import load_corridor, resolve_dir

    corridor = load_corridor(resolve_dir(name, bundled("corridors")))
    with _engine_lock:
        found = run(corridor, as_of)
    return corridor, found, allocate(corridor, found.candidates)


def _choice(request: Request) -> tuple[str, date, dict[str, str]]:
    q, errors, known = request.query_params, {}, corridors()
    name = q.get("corridor") or (known[0] if known else "")
    if name not in known:
        errors["corridor"] = say(Msg("web.form.choice"))
    try:
        day = date.fromisoformat(q["datum"]) if q.get("datum") else date.today()
    except ValueError:
        errors["datum"], day = say(Msg("web.form.date")), date.today()
    return name, day, errors


async def overview(request: Request) -> Response:
    user = require(request, "corridor")
    name, day, errors = _choice(request)
    data = None
    if not errors:
        from ...corridor.views import as_data

        c, f, allocs = await run_in_threadpool(findings, name, day)
        data = as_data(c, f, allocs, LANG)
    return page(
        request,
        "corridor.html",
        "Corridor",
        400 if errors else 200,
        corridors=corridors(),
        name=name,
        day=day.isoformat(),
        errors=errors,
        data=data,
        may_edit=user.may("corridor_edit"),
    )


async def calendar(request: Request) -> Response:
    require(request, "corridor")
    name, day, errors = _choice(request)
    if errors:
        raise HTTPException(400, "; ".join(errors.values()))
    from ...corridor.views import calendar_html

    c, f, allocs = await run_in_threadpool(findings, name, day)
    return document_response(calendar_html(c, f, allocs, LANG), "text/html; charset=utf-8")


routes = [Route("/corridor", overview), Route("/corridor/kalender.html", calendar)]
