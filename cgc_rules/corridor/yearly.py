"""The corridor's chapter of the yearly evaluation: figures, the flow chart, the map and what was not taken."""

from __future__ import annotations

from ..documents.model import Block, Figure, Paragraph, Section, Table, Text
from ..documents.wording import say
from ..monitor.charts import Chart
from ..numbers import notation
from .flows import Flows

N = notation("nl")
K = "documents.corridor.report."


def _p(text: str) -> Paragraph:
    return Paragraph([Text(text)])


def _rows(values: dict[str, float]) -> list[list[Paragraph]]:
    return [[_p(k), _p(f"{N.num(t, 1)} t")] for k, t in values.items()]


def _why(reason: str) -> str:
    """The engine's reason(s) for supply not taken, in words (several refusal rules joined)."""
    return "; ".join(say(K + "why." + r) for r in reason.split(", "))


def corridor_section(number: str, name: str, year: int, f: Flows, chart: Chart, map_: Chart) -> Section:
    """Chapter `number`: what passed through corridor `name` as allocated at the end of `year`."""
    share = f.emission_free_share
    summary = say(
        K + "summary",
        name=name,
        total=N.num(f.total_t, 1),
        tkm=N.num(f.tonne_km, 0),
        share=N.pct(share, 0) if share is not None else "—",
    )
    head = [_p(say(K + "what")), _p(say(K + "tonnes"))]
    blocks: list[Block] = [
        _p(summary),
        Table(say(K + "by_year"), head, _rows({str(y): t for y, t in f.by_year.items()}), (2, 2)),
        Table(say(K + "by_partner"), head, _rows(f.by_partner), (4, 2)),
        Table(say(K + "by_category"), head, _rows(f.by_category), (4, 2)),
        Figure(say(K + "flows_fig"), chart.svg, chart.png),
        Figure(say(K + "map_fig"), map_.svg, map_.png, width_cm=14),
        Table(
            say(K + "not_taken"),
            [_p(say(K + "line")), _p(say(K + "what")), _p(say(K + "tonnes")), _p(say(K + "reason"))],
            [[_p(x.supply), _p(x.category), _p(f"{N.num(x.tonnes, 1)} t"), _p(_why(x.reason))] for x in f.not_taken],
            (3, 2, 1, 4),
        ),
    ]
    return Section(number, say(K + "title", year=year), blocks)
