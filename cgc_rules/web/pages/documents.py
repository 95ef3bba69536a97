"""Documenten: choose profile, project type, contract form, procedure and document; preview it; download DOCX,
PDF or the whole set as a zip.

The documents are those of `cgc generate`: `build_document` on the profile, rendered through the
document renderers. Contract form and procedure start as the profile sets them; a different choice
is applied to the profile in memory for this download only (a thin adapter: `documents.generate`
takes a profile id, not a changed profile).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date
from typing import Any, get_args

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ... import renderers
from ...documents import DOCUMENT_KINDS
from ...documents.build import build_document
from ...documents.kinds import NotGenerated
from ...documents.kinds import kind as document_kind
from ...documents.printable import Printable
from ...i18n import Msg, text
from ...profile import LoadedProfile, Tender, all_profiles, load_profile
from ...submission import ProjectType
from . import LANG, document_response, page, require, say

FORMATS = ("docx", "pdf")
CONTRACT_FORMS = get_args(Tender.model_fields["contract_form"].annotation)
PROCEDURES = get_args(get_args(Tender.model_fields["procedure"].annotation)[0])  # Literal[...] | None
OPEN = "open"  # procedure not chosen yet: the documents show a fill-in field


@dataclass(frozen=True)
class Choice:
    profile: str
    type: str
    contract_form: str
    procedure: str
    kind: str | None = None


def profiles(request: Request) -> dict[str, LoadedProfile]:
    return {p.stem: load_profile(p) for p in all_profiles(request.app.state.config.profiles_dir)}


def _choice(request: Request, known: dict[str, LoadedProfile]) -> tuple[Choice | None, dict[str, str], dict]:
    """The choice in the query (each value checked against its list), the errors per field, the raw values."""
    q, errors = request.query_params, {}
    raw = {k: q.get(k) for k in ("profile", "type", "contract_form", "procedure", "kind")}
    if raw["profile"] is None:
        return None, {}, raw
    lp = known.get(raw["profile"])
    allowed = {
        "profile": set(known),
        "type": {t.value for t in ProjectType},
        "contract_form": set(CONTRACT_FORMS),
        "procedure": {*PROCEDURES, OPEN},
        "kind": set(DOCUMENT_KINDS),
    }
    if lp is not None:  # unset: as the profile has it
        raw["contract_form"] = raw["contract_form"] or lp.profile.tender.contract_form
        raw["procedure"] = raw["procedure"] or lp.profile.tender.procedure or OPEN
    for name, values in allowed.items():
        if raw[name] is not None and raw[name] not in values:
            errors[name] = say(Msg("web.form.choice"))
    if errors or lp is None or raw["type"] is None:
        return None, errors, raw
    return Choice(raw["profile"], raw["type"], raw["contract_form"], raw["procedure"], raw["kind"]), {}, raw


def chosen_profile(known: dict[str, LoadedProfile], c: Choice) -> LoadedProfile:
    """The profile with the chosen contract form and procedure (in memory only)."""
    lp = known[c.profile]
    procedure = None if c.procedure == OPEN else c.procedure
    tender = lp.profile.tender.model_copy(update={"contract_form": c.contract_form, "procedure": procedure})
    return lp.model_copy(update={"profile": lp.profile.model_copy(update={"tender": tender})})


def _document(request: Request, known: dict[str, LoadedProfile], c: Choice, kind: str) -> tuple[Any, LoadedProfile]:
    lp = chosen_profile(known, c)
    return build_document(kind, lp, c.type, request.app.state.registry, date.today()), lp


def _file(request: Request, known: dict[str, LoadedProfile], c: Choice, kind: str, fmt: str) -> tuple[str, bytes]:
    """One document in one format, named as `cgc generate` names it."""
    doc, lp = _document(request, known, c, kind)
    r = renderers.renderer("document", fmt)
    return f"{document_kind(kind).stem}_{c.profile}_{c.type}{r.suffix}", r.render(Printable(doc, lp))


def _skipped(request: Request, known: dict[str, LoadedProfile], c: Choice) -> str | None:
    """Why the chosen document is not made for this choice (another contract form, no criteria), else None."""
    try:
        _document(request, known, c, c.kind or "")
    except NotGenerated as exc:
        return exc.problems[0].message
    return None


def options() -> dict[str, list[tuple[str, str]]]:
    return {
        "types": [(t.value, text(LANG, f"common.project_type.{t.value}")) for t in ProjectType],
        "contract_forms": [(f, text(LANG, f"documents.contract_form.{f}")) for f in CONTRACT_FORMS],
        "procedures": [(OPEN, text(LANG, "web.procedure.open"))]
        + [(p, text(LANG, f"web.procedure.{p}")) for p in PROCEDURES],
        "kinds": [(k, text(LANG, document_kind(k).label)) for k in DOCUMENT_KINDS],
    }


async def documents(request: Request) -> Response:
    require(request, "documents")
    known = await run_in_threadpool(profiles, request)
    c, errors, raw = _choice(request, known)
    skipped = await run_in_threadpool(_skipped, request, known, c) if c and c.kind else None
    query = None
    if c and c.kind and not skipped:
        query = {
            "profile": c.profile,
            "type": c.type,
            "contract_form": c.contract_form,
            "procedure": c.procedure,
            "kind": c.kind,
        }
    return page(
        request,
        "documents.html",
        "Documenten",
        400 if errors else 200,
        profiles={k: lp.profile.name for k, lp in known.items()},
        raw=raw,
        errors=errors,
        query=query,
        skipped=skipped,
        **options(),
    )


def _ready(request: Request, known: dict[str, LoadedProfile], needs_kind: bool = True) -> Choice:
    """The choice of a download (profile, type, contract form, procedure and, unless `needs_kind` is False, kind)."""
    require(request, "documents")
    c, errors, _ = _choice(request, known)
    if errors or c is None or (needs_kind and c.kind is None):
        raise HTTPException(400, "Kies een profiel, een projecttype en een document.")
    return c


async def preview(request: Request) -> Response:
    """The document as HTML, shown in the page's frame."""
    known = await run_in_threadpool(profiles, request)
    c = _ready(request, known)
    _, data = await run_in_threadpool(_file, request, known, c, c.kind, "html")
    return document_response(data, "text/html; charset=utf-8")


