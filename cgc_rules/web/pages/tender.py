"""Aanbestedingsdefinitie and Aankondiging: the tender definition's open values filled in as a form and downloaded
as `aanbesteding.yaml` (what Aanbesteding beoordelen reads); from it, or from an uploaded definition, the eForms
contract notice checked by the EU's rules; after an award, the contract award notice of that result.

The same jobs as `cgc tender init` and `cgc notice` (`jobs.tender`, `jobs.notice`). The EU check runs off the
event loop; its first run in a process compiles the rules (seconds). A made notice is kept like an award
result, so its page and files open again on any replica.
"""

from __future__ import annotations

from datetime import date
from itertools import groupby
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ...errors import CgcError, Problem
from ...i18n import Msg
from ...jobs import generate
from ...jobs import tender as job
from ...today import today_nl
from .. import uploads
from ..guard import checked_form
from ..results import Kept
from . import document_response, page, require, say

if TYPE_CHECKING:
    from ...profile import LoadedProfile
    from ...tender import Tender

TITLE = "Aanbestedingsdefinitie"
NOTICE_TITLE = "Aankondiging (eForms)"
TENDER_SUFFIXES = (".yaml", ".yml", ".json")
CHOICE = ("profile", "type", "datum")
SHARED = "notice_shared"  # the session key of the last contract notice's shared fill-ins


class Choice:
    """Profile, project type, tender date and award criteria of the definition (checked against their lists)."""

    def __init__(self, lp: LoadedProfile, profile: str, type_: str, day: date, criteria: list[str]):
        self.lp, self.profile, self.type, self.day, self.criteria = lp, profile, type_, day, criteria

    @property
    def query(self) -> list[tuple[str, str]]:
        fixed = [("profile", self.profile), ("type", self.type), ("datum", self.day.isoformat()), ("criteria", "1")]
        return fixed + [("criterium", r) for r in self.criteria]


def _choice(params: Any, known: dict[str, LoadedProfile]) -> tuple[Choice | None, dict[str, str], dict[str, Any]]:
    """The choice in `params` (query or form), the errors per field and the raw values for the form."""
    raw: dict[str, Any] = {k: params.get(k) for k in CHOICE}
    raw["criterium"] = params.getlist("criterium")
    errors: dict[str, str] = {}
    if raw["profile"] is None:
        return None, {}, raw
    if raw["profile"] not in known:
        errors["profile"] = say(Msg("web.form.choice"))
    if raw["type"] not in generate.PROJECT_TYPES:
        errors["type"] = say(Msg("web.form.choice"))
    day = today_nl()
    if raw["datum"]:
        try:
            day = date.fromisoformat(raw["datum"])
        except ValueError:
            errors["datum"] = say(Msg("web.form.date"))
    raw["datum"] = day.isoformat() if "datum" not in errors else raw["datum"]
    if errors:
        return None, errors, raw
    lp = known[raw["profile"]]
    offered = [c.rule for c in lp.profile.award.criteria]
    chosen = raw["criterium"] if params.get("criteria") else offered
    if any(r not in offered for r in chosen):
        return None, {"criterium": say(Msg("web.form.choice"))}, raw
    raw["criterium"] = chosen
    return Choice(lp, raw["profile"], raw["type"], day, chosen), {}, raw


def _draft(request: Request, c: Choice) -> Tender:
    lp = generate.with_criteria(c.lp, c.criteria)
    return job.draft(lp, c.type, c.day, request.app.state.registry)


def _typed(form: FormData) -> dict[str, str]:
    return {k: v for k, v in form.items() if isinstance(v, str)}


def _said(errors: dict[str, Msg]) -> dict[str, str]:
    return {name: say(msg) for name, msg in errors.items()}


def _refusals(exc: CgcError, fields: set[str]) -> tuple[dict[str, str], list[str]]:
    """A notice's refusal as errors at its fields (an empty fill-in, the procedure) and the other problems."""
    errors: dict[str, str] = {}
    others: list[str] = []
    for p in exc.problems:
        name = "procedure" if p.field == "tender.procedure" else p.field
        if name in fields:
            errors[name] = p.message
        else:
            others.append(_shown(p))
    return errors, others


def _shown(p: Problem) -> str:
    where = PurePath(p.file).name if p.file else ""
    if where and p.line is not None:
        where += f", regel {p.line}"
    return f"{where}: {p.message}" if where else p.message


