"""The corridor's findings as JSON data and as an offline calendar page with a schematic map."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache
from itertools import accumulate, groupby, islice, repeat
from math import cos, isfinite, radians
from operator import attrgetter
from typing import TYPE_CHECKING, Any, NamedTuple

from babel.dates import format_date

from ..collector import collector_paused
from ..explain import explanation
from ..i18n import Msg, Parts, Qty, render, show, text
from ..numbers import notation
from .allocate import (
    HUB_FULL,
    LONGER,
    LOST,
    Allocation,
    Alternatives,
    Rivals,
    full_msg,
    how_msg,
    others_msg,
    rival_msg,
)
from .engine import Findings
from .findings import Alert, Refusal, RefusalColumns, Route, refusal_msg, route_columns, route_key
from .index import Refusals, refusal_columns
from .load import Corridor
from .model import Demand, Place, Supply
from .texts import Labels, alert_kind, alert_text, allocation_text, parameter_value, reason, refusal_text

if TYPE_CHECKING:
    from jinja2 import Environment
    from rich.console import Console

    from ..evaluator import Outcome


@dataclass(frozen=True)
class MatchView:
    """The corridor as of a day, its findings and allocations, in one language: what `corridor match` shows."""

    corridor: Corridor
    findings: Findings
    allocations: list[Allocation]
    lang: str

    def data(self) -> dict[str, Any]:
        """Everything a reader needs as plain data (`as_data`)."""
        return as_data(self.corridor, self.findings, self.allocations, self.lang)

    def page(self) -> str:
        """The calendar page, readable offline (`calendar_html`)."""
        return calendar_html(self.corridor, self.findings, self.allocations, self.lang)


def match_json(view: MatchView) -> str:
    """The JSON document as one string, compact (`json_chunks` gives it piece by piece, as it is produced)."""
    return "".join(json_chunks(view))


def match_html(view: MatchView) -> str:
    return view.page() + "\n"


TABLE_ROWS = 50
"""Rows a terminal table of `corridor match` shows; the rest is counted below it (a corridor of 20,000 lines has
about 100,000 refused pairs: drawn in full, the tables took 50 s for a screen nobody reads)."""


def print_match(view: MatchView, con: Console) -> None:
    """The tables of `corridor match`: allocations, refusals, alerts; each its first `TABLE_ROWS` rows, then how
    many more there are and where to find them all."""
    from rich.table import Table

    from ..terminal import terminal_text

    def row(*values: str) -> list[str]:  # values from the corridor's files: markup escaped, shortened
        return [terminal_text(v) for v in values]

    def more(items: Sequence[object], what: str) -> None:
        if len(items) > TABLE_ROWS:
            con.print(text(lang, "corridor.more_rows", count=n.num(len(items) - TABLE_ROWS, 0), what=what.lower()))

    c, f, allocs, lang = view.corridor, view.findings, view.allocations, view.lang
    n, label = notation(lang), Labels(lang)
    if c.meta.example:
        con.print(f"[yellow]{label['example_data']}[/]: {terminal_text(c.meta.note.get(lang) if c.meta.note else '')}")
    t = Table(title=f"{c.meta.id} · {label['as_of'].lower()} {n.date(f.as_of)} — {label['allocations'].lower()}")
    for col in (label["supply"], label["demand"], label["route"], "t", "km", "tkm", label["why"]):
        t.add_column(col)
    for a in allocs[:TABLE_ROWS]:
        t.add_row(
            *row(
                a.route.supply,
                a.route.demand,
                a.route.via or label["direct"],
                n.num(a.tonnes, 1),
                n.num(a.route.km, 1),
                n.num(a.tonne_km, 1),
                allocation_text(a, lang),
            )
        )
    con.print(t)
    more(allocs, label["allocations"])
    r = Table(title=label["refusals"])
    for col in (label["supply"], label["demand"], label["route"], label["reason"], label["why"]):
        r.add_column(col)
    unmatched = unmatched_refusals(f)
    for x in unmatched[:TABLE_ROWS]:
        r.add_row(
            *row(
                x.route.supply,
                x.route.demand,
                x.route.via or label["direct"],
                reason(x.reason, lang),
                refusal_text(x, lang),
            )
        )
    con.print(r)
    more(unmatched, label["refusals"])
    al = Table(title=label["alerts"])
    for col in (label["alert"], label["subject"], label["why"]):
        al.add_column(col)
    for alert in f.alerts[:TABLE_ROWS]:
        al.add_row(*row(alert_kind(alert.kind, lang), alert.subject, alert_text(alert, lang)))
    con.print(al)
    more(f.alerts, label["alerts"])
    examples = [p.name for p in c.parameters.values() if p.example]
    if examples:
        con.print(f"[yellow]{label['example_values']}[/]: {', '.join(sorted(examples))}")


def alert_lines(alerts: list[Alert], lang: str) -> list[str]:
    """One line per alert: its kind, subject and meaning, worded in `lang`."""
    return [f"{alert_kind(a.kind, lang)}: {a.subject}: {alert_text(a, lang)}" for a in alerts]


def as_data(corridor: Corridor, findings: Findings, allocations: list[Allocation], lang: str = "nl") -> dict[str, Any]:
    """Everything a reader needs, in a stable order; each text appears once, as `text`, worded in `lang`. The
    outcomes of rules on indicators beyond the rules of play appear under `checks` when the ruleset has such
    rules."""
    return {
        key: list(value) if isinstance(value, Iterator) else value
        for key, value in _sections(corridor, findings, allocations, _Texts(lang))
    }


def json_chunks(view: MatchView, pretty: bool = False) -> Iterator[str]:
    """`as_data` as one JSON document, written as it is produced: compact (the C encoder, a batch of items
    at a time; refused routes, the bulk, written straight to JSON), or indented by two spaces when `pretty`
    (exactly `json.dumps(indent=2, sort_keys=True)`). Compact items are many small objects, none in a cycle: the
    cyclic collector is paused while they are written, as while they were matched (it would walk the corridor's
    heap again and again); the indenting encoder makes a cycle per call, so it runs with the collector."""
    texts = _Texts(view.lang)
    sections = _sections(view.corridor, view.findings, view.allocations, texts)
    if pretty:
        yield from _pretty(sections)
        return
    with collector_paused():
        yield from _compact(view, sections, texts)


def _compact(view: MatchView, sections: Iterator[tuple[str, Any]], texts: _Texts) -> Iterator[str]:
    encode = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode
    items = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode  # built sorted (`_sections`)
    yield "{"
    for i, (key, value) in enumerate(sections):
        yield f"{',' if i else ''}{encode(key)}:"
        if not isinstance(value, Iterator):
            yield encode(value)
            continue
        if key == "refusals":
            batches = _refusals_json(view.findings.refusals, texts)
        elif key == "candidates":
            batches = _candidates_json(view.findings.candidates)
        elif key == "allocations":
            batches = _allocations_json(view.allocations, texts, items)
        else:
            batches = (items(batch)[1:-1] for batch in _batched(value))
        yield "["
        for n, batch in enumerate(b for b in batches if b):
            yield f",{batch}" if n else batch
        yield "]"
    yield "}\n"


_BATCH = 2000  # items encoded at a time: few encoder calls, little memory held


def _batched(items: Iterator[Any]) -> Iterator[list[Any]]:
    while batch := list(islice(items, _BATCH)):
        yield batch


def _pretty(sections: Iterator[tuple[str, Any]]) -> Iterator[str]:
    def dump(value: Any, indent: str) -> str:
        return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True).replace("\n", "\n" + indent)

    yield "{"
    for i, (key, value) in enumerate(sections):
        yield f"{',' if i else ''}\n  {json.dumps(key, ensure_ascii=False)}: "
        if not isinstance(value, Iterator):
            yield dump(value, "  ")
            continue
        first = True
        for item in value:
            yield ("[\n    " if first else ",\n    ") + dump(item, "    ")
            first = False
        yield "[]" if first else "\n  ]"
    yield "\n}\n"


def _sections(
    corridor: Corridor, findings: Findings, allocations: list[Allocation], texts: _Texts
) -> Iterator[tuple[str, Any]]:
    """The document's keys in sorted order, each with its value: a list's items come as an iterator, built
    one at a time; every distinct message is rendered once, in the reader's language (`_Texts`).
    Items are built with their keys in sorted order."""
    yield "alerts", (_alert(a, texts) for a in findings.alerts)
    yield "allocations", (_allocation(a, texts) for a in allocations)
    yield "as_of", findings.as_of.isoformat()
    yield "candidates", (_route(r) for r in findings.candidates)
    if findings.checks:
        yield "checks", (_check(o, texts) for o in findings.checks)
    yield "corridor", corridor.meta.id
    yield "example_data", corridor.meta.example
    yield "refusals", (_refusal(x, texts) for x in findings.refusals)
    yield (
        "rules_of_play",
        {
            n: {"value": p.value, "unit": p.unit, "example_value": p.example, "origin": p.origin}
            for n, p in sorted(corridor.parameters.items())
        },
    )
    yield "version", corridor.version


class _Texts:
    """The texts of the findings in the reader's language (`text`): each distinct message rendered once."""

    def __init__(self, lang: str):
        self.lang = lang
        self._seen: dict[tuple[Any, ...], str] = {}
        self._refused: dict[tuple[str, float, float], str] = {}
        self._refused_json: dict[tuple[Any, ...], tuple[str, str, str]] = {}
        self._parts: dict[tuple[Any, ...], str] = {}
        self._km: dict[float, str] = {}
        self._rival = text(lang, rival_msg(Route("", "", "", 0, 0, 0)).key).format

    def said(self, msg: Msg) -> str:
        """The message in the reader's language, kept by its key and fields (a field that is a list is not kept)."""
        key = (msg.key, *((name, _typed(v)) for name, v in msg.fields.items()))
        try:
            return self._seen[key]
        except KeyError:
            said = self._seen[key] = render(self.lang, msg)
            return said
        except TypeError:
            return render(self.lang, msg)

    def allocation(self, a: Allocation, others: str) -> str:
        """An allocation's text (`Allocation.msg`) from the texts of its parts: how it goes and the full hubs
        rendered once per distinct part, the other donors given (`others`)."""
        r, parts, lang = a.route, self._parts, self.lang
        how = parts.get(("how", r.via, r.storage_days)) or self._part(("how", r.via, r.storage_days), how_msg(r))
        full = ""
        if a.full_hubs:
            full = parts.get((a.full_hubs, r.via)) or self._part((a.full_hubs, r.via), full_msg(a.full_hubs, r.via))
        notes = show(Parts(a.notes), None, lang) if a.notes else ""
        return render(lang, a.told(how, full, others, notes))

    def others(self, of: Sequence[Rivals]) -> list[str]:
        """The other donors of allocations (`others_msg`), read as columns, all at once (allocations of one plan
        share their grouped rivals): each donor's route filled in its message's template, each distance written
        once."""
        counts = list(map(len, of))
        pieces: list[str] = []
        rival, km = self._rival, self.km
        for grouped, run in groupby((x for x, n in zip(of, counts, strict=True) if n), attrgetter("grouped")):
            supplies, _, _, lengths = grouped.plain(grouped.places(list(run))[0])
            pieces += [rival(supply=s, km=km(length)) for s, length in zip(supplies, lengths, strict=True)]
        only = self._parts.get(("only",)) or self._part(("only",), others_msg(()))
        ends = accumulate(counts)
        return [
            render(self.lang, others_msg(pieces[end - n : end])) if n else only
            for n, end in zip(counts, ends, strict=True)
        ]

    def km(self, value: float) -> str:
        """A distance as a message writes it (`Qty(value, "km")`), kept: routes are many, their lengths few."""
        try:
            return self._km[value]
        except KeyError:
            if len(self._km) >= _KEPT:
                self._km.clear()
            said = self._km[value] = show(Qty(value, "km"), None, self.lang)
            return said

    def _part(self, key: tuple[Any, ...], part: Msg | Parts) -> str:
        said = self._parts[key] = show(part, None, self.lang)
        return said

    def alternatives(self, of: Sequence[Alternatives]) -> tuple[list[int], _AlternativeColumns]:
        """The alternatives of allocations read as columns, all at once (allocations of one plan share their
        contenders): how many each allocation has, and of all of them, one allocation's after another's, the full
        hub ("" unless it lost to one), km, why it lost, route and text (`Alternative.msg`: its message's template
        read once per reason, each distance written once)."""
        counts = list(map(len, of))
        columns: _AlternativeColumns = ([], [], [], [], [])
        hubs, kms, lost, keys, texts = columns
        said = [text(self.lang, key) for key in _LOST_KEYS]  # each reason's message, its fields to fill in
        km = self.km
        for contenders, run in groupby((a for a, n in zip(of, counts, strict=True) if n), attrgetter("contenders")):
            at, why = contenders.told(list(run))
            supplies, vias, demands, lengths = contenders.plain(at)
            routes = list(map(route_key, supplies, vias, demands))
            whys = why.tolist()
            full = [via if w == HUB_FULL else "" for w, via in zip(whys, vias, strict=True)]
            texts += [
                said[w].format(route=route, km=km(length) if w == LONGER else "", hub=hub)
                for w, route, hub, length in zip(whys, routes, full, lengths, strict=True)
            ]
            hubs += full
            kms += lengths
            lost += map(LOST.__getitem__, whys)
            keys += routes
        return counts, columns

    def refusal(self, rule: str, leg: float, limit: float) -> str:
        """A refusal's text, kept by what its message reads (rule, longest leg, limit): refused routes are many,
        their texts few."""
        key = (rule, leg, limit)
        try:
            return self._refused[key]
        except KeyError:
            said = self._refused[key] = render(self.lang, refusal_msg(rule, leg, limit))
            return said

    def refusal_parts(self, c: RefusalColumns) -> Iterator[tuple[str, str, str]]:
        """For each refusal, the parts of its JSON that its message decides, between the route's own fields;
        made once per distinct message."""
        keys = list(zip(c.rule, c.reason, map(type, c.leg_km), c.leg_km, map(type, c.limit), c.limit, strict=True))
        for rule, why, _, leg, _, limit in set(keys) - self._refused_json.keys():  # 5 and 5.0 are written apart
            self._refused_json[rule, why, type(leg), leg, type(limit), limit] = (
                f',"leg_km":{_number(leg)},"limit":{_number(limit)},"raised":',
                f',"reason":{_string(why)},"rule":{_string(rule)},"storage_days":',
                f',"text":{_string(self.refusal(rule, leg, limit))},"via":',
            )
        return map(self._refused_json.__getitem__, keys)


