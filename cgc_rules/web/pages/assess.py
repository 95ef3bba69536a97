"""Zelfevaluatie: the GMR profile and growth-model questions as a form; profile, growth levels, next steps, spinnenweb.

The answers become the same self-assessment that `cgc assess` reads from a file, and go through the
same assess job; saving keeps the same record as `cgc assess --record`.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ...errors import CgcError
from ...i18n import Msg
from ...jobs.assess import AXES, ELEMENT_QUESTIONS, GMR_QUESTIONS, InvalidAnswers, assess_answers, questions, record
from ...registry import NotInForce
from ..guard import checked_form
from ..municipalities import registry
from . import page, require, say

SHOWN = "zelfevaluatie (webformulier)"
TIMEZONE = ZoneInfo(
    "Europe/Amsterdam"
)  # "today" for a self-assessment left without a date  # the input's name in the report and the record
Q = questions()
SCORE_MIN, SCORE_MAX = Q.score_min, Q.score_max
AXIS_NAMES = {
    "policy_staff": "Beleidsmedewerkers",
    "executing_staff": "Uitvoerende medewerkers",
    "capacity_and_money": "Capaciteit en geld",
    "circular_knowledge": "Circulaire kennis",
}
ELEMENT_NAMES = {
    "materialeninventarisatie": "Materialeninventarisatie",
    "projectenkalender": "Projectenkalender",
    "transport_hub": "Transport en hub",
    "ketenregisseur": "Ketenregisseur",
    "spelregels": "Spelregels",
}


def shown_questions() -> dict[str, Any]:
    """The questions as the model describes them (the same Dutch texts as the JSON Schema)."""
    return {
        "gmr": Q.gmr,
        "axes": Q.axes,
        "elements": [(e, ELEMENT_NAMES[e]) for e in Q.elements],
        "element_questions": Q.element_questions,
        "score_min": SCORE_MIN,
        "score_max": SCORE_MAX,
    }


def _answer(value: Any) -> bool | None:
    return {"ja": True, "nee": False}.get(str(value or ""))


def read_answers(form: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """The posted form as the self-assessment's data, and the errors per field name."""
    errors: dict[str, str] = {}
    name = registry().canonical(str(form.get("gemeente") or ""))  # `ARNHEM` is stored as `Arnhem`
    if not name:
        errors["gemeente"] = say(Msg("web.form.required"))
    day = datetime.now(TIMEZONE).date()
    if str(form.get("datum") or "").strip():
        try:
            day = date.fromisoformat(str(form.get("datum")).strip())
        except ValueError:
            errors["datum"] = say(Msg("web.form.date"))
    scores: dict[str, float] = {}
    for axis in AXES:
        raw = str(form.get(f"score_{axis}") or "").strip().replace(",", ".")
        if not raw:
            continue
        try:
            value = float(raw)
            if not math.isfinite(value) or not SCORE_MIN <= value <= SCORE_MAX:
                raise ValueError
            scores[axis] = value
        except ValueError:
            errors[f"score_{axis}"] = say(Msg("web.form.score", {"min": SCORE_MIN, "max": SCORE_MAX}))
    elements = []
    for element in Q.elements:
        answers = {q: _answer(form.get(f"{element}_{q}")) for q in ELEMENT_QUESTIONS}
        if any(v is not None for v in answers.values()):
            elements.append({"name": element, **answers})
    data = {
        "municipality": {"name": name, "region": str(form.get("regio") or "").strip() or None, "assessed_on": day},
        "gmr": {**{q: _answer(form.get(f"gmr_{q}")) for q in GMR_QUESTIONS}, "spinnenweb": scores},
        "elements": elements or None,
    }
    return data, errors


def spinnenweb(scores: dict[str, float]) -> dict[str, Any]:
    """Points of the spinnenweb drawing: one axis per score, rings at every scale step."""
    cx = cy = 160
    radius = 110

    def point(i: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + i * 2 * math.pi / len(AXES)
        r = radius * value / SCORE_MAX
        return round(cx + r * math.cos(angle), 1), round(cy + r * math.sin(angle), 1)

    rings = [
        " ".join(f"{x},{y}" for x, y in (point(i, step) for i in range(len(AXES))))
        for step in range(SCORE_MIN, SCORE_MAX + 1)
    ]
    axes = [
        {"name": AXIS_NAMES[a], "end": point(i, SCORE_MAX), "label": point(i, SCORE_MAX + 0.9), "score": scores.get(a)}
        for i, a in enumerate(AXES)
    ]
    shape = " ".join(f"{x},{y}" for x, y in (point(i, scores.get(a, 0)) for i, a in enumerate(AXES)))
    return {"rings": rings, "axes": axes, "shape": shape, "complete": len(scores) == len(AXES), "centre": (cx, cy)}


async def form(request: Request) -> Response:
    require(request, "assess")
    return page(request, "assess.html", "Zelfevaluatie", q=shown_questions(), values={}, errors={}, result=None)


def _assess(request: Request, data: dict[str, Any], save: bool) -> tuple[dict[str, Any], Any]:
    """The assessment report's data (as `cgc assess`), and the store's answer when it was saved."""
    assessment = assess_answers(data, SHOWN, request.app.state.registry)
    sink = request.app.state.store.by(request.state.user.username)
    saved = record(assessment, sink) if save else None
    return assessment.report.data, saved


async def submit(request: Request) -> Response:
    require(request, "assess")
    posted = await checked_form(request)
    values = {k: str(v) for k, v in posted.items() if isinstance(v, str)}
    data, errors = read_answers(posted)
    if errors:
        return page(
            request, "assess.html", "Zelfevaluatie", 400, q=shown_questions(), values=values, errors=errors, result=None
        )
    try:
        result, saved = await run_in_threadpool(_assess, request, data, posted.get("actie") == "opslaan")
    except InvalidAnswers as exc:
        errors = {"gemeente": exc.problems[0].message}
        return page(
            request, "assess.html", "Zelfevaluatie", 400, q=shown_questions(), values=values, errors=errors, result=None
        )
    except NotInForce as exc:  # the date chose no version: the date is the field to change
        errors = {"datum": say(Msg("web.assess.not_in_force", {"day": exc.day, "ruleset": exc.rid}))}
        return page(
            request, "assess.html", "Zelfevaluatie", 400, q=shown_questions(), values=values, errors=errors, result=None
        )
    except CgcError as exc:
        return page(
            request,
            "assess.html",
            "Zelfevaluatie",
            400,
            q=shown_questions(),
            values=values,
            errors={"gemeente": "; ".join(str(p) for p in exc.problems)},
            result=None,
        )
    by_id = {r["id"]: r for r in result["rulesets"]}
    return page(
        request,
        "assess.html",
        "Zelfevaluatie",
        q=shown_questions(),
        values=values,
        errors={},
        result=result,
        gmr=by_id.get("gmr-profielen"),
        growth=by_id.get("cgc-groeimodel"),
        element_names=ELEMENT_NAMES,
        web=spinnenweb(dict(data["gmr"]["spinnenweb"])),
        saved=saved,
    )


routes = [Route("/zelfevaluatie", form, methods=["GET"]), Route("/zelfevaluatie", submit, methods=["POST"])]
