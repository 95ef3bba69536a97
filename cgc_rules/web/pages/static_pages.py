"""The start page, the accessibility statement, health, metrics and the theme stylesheet."""

from __future__ import annotations

import hmac

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from ..theme import css
from . import NAV, page, user_of


async def home(request: Request) -> Response:
    user = user_of(request)
    items = [n for n in NAV if user is not None and user.may(n.page)]
    return page(request, "home.html", "Circulair aanbesteden", items=items)


async def accessibility(request: Request) -> Response:
    return page(request, "toegankelijkheid.html", "Toegankelijkheidsverklaring")


async def health(request: Request) -> Response:
    """Liveness: the process answers."""
    return JSONResponse({"status": "ok"})


async def ready(request: Request) -> Response:
    """Readiness: the database answers (sessions, results and records live there)."""
    try:
        await run_in_threadpool(request.app.state.store.ping)
    except Exception:  # noqa: BLE001 - any failure of the database means: not ready
        return JSONResponse({"status": "database unavailable"}, 503)
    return JSONResponse({"status": "ready"})


async def metrics(request: Request) -> Response:
    """Prometheus metrics: open on a loopback-only app; on a network, for an admin or with the metrics token."""
    state, user = request.app.state, user_of(request)
    token, given = state.config.metrics_token, request.headers.get("authorization", "")
    allowed = (
        not state.backend.login_required
        or (user is not None and user.may("metrics"))
        or (token and hmac.compare_digest(given, f"Bearer {token}"))
    )
    if not allowed:
        return PlainTextResponse("Inloggen nodig.", 401)
    return Response(generate_latest(state.metrics.registry), media_type=CONTENT_TYPE_LATEST)


async def theme(request: Request) -> Response:
    style = request.app.state.house_style
    return Response(css(style.primary, style.accent), media_type="text/css")


routes = [
    Route("/", home),
    Route("/toegankelijkheid", accessibility),
    Route("/health", health),
    Route("/ready", ready),
    Route("/metrics", metrics),
    Route("/thema.css", theme),
]