_KEPT = 1 << 16  # distances kept at most (`_Texts.km`)


def _typed(value: Any) -> tuple[Any, ...]:
    """A field as a memo key: its type beside its value (1, 1.0 and True are equal keys but read differently)."""
    if type(value) is Qty:
        return type(value.value), value.value, value.unit
    return type(value), value


def _route(r: Route) -> dict[str, Any]:
    return {
        "demand": r.demand,
        "km": r.km,
        "leg_km": r.leg_km,
        "raised": r.raised,
        "storage_days": r.storage_days,
        "supply": r.supply,
        "via": r.via,
    }


def _candidates_json(candidates: Sequence[Route]) -> Iterator[str]:
    """`_route` of each candidate as compact JSON, a batch at a time joined by commas, written from columns of
    their fields (`route_columns`: the engine's candidates make no records for it)."""
    for supply, demand, via, leg, km, days, raised in route_columns(candidates):
        yield ",".join(
            [
                f'{{"demand":{d},"km":{k},"leg_km":{g},"raised":{r},"storage_days":{n},"supply":{s},"via":{v}}}'
                for d, k, g, r, n, s, v in zip(
                    map(_string, demand),
                    _numbers(km),
                    _numbers(leg),
                    map(_string, raised),
                    _numbers(days),
                    map(_string, supply),
                    map(_string, via),
                    strict=True,
                )
            ]
        )


