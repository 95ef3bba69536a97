"""Oplevering controleren: the tender definition, the winning bid and the as-built submission; per criterion
what was promised against what was built, and the sanction (`cgc verify`, the same verify job)."""

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
from ...jobs.verify import Verification, verify
from .. import uploads
from ..guard import checked_form
from . import page, require, say

TITLE = "Oplevering controleren"
TEXT_SUFFIXES = (".yaml", ".yml", ".json")  # tender definition and bid


def _form(request: Request, status: int = 200, errors: dict[str, str] | None = None, **result: Any) -> Response:
    shown = {"d": None, "kept": None, "names": {}, "problems": [], **result}
    return page(request, "verify.html", TITLE, status, errors=errors or {}, **shown)


async def form(request: Request) -> Response:
    require(request, "evaluate")
    return _form(request)


def _shown(path: str) -> str:
    return PurePath(path.replace("\\", "/")).name


def run(files: dict[str, tuple[str, bytes, str]], registry: Any) -> Verification:
    """The verify job on the uploads, each stored under our own name in a private temporary directory."""
    with tempfile.TemporaryDirectory(prefix="cgc-web-") as tmp:
        paths = {}
        for field, (_, data, suffix) in files.items():
            paths[field] = Path(tmp) / f"{field}{suffix}"
            paths[field].write_bytes(data)
        return verify(paths["aanbesteding"], paths["bod"], paths["oplevering"], registry)


async def submit(request: Request) -> Response:
    require(request, "evaluate")
    state = request.app.state
    posted = await checked_form(request, max_files=3)
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
    if errors:
        return _form(request, 400, errors)
    try:
        verification = await run_in_threadpool(run, files, state.registry)
    except CgcError as exc:
        field = next((f for f in files if any(p.file and _shown(p.file).startswith(f) for p in exc.problems)), "bod")
        problems = [p.message for p in exc.problems]
        return _form(request, 400, {field: say(Msg(f"web.verify.invalid.{field}"))}, problems=problems)
    found = verification.report.data
    names = {f: shown for f, (shown, _, _) in files.items()}
    return _form(request, d=found, kept=verification.kept, names=names)


routes = [Route("/oplevering", form, methods=["GET"]), Route("/oplevering", submit, methods=["POST"])]