def _definition_page(
    request: Request,
    known: dict[str, LoadedProfile],
    status: int = 200,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    problems: list[str] | None = None,
    params: Any = None,
) -> Response:
    c, choice_errors, raw = _choice(params if params is not None else request.query_params, known)
    context: dict[str, Any] = {"groups": [], "fields": [], "hidden": [], "criteria": []}
    tender = None
    if c is not None:
        try:
            tender = _draft(request, c)
        except CgcError:  # no version of a ruleset of the profile in force on that date
            choice_errors = {"datum": say(Msg("web.tender.no_version"))}
    if c is not None and tender is not None:
        procedure_open = c.lp.profile.tender.procedure is None
        context = {
            "groups": [(g, list(items)) for g, items in groupby(job.open_values(tender), key=lambda o: o.group)],
            "fields": job.notice_fields("contract", procedure_open),
            "hidden": c.query,
            "procedure": c.lp.profile.tender.procedure,
            "criteria": [(cr.rule, cr.scoring.value) for cr in c.lp.profile.award.criteria],
        }
    elif raw["profile"] in known:
        context["criteria"] = [(cr.rule, cr.scoring.value) for cr in known[raw["profile"]].profile.award.criteria]
    return page(
        request,
        "tender.html",
        TITLE,
        status if not choice_errors else 400,
        profiles={k: lp.profile.name for k, lp in known.items()},
        types=[(t, say(Msg(f"common.project_type.{t}"))) for t in generate.PROJECT_TYPES],
        raw=raw,
        choice_errors=choice_errors,
        chosen=tender is not None,
        values=values or {},
        errors=errors or {},
        problems=problems or [],
        **context,
    )


async def definition_form(request: Request) -> Response:
    require(request, "award")
    known = await run_in_threadpool(generate.profiles, request.app.state.config.profiles_dir)
    return await run_in_threadpool(_definition_page, request, known)


async def definition_post(request: Request) -> Response:
    """Download the completed definition (`actie=definitie`) or make and check its contract notice."""
    user = require(request, "award")
    state = request.app.state
    form = await checked_form(request, max_files=0)
    known = await run_in_threadpool(generate.profiles, state.config.profiles_dir)
    c, _, _ = _choice(form, known)
    if c is None:
        raise HTTPException(400, "Kies een profiel, een projecttype en een datum.")
    typed = _typed(form)
    try:
        tender = await run_in_threadpool(_draft, request, c)
    except CgcError:
        return await run_in_threadpool(_definition_page, request, known, 400, typed, {}, [], form)
    completed, refused = job.complete(tender, typed)
    errors = _said(refused)
    notice = typed.get("actie") == "aankondiging"
    fills = None
    if notice:
        fills, fill_refused = job.fillins("contract", typed)
        errors |= _said(fill_refused)
    if errors or completed is None:
        return await run_in_threadpool(_definition_page, request, known, 400, typed, errors, [], form)
    body = job.definition(completed)
    if not notice:
        name = f"aanbesteding_{c.profile}_{c.type}.yaml"
        return document_response(body, "application/yaml; charset=utf-8", name)
    assert fills is not None
    try:
        lt = await run_in_threadpool(job.loaded, body.encode("utf-8"), "aanbesteding.yaml")
        files = await run_in_threadpool(
            job.contract_notice, lt, fills, state.registry, state.config.profiles_dir, "formulier"
        )
    except CgcError as exc:
        names = {f.name for f in job.notice_fields("contract")}
        errors, problems = _refusals(exc, names)
        return await run_in_threadpool(_definition_page, request, known, 400, typed, errors, problems, form)
    request.session[SHARED] = job.shared_values(typed)  # offered again on the award notice's form
    kept = state.results.keep(files, files.municipality, user)
    return RedirectResponse(f"/aankondiging/{kept.id}", 303)


def _upload_page(
    request: Request,
    status: int = 200,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    problems: list[str] | None = None,
) -> Response:
    return page(
        request,
        "notice_upload.html",
        NOTICE_TITLE,
        status,
        fields=job.notice_fields("contract"),
        values=values or {},
        errors=errors or {},
        problems=problems or [],
    )


async def upload_form(request: Request) -> Response:
    require(request, "award")
    return _upload_page(request)


async def upload_post(request: Request) -> Response:
    """The contract notice of an uploaded tender definition."""
    user = require(request, "award")
    state = request.app.state
    form = await checked_form(request, max_files=1)
    typed = _typed(form)
    upload = form.get("aanbesteding")
    errors: dict[str, str] = {}
    data, name = b"", ""
    if not isinstance(upload, UploadFile) or not upload.filename:
        errors["aanbesteding"] = say(Msg("web.upload.missing"))
    else:
        name, data = PurePath(upload.filename.replace("\\", "/")).name, await upload.read()
        try:
            if uploads.check(name, data, state.config.max_upload_bytes) not in TENDER_SUFFIXES:
                errors["aanbesteding"] = say(Msg("web.upload.type", {"allowed": ", ".join(TENDER_SUFFIXES)}))
        except uploads.Refused as refused:
            errors["aanbesteding"] = say(refused.msg)
    fills, refused_fills = job.fillins("contract", typed)
    errors |= _said(refused_fills)
    if errors or fills is None:
        return _upload_page(request, 400, typed, errors)
    try:
        lt = await run_in_threadpool(job.loaded, data, name)
        files = await run_in_threadpool(
            job.contract_notice, lt, fills, state.registry, state.config.profiles_dir, "formulier"
        )
    except CgcError as exc:
        errors, problems = _refusals(exc, {f.name for f in job.notice_fields("contract")})
        if problems and not errors:
            errors["aanbesteding"] = say(Msg("web.notice.file"))
        return _upload_page(request, 400, typed, errors, problems)
    request.session[SHARED] = job.shared_values(typed)  # offered again on the award notice's form
    kept = state.results.keep(files, files.municipality, user)
    return RedirectResponse(f"/aankondiging/{kept.id}", 303)