def _refusal(x: Refusal, texts: _Texts) -> dict[str, Any]:
    r = x.route
    return {
        "demand": r.demand,
        "km": r.km,
        "leg_km": r.leg_km,
        "limit": x.limit,
        "raised": r.raised,
        "reason": x.reason,
        "rule": x.rule,
        "storage_days": r.storage_days,
        "supply": r.supply,
        "text": texts.refusal(x.rule, r.leg_km, x.limit),
        "via": r.via,
    }


def _refusals_json(refusals: Sequence[Refusal], texts: _Texts) -> Iterator[str]:
    """`_refusal` of each refusal as compact JSON, a batch at a time joined by commas, written straight from
    columns of their fields (there may be millions; the engine's refusals make no records for it): what the
    message reads (rule, longest leg, limit) is written once per distinct message (`_Texts.refusal_parts`)."""
    for c in refusal_columns(refusals):
        leg_to_raised, reason_to_days, text_to_via = zip(*texts.refusal_parts(c), strict=True)
        yield ",".join(  # an f-string in a comprehension: a fifth faster than str.format mapped over the columns
            [
                f'{{"demand":{demand},"km":{km}{leg}{raised}{reason}{days},"supply":{supply}{text}{via}}}'
                for demand, km, leg, raised, reason, days, supply, text, via in zip(
                    map(_string, c.demand),
                    _numbers(c.km),
                    leg_to_raised,
                    map(_string, c.raised),
                    reason_to_days,
                    _numbers(c.storage_days),
                    map(_string, c.supply),
                    text_to_via,
                    map(_string, c.via),
                    strict=True,
                )
            ]
        )