async def download(request: Request) -> Response:
    known = await run_in_threadpool(profiles, request)
    c = _ready(request, known)
    fmt = request.path_params["format"]
    if fmt not in FORMATS:
        raise HTTPException(404)
    name, data = await run_in_threadpool(_file, request, known, c, c.kind, fmt)
    return document_response(data, renderers.renderer("document", fmt).media_type, name)


def _zip(request: Request, known: dict[str, LoadedProfile], c: Choice) -> bytes:
    """Every document made for this choice, DOCX and PDF: published ones and internal ones in their own folder."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for kind in DOCUMENT_KINDS:
            folder = "gepubliceerd" if document_kind(kind).audience == "published" else "intern"
            try:
                files = [_file(request, known, c, kind, fmt) for fmt in FORMATS]
            except NotGenerated:
                continue
            for name, data in files:
                z.writestr(f"{folder}/{name}", data)
    return buf.getvalue()


async def download_set(request: Request) -> Response:
    known = await run_in_threadpool(profiles, request)
    c = _ready(request, known, needs_kind=False)
    data = await run_in_threadpool(_zip, request, known, c)
    return document_response(data, "application/zip", f"aanbestedingsset_{c.profile}_{c.type}.zip")


routes = [
    Route("/documenten", documents),
    Route("/documenten/voorbeeld", preview),
    Route("/documenten/set.zip", download_set),
    Route("/documenten/bestand.{format}", download),
]
