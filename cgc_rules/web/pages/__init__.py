"""The pages of `cgc serve`: each module builds its routes on the functions the CLI uses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from ...i18n import Msg, render
from ..auth import User
from ..guard import CSRF_FIELD, csrf_token

if TYPE_CHECKING:
    from starlette.templating import Jinja2Templates

LANG = "nl"


@dataclass(frozen=True)
class NavItem:
    path: str
    label: str
    page: str  # the permission it needs (auth.PAGE_ROLES)


NAV = (
    NavItem("/documenten", "Documenten", "documents"),
    NavItem("/definitie", "Aanbestedingsdefinitie", "award"),
    NavItem("/toetsen", "Inzending toetsen", "evaluate"),
    NavItem("/aanbesteding", "Aanbesteding beoordelen", "award"),
    NavItem("/oplevering", "Oplevering controleren", "evaluate"),
    NavItem("/zelfevaluatie", "Zelfevaluatie", "assess"),
    NavItem("/monitoring", "Monitoring", "monitoring"),
    NavItem("/pakket", "Sjablonenpakket", "packs"),
    NavItem("/corridor", "Corridor", "corridor"),
    NavItem("/regelsets", "Regelsets", "rulesets"),
    NavItem("/beheer/accounts", "Accounts", "accounts"),
)


def user_of(request: Request) -> User | None:
    user: User | None = request.scope.get("state", {}).get("user")
    return user


def require(request: Request, page: str) -> User:
    """The user, when allowed on `page`; else 403."""
    user = user_of(request)
    if user is None or not user.may(page):
        raise HTTPException(403, "U hebt geen toegang tot deze pagina.")
    return user


def say(msg: Msg) -> str:
    return render(LANG, msg)


def page(request: Request, template: str, title: str, status: int = 200, **context: Any) -> Response:
    """A page in the site layout: navigation for the user's roles, the CSRF token for its forms."""
    user = user_of(request)
    nav = [n for n in NAV if user is not None and user.may(n.page)]
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(
        request,
        template,
        {
            "title": title,
            "user": user,
            "nav": nav,
            "path": request.url.path,
            "csrf_field": CSRF_FIELD,
            "csrf": csrf_token(request),
            "login_required": request.app.state.backend.login_required,
            **context,
        },
        status_code=status,
    )


def document_response(body: str | bytes, media_type: str, filename: str | None = None) -> Response:
    """A generated report or document; marked so it gets the document CSP (its own styles, no scripts)."""
    headers = {"X-CGC-Document": "1"}
    if filename:
        headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return Response(body, media_type=media_type, headers=headers)
