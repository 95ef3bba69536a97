"""Documenten: choose profile, project type, contract form, procedure and document; preview it; download DOCX,
PDF or the whole set as a zip (made as a task, with its progress page); the tender definition (`cgc tender init`)
and the blank bid form (`cgc form`) of the choice; the ruleset versions in force today.

The documents are those of `cgc generate`, made by the same generate jobs (named alike, the tender set
zipped by audience). Contract form and procedure start as the profile sets them; a different choice is
applied to the profile in memory for this download only, and forgotten when another profile is chosen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ... import renderers
from ...i18n import Msg, text
from ...jobs import generate as job
from ...today import today_nl
from ..guard import checked_form
from ..tasks import Made, Progress
from . import LANG, document_response, page, require, say
from .taken import started

if TYPE_CHECKING:
    from ...profile import LoadedProfile

OPEN = "open"  # procedure not chosen yet: the documents show a fill-in field
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Choice:
    profile: str
    type: str
    contract_form: str
    procedure: str
    kind: str | None = None


def profiles(request: Request) -> dict[str, LoadedProfile]:
    return job.profiles(request.app.state.config.profiles_dir)


def _choice(
    request: Request, known: dict[str, LoadedProfile]
) -> tuple[Choice | None, dict[str, str], dict[str, str | None]]:
    """The choice in the query (each value checked against its list), the errors per field, the raw values."""
    q = request.query_params
    errors: dict[str, str] = {}
    raw = {k: q.get(k) for k in ("profile", "type", "contract_form", "procedure", "kind")}
    if raw["profile"] is None:
        return None, {}, raw
    if q.get("vorig") and q["vorig"] != raw["profile"]:  # another profile: its own contract form and procedure
        raw["contract_form"] = raw["procedure"] = None
    lp = known.get(raw["profile"])
    allowed = {
        "profile": set(known),
        "type": set(job.PROJECT_TYPES),
        "contract_form": set(job.CONTRACT_FORMS),
        "procedure": {*job.PROCEDURES, OPEN},
        "kind": set(job.DOCUMENT_KINDS),
    }
    if lp is not None:  # unset: as the profile has it
        raw["contract_form"] = raw["contract_form"] or lp.profile.tender.contract_form
        raw["procedure"] = raw["procedure"] or lp.profile.tender.procedure or OPEN
    for name, values in allowed.items():
        if raw[name] is not None and raw[name] not in values:
            errors[name] = say(Msg("web.form.choice"))
    contract_form, procedure = raw["contract_form"], raw["procedure"]  # set from the profile when not chosen
    if errors or lp is None or raw["type"] is None or contract_form is None or procedure is None:
        return None, errors, raw
    return Choice(raw["profile"], raw["type"], contract_form, procedure, raw["kind"]), {}, raw


def chosen_profile(known: dict[str, LoadedProfile], c: Choice) -> LoadedProfile:
    """The profile with the chosen contract form and procedure (in memory only)."""
    return job.with_tender_choices(known[c.profile], c.contract_form, None if c.procedure == OPEN else c.procedure)


def _file(request: Request, known: dict[str, LoadedProfile], c: Choice, fmt: str) -> job.GeneratedFile:
    """One document (the choice's kind, which `_ready` checked) in one format, named as `cgc generate` names it."""
    return job.document(chosen_profile(known, c), c.type, c.kind or "", fmt, request.app.state.registry, today_nl())


def _skipped(request: Request, known: dict[str, LoadedProfile], c: Choice) -> str | None:
    """Why the chosen document is not made for this choice (another contract form, no criteria), else None."""
    return job.not_made(chosen_profile(known, c), c.type, c.kind or "", request.app.state.registry, today_nl())


def options() -> dict[str, list[tuple[str, str]]]:
    return {
        "types": [(t, text(LANG, f"common.project_type.{t}")) for t in job.PROJECT_TYPES],
        "contract_forms": [(f, text(LANG, f"documents.contract_form.{f}")) for f in job.CONTRACT_FORMS],
        "procedures": [(OPEN, text(LANG, "web.procedure.open"))]
        + [(p, text(LANG, f"web.procedure.{p}")) for p in job.PROCEDURES],
        "kinds": [(k, text(LANG, job.kind_label(k))) for k in job.DOCUMENT_KINDS],
    }


def _in_force(request: Request, known: dict[str, LoadedProfile], c: Choice) -> list[tuple[str, str]]:
    return job.rulesets_in_force(chosen_profile(known, c), c.type, request.app.state.registry, today_nl())


async def documents(request: Request) -> Response:
    require(request, "documents")
    known = await run_in_threadpool(profiles, request)
    c, errors, raw = _choice(request, known)
    skipped = await run_in_threadpool(_skipped, request, known, c) if c and c.kind else None
    query, whole, in_force, criteria = None, None, [], []
    if c:
        whole = {"profile": c.profile, "type": c.type, "contract_form": c.contract_form, "procedure": c.procedure}
        in_force = await run_in_threadpool(_in_force, request, known, c)
        criteria = [(cr.rule, cr.scoring) for cr in known[c.profile].profile.award.criteria]
    if whole and c and c.kind and not skipped:
        query = {**whole, "kind": c.kind}
    return page(
        request,
        "documents.html",
        "Documenten",
        400 if errors else 200,
        profiles={k: lp.profile.name for k, lp in known.items()},
        raw=raw,
        errors=errors,
        query=query,
        whole=whole,
        in_force=in_force,
        criteria=criteria,
        today=today_nl().isoformat(),
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
    f = await run_in_threadpool(_file, request, known, c, "html")
    return document_response(f.data, "text/html; charset=utf-8")


async def download(request: Request) -> Response:
    known = await run_in_threadpool(profiles, request)
    c = _ready(request, known)
    fmt = request.path_params["format"]
    if fmt not in job.PRINTABLE:
        raise HTTPException(404)
    f = await run_in_threadpool(_file, request, known, c, fmt)
    return document_response(f.data, renderers.renderer("document", fmt).media_type, f.name)


async def making_set(request: Request) -> Response:
    """Start making the set (every document, DOCX and PDF, zipped) as a task; its page shows the progress."""
    user = require(request, "documents")
    await checked_form(request)
    known = await run_in_threadpool(profiles, request)
    c = _ready(request, known, needs_kind=False)
    lp, registry, day = chosen_profile(known, c), request.app.state.registry, today_nl()
    label = text(LANG, f"common.project_type.{c.type}")
    title = f"Set documenten {known[c.profile].profile.name}, {label}"

    def work(progress: Progress) -> Made:
        zipped = job.tender_set(lp, c.type, registry, day, progress)
        return Made(zipped.name, "application/zip", zipped.data)

    return started(await run_in_threadpool(request.app.state.tasks.start, user, "set", title, work))


async def download_tender(request: Request) -> Response:
    """The tender definition of the choice with the award criteria ticked, as `cgc tender init` makes it (for the
    award page and the delivery check)."""
    known = await run_in_threadpool(profiles, request)
    c = _ready(request, known, needs_kind=False)
    rules = request.query_params.getlist("criterium")
    offered = {cr.rule for cr in known[c.profile].profile.award.criteria}
    if any(r not in offered for r in rules):
        raise HTTPException(400, say(Msg("web.form.choice")))
    lp = job.with_criteria(chosen_profile(known, c), rules)
    body = await run_in_threadpool(job.tender_definition_of, lp, c.type, today_nl(), request.app.state.registry)
    return document_response(body, "application/yaml; charset=utf-8", f"aanbesteding_{c.profile}_{c.type}.yaml")


async def download_form(request: Request) -> Response:
    """The blank bid form (XLSX) of the choice, as `cgc form --profile` makes it."""
    known = await run_in_threadpool(profiles, request)
    c = _ready(request, known, needs_kind=False)
    registry, folder = request.app.state.registry, request.app.state.config.profiles_dir
    body = await run_in_threadpool(
        lambda: job.bid_form(registry, today_nl(), profile_id=c.profile, project_type=c.type, profiles_dir=folder)
    )
    return document_response(body, XLSX, f"inschrijvingsformulier_{c.profile}_{c.type}.xlsx")


routes = [
    Route("/documenten", documents),
    Route("/documenten/voorbeeld", preview),
    Route("/documenten/set", making_set, methods=["POST"]),
    Route("/documenten/aanbesteding.yaml", download_tender),
    Route("/documenten/inschrijvingsformulier.xlsx", download_form),
    Route("/documenten/bestand.{format}", download),
]
