"""Inzending toetsen: upload a bid form, CSV, YAML or JSON; the explained report of `cgc evaluate`; PDF download.
Several files at once are evaluated together as a task, with an overview per bid as CSV."""

from __future__ import annotations

from datetime import date
from pathlib import PurePath

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ... import renderers
from ...errors import CgcError
from ...i18n import Msg, text
from ...jobs.evaluate import ROLES, Evaluation, Settings, evaluate, project_rulesets, record
from ...registry import NoDate
from .. import uploads
from ..auth import User
from ..guard import checked_form
from ..results import Kept
from . import LANG, document_response, page, require, say
from .evaluate_batch import MAX_FILES, batch_work
from .taken import started

DEFAULT_RULESET = "hnn-gww"
UPLOAD_STEM = "inzending"  # the name `uploads.stored` gives the uploaded file: problems located in it
ROLE_NAMES = (
    ("design", "ontwerp"),
    ("bid", "inschrijving"),
    ("awarded", "gegunde inschrijving"),
    ("as-built", "opgeleverd"),
)


def _form(
    request: Request,
    status: int = 200,
    errors: dict[str, str] | None = None,
    problems: list[str] | None = None,
    chosen: tuple[str, ...] = (DEFAULT_RULESET,),
    as_of: str = "",
    role: str = "bid",
    keep: bool = True,
) -> Response:
    return page(
        request,
        "evaluate.html",
        "Inzending toetsen",
        status,
        rulesets=project_rulesets(request.app.state.registry),
        roles=ROLE_NAMES,
        chosen=chosen,
        as_of=as_of,
        role=role,
        keep=keep,
        errors=errors or {},
        problems=problems or [],
        max_mb=request.app.state.config.max_upload_bytes // (1024 * 1024),
        max_files=MAX_FILES,
    )


async def form(request: Request) -> Response:
    require(request, "evaluate")
    return _form(request)


async def submit(request: Request) -> Response:
    user = require(request, "evaluate")
    state = request.app.state
    posted = await checked_form(request, max_files=MAX_FILES * 3)  # more than MAX_FILES: refused below, in Dutch
    known = {rid for rid, _ in project_rulesets(request.app.state.registry)}
    refs = tuple(r for r in posted.getlist("regelset") if isinstance(r, str) and r in known)
    as_of_text = str(posted.get("peildatum") or "").strip()
    role = str(posted.get("rol") or "")
    keep = bool(posted.get("vastleggen"))
    errors: dict[str, str] = {}
    if not refs:
        errors["regelset"] = say(Msg("web.form.ruleset"))
    if posted.get("vastleggen") and role not in ROLES:
        errors["rol"] = say(Msg("web.form.choice"))
    as_of = None
    if as_of_text:
        try:
            as_of = date.fromisoformat(as_of_text)
        except ValueError:
            errors["peildatum"] = say(Msg("web.form.date"))
    chosen_files = [u for u in posted.getlist("bestand") if isinstance(u, UploadFile) and u.filename]
    if len(chosen_files) > 1:
        return await _many(request, user, chosen_files, errors, refs, as_of, as_of_text, role, keep)
    upload = chosen_files[0] if chosen_files else None
    name = upload.filename if upload else None
    data = await upload.read() if upload else b""
    suffix = None
    if not name:
        errors["bestand"] = say(Msg("web.upload.missing"))
    else:
        try:
            suffix = uploads.check(name, data, state.config.max_upload_bytes)
        except uploads.Refused as refused:
            state.metrics.refused_uploads.labels(refused.msg.key.rsplit(".", 1)[-1]).inc()
            errors["bestand"] = say(refused.msg)
    if errors or suffix is None:
        return _form(request, 400, errors, chosen=refs or (DEFAULT_RULESET,), as_of=as_of_text, role=role, keep=keep)
    settings = Settings(refs, as_of, LANG)
    shown = PurePath((name or "").replace("\\", "/")).name  # the user's file name, not our temporary file

    def evaluated() -> Evaluation:
        with uploads.stored(data, suffix) as path:
            return evaluate(path, settings, state.rulesets)

    try:
        evaluation = await run_in_threadpool(evaluated)
    except CgcError as exc:
        state.metrics.evaluations.labels("bad_input").inc()
        in_file = [p for p in exc.problems if p.file and PurePath(p.file).stem == UPLOAD_STEM]
        problems = [str(p).replace(p.file or "", shown, 1) for p in in_file]
        errors = {"bestand": say(Msg("web.evaluate.problems"))} if in_file else {}
        if isinstance(exc, NoDate):  # the file has no tender date and the form no reference date
            errors["peildatum"] = say(Msg("web.evaluate.no_date"))
        elif len(in_file) < len(exc.problems):  # not the file: no version of a chosen ruleset on that date
            errors["peildatum" if as_of else "regelset"] = say(Msg("web.evaluate.no_version"))
        return _form(request, 400, errors, problems, refs, as_of_text, role, keep)
    report = evaluation.report
    municipality = report.data["project"]["municipality"]
    if not user.sees(municipality):
        return _form(
            request,
            403,
            {"bestand": say(Msg("web.records.other_municipality", {"municipality": municipality}))},
            chosen=refs,
            as_of=as_of_text,
            role=role,
            keep=keep,
        )
    report.data["input"] = shown
    recorded = None
    if posted.get("vastleggen") and role in ROLES:
        recorded = await run_in_threadpool(record, evaluation, role, state.store.by(user.username))
    state.metrics.evaluations.labels("compliant" if report.compliant else "not_compliant").inc()
    kept = state.results.keep(report, municipality, user, recorded)
    return RedirectResponse(f"/toetsen/uitslag/{kept.id}", 303)


