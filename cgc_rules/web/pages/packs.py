"""Sjablonenpakket: the pack definitions the server knows (bundled, or CGC_PACKS), and a pack built from one as
a task, as `cgc pack build NAME` builds it (same bytes: the pack is reproducible from its definition)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ...i18n import Msg, text
from ...jobs import pack as job
from ...numbers import notation
from ..guard import checked_form
from ..tasks import Made, Progress
from . import LANG, page, require, say
from .taken import started

if TYPE_CHECKING:
    from ...pack.definition import LoadedDefinition

PAGE = "packs"


def _definitions(request: Request) -> dict[str, LoadedDefinition]:
    return job.definitions(request.app.state.config.packs_dir)


def _row(name: str, loaded: LoadedDefinition) -> dict[str, object]:
    """What the table shows of one definition, in Dutch."""
    d = loaded.definition
    return {
        "name": name,
        "title": d.title,
        "version": d.version,
        "released": notation(LANG).date(d.released),
        "profiles": len(d.profiles),
        "types": ", ".join(text(LANG, f"common.project_type.{t.value}") for t in d.project_types),
        "documents": ", ".join(text(LANG, job.kind_label(k)) for k in d.documents),
        "formats": ", ".join(f.upper() for f in d.formats),
        "count": len(d.profiles) * len(d.project_types) * len(d.documents) * len(d.formats),
    }


async def overview(request: Request) -> Response:
    require(request, PAGE)
    known = await run_in_threadpool(_definitions, request)
    return page(request, "packs.html", "Sjablonenpakket", rows=[_row(name, d) for name, d in known.items()])


async def build(request: Request) -> Response:
    """Start building the named pack as a task; its page shows the documents made so far."""
    user = require(request, PAGE)
    await checked_form(request)
    known = await run_in_threadpool(_definitions, request)
    name = request.path_params["name"]
    if name not in known:
        raise HTTPException(404, say(Msg("web.pack.unknown")))
    d, state = known[name].definition, request.app.state
    title = f"Sjablonenpakket {d.title} {d.version}"
    step = say(Msg("web.task.step.documents"))

    def work(progress: Progress) -> Made:
        def start(total: int) -> Callable[[int], None]:  # the build's progress: documents made of `total`
            made = [0]
            progress(0, total, step)

            def advance(n: int) -> None:
                made[0] += n
                progress(made[0], total, step)

            return advance

        with tempfile.TemporaryDirectory(prefix="cgc-pack-") as dist:
            result = job.build(
                name,
                Path(dist),
                state.registry,
                state.config.profiles_dir,
                packs_dir=state.config.packs_dir,
                jobs=1,
                start=start,
            )
            return Made(result.path.name, "application/zip", result.path.read_bytes())

    return started(await run_in_threadpool(state.tasks.start, user, "pakket", title, work))


routes = [
    Route("/pakket", overview),
    Route("/pakket/{name}", build, methods=["POST"]),
]
