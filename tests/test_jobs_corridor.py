"""The corridor jobs on a small corridor worked out by hand (`test_corridor_allocation`'s hub test).

All places lie on the meridian 5.4° E, 111.19 km per degree of latitude: hub 52.00, donors A 52.02
and B 51.97 (50 t of bricks each, free in March), receivers LATE 52.05 (100 t in June, only through
the hub) and NOW 52.10 (50 t in March, direct). Routes: A→hub→LATE 2.2 + 5.6 = 7.8 km, B→hub→LATE
3.3 + 5.6 = 8.9 km, A→NOW 8.9 km, B→NOW 14.5 km. The hub holds 50 t, so B takes the hub (445 tkm)
and A goes direct to NOW (445 tkm): 890 tkm, against 1,115 the other way round.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from cgc_rules import kinds
from cgc_rules.cases import run_cases
from cgc_rules.corridor.views import match_json
from cgc_rules.errors import CgcError
from cgc_rules.evaluator import FAIL, PASS
from cgc_rules.i18n import catalogue
from cgc_rules.indicators import corridor as corridor_indicators
from cgc_rules.indicators.base import Indicator, attr
from cgc_rules.jobs import corridor as job
from cgc_rules.lint import lint
from cgc_rules.ruleset import Kind, load_ruleset

from .test_corridor_allocation import CORRIDOR, INVENTORY, PROJECTS, RULESETS

AS_OF = date(2026, 2, 1)


@pytest.fixture
def corridor_dir(tmp_path: Path) -> Path:
    shutil.copytree(RULESETS, tmp_path / "rulesets")
    d = tmp_path / "hub-test"
    d.mkdir()
    (d / "corridor.yaml").write_text(CORRIDOR % {"capacity": 50})
    (d / "projects.yaml").write_text(PROJECTS)
    (d / "inventory.yaml").write_text(INVENTORY)
    return d


def test_match_allocates_the_least_tonne_km_within_the_hub_capacity(corridor_dir):
    view = job.match(corridor_dir, AS_OF, "en")
    assert [(r.key, r.km) for r in view.findings.candidates] == [
        ("s-a>hub>d-late", 7.8),
        ("s-a>direct>d-now", 8.9),
        ("s-b>hub>d-late", 8.9),
        ("s-b>direct>d-now", 14.5),
    ]
    lines = sorted((a.route.key, a.tonnes, a.tonne_km) for a in view.allocations)
    assert lines == [("s-a>direct>d-now", 50.0, 445.0), ("s-b>hub>d-late", 50.0, 445.0)]
    data = json.loads(match_json(view))
    assert sum(a["tonne_km"] for a in data["allocations"]) == 890.0
    assert data["as_of"] == "2026-02-01"
    assert "checks" not in data


def test_calendar_writes_one_page_per_project_linked_in_order(corridor_dir):
    pages = job.calendar(corridor_dir, AS_OF, "nl", job.CalendarView(per_page=2), "kalender")
    assert [name for name, _ in pages] == ["kalender.html", "kalender-2.html"]
    first, second = (page for _, page in pages)
    assert "kalender-2.html" in first
    assert "kalender.html" in second
    # projects in id order, two a page: late and now, then pa and pb
    assert first.index(">LATE<") < first.index(">NOW<")
    assert ">A<" in second
    assert ">LATE<" not in second


def test_post_appends_the_event_and_reports_the_broken_matches(corridor_dir):
    posted = job.post(corridor_dir, {"type": "line_withdrawn", "day": "2026-01-20", "line": "s-b"}, AS_OF)
    assert posted.events == 1
    assert posted.target == corridor_dir / "events.yaml"
    assert sorted((a.kind, a.subject, a.other) for a in posted.alerts) == [
        ("match_broken", "s-b", "d-late"),
        ("match_broken", "s-b", "d-now"),
    ]
    assert [line.split(": ")[1] for line in posted.alert_lines("en")] == ["s-b", "s-b"]
    after = job.match(corridor_dir, AS_OF, "en")
    assert [a.route.key for a in after.allocations] == ["s-a>hub>d-late"]  # A alone, its cheapest route
    stored = yaml.safe_load((corridor_dir / "events.yaml").read_text())
    assert stored == {"events": [{"type": "line_withdrawn", "day": "2026-01-20", "line": "s-b"}]}


@pytest.fixture
def matches(monkeypatch: pytest.MonkeyPatch) -> list[date]:
    """The days the engine was run for (`current`, which `job.match` calls once a match)."""
    runs: list[date] = []
    real = job.current

    def counted(corridor, as_of):  # type: ignore[no-untyped-def]
        runs.append(as_of)
        return real(corridor, as_of)

    monkeypatch.setattr(job, "current", counted)
    return runs


def test_a_kept_match_is_reused_until_a_file_it_was_read_from_changes(corridor_dir, matches):
    first = job.match_kept(corridor_dir, AS_OF, "en")
    assert job.match_kept(corridor_dir, AS_OF, "en") is first
    assert matches == [AS_OF]
    job.post(corridor_dir, {"type": "line_withdrawn", "day": "2026-01-20", "line": "s-b"})
    after = job.match_kept(corridor_dir, AS_OF, "en")
    assert [a.route.key for a in after.allocations] == ["s-a>hub>d-late"]  # the withdrawn donor is gone
    assert matches == [AS_OF, AS_OF]
    rules = corridor_dir.parent / "rulesets" / "cgc-corridor" / "2024.1.yaml"
    rules.write_text(rules.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # the rules of play beside it
    assert job.match_kept(corridor_dir, AS_OF, "en") is not after
    assert len(matches) == 3


def test_only_the_last_matches_are_kept(corridor_dir, matches):
    days = [date(2026, 2, k) for k in range(1, job.VIEWS_KEPT + 2)]
    for day in days:
        job.match_kept(corridor_dir, day, "en")
    job.match_kept(corridor_dir, days[-1], "en")  # kept
    job.match_kept(corridor_dir, days[0], "en")  # the oldest, no longer kept
    assert matches == [*days, days[0]]
    assert job.match_kept(corridor_dir, days[0], "nl") is not job.match_kept(corridor_dir, days[0], "en")


def test_post_refuses_an_unknown_line_and_leaves_the_file_alone(corridor_dir):
    with pytest.raises(CgcError) as exc:
        job.post(corridor_dir, {"type": "line_withdrawn", "day": "2026-01-20", "line": "s-x"}, AS_OF)
    assert "s-x" in str(exc.value)
    assert not (corridor_dir / "events.yaml").exists()


ROUTE_KM = Indicator("route_km", "route", attr("km"), root="corridor")
LABELS = {"nl": "totale afstand van een route, in km", "en": "total distance of a route, in km"}
RULE = {
    "id": "reisafstand",
    "title": {"nl": "Reisafstand", "en": "Distance travelled"},
    "theme": "transport",
    "indicator": "route_km",
    "level": "requirement",
    "comparator": "<=",
    "threshold": 9.0,
    "source": "cgc-model",
    "explanation": {"nl": "Elke route blijft binnen 9 km.", "en": "Every route stays within 9 km."},
}


@pytest.fixture
def fourth_indicator(monkeypatch, corridor_dir):
    """A fourth corridor indicator in the registry and a rule on it in the corridor's ruleset (a copy)."""
    monkeypatch.setitem(corridor_indicators.INDICATORS, "route_km", ROUTE_KM)
    for lang, label in LABELS.items():  # its label, as `indicators.po` would carry it
        monkeypatch.setitem(catalogue(lang, "indicators"), "indicators.label.route_km", label)
    monkeypatch.delitem(kinds.get(Kind.corridor).__dict__, "indicators", raising=False)  # read the registry anew
    path = corridor_dir.parent / "rulesets" / "cgc-corridor" / "2024.1.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["rules"].append(RULE)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_a_fourth_corridor_indicator_is_read_from_the_ruleset(fourth_indicator, corridor_dir):
    count, problems = lint([fourth_indicator.parent])
    assert (count, problems) == (1, [])
    view = job.match(corridor_dir, AS_OF, "en")
    assert [(o.rule.id, o.subject, o.status, o.value) for o in view.findings.checks] == [
        ("reisafstand", "s-a>hub>d-late", PASS, 7.8),
        ("reisafstand", "s-a>direct>d-now", PASS, 8.9),
        ("reisafstand", "s-b>hub>d-late", PASS, 8.9),
        ("reisafstand", "s-b>direct>d-now", FAIL, 14.5),
    ]
    checks = view.data()["checks"]
    assert [(c["subject"], c["status"]) for c in checks][-1] == ("s-b>direct>d-now", "fail")
    assert checks[-1]["text"] == "Total distance of a route, in km is 14.5. Threshold ≤ 9: not met."  # lang en
    assert "detail" not in checks[-1]


def test_a_fourth_corridor_indicator_has_ruleset_cases(fourth_indicator):
    cases = yaml.safe_load((fourth_indicator.parent / "2024.1.cases.yaml").read_text(encoding="utf-8"))
    cases["cases"].append(
        {
            "name": "11.1 km from donor to receiver is over 9 km travelled",
            "expect": {"reisafstand/a-tegels>direct>b-tegels": {"status": "fail", "value": 11.1}},
        }
    )
    (fourth_indicator.parent / "2024.1.cases.yaml").write_text(yaml.safe_dump(cases, sort_keys=False))
    rep = run_cases(load_ruleset(fourth_indicator))
    assert rep.failures == []
    assert rep.cases == len(cases["cases"])