_LOST_KEYS = tuple(f"corridor.lost.{lost}" for lost in LOST)


def _allocations_json(allocations: Sequence[Allocation], texts: _Texts, encode: Callable[[Any], str]) -> Iterator[str]:
    """`_allocation` of each allocation as compact JSON, a batch at a time joined by commas: each item but its
    alternatives encoded by `encode`, a batch at once; its alternatives (there may be millions) written from their
    columns, each joined from its pieces without a Python step, in the place a stand-in for them took."""
    for first in range(0, len(allocations), _BATCH):
        batch = allocations[first : first + _BATCH]
        others = texts.others([a.rivals for a in batch])
        rows = [{"alternatives": 0} | _allocation_rest(a, texts, x) for a, x in zip(batch, others, strict=True)]
        _, *rests = encode(rows)[1:-1].split(_STAND_IN)
        counts, (hubs, kms, lost, keys, said) = texts.alternatives([a.alternatives for a in batch])
        items = list(
            map(
                "".join,
                zip(
                    repeat('{"hub":'),
                    map(_string, hubs),
                    repeat(',"km":'),
                    _numbers(kms),
                    repeat(',"lost":"'),
                    lost,
                    repeat('","route":'),
                    map(_string, keys),
                    repeat(',"text":'),
                    map(_string, said),
                    repeat("}"),
                ),
            )
        )
        ends = list(accumulate(counts))
        yield "".join(
            [
                f'{{"alternatives":[{",".join(items[end - n : end])}],{rest}' if n else _EMPTY + rest
                for n, end, rest in zip(counts, ends, rests, strict=True)
            ]
        )


