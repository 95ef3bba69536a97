"""The Starlette application of `cgc serve`: pages, middleware, templates and state in one place."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from jinja2 import PackageLoader, StrictUndefined, select_autoescape
from jinja2.sandbox import SandboxedEnvironment
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from ..errors import CgcError
from ..jobs.evaluate import Rulesets
from ..profile import load_profile, profile_path
from ..registry import Registry
from .accounts import Accounts
from .auth import AuthBackend, LocalBackend, PasswordBackend
from .config import Config
from .guard import AuthMiddleware, CsrfError, GuardMiddleware
from .observe import Metrics, ObserveMiddleware, log
from .oidc import OidcBackend
from .pages import assess, award, corridor, documents, evaluate, login, monitoring, page, rulesets, static_pages, verify
from .pages.admin import routes as admin_routes
from .pages.packs import routes as pack_routes
from .pages.taken import routes as task_routes
from .pages.tender import routes as tender_routes
from .results import Results
from .sessions import SessionMiddleware, Sessions
from .storing import open_web_store
from .tasks import Tasks
from .throttle import Throttle

STATIC = Path(__file__).parent / "static"
VENDOR_FILES = ("utrecht-components.css", "utrecht-tokens.css")


def backend_for(config: Config) -> AuthBackend:
    """An OpenID provider when configured; else no login on loopback, and local accounts on a network."""
    if config.oidc_issuer:
        return OidcBackend(config)
    if not config.network:
        return LocalBackend()
    accounts = Accounts(config.accounts_file)
    if not accounts.all():
        raise CgcError(
            f"serving to a network ({config.host}) needs accounts: none in {config.accounts_file} "
            "(add one with `cgc serve adduser`)"
        )
    return PasswordBackend(accounts)


def templates() -> Jinja2Templates:
    env = SandboxedEnvironment(
        loader=PackageLoader("cgc_rules.web", "templates"),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return Jinja2Templates(env=env)


def _vendor_missing() -> list[str]:
    return [f for f in VENDOR_FILES if not (STATIC / "vendor" / f).is_file()]


@asynccontextmanager
async def _lifespan(app: Starlette) -> AsyncIterator[None]:
    """On shutdown the task heartbeat stops: the other processes see this one's unfinished tasks as interrupted."""
    yield
    app.state.tasks.stop()


def create_app(config: Config, backend: AuthBackend | None = None) -> Starlette:
    """The application; `backend` replaces the one the configuration chooses (OpenID Connect, local or password).

    Its state (sessions, failed logins, kept results, records) lives in the store's database, so several
    processes over one PostgreSQL database serve as one.
    """
    secret = config.secret()
    backend = backend or backend_for(config)
    if config.network and not config.secure_cookies:
        log.warning(
            "network mode without secure cookies: set CGC_WEB_SECURE_COOKIES=1 behind HTTPS",
            extra={"fields": {"host": config.host}},
        )
    metrics = Metrics()
    store = open_web_store(config.database_url)  # the CLI's store: SQLite by default, PostgreSQL for a region

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if exc.status_code in {401, 403, 404, 400}:
            return page(request, "error.html", "Niet gelukt", exc.status_code, message=exc.detail)
        return PlainTextResponse(exc.detail, exc.status_code)

    async def csrf_error(request: Request, exc: Exception) -> Response:
        log.warning("csrf refused", extra={"fields": {"path": request.url.path}})
        return PlainTextResponse("Het formulier is verlopen of niet van deze site; laad de pagina opnieuw.", 403)

    async def bad_input(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, CgcError)
        return page(request, "error.html", "Niet gelukt", 400, message="; ".join(str(p) for p in exc.problems))

    app = Starlette(
        routes=[
            *static_pages.routes,
            *login.routes,
            *documents.routes,
            *evaluate.routes,
            *assess.routes,
            *rulesets.routes,
            *corridor.routes,
            *monitoring.routes,
            *award.routes,
            *verify.routes,
            *tender_routes,
            *admin_routes,
            *task_routes,
            *pack_routes,
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
        ],
        middleware=[
            Middleware(ObserveMiddleware, metrics=metrics),
            Middleware(GuardMiddleware, max_body=config.max_upload_bytes + 64 * 1024),
            Middleware(SessionMiddleware, sessions=Sessions(store, secret), https_only=config.secure_cookies),
            Middleware(AuthMiddleware, backend=backend),
        ],
        exception_handlers={HTTPException: http_error, CsrfError: csrf_error, CgcError: bad_input},
        lifespan=_lifespan,
    )
    app.state.config = config
    app.state.backend = backend
    app.state.metrics = metrics
    app.state.templates = templates()
    app.state.registry = Registry(config.rulesets_dir, lang="nl")  # its errors reach the pages
    app.state.rulesets = Rulesets(app.state.registry)  # each ruleset version compiled once per process
    app.state.results = Results(store, secret, lambda inputs: award.rebuild(inputs, app.state.registry))
    app.state.throttle = Throttle(store)
    app.state.tasks = Tasks(store)  # long work: in this process's pool, seen from every process
    app.state.house_style = load_profile(profile_path(config.profile, config.profiles_dir)).profile.house_style
    app.state.store = store
    if _vendor_missing():
        log.warning(
            "NL Design System CSS missing; run scripts/web-assets.sh", extra={"fields": {"missing": _vendor_missing()}}
        )
    return app
