"""Documenten: choose profile, project type and document; preview it; download DOCX, PDF or the set as a zip."""

from __future__ import annotations

import io
import zipfile

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ...documents import DOCUMENT_KINDS, generate
from ...documents.kinds import kind as document_kind
from ...i18n import Msg, text
from ...profile import all_profiles, load_profile
from ...submission import ProjectType
from . import LANG, document_response, page, require, say

FORMATS = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "pdf": "application/pdf"}


def profiles(request: Request) -> dict[str, str]:
    """Profile id → name, of every profile the app serves."""
    return {p.stem: load_profile(p).profile.name for p in all_profiles(request.app.state.config.profiles_dir)}


def _choice(request: Request) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """The chosen profile, type and kind (each checked against its list) and the errors per field."""
    q, errors, chosen = request.query_params, {}, {}
    options = {
        "profile": profiles(request),
        "type": {t.value: t.value for t in ProjectType},
        "kind": {k: k for k in DOCUMENT_KINDS},
    }
    for name, allowed in options.items():
        value = q.get(name)
        if value is None:
            continue
        if value in allowed:
            chosen[name] = value
        else:
            errors[name] = say(Msg("web.form.choice"))
    return chosen, errors, options["profile"]


def _generate(request: Request, chosen: dict[str, str], kind: str, formats: list[str]):
    state = request.app.state
    return generate(
        kind,
        chosen["profile"],
        chosen["type"],
        formats,
        registry=state.registry,
        profiles_dir=state.config.profiles_dir,
    )


async def documents(request: Request) -> Response:
    require(request, "documents")
    chosen, errors, known = _choice(request)
    ready = not errors and len(chosen) == 3
    return page(
        request,
        "documents.html",
        "Documenten",
        400 if errors else 200,
        profiles=known,
        chosen=chosen,
        errors=errors,
        ready=ready,
        types=[(t.value, text(LANG, f"common.project_type.{t.value}")) for t in ProjectType],
        kinds=[(k, text(LANG, document_kind(k).label)) for k in DOCUMENT_KINDS],
    )


def _ready(request: Request, kind: bool = True) -> dict[str, str]:
    """The choice of a download: profile, type and (unless `kind` is False) document; else 400."""
    require(request, "documents")
    chosen, errors, _ = _choice(request)
    if errors or len(chosen) < (3 if kind else 2):
        raise HTTPException(400, "Kies een profiel, een projecttype en een document.")
    return chosen


async def preview(request: Request) -> Response:
    """The document as HTML, shown in the page's frame."""
    chosen = _ready(request)
    files = await run_in_threadpool(_generate, request, chosen, chosen["kind"], ["html"])
    return document_response(files[0].data, "text/html; charset=utf-8")


async def download(request: Request) -> Response:
    chosen = _ready(request)
    fmt = request.path_params["format"]
    if fmt not in FORMATS:
        raise HTTPException(404)
    f = (await run_in_threadpool(_generate, request, chosen, chosen["kind"], [fmt]))[0]
    return document_response(f.data, FORMATS[fmt], f.name)


def _zip(request: Request, chosen: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for kind in DOCUMENT_KINDS:
            for f in _generate(request, chosen, kind, ["docx", "pdf"]):
                z.writestr(f.name, f.data)
    return buf.getvalue()


async def download_set(request: Request) -> Response:
    """Every document of the profile and project type, DOCX and PDF, in one zip."""
    chosen = _ready(request, kind=False)
    data = await run_in_threadpool(_zip, request, chosen)
    return document_response(data, "application/zip", f"aanbestedingsset_{chosen['profile']}_{chosen['type']}.zip")


routes = [
    Route("/documenten", documents),
    Route("/documenten/voorbeeld", preview),
    Route("/documenten/set.zip", download_set),
    Route("/documenten/bestand.{format}", download),
]
