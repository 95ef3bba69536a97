"""Corridor: calendar and map, the flow chart (donor categories to receiving projects) with the flows as a table,
matches (allocations), refusals and alerts on a chosen date (`cgc corridor match`); a coordinator adds or corrects
a supply or demand line (`cgc corridor post` with a `line_put` event), or withdraws one (a `line_withdrawn` event),
and sees them change. Categories are chosen from the corridor's own list.

The corridors live in a writable directory (`CGC_WEB_CORRIDORS`, else the user data directory), seeded
once with the bundled example. The page parses and presents; the corridor jobs (`cgc_rules.jobs.corridor`)
run the engine and post, one run or post at a time.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ...errors import CgcError
from ...i18n import Msg, has, text
from ...jobs import corridor as job
from ...jobs import corridor_flows
from ...numbers import notation
from ...today import today_nl
from ..guard import checked_form
from . import LANG, document_response, page, require, say

QUALITIES = (("poor", "slecht"), ("fair", "redelijk"), ("good", "goed"), ("as_new", "als nieuw"))
LINE_FIELDS = ("soort", "regel", "project", "categorie", "omschrijving", "ton", "kwaliteit", "van", "tot", "per")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# the form field of each field of a posted event, for the corridor's own checks
EVENT_FIELDS = {
    "id": "regel",
    "line": "regel",
    "project": "project",
    "category": "categorie",
    "description": "omschrijving",
    "quantity": "ton",
    "condition": "kwaliteit",
    "min_quality": "kwaliteit",
    "available": "van",
    "needed": "van",
    "day": "per",
}


def category_name(slug: str) -> str:
    """A category in Dutch (its catalogue label), with its key when no label is known."""
    key = f"web.corridor.category.{slug}"
    return f"{text(LANG, key)} ({slug})" if has(LANG, key) else slug


def fix(field: str) -> str:
    """What to do about a refused form field, in Dutch."""
    return say(Msg(f"web.corridor.fix.{field}"))


def root(request: Request) -> Path:
    """The corridors' directory; the bundled corridors are copied there once when it does not exist yet."""
    config = request.app.state.config
    if config.corridors_dir is not None:
        base = config.corridors_dir
    else:
        from platformdirs import user_data_path

        base = user_data_path("cgc-rules", appauthor=False) / "corridors"
    return job.seeded(base)


def _choice(request: Request, base: Path) -> tuple[str, date, dict[str, str]]:
    q, errors, known = request.query_params, {}, job.corridors(base)
    name = q.get("corridor") or (known[0] if known else "")
    if name not in known:
        errors["corridor"] = say(Msg("web.form.choice"))
    try:
        day = date.fromisoformat(q["datum"]) if q.get("datum") else today_nl()
    except ValueError:
        errors["datum"], day = say(Msg("web.form.date")), today_nl()
    return name, day, errors


ALT_ITEMS = 10
"""Flows and places an image's alt text names, the largest flows and the hubs first; the rest is counted (the
tables say them all: an alt text of thousands of words helps nobody)."""


