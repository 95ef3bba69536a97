"""Oplevering controleren: the tender definition, the winning bid and the as-built submission; per criterion
what was promised against what was built, and the sanction (`cgc verify`, the same verify job).

Files are stored under our own names; a bid that names its submission as a separate file
(`submission: inzending-alfa.yaml`) needs that file as the attachment, the one upload written under its own
(checked, bare) name, as on the award page."""

from __future__ import annotations

import tempfile
from pathlib import Path, PurePath
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ...errors import CgcError
from ...i18n import Msg
from ...jobs.score import UnknownAttachment, attachment_name
from ...jobs.verify import Verification, verify
from .. import uploads
from ..guard import checked_form
from . import page, require, say

TITLE = "Oplevering controleren"
TEXT_SUFFIXES = (".yaml", ".yml", ".json")  # tender definition and bid
FIELDS = ("aanbesteding", "bod", "oplevering")  # our own names; the attachment may not take one


def _form(request: Request, status: int = 200, errors: dict[str, str] | None = None, **result: Any) -> Response:
    shown = {"d": None, "kept": None, "names": {}, "problems": [], **result}
    return page(request, "verify.html", TITLE, status, errors=errors or {}, **shown)


async def form(request: Request) -> Response:
    require(request, "evaluate")
    return _form(request)


def _shown(path: str) -> str:
    return PurePath(path.replace("\\", "/")).name


def run(files: dict[str, tuple[str, bytes, str]], attachment: tuple[str, bytes] | None, registry: Any) -> Verification:
    """The verify job on the uploads, each stored under our own name in a private temporary directory, the
    attachment under its checked name."""
    with tempfile.TemporaryDirectory(prefix="cgc-web-") as tmp:
        paths = {}
        for field, (_, data, suffix) in files.items():
            paths[field] = Path(tmp) / f"{field}{suffix}"
            paths[field].write_bytes(data)
        if attachment is not None:
            (Path(tmp) / attachment[0]).write_bytes(attachment[1])
        named = {attachment[0]} if attachment is not None else set()
        return verify(paths["aanbesteding"], paths["bod"], paths["oplevering"], registry, attachments=named)


async def _attachment(posted: Any, limit: int) -> tuple[str, bytes] | str | None:
    """The optional attachment (name, bytes), a Dutch error, or None when none was chosen."""
    upload = posted.get("bijlage")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return None
    data = await upload.read()
    name = attachment_name(upload.filename)
    if name is None or PurePath(name).stem in FIELDS:
        return say(Msg("web.upload.type", {"allowed": ", ".join(uploads.SUFFIXES)}))
    try:
        uploads.check(upload.filename, data, limit)
    except uploads.Refused as refused:
        return say(refused.msg)
    return name, data


async def submit(request: Request) -> Response:
    require(request, "evaluate")
    state = request.app.state
    posted = await checked_form(request, max_files=4)
    errors: dict[str, str] = {}
    files: dict[str, tuple[str, bytes, str]] = {}
    for field, allowed in (("aanbesteding", TEXT_SUFFIXES), ("bod", TEXT_SUFFIXES), ("oplevering", uploads.SUFFIXES)):
        upload = posted.get(field)
        if not isinstance(upload, UploadFile) or not upload.filename:
            errors[field] = say(Msg(f"web.verify.missing.{field}"))
            continue
        data = await upload.read()
        try:
            suffix = uploads.check(upload.filename, data, state.config.max_upload_bytes)
            if suffix not in allowed:
                raise uploads.Refused(Msg("web.upload.type", {"allowed": ", ".join(allowed)}))
        except uploads.Refused as refused:
            errors[field] = say(refused.msg)
            continue
        files[field] = (_shown(upload.filename), data, suffix)
    attachment = await _attachment(posted, state.config.max_upload_bytes)
    if isinstance(attachment, str):
        errors["bijlage"] = attachment
    if errors:
        return _form(request, 400, errors)
    assert not isinstance(attachment, str)  # an error returned above
    try:
        verification = await run_in_threadpool(run, files, attachment, state.registry)
    except UnknownAttachment as unknown:
        return _form(request, 400, {"bijlage": say(Msg("web.verify.attachment", {"name": unknown.name}))})
    except CgcError as exc:
        field = next((f for f in files if any(p.file and _shown(p.file).startswith(f) for p in exc.problems)), "bod")
        problems = [p.message for p in exc.problems]
        return _form(request, 400, {field: say(Msg(f"web.verify.invalid.{field}"))}, problems=problems)
    found = verification.report.data
    names = {f: shown for f, (shown, _, _) in files.items()}
    return _form(request, d=found, kept=verification.kept, names=names)


routes = [Route("/oplevering", form, methods=["GET"]), Route("/oplevering", submit, methods=["POST"])]