_STAND_IN = '{"alternatives":0,'  # opens each encoded item, and only an item: inside a string `"` is escaped
_EMPTY = '{"alternatives":[],'
_AlternativeColumns = tuple[list[str], list[float], list[str], list[str], list[str]]


def _numbers(values: list[float] | list[int]) -> Iterator[str]:
    """Numbers as `json` writes them (`repr` when all are finite)."""
    return map(repr, values) if all(map(isfinite, values)) else map(_number, values)


_string: Callable[[str], str] = json.encoder.encode_basestring  # the C one, as the encoder without ensure_ascii


def _number(value: float) -> str:
    """A number as `json` writes it (`Infinity` and `NaN` too)."""
    kind = type(value)
    if (kind is float and isfinite(value)) or kind is int:
        return repr(value)
    return json.dumps(value)


def _alert(a: Alert, texts: _Texts) -> dict[str, Any]:
    return {
        "day": a.day.isoformat() if a.day else None,
        "hub": a.hub,
        "kind": a.kind,
        "limit": a.limit,
        "other": a.other,
        "subject": a.subject,
        "text": texts.said(a.msg),
        "tonnes": a.tonnes,
    }


def _check(o: Outcome, texts: _Texts) -> dict[str, Any]:
    return {
        "rule": o.rule.id,
        "status": o.status,
        "subject": o.subject,
        "text": explanation(o, texts.lang),
        "value": o.value,
    }


def _allocation(a: Allocation, texts: _Texts) -> dict[str, Any]:
    alternatives = zip(*texts.alternatives([a.alternatives])[1], strict=True)
    rest = _allocation_rest(a, texts, texts.others([a.rivals])[0])
    return {"alternatives": [dict(zip(_ALTERNATIVE, x, strict=True)) for x in alternatives]} | rest


_ALTERNATIVE = ("hub", "km", "lost", "route", "text")


def _allocation_rest(a: Allocation, texts: _Texts, others: str) -> dict[str, Any]:
    """An allocation's item but its alternatives, in key order (`others`: its other donors, `_Texts.others`)."""
    r = a.route
    return {
        "demand": r.demand,
        "emission_free": a.emission_free,
        "full_hubs": [h.hub for h in a.full_hubs],
        "km": r.km,
        "leg_km": r.leg_km,
        "raised": r.raised,
        "storage_days": r.storage_days,
        "supply": r.supply,
        "text": texts.allocation(a, others),
        "tonne_km": a.tonne_km,
        "tonnes": a.tonnes,
        "transport": [{"by": by, "mode": mode} for by, mode in a.transport],
        "via": r.via,
    }


