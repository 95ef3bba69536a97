"""Taken: a long task's progress (a bar and a status the page's script refreshes), its file when done, and the
user's recent tasks to return to. Only the user who started a task sees it."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from ...i18n import Msg
from ..auth import User
from ..tasks import ACTIVE, DONE, KEEP_DAYS, Task, Tasks
from . import document_response, page, say, user_of


def _user(request: Request) -> User:
    user = user_of(request)
    if user is None:
        raise HTTPException(403, "U hebt geen toegang tot deze pagina.")
    return user


def _tasks(request: Request) -> Tasks:
    tasks: Tasks = request.app.state.tasks
    return tasks


async def _task(request: Request) -> Task:
    task = await run_in_threadpool(_tasks(request).get, request.path_params["tid"], _user(request))
    if task is None:
        raise HTTPException(404, say(Msg("web.task.unknown", {"days": KEEP_DAYS})))
    return task


def status_text(task: Task) -> str:
    """The task's state in one Dutch sentence, as the status line shows it."""
    if task.state == DONE:
        return say(Msg("web.task.done", {"name": task.filename}))
    if task.state not in ACTIVE:
        return task.error or ""
    if task.total:
        return say(Msg("web.task.running", {"done": task.done, "total": task.total, "step": task.step}))
    return task.step


def started(tid: str) -> Response:
    """Where a page sends the user after starting a task: its progress page."""
    return RedirectResponse(f"/taken/{tid}", 303)


async def overview(request: Request) -> Response:
    mine = await run_in_threadpool(_tasks(request).mine, _user(request))
    return page(request, "taken.html", "Mijn taken", tasks=mine, status_text=status_text, days=KEEP_DAYS)


async def one(request: Request) -> Response:
    task = await _task(request)
    mine = await run_in_threadpool(_tasks(request).mine, _user(request), 5)
    return page(
        request,
        "taak.html",
        task.title,
        task=task,
        text=status_text(task),
        tasks=[t for t in mine if t.id != task.id],
        status_text=status_text,
    )


async def status(request: Request) -> Response:
    task = await _task(request)
    return JSONResponse({**task.status(), "text": status_text(task)})


async def download(request: Request) -> Response:
    made = await run_in_threadpool(_tasks(request).file, request.path_params["tid"], _user(request))
    if made is None:
        raise HTTPException(404, say(Msg("web.task.unknown", {"days": KEEP_DAYS})))
    return document_response(made.data, made.media_type, made.name)


routes = [
    Route("/taken", overview),
    Route("/taken/{tid}", one),
    Route("/taken/{tid}/status.json", status),
    Route("/taken/{tid}/bestand", download),
]