async def _kept_notice(request: Request) -> job.NoticeFiles:
    user = require(request, "award")
    kept: Kept | None = await run_in_threadpool(request.app.state.results.get, request.path_params["rid"], user)
    if kept is None or not isinstance(kept.report, job.NoticeFiles):
        raise HTTPException(404, "Deze aankondiging bestaat niet (meer).")
    if kept.report.kind == "award":
        require(request, "award")
    return kept.report


async def result(request: Request) -> Response:
    files = await _kept_notice(request)
    return page(request, "notice_result.html", NOTICE_TITLE, n=files, rid=request.path_params["rid"])


STEMS = {"contract": "aankondiging-opdracht", "award": "aankondiging-gunning"}


async def notice_file(request: Request) -> Response:
    """The notice as eForms XML, its readable rendering as HTML (shown in the page's frame) or as PDF."""
    files = await _kept_notice(request)
    fmt = request.path_params["format"]
    if files.xml is None or fmt not in {"xml", "html", "pdf"}:
        raise HTTPException(404)
    name = f"{STEMS[files.kind]}_{files.tender_id}.{fmt}"
    if fmt == "xml":
        return document_response(files.xml, "application/xml", name)
    if fmt == "pdf":
        return document_response(await run_in_threadpool(job.pdf_of, files), "application/pdf", name)
    inline = request.query_params.get("download") is None
    return document_response(files.html or "", "text/html; charset=utf-8", None if inline else name)


async def _kept_award(request: Request) -> Kept:
    user = require(request, "award")
    kept: Kept | None = await run_in_threadpool(request.app.state.results.get, request.path_params["rid"], user)
    if kept is None or not hasattr(kept.report, "award") or kept.inputs is None:
        raise HTTPException(404, "Deze beoordeling bestaat niet (meer).")
    return kept


def _award_page(
    request: Request,
    kept: Kept,
    status: int = 200,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    problems: list[str] | None = None,
    carried: bool = False,
) -> Response:
    return page(
        request,
        "notice_award.html",
        "Aankondiging van de gunning",
        status,
        d=kept.report.data,
        rid=kept.id,
        fields=job.notice_fields("award"),
        values=values or {},
        errors=errors or {},
        problems=problems or [],
        carried=carried,
    )


async def award_form(request: Request) -> Response:
    """The award notice's form, with what the user's last contract notice in this session shared filled in."""
    kept = await _kept_award(request)
    shared = request.session.get(SHARED) or {}
    return _award_page(request, kept, values=shared, carried=bool(shared))


async def award_post(request: Request) -> Response:
    """The contract award notice (subtype 29) of a kept award result, with the officer's fill-ins."""
    kept = await _kept_award(request)
    user = require(request, "award")
    state = request.app.state
    typed = _typed(await checked_form(request, max_files=0))
    fills, refused = job.fillins("award", typed)
    if fills is None:
        return _award_page(request, kept, 400, typed, _said(refused))
    inputs = kept.inputs
    try:
        files = await run_in_threadpool(
            job.award_notice,
            inputs.tender,
            inputs.bids,
            inputs.attachments,
            fills,
            state.registry,
            state.config.profiles_dir,
            "formulier",
        )
    except CgcError as exc:
        errors, problems = _refusals(exc, {f.name for f in job.notice_fields("award")})
        return _award_page(request, kept, 400, typed, errors, problems)
    saved = state.results.keep(files, files.municipality, user)
    return RedirectResponse(f"/aankondiging/{saved.id}", 303)


routes = [
    Route("/definitie", definition_form, methods=["GET"]),
    Route("/definitie", definition_post, methods=["POST"]),
    Route("/aankondiging", upload_form, methods=["GET"]),
    Route("/aankondiging", upload_post, methods=["POST"]),
    Route("/aankondiging/{rid}", result),
    Route("/aankondiging/{rid}/aankondiging.{format}", notice_file),
    Route("/aanbesteding/uitslag/{rid}/aankondiging", award_form, methods=["GET"]),
    Route("/aanbesteding/uitslag/{rid}/aankondiging", award_post, methods=["POST"]),
]
