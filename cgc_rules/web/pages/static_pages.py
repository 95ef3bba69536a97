"""The start page, the accessibility statement, health, metrics and the theme stylesheet."""

from __future__ import annotations

import hmac

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
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
    return JSONResponse({"status": "ok"})


async def metrics(request: Request) -> Response:
    """Prometheus metrics: open on a loopback-only app; on a network, for a logged-in user or the metrics token."""
    state = request.app.state
    token, given = state.config.metrics_token, request.headers.get("authorization", "")
    allowed = (
        not state.backend.login_required
        or user_of(request) is not None
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
    Route("/metrics", metrics),
    Route("/thema.css", theme),
]
