"""Monitoring: the figures of `cgc monitor` over the store, filtered by municipality, project type and year
(choice lists built from what the store holds), the figures as CSV, and the yearly evaluation report of
`cgc monitor report` as a page and as PDF (made as a task, with its progress page).

A project leader sees only their own municipality: the filter is fixed to it, and the report is read as it.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ... import renderers
from ...errors import CgcError
from ...i18n import Msg, text
from ...jobs import monitor as job
from ...jobs import report as report_job
from ..auth import User
from ..guard import checked_form
from ..municipalities import registry
from ..tasks import Failed, Made, Progress
from . import LANG, document_response, page, require, say
from .assess import AXIS_NAMES, ELEMENT_NAMES
from .taken import started


def _data_uri(svg: bytes | None) -> str | None:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii") if svg is not None else None


class Chosen:
    """The filters asked for in the query, checked against the choices the store offers."""

    def __init__(self, request: Request, user: User, municipalities: list[str], years: list[int]) -> None:
        q = request.query_params
        self.errors: dict[str, str] = {}
        self.year: int | None = None
        if q.get("jaar"):
            if q["jaar"].isdigit() and int(q["jaar"]) in years:
                self.year = int(q["jaar"])
            else:
                self.errors["jaar"] = say(Msg("web.monitoring.year", {"years": ", ".join(map(str, years)) or "—"}))
        self.kind = q.get("type") or None
        if self.kind and self.kind not in job.PROJECT_TYPES:
            self.errors["type"], self.kind = say(Msg("web.form.choice")), None
        self.municipality = user.municipality if not user.sees(None) else _chosen(q.get("gemeente"))
        if self.municipality and user.sees(None) and self.municipality not in municipalities:
            self.errors["gemeente"] = say(Msg("web.monitoring.municipality"))
            self.municipality = None


def _figures(request: Request, chosen: Chosen) -> job.Figures:
    return job.figures(
        request.app.state.store.store,
        LANG,
        year=chosen.year,
        municipality=chosen.municipality,
        project_type=chosen.kind,
    )


def _choices(request: Request) -> tuple[list[str], list[int]]:
    return job.choices(request.app.state.store.store)


def _charts(found: job.Figures, municipality: str | None) -> dict[str, str | None]:
    own = job.municipality_charts(found, municipality) if municipality else None
    return {
        "origin": _data_uri(job.origin_chart(found)),
        "mki": _data_uri(job.mki_chart(found)),
        "rules": _data_uri(job.rules_chart(found)),
        "spinnenweb": _data_uri(own[0]) if own else None,
        "growth": _data_uri(own[1]) if own else None,
    }


def _chosen(name: str | None) -> str | None:
    """The municipality filter as the store spells it (`arnhem` finds `Arnhem`)."""
    return registry().canonical(name) if name else None


async def overview(request: Request) -> Response:
    user = require(request, "monitoring")
    municipalities, years = await run_in_threadpool(_choices, request)
    chosen = Chosen(request, user, municipalities, years)
    found = await run_in_threadpool(_figures, request, chosen)
    charts = await run_in_threadpool(_charts, found, chosen.municipality)
    data = found.data
    if not user.sees(None):  # a project leader: other municipalities' self-assessments stay out of view
        data["municipalities"] = [m for m in data["municipalities"] if user.sees(m["name"])]
    types = [("", "alle")] + [(t, text(LANG, f"common.project_type.{t}")) for t in job.PROJECT_TYPES]
    query = {"jaar": chosen.year or "", "gemeente": chosen.municipality or "", "type": chosen.kind or ""}
    return page(
        request,
        "monitoring.html",
        "Monitoring",
        400 if chosen.errors else 200,
        data=data,
        charts=charts,
        mki_types=job.mki_by_type(found),
        errors=chosen.errors,
        types=types,
        municipalities=[("", "alle")] + [(m, m) for m in municipalities],
        years=[("", "alle")] + [(str(y), str(y)) for y in years],
        chosen={k: str(v) for k, v in query.items()},
        fixed=not user.sees(None),
        axis_names=AXIS_NAMES,
        element_names=ELEMENT_NAMES,
    )


async def figures_csv(request: Request) -> Response:
    """The figures shown on the page, as `cgc monitor --format csv`."""
    user = require(request, "monitoring")
    municipalities, years = await run_in_threadpool(_choices, request)
    chosen = Chosen(request, user, municipalities, years)
    if chosen.errors:
        raise HTTPException(400, " ".join(chosen.errors.values()))
    found = await run_in_threadpool(_figures, request, chosen)
    if not user.sees(None):
        found.data["municipalities"] = [m for m in found.data["municipalities"] if user.sees(m["name"])]
    body = renderers.renderer("monitor", "csv").render(found)
    return document_response(body, "text/csv; charset=utf-8", "monitoring-cijfers.csv")


def _reader(user: User, q: Mapping[str, str]) -> tuple[int | None, str | None]:
    """The year asked for and the municipality that reads the report (a project leader: their own)."""
    if q.get("jaar") and not q["jaar"].isdigit():
        raise HTTPException(400, say(Msg("web.form.choice")))
    year = int(q["jaar"]) if q.get("jaar") else None
    return year, user.municipality if not user.sees(None) else _chosen(q.get("gemeente"))


async def yearly(request: Request) -> Response:
    """The yearly evaluation report (as `cgc monitor report`) as a page; a project leader reads it as their
    municipality: itself by name, the others only by GMR profile."""
    user = require(request, "monitoring")
    q = request.query_params
    year, reader = _reader(user, q)
    store = request.app.state.store.store
    try:
        document = await run_in_threadpool(
            report_job.yearly_report, store, year=year, region=q.get("regio") or None, municipality=reader
        )
    except CgcError as exc:
        raise HTTPException(400, "; ".join(p.message for p in exc.problems)) from None
    rendered = await run_in_threadpool(renderers.renderer("yearly-report", "html").render, document)
    return document_response(rendered, "text/html; charset=utf-8")


async def yearly_pdf(request: Request) -> Response:
    """Start making the yearly report as PDF as a task (read as `yearly` reads it); its page shows the progress."""
    user = require(request, "monitoring")
    posted = await checked_form(request)
    q = {k: v for k, v in posted.items() if isinstance(v, str)}
    year, reader = _reader(user, q)
    region = q.get("regio") or None
    store = request.app.state.store.store
    name = f"jaarevaluatie-{year}.pdf" if year else "jaarevaluatie.pdf"
    title = f"Jaarevaluatie {year}" if year else "Jaarevaluatie"

    def work(progress: Progress) -> Made:
        if not job.choices(store)[1]:
            raise Failed(say(Msg("web.report.nothing")))
        document = report_job.yearly_report(
            store, year=year, region=region, municipality=reader, progress=lambda d, t, s: progress(d, t + 1, s)
        )
        progress(2, 3, say(Msg("web.task.step.pdf")))
        pdf = renderers.renderer("yearly-report", "pdf").render(document)
        assert isinstance(pdf, bytes)  # a PDF renderer makes bytes
        return Made(name, "application/pdf", pdf)

    return started(await run_in_threadpool(request.app.state.tasks.start, user, "jaarevaluatie", title, work))


routes = [
    Route("/monitoring", overview),
    Route("/monitoring/cijfers.csv", figures_csv),
    Route("/monitoring/jaarevaluatie.html", yearly),
    Route("/monitoring/jaarevaluatie.pdf", yearly_pdf, methods=["POST"]),
]