async def _show(
    request: Request,
    name: str,
    day: date,
    errors: dict[str, str],
    values: dict[str, str],
    status: int = 200,
) -> Response:
    """The page; of a large corridor each list shows its first `TABLE_ROWS` items and counts the rest, unless
    `alles=1`; the lines table shows those of one project with `project=`."""
    user = require(request, "corridor")
    base = await run_in_threadpool(root, request)
    q = request.query_params
    everything = q.get("alles") == "1"
    among = q.get("project", "")
    added = q.get("toegevoegd", "")
    cut = slice(None) if everything else slice(job.TABLE_ROWS)
    data, projects, categories, flows, calendar_pages = None, [], [], [], 0
    lines: list[dict[str, str]] = []
    places: list[dict[str, str]] = []
    rest: dict[str, str] = {}
    if "corridor" not in errors:
        view = await run_in_threadpool(job.match_kept, base / name, day, LANG)
        data, counts = await run_in_threadpool(_listed, view, cut, added)
        projects = sorted(view.corridor.projects)
        figures = await run_in_threadpool(corridor_flows.figures, view)
        largest = sorted(figures.flows, key=lambda f: -f.tonnes)
        flows = [
            {"categorie": category_name(f.category), "project": f.project, "ton": _tonnes(f.tonnes)} for f in largest
        ]
        counts["flows"] = len(flows)
        hubs, sites = view.corridor.hubs, view.corridor.projects
        places = [{"id": h, "naam": hubs[h].name, "soort": "hub"} for h in sorted(hubs)]
        places += [{"id": p, "naam": sites[p].name, "soort": "project"} for p in projects]
        calendar_pages = len(job.calendar_pages_of(view, job.CalendarView(per_page=job.CALENDAR_PROJECTS)).chunks)
        categories = [(c, category_name(c)) for c in await run_in_threadpool(job.categories, base / name)]
        lines, unlisted, chosen = await run_in_threadpool(_lines, view, among, cut, added, q.get("corrigeer", ""))
        if chosen is not None and not errors:
            values = {**chosen, "per": day.isoformat()}
        shown = {"allocations": len(data["allocations"]), "refusals": len(data["refusals"])}
        shown |= {"alerts": len(data["alerts"]), "flows": len(flows[cut])}
        rest = {k: _count(counts[k] - shown[k]) for k in counts if counts[k] > shown[k]}
        rest |= {"lines": _count(unlisted)} if unlisted else {}
    keep = {"corridor": name, "datum": day.isoformat()} | ({"project": among} if among else {})
    keep |= {"alles": "1"} if everything else {}
    return page(
        request,
        "corridor.html",
        "Corridor",
        400 if errors and status == 200 else status,
        corridors=job.corridors(base),
        name=name,
        day=day.isoformat(),
        errors=errors,
        data=data,
        may_edit=user.may("corridor_edit"),
        projects=projects,
        qualities=QUALITIES,
        quality_names=dict(QUALITIES),
        categories=[("", "kies een categorie")] + categories,
        lines=lines,
        among=among,
        values=values,
        added=added,
        withdrawn=q.get("ingetrokken", ""),
        flows=flows[cut],
        flows_named=flows[:ALT_ITEMS],
        flows_more=_count(len(flows) - ALT_ITEMS),
        places_named=places[:ALT_ITEMS],
        places_more=_count(len(places) - ALT_ITEMS),
        rest=rest,
        calendar_pages=_count(calendar_pages),
        calendar_per_page=job.CALENDAR_PROJECTS,
        everything=everything,
        keep=keep,
        all_query=urlencode({**keep, "alles": "1"}),
    )


def _count(count: int) -> str:
    """A number of rows as the page writes it (5.079), "" when there is none."""
    return notation(LANG).num(count, 0) if count > 0 else ""


def _lines(
    view: job.MatchView, among: str, cut: slice, added: str, fixing: str
) -> tuple[list[dict[str, str]], int, dict[str, str] | None]:
    """The lines the table shows (`cut` of those of project `among`, or of all; a line just added is always
    shown), how many of them it leaves out, and the line chosen for correction (`fixing`), wherever it is."""
    every = sorted(
        [(ln, "supply") for ln in view.corridor.supply] + [(ln, "demand") for ln in view.corridor.demand],
        key=lambda x: (x[0].project, x[0].id),
    )
    listed = [x for x in every if x[0].project == among] if among else every
    shown = listed[cut]
    if added and all(ln.id != added for ln, _ in shown):
        shown += [x for x in every if x[0].id == added]
    chosen = next((_shown(ln, kind) for ln, kind in every if ln.id == fixing), None)
    return [_shown(ln, kind) for ln, kind in shown], len(listed) - len(listed[cut]), chosen


def _listed(view: job.MatchView, cut: slice, added: str) -> tuple[dict[str, Any], dict[str, int]]:
    """The allocations (those of a line just added first, their tonnes as the page writes them), refused routes of
    pairs without any valid route, and alerts the page lists, `cut` of each, as `MatchView.data` writes them;
    and how many there are of each. Only what is listed is worded (a corridor of 20,000 lines has about 100,000
    refused routes)."""
    f = view.findings
    unmatched = job.unmatched_refusals(f)
    allocations = view.allocations
    if added:
        allocations = sorted(allocations, key=lambda a: added not in (a.route.supply, a.route.demand))
    part = replace(f, candidates=[], refusals=unmatched[cut], alerts=f.alerts[cut], checks=[])
    data = job.MatchView(view.corridor, part, allocations[cut], view.lang).data()
    for a in data["allocations"]:
        a["ton"] = _tonnes(a["tonnes"])
    return data, {"allocations": len(allocations), "refusals": len(unmatched), "alerts": len(f.alerts)}


