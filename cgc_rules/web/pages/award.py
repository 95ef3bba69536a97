"""Aanbesteding beoordelen: upload the tender definition and the bids; ranking, exclusions, advice and letters.

The same score job as `cgc score`. Files are stored under names we choose
(`aanbesteding.<ext>`, `bod-NN.<ext>`) in a private temporary directory. A bid may name its submission
as a separate file (`submission: inzending-alfa.yaml`): that file must be uploaded as an attachment,
and is the one file written under a name from the upload, after the name is checked to be a bare file
name of a known kind; a bid naming anything else (a path) is refused before scoring.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePath
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ... import renderers
from ...errors import CgcError
from ...i18n import Msg
from ...jobs.score import UnknownAttachment, advice_name, attachment_name, letters_archive_name
from ...jobs.score import letters as make_letters
from ...jobs.score import score as score_job
from .. import uploads
from ..guard import checked_form
from ..results import Kept
from . import document_response, page, require, say

MAX_BIDS = 30
TENDER_SUFFIXES = (".yaml", ".yml", ".json")
# the award advice as a file to download: the score report's formats that make one (DOCX, PDF)
ADVICE = tuple(f for f in renderers.formats("score") if renderers.renderer("score", f).needs_file)


@dataclass(frozen=True)
class Uploaded:
    """What an award was scored from, so any replica can score it again for its pages (`rebuild`)."""

    tender: tuple[str, bytes]
    bids: list[tuple[str, bytes]]
    attachments: list[tuple[str, bytes]]
    sent: date


class Refusal(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


async def _files(form: Any, name: str) -> list[tuple[str, bytes]]:
    return [(f.filename or "", await f.read()) for f in form.getlist(name) if isinstance(f, UploadFile) and f.filename]


def _checked(field: str, name: str, data: bytes, limit: int, suffixes: tuple[str, ...] = uploads.SUFFIXES) -> str:
    try:
        suffix = uploads.check(name, data, limit)
    except uploads.Refused as refused:
        raise Refusal(field, f"{PurePath(name.replace(chr(92), '/')).name}: {say(refused.msg)}") from None
    if suffix not in suffixes:
        raise Refusal(field, f"{name}: {say(Msg('web.upload.type', {'allowed': ', '.join(suffixes)}))}")
    return suffix


def score(
    tender: tuple[str, bytes],
    bids: list[tuple[str, bytes]],
    attachments: list[tuple[str, bytes]],
    registry: Any,
    limit: int,
    sent: date | None = None,
) -> tuple[Any, dict[str, str]]:
    """The award report, and which of our file names holds which uploaded bid (for the page)."""
    tender_suffix = _checked("aanbesteding", *tender, limit, TENDER_SUFFIXES)
    named: dict[str, bytes] = {}
    for name, data in attachments:
        _checked("bijlagen", name, data, limit)
        safe = attachment_name(name)
        if safe is None or safe.startswith(("aanbesteding.", "bod-")):
            raise Refusal(
                "bijlagen", f"{name}: {say(Msg('web.upload.type', {'allowed': ', '.join(uploads.SUFFIXES)}))}"
            )
        named[safe] = data
    with tempfile.TemporaryDirectory(prefix="cgc-web-") as tmp:
        d = Path(tmp)
        tender_path = d / f"aanbesteding{tender_suffix}"
        tender_path.write_bytes(tender[1])
        paths, shown = [], {}
        for i, (name, data) in enumerate(bids, 1):
            path = d / f"bod-{i:02d}{_checked('biedingen', name, data, limit, TENDER_SUFFIXES)}"
            path.write_bytes(data)
            paths.append(path)
            shown[path.name] = PurePath(name.replace("\\", "/")).name
        for safe, data in named.items():
            (d / safe).write_bytes(data)
        try:
            scoring = score_job(tender_path, paths, registry, "nl", attachments=set(named), sent=sent)
        except UnknownAttachment as unknown:
            raise Refusal(
                "biedingen",
                f"{shown[unknown.bid.name]}: de inschrijving verwijst naar {unknown.name!r}; "
                "upload dat bestand als bijlage (alleen een bestandsnaam, geen map)",
            ) from None
        return scoring.report, shown


def rebuild(uploaded: Uploaded, registry: Any) -> Any:
    """The award report scored again from its uploads (the same day sent, so the same report)."""
    report, _ = score(uploaded.tender, uploaded.bids, uploaded.attachments, registry, 2**62, uploaded.sent)
    return report


def _form(
    request: Request, status: int = 200, errors: dict[str, str] | None = None, problems: list[str] | None = None
) -> Response:
    return page(
        request,
        "award.html",
        "Aanbesteding beoordelen",
        status,
        errors=errors or {},
        problems=problems or [],
        max_bids=MAX_BIDS,
    )


def _located(problem: Any, names: dict[str, str]) -> str:
    """A problem with the user's own file name instead of our temporary file's path."""
    text = str(problem)
    if problem.file:
        text = text.replace(problem.file, names.get(PurePath(problem.file).stem.split("-")[0], ""), 1).lstrip(": ")
    return text


async def form(request: Request) -> Response:
    require(request, "award")
    return _form(request)


async def submit(request: Request) -> Response:
    user = require(request, "award")
    state = request.app.state
    posted = await checked_form(request, max_files=2 * MAX_BIDS + 1)
    tender = await _files(posted, "aanbesteding")
    bids = await _files(posted, "biedingen")
    attachments = await _files(posted, "bijlagen")
    errors = {}
    if len(tender) != 1:
        errors["aanbesteding"] = say(Msg("web.upload.missing"))
    if not bids or len(bids) > MAX_BIDS:
        errors["biedingen"] = say(Msg("web.upload.missing"))
    if errors:
        return _form(request, 400, errors)
    try:
        report, shown = await run_in_threadpool(
            score, tender[0], bids, attachments, state.registry, state.config.max_upload_bytes
        )
    except Refusal as refusal:
        return _form(request, 400, {refusal.field: refusal.message})
    except CgcError as exc:
        names = {"aanbesteding": PurePath(tender[0][0].replace("\\", "/")).name, "bod": "inschrijving"}
        problems = [_located(p, names) for p in exc.problems]
        return _form(request, 400, {"aanbesteding": say(Msg("web.award.problems"))}, problems)
    inputs = Uploaded(tender[0], bids, attachments, report.sent)
    kept = state.results.keep(report, report.data["tender"]["municipality"], user, names=shown, inputs=inputs)
    return RedirectResponse(f"/aanbesteding/uitslag/{kept.id}", 303)


async def _kept(request: Request) -> Kept:
    user = require(request, "award")
    # off the event loop: a replica that has not seen this award scores it again from its uploads
    kept: Kept | None = await run_in_threadpool(request.app.state.results.get, request.path_params["rid"], user)
    if kept is None or not hasattr(kept.report, "award"):
        raise HTTPException(404, "Deze beoordeling bestaat niet (meer).")
    return kept


async def result(request: Request) -> Response:
    kept = await _kept(request)
    d = kept.report.data
    names = kept.names

    def shown(path: str) -> str:
        return names.get(PurePath(path).name, PurePath(path).name)

    return page(request, "award_result.html", "Beoordeling", kept=kept, d=d, shown=shown)


async def advice(request: Request) -> Response:
    kept = await _kept(request)
    fmt = request.path_params["format"]
    if fmt not in ADVICE:
        raise HTTPException(404)
    r = renderers.renderer("score", fmt)
    data = await run_in_threadpool(r.render, kept.report)
    return document_response(data, r.media_type, advice_name(kept.report, r.suffix))


async def letters(request: Request) -> Response:
    kept = await _kept(request)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in await run_in_threadpool(make_letters, kept.report):
            z.writestr(name, data)
    return document_response(buf.getvalue(), "application/zip", letters_archive_name(kept.report))


routes = [
    Route("/aanbesteding", form, methods=["GET"]),
    Route("/aanbesteding", submit, methods=["POST"]),
    Route("/aanbesteding/uitslag/{rid}", result),
    Route("/aanbesteding/uitslag/{rid}/brieven.zip", letters),
    Route("/aanbesteding/uitslag/{rid}/advies.{format}", advice),
]
