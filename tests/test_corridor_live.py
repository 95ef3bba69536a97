"""Live updates: events posted to a stored corridor, and the allocation re-solved from the previous plan."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from cgc_rules.cli import main
from cgc_rules.corridor.allocate import Plan, allocate
from cgc_rules.corridor.engine import CorridorEngine, run
from cgc_rules.corridor.load import load_corridor
from cgc_rules.corridor.model import Demand, LinePut, Window

CORRIDORS = Path(__file__).resolve().parent.parent / "cgc_rules" / "data" / "corridors"
AS_OF = date(2026, 5, 20)

NEW_DEMAND = """\
type: line_put
day: 2026-05-10
demand: {id: d-kop-baksteen-2, project: kop-van-isselt, category: brick, description: Tweede gevel,
         quantity: 30, min_quality: fair, needed: {start: 2026-05-01, end: 2026-06-30}}
"""


def _copy(tmp_path: Path) -> Path:
    shutil.copytree(CORRIDORS / "rulesets", tmp_path / "rulesets")
    shutil.copytree(CORRIDORS / "amersfoort-voorbeeld", tmp_path / "c")
    return tmp_path / "c"


def test_post_appends_the_event_and_the_corridor_sees_it(tmp_path):
    d = _copy(tmp_path)
    before = (d / "events.yaml").read_text()
    (tmp_path / "ev.yaml").write_text(NEW_DEMAND)
    res = CliRunner().invoke(main, ["corridor", "post", str(d), str(tmp_path / "ev.yaml"), "--as-of", "2026-05-20"])
    assert res.exit_code == 0, res.output
    assert "posted 1 event(s)" in res.output
    after = (d / "events.yaml").read_text()
    assert after.startswith(before)
    assert "d-kop-baksteen-2" in after
    corridor = load_corridor(d)
    assert any(r.demand == "d-kop-baksteen-2" for r in run(corridor, AS_OF).candidates)
    res = CliRunner().invoke(main, ["corridor", "match", str(d), "--as-of", "2026-05-20", "--format", "json"])
    assert "d-kop-baksteen-2" in res.output


def test_post_refuses_a_bad_event_and_leaves_the_file(tmp_path):
    d = _copy(tmp_path)
    before = (d / "events.yaml").read_text()
    (tmp_path / "ev.yaml").write_text(NEW_DEMAND.replace("project: kop-van-isselt", "project: nergens"))
    res = CliRunner().invoke(main, ["corridor", "post", str(d), str(tmp_path / "ev.yaml")])
    assert res.exit_code == 2
    assert "ev.yaml:3:" in res.output
    assert "unknown project 'nergens'" in res.output
    (tmp_path / "ev.yaml").write_text(NEW_DEMAND.replace("quantity: 30", "quantity: -3"))
    res = CliRunner().invoke(main, ["corridor", "post", str(d), str(tmp_path / "ev.yaml")])
    assert res.exit_code == 2
    assert "ev.yaml:" in res.output
    assert "quantity" in res.output
    assert (d / "events.yaml").read_text() == before


def test_allocation_resolves_from_the_previous_plan():
    corridor = load_corridor(CORRIDORS / "amersfoort-voorbeeld")
    new = Demand(
        id="d-extra",
        project="kop-van-isselt",
        category="brick",
        description="x",
        quantity=60,
        min_quality="fair",
        needed=Window(start=date(2026, 4, 1), end=date(2026, 6, 30)),
    )
    with CorridorEngine(corridor, AS_OF) as e:
        e.load_all()
        plan = Plan({h.id: h.capacity_t for h in corridor.hubs.values()})
        first = allocate(corridor, e.candidates(), plan, dict(e.lines))
        e.post(LinePut(type="line_put", day=AS_OF, demand=new))
        again = allocate(corridor, e.candidates(), plan, dict(e.lines))
        fresh = allocate(corridor, e.candidates(), None, dict(e.lines))

    def totals(allocations):
        return round(sum(a.tonnes for a in allocations), 3), round(sum(a.tonne_km for a in allocations), 1)

    assert plan.solves == 2  # once for each set of candidates
    # 120 t of bricks for 80 + 60 t of demand at the same distance: equally good plans may differ, their totals not
    assert totals(again) == totals(fresh) == (155.0, 662.0) != totals(first)
    assert sum(a.tonnes for a in again if a.route.supply == "s-stadhuis-baksteen") == 120.0