def unmatched_refusals(findings: Findings) -> Sequence[Refusal]:
    """Refusals of supply and demand pairs that have no valid route at all, in their order: the engine's as columns,
    made records only when read (a corridor of 20,000 lines has about 100,000 refused routes)."""
    matched = {pair for s, d, *_ in route_columns(findings.candidates) for pair in zip(s, d, strict=True)}
    if isinstance(findings.refusals, Refusals):
        return findings.refusals.apart_from(matched)
    return [x for x in findings.refusals if (x.route.supply, x.route.demand) not in matched]


@cache
def _env() -> Environment:
    """The pages' templates, compiled once a process (≈ 0.1 s a calendar page otherwise)."""
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape  # the pages only

    return Environment(
        loader=PackageLoader("cgc_rules.corridor", "templates"),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@dataclass(frozen=True)
class CalendarView:
    """Which part of a large corridor the calendar shows, and how many projects per page (0: all on one)."""

    partner: str | None = None
    category: str | None = None
    start: date | None = None
    end: date | None = None
    per_page: int = 0

    @property
    def filtered(self) -> bool:
        return bool(self.partner or self.category or self.start or self.end)


class Paged(NamedTuple):
    """What a calendar view shows: its lines (supply, then demand) and the project ids of each of its pages."""

    lines: list[Supply | Demand]
    chunks: list[list[str]]


def calendar_paged(corridor: Corridor, view: CalendarView) -> Paged:
    """The lines and pages of the calendar `view`: projects of `view.partner` with lines of `view.category` whose
    window meets the period (every project of the partner when nothing filters), `view.per_page` projects a page,
    in project id order."""

    def shown(ln: Supply | Demand) -> bool:
        w = ln.available if isinstance(ln, Supply) else ln.needed
        return (
            (view.category is None or ln.category == view.category)
            and (view.start is None or w.end >= view.start)
            and (view.end is None or w.start <= view.end)
            and view.partner in (None, corridor.projects[ln.project].partner)
        )

    lines: list[Supply | Demand] = [*filter(shown, corridor.supply), *filter(shown, corridor.demand)]
    with_lines = {ln.project for ln in lines}
    projects = sorted(
        pid
        for pid, p in corridor.projects.items()
        if (pid in with_lines) or (not view.filtered and view.partner in (None, p.partner))
    )
    per = view.per_page or max(len(projects), 1)
    return Paged(lines, [projects[i : i + per] for i in range(0, len(projects), per)] or [[]])


def calendar_pages(
    corridor: Corridor,
    findings: Findings,
    allocations: list[Allocation],
    lang: str,
    view: CalendarView,
    name: Callable[[int], str],
    numbers: Iterable[int] | None = None,
    paged: Paged | None = None,
) -> list[tuple[str, str]]:
    """(name, page) of pages `numbers` (from 1; every page when None) of the calendar `view` (`calendar_paged`,
    or `paged` when it was worked out already): each with its projects' lines that `view` shows, their
    candidates, refusals, allocations and alerts (and the hubs' alerts), and, when the calendar is paged or
    filtered, a line naming the filter and the page with links `name(page)` to the pages before and after.
    Findings are read once for all pages, refused routes as columns: only those on a page written are made
    records."""
    lines, chunks = paged or calendar_paged(corridor, view)
    wanted = range(1, len(chunks) + 1) if numbers is None else sorted(set(numbers))
    page_of = {pid: k for k in wanted for pid in chunks[k - 1]}
    line_page = {ln.id: page_of[ln.project] for ln in lines if ln.project in page_of}
    candidates: dict[int, list[Route]] = {k: [] for k in wanted}
    refusals: dict[int, list[Refusal]] = {k: [] for k in wanted}
    allocs: dict[int, list[Allocation]] = {k: [] for k in wanted}
    for r in findings.candidates:
        for k in _pages(line_page, r.supply, r.demand):
            candidates[k].append(r)
    for k, x in _refused_on(findings.refusals, line_page):
        refusals[k].append(x)
    for a in allocations:
        for k in _pages(line_page, a.route.supply, a.route.demand):
            allocs[k].append(a)
    n = notation(lang)
    out = []
    for k in wanted:
        keep = set(chunks[k - 1])
        mine = [ln for ln in lines if ln.project in keep]
        subjects = {ln.id for ln in mine} | keep
        part = replace(
            corridor,
            projects={pid: corridor.projects[pid] for pid in chunks[k - 1]},
            supply=[ln for ln in mine if isinstance(ln, Supply)],
            demand=[ln for ln in mine if isinstance(ln, Demand)],
        )
        found = replace(
            findings,
            candidates=candidates[k],
            refusals=refusals[k],
            alerts=[a for a in findings.alerts if a.subject in subjects or a.kind in _HUB_ALERTS],
        )
        nav = None
        if view.per_page or view.filtered:
            nav = {
                "page": k,
                "pages": len(chunks),
                "shown": len(keep),
                "total": len(corridor.projects),
                "previous": name(k - 1) if k > 1 else None,
                "next": name(k + 1) if k < len(chunks) else None,
                "partner": view.partner,
                "category": view.category,
                "start": n.date(view.start) if view.start else None,
                "end": n.date(view.end) if view.end else None,
            }
        out.append((name(k), calendar_html(part, found, allocs[k], lang, nav)))
    return out


_HUB_ALERTS = ("hub_over_capacity", "stored_too_long")  # alerts of a hub: on every page


def _pages(line_page: dict[str, int], supply: str, demand: str) -> tuple[int, ...]:
    """The pages a route between these lines is on (either line's page)."""
    p, q = line_page.get(supply), line_page.get(demand)
    if p is None:
        return () if q is None else (q,)
    return (p,) if q is None or q == p else (p, q)


def _refused_on(refusals: Sequence[Refusal], line_page: dict[str, int]) -> Iterator[tuple[int, Refusal]]:
    """(page, refusal) of each refused route on a page (`_pages`), in their order; the engine's found by their
    lines' rows, so that only these are made records (a corridor of 20,000 lines has about 100,000)."""
    on_pages = refusals.touching(line_page.keys()) if isinstance(refusals, Refusals) else refusals
    for x in on_pages:
        for k in _pages(line_page, x.route.supply, x.route.demand):
            yield k, x


def calendar_html(
    corridor: Corridor,
    findings: Findings,
    allocations: list[Allocation],
    lang: str = "nl",
    nav: dict[str, Any] | None = None,
) -> str:
    """One self-contained page in `lang`: a timeline per project and a map of projects and hubs (inline SVG)."""
    n = notation(lang)
    lines: list[Supply | Demand] = [*corridor.supply, *corridor.demand]
    starts = [(ln.available if isinstance(ln, Supply) else ln.needed).start for ln in lines]
    ends = [(ln.available if isinstance(ln, Supply) else ln.needed).end for ln in lines]
    t0 = min(starts, default=findings.as_of).replace(day=1)
    t1 = max(ends, default=findings.as_of) + timedelta(days=31)
    width, left = 1300, 300
    span = max((t1 - t0).days, 1)

    def x(d: date) -> float:
        return round(left + (d - t0).days / span * (width - left - 10), 1)

    of_project: dict[str, list[Supply | Demand]] = {}
    for ln in lines:
        of_project.setdefault(ln.project, []).append(ln)
    rows, pos, y = [], {}, 40
    for pid, p in sorted(corridor.projects.items()):
        bars = []
        for ln in sorted(of_project.get(pid, ()), key=lambda ln: ln.id):
            w = ln.available if isinstance(ln, Supply) else ln.needed
            kind = "supply" if isinstance(ln, Supply) else "demand"
            bars.append(
                {
                    "id": ln.id,
                    "kind": kind,
                    "x": x(w.start),
                    "w": max(x(w.end) - x(w.start), 2),
                    "y": y,
                    "label": f"{ln.id} · {ln.description} · {n.tonnes(ln.quantity)}",
                }
            )
            pos[ln.id] = (x(w.start), x(w.end), y)
            y += 22
        rows.append({"name": p.name, "id": pid, "y": bars[0]["y"] if bars else y, "bars": bars})
        y += 14 if bars else 36
    links = []
    for a in allocations:
        if a.route.supply not in pos or a.route.demand not in pos:
            continue  # the other end is on another page
        s, d = pos[a.route.supply], pos[a.route.demand]
        links.append(
            {
                "x1": s[1],
                "y1": s[2] + 8,
                "x2": d[0],
                "y2": d[2] + 8,
                "via": a.route.via,
                "label": f"{n.tonnes(a.tonnes)}, {n.num(a.route.km, 1)}\u00a0km",
            }
        )
    months, m = [], t0
    while m <= t1:
        months.append({"x": x(m), "label": format_date(m, "LLL yyyy", locale=n.locale)})
        m = (m + timedelta(days=32)).replace(day=1)
    points, routes, scale = _map(corridor, allocations, 600, 440, lang)
    label = Labels(lang)
    table = [
        {
            "supply": a.route.supply,
            "demand": a.route.demand,
            "via": a.route.via or label["direct"],
            "t": n.num(a.tonnes, 1),
            "km": n.num(a.route.km, 1),
            "tkm": n.num(a.tonne_km, 1),
            "why": allocation_text(a, lang),
        }
        for a in allocations
    ]
    refused = [
        {
            "supply": x.route.supply,
            "demand": x.route.demand,
            "via": x.route.via or label["direct"],
            "reason": reason(x.reason, lang),
            "text": refusal_text(x, lang),
        }
        for x in unmatched_refusals(findings)
    ]
    alerts = [
        {"kind": alert_kind(a.kind, lang), "subject": a.subject, "text": alert_text(a, lang)} for a in findings.alerts
    ]
    params = [
        {
            "name": p.name,
            "description": p.description.get(lang),
            "value": parameter_value(p, lang),
            "example": p.example,
            "origin": p.origin,
        }
        for p in sorted(corridor.parameters.values(), key=lambda p: p.name)
    ]
    return (
        _env()
        .get_template("calendar.html.j2")
        .render(
            lang=lang,
            label=label,
            corridor=corridor,
            note=corridor.meta.note.get(lang) if corridor.meta.note else "",
            as_of=n.date(findings.as_of),
            allocations=table,
            refused=refused,
            alerts=alerts,
            rows=rows,
            links=links,
            months=months,
            width=width,
            height=y + 20,
            left=left,
            today=x(findings.as_of) if t0 <= findings.as_of <= t1 else None,
            points=points,
            routes=routes,
            scale=scale,
            map_w=600,
            map_h=440,
            params=params,
            nav=nav,
            projects_shown=text(lang, "corridor.label.projects_shown", shown=nav["shown"], total=nav["total"])
            if nav
            else "",
        )
    )


def _map(
    corridor: Corridor, allocations: list[Allocation], w: int, h: int, lang: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, float]]:
    """Points, allocated routes and a scale bar on an equal-area sketch (lon shrunk by cos(lat))."""
    places = {
        **{p.id: (p.place, p.name, "project") for p in corridor.projects.values()},
        **{hb.id: (hb.place, hb.name, "hub") for hb in corridor.hubs.values()},
    }
    lats = [pl.lat for pl, _, _ in places.values()]
    lons = [pl.lon for pl, _, _ in places.values()]
    shrink = cos(radians((min(lats) + max(lats)) / 2))
    span_x, span_y = max((max(lons) - min(lons)) * shrink, 1e-6), max(max(lats) - min(lats), 1e-6)
    k = min((w - 240) / span_x, (h - 60) / span_y)  # pixels per degree of latitude

    def xy(pl: Place) -> tuple[float, float]:
        return round(30 + (pl.lon - min(lons)) * shrink * k, 1), round(30 + (max(lats) - pl.lat) * k, 1)

    points = [
        {"x": xy(pl)[0], "y": xy(pl)[1], "name": name, "kind": kind, "approx": pl.approximate}
        for pl, name, kind in sorted(places.values(), key=lambda t: t[1])
    ]
    lines = {ln.id: ln.project for ln in (*corridor.supply, *corridor.demand)}
    routes = []
    for a in allocations:
        if a.route.supply not in lines or a.route.demand not in lines:
            continue
        stops = [lines[a.route.supply], *([a.route.via] if a.route.via else []), lines[a.route.demand]]
        if any(stop not in places for stop in stops):
            continue
        routes.append(
            {
                "points": " ".join(f"{x},{y}" for x, y in (xy(places[s][0]) for s in stops)),
                "label": allocation_text(a, lang),
            }
        )
    km_per_px = 111.2 / k
    bar_km = next((b for b in (1, 2, 5, 10, 20, 50, 100, 200) if b / km_per_px >= 60), 500)
    return points, routes, {"px": round(bar_km / km_per_px, 1), "km": bar_km}