def _tonnes(t: float) -> str:
    """Tonnes as the page writes them: one decimal at most, Dutch decimal comma."""
    return f"{round(t, 1):g}".replace(".", ",")


def _shown(line: Any, kind: str) -> dict[str, str]:
    """A current line of the corridor as the form's values (to show it, or to correct it)."""
    window = line.available if kind == "supply" else line.needed
    return {
        "soort": kind,
        "regel": line.id,
        "project": line.project,
        "categorie": line.category,
        "categorie_naam": category_name(line.category),
        "omschrijving": line.description,
        "ton": f"{line.quantity:g}".replace(".", ","),
        "kwaliteit": (line.condition if kind == "supply" else line.min_quality).value,
        "van": window.start.isoformat(),
        "tot": window.end.isoformat(),
    }


async def overview(request: Request) -> Response:
    require(request, "corridor")
    base = await run_in_threadpool(root, request)
    name, day, errors = _choice(request, base)
    return await _show(request, name, day, errors, {"per": day.isoformat(), "soort": "demand"})


def line_event(form: dict[str, str], categories: list[str]) -> tuple[dict[str, Any], dict[str, str]]:
    """The posted line as a `line_put` event, and the errors per field the form can see itself."""
    errors: dict[str, str] = {}
    for name in LINE_FIELDS:
        if not form.get(name, "").strip():
            errors[name] = say(Msg("web.form.required"))
    if form.get("regel", "").strip() and not SLUG.match(form["regel"].strip()):
        errors["regel"] = fix("regel")
    if form.get("categorie", "").strip() and form["categorie"].strip() not in categories:
        errors["categorie"] = fix("categorie")
    days = {}
    for name in ("van", "tot", "per"):
        try:
            days[name] = date.fromisoformat(form.get(name, "")).isoformat()
        except ValueError:
            errors.setdefault(name, say(Msg("web.form.date")))
    try:
        tonnes = float(form.get("ton", "").replace(",", "."))
        if not 0 < tonnes < float("inf"):
            raise ValueError
    except ValueError:
        errors.setdefault("ton", fix("ton"))
        tonnes = 0.0
    supply = form.get("soort") == "supply"
    line = {
        "id": form.get("regel", "").strip(),
        "project": form.get("project", ""),
        "category": form.get("categorie", "").strip(),
        "description": form.get("omschrijving", "").strip(),
        "quantity": tonnes,
        ("condition" if supply else "min_quality"): form.get("kwaliteit", ""),
        ("available" if supply else "needed"): {"start": days.get("van"), "end": days.get("tot")},
    }
    return {"type": "line_put", "day": days.get("per"), ("supply" if supply else "demand"): line}, errors


async def _posted(request: Request) -> tuple[dict[str, str], Path, str]:
    """A coordinator's posted form: its text fields, the corridors' directory and the chosen corridor (checked)."""
    require(request, "corridor_edit")
    posted = await checked_form(request, max_files=0)
    values = {k: str(v) for k, v in posted.items() if isinstance(v, str)}
    base = await run_in_threadpool(root, request)
    name = values.get("corridor", "")
    if name not in job.corridors(base):
        raise HTTPException(400, say(Msg("web.form.choice")))
    return values, base, name


async def add_line(request: Request) -> Response:
    values, base, name = await _posted(request)
    try:
        day = date.fromisoformat(values.get("datum", ""))
    except ValueError:
        day = today_nl()
    event, errors = line_event(values, await run_in_threadpool(job.categories, base / name))
    if errors:
        return await _show(request, name, day, errors, values, 400)
    try:
        await run_in_threadpool(job.post, base / name, event)
    except CgcError as exc:
        errors = refused(exc)
        return await _show(request, name, day, errors, values, 400)
    line = event["supply" if "supply" in event else "demand"]["id"]
    query = urlencode({"corridor": name, "datum": day.isoformat(), "toegevoegd": line})
    return RedirectResponse(f"/corridor?{query}#toegevoegd", 303)


def refused(exc: CgcError) -> dict[str, str]:
    """The corridor's own objections to a posted event, as Dutch errors on the form fields they concern."""
    errors: dict[str, str] = {}
    for p in exc.problems:
        last = (p.field or "").rsplit(".", 1)[-1]
        field = EVENT_FIELDS.get(last, "regel")
        errors.setdefault(field, fix(field))
    return errors