async def _many(
    request: Request,
    user: User,
    files: list[UploadFile],
    errors: dict[str, str],
    refs: tuple[str, ...],
    as_of: date | None,
    as_of_text: str,
    role: str,
    keep: bool,
) -> Response:
    """Several bids: each checked as an upload, then evaluated together as a task (the batch of `cgc evaluate`)."""
    state = request.app.state
    checked: list[tuple[str, str, bytes]] = []
    refused: list[str] = []
    if len(files) > MAX_FILES:
        errors["bestand"] = say(Msg("web.evaluate.too_many", {"limit": MAX_FILES}))
    else:
        for upload in files:
            data, name = await upload.read(), upload.filename or ""
            try:
                checked.append((name, uploads.check(name, data, state.config.max_upload_bytes), data))
            except uploads.Refused as no:
                state.metrics.refused_uploads.labels(no.msg.key.rsplit(".", 1)[-1]).inc()
                refused.append(f"{PurePath(name.replace(chr(92), '/')).name}: {say(no.msg)}")
        if refused:
            errors["bestand"] = say(Msg("web.evaluate.problems"))
    if errors:
        return _form(request, 400, errors, refused, refs or (DEFAULT_RULESET,), as_of_text, role, keep)
    recording = (role, state.store.by(user.username), user) if keep and role in ROLES else None
    work = batch_work(checked, Settings(refs, as_of, LANG), state.config.rulesets_dir, recording)
    title = f"Toetsing van {len(checked)} inzendingen"
    return started(await run_in_threadpool(state.tasks.start, user, "toetsing", title, work))


def _kept(request: Request) -> Kept:
    user = require(request, "evaluate")
    kept: Kept | None = request.app.state.results.get(request.path_params["rid"], user)
    if kept is None or hasattr(kept.report, "award"):
        raise HTTPException(404, "Deze uitslag bestaat niet (meer), of is niet van uw gemeente.")
    return kept


async def result(request: Request) -> Response:
    kept = _kept(request)
    d = kept.report.data
    failing = [o for o in d["outcomes"] if o["status"] in {"fail", "missing_data"}]
    return page(
        request,
        "evaluate_result.html",
        "Uitslag van de toets",
        kept=kept,
        d=d,
        failing=failing,
        status_word=lambda s: text(LANG, f"common.status.{s}"),
    )


async def report_html(request: Request) -> Response:
    kept = _kept(request)
    return document_response(renderers.renderer("evaluate", "html").render(kept.report), "text/html; charset=utf-8")


async def report_pdf(request: Request) -> Response:
    kept = _kept(request)
    pdf = await run_in_threadpool(renderers.renderer("evaluate", "pdf").render, kept.report)
    return document_response(pdf, "application/pdf", f"uitslag_{kept.report.data['project']['id']}.pdf")


routes = [
    Route("/toetsen", form, methods=["GET"]),
    Route("/toetsen", submit, methods=["POST"]),
    Route("/toetsen/uitslag/{rid}", result),
    Route("/toetsen/uitslag/{rid}/rapport.html", report_html),
    Route("/toetsen/uitslag/{rid}/rapport.pdf", report_pdf),
]