async def withdraw_line(request: Request) -> Response:
    """Withdraw a line: a `line_withdrawn` event on the chosen date."""
    values, base, name = await _posted(request)
    try:
        day = date.fromisoformat(values.get("datum", ""))
    except ValueError:
        raise HTTPException(400, say(Msg("web.form.date"))) from None
    line = values.get("regel", "")
    try:
        await run_in_threadpool(job.post, base / name, {"type": "line_withdrawn", "day": day.isoformat(), "line": line})
    except CgcError as exc:
        return await _show(request, name, day, refused(exc), {"per": day.isoformat(), "soort": "demand"}, 400)
    query = urlencode({"corridor": name, "datum": day.isoformat(), "ingetrokken": line})
    return RedirectResponse(f"/corridor?{query}#ingetrokken", 303)


async def calendar(request: Request) -> Response:
    """The calendar of the chosen corridor and day (`/corridor/kalender.html`), `job.CALENDAR_PROJECTS` projects a
    page: `pagina=N`, or the page of `project=ID`, the first otherwise; `categorie`, `van` and `tot` keep the lines
    of one category whose window meets the period (as `cgc corridor calendar --category --from --to`)."""
    require(request, "corridor")
    base = await run_in_threadpool(root, request)
    name, day, errors = _choice(request, base)
    q = request.query_params
    cal = _calendar_view(q, errors)
    if errors:
        raise HTTPException(400, "; ".join(errors.values()))
    view = await run_in_threadpool(job.match_kept, base / name, day, LANG)
    paged = await run_in_threadpool(job.calendar_pages_of, view, cal)
    number = _calendar_number(q, paged.chunks)
    chosen = {"corridor": name, "datum": day.isoformat()} | {k: q[k] for k in ("categorie", "van", "tot") if q.get(k)}

    def href(n: int) -> str:
        return "/corridor/kalender.html?" + urlencode({**chosen, "pagina": n})

    html = await run_in_threadpool(job.calendar_page, view, cal, paged, number, href)
    return document_response(html, "text/html; charset=utf-8")


def _calendar_view(q: Any, errors: dict[str, str]) -> job.CalendarView:
    """The calendar's category and period from the query (`categorie`, `van`, `tot`); a date that is not one, or
    a period that ends before it starts, is an error on its field."""
    days: dict[str, date | None] = {}
    for field in ("van", "tot"):
        try:
            days[field] = date.fromisoformat(q[field]) if q.get(field) else None
        except ValueError:
            errors[field], days[field] = say(Msg("web.form.date")), None
    start, end = days["van"], days["tot"]
    if start and end and end < start:
        errors["tot"] = say(Msg("web.corridor.calendar.period"))
    return job.CalendarView(None, q.get("categorie") or None, start, end, job.CALENDAR_PROJECTS)


def _calendar_number(q: Any, pages: list[list[str]]) -> int:
    """The calendar page asked for (from 1): `pagina`, else the page of `project`, else the first; a page or
    project the calendar does not have is refused in Dutch."""
    if project := q.get("project"):
        found = next((i for i, chunk in enumerate(pages, 1) if project in chunk), None)
        if found is None:
            raise HTTPException(400, say(Msg("web.corridor.calendar.project", {"project": project})))
        return found
    asked = q.get("pagina", "1")
    if not asked.isdigit() or not 1 <= int(asked) <= len(pages):
        raise HTTPException(400, say(Msg("web.corridor.calendar.page", {"pages": len(pages)})))
    return int(asked)


async def flow_picture(request: Request) -> Response:
    """The flow chart (`/corridor/stromen.svg`) or the map (`/corridor/kaart.svg`) of the chosen corridor and day,
    as an SVG image the page shows with `<img>` (its own styles; the page's table says the same in text)."""
    require(request, "corridor")
    base = await run_in_threadpool(root, request)
    name, day, errors = _choice(request, base)
    if errors:
        raise HTTPException(400, "; ".join(errors.values()))
    which: corridor_flows.Picture = "flows" if request.url.path.endswith("stromen.svg") else "map"
    chart = await run_in_threadpool(corridor_flows.picture, base / name, day, which)
    return document_response(chart.svg, "image/svg+xml")


routes = [
    Route("/corridor", overview, methods=["GET"]),
    Route("/corridor/regel", add_line, methods=["POST"]),
    Route("/corridor/intrekken", withdraw_line, methods=["POST"]),
    Route("/corridor/kalender.html", calendar),
    Route("/corridor/stromen.svg", flow_picture),
    Route("/corridor/kaart.svg", flow_picture),
]
